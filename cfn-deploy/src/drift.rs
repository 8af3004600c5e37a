//! Drift: DetectStackDrift, waiting for it, and the per-resource report
//! (DescribeStackResourceDrifts).

use crate::deploy::Deployer;
use crate::error::{Error, Result};
use std::fmt::Write as _;
use std::time::Instant;

/// A property that differs between the template and the live resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyDrift {
    /// JSON pointer of the property (`/Tags/0/Value`).
    pub path: String,
    /// `ADD`, `REMOVE` or `NOT_EQUAL`.
    pub difference: String,
    /// The value the template sets.
    pub expected: String,
    /// The live value.
    pub actual: String,
}

/// The drift of one resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceDrift {
    /// Logical id.
    pub logical_id: String,
    /// Resource type.
    pub resource_type: String,
    /// Physical id, if any.
    pub physical_id: Option<String>,
    /// `IN_SYNC`, `MODIFIED`, `DELETED` or `NOT_CHECKED`.
    pub status: String,
    /// The properties that differ.
    pub differences: Vec<PropertyDrift>,
}

impl ResourceDrift {
    /// Whether the live resource differs from the template.
    pub fn is_drifted(&self) -> bool {
        matches!(self.status.as_str(), "MODIFIED" | "DELETED")
    }
}

/// What drift detection found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DriftReport {
    /// The stack name.
    pub stack_name: String,
    /// `DRIFTED`, `IN_SYNC`, `NOT_CHECKED` or `UNKNOWN`.
    pub status: String,
    /// Every resource checked, sorted by logical id.
    pub resources: Vec<ResourceDrift>,
}

impl DriftReport {
    /// Whether any resource drifted.
    pub fn is_drifted(&self) -> bool {
        self.status == "DRIFTED" || self.resources.iter().any(ResourceDrift::is_drifted)
    }

    /// The report for people: one line per resource, its differences below.
    pub fn render_text(&self) -> String {
        let mut s = format!("stack {}: {}\n", self.stack_name, self.status);
        for r in &self.resources {
            let _ = writeln!(
                s,
                "  {:<11}  {}  {}",
                r.status, r.logical_id, r.resource_type
            );
            for d in &r.differences {
                let _ = writeln!(
                    s,
                    "      {} {}: expected {}, actual {}",
                    d.difference, d.path, d.expected, d.actual
                );
            }
        }
        s
    }
}

impl Deployer {
    /// Detects drift (DetectStackDrift), waits for the detection, and
    /// reports every resource's drift.
    ///
    /// Errors: [`Error::StackNotFound`], [`Error::DriftDetectionFailed`],
    /// [`Error::Timeout`], and the API's (an endpoint without drift
    /// detection answers with an [`Error::Api`]).
    pub async fn detect_drift(&self, stack: &str) -> Result<DriftReport> {
        let out = self
            .client
            .detect_stack_drift()
            .stack_name(stack)
            .send()
            .await
            .map_err(|e| self.api_error("DetectStackDrift", stack, e))?;
        let id = out
            .stack_drift_detection_id()
            .unwrap_or_default()
            .to_owned();
        let started = Instant::now();
        let status = loop {
            let s = self
                .client
                .describe_stack_drift_detection_status()
                .stack_drift_detection_id(&id)
                .send()
                .await
                .map_err(|e| self.api_error("DescribeStackDriftDetectionStatus", stack, e))?;
            match s.detection_status().map(|d| d.as_str()).unwrap_or("") {
                "DETECTION_IN_PROGRESS" => {}
                "DETECTION_FAILED" if s.stack_drift_status().is_none() => {
                    return Err(Error::DriftDetectionFailed {
                        stack: stack.to_owned(),
                        reason: s
                            .detection_status_reason()
                            .unwrap_or("no reason")
                            .to_owned(),
                    })
                }
                _ => {
                    break s
                        .stack_drift_status()
                        .map(|d| d.as_str().to_owned())
                        .unwrap_or_else(|| "UNKNOWN".into())
                }
            }
            if started.elapsed() > self.poll.stack_timeout {
                return Err(Error::Timeout {
                    what: format!("drift detection of stack {stack}"),
                    after: started.elapsed(),
                });
            }
            tokio::time::sleep(self.poll.interval).await;
        };
        let mut resources = self.resource_drifts(stack).await?;
        resources.sort_by(|a, b| a.logical_id.cmp(&b.logical_id));
        Ok(DriftReport {
            stack_name: stack.to_owned(),
            status,
            resources,
        })
    }

    async fn resource_drifts(&self, stack: &str) -> Result<Vec<ResourceDrift>> {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let page = self
                .client
                .describe_stack_resource_drifts()
                .stack_name(stack)
                .set_next_token(token.take())
                .send()
                .await
                .map_err(|e| self.api_error("DescribeStackResourceDrifts", stack, e))?;
            for d in page.stack_resource_drifts() {
                out.push(ResourceDrift {
                    logical_id: d.logical_resource_id().unwrap_or_default().to_owned(),
                    resource_type: d.resource_type().unwrap_or_default().to_owned(),
                    physical_id: d.physical_resource_id().map(str::to_owned),
                    status: d
                        .stack_resource_drift_status()
                        .map(|s| s.as_str().to_owned())
                        .unwrap_or_default(),
                    differences: d
                        .property_differences()
                        .iter()
                        .map(|p| PropertyDrift {
                            path: p.property_path().unwrap_or_default().to_owned(),
                            difference: p
                                .difference_type()
                                .map(|t| t.as_str().to_owned())
                                .unwrap_or_default(),
                            expected: p.expected_value().unwrap_or_default().to_owned(),
                            actual: p.actual_value().unwrap_or_default().to_owned(),
                        })
                        .collect(),
                });
            }
            match page.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_owned()),
                _ => break,
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drift_report_text() {
        let r = DriftReport {
            stack_name: "s".into(),
            status: "DRIFTED".into(),
            resources: vec![
                ResourceDrift {
                    logical_id: "Bucket".into(),
                    resource_type: "AWS::S3::Bucket".into(),
                    physical_id: Some("b".into()),
                    status: "MODIFIED".into(),
                    differences: vec![PropertyDrift {
                        path: "/VersioningConfiguration/Status".into(),
                        difference: "NOT_EQUAL".into(),
                        expected: "Enabled".into(),
                        actual: "Suspended".into(),
                    }],
                },
                ResourceDrift {
                    logical_id: "Topic".into(),
                    resource_type: "AWS::SNS::Topic".into(),
                    physical_id: None,
                    status: "IN_SYNC".into(),
                    differences: vec![],
                },
            ],
        };
        assert!(r.is_drifted());
        assert_eq!(
            r.render_text(),
            "stack s: DRIFTED
  MODIFIED     Bucket  AWS::S3::Bucket
      NOT_EQUAL /VersioningConfiguration/Status: expected Enabled, actual Suspended
  IN_SYNC      Topic  AWS::SNS::Topic
"
        );
    }
}

//! Effects, not statuses: after a deploy, the stack's resources
//! (ListStackResources) are compared with the template's, so that an API
//! that reports success without creating anything is caught.
//!
//! moto 5.2.5, for one, fails inside ExecuteChangeSet (HTTP 500,
//! `KeyError: 'TagKey'` on an `AWS::KMS::Key` with tags), and then reports
//! the stack CREATE_COMPLETE with no resources.

use crate::conditions::{evaluate_all, Values};
use crate::deploy::Deployer;
use crate::error::{Error, Result};
use crate::events::{Progress, Report};
use cfn_core::Template;
use std::fmt;

/// One resource of a deployed stack (ListStackResources).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackResource {
    /// Logical id.
    pub logical_id: String,
    /// Physical id, if it has one.
    pub physical_id: Option<String>,
    /// Resource type.
    pub resource_type: String,
    /// Status (`CREATE_COMPLETE`, `UPDATE_FAILED`, ...).
    pub status: String,
    /// Why, if CloudFormation said.
    pub reason: Option<String>,
}

/// A resource of the template that the stack does not hold, complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingResource {
    /// Logical id.
    pub logical_id: String,
    /// Resource type (from the template).
    pub resource_type: String,
    /// Its status when listed but not complete; `None` when not listed at all.
    pub status: Option<String>,
}

impl fmt::Display for MissingResource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.logical_id, self.resource_type)?;
        match &self.status {
            Some(s) => write!(f, " is {s}"),
            None => f.write_str(" does not exist"),
        }
    }
}

/// What the comparison of a stack's resources with its template found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EffectReport {
    /// Resources the template asks for (conditions that hold, or could not
    /// be decided), in template order.
    pub expected: usize,
    /// Template resources the stack holds, complete.
    pub present: Vec<StackResource>,
    /// Template resources the stack does not hold, or not complete.
    pub missing: Vec<MissingResource>,
    /// Resources the stack holds that the template does not ask for (a
    /// condition that is false, or not in the template).
    pub unexpected: Vec<StackResource>,
    /// Resources whose `Condition` could not be evaluated, with why; they
    /// are not checked.
    pub undecided: Vec<(String, String)>,
    /// Why the comparison was not made at all (a `Transform` rewrites the
    /// resources), if it was not.
    pub skipped: Option<String>,
    /// Outputs the template declares (conditions that hold) that the stack
    /// does not report.
    pub missing_outputs: Vec<String>,
}

impl EffectReport {
    /// Whether every resource the template asks for is there.
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
    }
}

/// Whether a resource status means the resource exists as asked.
fn is_effective(status: &str) -> bool {
    matches!(
        status,
        "CREATE_COMPLETE" | "UPDATE_COMPLETE" | "IMPORT_COMPLETE" | "UPDATE_ROLLBACK_COMPLETE"
    )
}

/// Compares the listed resources with the template: a pure function.
///
/// `parameters` are the values the stack reports (DescribeStacks);
/// `stack_id` its ARN (for the pseudo parameters).
pub fn compare_resources(
    template: &Template,
    stack_name: &str,
    stack_id: &str,
    parameters: &[(String, String)],
    listed: &[StackResource],
) -> EffectReport {
    let mut report = EffectReport::default();
    if let Some(t) = &template.transform {
        report.skipped = Some(format!(
            "the template has a Transform ({}): the deployed resources differ from the template's",
            serde_json::to_string(&t.to_json()).unwrap_or_default()
        ));
        return report;
    }
    let values = Values::for_stack(template, stack_name, stack_id, parameters);
    let conditions = evaluate_all(template, &values);
    let mut wanted = Vec::new();
    for (id, r) in &template.resources {
        match r.condition.as_deref().map(|c| (c, conditions.get(c))) {
            None => wanted.push((id.as_str(), r)),
            Some((_, Some(Ok(true)))) => wanted.push((id.as_str(), r)),
            Some((_, Some(Ok(false)))) => {}
            Some((c, Some(Err(why)))) => report
                .undecided
                .push((id.to_string(), format!("condition `{c}`: {why}"))),
            Some((c, None)) => report
                .undecided
                .push((id.to_string(), format!("condition `{c}` is not declared"))),
        }
    }
    report.expected = wanted.len();
    for (id, r) in &wanted {
        match listed.iter().find(|l| l.logical_id == *id) {
            Some(l) if is_effective(&l.status) => report.present.push(l.clone()),
            found => report.missing.push(MissingResource {
                logical_id: (*id).to_owned(),
                resource_type: r.type_name.clone(),
                status: found.map(|l| l.status.clone()),
            }),
        }
    }
    for l in listed {
        let known = wanted.iter().any(|(id, _)| *id == l.logical_id)
            || report.undecided.iter().any(|(id, _)| *id == l.logical_id);
        if !known {
            report.unexpected.push(l.clone());
        }
    }
    report
}

impl Deployer {
    /// Every resource of the stack (ListStackResources, all pages).
    ///
    /// Errors: [`Error::StackNotFound`] and the API's.
    pub async fn list_stack_resources(&self, stack: &str) -> Result<Vec<StackResource>> {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let page = self
                .client
                .list_stack_resources()
                .stack_name(stack)
                .set_next_token(token.take())
                .send()
                .await
                .map_err(|e| self.api_error("ListStackResources", stack, e))?;
            for r in page.stack_resource_summaries() {
                out.push(StackResource {
                    logical_id: r.logical_resource_id().unwrap_or_default().to_owned(),
                    physical_id: r.physical_resource_id().map(str::to_owned),
                    resource_type: r.resource_type().unwrap_or_default().to_owned(),
                    status: r
                        .resource_status()
                        .map(|s| s.as_str().to_owned())
                        .unwrap_or_default(),
                    reason: r.resource_status_reason().map(str::to_owned),
                });
            }
            match page.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_owned()),
                _ => break,
            }
        }
        Ok(out)
    }

    /// Compares the stack's resources with `template` (see
    /// [`compare_resources`]), with the parameter values the stack reports.
    ///
    /// Errors: [`Error::StackNotFound`] and the API's.
    pub async fn check_effects(&self, stack: &str, template: &Template) -> Result<EffectReport> {
        let Some(s) = self.describe_raw(stack).await? else {
            return Err(Error::StackNotFound {
                stack: stack.to_owned(),
            });
        };
        let parameters: Vec<(String, String)> = s
            .parameters()
            .iter()
            .map(|p| {
                (
                    p.parameter_key().unwrap_or_default().to_owned(),
                    p.parameter_value().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        let stack_id = s.stack_id().unwrap_or(stack).to_owned();
        let listed = self.list_stack_resources(&stack_id).await?;
        let mut report = compare_resources(template, stack, &stack_id, &parameters, &listed);
        let values = Values::for_stack(template, stack, &stack_id, &parameters);
        let conditions = evaluate_all(template, &values);
        for (key, o) in &template.outputs {
            let wanted = match o.condition.as_deref() {
                None => true,
                Some(c) => matches!(conditions.get(c), Some(Ok(true))),
            };
            if wanted
                && !s
                    .outputs()
                    .iter()
                    .any(|x| x.output_key() == Some(key.as_str()))
            {
                report.missing_outputs.push(key.to_string());
            }
        }
        Ok(report)
    }

    /// [`Deployer::check_effects`], then an error when resources are
    /// missing ([`Error::ResourcesMissing`]); what could not be checked is
    /// reported as a [`Progress::Notice`].
    pub async fn verify_effects(
        &self,
        stack: &str,
        status: &str,
        template: &Template,
        report: &mut dyn Report,
    ) -> Result<EffectReport> {
        let effects = match self.check_effects(stack, template).await {
            Ok(e) => e,
            // the listing itself fails: the effect is unknown, not a success
            Err(Error::Api {
                operation,
                code,
                message,
            }) => {
                return Err(Error::ResourcesMissing {
                    stack: stack.to_owned(),
                    status: format!(
                        "{status}, yet {operation} failed ({code}: {})",
                        message.lines().next().unwrap_or_default()
                    ),
                    expected: template.resources.len(),
                    missing: template
                        .resources
                        .iter()
                        .map(|(id, r)| MissingResource {
                            logical_id: id.to_string(),
                            resource_type: r.type_name.clone(),
                            status: Some("not listed".into()),
                        })
                        .collect(),
                })
            }
            Err(e) => return Err(e),
        };
        if !effects.missing_outputs.is_empty() {
            report.report(Progress::Notice(&format!(
                "warning: stack {stack} does not report the outputs {} that its template declares (moto 5.2.5 sets no outputs after ExecuteChangeSet)",
                effects.missing_outputs.join(", ")
            )));
        }
        if let Some(why) = &effects.skipped {
            report.report(Progress::Notice(&format!(
                "the stack's resources were not compared with the template: {why}"
            )));
        }
        for (id, why) in &effects.undecided {
            report.report(Progress::Notice(&format!(
                "resource {id} was not checked: {why}"
            )));
        }
        if !effects.is_complete() {
            return Err(Error::ResourcesMissing {
                stack: stack.to_owned(),
                status: status.to_owned(),
                expected: effects.expected,
                missing: effects.missing,
            });
        }
        Ok(effects)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(id: &str, ty: &str, status: &str) -> StackResource {
        StackResource {
            logical_id: id.into(),
            physical_id: Some(format!("{id}-1")),
            resource_type: ty.into(),
            status: status.into(),
            reason: None,
        }
    }

    #[test]
    fn missing_failed_unexpected_and_undecided_are_told_apart() {
        let t = Template::from_yaml(
            "Parameters:
  Env: {Type: String, Default: dev}
  Secret: {Type: String, NoEcho: true}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  Odd: !Equals [!Ref Secret, x]
Resources:
  Key: {Type: AWS::KMS::Key}
  Topic: {Type: AWS::SNS::Topic}
  Queue: {Type: AWS::SQS::Queue}
  ProdOnly: {Type: AWS::SNS::Topic, Condition: IsProd}
  Maybe: {Type: AWS::SNS::Topic, Condition: Odd}
",
        )
        .unwrap();
        let r = compare_resources(
            &t,
            "s",
            "arn:aws:cloudformation:us-east-1:123456789012:stack/s/x",
            &[("Secret".into(), "****".into())],
            &[
                listed("Topic", "AWS::SNS::Topic", "CREATE_COMPLETE"),
                listed("Queue", "AWS::SQS::Queue", "CREATE_FAILED"),
                listed("Old", "AWS::SNS::Topic", "CREATE_COMPLETE"),
            ],
        );
        assert_eq!(r.expected, 3);
        assert_eq!(r.present.len(), 1);
        let missing: Vec<String> = r.missing.iter().map(|m| m.to_string()).collect();
        assert_eq!(
            missing,
            [
                "Key (AWS::KMS::Key) does not exist",
                "Queue (AWS::SQS::Queue) is CREATE_FAILED"
            ]
        );
        assert_eq!(r.unexpected.len(), 1);
        assert_eq!(r.unexpected[0].logical_id, "Old");
        assert_eq!(
            r.undecided,
            [(
                "Maybe".to_string(),
                "condition `Odd`: the value of `Secret` is not known".to_string()
            )]
        );
        assert!(!r.is_complete());
    }

    #[test]
    fn a_transform_skips_the_comparison() {
        let t = Template::from_yaml(
            "Transform: AWS::Serverless-2016-10-31\nResources:\n  F: {Type: AWS::Serverless::Function}\n",
        )
        .unwrap();
        let r = compare_resources(&t, "s", "s", &[], &[]);
        assert!(r.skipped.is_some() && r.is_complete());
    }
}

//! Resource types of AWS services that have been shut down or are being
//! sunset, from the `lifecycle` annotations in the registry schemas that
//! cfn-lint 1.58.0 ships (`cfnlint/data/schemas`, rules E3710 and W3696),
//! with the dates AWS announced
//! (<https://docs.aws.amazon.com/general/latest/gr/full_shutdown_services.html>,
//! <https://docs.aws.amazon.com/general/latest/gr/sunset_services.html>).
//! Part of [`crate::verdict::check`]: a type of a shut-down service is an
//! error (CloudFormation can no longer create it), a sunsetting one a
//! warning. Services in maintenance mode (still fully working) are not
//! reported.
//!
//! ```
//! use cfn_core::Template;
//! let t = Template::from_yaml("Resources:\n  L: {Type: AWS::QLDB::Ledger, Properties: {PermissionsMode: STANDARD}}\n").unwrap();
//! let d = cfn_tools::lifecycle::check(&t);
//! assert!(d[0].to_string().contains("shut down on 2025-07-31"), "{}", d[0]);
//! ```

use cfn_core::{Diagnostic, Error, ErrorKind, Severity, Template};

/// Where a service is in its retirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Shut down on this date: new resources cannot be created.
    Shutdown(&'static str),
    /// Shuts down on this date (`""`: not announced).
    Sunset(&'static str),
}

/// `(type prefix, stage)`: a prefix ending in `::` covers a whole service.
const RETIRED: &[(&str, Stage)] = &[
    (
        "AWS::CodeStar::GitHubRepository",
        Stage::Shutdown("2024-07-25"),
    ),
    ("AWS::Evidently::", Stage::Shutdown("2025-10-17")),
    ("AWS::IoTAnalytics::", Stage::Shutdown("2025-12-15")),
    ("AWS::IoTEvents::", Stage::Shutdown("2026-05-20")),
    ("AWS::IoTThingsGraph::", Stage::Shutdown("2022-11-09")),
    ("AWS::NimbleStudio::", Stage::Shutdown("2024-06-30")),
    ("AWS::OpsWorks::", Stage::Shutdown("2024-05-01")),
    ("AWS::QLDB::", Stage::Shutdown("2025-07-31")),
    ("AWS::AppMesh::", Stage::Sunset("2026-09-30")),
    ("AWS::FinSpace::Environment", Stage::Sunset("2026-10-07")),
    ("AWS::FraudDetector::", Stage::Sunset("2025-11-07")),
    ("AWS::Greengrass::", Stage::Sunset("2026-10-01")),
    ("AWS::Inspector::", Stage::Sunset("2026-05-20")),
    ("AWS::MediaStore::", Stage::Sunset("2025-11-13")),
    ("AWS::Pinpoint::", Stage::Sunset("2026-10-30")),
    ("AWS::Proton::", Stage::Sunset("2026-10-07")),
    ("AWS::SimSpaceWeaver::", Stage::Sunset("2026-05-20")),
    ("AWS::WAF::", Stage::Sunset("")),
    ("AWS::WAFRegional::", Stage::Sunset("")),
];

/// The retirement stage of a resource type's service, if any.
pub fn stage(type_name: &str) -> Option<Stage> {
    RETIRED
        .iter()
        .find(|(prefix, _)| {
            if prefix.ends_with("::") {
                type_name.starts_with(prefix)
            } else {
                type_name == *prefix
            }
        })
        .map(|(_, s)| *s)
}

/// Whether CloudFormation can no longer create resources of this type.
pub fn is_shut_down(type_name: &str) -> bool {
    matches!(stage(type_name), Some(Stage::Shutdown(_)))
}

/// One diagnostic per resource of a retired or retiring service.
pub fn check(t: &Template) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (id, r) in &t.resources {
        let ty = r.type_name.as_str();
        let (severity, reason) = match stage(ty) {
            Some(Stage::Shutdown(date)) => (
                Severity::Error,
                format!("the service was shut down on {date}: CloudFormation can no longer create `{ty}`; remove the resource or move to the service's replacement"),
            ),
            Some(Stage::Sunset(date)) => (
                Severity::Warning,
                if date.is_empty() {
                    format!("the service is being retired: plan to move `{ty}` to its replacement")
                } else {
                    format!("AWS announced the service's shutdown for {date}: plan to move `{ty}` to its replacement")
                },
            ),
            None => continue,
        };
        out.push(Diagnostic {
            severity,
            error: Error::at(
                format!("Resources/{id}/Type"),
                ErrorKind::InvalidValue {
                    value: format!("{ty:?}"),
                    reason,
                },
            ),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_services_and_single_types() {
        assert!(is_shut_down("AWS::OpsWorks::Stack"));
        assert!(is_shut_down("AWS::CodeStar::GitHubRepository"));
        assert!(!is_shut_down("AWS::CodeStarConnections::Connection"));
        assert_eq!(stage("AWS::WAF::WebACL"), Some(Stage::Sunset("")));
        assert_eq!(stage("AWS::WAFv2::WebACL"), None);
        assert_eq!(stage("AWS::S3::Bucket"), None);
        assert_eq!(stage("AWS::SDB::Domain"), None); // legacy, still served
    }
}

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

use cfn_core::{Diagnostic, Error, ErrorKind, Expr, Severity, Template};
use cfn_resources::schema;

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

/// One diagnostic per resource of a retired or retiring service, and per
/// Lambda runtime Lambda no longer creates (an error) or has deprecated (a
/// warning), read against the pinned schedule's date
/// ([`cfn_resources::schema::RUNTIMES_AS_OF`]).
pub fn check(t: &Template) -> Vec<Diagnostic> {
    let mut out = runtimes(t);
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
                    hint: cfn_core::error::Hint::None,
                    reason,
                },
            ),
        });
    }
    out
}

/// `Runtime` of Lambda and SAM functions, and of SAM's `Globals.Function`.
fn runtimes(t: &Template) -> Vec<Diagnostic> {
    let mut found: Vec<(String, &str)> = Vec::new();
    for (id, r) in &t.resources {
        if matches!(
            r.type_name.as_str(),
            "AWS::Lambda::Function" | "AWS::Serverless::Function"
        ) {
            if let Some(v) = r.properties.as_ref().and_then(|p| p.get("Runtime")) {
                if let Some(name) = v.as_str() {
                    found.push((format!("Resources/{id}/Properties/Runtime"), name));
                }
            }
        }
    }
    if let Some(Expr::Map(f)) = t.globals.get("Function") {
        if let Some(name) = f.get("Runtime").and_then(Expr::as_str) {
            found.push(("Globals/Function/Runtime".into(), name));
        }
    }
    let as_of = schema::RUNTIMES_AS_OF;
    let mut out = Vec::new();
    for (path, name) in found {
        let Some(rt) = schema::lambda_runtime(name) else {
            continue;
        };
        let instead = rt
            .successor
            .map(|s| format!("use `{s}`"))
            .unwrap_or_else(|| "move to a supported runtime".into());
        let (severity, reason) = if rt.creation_blocked(as_of) {
            (
                Severity::Error,
                format!(
                    "Lambda has refused new functions with `{name}` since {} (deprecated {}); {instead}",
                    rt.create_block.unwrap_or(""),
                    rt.deprecated.unwrap_or("earlier")
                ),
            )
        } else if rt.deprecated_by(as_of) {
            let block = rt
                .create_block
                .map(|d| format!("; Lambda refuses new functions with it from {d}"))
                .unwrap_or_default();
            (
                Severity::Warning,
                format!(
                    "`{name}` is deprecated since {}{block}; {instead}",
                    rt.deprecated.unwrap_or("")
                ),
            )
        } else {
            continue;
        };
        out.push(Diagnostic {
            severity,
            error: Error::at(
                path,
                ErrorKind::InvalidValue {
                    value: format!("{name:?}"),
                    hint: cfn_core::error::Hint::None,
                    reason: format!("{reason} (Lambda runtime schedule as of {as_of})"),
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

    #[test]
    fn dead_and_deprecated_lambda_runtimes() {
        let t = Template::from_yaml(
            "Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Runtime: python3.8\nResources:\n  Old:\n    Type: AWS::Lambda::Function\n    Properties: {Runtime: nodejs, Handler: i.h, Role: arn:aws:iam::123456789012:role/r, Code: {ZipFile: x}}\n  Current:\n    Type: AWS::Lambda::Function\n    Properties: {Runtime: python3.13, Handler: i.h, Role: arn:aws:iam::123456789012:role/r, Code: {ZipFile: x}}\n  Param:\n    Type: AWS::Lambda::Function\n    Properties: {Runtime: !Ref AWS::NoValue, Handler: i.h, Role: arn:aws:iam::123456789012:role/r, Code: {ZipFile: x}}\n",
        )
        .unwrap();
        let d = check(&t);
        assert_eq!(d.len(), 2, "{d:#?}");
        assert_eq!(d[0].severity, Severity::Error);
        let text = d[0].to_string();
        assert!(text.contains("Resources/Old/Properties/Runtime"), "{text}");
        assert!(text.contains("since 2016-09-30"), "{text}");
        // python3.8: deprecated 2024-10-14, creation blocked only from 2027
        assert!(
            d[1].to_string().contains("Globals/Function/Runtime"),
            "{}",
            d[1]
        );
        assert!(
            d[1].to_string().contains("deprecated since 2024-10-14"),
            "{}",
            d[1]
        );
        assert_eq!(d[1].severity, Severity::Warning, "{}", d[1]);
    }
}

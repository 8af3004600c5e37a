//! The stable code of each error.

use super::Error;

impl Error {
    /// A stable code for the error (its variant name, `StackBusy`): what
    /// tools and the CLI match on instead of the message text, which may
    /// change.
    ///
    /// ```
    /// let e = cfn_deploy::Error::StackNotFound { stack: "web".into() };
    /// assert_eq!(e.code(), "StackNotFound");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Error::NoCredentials { .. } => "NoCredentials",
            Error::NoRegion => "NoRegion",
            Error::AccessDenied { .. } => "AccessDenied",
            Error::Unreachable { .. } => "Unreachable",
            Error::Throttled { .. } => "Throttled",
            Error::StackNotFound { .. } => "StackNotFound",
            Error::InvalidTemplate { .. } => "InvalidTemplate",
            Error::TemplateTooLarge { .. } => "TemplateTooLarge",
            Error::MissingCapabilities { .. } => "MissingCapabilities",
            Error::StackBusy { .. } => "StackBusy",
            Error::StackNotUpdatable { .. } => "StackNotUpdatable",
            Error::ChangeSetFailed { .. } => "ChangeSetFailed",
            Error::StatefulChangeRefused { .. } => "StatefulChangeRefused",
            Error::ApprovalRequired { .. } => "ApprovalRequired",
            Error::UnknownLogicalIds { .. } => "UnknownLogicalIds",
            Error::DeployFailed { .. } => "DeployFailed",
            Error::DeleteFailed { .. } => "DeleteFailed",
            Error::TerminationProtected { .. } => "TerminationProtected",
            Error::Timeout { .. } => "Timeout",
            Error::DeployedTemplate { .. } => "DeployedTemplate",
            Error::InvalidParameters { .. } => "InvalidParameters",
            Error::ParametersFile { .. } => "ParametersFile",
            Error::TemplateUpload { .. } => "TemplateUpload",
            Error::UnknownProfile { .. } => "UnknownProfile",
            Error::Api { .. } => "Api",
            Error::ResourcesMissing { .. } => "ResourcesMissing",
            Error::DeleteRefused { .. } => "DeleteRefused",
            Error::UnknownAllowed { .. } => "UnknownAllowed",
            Error::ConnectionLost { .. } => "ConnectionLost",
            Error::Interrupted { .. } => "Interrupted",
            Error::DriftDetectionFailed { .. } => "DriftDetectionFailed",
            Error::Runtime(_) => "Runtime",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// The codes are a contract: a change here breaks whoever matches on
    /// them.
    #[test]
    fn codes_are_pinned() {
        let s = || String::from("x");
        let io = || std::io::Error::other("x");
        let cases: Vec<(Error, &str)> = vec![
            (Error::NoCredentials { detail: s() }, "NoCredentials"),
            (Error::NoRegion, "NoRegion"),
            (
                Error::AccessDenied {
                    operation: "CreateStack",
                    code: s(),
                    message: s(),
                },
                "AccessDenied",
            ),
            (
                Error::Unreachable {
                    operation: "CreateStack",
                    endpoint: s(),
                    detail: s(),
                },
                "Unreachable",
            ),
            (
                Error::Throttled {
                    operation: "CreateStack",
                    attempts: 3,
                    message: s(),
                },
                "Throttled",
            ),
            (Error::StackNotFound { stack: s() }, "StackNotFound"),
            (
                Error::InvalidTemplate {
                    stack: s(),
                    message: s(),
                },
                "InvalidTemplate",
            ),
            (
                Error::TemplateTooLarge {
                    stack: s(),
                    size: 2,
                    limit: 1,
                },
                "TemplateTooLarge",
            ),
            (
                Error::MissingCapabilities {
                    stack: s(),
                    message: s(),
                },
                "MissingCapabilities",
            ),
            (
                Error::StackBusy {
                    stack: s(),
                    status: s(),
                },
                "StackBusy",
            ),
            (
                Error::StackNotUpdatable {
                    stack: s(),
                    status: s(),
                    advice: "x",
                },
                "StackNotUpdatable",
            ),
            (
                Error::ChangeSetFailed {
                    stack: s(),
                    reason: s(),
                },
                "ChangeSetFailed",
            ),
            (
                Error::StatefulChangeRefused {
                    stack: s(),
                    refused: vec![],
                },
                "StatefulChangeRefused",
            ),
            (
                Error::ApprovalRequired {
                    stack: s(),
                    pending: vec![],
                },
                "ApprovalRequired",
            ),
            (
                Error::UnknownLogicalIds {
                    stack: s(),
                    unknown: vec![],
                },
                "UnknownLogicalIds",
            ),
            (
                Error::DeployFailed {
                    stack: s(),
                    status: s(),
                    reason: None,
                    failures: vec![],
                },
                "DeployFailed",
            ),
            (
                Error::DeleteFailed {
                    stack: s(),
                    status: s(),
                    reason: None,
                    failures: vec![],
                },
                "DeleteFailed",
            ),
            (
                Error::TerminationProtected { stack: s() },
                "TerminationProtected",
            ),
            (
                Error::Timeout {
                    what: s(),
                    after: Duration::from_secs(1),
                },
                "Timeout",
            ),
            (
                Error::DeployedTemplate {
                    stack: s(),
                    source: cfn_core::Error::new(cfn_core::ErrorKind::DuplicateKey { key: s() }),
                },
                "DeployedTemplate",
            ),
            (
                Error::InvalidParameters {
                    stack: s(),
                    problems: vec![],
                },
                "InvalidParameters",
            ),
            (
                Error::ParametersFile {
                    file: s(),
                    message: s(),
                    suggestion: None,
                    source: None,
                },
                "ParametersFile",
            ),
            (
                Error::TemplateUpload {
                    stack: s(),
                    bucket: s(),
                    key: s(),
                    operation: "PutObject",
                    message: s(),
                },
                "TemplateUpload",
            ),
            (
                Error::UnknownProfile {
                    profile: s(),
                    known: vec![],
                    unreadable: None,
                },
                "UnknownProfile",
            ),
            (
                Error::Api {
                    operation: "CreateStack",
                    code: s(),
                    message: s(),
                },
                "Api",
            ),
            (
                Error::ResourcesMissing {
                    stack: s(),
                    status: s(),
                    expected: 1,
                    missing: vec![],
                },
                "ResourcesMissing",
            ),
            (
                Error::DeleteRefused {
                    stack: s(),
                    refused: vec![],
                },
                "DeleteRefused",
            ),
            (
                Error::UnknownAllowed {
                    stack: s(),
                    ids: vec![],
                    known: vec![],
                },
                "UnknownAllowed",
            ),
            (
                Error::ConnectionLost {
                    stack: s(),
                    what: s(),
                    endpoint: s(),
                    detail: s(),
                },
                "ConnectionLost",
            ),
            (
                Error::Interrupted {
                    stack: s(),
                    cleaned: vec![],
                    left: vec![],
                },
                "Interrupted",
            ),
            (
                Error::DriftDetectionFailed {
                    stack: s(),
                    reason: s(),
                },
                "DriftDetectionFailed",
            ),
            (Error::Runtime(io()), "Runtime"),
        ];
        for (e, code) in &cases {
            assert_eq!(e.code(), *code, "{e:?}");
        }
    }

    /// Library messages name no CLI flag; the CLI adds them (`cfn-cli`'s
    /// flag hints).
    #[test]
    fn messages_name_no_flags() {
        let e = Error::DeleteRefused {
            stack: "web".into(),
            refused: vec![("Table".into(), "AWS::DynamoDB::Table".into())],
        };
        let text = e.to_string();
        assert!(!text.contains("--"), "{text}");
        assert!(
            text.contains("allow each resource by name (Table)"),
            "{text}"
        );
    }
}

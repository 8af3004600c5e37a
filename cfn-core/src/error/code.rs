//! The stable code of each error kind, and the suggestion it carries.

use super::{ErrorKind, Hint};

impl ErrorKind {
    /// A stable code for the kind (its variant name, `DanglingRef`): the
    /// rule id of a finding in JSON and SARIF output, and what tools match
    /// on instead of the message text.
    ///
    /// ```
    /// use cfn_core::ErrorKind;
    /// let k = ErrorKind::MissingKey { key: "Type".into(), fix: "add it".into() };
    /// assert_eq!(k.code(), "MissingKey");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            ErrorKind::InvalidLogicalId { .. } => "InvalidLogicalId",
            ErrorKind::DuplicateLogicalId { .. } => "DuplicateLogicalId",
            ErrorKind::DanglingRef { .. } => "DanglingRef",
            ErrorKind::DanglingGetAtt { .. } => "DanglingGetAtt",
            ErrorKind::UnknownAttribute { .. } => "UnknownAttribute",
            ErrorKind::UnknownResourceType { .. } => "UnknownResourceType",
            ErrorKind::SchemaViolation { .. } => "SchemaViolation",
            ErrorKind::DanglingCondition { .. } => "DanglingCondition",
            ErrorKind::DanglingMapping { .. } => "DanglingMapping",
            ErrorKind::DanglingDependsOn { .. } => "DanglingDependsOn",
            ErrorKind::DependencyCycle { .. } => "DependencyCycle",
            ErrorKind::ResourceInCondition { .. } => "ResourceInCondition",
            ErrorKind::LimitExceeded { .. } => "LimitExceeded",
            ErrorKind::TemplateTooLarge { .. } => "TemplateTooLarge",
            ErrorKind::UnusedParameter { .. } => "UnusedParameter",
            ErrorKind::UnusedMapping { .. } => "UnusedMapping",
            ErrorKind::UnusedCondition { .. } => "UnusedCondition",
            ErrorKind::RedundantDependsOn { .. } => "RedundantDependsOn",
            ErrorKind::InvalidParameterDefault { .. } => "InvalidParameterDefault",
            ErrorKind::UnknownParameter { .. } => "UnknownParameter",
            ErrorKind::InvalidParameterValue { .. } => "InvalidParameterValue",
            ErrorKind::MissingParameterValue { .. } => "MissingParameterValue",
            ErrorKind::InvalidValue { .. } => "InvalidValue",
            ErrorKind::DuplicateExport { .. } => "DuplicateExport",
            ErrorKind::Syntax { .. } => "Syntax",
            ErrorKind::DuplicateKey { .. } => "DuplicateKey",
            ErrorKind::UnknownIntrinsic { .. } => "UnknownIntrinsic",
            ErrorKind::WrongArguments { .. } => "WrongArguments",
            ErrorKind::WrongType { .. } => "WrongType",
            ErrorKind::UnknownKey { .. } => "UnknownKey",
            ErrorKind::MissingKey { .. } => "MissingKey",
            ErrorKind::Io { .. } => "Io",
            ErrorKind::CrossProperty { .. } => "CrossProperty",
            ErrorKind::ForeignHandle { .. } => "ForeignHandle",
            ErrorKind::NoSuchResource { .. } => "NoSuchResource",
            ErrorKind::WrongResourceType { .. } => "WrongResourceType",
            ErrorKind::Invalid { .. } => "Invalid",
        }
    }

    /// The kind's hint: a suggestion kept as data, a note, or none
    /// ([`Hint::None`] for kinds that carry no hint).
    ///
    /// ```
    /// use cfn_core::{error::Hint, ErrorKind};
    /// let k = ErrorKind::DanglingRef { target: "Evn".into(), hint: Hint::did_you_mean("Env") };
    /// assert_eq!(k.hint().suggestion(), Some("Env"));
    /// ```
    pub fn hint(&self) -> &Hint {
        match self {
            ErrorKind::DanglingRef { hint, .. }
            | ErrorKind::DanglingGetAtt { hint, .. }
            | ErrorKind::UnknownAttribute { hint, .. }
            | ErrorKind::UnknownResourceType { hint, .. }
            | ErrorKind::DanglingCondition { hint, .. }
            | ErrorKind::DanglingMapping { hint, .. }
            | ErrorKind::DanglingDependsOn { hint, .. }
            | ErrorKind::UnknownParameter { hint, .. }
            | ErrorKind::InvalidValue { hint, .. }
            | ErrorKind::UnknownIntrinsic { hint, .. }
            | ErrorKind::UnknownKey { hint, .. }
            | ErrorKind::NoSuchResource { hint, .. } => hint,
            _ => &Hint::None,
        }
    }

    /// The name probably meant ("did you mean"), as data: the suggestion
    /// of the kind's [`hint`](Self::hint), or of a registry schema
    /// violation; `None` when there is none.
    ///
    /// ```
    /// use cfn_core::ErrorKind;
    /// let k = ErrorKind::SchemaViolation {
    ///     type_name: "AWS::S3::Bucket".into(),
    ///     message: "unknown property `BucketNam`; did you mean `BucketName`?".into(),
    ///     suggestion: Some("BucketName".into()),
    /// };
    /// assert_eq!(k.suggestion(), Some("BucketName"));
    /// ```
    pub fn suggestion(&self) -> Option<&str> {
        match self {
            ErrorKind::SchemaViolation { suggestion, .. } => suggestion.as_deref(),
            _ => self.hint().suggestion(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The codes are a contract (rule ids in JSON and SARIF output): a
    /// change here breaks the tools that match on them.
    #[test]
    fn codes_are_pinned() {
        let s = || String::new();
        let cases: Vec<(ErrorKind, &str)> = vec![
            (
                ErrorKind::InvalidLogicalId {
                    id: s(),
                    reason: s(),
                },
                "InvalidLogicalId",
            ),
            (
                ErrorKind::DuplicateLogicalId {
                    id: s(),
                    existing: s(),
                },
                "DuplicateLogicalId",
            ),
            (
                ErrorKind::DanglingRef {
                    target: s(),
                    hint: Hint::None,
                },
                "DanglingRef",
            ),
            (
                ErrorKind::DanglingGetAtt {
                    target: s(),
                    attribute: s(),
                    hint: Hint::None,
                },
                "DanglingGetAtt",
            ),
            (
                ErrorKind::UnknownAttribute {
                    target: s(),
                    type_name: s(),
                    attribute: s(),
                    hint: Hint::None,
                    valid: s(),
                },
                "UnknownAttribute",
            ),
            (
                ErrorKind::UnknownResourceType {
                    type_name: s(),
                    hint: Hint::None,
                },
                "UnknownResourceType",
            ),
            (
                ErrorKind::SchemaViolation {
                    type_name: s(),
                    message: s(),
                    suggestion: None,
                },
                "SchemaViolation",
            ),
            (
                ErrorKind::DanglingCondition {
                    name: s(),
                    hint: Hint::None,
                },
                "DanglingCondition",
            ),
            (
                ErrorKind::DanglingMapping {
                    what: s(),
                    hint: Hint::None,
                },
                "DanglingMapping",
            ),
            (
                ErrorKind::DanglingDependsOn {
                    target: s(),
                    hint: Hint::None,
                },
                "DanglingDependsOn",
            ),
            (ErrorKind::DependencyCycle { cycle: s() }, "DependencyCycle"),
            (
                ErrorKind::ResourceInCondition { target: s() },
                "ResourceInCondition",
            ),
            (
                ErrorKind::LimitExceeded {
                    what: s(),
                    count: 0,
                    limit: 0,
                    fix: s(),
                },
                "LimitExceeded",
            ),
            (
                ErrorKind::TemplateTooLarge {
                    bytes: 0,
                    limit: 0,
                    path: s(),
                    fix: s(),
                },
                "TemplateTooLarge",
            ),
            (ErrorKind::UnusedParameter { name: s() }, "UnusedParameter"),
            (ErrorKind::UnusedMapping { name: s() }, "UnusedMapping"),
            (ErrorKind::UnusedCondition { name: s() }, "UnusedCondition"),
            (
                ErrorKind::RedundantDependsOn {
                    target: s(),
                    via: s(),
                },
                "RedundantDependsOn",
            ),
            (
                ErrorKind::InvalidParameterDefault {
                    name: s(),
                    value: s(),
                    reason: s(),
                },
                "InvalidParameterDefault",
            ),
            (
                ErrorKind::UnknownParameter {
                    name: s(),
                    hint: Hint::None,
                    declared: vec![],
                },
                "UnknownParameter",
            ),
            (
                ErrorKind::InvalidParameterValue {
                    name: s(),
                    value: s(),
                    rule: s(),
                    reason: s(),
                    fix: s(),
                },
                "InvalidParameterValue",
            ),
            (
                ErrorKind::MissingParameterValue {
                    name: s(),
                    reason: s(),
                    fix: s(),
                },
                "MissingParameterValue",
            ),
            (
                ErrorKind::InvalidValue {
                    value: s(),
                    reason: s(),
                    hint: Hint::None,
                },
                "InvalidValue",
            ),
            (
                ErrorKind::DuplicateExport {
                    name: s(),
                    other: s(),
                },
                "DuplicateExport",
            ),
            (
                ErrorKind::Syntax {
                    format: "JSON",
                    message: s(),
                },
                "Syntax",
            ),
            (ErrorKind::DuplicateKey { key: s() }, "DuplicateKey"),
            (
                ErrorKind::UnknownIntrinsic {
                    name: s(),
                    hint: Hint::None,
                },
                "UnknownIntrinsic",
            ),
            (
                ErrorKind::WrongArguments {
                    function: s(),
                    expected: s(),
                    found: s(),
                },
                "WrongArguments",
            ),
            (
                ErrorKind::WrongType {
                    expected: s(),
                    found: s(),
                },
                "WrongType",
            ),
            (
                ErrorKind::UnknownKey {
                    key: s(),
                    hint: Hint::None,
                    allowed: vec![],
                },
                "UnknownKey",
            ),
            (ErrorKind::MissingKey { key: s(), fix: s() }, "MissingKey"),
            (
                ErrorKind::CrossProperty {
                    rule: s(),
                    type_name: s(),
                    message: s(),
                },
                "CrossProperty",
            ),
            (
                ErrorKind::ForeignHandle {
                    declared_in: s(),
                    used_in: s(),
                },
                "ForeignHandle",
            ),
            (
                ErrorKind::NoSuchResource {
                    id: s(),
                    hint: Hint::None,
                    declared: vec![],
                },
                "NoSuchResource",
            ),
            (
                ErrorKind::WrongResourceType {
                    id: s(),
                    expected: s(),
                    found: s(),
                },
                "WrongResourceType",
            ),
            (ErrorKind::Invalid { errors: vec![] }, "Invalid"),
        ];
        for (kind, code) in &cases {
            assert_eq!(kind.code(), *code, "{kind:?}");
        }
        let io = crate::Template::from_path("/nonexistent/cfnkit-code-test.yaml").unwrap_err();
        assert_eq!(io.kind().code(), "Io");
    }

    #[test]
    fn suggestions_are_data() {
        let k = ErrorKind::InvalidValue {
            value: "\"Strin\"".into(),
            reason: "not a parameter type; use String".into(),
            hint: Hint::did_you_mean("String"),
        };
        assert_eq!(k.suggestion(), Some("String"));
        assert_eq!(
            k.to_string(),
            "invalid value \"Strin\": not a parameter type (did you mean `String`?); use String"
        );
        let m = ErrorKind::DanglingMapping {
            what: "mapping `Size`".into(),
            hint: Hint::did_you_mean("Sizes"),
        };
        assert_eq!(m.suggestion(), Some("Sizes"));
        assert!(m
            .to_string()
            .contains("mapping `Size` (did you mean `Sizes`?), which"));
        // end to end: what validation and parsing report keeps the name meant
        let t = crate::Template::from_yaml(
            "Mappings:\n  Sizes: {a: {b: c}}\nResources:\n  T:\n    Type: AWS::SNS::Topic\n    DeletionPolicy: Retian\n    Properties:\n      DisplayName: !FindInMap [Size, a, b]\n",
        )
        .unwrap();
        let report = t.validate();
        let meant: Vec<(&str, Option<&str>)> = report
            .diagnostics
            .iter()
            .map(|d| (d.error.kind().code(), d.error.kind().suggestion()))
            .filter(|(_, s)| s.is_some())
            .collect();
        assert_eq!(
            meant,
            [
                ("DanglingMapping", Some("Sizes")),
                ("InvalidValue", Some("Retain"))
            ],
            "{report}"
        );
        let e = crate::Template::from_yaml(
            "Parameters:\n  P: {Type: Strin}\nResources:\n  T: {Type: AWS::SNS::Topic}\n",
        )
        .unwrap_err();
        assert_eq!(e.kind().suggestion(), Some("String"), "{e}");
        let none = ErrorKind::MissingKey {
            key: "Type".into(),
            fix: "add it".into(),
        };
        assert_eq!(none.suggestion(), None);
        assert!(none.hint().is_none());
    }
}

//! The stable code of each error kind.

use super::ErrorKind;

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
}

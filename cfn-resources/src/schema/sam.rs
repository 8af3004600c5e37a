//! SAM (`AWS::Serverless-2016-10-31`) resource types: which `AWS::Serverless::*`
//! types exist. They are not registry types: AWS expands them into registry
//! resources (a function into `AWS::Lambda::Function` plus its role,
//! version, alias, event sources, ...) when the stack is created, so only
//! the expanded template can be checked in full.

/// The resource types SAM's transform defines (aws-sam-translator 1.110.0).
pub const SAM_TYPES: &[&str] = &[
    "AWS::Serverless::Api",
    "AWS::Serverless::Application",
    "AWS::Serverless::CapacityProvider",
    "AWS::Serverless::Connector",
    "AWS::Serverless::Function",
    "AWS::Serverless::GraphQLApi",
    "AWS::Serverless::HttpApi",
    "AWS::Serverless::LayerVersion",
    "AWS::Serverless::SimpleTable",
    "AWS::Serverless::StateMachine",
];

/// Whether `type_name` is a SAM resource type.
///
/// ```
/// assert!(cfn_resources::schema::is_sam_type("AWS::Serverless::Function"));
/// assert!(!cfn_resources::schema::is_sam_type("AWS::Lambda::Function"));
/// ```
pub fn is_sam_type(type_name: &str) -> bool {
    SAM_TYPES.contains(&type_name)
}

//! Cross-property rules: combinations of properties that each fit the
//! registry schema but that CloudFormation or the service rejects together,
//! for the services the patterns use. Part of [`crate::verdict::check`], so
//! `validate`, `synth` and `deploy` all run them.
//!
//! Only literal values are judged: a property given by an intrinsic (a
//! parameter, `Fn::If`) is assumed right, so a rule never raises a false
//! alarm on a value it cannot see.
//!
//! | rule | type | what it catches |
//! |---|---|---|
//! | XPROP001 | `AWS::DynamoDB::Table`, `GlobalTable` | a key-schema attribute (table or index) missing from `AttributeDefinitions`, or a definition no key schema uses (cfn-lint E3039) |
//! | XPROP002 | `AWS::DynamoDB::Table` | `BillingMode: PAY_PER_REQUEST` with `ProvisionedThroughput`, or provisioned billing without it |
//! | XPROP003 | `AWS::RDS::DBInstance` | `MultiAZ: true` with an `AvailabilityZone` |
//! | XPROP004 | `AWS::RDS::DBInstance` | a `KmsKeyId` without `StorageEncrypted: true` |
//! | XPROP005 | `AWS::Lambda::Function` | an environment variable Lambda reserves (`AWS_REGION`, `_HANDLER`, ...) |
//! | XPROP006 | `AWS::Lambda::Function` | inline code (`Code.ZipFile`) with a runtime other than Node.js or Python |
//! | XPROP007 | `AWS::ApiGatewayV2::Integration` | an integration type other than `MOCK` without `IntegrationUri` |
//! | XPROP008 | `AWS::ApiGatewayV2::Route` | a `Target` that is not `integrations/{IntegrationId}` (a bare `Ref` to the integration) |
//! | XPROP009 | `AWS::SQS::Queue` | `FifoQueue: true` with a `QueueName` not ending in `.fifo`, the reverse, or `ContentBasedDeduplication` on a standard queue |
//! | XPROP010 | `AWS::ApiGatewayV2::Api` | a `ProtocolType` other than `HTTP` or `WEBSOCKET` |
//! | XPROP011 | API Gateway v2, Lambda, RDS, Logs | a `Ref`/`Fn::GetAtt` of the wrong resource type or the wrong form (a role's name where its ARN belongs, a VPC among subnet ids, a queue's URL where its ARN belongs, a key id where a key ARN belongs): see [`REFERENCES`] |
//!
//! ```
//! use cfn_core::Template;
//! let t = Template::from_yaml("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: {FifoQueue: true, QueueName: jobs}\n").unwrap();
//! let d = cfn_tools::cross::check(&t);
//! assert!(d[0].to_string().contains("must end in `.fifo`"), "{}", d[0]);
//! ```

use cfn_core::{Diagnostic, Error, ErrorKind, Expr, ExprMap, Severity, Template};

mod references;
mod rules;

use references::reference_targets;
pub use references::{Yields, REFERENCES};
use rules::*;

/// One rule: its id, the resource types it applies to, and its check.
struct Rule {
    id: &'static str,
    types: &'static [&'static str],
    check: fn(&Template, &str, &ExprMap, &mut Vec<(String, String)>),
}

/// Every rule, in id order.
const RULES: &[Rule] = &[
    Rule {
        id: "XPROP001",
        types: &["AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"],
        check: dynamodb_keys,
    },
    Rule {
        id: "XPROP002",
        types: &["AWS::DynamoDB::Table"],
        check: dynamodb_billing,
    },
    Rule {
        id: "XPROP003",
        types: &["AWS::RDS::DBInstance"],
        check: rds_multi_az,
    },
    Rule {
        id: "XPROP004",
        types: &["AWS::RDS::DBInstance"],
        check: rds_kms_key,
    },
    Rule {
        id: "XPROP005",
        types: &["AWS::Lambda::Function"],
        check: lambda_reserved_env,
    },
    Rule {
        id: "XPROP006",
        types: &["AWS::Lambda::Function"],
        check: lambda_inline_code,
    },
    Rule {
        id: "XPROP007",
        types: &["AWS::ApiGatewayV2::Integration"],
        check: apigw_integration_uri,
    },
    Rule {
        id: "XPROP008",
        types: &["AWS::ApiGatewayV2::Route"],
        check: apigw_route_target,
    },
    Rule {
        id: "XPROP009",
        types: &["AWS::SQS::Queue"],
        check: sqs_fifo,
    },
    Rule {
        id: "XPROP010",
        types: &["AWS::ApiGatewayV2::Api"],
        check: apigw_protocol,
    },
    Rule {
        id: "XPROP011",
        types: &[
            "AWS::ApiGatewayV2::Integration",
            "AWS::ApiGatewayV2::Route",
            "AWS::ApiGatewayV2::Stage",
            "AWS::Lambda::Function",
            "AWS::Lambda::Permission",
            "AWS::Lambda::EventSourceMapping",
            "AWS::RDS::DBSubnetGroup",
            "AWS::RDS::DBInstance",
            "AWS::Logs::LogGroup",
        ],
        check: reference_targets,
    },
];

/// The ids of every rule, in order (for docs and tests).
pub fn rule_ids() -> Vec<&'static str> {
    RULES.iter().map(|r| r.id).collect()
}

/// Runs every rule on every resource; each finding is an error whose path
/// is the property at fault.
pub fn check(t: &Template) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (id, resource) in &t.resources {
        let Some(props) = &resource.properties else {
            continue;
        };
        for rule in RULES
            .iter()
            .filter(|r| r.types.contains(&resource.type_name.as_str()))
        {
            let mut found = Vec::new();
            (rule.check)(t, &resource.type_name, props, &mut found);
            for (property, message) in found {
                out.push(Diagnostic {
                    severity: Severity::Error,
                    error: Error::at(
                        format!("Resources/{id}/Properties/{property}"),
                        ErrorKind::CrossProperty {
                            rule: rule.id.to_owned(),
                            type_name: resource.type_name.clone(),
                            message,
                        },
                    ),
                });
            }
        }
    }
    out
}

fn literal_str<'a>(p: &'a ExprMap, key: &str) -> Option<&'a str> {
    p.get(key).and_then(Expr::as_str)
}

fn literal_bool(p: &ExprMap, key: &str) -> Option<bool> {
    match p.get(key)? {
        Expr::Bool(b) => Some(*b),
        Expr::String(s) if s == "true" => Some(true),
        Expr::String(s) if s == "false" => Some(false),
        _ => None,
    }
}

fn map<'a>(p: &'a ExprMap, key: &str) -> Option<&'a ExprMap> {
    match p.get(key)? {
        Expr::Map(m) => Some(m),
        _ => None,
    }
}

fn list<'a>(p: &'a ExprMap, key: &str) -> Option<&'a [Expr]> {
    match p.get(key)? {
        Expr::List(l) => Some(l),
        _ => None,
    }
}

fn maps(items: &[Expr]) -> impl Iterator<Item = &ExprMap> {
    items.iter().filter_map(|e| match e {
        Expr::Map(m) => Some(m),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn findings(yaml: &str) -> Vec<String> {
        check(&Template::from_yaml(yaml).unwrap())
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn rules_are_in_order_and_unique() {
        let ids = rule_ids();
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(ids, sorted);
    }

    #[test]
    fn a_key_schema_given_by_an_intrinsic_leaves_definitions_unjudged() {
        let f = findings(
            "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]\n      KeySchema: {'Fn::Transform': {Name: 'AWS::Include', Parameters: {Location: x}}}\n",
        );
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn intrinsics_are_not_judged() {
        let f = findings(
            "Parameters: {Fifo: {Type: String}}\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: {FifoQueue: !Ref Fifo, QueueName: jobs.fifo, ContentBasedDeduplication: true}\n",
        );
        assert!(f.is_empty(), "{f:?}");
    }
}

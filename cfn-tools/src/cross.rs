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

use cfn_core::{Diagnostic, Error, ErrorKind, Expr, ExprMap, Intrinsic, Severity, Template};

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

/// What a reference must yield: `Ref` of one of these types, or
/// `Fn::GetAtt` of `type.attribute`.
#[derive(Debug, Clone, Copy)]
pub enum Yields {
    /// `Ref` to a resource of this type.
    Ref(&'static str),
    /// `Fn::GetAtt` of this type's attribute.
    GetAtt(&'static str, &'static str),
}

/// XPROP011's table: (resource type, property, whether it is a list, what
/// a reference in it must yield). A `Ref` or `Fn::GetAtt` of another
/// resource of the template that yields none of these is an error;
/// literals, parameters and other intrinsics are not judged. Each entry
/// follows the property's documentation (what CloudFormation accepts).
pub const REFERENCES: &[(&str, &str, bool, &[Yields])] = &[
    // "The API identifier."
    (
        "AWS::ApiGatewayV2::Integration",
        "ApiId",
        false,
        &[Yields::Ref("AWS::ApiGatewayV2::Api")],
    ),
    (
        "AWS::ApiGatewayV2::Route",
        "ApiId",
        false,
        &[Yields::Ref("AWS::ApiGatewayV2::Api")],
    ),
    (
        "AWS::ApiGatewayV2::Stage",
        "ApiId",
        false,
        &[Yields::Ref("AWS::ApiGatewayV2::Api")],
    ),
    // "The ARN of the function's execution role."
    (
        "AWS::Lambda::Function",
        "Role",
        false,
        &[Yields::GetAtt("AWS::IAM::Role", "Arn")],
    ),
    // "The name or ARN of the Lambda function, version, or alias."
    (
        "AWS::Lambda::Permission",
        "FunctionName",
        false,
        &[
            Yields::Ref("AWS::Lambda::Function"),
            Yields::GetAtt("AWS::Lambda::Function", "Arn"),
            Yields::Ref("AWS::Lambda::Alias"),
            Yields::Ref("AWS::Lambda::Version"),
        ],
    ),
    (
        "AWS::Lambda::EventSourceMapping",
        "FunctionName",
        false,
        &[
            Yields::Ref("AWS::Lambda::Function"),
            Yields::GetAtt("AWS::Lambda::Function", "Arn"),
            Yields::Ref("AWS::Lambda::Alias"),
            Yields::Ref("AWS::Lambda::Version"),
        ],
    ),
    // "The Amazon Resource Name (ARN) of the event source."
    (
        "AWS::Lambda::EventSourceMapping",
        "EventSourceArn",
        false,
        &[
            Yields::GetAtt("AWS::SQS::Queue", "Arn"),
            Yields::GetAtt("AWS::DynamoDB::Table", "StreamArn"),
            Yields::GetAtt("AWS::Kinesis::Stream", "Arn"),
            Yields::GetAtt("AWS::Kinesis::StreamConsumer", "ConsumerARN"),
            Yields::GetAtt("AWS::MSK::Cluster", "Arn"),
            Yields::Ref("AWS::MSK::Cluster"),
            Yields::GetAtt("AWS::DocDB::DBCluster", "Arn"),
            Yields::Ref("AWS::AmazonMQ::Broker"),
            Yields::GetAtt("AWS::AmazonMQ::Broker", "Arn"),
        ],
    ),
    // "The EC2 Subnet IDs for the DB subnet group."
    (
        "AWS::RDS::DBSubnetGroup",
        "SubnetIds",
        true,
        &[
            Yields::Ref("AWS::EC2::Subnet"),
            Yields::GetAtt("AWS::EC2::Subnet", "SubnetId"),
        ],
    ),
    // "A list of the VPC security group IDs to assign to the DB instance."
    (
        "AWS::RDS::DBInstance",
        "VPCSecurityGroups",
        true,
        &[
            Yields::GetAtt("AWS::EC2::SecurityGroup", "GroupId"),
            Yields::Ref("AWS::EC2::SecurityGroup"),
        ],
    ),
    // "The Amazon Resource Name (ARN) of the KMS key" (pattern `^arn:...`)
    (
        "AWS::Logs::LogGroup",
        "KmsKeyId",
        false,
        &[Yields::GetAtt("AWS::KMS::Key", "Arn")],
    ),
];

/// XPROP010: an API's protocol.
fn apigw_protocol(_: &Template, _: &str, p: &ExprMap, out: &mut Vec<(String, String)>) {
    if let Some(kind) = literal_str(p, "ProtocolType") {
        if kind != "HTTP" && kind != "WEBSOCKET" {
            out.push((
                "ProtocolType".into(),
                format!("protocol type `{kind}` is not one of HTTP, WEBSOCKET (HTTPS is a property of the endpoint, not a protocol type)"),
            ));
        }
    }
}

/// What a `Ref` or `Fn::GetAtt` to a resource of `t` yields, as
/// (type, attribute): `None` for other expressions.
fn yields<'a>(t: &'a Template, e: &'a Expr) -> Option<(&'a str, &'a str, Option<&'a str>)> {
    match e.as_intrinsic()? {
        Intrinsic::Ref(id) => {
            let r = t.resources.get(id.as_str())?;
            Some((id.as_str(), r.type_name.as_str(), None))
        }
        Intrinsic::GetAtt {
            resource,
            attribute,
        } => {
            let r = t.resources.get(resource.as_str())?;
            Some((resource.as_str(), r.type_name.as_str(), attribute.as_str()))
        }
        _ => None,
    }
}

/// XPROP011: references of the right resource type and form.
fn reference_targets(t: &Template, type_name: &str, p: &ExprMap, out: &mut Vec<(String, String)>) {
    for (ty, property, is_list, allowed) in REFERENCES {
        if *ty != type_name {
            continue;
        }
        let Some(value) = p.get(*property) else {
            continue;
        };
        let items: Vec<(String, &Expr)> = match (is_list, value) {
            (true, Expr::List(l)) => l
                .iter()
                .enumerate()
                .map(|(i, e)| (format!("{property}/{i}"), e))
                .collect(),
            (true, _) => continue,
            (false, e) => vec![((*property).to_owned(), e)],
        };
        for (path, e) in items {
            let Some((id, target_type, attribute)) = yields(t, e) else {
                continue;
            };
            let fits = allowed.iter().any(|y| match (y, attribute) {
                (Yields::Ref(ty), None) => *ty == target_type,
                (Yields::GetAtt(ty, a), Some(attr)) => *ty == target_type && *a == attr,
                _ => false,
            });
            if !fits {
                let got = match attribute {
                    None => format!("`Ref` of `{id}` ({target_type})"),
                    Some(a) => format!("`Fn::GetAtt` of `{id}.{a}` ({target_type})"),
                };
                let want: Vec<String> = allowed
                    .iter()
                    .map(|y| match y {
                        Yields::Ref(ty) => format!("`Ref` of an {ty}"),
                        Yields::GetAtt(ty, a) => format!("`Fn::GetAtt` {a} of an {ty}"),
                    })
                    .collect();
                out.push((
                    path,
                    format!(
                        "{got} does not give what `{property}` takes; it takes {}",
                        want.join(" or ")
                    ),
                ));
            }
        }
    }
}

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

/// XPROP001: key schemas and attribute definitions agree (E3039).
fn dynamodb_keys(_: &Template, _: &str, p: &ExprMap, out: &mut Vec<(String, String)>) {
    let Some(defs) = list(p, "AttributeDefinitions") else {
        return;
    };
    if !defs
        .iter()
        .all(|d| matches!(d, Expr::Map(m) if literal_str(m, "AttributeName").is_some()))
    {
        return; // an intrinsic inside: not judged
    }
    let defined: Vec<&str> = maps(defs)
        .filter_map(|d| literal_str(d, "AttributeName"))
        .collect();
    let mut used: Vec<&str> = Vec::new();
    let mut schemas: Vec<(String, &[Expr])> = Vec::new();
    // every key schema seen in full: otherwise "defined but unused" is not judged
    let mut complete = true;
    match p.get("KeySchema") {
        Some(Expr::List(k)) => schemas.push(("KeySchema".into(), k)),
        Some(_) => complete = false,
        None => {}
    }
    for index_kind in ["GlobalSecondaryIndexes", "LocalSecondaryIndexes"] {
        match p.get(index_kind) {
            Some(Expr::List(indexes)) => {
                for (i, index) in indexes.iter().enumerate() {
                    match index {
                        Expr::Map(m) => match m.get("KeySchema") {
                            Some(Expr::List(k)) => {
                                schemas.push((format!("{index_kind}/{i}/KeySchema"), k))
                            }
                            Some(_) => complete = false,
                            None => {}
                        },
                        _ => complete = false,
                    }
                }
            }
            Some(_) => complete = false,
            None => {}
        }
    }
    complete &= schemas.iter().all(|(_, k)| {
        k.iter()
            .all(|key| matches!(key, Expr::Map(m) if literal_str(m, "AttributeName").is_some()))
    });
    for (path, schema) in schemas {
        for (i, key) in maps(schema).enumerate() {
            let Some(name) = literal_str(key, "AttributeName") else {
                continue;
            };
            used.push(name);
            if !defined.contains(&name) {
                out.push((
                    format!("{path}/{i}/AttributeName"),
                    format!(
                        "key attribute `{name}` is not in AttributeDefinitions (defined: {}); add `{{AttributeName: {name}, AttributeType: S|N|B}}` to AttributeDefinitions or correct the name",
                        defined.join(", ")
                    ),
                ));
            }
        }
    }
    for (i, name) in defined.iter().enumerate() {
        if complete && !used.contains(name) {
            out.push((
                format!("AttributeDefinitions/{i}"),
                format!("attribute `{name}` is defined but no key schema (table or index) uses it; DynamoDB rejects unused definitions: remove it or use it in a key schema"),
            ));
        }
    }
}

/// XPROP002: billing mode and provisioned throughput agree.
fn dynamodb_billing(_: &Template, _: &str, p: &ExprMap, out: &mut Vec<(String, String)>) {
    let mode = match p.get("BillingMode") {
        None => "PROVISIONED",
        Some(e) => match e.as_str() {
            Some(m) => m,
            None => return,
        },
    };
    let has = p.contains_key("ProvisionedThroughput");
    if mode == "PAY_PER_REQUEST" && has {
        out.push((
            "ProvisionedThroughput".into(),
            "`ProvisionedThroughput` with `BillingMode: PAY_PER_REQUEST`; remove the throughput or switch to PROVISIONED".into(),
        ));
    } else if mode == "PROVISIONED" && !has {
        out.push((
            "BillingMode".into(),
            "provisioned billing (the default) needs `ProvisionedThroughput`; set `BillingMode: PAY_PER_REQUEST` or give read and write capacity".into(),
        ));
    }
}

/// XPROP003: a Multi-AZ instance has no single Availability Zone.
fn rds_multi_az(_: &Template, _: &str, p: &ExprMap, out: &mut Vec<(String, String)>) {
    if literal_bool(p, "MultiAZ") == Some(true) && p.contains_key("AvailabilityZone") {
        out.push((
            "AvailabilityZone".into(),
            "`AvailabilityZone` with `MultiAZ: true`; RDS places a Multi-AZ instance itself: remove the zone".into(),
        ));
    }
}

/// XPROP004: a KMS key only with storage encryption.
fn rds_kms_key(_: &Template, _: &str, p: &ExprMap, out: &mut Vec<(String, String)>) {
    if p.contains_key("KmsKeyId")
        && !p.contains_key("SourceDBInstanceIdentifier")
        && !p.contains_key("DBClusterIdentifier")
        && literal_bool(p, "StorageEncrypted") != Some(true)
        && !matches!(p.get("StorageEncrypted"), Some(e) if !e.is_literal())
    {
        out.push((
            "KmsKeyId".into(),
            "`KmsKeyId` without `StorageEncrypted: true`; set `StorageEncrypted: true` or remove the key".into(),
        ));
    }
}

/// The environment variable names Lambda reserves.
const LAMBDA_RESERVED_ENV: &[&str] = &[
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_DEFAULT_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_LAMBDA_RUNTIME_API",
    "AWS_REGION",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "LAMBDA_RUNTIME_DIR",
    "LAMBDA_TASK_ROOT",
];

/// XPROP005: no reserved environment variable.
fn lambda_reserved_env(_: &Template, _: &str, p: &ExprMap, out: &mut Vec<(String, String)>) {
    let Some(vars) = map(p, "Environment").and_then(|e| map(e, "Variables")) else {
        return;
    };
    for name in vars.keys() {
        if LAMBDA_RESERVED_ENV.contains(&name.as_str()) {
            out.push((
                format!("Environment/Variables/{name}"),
                format!("`{name}` is reserved by Lambda, which sets it itself; rename the variable (the runtime already provides `{name}`)"),
            ));
        }
    }
}

/// XPROP006: inline code only for Node.js and Python.
fn lambda_inline_code(_: &Template, _: &str, p: &ExprMap, out: &mut Vec<(String, String)>) {
    let inline = map(p, "Code").is_some_and(|c| c.contains_key("ZipFile"));
    match literal_str(p, "Runtime") {
        Some(rt) if inline && !(rt.starts_with("nodejs") || rt.starts_with("python")) => {
            out.push((
                "Code/ZipFile".into(),
                format!("inline code (`ZipFile`) with runtime `{rt}`; only Node.js and Python runtimes take inline code: upload a package (`S3Bucket`/`S3Key`) or an image"),
            ))
        }
        _ => {}
    }
}

/// XPROP007: every integration but `MOCK` has a URI.
fn apigw_integration_uri(_: &Template, _: &str, p: &ExprMap, out: &mut Vec<(String, String)>) {
    if let Some(kind) = literal_str(p, "IntegrationType") {
        if kind != "MOCK" && !p.contains_key("IntegrationUri") {
            out.push((
                "IntegrationUri".into(),
                format!("integration type `{kind}` needs `IntegrationUri` (a Lambda function's ARN for AWS_PROXY, a URL or listener ARN for HTTP_PROXY)"),
            ));
        }
    }
}

/// XPROP008: a route's target is `integrations/{IntegrationId}`.
fn apigw_route_target(t: &Template, _: &str, p: &ExprMap, out: &mut Vec<(String, String)>) {
    let Some(target) = p.get("Target") else {
        return;
    };
    let problem = match target {
        Expr::String(s) if !s.starts_with("integrations/") => Some(format!("`{s}`")),
        Expr::Fn(f) => match &**f {
            Intrinsic::Ref(id)
                if t.resources.get(id.as_str()).map(|r| r.type_name.as_str())
                    == Some("AWS::ApiGatewayV2::Integration") =>
            {
                Some(format!("a bare `Ref` to integration `{id}`"))
            }
            _ => None,
        },
        _ => None,
    };
    if let Some(what) = problem {
        out.push((
            "Target".into(),
            format!("`Target` is {what}, but a route targets `integrations/{{IntegrationId}}`; write `Fn::Join: [\"/\", [integrations, !Ref Integration]]` (in Rust: `fns::join(\"/\", vec![\"integrations\".into(), integration.reference().into()])`)"),
        ));
    }
}

/// XPROP009: FIFO queues and their names agree.
fn sqs_fifo(_: &Template, _: &str, p: &ExprMap, out: &mut Vec<(String, String)>) {
    let fifo = literal_bool(p, "FifoQueue");
    let fifo_unknown = p.get("FifoQueue").is_some_and(|e| !e.is_literal());
    if let Some(name) = literal_str(p, "QueueName") {
        if fifo == Some(true) && !name.ends_with(".fifo") {
            out.push((
                "QueueName".into(),
                format!("the name of a FIFO queue must end in `.fifo`: `{name}.fifo`"),
            ));
        } else if fifo != Some(true) && !fifo_unknown && name.ends_with(".fifo") {
            out.push((
                "FifoQueue".into(),
                format!("queue `{name}` is named like a FIFO queue but `FifoQueue` is not true; set `FifoQueue: true` or drop the `.fifo` suffix"),
            ));
        }
    }
    if literal_bool(p, "ContentBasedDeduplication") == Some(true)
        && fifo != Some(true)
        && !fifo_unknown
    {
        out.push((
            "ContentBasedDeduplication".into(),
            "`ContentBasedDeduplication` applies to FIFO queues only; set `FifoQueue: true` or remove it".into(),
        ));
    }
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

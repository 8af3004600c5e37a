//! The checks of rules XPROP001-010, by service: DynamoDB, RDS, Lambda,
//! API Gateway v2, SQS. Each reads literal values only.

use super::{list, literal_bool, literal_str, map, maps};
use cfn_core::{Expr, ExprMap, Intrinsic, Template};

/// XPROP010: an API's protocol.
pub(super) fn apigw_protocol(_: &Template, _: &str, p: &ExprMap, out: &mut Vec<(String, String)>) {
    if let Some(kind) = literal_str(p, "ProtocolType") {
        if kind != "HTTP" && kind != "WEBSOCKET" {
            out.push((
                "ProtocolType".into(),
                format!("protocol type `{kind}` is not one of HTTP, WEBSOCKET (HTTPS is a property of the endpoint, not a protocol type)"),
            ));
        }
    }
}

/// XPROP001: key schemas and attribute definitions agree (E3039).
pub(super) fn dynamodb_keys(_: &Template, _: &str, p: &ExprMap, out: &mut Vec<(String, String)>) {
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
pub(super) fn dynamodb_billing(
    _: &Template,
    _: &str,
    p: &ExprMap,
    out: &mut Vec<(String, String)>,
) {
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
pub(super) fn rds_multi_az(_: &Template, _: &str, p: &ExprMap, out: &mut Vec<(String, String)>) {
    if literal_bool(p, "MultiAZ") == Some(true) && p.contains_key("AvailabilityZone") {
        out.push((
            "AvailabilityZone".into(),
            "`AvailabilityZone` with `MultiAZ: true`; RDS places a Multi-AZ instance itself: remove the zone".into(),
        ));
    }
}

/// XPROP004: a KMS key only with storage encryption.
pub(super) fn rds_kms_key(_: &Template, _: &str, p: &ExprMap, out: &mut Vec<(String, String)>) {
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
pub(super) fn lambda_reserved_env(
    _: &Template,
    _: &str,
    p: &ExprMap,
    out: &mut Vec<(String, String)>,
) {
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
pub(super) fn lambda_inline_code(
    _: &Template,
    _: &str,
    p: &ExprMap,
    out: &mut Vec<(String, String)>,
) {
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
pub(super) fn apigw_integration_uri(
    _: &Template,
    _: &str,
    p: &ExprMap,
    out: &mut Vec<(String, String)>,
) {
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
pub(super) fn apigw_route_target(
    t: &Template,
    _: &str,
    p: &ExprMap,
    out: &mut Vec<(String, String)>,
) {
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
pub(super) fn sqs_fifo(_: &Template, _: &str, p: &ExprMap, out: &mut Vec<(String, String)>) {
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

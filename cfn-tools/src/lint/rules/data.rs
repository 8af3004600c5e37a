//! Data-service rules: databases, tables, queues, topics, and secrets
//! written into the template.

use super::helpers::*;
use super::{Report, Rule};
use cfn_core::{Expr, Intrinsic, Resource, Template};

/// RDS instances that are not members of a cluster, and clusters: the
/// resources that carry their own storage settings.
fn databases(t: &Template) -> impl Iterator<Item = (&str, &Resource)> {
    of_type(t, &["AWS::RDS::DBInstance", "AWS::RDS::DBCluster"]).filter(|(_, r)| {
        !(r.type_name == "AWS::RDS::DBInstance" && prop(r, "DBClusterIdentifier").is_some())
    })
}

pub(super) const RDS001: Rule = rule!("RDS001", Medium, "database storage not encrypted",
    "unencrypted storage, snapshots and replicas expose data at rest, and encryption cannot be turned on without replacing the database",
    "set StorageEncrypted: true (and KmsKeyId)",
    |t, report| {
        for (id, r) in databases(t) {
            if prop(r, "EngineMode").and_then(lit_str) == Some("serverless") {
                continue; // Aurora Serverless v1 is always encrypted
            }
            if !true_or_unknown(prop(r, "StorageEncrypted")) {
                report(id, format!("Resources/{id}/Properties/StorageEncrypted"), "storage is not encrypted".into());
            }
        }
    });

pub(super) const RDS002: Rule = rule!("RDS002", High, "database publicly accessible",
    "PubliclyAccessible gives the database a public address: one security-group rule away from the internet, and its endpoint resolves publicly",
    "set PubliclyAccessible: false and reach the database from inside the VPC (a bastion, Session Manager, or the application tier)",
    |t, report| {
        for (id, r) in of_type(t, &["AWS::RDS::DBInstance", "AWS::RDS::DBCluster"]) {
            if prop(r, "PubliclyAccessible").and_then(lit_bool) == Some(true) {
                report(id, format!("Resources/{id}/Properties/PubliclyAccessible"), "PubliclyAccessible is true".into());
            }
        }
    });

pub(super) const RDS003: Rule = rule!("RDS003", Low, "database without deletion protection",
    "DeletionProtection refuses a delete from the console, the API or another stack; DeletionPolicy only covers this stack",
    "set DeletionProtection: true (cfn_patterns' PostgresDatabase does unless told otherwise)",
    |t, report| {
        for (id, r) in databases(t) {
            if !true_or_unknown(prop(r, "DeletionProtection")) {
                report(id, format!("Resources/{id}/Properties/DeletionProtection"), "DeletionProtection is not true".into());
            }
        }
    });

pub(super) const DDB001: Rule = rule!("DDB001", Low, "DynamoDB table not encrypted with a KMS key",
    "tables are always encrypted, by default with a key AWS owns; a KMS key puts access under a key policy and in CloudTrail",
    "set SSESpecification with SSEEnabled: true, SSEType KMS and KMSMasterKeyId",
    |t, report| {
        for (id, r) in of_type(t, &["AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"]) {
            if !true_or_unknown(prop(r, "SSESpecification/SSEEnabled")) {
                report(id, format!("Resources/{id}/Properties/SSESpecification"), "SSESpecification/SSEEnabled is not true".into());
            }
        }
    });

pub(super) const SNS001: Rule = rule!("SNS001", Medium, "SNS topic not encrypted",
    "topics are not encrypted by default: messages (alarm details, deployment results) sit unencrypted at rest",
    "set KmsMasterKeyId to a KMS key",
    |t, report| {
        for (id, r) in of_type(t, &["AWS::SNS::Topic"]) {
            if prop(r, "KmsMasterKeyId").is_none() {
                report(id, format!("Resources/{id}/Properties/KmsMasterKeyId"), "no KmsMasterKeyId".into());
            }
        }
    });

pub(super) const SQS001: Rule = rule!("SQS001", Medium, "SQS queue not encrypted",
    "queues are encrypted with SSE-SQS by default; turning it off leaves messages unencrypted at rest",
    "remove SqsManagedSseEnabled: false, or set KmsMasterKeyId",
    |t, report| {
        for (id, r) in of_type(t, &["AWS::SQS::Queue"]) {
            let off = prop(r, "SqsManagedSseEnabled").and_then(lit_bool) == Some(false);
            if prop(r, "KmsMasterKeyId").is_none() && off {
                report(id, format!("Resources/{id}/Properties/SqsManagedSseEnabled"), "server-side encryption is turned off".into());
            }
        }
    });

pub(super) const SEC001: Rule = rule!("SEC001", High, "password written into the template",
    "a literal password (or one passed through a parameter without NoEcho) is readable by anyone who can read the template, the stack's parameters or the repository",
    "use a dynamic reference ({{resolve:secretsmanager:...}}), let the service manage it (ManageMasterUserPassword: true), or pass it through a NoEcho parameter without a Default",
    sec001);

fn is_password_key(k: &str) -> bool {
    k.to_ascii_lowercase().ends_with("password") && !k.starts_with("Manage")
}

fn dynamic_reference(s: &str) -> bool {
    s.contains("{{resolve:secretsmanager:") || s.contains("{{resolve:ssm-secure:")
}

fn sec001(t: &Template, report: Report<'_>) {
    for (id, r) in &t.resources {
        let Some(props) = &r.properties else { continue };
        let mut stack: Vec<(String, &Expr)> = props.iter().map(|(k, v)| (k.clone(), v)).collect();
        while let Some((path, e)) = stack.pop() {
            let key = path.rsplit('/').next().unwrap_or(&path);
            if is_password_key(key) {
                if let Some(why) = password_problem(t, e) {
                    report(
                        id.as_str(),
                        format!("Resources/{id}/Properties/{path}"),
                        why,
                    );
                }
                continue;
            }
            match e {
                Expr::Map(m) => stack.extend(m.iter().map(|(k, v)| (format!("{path}/{k}"), v))),
                Expr::List(l) => stack.extend(
                    l.iter()
                        .enumerate()
                        .map(|(i, v)| (format!("{path}/{i}"), v)),
                ),
                _ => {}
            }
        }
    }
}

/// What is wrong with a password value, if anything.
fn password_problem(t: &Template, e: &Expr) -> Option<String> {
    match e {
        Expr::String(s) if !s.is_empty() && !dynamic_reference(s) => {
            Some("the password is a literal in the template".into())
        }
        Expr::Fn(f) => {
            match &**f {
                Intrinsic::Ref(p) => {
                    let param = t.parameters.get(p.as_str())?;
                    let no_echo = param.no_echo.as_ref().and_then(lit_bool) == Some(true);
                    if !no_echo {
                        Some(format!("parameter `{p}` is not NoEcho: its value shows in the console and the API"))
                    } else if param
                        .default
                        .as_ref()
                        .and_then(Expr::as_str)
                        .is_some_and(|d| !d.is_empty() && !dynamic_reference(d))
                    {
                        Some(format!("NoEcho parameter `{p}` has a literal Default: the password is in the template"))
                    } else {
                        None
                    }
                }
                _ => None,
            }
        }
        _ => None,
    }
}

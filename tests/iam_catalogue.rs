//! Every policy statement the patterns generate names real IAM actions (the
//! catalogue `cfn_resources::schema::iam`, from cfn-lint's Policies.json),
//! and identity statements that allow on `Resource: "*"` do so only with
//! actions that support no resource-level permissions (a Deny on `*`, like
//! the MFA statement's, narrows access and is not counted). Over the Raven stacks, the
//! serverless example, raven_with_database, three_tier and a doc-style
//! instance of each pattern with every grant.
//!
//! And every scoped `Resource` of an identity `Allow` is an ARN of a type
//! its actions support: each `Ref`, `Fn::GetAtt` and `Fn::Sub` is resolved
//! to an example value (the types' documented return values, written
//! here, independently of the patterns), and the ARN must match, for every
//! action of the statement, one of the catalogue's ARN formats of the
//! resource types that action supports.

#[allow(dead_code)]
#[path = "../examples/raven_with_database.rs"]
mod raven_with_database;
#[allow(dead_code)]
#[path = "../examples/serverless.rs"]
mod serverless;
#[allow(dead_code)]
#[path = "../examples/three_tier.rs"]
mod three_tier;

use cfn_core::{Expr, Intrinsic, Template};
use cfn_patterns::aurora::{AuroraPostgres, AuroraProps};
use cfn_patterns::database::{DatabaseProps, PostgresDatabase};
use cfn_patterns::dynamodb::{DynamoTable, KeyAttribute, TableProps};
use cfn_patterns::http_api::{HttpApi, HttpApiProps};
use cfn_patterns::iam::Statement;
use cfn_patterns::kms::{EncryptionKey, KeyProps, KeyUser};
use cfn_patterns::lambda::{Code, FunctionProps, LambdaFunction};
use cfn_patterns::network::{Network, NetworkProps};
use cfn_patterns::queue::{EncryptedQueue, QueueProps};
use cfn_patterns::secrets::{GeneratedSecret, SecretProps};
use cfn_patterns::storage::{EncryptedBucket, LogBucket};
use cfn_patterns::{alarms::AlarmTopic, Tags};
use cfn_resources::lambda::function::Runtime;
use cfn_resources::schema::iam;
use cfn_tools::policy::{documents, statements, PolicyKind};

/// Identity statements allowed on `Resource: "*"` although some action of
/// theirs could be scoped, with the reason. None so far.
const JUSTIFIED_WILDCARD_RESOURCES: &[(&str, &str)] = &[];

/// Each pattern as its doc example builds it, plus every grant to the
/// function's role.
fn patterns() -> Template {
    let (mut t, tags) = (Template::new(), Tags::new("shop", "dev"));
    let key = EncryptionKey::new(
        &mut t,
        "Key",
        KeyProps::new("shop", &tags).user(KeyUser::CloudWatchLogs),
    )
    .unwrap();
    let logs = LogBucket::new(&mut t, "Logs", 90, &tags).unwrap();
    let network = Network::new(
        &mut t,
        "",
        &NetworkProps::new("10.0.0.0/16", 2, &tags),
        &logs,
    )
    .unwrap();
    let code = Code::Inline("def handler(event, context):\n    return {}\n".into());
    let props = FunctionProps::new("api", Runtime::Python313, "index.handler", code, &tags)
        .env("STAGE", "dev")
        .dead_letter_queue(true);
    let f = LambdaFunction::new(&mut t, "Fn", &key, props).unwrap();
    let api = HttpApi::new(&mut t, "Api", &key, HttpApiProps::new("shop", &tags)).unwrap();
    api.route(&mut t, "GetItem", "GET /items/{id}", &f).unwrap();
    let table = DynamoTable::new(
        &mut t,
        "Orders",
        &key,
        TableProps::new("orders", KeyAttribute::string("customer"), &tags),
    )
    .unwrap();
    let queue = EncryptedQueue::new(&mut t, "Jobs", &key, QueueProps::new("jobs", &tags)).unwrap();
    let secret = GeneratedSecret::new(
        &mut t,
        "Token",
        &key,
        SecretProps::new("payment API token", &tags),
    )
    .unwrap();
    let bucket = EncryptedBucket::new(&mut t, "Assets", &key, &logs, &tags, "app").unwrap();
    let topic = AlarmTopic::new(&mut t, "Alarms", &key, &[], &tags).unwrap();
    let db = PostgresDatabase::new(
        &mut t,
        "Db",
        &network,
        &key,
        DatabaseProps::new("shop", &tags),
    )
    .unwrap();
    let cluster = AuroraPostgres::new(
        &mut t,
        "Cluster",
        &network,
        &key,
        AuroraProps::new("orders", &tags),
    )
    .unwrap();
    cluster.grant_master_secret_read(&mut t, &f).unwrap();
    table.grant_read_data(&mut t, &f).unwrap();
    table.grant_read_write(&mut t, &f).unwrap();
    key.grant_encrypt_decrypt(&mut t, &f).unwrap();
    key.grant_decrypt(&mut t, &f).unwrap();
    queue.grant_send(&mut t, &f).unwrap();
    queue.grant_consume(&mut t, &f).unwrap();
    secret.grant_read(&mut t, &f).unwrap();
    bucket.grant_read(&mut t, &f).unwrap();
    bucket.grant_read_write(&mut t, &f).unwrap();
    topic.grant_publish(&mut t, &f).unwrap();
    db.grant_master_secret_read(&mut t, &f).unwrap();
    t
}

fn stacks() -> Vec<(String, Template)> {
    let mut out = Vec::new();
    for env in raven_stack::environments().unwrap() {
        let s = raven_stack::build(&env).unwrap();
        out.push((s.name, s.template));
    }
    for s in raven_with_database::stacks().unwrap() {
        out.push((format!("{} with database", s.name), s.template));
    }
    for e in &serverless::ENVIRONMENTS {
        out.push((
            format!("serverless {}", e.name),
            serverless::build(e).unwrap(),
        ));
    }
    out.push(("three_tier".into(), three_tier::build().unwrap()));
    out.push(("patterns".into(), patterns()));
    out
}

fn literal_strings(e: Option<&Expr>) -> Vec<&str> {
    match e {
        Some(Expr::String(s)) => vec![s.as_str()],
        Some(Expr::List(v)) => v
            .iter()
            .filter_map(|x| match x {
                Expr::String(s) => Some(s.as_str()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn expand(a: &str) -> Vec<&'static iam::ActionFact> {
    if a.contains(['*', '?']) {
        iam::matching(a)
    } else {
        iam::action(a).into_iter().collect()
    }
}

#[test]
fn every_generated_action_is_in_the_catalogue_and_star_only_where_unscopable() {
    let mut unknown = Vec::new();
    let mut scopable_on_star = Vec::new();
    let mut checked = 0;
    let mut allowed_on_star = 0;
    for (name, t) in stacks() {
        for (id, r) in &t.resources {
            for (kind, path, doc) in documents(r) {
                for (i, s) in statements(doc) {
                    let at = format!("{name}: {id}/{path}/Statement/{i}");
                    let mut actions = literal_strings(s.get("Action"));
                    actions.extend(literal_strings(s.get("NotAction")));
                    for a in &actions {
                        checked += 1;
                        if *a != "*" && expand(a).is_empty() {
                            unknown.push(format!("{at}: {a}"));
                        }
                    }
                    // a Deny on `*` (the MFA statement's NotAction) narrows
                    // access: only what an Allow grants on `*` counts
                    let allow = literal_strings(s.get("Effect")) == ["Allow"];
                    let on_star = literal_strings(s.get("Resource")).contains(&"*");
                    if kind == PolicyKind::Identity && allow && on_star {
                        allowed_on_star += 1;
                        let sid = literal_strings(s.get("Sid")).join("");
                        let scopable: Vec<&str> = actions
                            .iter()
                            .copied()
                            .filter(|a| expand(a).iter().any(|f| f.supports_resource_level))
                            .collect();
                        if !scopable.is_empty()
                            && !JUSTIFIED_WILDCARD_RESOURCES.iter().any(|(s, _)| *s == sid)
                        {
                            scopable_on_star.push(format!("{at} ({sid}): {scopable:?}"));
                        }
                    }
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} actions checked");
    // the traced functions' X-Ray statements, at least
    assert!(allowed_on_star > 0);
    assert!(
        unknown.is_empty(),
        "not in the catalogue:\n{}",
        unknown.join("\n")
    );
    assert!(
        scopable_on_star.is_empty(),
        "Resource \"*\" with actions that can be scoped:\n{}",
        scopable_on_star.join("\n")
    );
}

/// What `Ref` (`attribute` None) and `Fn::GetAtt` return for the types the
/// policies name: examples in the documented shapes.
fn example(t: &Template, id: &str, attribute: Option<&str>) -> Option<String> {
    const ACCOUNT: &str = "us-east-1:123456789012";
    let ty = t.resources.get(id)?.type_name.as_str();
    Some(match (ty, attribute) {
        ("AWS::DynamoDB::Table", None) => "items-table".into(),
        ("AWS::DynamoDB::Table", Some("Arn")) => {
            format!("arn:aws:dynamodb:{ACCOUNT}:table/items-table")
        }
        ("AWS::KMS::Key", None | Some("KeyId")) => "1234abcd-12ab-34cd-56ef-1234567890ab".into(),
        ("AWS::KMS::Key", Some("Arn")) => {
            format!("arn:aws:kms:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab")
        }
        ("AWS::SQS::Queue", None | Some("QueueUrl")) => {
            "https://sqs.us-east-1.amazonaws.com/123456789012/jobs".into()
        }
        ("AWS::SQS::Queue", Some("Arn")) => format!("arn:aws:sqs:{ACCOUNT}:jobs"),
        ("AWS::SNS::Topic", None | Some("TopicArn")) => format!("arn:aws:sns:{ACCOUNT}:alerts"),
        ("AWS::SecretsManager::Secret", None | Some("Id")) => {
            format!("arn:aws:secretsmanager:{ACCOUNT}:secret:token-AbCdEf")
        }
        ("AWS::RDS::DBInstance" | "AWS::RDS::DBCluster", Some("MasterUserSecret.SecretArn")) => {
            format!("arn:aws:secretsmanager:{ACCOUNT}:secret:rds!db-0a1b2c3d-AbCdEf")
        }
        ("AWS::S3::Bucket", None) => "assets-bucket".into(),
        ("AWS::S3::Bucket", Some("Arn")) => "arn:aws:s3:::assets-bucket".into(),
        ("AWS::Logs::LogGroup", None) => "app-logs".into(),
        ("AWS::Logs::LogGroup", Some("Arn")) => {
            format!("arn:aws:logs:{ACCOUNT}:log-group:app-logs:*")
        }
        ("AWS::Lambda::Function", Some("Arn")) => {
            format!("arn:aws:lambda:{ACCOUNT}:function:items")
        }
        ("AWS::IAM::Role", Some("Arn")) => "arn:aws:iam::123456789012:role/app".into(),
        _ => return None,
    })
}

fn pseudo(name: &str) -> Option<&'static str> {
    Some(match name {
        "AWS::Partition" => "aws",
        "AWS::Region" => "us-east-1",
        "AWS::AccountId" => "123456789012",
        "AWS::URLSuffix" => "amazonaws.com",
        _ => return None,
    })
}

/// The example value of a Resource entry; `Err` names what could not be
/// resolved.
fn resolve(t: &Template, e: &Expr) -> Result<String, String> {
    let name = |n: &str| -> Result<String, String> {
        if let Some(p) = pseudo(n) {
            return Ok(p.to_owned());
        }
        let (id, attribute) = match n.split_once('.') {
            Some((id, a)) => (id, Some(a)),
            None => (n, None),
        };
        example(t, id, attribute).ok_or_else(|| format!("no example for {n}"))
    };
    match e {
        Expr::String(s) => Ok(s.clone()),
        Expr::Fn(f) => match f.as_ref() {
            Intrinsic::Ref(n) => name(n),
            Intrinsic::GetAtt {
                resource,
                attribute: Expr::String(a),
            } => name(&format!("{resource}.{a}")),
            Intrinsic::Sub {
                template,
                vars: None,
            } => {
                let mut out = String::new();
                let mut rest = template.as_str();
                while let Some(start) = rest.find("${") {
                    out.push_str(&rest[..start]);
                    let end = rest[start..]
                        .find('}')
                        .ok_or_else(|| format!("unclosed ${{ in {template}"))?;
                    out.push_str(&name(&rest[start + 2..start + end])?);
                    rest = &rest[start + end + 1..];
                }
                out.push_str(rest);
                Ok(out)
            }
            other => Err(format!("cannot resolve {other:?}")),
        },
        other => Err(format!("cannot resolve {other:?}")),
    }
}

fn entries(e: Option<&Expr>) -> Vec<&Expr> {
    match e {
        Some(Expr::List(v)) => v.iter().collect(),
        Some(e) => vec![e],
        None => Vec::new(),
    }
}

fn format_regex(format: &str) -> regex::Regex {
    let f = format
        .replace("${Partition}", "aws")
        .replace("${Region}", "us-east-1")
        .replace("${Account}", "123456789012");
    regex::Regex::new(&format!("^{f}$")).unwrap()
}

/// The scoped resources of `t`'s identity `Allow` statements that are not
/// ARNs of a type their actions support, and how many (action, ARN) pairs
/// were checked.
fn misscoped(name: &str, t: &Template) -> (Vec<String>, usize) {
    let mut problems = Vec::new();
    let mut checked = 0;
    for (id, r) in &t.resources {
        for (kind, path, doc) in documents(r) {
            if kind != PolicyKind::Identity {
                continue;
            }
            for (i, s) in statements(doc) {
                if literal_strings(s.get("Effect")) != ["Allow"] {
                    continue;
                }
                let at = format!("{name}: {id}/{path}/Statement/{i}");
                let actions = literal_strings(s.get("Action"));
                for resource in entries(s.get("Resource")) {
                    if resource == &Expr::String("*".into()) {
                        continue; // the other test
                    }
                    let arn = match resolve(t, resource) {
                        Ok(a) => a,
                        Err(why) => {
                            problems.push(format!("{at}: {why}"));
                            continue;
                        }
                    };
                    for a in &actions {
                        for fact in expand(a) {
                            checked += 1;
                            if !fact.supports_resource_level {
                                problems.push(format!(
                                    "{at}: {} supports no resource-level permissions, yet is scoped to {arn}",
                                    fact.name
                                ));
                            } else if !fact
                                .arn_formats
                                .iter()
                                .any(|f| format_regex(f).is_match(&arn))
                            {
                                problems.push(format!(
                                    "{at}: {arn} is not an ARN of {} ({}: {:?})",
                                    fact.resource_types.join(", "),
                                    fact.name,
                                    fact.arn_formats
                                ));
                            }
                        }
                    }
                }
            }
        }
    }
    (problems, checked)
}

#[test]
fn every_scoped_resource_is_an_arn_of_a_type_its_actions_support() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for (name, t) in stacks() {
        let (p, n) = misscoped(&name, &t);
        problems.extend(p);
        checked += n;
    }
    assert!(checked > 100, "only {checked} action and ARN pairs checked");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The check above finds a grant on the wrong resource, an unscopable
/// action scoped, and a reference it cannot resolve.
#[test]
fn the_scope_check_finds_wrong_resources() {
    let (mut t, tags) = (Template::new(), Tags::new("shop", "dev"));
    let key = EncryptionKey::new(&mut t, "Key", KeyProps::new("shop", &tags)).unwrap();
    let table = DynamoTable::new(
        &mut t,
        "Orders",
        &key,
        TableProps::new("orders", KeyAttribute::string("id"), &tags),
    )
    .unwrap();
    let role = t
        .add(
            "Worker",
            cfn_resources::iam::Role::new(
                cfn_patterns::iam::PolicyDocument::assume_role("lambda.amazonaws.com").to_json(),
            ),
        )
        .unwrap();
    let wrong = [
        Statement::allow()
            .action("sqs:SendMessage")
            .resource(table.arn()),
        Statement::allow()
            .action("xray:PutTraceSegments")
            .resource(table.arn()),
        Statement::allow()
            .action("dynamodb:GetItem")
            .resource(cfn_core::fns::sub("${Worker.RoleId}")),
    ];
    cfn_patterns::grants::grant(&mut t, &role, "wrong", wrong).unwrap();
    let (problems, _) = misscoped("wrong", &t);
    let text = problems.join("\n");
    assert_eq!(problems.len(), 3, "{text}");
    assert!(
        text.contains("table/items-table is not an ARN of queue"),
        "{text}"
    );
    assert!(
        text.contains("xray:puttracesegments supports no resource-level permissions"),
        "{text}"
    );
    assert!(text.contains("no example for Worker.RoleId"), "{text}");
}

//! Every policy statement the patterns generate names real IAM actions (the
//! catalogue `cfn_resources::schema::iam`, from cfn-lint's Policies.json),
//! and identity statements that allow on `Resource: "*"` do so only with
//! actions that support no resource-level permissions (a Deny on `*`, like
//! the MFA statement's, narrows access and is not counted). Over the Raven stacks, the
//! serverless example, raven_with_database, three_tier and a doc-style
//! instance of each pattern with every grant.

#[allow(dead_code)]
#[path = "../examples/raven_with_database.rs"]
mod raven_with_database;
#[allow(dead_code)]
#[path = "../examples/serverless.rs"]
mod serverless;
#[allow(dead_code)]
#[path = "../examples/three_tier.rs"]
mod three_tier;

use cfn_core::{Expr, Template};
use cfn_patterns::database::{DatabaseProps, PostgresDatabase};
use cfn_patterns::dynamodb::{DynamoTable, KeyAttribute, TableProps};
use cfn_patterns::http_api::{HttpApi, HttpApiProps};
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

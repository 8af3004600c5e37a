//! A serverless stack from the patterns: an HTTP API in front of a Lambda
//! function that reads and writes a DynamoDB table (encrypted with a KMS
//! key, point-in-time recovery, retained); the function's role can do only
//! that; its errors raise an alarm to an encrypted SNS topic; the API's URL
//! is an output. Two environments, dev and prod.
//!
//! `cargo run --example serverless` prints both templates;
//! `tests/serverless.rs` checks them (snapshots, cfn-lint, the lint rules,
//! the full verdict) and that the stack definition stays under 90 lines.

use cfn_core::{Format, Output, Result, Template};
use cfn_patterns::alarms::AlarmTopic;
use cfn_patterns::dynamodb::{DynamoTable, KeyAttribute, TableProps};
use cfn_patterns::http_api::{HttpApi, HttpApiProps};
use cfn_patterns::kms::{EncryptionKey, KeyProps, KeyUser};
use cfn_patterns::lambda::{Code, FunctionProps, LambdaFunction};
use cfn_patterns::Tags;
use cfn_resources::lambda::function::Runtime;

/// One environment's settings.
pub struct Env {
    /// `dev`, `prod`: the stack is `items-{name}`.
    pub name: &'static str,
    /// The function's memory, MB.
    pub memory_mb: i64,
    /// Days the function's logs are kept.
    pub log_retention_days: i64,
    /// Whether the table refuses deletion.
    pub deletion_protection: bool,
    /// Errors in 5 minutes that raise the alarm.
    pub error_threshold: f64,
    /// Who gets the alarms.
    pub alarm_emails: &'static [&'static str],
}

/// The environments, in deployment order.
pub const ENVIRONMENTS: [Env; 2] = [
    Env {
        name: "dev",
        memory_mb: 256,
        log_retention_days: 14,
        deletion_protection: false,
        error_threshold: 10.0,
        alarm_emails: &["dev-team@example.com"],
    },
    Env {
        name: "prod",
        memory_mb: 1024,
        log_retention_days: 365,
        deletion_protection: true,
        error_threshold: 1.0,
        alarm_emails: &["oncall@example.com", "dev-team@example.com"],
    },
];

/// The function's code, inline in the template.
pub const HANDLER: &str = include_str!("lambda/items.py");

// stack definition
/// The stack of one environment.
pub fn build(env: &Env) -> Result<Template> {
    let mut t = Template::new();
    t.set_description(format!(
        "items API ({}): HTTP API, Lambda, DynamoDB",
        env.name
    ));
    let tags = Tags::new(&format!("items-{}", env.name), env.name);

    let key_props = KeyProps::new(&format!("items-{}-data", env.name), &tags)
        .user(KeyUser::CloudWatchLogs)
        .user(KeyUser::Service("cloudwatch.amazonaws.com".into()));
    let key = EncryptionKey::new(&mut t, "DataKey", key_props)?;

    let table_props = TableProps::new("items", KeyAttribute::string("id"), &tags)
        .deletion_protection(env.deletion_protection);
    let table = DynamoTable::new(&mut t, "ItemsTable", &key, table_props)?;

    let code = Code::Inline(HANDLER.into());
    let function_props =
        FunctionProps::new("items", Runtime::Python313, "index.handler", code, &tags)
            .env("TABLE_NAME", table.name())
            .size(env.memory_mb, 10)
            .log_retention_days(env.log_retention_days);
    let function = LambdaFunction::new(&mut t, "ItemsFunction", &key, function_props)?;
    table.grant_read_write(&mut t, &function)?;

    let api = HttpApi::new(&mut t, "Api", &key, HttpApiProps::new("items", &tags))?;
    api.route(&mut t, "GetItem", "GET /items/{id}", &function)?;
    api.route(&mut t, "PutItem", "PUT /items/{id}", &function)?;

    let emails: Vec<String> = env.alarm_emails.iter().map(|e| e.to_string()).collect();
    let topic = AlarmTopic::new(&mut t, "AlertsTopic", &key, &emails, &tags)?;
    function.errors_alarm(
        &mut t,
        "ItemsFunctionErrorsAlarm",
        &topic,
        env.error_threshold,
    )?;

    t.add_output(
        "ApiUrl",
        Output::new(api.url()).description("the API's URL"),
    )?;
    Ok(t)
}
// end of stack definition

#[allow(dead_code)]
fn main() -> Result<()> {
    for env in &ENVIRONMENTS {
        println!("# items-{}", env.name);
        print!("{}", build(env)?.synth(Format::Json)?);
    }
    Ok(())
}

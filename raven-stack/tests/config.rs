//! The environment configuration: the checked-in schema is current, and a
//! bad file gives an error naming the file, the field and the fix.

use raven_stack::config::{schema_json, EnvConfig};

#[test]
fn checked_in_schema_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/config/schema.json");
    let generated = schema_json();
    if std::env::var("RAVEN_WRITE_SCHEMA").as_deref() == Ok("1") {
        std::fs::write(path, &generated).unwrap();
    }
    let checked_in = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "config/schema.json is stale: run `RAVEN_WRITE_SCHEMA=1 cargo test -p raven-stack --test config` and commit it"
    );
}

#[test]
fn every_checked_in_config_loads() {
    let envs = raven_stack::environments().unwrap();
    let names: Vec<&str> = envs.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["dev", "staging", "prod"]);
}

fn with(field: &str, value: serde_json::Value) -> String {
    let mut v: serde_json::Value = serde_json::from_str(raven_stack::CONFIG_FILES[0].1).unwrap();
    let mut cur = &mut v;
    let parts: Vec<&str> = field.split('.').collect();
    for p in &parts[..parts.len() - 1] {
        cur = &mut cur[*p];
    }
    if value.is_null() {
        cur.as_object_mut().unwrap().remove(parts[parts.len() - 1]);
    } else {
        cur[parts[parts.len() - 1]] = value;
    }
    serde_json::to_string_pretty(&v).unwrap()
}

#[test]
fn bad_configs_name_the_field_and_the_fix() {
    use serde_json::json;
    let cases = [
        ("az_count", json!(1)),
        ("az_count", json!("two")),
        ("vpc_cidr", json!("10.0.0.0/8")),
        ("vpc_cidr", json!("10.0.0.1/16")),
        ("web.min_size", json!(3)),
        ("web.desired_capacity", json!(9)),
        ("web.instance_type", json!("large")),
        ("backend.cpu_target", json!(150.0)),
        ("backend.port", json!(80)),
        ("nat", json!("double")),
        ("log_level", json!("verbose")),
        ("log_retention_days", json!(10)),
        ("notification_emails", json!([])),
        ("notification_emails", json!(["ops"])),
        ("certificate_arn", json!("arn:aws:iam::123456789012:role/x")),
        ("deployment.minimum_healthy_percent", json!(0)),
        ("name", json!("Prod")),
        ("web.colour", json!("blue")),
        ("database.instance_class", json!("large")),
        ("database.backup_retention_days", json!(0)),
        ("database.engine", json!("mysql")),
        ("alarms", serde_json::Value::Null),
    ];
    let mut out = String::new();
    for (field, value) in cases {
        let text = with(field, value.clone());
        let e = EnvConfig::from_json(&text, "dev.json").unwrap_err();
        out.push_str(&format!("{field} = {value}\n  {e}\n"));
    }
    let e = EnvConfig::from_json("{\"name\": \"dev\",,}", "dev.json").unwrap_err();
    out.push_str(&format!("malformed\n  {e}\n"));
    insta::assert_snapshot!(out);
}

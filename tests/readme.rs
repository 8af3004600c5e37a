//! The README's example builds and prints exactly the JSON the README shows,
//! and its error message is the real one.

use cfn_core::{fns, pseudo, Declared, Format, Output, Parameter, Template, Value};
use cfn_resources::{kms::Key, sns::Topic};

fn example(key_ref: &str) -> cfn_core::Result<String> {
    let mut t = Template::new();
    let env = t.add_parameter(
        "Env",
        Parameter::string()
            .allowed_values(["dev", "prod"])
            .default("dev"),
    )?;
    let is_prod = t.add_condition("IsProd", fns::equals(env.reference(), "prod"))?;
    let key = t.add(
        "DataKey",
        Declared::new(Key::new().enable_key_rotation(true)).retain(),
    )?;
    let key_id = if key_ref == "DataKey" {
        key.reference()
    } else {
        // a mistake the types cannot see: a reference built by hand
        Value::from_expr_unchecked(cfn_core::Expr::func(cfn_core::Intrinsic::Ref(
            key_ref.into(),
        )))
    };
    let topic = t.add(
        "Alerts",
        Topic::new()
            .kms_master_key_id(key_id) // a typed id: a bucket's name would not compile here
            .display_name(fns::if_::<String>(
                &is_prod,
                "Raven alerts",
                pseudo::no_value(),
            )),
    )?;
    t.add_output(
        "AlertsArn",
        Output::new(topic.reference()).export(fns::sub("${AWS::StackName}-alerts")),
    )?;
    t.synth(Format::Json)
}

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

fn block(readme: &str, lang: &str) -> String {
    let start = readme.find(&format!("```{lang}\n")).unwrap() + lang.len() + 4;
    let end = start + readme[start..].find("```").unwrap();
    readme[start..end].to_owned()
}

#[test]
fn print_example() {
    if std::env::var("PRINT_README_EXAMPLE").is_ok() {
        println!("{}", example("DataKey").unwrap());
    }
}

#[test]
fn readme_json_is_what_the_example_prints() {
    let printed: serde_json::Value = serde_json::from_str(&example("DataKey").unwrap()).unwrap();
    let shown: serde_json::Value = serde_json::from_str(&block(&readme(), "json")).unwrap();
    assert_eq!(printed, shown);
}

#[test]
fn readme_rust_matches_the_tested_example() {
    let rust = block(&readme(), "rust");
    for line in [
        "let env = t.add_parameter(\"Env\", Parameter::string().allowed_values([\"dev\", \"prod\"]).default(\"dev\"))?;",
        "let is_prod = t.add_condition(\"IsProd\", fns::equals(env.reference(), \"prod\"))?;",
        "let key = t.add(\"DataKey\", Declared::new(Key::new().enable_key_rotation(true)).retain())?;",
        ".kms_master_key_id(key.reference()) // a typed id: a bucket's name would not compile here",
        ".display_name(fns::if_::<String>(&is_prod, \"Raven alerts\", pseudo::no_value())),",
        "t.add_output(\"AlertsArn\", Output::new(topic.reference()).export(fns::sub(\"${AWS::StackName}-alerts\")))?;",
    ] {
        assert!(rust.contains(line), "README example lost: {line}");
    }
}

#[test]
fn readme_error_is_the_real_message() {
    let err = example("DataKy").unwrap_err().to_string();
    let shown = block(&readme(), "text");
    let shown = shown.trim().trim_start_matches("error: ");
    assert!(err.contains(shown), "{err}\n---\n{shown}");
}

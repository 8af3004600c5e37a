//! The README's example builds and prints exactly the JSON the README shows,
//! and its error message is the real one.

use cfn_core::{fns, pseudo, Declared, Format, Output, Parameter, Raw, Template};

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
        Declared::new(
            Raw::new("AWS::KMS::Key").property("EnableKeyRotation", serde_json::json!(true)),
        )
        .retain(),
    )?;
    let key_value = if key_ref == "DataKey" {
        key.reference().into_json()
    } else {
        cfn_core::Value::from_expr_unchecked(cfn_core::Expr::func(cfn_core::Intrinsic::Ref(
            key_ref.into(),
        )))
    };
    let topic = t.add(
        "Alerts",
        Raw::new("AWS::SNS::Topic")
            .property("KmsMasterKeyId", key_value)
            .property(
                "DisplayName",
                fns::if_::<String>(&is_prod, "Raven alerts", pseudo::no_value()).into_json(),
            ),
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

//! Handles are bound to their template: a value built from a handle of one
//! template is refused by another (with both named), and a template hands
//! out typed handles of what it declares (`Template::handle`).

use cfn_core::{
    fns, Declared, ErrorKind, ExprMap, KnownType, NoAttributes, Parameter, Raw, ResourceType,
    Template,
};

/// A typed resource type, as `cfn-resources` generates them.
struct Key;
impl ResourceType for Key {
    type Ref = String;
    type Attributes = NoAttributes;
    fn type_name(&self) -> &str {
        Self::TYPE_NAME
    }
    fn into_properties(self) -> ExprMap {
        ExprMap::new()
    }
}
impl KnownType for Key {
    const TYPE_NAME: &'static str = "AWS::KMS::Key";
}

/// Template numbers depend on test order; the snapshots show `#N`.
fn redact(s: String) -> String {
    let mut out = String::new();
    let mut rest = s.as_str();
    while let Some(i) = rest.find("template #") {
        out.push_str(&rest[..i + 10]);
        rest = rest[i + 10..].trim_start_matches(|c: char| c.is_ascii_digit());
        out.push('N');
    }
    out.push_str(rest);
    out
}

fn two_templates() -> (Template, Template) {
    let mut a = Template::new();
    a.add("Key", Raw::new("AWS::KMS::Key")).unwrap();
    let mut b = Template::new();
    b.add("Key", Raw::new("AWS::KMS::Key")).unwrap();
    (a, b)
}

#[test]
fn a_foreign_ref_in_a_property_is_refused_naming_both_templates() {
    let (mut a, mut b) = two_templates();
    let key_of_a = a.handle::<Key>("Key").unwrap();
    let err = b
        .add(
            "Topic",
            Raw::new("AWS::SNS::Topic")
                .property("KmsMasterKeyId", key_of_a.reference().into_json()),
        )
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::ForeignHandle { .. }));
    let msg = err.to_string();
    assert!(
        msg.contains(&a.id().to_string()) && msg.contains(&b.id().to_string()),
        "{msg}"
    );
    insta::assert_snapshot!("foreign_property", redact(msg));
    // nothing was added; the right handle works
    assert!(!b.resources.contains_key("Topic"));
    let key_of_b = b.handle::<Key>("Key").unwrap();
    b.add(
        "Topic",
        Raw::new("AWS::SNS::Topic").property("KmsMasterKeyId", key_of_b.reference().into_json()),
    )
    .unwrap();
    let _ = a.add("Other", Raw::new("AWS::SNS::Topic"));
}

#[test]
fn foreign_handles_inside_intrinsics_depends_on_and_conditions_are_refused() {
    let (mut a, mut b) = two_templates();
    let key_a = a.handle::<Key>("Key").unwrap();
    let env_a = a.add_parameter("Env", Parameter::string()).unwrap();
    let is_prod_a = a
        .add_condition("IsProd", fns::equals(env_a.reference(), "prod"))
        .unwrap();

    // inside Fn::Join
    let joined = fns::join("-", vec![key_a.reference(), "x".into()]);
    let e = b.add(
        "T1",
        Raw::new("AWS::SNS::Topic").property("TopicName", joined.into_json()),
    );
    assert!(e
        .unwrap_err()
        .to_string()
        .starts_with("Resources/T1/Properties/TopicName: "));
    // an attribute
    let e = b.add(
        "T2",
        Raw::new("AWS::SNS::Topic")
            .property("X", key_a.get_att_unchecked::<String>("Arn").into_json()),
    );
    assert!(matches!(
        e.unwrap_err().kind(),
        ErrorKind::ForeignHandle { .. }
    ));
    // DependsOn and Condition
    let e = b.add(
        "T3",
        Declared::new(Raw::new("AWS::SNS::Topic")).depends_on(&key_a),
    );
    assert_eq!(e.unwrap_err().path(), Some("Resources/T3/DependsOn"));
    let e = b.add(
        "T4",
        Declared::new(Raw::new("AWS::SNS::Topic")).condition(&is_prod_a),
    );
    assert_eq!(e.unwrap_err().path(), Some("Resources/T4/Condition"));
    // a condition over another template's parameter
    let e = b.add_condition("IsProd", fns::equals(env_a.reference(), "prod"));
    insta::assert_snapshot!("foreign_condition", redact(e.unwrap_err().to_string()));
    // Fn::If over another template's condition
    let v = fns::if_::<String>(&is_prod_a, "a", "b");
    let e = b.add(
        "T5",
        Raw::new("AWS::SNS::Topic").property("TopicName", v.into_json()),
    );
    assert!(e.is_err());
}

#[test]
fn a_clone_keeps_its_identity_and_a_parsed_template_gets_a_new_one() {
    let (a, _) = two_templates();
    let key = a.handle::<Key>("Key").unwrap();
    let mut copy = a.clone();
    assert_eq!(copy.id(), a.id());
    copy.add(
        "Topic",
        Raw::new("AWS::SNS::Topic").property("K", key.reference().into_json()),
    )
    .unwrap();
    let mut parsed = Template::from_json(&a.to_json_pretty()).unwrap();
    assert_eq!(parsed, a, "identity is not content");
    assert_ne!(parsed.id(), a.id());
    assert!(parsed
        .add(
            "Topic",
            Raw::new("AWS::SNS::Topic").property("K", key.reference().into_json())
        )
        .is_err());
}

#[test]
fn typed_lookup_checks_existence_and_type() {
    let t = Template::from_yaml(
        "Resources:\n  DataKey:\n    Type: AWS::KMS::Key\n  Alerts:\n    Type: AWS::SNS::Topic\n",
    )
    .unwrap();
    let key = t.handle::<Key>("DataKey").unwrap();
    assert_eq!(key.id().as_str(), "DataKey");
    assert_eq!(key.id().template(), Some(t.id()));
    let unknown = t.handle::<Key>("DataKy").unwrap_err();
    let wrong = t.handle::<Key>("Alerts").unwrap_err();
    insta::assert_snapshot!("lookup_errors", format!("{unknown}\n{wrong}"));
}

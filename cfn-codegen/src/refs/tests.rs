//! Reference typing on small schemas.
use super::*;
use serde_json::json;

#[test]
fn examples_are_sorted_and_unique() {
    let keys: Vec<&str> = EXAMPLES.iter().map(|(k, _)| *k).collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(
        keys, sorted,
        "refs::EXAMPLES: keep it sorted, one entry per marker"
    );
}

#[test]
fn fits_checks_pattern_lengths_and_items() {
    let arn_only = json!({"type": "string", "pattern": r"^arn:[a-z0-9-]+:kms:[a-z0-9-]+:\d{12}:(key|alias)/.+\Z"});
    assert!(fits(&arn_only, example("AWS::KMS::Key.Arn").unwrap()));
    assert!(!fits(&arn_only, example("AWS::KMS::Key.Id").unwrap()));
    assert!(!fits(
        &json!({"type": "string", "maxLength": 5}),
        "subnet-0123"
    ));
    let list = json!({"type": "array", "items": {"type": "string", "pattern": "^sg-"}});
    assert!(fits(&list, "sg-0123456789abcdef0"));
    assert!(!fits(&list, "subnet-0123456789abcdef0"));
}

#[test]
fn overlay_adds_formats_and_refuses_stale_entries() {
    let mut types = BTreeMap::new();
    types.insert(
        "AWS::Lambda::Function".to_owned(),
        json!({"properties": {"Role": {"type": "string", "description": "The Amazon Resource Name (ARN) of the function's execution role."}}}),
    );
    // Only the entries whose type is present are checked: build a map
    // with every overlay type, each field present and described.
    let mut all = BTreeMap::new();
    for e in OVERLAY {
        let s: &mut J = all
            .entry(e.type_name.to_owned())
            .or_insert_with(|| json!({}));
        let mut cur = s;
        for seg in e.pointer.trim_start_matches('/').split('/') {
            if cur.get(seg).is_none() {
                cur.as_object_mut()
                    .unwrap()
                    .insert(seg.to_owned(), json!({}));
            }
            cur = cur.get_mut(seg).unwrap();
        }
        *cur = json!({"type": "string", "description": e.cites});
    }
    let (out, added) = apply(&all).expect("every entry applies");
    assert_eq!(
        out["AWS::Lambda::Function"].pointer("/properties/Role/format"),
        Some(&json!("AWS::IAM::Role.Arn"))
    );
    assert_eq!(added.len(), OVERLAY.len());
    // A changed description stops the generator.
    let mut stale = all.clone();
    *stale
        .get_mut("AWS::Lambda::Function")
        .unwrap()
        .pointer_mut("/properties/Role/description")
        .unwrap() = json!("Something else.");
    let err = apply(&stale).map(|_| ()).unwrap_err();
    assert!(err.contains("no longer says"), "{err}");
    // A field that got its own format makes the entry redundant.
    let mut redundant = all;
    redundant
        .get_mut("AWS::Lambda::Function")
        .unwrap()
        .pointer_mut("/properties/Role")
        .unwrap()
        .as_object_mut()
        .unwrap()
        .insert("format".into(), json!("AWS::IAM::Role.Arn"));
    let err = apply(&redundant).map(|_| ()).unwrap_err();
    assert!(err.contains("delete the entry"), "{err}");
    let _ = types;
}

#[test]
fn rules_type_fields_whose_example_fits_and_skip_the_rest() {
    let mut types = BTreeMap::new();
    types.insert(
        "AWS::X::Y".to_owned(),
        json!({"properties": {
            "ExecutionRoleArn": {"type": "string", "description": "The IAM role to assume."},
            "OtherRoleArn": {"type": "string", "description": "A role.", "pattern": "^role-[0-9]+$"},
            "SubnetIds": {"type": "array", "items": {"type": "string"}, "description": "The subnets."},
            "MetricName": {"type": "string", "description": "A role metric."}
        }}),
    );
    let (out, added) = apply(&types).unwrap();
    let s = &out["AWS::X::Y"];
    assert_eq!(
        s.pointer("/properties/ExecutionRoleArn/format"),
        Some(&json!("AWS::IAM::Role.Arn"))
    );
    assert_eq!(
        s.pointer("/properties/OtherRoleArn/format"),
        None,
        "the example does not fit its pattern"
    );
    assert_eq!(
        s.pointer("/properties/SubnetIds/items/format"),
        Some(&json!("AWS::EC2::Subnet.Id"))
    );
    assert_eq!(s.pointer("/properties/MetricName/format"), None);
    assert_eq!(added.len(), 2);
}

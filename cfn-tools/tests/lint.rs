//! The lint rules: each fires on the insecure fixture, none on a secure
//! template, suppressions need reasons and are reported.

use cfn_core::Template;
use cfn_tools::lint::{Linter, RULES};

fn fixture(name: &str) -> Template {
    Template::from_path(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn there_are_at_least_25_rules_with_unique_ids() {
    assert!(RULES.len() >= 25, "{}", RULES.len());
    let mut ids: Vec<&str> = RULES.iter().map(|r| r.info.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), RULES.len());
    for r in RULES {
        assert!(
            !r.info.rationale.is_empty() && !r.info.fix.is_empty(),
            "{}",
            r.info.id
        );
    }
}

#[test]
fn every_rule_fires_on_the_insecure_fixture() {
    let report = Linter::new().run(&fixture("insecure.yaml"));
    for r in RULES {
        assert!(
            report.findings.iter().any(|f| f.rule == r.info.id),
            "rule {} did not fire",
            r.info.id
        );
    }
    insta::assert_snapshot!(report.to_string());
}

#[test]
fn json_report_is_stable() {
    let report = Linter::new().run(&fixture("insecure.yaml"));
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["findings"][0]["rule"], "EC2005");
    assert_eq!(json["findings"][0]["severity"], "medium");
}

#[test]
fn suppressions_from_code_and_metadata() {
    let mut t = Template::from_yaml(
        "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Metadata:\n      cfnkit:\n        suppress:\n          - {id: SNS001, reason: holds only public release notes}\n  Other:\n    Type: AWS::SNS::Topic\n    Metadata:\n      cfnkit:\n        suppress:\n          - {id: SNS001}\n          - {id: NOPE01, reason: x}\n",
    )
    .unwrap();
    let report = Linter::new().suppress("LOG001", None, "").run(&t);
    insta::assert_snapshot!(report.to_string());
    assert!(!report.is_clean());
    t.resources.shift_remove("Other");
    let clean = Linter::new().run(&t);
    assert!(clean.is_clean(), "{clean}");
    assert_eq!(clean.suppressed.len(), 1);
    let by_code = Linter::new()
        .suppress("SNS001", Some("Topic"), "decided in review")
        .run(&Template::from_yaml("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n").unwrap());
    assert!(by_code.is_clean());
    assert_eq!(by_code.suppressed[0].source, "code");
}

#[test]
fn intrinsic_values_get_the_benefit_of_the_doubt() {
    let t = Template::from_yaml(
        "Parameters:\n  Rotate: {Type: String}\nResources:\n  Key:\n    Type: AWS::KMS::Key\n    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n    Properties:\n      EnableKeyRotation: !Ref Rotate\n",
    )
    .unwrap();
    let report = Linter::new().run(&t);
    assert!(report.is_clean(), "{report}");
}

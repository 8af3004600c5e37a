//! The patterns build a different three-tier stack in under fifty lines
//! (`examples/three_tier.rs`), and it is valid, schema-clean and lint-clean.

#[path = "../examples/three_tier.rs"]
mod three_tier;

#[test]
fn three_tier_example_is_short_and_clean() {
    let source = include_str!("../examples/three_tier.rs");
    assert!(
        source.lines().count() < 50,
        "the example grew to {} lines",
        source.lines().count()
    );
    let t = three_tier::build().unwrap();
    let report = t.validate();
    assert!(report.is_ok(), "{report}");
    assert!(cfn_tools::schema::validate(&t).is_empty());
    let lint = cfn_tools::lint::Linter::new().run(&t);
    assert!(lint.is_clean(), "{lint}");
    assert_eq!(
        t.resources
            .values()
            .filter(|r| r.type_name == "AWS::AutoScaling::AutoScalingGroup")
            .count(),
        3
    );
}

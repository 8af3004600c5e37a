//! The semantic diff in every output format (snapshots) and its
//! classification of changes.

use cfn_core::Template;
use cfn_tools::diff::{
    diff, render_json, render_markdown, render_text, ChangeKind, Impact, StaticFacts,
};

fn fixture(name: &str) -> Template {
    Template::from_path(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn facts() -> StaticFacts {
    StaticFacts::new()
        .create_only(
            "AWS::S3::Bucket",
            &["/properties/BucketName", "/properties/ObjectLockEnabled"],
        )
        .create_only(
            "AWS::EC2::SecurityGroup",
            &[
                "/properties/GroupDescription",
                "/properties/GroupName",
                "/properties/VpcId",
            ],
        )
        .create_only(
            "AWS::IAM::Role",
            &["/properties/Path", "/properties/RoleName"],
        )
        .conditional("AWS::SNS::Topic", &["/properties/FifoTopic"])
        .create_only(
            "AWS::SNS::Topic",
            &["/properties/TopicName", "/properties/FifoTopic"],
        )
        .create_only("AWS::Logs::LogGroup", &["/properties/LogGroupName"])
        .create_only(
            "AWS::SQS::Queue",
            &["/properties/QueueName", "/properties/FifoQueue"],
        )
}

#[test]
fn classifies_changes() {
    let d = diff(
        &fixture("diff_old.yaml"),
        &fixture("diff_new.yaml"),
        &facts(),
    );
    let by_id = |id: &str| d.resources.iter().find(|r| r.id == id).unwrap();
    assert_eq!(by_id("Assets").impact, Impact::Replacement);
    assert!(by_id("Assets").stateful);
    assert_eq!(by_id("Logs").kind, ChangeKind::Removed);
    assert_eq!(by_id("WebSg").impact, Impact::Replacement);
    assert_eq!(by_id("Role").impact, Impact::InPlace);
    assert_eq!(by_id("Topic").impact, Impact::InPlace);
    assert_eq!(by_id("Queue").kind, ChangeKind::Added);
    assert!(d.has_replacement());
    let at_risk: Vec<&str> = d.data_at_risk().iter().map(|r| r.id.as_str()).collect();
    assert_eq!(at_risk, vec!["Assets", "Logs"]);
}

#[test]
fn text() {
    let d = diff(
        &fixture("diff_old.yaml"),
        &fixture("diff_new.yaml"),
        &facts(),
    );
    insta::assert_snapshot!(render_text(&d, false));
}

#[test]
fn text_colored() {
    let d = diff(
        &fixture("diff_old.yaml"),
        &fixture("diff_new.yaml"),
        &facts(),
    );
    let colored = render_text(&d, true);
    assert!(colored.contains("\x1b[1;31m!!! DATA AT RISK"));
}

#[test]
fn markdown() {
    let d = diff(
        &fixture("diff_old.yaml"),
        &fixture("diff_new.yaml"),
        &facts(),
    );
    insta::assert_snapshot!(render_markdown(&d, "raven-prod"));
}

#[test]
fn json() {
    let d = diff(
        &fixture("diff_old.yaml"),
        &fixture("diff_new.yaml"),
        &facts(),
    );
    insta::assert_snapshot!(render_json(&d));
}

#[test]
fn a_template_against_itself_is_empty() {
    let t = fixture("diff_old.yaml");
    let d = diff(&t, &t, &facts());
    assert!(d.is_empty());
    assert_eq!(render_text(&d, false), "no changes\n");
}

#[test]
fn diff_mirrors_when_swapped() {
    let (a, b) = (fixture("diff_old.yaml"), fixture("diff_new.yaml"));
    let ab = diff(&a, &b, &facts());
    let ba = diff(&b, &a, &facts());
    let added = |d: &cfn_tools::diff::TemplateDiff, k| {
        d.resources
            .iter()
            .filter(|r| r.kind == k)
            .map(|r| r.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        added(&ab, ChangeKind::Added),
        added(&ba, ChangeKind::Removed)
    );
    assert_eq!(
        added(&ab, ChangeKind::Removed),
        added(&ba, ChangeKind::Added)
    );
    assert_eq!(ab.iam.len(), ba.iam.len());
}

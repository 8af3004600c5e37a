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

// ------------------------------------------- CloudFormation's own equivalences

fn yaml(s: &str) -> Template {
    Template::from_yaml(s).unwrap()
}

/// CloudFormation hands scalars to resources as text: a number and its
/// string, an integer and its float, a boolean and its string are the same.
#[test]
fn scalar_equivalences_are_no_change() {
    let old = yaml(
        "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: {FifoQueue: true, DelaySeconds: 5, MessageRetentionPeriod: 90, VisibilityTimeout: '30'}\n",
    );
    let new = yaml(
        "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: {FifoQueue: 'true', DelaySeconds: '5', MessageRetentionPeriod: 90.0, VisibilityTimeout: 30}\n",
    );
    let d = diff(&old, &new, &cfn_tools::schema::RegistryFacts);
    assert!(d.is_empty(), "{}", render_text(&d, false));
    // Real changes still are.
    let changed = yaml(
        "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: {FifoQueue: 'false', DelaySeconds: '6', MessageRetentionPeriod: 90.5, VisibilityTimeout: ' 30'}\n",
    );
    let d = diff(&old, &changed, &cfn_tools::schema::RegistryFacts);
    insta::assert_snapshot!("scalar_changes", render_text(&d, false));
}

const NET_OLD: &str = "Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  SubnetA: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24}}
  NatEip: {Type: AWS::EC2::EIP, Properties: {Domain: vpc}}
  Nat: {Type: AWS::EC2::NatGateway, Properties: {SubnetId: !Ref SubnetA, AllocationId: !GetAtt NatEip.AllocationId}}
  Routes: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}
  Default: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref Routes, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat}}
  Web: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: web, VpcId: !Ref Vpc}}
  Cache:
    Type: AWS::ElastiCache::SubnetGroup
    Properties: {Description: cache, SubnetIds: [!Ref SubnetA]}
  Topic: {Type: AWS::SNS::Topic, Properties: {DisplayName: !Ref Vpc}}
";

/// A VPC's new CIDR replaces it; every resource that references it in a
/// create-only property is replaced with it, link by link, each naming its
/// cause; a reference in an updatable property is not a replacement.
#[test]
fn replacement_propagates_through_create_only_references() {
    let old = yaml(NET_OLD);
    let new = yaml(
        &NET_OLD
            .replace("10.0.0.0/16", "10.1.0.0/16")
            .replace("10.0.0.0/24", "10.1.0.0/24"),
    );
    let d = diff(&old, &new, &cfn_tools::schema::RegistryFacts);
    let replaced: Vec<(&str, Option<&str>)> = d
        .resources
        .iter()
        .filter(|r| r.impact == Impact::Replacement)
        .map(|r| (r.id.as_str(), r.replaced_because.as_deref()))
        .collect();
    assert_eq!(
        replaced,
        [
            ("Vpc", None),
            ("SubnetA", None),
            ("Nat", Some("SubnetA")),
            ("Routes", Some("Vpc")),
            ("Default", Some("Routes")),
            ("Web", Some("Vpc")),
        ]
    );
    insta::assert_snapshot!("replacement_chain_text", render_text(&d, false));
    insta::assert_snapshot!("replacement_chain_markdown", render_markdown(&d, "prod"));
}

/// A stateful resource that may be replaced is data at risk and counts as a
/// replacement for `--fail-on replacement`.
#[test]
fn possibly_replaced_stateful_resource_counts_as_replacement() {
    let old = yaml("Resources:\n  T:\n    Type: AWS::Custom::Thing\n  L:\n    Type: AWS::Logs::LogGroup\n    Properties: {RetentionInDays: 7}\n");
    let new = yaml("Resources:\n  T:\n    Type: AWS::Custom::Thing\n  L:\n    Type: AWS::Logs::LogGroup\n    Properties: {RetentionInDays: 14}\n");
    // The facts know nothing of LogGroup: it "may replace".
    let d = diff(&old, &new, &StaticFacts::new());
    assert_eq!(d.resources[0].impact, Impact::Conditional);
    assert_eq!(d.data_at_risk().len(), 1);
    assert!(d.has_replacement());
    insta::assert_snapshot!("possibly_replaced_text", render_text(&d, false));
    // Known to update in place: neither.
    let d = diff(&old, &new, &cfn_tools::schema::RegistryFacts);
    assert_eq!(d.resources[0].impact, Impact::InPlace);
    assert!(!d.has_replacement() && d.data_at_risk().is_empty());
}

/// Tags compare by key, each with its whole old and new value.
#[test]
fn tag_changes_show_whole_values_by_key() {
    let long = "a".repeat(150);
    let old = yaml(&format!(
        "Resources:\n  B:\n    Type: AWS::SNS::Topic\n    Properties:\n      Tags: [{{Key: env, Value: prod}}, {{Key: owner, Value: {long}}}, {{Key: gone, Value: x}}]\n"
    ));
    let new = yaml(&format!(
        "Resources:\n  B:\n    Type: AWS::SNS::Topic\n    Properties:\n      Tags: [{{Key: team, Value: raven}}, {{Key: env, Value: prod}}, {{Key: owner, Value: {long}b}}]\n"
    ));
    let d = diff(&old, &new, &cfn_tools::schema::RegistryFacts);
    let paths: Vec<&str> = d.resources[0]
        .changes
        .iter()
        .map(|c| c.path.as_str())
        .collect();
    assert_eq!(
        paths,
        [
            "Properties/Tags/owner",
            "Properties/Tags/gone",
            "Properties/Tags/team"
        ]
    );
    insta::assert_snapshot!("tag_changes_text", render_text(&d, false));
}

//! The deploy gate's refusal and approval messages, as a user reads them:
//! snapshots, computed through the same functions `Deployer::deploy` calls
//! (no network).

use cfn_core::Template;
use cfn_deploy::{
    approvals, refused_changes, unapproved, unknown_logical_ids, Action, Error, Replacement,
    ResourceChange,
};
use cfn_tools::diff::diff;
use cfn_tools::schema::RegistryFacts;

const OLD: &str = "Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  SubnetA: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24}}
  SubnetB: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}}
  WebSg:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: web, VpcId: !Ref Vpc}
  Lb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Subnets: [!Ref SubnetA, !Ref SubnetB], SecurityGroups: [!Ref WebSg]}
  Assets:
    Type: AWS::S3::Bucket
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties: {BucketName: raven-assets}
  Db:
    Type: AWS::Neptune::DBCluster
  OldLogs:
    Type: AWS::Logs::LogGroup
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}
";

const NEW: &str = "Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.1.0.0/16}}
  SubnetA: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.1.0.0/24}}
  SubnetB: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.1.1.0/24}}
  WebSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      VpcId: !Ref Vpc
      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}]
  Lb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Subnets: [!Ref SubnetA, !Ref SubnetB], SecurityGroups: [!Ref WebSg]}
  Assets:
    Type: AWS::S3::Bucket
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties: {BucketName: raven-assets-2}
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}
      Policies: [{PolicyName: admin, PolicyDocument: {Statement: [{Effect: Allow, Action: '*', Resource: '*'}]}}]
";

fn change(action: Action, id: &str, ty: &str, r: Option<Replacement>) -> ResourceChange {
    ResourceChange {
        action,
        logical_id: id.into(),
        resource_type: ty.into(),
        physical_id: None,
        replacement: r,
        scope: vec!["Properties".into()],
    }
}

/// What a change set for OLD -> NEW reports (the VPC's replacement as
/// CloudFormation says it; the subnets' left for the diff to estimate).
fn changes() -> Vec<ResourceChange> {
    vec![
        change(
            Action::Modify,
            "Vpc",
            "AWS::EC2::VPC",
            Some(Replacement::True),
        ),
        change(Action::Modify, "SubnetA", "AWS::EC2::Subnet", None),
        change(Action::Modify, "SubnetB", "AWS::EC2::Subnet", None),
        change(
            Action::Modify,
            "WebSg",
            "AWS::EC2::SecurityGroup",
            Some(Replacement::Conditional),
        ),
        change(
            Action::Modify,
            "Lb",
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            Some(Replacement::False),
        ),
        change(
            Action::Modify,
            "Assets",
            "AWS::S3::Bucket",
            Some(Replacement::True),
        ),
        change(Action::Remove, "Db", "AWS::Neptune::DBCluster", None),
        change(Action::Remove, "OldLogs", "AWS::Logs::LogGroup", None),
        change(
            Action::Modify,
            "AppRole",
            "AWS::IAM::Role",
            Some(Replacement::False),
        ),
    ]
}

fn templates() -> (Template, Template) {
    (
        Template::from_yaml(OLD).unwrap(),
        Template::from_yaml(NEW).unwrap(),
    )
}

#[test]
fn stateful_refusal() {
    let (old, new) = templates();
    let d = diff(&old, &new, &RegistryFacts);
    let refused = refused_changes(&changes(), Some(&d), &[]);
    // Retained OldLogs keeps its data: not refused. Retained Assets is
    // replaced: refused, saying the stack moves to an empty bucket.
    let e = Error::StatefulChangeRefused {
        stack: "raven-prod".into(),
        refused,
    };
    insta::assert_snapshot!(e.to_string());
}

#[test]
fn approval_required() {
    let (old, new) = templates();
    let d = diff(&old, &new, &RegistryFacts);
    let all = approvals(&changes(), Some(&d), &new);
    let pending = unapproved(&all, &["Assets".into(), "Db".into()], false);
    let e = Error::ApprovalRequired {
        stack: "raven-prod".into(),
        pending,
    };
    insta::assert_snapshot!(e.to_string());
    // Each consent covers its own part only.
    assert!(unapproved(
        &all,
        &[
            "Vpc".into(),
            "SubnetA".into(),
            "SubnetB".into(),
            "WebSg".into()
        ],
        true
    )
    .is_empty());
    assert_eq!(
        unapproved(
            &all,
            &[
                "Vpc".into(),
                "SubnetA".into(),
                "SubnetB".into(),
                "WebSg".into()
            ],
            false
        )
        .len(),
        2
    );
}

#[test]
fn unknown_allowed_ids() {
    let (old, new) = templates();
    let unknown = unknown_logical_ids(
        &["Asets".into(), "Db".into(), "Nope".into()],
        &new,
        Some(&old),
    );
    let e = Error::UnknownLogicalIds {
        stack: "raven-prod".into(),
        unknown,
    };
    insta::assert_snapshot!(e.to_string());
}

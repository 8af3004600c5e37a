//! One home for finding IAM policy statements and security-group rules in
//! a template: lint (which judges them) and diff (which compares them) read
//! the same extraction, so they always see the same statements and rules.

use cfn_core::{Expr, ExprMap, Resource};

/// What a policy document governs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyKind {
    /// What an identity (role, user, group) may do: `AWS::IAM::Policy`,
    /// `ManagedPolicy`, `RolePolicy`/`UserPolicy`/`GroupPolicy`, and the
    /// inline `Policies` of roles, users and groups.
    Identity,
    /// Who may assume a role (`AssumeRolePolicyDocument`).
    Trust,
    /// Who may use a resource: bucket, topic, queue and other resource
    /// policies (`PolicyDocument` on a non-IAM type).
    Resource,
    /// A KMS key policy (`KeyPolicy`).
    Key,
}

const IDENTITY_POLICY_TYPES: &[&str] = &[
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::IAM::RolePolicy",
    "AWS::IAM::UserPolicy",
    "AWS::IAM::GroupPolicy",
];

/// Every policy document of `r`, with its kind, in property order:
/// `PolicyDocument`, `AssumeRolePolicyDocument`, `KeyPolicy`, then each of
/// `Policies`.
pub fn documents(r: &Resource) -> Vec<(PolicyKind, String, &Expr)> {
    let Some(props) = &r.properties else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(d) = props.get("PolicyDocument") {
        let kind = if IDENTITY_POLICY_TYPES.contains(&r.type_name.as_str()) {
            PolicyKind::Identity
        } else {
            PolicyKind::Resource
        };
        out.push((kind, "PolicyDocument".to_owned(), d));
    }
    if let Some(d) = props.get("AssumeRolePolicyDocument") {
        out.push((PolicyKind::Trust, "AssumeRolePolicyDocument".to_owned(), d));
    }
    if let Some(d) = props.get("KeyPolicy") {
        out.push((PolicyKind::Key, "KeyPolicy".to_owned(), d));
    }
    if let Some(Expr::List(ps)) = props.get("Policies") {
        for (i, p) in ps.iter().enumerate() {
            if let Expr::Map(m) = p {
                if let Some(d) = m.get("PolicyDocument") {
                    out.push((
                        PolicyKind::Identity,
                        format!("Policies/{i}/PolicyDocument"),
                        d,
                    ));
                }
            }
        }
    }
    out
}

/// The statements of a policy document (a list, or a single statement),
/// with their index.
pub fn statements(doc: &Expr) -> Vec<(usize, &ExprMap)> {
    let Expr::Map(m) = doc else {
        return Vec::new();
    };
    match m.get("Statement") {
        Some(Expr::List(v)) => v
            .iter()
            .enumerate()
            .filter_map(|(i, s)| match s {
                Expr::Map(m) => Some((i, m)),
                _ => None,
            })
            .collect(),
        Some(Expr::Map(m)) => vec![(0, m)],
        _ => Vec::new(),
    }
}

/// Ingress or egress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Traffic into the group.
    Ingress,
    /// Traffic out of the group.
    Egress,
}

impl Direction {
    /// `ingress` or `egress`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ingress => "ingress",
            Direction::Egress => "egress",
        }
    }
}

/// One security-group rule of a resource.
#[derive(Debug, Clone)]
pub struct SgRule<'t> {
    /// Ingress or egress.
    pub direction: Direction,
    /// Where it is under the resource's `Properties` (`SecurityGroupIngress/0`,
    /// or empty for a standalone rule resource).
    pub path: String,
    /// The rule's properties (`IpProtocol`, `FromPort`, `CidrIp`, ...).
    pub rule: &'t ExprMap,
    /// For standalone rules: the group it belongs to (`GroupId`); `None`
    /// for rules inside a security group.
    pub group: Option<&'t Expr>,
}

/// Every security-group rule of `r`: inline in an `AWS::EC2::SecurityGroup`
/// or a standalone `AWS::EC2::SecurityGroupIngress`/`Egress`.
pub fn sg_rules(r: &Resource) -> Vec<SgRule<'_>> {
    let Some(props) = &r.properties else {
        return Vec::new();
    };
    match r.type_name.as_str() {
        "AWS::EC2::SecurityGroup" => {
            let mut out = Vec::new();
            for (key, direction) in [
                ("SecurityGroupIngress", Direction::Ingress),
                ("SecurityGroupEgress", Direction::Egress),
            ] {
                if let Some(Expr::List(l)) = props.get(key) {
                    for (i, x) in l.iter().enumerate() {
                        if let Expr::Map(m) = x {
                            out.push(SgRule {
                                direction,
                                path: format!("{key}/{i}"),
                                rule: m,
                                group: None,
                            });
                        }
                    }
                }
            }
            out
        }
        "AWS::EC2::SecurityGroupIngress" | "AWS::EC2::SecurityGroupEgress" => vec![SgRule {
            direction: if r.type_name.ends_with("Ingress") {
                Direction::Ingress
            } else {
                Direction::Egress
            },
            path: String::new(),
            rule: props,
            group: props.get("GroupId"),
        }],
        _ => Vec::new(),
    }
}

/// The peer keys of a rule, in the order they are read.
pub const PEER_KEYS: [&str; 6] = [
    "CidrIp",
    "CidrIpv6",
    "SourceSecurityGroupId",
    "DestinationSecurityGroupId",
    "SourcePrefixListId",
    "DestinationPrefixListId",
];

#[cfg(test)]
mod tests {
    use super::*;
    use cfn_core::Template;

    #[test]
    fn finds_every_kind_of_document_and_rule() {
        let t = Template::from_yaml(
            "Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}}
      Policies: [{PolicyName: p, PolicyDocument: {Statement: [{Effect: Allow, Action: s3:GetObject, Resource: '*'}]}}]
  Key: {Type: AWS::KMS::Key, Properties: {KeyPolicy: {Statement: []}}}
  BucketPolicy: {Type: AWS::S3::BucketPolicy, Properties: {Bucket: b, PolicyDocument: {Statement: []}}}
  Managed: {Type: AWS::IAM::ManagedPolicy, Properties: {PolicyDocument: {Statement: []}}}
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: x
      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}]
      SecurityGroupEgress: [{IpProtocol: '-1', CidrIp: 0.0.0.0/0}]
  In: {Type: AWS::EC2::SecurityGroupIngress, Properties: {GroupId: !Ref Sg, IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}}
",
        )
        .unwrap();
        let kinds = |id: &str| -> Vec<(PolicyKind, String)> {
            documents(&t.resources[id])
                .into_iter()
                .map(|(k, p, _)| (k, p))
                .collect()
        };
        assert_eq!(
            kinds("Role"),
            [
                (PolicyKind::Trust, "AssumeRolePolicyDocument".to_owned()),
                (PolicyKind::Identity, "Policies/0/PolicyDocument".to_owned())
            ]
        );
        assert_eq!(kinds("Key"), [(PolicyKind::Key, "KeyPolicy".to_owned())]);
        assert_eq!(kinds("BucketPolicy")[0].0, PolicyKind::Resource);
        assert_eq!(kinds("Managed")[0].0, PolicyKind::Identity);
        let (_, _, trust) = documents(&t.resources["Role"])[0];
        assert_eq!(statements(trust).len(), 1);
        let sg = sg_rules(&t.resources["Sg"]);
        assert_eq!(sg.len(), 2);
        assert_eq!(sg[1].direction, Direction::Egress);
        assert_eq!(sg[1].path, "SecurityGroupEgress/0");
        let standalone = sg_rules(&t.resources["In"]);
        assert!(standalone[0].group.is_some() && standalone[0].path.is_empty());
    }
}

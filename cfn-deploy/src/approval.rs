//! Approval levels, in the spirit of `cdk deploy --require-approval`, free
//! of any network call.
//!
//! Three levels of consent, from the strongest:
//!
//! 1. **Data loss** ([`crate::refused_changes`]): replacing or deleting a
//!    stateful resource. Only consent by logical id covers it
//!    ([`crate::DeployRequest::allow_replace`]); neither a prompt nor
//!    `yes` does.
//! 2. **Approval** ([`approvals`]): replacing a resource that others depend on
//!    (a VPC, a subnet, a load balancer, an Auto Scaling group: its
//!    dependents are updated or replaced with it, usually an outage), and
//!    broadening of IAM (a statement that allows more) or of security groups
//!    (a rule added). An interactive user approves by answering the prompt,
//!    which shows them first; with `yes` (CI) each needs its own consent:
//!    replacements by logical id, broadening by
//!    [`crate::DeployRequest::allow_broadening`]. Broadening is judged
//!    against the deployed template, so it applies to updates; a new stack's
//!    IAM resources already need a capability to be acknowledged.
//! 3. Everything else: a plain yes.

use crate::plan::{effective_replacement, Action, Replacement, ResourceChange};
use cfn_core::error::Hint;
use cfn_core::graph::DependencyGraph;
use cfn_core::Template;
use cfn_tools::diff::{ChangeKind, TemplateDiff};
use indexmap::{IndexMap, IndexSet};
use std::fmt;

/// A resource that depends on a replaced one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependent {
    /// Its logical id.
    pub logical_id: String,
    /// Whether the change set (or the diff's estimate) replaces it too.
    pub replaced: bool,
}

/// A change that needs explicit approval.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Approval {
    /// A resource that others depend on would (or may) be replaced.
    Replacement {
        /// Logical id.
        logical_id: String,
        /// Resource type.
        resource_type: String,
        /// `True` or `Conditional`.
        replacement: Replacement,
        /// Whether the replacement is the diff's estimate (the change set
        /// did not say).
        estimated: bool,
        /// The resources that reference it directly, in template order:
        /// the first links of the replacement chain.
        dependents: Vec<Dependent>,
        /// How many more depend on those, transitively.
        indirect: usize,
    },
    /// An IAM statement that allows more was added.
    IamBroadening {
        /// The resource holding the policy.
        resource: String,
        /// The statement, one line.
        statement: String,
    },
    /// A security-group rule was added.
    SecurityGroupBroadening {
        /// The resource holding the rule.
        resource: String,
        /// The rule, one line.
        rule: String,
    },
}

impl fmt::Display for Approval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Approval::Replacement {
                logical_id,
                resource_type,
                replacement,
                estimated,
                dependents,
                indirect,
            } => {
                let verb = match replacement {
                    Replacement::Conditional => "may be replaced",
                    _ => "would be replaced",
                };
                write!(f, "{logical_id} ({resource_type}) {verb}")?;
                if *estimated {
                    f.write_str(" (estimated from the template diff)")?;
                }
                let list: Vec<String> = dependents
                    .iter()
                    .map(|d| {
                        if d.replaced {
                            format!("{} (replaced with it)", d.logical_id)
                        } else {
                            d.logical_id.clone()
                        }
                    })
                    .collect();
                write!(
                    f,
                    "; {} resource{} depend{} on it: {}",
                    dependents.len(),
                    if dependents.len() == 1 { "" } else { "s" },
                    if dependents.len() == 1 { "s" } else { "" },
                    list.join(", ")
                )?;
                if *indirect > 0 {
                    write!(
                        f,
                        "; {indirect} more depend{} on those",
                        if *indirect == 1 { "s" } else { "" }
                    )?;
                }
                Ok(())
            }
            Approval::IamBroadening {
                resource,
                statement,
            } => write!(f, "IAM broadening in {resource}: {statement}"),
            Approval::SecurityGroupBroadening { resource, rule } => {
                write!(f, "security-group broadening in {resource}: {rule}")
            }
        }
    }
}

impl Approval {
    /// Whether consent by `allow_replace` ids or `allow_broadening` covers it.
    pub fn is_approved_by(&self, allow_replace: &[String], allow_broadening: bool) -> bool {
        match self {
            Approval::Replacement { logical_id, .. } => allow_replace.contains(logical_id),
            Approval::IamBroadening { .. } | Approval::SecurityGroupBroadening { .. } => {
                allow_broadening
            }
        }
    }
}

/// The changes of a change set that need explicit approval (see the module
/// docs). `template` is the new template (its dependency graph gives the
/// replacement chains); `diff` is the semantic diff against the deployed one.
///
/// ```
/// use cfn_deploy::{approvals, Action, Approval, Replacement, ResourceChange};
/// let t = cfn_core::Template::from_yaml(
///     "Resources:\n  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.1.0.0/16}}\n  \
///      Subnet: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.1.0.0/24}}\n",
/// ).unwrap();
/// let change = |id: &str, ty: &str| ResourceChange {
///     action: Action::Modify,
///     logical_id: id.into(),
///     resource_type: ty.into(),
///     physical_id: None,
///     replacement: Some(Replacement::True),
///     scope: vec!["Properties".into()],
/// };
/// let changes = [change("Vpc", "AWS::EC2::VPC"), change("Subnet", "AWS::EC2::Subnet")];
/// let needed = approvals(&changes, None, &t);
/// assert_eq!(needed.len(), 1); // the subnet has no dependents
/// assert_eq!(
///     needed[0].to_string(),
///     "Vpc (AWS::EC2::VPC) would be replaced; 1 resource depends on it: Subnet (replaced with it)"
/// );
/// ```
pub fn approvals(
    changes: &[ResourceChange],
    diff: Option<&TemplateDiff>,
    template: &Template,
) -> Vec<Approval> {
    let mut out = replacements(changes, diff, template);
    if let Some(d) = diff {
        out.extend(broadening(d));
    }
    out
}

fn replacements(
    changes: &[ResourceChange],
    diff: Option<&TemplateDiff>,
    template: &Template,
) -> Vec<Approval> {
    let replaced: IndexMap<&str, Replacement> = changes
        .iter()
        .filter_map(|c| match effective_replacement(c, diff) {
            Some(r @ (Replacement::True | Replacement::Conditional)) => {
                Some((c.logical_id.as_str(), r))
            }
            _ => None,
        })
        .collect();
    if replaced.is_empty() {
        return Vec::new();
    }
    // Reverse edges: who depends on whom, in template order.
    let graph = DependencyGraph::of(template);
    let mut dependents_of: IndexMap<&str, IndexSet<&str>> = IndexMap::new();
    for e in graph.edges() {
        dependents_of
            .entry(e.to.as_str())
            .or_default()
            .insert(e.from.as_str());
    }
    let mut out = Vec::new();
    for c in changes {
        let Some(&replacement) = replaced.get(c.logical_id.as_str()) else {
            continue;
        };
        if c.action != Action::Modify {
            continue;
        }
        let Some(direct) = dependents_of.get(c.logical_id.as_str()) else {
            continue;
        };
        let dependents = direct
            .iter()
            .map(|d| Dependent {
                logical_id: (*d).to_owned(),
                replaced: replaced.get(d) == Some(&Replacement::True),
            })
            .collect();
        // Everything reachable beyond the direct dependents.
        let mut seen: IndexSet<&str> = direct.clone();
        seen.insert(c.logical_id.as_str());
        let mut queue: Vec<&str> = direct.iter().copied().collect();
        let mut indirect = 0;
        while let Some(n) = queue.pop() {
            for d in dependents_of.get(n).into_iter().flatten() {
                if seen.insert(d) {
                    indirect += 1;
                    queue.push(d);
                }
            }
        }
        out.push(Approval::Replacement {
            logical_id: c.logical_id.clone(),
            resource_type: c.resource_type.clone(),
            replacement,
            estimated: c.replacement.is_none(),
            dependents,
            indirect,
        });
    }
    out
}

fn broadening(d: &TemplateDiff) -> Vec<Approval> {
    let mut out = Vec::new();
    for s in d
        .iam
        .iter()
        .filter(|s| s.kind == ChangeKind::Added && s.effect == "Allow")
    {
        let mut statement = format!("Allow {} on {}", s.action, s.target);
        if !s.principal.is_empty() {
            statement.push_str(&format!(" to {}", s.principal));
        }
        if !s.condition.is_empty() {
            statement.push_str(&format!(" when {}", s.condition));
        }
        out.push(Approval::IamBroadening {
            resource: s.resource.clone(),
            statement,
        });
    }
    for r in d
        .security_groups
        .iter()
        .filter(|r| r.kind == ChangeKind::Added)
    {
        let (dir, prep) = if r.direction == "ingress" {
            ("ingress", "from")
        } else {
            ("egress", "to")
        };
        out.push(Approval::SecurityGroupBroadening {
            resource: r.resource.clone(),
            rule: format!("{dir} {} {} {prep} {}", r.protocol, r.ports, r.peer),
        });
    }
    out
}

/// The approvals not covered by `allow_replace` ids or `allow_broadening`.
pub fn unapproved(
    approvals: &[Approval],
    allow_replace: &[String],
    allow_broadening: bool,
) -> Vec<Approval> {
    approvals
        .iter()
        .filter(|a| !a.is_approved_by(allow_replace, allow_broadening))
        .cloned()
        .collect()
}

/// Appends the "needs approval" section of a plan's text.
pub(crate) fn render_approvals(s: &mut String, approvals: &[Approval], color: bool) {
    if approvals.is_empty() {
        return;
    }
    s.push_str("\nneeds approval:\n");
    for a in approvals {
        if color {
            s.push_str(&format!("  \x1b[1;33m{a}\x1b[0m\n"));
        } else {
            s.push_str(&format!("  {a}\n"));
        }
    }
}

/// The logical ids in `allowed` that are resources of neither `new` nor
/// `old` (the deployed template), each with a did-you-mean suggestion
/// ([`Hint::None`] when none is close). A mistyped id would otherwise
/// protect or allow nothing, silently.
///
/// ```
/// use cfn_core::error::Hint;
/// let t = cfn_core::Template::from_yaml("Resources:\n  Assets: {Type: AWS::S3::Bucket}\n").unwrap();
/// let unknown = cfn_deploy::unknown_logical_ids(&["Asets".into(), "Assets".into()], &t, None);
/// assert_eq!(unknown, [("Asets".to_string(), Hint::did_you_mean("Assets"))]);
/// ```
pub fn unknown_logical_ids(
    allowed: &[String],
    new: &Template,
    old: Option<&Template>,
) -> Vec<(String, Hint)> {
    let known: IndexSet<&str> = new
        .resources
        .keys()
        .chain(old.into_iter().flat_map(|o| o.resources.keys()))
        .map(|id| id.as_str())
        .collect();
    allowed
        .iter()
        .filter(|id| !known.contains(id.as_str()))
        .map(|id| {
            (
                id.clone(),
                cfn_core::error::suggest(id, known.iter().copied()),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use cfn_tools::diff::{diff, StaticFacts};

    fn change(id: &str, ty: &str, r: Option<Replacement>) -> ResourceChange {
        ResourceChange {
            action: Action::Modify,
            logical_id: id.into(),
            resource_type: ty.into(),
            physical_id: None,
            replacement: r,
            scope: vec!["Properties".into()],
        }
    }

    const NET: &str = "Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.1.0.0/16}}
  SubnetA: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.1.0.0/24}}
  SubnetB: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.1.1.0/24}}
  Sg: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: web, VpcId: !Ref Vpc}}
  Lb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Subnets: [!Ref SubnetA, !Ref SubnetB], SecurityGroups: [!Ref Sg]}
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {LoadBalancerArn: !Ref Lb, Port: 80, Protocol: HTTP, DefaultActions: []}
";

    #[test]
    fn replacement_chain_lists_direct_and_counts_indirect_dependents() {
        let t = Template::from_yaml(NET).unwrap();
        let changes = [
            change("Vpc", "AWS::EC2::VPC", Some(Replacement::True)),
            change("SubnetA", "AWS::EC2::Subnet", Some(Replacement::True)),
            change("SubnetB", "AWS::EC2::Subnet", Some(Replacement::True)),
            change(
                "Sg",
                "AWS::EC2::SecurityGroup",
                Some(Replacement::Conditional),
            ),
            change(
                "Listener",
                "AWS::ElasticLoadBalancingV2::Listener",
                Some(Replacement::False),
            ),
        ];
        let a = approvals(&changes, None, &t);
        let lines: Vec<String> = a.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "Vpc (AWS::EC2::VPC) would be replaced; 3 resources depend on it: SubnetA (replaced with it), SubnetB (replaced with it), Sg; 2 more depend on those",
                "SubnetA (AWS::EC2::Subnet) would be replaced; 1 resource depends on it: Lb; 1 more depends on those",
                "SubnetB (AWS::EC2::Subnet) would be replaced; 1 resource depends on it: Lb; 1 more depends on those",
                "Sg (AWS::EC2::SecurityGroup) may be replaced; 1 resource depends on it: Lb; 1 more depends on those",
            ]
        );
        let open = unapproved(&a, &["Vpc".into(), "SubnetA".into()], false);
        let ids: Vec<String> = open
            .iter()
            .map(|a| match a {
                Approval::Replacement { logical_id, .. } => logical_id.clone(),
                other => other.to_string(),
            })
            .collect();
        assert_eq!(ids, ["SubnetB", "Sg"]);
    }

    #[test]
    fn broadening_comes_from_added_allows_and_rules_only() {
        let old = Template::from_yaml(
            "Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}]
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}
      Policies: [{PolicyName: p, PolicyDocument: {Statement: [{Effect: Allow, Action: s3:GetObject, Resource: arn:aws:s3:::b/*}]}}]
",
        )
        .unwrap();
        let new = Template::from_yaml(
            "Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: s3:GetObject, Resource: arn:aws:s3:::b/*}
              - {Effect: Allow, Action: 's3:*', Resource: '*'}
              - {Effect: Deny, Action: s3:DeleteBucket, Resource: '*'}
",
        )
        .unwrap();
        let d = diff(&old, &new, &StaticFacts::new());
        let a = approvals(&[], Some(&d), &new);
        let lines: Vec<String> = a.iter().map(ToString::to_string).collect();
        assert_eq!(lines.len(), 2, "{lines:#?}");
        assert!(
            lines[0].starts_with("IAM broadening in Role: Allow s3:* on *"),
            "{}",
            lines[0]
        );
        assert!(
            lines[1].starts_with("security-group broadening in Sg: ingress tcp 22 from 0.0.0.0/0"),
            "{}",
            lines[1]
        );
        assert!(unapproved(&a, &[], true).is_empty());
        assert_eq!(unapproved(&a, &[], false).len(), 2);
        // Narrowing needs nothing.
        let back = diff(&new, &old, &StaticFacts::new());
        assert!(approvals(&[], Some(&back), &old).is_empty());
    }

    #[test]
    fn unknown_ids_get_suggestions_from_both_templates() {
        let new = Template::from_yaml("Resources:\n  Assets: {Type: AWS::S3::Bucket}\n").unwrap();
        let old =
            Template::from_yaml("Resources:\n  OldLogs: {Type: AWS::Logs::LogGroup}\n").unwrap();
        let got = unknown_logical_ids(
            &["OldLogs".into(), "OldLog".into(), "Nothing".into()],
            &new,
            Some(&old),
        );
        assert_eq!(
            got,
            [
                ("OldLog".to_string(), Hint::did_you_mean("OldLogs")),
                ("Nothing".to_string(), Hint::None),
            ]
        );
    }
}

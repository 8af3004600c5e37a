//! A semantic diff between two templates.
//!
//! Resources are matched by logical id. Each modification is classified from
//! the registry schemas' create-only properties ([`SchemaFacts`]): in place,
//! conditional (may replace) or replacement. Removing or replacing a
//! stateful resource is called out. IAM statements and security-group rules
//! get tables of their own. Key order and whitespace never show as changes:
//! the templates are compared as data.
//!
//! ```
//! use cfn_core::Template;
//! use cfn_tools::diff::{diff, Impact, StaticFacts};
//! let old = Template::from_yaml("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: a}\n").unwrap();
//! let new = Template::from_yaml("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: b}\n").unwrap();
//! let facts = StaticFacts::new().create_only("AWS::S3::Bucket", &["/properties/BucketName"]);
//! let d = diff(&old, &new, &facts);
//! assert_eq!(d.resources[0].impact, Impact::Replacement);
//! assert!(d.has_replacement());
//! ```

use cfn_core::graph::RefKind;
use cfn_core::{Expr, Resource, Template};
use cfn_resources::schema::is_stateful;
use indexmap::{IndexMap, IndexSet};
use serde::Serialize;
use serde_json::Value as Json;
use std::fmt::Write as _;

/// What the diff needs to know about resource types.
pub trait SchemaFacts {
    /// Create-only property pointers (`/properties/VpcId`,
    /// `/properties/Rules/*/Id`), or `None` when the type is unknown.
    fn create_only(&self, type_name: &str) -> Option<Vec<String>>;
    /// Conditionally create-only property pointers.
    fn conditional_create_only(&self, type_name: &str) -> Vec<String>;
}

/// Facts given by hand (for tests and for types outside the schemas).
/// Which types hold data is not a fact a caller can give: the diff always
/// asks [`cfn_resources::schema::is_stateful`], like lint and deploy.
#[derive(Debug, Clone, Default)]
pub struct StaticFacts {
    create_only: IndexMap<String, Vec<String>>,
    conditional: IndexMap<String, Vec<String>>,
}

impl StaticFacts {
    /// No facts: every type is unknown.
    pub fn new() -> Self {
        Self::default()
    }
    /// Declares a type's create-only pointers.
    pub fn create_only(mut self, type_name: &str, pointers: &[&str]) -> Self {
        self.create_only.insert(
            type_name.to_owned(),
            pointers.iter().map(|p| p.to_string()).collect(),
        );
        self
    }
    /// Declares a type's conditionally create-only pointers.
    pub fn conditional(mut self, type_name: &str, pointers: &[&str]) -> Self {
        self.conditional.insert(
            type_name.to_owned(),
            pointers.iter().map(|p| p.to_string()).collect(),
        );
        self.create_only.entry(type_name.to_owned()).or_default();
        self
    }
}

impl SchemaFacts for StaticFacts {
    fn create_only(&self, type_name: &str) -> Option<Vec<String>> {
        self.create_only.get(type_name).cloned()
    }
    fn conditional_create_only(&self, type_name: &str) -> Vec<String> {
        self.conditional.get(type_name).cloned().unwrap_or_default()
    }
}

/// How an update affects a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Impact {
    /// Updated in place.
    InPlace,
    /// May be replaced (a conditionally create-only property, or a type the
    /// schemas do not describe).
    Conditional,
    /// Replaced: a new physical resource, the old one deleted.
    Replacement,
}

impl Impact {
    fn label(self) -> &'static str {
        match self {
            Impact::InPlace => "in place",
            Impact::Conditional => "may replace",
            Impact::Replacement => "REPLACEMENT",
        }
    }
}

/// Added, removed or modified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// Only in the new template.
    Added,
    /// Only in the old template.
    Removed,
    /// In both, different.
    Modified,
}

impl ChangeKind {
    fn mark(self) -> &'static str {
        match self {
            ChangeKind::Added => "+",
            ChangeKind::Removed => "-",
            ChangeKind::Modified => "~",
        }
    }
}

/// One changed value inside a resource.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PropertyChange {
    /// Path inside the resource (`Properties/VpcId`, `DeletionPolicy`).
    pub path: String,
    /// The old value (absent when added).
    pub old: Option<Json>,
    /// The new value (absent when removed).
    pub new: Option<Json>,
    /// What this change does to the resource.
    pub impact: Impact,
}

/// One resource's change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResourceDiff {
    /// Logical id.
    pub id: String,
    /// Type (the new one when it changed).
    pub type_name: String,
    /// Added, removed or modified.
    pub kind: ChangeKind,
    /// For modifications: the strongest impact of its changes.
    pub impact: Impact,
    /// Whether the type holds data.
    pub stateful: bool,
    /// Whether the old template retains it (DeletionPolicy/UpdateReplacePolicy Retain).
    pub retained: bool,
    /// The changed values (modifications only).
    pub changes: Vec<PropertyChange>,
    /// When its replacement comes from another resource's: the replaced
    /// resource it references in a create-only property (`Vpc` for a
    /// subnet whose `VpcId` is `!Ref Vpc`). `None` for its own changes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaced_because: Option<String>,
}

/// A changed entry of Parameters, Outputs, exports, Conditions, Mappings or
/// a top-level section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntryChange {
    /// The entry's name.
    pub name: String,
    /// Added, removed or modified.
    pub kind: ChangeKind,
    /// Old value.
    pub old: Option<Json>,
    /// New value.
    pub new: Option<Json>,
}

/// An IAM policy statement added or removed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatementChange {
    /// The resource holding the policy.
    pub resource: String,
    /// Added or removed.
    pub kind: ChangeKind,
    /// `Allow` or `Deny`.
    pub effect: String,
    /// Principal (compact JSON), if any.
    pub principal: String,
    /// Actions.
    pub action: String,
    /// Resources.
    pub target: String,
    /// Condition (compact JSON), if any.
    pub condition: String,
}

/// A security-group rule added or removed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SgRuleChange {
    /// The resource holding the rule.
    pub resource: String,
    /// Added or removed.
    pub kind: ChangeKind,
    /// `ingress` or `egress`.
    pub direction: &'static str,
    /// Protocol.
    pub protocol: String,
    /// Port or range.
    pub ports: String,
    /// CIDR, prefix list or security group.
    pub peer: String,
}

/// Everything that differs.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TemplateDiff {
    /// Resource changes, in template order (old order, then new additions).
    pub resources: Vec<ResourceDiff>,
    /// Parameter changes.
    pub parameters: Vec<EntryChange>,
    /// Output changes.
    pub outputs: Vec<EntryChange>,
    /// Export name changes (what other stacks import).
    pub exports: Vec<EntryChange>,
    /// Condition, mapping, rule and top-level section changes.
    pub other: Vec<EntryChange>,
    /// IAM statements added or removed.
    pub iam: Vec<StatementChange>,
    /// Security-group rules added or removed.
    pub security_groups: Vec<SgRuleChange>,
}

impl TemplateDiff {
    /// Whether the templates are the same as data.
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty()
            && self.parameters.is_empty()
            && self.outputs.is_empty()
            && self.exports.is_empty()
            && self.other.is_empty()
    }

    /// Whether any resource would be replaced, a stateful one possibly
    /// replaced, or a stateful one removed.
    pub fn has_replacement(&self) -> bool {
        self.resources.iter().any(|r| {
            (r.kind == ChangeKind::Modified && r.impact == Impact::Replacement)
                || self.data_at_risk_of(r).is_some()
        })
    }

    fn data_at_risk_of<'a>(&self, r: &'a ResourceDiff) -> Option<&'a ResourceDiff> {
        (r.stateful
            && (r.kind == ChangeKind::Removed
                || (r.kind == ChangeKind::Modified && r.impact != Impact::InPlace)))
            .then_some(r)
    }

    /// The stateful resources that would be replaced or deleted.
    pub fn data_at_risk(&self) -> Vec<&ResourceDiff> {
        self.resources
            .iter()
            .filter_map(|r| self.data_at_risk_of(r))
            .collect()
    }
}

fn json(e: &Expr) -> Json {
    e.to_json()
}

fn keeps(p: &Option<Expr>) -> bool {
    matches!(
        p.as_ref().and_then(Expr::as_str),
        Some("Retain") | Some("Snapshot") | Some("RetainExceptOnCreate")
    )
}

/// Leaf-level differences between two expressions.
fn leaves(
    old: Option<&Expr>,
    new: Option<&Expr>,
    path: &mut Vec<String>,
    out: &mut Vec<(Vec<String>, Option<Json>, Option<Json>)>,
) {
    if old == new {
        return;
    }
    if let (Some(a), Some(b)) = (old, new) {
        if scalar_equivalent(a, b) {
            return;
        }
    }
    match (old, new) {
        (Some(Expr::Map(a)), Some(Expr::Map(b))) => map_leaves(a, b, path, out),
        (Some(Expr::List(a)), Some(Expr::List(b))) if is_tag_list(a) && is_tag_list(b) => {
            tag_leaves(a, b, path, out)
        }
        (Some(Expr::List(a)), Some(Expr::List(b))) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                path.push(i.to_string());
                leaves(Some(x), Some(y), path, out);
                path.pop();
            }
        }
        _ => out.push((path.clone(), old.map(json), new.map(json))),
    }
}

/// Whether two scalars are the same to CloudFormation, which hands every
/// scalar property to the resource as text: `5` and `"5"`, `90` and `90.0`,
/// `true` and `"true"` are no change.
fn scalar_equivalent(a: &Expr, b: &Expr) -> bool {
    let num = |e: &Expr| match e {
        Expr::Number(n) => n.as_f64(),
        Expr::String(s) if !s.trim().is_empty() && s.trim() == s => s.parse::<f64>().ok(),
        _ => None,
    };
    let boolean = |e: &Expr| match e {
        Expr::Bool(b) => Some(*b),
        Expr::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Expr::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    };
    let literal = |e: &Expr| matches!(e, Expr::Number(_) | Expr::Bool(_) | Expr::String(_));
    if !literal(a) || !literal(b) || matches!((a, b), (Expr::String(_), Expr::String(_))) {
        return false;
    }
    match (num(a), num(b)) {
        (Some(x), Some(y)) => return x == y,
        (Some(_), None) | (None, Some(_)) => return false,
        _ => {}
    }
    matches!((boolean(a), boolean(b)), (Some(x), Some(y)) if x == y)
}

/// A list of `{Key, Value}` maps with literal, distinct keys: tags.
fn is_tag_list(items: &[Expr]) -> bool {
    let mut keys = IndexSet::new();
    !items.is_empty()
        && items.iter().all(|i| match i {
            Expr::Map(m) => {
                m.len() == 2
                    && m.contains_key("Value")
                    && matches!(m.get("Key"), Some(Expr::String(k)) if keys.insert(k.as_str()))
            }
            _ => false,
        })
}

/// Tags compared by key (`Tags/env`), each value in full: a tag added in
/// the middle of the list changes one tag, not the list.
fn tag_leaves(
    a: &[Expr],
    b: &[Expr],
    path: &mut Vec<String>,
    out: &mut Vec<(Vec<String>, Option<Json>, Option<Json>)>,
) {
    let by_key = |items: &[Expr]| -> IndexMap<String, Expr> {
        items
            .iter()
            .filter_map(|i| match i {
                Expr::Map(m) => Some((m.get("Key")?.as_str()?.to_owned(), m.get("Value")?.clone())),
                _ => None,
            })
            .collect()
    };
    let (old, new) = (by_key(a), by_key(b));
    let keys: IndexSet<&String> = old.keys().chain(new.keys()).collect();
    for k in keys {
        path.push(k.clone());
        let (o, n) = (old.get(k), new.get(k));
        if o != n && !matches!((o, n), (Some(x), Some(y)) if scalar_equivalent(x, y)) {
            out.push((path.clone(), o.map(json), n.map(json)));
        }
        path.pop();
    }
}

/// Leaf-level differences between two maps.
fn map_leaves(
    a: &cfn_core::ExprMap,
    b: &cfn_core::ExprMap,
    path: &mut Vec<String>,
    out: &mut Vec<(Vec<String>, Option<Json>, Option<Json>)>,
) {
    let keys: IndexSet<&String> = a.keys().chain(b.keys()).collect();
    for k in keys {
        path.push(k.clone());
        leaves(a.get(k), b.get(k), path, out);
        path.pop();
    }
}

fn pointer_segments(p: &str) -> Vec<&str> {
    p.trim_start_matches("/properties/").split('/').collect()
}

fn matches_prefix(pattern: &[&str], path: &[String]) -> bool {
    pattern.len() <= path.len() && pattern.iter().zip(path).all(|(p, s)| *p == "*" || p == s)
}

fn classify(path: &[String], create_only: &Option<Vec<String>>, conditional: &[String]) -> Impact {
    let Some(create_only) = create_only else {
        return Impact::Conditional;
    };
    let hit = |pointers: &[String]| {
        pointers.iter().any(|p| {
            let seg = pointer_segments(p);
            matches_prefix(&seg, path)
                || matches_prefix(
                    &path.iter().map(String::as_str).collect::<Vec<_>>(),
                    &seg.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                )
        })
    };
    if hit(create_only) {
        Impact::Replacement
    } else if hit(conditional) {
        Impact::Conditional
    } else {
        Impact::InPlace
    }
}

fn resource_diff(
    id: &str,
    old: &Resource,
    new: &Resource,
    facts: &dyn SchemaFacts,
) -> Option<ResourceDiff> {
    let mut changes = Vec::new();
    if old.type_name != new.type_name {
        changes.push(PropertyChange {
            path: "Type".into(),
            old: Some(Json::String(old.type_name.clone())),
            new: Some(Json::String(new.type_name.clone())),
            impact: Impact::Replacement,
        });
    }
    let create_only = facts.create_only(&new.type_name);
    let conditional = facts.conditional_create_only(&new.type_name);
    let empty = cfn_core::ExprMap::new();
    let (po, pn) = (
        old.properties.as_ref().unwrap_or(&empty),
        new.properties.as_ref().unwrap_or(&empty),
    );
    let mut found = Vec::new();
    map_leaves(po, pn, &mut Vec::new(), &mut found);
    for (path, o, n) in found {
        changes.push(PropertyChange {
            impact: classify(&path, &create_only, &conditional),
            path: format!("Properties/{}", path.join("/")),
            old: o,
            new: n,
        });
    }
    let attrs: [(&str, Option<Expr>, Option<Expr>); 7] = [
        (
            "Condition",
            old.condition.clone().map(Expr::String),
            new.condition.clone().map(Expr::String),
        ),
        (
            "DependsOn",
            old.depends_on
                .as_ref()
                .map(|d| Expr::List(d.targets.iter().map(|t| Expr::String(t.clone())).collect())),
            new.depends_on
                .as_ref()
                .map(|d| Expr::List(d.targets.iter().map(|t| Expr::String(t.clone())).collect())),
        ),
        (
            "DeletionPolicy",
            old.deletion_policy.clone(),
            new.deletion_policy.clone(),
        ),
        (
            "UpdateReplacePolicy",
            old.update_replace_policy.clone(),
            new.update_replace_policy.clone(),
        ),
        (
            "UpdatePolicy",
            old.update_policy.clone(),
            new.update_policy.clone(),
        ),
        (
            "CreationPolicy",
            old.creation_policy.clone(),
            new.creation_policy.clone(),
        ),
        ("Metadata", old.metadata.clone(), new.metadata.clone()),
    ];
    for (name, o, n) in attrs {
        let mut found = Vec::new();
        leaves(
            o.as_ref(),
            n.as_ref(),
            &mut vec![name.to_owned()],
            &mut found,
        );
        for (path, o, n) in found {
            changes.push(PropertyChange {
                path: path.join("/"),
                old: o,
                new: n,
                impact: Impact::InPlace,
            });
        }
    }
    if changes.is_empty() {
        return None;
    }
    Some(ResourceDiff {
        id: id.to_owned(),
        type_name: new.type_name.clone(),
        kind: ChangeKind::Modified,
        impact: changes
            .iter()
            .map(|c| c.impact)
            .max()
            .unwrap_or(Impact::InPlace),
        stateful: is_stateful(&old.type_name) || is_stateful(&new.type_name),
        retained: keeps(&old.deletion_policy) && keeps(&old.update_replace_policy),
        changes,
        replaced_because: None,
    })
}

/// The property path of a reference (`SubnetIds/0` for
/// `SubnetIds/0/Ref`): the segments before the first intrinsic.
fn reference_property_path(path: &str) -> Vec<String> {
    path.split('/')
        .take_while(|s| *s != "Ref" && !s.starts_with("Fn::"))
        .map(str::to_owned)
        .collect()
}

/// Replacement travels through references: a resource that references a
/// replaced one (`Ref` gives the new id, `Fn::GetAtt` its new attributes)
/// in a create-only property is replaced too, even though its own text did
/// not change. Repeats until nothing new is replaced, so chains (VPC ->
/// subnet -> NAT gateway) come out whole, each link naming its cause.
fn propagate_replacement(
    old: &Template,
    new: &Template,
    facts: &dyn SchemaFacts,
    d: &mut TemplateDiff,
) {
    loop {
        let replaced: IndexSet<String> = d
            .resources
            .iter()
            .filter(|r| r.kind == ChangeKind::Modified && r.impact == Impact::Replacement)
            .map(|r| r.id.clone())
            .collect();
        let mut grew = false;
        for (id, n) in &new.resources {
            let id = id.as_str();
            let Some(o) = old.resources.get(id) else {
                continue;
            };
            let pos = d.resources.iter().position(|r| r.id == id);
            if pos.is_some_and(|i| d.resources[i].impact == Impact::Replacement) {
                continue;
            }
            let create_only = facts.create_only(&n.type_name);
            if create_only.is_none() {
                continue; // unknown type: its own diff already says "may replace"
            }
            let conditional = facts.conditional_create_only(&n.type_name);
            let mut found: Option<(Impact, String, Vec<String>, Json)> = None;
            for (k, v) in n.properties.iter().flatten() {
                for r in cfn_core::graph::references(v, k) {
                    if !matches!(r.kind, RefKind::Ref | RefKind::GetAtt | RefKind::Sub)
                        || !replaced.contains(&r.target)
                    {
                        continue;
                    }
                    let path = reference_property_path(&r.path);
                    let impact = classify(&path, &create_only, &conditional);
                    if impact != Impact::InPlace && found.as_ref().is_none_or(|(i, ..)| impact > *i)
                    {
                        found = Some((impact, r.target.clone(), path, json(v)));
                    }
                }
            }
            let Some((impact, cause, path, value)) = found else {
                continue;
            };
            let change = PropertyChange {
                path: format!("Properties/{}", path.join("/")),
                old: Some(value.clone()),
                new: Some(value),
                impact,
            };
            match pos {
                Some(i) => {
                    let r = &mut d.resources[i];
                    if impact <= r.impact {
                        continue;
                    }
                    r.impact = impact;
                    r.replaced_because = Some(cause);
                    r.changes.push(change);
                }
                None => d.resources.push(ResourceDiff {
                    id: id.to_owned(),
                    type_name: n.type_name.clone(),
                    kind: ChangeKind::Modified,
                    impact,
                    stateful: is_stateful(&o.type_name) || is_stateful(&n.type_name),
                    retained: keeps(&o.deletion_policy) && keeps(&o.update_replace_policy),
                    changes: vec![change],
                    replaced_because: Some(cause),
                }),
            }
            grew |= impact == Impact::Replacement;
        }
        if !grew {
            break;
        }
    }
    // Template order, as for every other change.
    let order: IndexMap<&str, usize> = old
        .resources
        .keys()
        .chain(new.resources.keys())
        .map(|k| k.as_str())
        .collect::<IndexSet<&str>>()
        .into_iter()
        .enumerate()
        .map(|(i, k)| (k, i))
        .collect();
    d.resources
        .sort_by_key(|r| order.get(r.id.as_str()).copied().unwrap_or(usize::MAX));
}

fn entries<K, V>(
    old: &IndexMap<K, V>,
    new: &IndexMap<K, V>,
    to_json: impl Fn(&V) -> Json,
    prefix: &str,
) -> Vec<EntryChange>
where
    K: AsRef<str> + std::hash::Hash + Eq,
{
    let mut out = Vec::new();
    let old_j: IndexMap<&str, Json> = old.iter().map(|(k, v)| (k.as_ref(), to_json(v))).collect();
    let new_j: IndexMap<&str, Json> = new.iter().map(|(k, v)| (k.as_ref(), to_json(v))).collect();
    for (k, o) in &old_j {
        match new_j.get(k) {
            None => out.push(EntryChange {
                name: format!("{prefix}{k}"),
                kind: ChangeKind::Removed,
                old: Some(o.clone()),
                new: None,
            }),
            Some(n) if n != o => out.push(EntryChange {
                name: format!("{prefix}{k}"),
                kind: ChangeKind::Modified,
                old: Some(o.clone()),
                new: Some(n.clone()),
            }),
            _ => {}
        }
    }
    for (k, n) in &new_j {
        if !old_j.contains_key(k) {
            out.push(EntryChange {
                name: format!("{prefix}{k}"),
                kind: ChangeKind::Added,
                old: None,
                new: Some(n.clone()),
            });
        }
    }
    out
}

fn compact(v: Option<&Expr>) -> String {
    v.map(|e| serde_json::to_string(e).unwrap_or_default())
        .unwrap_or_default()
}

fn plain(v: Option<&Expr>) -> String {
    match v {
        Some(Expr::String(s)) => s.clone(),
        Some(Expr::List(l)) if l.iter().all(|x| matches!(x, Expr::String(_))) => l
            .iter()
            .filter_map(Expr::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        other => compact(other),
    }
}

/// Every policy statement of a resource, as table rows.
fn statements_of(id: &str, r: &Resource) -> Vec<StatementChange> {
    let Some(props) = &r.properties else {
        return vec![];
    };
    let mut docs: Vec<&Expr> = Vec::new();
    for key in ["PolicyDocument", "AssumeRolePolicyDocument", "KeyPolicy"] {
        docs.extend(props.get(key));
    }
    if let Some(Expr::List(ps)) = props.get("Policies") {
        for p in ps {
            if let Expr::Map(m) = p {
                docs.extend(m.get("PolicyDocument"));
            }
        }
    }
    let mut out = Vec::new();
    for d in docs {
        let stmts = match d {
            Expr::Map(m) => match m.get("Statement") {
                Some(Expr::List(l)) => l.iter().collect(),
                Some(s @ Expr::Map(_)) => vec![s],
                _ => vec![],
            },
            _ => vec![],
        };
        for s in stmts {
            let Expr::Map(s) = s else { continue };
            out.push(StatementChange {
                resource: id.to_owned(),
                kind: ChangeKind::Added,
                effect: plain(s.get("Effect")),
                principal: compact(s.get("Principal").or(s.get("NotPrincipal"))),
                action: plain(s.get("Action").or(s.get("NotAction"))),
                target: plain(s.get("Resource").or(s.get("NotResource"))),
                condition: compact(s.get("Condition")),
            });
        }
    }
    out
}

fn sg_rules_of(id: &str, r: &Resource) -> Vec<SgRuleChange> {
    let Some(props) = &r.properties else {
        return vec![];
    };
    let row = |direction: &'static str, m: &cfn_core::ExprMap| {
        let from = plain(m.get("FromPort"));
        let to = plain(m.get("ToPort"));
        let peer = [
            "CidrIp",
            "CidrIpv6",
            "SourceSecurityGroupId",
            "DestinationSecurityGroupId",
            "SourcePrefixListId",
            "DestinationPrefixListId",
        ]
        .iter()
        .find_map(|k| m.get(*k).map(|v| plain(Some(v))))
        .unwrap_or_default();
        SgRuleChange {
            resource: id.to_owned(),
            kind: ChangeKind::Added,
            direction,
            protocol: plain(m.get("IpProtocol")),
            ports: if from == to {
                from
            } else {
                format!("{from}-{to}")
            },
            peer,
        }
    };
    match r.type_name.as_str() {
        "AWS::EC2::SecurityGroup" => {
            let mut out = Vec::new();
            for (key, dir) in [
                ("SecurityGroupIngress", "ingress"),
                ("SecurityGroupEgress", "egress"),
            ] {
                if let Some(Expr::List(l)) = props.get(key) {
                    for x in l {
                        if let Expr::Map(m) = x {
                            out.push(row(dir, m));
                        }
                    }
                }
            }
            out
        }
        "AWS::EC2::SecurityGroupIngress" => vec![row("ingress", props)],
        "AWS::EC2::SecurityGroupEgress" => vec![row("egress", props)],
        _ => vec![],
    }
}

fn set_diff<T: PartialEq + Clone>(
    old: &[T],
    new: &[T],
    mut set_kind: impl FnMut(&mut T, ChangeKind),
) -> Vec<T> {
    let mut out = Vec::new();
    for o in old {
        if !new.contains(o) {
            let mut o = o.clone();
            set_kind(&mut o, ChangeKind::Removed);
            out.push(o);
        }
    }
    for n in new {
        if !old.contains(n) {
            out.push(n.clone());
        }
    }
    out
}

/// Compares `old` with `new`.
pub fn diff(old: &Template, new: &Template, facts: &dyn SchemaFacts) -> TemplateDiff {
    let mut d = TemplateDiff::default();
    for (id, o) in &old.resources {
        match new.resources.get(id.as_str()) {
            None => d.resources.push(ResourceDiff {
                id: id.as_str().to_owned(),
                type_name: o.type_name.clone(),
                kind: ChangeKind::Removed,
                impact: Impact::Replacement,
                stateful: is_stateful(&o.type_name),
                retained: keeps(&o.deletion_policy),
                changes: vec![],
                replaced_because: None,
            }),
            Some(n) => d.resources.extend(resource_diff(id.as_str(), o, n, facts)),
        }
    }
    for (id, n) in &new.resources {
        if !old.resources.contains_key(id.as_str()) {
            d.resources.push(ResourceDiff {
                id: id.as_str().to_owned(),
                type_name: n.type_name.clone(),
                kind: ChangeKind::Added,
                impact: Impact::InPlace,
                stateful: is_stateful(&n.type_name),
                retained: keeps(&n.deletion_policy),
                changes: vec![],
                replaced_because: None,
            });
        }
    }
    propagate_replacement(old, new, facts, &mut d);
    d.parameters = entries(&old.parameters, &new.parameters, to_json, "");
    d.outputs = entries(&old.outputs, &new.outputs, to_json, "");
    let exports = |t: &Template| -> IndexMap<String, Json> {
        t.outputs
            .iter()
            .filter_map(|(id, o)| {
                let name = o.export.as_ref()?;
                let key = match name {
                    Expr::String(s) => s.clone(),
                    other => compact(Some(other)),
                };
                Some((
                    key,
                    serde_json::json!({"output": id.as_str(), "value": json(&o.value)}),
                ))
            })
            .collect()
    };
    d.exports = entries(&exports(old), &exports(new), Clone::clone, "");
    d.other.extend(entries(
        &old.conditions,
        &new.conditions,
        json,
        "Conditions/",
    ));
    d.other.extend(entries(
        &old.mappings,
        &new.mappings,
        |m| serde_json::to_value(m).unwrap_or_default(),
        "Mappings/",
    ));
    d.other
        .extend(entries(&old.rules, &new.rules, to_json, "Rules/"));
    let top = |t: &Template| -> IndexMap<&'static str, Json> {
        let mut m = IndexMap::new();
        if let Some(v) = &t.description {
            m.insert("Description", Json::String(v.clone()));
        }
        if let Some(v) = &t.transform {
            m.insert("Transform", json(v));
        }
        if !t.metadata.is_empty() {
            m.insert("Metadata", json(&Expr::Map(t.metadata.clone())));
        }
        if let Some(v) = &t.format_version {
            m.insert("AWSTemplateFormatVersion", Json::String(v.clone()));
        }
        m
    };
    d.other
        .extend(entries(&top(old), &top(new), Clone::clone, ""));

    let all_ids: IndexSet<&str> = old
        .resources
        .keys()
        .chain(new.resources.keys())
        .map(|k| k.as_str())
        .collect();
    for id in all_ids {
        let o = old.resources.get(id);
        let n = new.resources.get(id);
        let so = o.map(|r| statements_of(id, r)).unwrap_or_default();
        let sn = n.map(|r| statements_of(id, r)).unwrap_or_default();
        d.iam.extend(set_diff(&so, &sn, |s, k| s.kind = k));
        let go = o.map(|r| sg_rules_of(id, r)).unwrap_or_default();
        let gn = n.map(|r| sg_rules_of(id, r)).unwrap_or_default();
        d.security_groups
            .extend(set_diff(&go, &gn, |s, k| s.kind = k));
    }
    d
}

fn to_json<T: Serialize>(v: &T) -> Json {
    serde_json::to_value(v).unwrap_or_default()
}

// ---------------------------------------------------------------- rendering

/// A value for one line: strings and numbers whole (a tag's value is read
/// in full), lists and maps cut at 120 characters.
fn short(v: &Option<Json>) -> String {
    match v {
        None => "(none)".into(),
        Some(v @ (Json::String(_) | Json::Number(_) | Json::Bool(_) | Json::Null)) => {
            serde_json::to_string(v).unwrap_or_default()
        }
        Some(v) => {
            let s = serde_json::to_string(v).unwrap_or_default();
            if s.chars().count() > 120 {
                format!("{}…", s.chars().take(119).collect::<String>())
            } else {
                s
            }
        }
    }
}

/// The old and new text of a change; a reference whose text is the same
/// but whose target is replaced says so.
fn change_text(r: &ResourceDiff, c: &PropertyChange) -> (String, String) {
    let from = short(&c.old);
    match &r.replaced_because {
        Some(cause) if c.old == c.new => (from, format!("the new {cause}")),
        _ => (from, short(&c.new)),
    }
}

/// Plain or ANSI-colored text for a terminal.
pub fn render_text(d: &TemplateDiff, color: bool) -> String {
    let paint = |code: &str, s: &str| {
        if color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    };
    let mark = |k: ChangeKind| match k {
        ChangeKind::Added => paint("32", "[+]"),
        ChangeKind::Removed => paint("31", "[-]"),
        ChangeKind::Modified => paint("33", "[~]"),
    };
    let mut out = String::new();
    if d.is_empty() {
        out.push_str("no changes\n");
        return out;
    }
    for r in d.data_at_risk() {
        let verb = if r.kind == ChangeKind::Removed {
            "be deleted"
        } else if r.impact == Impact::Replacement {
            "be replaced"
        } else {
            "possibly be replaced"
        };
        let kept = if r.retained {
            " (the old one is retained, but the stack would point at a new, empty one)"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{}",
            paint(
                "1;31",
                &format!(
                    "!!! DATA AT RISK: {} ({}) would {verb}{kept}",
                    r.id, r.type_name
                )
            )
        );
    }
    if !d.resources.is_empty() {
        out.push_str("Resources\n");
        for r in &d.resources {
            let impact = if r.kind == ChangeKind::Modified {
                let l = r.impact.label();
                format!(
                    " {}",
                    if r.impact == Impact::Replacement {
                        paint("1;31", l)
                    } else {
                        l.to_owned()
                    }
                )
            } else {
                String::new()
            };
            let because = match &r.replaced_because {
                Some(c) => format!(" because {c} is replaced"),
                None => String::new(),
            };
            let _ = writeln!(
                out,
                "{} {} ({}){impact}{because}",
                mark(r.kind),
                r.id,
                r.type_name
            );
            for c in &r.changes {
                let (from, to) = change_text(r, c);
                let _ = writeln!(
                    out,
                    "      {}: {from} -> {to} ({})",
                    c.path,
                    c.impact.label()
                );
            }
        }
    }
    for (title, list) in [
        ("Parameters", &d.parameters),
        ("Outputs", &d.outputs),
        ("Exports", &d.exports),
        ("Other sections", &d.other),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{title}");
        for e in list.iter() {
            let _ = writeln!(
                out,
                "{} {}: {} -> {}",
                mark(e.kind),
                e.name,
                short(&e.old),
                short(&e.new)
            );
        }
    }
    if !d.iam.is_empty() {
        out.push_str("IAM statement changes\n");
        for s in &d.iam {
            let _ = writeln!(
                out,
                "{} {}: {} {} on {} principal {} condition {}",
                mark(s.kind),
                s.resource,
                s.effect,
                s.action,
                s.target,
                or_dash(&s.principal),
                or_dash(&s.condition)
            );
        }
    }
    if !d.security_groups.is_empty() {
        out.push_str("Security group rule changes\n");
        for s in &d.security_groups {
            let _ = writeln!(
                out,
                "{} {}: {} {} {} {}",
                mark(s.kind),
                s.resource,
                s.direction,
                s.protocol,
                s.ports,
                s.peer
            );
        }
    }
    out
}

fn or_dash(s: &str) -> &str {
    if s.is_empty() {
        "-"
    } else {
        s
    }
}

fn md(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Markdown for a pull-request comment.
pub fn render_markdown(d: &TemplateDiff, title: &str) -> String {
    let mut out = format!("### {title}\n\n");
    if d.is_empty() {
        out.push_str("No changes.\n");
        return out;
    }
    for r in d.data_at_risk() {
        let verb = if r.kind == ChangeKind::Removed {
            "deleted"
        } else if r.impact == Impact::Replacement {
            "replaced"
        } else {
            "possibly replaced"
        };
        let _ = writeln!(
            out,
            "> [!CAUTION]\n> **{}** (`{}`) holds data and would be **{verb}**.\n",
            r.id, r.type_name
        );
    }
    if !d.resources.is_empty() {
        out.push_str("| | resource | type | impact |\n|---|---|---|---|\n");
        for r in &d.resources {
            let impact = match r.kind {
                ChangeKind::Modified => match &r.replaced_because {
                    Some(c) => format!("{} (because `{c}` is replaced)", r.impact.label()),
                    None => r.impact.label().to_owned(),
                },
                ChangeKind::Added => "added".into(),
                ChangeKind::Removed => "removed".into(),
            };
            let _ = writeln!(
                out,
                "| {} | `{}` | `{}` | {} |",
                r.kind.mark(),
                r.id,
                r.type_name,
                impact
            );
        }
        let modified: Vec<&ResourceDiff> = d
            .resources
            .iter()
            .filter(|r| !r.changes.is_empty())
            .collect();
        if !modified.is_empty() {
            out.push_str("\n<details><summary>property changes</summary>\n\n| resource | path | old | new | impact |\n|---|---|---|---|---|\n");
            for r in modified {
                for c in &r.changes {
                    let (from, to) = change_text(r, c);
                    let _ = writeln!(
                        out,
                        "| `{}` | `{}` | `{}` | `{}` | {} |",
                        r.id,
                        md(&c.path),
                        md(&from),
                        md(&to),
                        c.impact.label()
                    );
                }
            }
            out.push_str("\n</details>\n");
        }
    }
    for (title, list) in [
        ("Parameters", &d.parameters),
        ("Outputs", &d.outputs),
        ("Exports", &d.exports),
        ("Other sections", &d.other),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\n**{title}**\n\n| | name | old | new |\n|---|---|---|---|"
        );
        for e in list.iter() {
            let _ = writeln!(
                out,
                "| {} | `{}` | `{}` | `{}` |",
                e.kind.mark(),
                md(&e.name),
                md(&short(&e.old)),
                md(&short(&e.new))
            );
        }
    }
    if !d.iam.is_empty() {
        out.push_str("\n**IAM statements**\n\n| | resource | effect | action | resource | principal | condition |\n|---|---|---|---|---|---|---|\n");
        for s in &d.iam {
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | `{}` | `{}` | `{}` | `{}` |",
                s.kind.mark(),
                s.resource,
                s.effect,
                md(&s.action),
                md(&s.target),
                md(or_dash(&s.principal)),
                md(or_dash(&s.condition))
            );
        }
    }
    if !d.security_groups.is_empty() {
        out.push_str("\n**Security group rules**\n\n| | resource | direction | protocol | ports | peer |\n|---|---|---|---|---|---|\n");
        for s in &d.security_groups {
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | {} | {} | `{}` |",
                s.kind.mark(),
                s.resource,
                s.direction,
                md(&s.protocol),
                md(&s.ports),
                md(&s.peer)
            );
        }
    }
    out
}

/// Pretty JSON of the whole diff, for machines.
pub fn render_json(d: &TemplateDiff) -> String {
    let mut s = serde_json::to_string_pretty(d).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_order_and_whitespace_are_not_changes() {
        let a = Template::from_json(r#"{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"A": 1, "B": {"x": 1, "y": 2}}}}}"#).unwrap();
        let b = Template::from_yaml("Resources:\n  B:\n    Properties:\n      B: {y: 2, x: 1}\n      A: 1\n    Type: AWS::S3::Bucket\n").unwrap();
        assert!(diff(&a, &b, &StaticFacts::new()).is_empty());
    }

    #[test]
    fn nested_create_only_pointers_match_through_lists() {
        let path: Vec<String> = ["Rules", "3", "Id"].iter().map(|s| s.to_string()).collect();
        let co = Some(vec!["/properties/Rules/*/Id".to_string()]);
        assert_eq!(classify(&path, &co, &[]), Impact::Replacement);
        let other: Vec<String> = ["Rules", "3", "Name"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(classify(&other, &co, &[]), Impact::InPlace);
        assert_eq!(classify(&other, &None, &[]), Impact::Conditional);
    }
}

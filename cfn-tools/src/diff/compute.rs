//! Computing the diff: leaf comparison under CloudFormation's equivalences,
//! impact from create-only facts, replacement travelling through references,
//! section entries, IAM statements and security-group rules.

use super::*;
use cfn_core::graph::RefKind;
use cfn_core::{Expr, Resource, Template};
use cfn_resources::schema::is_stateful;
use indexmap::{IndexMap, IndexSet};

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

/// Every policy statement of a resource (any kind of document), as table
/// rows.
fn statements_of(id: &str, r: &Resource) -> Vec<StatementChange> {
    let mut out = Vec::new();
    for (_, _, doc) in crate::policy::documents(r) {
        for (_, s) in crate::policy::statements(doc) {
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

/// Every security-group rule of a resource, as table rows.
fn sg_rules_of(id: &str, r: &Resource) -> Vec<SgRuleChange> {
    crate::policy::sg_rules(r)
        .into_iter()
        .map(|rule| {
            let m = rule.rule;
            let from = plain(m.get("FromPort"));
            let to = plain(m.get("ToPort"));
            let peer = crate::policy::PEER_KEYS
                .iter()
                .find_map(|k| m.get(*k).map(|v| plain(Some(v))))
                .unwrap_or_default();
            SgRuleChange {
                resource: id.to_owned(),
                kind: ChangeKind::Added,
                direction: rule.direction.as_str(),
                protocol: plain(m.get("IpProtocol")),
                ports: if from == to {
                    from
                } else {
                    format!("{from}-{to}")
                },
                peer,
            }
        })
        .collect()
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

//! Computing the diff: resources compared property by property (leaves in
//! `leaves.rs`, impact in `impact.rs`), section entries, and the IAM and
//! security-group tables (`tables.rs`).

use super::impact::{classify, propagate_replacement};
use super::leaves::{json, leaves, map_leaves};
use super::tables::{compact, set_diff, sg_rules_of, statements_of};
use super::*;
use cfn_core::{Expr, Resource, Template};
use cfn_resources::schema::is_stateful;
use indexmap::{IndexMap, IndexSet};

pub(super) fn keeps(p: &Option<Box<Expr>>) -> bool {
    matches!(
        p.as_deref().and_then(Expr::as_str),
        Some("Retain") | Some("Snapshot") | Some("RetainExceptOnCreate")
    )
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
            old.deletion_policy.as_deref().cloned(),
            new.deletion_policy.as_deref().cloned(),
        ),
        (
            "UpdateReplacePolicy",
            old.update_replace_policy.as_deref().cloned(),
            new.update_replace_policy.as_deref().cloned(),
        ),
        (
            "UpdatePolicy",
            old.update_policy.as_deref().cloned(),
            new.update_policy.as_deref().cloned(),
        ),
        (
            "CreationPolicy",
            old.creation_policy.as_deref().cloned(),
            new.creation_policy.as_deref().cloned(),
        ),
        (
            "Metadata",
            old.metadata.as_deref().cloned(),
            new.metadata.as_deref().cloned(),
        ),
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
}

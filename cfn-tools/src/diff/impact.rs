//! The impact of a change: a property path classified by the type's
//! create-only facts, and replacement travelling through references.

use super::compute::keeps;
use super::leaves::json;
use super::{ChangeKind, Impact, PropertyChange, ResourceDiff, SchemaFacts, TemplateDiff};
use cfn_core::graph::RefKind;
use cfn_core::Template;
use cfn_resources::schema::is_stateful;
use indexmap::{IndexMap, IndexSet};
use serde_json::Value as Json;

fn pointer_segments(p: &str) -> Vec<&str> {
    p.trim_start_matches("/properties/").split('/').collect()
}

fn matches_prefix(pattern: &[&str], path: &[String]) -> bool {
    pattern.len() <= path.len() && pattern.iter().zip(path).all(|(p, s)| *p == "*" || p == s)
}

pub(super) fn classify(
    path: &[String],
    create_only: &Option<Vec<String>>,
    conditional: &[String],
) -> Impact {
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
pub(super) fn propagate_replacement(
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

#[cfg(test)]
mod tests {
    use super::*;

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

//! The Resources section: type names, conditions, properties, policies,
//! `DependsOn`, and dependency cycles.

use super::context::{check_keys, json, Ctx};
use crate::error::{suggest, ErrorKind};
use crate::expr::Expr;
use crate::graph::{references, DependencyGraph, RefKind};
use crate::id::LogicalId;
use crate::resource::{Resource, CREATION_POLICY_KEYS, ROLLING_UPDATE_KEYS, UPDATE_POLICY_KEYS};
use indexmap::IndexMap;

/// Every resource, then the dependency cycles among them.
pub(super) fn check_resources(ctx: &mut Ctx<'_>) {
    let t = ctx.t;
    let graph = DependencyGraph::of(t);
    for (id, r) in &t.resources {
        check_resource(ctx, id, r);
    }
    check_cycles(ctx, &graph);
}

/// One resource: its type name and condition, then its properties,
/// policies and `DependsOn`.
fn check_resource(ctx: &mut Ctx<'_>, id: &LogicalId, r: &Resource) {
    let t = ctx.t;
    let base = format!("Resources/{id}");
    if !is_valid_type_name(&r.type_name) {
        ctx.error(format!("{base}/Type"), ErrorKind::InvalidValue {
            value: format!("{:?}", r.type_name),
            hint: crate::error::Hint::None,
            reason: "not a resource type name; use `AWS::Service::Resource` (for example `AWS::S3::Bucket`) or `Custom::Name`".into(),
        });
    }
    if let Some(c) = &r.condition {
        if t.conditions.contains_key(c.as_str()) {
            ctx.used_conditions.insert(c.clone());
        } else {
            let hint = suggest(c, t.conditions.keys().map(LogicalId::as_str));
            ctx.error(
                format!("{base}/Condition"),
                ErrorKind::DanglingCondition {
                    name: c.clone(),
                    hint,
                },
            );
        }
    }
    let implied = check_properties(ctx, &base, r);
    check_policies(ctx, &base, r);
    check_depends_on(ctx, id, &base, r, &implied);
}

/// The references in a resource's properties; returns the resources they
/// imply a dependency on, with how.
fn check_properties(ctx: &mut Ctx<'_>, base: &str, r: &Resource) -> IndexMap<String, RefKind> {
    let t = ctx.t;
    let mut implied: IndexMap<String, RefKind> = IndexMap::new();
    if let Some(props) = &r.properties {
        for (k, v) in props {
            let p = format!("{base}/Properties/{k}");
            ctx.check_arity(v, &p);
            for reference in references(v, &p) {
                if matches!(
                    reference.kind,
                    RefKind::Ref | RefKind::GetAtt | RefKind::Sub
                ) && t.resources.contains_key(reference.target.as_str())
                {
                    implied
                        .entry(reference.target.clone())
                        .or_insert(reference.kind);
                }
                ctx.check_reference(&reference, false);
            }
        }
    }
    implied
}

/// Metadata, UpdatePolicy, CreationPolicy, DeletionPolicy and
/// UpdateReplacePolicy.
fn check_policies(ctx: &mut Ctx<'_>, base: &str, r: &Resource) {
    for (key, e) in [
        ("Metadata", &r.metadata),
        ("UpdatePolicy", &r.update_policy),
        ("CreationPolicy", &r.creation_policy),
    ] {
        if let Some(e) = e {
            ctx.check_expr(e, &format!("{base}/{key}"), false);
        }
    }
    if let Some(up) = r.update_policy.as_deref() {
        check_keys(ctx, up, &format!("{base}/UpdatePolicy"), UPDATE_POLICY_KEYS);
        if let Expr::Map(m) = up {
            if let Some(ru) = m.get("AutoScalingRollingUpdate") {
                check_keys(
                    ctx,
                    ru,
                    &format!("{base}/UpdatePolicy/AutoScalingRollingUpdate"),
                    ROLLING_UPDATE_KEYS,
                );
            }
        }
    }
    if let Some(cp) = &r.creation_policy {
        check_keys(
            ctx,
            cp,
            &format!("{base}/CreationPolicy"),
            CREATION_POLICY_KEYS,
        );
    }
    for (key, e, allowed) in [
        (
            "DeletionPolicy",
            r.deletion_policy.as_deref(),
            &["Delete", "Retain", "RetainExceptOnCreate", "Snapshot"][..],
        ),
        (
            "UpdateReplacePolicy",
            r.update_replace_policy.as_deref(),
            &["Delete", "Retain", "Snapshot"][..],
        ),
    ] {
        match e {
            Some(Expr::String(s)) if !allowed.contains(&s.as_str()) => ctx.error(
                format!("{base}/{key}"),
                ErrorKind::InvalidValue {
                    value: format!("{s:?}"),
                    hint: suggest(s, allowed.iter().copied()),
                    reason: format!("`{key}` must be one of {}", allowed.join(", ")),
                },
            ),
            Some(other @ Expr::Fn(_)) => ctx.check_expr(other, &format!("{base}/{key}"), false),
            Some(Expr::String(_)) | None => {}
            Some(other) => ctx.error(
                format!("{base}/{key}"),
                ErrorKind::WrongType {
                    expected: format!("one of {}", allowed.join(", ")),
                    found: json(other),
                },
            ),
        }
    }
}

/// `DependsOn`: no self-dependency, existing targets, and a warning where a
/// reference already implies the dependency.
fn check_depends_on(
    ctx: &mut Ctx<'_>,
    id: &LogicalId,
    base: &str,
    r: &Resource,
    implied: &IndexMap<String, RefKind>,
) {
    let t = ctx.t;
    if let Some(d) = &r.depends_on {
        for target in &d.targets {
            let p = format!("{base}/DependsOn");
            if target == id.as_str() {
                ctx.error(
                    p,
                    ErrorKind::DependencyCycle {
                        cycle: format!("{id} -> {id}"),
                    },
                );
            } else if !t.resources.contains_key(target.as_str()) {
                let hint = ctx.resource_hint(target);
                ctx.error(
                    p,
                    ErrorKind::DanglingDependsOn {
                        target: target.clone(),
                        hint,
                    },
                );
            } else if let Some(kind) = implied.get(target) {
                ctx.warn(
                    p,
                    ErrorKind::RedundantDependsOn {
                        target: target.clone(),
                        via: kind.as_str().to_owned(),
                    },
                );
            }
        }
    }
}

/// Dependency cycles (self-cycles through `DependsOn` are reported by
/// [`check_depends_on`]).
fn check_cycles(ctx: &mut Ctx<'_>, graph: &DependencyGraph) {
    let t = ctx.t;
    for cycle in graph.cycles() {
        let self_depends = cycle.len() == 2
            && t.resources[cycle[0].as_str()]
                .depends_on
                .as_ref()
                .is_some_and(|d| d.targets.contains(&cycle[0]));
        if !self_depends {
            ctx.error(
                format!("Resources/{}", cycle[0]),
                ErrorKind::DependencyCycle {
                    cycle: cycle.join(" -> "),
                },
            );
        }
    }
}

fn is_valid_type_name(t: &str) -> bool {
    let parts: Vec<&str> = t.split("::").collect();
    let ok = |p: &&str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '@')
    };
    match parts.as_slice() {
        ["Custom", name] => ok(name),
        [_, _, _] | [_, _, _, "MODULE"] => parts.iter().all(ok),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        assert!(is_valid_type_name("AWS::S3::Bucket"));
        assert!(is_valid_type_name("Custom::Seeder"));
        assert!(is_valid_type_name("My::Org::Thing::MODULE"));
        assert!(!is_valid_type_name("AWS::S3"));
        assert!(!is_valid_type_name("AWS::S3::Bucket::Extra"));
        assert!(!is_valid_type_name("AWS S3 Bucket"));
    }
}

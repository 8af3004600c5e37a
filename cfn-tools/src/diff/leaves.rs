//! Leaf-level differences between two expressions, under
//! CloudFormation's equivalences: scalars compared as text (`5` and `"5"`),
//! tag lists compared by key, maps by key whatever their order.

use cfn_core::Expr;
use indexmap::{IndexMap, IndexSet};
use serde_json::Value as Json;

pub(super) fn json(e: &Expr) -> Json {
    e.to_json()
}

/// Leaf-level differences between two expressions.
pub(super) fn leaves(
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
pub(super) fn map_leaves(
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

//! Small readers over resources and values shared by the rules. Policy
//! documents and security-group rules come from [`crate::policy`], the one
//! home of that extraction (the diff reads the same).

use crate::policy::{self, PolicyKind, SgRule};
use cfn_core::{Expr, Intrinsic, Resource, Template};

/// Resources of the given types: `(logical id, resource)`.
pub(super) fn of_type<'t>(
    t: &'t Template,
    types: &'t [&str],
) -> impl Iterator<Item = (&'t str, &'t Resource)> + 't {
    t.resources
        .iter()
        .filter(move |(_, r)| types.contains(&r.type_name.as_str()))
        .map(|(id, r)| (id.as_str(), r))
}

/// The value at a `/`-separated path of map keys under `e`.
pub(super) fn get<'e>(e: &'e Expr, path: &str) -> Option<&'e Expr> {
    let mut cur = e;
    for seg in path.split('/') {
        cur = match cur {
            Expr::Map(m) => m.get(seg)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// The value at a `/`-separated path under the resource's `Properties`.
pub(super) fn prop<'r>(r: &'r Resource, path: &str) -> Option<&'r Expr> {
    let props = r.properties.as_ref()?;
    let (first, rest) = match path.split_once('/') {
        Some((a, b)) => (a, Some(b)),
        None => (path, None),
    };
    let v = props.get(first)?;
    match rest {
        Some(rest) => get(v, rest),
        None => Some(v),
    }
}

/// `Some(b)` for a literal boolean (or `"true"`/`"false"`), `None` for an
/// intrinsic or anything else.
pub(super) fn lit_bool(e: &Expr) -> Option<bool> {
    match e {
        Expr::Bool(b) => Some(*b),
        Expr::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Expr::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// Whether the value is literally true, or an intrinsic (benefit of the doubt).
pub(super) fn true_or_unknown(e: Option<&Expr>) -> bool {
    e.is_some_and(|v| is_intrinsic(v) || lit_bool(v) == Some(true))
}

pub(super) fn lit_str(e: &Expr) -> Option<&str> {
    e.as_str()
}

pub(super) fn lit_i64(e: &Expr) -> Option<i64> {
    match e {
        Expr::Number(n) => n.as_i64(),
        Expr::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub(super) fn is_intrinsic(e: &Expr) -> bool {
    matches!(e, Expr::Fn(_))
}

/// The items of a list, or the value itself when it is not a list.
pub(super) fn items(e: &Expr) -> Vec<&Expr> {
    match e {
        Expr::List(v) => v.iter().collect(),
        other => vec![other],
    }
}

/// The literal strings of a string-or-list value.
pub(super) fn strs(e: Option<&Expr>) -> Vec<&str> {
    e.map(|e| items(e).into_iter().filter_map(lit_str).collect())
        .unwrap_or_default()
}

/// The logical id a `Ref` or `Fn::GetAtt` names.
pub(super) fn target(e: &Expr) -> Option<&str> {
    match e.as_intrinsic()? {
        Intrinsic::Ref(id) => Some(id),
        Intrinsic::GetAtt { resource, .. } => Some(resource),
        _ => None,
    }
}

/// Whether `e` is a `Ref` or `Fn::GetAtt` to `id` (or `${id}` in a Sub).
pub(super) fn refers_to(e: &Expr, id: &str) -> bool {
    let mut found = false;
    e.walk(&mut |x| {
        if let Some(f) = x.as_intrinsic() {
            match f {
                Intrinsic::Ref(r) if r == id => found = true,
                Intrinsic::GetAtt { resource, .. } if resource == id => found = true,
                Intrinsic::Sub { template, .. }
                    if template.contains(&format!("${{{id}}}"))
                        || template.contains(&format!("${{{id}.")) =>
                {
                    found = true
                }
                _ => {}
            }
        }
    });
    found
}

/// The policy documents of one kind in the template: `(resource, template
/// path, document)`. Rules choose the kinds they judge explicitly: a rule
/// about what identities may do reads [`PolicyKind::Identity`] only, so a
/// key policy's standard `kms:*` for the account root is not a finding.
pub(super) fn documents(t: &Template, kind: PolicyKind) -> Vec<(&str, String, &Expr)> {
    let mut out = Vec::new();
    for (id, r) in &t.resources {
        for (k, path, doc) in policy::documents(r) {
            if k == kind {
                out.push((
                    id.as_str(),
                    format!("Resources/{id}/Properties/{path}"),
                    doc,
                ));
            }
        }
    }
    out
}

/// Whether a statement's `Principal` is everyone (`*` or `{AWS: *}`).
pub(super) fn principal_is_everyone(p: Option<&Expr>) -> bool {
    p.is_some_and(|p| {
        lit_str(p) == Some("*") || get(p, "AWS").is_some_and(|a| strs(Some(a)).contains(&"*"))
    })
}

/// The template path of a security-group rule: the inline rule
/// (`.../SecurityGroupIngress/0`) or, for a standalone rule resource, the
/// peer property (`.../CidrIp`).
pub(super) fn sg_rule_path(id: &str, rule: &SgRule<'_>, peer_key: &str) -> String {
    if rule.path.is_empty() {
        format!("Resources/{id}/Properties/{peer_key}")
    } else {
        format!("Resources/{id}/Properties/{}", rule.path)
    }
}

/// The security group a rule belongs to: the resource itself for inline
/// rules, `GroupId`'s target for standalone ones.
pub(super) fn group_of<'a>(id: &'a str, rule: &'a SgRule<'_>) -> Option<&'a str> {
    match rule.group {
        None => Some(id),
        Some(e) => target(e),
    }
}

//! The IAM statement and security-group rule tables: every statement and
//! rule of a resource as a row, and the rows added or removed.

use super::{ChangeKind, SgRuleChange, StatementChange};
use cfn_core::{Expr, Resource};

pub(super) fn compact(v: Option<&Expr>) -> String {
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
pub(super) fn statements_of(id: &str, r: &Resource) -> Vec<StatementChange> {
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
pub(super) fn sg_rules_of(id: &str, r: &Resource) -> Vec<SgRuleChange> {
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

pub(super) fn set_diff<T: PartialEq + Clone>(
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

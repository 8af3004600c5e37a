//! Expressions: plain values, and the argument helpers of intrinsic
//! functions.

use super::intrinsics::intrinsic;
use super::nodes::{Node, NodeKind, NodeMap};
use super::paths::{err_at, wrong_type, P};
use crate::error::{suggest, Error, ErrorKind, Result};
use crate::expr::{Expr, ExprMap, INTRINSIC_NAMES};

pub(super) fn as_str<'n>(node: &'n Node, path: &P<'_>, what: &str) -> Result<&'n str> {
    match &node.kind {
        NodeKind::Str(s) => Ok(s),
        _ => Err(wrong_type(node, path, what)),
    }
}

static EMPTY_MAP: std::sync::OnceLock<NodeMap> = std::sync::OnceLock::new();

pub(super) fn as_map<'n>(node: &'n Node, path: &P<'_>, what: &str) -> Result<&'n NodeMap> {
    match &node.kind {
        NodeKind::Map(m) => Ok(m),
        NodeKind::Null => Ok(EMPTY_MAP.get_or_init(NodeMap::new)),
        _ => Err(wrong_type(node, path, what)),
    }
}

pub(super) fn long_name(tag: &str) -> String {
    match tag {
        "Ref" | "Condition" => tag.to_owned(),
        other => format!("Fn::{other}"),
    }
}

/// The YAML short form of a long function name, as suggested after a
/// misspelt tag: `Fn::GetAtt` as `!GetAtt`, `Ref` as `!Ref` (`Condition`
/// has none).
fn short_form(name: &str) -> String {
    match name.strip_prefix("Fn::") {
        Some(rest) => format!("!{rest}"),
        None if name == "Ref" => "!Ref".to_owned(),
        None => name.to_owned(),
    }
}

pub(super) fn expr(node: &Node, path: &P<'_>) -> Result<Expr> {
    Ok(match &node.kind {
        NodeKind::Null => Expr::Null,
        NodeKind::Bool(b) => Expr::Bool(*b),
        NodeKind::Number(n) => Expr::Number(n.clone()),
        NodeKind::Str(s) => Expr::String(s.clone()),
        NodeKind::Seq(v) => Expr::List(
            v.iter()
                .enumerate()
                .map(|(i, n)| expr(n, &path.index(i)))
                .collect::<Result<_>>()?,
        ),
        NodeKind::Map(m) => {
            if let (1, Some((k, v))) = (m.len(), m.first()) {
                let is_fn = k == "Ref"
                    || k.starts_with("Fn::")
                    || (k == "Condition" && matches!(v.kind, NodeKind::Str(_)));
                if is_fn {
                    let p = path.key(k);
                    return intrinsic(k, v, node, &p).map(Expr::func);
                }
            }
            let mut out = ExprMap::with_capacity(m.len());
            for (k, v) in m {
                out.insert(k.clone(), expr(v, &path.key(k))?);
            }
            Expr::Map(out)
        }
        NodeKind::Tagged(tag, inner) => {
            let name = long_name(tag);
            if !INTRINSIC_NAMES.contains(&name.as_str()) {
                return Err(err_at(
                    node,
                    path,
                    ErrorKind::UnknownIntrinsic {
                        name: format!("!{tag}"),
                        hint: suggest(&name, INTRINSIC_NAMES.iter().copied())
                            .map_suggestion(short_form),
                    },
                ));
            }
            let p = path.key(&name);
            // `!GetAtt a.b` is the dotted string form
            return intrinsic(&name, inner, node, &p).map(Expr::func);
        }
    })
}

pub(super) fn args<'n>(
    node: &'n Node,
    path: &P<'_>,
    f: &str,
    expected: &str,
    n: std::ops::RangeInclusive<usize>,
) -> Result<&'n [Node]> {
    match &node.kind {
        NodeKind::Seq(v) if n.contains(&v.len()) => Ok(v),
        _ => Err(err_at(
            node,
            path,
            ErrorKind::WrongArguments {
                function: f.to_owned(),
                expected: expected.to_owned(),
                found: node.describe(),
            },
        )),
    }
}

pub(super) fn string_arg(node: &Node, path: &P<'_>, f: &str, expected: &str) -> Result<String> {
    match &node.kind {
        NodeKind::Str(s) => Ok(s.clone()),
        _ => Err(err_at(
            node,
            path,
            ErrorKind::WrongArguments {
                function: f.to_owned(),
                expected: expected.to_owned(),
                found: node.describe(),
            },
        )),
    }
}
/// The `Fn::Transform` argument when `arg` is a one-key map
/// `{Fn::Transform: ...}` (or the `!Transform` tag).
pub(super) fn transform_call(arg: &Node) -> Option<&Node> {
    match &arg.kind {
        NodeKind::Map(m) if m.len() == 1 => m.get("Fn::Transform"),
        NodeKind::Tagged(t, inner) if t == "Transform" => Some(inner),
        _ => None,
    }
}

pub(super) fn unknown_key(node: &Node, path: &P<'_>, key: &str, allowed: &[&str]) -> Error {
    err_at(
        node,
        path,
        ErrorKind::UnknownKey {
            key: key.to_owned(),
            hint: suggest(key, allowed.iter().copied()),
            allowed: allowed.iter().map(|k| (*k).to_owned()).collect(),
        },
    )
}

pub(super) fn key_node<'n>(m: &'n NodeMap, k: &str) -> Option<&'n Node> {
    m.get(k)
}

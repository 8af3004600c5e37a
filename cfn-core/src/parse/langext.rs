//! `AWS::LanguageExtensions`, expanded on load as cfn-lint does, so that
//! validation sees what CloudFormation will see: every `Fn::ForEach::Name`
//! loop (in Resources, Conditions, Outputs or properties) becomes its
//! copies, with `${Identifier}` and `&{Identifier}` replaced in keys and
//! `Fn::Sub` strings and `{Ref: Identifier}` replaced by the value.
//! `Fn::Length`, `Fn::ToJsonString`, `Fn::FindInMap` defaults and
//! intrinsics in `DeletionPolicy`/`UpdateReplacePolicy` are part of the
//! model and need no expansion.
//!
//! A collection given by a parameter without a default, or by a
//! `Fn::FindInMap` whose keys are not known before deployment, expands to
//! one placeholder copy (`Item`) so its contents are still checked.

use super::nodes::{Node, NodeKind, NodeMap};
use super::paths::{err_at, P};
use crate::error::{ErrorKind, Result};

const FOR_EACH: &str = "Fn::ForEach::";
const PLACEHOLDER: &str = "Item";

/// Whether the template root declares `AWS::LanguageExtensions`.
pub(super) fn declared(root: &Node) -> bool {
    let NodeKind::Map(m) = &root.kind else {
        return false;
    };
    match m.get("Transform").map(|n| &n.kind) {
        Some(NodeKind::Str(s)) => s == crate::template::LANGUAGE_EXTENSIONS,
        Some(NodeKind::Seq(v)) => v.iter().any(
            |n| matches!(&n.kind, NodeKind::Str(s) if s == crate::template::LANGUAGE_EXTENSIONS),
        ),
        _ => false,
    }
}

/// Expands every `Fn::ForEach` loop of the template.
pub(super) fn expand(root: &Node) -> Result<Node> {
    let ctx = Ctx { root };
    ctx.node(root, &P::ROOT, 0)
}

struct Ctx<'a> {
    root: &'a Node,
}

impl Ctx<'_> {
    fn node(&self, n: &Node, path: &P<'_>, depth: usize) -> Result<Node> {
        if depth > 64 {
            return Err(err_at(
                n,
                path,
                ErrorKind::InvalidValue {
                    value: "Fn::ForEach".into(),
                    hint: crate::error::Hint::None,
                    reason: "loops nested more than 64 deep; flatten them".into(),
                },
            ));
        }
        Ok(match &n.kind {
            NodeKind::Map(m) => {
                let mut out = NodeMap::with_capacity(m.len());
                for (k, v) in m {
                    let p = path.key(k);
                    if k.starts_with(FOR_EACH) {
                        for (ek, ev) in self.for_each(v, &p, depth)? {
                            out.insert(ek, ev);
                        }
                    } else {
                        out.insert(k.clone(), self.node(v, &p, depth + 1)?);
                    }
                }
                with_kind(n, NodeKind::Map(out))
            }
            NodeKind::Seq(v) => {
                let items = v
                    .iter()
                    .enumerate()
                    .map(|(i, x)| self.node(x, &path.index(i), depth + 1))
                    .collect::<Result<_>>()?;
                with_kind(n, NodeKind::Seq(items))
            }
            NodeKind::Tagged(t, inner) => with_kind(
                n,
                NodeKind::Tagged(t.clone(), Box::new(self.node(inner, path, depth + 1)?)),
            ),
            _ => n.clone(),
        })
    }

    /// The entries one `Fn::ForEach::Name: [Identifier, Collection, Fragment]` gives.
    fn for_each(&self, v: &Node, path: &P<'_>, depth: usize) -> Result<Vec<(String, Node)>> {
        let bad = |found: &Node| {
            err_at(
                found,
                path,
                ErrorKind::WrongArguments {
                    function: "Fn::ForEach".into(),
                    expected:
                        "[Identifier, [values] or a list-valued function, {OutputKey: OutputValue}]"
                            .into(),
                    found: found.describe(),
                },
            )
        };
        let NodeKind::Seq(a) = &v.kind else {
            return Err(bad(v));
        };
        let [id, collection, fragment] = a.as_slice() else {
            return Err(bad(v));
        };
        let NodeKind::Str(id) = &id.kind else {
            return Err(bad(id));
        };
        let NodeKind::Map(_) = &fragment.kind else {
            return Err(bad(fragment));
        };
        let mut out = Vec::new();
        for value in self.collection(collection) {
            let copy = substitute(fragment, id, &value, false);
            if let NodeKind::Map(m) = self.node(&copy, path, depth + 1)?.kind {
                out.extend(m);
            }
        }
        Ok(out)
    }

    /// The values of a loop's collection, or one placeholder when they are
    /// known only at deployment.
    fn collection(&self, c: &Node) -> Vec<String> {
        let values = match &c.kind {
            NodeKind::Seq(v) => v.iter().map(scalar).collect::<Option<Vec<_>>>(),
            _ => match function(c) {
                Some(("Ref", arg)) => scalar(arg).and_then(|p| self.parameter_default(&p)),
                Some(("FindInMap", arg)) => self.find_in_map(arg),
                _ => None,
            },
        };
        values.unwrap_or_else(|| vec![PLACEHOLDER.to_owned()])
    }

    fn section(&self, name: &str) -> Option<&NodeMap> {
        match &self.root.kind {
            NodeKind::Map(m) => match &m.get(name)?.kind {
                NodeKind::Map(s) => Some(s),
                _ => None,
            },
            _ => None,
        }
    }

    fn parameter_default(&self, name: &str) -> Option<Vec<String>> {
        let NodeKind::Map(p) = &self.section("Parameters")?.get(name)?.kind else {
            return None;
        };
        match &p.get("Default")?.kind {
            NodeKind::Str(s) => Some(s.split(',').map(|x| x.trim().to_owned()).collect()),
            NodeKind::Seq(v) => v.iter().map(scalar).collect(),
            _ => None,
        }
    }

    fn find_in_map(&self, arg: &Node) -> Option<Vec<String>> {
        let NodeKind::Seq(a) = &arg.kind else {
            return None;
        };
        let map = self.section("Mappings")?.get(&scalar(a.first()?)?)?;
        let NodeKind::Map(tops) = &map.kind else {
            return None;
        };
        let second = self.key(a.get(2)?)?;
        let list = |top: &Node| match &top.kind {
            NodeKind::Map(m) => match &m.get(&second)?.kind {
                NodeKind::Seq(v) => v.iter().map(scalar).collect::<Option<Vec<_>>>(),
                _ => None,
            },
            _ => None,
        };
        match self.key(a.get(1)?) {
            Some(top) => list(tops.get(&top)?),
            // the top-level key is known only at deployment: the first that fits
            None => tops.values().find_map(list),
        }
    }

    /// A mapping key: a literal, or a `Ref` to a parameter with a default.
    fn key(&self, n: &Node) -> Option<String> {
        scalar(n).or_else(|| match function(n) {
            Some(("Ref", arg)) => self
                .parameter_default(&scalar(arg)?)
                .and_then(|v| v.into_iter().next()),
            _ => None,
        })
    }
}

fn with_kind(n: &Node, kind: NodeKind) -> Node {
    Node {
        kind,
        line: n.line,
        col: n.col,
    }
}

fn scalar(n: &Node) -> Option<String> {
    match &n.kind {
        NodeKind::Str(s) => Some(s.clone()),
        NodeKind::Number(x) => Some(x.to_string()),
        NodeKind::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `(short name, argument)` of a one-key function map or a short-form tag.
fn function(n: &Node) -> Option<(&str, &Node)> {
    match &n.kind {
        NodeKind::Map(m) if m.len() == 1 => {
            let (k, v) = m.first()?;
            Some((k.strip_prefix("Fn::").unwrap_or(k), v))
        }
        NodeKind::Tagged(t, inner) => Some((t.as_str(), inner)),
        _ => None,
    }
}

fn replace_vars(s: &str, id: &str, value: &str) -> String {
    let alnum: String = value.chars().filter(char::is_ascii_alphanumeric).collect();
    s.replace(&format!("${{{id}}}"), value)
        .replace(&format!("&{{{id}}}"), &alnum)
}

/// A copy of `n` for one loop value. `in_sub`: `n` is a `Fn::Sub` string.
fn substitute(n: &Node, id: &str, value: &str, in_sub: bool) -> Node {
    let kind = match &n.kind {
        NodeKind::Str(s) if in_sub => NodeKind::Str(replace_vars(s, id, value)),
        NodeKind::Map(m) => {
            if ref_to(n, id).is_some() {
                return with_kind(n, NodeKind::Str(value.to_owned()));
            }
            let sub = m.len() == 1 && m.contains_key("Fn::Sub");
            let mut out = NodeMap::with_capacity(m.len());
            for (k, v) in m {
                let v = if sub {
                    sub_arg(v, id, value)
                } else {
                    substitute(v, id, value, false)
                };
                out.insert(replace_vars(k, id, value), v);
            }
            return simplify(with_kind(n, NodeKind::Map(out)));
        }
        NodeKind::Tagged(t, inner) => {
            if ref_to(n, id).is_some() {
                return with_kind(n, NodeKind::Str(value.to_owned()));
            }
            let inner = if t == "Sub" {
                sub_arg(inner, id, value)
            } else {
                substitute(inner, id, value, false)
            };
            return simplify(with_kind(n, NodeKind::Tagged(t.clone(), Box::new(inner))));
        }
        NodeKind::Seq(v) => {
            NodeKind::Seq(v.iter().map(|x| substitute(x, id, value, false)).collect())
        }
        other => other.clone(),
    };
    with_kind(n, kind)
}

/// The argument of `Fn::Sub`: its string (string form or first element).
fn sub_arg(v: &Node, id: &str, value: &str) -> Node {
    match &v.kind {
        NodeKind::Str(_) => substitute(v, id, value, true),
        NodeKind::Seq(items) => with_kind(
            v,
            NodeKind::Seq(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| substitute(x, id, value, i == 0))
                    .collect(),
            ),
        ),
        _ => substitute(v, id, value, false),
    }
}

/// `Some(id)` when `n` is `{Ref: id}` or `!Ref id`.
fn ref_to<'n>(n: &'n Node, id: &str) -> Option<&'n str> {
    match function(n) {
        Some((
            "Ref",
            Node {
                kind: NodeKind::Str(s),
                ..
            },
        )) if s == id => Some(s),
        _ => None,
    }
}

/// After substitution, `Ref: {Fn::Sub: "Name"}` and `Fn::GetAtt: [{Fn::Sub:
/// "Name"}, ...]` with nothing left to substitute are plain names, as
/// CloudFormation resolves them.
fn simplify(n: Node) -> Node {
    let plain = |x: &Node| -> Option<Node> {
        match function(x) {
            Some((
                "Sub",
                s @ Node {
                    kind: NodeKind::Str(v),
                    ..
                },
            )) if !v.contains("${") => Some(s.clone()),
            _ => None,
        }
    };
    let rebuilt = |name: &str, arg: Node| match &n.kind {
        NodeKind::Tagged(t, _) => with_kind(&n, NodeKind::Tagged(t.clone(), Box::new(arg))),
        _ => {
            let mut m = NodeMap::new();
            m.insert(name.to_owned(), arg);
            with_kind(&n, NodeKind::Map(m))
        }
    };
    match function(&n) {
        Some(("Ref", arg)) => match plain(arg) {
            Some(s) => rebuilt("Ref", s),
            None => n,
        },
        Some(("GetAtt", arg)) => match &arg.kind {
            NodeKind::Seq(v) if !v.is_empty() => match plain(&v[0]) {
                Some(s) => {
                    let mut items = v.clone();
                    items[0] = s;
                    rebuilt("Fn::GetAtt", with_kind(arg, NodeKind::Seq(items)))
                }
                None => n,
            },
            _ => n,
        },
        _ => n,
    }
}

//! The check itself: a value against a node of SAM's reduced schema
//! (`$ref`, `allOf`, `anyOf`, `type`, `enum`, `pattern`, items, properties,
//! `required`), pass-through properties against the registry schema, and
//! `Policies` as SAM's transform reads them.

use super::super::validate::{accepts, enum_strings, found, regex_matches, scalar_string, suggest};
use super::super::{lookup, validate_properties, JsonType, Problem, ProblemKind};
use super::Sam;
use cfn_core::{Expr, ExprMap};
use serde_json::Value as J;

pub(super) struct Checker<'a> {
    pub(super) sam: &'a Sam,
    pub(super) depth: usize,
}

fn types_of(node: &J) -> Vec<JsonType> {
    match node.get("type") {
        Some(J::String(s)) => JsonType::parse(s).into_iter().collect(),
        Some(J::Array(a)) => a
            .iter()
            .filter_map(J::as_str)
            .filter_map(JsonType::parse)
            .collect(),
        _ => Vec::new(),
    }
}

pub(super) fn push(out: &mut Vec<Problem>, path: &[String], kind: ProblemKind) {
    out.push(Problem {
        path: path.join("/"),
        kind,
    });
}

impl Checker<'_> {
    fn def(&self, name: &str) -> Option<&J> {
        self.sam.defs.get(name)
    }

    /// Checks `value` against the definition named by the string `node`.
    pub(super) fn check_ref(
        &self,
        value: &Expr,
        node: &J,
        path: &mut Vec<String>,
        out: &mut Vec<Problem>,
    ) {
        if let Some(d) = node.as_str().and_then(|n| self.def(n)) {
            self.check(value, d, path, out);
        }
    }

    /// Whether `value` has the shape `node` wants (its JSON type), without
    /// looking inside: picks the `anyOf` branch to report on.
    fn shape_ok(&self, value: &Expr, node: &J, depth: usize) -> bool {
        if depth > 16 {
            return true;
        }
        if let Some(d) = node
            .get("$ref")
            .and_then(J::as_str)
            .and_then(|n| self.def(n))
        {
            if !self.shape_ok(value, d, depth + 1) {
                return false;
            }
        }
        let types = types_of(node);
        if !types.is_empty() && !types.iter().any(|t| accepts(*t, value)) {
            return false;
        }
        if let Some(a) = node.get("anyOf").and_then(J::as_array) {
            if !a.iter().any(|b| self.shape_ok(value, b, depth + 1)) {
                return false;
            }
        }
        if types.is_empty() && (node.get("properties").is_some()) {
            return matches!(value, Expr::Map(_));
        }
        true
    }

    fn expected(&self, node: &J, depth: usize, into: &mut Vec<&'static str>) {
        if depth > 16 {
            return;
        }
        for t in types_of(node) {
            if !into.contains(&t.as_str()) {
                into.push(t.as_str());
            }
        }
        if let Some(d) = node
            .get("$ref")
            .and_then(J::as_str)
            .and_then(|n| self.def(n))
        {
            self.expected(d, depth + 1, into);
        }
        if let Some(a) = node.get("anyOf").and_then(J::as_array) {
            for b in a {
                self.expected(b, depth + 1, into);
            }
        }
        if types_of(node).is_empty()
            && node.get("properties").is_some()
            && !into.contains(&"object")
        {
            into.push("object");
        }
    }

    /// Checks `value` against `node`; a pass-through property SAM's own
    /// schema finds nothing wrong with is then checked against the registry.
    fn check(&self, value: &Expr, node: &J, path: &mut Vec<String>, out: &mut Vec<Problem>) {
        let before = out.len();
        self.check_own(value, node, path, out);
        if let Some(target) = node.get("passThrough").and_then(J::as_str) {
            if out.len() == before && !matches!(value, Expr::Fn(_) | Expr::Null) {
                pass_through(value, target, path, out);
            }
        }
    }

    fn check_own(&self, value: &Expr, node: &J, path: &mut Vec<String>, out: &mut Vec<Problem>) {
        // intrinsics are known at deploy time; YAML's empty value is SAM's "unset"
        if matches!(value, Expr::Fn(_) | Expr::Null) || self.depth > 64 {
            return;
        }
        let inner = Checker {
            sam: self.sam,
            depth: self.depth + 1,
        };
        if let Some(r) = node.get("$ref") {
            inner.check_ref(value, r, path, out);
        }
        if let Some(a) = node.get("allOf").and_then(J::as_array) {
            for b in a {
                inner.check(value, b, path, out);
            }
        }
        if let Some(a) = node.get("anyOf").and_then(J::as_array) {
            inner.any_of(value, a, path, out);
        }
        let types = types_of(node);
        if !types.is_empty() && !types.iter().any(|t| accepts(*t, value)) {
            let expected: Vec<&str> = types.iter().map(|t| t.as_str()).collect();
            push(
                out,
                path,
                ProblemKind::WrongType {
                    expected: expected.join(" or "),
                    found: found(value).into(),
                },
            );
            return;
        }
        if let Some(e) = node.get("enum").and_then(J::as_array) {
            if let Some(s) = scalar_string(value) {
                let allowed = enum_strings(e);
                if !allowed.contains(&s) {
                    push(out, path, ProblemKind::NotInEnum { value: s, allowed });
                }
            }
        }
        match value {
            Expr::String(s) => {
                if let Some(p) = node.get("pattern").and_then(J::as_str) {
                    if regex_matches(p, s) == Some(false) {
                        push(
                            out,
                            path,
                            ProblemKind::Pattern {
                                value: s.clone(),
                                pattern: p.to_owned(),
                            },
                        );
                    }
                }
            }
            Expr::List(items) => {
                let len = items.len() as u64;
                let min = node.get("minItems").and_then(J::as_u64).unwrap_or(0);
                let max = node.get("maxItems").and_then(J::as_u64).unwrap_or(u64::MAX);
                if len < min || len > max {
                    push(out, path, ProblemKind::Items { len, min, max });
                }
                if let Some(item) = node.get("items").filter(|i| i.is_object()) {
                    for (i, x) in items.iter().enumerate() {
                        path.push(i.to_string());
                        inner.check(x, item, path, out);
                        path.pop();
                    }
                }
            }
            Expr::Map(m) => inner.object(m, node, path, out),
            _ => {}
        }
    }

    /// `anyOf`: fine when one branch is; otherwise the problems of the
    /// branch closest to the value (of the right shape, fewest problems), or
    /// a wrong type when no branch has the value's shape.
    fn any_of(&self, value: &Expr, branches: &[J], path: &mut Vec<String>, out: &mut Vec<Problem>) {
        let mut best: Option<Vec<Problem>> = None;
        for b in branches {
            if !self.shape_ok(value, b, 0) {
                continue;
            }
            let mut mine = Vec::new();
            self.check(value, b, path, &mut mine);
            if mine.is_empty() {
                return;
            }
            if best.as_ref().is_none_or(|x| mine.len() < x.len()) {
                best = Some(mine);
            }
        }
        match best {
            Some(p) => out.extend(p),
            None => {
                let mut expected = Vec::new();
                for b in branches {
                    self.expected(b, 0, &mut expected);
                }
                if expected.is_empty() {
                    return;
                }
                push(
                    out,
                    path,
                    ProblemKind::WrongType {
                        expected: expected.join(" or "),
                        found: found(value).into(),
                    },
                );
            }
        }
    }

    fn object(&self, m: &ExprMap, node: &J, path: &mut Vec<String>, out: &mut Vec<Problem>) {
        let props = node.get("properties").and_then(J::as_object);
        let extra = node.get("additionalProperties");
        for (k, v) in m {
            path.push(k.clone());
            match (props.and_then(|p| p.get(k)), extra) {
                (Some(p), _) => self.check(v, p, path, out),
                (None, Some(J::Bool(false))) => {
                    let known: Vec<String> = props
                        .map(|p| p.keys().cloned().collect())
                        .unwrap_or_default();
                    push(
                        out,
                        path,
                        ProblemKind::UnknownProperty {
                            name: k.clone(),
                            suggestion: suggest(k, known.iter()),
                        },
                    );
                }
                (None, Some(schema @ J::Object(_))) => self.check(v, schema, path, out),
                (None, _) => {}
            }
            path.pop();
        }
        for r in node
            .get("required")
            .and_then(J::as_array)
            .into_iter()
            .flatten()
            .filter_map(J::as_str)
        {
            if !m.contains_key(r) {
                push(out, path, ProblemKind::MissingRequired { name: r.into() });
            }
        }
    }
}

/// `Policies` as SAM's transform reads them: a string (a managed policy) or
/// intrinsic, a map with `Statement` (a document), or a map with one key,
/// one of SAM's policy templates, whose value maps each of the template's
/// parameters to a value. Anything else makes the transform fail ("Policy
/// at index N in the 'Policies' property is not valid").
pub(super) fn check_policies(s: &Sam, policies: &Expr, out: &mut Vec<Problem>) {
    let (items, indexed): (Vec<&Expr>, bool) = match policies {
        Expr::List(v) => (v.iter().collect(), true),
        other => (vec![other], false),
    };
    for (i, item) in items.into_iter().enumerate() {
        let Expr::Map(m) = item else {
            continue; // a managed policy, an intrinsic: resolved by AWS
        };
        if m.contains_key("Statement") {
            continue;
        }
        let mut path = vec!["Properties".to_owned(), "Policies".to_owned()];
        if indexed {
            path.push(i.to_string());
        }
        let known = match m.iter().next() {
            Some((name, value)) if m.len() == 1 => {
                s.policies.get(name.as_str()).map(|p| (name, value, p))
            }
            _ => None,
        };
        let Some((name, value, params)) = known else {
            let name = m.keys().cloned().collect::<Vec<_>>().join(", ");
            let suggestion = (m.len() == 1)
                .then(|| cfn_core::error::closest(&name, s.policies.keys().copied()))
                .flatten()
                .map(str::to_owned);
            push(
                out,
                &path,
                ProblemKind::UnknownPolicyTemplate { name, suggestion },
            );
            continue;
        };
        path.push(name.clone());
        match value {
            Expr::Map(given) => {
                let missing: Vec<String> = params
                    .iter()
                    .filter(|p| !given.contains_key(**p))
                    .map(|p| p.to_string())
                    .collect();
                if !missing.is_empty() {
                    push(
                        out,
                        &path,
                        ProblemKind::MissingPolicyParameters {
                            template: name.clone(),
                            missing,
                        },
                    );
                }
            }
            Expr::Fn(_) => {}
            Expr::Null if params.is_empty() => {}
            other => push(
                out,
                &path,
                ProblemKind::WrongType {
                    expected: "object (the template's parameters; `{}` when it has none)".into(),
                    found: found(other).into(),
                },
            ),
        }
    }
}

/// Whether `e` holds a map (SAM may add or remove keys of objects it
/// passes on: an event's `DestinationConfig.OnFailure.Type` is SAM's own and
/// removed before CloudFormation sees it).
fn has_map(e: &Expr) -> bool {
    match e {
        Expr::Map(_) => true,
        Expr::List(v) => v.iter().any(has_map),
        _ => false,
    }
}

/// A property SAM passes unchanged to a CloudFormation resource
/// (`AWS::Lambda::Function/Runtime`): checked against that type's registry
/// schema when SAM's name for it is the registry's, it is a top-level
/// property and its value holds no object; nested, renamed and object
/// values are left to the expanded template.
fn pass_through(value: &Expr, target: &str, path: &[String], out: &mut Vec<Problem>) {
    let Some((ty, prop)) = target.split_once('/') else {
        return;
    };
    if has_map(value) {
        return;
    }
    if ty.contains('.') || prop.contains('/') || path.last().map(String::as_str) != Some(prop) {
        return;
    }
    let Some(schema) = lookup(ty) else { return };
    let mut one = ExprMap::new();
    one.insert(prop.to_owned(), value.clone());
    let here = path.join("/");
    for p in validate_properties(schema, &one) {
        let Some(rest) = p
            .path
            .strip_prefix("Properties/")
            .and_then(|r| r.strip_prefix(prop))
        else {
            continue; // a required sibling: not this property's concern
        };
        out.push(Problem {
            path: format!("{here}{rest}"),
            kind: p.kind,
        });
    }
}

//! Schema-node helpers of the model builder: docs, type lists, required
//! sets, typed alternatives.

use serde_json::Value as J;
use std::collections::HashSet;

/// Cleans a schema description for a doc comment: RST ``code`` becomes
/// Markdown `code`, HTML is escaped, indentation (which Markdown would turn
/// into doctests) and code fences are dropped.
pub fn clean_doc(s: &str) -> String {
    let s = s.replace("``", "`").replace('\r', "").replace('\t', " ");
    let s = s.replace('<', "&lt;").replace('>', "&gt;");
    let mut lines: Vec<String> = s
        .lines()
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.starts_with("```"))
        .collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    while lines.first().is_some_and(|l| l.is_empty()) {
        lines.remove(0);
    }
    let mut out = lines.join("\n");
    // Collapse runs of blank lines.
    while out.contains("\n\n\n") {
        out = out.replace("\n\n\n", "\n\n");
    }
    out
}

pub(crate) fn desc(node: &J) -> String {
    node.get("description")
        .and_then(J::as_str)
        .map(clean_doc)
        .unwrap_or_default()
}

/// The one typed branch of a `oneOf`/`anyOf` whose other branches are the
/// legacy free-form form (`format: json`, `type: [object, string]`):
/// DynamoDB `Table.KeySchema` is a list of key elements or, historically, a
/// JSON string; the typed form is taken. The node's own keys other than the
/// combinator (its description) are kept.
pub(crate) fn typed_branch(node: &J) -> Option<J> {
    if node.get("type").is_some() || node.get("$ref").is_some() {
        return None;
    }
    let is_json = |b: &J| {
        b.get("format").and_then(J::as_str) == Some("json")
            || (type_list(b).iter().any(|t| t == "object")
                && type_list(b).iter().any(|t| t == "string")
                && b.get("properties").is_none())
    };
    for comb in ["oneOf", "anyOf"] {
        let Some(bs) = node.get(comb).and_then(J::as_array) else {
            continue;
        };
        let typed: Vec<&J> = bs.iter().filter(|b| !is_json(b)).collect();
        if let [one] = typed.as_slice() {
            if typed.len() < bs.len() {
                let mut m = one.as_object().cloned().unwrap_or_default();
                if let Some(d) = node.get("description") {
                    m.entry("description").or_insert_with(|| d.clone());
                }
                return Some(J::Object(m));
            }
        }
    }
    None
}

pub(crate) fn pointer_path(p: &str) -> Option<Vec<String>> {
    let rest = p.strip_prefix("/properties/")?;
    Some(
        rest.split('/')
            .filter(|s| *s != "*")
            .map(str::to_owned)
            .collect(),
    )
}

pub(crate) fn pointers(schema: &J, key: &str) -> Vec<String> {
    schema
        .get(key)
        .and_then(J::as_array)
        .map(|a| a.iter().filter_map(J::as_str).map(str::to_owned).collect())
        .unwrap_or_default()
}

pub(crate) fn is_string_enum(node: &J) -> Option<Vec<String>> {
    let e = node.get("enum")?.as_array()?;
    if e.is_empty() {
        return None;
    }
    let vals: Option<Vec<String>> = e.iter().map(|v| v.as_str().map(str::to_owned)).collect();
    let vals = vals?;
    let t = node.get("type");
    if t.is_some() && t != Some(&J::String("string".into())) {
        return None;
    }
    let mut seen = HashSet::new();
    Some(
        vals.into_iter()
            .filter(|v| seen.insert(v.clone()))
            .collect(),
    )
}

pub(crate) fn type_list(node: &J) -> Vec<String> {
    match node.get("type") {
        Some(J::String(s)) => vec![s.clone()],
        Some(J::Array(a)) => a.iter().filter_map(J::as_str).map(str::to_owned).collect(),
        _ => vec![],
    }
}

pub(crate) fn is_struct_node(node: &J) -> bool {
    let tl = type_list(node);
    node.get("properties").and_then(J::as_object).is_some() && (tl.is_empty() || tl == ["object"])
}

/// Required properties: `required`, and the `required` of `allOf` branches.
pub(crate) fn required_of(node: &J) -> HashSet<String> {
    let mut out: HashSet<String> = HashSet::new();
    let mut add = |r: Option<&J>| {
        out.extend(
            r.and_then(J::as_array)
                .into_iter()
                .flatten()
                .filter_map(J::as_str)
                .map(str::to_owned),
        );
    };
    add(node.get("required"));
    for b in node
        .get("allOf")
        .and_then(J::as_array)
        .into_iter()
        .flatten()
    {
        add(b.get("required"));
    }
    out
}

/// Required-only branches of `oneOf`/`anyOf` (alternatives of required sets).
pub(crate) fn required_alternatives(node: &J) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for comb in ["oneOf", "anyOf"] {
        if let Some(bs) = node.get(comb).and_then(J::as_array) {
            let reqs: Option<Vec<Vec<String>>> = bs
                .iter()
                .map(|b| {
                    let o = b.as_object()?;
                    if o.contains_key("required")
                        && o.keys().all(|k| {
                            matches!(
                                k.as_str(),
                                "required" | "description" | "title" | "$comment"
                            )
                        })
                    {
                        Some(
                            o.get("required")?
                                .as_array()?
                                .iter()
                                .filter_map(J::as_str)
                                .map(str::to_owned)
                                .collect(),
                        )
                    } else {
                        None
                    }
                })
                .collect();
            if let Some(r) = reqs {
                if !r.is_empty() {
                    out = r;
                    break;
                }
            }
        }
    }
    out
}

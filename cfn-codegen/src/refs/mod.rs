//! Reference typing: which identifier marker a field takes.
//!
//! Three reviewed inputs, each checked when the generator runs:
//!
//! - [`EXAMPLES`]: for every marker, a value of the shape `Ref` or
//!   `Fn::GetAtt` of the target type returns (from the CloudFormation return
//!   values documentation). A field is typed with a marker only when that
//!   value fits the field's own `pattern` and length bounds, so a field whose
//!   schema accepts only a key ARN never takes a key id (`AWS::Logs::LogGroup`
//!   `KmsKeyId`). A marker without an example stops the generator.
//! - [`OVERLAY`]: fields the schemas leave as plain strings although their
//!   description says they name another resource. Each entry cites the
//!   description text that justifies it; the generator stops when the text is
//!   not there (the schema changed) or the field already carries a format
//!   (the entry is redundant).
//! - [`RULES`]: the same by property name for common suffixes (`RoleArn`,
//!   `SubnetIds`, ...), each requiring a word in the description; the field's
//!   description is cited in the generated report.
//!
//! [`typed_fields`] lists every typed field with its marker and the example,
//! for the generated test that checks each against the runtime schema facts
//! (`cfn-resources/tests/generated/reference_fits.rs`), and [`coverage`]
//! counts typed fields against the fields that name another resource.

mod table;

pub use table::{OverlayEntry, Rule, EXAMPLES, OVERLAY, RULES, UNIONS};

use crate::model::Markers;
use serde_json::Value as J;
use std::collections::{BTreeMap, BTreeSet};

/// The example of what a marker's `Ref` / `Fn::GetAtt` returns.
pub fn example(key: &str) -> Option<&'static str> {
    EXAMPLES.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// Whether `value` fits the node's own constraints: `pattern` (a search,
/// as JSON Schema defines it, evaluated with CloudFormation's engine),
/// `minLength` and `maxLength`; for a list, its items' constraints.
pub fn fits(node: &J, value: &str) -> bool {
    let own = |n: &J| -> bool {
        let len = value.chars().count() as u64;
        if n.get("minLength")
            .and_then(J::as_u64)
            .is_some_and(|m| len < m)
        {
            return false;
        }
        if n.get("maxLength")
            .and_then(J::as_u64)
            .is_some_and(|m| len > m)
        {
            return false;
        }
        match n.get("pattern").and_then(J::as_str) {
            // A pattern the engine cannot run does not decide.
            Some(p) => cfn_core::pattern::matches(p, value).unwrap_or(true),
            None => true,
        }
    };
    own(node) && node.get("items").is_none_or(own)
}

/// Where a field's marker came from.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    /// The schema's own `format` or `relationshipRef`.
    Schema,
    /// An [`OVERLAY`] entry.
    Overlay,
    /// A [`RULES`] entry (`suffix`).
    Rule(&'static str),
}

/// The schemas with the overlay and the rules applied (a `format` added to
/// each field they name), for building the types only: the schema facts
/// keep the registry's text. Also returns, per `(type, pointer)`, where the
/// added format came from and the cited text.
#[allow(clippy::type_complexity)]
pub fn apply(
    types: &BTreeMap<String, J>,
) -> Result<
    (
        BTreeMap<String, J>,
        BTreeMap<(String, String), (Source, String)>,
    ),
    String,
> {
    let mut out = types.clone();
    let mut added = BTreeMap::new();
    let mut problems = Vec::new();
    for e in OVERLAY {
        let is_union = UNIONS.iter().any(|(_, _, ms)| ms.join("|") == e.format);
        if !is_union && example(e.format).is_none() {
            problems.push(format!(
                "overlay {} {}: marker {} has no example in refs::EXAMPLES",
                e.type_name, e.pointer, e.format
            ));
            continue;
        }
        // A type the input lacks (fixture runs) has nothing to overlay; the
        // registry has every type the overlay names (checked by a test).
        let Some(schema) = out.get_mut(e.type_name) else {
            continue;
        };
        let Some(node) = schema.pointer_mut(e.pointer) else {
            problems.push(format!(
                "overlay {} {}: no such field in the schema",
                e.type_name, e.pointer
            ));
            continue;
        };
        let desc = node.get("description").and_then(J::as_str).unwrap_or("");
        if !desc.contains(e.cites) {
            problems.push(format!(
                "overlay {} {}: the description no longer says {:?}; review the entry",
                e.type_name, e.pointer, e.cites
            ));
            continue;
        }
        if has_annotation(node) {
            problems.push(format!(
                "overlay {} {}: the schema now carries a format; delete the entry",
                e.type_name, e.pointer
            ));
            continue;
        }
        set_format(node, e.format);
        added.insert(
            (e.type_name.to_owned(), e.pointer.to_owned()),
            (Source::Overlay, e.cites.to_owned()),
        );
    }
    for r in RULES {
        if example(r.format).is_none() {
            problems.push(format!(
                "rule {}: marker {} has no example in refs::EXAMPLES",
                r.suffix, r.format
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems.join("\n"));
    }
    for (tn, schema) in out.iter_mut() {
        let mut hits: Vec<(String, &'static Rule, String)> = Vec::new();
        collect_rule_hits(tn, schema, &mut hits);
        for (ptr, rule, desc) in hits {
            if added.contains_key(&(tn.clone(), ptr.clone())) {
                continue;
            }
            let target = rule.format.split('.').next().unwrap_or("");
            if target == tn {
                continue; // a type's own identifier is not a reference
            }
            let node = schema.pointer_mut(&ptr).expect("pointer found by the walk");
            if !fits(node, example(rule.format).unwrap_or_default()) {
                continue;
            }
            set_format(node, rule.format);
            added.insert(
                (tn.clone(), ptr),
                (Source::Rule(rule.suffix), first_sentence(&desc)),
            );
        }
    }
    Ok((out, added))
}

fn first_sentence(s: &str) -> String {
    let s = s.split('\n').next().unwrap_or("").trim();
    match s.find(". ") {
        Some(i) => s[..=i].to_owned(),
        None => s.to_owned(),
    }
}

fn has_annotation(node: &J) -> bool {
    let fmt = |n: &J| {
        n.get("format")
            .and_then(J::as_str)
            .is_some_and(|f| f.starts_with("AWS::"))
    };
    fmt(node)
        || node.get("relationshipRef").is_some()
        || node
            .get("items")
            .is_some_and(|i| fmt(i) || i.get("relationshipRef").is_some())
        || ["anyOf", "oneOf"].iter().any(|c| {
            node.get(*c).and_then(J::as_array).is_some_and(|bs| {
                bs.iter()
                    .any(|b| fmt(b) || b.get("relationshipRef").is_some())
            })
        })
}

fn set_format(node: &mut J, format: &str) {
    let is_list = node.get("type").and_then(J::as_str) == Some("array");
    let target = if is_list {
        node.get_mut("items").filter(|i| i.is_object())
    } else {
        Some(node)
    };
    if let Some(J::Object(m)) = target {
        m.insert("format".into(), J::String(format.to_owned()));
    }
}

/// Fields of plain string (or list of strings) type whose name ends with a
/// rule's suffix and whose description carries its word, as JSON pointers.
fn collect_rule_hits(tn: &str, schema: &J, out: &mut Vec<(String, &'static Rule, String)>) {
    let mut visit = |ptr: String, name: &str, node: &J| {
        if has_annotation(node) || !is_stringish(node) {
            return;
        }
        let desc = node.get("description").and_then(J::as_str).unwrap_or("");
        let lower = desc.to_lowercase();
        if let Some(rule) = RULES.iter().find(|r| {
            name.ends_with(r.suffix)
                && !r.unless.iter().any(|u| format!("{tn}.{name}").contains(u))
                && lower.contains(&r.word.to_lowercase())
        }) {
            out.push((ptr, rule, desc.to_owned()));
        }
    };
    if let Some(props) = schema.get("properties").and_then(J::as_object) {
        for (k, v) in props {
            visit(format!("/properties/{}", esc(k)), k, v);
        }
    }
    if let Some(defs) = schema.get("definitions").and_then(J::as_object) {
        for (d, dv) in defs {
            if let Some(props) = dv.get("properties").and_then(J::as_object) {
                for (k, v) in props {
                    visit(
                        format!("/definitions/{}/properties/{}", esc(d), esc(k)),
                        k,
                        v,
                    );
                }
            }
        }
    }
}

fn esc(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

fn is_stringish(node: &J) -> bool {
    if node.get("$ref").is_some() || node.get("enum").is_some() || node.get("properties").is_some()
    {
        return false;
    }
    match node.get("type").and_then(J::as_str) {
        Some("string") => true,
        Some("array") => node.get("items").is_some_and(|i| {
            i.get("type").and_then(J::as_str) == Some("string") && i.get("enum").is_none()
        }),
        _ => false,
    }
}

/// One typed reference field: the JSON path of the field from the type's
/// properties (`/` between names, `*` for list items), its marker and the
/// example value.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct TypedField {
    /// `AWS::Logs::LogGroup`.
    pub type_name: String,
    /// `KmsKeyId`, `DefaultActions/*/TargetGroupArn`.
    pub path: String,
    /// Marker key.
    pub key: String,
    /// Where the marker came from.
    pub source: Source,
    /// Cited text (overlay and rules).
    pub cites: String,
}

/// Every field a resource's writable properties reach (through definitions,
/// lists and maps, each definition once per path) that takes a marker.
pub fn typed_fields(
    types: &BTreeMap<String, J>,
    markers: &Markers,
    added: &BTreeMap<(String, String), (Source, String)>,
) -> Vec<TypedField> {
    let mut out = BTreeSet::new();
    for (tn, schema) in types {
        let read_only: BTreeSet<String> = schema
            .get("readOnlyProperties")
            .and_then(J::as_array)
            .map(|a| a.iter().filter_map(J::as_str).map(str::to_owned).collect())
            .unwrap_or_default();
        let Some(props) = schema.get("properties").and_then(J::as_object) else {
            continue;
        };
        for (k, v) in props {
            if read_only.contains(&format!("/properties/{k}")) {
                continue;
            }
            let mut w = Walk {
                types,
                markers,
                schema,
                added,
                tn,
                out: &mut out,
                stack: Vec::new(),
            };
            w.node(v, k.clone(), format!("/properties/{}", esc(k)));
        }
    }
    out.into_iter().collect()
}

struct Walk<'a> {
    types: &'a BTreeMap<String, J>,
    markers: &'a Markers,
    schema: &'a J,
    added: &'a BTreeMap<(String, String), (Source, String)>,
    tn: &'a str,
    out: &'a mut BTreeSet<TypedField>,
    stack: Vec<String>,
}

impl Walk<'_> {
    fn node(&mut self, node: &J, path: String, ptr: String) {
        if let Some(r) = node.get("$ref").and_then(J::as_str) {
            let Some(d) = r.strip_prefix("#/definitions/") else {
                return;
            };
            if self.stack.iter().any(|s| s == d) || self.stack.len() > 12 {
                return;
            }
            let Some(def) = self.schema.pointer(&format!("/definitions/{}", esc(d))) else {
                return;
            };
            self.stack.push(d.to_owned());
            self.node(def, path, format!("/definitions/{}", esc(d)));
            self.stack.pop();
            return;
        }
        if let Some((key, _)) = self.markers.of_node(self.types, node) {
            if node.get("properties").is_none() {
                let (source, cites) = self
                    .added
                    .get(&(self.tn.to_owned(), ptr.clone()))
                    .cloned()
                    .unwrap_or((Source::Schema, String::new()));
                let members = match self.markers.by_key.get(&key) {
                    Some(m) if !m.members.is_empty() => m.members.clone(),
                    _ => vec![key],
                };
                for key in members {
                    self.out.insert(TypedField {
                        type_name: self.tn.to_owned(),
                        path: path.clone(),
                        key,
                        source: source.clone(),
                        cites: cites.clone(),
                    });
                }
                return;
            }
        }
        if let Some(items) = node.get("items").filter(|i| i.is_object()) {
            self.node(items, format!("{path}/*"), format!("{ptr}/items"));
        }
        if let Some(props) = node.get("properties").and_then(J::as_object) {
            for (k, v) in props {
                self.node(
                    v,
                    format!("{path}/{k}"),
                    format!("{ptr}/properties/{}", esc(k)),
                );
            }
        }
    }
}

/// Counts for the coverage figure: typed reference fields, and fields that
/// name another resource (typed, or of string type named `<Type>Id`,
/// `<Type>Ids`, `<Type>Arn`, `<Type>Arns` or `<Type>ARN(s)` where `<Type>`
/// ends with a registry resource type's name of four letters or more, other
/// than the type's own identifier).
pub fn coverage(types: &BTreeMap<String, J>, typed: &[TypedField]) -> (usize, usize) {
    let names: BTreeSet<String> = types
        .keys()
        .filter_map(|t| t.rsplit("::").next())
        .filter(|n| n.len() >= 4)
        .map(str::to_lowercase)
        .collect();
    let typed_set: BTreeSet<(String, String)> = typed
        .iter()
        .map(|f| (f.type_name.clone(), f.path.clone()))
        .collect();
    let mut naming: BTreeSet<(String, String)> = typed_set.clone();
    for (tn, schema) in types {
        let own = tn.rsplit("::").next().unwrap_or("").to_lowercase();
        let read_only: BTreeSet<String> = schema
            .get("readOnlyProperties")
            .and_then(J::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(J::as_str)
                    .map(|p| p.trim_start_matches("/properties/").replace("/*", ""))
                    .collect()
            })
            .unwrap_or_default();
        let mut leaves = Vec::new();
        string_leaves(schema, schema, "", &mut Vec::new(), &mut leaves);
        for path in leaves {
            let plain = path.replace("/*", "");
            if read_only.contains(&plain) {
                continue;
            }
            let last = plain.rsplit('/').next().unwrap_or("");
            let Some(stem) = ["Ids", "Id", "Arns", "Arn", "ARNs", "ARN"]
                .iter()
                .find_map(|s| last.strip_suffix(s))
            else {
                continue;
            };
            let stem = stem.to_lowercase();
            if stem.is_empty() || (!plain.contains('/') && stem == own) {
                continue;
            }
            if names.iter().any(|n| stem.ends_with(n.as_str())) {
                naming.insert((tn.clone(), path));
            }
        }
    }
    (typed_set.len(), naming.len())
}

fn string_leaves(schema: &J, node: &J, path: &str, stack: &mut Vec<String>, out: &mut Vec<String>) {
    if let Some(r) = node.get("$ref").and_then(J::as_str) {
        let Some(d) = r.strip_prefix("#/definitions/") else {
            return;
        };
        if stack.iter().any(|s| s == d) || stack.len() > 12 {
            return;
        }
        if let Some(def) = schema.pointer(&format!("/definitions/{}", esc(d))) {
            stack.push(d.to_owned());
            string_leaves(schema, def, path, stack, out);
            stack.pop();
        }
        return;
    }
    let props = if path.is_empty() {
        node.get("properties")
    } else {
        if is_stringish(node)
            || (node.get("type").is_none()
                && node.get("properties").is_none()
                && node.get("items").is_none())
        {
            out.push(path.to_owned());
            return;
        }
        if let Some(items) = node.get("items").filter(|i| i.is_object()) {
            string_leaves(schema, items, &format!("{path}/*"), stack, out);
        }
        node.get("properties")
    };
    if let Some(props) = props.and_then(J::as_object) {
        for (k, v) in props {
            let p = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}/{k}")
            };
            string_leaves(schema, v, &p, stack, out);
        }
    }
}

/// The generated table of `cfn-resources/tests/generated/reference_fits.rs`,
/// read by the hand-written `cfn-resources/tests/references.rs`.
pub fn test_file(header: &str, typed: &[TypedField], coverage: (usize, usize)) -> String {
    use std::fmt::Write;
    let mut s = header.to_owned();
    s.push_str(
        "//! Every typed reference field of the registry (cfn-codegen `refs::typed_fields`),\n\
         //! with the example of what its marker's `Ref` / `Fn::GetAtt` returns.\n\
         //! Overlay and rule entries carry the description text that justifies them.\n\n\
         /// `(type, path, marker, example, source)`; `*` in a path is a list item.\n\
         pub const FIELDS: &[(&str, &str, &str, &str, &str)] = &[\n",
    );
    for f in typed {
        let source = match &f.source {
            Source::Schema => "schema".to_owned(),
            Source::Overlay => "overlay".to_owned(),
            Source::Rule(r) => format!("rule {r}"),
        };
        if !f.cites.is_empty() {
            let _ = writeln!(s, "    // {}", f.cites.replace('\n', " "));
        }
        let _ = writeln!(
            s,
            "    ({:?}, {:?}, {:?}, {:?}, {:?}),",
            f.type_name,
            f.path,
            f.key,
            example(&f.key).unwrap_or(""),
            source
        );
    }
    s.push_str("];\n\n");
    let _ = writeln!(
        s,
        "/// Typed reference fields, and fields that name another resource.\npub const COVERAGE: (usize, usize) = ({}, {});",
        coverage.0, coverage.1
    );
    s
}

#[cfg(test)]
mod tests;

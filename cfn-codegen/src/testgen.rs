//! Generates `cfn-resources/tests/minimal_instances.rs`: for every type of
//! the default features, a minimal instance (required properties only, with
//! placeholder literals chosen from the schema) that must render to
//! properties passing its own registry schema.

use crate::emit::doc;
use crate::model::{Field, Item, Markers, Resource, Struct, Ty};
use crate::placeholder::{int_for, string_for};
use serde_json::Value as J;
use std::fmt::Write;

struct Ctx<'a> {
    r: &'a Resource,
    markers: &'a Markers,
    defs: &'a serde_json::Map<String, J>,
    depth: usize,
}

impl Ctx<'_> {
    fn resolve(&self, node: &J) -> J {
        let mut cur = node.clone();
        for _ in 0..8 {
            let Some(d) = cur
                .get("$ref")
                .and_then(J::as_str)
                .and_then(|r| r.strip_prefix("#/definitions/"))
            else {
                break;
            };
            let Some(t) = self.defs.get(d) else { break };
            let mut m = t.as_object().cloned().unwrap_or_default();
            for (k, v) in cur.as_object().into_iter().flatten() {
                if k != "$ref" {
                    m.insert(k.clone(), v.clone());
                }
            }
            if t.get("$ref").is_none() {
                m.remove("$ref");
            } else {
                m.insert("$ref".into(), t["$ref"].clone());
            }
            cur = J::Object(m);
        }
        cur
    }

    fn item(&self, name: &str) -> Option<&Item> {
        self.r.items.iter().find(|i| i.name() == name)
    }

    fn value(&mut self, ty: &Ty, node: &J) -> Result<String, String> {
        let node = self.resolve(node);
        let base = format!("cfn_resources::{}::{}", self.r.service, self.r.module);
        Ok(match ty {
            Ty::String => format!("{:?}", string_for(&node)?),
            Ty::Id(k) => {
                let _ = &self.markers.by_key[k];
                format!("Value::existing({:?})", string_for(&node)?)
            }
            Ty::Int => format!("{}_i64", int_for(&node)),
            Ty::Num => format!("{}_f64", int_for(&node)),
            Ty::Bool => "true".into(),
            Ty::Json => {
                let types: Vec<&str> = match node.get("type") {
                    Some(J::String(s)) => vec![s.as_str()],
                    Some(J::Array(a)) => a.iter().filter_map(J::as_str).collect(),
                    _ => vec![],
                };
                if types.is_empty() || types.contains(&"object") {
                    "serde_json::json!({})".into()
                } else if types.contains(&"string") {
                    format!("{:?}", string_for(&node)?)
                } else if types.contains(&"array") {
                    "serde_json::json!([])".into()
                } else {
                    return Err(format!("no placeholder for JSON of type {types:?}"));
                }
            }
            Ty::List(inner) => {
                let items = node.get("items").cloned().unwrap_or(J::Null);
                let n = node.get("minItems").and_then(J::as_u64).unwrap_or(1).max(1);
                if n > 1 && node.get("uniqueItems") == Some(&J::Bool(true)) {
                    return Err("a list of several unique items".into());
                }
                let v = self.value(inner, &items)?;
                format!("vec![{}]", vec![v; n as usize].join(", "))
            }
            Ty::Map(inner) => {
                let (pat, val) = node
                    .get("patternProperties")
                    .and_then(J::as_object)
                    .and_then(|m| m.iter().next())
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .unwrap_or_default();
                let key = string_for(&serde_json::json!({ "pattern": pat, "minLength": 1 }))?;
                let v = self.value(inner, &val)?;
                format!("cfn_core::indexmap::IndexMap::from([({key:?}.to_owned(), {v})])")
            }
            Ty::Named(n) => match self.item(n) {
                Some(Item::Enum(e)) => format!("{base}::{}::{}", e.name, e.variants[0].0),
                Some(Item::Struct(s)) => {
                    if self.depth > 12 {
                        return Err("required properties nest too deep".into());
                    }
                    let s: Struct = s.clone();
                    self.depth += 1;
                    let r = self.construct(
                        &format!("{base}::{}", s.name),
                        &s.fields,
                        &s.required_alternatives,
                        s.min_properties,
                    );
                    self.depth -= 1;
                    r?
                }
                Some(Item::Tag(s)) => {
                    let s: Struct = s.clone();
                    let mut args = Vec::new();
                    for f in &s.fields {
                        args.push(
                            self.value(&f.ty, &f.node)
                                .map_err(|e| format!("{}: {e}", f.key))?,
                        );
                    }
                    format!("cfn_resources::Tag::new({})", args.join(", "))
                }
                None => return Err(format!("unknown item {n}")),
            },
        })
    }

    fn construct(
        &mut self,
        path: &str,
        fields: &[Field],
        alts: &[Vec<String>],
        min_props: usize,
    ) -> Result<String, String> {
        let mut args = Vec::new();
        for f in fields.iter().filter(|f| f.required) {
            args.push(
                self.value(&f.ty, &f.node)
                    .map_err(|e| format!("{}: {e}", f.key))?,
            );
        }
        let mut s = format!("{path}::new({})", args.join(", "));
        if let Some(first) = alts
            .iter()
            .find(|b| b.iter().all(|k| fields.iter().any(|f| &f.key == k)))
        {
            for k in first {
                let f = fields.iter().find(|f| &f.key == k).unwrap();
                if f.required {
                    continue;
                }
                let v = self
                    .value(&f.ty, &f.node)
                    .map_err(|e| format!("{}: {e}", f.key))?;
                let _ = write!(s, ".{}({v})", f.rust);
            }
        }
        // Objects that must have some property (unions of alternatives):
        // set the first optional ones that take a placeholder.
        let mut set = fields.iter().filter(|f| f.required).count();
        for f in fields.iter().filter(|f| !f.required) {
            if set >= min_props || s.contains(&format!(".{}(", f.rust)) {
                break;
            }
            if let Ok(v) = self.value(&f.ty, &f.node) {
                let _ = write!(s, ".{}({v})", f.rust);
                set += 1;
            }
        }
        Ok(s)
    }
}

/// File name of a type's schema copy (`aws-ec2-subnet.json`).
pub fn schema_file(type_name: &str) -> String {
    format!("{}.json", type_name.replace("::", "-").to_ascii_lowercase())
}

/// The generated test file.
pub fn minimal_tests(
    header: &str,
    resources: &[&Resource],
    schemas: &std::collections::BTreeMap<String, J>,
    markers: &Markers,
) -> (String, Vec<(String, String)>) {
    let mut out = String::new();
    let mut skipped = Vec::new();
    out.push_str(header);
    out.push_str("//! Every resource type of the default features, built with its required\n");
    out.push_str(
        "//! properties only (placeholders chosen from the schema by cfn-codegen), renders\n",
    );
    out.push_str(
        "//! properties that pass its own registry schema (`cfn-resources/schemas/`).\n\n",
    );
    out.push_str("#![allow(unused_imports)]\n\nuse super::support;\nuse cfn_core::Value;\n");
    for r in resources {
        let empty = serde_json::Map::new();
        let defs = schemas[&r.type_name]
            .get("definitions")
            .and_then(J::as_object)
            .unwrap_or(&empty);
        let mut cx = Ctx {
            r,
            markers,
            defs,
            depth: 0,
        };
        let fn_name = format!("{}_{}", r.service, r.module.trim_start_matches("r#"));
        let _ = writeln!(out, "\n#[cfg(feature = {:?})]", r.service);
        match cx.construct(
            &format!("cfn_resources::{}::{}", r.service, r.name),
            &r.fields,
            &r.required_alternatives,
            0,
        ) {
            Ok(expr) => {
                let _ = writeln!(out, "#[test]\nfn {fn_name}() {{");
                let _ = writeln!(
                    out,
                    "    support::check({:?}, {:?}, {expr});",
                    r.type_name,
                    schema_file(&r.type_name)
                );
                out.push_str("}\n");
            }
            Err(e) => {
                doc(&mut out, "", &format!("Skipped: {e}."));
                let _ = writeln!(
                    out,
                    "#[test]\n#[ignore = {:?}]\nfn {fn_name}() {{}}",
                    format!("no valid placeholder: {e}")
                );
                skipped.push((r.type_name.clone(), e));
            }
        }
    }
    (out, skipped)
}

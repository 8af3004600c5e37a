//! The builder of one resource type's model (`types`: the Rust type of each
//! schema node).

mod types;

use super::nodes::*;
use super::*;
use crate::naming::{ident, pascal, snake, variant};
use crate::patches;
use serde_json::{Map, Value as J};
use std::collections::{BTreeMap, HashMap, HashSet};

#[derive(Clone, Debug, PartialEq)]
enum Origin {
    Def(String),
    Inline(String),
    Enum(Vec<String>),
    Taken,
}

/// Builds the model of one resource type.
pub struct Builder<'a> {
    types: &'a BTreeMap<String, J>,
    markers: &'a Markers,
    type_name: String,
    schema: &'a J,
    defs: Map<String, J>,
    names: HashMap<String, Origin>,
    def_memo: HashMap<String, Ty>,
    visiting: HashSet<String>,
    items: Vec<Item>,
    read_only: HashSet<Vec<String>>,
    create_only: HashSet<Vec<String>>,
    svc_l: String,
    res_l: String,
    prefix_l: String,
}

impl<'a> Builder<'a> {
    /// Starts the model of `type_name`.
    pub fn new(types: &'a BTreeMap<String, J>, markers: &'a Markers, type_name: &str) -> Self {
        let schema = &types[type_name];
        let defs = schema
            .get("definitions")
            .and_then(J::as_object)
            .cloned()
            .unwrap_or_default();
        let mut names = HashMap::new();
        for reserved in ["String", "Json", "Map", "Vec"] {
            names.insert(reserved.to_owned(), Origin::Taken);
        }
        for d in defs.keys() {
            let n = pascal(d);
            names.entry(n).or_insert(Origin::Def(d.clone()));
        }
        let segs: Vec<&str> = type_name.split("::").collect();
        let read_only = pointers(schema, "readOnlyProperties")
            .iter()
            .filter_map(|p| pointer_path(p))
            .collect();
        let create_only = pointers(schema, "createOnlyProperties")
            .iter()
            .filter_map(|p| pointer_path(p))
            .collect();
        Builder {
            types,
            markers,
            type_name: type_name.to_owned(),
            schema,
            defs,
            names,
            def_memo: HashMap::new(),
            visiting: HashSet::new(),
            items: Vec::new(),
            read_only,
            create_only,
            prefix_l: segs[0].to_ascii_lowercase(),
            svc_l: segs[1].to_ascii_lowercase(),
            res_l: segs[2].to_ascii_lowercase(),
        }
    }

    fn page(&self, nested: Option<&str>) -> String {
        let base = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/";
        let p = if self.prefix_l == "aws" {
            "aws".to_owned()
        } else {
            self.prefix_l.clone()
        };
        match nested {
            None => format!("{base}{p}-resource-{}-{}.html", self.svc_l, self.res_l),
            Some(n) => format!(
                "{base}{p}-properties-{}-{}-{}.html",
                self.svc_l,
                self.res_l,
                n.to_ascii_lowercase()
            ),
        }
    }

    fn alloc(&mut self, candidates: &[String], origin: Origin) -> String {
        for c in candidates {
            match self.names.get(c) {
                None => {
                    self.names.insert(c.clone(), origin);
                    return c.clone();
                }
                Some(o) if *o == origin => return c.clone(),
                _ => {}
            }
        }
        let base = candidates
            .last()
            .cloned()
            .unwrap_or_else(|| "Property".into());
        for i in 2.. {
            let c = format!("{base}{i}");
            if !self.names.contains_key(&c) {
                self.names.insert(c.clone(), origin);
                return c;
            }
        }
        unreachable!()
    }

    /// Follows `$ref` to non-struct definitions, merging constraints (the
    /// outer node wins).
    pub fn effective(&self, node: &J) -> J {
        let mut cur = node.clone();
        let mut seen = HashSet::new();
        while let Some(r) = cur.get("$ref").and_then(J::as_str).map(str::to_owned) {
            let Some(target) = self.resolve_ref(&r) else {
                break;
            };
            if !seen.insert(r) || is_struct_node(&target) {
                break;
            }
            let mut merged = target.as_object().cloned().unwrap_or_default();
            for (k, v) in cur.as_object().into_iter().flatten() {
                if k != "$ref" {
                    merged.insert(k.clone(), v.clone());
                }
            }
            if !merged.contains_key("$ref") {
                cur = J::Object(merged);
                break;
            }
            cur = J::Object(merged);
        }
        cur
    }

    fn resolve_ref(&self, r: &str) -> Option<J> {
        if let Some(d) = r.strip_prefix("#/definitions/") {
            self.defs.get(d).cloned()
        } else if let Some(p) = r.strip_prefix("#/properties/") {
            self.schema.pointer(&format!("/properties/{p}")).cloned()
        } else {
            None
        }
    }

    fn def_ty(&mut self, d: &str, path: &[String]) -> Ty {
        if let Some(t) = self.def_memo.get(d) {
            return t.clone();
        }
        if self.visiting.contains(d) {
            return Ty::Json;
        }
        let Some(node) = self.defs.get(d).cloned() else {
            return Ty::Json;
        };
        let name = pascal(d);
        let name = if self.names.get(&name) == Some(&Origin::Def(d.to_owned())) {
            name
        } else {
            self.alloc(&[format!("{name}Type")], Origin::Def(d.to_owned()))
        };
        if is_struct_node(&node) {
            self.def_memo.insert(d.to_owned(), Ty::Named(name.clone()));
            self.build_struct(&name, &node, path);
            return Ty::Named(name);
        }
        if let Some(vals) = is_string_enum(&node) {
            self.def_memo.insert(d.to_owned(), Ty::Named(name.clone()));
            self.push_enum(&name, &node, &vals);
            return Ty::Named(name);
        }
        // Neither a struct nor an enum (an array of objects, say): the
        // definition itself gets no item, so the item inside it takes its
        // name (`KeySchema`, not `KeySchemaKeySchema`).
        if self.names.get(&name) == Some(&Origin::Def(d.to_owned())) {
            self.names.remove(&name);
        }
        self.visiting.insert(d.to_owned());
        let t = self.ty_of(&node, path, &name, d);
        self.visiting.remove(d);
        self.def_memo.insert(d.to_owned(), t.clone());
        t
    }

    fn push_enum(&mut self, name: &str, node: &J, vals: &[String]) {
        let mut used = HashSet::new();
        let variants = vals
            .iter()
            .map(|v| {
                let mut n = variant(v);
                if !used.insert(n.clone()) {
                    let base = n.clone();
                    for i in 2.. {
                        n = format!("{base}{i}");
                        if used.insert(n.clone()) {
                            break;
                        }
                    }
                }
                (n, v.clone())
            })
            .collect();
        self.items.push(Item::Enum(Enum {
            name: name.to_owned(),
            doc: desc(node),
            variants,
        }));
    }
}

impl<'a> Builder<'a> {
    fn attr_ty(&self, node: &J, prop_path: &[String]) -> Ty {
        let node = self.effective(node);
        if prop_path.len() == 1 {
            for (t, p, f) in patches::PROPERTY_FORMATS {
                if *t == self.type_name && *p == prop_path[0] {
                    return Ty::Id(f.to_string());
                }
            }
            let own = format!("{}.{}", self.type_name, prop_path[0]);
            if self.markers.by_key.contains_key(&own) {
                return Ty::Id(own);
            }
        }
        if let Some((k, _)) = self.markers.of_node(self.types, &node) {
            if type_list(&node) == ["array"] {
                return Ty::List(Box::new(Ty::Id(k)));
            }
            return Ty::Id(k);
        }
        match type_list(&node)
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
        {
            ["string"] => Ty::String,
            ["integer"] => Ty::Int,
            ["number"] => Ty::Num,
            ["boolean"] => Ty::Bool,
            ["array"] => {
                let items = node
                    .get("items")
                    .map(|i| self.effective(i))
                    .unwrap_or(J::Null);
                if let Some((k, _)) = self.markers.of_node(self.types, &items) {
                    return Ty::List(Box::new(Ty::Id(k)));
                }
                match type_list(&items).as_slice() {
                    [s] if s == "string" => Ty::List(Box::new(Ty::String)),
                    _ => Ty::Json,
                }
            }
            [] if node.get("format").is_some() => Ty::String,
            _ => Ty::Json,
        }
    }

    /// Builds the resource model.
    pub fn build(mut self) -> Resource {
        let segs: Vec<&str> = self.type_name.split("::").collect();
        let name = pascal(segs[2]);
        let module = ident(&snake(segs[2]));
        let schema = self.schema;
        let fields = self.fields_of(schema, &[], &name, None);
        // Attributes.
        let mut attrs = Vec::new();
        let mut skipped_attrs = Vec::new();
        let mut used = HashSet::new();
        let mut attr_pointers = pointers(schema, "readOnlyProperties");
        if patches::ALL_PROPERTIES_ARE_ATTRIBUTES.contains(&self.type_name.as_str()) {
            let props = schema
                .get("properties")
                .and_then(J::as_object)
                .cloned()
                .unwrap_or_default();
            for (k, v) in &props {
                self.getatt_pointers(v, &format!("/properties/{k}"), &mut attr_pointers, 0);
            }
        }
        for (t, extra) in patches::EXTRA_ATTRIBUTES {
            if *t == self.type_name {
                attr_pointers.extend(extra.iter().map(|p| format!("/properties/{p}")));
            }
        }
        let mut seen = HashSet::new();
        attr_pointers.retain(|p| seen.insert(p.clone()));
        for p in attr_pointers {
            let Some(rest) = p.strip_prefix("/properties/") else {
                continue;
            };
            let segs: Vec<String> = rest.split('/').map(str::to_owned).collect();
            if segs.iter().any(|s| s == "*") {
                skipped_attrs.push(p.clone());
                continue;
            }
            let mut node = schema.pointer(&format!("/properties/{}", segs[0])).cloned();
            for s in &segs[1..] {
                node = node
                    .map(|n| self.struct_target(&n))
                    .and_then(|n| n.pointer(&format!("/properties/{s}")).cloned());
            }
            let Some(node) = node else {
                skipped_attrs.push(p.clone());
                continue;
            };
            let ty = self.attr_ty(&node, &segs);
            let mut rust = ident(&snake(&segs.join("_")));
            if matches!(
                rust.as_str(),
                "id" | "reference" | "attributes" | "get_att_unchecked"
            ) {
                rust = format!("{rust}_attr");
            }
            while !used.insert(rust.clone()) {
                rust.push('_');
            }
            let mut doc = desc(&node);
            if doc.is_empty() {
                doc = desc(&self.effective(&node));
            }
            attrs.push(Attr {
                rust,
                key: segs.join("."),
                ty,
                doc,
            });
        }
        // Ref.
        let prim = pointers(schema, "primaryIdentifier");
        let ref_marker = match prim.as_slice() {
            [p] => p.strip_prefix("/properties/").and_then(|p| {
                if p.contains('/') {
                    return None;
                }
                match self.attr_ty(
                    schema
                        .pointer(&format!("/properties/{p}"))
                        .unwrap_or(&J::Null),
                    &[p.to_owned()],
                ) {
                    Ty::Id(k) if k.starts_with(&format!("{}.", self.type_name)) => Some(k),
                    _ => None,
                }
            }),
            _ => None,
        };
        let required_alternatives = required_alternatives(schema);
        let url = self.page(None);
        Resource {
            type_name: self.type_name.clone(),
            service: service_of(&self.type_name),
            name,
            module,
            doc: desc(schema),
            url,
            fields,
            required_alternatives,
            attrs,
            skipped_attrs,
            ref_marker,
            items: std::mem::take(&mut self.items),
        }
    }

    /// cfn-lint's rule for types whose every property is an attribute:
    /// scalars and lists of scalars, descending into objects.
    fn getatt_pointers(&self, node: &J, path: &str, out: &mut Vec<String>, depth: usize) {
        if depth > 8 {
            return;
        }
        let tl = type_list(node);
        if tl.iter().any(|t| t == "object") {
            for (k, v) in node
                .get("properties")
                .and_then(J::as_object)
                .into_iter()
                .flatten()
            {
                self.getatt_pointers(v, &format!("{path}/{k}"), out, depth + 1);
            }
        } else if tl.iter().any(|t| t == "array") {
            let it = node
                .get("items")
                .and_then(|i| i.get("type"))
                .and_then(J::as_str);
            if !matches!(it, Some("object" | "array")) {
                out.push(path.to_owned());
            }
        } else if let Some(t) = node
            .get("$ref")
            .and_then(J::as_str)
            .and_then(|r| self.resolve_ref(r))
        {
            self.getatt_pointers(&t, path, out, depth + 1);
        } else {
            out.push(path.to_owned());
        }
    }

    /// The object node behind a property (following `$ref` to definitions).
    fn struct_target(&self, n: &J) -> J {
        let mut cur = n.clone();
        for _ in 0..8 {
            match cur
                .get("$ref")
                .and_then(J::as_str)
                .and_then(|r| self.resolve_ref(r))
            {
                Some(t) => cur = t,
                None => break,
            }
        }
        cur
    }
}

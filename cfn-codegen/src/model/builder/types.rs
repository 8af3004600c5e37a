//! The Rust type of each schema node: lists, maps, structs, enums, ids.

use super::super::nodes::*;
use super::super::*;
use super::{Builder, Origin};
use crate::naming::{ident, nested_candidates, pascal, snake};
use crate::patches;
use serde_json::Value as J;
use std::collections::HashSet;

impl Builder<'_> {
    /// The Rust type of a schema node at `path` (property names from the
    /// resource root), `parent` being the enclosing struct's name.
    pub(super) fn ty_of(&mut self, node: &J, path: &[String], parent: &str, prop: &str) -> Ty {
        if let Some(r) = node.get("$ref").and_then(J::as_str) {
            if let Some(d) = r.strip_prefix("#/definitions/") {
                return self.def_ty(d, path);
            }
            if let Some(p) = r.strip_prefix("#/properties/") {
                let target = self.schema.pointer(&format!("/properties/{p}")).cloned();
                return match target {
                    Some(t) if t.get("$ref").is_none() => self.ty_of(&t, path, parent, prop),
                    _ => Ty::Json,
                };
            }
            return Ty::Json;
        }
        if let Some(branch) = typed_branch(node) {
            return self.ty_of(&branch, path, parent, prop);
        }
        let tl = type_list(node);
        let marker = self.markers.of_node(self.types, node);
        let tls: Vec<&str> = tl.iter().map(String::as_str).collect();
        match tls.as_slice() {
            ["string"] | [] if marker.is_some() && node.get("properties").is_none() => {
                let (k, plural) = marker.unwrap();
                if plural && tls.is_empty() {
                    return Ty::List(Box::new(Ty::Id(k)));
                }
                Ty::Id(k)
            }
            ["string"] => match is_string_enum(node) {
                Some(vals) => self.inline_enum(node, &vals, parent, prop),
                None => Ty::String,
            },
            ["integer"] | ["integer", "string"] | ["string", "integer"] => Ty::Int,
            ["number"] | ["number", "string"] | ["string", "number"] => Ty::Num,
            ["boolean"] | ["boolean", "string"] | ["string", "boolean"] | ["boolean", "null"] => {
                Ty::Bool
            }
            ["array"] => match node.get("items") {
                Some(items) if items.is_object() => {
                    let mut item_ty = self.ty_of(items, path, parent, prop);
                    if item_ty == Ty::String {
                        if let Some((k, _)) = marker {
                            item_ty = Ty::Id(k);
                        }
                    }
                    Ty::List(Box::new(item_ty))
                }
                _ => match marker {
                    Some((k, _)) => Ty::List(Box::new(Ty::Id(k))),
                    None => Ty::List(Box::new(Ty::Json)),
                },
            },
            ["object"] | [] => {
                if is_struct_node(node) {
                    self.inline_struct(node, path, parent, prop)
                } else if let Some(pp) = node.get("patternProperties").and_then(J::as_object) {
                    let vals: Vec<J> = pp.values().cloned().collect();
                    let mut tys: Vec<Ty> = Vec::new();
                    for v in &vals {
                        let t = self.ty_of(v, path, parent, prop);
                        if !tys.contains(&t) {
                            tys.push(t);
                        }
                    }
                    if tys.len() == 1 {
                        Ty::Map(Box::new(tys.pop().unwrap()))
                    } else {
                        Ty::Map(Box::new(Ty::Json))
                    }
                } else if tls.is_empty() {
                    if let Some(vals) = is_string_enum(node) {
                        self.inline_enum(node, &vals, parent, prop)
                    } else if node.get("items").is_some() {
                        let mut n = node.clone();
                        n["type"] = J::String("array".into());
                        self.ty_of(&n, path, parent, prop)
                    } else if matches!(
                        node.get("format").and_then(J::as_str),
                        Some("date-time" | "timestamp")
                    ) {
                        Ty::String
                    } else if let Some(t) = self.uniform_alternatives(node, path, parent, prop) {
                        t
                    } else {
                        Ty::Json
                    }
                } else {
                    Ty::Json
                }
            }
            _ => Ty::Json,
        }
    }

    /// `oneOf`/`anyOf` whose typed branches all have one primitive type.
    pub(super) fn uniform_alternatives(
        &mut self,
        node: &J,
        path: &[String],
        parent: &str,
        prop: &str,
    ) -> Option<Ty> {
        for comb in ["oneOf", "anyOf"] {
            if let Some(bs) = node.get(comb).and_then(J::as_array) {
                let typed: Vec<&J> = bs
                    .iter()
                    .filter(|b| b.get("type").is_some() || b.get("$ref").is_some())
                    .collect();
                if typed.is_empty() {
                    continue;
                }
                let mut tys = Vec::new();
                for b in typed {
                    let t = self.ty_of(b, path, parent, prop);
                    if !tys.contains(&t) {
                        tys.push(t);
                    }
                }
                if tys.len() == 1 && matches!(tys[0], Ty::String | Ty::Int | Ty::Num | Ty::Bool) {
                    return tys.pop();
                }
                return Some(Ty::Json);
            }
        }
        None
    }

    pub(super) fn inline_enum(
        &mut self,
        node: &J,
        vals: &[String],
        parent: &str,
        prop: &str,
    ) -> Ty {
        let p = pascal(prop);
        let name = self.alloc(
            &nested_candidates(parent, &p, "Value"),
            Origin::Enum(vals.to_vec()),
        );
        if !self
            .items
            .iter()
            .any(|i| matches!(i, Item::Enum(e) if e.name == name))
        {
            self.push_enum(&name, node, vals);
        }
        Ty::Named(name)
    }

    pub(super) fn inline_struct(
        &mut self,
        node: &J,
        path: &[String],
        parent: &str,
        prop: &str,
    ) -> Ty {
        let p = pascal(prop);
        let key = path.join("/");
        let origin = Origin::Inline(key);
        let name = self.alloc(&nested_candidates(parent, &p, "Details"), origin);
        if !self
            .items
            .iter()
            .any(|i| matches!(i, Item::Struct(s) | Item::Tag(s) if s.name == name))
        {
            self.build_struct(&name, node, path);
        }
        Ty::Named(name)
    }

    pub(super) fn build_struct(&mut self, name: &str, node: &J, path: &[String]) {
        // Reserve the slot first so recursive references find it.
        let idx = self.items.len();
        self.items.push(Item::Struct(Struct {
            name: name.to_owned(),
            doc: desc(node),
            url: self.page(Some(name)),
            fields: vec![],
            required_alternatives: required_alternatives(node),
            min_properties: node.get("minProperties").and_then(J::as_u64).unwrap_or(0) as usize,
        }));
        let fields = self.fields_of(node, path, name, Some(name));
        let tag = is_tag_shape(name, node, &fields);
        if let Item::Struct(s) = &mut self.items[idx] {
            s.fields = fields;
            if tag {
                let s = std::mem::replace(s, Struct::placeholder());
                self.items[idx] = Item::Tag(s);
            }
        }
    }

    pub(super) fn fields_of(
        &mut self,
        node: &J,
        path: &[String],
        parent: &str,
        nested: Option<&str>,
    ) -> Vec<Field> {
        let required = required_of(node);
        let props = node
            .get("properties")
            .and_then(J::as_object)
            .cloned()
            .unwrap_or_default();
        let mut out = Vec::new();
        let mut used = HashSet::new();
        for (k, v) in &props {
            let mut child = path.to_vec();
            child.push(k.clone());
            if self.read_only.contains(&child) {
                continue;
            }
            let mut v = v.clone();
            if path.is_empty() {
                for (t, p, f) in patches::PROPERTY_FORMATS {
                    if *t == self.type_name && p == k {
                        v["format"] = J::String((*f).to_owned());
                    }
                }
            }
            let mut ty = self.ty_of(&v, &child, parent, k);
            // A type's own name or id property (`BucketName` of a bucket,
            // `GroupName` of a security group) defines it: a plain string.
            if let Ty::Id(m) = &ty {
                if let Some(attr) = m.strip_prefix(&format!("{}.", self.type_name)) {
                    if path.is_empty() && k.ends_with(attr) {
                        ty = Ty::String;
                    }
                }
            }
            let eff = self.effective(&v);
            let mut doc = desc(&v);
            if doc.is_empty() {
                doc = desc(&eff);
            }
            let mut rust = ident(&snake(k));
            if matches!(rust.as_str(), "new" | "property_unchecked") {
                rust = format!("{rust}_property");
            }
            while !used.insert(rust.clone()) {
                rust.push('_');
            }
            let anchor = match nested {
                None => format!(
                    "#cfn-{}-{}-{}",
                    self.svc_l,
                    self.res_l,
                    k.to_ascii_lowercase()
                ),
                Some(n) => format!(
                    "#cfn-{}-{}-{}-{}",
                    self.svc_l,
                    self.res_l,
                    n.to_ascii_lowercase(),
                    k.to_ascii_lowercase()
                ),
            };
            out.push(Field {
                rust,
                key: k.clone(),
                ty,
                required: required.contains(k),
                create_only: self.create_only.contains(&child),
                doc,
                url: format!("{}{}", self.page(nested), anchor),
                node: eff,
            });
        }
        out
    }
}

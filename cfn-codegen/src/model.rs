//! From registry schemas to a model of the Rust to generate: resources,
//! nested property structs, enums, attributes and identifier markers.

use crate::naming::{ident, pascal, snake, variant};
use crate::patches;
use serde_json::{Map, Value as J};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The Rust type of a property.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ty {
    /// `String`.
    String,
    /// `i64`.
    Int,
    /// `f64`.
    Num,
    /// `bool`.
    Bool,
    /// Free-form JSON (`cfn_core::Json`).
    Json,
    /// An identifier marker, by format key (`AWS::EC2::VPC.Id`).
    Id(String),
    /// A list.
    List(Box<Ty>),
    /// A map from strings.
    Map(Box<Ty>),
    /// A struct or enum of the resource's submodule.
    Named(String),
}

/// One identifier marker type of the always-compiled `ids` module.
#[derive(Clone, Debug)]
pub struct Marker {
    /// Service module (`ec2`).
    pub service: String,
    /// Type name (`VpcId`).
    pub name: String,
    /// Resource type (`AWS::EC2::VPC`).
    pub type_name: String,
    /// Attribute (`Id`).
    pub attr: String,
}

impl Marker {
    /// The path from a generated module (`ids::ec2::VpcId`).
    pub fn path(&self) -> String {
        format!("ids::{}::{}", self.service, self.name)
    }
    /// The format key (`AWS::EC2::VPC.Id`).
    pub fn key(&self) -> String {
        format!("{}.{}", self.type_name, self.attr)
    }
}

/// A settable property.
#[derive(Clone, Debug)]
pub struct Field {
    /// Rust method name (`vpc_id`, `r#type`).
    pub rust: String,
    /// Schema name (`VpcId`).
    pub key: String,
    /// Rust type.
    pub ty: Ty,
    /// Required (a constructor argument).
    pub required: bool,
    /// Create-only: changing it replaces the resource.
    pub create_only: bool,
    /// Cleaned description.
    pub doc: String,
    /// Documentation link.
    pub url: String,
    /// The property's schema with primitive aliases followed (constraints).
    pub node: J,
}

/// A nested property struct.
#[derive(Clone, Debug)]
pub struct Struct {
    /// Rust name.
    pub name: String,
    /// Cleaned description.
    pub doc: String,
    /// Documentation link.
    pub url: String,
    /// Fields, in schema order.
    pub fields: Vec<Field>,
    /// `oneOf`/`anyOf` branches that only list required properties.
    pub required_alternatives: Vec<Vec<String>>,
    /// `minProperties`.
    pub min_properties: usize,
}

/// A string enum.
#[derive(Clone, Debug)]
pub struct Enum {
    /// Rust name.
    pub name: String,
    /// Cleaned description.
    pub doc: String,
    /// `(variant, value)`.
    pub variants: Vec<(String, String)>,
}

/// A nested item of a resource's submodule.
#[derive(Clone, Debug)]
pub enum Item {
    /// A property struct.
    Struct(Struct),
    /// A string enum.
    Enum(Enum),
}

/// A `Fn::GetAtt` attribute.
#[derive(Clone, Debug)]
pub struct Attr {
    /// Getter name.
    pub rust: String,
    /// Attribute name (`Endpoint.Address`).
    pub key: String,
    /// Rust type.
    pub ty: Ty,
    /// Cleaned description.
    pub doc: String,
}

/// One resource type.
#[derive(Clone, Debug)]
pub struct Resource {
    /// `AWS::EC2::Subnet`.
    pub type_name: String,
    /// Service module and feature (`ec2`).
    pub service: String,
    /// Struct name (`Subnet`).
    pub name: String,
    /// Submodule of nested types (`subnet`).
    pub module: String,
    /// Cleaned description.
    pub doc: String,
    /// Documentation link.
    pub url: String,
    /// Settable properties.
    pub fields: Vec<Field>,
    /// Top-level required alternatives (`oneOf: [{required: [..]}, ..]`).
    pub required_alternatives: Vec<Vec<String>>,
    /// Attributes.
    pub attrs: Vec<Attr>,
    /// Read-only pointers through arrays, not offered as attributes.
    pub skipped_attrs: Vec<String>,
    /// The marker `Ref` returns, by format key.
    pub ref_marker: Option<String>,
    /// Nested structs and enums.
    pub items: Vec<Item>,
}

/// Parses `AWS::EC2::VPC.Id` / `.Ids` into `(type, attr, plural)`.
pub fn parse_id_format(f: &str) -> Option<(String, String, bool)> {
    if patches::NOT_IDENTIFIERS.contains(&f) || patches::is_bogus_format(f) {
        return None;
    }
    let (ty, attr) = f.rsplit_once('.')?;
    let segs: Vec<&str> = ty.split("::").collect();
    let word = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric());
    if segs.len() != 3 || !segs.iter().all(|s| word(s)) || !word(attr) {
        return None;
    }
    let ty = patches::TYPE_ALIASES
        .iter()
        .find(|(a, _)| *a == ty)
        .map(|(_, b)| (*b).to_owned())
        .unwrap_or_else(|| ty.to_owned());
    let (attr, plural) = match attr {
        "Ids" => ("Id".to_owned(), true),
        "Names" => ("Name".to_owned(), true),
        "Arns" => ("Arn".to_owned(), true),
        a => (a.to_owned(), false),
    };
    Some((ty, attr, plural))
}

/// The service module of a type name (`AWS::ElasticLoadBalancingV2::X` is `elasticloadbalancingv2`).
pub fn service_of(type_name: &str) -> String {
    type_name
        .split("::")
        .nth(1)
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// All identifier markers, by format key.
pub struct Markers {
    /// `AWS::EC2::VPC.Id` -> marker.
    pub by_key: BTreeMap<String, Marker>,
}

impl Markers {
    /// Collects every identifier format and `relationshipRef` of every schema.
    pub fn collect(types: &BTreeMap<String, J>) -> Markers {
        let mut keys: BTreeSet<(String, String)> = BTreeSet::new();
        for (tn, schema) in types {
            let mut out = Vec::new();
            walk_annotations(schema, &mut out);
            for a in out {
                match a {
                    Annotation::Format(f) => {
                        if let Some((t, at, _)) = parse_id_format(&f) {
                            keys.insert((t, at));
                        }
                    }
                    Annotation::Rel(t, p) => {
                        keys.insert(normalize_rel(types, &t, &p));
                    }
                }
            }
            for (t, _p, f) in patches::PROPERTY_FORMATS {
                if t == tn {
                    if let Some((t, at, _)) = parse_id_format(f) {
                        keys.insert((t, at));
                    }
                }
            }
        }
        let mut by_key = BTreeMap::new();
        let mut names: HashSet<(String, String)> = HashSet::new();
        for (t, attr) in keys {
            let res = pascal(t.split("::").nth(2).unwrap_or(""));
            let a = pascal(&attr);
            let name = if a.starts_with(&res) {
                a
            } else {
                format!("{res}{a}")
            };
            let service = service_of(&t);
            assert!(
                names.insert((service.clone(), name.clone())),
                "marker clash {service}::{name}"
            );
            let m = Marker {
                service,
                name,
                type_name: t.clone(),
                attr: attr.clone(),
            };
            by_key.insert(m.key(), m);
        }
        Markers { by_key }
    }

    /// The marker a node's annotations point to, preferring `.Id` over
    /// `.Name`; with whether it was given in plural form.
    pub fn of_node(&self, types: &BTreeMap<String, J>, node: &J) -> Option<(String, bool)> {
        let mut cands: Vec<(String, bool)> = Vec::new();
        fn push(cands: &mut Vec<(String, bool)>, f: &J) {
            if let Some(f) = f.as_str() {
                if let Some((t, a, plural)) = parse_id_format(f) {
                    cands.push((format!("{t}.{a}"), plural));
                }
            }
        }
        push(&mut cands, node.get("format").unwrap_or(&J::Null));
        for comb in ["anyOf", "oneOf"] {
            if let Some(bs) = node.get(comb).and_then(J::as_array) {
                for b in bs {
                    push(&mut cands, b.get("format").unwrap_or(&J::Null));
                    if let Some(r) = b.get("relationshipRef") {
                        if let Some((t, a)) = rel_of(types, r) {
                            cands.push((format!("{t}.{a}"), false));
                        }
                    }
                }
            }
        }
        if let Some(r) = node.get("relationshipRef") {
            if let Some((t, a)) = rel_of(types, r) {
                cands.push((format!("{t}.{a}"), false));
            }
        }
        cands.retain(|(k, _)| self.by_key.contains_key(k));
        cands
            .iter()
            .find(|(k, _)| k.ends_with(".Id"))
            .or_else(|| cands.first())
            .cloned()
    }
}

enum Annotation {
    Format(String),
    Rel(String, String),
}

fn walk_annotations(v: &J, out: &mut Vec<Annotation>) {
    match v {
        J::Object(m) => {
            for (k, x) in m {
                if k == "handlers" {
                    continue;
                }
                if k == "format" {
                    if let Some(s) = x.as_str() {
                        out.push(Annotation::Format(s.to_owned()));
                    }
                } else if k == "relationshipRef" {
                    if let (Some(t), Some(p)) = (
                        x.get("typeName").and_then(J::as_str),
                        x.get("propertyPath").and_then(J::as_str),
                    ) {
                        out.push(Annotation::Rel(t.to_owned(), p.to_owned()));
                    }
                } else {
                    walk_annotations(x, out);
                }
            }
        }
        J::Array(a) => a.iter().for_each(|x| walk_annotations(x, out)),
        _ => {}
    }
}

fn rel_of(types: &BTreeMap<String, J>, r: &J) -> Option<(String, String)> {
    let t = r.get("typeName")?.as_str()?;
    let p = r.get("propertyPath")?.as_str()?;
    Some(normalize_rel(types, t, p))
}

/// `relationshipRef {AWS::EC2::VPC, /properties/VpcId}` is the same marker as
/// the format the target property carries (`AWS::EC2::VPC.Id`).
fn normalize_rel(types: &BTreeMap<String, J>, t: &str, p: &str) -> (String, String) {
    let prop = p.trim_start_matches("/properties/").to_owned();
    if let Some(f) = types
        .get(t)
        .and_then(|s| s.pointer(&format!("/properties/{prop}/format")))
        .and_then(J::as_str)
    {
        if let Some((ft, fa, _)) = parse_id_format(f) {
            return (ft, fa);
        }
    }
    (t.to_owned(), prop)
}

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

fn desc(node: &J) -> String {
    node.get("description")
        .and_then(J::as_str)
        .map(clean_doc)
        .unwrap_or_default()
}

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

fn pointer_path(p: &str) -> Option<Vec<String>> {
    let rest = p.strip_prefix("/properties/")?;
    Some(
        rest.split('/')
            .filter(|s| *s != "*")
            .map(str::to_owned)
            .collect(),
    )
}

fn pointers(schema: &J, key: &str) -> Vec<String> {
    schema
        .get(key)
        .and_then(J::as_array)
        .map(|a| a.iter().filter_map(J::as_str).map(str::to_owned).collect())
        .unwrap_or_default()
}

fn is_string_enum(node: &J) -> Option<Vec<String>> {
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

fn type_list(node: &J) -> Vec<String> {
    match node.get("type") {
        Some(J::String(s)) => vec![s.clone()],
        Some(J::Array(a)) => a.iter().filter_map(J::as_str).map(str::to_owned).collect(),
        _ => vec![],
    }
}

fn is_struct_node(node: &J) -> bool {
    let tl = type_list(node);
    node.get("properties").and_then(J::as_object).is_some() && (tl.is_empty() || tl == ["object"])
}

/// Required properties: `required`, and the `required` of `allOf` branches.
fn required_of(node: &J) -> HashSet<String> {
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
fn required_alternatives(node: &J) -> Vec<Vec<String>> {
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

    /// The Rust type of a schema node at `path` (property names from the
    /// resource root), `parent` being the enclosing struct's name.
    fn ty_of(&mut self, node: &J, path: &[String], parent: &str, prop: &str) -> Ty {
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
    fn uniform_alternatives(
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

    fn inline_enum(&mut self, node: &J, vals: &[String], parent: &str, prop: &str) -> Ty {
        let p = pascal(prop);
        let name = self.alloc(
            &[p.clone(), format!("{parent}{p}")],
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

    fn inline_struct(&mut self, node: &J, path: &[String], parent: &str, prop: &str) -> Ty {
        let p = pascal(prop);
        let key = path.join("/");
        let origin = Origin::Inline(key);
        let name = self.alloc(&[p.clone(), format!("{parent}{p}")], origin);
        if !self
            .items
            .iter()
            .any(|i| matches!(i, Item::Struct(s) if s.name == name))
        {
            self.build_struct(&name, node, path);
        }
        Ty::Named(name)
    }

    fn build_struct(&mut self, name: &str, node: &J, path: &[String]) {
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
        if let Item::Struct(s) = &mut self.items[idx] {
            s.fields = fields;
        }
    }

    fn fields_of(
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

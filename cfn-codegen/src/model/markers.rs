//! Identifier markers: which formats and `relationshipRef`s name which
//! resource, and the marker a schema node takes.

use super::*;
use crate::naming::pascal;
use crate::patches;
use crate::refs;
use serde_json::Value as J;
use std::collections::{BTreeMap, BTreeSet, HashSet};

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
        // Members of the reviewed unions are markers even where no schema
        // names them (a DynamoDB stream ARN, an MSK cluster ARN).
        for (_, _, members) in refs::UNIONS {
            for k in *members {
                if let Some((t, at, _)) = parse_id_format(k) {
                    if types.contains_key(&t) {
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
                members: Vec::new(),
            };
            by_key.insert(m.key(), m);
        }
        // Union markers whose members all exist.
        for (module, name, members) in refs::UNIONS {
            if !members.iter().all(|k| by_key.contains_key(*k)) {
                continue;
            }
            let first = &by_key[members[0]];
            let service = (*module).to_owned();
            assert!(
                names.insert((service.clone(), (*name).to_owned())),
                "marker clash {service}::{name}"
            );
            let m = Marker {
                service,
                name: (*name).to_owned(),
                type_name: first.type_name.clone(),
                attr: String::new(),
                members: members.iter().map(|k| (*k).to_owned()).collect(),
            };
            by_key.insert(m.key(), m);
        }
        Markers { by_key }
    }

    /// The markers without an example of what `Ref` / `Fn::GetAtt` returns
    /// (`refs::EXAMPLES`): the generator refuses to run with any.
    pub fn without_example(&self) -> Vec<&str> {
        self.by_key
            .keys()
            .filter(|k| !k.contains('|') && refs::example(k).is_none())
            .map(String::as_str)
            .collect()
    }

    /// The marker a node's annotations point to, preferring `.Id` over
    /// `.Name`; with whether it was given in plural form.
    pub fn of_node(&self, types: &BTreeMap<String, J>, node: &J) -> Option<(String, bool)> {
        let mut cands: Vec<(String, bool)> = Vec::new();
        fn push(cands: &mut Vec<(String, bool)>, f: &J) {
            if let Some(f) = f.as_str().filter(|f| f.contains('|')) {
                // a union the overlay names
                cands.push((f.to_owned(), false));
                return;
            }
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
        // Only a marker whose value fits the field's own pattern and
        // lengths: a field that accepts only a key ARN never takes a key id.
        // (`load` refuses registry markers without an example; fixture
        // markers have none and are taken as they are.)
        cands.retain(|(k, _)| {
            if k.contains('|') {
                return k
                    .split('|')
                    .all(|m| refs::example(m).is_none_or(|e| refs::fits(node, e)));
            }
            refs::example(k).is_none_or(|e| refs::fits(node, e))
        });
        // Several forms fit: the union marker of exactly those, if reviewed.
        let mut fitting: Vec<&str> = cands.iter().map(|(k, _)| k.as_str()).collect();
        fitting.sort_unstable();
        fitting.dedup();
        if fitting.len() > 1 {
            if let Some((_, _, members)) = refs::UNIONS.iter().find(|(_, _, ms)| {
                let mut ms: Vec<&str> = ms.to_vec();
                ms.sort_unstable();
                ms == fitting
            }) {
                let key = members.join("|");
                if self.by_key.contains_key(&key) {
                    return Some((key, cands[0].1));
                }
            }
        }
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

//! Schema facts for run-time tools: each schema with its documentation and
//! handler permissions stripped, one line per type (`TYPE<TAB>JSON`), sorted
//! by type name. `cfn_resources::schema` parses a type's line on first use.

use serde_json::{Map, Value as J};
use std::collections::BTreeMap;

const DROP: &[&str] = &[
    "description",
    "handlers",
    "tagging",
    "propertyTransform",
    "sourceUrl",
    "documentationUrl",
    "examples",
    "$comment",
    "title",
    "$schema",
    "default",
    "insertionOrder",
    "arrayType",
    "replacementStrategy",
    "lifecycle",
    "typeConfiguration",
    "resourceLink",
    "taggable",
];

/// Keys whose values are maps from names to schemas.
const NAME_MAPS: &[&str] = &["properties", "definitions", "patternProperties"];

fn strip(v: &J, names: bool) -> J {
    match v {
        J::Object(m) => {
            let mut out = Map::new();
            for (k, x) in m {
                if !names && DROP.contains(&k.as_str()) {
                    continue;
                }
                let inner_names = !names && NAME_MAPS.contains(&k.as_str());
                out.insert(k.clone(), strip(x, inner_names));
            }
            J::Object(out)
        }
        J::Array(a) => J::Array(a.iter().map(|x| strip(x, false)).collect()),
        other => other.clone(),
    }
}

/// The facts file.
pub fn facts(types: &BTreeMap<String, J>) -> String {
    let mut out = String::new();
    for (name, schema) in types {
        out.push_str(name);
        out.push('\t');
        out.push_str(&serde_json::to_string(&strip(schema, false)).unwrap());
        out.push('\n');
    }
    out
}

//! SAM facts: the schema of SAM's transform (`AWS::Serverless-2016-10-31`),
//! reduced to what a validator needs.
//!
//! The input is the JSON schema that aws-sam-translator's own code builds
//! (`samtranslator.internal.schema_source.schema.get_schema(SamModel)`, the
//! `sam.schema.json` of SAM's repository; its wheels no longer ship the
//! built file, so `scripts/regen-sam.sh` runs that function from the
//! pinned, sha256-checked wheel with a pinned pydantic). The output,
//! `cfn-resources/sam/sam_facts.txt`, has one line per fact, sorted:
//!
//! ```text
//! type<TAB>AWS::Serverless::Function<TAB>aws_serverless_function__Properties<TAB>optional
//! globals<TAB>Function<TAB>aws_serverless_function__Globals
//! def<TAB>aws_serverless_function__Properties<TAB>{...reduced JSON schema...}
//! policy<TAB>S3ReadPolicy<TAB>BucketName
//! ```
//!
//! Reduction: documentation (`title`, `markdownDescription`, `description`)
//! is dropped; definition names lose the `samtranslator__internal__schema_source__`
//! prefix; a one-element `allOf` is merged into its node; SAM's marker for a
//! property passed unchanged to a CloudFormation resource (`__samPassThrough`,
//! whose own schema is "anything") becomes `"passThrough": "TYPE/Property/..."`,
//! so run-time tools can check it against the registry schema. Only the
//! definitions reachable from the resource types and Globals sections are
//! kept. A keyword the validator does not know is an error here, so a newer
//! schema cannot silently weaken the check.

mod widen;

use serde_json::{Map, Value as J};
use std::collections::{BTreeMap, BTreeSet};
use widen::widen;

const PREFIX: &str = "samtranslator__internal__schema_source__";
const DROP: &[&str] = &["title", "markdownDescription", "description"];
/// The keywords `cfn_resources::schema::sam` evaluates.
const KEEP: &[&str] = &[
    "type",
    "$ref",
    "anyOf",
    "allOf",
    "additionalProperties",
    "properties",
    "required",
    "items",
    "enum",
    "pattern",
    "minItems",
    "maxItems",
];

/// The pinned input.
pub struct SamInput {
    /// aws-sam-translator version (`1.115.0`).
    pub version: String,
    /// sha256 of the wheel the schema was built from.
    pub sha256: String,
    /// The schema (`get_schema(SamModel)`).
    pub schema: J,
    /// What the transform itself accepts (`scripts/sam-translator-facts.py`):
    /// `{"properties": {TYPE: {PROP: [JSON kinds] | null}}, "globals":
    /// {SECTION: [PROP]}}`; the schema is widened to it ([`widen`]).
    pub translator: Option<J>,
}

fn read_json(path: &std::path::Path) -> Result<J, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("cannot parse {}: {e}", path.display()))
}

/// Reads the schema at `path` and the transform's facts at `translator`.
pub fn load(
    path: &std::path::Path,
    translator: Option<&std::path::Path>,
    version: &str,
    sha256: &str,
) -> Result<SamInput, String> {
    Ok(SamInput {
        version: version.to_owned(),
        sha256: sha256.to_owned(),
        schema: read_json(path)?,
        translator: translator.map(read_json).transpose()?,
    })
}

fn short(name: &str) -> String {
    name.strip_prefix(PREFIX).unwrap_or(name).to_owned()
}

fn ref_name(node: &J) -> Option<&str> {
    let node = match node.get("allOf").and_then(J::as_array) {
        Some(a) if a.len() == 1 => &a[0],
        _ => node,
    };
    node.get("$ref")?.as_str()?.strip_prefix("#/definitions/")
}

/// `["definitions", "AWS::Lambda::Function", "properties", "Properties",
/// "properties", "Runtime"]` -> `AWS::Lambda::Function/Runtime`;
/// `["definitions", "AWS::Lambda::Function.Code", "properties", "S3Key"]`
/// (a property type of the CloudFormation spec) ->
/// `AWS::Lambda::Function.Code/S3Key`.
fn pass_through(path: &J) -> Result<String, String> {
    let parts: Vec<&str> = path
        .as_array()
        .ok_or("schemaPath is not a list")?
        .iter()
        .filter_map(J::as_str)
        .collect();
    let bad = || format!("unexpected schemaPath {parts:?}");
    let ["definitions", ty, rest @ ..] = parts.as_slice() else {
        return Err(bad());
    };
    let rest = match rest {
        ["properties", "Properties", more @ ..] if !ty.contains('.') => more,
        _ => rest,
    };
    // a whole property type (`AWS::Lambda::CapacityProvider.LoggingConfig`) is fine
    if (rest.is_empty() && !ty.contains('.')) || rest.len() % 2 != 0 {
        return Err(bad());
    }
    let mut out = ty.to_string();
    for pair in rest.chunks(2) {
        if pair[0] != "properties" {
            return Err(bad());
        }
        out.push('/');
        out.push_str(pair[1]);
    }
    Ok(out)
}

/// Reduces one schema node; `refs` collects the definitions it names.
fn reduce(v: &J, refs: &mut BTreeSet<String>) -> Result<J, String> {
    let J::Object(m) = v else {
        return Ok(v.clone());
    };
    let mut out = Map::new();
    let mut m = m.clone();
    // a one-element allOf is its element
    if let Some(J::Array(a)) = m.get("allOf") {
        if a.len() == 1 {
            if let J::Object(inner) = a[0].clone() {
                m.remove("allOf");
                for (k, x) in inner {
                    if m.contains_key(&k) {
                        return Err(format!("allOf member repeats `{k}`"));
                    }
                    m.insert(k, x);
                }
            }
        }
    }
    if let Some(p) = m.remove("__samPassThrough") {
        let target = pass_through(p.get("schemaPath").unwrap_or(&J::Null))?;
        out.insert("passThrough".into(), J::String(target));
        if m.get("$ref").and_then(J::as_str) == Some("#/definitions/PassThroughProp") {
            m.remove("$ref");
        }
    }
    for (k, x) in &m {
        if DROP.contains(&k.as_str()) {
            continue;
        }
        if !KEEP.contains(&k.as_str()) {
            return Err(format!(
                "keyword `{k}` is not evaluated by cfn_resources::schema::sam"
            ));
        }
        let reduced = match k.as_str() {
            "$ref" => {
                let name = x
                    .as_str()
                    .and_then(|r| r.strip_prefix("#/definitions/"))
                    .ok_or_else(|| format!("unexpected $ref {x}"))?;
                if name == "PassThroughProp" {
                    // "anything": an empty schema
                    continue;
                }
                refs.insert(name.to_owned());
                J::String(short(name))
            }
            "properties" => {
                let mut props = Map::new();
                for (name, p) in x.as_object().ok_or("properties is not an object")? {
                    props.insert(name.clone(), reduce(p, refs)?);
                }
                J::Object(props)
            }
            "anyOf" | "allOf" => J::Array(
                x.as_array()
                    .ok_or("anyOf is not a list")?
                    .iter()
                    .map(|b| reduce(b, refs))
                    .collect::<Result<_, _>>()?,
            ),
            "additionalProperties" | "items" => reduce(x, refs)?,
            _ => x.clone(),
        };
        out.insert(k.clone(), reduced);
    }
    Ok(J::Object(out))
}

/// Counts for the report.
#[derive(Debug, Default)]
pub struct SamStats {
    /// Resource types.
    pub types: usize,
    /// Globals sections.
    pub globals: usize,
    /// Definitions kept.
    pub definitions: usize,
    /// Pass-through properties.
    pub pass_through: usize,
    /// Policy templates (`S3ReadPolicy`, ...).
    pub policy_templates: usize,
    /// Where the schema was widened to what the transform accepts.
    pub widened: Vec<String>,
}

/// The facts file and its counts.
pub fn facts(input: &SamInput) -> Result<(String, SamStats), String> {
    let defs = input
        .schema
        .get("definitions")
        .and_then(J::as_object)
        .ok_or("schema has no definitions")?;
    let def = |name: &str| {
        defs.get(name)
            .ok_or_else(|| format!("definition `{name}` is missing"))
    };
    let mut pending: Vec<String> = Vec::new();
    // resource types: type -> (Properties definition, Properties required)
    let resources = input
        .schema
        .pointer("/properties/Resources/additionalProperties/anyOf")
        .and_then(J::as_array)
        .ok_or("schema lacks properties.Resources.additionalProperties.anyOf")?;
    let mut types = BTreeMap::new();
    let mut required_props = BTreeMap::new();
    for r in resources {
        let name = ref_name(r).ok_or("a Resources member is not a $ref")?;
        let res = def(name)?;
        let Some(ty) = res
            .pointer("/properties/Type/enum/0")
            .and_then(J::as_str)
            .filter(|t| t.starts_with("AWS::Serverless::"))
        else {
            continue; // any other resource (`any_cfn_resource`)
        };
        let props = res
            .pointer("/properties/Properties")
            .and_then(ref_name)
            .ok_or_else(|| format!("{ty} has no Properties definition"))?;
        let required = res
            .get("required")
            .and_then(J::as_array)
            .is_some_and(|a| a.iter().any(|x| x == "Properties"));
        pending.push(props.to_owned());
        types.insert(ty.to_owned(), short(props));
        required_props.insert(ty.to_owned(), required);
    }
    // Globals sections
    let globals_def = input
        .schema
        .pointer("/properties/Globals")
        .and_then(ref_name)
        .ok_or("schema lacks properties.Globals")?;
    let mut globals = BTreeMap::new();
    for (section, node) in def(globals_def)?
        .get("properties")
        .and_then(J::as_object)
        .ok_or("the Globals definition has no properties")?
    {
        let name = ref_name(node).ok_or_else(|| format!("Globals/{section} is not a $ref"))?;
        pending.push(name.to_owned());
        globals.insert(section.clone(), short(name));
    }
    // reachable definitions, reduced
    let mut done: BTreeMap<String, J> = BTreeMap::new();
    while let Some(name) = pending.pop() {
        if done.contains_key(&short(&name)) {
            continue;
        }
        let mut refs = BTreeSet::new();
        let reduced = reduce(def(&name)?, &mut refs)?;
        done.insert(short(&name), reduced);
        pending.extend(refs);
    }
    let widened = match &input.translator {
        Some(t) => widen(&mut done, &types, &mut globals, t)?,
        None => Vec::new(),
    };
    let mut out = format!(
        "# @generated by cfn-codegen --sam-schema (scripts/regen-sam.sh) from aws-sam-translator {} \
         (wheel sha256 {}); widened in {} places to what the transform accepts. DO NOT EDIT.\n",
        input.version,
        input.sha256,
        widened.len()
    );
    let mut pass = 0usize;
    let mut policies = 0usize;
    if let Some(t) = input
        .translator
        .as_ref()
        .and_then(|t| t.get("policy_templates"))
        .and_then(J::as_object)
    {
        let sorted: BTreeMap<&String, &J> = t.iter().collect();
        for (name, params) in sorted {
            let params: Vec<&str> = params
                .as_array()
                .ok_or("policy template parameters")?
                .iter()
                .filter_map(J::as_str)
                .collect();
            out.push_str(&format!("policy\t{name}\t{}\n", params.join(",")));
            policies += 1;
        }
    }
    for (ty, d) in &types {
        let req = if required_props[ty] {
            "required"
        } else {
            "optional"
        };
        out.push_str(&format!("type\t{ty}\t{d}\t{req}\n"));
    }
    for (section, d) in &globals {
        out.push_str(&format!("globals\t{section}\t{d}\n"));
    }
    for (k, v) in &done {
        let text = serde_json::to_string(v).map_err(|e| e.to_string())?;
        pass += text.matches("\"passThrough\"").count();
        out.push_str(&format!("def\t{k}\t{text}\n"));
    }
    let stats = SamStats {
        types: types.len(),
        globals: globals.len(),
        definitions: done.len(),
        pass_through: pass,
        policy_templates: policies,
        widened,
    };
    Ok((out, stats))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reduces_a_tiny_schema() {
        let schema = json!({
            "definitions": {
                "PassThroughProp": {},
                "samtranslator__internal__schema_source__f__Resource": {
                    "properties": {
                        "Type": {"enum": ["AWS::Serverless::Function"], "type": "string"},
                        "Properties": {"allOf": [{"$ref": "#/definitions/samtranslator__internal__schema_source__f__Properties"}]}
                    },
                    "required": ["Type"]
                },
                "samtranslator__internal__schema_source__f__Properties": {
                    "additionalProperties": false,
                    "title": "Properties",
                    "properties": {
                        "Runtime": {
                            "__samPassThrough": {"schemaPath": ["definitions", "AWS::Lambda::Function", "properties", "Properties", "properties", "Runtime"]},
                            "allOf": [{"$ref": "#/definitions/PassThroughProp"}],
                            "markdownDescription": "docs"
                        },
                        "CodeUri": {"anyOf": [{"type": "string"}, {"$ref": "#/definitions/CodeUri"}]}
                    }
                },
                "CodeUri": {"properties": {"Bucket": {"type": "string"}}, "required": ["Bucket"]},
                "samtranslator__internal__schema_source__f__Globals": {"properties": {"Runtime": {"type": "string"}}},
                "samtranslator__internal__schema_source__schema__Globals": {
                    "properties": {"Function": {"$ref": "#/definitions/samtranslator__internal__schema_source__f__Globals"}}
                },
                "Unused": {"type": "string"}
            },
            "properties": {
                "Globals": {"$ref": "#/definitions/samtranslator__internal__schema_source__schema__Globals"},
                "Resources": {"additionalProperties": {"anyOf": [{"$ref": "#/definitions/samtranslator__internal__schema_source__f__Resource"}]}}
            }
        });
        let input = SamInput {
            version: "9.9.9".into(),
            sha256: "abc".into(),
            schema,
            translator: Some(json!({
                "properties": {"AWS::Serverless::Function": {"CodeUri": ["array"], "Runtime": null, "Layers": ["array"]}},
                "globals": {"Function": ["Runtime", "CodeUri"]},
                "policy_templates": {"S3ReadPolicy": ["BucketName"], "VPCAccessPolicy": []}
            })),
        };
        let (text, stats) = facts(&input).unwrap();
        assert_eq!(stats.types, 1);
        assert_eq!(stats.pass_through, 1);
        let widened: Vec<&String> = stats
            .widened
            .iter()
            .filter(|w| !w.contains("NOT patched"))
            .collect();
        assert_eq!(widened.len(), 3, "{widened:?}");
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("# @generated"), "{text}");
        assert_eq!(
            lines[1..],
            [
                "policy\tS3ReadPolicy\tBucketName",
                "policy\tVPCAccessPolicy\t",
                "type\tAWS::Serverless::Function\tf__Properties\toptional",
                "globals\tFunction\tf__Globals",
                "def\tCodeUri\t{\"properties\":{\"Bucket\":{\"type\":\"string\"}},\"required\":[\"Bucket\"]}",
                "def\tf__Globals\t{\"properties\":{\"Runtime\":{\"type\":\"string\"},\"CodeUri\":{\"anyOf\":[{\"anyOf\":[{\"type\":\"string\"},{\"$ref\":\"CodeUri\"}]},{\"type\":[\"array\"]}]}}}",
                "def\tf__Properties\t{\"additionalProperties\":false,\"properties\":{\"Runtime\":{\"passThrough\":\"AWS::Lambda::Function/Runtime\"},\"CodeUri\":{\"anyOf\":[{\"anyOf\":[{\"type\":\"string\"},{\"$ref\":\"CodeUri\"}]},{\"type\":[\"array\"]}]},\"Layers\":{}}}",
            ]
        );
    }

    #[test]
    fn unknown_keywords_are_refused() {
        let mut refs = BTreeSet::new();
        let e = reduce(&json!({"oneOf": []}), &mut refs).unwrap_err();
        assert!(e.contains("oneOf"), "{e}");
    }
}

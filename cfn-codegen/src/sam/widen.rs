//! Widening SAM's schema to what its transform accepts (see
//! [`super`]): SAM's schema is documentation-grade and stricter than the
//! transform in places; the transform is what AWS runs, so it wins. Facts
//! read from the transform's code (`scripts/sam-translator-facts.py`) and a
//! reviewed table ([`PATCHES`]) for what that reading cannot see.

use serde_json::{Map, Value as J};
use std::collections::BTreeMap;

/// Whether `node` admits values of the JSON type `kind` (its shape only).
fn admits(node: &J, kind: &str, defs: &BTreeMap<String, J>, depth: usize) -> bool {
    if depth > 32 {
        return true;
    }
    if let Some(d) = node
        .get("$ref")
        .and_then(J::as_str)
        .and_then(|r| defs.get(r))
    {
        if !admits(d, kind, defs, depth + 1) {
            return false;
        }
    }
    let types: Vec<&str> = match node.get("type") {
        Some(J::String(t)) => vec![t.as_str()],
        Some(J::Array(a)) => a.iter().filter_map(J::as_str).collect(),
        _ => Vec::new(),
    };
    if !types.is_empty()
        && !types
            .iter()
            .any(|t| *t == kind || (*t == "number" && kind == "integer"))
    {
        return false;
    }
    if let Some(a) = node.get("anyOf").and_then(J::as_array) {
        if !a.iter().any(|b| admits(b, kind, defs, depth + 1)) {
            return false;
        }
    }
    if let Some(a) = node.get("allOf").and_then(J::as_array) {
        if !a.iter().all(|b| admits(b, kind, defs, depth + 1)) {
            return false;
        }
    }
    if types.is_empty() && node.get("properties").is_some() {
        return kind == "object";
    }
    true
}

/// `node` widened to admit `kinds` too (`passThrough` stays outside).
fn widen_node(node: &J, kinds: &[&str], defs: &BTreeMap<String, J>) -> Option<J> {
    let missing: Vec<J> = kinds
        .iter()
        .filter(|k| !admits(node, k, defs, 0))
        .map(|k| J::String((*k).to_owned()))
        .collect();
    if missing.is_empty() {
        return None;
    }
    let mut inner = node.as_object().cloned().unwrap_or_default();
    let mut outer = Map::new();
    if let Some(p) = inner.remove("passThrough") {
        outer.insert("passThrough".into(), p);
    }
    outer.insert(
        "anyOf".into(),
        J::Array(vec![
            J::Object(inner),
            serde_json::json!({ "type": missing }),
        ]),
    );
    Some(J::Object(outer))
}

fn properties_mut<'a>(
    defs: &'a mut BTreeMap<String, J>,
    def: &str,
) -> Result<&'a mut Map<String, J>, String> {
    defs.get_mut(def)
        .and_then(|d| d.as_object_mut())
        .map(|d| {
            d.entry("properties")
                .or_insert_with(|| J::Object(Map::new()))
        })
        .and_then(J::as_object_mut)
        .ok_or_else(|| format!("definition `{def}` is not an object"))
}

fn strings(v: &J) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().filter_map(J::as_str).map(str::to_owned).collect())
        .unwrap_or_default()
}

/// `["string", "object"]` -> those kinds; `null` (a pass-through: no
/// information) -> `None`.
fn kind_list(v: &J) -> Option<Vec<String>> {
    v.as_array().map(|_| strings(v))
}

/// The event definitions under a Properties definition's `Events`: (event
/// `Type`, the definition of its `Properties`).
fn event_defs(defs: &BTreeMap<String, J>, props_def: &str) -> Vec<(String, String)> {
    let branches = defs
        .get(props_def)
        .and_then(|d| d.pointer("/properties/Events/additionalProperties/anyOf"))
        .and_then(J::as_array)
        .cloned()
        .unwrap_or_default();
    branches
        .iter()
        .filter_map(|b| {
            let event = defs.get(b.get("$ref")?.as_str()?)?;
            let ty = event.pointer("/properties/Type/enum/0")?.as_str()?;
            let props = event.pointer("/properties/Properties/$ref")?.as_str()?;
            Some((ty.to_owned(), props.to_owned()))
        })
        .collect()
}

/// Widens the object definition `def` to the transform's view of it:
/// properties it knows are added, JSON types its validators take are added,
/// `required` keeps only what it requires (when `required` is known).
fn widen_def(
    defs: &mut BTreeMap<String, J>,
    def: &str,
    label: &str,
    kinds: &BTreeMap<String, Option<Vec<String>>>,
    required: Option<&[String]>,
    log: &mut Vec<String>,
) -> Result<(), String> {
    for (p, k) in kinds {
        let current = properties_mut(defs, def)?.get(p).cloned();
        match current {
            None => {
                properties_mut(defs, def)?.insert(p.clone(), J::Object(Map::new()));
                log.push(format!("{label}.{p}: added (the transform takes it)"));
            }
            Some(node) => {
                let k: Vec<&str> = k.iter().flatten().map(String::as_str).collect();
                if let Some(w) = widen_node(&node, &k, defs) {
                    properties_mut(defs, def)?.insert(p.clone(), w);
                    log.push(format!("{label}.{p}: widened to {}", k.join(", ")));
                }
            }
        }
    }
    if let Some(req) = required {
        let d = defs
            .get_mut(def)
            .and_then(J::as_object_mut)
            .ok_or_else(|| format!("definition `{def}` is not an object"))?;
        if let Some(J::Array(r)) = d.get_mut("required") {
            let before: Vec<String> = r.iter().filter_map(J::as_str).map(str::to_owned).collect();
            r.retain(|x| x.as_str().is_some_and(|x| req.iter().any(|q| q == x)));
            for dropped in before.iter().filter(|b| !req.contains(b)) {
                log.push(format!(
                    "{label}.{dropped}: not required (the transform does not require it)"
                ));
            }
        }
    }
    Ok(())
}

/// Where SAM's own schema tests skip templates the transform accepts
/// (`tests/schema/test_validate_schema.py`, `SKIPPED_TESTS`, in SAM's
/// repository) and the transform's code is not a table this generator can
/// read: (definition, property, what to allow, why).
const PATCHES: &[(&str, &str, Patch, &str)] = &[
    (
        "CognitoAuthorizer",
        "UserPoolArn",
        Patch::Types(&["array"]),
        "a list of user pools (api_with_auth_all_maximum)",
    ),
    (
        "Cors",
        "AllowOrigin",
        Patch::NotRequired,
        "Cors with only headers or methods (api_with_cors_and_only_headers)",
    ),
    (
        "LambdaTokenAuthorizer",
        "FunctionArn",
        Patch::NotRequired,
        "api_with_any_method_in_swagger",
    ),
    (
        "LambdaRequestAuthorizer",
        "FunctionArn",
        Patch::NotRequired,
        "api_with_any_method_in_swagger",
    ),
    (
        "LambdaTokenAuthorizer",
        "EnableSimpleResponses",
        Patch::Any,
        "api_rest_paths_with_if_condition_swagger",
    ),
    (
        "LambdaTokenAuthorizer",
        "AuthorizerPayloadFormatVersion",
        Patch::Any,
        "api_rest_paths_with_if_condition_swagger",
    ),
    (
        "LambdaRequestAuthorizer",
        "EnableSimpleResponses",
        Patch::Any,
        "api_rest_paths_with_if_condition_swagger",
    ),
    (
        "LambdaRequestAuthorizer",
        "AuthorizerPayloadFormatVersion",
        Patch::Any,
        "api_rest_paths_with_if_condition_swagger",
    ),
    (
        "aws_serverless_api__ResourcePolicy",
        "CustomStatements",
        Patch::Types(&["object"]),
        "one statement as a map (api_with_resource_policy)",
    ),
    (
        "aws_serverless_function__ResourcePolicy",
        "CustomStatements",
        Patch::Types(&["object"]),
        "one statement as a map (api_with_resource_policy)",
    ),
    (
        "aws_serverless_statemachine__ResourcePolicy",
        "CustomStatements",
        Patch::Types(&["object"]),
        "one statement as a map",
    ),
    (
        "aws_serverless_function__ApiEventProperties",
        "RequestParameters",
        Patch::Any,
        "function_with_request_parameters",
    ),
    (
        "aws_serverless_api__Properties",
        "DefinitionBody",
        Patch::Types(&["string"]),
        "success_complete_api",
    ),
];

/// What a [`PATCHES`] entry allows.
#[derive(Debug, Clone, Copy)]
enum Patch {
    /// These JSON types too.
    Types(&'static [&'static str]),
    /// The property may be missing.
    NotRequired,
    /// Any value (the property is added when missing).
    Any,
}

fn apply_patches(defs: &mut BTreeMap<String, J>, log: &mut Vec<String>) -> Result<(), String> {
    for (def, prop, patch, why) in PATCHES {
        if !defs.contains_key(*def) {
            // a newer SAM renamed or dropped it: the patch may be stale
            log.push(format!(
                "{def}.{prop}: NOT patched, no such definition ({why})"
            ));
            continue;
        }
        match patch {
            Patch::Types(kinds) => {
                let node = properties_mut(defs, def)?
                    .get(*prop)
                    .cloned()
                    .ok_or_else(|| format!("patch for `{def}.{prop}`: no such property"))?;
                if let Some(w) = widen_node(&node, kinds, defs) {
                    properties_mut(defs, def)?.insert((*prop).to_owned(), w);
                }
            }
            Patch::Any => {
                properties_mut(defs, def)?.insert((*prop).to_owned(), J::Object(Map::new()));
            }
            Patch::NotRequired => {
                if let Some(J::Array(r)) = defs.get_mut(*def).and_then(|d| d.get_mut("required")) {
                    r.retain(|x| x.as_str() != Some(prop));
                }
            }
        }
        log.push(format!("{def}.{prop}: patched ({patch:?}): {why}"));
    }
    Ok(())
}

/// Widens SAM's schema to what the transform accepts: SAM's schema is
/// documentation-grade and stricter than the transform in places (an
/// `AWS::Serverless::Api`'s `EndpointConfiguration` may be a string;
/// `Globals.Function` takes `FunctionUrlConfig`). A property the transform
/// knows and the schema does not is added (any value); a JSON type the
/// transform's validator takes is added to the property's schema; a
/// property the transform takes from a `Globals` section is added to that
/// section, with the resource property's schema. Never narrows.
pub(super) fn widen(
    defs: &mut BTreeMap<String, J>,
    types: &BTreeMap<String, String>,
    globals: &mut BTreeMap<String, String>,
    translator: &J,
) -> Result<Vec<String>, String> {
    let mut log = Vec::new();
    let empty = Map::new();
    let props = translator
        .get("properties")
        .and_then(J::as_object)
        .unwrap_or(&empty);
    let required = translator.get("required").and_then(J::as_object);
    for (ty, known) in props {
        let Some(def) = types.get(ty) else {
            log.push(format!(
                "{ty}: a type of the transform without a schema (not checked)"
            ));
            continue;
        };
        let kinds: BTreeMap<String, Option<Vec<String>>> = known
            .as_object()
            .ok_or("translator properties")?
            .iter()
            .map(|(p, k)| (p.clone(), kind_list(k)))
            .collect();
        let req = required.and_then(|r| r.get(ty)).map(strings);
        widen_def(defs, def, ty, &kinds, req.as_deref(), &mut log)?;
        // its events (`Events: {E: {Type: SQS, Properties: {...}}}`)
        let events = translator
            .pointer(&format!("/events/{}", ty.replace('/', "~1")))
            .and_then(J::as_object);
        if let Some(events) = events {
            for (event, def) in event_defs(defs, def) {
                let Some(known) = events.get(&event).and_then(J::as_object) else {
                    continue;
                };
                let kinds: BTreeMap<String, Option<Vec<String>>> = known
                    .iter()
                    .map(|(p, k)| (p.clone(), k.get("kinds").and_then(kind_list)))
                    .collect();
                let req: Vec<String> = known
                    .iter()
                    .filter(|(_, k)| k.get("required") == Some(&J::Bool(true)))
                    .map(|(p, _)| p.clone())
                    .collect();
                let label = format!("{ty} event {event}");
                widen_def(defs, &def, &label, &kinds, Some(&req), &mut log)?;
            }
        }
    }
    let sections = translator
        .get("globals")
        .and_then(J::as_object)
        .unwrap_or(&empty);
    for (section, names) in sections {
        let ty = format!("AWS::Serverless::{section}");
        let gdef = match globals.get(section) {
            Some(d) => d.clone(),
            None => {
                let name = format!("{section}__TransformGlobals");
                defs.insert(
                    name.clone(),
                    serde_json::json!({"additionalProperties": false, "properties": {}, "type": "object"}),
                );
                globals.insert(section.clone(), name.clone());
                log.push(format!("Globals.{section}: added (the transform takes it)"));
                name
            }
        };
        let resource = types
            .get(&ty)
            .and_then(|d| defs.get(d))
            .and_then(|d| d.get("properties"))
            .and_then(J::as_object)
            .cloned()
            .unwrap_or_default();
        let kinds_of = |p: &str| -> Vec<String> {
            props
                .get(&ty)
                .and_then(|k| k.get(p))
                .and_then(J::as_array)
                .map(|a| a.iter().filter_map(J::as_str).map(str::to_owned).collect())
                .unwrap_or_default()
        };
        for p in names.as_array().ok_or("translator globals")? {
            let p = p.as_str().ok_or("translator globals")?;
            let current = properties_mut(defs, &gdef)?.get(p).cloned();
            match current {
                None => {
                    let node = resource.get(p).cloned().unwrap_or(J::Object(Map::new()));
                    properties_mut(defs, &gdef)?.insert(p.to_owned(), node);
                    log.push(format!(
                        "Globals.{section}.{p}: added (the transform takes it)"
                    ));
                }
                Some(node) => {
                    let kinds = kinds_of(p);
                    let kinds: Vec<&str> = kinds.iter().map(String::as_str).collect();
                    if let Some(w) = widen_node(&node, &kinds, defs) {
                        properties_mut(defs, &gdef)?.insert(p.to_owned(), w);
                        log.push(format!(
                            "Globals.{section}.{p}: widened to {}",
                            kinds.join(", ")
                        ));
                    }
                }
            }
        }
    }
    apply_patches(defs, &mut log)?;
    Ok(log)
}

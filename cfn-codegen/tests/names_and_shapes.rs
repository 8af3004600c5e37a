//! Generated names read naturally (no `KeySchemaKeySchema`), tag-shaped
//! definitions become the shared `Tag`, and identical nested types of a
//! service are emitted once.

use cfn_codegen::model::{Builder, Item, Markers, Resource};
use serde_json::json;
use std::collections::BTreeMap;

fn build(types: &BTreeMap<String, serde_json::Value>) -> Vec<Resource> {
    let markers = Markers::collect(types);
    types
        .keys()
        .map(|t| Builder::new(types, &markers, t).build())
        .collect()
}

fn names(r: &Resource) -> Vec<String> {
    r.items.iter().map(|i| i.name().to_owned()).collect()
}

fn table(schema: serde_json::Value) -> BTreeMap<String, serde_json::Value> {
    let name = schema["typeName"].as_str().unwrap().to_owned();
    BTreeMap::from([(name, schema)])
}

#[test]
fn a_definition_named_like_its_property_keeps_one_name() {
    // DynamoDB's shape: the definition `KeySchema` is an array whose items
    // are an inline object; a struct `Function` has an enum property `Function`.
    let types = table(json!({
        "typeName": "AWS::Demo::Table",
        "definitions": {
            "KeySchema": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "AttributeName": {"type": "string"},
                        "KeyType": {"type": "string", "enum": ["HASH", "RANGE"]}
                    },
                    "required": ["AttributeName", "KeyType"]
                }
            },
            "Function": {
                "type": "object",
                "properties": {"Function": {"type": "string", "enum": ["sum", "max"]}}
            }
        },
        "properties": {
            "KeySchema": {"$ref": "#/definitions/KeySchema"},
            "Other": {"$ref": "#/definitions/KeySchema"},
            "Function": {"$ref": "#/definitions/Function"}
        },
        "additionalProperties": false
    }));
    let r = &build(&types)[0];
    assert_eq!(
        names(r),
        ["KeySchema", "KeyType", "Function", "FunctionValue"]
    );
    for n in names(r) {
        let h = n.len() / 2;
        assert!(n.len() % 2 == 1 || n[..h] != n[h..], "doubled name {n}");
    }
}

#[test]
fn tag_shaped_definitions_are_the_shared_tag() {
    let types = table(json!({
        "typeName": "AWS::Demo::Thing",
        "definitions": {
            "Tag": {
                "type": "object",
                "properties": {
                    "Key": {"type": "string", "minLength": 1, "maxLength": 128},
                    "Value": {"type": "string", "maxLength": 256}
                },
                "required": ["Key"],
                "additionalProperties": false
            },
            "Label": {
                "type": "object",
                "properties": {
                    "Key": {"type": "string", "enum": ["a", "b"]},
                    "Value": {"type": "string"}
                }
            },
            "EnvironmentVariable": {
                "type": "object",
                "properties": {"Key": {"type": "string"}, "Value": {"type": "string"}}
            }
        },
        "properties": {
            "Tags": {"type": "array", "items": {"$ref": "#/definitions/Tag"}},
            "Labels": {"type": "array", "items": {"$ref": "#/definitions/Label"}},
            "Environment": {"type": "array", "items": {"$ref": "#/definitions/EnvironmentVariable"}},
            "ResourceTags": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"Key": {"type": "string"}, "Value": {"type": "string"}},
                    "required": ["Key", "Value"]
                }
            }
        },
        "additionalProperties": false
    }));
    let r = &build(&types)[0];
    let tags: Vec<&str> = r
        .items
        .iter()
        .filter(|i| matches!(i, Item::Tag(_)))
        .map(Item::name)
        .collect();
    // An enum key is not a tag, nor a key/value pair not named as one.
    assert_eq!(tags, ["Tag", "ResourceTags"]);
    let out = cfn_codegen::emit::service(
        "",
        "AWS::Demo",
        std::slice::from_ref(r),
        &Markers::collect(&types),
    );
    assert!(out.contains("    pub use crate::Tag;\n"), "{out}");
    assert!(
        out.contains("    pub type ResourceTags = crate::Tag;\n"),
        "{out}"
    );
    assert!(out.contains("pub struct Label;"), "{out}");
    assert!(out.contains("pub struct EnvironmentVariable;"), "{out}");
}

#[test]
fn identical_nested_types_of_a_service_are_emitted_once() {
    let shape = |extra: serde_json::Value| {
        json!({
            "type": "object",
            "properties": {
                "Inner": {"$ref": "#/definitions/Inner"},
                "Mode": {"type": "string", "enum": ["A", "B"]},
                "Extra": extra
            }
        })
    };
    let schema = |t: &str, extra: serde_json::Value| {
        json!({
            "typeName": t,
            "definitions": {
                "Config": shape(extra),
                "Inner": {"type": "object", "properties": {"Size": {"type": "integer"}}}
            },
            "properties": {"Config": {"$ref": "#/definitions/Config"}},
            "additionalProperties": false
        })
    };
    let mut types = BTreeMap::new();
    for (t, extra) in [
        ("AWS::Demo::A", json!({"type": "string"})),
        (
            "AWS::Demo::B",
            json!({"type": "string", "description": "docs differ"}),
        ),
        ("AWS::Demo::C", json!({"type": "integer"})),
    ] {
        types.insert(t.to_owned(), schema(t, extra));
    }
    let rs = build(&types);
    let shared = cfn_codegen::emit::shared(&rs);
    // `Config` of A and B (identical but for a description), `Inner` and
    // `Mode` of all three; C's `Config` differs (`Extra` is a number).
    let groups: Vec<(String, Vec<usize>)> = shared
        .groups
        .iter()
        .map(|g| {
            (
                rs[g.first.0].items[g.first.1].name().to_owned(),
                g.members.clone(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            ("Config".to_owned(), vec![0, 1]),
            ("Inner".to_owned(), vec![0, 1, 2]),
            ("Mode".to_owned(), vec![0, 1, 2]),
        ]
    );
    let out = cfn_codegen::emit::service("", "AWS::Demo", &rs, &Markers::collect(&types));
    assert_eq!(out.matches("pub struct Inner;").count(), 1, "{out}");
    assert_eq!(out.matches("pub struct Config;").count(), 2, "{out}");
    assert!(
        out.contains("pub use super::shared::{Config, Inner, Mode};"),
        "{out}"
    );
    assert!(
        out.contains("pub use super::shared::{Inner, Mode};"),
        "{out}"
    );
}

//! The generator on small fixture schemas: the generated code is a snapshot.

use cfn_codegen::{generate, Input};
use std::collections::BTreeMap;

fn fixtures() -> Input {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut types = BTreeMap::new();
    for f in ["aws-demo-network.json", "aws-demo-subnet.json"] {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(f)).unwrap()).unwrap();
        types.insert(v["typeName"].as_str().unwrap().to_owned(), v);
    }
    Input {
        version: "0.0.0".into(),
        schema_date: "fixture".into(),
        types,
        stateful: Vec::new(),
        policies: None,
        runtimes: None,
    }
}

#[test]
fn service_module() {
    let out = generate(&fixtures(), &["demo"]);
    insta::assert_snapshot!("demo_rs", out.files["src/generated/demo.rs"]);
    insta::assert_snapshot!("ids_rs", out.files["src/generated/ids.rs"]);
    insta::assert_snapshot!(
        "minimal_instances_rs",
        out.files["tests/generated/minimal_instances.rs"]
    );
    insta::assert_snapshot!("features", out.features);
}

#[test]
fn output_is_deterministic() {
    let a = generate(&fixtures(), &["demo"]).files;
    let b = generate(&fixtures(), &["demo"]).files;
    assert_eq!(a, b);
}

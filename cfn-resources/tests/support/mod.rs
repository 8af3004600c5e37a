//! Shared by the generated minimal-instance tests: renders a resource and
//! checks its properties against its registry schema with the `jsonschema`
//! crate, and against `cfn_resources::schema`'s own validator.

use cfn_core::{Expr, ResourceType};
use std::path::Path;

/// Panics unless `resource` renders properties that pass the schema in
/// `cfn-resources/schemas/<file>`.
pub fn check<R: ResourceType>(type_name: &str, file: &str, resource: R) {
    assert_eq!(resource.type_name(), type_name);
    let props = resource.into_properties();
    let ours = cfn_resources::schema::validate_properties(
        cfn_resources::schema::lookup(type_name).expect("schema facts"),
        &props,
    );
    let rendered = serde_json::to_value(Expr::Map(props)).unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schemas")
        .join(file);
    let mut schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    // Not part of the type model: `$schema` names metaschemas that are not
    // available offline, `handlers` refer to external documents.
    let obj = schema.as_object_mut().unwrap();
    obj.remove("$schema");
    obj.remove("handlers");
    // Registry patterns are written for Python's `re` (cfn-lint's engine):
    // `\Z` is its end-of-string anchor, which ECMAScript lacks.
    patch_patterns(&mut schema);
    let validator = jsonschema::options()
        .should_validate_formats(false)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{type_name}: schema does not compile: {e}"));
    let errors: Vec<String> = validator
        .iter_errors(&rendered)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{type_name}: {rendered}\nfails its schema:\n{}",
        errors.join("\n")
    );
    assert!(
        ours.is_empty(),
        "{type_name}: {rendered}\nfails cfn_resources::schema: {ours:?}"
    );
}

fn patch_patterns(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                match x {
                    serde_json::Value::String(p) if k == "pattern" => *p = p.replace("\\Z", "$"),
                    _ => patch_patterns(x),
                }
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(patch_patterns),
        _ => {}
    }
}

//! Reference typing matches the schemas: for every typed reference field
//! (generated list, `tests/generated/reference_fits.rs`), what the matching
//! `Ref` / `Fn::GetAtt` of the target type returns fits the field's pattern
//! and length bounds in the registry facts the validator uses; each example
//! fits its target's own attribute; the coverage figure in the README is the
//! generated one and does not fall.

#[rustfmt::skip]
#[path = "generated/reference_fits.rs"]
mod generated;

use cfn_resources::schema::{self, Node, TypeSchema};

/// The published coverage floor: typed reference fields per thousand fields
/// that name another resource. Raise it when coverage grows; a change that
/// lowers coverage fails here.
const FLOOR_PER_MILLE: usize = 281;

/// The node at `path` (`A/*/B`) of `t`, through definitions and list items.
fn node_at<'a>(t: &'a TypeSchema, path: &str) -> Option<&'a Node> {
    let mut segs = path.split('/');
    let mut cur = t.resolve(t.properties.get(segs.next()?)?);
    for s in segs {
        cur = if s == "*" {
            t.resolve(cur.items.as_deref()?)
        } else {
            t.resolve(cur.properties.get(s)?)
        };
    }
    Some(cur)
}

/// Why `value` does not fit `node` (pattern, lengths; a list's items).
fn misfit(node: &Node, value: &str) -> Option<String> {
    let check = |n: &Node| -> Option<String> {
        let len = value.chars().count() as u64;
        if n.min_length.is_some_and(|m| len < m) || n.max_length.is_some_and(|m| len > m) {
            return Some(format!(
                "length {len} outside {:?}..={:?}",
                n.min_length, n.max_length
            ));
        }
        let p = n.pattern.as_deref()?;
        match cfn_core::pattern::matches(p, value) {
            Some(false) => Some(format!("does not match pattern {p:?}")),
            _ => None,
        }
    };
    check(node).or_else(|| node.items.as_deref().and_then(check))
}

#[test]
fn every_typed_reference_fits_its_field() {
    let mut bad = Vec::new();
    for (type_name, path, key, example, source) in generated::FIELDS {
        let Some(t) = schema::lookup(type_name) else {
            bad.push(format!("{type_name} {path}: type not in the facts"));
            continue;
        };
        let Some(node) = node_at(t, path) else {
            bad.push(format!("{type_name} {path}: field not in the facts"));
            continue;
        };
        if let Some(why) = misfit(node, example) {
            bad.push(format!(
                "{type_name} {path} ({source}) takes {key}, whose value {example:?} {why}"
            ));
        }
    }
    assert!(
        bad.is_empty(),
        "{} typed reference field(s) do not accept what their marker gives:\n{}",
        bad.len(),
        bad.join("\n")
    );
    assert!(generated::FIELDS.len() > 1000, "the list lost fields");
}

#[test]
fn every_example_fits_its_target_attribute() {
    let mut keys: Vec<&str> = generated::FIELDS.iter().map(|f| f.2).collect();
    keys.sort_unstable();
    keys.dedup();
    let mut bad = Vec::new();
    let mut checked = 0;
    for key in keys {
        let example = generated::FIELDS.iter().find(|f| f.2 == key).unwrap().3;
        let (type_name, attr) = key.rsplit_once('.').unwrap();
        let Some(t) = schema::lookup(type_name) else {
            continue;
        };
        let Some(node) = t.properties.get(attr).map(|n| t.resolve(n)) else {
            continue;
        };
        checked += 1;
        if let Some(why) = misfit(node, example) {
            bad.push(format!("{key}: example {example:?} {why}"));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    assert!(checked >= 20, "only {checked} targets checked");
}

#[test]
fn the_logs_kms_key_field_takes_a_key_arn() {
    // The registry pattern accepts only an ARN: `Ref` of a key (its id)
    // would be refused by CloudFormation.
    let f = generated::FIELDS
        .iter()
        .find(|f| f.0 == "AWS::Logs::LogGroup" && f.1 == "KmsKeyId")
        .expect("LogGroup KmsKeyId is typed");
    assert_eq!(f.2, "AWS::KMS::Key.Arn");
    // The check bites: a key id does not fit this field.
    let t = schema::lookup("AWS::Logs::LogGroup").unwrap();
    let node = node_at(t, "KmsKeyId").unwrap();
    let why = misfit(node, "1234abcd-12ab-34cd-56ef-1234567890ab").expect("a key id misfits");
    assert!(why.contains("pattern"), "{why}");
}

#[test]
fn coverage_is_published_and_does_not_fall() {
    let (typed, naming) = generated::COVERAGE;
    let per_mille = typed * 1000 / naming;
    assert!(
        per_mille >= FLOOR_PER_MILLE,
        "reference coverage fell to {typed}/{naming} ({per_mille}‰ < {FLOOR_PER_MILLE}‰)"
    );
    let readme = include_str!("../README.md");
    let figure = format!("**{typed} of {naming}**");
    assert!(
        readme.contains(&figure),
        "cfn-resources/README.md must publish the coverage figure {figure}"
    );
}

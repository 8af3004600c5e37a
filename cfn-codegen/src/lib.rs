//! `cfn-codegen`: generates `cfn-resources` from the CloudFormation registry
//! schemas bundled in the `cfn-lint` wheel.
//!
//! The input is the unpacked wheel (`cfnlint/data/schemas/providers/us-east-1.json`
//! maps type names to `resources/<hash>.json`). The output is a map from
//! paths relative to the `cfn-resources` crate to file contents: one module
//! per service, the `ids` module, schema facts, the IAM action catalogue,
//! the Cargo features, the
//! minimal-instance tests and copies of the default services' schemas.
//! Quirks of the input are handled in [`patches`], never in the output.

pub mod emit;
pub mod facts;
pub mod iam;
pub mod model;
pub mod naming;
pub mod patches;
pub mod placeholder;
pub mod refs;
pub mod runtimes;
pub mod sam;
pub mod stateful;
pub mod testgen;

use model::{Builder, Markers, Resource, Ty};
use serde_json::Value as J;
use std::collections::BTreeMap;
use std::path::Path;

/// The pinned input.
pub struct Input {
    /// cfn-lint version (`1.58.0`).
    pub version: String,
    /// `schema_date` of the bundled schemas.
    pub schema_date: String,
    /// Type name -> schema, sorted by type name.
    pub types: BTreeMap<String, J>,
    /// Stateful types: cfn-lint's list united with the reviewed overlay.
    pub stateful: Vec<stateful::StatefulType>,
    /// cfn-lint's `Policies.json` (IAM actions), when present: the source of
    /// `src/generated/iam_actions.txt` ([`iam`]).
    pub policies: Option<J>,
    /// cfn-lint's `LmbdRuntimeLifecycle.json`, when present: the source of
    /// `src/generated/lambda_runtimes.rs` ([`runtimes`]).
    pub runtimes: Option<J>,
}

/// Reads the unpacked wheel at `root` (the directory holding `cfnlint/`).
pub fn load(root: &Path, version: &str) -> Result<Input, String> {
    let base = root.join("cfnlint/data/schemas");
    let read = |p: &Path| -> Result<J, String> {
        let s =
            std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
        serde_json::from_str(&s).map_err(|e| format!("cannot parse {}: {e}", p.display()))
    };
    let providers = read(&base.join("providers/us-east-1.json"))?;
    let date = read(&base.join("version.json"))?
        .get("schema_date")
        .and_then(J::as_str)
        .unwrap_or("unknown")
        .to_owned();
    let mut types = BTreeMap::new();
    for (name, hash) in providers
        .as_object()
        .ok_or("providers file is not an object")?
    {
        let hash = hash.as_str().ok_or("provider entry is not a string")?;
        types.insert(
            name.clone(),
            read(&base.join(format!("resources/{hash}.json")))?,
        );
    }
    // The reviewed reference overlay must apply, and every marker needs an
    // example of what `Ref` / `Fn::GetAtt` returns.
    if let Some(e) = refs::OVERLAY
        .iter()
        .find(|e| !types.contains_key(e.type_name))
    {
        return Err(format!(
            "the reference overlay names {}, which the registry no longer has: review cfn-codegen/src/refs.rs",
            e.type_name
        ));
    }
    let (typing, _) = refs::apply(&types)?;
    let missing = Markers::collect(&typing).without_example().join(", ");
    if !missing.is_empty() {
        return Err(format!(
            "markers without an example in cfn-codegen/src/refs.rs EXAMPLES: {missing}"
        ));
    }
    let stateful = stateful::merge(&stateful::load_cfn_lint(root)?, &|t| types.contains_key(t))?;
    let policies = Some(read(&root.join(iam::SOURCE))?);
    let runtimes = Some(read(&root.join(runtimes::SOURCE))?);
    Ok(Input {
        version: version.to_owned(),
        schema_date: date,
        types,
        stateful,
        policies,
        runtimes,
    })
}

/// What was generated.
pub struct Output {
    /// Path relative to the `cfn-resources` crate -> contents.
    pub files: BTreeMap<String, String>,
    /// The `[features]` table body for `cfn-resources/Cargo.toml`.
    pub features: String,
    /// Counts for the report.
    pub stats: Stats,
}

/// Counts.
#[derive(Debug, Default)]
pub struct Stats {
    /// Resource types.
    pub types: usize,
    /// Services.
    pub services: usize,
    /// Nested property structs.
    pub structs: usize,
    /// Enums.
    pub enums: usize,
    /// Tag-shaped nested types (re-exports of the shared `Tag`).
    pub tags: usize,
    /// Identifier markers.
    pub markers: usize,
    /// Typed-id fields.
    pub id_fields: usize,
    /// Attributes.
    pub attrs: usize,
    /// Read-only pointers through arrays (no getter).
    pub skipped_attrs: usize,
    /// Reference coverage: typed reference fields, fields that name
    /// another resource (`refs::coverage`).
    pub reference_coverage: (usize, usize),
    /// Minimal-instance tests skipped (no placeholder).
    pub skipped_tests: Vec<(String, String)>,
}

fn count_ids(t: &Ty) -> bool {
    match t {
        Ty::Id(_) => true,
        Ty::List(i) | Ty::Map(i) => count_ids(i),
        _ => false,
    }
}

/// Generates everything from `input`; `test_services` are the services whose
/// types get minimal-instance tests and schema copies.
pub fn generate(input: &Input, test_services: &[&str]) -> Output {
    let header = emit::header(&input.version, &input.schema_date);
    // Types are built from the schemas with the reference overlay applied;
    // the schema facts keep the registry's text.
    let (typing, added) = refs::apply(&input.types).expect("checked by load");
    let markers = Markers::collect(&typing);
    let mut by_service: BTreeMap<String, Vec<Resource>> = BTreeMap::new();
    let mut stats = Stats::default();
    for name in typing.keys() {
        let r = Builder::new(&typing, &markers, name).build();
        by_service.entry(r.service.clone()).or_default().push(r);
    }
    // Which resource produces which marker (Ref or attribute).
    let mut produced_by: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for rs in by_service.values() {
        for r in rs {
            if let Some(k) = &r.ref_marker {
                produced_by
                    .entry(k.clone())
                    .or_default()
                    .push(format!("`Ref` of `{}`", r.type_name));
            }
            for a in &r.attrs {
                if let Ty::Id(k) = &a.ty {
                    produced_by
                        .entry(k.clone())
                        .or_default()
                        .push(format!("`Fn::GetAtt` `{}` of `{}`", a.key, r.type_name));
                }
            }
        }
    }
    let mut files = BTreeMap::new();
    let mut modfile = header.clone();
    modfile.push_str("//! Generated modules: one per service, each behind its Cargo feature.\n\n");
    modfile.push_str("pub mod ids;\n");
    let mut features = String::new();
    features.push_str(&format!(
        "default = [{}]\n",
        patches::DEFAULT_SERVICES
            .iter()
            .map(|s| format!("{s:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    for (svc, rs) in &by_service {
        let svc_name = rs[0].type_name.rsplit_once("::").unwrap().0.to_owned();
        files.insert(
            format!("src/generated/{svc}.rs"),
            emit::service(&header, &svc_name, rs, &markers),
        );
        modfile.push_str(&format!("#[cfg(feature = {svc:?})]\npub mod {svc};\n"));
        features.push_str(&format!("{svc} = []\n"));
        stats.services += 1;
        for r in rs {
            stats.types += 1;
            stats.attrs += r.attrs.len();
            stats.skipped_attrs += r.skipped_attrs.len();
            stats.id_fields += r.fields.iter().filter(|f| count_ids(&f.ty)).count();
            for i in &r.items {
                match i {
                    model::Item::Struct(s) => {
                        stats.structs += 1;
                        stats.id_fields += s.fields.iter().filter(|f| count_ids(&f.ty)).count();
                    }
                    model::Item::Enum(_) => stats.enums += 1,
                    model::Item::Tag(_) => stats.tags += 1,
                }
            }
        }
    }
    stats.markers = markers.by_key.len();
    files.insert("src/generated/mod.rs".into(), modfile);
    files.insert(
        "src/generated/ids.rs".into(),
        emit::ids(&header, &markers, &produced_by),
    );
    files.insert(
        "src/generated/schema_facts.txt".into(),
        facts::facts(&input.types),
    );
    if let Some(p) = &input.policies {
        files.insert(
            "src/generated/iam_actions.txt".into(),
            iam::catalogue(&input.version, p),
        );
    }
    if let Some(r) = &input.runtimes {
        files.insert(
            "src/generated/lambda_runtimes.rs".into(),
            runtimes::emit(&header, &input.schema_date, r),
        );
    }
    files.insert(
        "src/generated/stateful_types.rs".into(),
        stateful::emit(&header, &input.stateful),
    );
    let typed = refs::typed_fields(&typing, &markers, &added);
    let (covered, naming) = refs::coverage(&typing, &typed);
    stats.reference_coverage = (covered, naming);
    files.insert(
        "tests/generated/reference_fits.rs".into(),
        refs::test_file(&header, &typed, (covered, naming)),
    );
    let tested: Vec<&Resource> = by_service
        .iter()
        .filter(|(s, _)| test_services.contains(&s.as_str()))
        .flat_map(|(_, rs)| rs.iter())
        .collect();
    let (tests, skipped) = testgen::minimal_tests(&header, &tested, &input.types, &markers);
    stats.skipped_tests = skipped;
    files.insert("tests/generated/minimal_instances.rs".into(), tests);
    for r in &tested {
        let mut s = serde_json::to_string_pretty(&input.types[&r.type_name]).unwrap();
        s.push('\n');
        files.insert(format!("schemas/{}", testgen::schema_file(&r.type_name)), s);
    }
    Output {
        files,
        features,
        stats,
    }
}

//! `cfn-codegen --wheel <unpacked cfn-lint wheel> --version <cfn-lint version> --out <cfn-resources dir>`
//!
//! Regenerates `cfn-resources` (see `scripts/regen-resources.sh`): replaces
//! `src/generated/`, `schemas/`, `tests/generated/` and the
//! generated `[features]` block of `Cargo.toml`.
//!
//! `cfn-codegen --sam-schema <sam.schema.json> --sam-translator <translator.json> --sam-version <X.Y.Z> --sam-sha256 <wheel sha256> --sam-out <file>`
//!
//! Writes only SAM's facts (see `scripts/regen-sam.sh` and `cfn_codegen::sam`).

use std::path::PathBuf;
use std::process::ExitCode;

const BEGIN: &str = "# BEGIN GENERATED FEATURES (cfn-codegen)";
const END: &str = "# END GENERATED FEATURES";

fn run() -> Result<(), String> {
    let mut wheel = None;
    let mut out = None;
    let mut version = None;
    let mut sam: [Option<String>; 5] = Default::default();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--wheel" => wheel = args.next().map(PathBuf::from),
            "--out" => out = args.next().map(PathBuf::from),
            "--version" => version = args.next(),
            "--sam-schema" => sam[0] = args.next(),
            "--sam-version" => sam[1] = args.next(),
            "--sam-sha256" => sam[2] = args.next(),
            "--sam-out" => sam[3] = args.next(),
            "--sam-translator" => sam[4] = args.next(),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if sam.iter().any(Option::is_some) {
        return run_sam(sam);
    }
    let (Some(wheel), Some(out), Some(version)) = (wheel, out, version) else {
        return Err(
            "usage: cfn-codegen --wheel DIR --version X.Y.Z --out CFN_RESOURCES_DIR".into(),
        );
    };
    let input = cfn_codegen::load(&wheel, &version)?;
    let output = cfn_codegen::generate(&input, cfn_codegen::patches::DEFAULT_SERVICES);
    for dir in ["src/generated", "schemas", "tests/generated"] {
        let d = out.join(dir);
        if d.exists() {
            std::fs::remove_dir_all(&d)
                .map_err(|e| format!("cannot clear {}: {e}", d.display()))?;
        }
    }
    let mut bytes = 0usize;
    let mut rust_files = 0usize;
    for (path, text) in &output.files {
        let p = out.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).map_err(|e| e.to_string())?;
        std::fs::write(&p, text).map_err(|e| format!("cannot write {}: {e}", p.display()))?;
        if path.starts_with("src/generated/") {
            bytes += text.len();
            rust_files += 1;
        }
    }
    let cargo = out.join("Cargo.toml");
    let toml = std::fs::read_to_string(&cargo).map_err(|e| e.to_string())?;
    let (Some(b), Some(e)) = (toml.find(BEGIN), toml.find(END)) else {
        return Err(format!(
            "{} lacks the generated features markers",
            cargo.display()
        ));
    };
    let new = format!("{}{BEGIN}\n{}{}", &toml[..b], output.features, &toml[e..]);
    std::fs::write(&cargo, new).map_err(|e| e.to_string())?;
    let s = &output.stats;
    eprintln!(
        "cfn-codegen: {} types, {} services, {} nested structs, {} enums, {} id markers, {} typed-id fields, {} attributes ({} read-only pointers through arrays skipped)",
        s.types, s.services, s.structs, s.enums, s.markers, s.id_fields, s.attrs, s.skipped_attrs
    );
    eprintln!("cfn-codegen: src/generated: {rust_files} files, {bytes} bytes");
    for (t, why) in &s.skipped_tests {
        eprintln!("cfn-codegen: minimal-instance test of {t} skipped: {why}");
    }
    Ok(())
}

/// The SAM mode: writes only the SAM facts file.
fn run_sam(args: [Option<String>; 5]) -> Result<(), String> {
    let [Some(schema), Some(version), Some(sha256), Some(out), translator] = args else {
        return Err("usage: cfn-codegen --sam-schema FILE [--sam-translator FILE] --sam-version X.Y.Z --sam-sha256 HEX --sam-out FILE".into());
    };
    let input = cfn_codegen::sam::load(
        std::path::Path::new(&schema),
        translator.as_deref().map(std::path::Path::new),
        &version,
        &sha256,
    )?;
    let (text, s) = cfn_codegen::sam::facts(&input)?;
    std::fs::write(&out, &text).map_err(|e| format!("cannot write {out}: {e}"))?;
    eprintln!(
        "cfn-codegen: SAM {version}: {} resource types, {} Globals sections, {} definitions, {} pass-through properties, {} policy templates; {out}: {} bytes",
        s.types, s.globals, s.definitions, s.pass_through, s.policy_templates, text.len()
    );
    for w in &s.widened {
        eprintln!("cfn-codegen: SAM schema widened to the transform: {w}");
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cfn-codegen: {e}");
            ExitCode::FAILURE
        }
    }
}

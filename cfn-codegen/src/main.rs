//! `cfn-codegen --wheel <unpacked cfn-lint wheel> --version <cfn-lint version> --out <cfn-resources dir>`
//!
//! Regenerates `cfn-resources` (see `scripts/regen-resources.sh`): replaces
//! `src/generated/`, `schemas/`, `tests/generated/` and the
//! generated `[features]` block of `Cargo.toml`.

use std::path::PathBuf;
use std::process::ExitCode;

const BEGIN: &str = "# BEGIN GENERATED FEATURES (cfn-codegen)";
const END: &str = "# END GENERATED FEATURES";

fn run() -> Result<(), String> {
    let mut wheel = None;
    let mut out = None;
    let mut version = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--wheel" => wheel = args.next().map(PathBuf::from),
            "--out" => out = args.next().map(PathBuf::from),
            "--version" => version = args.next(),
            other => return Err(format!("unknown argument {other:?}")),
        }
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

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cfn-codegen: {e}");
            ExitCode::FAILURE
        }
    }
}

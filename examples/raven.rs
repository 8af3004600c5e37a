//! The main job: synthesizes every environment of the Content Raven stack
//! into an output directory and prints a size table.
//!
//! ```text
//! cargo run --example raven                   # JSON into ./out
//! cargo run --example raven -- --yaml         # YAML as well
//! cargo run --example raven -- --out DIR
//! ```
//!
//! Files are written atomically (a temporary file renamed into place), so an
//! interrupted run never leaves a half-written template behind. Running it
//! twice gives identical bytes.

use cfn_core::validate::limits;
use cfn_core::Format;
use raven_stack::{template, Environment};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

struct Args {
    out: PathBuf,
    yaml: bool,
}

const USAGE: &str = "usage: raven [--out DIR] [--yaml]\n\n  --out DIR   output directory (default: out)\n  --yaml      also write YAML templates\n";

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        out: PathBuf::from("out"),
        yaml: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--out" => {
                args.out = it
                    .next()
                    .map(PathBuf::from)
                    .ok_or("--out needs a directory, for example `--out out`")?
            }
            "--yaml" => args.yaml = true,
            "-h" | "--help" => {
                print!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument `{other}`\n\n{USAGE}")),
        }
    }
    Ok(args)
}

fn write_atomic(path: &Path, contents: &str) -> Result<(), String> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, contents)
        .and_then(|_| std::fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            format!("cannot write `{}`: {e}", path.display())
        })
}

fn run(args: &Args) -> Result<(), String> {
    std::fs::create_dir_all(&args.out).map_err(|e| {
        format!(
            "cannot create output directory `{}`: {e}; pass a writable one with --out",
            args.out.display()
        )
    })?;
    println!(
        "{:<14} {:>9} {:>10} {:>16} {:>18}",
        "stack", "resources", "bytes", "of 51,200 direct", "of 1,000,000 (S3)"
    );
    for env in Environment::all() {
        let t = template(&env).map_err(|e| format!("{}: {e}", env.name))?;
        let json = t
            .synth(Format::Json)
            .map_err(|e| format!("{}: {e}", env.stack_name()))?;
        let name = env.stack_name();
        write_atomic(&args.out.join(format!("{name}.template.json")), &json)?;
        if args.yaml {
            write_atomic(
                &args.out.join(format!("{name}.template.yaml")),
                &t.render(Format::Yaml),
            )?;
        }
        let compact = t.to_json_compact().len();
        println!(
            "{:<14} {:>9} {:>10} {:>15.1}% {:>17.1}%",
            name,
            t.resources.len(),
            compact,
            100.0 * compact as f64 / limits::DIRECT_BODY_BYTES as f64,
            100.0 * compact as f64 / limits::S3_BODY_BYTES as f64,
        );
    }
    println!("templates written to {}", args.out.display());
    Ok(())
}

fn main() -> ExitCode {
    let result = parse_args().and_then(|a| run(&a));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

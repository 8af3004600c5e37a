//! The synthesis side of `bench/compare.sh`: builds the benchmark template
//! (a VPC, a subnet, a security group and a bucket per unit; 1,000 resources
//! by default) from the typed resources, validates it, and writes its JSON.
//!
//! ```text
//! cargo run --release --example bench_synth -- [RESOURCES] [OUT.json]
//! ```
//!
//! Validation runs (it is part of our synth) but does not stop the output:
//! above 500 resources it reports CloudFormation's resource limit, which is
//! expected here; the number of errors goes to stderr. troposphere's
//! equivalent (`bench/troposphere_synth.py`) does not validate at all, so
//! this side does strictly more work.

#[path = "../common/units.rs"]
mod units;

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let n: usize = match args.next().map(|a| a.parse()) {
        None => 1_000,
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("error: RESOURCES must be a number: {e}");
            return ExitCode::from(2);
        }
    };
    let out = args.next();
    let t = match units::build(n, false) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let report = t.validate();
    let json = t.to_json_pretty();
    let written = match &out {
        Some(path) => std::fs::write(path, json.as_bytes()),
        None => std::io::stdout().lock().write_all(json.as_bytes()),
    };
    if let Err(e) = written {
        eprintln!("error: writing the template: {e}");
        return ExitCode::FAILURE;
    }
    eprintln!(
        "{} resources, {} bytes, validation: {} errors, {} warnings",
        t.resources.len(),
        json.len(),
        report.errors().count(),
        report.warnings().count()
    );
    ExitCode::SUCCESS
}

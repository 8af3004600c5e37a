//! The main job: synthesizes every environment of the Content Raven stack
//! (template, and each tier's AppSpec and hook scripts) into `out/` and
//! prints a size table. The same program is the whole CLI:
//!
//! ```text
//! cargo run --example raven                          # synth: JSON into ./out
//! cargo run --example raven -- synth --yaml --out DIR
//! cargo run --example raven -- validate --format sarif
//! cargo run --example raven -- lint
//! cargo run --example raven -- diff --env prod --against out --format markdown
//! cargo run --example raven -- graph --format dot --cluster tier
//! cargo run --example raven -- --help
//! ```
//!
//! Files are written atomically, and only once every stack has validated:
//! a failed run never leaves a half-written template. Running it twice gives
//! identical bytes.

fn main() -> std::process::ExitCode {
    cfn_suite::raven_program().run()
}

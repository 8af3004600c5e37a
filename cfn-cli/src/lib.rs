//! The command line, for stack programs and for template files.
//!
//! A stack program gets the whole CLI from a few lines in its `main`:
//!
//! ```no_run
//! use cfn_cli::{Program, Stack};
//! use cfn_core::{Raw, Template};
//!
//! fn main() -> std::process::ExitCode {
//!     Program::new("demo", || {
//!         let mut t = Template::new();
//!         t.add("Topic", Raw::new("AWS::SNS::Topic")).map_err(|e| e.to_string())?;
//!         Ok(vec![Stack::new("demo-dev", "dev", t)])
//!     })
//!     .run()
//! }
//! ```
//!
//! `cargo run --example demo` then synthesizes; `-- validate`, `-- lint`,
//! `-- diff --against out`, `-- graph` work on the program's stacks. The
//! `cfnkit` binary does the same on template files written by anyone.
//!
//! Exit codes (the same for both):
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | the check failed: validation errors, unsuppressed high-severity lint findings (any reported one with `--strict`), a diff matching `--fail-on` |
//! | 2 | bad command line (unknown flag, missing argument) |
//! | 3 | bad input or output: a missing, unreadable or malformed file, an invalid stack, an unwritable output directory |
//! | 4 | not executed: `deploy` or `destroy` declined at the prompt, or without a terminal and without `--yes` |
//! | 130 | interrupted (Ctrl-C): what the run created was removed, or what is left is named with the commands that remove it |
//!
//! A refusal of the safety gate (data loss, approvals) is a failed check (1).

#![warn(missing_docs)]

mod args;
mod cfnkit;
mod commands;
#[cfg(feature = "deploy")]
pub mod deploy;
#[cfg(feature = "deploy")]
pub mod deploy_inputs;
mod files;
mod io;
#[cfg(feature = "deploy")]
pub mod lifecycle;
mod program;
#[cfg(feature = "deploy")]
pub mod release;
pub mod report;
#[cfg(feature = "deploy")]
mod terminal;

pub use args::{
    CheckArgs, CheckFormat, ClusterBy, ColorChoice, DiffFormat, DiffOutput, FailOn, GraphArgs,
    GraphFormat, LintArgs, MinSeverity, OutFormat,
};
pub use cfnkit::run_files;
pub use program::Program;

use cfn_core::Template;
#[cfg(feature = "deploy")]
use io::write_atomic;
use io::Loaded;

/// One stack a program synthesizes.
#[derive(Debug, Clone)]
pub struct Stack {
    /// The stack name (`raven-prod`); also the output file stem.
    pub name: String,
    /// The environment it belongs to (`prod`), for `--env`.
    pub env: String,
    /// The template.
    pub template: Template,
    /// Other files to write beside the template: (file name, contents).
    pub files: Vec<(String, String)>,
}

impl Stack {
    /// A stack with no extra files.
    pub fn new(name: impl Into<String>, env: impl Into<String>, template: Template) -> Self {
        Stack {
            name: name.into(),
            env: env.into(),
            template,
            files: Vec::new(),
        }
    }
}

/// A failure, with the exit code it maps to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// A check failed (exit 1); the report was already printed.
    Check(String),
    /// Bad input or output (exit 3).
    Input(String),
    /// A bad command line (exit 2); clap already printed why.
    Usage(String),
    /// Nothing was executed: declined, or no terminal to ask on (exit 4).
    NotExecuted(String),
    /// Interrupted by Ctrl-C (exit 130).
    Interrupted(String),
}

impl Failure {
    /// The process exit code.
    pub fn code(&self) -> u8 {
        match self {
            Failure::Check(_) => 1,
            Failure::Usage(_) => 2,
            Failure::Input(_) => 3,
            Failure::NotExecuted(_) => 4,
            Failure::Interrupted(_) => 130,
        }
    }
}

type Outcome = Result<(), Failure>;

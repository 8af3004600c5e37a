//! The stack-program runner: [`Program`] parses a program's command
//! line and runs the command on its stacks.

use crate::args::{OutFormat, ProgramCli, ProgramCommand, SynthArgs};
use crate::commands::{diff_pairs, draw, lint, synth, validate};
#[cfg(feature = "deploy")]
use crate::deploy;
use crate::io::{find_render, finish, load_file, Loaded};
#[cfg(feature = "deploy")]
use crate::lifecycle;
#[cfg(feature = "deploy")]
use crate::release;
use crate::{Failure, Outcome, Stack};
#[cfg(feature = "deploy")]
use cfn_core::{Format, Template};
use cfn_tools::diff::SchemaFacts;
use cfn_tools::lint::Linter;
use cfn_tools::schema::RegistryFacts;
use clap::{CommandFactory, Parser};
use std::path::PathBuf;
use std::process::ExitCode;

/// A stack program's command line.
pub struct Program<F> {
    name: String,
    stacks: F,
    facts: Box<dyn SchemaFacts>,
    /// The S3 bucket and key prefix `deploy` stages large templates in,
    /// unless `--s3-bucket` is given.
    #[cfg_attr(not(feature = "deploy"), allow(dead_code))]
    template_bucket: Option<(String, String)>,
    linter: Linter,
}

impl<F: Fn() -> Result<Vec<Stack>, String>> Program<F> {
    /// A program named `name` whose stacks `stacks` builds.
    pub fn new(name: &str, stacks: F) -> Self {
        Program {
            name: name.to_owned(),
            stacks,
            facts: Box::new(RegistryFacts),
            template_bucket: None,
            linter: Linter::new(),
        }
    }

    /// The S3 bucket (and key prefix) in which `deploy` stages templates
    /// over 51,200 bytes, to deploy them by URL (up to 1,000,000 bytes);
    /// `--s3-bucket` and `--s3-prefix` override it.
    ///
    /// ```
    /// let p = cfn_cli::Program::new("demo", || Ok(vec![])).template_bucket("acme-cfn-artifacts", "raven/");
    /// # let _ = p;
    /// ```
    pub fn template_bucket(mut self, bucket: impl Into<String>, prefix: impl Into<String>) -> Self {
        self.template_bucket = Some((bucket.into(), prefix.into()));
        self
    }

    /// The linter `lint` runs (default: every rule, no suppressions in code):
    /// a program hands over its own, with suppressions or extra rules.
    /// `--min-severity` sets which severities are reported.
    ///
    /// ```
    /// use cfn_tools::lint::Linter;
    /// let p = cfn_cli::Program::new("demo", || Ok(vec![]))
    ///     .linter(Linter::new().suppress("S3005", Some("LogBucket"), "the log bucket cannot log into itself"));
    /// # let _ = p;
    /// ```
    pub fn linter(mut self, linter: Linter) -> Self {
        self.linter = linter;
        self
    }

    /// The resource-type facts `diff` classifies changes with (the registry
    /// schemas' by default).
    pub fn with_facts(mut self, facts: impl SchemaFacts + 'static) -> Self {
        self.facts = Box::new(facts);
        self
    }

    /// Parses `std::env::args()` and runs.
    pub fn run(self) -> ExitCode {
        self.run_from(std::env::args_os())
    }

    /// Parses the given arguments (the first is the program name) and runs.
    pub fn run_from<I, T>(self, args: I) -> ExitCode
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        finish(self.try_run_from(args))
    }

    /// Like [`Program::run_from`], returning the failure instead of an exit
    /// code (for tests and embedding).
    pub fn try_run_from<I, T>(&self, args: I) -> Result<(), Failure>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        match ProgramCli::try_parse_from(args) {
            Ok(cli) => self.dispatch(cli),
            Err(e) => {
                let _ = e.print();
                if e.use_stderr() {
                    Err(Failure::Usage(e.kind().to_string()))
                } else {
                    Ok(())
                }
            }
        }
    }

    fn dispatch(&self, cli: ProgramCli) -> Outcome {
        let color = cli.color.enabled();
        if let Some(ProgramCommand::Completions { shell }) = &cli.command {
            let mut cmd = ProgramCli::command();
            clap_complete::generate(*shell, &mut cmd, self.name.clone(), &mut std::io::stdout());
            return Ok(());
        }
        let mut stacks = (self.stacks)()
            .map_err(|e| Failure::Input(format!("building the stacks failed: {e}")))?;
        if !cli.env.is_empty() {
            let known: Vec<String> = stacks.iter().map(|s| s.env.clone()).collect();
            for e in &cli.env {
                if !known.contains(e) {
                    return Err(Failure::Input(format!(
                        "unknown environment `{e}`; this program has: {}",
                        dedup(&known).join(", ")
                    )));
                }
            }
            stacks.retain(|s| cli.env.contains(&s.env));
        }
        match cli.command {
            None => synth(
                &stacks,
                &SynthArgs {
                    out: PathBuf::from("out"),
                    format: OutFormat::Json,
                    yaml: false,
                },
            ),
            Some(ProgramCommand::Synth(a)) => synth(&stacks, &a),
            Some(ProgramCommand::Validate(a)) => {
                let loaded: Vec<Loaded> = stacks.iter().map(Loaded::from_stack).collect();
                validate(&loaded, Vec::new(), &a, color, &self.name)
            }
            Some(ProgramCommand::Lint(a)) => {
                let loaded: Vec<Loaded> = stacks.iter().map(Loaded::from_stack).collect();
                lint(&self.linter, &loaded, Vec::new(), &a, color, &self.name)
            }
            Some(ProgramCommand::Diff(a)) => {
                let mut pairs = Vec::new();
                for s in &stacks {
                    #[cfg(feature = "deploy")]
                    if a.against_stack {
                        let old = deploy::deployed_template(&s.name, &a.connection)?;
                        pairs.push((s.name.clone(), old, s.template.clone()));
                        continue;
                    }
                    let old = if a.against.is_dir() {
                        find_render(&a.against, &s.name)?
                    } else if stacks.len() == 1 {
                        Some(load_file(&a.against)?.template)
                    } else {
                        return Err(Failure::Input(format!(
                            "`{}` is not a directory; with several stacks, --against takes the directory of earlier renders (or select one stack with --env)",
                            a.against.display()
                        )));
                    };
                    pairs.push((s.name.clone(), old.unwrap_or_default(), s.template.clone()));
                }
                diff_pairs(&pairs, &a.output, color, &*self.facts)
            }
            Some(ProgramCommand::Graph(a)) => {
                let loaded: Vec<Loaded> = stacks.iter().map(Loaded::from_stack).collect();
                draw(&loaded, &a)
            }
            #[cfg(feature = "deploy")]
            Some(ProgramCommand::Deploy(mut a)) => {
                if let Some((bucket, prefix)) = &self.template_bucket {
                    a.args.inputs.default_bucket(bucket, prefix);
                }
                let selected = checked_stacks(&stacks)?;
                if selected.len() > 1 && a.outputs_file.is_some() {
                    return Err(Failure::Input(
                        "--outputs-file takes one stack; choose it with --env".into(),
                    ));
                }
                let out = a.outputs_file.as_deref();
                if let [(name, template)] = selected.as_slice() {
                    return lifecycle::deploy(name, template.clone(), &a.args, out, color)
                        .map(|_| ());
                }
                lifecycle::each_stack(&selected, |name, t| {
                    lifecycle::deploy(name, t, &a.args, out, color)
                })
            }
            #[cfg(feature = "deploy")]
            Some(ProgramCommand::Plan(mut a)) => {
                if let Some((bucket, prefix)) = &self.template_bucket {
                    a.args.inputs.default_bucket(bucket, prefix);
                }
                let selected = checked_stacks(&stacks)?;
                if let [(name, template)] = selected.as_slice() {
                    return lifecycle::plan(name, template.clone(), &a, color).map(|_| ());
                }
                lifecycle::each_stack(&selected, |name, t| lifecycle::plan(name, t, &a, color))
            }
            #[cfg(feature = "deploy")]
            Some(ProgramCommand::Destroy(a)) => {
                let stack = one_stack(&stacks, "destroy")?;
                lifecycle::destroy(&stack.name, &a).map(|_| ())
            }
            #[cfg(feature = "deploy")]
            Some(ProgramCommand::Outputs(a)) => {
                let names: Vec<String> = stacks.iter().map(|s| s.name.clone()).collect();
                lifecycle::outputs(&names, &a)
            }
            #[cfg(feature = "deploy")]
            Some(ProgramCommand::Drift(a)) => {
                let stack = one_stack(&stacks, "drift")?;
                lifecycle::drift(&stack.name, &a)
            }
            #[cfg(feature = "deploy")]
            Some(ProgramCommand::Release(a)) => {
                let stack = one_stack(&stacks, "release")?;
                release::release(stack, &a)
            }
            Some(ProgramCommand::Completions { .. }) => Ok(()),
        }
    }
}

/// The selected stacks, each synthesized (validated) before any is deployed.
#[cfg(feature = "deploy")]
fn checked_stacks(stacks: &[Stack]) -> Result<Vec<(String, Template)>, Failure> {
    stacks
        .iter()
        .map(|s| {
            cfn_tools::verdict::synth(&s.template, Format::JsonCompact)
                .map_err(|e| Failure::Input(format!("stack `{}`: {e}", s.name)))?;
            Ok((s.name.clone(), s.template.clone()))
        })
        .collect()
}

/// The one selected stack of a command that takes one.
#[cfg(feature = "deploy")]
fn one_stack<'a>(stacks: &'a [Stack], command: &str) -> Result<&'a Stack, Failure> {
    match stacks {
        [stack] => Ok(stack),
        _ => Err(Failure::Input(format!(
            "{command} takes one stack; choose it with --env (this program has: {})",
            stacks
                .iter()
                .map(|s| s.env.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

fn dedup(v: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for x in v {
        if !out.contains(x) {
            out.push(x.clone());
        }
    }
    out
}

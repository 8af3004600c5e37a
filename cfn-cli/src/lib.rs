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

#[cfg(feature = "deploy")]
pub mod deploy;
#[cfg(feature = "deploy")]
pub mod deploy_inputs;
mod files;
#[cfg(feature = "deploy")]
pub mod lifecycle;
#[cfg(feature = "deploy")]
pub mod release;
pub mod report;

use cfn_core::{Format, Template};
use cfn_tools::diff::{self, SchemaFacts};
use cfn_tools::graph::{self, Clustering};
use cfn_tools::lint::Linter;
use cfn_tools::schema::RegistryFacts;
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

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

/// When to color human output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Color when standard output is a terminal and `NO_COLOR` is unset.
    Auto,
    /// Always color.
    Always,
    /// Never color.
    Never,
}

impl ColorChoice {
    fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        }
    }
}

/// Output format of `validate` and `lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Lines for people, with template path and line.
    Human,
    /// A JSON list.
    Json,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
}

/// Output format of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Text for a terminal.
    Text,
    /// Markdown for a pull-request comment.
    Markdown,
    /// JSON for machines.
    Json,
}

/// When `diff` exits non-zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// A stateful resource replaced, possibly replaced or deleted.
    DataAtRisk,
    /// A resource replaced, a stateful one possibly replaced, or a
    /// stateful one deleted.
    Replacement,
    /// Any change.
    Any,
    /// Never (report only).
    None,
}

/// Template format for `synth`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutFormat {
    /// Pretty JSON.
    Json,
    /// YAML.
    Yaml,
    /// Both.
    Both,
}

/// Graph output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Graphviz DOT.
    Dot,
    /// Mermaid flowchart.
    Mermaid,
}

/// Graph boxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClusterBy {
    /// By service.
    Service,
    /// By the `Tier` tag.
    Tier,
    /// No boxes.
    None,
}

/// Arguments of `validate` and `lint`.
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: CheckFormat,
    /// Fail on warnings too (validate: unused declarations, a body too
    /// large for direct upload; lint: every reported finding, medium and
    /// low included).
    #[arg(long)]
    pub strict: bool,
}

/// The lowest lint severity reported (see the severity policy in the README).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MinSeverity {
    /// Everything (the default).
    Low,
    /// Medium and high.
    Medium,
    /// High only.
    High,
}

impl From<MinSeverity> for cfn_tools::lint::Severity {
    fn from(m: MinSeverity) -> Self {
        match m {
            MinSeverity::Low => cfn_tools::lint::Severity::Low,
            MinSeverity::Medium => cfn_tools::lint::Severity::Medium,
            MinSeverity::High => cfn_tools::lint::Severity::High,
        }
    }
}

/// Arguments of `lint`.
#[derive(Debug, Clone, Args)]
pub struct LintArgs {
    /// Output format and `--strict`.
    #[command(flatten)]
    pub check: CheckArgs,
    /// Report only findings of this severity or more serious. High
    /// findings are errors (exit 1); medium are warnings and low are notes,
    /// which fail only with --strict.
    #[arg(long, value_enum, default_value = "low")]
    pub min_severity: MinSeverity,
}

/// Arguments of `diff` shared by both front ends.
#[derive(Debug, Clone, Args)]
pub struct DiffOutput {
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: DiffFormat,
    /// Exit 1 when the diff has a replacement, any change, or never.
    #[arg(long, value_enum, default_value = "none")]
    pub fail_on: FailOn,
}

/// Arguments of `graph`.
#[derive(Debug, Clone, Args)]
pub struct GraphArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "mermaid")]
    pub format: GraphFormat,
    /// How resources are grouped.
    #[arg(long, value_enum, default_value = "service")]
    pub cluster: ClusterBy,
    /// Write to this file instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Parser)]
#[command(
    about = "Synthesize, check, compare and draw this program's CloudFormation stacks",
    version
)]
struct ProgramCli {
    #[command(subcommand)]
    command: Option<ProgramCommand>,
    /// Only the stacks of these environments (repeatable).
    #[arg(long, global = true)]
    env: Vec<String>,
    /// Color human output.
    #[arg(long, value_enum, global = true, default_value = "auto")]
    color: ColorChoice,
}

#[derive(Debug, Subcommand)]
enum ProgramCommand {
    /// Write every stack's template (the default command).
    Synth(SynthArgs),
    /// Check templates: references, cycles, limits, parameters, and every
    /// resource against its registry schema.
    Validate(CheckArgs),
    /// Run the security rules.
    Lint(LintArgs),
    /// Compare fresh templates with earlier renders.
    Diff(ProgramDiffArgs),
    /// Draw the dependency graph.
    Graph(GraphArgs),
    /// Deploy the selected stacks (--env; all when none is given) in order
    /// through change sets, stopping at the first failure; prints the
    /// outputs (--outputs-file: one stack's, as JSON).
    #[cfg(feature = "deploy")]
    Deploy(lifecycle::DeployCmd),
    /// Create each selected stack's change set, show it, and delete it
    /// (or --keep it); nothing is executed.
    #[cfg(feature = "deploy")]
    Plan(lifecycle::PlanCmd),
    /// Delete a deployed stack (select it with --env): lists what is deleted
    /// and what retained, asks, waits.
    #[cfg(feature = "deploy")]
    Destroy(lifecycle::DestroyCmd),
    /// Print the outputs of the selected deployed stacks.
    #[cfg(feature = "deploy")]
    Outputs(lifecycle::OutputsCmd),
    /// Detect drift of a deployed stack (select it with --env); exit 1 when drifted.
    #[cfg(feature = "deploy")]
    Drift(lifecycle::DriftCmd),
    /// Release the application to one deployed stack (select it with
    /// --env): bundle, upload to S3, CodeDeploy per tier, wait, notify.
    #[cfg(feature = "deploy")]
    Release(release::ReleaseArgs),
    /// Print shell completions.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Clone, Args)]
struct SynthArgs {
    /// Output directory.
    #[arg(long, default_value = "out")]
    out: PathBuf,
    /// Template format.
    #[arg(long, value_enum, default_value = "json")]
    format: OutFormat,
    /// Also write YAML (same as `--format both`).
    #[arg(long)]
    yaml: bool,
}

#[derive(Debug, Clone, Args)]
struct ProgramDiffArgs {
    /// Earlier renders: a directory holding `<stack>.template.json` (or
    /// `.yaml`) files, or one template file when one stack is selected.
    #[arg(long, default_value = "out")]
    against: PathBuf,
    /// Compare with the deployed stacks instead (GetTemplate).
    #[cfg(feature = "deploy")]
    #[arg(long, conflicts_with = "against")]
    against_stack: bool,
    #[cfg(feature = "deploy")]
    #[command(flatten)]
    connection: deploy::ConnectionArgs,
    #[command(flatten)]
    output: DiffOutput,
}

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

fn finish(outcome: Outcome) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            match &f {
                Failure::Check(m) if m.is_empty() => {}
                Failure::Usage(_) => {}
                Failure::Check(m) | Failure::Input(m) => eprintln!("error: {m}"),
                Failure::NotExecuted(m) | Failure::Interrupted(m) => eprintln!("{m}"),
            }
            ExitCode::from(f.code())
        }
    }
}

/// A template with where it came from.
struct Loaded {
    name: String,
    file: Option<String>,
    src: Option<String>,
    template: Template,
}

impl Loaded {
    fn from_stack(s: &Stack) -> Self {
        Loaded {
            name: s.name.clone(),
            file: None,
            src: None,
            template: s.template.clone(),
        }
    }
}

fn load_file(path: &Path) -> Result<Loaded, Failure> {
    let name = path.display().to_string();
    let src = std::fs::read_to_string(path)
        .map_err(|e| Failure::Input(format!("cannot read `{name}`: {e}; check the path")))?;
    let format = cfn_core::parse::format_for_path(path, &src);
    let template = Template::parse_str(&src, format, Some(&name))
        .map_err(|e| Failure::Input(e.to_string()))?;
    Ok(Loaded {
        name: name.clone(),
        file: Some(name),
        src: Some(src),
        template,
    })
}

fn find_render(dir: &Path, stack: &str) -> Result<Option<Template>, Failure> {
    for ext in ["json", "yaml", "yml"] {
        let p = dir.join(format!("{stack}.template.{ext}"));
        if p.exists() {
            return load_file(&p).map(|l| Some(l.template));
        }
    }
    eprintln!(
        "note: no earlier render of `{stack}` in `{}`; every resource shows as added",
        dir.display()
    );
    Ok(None)
}

/// Writes through a temporary file renamed into place, so a failure never
/// leaves a half-written file.
fn write_atomic(path: &Path, contents: &str) -> Outcome {
    // Unchanged files are left alone: no write, no rename, the same mtime
    // (a rerun of synth touches nothing, and build tools see no change).
    if std::fs::read(path).is_ok_and(|old| old == contents.as_bytes()) {
        return Ok(());
    }
    let tmp = path.with_extension(format!(
        "{}.tmp",
        path.extension().and_then(|e| e.to_str()).unwrap_or("out")
    ));
    std::fs::write(&tmp, contents)
        .and_then(|_| std::fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Failure::Input(format!("cannot write `{}`: {e}", path.display()))
        })
}

/// Hook scripts must be executable for CodeDeploy to run them.
#[cfg(unix)]
fn make_executable(path: &Path) -> Outcome {
    use std::os::unix::fs::PermissionsExt;
    if std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o777 == 0o755) {
        return Ok(());
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| Failure::Input(format!("cannot make `{}` executable: {e}", path.display())))
}

#[cfg(not(unix))]
fn make_executable(_: &Path) -> Outcome {
    Ok(())
}

fn synth(stacks: &[Stack], a: &SynthArgs) -> Outcome {
    let format = if a.yaml { OutFormat::Both } else { a.format };
    // render everything first: nothing is written unless every stack is valid
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let mut rows = Vec::new();
    for s in stacks {
        let json = cfn_tools::verdict::synth(&s.template, Format::Json)
            .map_err(|e| Failure::Input(format!("stack `{}`: {e}", s.name)))?;
        if matches!(format, OutFormat::Json | OutFormat::Both) {
            files.push((a.out.join(format!("{}.template.json", s.name)), json));
        }
        if matches!(format, OutFormat::Yaml | OutFormat::Both) {
            files.push((
                a.out.join(format!("{}.template.yaml", s.name)),
                s.template.to_yaml(),
            ));
        }
        for (name, contents) in &s.files {
            files.push((a.out.join(name), contents.clone()));
        }
        rows.push((
            s.name.clone(),
            s.template.resources.len(),
            s.template.to_json_compact().len(),
        ));
    }
    std::fs::create_dir_all(&a.out).map_err(|e| {
        Failure::Input(format!(
            "cannot create output directory `{}`: {e}; pass a writable one with --out",
            a.out.display()
        ))
    })?;
    for (path, contents) in &files {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                Failure::Input(format!("cannot create `{}`: {e}", parent.display()))
            })?;
        }
        write_atomic(path, contents)?;
        if path.extension().is_some_and(|e| e == "sh") {
            make_executable(path)?;
        }
    }
    use cfn_core::validate::limits::{DIRECT_BODY_BYTES, S3_BODY_BYTES};
    println!(
        "{:<16} {:>9} {:>10} {:>17} {:>18}",
        "stack", "resources", "bytes", "of 51,200 direct", "of 1,000,000 (S3)"
    );
    for (name, resources, bytes) in rows {
        println!(
            "{:<16} {:>9} {:>10} {:>16.1}% {:>17.1}%",
            name,
            resources,
            bytes,
            100.0 * bytes as f64 / DIRECT_BODY_BYTES as f64,
            100.0 * bytes as f64 / S3_BODY_BYTES as f64
        );
    }
    println!(
        "{} file(s) written to {} (bytes: compact JSON, the upload size)",
        files.len(),
        a.out.display()
    );
    Ok(())
}

fn emit(problems: &[report::Problem], format: CheckFormat, color: bool, tool: &str, summary: &str) {
    match format {
        CheckFormat::Human => {
            print!("{}", report::human(problems, color));
            println!("{summary}");
        }
        CheckFormat::Json => print!("{}", report::json(problems)),
        CheckFormat::Sarif => print!("{}", report::sarif(tool, problems)),
    }
}

/// `load`: the problems of files that could not be loaded (see `files.rs`),
/// reported first and in the same format.
fn validate(
    inputs: &[Loaded],
    load: Vec<report::Problem>,
    a: &CheckArgs,
    color: bool,
    tool: &str,
) -> Outcome {
    let unloaded = files::sources(&load);
    let mut problems = load;
    for l in inputs {
        let diagnostics = cfn_tools::verdict::check(&l.template).diagnostics;
        problems.extend(report::from_validation(
            &l.name,
            l.file.as_deref(),
            l.src.as_deref(),
            &diagnostics,
        ));
    }
    let errors = problems
        .iter()
        .filter(|p| p.level == report::Level::Error)
        .count();
    let warnings = problems.len() - errors;
    let failing = if a.strict { problems.len() } else { errors };
    let mut summary = files::per_file(inputs, &unloaded, &problems);
    summary.push_str(&format!(
        "{} template(s): {errors} error(s), {warnings} warning(s)",
        inputs.len() + unloaded.len()
    ));
    emit(&problems, a.format, color, tool, &summary);
    if failing > 0 {
        Err(Failure::Check(String::new()))
    } else {
        Ok(())
    }
}

/// `load`: as for [`validate`].
fn lint(
    linter: &Linter,
    inputs: &[Loaded],
    load: Vec<report::Problem>,
    a: &LintArgs,
    color: bool,
    tool: &str,
) -> Outcome {
    let unloaded = files::sources(&load);
    let mut problems = load;
    let mut suppressed = Vec::new();
    for l in inputs {
        let r = linter
            .clone()
            .min_severity(a.min_severity.into())
            .run(&l.template);
        problems.extend(report::from_lint(
            &l.name,
            l.file.as_deref(),
            l.src.as_deref(),
            &r,
        ));
        for s in r.suppressed {
            suppressed.push(format!(
                "suppressed [{}] {}: {}: {} ({})",
                s.finding.rule, l.name, s.finding.path, s.reason, s.source
            ));
        }
    }
    let failing = if a.check.strict {
        problems.len()
    } else {
        problems
            .iter()
            .filter(|p| p.level == report::Level::Error)
            .count()
    };
    let mut summary = files::per_file(inputs, &unloaded, &problems);
    for s in &suppressed {
        summary.push_str(s);
        summary.push('\n');
    }
    let errors = problems
        .iter()
        .filter(|p| p.level == report::Level::Error)
        .count();
    summary.push_str(&format!(
        "{} template(s): {} finding(s) ({errors} error(s)), {} suppressed",
        inputs.len() + unloaded.len(),
        problems.len(),
        suppressed.len()
    ));
    emit(&problems, a.check.format, color, tool, &summary);
    if failing > 0 {
        Err(Failure::Check(String::new()))
    } else {
        Ok(())
    }
}

fn diff_pairs(
    pairs: &[(String, Template, Template)],
    o: &DiffOutput,
    color: bool,
    facts: &dyn SchemaFacts,
) -> Outcome {
    let mut fail = false;
    let mut json_out = serde_json::Map::new();
    for (name, old, new) in pairs {
        let d = diff::diff(old, new, facts);
        fail |= match o.fail_on {
            FailOn::DataAtRisk => !d.data_at_risk().is_empty(),
            FailOn::Replacement => d.has_replacement(),
            FailOn::Any => !d.is_empty(),
            FailOn::None => false,
        };
        match o.format {
            DiffFormat::Text => {
                if pairs.len() > 1 {
                    println!("== {name}");
                }
                print!("{}", diff::render_text(&d, color));
            }
            DiffFormat::Markdown => println!("{}", diff::render_markdown(&d, name)),
            DiffFormat::Json => {
                json_out.insert(name.clone(), serde_json::to_value(&d).unwrap_or_default());
            }
        }
    }
    if o.format == DiffFormat::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json_out).unwrap_or_default()
        );
    }
    if fail {
        let name = o
            .fail_on
            .to_possible_value()
            .map(|v| v.get_name().to_owned())
            .unwrap_or_default();
        Err(Failure::Check(format!("the diff matches --fail-on {name}")))
    } else {
        Ok(())
    }
}

fn draw(inputs: &[Loaded], a: &GraphArgs) -> Outcome {
    let cluster = match a.cluster {
        ClusterBy::Service => Clustering::Service,
        ClusterBy::Tier => Clustering::Tier,
        ClusterBy::None => Clustering::None,
    };
    let mut out = String::new();
    for l in inputs {
        if inputs.len() > 1 {
            out.push_str(&format!(
                "{} {}\n",
                if a.format == GraphFormat::Dot {
                    "//"
                } else {
                    "%%"
                },
                l.name
            ));
        }
        out.push_str(&match a.format {
            GraphFormat::Dot => graph::to_dot(&l.template, cluster),
            GraphFormat::Mermaid => graph::to_mermaid(&l.template, cluster),
        });
    }
    match &a.out {
        Some(p) => write_atomic(p, &out),
        None => {
            print!("{out}");
            Ok(())
        }
    }
}

// ---------------------------------------------------------------- files

#[derive(Debug, Parser)]
#[command(
    name = "cfnkit",
    about = "Validate, lint, compare, convert and draw CloudFormation templates (JSON or YAML)",
    version
)]
struct FileCli {
    #[command(subcommand)]
    command: FileCommand,
    /// Color human output.
    #[arg(long, value_enum, global = true, default_value = "auto")]
    color: ColorChoice,
}

#[derive(Debug, Subcommand)]
enum FileCommand {
    /// Validate templates: references, cycles, limits, parameters, and every
    /// resource against its registry schema (offline).
    Validate {
        /// Template files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        args: CheckArgs,
    },
    /// Run the security rules.
    Lint {
        /// Template files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        args: LintArgs,
    },
    /// Compare two templates, or two directories of templates matched by file name.
    Diff {
        /// The old template (or directory).
        old: PathBuf,
        /// The new template (or directory).
        new: PathBuf,
        #[command(flatten)]
        output: DiffOutput,
    },
    /// Draw the dependency graph.
    Graph {
        /// Template file.
        file: PathBuf,
        #[command(flatten)]
        args: GraphArgs,
    },
    /// Validate and re-render a template (JSON to YAML or back), deterministically.
    Convert {
        /// Template file.
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value = "yaml")]
        to: ConvertTo,
        /// Write here instead of standard output (never over the input).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Deploy a template as a stack through a change set.
    #[cfg(feature = "deploy")]
    Deploy {
        /// Template file.
        file: PathBuf,
        /// The stack name.
        #[arg(long)]
        stack_name: String,
        #[command(flatten)]
        args: lifecycle::DeployCmd,
    },
    /// Create the change set, show it, and delete it (or --keep it); nothing is executed.
    #[cfg(feature = "deploy")]
    Plan {
        /// Template file.
        file: PathBuf,
        /// The stack name.
        #[arg(long)]
        stack_name: String,
        #[command(flatten)]
        args: lifecycle::PlanCmd,
    },
    /// Delete a stack: lists what is deleted and what retained, asks, waits.
    #[cfg(feature = "deploy")]
    Destroy {
        /// The stack name.
        #[arg(long)]
        stack_name: String,
        #[command(flatten)]
        args: lifecycle::DestroyCmd,
    },
    /// Print a deployed stack's outputs.
    #[cfg(feature = "deploy")]
    Outputs {
        /// The stack name.
        #[arg(long)]
        stack_name: String,
        #[command(flatten)]
        args: lifecycle::OutputsCmd,
    },
    /// Detect drift of a deployed stack; exit 1 when drifted.
    #[cfg(feature = "deploy")]
    Drift {
        /// The stack name.
        #[arg(long)]
        stack_name: String,
        #[command(flatten)]
        args: lifecycle::DriftCmd,
    },
    /// Print shell completions.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ConvertTo {
    Json,
    Yaml,
}

/// Runs the `cfnkit` binary on the given arguments.
pub fn run_files<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match FileCli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    finish(dispatch_files(cli))
}

fn dispatch_files(cli: FileCli) -> Outcome {
    let color = cli.color.enabled();
    let facts = RegistryFacts;
    match cli.command {
        FileCommand::Validate { files, args } => {
            let read = files::LoadedFiles::read(&files);
            let checked = validate(&read.loaded, read.problems.clone(), &args, color, "cfnkit");
            read.worst(checked)
        }
        FileCommand::Lint { files, args } => {
            let read = files::LoadedFiles::read(&files);
            let checked = lint(
                &Linter::new(),
                &read.loaded,
                read.problems.clone(),
                &args,
                color,
                "cfnkit",
            );
            read.worst(checked)
        }
        FileCommand::Diff { old, new, output } => {
            let pairs = if old.is_dir() && new.is_dir() {
                let mut names: Vec<String> = Vec::new();
                for dir in [&old, &new] {
                    let entries = std::fs::read_dir(dir).map_err(|e| {
                        Failure::Input(format!("cannot read directory `{}`: {e}", dir.display()))
                    })?;
                    for e in entries.flatten() {
                        let n = e.file_name().to_string_lossy().to_string();
                        if (n.ends_with(".json") || n.ends_with(".yaml") || n.ends_with(".yml"))
                            && !names.contains(&n)
                        {
                            names.push(n);
                        }
                    }
                }
                names.sort();
                let mut pairs = Vec::new();
                for n in names {
                    let load = |d: &Path| -> Result<Template, Failure> {
                        let p = d.join(&n);
                        if p.exists() {
                            load_file(&p).map(|l| l.template)
                        } else {
                            Ok(Template::default())
                        }
                    };
                    pairs.push((n.clone(), load(&old)?, load(&new)?));
                }
                pairs
            } else if old.is_dir() || new.is_dir() {
                return Err(Failure::Input(
                    "diff takes two files or two directories, not one of each".into(),
                ));
            } else {
                vec![(
                    new.display().to_string(),
                    load_file(&old)?.template,
                    load_file(&new)?.template,
                )]
            };
            diff_pairs(&pairs, &output, color, &facts)
        }
        FileCommand::Graph { file, args } => draw(&[load_file(&file)?], &args),
        FileCommand::Convert { file, to, out } => {
            let l = load_file(&file)?;
            let rendered = l
                .template
                .synth(if to == ConvertTo::Json {
                    Format::Json
                } else {
                    Format::Yaml
                })
                .map_err(|e| Failure::Input(e.to_string()))?;
            match out {
                Some(p) => {
                    if p.canonicalize().ok() == file.canonicalize().ok() {
                        return Err(Failure::Input(format!(
                            "refusing to overwrite the input `{}`; write to another file",
                            file.display()
                        )));
                    }
                    write_atomic(&p, &rendered)
                }
                None => {
                    print!("{rendered}");
                    Ok(())
                }
            }
        }
        #[cfg(feature = "deploy")]
        FileCommand::Deploy {
            file,
            stack_name,
            args,
        } => {
            let template = load_valid(&file, color)?;
            let out = args.outputs_file.as_deref();
            lifecycle::deploy(&stack_name, template, &args.args, out, color).map(|_| ())
        }
        #[cfg(feature = "deploy")]
        FileCommand::Plan {
            file,
            stack_name,
            args,
        } => lifecycle::plan(&stack_name, load_valid(&file, color)?, &args, color).map(|_| ()),
        #[cfg(feature = "deploy")]
        FileCommand::Destroy { stack_name, args } => {
            lifecycle::destroy(&stack_name, &args).map(|_| ())
        }
        #[cfg(feature = "deploy")]
        FileCommand::Outputs { stack_name, args } => lifecycle::outputs(&[stack_name], &args),
        #[cfg(feature = "deploy")]
        FileCommand::Drift { stack_name, args } => lifecycle::drift(&stack_name, &args),
        FileCommand::Completions { shell } => {
            let mut cmd = FileCli::command();
            clap_complete::generate(shell, &mut cmd, "cfnkit", &mut std::io::stdout());
            Ok(())
        }
    }
}

/// A template file that validates, for `deploy` and `plan`.
#[cfg(feature = "deploy")]
fn load_valid(file: &Path, color: bool) -> Result<Template, Failure> {
    let l = load_file(file)?;
    let report = cfn_tools::verdict::check(&l.template);
    if !report.is_ok() {
        let problems = report::from_validation(
            &l.name,
            l.file.as_deref(),
            l.src.as_deref(),
            &report.diagnostics,
        );
        eprint!("{}", report::human(&problems, color));
        return Err(Failure::Input(format!(
            "`{}` is not valid; fix it before deploying",
            file.display()
        )));
    }
    Ok(l.template)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_command_lines_are_well_formed() {
        ProgramCli::command().debug_assert();
        FileCli::command().debug_assert();
    }
}

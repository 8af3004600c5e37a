//! The command lines: clap's structures for stack programs and for the
//! `cfnkit` binary, and the value enums their flags take.

#[cfg(feature = "deploy")]
use crate::deploy;
#[cfg(feature = "deploy")]
use crate::lifecycle;
#[cfg(feature = "deploy")]
use crate::release;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;

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
    pub(crate) fn enabled(self) -> bool {
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
pub(crate) struct ProgramCli {
    #[command(subcommand)]
    pub(crate) command: Option<ProgramCommand>,
    /// Only the stacks of these environments (repeatable).
    #[arg(long, global = true)]
    pub(crate) env: Vec<String>,
    /// Color human output.
    #[arg(long, value_enum, global = true, default_value = "auto")]
    pub(crate) color: ColorChoice,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ProgramCommand {
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
pub(crate) struct SynthArgs {
    /// Output directory.
    #[arg(long, default_value = "out")]
    pub(crate) out: PathBuf,
    /// Template format.
    #[arg(long, value_enum, default_value = "json")]
    pub(crate) format: OutFormat,
    /// Also write YAML (same as `--format both`).
    #[arg(long)]
    pub(crate) yaml: bool,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct ProgramDiffArgs {
    /// Earlier renders: a directory holding `<stack>.template.json` (or
    /// `.yaml`) files, or one template file when one stack is selected.
    #[arg(long, default_value = "out")]
    pub(crate) against: PathBuf,
    /// Compare with the deployed stacks instead (GetTemplate).
    #[cfg(feature = "deploy")]
    #[arg(long, conflicts_with = "against")]
    pub(crate) against_stack: bool,
    #[cfg(feature = "deploy")]
    #[command(flatten)]
    pub(crate) connection: deploy::ConnectionArgs,
    #[command(flatten)]
    pub(crate) output: DiffOutput,
}
#[derive(Debug, Parser)]
#[command(
    name = "cfnkit",
    about = "Validate, lint, compare, convert and draw CloudFormation templates (JSON or YAML)",
    version
)]
pub(crate) struct FileCli {
    #[command(subcommand)]
    pub(crate) command: FileCommand,
    /// Color human output.
    #[arg(long, value_enum, global = true, default_value = "auto")]
    pub(crate) color: ColorChoice,
}

#[derive(Debug, Subcommand)]
pub(crate) enum FileCommand {
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
pub(crate) enum ConvertTo {
    Json,
    Yaml,
}
#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn both_command_lines_are_well_formed() {
        ProgramCli::command().debug_assert();
        FileCli::command().debug_assert();
    }
}

//! The deploy lifecycle for both front ends: `plan`, `deploy` (with its
//! outputs), `outputs`, `destroy`, `drift`, and several stacks in a row.
//! The verdicts come from `cfn-deploy`; this module asks, prints and maps
//! them to exit codes (4: not executed, 130: interrupted).

use crate::deploy::{connect_options, failure, request, ConnectionArgs, DeployArgs};
use crate::terminal::{not_executed, printer, prompt, summary_of, summary_table, Answer};
use crate::Failure;
use cfn_core::Template;
use cfn_deploy::{
    block_on_interruptible, DeleteOutcome, Deployer, DestroyPlan, DestroyRequest, Error, Outcome,
    Plan, PlanReport, StackOutput,
};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Text or JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Text for people.
    Text,
    /// JSON for machines.
    Json,
}

/// `deploy`: the deploy flags and where to write the outputs.
#[derive(Debug, Clone, Args)]
pub struct DeployCmd {
    #[allow(missing_docs)]
    #[command(flatten)]
    pub args: DeployArgs,
    /// Also write the stack's outputs to this file, as JSON (`{"Key": "Value"}`).
    #[arg(long, value_name = "FILE")]
    pub outputs_file: Option<PathBuf>,
}

/// `plan`: the deploy flags, the format, and whether to keep the change set.
#[derive(Debug, Clone, Args)]
pub struct PlanCmd {
    #[allow(missing_docs)]
    #[command(flatten)]
    pub args: DeployArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,
    /// Keep the change set (to execute it later) instead of deleting it.
    #[arg(long)]
    pub keep: bool,
}

/// `destroy`: consent and connection.
#[derive(Debug, Clone, Args)]
pub struct DestroyCmd {
    /// Delete without asking.
    #[arg(long)]
    pub yes: bool,
    /// Allow deleting this stateful resource with its data (logical id; repeatable).
    #[arg(long = "allow-delete", value_name = "LOGICAL_ID")]
    pub allow_delete: Vec<String>,
    #[allow(missing_docs)]
    #[command(flatten)]
    pub connection: ConnectionArgs,
}

/// `outputs`: format, file and connection.
#[derive(Debug, Clone, Args)]
pub struct OutputsCmd {
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,
    /// Also write the outputs to this file, as JSON.
    #[arg(long, value_name = "FILE")]
    pub outputs_file: Option<PathBuf>,
    #[allow(missing_docs)]
    #[command(flatten)]
    pub connection: ConnectionArgs,
}

/// `drift`: format and connection.
#[derive(Debug, Clone, Args)]
pub struct DriftCmd {
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,
    #[allow(missing_docs)]
    #[command(flatten)]
    pub connection: ConnectionArgs,
}

/// Maps an error of the lifecycle commands to an exit code.
fn lifecycle_failure(e: Error) -> Failure {
    match e {
        Error::Interrupted { .. } => Failure::Interrupted(e.to_string()),
        Error::ResourcesMissing { .. } | Error::DeleteRefused { .. } => {
            Failure::Check(crate::deploy::message(&e))
        }
        e => failure(e),
    }
}

async fn connect(c: &ConnectionArgs) -> Result<Deployer, Error> {
    Ok(Deployer::connect(&connect_options(c))
        .await?
        .with_schema_facts(Arc::new(cfn_tools::schema::RegistryFacts)))
}

/// Outputs as a JSON object, keys sorted (the library sorts them).
fn outputs_json(outputs: &[StackOutput]) -> String {
    let mut m = serde_json::Map::new();
    for o in outputs {
        m.insert(o.key.clone(), serde_json::Value::String(o.value.clone()));
    }
    let mut s = serde_json::to_string_pretty(&serde_json::Value::Object(m)).unwrap_or_default();
    s.push('\n');
    s
}

fn write_outputs(path: Option<&Path>, outputs: &[StackOutput]) -> Result<(), Failure> {
    match path {
        Some(p) => crate::write_atomic(p, &outputs_json(outputs)),
        None => Ok(()),
    }
}

/// Deploys one stack; prints its outputs and writes them when asked.
/// Returns how it ended, for the summary of several stacks.
pub(crate) fn deploy(
    stack_name: &str,
    template: Template,
    a: &DeployArgs,
    outputs_file: Option<&Path>,
    color: bool,
) -> Result<String, Failure> {
    let req = request(stack_name, template, a)?;
    let yes = a.yes;
    let connection = a.connection.clone();
    let answer = Arc::new(Mutex::new(Answer::Yes));
    let seen = Arc::clone(&answer);
    let (report, outputs) = block_on_interruptible(|interrupt| async move {
        let d = connect(&connection).await?;
        let i = interrupt.clone();
        let confirm = move |plan: &Plan| {
            if yes {
                return true;
            }
            let a = prompt(
                &format!(
                    "execute change set {} on {}?",
                    plan.change_set_name, plan.stack_name
                ),
                &i,
            );
            *seen.lock().unwrap_or_else(|e| e.into_inner()) = a;
            a == Answer::Yes
        };
        let report = d
            .deploy_interruptible(
                &req,
                &mut { confirm },
                &mut printer(color, false),
                &interrupt,
            )
            .await?;
        let outputs = match report.outcome {
            Outcome::Declined => Vec::new(),
            _ => d.stack_outputs(&req.stack_name).await?,
        };
        Ok::<_, Error>((report, outputs))
    })
    .map_err(lifecycle_failure)?
    .map_err(lifecycle_failure)?;
    let outcome = match report.outcome {
        Outcome::NoChanges => "no changes".to_owned(),
        Outcome::Declined => {
            let a = *answer.lock().unwrap_or_else(|e| e.into_inner());
            return Err(not_executed(stack_name, a, "the change set was", "--yes"));
        }
        other => format!(
            "{} ({})",
            other.as_str(),
            report.status.as_deref().unwrap_or("unknown status")
        ),
    };
    println!("{stack_name}: {outcome}");
    if !outputs.is_empty() {
        println!("outputs:");
        for o in &outputs {
            println!("  {o}");
        }
    }
    write_outputs(outputs_file, &outputs)?;
    Ok(outcome)
}

/// The plan as JSON.
fn plan_json(r: &PlanReport) -> serde_json::Value {
    use serde_json::json;
    let Some(p) = &r.plan else {
        return json!({"stack": r.stack_name, "changes": [], "no_changes": true});
    };
    let changes: Vec<serde_json::Value> = p
        .changes
        .iter()
        .map(|c| {
            json!({
                "action": c.action.as_str(),
                "logical_id": c.logical_id,
                "resource_type": c.resource_type,
                "physical_id": c.physical_id,
                "replacement": p.effective_replacement(c).map(|x| x.as_str()),
                "scope": c.scope,
            })
        })
        .collect();
    json!({
        "stack": r.stack_name,
        "kind": p.kind.as_str(),
        "change_set_name": p.change_set_name,
        "change_set_id": p.change_set_id,
        "kept": r.kept,
        "changes": changes,
        "refused": r.refused.iter().map(|x| x.logical_id.clone()).collect::<Vec<_>>(),
        "diff": p.diff.as_ref().and_then(|d| serde_json::to_value(d).ok()),
        "diff_note": p.diff_note,
    })
}

/// Creates the change set, shows it, deletes or keeps it. Never executes.
pub(crate) fn plan(
    stack_name: &str,
    template: Template,
    p: &PlanCmd,
    color: bool,
) -> Result<String, Failure> {
    let mut req = request(stack_name, template, &p.args)?;
    req.termination_protection = None;
    let keep = p.keep;
    let json = p.format == ReportFormat::Json;
    let connection = p.args.connection.clone();
    let r = block_on_interruptible(|interrupt| async move {
        let d = connect(&connection).await?;
        d.plan_interruptible(&req, keep, &mut printer(color, json), &interrupt)
            .await
    })
    .map_err(lifecycle_failure)?
    .map_err(lifecycle_failure)?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&plan_json(&r)).unwrap_or_default()
        );
    } else if r.plan.is_none() {
        println!("{stack_name}: no changes");
    } else {
        if !r.refused.is_empty() {
            println!(
                "deploy would refuse: {} (allow with {})",
                r.refused
                    .iter()
                    .map(|x| x.logical_id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                r.refused
                    .iter()
                    .map(|x| format!("--allow-replace {}", x.logical_id))
                    .collect::<Vec<_>>()
                    .join(" ")
            );
        }
        if r.kept {
            println!("the change set was kept; execute or delete it with:");
            for c in r.kept_commands() {
                println!("  {c}");
            }
        } else {
            println!("{stack_name}: planned; the change set was deleted");
        }
    }
    Ok(match (&r.plan, r.kept) {
        (None, _) => "no changes".into(),
        (Some(p), _) => format!("{} change(s) planned", p.changes.len()),
    })
}

/// Destroys one stack.
pub(crate) fn destroy(stack_name: &str, a: &DestroyCmd) -> Result<String, Failure> {
    let mut req = DestroyRequest::new(stack_name).yes(a.yes);
    for id in &a.allow_delete {
        req = req.allow_delete(id.clone());
    }
    let connection = a.connection.clone();
    let answer = Arc::new(Mutex::new(Answer::Yes));
    let seen = Arc::clone(&answer);
    let report = block_on_interruptible(|interrupt| async move {
        let d = connect(&connection).await?;
        let i = interrupt.clone();
        let mut confirm = move |plan: &DestroyPlan| {
            let a = prompt(&format!("delete stack {}?", plan.stack_name), &i);
            *seen.lock().unwrap_or_else(|e| e.into_inner()) = a;
            a == Answer::Yes
        };
        d.destroy_interruptible(&req, &mut confirm, &mut printer(false, false), &interrupt)
            .await
    })
    .map_err(lifecycle_failure)?
    .map_err(lifecycle_failure)?;
    let outcome = match report.outcome {
        DeleteOutcome::NotFound => "not found: nothing to delete".to_owned(),
        DeleteOutcome::Declined => {
            let a = *answer.lock().unwrap_or_else(|e| e.into_inner());
            if a == Answer::Interrupted {
                return Err(Failure::Interrupted(format!(
                    "interrupted: stack `{stack_name}`: nothing was deleted"
                )));
            }
            return Err(not_executed(stack_name, a, "the deletion was", "--yes"));
        }
        _ => {
            let retained: Vec<String> = report
                .plan
                .iter()
                .flat_map(|p| p.resources.iter())
                .filter(|r| r.retained_by.is_some())
                .map(|r| {
                    format!(
                        "{} ({})",
                        r.logical_id,
                        r.physical_id.as_deref().unwrap_or("no physical id")
                    )
                })
                .collect();
            if retained.is_empty() {
                "deleted".to_owned()
            } else {
                format!("deleted; retained: {}", retained.join(", "))
            }
        }
    };
    println!("{stack_name}: {outcome}");
    Ok(outcome)
}

/// Prints (and writes) the outputs of deployed stacks.
pub(crate) fn outputs(stacks: &[String], a: &OutputsCmd) -> Result<(), Failure> {
    let connection = a.connection.clone();
    let names = stacks.to_vec();
    let all = cfn_deploy::block_on(async move {
        let d = connect(&connection).await?;
        let mut all = Vec::new();
        for s in &names {
            all.push((s.clone(), d.stack_outputs(s).await?));
        }
        Ok::<_, Error>(all)
    })
    .map_err(lifecycle_failure)?
    .map_err(lifecycle_failure)?;
    let text = match (a.format, all.as_slice()) {
        (ReportFormat::Json, [(_, one)]) => outputs_json(one),
        (ReportFormat::Json, _) => {
            let mut m = serde_json::Map::new();
            for (s, o) in &all {
                m.insert(
                    s.clone(),
                    serde_json::from_str(&outputs_json(o)).unwrap_or_default(),
                );
            }
            format!("{}\n", serde_json::to_string_pretty(&m).unwrap_or_default())
        }
        (ReportFormat::Text, _) => {
            let mut t = String::new();
            for (s, o) in &all {
                if all.len() > 1 {
                    t.push_str(&format!("== {s}\n"));
                }
                t.push_str(&cfn_deploy::render_outputs_text(o));
            }
            t
        }
    };
    print!("{text}");
    if let Some(p) = &a.outputs_file {
        match all.as_slice() {
            [(_, one)] => write_outputs(Some(p), one)?,
            _ => {
                return Err(Failure::Input(
                    "--outputs-file takes one stack; choose it with --env".into(),
                ))
            }
        }
    }
    Ok(())
}

/// Detects drift; exit 1 when a resource drifted.
pub(crate) fn drift(stack_name: &str, a: &DriftCmd) -> Result<(), Failure> {
    let connection = a.connection.clone();
    let stack = stack_name.to_owned();
    let r =
        cfn_deploy::block_on(async move { connect(&connection).await?.detect_drift(&stack).await })
            .map_err(lifecycle_failure)?
            .map_err(lifecycle_failure)?;
    match a.format {
        ReportFormat::Text => print!("{}", r.render_text()),
        ReportFormat::Json => {
            let resources: Vec<serde_json::Value> = r
                .resources
                .iter()
                .map(|x| {
                    serde_json::json!({
                        "logical_id": x.logical_id,
                        "resource_type": x.resource_type,
                        "physical_id": x.physical_id,
                        "status": x.status,
                        "differences": x.differences.iter().map(|d| serde_json::json!({
                            "path": d.path, "difference": d.difference,
                            "expected": d.expected, "actual": d.actual,
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({
                    "stack": r.stack_name, "status": r.status, "resources": resources,
                }))
                .unwrap_or_default()
            );
        }
    }
    if r.is_drifted() {
        Err(Failure::Check(format!("stack `{stack_name}` has drifted")))
    } else {
        Ok(())
    }
}

/// Runs `one` for each stack in order, stopping at the first failure, and
/// prints a summary table (stack, outcome, duration) to standard error.
pub(crate) fn each_stack(
    stacks: &[(String, Template)],
    mut one: impl FnMut(&str, Template) -> Result<String, Failure>,
) -> Result<(), Failure> {
    let mut rows: Vec<(String, String, Duration)> = Vec::new();
    let mut result = Ok(());
    for (name, template) in stacks {
        let started = Instant::now();
        match one(name, template.clone()) {
            Ok(outcome) => rows.push((name.clone(), outcome, started.elapsed())),
            Err(f) => {
                rows.push((name.clone(), summary_of(&f), started.elapsed()));
                result = Err(f);
                break;
            }
        }
    }
    for (name, _) in stacks.iter().skip(rows.len()) {
        rows.push((
            name.clone(),
            "not started (an earlier stack failed)".into(),
            Duration::ZERO,
        ));
    }
    eprint!("{}", summary_table(&rows));
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_json_is_sorted_and_stable() {
        let o = |k: &str, v: &str| StackOutput {
            key: k.into(),
            value: v.into(),
            description: None,
            export_name: None,
        };
        assert_eq!(
            outputs_json(&[o("A", "1"), o("B", "x\"y")]),
            "{\n  \"A\": \"1\",\n  \"B\": \"x\\\"y\"\n}\n"
        );
    }
}

//! `deploy` and `diff --against-stack`, through `cfn-deploy` (the `deploy`
//! feature).

use crate::Failure;
use cfn_core::Template;
use cfn_deploy::{
    Capability, ConnectOptions, DeployRequest, Deployer, Error, Outcome, Plan, Progress,
};
use clap::Args;
use std::io::{BufRead, IsTerminal, Write};

/// Where and how to deploy.
#[derive(Debug, Clone, Args)]
pub struct DeployArgs {
    /// Execute the change set without asking.
    #[arg(long)]
    pub yes: bool,
    /// Allow replacing or deleting this stateful resource (logical id; repeatable).
    #[arg(long = "allow-replace", value_name = "LOGICAL_ID")]
    pub allow_replace: Vec<String>,
    /// A parameter value, `Key=Value` (repeatable).
    #[arg(long = "parameter", value_name = "KEY=VALUE", value_parser = key_value)]
    pub parameters: Vec<(String, String)>,
    /// A stack tag, `Key=Value` (repeatable).
    #[arg(long = "tag", value_name = "KEY=VALUE", value_parser = key_value)]
    pub tags: Vec<(String, String)>,
    /// Capabilities to acknowledge: CAPABILITY_IAM, CAPABILITY_NAMED_IAM, CAPABILITY_AUTO_EXPAND (repeatable).
    #[arg(long = "capability", value_name = "CAPABILITY")]
    pub capabilities: Vec<String>,
    /// Turn termination protection on (`true`) or off (`false`).
    #[arg(long, value_name = "BOOL")]
    pub termination_protection: Option<bool>,
    #[allow(missing_docs)]
    #[command(flatten)]
    pub connection: ConnectionArgs,
}

/// How to reach the CloudFormation API.
#[derive(Debug, Clone, Args)]
pub struct ConnectionArgs {
    /// The region (else AWS_REGION or the profile's).
    #[arg(long)]
    pub region: Option<String>,
    /// The API endpoint, e.g. a local emulator (`http://127.0.0.1:5000`).
    #[arg(long)]
    pub endpoint_url: Option<String>,
    /// The named profile (else AWS_PROFILE or `default`).
    #[arg(long)]
    pub profile: Option<String>,
}

fn key_value(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_owned(), v.to_owned())),
        _ => Err(format!("`{s}` is not KEY=VALUE")),
    }
}

fn connect_options(c: &ConnectionArgs) -> ConnectOptions {
    let mut o = ConnectOptions::new();
    if let Some(r) = &c.region {
        o = o.region(r.clone());
    }
    if let Some(e) = &c.endpoint_url {
        o = o.endpoint_url(e.clone());
    }
    if let Some(p) = &c.profile {
        o = o.profile(p.clone());
    }
    o
}

/// Maps a deploy error to an exit code: the deployment itself failed or was
/// refused (1), or it could not be attempted (3).
fn failure(e: Error) -> Failure {
    let message = e.to_string();
    match e {
        Error::DeployFailed { .. }
        | Error::StatefulChangeRefused { .. }
        | Error::ChangeSetFailed { .. }
        | Error::DeleteFailed { .. } => Failure::Check(message),
        _ => Failure::Input(message),
    }
}

fn ask(plan: &Plan, yes: bool) -> bool {
    if yes {
        return true;
    }
    if !std::io::stdin().is_terminal() {
        eprintln!(
            "not executing: standard input is not a terminal; pass --yes to execute without asking"
        );
        return false;
    }
    eprint!(
        "execute change set {} on {}? [y/N] ",
        plan.change_set_name, plan.stack_name
    );
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    if std::io::stdin().lock().read_line(&mut line).is_err() {
        return false;
    }
    matches!(line.trim(), "y" | "Y" | "yes" | "YES")
}

/// Deploys `template` as `stack_name`.
pub fn deploy(
    stack_name: &str,
    template: Template,
    a: &DeployArgs,
    color: bool,
) -> Result<(), Failure> {
    let mut req = DeployRequest::new(stack_name, template).yes(a.yes);
    for (k, v) in &a.parameters {
        req = req.parameter(k.clone(), v.clone());
    }
    for (k, v) in &a.tags {
        req = req.tag(k.clone(), v.clone());
    }
    for c in &a.capabilities {
        let cap: Capability = c.parse().map_err(|e: String| Failure::Input(e))?;
        req = req.capability(cap);
    }
    if let Some(p) = a.termination_protection {
        req = req.termination_protection(p);
    }
    for id in &a.allow_replace {
        req = req.allow_replace(id.clone());
    }
    let yes = a.yes;
    let options = connect_options(&a.connection);
    let report = cfn_deploy::block_on(async move {
        let d = Deployer::connect(&options)
            .await?
            .with_schema_facts(std::sync::Arc::new(cfn_tools::schema::RegistryFacts));
        d.deploy(
            &req,
            &mut move |plan: &Plan| ask(plan, yes),
            &mut move |p: Progress<'_>| match p {
                Progress::Plan(plan) => print!("{}", plan.render_text(color)),
                Progress::Event(e) => println!("{e}"),
                Progress::Notice(n) => eprintln!("{n}"),
                #[allow(unreachable_patterns)]
                _ => {}
            },
        )
        .await
    })
    .map_err(failure)?
    .map_err(failure)?;
    match report.outcome {
        Outcome::NoChanges => println!("{stack_name}: no changes"),
        Outcome::Declined => {
            return Err(Failure::Check(format!(
                "{stack_name}: the change set was not executed"
            )))
        }
        other => println!(
            "{stack_name}: {} ({})",
            format!("{other:?}").to_lowercase(),
            report.status.as_deref().unwrap_or("unknown status")
        ),
    }
    Ok(())
}

/// The template of a deployed stack.
pub fn deployed_template(stack_name: &str, c: &ConnectionArgs) -> Result<Template, Failure> {
    let options = connect_options(c);
    let stack = stack_name.to_owned();
    cfn_deploy::block_on(async move {
        let d = Deployer::connect(&options)
            .await?
            .with_schema_facts(std::sync::Arc::new(cfn_tools::schema::RegistryFacts));
        d.get_deployed_template(&stack).await
    })
    .map_err(failure)?
    .map_err(failure)
}

//! `deploy` and `diff --against-stack`, through `cfn-deploy` (the `deploy`
//! feature).

use crate::Failure;
use cfn_core::Template;
use cfn_deploy::{Capability, ConnectOptions, DeployRequest, Deployer, Error};
use clap::Args;

/// Where and how to deploy.
#[derive(Debug, Clone, Args)]
pub struct DeployArgs {
    /// Execute the change set without asking.
    #[arg(long)]
    pub yes: bool,
    /// Allow replacing this resource, or deleting it if it holds data
    /// (logical id; repeatable). The only consent for data loss; with --yes,
    /// also needed to replace a resource others depend on.
    #[arg(long = "allow-replace", value_name = "LOGICAL_ID")]
    pub allow_replace: Vec<String>,
    /// With --yes: allow IAM and security-group broadening (statements that
    /// allow more, rules added) on an update.
    #[arg(long)]
    pub allow_broadening: bool,
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
    pub inputs: crate::deploy_inputs::InputArgs,
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
    /// Say on standard error when an API call is retried (the SDK retries
    /// throttling, HTTP 5xx and connection errors up to 6 times, silently
    /// otherwise).
    #[arg(long)]
    pub verbose: bool,
}

fn key_value(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_owned(), v.to_owned())),
        _ => Err(format!("`{s}` is not KEY=VALUE")),
    }
}

pub(crate) fn connect_options(c: &ConnectionArgs) -> ConnectOptions {
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
    if c.verbose {
        o = o.on_retry(cfn_deploy::RetryObserver::new(|n| eprintln!("{n}")));
    }
    o
}

/// The error's message with the flags that act on it (`cfn-deploy` names
/// none), each on a `hint:` line.
pub(crate) fn message(e: &Error) -> String {
    let mut message = e.to_string();
    if let Some(hint) = crate::deploy_inputs::flag_hint(e) {
        message.push_str(&format!("\n  hint: {hint}"));
    }
    if let Some(hint) = approval_hint(e) {
        message.push_str(&format!("\n  hint: {hint}"));
    }
    message
}

/// Maps a deploy error to an exit code: the deployment itself failed or was
/// refused (1), or it could not be attempted (3).
pub(crate) fn failure(e: Error) -> Failure {
    let message = message(&e);
    match e {
        Error::DeployFailed { .. }
        | Error::StatefulChangeRefused { .. }
        | Error::ApprovalRequired { .. }
        | Error::ChangeSetFailed { .. }
        | Error::DeleteFailed { .. } => Failure::Check(message),
        _ => Failure::Input(message),
    }
}

/// The flags that give the consent a refusal asks for.
fn approval_hint(e: &Error) -> Option<String> {
    let flags = |ids: Vec<&str>| -> Vec<String> {
        ids.iter()
            .map(|id| format!("--allow-replace {id}"))
            .collect()
    };
    match e {
        Error::StatefulChangeRefused { refused, .. } => Some(format!(
            "if the data may go, pass {}",
            flags(refused.iter().map(|r| r.logical_id.as_str()).collect()).join(" ")
        )),
        Error::ApprovalRequired { pending, .. } => {
            let mut f = flags(
                pending
                    .iter()
                    .filter_map(|a| match a {
                        cfn_deploy::Approval::Replacement { logical_id, .. } => {
                            Some(logical_id.as_str())
                        }
                        _ => None,
                    })
                    .collect(),
            );
            if pending
                .iter()
                .any(|a| !matches!(a, cfn_deploy::Approval::Replacement { .. }))
            {
                f.push("--allow-broadening".into());
            }
            Some(format!("to approve with --yes, pass {}", f.join(" ")))
        }
        Error::UnknownLogicalIds { .. } => {
            Some("each --allow-replace takes a logical id of the template".into())
        }
        Error::DeleteRefused { refused, .. } => Some(format!(
            "if the data may go, pass {}",
            refused
                .iter()
                .map(|(id, _)| format!("--allow-delete {id}"))
                .collect::<Vec<_>>()
                .join(" ")
        )),
        Error::UnknownAllowed { .. } => {
            Some("each --allow-delete takes a logical id of the stack".into())
        }
        _ => None,
    }
}

/// Deploys `template` as `stack_name` (see [`crate::lifecycle`]).
pub fn deploy(
    stack_name: &str,
    template: Template,
    a: &DeployArgs,
    color: bool,
) -> Result<(), Failure> {
    crate::lifecycle::deploy(stack_name, template, a, None, color).map(|_| ())
}

/// The request `deploy` and `plan` send, from the flags.
pub(crate) fn request(
    stack_name: &str,
    template: Template,
    a: &DeployArgs,
) -> Result<DeployRequest, Failure> {
    let mut req = a
        .inputs
        .apply(DeployRequest::new(stack_name, template).yes(a.yes))?;
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
    req = req.allow_broadening(a.allow_broadening);
    Ok(req)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cli_adds_the_flags_to_refusals() {
        let e = Error::DeleteRefused {
            stack: "web".into(),
            refused: vec![
                ("Table".into(), "AWS::DynamoDB::Table".into()),
                ("Db".into(), "AWS::RDS::DBInstance".into()),
            ],
        };
        let m = message(&e);
        assert!(
            m.ends_with(
                "\n  hint: if the data may go, pass --allow-delete Table --allow-delete Db"
            ),
            "{m}"
        );
        assert!(
            !e.to_string().contains("--"),
            "the library names no flag: {e}"
        );
    }
}

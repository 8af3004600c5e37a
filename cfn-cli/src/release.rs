//! `release` (the `deploy` feature): ships application code to a deployed
//! stack through `cfn-release`: bundle, upload to S3 (SSE-KMS), one
//! CodeDeploy deployment per tier, wait, notify.
//!
//! Exit codes: 0 released (or, with `--wait false`, every deployment
//! created; `--dry-run` printed); 1 a deployment failed, was stopped or was
//! still running when the wait ended (the group rolls back on failure), or a
//! deployment was already in progress; 3 bad input (app directory, AppSpec,
//! hooks, tiers), a stack not deployed or missing outputs, or an AWS call
//! that failed.

use crate::{Failure, Stack};
use cfn_release::{order_tiers, Connection, Error, Release, RunOptions, TierSource, WaitSettings};
use clap::{ArgAction, Args};
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

/// Arguments of `release`.
#[derive(Debug, Clone, Args)]
pub struct ReleaseArgs {
    /// The application directory: one subdirectory per tier (`DIR/web`,
    /// `DIR/backend`), bundled with the tier's typed appspec.yml and hook
    /// scripts.
    #[arg(long, value_name = "DIR")]
    pub app: PathBuf,
    /// Print what would be uploaded and deployed, and stop: no AWS call.
    #[arg(long)]
    pub dry_run: bool,
    /// Wait for each deployment before the next and publish the outcome;
    /// `--wait false` creates every tier's deployment and returns.
    #[arg(long, value_name = "BOOL", default_value_t = true, action = ArgAction::Set)]
    pub wait: bool,
    /// Release these tiers in this order (repeatable); default: every tier
    /// of the stack, by name (backend before web).
    #[arg(long = "tier", value_name = "TIER")]
    pub tiers: Vec<String>,
    /// Seconds to wait for one deployment before giving up on it (it goes on).
    #[arg(long, value_name = "SECONDS", default_value_t = 3600)]
    pub timeout: u64,
    /// Seconds between polls while waiting.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub poll_interval: u64,
    /// The region (else AWS_REGION or the profile's).
    #[arg(long)]
    pub region: Option<String>,
    /// One endpoint for every service, e.g. a local emulator (`http://127.0.0.1:5000`).
    #[arg(long)]
    pub endpoint_url: Option<String>,
    /// The named profile (else AWS_PROFILE or `default`).
    #[arg(long)]
    pub profile: Option<String>,
}

fn failure(e: Error) -> Failure {
    let mut message = e.to_string();
    if let Some(hint) = flag_hint(&e) {
        message.push_str(&format!("\n  hint: {hint}"));
    }
    match e {
        Error::DeploymentInProgress { .. } => Failure::Check(message),
        _ => Failure::Input(message),
    }
}

/// What to do on the command line about a release error, naming the
/// flags (`cfn-release` names none), or `None`.
fn flag_hint(e: &Error) -> Option<String> {
    Some(match e {
        Error::StackNotDeployed { env, .. } => {
            format!("deploy it with `deploy --env {env}`, or check --region and --profile")
        }
        Error::NoRegion => "pass --region (e.g. --region us-east-1)".into(),
        _ => return None,
    })
}

/// Plans the release of `stack` (bundles, checks), then prints it
/// (`--dry-run`) or runs it.
pub fn release(stack: &Stack, a: &ReleaseArgs) -> Result<(), Failure> {
    let tiers = order_tiers(
        &stack.name,
        TierSource::from_stack_files(&stack.name, &stack.files),
        &a.tiers,
    )
    .map_err(failure)?;
    let plan = Release::plan(&stack.name, &stack.env, &a.app, &tiers).map_err(failure)?;
    if a.dry_run {
        print!("{}", plan.dry_run());
        return Ok(());
    }
    let connection = Connection {
        region: a.region.clone(),
        endpoint_url: a.endpoint_url.clone(),
        profile: a.profile.clone(),
    };
    let opts = RunOptions {
        wait: a.wait,
        settings: WaitSettings {
            interval: Duration::from_secs(a.poll_interval.max(1)),
            timeout: Duration::from_secs(a.timeout),
        },
    };
    let report = cfn_release::block_on(async {
        let api = cfn_release::AwsApi::connect(&connection).await?;
        let targets = plan.resolve(&api, api.region()).await?;
        plan.run(&api, &targets, &opts, &mut |p| {
            println!("{p}");
            let _ = std::io::stdout().flush();
        })
        .await
    })
    .map_err(failure)?
    .map_err(failure)?;
    println!();
    print!("{}", report.summary());
    match &report.notification {
        Some(Ok(id)) => println!("notified: message {id}"),
        Some(Err(e)) => eprintln!("warning: the outcome was not published: {e}"),
        None => println!("not waited for: CodeDeploy's triggers notify the topic of each outcome"),
    }
    if report.succeeded() {
        Ok(())
    } else {
        Err(Failure::Check(report.subject()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cli_adds_the_flags() {
        let e = Error::StackNotDeployed {
            stack: "raven-dev".into(),
            env: "dev".into(),
            region: "eu-west-1".into(),
        };
        let Failure::Input(m) = failure(e) else {
            panic!("an input failure")
        };
        assert!(
            m.ends_with(
                "\n  hint: deploy it with `deploy --env dev`, or check --region and --profile"
            ),
            "{m}"
        );
        let Failure::Input(m) = failure(Error::NoRegion) else {
            panic!("an input failure")
        };
        assert!(
            m.ends_with("hint: pass --region (e.g. --region us-east-1)"),
            "{m}"
        );
    }
}

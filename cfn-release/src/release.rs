//! The release flow: plan (bundles, offline), resolve (stack outputs),
//! run (refuse if a group is busy, upload, deploy tier by tier, wait,
//! notify), report.

use crate::api::{DeploymentRequest, ReleaseApi};
use crate::bundle::{build_bundles, Bundle, TierSource};
use crate::error::{Error, Result};
use crate::targets::{OutputNames, Targets};
use crate::wait::{wait_for, Progress, TierOutcome, WaitSettings};
use std::path::Path;

/// The key prefix of bundles in the deployment bucket.
pub const KEY_PREFIX: &str = "revisions/";

/// Stack statuses a release goes ahead on.
const READY: [&str; 4] = [
    "CREATE_COMPLETE",
    "UPDATE_COMPLETE",
    "UPDATE_ROLLBACK_COMPLETE",
    "IMPORT_COMPLETE",
];

/// Puts a stack's tiers in release order: `order` when given (every name
/// must be a tier), else by name (`backend` before `web`).
///
/// ```
/// use cfn_release::{order_tiers, TierSource};
/// let tiers = vec![TierSource::new("web", vec![]), TierSource::new("backend", vec![])];
/// let ordered = order_tiers("raven-dev", tiers.clone(), &[]).unwrap();
/// assert_eq!(ordered[0].tier, "backend");
/// assert!(order_tiers("raven-dev", tiers, &["api".into()]).is_err());
/// ```
pub fn order_tiers(
    stack: &str,
    mut tiers: Vec<TierSource>,
    order: &[String],
) -> Result<Vec<TierSource>> {
    if tiers.is_empty() {
        return Err(Error::NoTiers {
            stack: stack.to_owned(),
        });
    }
    if order.is_empty() {
        tiers.sort_by(|a, b| a.tier.cmp(&b.tier));
        return Ok(tiers);
    }
    let mut out = Vec::new();
    for name in order {
        let Some(pos) = tiers.iter().position(|t| &t.tier == name) else {
            let mut known: Vec<String> = tiers.iter().map(|t| t.tier.clone()).collect();
            known.extend(out.iter().map(|t: &TierSource| t.tier.clone()));
            known.sort();
            return Err(Error::UnknownTier {
                tier: name.clone(),
                stack: stack.to_owned(),
                known,
            });
        };
        out.push(tiers.remove(pos));
    }
    Ok(out)
}

/// A planned release: the stack, its environment and every tier's bundle,
/// built and checked before anything touches AWS.
#[derive(Debug, Clone)]
pub struct Release {
    /// The stack (`raven-staging`).
    pub stack: String,
    /// The environment (`staging`).
    pub env: String,
    /// One bundle per tier, in release order.
    pub bundles: Vec<Bundle>,
    /// The outputs the targets are read from.
    pub names: OutputNames,
}

/// How [`Release::run`] behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunOptions {
    /// Wait for each deployment before the next (and notify the outcome);
    /// `false` creates every tier's deployment and returns.
    pub wait: bool,
    /// Polling.
    pub settings: WaitSettings,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            wait: true,
            settings: WaitSettings::default(),
        }
    }
}

/// One bundle's upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// The tier.
    pub tier: String,
    /// The key.
    pub key: String,
    /// Whether the key was already there (nothing uploaded).
    pub skipped: bool,
}

/// What a release did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The stack.
    pub stack: String,
    /// The environment.
    pub env: String,
    /// The bucket.
    pub bucket: String,
    /// The uploads, in tier order.
    pub uploads: Vec<Upload>,
    /// Each tier's outcome, in release order.
    pub tiers: Vec<(String, TierOutcome)>,
    /// The SNS message id, or why publishing failed; `None` when nothing
    /// was published (`--wait false`).
    pub notification: Option<std::result::Result<String, String>>,
}

impl Report {
    /// Whether every tier succeeded (or, without waiting, was created).
    pub fn succeeded(&self) -> bool {
        self.tiers.iter().all(|(_, o)| o.is_success())
    }

    /// The notification's subject (SNS allows 100 characters).
    pub fn subject(&self) -> String {
        let verdict = match self.tiers.iter().find(|(_, o)| !o.is_success()) {
            None if self
                .tiers
                .iter()
                .any(|(_, o)| matches!(o, TierOutcome::Created { .. })) =>
            {
                "started (deployments created, not waited for)".to_owned()
            }
            None => "succeeded".to_owned(),
            Some((tier, TierOutcome::TimedOut { .. })) => format!("timed out in tier {tier}"),
            Some((tier, _)) => format!("failed in tier {tier}"),
        };
        let s = format!("{} release {verdict}", self.stack);
        s.chars().take(100).collect()
    }

    /// The summary: one block per tier, the failing lifecycle event and its
    /// log tail where known. The same text is printed and published.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "{}\nenvironment: {}\nstack: {}\n",
            self.subject(),
            self.env,
            self.stack
        );
        for (tier, outcome) in &self.tiers {
            let location = self
                .uploads
                .iter()
                .find(|u| &u.tier == tier)
                .map(|u| format!("s3://{}/{}", self.bucket, u.key))
                .unwrap_or_default();
            match outcome {
                TierOutcome::Succeeded { deployment_id } => {
                    s.push_str(&format!("{tier}: succeeded, deployment {deployment_id}, revision {location}\n"))
                }
                TierOutcome::Created { deployment_id } => s.push_str(&format!(
                    "{tier}: created deployment {deployment_id} (not waited for), revision {location}\n"
                )),
                TierOutcome::Failed {
                    deployment_id,
                    status,
                    error,
                    event,
                } => {
                    s.push_str(&format!(
                        "{tier}: {}, deployment {deployment_id}, revision {location}\n",
                        status.as_str().to_lowercase()
                    ));
                    if let Some(e) = error {
                        s.push_str(&format!("  error: {e}\n"));
                    }
                    if let Some(ev) = event {
                        s.push_str(&format!(
                            "  lifecycle event {} failed on {}",
                            ev.event, ev.instance_id
                        ));
                        if let Some(script) = &ev.script {
                            s.push_str(&format!(" (script {script})"));
                        }
                        s.push('\n');
                        if let Some(m) = &ev.message {
                            s.push_str(&format!("  {m}\n"));
                        }
                        if let Some(tail) = &ev.log_tail {
                            s.push_str("  log tail:\n");
                            for line in tail.lines() {
                                s.push_str(&format!("    {line}\n"));
                            }
                        }
                    }
                    s.push_str("  the deployment group rolls back automatically (auto-rollback on failure)\n");
                }
                TierOutcome::TimedOut {
                    deployment_id,
                    status,
                } => s.push_str(&format!(
                    "{tier}: still {} when the wait ended, deployment {deployment_id}; it goes on: `aws deploy get-deployment --deployment-id {deployment_id}`\n",
                    status.as_str()
                )),
                TierOutcome::NotStarted => {
                    s.push_str(&format!("{tier}: not started (an earlier tier did not succeed)\n"))
                }
            }
        }
        s
    }
}

impl Release {
    /// Builds and checks every tier's bundle from `app_dir/{tier}/` (no
    /// AWS). `tiers` are in release order (see [`order_tiers`]).
    pub fn plan(
        stack: impl Into<String>,
        env: impl Into<String>,
        app_dir: &Path,
        tiers: &[TierSource],
    ) -> Result<Release> {
        Ok(Release {
            stack: stack.into(),
            env: env.into(),
            bundles: build_bundles(app_dir, tiers)?,
            names: OutputNames::default(),
        })
    }

    /// Reads the outputs from other names.
    pub fn with_output_names(mut self, names: OutputNames) -> Self {
        self.names = names;
        self
    }

    /// The tiers, in release order.
    pub fn tiers(&self) -> Vec<String> {
        self.bundles.iter().map(|b| b.tier.clone()).collect()
    }

    /// What [`Release::run`] would upload and deploy (`--dry-run`): each
    /// bundle's key, size, SHA-256 and files, and the outputs naming the
    /// bucket, application and groups. Deterministic.
    pub fn dry_run(&self) -> String {
        let n = &self.names;
        let mut s = format!(
            "release of stack {} (environment {}), dry run: nothing is uploaded or deployed\n",
            self.stack, self.env
        );
        s.push_str(&format!(
            "bucket: output {} of {}, SSE-KMS with output {}\napplication: output {}\n",
            n.bucket, self.stack, n.key, n.application
        ));
        for (i, b) in self.bundles.iter().enumerate() {
            s.push_str(&format!(
                "\n{}. tier {}: deployment group from output {}\n   upload {} ({} bytes, sha256 {}), skipped if present\n",
                i + 1,
                b.tier,
                n.group(&b.tier),
                b.key(KEY_PREFIX),
                b.bytes.len(),
                b.sha256
            ));
            for line in b.listing().lines() {
                s.push_str(&format!("   {line}\n"));
            }
        }
        s.push_str(&format!(
            "\nthen: wait for each deployment, stop at the first failure (the group rolls back), publish the outcome to output {}\n",
            n.topic
        ));
        s
    }

    /// Reads the deployed stack's outputs.
    ///
    /// Errors: [`Error::StackNotDeployed`], [`Error::StackNotReady`],
    /// [`Error::MissingOutputs`].
    pub async fn resolve<A: ReleaseApi>(&self, api: &A, region: &str) -> Result<Targets> {
        let Some(stack) = api.describe_stack(&self.stack).await? else {
            return Err(Error::StackNotDeployed {
                stack: self.stack.clone(),
                env: self.env.clone(),
                region: region.to_owned(),
            });
        };
        if !READY.contains(&stack.status.as_str()) {
            return Err(Error::StackNotReady {
                stack: self.stack.clone(),
                status: stack.status,
            });
        }
        Targets::from_outputs(&self.stack, &stack.outputs, &self.tiers(), &self.names)
    }

    /// Runs the release: refuses when any group has an unfinished
    /// deployment (before uploading anything), uploads each bundle unless
    /// its key exists, then per tier creates a deployment and (with
    /// `opts.wait`) waits for it, stopping at the first tier that does not
    /// succeed; publishes the outcome to the topic (when waiting).
    ///
    /// A failed deployment is an outcome in the [`Report`], not an error.
    pub async fn run<A: ReleaseApi>(
        &self,
        api: &A,
        targets: &Targets,
        opts: &RunOptions,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Report> {
        for b in &self.bundles {
            let group = self.group(targets, &b.tier)?;
            if let Some(id) = api
                .active_deployments(&targets.application, group)
                .await?
                .into_iter()
                .next()
            {
                return Err(Error::DeploymentInProgress {
                    tier: b.tier.clone(),
                    group: group.to_owned(),
                    deployment_id: id,
                });
            }
        }
        let mut uploads = Vec::new();
        for b in &self.bundles {
            let key = b.key(KEY_PREFIX);
            let location = format!("s3://{}/{key}", targets.bucket);
            let skipped = api.object_exists(&targets.bucket, &key).await?;
            if skipped {
                progress(Progress::AlreadyUploaded {
                    tier: b.tier.clone(),
                    location,
                });
            } else {
                progress(Progress::Uploading {
                    tier: b.tier.clone(),
                    location,
                    bytes: b.bytes.len(),
                });
                api.put_object(&targets.bucket, &key, b.bytes.clone(), &targets.key_arn)
                    .await?;
            }
            uploads.push(Upload {
                tier: b.tier.clone(),
                key,
                skipped,
            });
        }
        let mut tiers: Vec<(String, TierOutcome)> = Vec::new();
        for (b, u) in self.bundles.iter().zip(&uploads) {
            if tiers.iter().any(|(_, o)| !o.is_success()) {
                tiers.push((b.tier.clone(), TierOutcome::NotStarted));
                continue;
            }
            let group = self.group(targets, &b.tier)?;
            let id = api
                .create_deployment(&DeploymentRequest {
                    application: targets.application.clone(),
                    group: group.to_owned(),
                    bucket: targets.bucket.clone(),
                    key: u.key.clone(),
                    description: format!(
                        "{} release of tier {}, sha256 {}",
                        self.stack, b.tier, b.sha256
                    ),
                })
                .await?;
            progress(Progress::Created {
                tier: b.tier.clone(),
                deployment_id: id.clone(),
                group: group.to_owned(),
            });
            let outcome = if opts.wait {
                wait_for(api, &b.tier, &id, &opts.settings, progress).await?
            } else {
                TierOutcome::Created { deployment_id: id }
            };
            tiers.push((b.tier.clone(), outcome));
        }
        let mut report = Report {
            stack: self.stack.clone(),
            env: self.env.clone(),
            bucket: targets.bucket.clone(),
            uploads,
            tiers,
            notification: None,
        };
        if opts.wait {
            report.notification = Some(
                api.publish(&targets.topic_arn, &report.subject(), &report.summary())
                    .await
                    .map_err(|e| e.to_string()),
            );
        }
        Ok(report)
    }

    fn group<'t>(&self, targets: &'t Targets, tier: &str) -> Result<&'t str> {
        targets
            .groups
            .get(tier)
            .map(String::as_str)
            .ok_or_else(|| Error::MissingOutputs {
                stack: self.stack.clone(),
                missing: vec![self.names.group(tier)],
            })
    }
}

//! Waiting for one deployment: live progress (deployment status and
//! instance lifecycle events), and the outcome with the failing lifecycle
//! event and its log tail.

use crate::api::{DeploymentStatus, InstanceState, ReleaseApi};
use crate::error::Result;
use std::fmt;
use std::time::Duration;

/// How often to poll and how long to wait for one deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitSettings {
    /// Time between polls.
    pub interval: Duration,
    /// Give up waiting (the deployment goes on) after this long.
    pub timeout: Duration,
}

impl Default for WaitSettings {
    /// Polls every 10 s for up to an hour (CodeDeploy's longest hook
    /// timeout).
    fn default() -> Self {
        WaitSettings {
            interval: Duration::from_secs(10),
            timeout: Duration::from_secs(3600),
        }
    }
}

/// Something that happened during a release, for live output.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Progress {
    /// A bundle is being uploaded.
    Uploading {
        /// The tier.
        tier: String,
        /// `s3://bucket/key`.
        location: String,
        /// Its size.
        bytes: usize,
    },
    /// The bundle was already there (same content, same key).
    AlreadyUploaded {
        /// The tier.
        tier: String,
        /// `s3://bucket/key`.
        location: String,
    },
    /// A deployment was created.
    Created {
        /// The tier.
        tier: String,
        /// The deployment id.
        deployment_id: String,
        /// The group.
        group: String,
    },
    /// A deployment's status changed.
    Status {
        /// The tier.
        tier: String,
        /// The deployment id.
        deployment_id: String,
        /// The new status.
        status: String,
    },
    /// A lifecycle event on an instance changed status.
    Lifecycle {
        /// The tier.
        tier: String,
        /// The instance.
        instance_id: String,
        /// The event (`AfterInstall`).
        event: String,
        /// Its status.
        status: String,
    },
}

impl fmt::Display for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Progress::Uploading {
                tier,
                location,
                bytes,
            } => {
                write!(f, "{tier}: uploading {location} ({bytes} bytes, SSE-KMS)")
            }
            Progress::AlreadyUploaded { tier, location } => {
                write!(f, "{tier}: {location} is already uploaded (same content)")
            }
            Progress::Created {
                tier,
                deployment_id,
                group,
            } => write!(
                f,
                "{tier}: deployment {deployment_id} created in group {group}"
            ),
            Progress::Status {
                tier,
                deployment_id,
                status,
            } => write!(f, "{tier}: deployment {deployment_id} {status}"),
            Progress::Lifecycle {
                tier,
                instance_id,
                event,
                status,
            } => write!(f, "{tier}: {instance_id} {event} {status}"),
        }
    }
}

/// The lifecycle event that failed, and what CodeDeploy kept of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedEvent {
    /// The instance.
    pub instance_id: String,
    /// The event (`AfterInstall`).
    pub event: String,
    /// The script that failed.
    pub script: Option<String>,
    /// The error code and message.
    pub message: Option<String>,
    /// The end of the script's output.
    pub log_tail: Option<String>,
}

/// What became of one tier's deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TierOutcome {
    /// Deployed.
    Succeeded {
        /// The deployment id.
        deployment_id: String,
    },
    /// Created and not waited for (`--wait false`).
    Created {
        /// The deployment id.
        deployment_id: String,
    },
    /// Failed or stopped; the group's automatic rollback takes over.
    Failed {
        /// The deployment id.
        deployment_id: String,
        /// `Failed` or `Stopped`.
        status: DeploymentStatus,
        /// CodeDeploy's error information.
        error: Option<String>,
        /// The first failed lifecycle event, when one is known.
        event: Option<FailedEvent>,
    },
    /// Still running when the wait ended; the deployment goes on.
    TimedOut {
        /// The deployment id.
        deployment_id: String,
        /// The last status seen.
        status: DeploymentStatus,
    },
    /// Not attempted: an earlier tier did not succeed.
    NotStarted,
}

impl TierOutcome {
    /// Whether the release may go on to the next tier.
    pub fn is_success(&self) -> bool {
        matches!(self, Self::Succeeded { .. } | Self::Created { .. })
    }
}

/// Polls deployment `id` of `tier` until it finishes or `settings.timeout`
/// passes, reporting every status and lifecycle-event change to `progress`.
///
/// ```no_run
/// # async fn f(api: cfn_release::AwsApi) -> cfn_release::Result<()> {
/// let outcome = cfn_release::wait_for(&api, "web", "d-ABC123", &Default::default(), &mut |p| println!("{p}")).await?;
/// println!("{outcome:?}");
/// # Ok(()) }
/// ```
pub async fn wait_for<A: ReleaseApi>(
    api: &A,
    tier: &str,
    id: &str,
    settings: &WaitSettings,
    progress: &mut dyn FnMut(Progress),
) -> Result<TierOutcome> {
    let started = tokio::time::Instant::now();
    let mut last_status: Option<DeploymentStatus> = None;
    let mut seen: Vec<(String, String, String)> = Vec::new();
    loop {
        let state = api.deployment(id).await?;
        let mut report_status = |status: &DeploymentStatus, progress: &mut dyn FnMut(Progress)| {
            if last_status.as_ref() != Some(status) {
                progress(Progress::Status {
                    tier: tier.to_owned(),
                    deployment_id: id.to_owned(),
                    status: status.as_str().to_owned(),
                });
                last_status = Some(status.clone());
            }
        };
        if !state.status.is_final() {
            report_status(&state.status, progress);
        }
        let instances = if matches!(
            state.status,
            DeploymentStatus::Created | DeploymentStatus::Queued
        ) {
            Vec::new()
        } else {
            api.instances(id).await?
        };
        for i in &instances {
            for e in &i.events {
                let key = (i.instance_id.clone(), e.name.clone(), e.status.clone());
                if e.status != "Pending" && !seen.contains(&key) {
                    progress(Progress::Lifecycle {
                        tier: tier.to_owned(),
                        instance_id: i.instance_id.clone(),
                        event: e.name.clone(),
                        status: e.status.clone(),
                    });
                    seen.push(key);
                }
            }
        }
        // a final status is said after the events that led to it
        if state.status.is_final() {
            report_status(&state.status, progress);
        }
        match state.status {
            DeploymentStatus::Succeeded => {
                return Ok(TierOutcome::Succeeded {
                    deployment_id: id.to_owned(),
                })
            }
            DeploymentStatus::Failed | DeploymentStatus::Stopped => {
                return Ok(TierOutcome::Failed {
                    deployment_id: id.to_owned(),
                    status: state.status,
                    error: state.error,
                    event: first_failure(&instances),
                })
            }
            _ => {}
        }
        if started.elapsed() >= settings.timeout {
            return Ok(TierOutcome::TimedOut {
                deployment_id: id.to_owned(),
                status: state.status,
            });
        }
        tokio::time::sleep(settings.interval).await;
    }
}

/// The first failed lifecycle event, instances in id order.
fn first_failure(instances: &[InstanceState]) -> Option<FailedEvent> {
    instances.iter().find_map(|i| {
        i.events
            .iter()
            .find(|e| e.status == "Failed")
            .map(|e| FailedEvent {
                instance_id: i.instance_id.clone(),
                event: e.name.clone(),
                script: e.script.clone(),
                message: e.message.clone(),
                log_tail: e.log_tail.clone(),
            })
    })
}

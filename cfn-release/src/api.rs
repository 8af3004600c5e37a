//! The AWS calls a release makes, behind one small trait ([`ReleaseApi`]),
//! and their implementation through the AWS SDK ([`AwsApi`]). Tests drive
//! the release logic with a scripted implementation instead.

use crate::error::{chain, Error, Result};
use indexmap::IndexMap;
use std::future::Future;

/// A deployed stack, as far as a release cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeployedStack {
    /// `CREATE_COMPLETE`, ...
    pub status: String,
    /// Its outputs, key to value, in the order the API gives them.
    pub outputs: IndexMap<String, String>,
}

/// A CodeDeploy deployment to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploymentRequest {
    /// The application.
    pub application: String,
    /// The deployment group.
    pub group: String,
    /// The bucket holding the revision.
    pub bucket: String,
    /// The revision's key (a zip).
    pub key: String,
    /// A description (`raven-staging release of web, sha256 ...`).
    pub description: String,
}

/// A deployment's status (CodeDeploy's `DeploymentStatus`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeploymentStatus {
    /// Created, not started.
    Created,
    /// Waiting for another deployment.
    Queued,
    /// Running.
    InProgress,
    /// Done, in its bake time.
    Baking,
    /// Blue/green: waiting to reroute traffic.
    Ready,
    /// Finished well.
    Succeeded,
    /// Finished badly (the group rolls back if configured).
    Failed,
    /// Stopped by someone or by an alarm.
    Stopped,
    /// A status this crate does not know.
    Other(String),
}

impl DeploymentStatus {
    /// From CodeDeploy's name (`InProgress`).
    pub fn parse(s: &str) -> Self {
        match s {
            "Created" => Self::Created,
            "Queued" => Self::Queued,
            "InProgress" => Self::InProgress,
            "Baking" => Self::Baking,
            "Ready" => Self::Ready,
            "Succeeded" => Self::Succeeded,
            "Failed" => Self::Failed,
            "Stopped" => Self::Stopped,
            other => Self::Other(other.to_owned()),
        }
    }
    /// CodeDeploy's name.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Created => "Created",
            Self::Queued => "Queued",
            Self::InProgress => "InProgress",
            Self::Baking => "Baking",
            Self::Ready => "Ready",
            Self::Succeeded => "Succeeded",
            Self::Failed => "Failed",
            Self::Stopped => "Stopped",
            Self::Other(s) => s,
        }
    }
    /// Whether the deployment has finished (well or not).
    pub fn is_final(&self) -> bool {
        matches!(self, Self::Succeeded | Self::Failed | Self::Stopped)
    }
    /// The statuses of a deployment that has not finished, as
    /// `ListDeployments` filters them.
    pub const ACTIVE: [&'static str; 5] = ["Created", "Queued", "InProgress", "Baking", "Ready"];
}

/// A deployment's state at one poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploymentState {
    /// The status.
    pub status: DeploymentStatus,
    /// CodeDeploy's error code and message, when it failed or stopped.
    pub error: Option<String>,
}

/// One lifecycle event on one instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LifecycleEvent {
    /// `AfterInstall`, ...
    pub name: String,
    /// `Pending`, `InProgress`, `Succeeded`, `Failed`, `Skipped`, `Unknown`.
    pub status: String,
    /// The failing script, when it failed.
    pub script: Option<String>,
    /// The error code and message, when it failed.
    pub message: Option<String>,
    /// The last lines of the script's output (CodeDeploy keeps 4 KiB).
    pub log_tail: Option<String>,
}

/// One instance of a deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceState {
    /// The instance id.
    pub instance_id: String,
    /// `Pending`, `InProgress`, `Succeeded`, `Failed`, ...
    pub status: String,
    /// Its lifecycle events, in order.
    pub events: Vec<LifecycleEvent>,
}

/// The AWS calls of a release. [`AwsApi`] makes them through the SDK;
/// tests script them.
pub trait ReleaseApi {
    /// DescribeStacks: the stack, or `None` when it does not exist.
    fn describe_stack(&self, stack: &str) -> impl Future<Output = Result<Option<DeployedStack>>>;
    /// HeadObject: whether the key exists.
    fn object_exists(&self, bucket: &str, key: &str) -> impl Future<Output = Result<bool>>;
    /// PutObject with SSE-KMS under `kms_key_arn`.
    fn put_object(
        &self,
        bucket: &str,
        key: &str,
        body: Vec<u8>,
        kms_key_arn: &str,
    ) -> impl Future<Output = Result<()>>;
    /// ListDeployments of a group that have not finished.
    fn active_deployments(
        &self,
        application: &str,
        group: &str,
    ) -> impl Future<Output = Result<Vec<String>>>;
    /// CreateDeployment; returns the deployment id.
    fn create_deployment(&self, req: &DeploymentRequest) -> impl Future<Output = Result<String>>;
    /// GetDeployment.
    fn deployment(&self, id: &str) -> impl Future<Output = Result<DeploymentState>>;
    /// The deployment's instances with their lifecycle events.
    fn instances(&self, id: &str) -> impl Future<Output = Result<Vec<InstanceState>>>;
    /// SNS Publish; returns the message id.
    fn publish(
        &self,
        topic_arn: &str,
        subject: &str,
        message: &str,
    ) -> impl Future<Output = Result<String>>;
}

/// How to reach AWS.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Connection {
    /// The region (else the environment's or the profile's).
    pub region: Option<String>,
    /// One endpoint for every service, e.g. a local emulator.
    pub endpoint_url: Option<String>,
    /// The named profile.
    pub profile: Option<String>,
}

/// [`ReleaseApi`] through the AWS SDK (CloudFormation, S3, CodeDeploy, SNS).
#[derive(Debug, Clone)]
pub struct AwsApi {
    cfn: aws_sdk_cloudformation::Client,
    s3: aws_sdk_s3::Client,
    codedeploy: aws_sdk_codedeploy::Client,
    sns: aws_sdk_sns::Client,
    region: String,
}

fn aws<E: std::error::Error + 'static>(
    service: &'static str,
    operation: &'static str,
) -> impl Fn(E) -> Error {
    move |e| Error::Aws {
        service,
        operation,
        message: chain(&e),
    }
}

impl AwsApi {
    /// Loads the AWS configuration (environment, shared files, `c`) and
    /// builds the four clients. With an endpoint URL, S3 uses path-style
    /// addressing (emulators on `127.0.0.1` have no bucket host names).
    ///
    /// ```no_run
    /// # async fn f() -> cfn_release::Result<()> {
    /// let api = cfn_release::AwsApi::connect(&cfn_release::Connection::default()).await?;
    /// println!("{}", api.region());
    /// # Ok(()) }
    /// ```
    pub async fn connect(c: &Connection) -> Result<Self> {
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
        if let Some(r) = &c.region {
            loader = loader.region(aws_config::Region::new(r.clone()));
        }
        if let Some(u) = &c.endpoint_url {
            loader = loader.endpoint_url(u.clone());
        }
        if let Some(p) = &c.profile {
            loader = loader.profile_name(p.clone());
        }
        let config = loader.load().await;
        let region = config.region().ok_or(Error::NoRegion)?.to_string();
        let s3_config = aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(c.endpoint_url.is_some())
            .build();
        Ok(AwsApi {
            cfn: aws_sdk_cloudformation::Client::new(&config),
            s3: aws_sdk_s3::Client::from_conf(s3_config),
            codedeploy: aws_sdk_codedeploy::Client::new(&config),
            sns: aws_sdk_sns::Client::new(&config),
            region,
        })
    }

    /// The region the clients talk to.
    pub fn region(&self) -> &str {
        &self.region
    }
}

impl ReleaseApi for AwsApi {
    async fn describe_stack(&self, stack: &str) -> Result<Option<DeployedStack>> {
        let out = match self.cfn.describe_stacks().stack_name(stack).send().await {
            Ok(o) => o,
            Err(e) => {
                let gone = e
                    .as_service_error()
                    .and_then(|s| s.meta().message())
                    .is_some_and(|m| m.contains("does not exist"));
                return if gone {
                    Ok(None)
                } else {
                    Err(aws("cloudformation", "DescribeStacks")(e))
                };
            }
        };
        let Some(s) = out.stacks().first() else {
            return Ok(None);
        };
        Ok(Some(DeployedStack {
            status: s
                .stack_status()
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
            outputs: s
                .outputs()
                .iter()
                .filter_map(|o| Some((o.output_key()?.to_owned(), o.output_value()?.to_owned())))
                .collect(),
        }))
    }

    async fn object_exists(&self, bucket: &str, key: &str) -> Result<bool> {
        match self.s3.head_object().bucket(bucket).key(key).send().await {
            Ok(_) => Ok(true),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_not_found()) => Ok(false),
            Err(e) => Err(aws("s3", "HeadObject")(e)),
        }
    }

    async fn put_object(&self, bucket: &str, key: &str, body: Vec<u8>, kms: &str) -> Result<()> {
        self.s3
            .put_object()
            .bucket(bucket)
            .key(key)
            .content_type("application/zip")
            .server_side_encryption(aws_sdk_s3::types::ServerSideEncryption::AwsKms)
            .ssekms_key_id(kms)
            .body(body.into())
            .send()
            .await
            .map_err(aws("s3", "PutObject"))?;
        Ok(())
    }

    async fn active_deployments(&self, application: &str, group: &str) -> Result<Vec<String>> {
        use aws_sdk_codedeploy::types::DeploymentStatus as S;
        let mut ids = Vec::new();
        let mut token = None;
        loop {
            let out = self
                .codedeploy
                .list_deployments()
                .application_name(application)
                .deployment_group_name(group)
                .set_include_only_statuses(Some(
                    DeploymentStatus::ACTIVE
                        .iter()
                        .map(|s| S::from(*s))
                        .collect(),
                ))
                .set_next_token(token)
                .send()
                .await
                .map_err(aws("codedeploy", "ListDeployments"))?;
            ids.extend(out.deployments().iter().cloned());
            token = out.next_token().map(str::to_owned);
            if token.is_none() {
                return Ok(ids);
            }
        }
    }

    async fn create_deployment(&self, req: &DeploymentRequest) -> Result<String> {
        use aws_sdk_codedeploy::types::{
            BundleType, RevisionLocation, RevisionLocationType, S3Location,
        };
        let out = self
            .codedeploy
            .create_deployment()
            .application_name(&req.application)
            .deployment_group_name(&req.group)
            .description(&req.description)
            .revision(
                RevisionLocation::builder()
                    .revision_type(RevisionLocationType::S3)
                    .s3_location(
                        S3Location::builder()
                            .bucket(&req.bucket)
                            .key(&req.key)
                            .bundle_type(BundleType::Zip)
                            .build(),
                    )
                    .build(),
            )
            .send()
            .await
            .map_err(aws("codedeploy", "CreateDeployment"))?;
        out.deployment_id()
            .map(str::to_owned)
            .ok_or_else(|| Error::Aws {
                service: "codedeploy",
                operation: "CreateDeployment",
                message: "the answer has no deployment id".into(),
            })
    }

    async fn deployment(&self, id: &str) -> Result<DeploymentState> {
        let out = self
            .codedeploy
            .get_deployment()
            .deployment_id(id)
            .send()
            .await
            .map_err(aws("codedeploy", "GetDeployment"))?;
        let info = out.deployment_info();
        Ok(DeploymentState {
            status: DeploymentStatus::parse(
                info.and_then(|i| i.status())
                    .map(|s| s.as_str())
                    .unwrap_or("Unknown"),
            ),
            error: info.and_then(|i| i.error_information()).map(|e| {
                let code = e.code().map(|c| c.as_str()).unwrap_or("");
                let msg = e.message().unwrap_or("");
                if code.is_empty() {
                    msg.to_owned()
                } else {
                    format!("{code}: {msg}")
                }
            }),
        })
    }

    async fn instances(&self, id: &str) -> Result<Vec<InstanceState>> {
        let mut target_ids = Vec::new();
        let mut token = None;
        loop {
            let out = self
                .codedeploy
                .list_deployment_targets()
                .deployment_id(id)
                .set_next_token(token)
                .send()
                .await
                .map_err(aws("codedeploy", "ListDeploymentTargets"))?;
            target_ids.extend(out.target_ids().iter().cloned());
            token = out.next_token().map(str::to_owned);
            if token.is_none() {
                break;
            }
        }
        let mut instances = Vec::new();
        for chunk in target_ids.chunks(25) {
            let out = self
                .codedeploy
                .batch_get_deployment_targets()
                .deployment_id(id)
                .set_target_ids(Some(chunk.to_vec()))
                .send()
                .await
                .map_err(aws("codedeploy", "BatchGetDeploymentTargets"))?;
            for t in out.deployment_targets() {
                let Some(i) = t.instance_target() else {
                    continue;
                };
                instances.push(InstanceState {
                    instance_id: i.target_id().unwrap_or_default().to_owned(),
                    status: i
                        .status()
                        .map(|s| s.as_str().to_owned())
                        .unwrap_or_default(),
                    events: i
                        .lifecycle_events()
                        .iter()
                        .map(|e| {
                            let d = e.diagnostics();
                            LifecycleEvent {
                                name: e.lifecycle_event_name().unwrap_or_default().to_owned(),
                                status: e
                                    .status()
                                    .map(|s| s.as_str().to_owned())
                                    .unwrap_or_default(),
                                script: d.and_then(|d| d.script_name()).map(str::to_owned),
                                message: d.and_then(|d| {
                                    let m = d.message()?;
                                    Some(match d.error_code() {
                                        Some(c) => format!("{}: {m}", c.as_str()),
                                        None => m.to_owned(),
                                    })
                                }),
                                log_tail: d
                                    .and_then(|d| d.log_tail())
                                    .filter(|t| !t.is_empty())
                                    .map(str::to_owned),
                            }
                        })
                        .collect(),
                });
            }
        }
        instances.sort_by(|a, b| a.instance_id.cmp(&b.instance_id));
        Ok(instances)
    }

    async fn publish(&self, topic_arn: &str, subject: &str, message: &str) -> Result<String> {
        let out = self
            .sns
            .publish()
            .topic_arn(topic_arn)
            .subject(subject)
            .message(message)
            .send()
            .await
            .map_err(aws("sns", "Publish"))?;
        Ok(out.message_id().unwrap_or_default().to_owned())
    }
}

//! The client: connecting, deploying through change sets, streaming events,
//! deleting, reading a deployed template.

use crate::error::{Error, ResourceFailure, Result};
use crate::plan::{
    is_failure, is_no_changes_reason, is_terminal, next_step, Action, Capability, ChangeSetKind,
    NextStep, Plan, Replacement, ResourceChange,
};
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use aws_sdk_cloudformation::config::ProvideCredentials;
use aws_sdk_cloudformation::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_cloudformation::primitives::DateTimeFormat;
use aws_sdk_cloudformation::types::{self as sdk, ChangeSetType, TemplateStage};
use aws_sdk_cloudformation::Client;
use cfn_core::Template;
use cfn_tools::diff::{diff, SchemaFacts, StaticFacts};
use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The largest template CloudFormation accepts as `TemplateBody`, in bytes.
pub const TEMPLATE_BODY_LIMIT: usize = 51_200;

/// How to reach CloudFormation. Everything unset comes from the environment
/// and the shared config files, as with the AWS CLI.
///
/// ```
/// let opts = cfn_deploy::ConnectOptions::new()
///     .region("eu-west-1")
///     .endpoint_url("http://127.0.0.1:5000");
/// assert_eq!(opts.region.as_deref(), Some("eu-west-1"));
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ConnectOptions {
    /// Region (`--region`); else `AWS_REGION` or the profile's.
    pub region: Option<String>,
    /// Endpoint URL (`--endpoint-url`), e.g. a local moto server.
    pub endpoint_url: Option<String>,
    /// Named profile; else `AWS_PROFILE` or `default`.
    pub profile: Option<String>,
    /// Attempts per API call, with exponential backoff and jitter on
    /// throttling and transient errors (default 6).
    pub max_attempts: u32,
    /// Timeout to connect to the endpoint (default 10 s).
    pub connect_timeout: Duration,
    /// Timeout of one attempt of one API call (default 60 s).
    pub attempt_timeout: Duration,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        Self {
            region: None,
            endpoint_url: None,
            profile: None,
            max_attempts: 6,
            connect_timeout: Duration::from_secs(10),
            attempt_timeout: Duration::from_secs(60),
        }
    }
}

impl ConnectOptions {
    /// Defaults: everything from the environment.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets the region.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }
    /// Sets the endpoint URL.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }
    /// Sets the named profile.
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }
    /// Sets the attempts per API call (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }
    /// Sets the connect timeout.
    pub fn connect_timeout(mut self, t: Duration) -> Self {
        self.connect_timeout = t;
        self
    }
    /// Sets the per-attempt timeout.
    pub fn attempt_timeout(mut self, t: Duration) -> Self {
        self.attempt_timeout = t;
        self
    }
}

/// How often to poll and how long to wait.
///
/// ```
/// use std::time::Duration;
/// let p = cfn_deploy::PollSettings::new().interval(Duration::from_millis(200));
/// assert_eq!(p.interval, Duration::from_millis(200));
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PollSettings {
    /// Pause between two polls (default 5 s).
    pub interval: Duration,
    /// How long a change set may take to be created (default 10 min).
    pub change_set_timeout: Duration,
    /// How long a stack operation may take (default 2 h).
    pub stack_timeout: Duration,
}

impl Default for PollSettings {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(5),
            change_set_timeout: Duration::from_secs(600),
            stack_timeout: Duration::from_secs(7200),
        }
    }
}

impl PollSettings {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets the pause between polls.
    pub fn interval(mut self, d: Duration) -> Self {
        self.interval = d;
        self
    }
    /// Sets the change set timeout.
    pub fn change_set_timeout(mut self, d: Duration) -> Self {
        self.change_set_timeout = d;
        self
    }
    /// Sets the stack operation timeout.
    pub fn stack_timeout(mut self, d: Duration) -> Self {
        self.stack_timeout = d;
        self
    }
}

/// What to deploy and how.
///
/// ```
/// use cfn_deploy::{Capability, DeployRequest};
/// let t = cfn_core::Template::from_yaml("Resources:\n  T:\n    Type: AWS::SNS::Topic\n").unwrap();
/// let req = DeployRequest::new("app-dev", t)
///     .parameter("Env", "dev")
///     .tag("team", "raven")
///     .capability(Capability::Iam)
///     .allow_replace("Assets")
///     .yes(true);
/// assert_eq!(req.parameters, [("Env".to_string(), "dev".to_string())]);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DeployRequest {
    /// The stack name.
    pub stack_name: String,
    /// The template, sent as compact JSON.
    pub template: Template,
    /// Parameter values, by name.
    pub parameters: Vec<(String, String)>,
    /// Stack tags (CloudFormation propagates them to the resources).
    pub tags: Vec<(String, String)>,
    /// Acknowledged capabilities.
    pub capabilities: Vec<Capability>,
    /// Turn termination protection on or off after the deploy; `None` leaves it.
    pub termination_protection: Option<bool>,
    /// Logical ids of stateful resources that may be replaced or deleted.
    pub allow_replace: Vec<String>,
    /// Execute without asking.
    pub yes: bool,
    /// Check the template with ValidateTemplate first (default true).
    pub validate: bool,
}

impl DeployRequest {
    /// A request with no parameters, tags or capabilities, that asks before
    /// executing.
    pub fn new(stack_name: impl Into<String>, template: Template) -> Self {
        Self {
            stack_name: stack_name.into(),
            template,
            parameters: Vec::new(),
            tags: Vec::new(),
            capabilities: Vec::new(),
            termination_protection: None,
            allow_replace: Vec::new(),
            yes: false,
            validate: true,
        }
    }
    /// Adds a parameter value.
    pub fn parameter(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.parameters.push((key.into(), value.into()));
        self
    }
    /// Adds a stack tag.
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.push((key.into(), value.into()));
        self
    }
    /// Acknowledges a capability.
    pub fn capability(mut self, c: Capability) -> Self {
        if !self.capabilities.contains(&c) {
            self.capabilities.push(c);
        }
        self
    }
    /// Sets termination protection after the deploy.
    pub fn termination_protection(mut self, on: bool) -> Self {
        self.termination_protection = Some(on);
        self
    }
    /// Allows replacing or deleting the stateful resource with this logical id.
    pub fn allow_replace(mut self, logical_id: impl Into<String>) -> Self {
        self.allow_replace.push(logical_id.into());
        self
    }
    /// Executes without asking.
    pub fn yes(mut self, yes: bool) -> Self {
        self.yes = yes;
        self
    }
    /// Turns the pre-flight ValidateTemplate call on or off.
    pub fn validate(mut self, on: bool) -> Self {
        self.validate = on;
        self
    }
}

/// One stack event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackEvent {
    /// The event id.
    pub event_id: String,
    /// When, as RFC 3339 (`2026-01-31T12:00:00.123Z`).
    pub timestamp: String,
    /// Logical id (the stack name for the stack itself).
    pub logical_id: String,
    /// Physical id, if known.
    pub physical_id: Option<String>,
    /// Resource type.
    pub resource_type: String,
    /// Status (`CREATE_IN_PROGRESS`, `UPDATE_FAILED`, ...).
    pub status: String,
    /// Why, if CloudFormation said.
    pub reason: Option<String>,
}

impl fmt::Display for StackEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}  {:<28}  {}  {}",
            self.timestamp, self.status, self.logical_id, self.resource_type
        )?;
        if let Some(r) = self.reason.as_deref().filter(|r| !r.is_empty()) {
            write!(f, "  {r}")?;
        }
        Ok(())
    }
}

/// What happens during a deploy, for the user to see.
#[derive(Debug)]
#[non_exhaustive]
pub enum Progress<'a> {
    /// A note, e.g. that a failed stack is deleted before being created again.
    Notice(&'a str),
    /// The change set is ready: show it (before [`Confirm::confirm`]).
    Plan(&'a Plan),
    /// A new stack event, in order.
    Event(&'a StackEvent),
}

/// Receives [`Progress`]. Any `FnMut(Progress<'_>) + Send` closure is one.
pub trait Report: Send {
    /// Called for each step, in order.
    fn report(&mut self, progress: Progress<'_>);
}

impl<F: FnMut(Progress<'_>) + Send> Report for F {
    fn report(&mut self, progress: Progress<'_>) {
        self(progress)
    }
}

/// Discards every report.
#[derive(Debug, Clone, Copy, Default)]
pub struct Quiet;

impl Report for Quiet {
    fn report(&mut self, _: Progress<'_>) {}
}

/// Asks the user whether to execute a change set. Any
/// `FnMut(&Plan) -> bool + Send` closure is one. Not called when the
/// request says `yes`. It runs on the async task: blocking on a terminal
/// prompt is fine with a current-thread runtime (see [`crate::block_on`]).
pub trait Confirm: Send {
    /// `true` to execute.
    fn confirm(&mut self, plan: &Plan) -> bool;
}

impl<F: FnMut(&Plan) -> bool + Send> Confirm for F {
    fn confirm(&mut self, plan: &Plan) -> bool {
        self(plan)
    }
}

/// How a deploy ended, when it did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// The stack was created.
    Created,
    /// The stack was updated.
    Updated,
    /// Nothing to change; the empty change set was deleted.
    NoChanges,
    /// The user said no; the change set was deleted (and the empty stack a
    /// create change set leaves behind).
    Declined,
}

/// The result of a deploy that did not fail.
#[derive(Debug, Clone)]
pub struct DeployReport {
    /// The stack name.
    pub stack_name: String,
    /// The stack id (ARN), when the stack exists.
    pub stack_id: Option<String>,
    /// How it ended.
    pub outcome: Outcome,
    /// The final stack status (`CREATE_COMPLETE`, ...), when executed.
    pub status: Option<String>,
    /// The change set shown, unless there were no changes.
    pub plan: Option<Plan>,
    /// Whether a stack in ROLLBACK_COMPLETE was deleted first.
    pub recreated: bool,
    /// The events of the execution, in order.
    pub events: Vec<StackEvent>,
}

/// How a delete ended, when it did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeleteOutcome {
    /// The stack was deleted.
    Deleted,
    /// There was no such stack: nothing to do.
    NotFound,
}

/// A stack's current state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackInfo {
    /// The stack id (ARN).
    pub stack_id: String,
    /// The stack status.
    pub status: String,
    /// The status reason, if any.
    pub reason: Option<String>,
    /// Whether termination protection is on.
    pub termination_protection: bool,
}

/// Talks to CloudFormation. Cheap to clone.
#[derive(Clone)]
pub struct Deployer {
    client: Client,
    endpoint: String,
    max_attempts: u32,
    poll: PollSettings,
    facts: Arc<dyn SchemaFacts + Send + Sync>,
}

impl fmt::Debug for Deployer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Deployer")
            .field("endpoint", &self.endpoint)
            .field("max_attempts", &self.max_attempts)
            .field("poll", &self.poll)
            .finish_non_exhaustive()
    }
}

impl Deployer {
    /// Loads the AWS configuration (environment, shared files, options),
    /// checks that a region and credentials are there, and builds a client
    /// with standard retries (exponential backoff with jitter).
    ///
    /// Errors: [`Error::NoRegion`], [`Error::NoCredentials`].
    pub async fn connect(opts: &ConnectOptions) -> Result<Self> {
        let retry = RetryConfig::standard()
            .with_max_attempts(opts.max_attempts.max(1))
            .with_initial_backoff(Duration::from_millis(500))
            .with_max_backoff(Duration::from_secs(20));
        let timeouts = TimeoutConfig::builder()
            .connect_timeout(opts.connect_timeout)
            .operation_attempt_timeout(opts.attempt_timeout)
            .build();
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .retry_config(retry)
            .timeout_config(timeouts);
        if let Some(r) = &opts.region {
            loader = loader.region(Region::new(r.clone()));
        }
        if let Some(u) = &opts.endpoint_url {
            loader = loader.endpoint_url(u.clone());
        }
        if let Some(p) = &opts.profile {
            loader = loader.profile_name(p.clone());
        }
        let config = loader.load().await;
        let region = config.region().ok_or(Error::NoRegion)?.to_string();
        let provider = config.credentials_provider().ok_or(Error::NoCredentials {
            detail: "no credentials provider is configured".into(),
        })?;
        provider
            .provide_credentials()
            .await
            .map_err(|e| Error::NoCredentials { detail: chain(&e) })?;
        let endpoint = opts
            .endpoint_url
            .clone()
            .unwrap_or_else(|| format!("https://cloudformation.{region}.amazonaws.com"));
        let mut d = Self::from_client(Client::new(&config));
        d.endpoint = endpoint;
        d.max_attempts = opts.max_attempts.max(1);
        Ok(d)
    }

    /// Wraps a client built elsewhere (its own retry and timeout settings apply).
    pub fn from_client(client: Client) -> Self {
        let max_attempts = client
            .config()
            .retry_config()
            .map(|r| r.max_attempts())
            .unwrap_or(1);
        Self {
            client,
            endpoint: "the configured CloudFormation endpoint".into(),
            max_attempts,
            poll: PollSettings::default(),
            facts: Arc::new(StaticFacts::new()),
        }
    }

    /// Sets how often to poll and how long to wait.
    pub fn with_poll(mut self, poll: PollSettings) -> Self {
        self.poll = poll;
        self
    }

    /// Sets the schema facts the semantic diff uses to classify changes
    /// (default: none, every modification of a known type "may replace").
    pub fn with_schema_facts(mut self, facts: Arc<dyn SchemaFacts + Send + Sync>) -> Self {
        self.facts = facts;
        self
    }

    /// The underlying SDK client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    // ------------------------------------------------------------ reading

    /// The stack's state, or `None` when it does not exist.
    pub async fn describe_stack(&self, stack: &str) -> Result<Option<StackInfo>> {
        let out = match self.client.describe_stacks().stack_name(stack).send().await {
            Ok(out) => out,
            Err(e) => {
                return match self.api_error("DescribeStacks", stack, e) {
                    Error::StackNotFound { .. } => Ok(None),
                    e => Err(e),
                }
            }
        };
        Ok(out.stacks().first().and_then(|s| {
            let status = s.stack_status()?.as_str().to_owned();
            if status == "DELETE_COMPLETE" && !stack.starts_with("arn:") {
                return None;
            }
            Some(StackInfo {
                stack_id: s.stack_id().unwrap_or(stack).to_owned(),
                status,
                reason: s.stack_status_reason().map(str::to_owned),
                termination_protection: s.enable_termination_protection().unwrap_or(false),
            })
        }))
    }

    /// The template of a deployed stack, as it was submitted (GetTemplate,
    /// stage Original), parsed. For `diff --against-stack`.
    ///
    /// Errors: [`Error::StackNotFound`], [`Error::DeployedTemplate`] when
    /// the text does not parse.
    pub async fn get_deployed_template(&self, stack: &str) -> Result<Template> {
        let out = self
            .client
            .get_template()
            .stack_name(stack)
            .template_stage(TemplateStage::Original)
            .send()
            .await
            .map_err(|e| self.api_error("GetTemplate", stack, e))?;
        let body = out.template_body().unwrap_or_default();
        let format = cfn_core::parse::detect_format(body);
        Template::parse_str(body, format, Some(&format!("stack:{stack}"))).map_err(|source| {
            Error::DeployedTemplate {
                stack: stack.to_owned(),
                source,
            }
        })
    }

    /// Checks a template with ValidateTemplate.
    ///
    /// Errors: [`Error::InvalidTemplate`] with CloudFormation's message.
    pub async fn validate_template(&self, stack: &str, template: &Template) -> Result<()> {
        self.validate_body(stack, &template.to_json_compact()).await
    }

    async fn validate_body(&self, stack: &str, body: &str) -> Result<()> {
        self.client
            .validate_template()
            .template_body(body)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| self.api_error("ValidateTemplate", stack, e))
    }

    // ------------------------------------------------------------ deploying

    /// Creates or updates the stack through a change set.
    ///
    /// 1. renders the template (compact JSON) and, unless turned off, checks
    ///    it with ValidateTemplate;
    /// 2. a stack in ROLLBACK_COMPLETE (its first create failed) is deleted
    ///    first, with a [`Progress::Notice`]; a busy or stuck stack is an error;
    /// 3. creates a change set (CREATE or UPDATE) and waits for it; "no
    ///    changes" deletes it and returns [`Outcome::NoChanges`];
    /// 4. reports the [`Plan`]: resource changes and, for updates, the
    ///    semantic diff against the deployed template;
    /// 5. refuses ([`Error::StatefulChangeRefused`], change set deleted)
    ///    when a stateful resource would be replaced or deleted and its
    ///    logical id is not in `allow_replace`;
    /// 6. asks `confirm` unless `yes`; executes; reports every new stack
    ///    event until the stack reaches a terminal state;
    /// 7. a failed or rolled-back stack is [`Error::DeployFailed`] with the
    ///    failing resources and their reasons;
    /// 8. sets termination protection when asked.
    pub async fn deploy(
        &self,
        req: &DeployRequest,
        confirm: &mut dyn Confirm,
        report: &mut dyn Report,
    ) -> Result<DeployReport> {
        let stack = req.stack_name.as_str();
        let body = req.template.to_json_compact();
        if body.len() > TEMPLATE_BODY_LIMIT {
            return Err(Error::TemplateTooLarge {
                stack: stack.to_owned(),
                size: body.len(),
                limit: TEMPLATE_BODY_LIMIT,
            });
        }
        if req.validate {
            self.validate_body(stack, &body).await?;
        }

        let existing = self.describe_stack(stack).await?;
        let mut recreated = false;
        let kind = match next_step(existing.as_ref().map(|s| s.status.as_str())) {
            NextStep::Create => ChangeSetKind::Create,
            NextStep::Update => ChangeSetKind::Update,
            NextStep::DeleteThenCreate => {
                report.report(Progress::Notice(&format!(
                    "stack {stack} is in ROLLBACK_COMPLETE: its first creation failed and it can only be deleted; deleting it, then creating it again"
                )));
                self.delete_stack(stack, report).await?;
                recreated = true;
                ChangeSetKind::Create
            }
            NextStep::Busy => {
                return Err(Error::StackBusy {
                    stack: stack.to_owned(),
                    status: existing.map(|s| s.status).unwrap_or_default(),
                })
            }
            NextStep::Stuck(advice) => {
                return Err(Error::StackNotUpdatable {
                    stack: stack.to_owned(),
                    status: existing.map(|s| s.status).unwrap_or_default(),
                    advice,
                })
            }
        };

        let (template_diff, diff_note) = match kind {
            ChangeSetKind::Create => (None, None),
            ChangeSetKind::Update => match self.get_deployed_template(stack).await {
                Ok(old) => (Some(diff(&old, &req.template, &*self.facts)), None),
                Err(Error::DeployedTemplate { source, .. }) => (
                    None,
                    Some(format!(
                        "the deployed template could not be parsed: {source}"
                    )),
                ),
                Err(e) => return Err(e),
            },
        };

        let cs_name = format!("cfn-deploy-{}", unique());
        let (cs_id, stack_id) = self.create_change_set(req, &body, &cs_name, kind).await?;

        // Wait for the change set.
        let started = Instant::now();
        loop {
            let out = self
                .client
                .describe_change_set()
                .change_set_name(&cs_id)
                .stack_name(&stack_id)
                .send()
                .await
                .map_err(|e| self.api_error("DescribeChangeSet", stack, e))?;
            let status = out.status().map(|s| s.as_str()).unwrap_or("");
            match status {
                "CREATE_COMPLETE" => break,
                "FAILED" => {
                    let reason = out.status_reason().unwrap_or("").to_owned();
                    if is_no_changes_reason(&reason) {
                        self.discard(&cs_id, &stack_id, kind, report).await;
                        self.apply_termination_protection(stack, req, report)
                            .await?;
                        return Ok(DeployReport {
                            stack_name: stack.to_owned(),
                            stack_id: Some(stack_id),
                            outcome: Outcome::NoChanges,
                            status: existing.map(|s| s.status),
                            plan: None,
                            recreated,
                            events: Vec::new(),
                        });
                    }
                    self.discard(&cs_id, &stack_id, kind, report).await;
                    return Err(change_set_failure(stack, reason));
                }
                _ => {}
            }
            if started.elapsed() > self.poll.change_set_timeout {
                self.discard(&cs_id, &stack_id, kind, report).await;
                return Err(Error::Timeout {
                    what: format!("change set {cs_name} of stack {stack}"),
                    after: started.elapsed(),
                });
            }
            tokio::time::sleep(self.poll.interval).await;
        }

        let changes = self.change_set_changes(stack, &cs_id, &stack_id).await?;
        let plan = Plan {
            stack_name: stack.to_owned(),
            kind,
            change_set_name: cs_name.clone(),
            change_set_id: cs_id.clone(),
            changes,
            diff: template_diff,
            diff_note,
        };
        report.report(Progress::Plan(&plan));

        let refused = plan.refused_changes(&req.allow_replace);
        if !refused.is_empty() {
            self.discard(&cs_id, &stack_id, kind, report).await;
            return Err(Error::StatefulChangeRefused {
                stack: stack.to_owned(),
                refused,
            });
        }

        if !req.yes && !confirm.confirm(&plan) {
            self.discard(&cs_id, &stack_id, kind, report).await;
            return Ok(DeployReport {
                stack_name: stack.to_owned(),
                stack_id: (kind == ChangeSetKind::Update).then_some(stack_id),
                outcome: Outcome::Declined,
                status: existing.map(|s| s.status),
                plan: Some(plan),
                recreated,
                events: Vec::new(),
            });
        }

        let mut seen = self.recent_event_ids(stack, &stack_id).await?;
        self.client
            .execute_change_set()
            .change_set_name(&cs_id)
            .stack_name(&stack_id)
            .client_request_token(format!("exec-{cs_name}"))
            .send()
            .await
            .map_err(|e| self.api_error("ExecuteChangeSet", stack, e))?;
        let (info, events) = self
            .wait_stack(stack, &stack_id, &mut seen, "the deploy", report)
            .await?;
        if is_failure(&info.status) {
            return Err(Error::DeployFailed {
                stack: stack.to_owned(),
                failures: failures(&events),
                status: info.status,
                reason: info.reason,
            });
        }
        self.apply_termination_protection(stack, req, report)
            .await?;
        Ok(DeployReport {
            stack_name: stack.to_owned(),
            stack_id: Some(stack_id),
            outcome: match kind {
                ChangeSetKind::Create => Outcome::Created,
                ChangeSetKind::Update => Outcome::Updated,
            },
            status: Some(info.status),
            plan: Some(plan),
            recreated,
            events,
        })
    }

    async fn create_change_set(
        &self,
        req: &DeployRequest,
        body: &str,
        cs_name: &str,
        kind: ChangeSetKind,
    ) -> Result<(String, String)> {
        let stack = req.stack_name.as_str();
        let mut call = self
            .client
            .create_change_set()
            .stack_name(stack)
            .change_set_name(cs_name)
            .client_token(cs_name)
            .template_body(body)
            .description("created by cfn-deploy")
            .change_set_type(match kind {
                ChangeSetKind::Create => ChangeSetType::Create,
                ChangeSetKind::Update => ChangeSetType::Update,
            });
        for (k, v) in &req.parameters {
            call = call.parameters(
                sdk::Parameter::builder()
                    .parameter_key(k)
                    .parameter_value(v)
                    .build(),
            );
        }
        for (k, v) in &req.tags {
            call = call.tags(sdk::Tag::builder().key(k).value(v).build());
        }
        for c in &req.capabilities {
            call = call.capabilities(sdk::Capability::from(c.as_str()));
        }
        let out = call
            .send()
            .await
            .map_err(|e| self.api_error("CreateChangeSet", stack, e))?;
        let cs_id = out.id().unwrap_or(cs_name).to_owned();
        let stack_id = out.stack_id().unwrap_or(stack).to_owned();
        Ok((cs_id, stack_id))
    }

    async fn change_set_changes(
        &self,
        stack: &str,
        cs_id: &str,
        stack_id: &str,
    ) -> Result<Vec<ResourceChange>> {
        let mut changes = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let out = self
                .client
                .describe_change_set()
                .change_set_name(cs_id)
                .stack_name(stack_id)
                .set_next_token(token.take())
                .send()
                .await
                .map_err(|e| self.api_error("DescribeChangeSet", stack, e))?;
            for c in out.changes() {
                let Some(rc) = c.resource_change() else {
                    continue;
                };
                changes.push(ResourceChange {
                    action: Action::from_api(rc.action().map(|a| a.as_str()).unwrap_or("")),
                    logical_id: rc.logical_resource_id().unwrap_or_default().to_owned(),
                    resource_type: rc.resource_type().unwrap_or_default().to_owned(),
                    physical_id: rc.physical_resource_id().map(str::to_owned),
                    replacement: rc
                        .replacement()
                        .and_then(|r| Replacement::from_api(r.as_str())),
                    scope: rc.scope().iter().map(|s| s.as_str().to_owned()).collect(),
                });
            }
            match out.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_owned()),
                _ => break,
            }
        }
        Ok(changes)
    }

    /// Deletes a change set that will not run; for a create, also the empty
    /// stack in REVIEW_IN_PROGRESS it leaves behind. Best effort: a failure
    /// here is reported, not returned.
    async fn discard(
        &self,
        cs_id: &str,
        stack_id: &str,
        kind: ChangeSetKind,
        report: &mut dyn Report,
    ) {
        if let Err(e) = self
            .client
            .delete_change_set()
            .change_set_name(cs_id)
            .stack_name(stack_id)
            .send()
            .await
        {
            report.report(Progress::Notice(&format!(
                "could not delete change set {cs_id}: {}",
                chain(&e)
            )));
        }
        if kind == ChangeSetKind::Create {
            if let Err(e) = self.client.delete_stack().stack_name(stack_id).send().await {
                report.report(Progress::Notice(&format!(
                    "could not delete the empty stack {stack_id}: {}",
                    chain(&e)
                )));
            }
        }
    }

    async fn apply_termination_protection(
        &self,
        stack: &str,
        req: &DeployRequest,
        report: &mut dyn Report,
    ) -> Result<()> {
        let Some(want) = req.termination_protection else {
            return Ok(());
        };
        let Some(info) = self.describe_stack(stack).await? else {
            return Ok(());
        };
        if info.termination_protection == want {
            return Ok(());
        }
        self.client
            .update_termination_protection()
            .stack_name(stack)
            .enable_termination_protection(want)
            .send()
            .await
            .map_err(|e| self.api_error("UpdateTerminationProtection", stack, e))?;
        report.report(Progress::Notice(&format!(
            "termination protection of stack {stack} turned {}",
            if want { "on" } else { "off" }
        )));
        Ok(())
    }

    // ------------------------------------------------------------ deleting

    /// Deletes a stack and waits until it is gone, reporting its events.
    /// A stack that does not exist is [`DeleteOutcome::NotFound`], not an error.
    ///
    /// Errors: [`Error::TerminationProtected`], [`Error::DeleteFailed`]
    /// with the resources that could not be deleted, [`Error::Timeout`].
    pub async fn delete_stack(
        &self,
        stack: &str,
        report: &mut dyn Report,
    ) -> Result<DeleteOutcome> {
        let Some(info) = self.describe_stack(stack).await? else {
            return Ok(DeleteOutcome::NotFound);
        };
        if info.termination_protection {
            return Err(Error::TerminationProtected {
                stack: stack.to_owned(),
            });
        }
        let mut seen = self.recent_event_ids(stack, &info.stack_id).await?;
        if info.status != "DELETE_IN_PROGRESS" {
            self.client
                .delete_stack()
                .stack_name(&info.stack_id)
                .client_request_token(format!("delete-{}", unique()))
                .send()
                .await
                .map_err(|e| self.api_error("DeleteStack", stack, e))?;
        }
        let (end, events) = self
            .wait_stack(stack, &info.stack_id, &mut seen, "the deletion", report)
            .await?;
        if end.status != "DELETE_COMPLETE" {
            return Err(Error::DeleteFailed {
                stack: stack.to_owned(),
                failures: failures(&events),
                status: end.status,
                reason: end.reason,
            });
        }
        Ok(DeleteOutcome::Deleted)
    }

    // ------------------------------------------------------------ events

    /// The ids of the newest page of events: what is already history.
    async fn recent_event_ids(&self, stack: &str, stack_id: &str) -> Result<HashSet<String>> {
        match self
            .client
            .describe_stack_events()
            .stack_name(stack_id)
            .send()
            .await
        {
            Ok(out) => Ok(out
                .stack_events()
                .iter()
                .filter_map(|e| e.event_id().map(str::to_owned))
                .collect()),
            Err(e) => match self.api_error("DescribeStackEvents", stack, e) {
                Error::StackNotFound { .. } => Ok(HashSet::new()),
                e => Err(e),
            },
        }
    }

    /// Events not seen yet, oldest first (pages are newest first; stops at
    /// the first page that reaches a seen event).
    async fn new_events(
        &self,
        stack: &str,
        stack_id: &str,
        seen: &mut HashSet<String>,
    ) -> Result<Vec<StackEvent>> {
        let mut fresh = Vec::new();
        let mut token: Option<String> = None;
        'pages: loop {
            let out = match self
                .client
                .describe_stack_events()
                .stack_name(stack_id)
                .set_next_token(token.take())
                .send()
                .await
            {
                Ok(out) => out,
                Err(e) => match self.api_error("DescribeStackEvents", stack, e) {
                    Error::StackNotFound { .. } => break,
                    e => return Err(e),
                },
            };
            for e in out.stack_events() {
                let id = e.event_id().unwrap_or_default();
                if seen.contains(id) {
                    break 'pages;
                }
                fresh.push(convert_event(e));
            }
            match out.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_owned()),
                _ => break,
            }
        }
        fresh.reverse();
        for e in &fresh {
            seen.insert(e.event_id.clone());
        }
        Ok(fresh)
    }

    /// Polls events and status until the stack reaches a terminal status.
    async fn wait_stack(
        &self,
        stack: &str,
        stack_id: &str,
        seen: &mut HashSet<String>,
        what: &str,
        report: &mut dyn Report,
    ) -> Result<(StackInfo, Vec<StackEvent>)> {
        let started = Instant::now();
        let mut all = Vec::new();
        loop {
            let info = self.describe_stack(stack_id).await?;
            let events = self.new_events(stack, stack_id, seen).await?;
            for e in &events {
                report.report(Progress::Event(e));
            }
            all.extend(events);
            let info = info.unwrap_or_else(|| StackInfo {
                stack_id: stack_id.to_owned(),
                status: "DELETE_COMPLETE".into(),
                reason: None,
                termination_protection: false,
            });
            if is_terminal(&info.status) && info.status != "REVIEW_IN_PROGRESS" {
                return Ok((info, all));
            }
            if started.elapsed() > self.poll.stack_timeout {
                return Err(Error::Timeout {
                    what: format!("{what} of stack {stack} (last status {})", info.status),
                    after: started.elapsed(),
                });
            }
            tokio::time::sleep(self.poll.interval).await;
        }
    }

    // ------------------------------------------------------------ errors

    /// Turns an SDK error into this crate's error, by kind and AWS code.
    fn api_error<E>(
        &self,
        operation: &'static str,
        stack: &str,
        err: SdkError<E, aws_sdk_cloudformation::config::http::HttpResponse>,
    ) -> Error
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let detail = chain(&err);
        match &err {
            SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => {
                if detail.contains("credentials") || detail.contains("identity") {
                    return Error::NoCredentials { detail };
                }
                return Error::Unreachable {
                    operation,
                    endpoint: self.endpoint.clone(),
                    detail,
                };
            }
            SdkError::ConstructionFailure(_) => {
                if detail.contains("credentials") || detail.contains("identity") {
                    return Error::NoCredentials { detail };
                }
                return Error::Api {
                    operation,
                    code: "request".into(),
                    message: detail,
                };
            }
            _ => {}
        }
        let status = match &err {
            SdkError::ServiceError(ctx) => Some(ctx.raw().status().as_u16()),
            SdkError::ResponseError(ctx) => Some(ctx.raw().status().as_u16()),
            _ => None,
        };
        let code = err.code().map(str::to_owned);
        let message = err
            .message()
            .map(str::to_owned)
            .unwrap_or_else(|| detail.clone());
        classify(operation, stack, code, status, message, self.max_attempts)
    }
}

/// Maps an API error by its code and message. Kept apart to be unit-tested.
fn classify(
    operation: &'static str,
    stack: &str,
    code: Option<String>,
    status: Option<u16>,
    message: String,
    attempts: u32,
) -> Error {
    let stack = stack.to_owned();
    let code_str = code.as_deref().unwrap_or("");
    match code_str {
        "Throttling"
        | "ThrottlingException"
        | "RequestLimitExceeded"
        | "TooManyRequestsException"
        | "RequestThrottled" => {
            return Error::Throttled {
                operation,
                attempts,
                message,
            }
        }
        "AccessDenied"
        | "AccessDeniedException"
        | "InvalidClientTokenId"
        | "SignatureDoesNotMatch"
        | "ExpiredToken"
        | "ExpiredTokenException"
        | "UnrecognizedClientException"
        | "MissingAuthenticationToken"
        | "IncompleteSignature"
        | "AuthFailure" => {
            return Error::AccessDenied {
                operation,
                code: code_str.to_owned(),
                message,
            }
        }
        "InsufficientCapabilitiesException" => {
            return Error::MissingCapabilities { stack, message }
        }
        _ => {}
    }
    if operation == "ValidateTemplate" && code_str == "ValidationError" {
        // (moto wraps cfn-lint's message in "Stack with id ... does not exist".)
        return Error::InvalidTemplate { stack, message };
    }
    if message.starts_with("Stack with id ") && message.ends_with(" does not exist") {
        return Error::StackNotFound { stack };
    }
    if message.contains("Requires capabilities") {
        return Error::MissingCapabilities { stack, message };
    }
    if message.contains("Template format error") || message.contains("Template error") {
        return Error::InvalidTemplate { stack, message };
    }
    if message.contains("TerminationProtection is enabled") {
        return Error::TerminationProtected { stack };
    }
    Error::Api {
        operation,
        code: code.unwrap_or_else(|| match status {
            Some(s) => format!("HTTP {s}"),
            None => "unknown".into(),
        }),
        message,
    }
}

fn change_set_failure(stack: &str, reason: String) -> Error {
    if reason.contains("Template format error") || reason.contains("Template error") {
        Error::InvalidTemplate {
            stack: stack.to_owned(),
            message: reason,
        }
    } else if reason.contains("Requires capabilities") {
        Error::MissingCapabilities {
            stack: stack.to_owned(),
            message: reason,
        }
    } else {
        Error::ChangeSetFailed {
            stack: stack.to_owned(),
            reason,
        }
    }
}

fn convert_event(e: &sdk::StackEvent) -> StackEvent {
    StackEvent {
        event_id: e.event_id().unwrap_or_default().to_owned(),
        timestamp: e
            .timestamp()
            .and_then(|t| t.fmt(DateTimeFormat::DateTime).ok())
            .unwrap_or_default(),
        logical_id: e.logical_resource_id().unwrap_or_default().to_owned(),
        physical_id: e.physical_resource_id().map(str::to_owned),
        resource_type: e.resource_type().unwrap_or_default().to_owned(),
        status: e
            .resource_status()
            .map(|s| s.as_str().to_owned())
            .unwrap_or_default(),
        reason: e.resource_status_reason().map(str::to_owned),
    }
}

/// The failed events of an operation, in order.
fn failures(events: &[StackEvent]) -> Vec<ResourceFailure> {
    events
        .iter()
        .filter(|e| e.status.ends_with("_FAILED"))
        .map(|e| ResourceFailure {
            logical_id: e.logical_id.clone(),
            resource_type: e.resource_type.clone(),
            status: e.status.clone(),
            reason: e.reason.clone().unwrap_or_default(),
        })
        .collect()
}

/// An error and its causes, `: `-joined, each said once.
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let t = c.to_string();
        if !t.is_empty() && !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        cur = c.source();
    }
    s
}

/// A token unique enough for change set names and request tokens.
fn unique() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    format!(
        "{millis}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The futures can be spawned on a multi-threaded runtime.
    #[allow(dead_code)]
    fn futures_are_send(d: &Deployer, r: &DeployRequest, c: &mut dyn Confirm, p: &mut dyn Report) {
        fn send<T: Send>(_: T) {}
        send(d.deploy(r, c, p));
        send(d.delete_stack("s", &mut Quiet));
        send(d.get_deployed_template("s"));
    }

    fn ev(id: &str, status: &str, reason: Option<&str>) -> StackEvent {
        StackEvent {
            event_id: id.into(),
            timestamp: "2026-01-01T00:00:00Z".into(),
            logical_id: id.into(),
            physical_id: None,
            resource_type: "AWS::S3::Bucket".into(),
            status: status.into(),
            reason: reason.map(Into::into),
        }
    }

    #[test]
    fn failures_keep_order_and_reasons() {
        let events = [
            ev("A", "CREATE_IN_PROGRESS", None),
            ev("A", "CREATE_FAILED", Some("bucket name taken")),
            ev("B", "CREATE_FAILED", Some("Resource creation cancelled")),
            ev("S", "ROLLBACK_COMPLETE", None),
        ];
        let f = failures(&events);
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].reason, "bucket name taken");
        let err = Error::DeployFailed {
            stack: "s".into(),
            status: "ROLLBACK_COMPLETE".into(),
            reason: None,
            failures: f,
        };
        assert_eq!(
            err.to_string(),
            "deploying stack `s` failed: it ended in ROLLBACK_COMPLETE; failed resources:\n  A (AWS::S3::Bucket) CREATE_FAILED: bucket name taken\n  B (AWS::S3::Bucket) CREATE_FAILED: Resource creation cancelled"
        );
    }

    #[test]
    fn classifies_api_errors() {
        let c = |code: &str, msg: &str| {
            classify(
                "CreateChangeSet",
                "s",
                Some(code.into()),
                Some(400),
                msg.into(),
                6,
            )
        };
        assert!(matches!(
            c("Throttling", "Rate exceeded"),
            Error::Throttled { attempts: 6, .. }
        ));
        assert!(matches!(
            c("ExpiredToken", "expired"),
            Error::AccessDenied { .. }
        ));
        assert!(matches!(
            c("ValidationError", "Stack with id s does not exist"),
            Error::StackNotFound { .. }
        ));
        assert!(matches!(
            c(
                "InsufficientCapabilitiesException",
                "Requires capabilities : [CAPABILITY_IAM]"
            ),
            Error::MissingCapabilities { .. }
        ));
        assert!(matches!(
            c(
                "ValidationError",
                "Template format error: Unresolved resource dependencies [X]"
            ),
            Error::InvalidTemplate { .. }
        ));
        assert!(matches!(
            c(
                "ValidationError",
                "Stack [s] cannot be deleted while TerminationProtection is enabled"
            ),
            Error::TerminationProtected { .. }
        ));
        assert!(matches!(
            classify(
                "ValidateTemplate",
                "s",
                Some("ValidationError".into()),
                Some(400),
                "Unresolved resource dependencies".into(),
                6
            ),
            Error::InvalidTemplate { .. }
        ));
        let e = classify("GetTemplate", "s", None, Some(500), "boom".into(), 6);
        assert_eq!(e.to_string(), "GetTemplate failed: HTTP 500: boom");
        let e = c("Throttling", "Rate exceeded");
        assert_eq!(e.to_string(), "CloudFormation throttled CreateChangeSet after 6 attempts (Rate exceeded); wait a minute and try again, or raise the retry attempts");
    }

    #[test]
    fn change_set_failures_are_classified() {
        assert!(matches!(
            change_set_failure("s", "Template format error: bad".into()),
            Error::InvalidTemplate { .. }
        ));
        assert!(matches!(
            change_set_failure("s", "Something else".into()),
            Error::ChangeSetFailed { .. }
        ));
    }

    #[test]
    fn event_display_is_one_line() {
        let e = ev("Bucket", "CREATE_FAILED", Some("name taken"));
        assert_eq!(
            e.to_string(),
            "2026-01-01T00:00:00Z  CREATE_FAILED                 Bucket  AWS::S3::Bucket  name taken"
        );
    }
}

//! The client: connecting, deploying through change sets.
//!
//! `ConnectOptions`, `DeployRequest` and `create_change_set` live here;
//! reading a stack is in `stack.rs`, events and waiting in `events.rs`,
//! deleting in `destroy.rs`, SDK error classification in `sdk_error.rs`.

use crate::approval::{approvals, unknown_logical_ids};
use crate::error::{Error, Result};
use crate::events::{failures, PollSettings, Progress, Report, StackEvent};
use crate::plan::{
    is_failure, is_no_changes_reason, next_step, Action, Capability, ChangeSetKind, NextStep, Plan,
    Replacement, ResourceChange,
};
use crate::sdk_error::{chain, change_set_failure};
use crate::stack::StackInfo;
use crate::trace::{ChangeSetReady, Prepared, Trace};
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use aws_sdk_cloudformation::config::ProvideCredentials;
use aws_sdk_cloudformation::types::{self as sdk, ChangeSetType};
use aws_sdk_cloudformation::Client;
use cfn_core::Template;
use cfn_tools::diff::{diff, SchemaFacts, StaticFacts};
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

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
    /// Told before each retried call (the SDK retries silently otherwise):
    /// a [`crate::RetryLog`] is registered on the CloudFormation and S3
    /// clients. `None` (default): retries are not reported.
    pub on_retry: Option<crate::RetryObserver>,
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
            on_retry: None,
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
    /// Reports each retried call to `observer` (`--verbose`).
    pub fn on_retry(mut self, observer: crate::RetryObserver) -> Self {
        self.on_retry = Some(observer);
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
    /// Logical ids of resources that may be replaced (or, if stateful,
    /// deleted): the only consent for data loss, and the consent `yes`
    /// needs for replacing a resource others depend on. An id that is in
    /// neither the template nor the deployed one is an error.
    pub allow_replace: Vec<String>,
    /// Consent, with `yes`, to IAM and security-group broadening.
    pub allow_broadening: bool,
    /// Execute without asking.
    pub yes: bool,
    /// Check the template with ValidateTemplate first (default true).
    pub validate: bool,
    /// Parameters to keep at their deployed value (`UsePreviousValue`); a
    /// value given in `parameters` wins. Parameters not given at all keep
    /// their deployed value too (see [`cfn_core::parameter_values`]).
    pub use_previous: Vec<String>,
    /// Where to stage a template too large to send inline; `None`: such a
    /// template is [`Error::TemplateTooLarge`].
    pub template_bucket: Option<crate::TemplateBucket>,
    /// The service role CloudFormation uses for this stack (`RoleARN`).
    pub role_arn: Option<String>,
    /// SNS topics for the stack's events (`NotificationARNs`).
    pub notification_arns: Vec<String>,
    /// Keep what was created or updated when the operation fails, instead
    /// of rolling back (`DisableRollback` on ExecuteChangeSet).
    pub disable_rollback: bool,
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
            allow_broadening: false,
            yes: false,
            validate: true,
            use_previous: Vec::new(),
            template_bucket: None,
            role_arn: None,
            notification_arns: Vec::new(),
            disable_rollback: false,
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
    /// Allows replacing the resource with this logical id (and deleting it,
    /// if it is stateful).
    pub fn allow_replace(mut self, logical_id: impl Into<String>) -> Self {
        self.allow_replace.push(logical_id.into());
        self
    }
    /// With [`DeployRequest::yes`], allows IAM and security-group broadening.
    pub fn allow_broadening(mut self, on: bool) -> Self {
        self.allow_broadening = on;
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
    /// Keeps this parameter at its deployed value (`UsePreviousValue`).
    pub fn use_previous_value(mut self, key: impl Into<String>) -> Self {
        self.use_previous.push(key.into());
        self
    }
    /// Stages templates too large to send inline in this bucket.
    pub fn template_bucket(mut self, bucket: crate::TemplateBucket) -> Self {
        self.template_bucket = Some(bucket);
        self
    }
    /// Sets the service role CloudFormation uses (`RoleARN`).
    pub fn role_arn(mut self, arn: impl Into<String>) -> Self {
        self.role_arn = Some(arn.into());
        self
    }
    /// Adds an SNS topic for the stack's events.
    pub fn notification_arn(mut self, arn: impl Into<String>) -> Self {
        self.notification_arns.push(arn.into());
        self
    }
    /// Keeps what was done when the operation fails (no rollback).
    pub fn disable_rollback(mut self, on: bool) -> Self {
        self.disable_rollback = on;
        self
    }
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

/// Talks to CloudFormation. Cheap to clone.
#[derive(Clone)]
pub struct Deployer {
    pub(crate) client: Client,
    pub(crate) endpoint: String,
    pub(crate) max_attempts: u32,
    pub(crate) poll: PollSettings,
    pub(crate) facts: Arc<dyn SchemaFacts + Send + Sync>,
    /// The S3 client for large templates (see `stage.rs`).
    pub(crate) staging: Option<Arc<crate::stage::Staging>>,
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
            crate::connect::check_profile(p).await?;
            loader = loader
                .profile_name(p.clone())
                .credentials_provider(crate::connect::profile_credentials(p));
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
        let retry_log = opts
            .on_retry
            .clone()
            .map(|o| crate::RetryLog::new(o, opts.max_attempts.max(1)));
        let mut cfn = aws_sdk_cloudformation::config::Builder::from(&config);
        if let Some(log) = &retry_log {
            cfn = cfn.interceptor(log.clone());
        }
        let mut d = Self::from_client(Client::from_conf(cfn.build()));
        d.endpoint = endpoint;
        d.max_attempts = opts.max_attempts.max(1);
        d.staging = Some(Arc::new(crate::stage::Staging::from_config(
            &config,
            opts.endpoint_url.as_deref(),
            &region,
            retry_log,
        )));
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
            staging: None,
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
    ///    logical id is not in `allow_replace` (an id there that names no
    ///    resource is [`Error::UnknownLogicalIds`], before any change set);
    ///    with `yes`, also refuses ([`Error::ApprovalRequired`]) the
    ///    [`Plan::approvals`] not covered by `allow_replace` or
    ///    `allow_broadening` (see [`crate::approvals`]);
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
        self.deploy_traced(req, confirm, report, &Trace::default())
            .await
    }

    /// [`Deployer::deploy`], recording in `trace` what it created (for the
    /// cleanup after an interrupt, see `interrupt.rs`).
    pub(crate) async fn deploy_traced(
        &self,
        req: &DeployRequest,
        confirm: &mut dyn Confirm,
        report: &mut dyn Report,
        trace: &Trace,
    ) -> Result<DeployReport> {
        let stack = req.stack_name.as_str();
        let ready = match self.prepare(req, report, trace).await? {
            Prepared::Done(done) => {
                // "no changes" is checked for effects too: moto reports a
                // stack without resources as unchanged
                let status = done.status.clone().unwrap_or_default();
                self.verify_effects(stack, &status, &req.template, report)
                    .await?;
                return Ok(done);
            }
            Prepared::Ready(ready) => ready,
        };
        let ChangeSetReady {
            plan,
            kind,
            cs_id,
            stack_id,
            existing,
            recreated,
        } = ready;
        let cs_name = plan.change_set_name.clone();

        let refused = plan.refused_changes(&req.allow_replace);

        if !refused.is_empty() {
            self.discard(&cs_id, &stack_id, kind, report).await;
            return Err(Error::StatefulChangeRefused {
                stack: stack.to_owned(),
                refused,
            });
        }
        if req.yes {
            let pending = plan.unapproved(&req.allow_replace, req.allow_broadening);
            if !pending.is_empty() {
                self.discard(&cs_id, &stack_id, kind, report).await;
                return Err(Error::ApprovalRequired {
                    stack: stack.to_owned(),
                    pending,
                });
            }
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
        trace.executing();
        if let Err(e) = self
            .client
            .execute_change_set()
            .change_set_name(&cs_id)
            .stack_name(&stack_id)
            .client_request_token(format!("exec-{cs_name}"))
            .set_disable_rollback(req.disable_rollback.then_some(true))
            .send()
            .await
        {
            let err = self.api_error("ExecuteChangeSet", stack, e);
            // nothing stale left behind when the execution never started
            self.discard_unexecuted(&cs_id, &stack_id, kind, report)
                .await;
            return Err(err);
        }
        let total = plan.changes.len();
        let (info, events) = self
            .wait_stack_counting(stack, &stack_id, &mut seen, "the deploy", total, report)
            .await?;
        if is_failure(&info.status) {
            return Err(Error::DeployFailed {
                stack: stack.to_owned(),
                failures: failures(&events),
                status: info.status,
                reason: info.reason,
            });
        }
        // effects, not statuses: the stack's resources are the template's
        self.verify_effects(stack, &info.status, &req.template, report)
            .await?;
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

    /// Steps 1-4 of [`Deployer::deploy`]: checks, the change set created
    /// and described, the plan reported; or "no changes", finished.
    pub(crate) async fn prepare(
        &self,
        req: &DeployRequest,
        report: &mut dyn Report,
        trace: &Trace,
    ) -> Result<Prepared> {
        let stack = req.stack_name.as_str();
        let body = req.template.to_json_compact();
        // parameter names and values: before any API call (see params.rs)
        req.check_parameters_offline()?;
        let source = self.stage_template(req, &body, report).await?;
        if req.validate {
            self.validate_source(stack, &source).await?;
        }

        let existing = self.describe_stack(stack).await?;
        let (kind, recreated) = self
            .change_set_kind(stack, existing.as_ref(), report)
            .await?;

        let (template_diff, diff_note, deployed) = match kind {
            ChangeSetKind::Create => (None, None, None),
            ChangeSetKind::Update => match self.get_deployed_template(stack).await {
                Ok(old) => (
                    Some(diff(&old, &req.template, &*self.facts)),
                    None,
                    Some(old),
                ),
                Err(Error::DeployedTemplate { source, .. }) => (
                    None,
                    Some(format!(
                        "the deployed template could not be parsed: {source}"
                    )),
                    None,
                ),
                Err(e) => return Err(e),
            },
        };
        let unknown = unknown_logical_ids(&req.allow_replace, &req.template, deployed.as_ref());
        if !unknown.is_empty() {
            return Err(Error::UnknownLogicalIds {
                stack: stack.to_owned(),
                unknown,
            });
        }

        let cs_name = format!("cfn-deploy-{}", unique());
        trace.creating(stack, &cs_name, kind);
        let (cs_id, stack_id) = match self.create_change_set(req, &source, &cs_name, kind).await {
            // moto (like UpdateStack) refuses an identical update at once
            // instead of failing the change set
            Err(Error::Api { message, .. }) if is_no_changes_reason(&message) => {
                self.apply_termination_protection(stack, req, report)
                    .await?;
                return Ok(Prepared::Done(DeployReport {
                    stack_name: stack.to_owned(),
                    stack_id: existing.as_ref().map(|s| s.stack_id.clone()),
                    outcome: Outcome::NoChanges,
                    status: existing.map(|s| s.status),
                    plan: None,
                    recreated,
                    events: Vec::new(),
                }));
            }
            r => r?,
        };
        trace.created(&cs_id, &stack_id);

        if !self
            .wait_for_change_set(stack, &cs_name, &cs_id, &stack_id, kind, report)
            .await?
        {
            self.apply_termination_protection(stack, req, report)
                .await?;
            return Ok(Prepared::Done(DeployReport {
                stack_name: stack.to_owned(),
                stack_id: Some(stack_id),
                outcome: Outcome::NoChanges,
                status: existing.map(|s| s.status),
                plan: None,
                recreated,
                events: Vec::new(),
            }));
        }

        let changes = self.change_set_changes(stack, &cs_id, &stack_id).await?;
        let plan = Plan {
            stack_name: stack.to_owned(),
            kind,
            change_set_name: cs_name.clone(),
            change_set_id: cs_id.clone(),
            approvals: approvals(&changes, template_diff.as_ref(), &req.template),
            changes,
            diff: template_diff,
            diff_note,
        };
        report.report(Progress::Plan(&plan));
        Ok(Prepared::Ready(ChangeSetReady {
            plan,
            kind,
            cs_id,
            stack_id,
            existing,
            recreated,
        }))
    }

    /// The change set to make from the stack's state (step 2): create,
    /// update, or delete a failed first creation and create again
    /// (`true`: recreated); a busy or stuck stack is an error.
    async fn change_set_kind(
        &self,
        stack: &str,
        existing: Option<&StackInfo>,
        report: &mut dyn Report,
    ) -> Result<(ChangeSetKind, bool)> {
        let mut recreated = false;
        let kind = match next_step(existing.map(|s| s.status.as_str())) {
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
                    status: existing.map(|s| s.status.clone()).unwrap_or_default(),
                })
            }
            NextStep::Stuck(advice) => {
                return Err(Error::StackNotUpdatable {
                    stack: stack.to_owned(),
                    status: existing.map(|s| s.status.clone()).unwrap_or_default(),
                    advice,
                })
            }
        };
        Ok((kind, recreated))
    }

    /// Waits for the change set (step 3): `true` once created, `false`
    /// when it failed for want of changes (it is then discarded); an error
    /// when it failed otherwise or timed out (discarded too).
    async fn wait_for_change_set(
        &self,
        stack: &str,
        cs_name: &str,
        cs_id: &str,
        stack_id: &str,
        kind: ChangeSetKind,
        report: &mut dyn Report,
    ) -> Result<bool> {
        let started = Instant::now();
        loop {
            let out = self
                .client
                .describe_change_set()
                .change_set_name(cs_id)
                .stack_name(stack_id)
                .send()
                .await
                .map_err(|e| self.api_error("DescribeChangeSet", stack, e))?;
            let status = out.status().map(|s| s.as_str()).unwrap_or("");
            match status {
                "CREATE_COMPLETE" => return Ok(true),
                "FAILED" => {
                    let reason = out.status_reason().unwrap_or("").to_owned();
                    if is_no_changes_reason(&reason) {
                        self.discard(cs_id, stack_id, kind, report).await;
                        return Ok(false);
                    }
                    self.discard(cs_id, stack_id, kind, report).await;
                    return Err(change_set_failure(stack, reason));
                }
                _ => {}
            }
            if started.elapsed() > self.poll.change_set_timeout {
                self.discard(cs_id, stack_id, kind, report).await;
                return Err(Error::Timeout {
                    what: format!("change set {cs_name} of stack {stack}"),
                    after: started.elapsed(),
                });
            }
            tokio::time::sleep(self.poll.interval).await;
        }
    }

    async fn create_change_set(
        &self,
        req: &DeployRequest,
        source: &crate::stage::TemplateSource,
        cs_name: &str,
        kind: ChangeSetKind,
    ) -> Result<(String, String)> {
        // missing values and UsePreviousValue need the deployed stack's parameters
        let parameters = self
            .change_set_parameters(req, kind == ChangeSetKind::Update)
            .await?;
        let stack = req.stack_name.as_str();
        let mut call = self
            .client
            .create_change_set()
            .stack_name(stack)
            .change_set_name(cs_name)
            .client_token(cs_name)
            .set_template_body(match source {
                crate::stage::TemplateSource::Body(b) => Some(b.clone()),
                crate::stage::TemplateSource::Url(_) => None,
            })
            .set_template_url(match source {
                crate::stage::TemplateSource::Url(u) => Some(u.clone()),
                crate::stage::TemplateSource::Body(_) => None,
            })
            .set_parameters(Some(parameters))
            .set_role_arn(req.role_arn.clone())
            .set_notification_arns(
                (!req.notification_arns.is_empty()).then(|| req.notification_arns.clone()),
            )
            .description("created by cfn-deploy")
            .change_set_type(match kind {
                ChangeSetKind::Create => ChangeSetType::Create,
                ChangeSetKind::Update => ChangeSetType::Update,
            });
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
    pub(crate) async fn discard(
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
}

/// A token unique enough for change set names and request tokens.
pub(crate) fn unique() -> String {
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
    /// The futures can be spawned on a multi-threaded runtime.
    #[allow(dead_code)]
    fn futures_are_send(d: &Deployer, r: &DeployRequest, c: &mut dyn Confirm, p: &mut dyn Report) {
        fn send<T: Send>(_: T) {}
        send(d.deploy(r, c, p));
        send(d.delete_stack("s", &mut crate::Quiet));
        send(d.get_deployed_template("s"));
    }
}

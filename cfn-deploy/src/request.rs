//! The request and its answers: [`DeployRequest`] (what to deploy and
//! how), [`Confirm`] (asking before executing), [`Outcome`] and
//! [`DeployReport`] (how a deploy ended).

use crate::events::StackEvent;
use crate::plan::{Capability, Plan};
use cfn_core::Template;

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
    /// template is [`Error::TemplateTooLarge`](crate::Error::TemplateTooLarge).
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

impl Outcome {
    /// `created`, `updated`, `no_changes` or `declined`: the stable name in
    /// output.
    ///
    /// ```
    /// assert_eq!(cfn_deploy::Outcome::NoChanges.as_str(), "no_changes");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Created => "created",
            Outcome::Updated => "updated",
            Outcome::NoChanges => "no_changes",
            Outcome::Declined => "declined",
        }
    }
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

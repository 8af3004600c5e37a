//! The one error type of this crate.

use crate::plan::RefusedChange;
use std::fmt;
use std::time::Duration;

/// What went wrong while talking to CloudFormation. Every message says what
/// to do next.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No credentials could be found by the default provider chain.
    #[error("no AWS credentials found ({detail}); set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE to a profile in ~/.aws/credentials")]
    NoCredentials {
        /// What the provider chain reported.
        detail: String,
    },
    /// No region is configured.
    #[error("no AWS region configured; pass a region (`--region us-east-1`) or set AWS_REGION")]
    NoRegion,
    /// The credentials were rejected (invalid, expired, or not allowed).
    #[error("{operation} was denied: {code}: {message}; check that the credentials are valid and not expired, and that they allow cloudformation:{operation}")]
    AccessDenied {
        /// The API operation.
        operation: &'static str,
        /// The AWS error code (`ExpiredToken`, `AccessDenied`, ...).
        code: String,
        /// The AWS message.
        message: String,
    },
    /// The endpoint could not be reached (DNS, connection refused, TLS, timeout).
    #[error("could not reach CloudFormation at {endpoint} ({operation}): {detail}; check the network, the endpoint URL and the region")]
    Unreachable {
        /// The API operation.
        operation: &'static str,
        /// The endpoint URL, or the region's default endpoint.
        endpoint: String,
        /// The underlying error, with its causes.
        detail: String,
    },
    /// AWS kept throttling the calls even after the retries.
    #[error("CloudFormation throttled {operation} after {attempts} attempts ({message}); wait a minute and try again, or raise the retry attempts")]
    Throttled {
        /// The API operation.
        operation: &'static str,
        /// How many attempts were made.
        attempts: u32,
        /// The AWS message.
        message: String,
    },
    /// The stack does not exist.
    #[error("stack `{stack}` does not exist in this account and region; check the stack name and the region")]
    StackNotFound {
        /// The stack name.
        stack: String,
    },
    /// CloudFormation (or the pre-flight ValidateTemplate) rejected the template.
    #[error("the template for stack `{stack}` is invalid: {message}; fix the template (`validate` and `lint` show more) and deploy again")]
    InvalidTemplate {
        /// The stack name.
        stack: String,
        /// What CloudFormation said.
        message: String,
    },
    /// The template is larger than a TemplateBody may be.
    #[error("the template for stack `{stack}` is {size} bytes, more than the {limit} bytes CloudFormation accepts inline; split it into nested stacks or remove unused parts")]
    TemplateTooLarge {
        /// The stack name.
        stack: String,
        /// Size of the compact JSON rendering, in bytes.
        size: usize,
        /// The limit, in bytes.
        limit: usize,
    },
    /// The template needs capabilities that were not acknowledged.
    #[error("stack `{stack}` needs capabilities that were not given: {message}; acknowledge them, e.g. `--capabilities CAPABILITY_IAM` (or CAPABILITY_NAMED_IAM, CAPABILITY_AUTO_EXPAND)")]
    MissingCapabilities {
        /// The stack name.
        stack: String,
        /// What CloudFormation said.
        message: String,
    },
    /// Another operation is running on the stack.
    #[error("stack `{stack}` is busy ({status}); wait until the running operation finishes and deploy again")]
    StackBusy {
        /// The stack name.
        stack: String,
        /// Its current status.
        status: String,
    },
    /// The stack is in a state that cannot be updated.
    #[error("stack `{stack}` is in {status} and cannot be updated; {advice}")]
    StackNotUpdatable {
        /// The stack name.
        stack: String,
        /// Its current status.
        status: String,
        /// What to do.
        advice: &'static str,
    },
    /// The change set could not be created (other than "no changes").
    #[error("the change set for stack `{stack}` failed: {reason}; fix the cause and deploy again (the change set was deleted)")]
    ChangeSetFailed {
        /// The stack name.
        stack: String,
        /// The change set's status reason.
        reason: String,
    },
    /// The change set would replace or delete resources that hold data.
    #[error("{}", refused_message(stack, refused))]
    StatefulChangeRefused {
        /// The stack name.
        stack: String,
        /// The refused changes, in change set order.
        refused: Vec<RefusedChange>,
    },
    /// The stack operation ended in a failed or rolled-back state.
    #[error("{}", failed_message("deploying", stack, status, reason.as_deref(), failures))]
    DeployFailed {
        /// The stack name.
        stack: String,
        /// The terminal stack status (`ROLLBACK_COMPLETE`, `UPDATE_ROLLBACK_COMPLETE`, ...).
        status: String,
        /// The stack's status reason, if any.
        reason: Option<String>,
        /// The resources that failed, in event order.
        failures: Vec<ResourceFailure>,
    },
    /// Deleting the stack failed.
    #[error("{}", failed_message("deleting", stack, status, reason.as_deref(), failures))]
    DeleteFailed {
        /// The stack name.
        stack: String,
        /// The terminal stack status (`DELETE_FAILED`).
        status: String,
        /// The stack's status reason, if any.
        reason: Option<String>,
        /// The resources that failed, in event order.
        failures: Vec<ResourceFailure>,
    },
    /// The stack has termination protection and cannot be deleted.
    #[error("stack `{stack}` has termination protection enabled; disable it first (aws cloudformation update-termination-protection --no-enable-termination-protection --stack-name {stack})")]
    TerminationProtected {
        /// The stack name.
        stack: String,
    },
    /// A polling loop ran out of time. The operation may still be running in AWS.
    #[error("gave up waiting for {what} after {}; the operation may still be running: check the stack's events and deploy again when it has finished", human(*after))]
    Timeout {
        /// What was awaited.
        what: String,
        /// How long it waited.
        after: Duration,
    },
    /// The deployed template could not be read.
    #[error("the deployed template of stack `{stack}` could not be read: {source}")]
    DeployedTemplate {
        /// The stack name.
        stack: String,
        /// The parse error.
        #[source]
        source: cfn_core::Error,
    },
    /// Any other error returned by the API.
    #[error("{operation} failed: {code}: {message}")]
    Api {
        /// The API operation.
        operation: &'static str,
        /// The AWS error code, or the HTTP status.
        code: String,
        /// The AWS message, or the error with its causes.
        message: String,
    },
    /// The async runtime could not start.
    #[error("could not start the async runtime: {0}")]
    Runtime(#[source] std::io::Error),
}

/// A resource that failed during a stack operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceFailure {
    /// Logical id (the stack name for the stack itself).
    pub logical_id: String,
    /// Resource type.
    pub resource_type: String,
    /// The failed status (`CREATE_FAILED`, `UPDATE_FAILED`, ...).
    pub status: String,
    /// Why, as CloudFormation said it.
    pub reason: String,
}

impl fmt::Display for ResourceFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}) {}: {}",
            self.logical_id, self.resource_type, self.status, self.reason
        )
    }
}

fn refused_message(stack: &str, refused: &[RefusedChange]) -> String {
    let mut s = format!(
        "refusing to deploy stack `{stack}`: the change set would destroy data in {} stateful resource{}:",
        refused.len(),
        if refused.len() == 1 { "" } else { "s" }
    );
    for r in refused {
        s.push_str(&format!("\n  {r}"));
    }
    let ids: Vec<&str> = refused.iter().map(|r| r.logical_id.as_str()).collect();
    s.push_str(&format!(
        "\nthe change set was deleted; if this is intended, allow each resource by name ({}) and deploy again",
        ids.iter()
            .map(|id| format!("--allow-replace {id}"))
            .collect::<Vec<_>>()
            .join(" ")
    ));
    s
}

fn failed_message(
    doing: &str,
    stack: &str,
    status: &str,
    reason: Option<&str>,
    failures: &[ResourceFailure],
) -> String {
    let mut s = format!("{doing} stack `{stack}` failed: it ended in {status}");
    if let Some(r) = reason.filter(|r| !r.is_empty()) {
        s.push_str(&format!(" ({r})"));
    }
    if failures.is_empty() {
        s.push_str("; no resource reported a failure, see the stack's events");
    } else {
        s.push_str("; failed resources:");
        for f in failures {
            s.push_str(&format!("\n  {f}"));
        }
    }
    s
}

fn human(d: Duration) -> String {
    let secs = d.as_secs();
    if secs >= 60 {
        format!("{}m{:02}s", secs / 60, secs % 60)
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

/// Shorthand for this crate's results.
pub type Result<T, E = Error> = std::result::Result<T, E>;

//! The one error type of this crate.

mod code;

use crate::approval::Approval;
use crate::refusal::RefusedChange;
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
    #[error("no AWS region configured; give a region (such as us-east-1), set AWS_REGION, or set `region` in the profile")]
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
    /// The template is larger than CloudFormation accepts: inline (without
    /// an S3 bucket to stage it in) or from S3.
    #[error("the template for stack `{stack}` is {size} bytes, more than the {limit} bytes CloudFormation accepts {}", too_large_fix(*limit))]
    TemplateTooLarge {
        /// The stack name.
        stack: String,
        /// Size of the compact JSON rendering, in bytes.
        size: usize,
        /// The limit, in bytes.
        limit: usize,
    },
    /// The template needs capabilities that were not acknowledged.
    #[error("stack `{stack}` needs capabilities that were not given: {message}; acknowledge them (CAPABILITY_IAM, CAPABILITY_NAMED_IAM or CAPABILITY_AUTO_EXPAND, as CloudFormation names them)")]
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
    /// With `yes`, changes that need their own approval were not approved:
    /// replacing resources others depend on, IAM or security-group
    /// broadening.
    #[error("{}", approval_message(stack, pending))]
    ApprovalRequired {
        /// The stack name.
        stack: String,
        /// What needs approval, in plan order.
        pending: Vec<Approval>,
    },
    /// Logical ids given as allowed to be replaced that name no resource of
    /// the template or of the deployed stack: a mistyped id would allow
    /// nothing, silently.
    #[error("{}", unknown_ids_message(stack, unknown))]
    UnknownLogicalIds {
        /// The stack name.
        stack: String,
        /// Each unknown id with its did-you-mean hint (the id meant, as
        /// data; rendered `` (did you mean `X`?)``).
        unknown: Vec<(String, cfn_core::error::Hint)>,
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
    /// Parameter values that do not fit the template's `Parameters`,
    /// found before any change set was made; every problem is listed.
    #[error("{}", parameters_message(stack, problems))]
    InvalidParameters {
        /// The stack name.
        stack: String,
        /// Each problem, with its kind ([`cfn_core::ErrorKind::UnknownParameter`],
        /// [`cfn_core::ErrorKind::InvalidParameterValue`],
        /// [`cfn_core::ErrorKind::MissingParameterValue`]), the parameter,
        /// the value and the fix.
        problems: Vec<cfn_core::Error>,
    },
    /// A parameters file that could not be read or understood.
    #[error("parameters file `{file}`: {message}{}", source.as_ref().map(|e| format!(": {e}")).unwrap_or_default())]
    ParametersFile {
        /// The file.
        file: String,
        /// What is wrong, and the accepted forms (it words the suggestion
        /// too).
        message: String,
        /// The key probably meant (`ParameterKey` for `ParameterKye`), as
        /// data.
        suggestion: Option<String>,
        /// The I/O error, when the file could not be read.
        #[source]
        source: Option<std::io::Error>,
    },
    /// Staging the template in S3 failed.
    #[error("could not stage the template of stack `{stack}` at s3://{bucket}/{key} ({operation}: {message}); check that the bucket exists in this region and that the credentials allow s3:GetObject and s3:PutObject on it")]
    TemplateUpload {
        /// The stack name.
        stack: String,
        /// The bucket.
        bucket: String,
        /// The object key.
        key: String,
        /// The S3 operation (`HeadObject`, `PutObject`).
        operation: &'static str,
        /// What S3 said, or the error with its causes.
        message: String,
    },
    /// The named profile is in neither shared file.
    #[error("profile `{profile}` not found in ~/.aws/config or ~/.aws/credentials; check the name (profiles found: {})", profiles_found(known, unreadable.as_ref()))]
    UnknownProfile {
        /// The profile asked for.
        profile: String,
        /// The profiles found (rendered comma separated, `none` when there
        /// are none).
        known: Vec<String>,
        /// Why the shared files could not be read or parsed, when they
        /// could not (a missing file is no error: it has no profiles).
        #[source]
        unreadable: Option<aws_runtime::env_config::error::EnvConfigFileLoadError>,
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
    /// The stack reports success, but resources of its template are not
    /// there (an API that reported a status without the effect).
    #[error("{}", missing_message(stack, status, *expected, missing))]
    ResourcesMissing {
        /// The stack name.
        stack: String,
        /// The status the stack reports (`CREATE_COMPLETE`, ...).
        status: String,
        /// How many resources the template asks for.
        expected: usize,
        /// The resources not there, or not complete, in template order.
        missing: Vec<crate::effects::MissingResource>,
    },
    /// Destroying the stack would delete stateful resources that were not
    /// allowed by name.
    #[error("{}", delete_refused_message(stack, refused))]
    DeleteRefused {
        /// The stack name.
        stack: String,
        /// The stateful resources that would be deleted: (logical id, type).
        refused: Vec<(String, String)>,
    },
    /// Resources allowed by name that the stack does not have (a typo
    /// would otherwise be accepted silently).
    #[error("stack `{stack}` has no resource {}; the stateful resources it would delete are: {}", quoted(ids), if known.is_empty() { "none".to_owned() } else { quoted(known) })]
    UnknownAllowed {
        /// The stack name.
        stack: String,
        /// The unknown logical ids.
        ids: Vec<String>,
        /// The ids that could be allowed.
        known: Vec<String>,
    },
    /// The connection was lost while a stack operation was running.
    #[error("lost the connection to CloudFormation at {endpoint} while waiting for {what} of stack `{stack}` ({detail}); the operation may still be running in CloudFormation: check with `aws cloudformation describe-stacks --stack-name {stack}` and `aws cloudformation describe-stack-events --stack-name {stack}`")]
    ConnectionLost {
        /// The stack name.
        stack: String,
        /// What was awaited (`the deploy`, `the deletion`).
        what: String,
        /// The endpoint.
        endpoint: String,
        /// The underlying error.
        detail: String,
    },
    /// The run was interrupted (Ctrl-C); what it created was removed, or
    /// what is left is named with the commands that remove it.
    #[error("{}", interrupted_message(stack, cleaned, left))]
    Interrupted {
        /// The stack name.
        stack: String,
        /// What was cleaned up.
        cleaned: Vec<String>,
        /// What is left or still running, each with the command that
        /// removes or checks it.
        left: Vec<String>,
    },
    /// Drift detection did not complete.
    #[error("drift detection of stack `{stack}` failed: {reason}")]
    DriftDetectionFailed {
        /// The stack name.
        stack: String,
        /// CloudFormation's reason.
        reason: String,
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
    let n = refused.len();
    let what = if refused.iter().all(|r| r.retained) {
        "move to new, empty copies of"
    } else {
        "destroy or lose the data of"
    };
    let mut s = format!(
        "refusing to deploy stack `{stack}`: the change set would {what} {n} stateful resource{}:",
        if n == 1 { "" } else { "s" }
    );
    for r in refused {
        s.push_str(&format!("\n  {r}"));
    }
    let ids: Vec<&str> = refused.iter().map(|r| r.logical_id.as_str()).collect();
    s.push_str(&format!(
        "\nthe change set was deleted; if this is intended, allow each resource by its logical id ({}) and deploy again",
        ids.join(", ")
    ));
    s
}

fn approval_message(stack: &str, pending: &[Approval]) -> String {
    let n = pending.len();
    let mut s = format!(
        "not deploying stack `{stack}` without explicit approval of {n} change{}:",
        if n == 1 { "" } else { "s" }
    );
    for a in pending {
        s.push_str(&format!("\n  {a}"));
    }
    let ids: Vec<&str> = pending
        .iter()
        .filter_map(|a| match a {
            Approval::Replacement { logical_id, .. } => Some(logical_id.as_str()),
            _ => None,
        })
        .collect();
    let broadening = pending.iter().any(|a| {
        matches!(
            a,
            Approval::IamBroadening { .. } | Approval::SecurityGroupBroadening { .. }
        )
    });
    let mut how = Vec::new();
    if !ids.is_empty() {
        how.push(format!(
            "allow each replacement by its logical id ({})",
            ids.join(", ")
        ));
    }
    if broadening {
        how.push("allow the broadening".to_owned());
    }
    s.push_str(&format!(
        "\nthe change set was deleted; review the plan, then {}, and deploy again (or deploy interactively and answer the prompt)",
        how.join(", ")
    ));
    s
}

fn profiles_found(
    known: &[String],
    unreadable: Option<&aws_runtime::env_config::error::EnvConfigFileLoadError>,
) -> String {
    match unreadable {
        Some(e) => format!("none: the files could not be read: {e}"),
        None if known.is_empty() => "none".into(),
        None => known.join(", "),
    }
}

fn unknown_ids_message(stack: &str, unknown: &[(String, cfn_core::error::Hint)]) -> String {
    let list: Vec<String> = unknown
        .iter()
        .map(|(id, hint)| format!("`{id}`{hint}"))
        .collect();
    format!(
        "stack `{stack}`: allowed to be replaced, but no resource of the template or of the deployed stack has this logical id: {}; correct the id (logical ids are case-sensitive)",
        list.join(", ")
    )
}

fn too_large_fix(limit: usize) -> &'static str {
    if limit <= cfn_core::validate::limits::DIRECT_BODY_BYTES {
        "inline; stage it in an S3 bucket (deployed by URL, up to 1,000,000 bytes), or split it into nested stacks"
    } else {
        "from S3; split it into nested stacks or remove unused parts"
    }
}

fn parameters_message(stack: &str, problems: &[cfn_core::Error]) -> String {
    let mut s = format!(
        "the parameter values for stack `{stack}` do not fit the template ({} problem{}); no change set was made:",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for p in problems {
        s.push_str(&format!("\n  {p}"));
    }
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

fn quoted(ids: &[String]) -> String {
    ids.iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn missing_message(
    stack: &str,
    status: &str,
    expected: usize,
    missing: &[crate::effects::MissingResource],
) -> String {
    let mut s = format!(
        "stack `{stack}` reports {status}; {} of the {expected} resources of its template {} not there:",
        missing.len(),
        if missing.len() == 1 { "is" } else { "are" }
    );
    for m in missing {
        s.push_str(&format!("\n  {m}"));
    }
    s.push_str(&format!(
        "\nthe API reported success without the effect (moto 5.2.5 does this when ExecuteChangeSet fails, e.g. on AWS::KMS::Key tags); list what exists with `aws cloudformation list-stack-resources --stack-name {stack}`, delete the stack and deploy again"
    ));
    s
}

fn delete_refused_message(stack: &str, refused: &[(String, String)]) -> String {
    let mut s = format!(
        "refusing to destroy stack `{stack}`: it would delete {} stateful resource{} whose data is not retained:",
        refused.len(),
        if refused.len() == 1 { "" } else { "s" }
    );
    for (id, ty) in refused {
        s.push_str(&format!("\n  {id} ({ty})"));
    }
    s.push_str(&format!(
        "\nnothing was deleted; if this is intended, allow each resource by name ({}) and destroy again, or set its DeletionPolicy to Retain or Snapshot and deploy first",
        refused
            .iter()
            .map(|(id, _)| id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    s
}

fn interrupted_message(stack: &str, cleaned: &[String], left: &[String]) -> String {
    let mut s = format!("interrupted: stack `{stack}`");
    if cleaned.is_empty() && left.is_empty() {
        s.push_str(": nothing was created, nothing is left");
    }
    for c in cleaned {
        s.push_str(&format!("\n  removed: {c}"));
    }
    for l in left {
        s.push_str(&format!("\n  left: {l}"));
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

//! The crate's one error type.

use std::fmt;

/// A result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One problem with the release's input: the path it concerns and what is
/// wrong, with the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file or directory (`app/web/scripts/after_install.sh`).
    pub path: String,
    /// What is wrong and how to fix it (lowercase).
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

fn render_problems(list: &[Problem]) -> String {
    let mut s = format!(
        "the revision cannot be built ({} problem(s)); nothing was uploaded or deployed",
        list.len()
    );
    for p in list {
        s.push_str("\n  ");
        s.push_str(&p.to_string());
    }
    s
}

/// Everything that stops a release before, or instead of, a deployment
/// outcome. A deployment that runs and fails is not an error but a
/// [`TierOutcome`](crate::TierOutcome) in the [`Report`](crate::Report).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The application directory, the AppSpec or the hook scripts are not
    /// fit to bundle; every problem found, at once.
    #[error("{}", render_problems(.problems))]
    InvalidRevision {
        /// The problems, in path order.
        problems: Vec<Problem>,
    },
    /// A tier was asked for that the stack does not have.
    #[error("unknown tier `{tier}`; stack `{stack}` has: {}", known.join(", "))]
    UnknownTier {
        /// The tier asked for.
        tier: String,
        /// The stack.
        stack: String,
        /// Its tiers, sorted (rendered comma separated).
        known: Vec<String>,
    },
    /// The stack has no tier files (`{stack}/{tier}/appspec.yml`).
    #[error("stack `{stack}` has no tier with an `appspec.yml` among its files; give each tier a typed AppSpec (`{stack}/TIER/appspec.yml`)")]
    NoTiers {
        /// The stack.
        stack: String,
    },
    /// The stack does not exist (in this account and region).
    #[error("stack `{stack}` is not deployed in {region}; deploy it first (`deploy --env {env}`), or check --region and --profile")]
    StackNotDeployed {
        /// The stack.
        stack: String,
        /// The environment.
        env: String,
        /// The region asked.
        region: String,
    },
    /// The stack exists but is not in a state to release to.
    #[error("stack `{stack}` is {status}; release needs a stack whose last operation completed (CREATE_COMPLETE, UPDATE_COMPLETE, UPDATE_ROLLBACK_COMPLETE); finish or repair the stack first")]
    StackNotReady {
        /// The stack.
        stack: String,
        /// Its status.
        status: String,
    },
    /// The stack lacks outputs that a release reads.
    #[error("stack `{stack}` lacks the output(s) {}; add them to the stack (see cfn_release::OutputNames) and deploy it again", .missing.join(", "))]
    MissingOutputs {
        /// The stack.
        stack: String,
        /// The missing output names.
        missing: Vec<String>,
    },
    /// A deployment group already has a deployment that has not finished.
    #[error("deployment group `{group}` (tier {tier}) already has deployment {deployment_id} in progress; wait for it to finish or stop it (`aws deploy stop-deployment --deployment-id {deployment_id}`), then release again; nothing was uploaded or deployed")]
    DeploymentInProgress {
        /// The tier.
        tier: String,
        /// The group.
        group: String,
        /// The unfinished deployment.
        deployment_id: String,
    },
    /// No region is configured.
    #[error("no AWS region is configured; pass --region or set AWS_REGION")]
    NoRegion,
    /// An AWS call failed.
    #[error("{service} {operation} failed: {message}; check the credentials, the region and the permissions for this call")]
    Aws {
        /// The service (`s3`).
        service: &'static str,
        /// The operation (`PutObject`).
        operation: &'static str,
        /// The error, with its causes.
        message: String,
    },
    /// A file could not be read, or the runtime could not start.
    #[error("{path}: {message}: {source}")]
    Io {
        /// The file or directory.
        path: String,
        /// What went wrong and the fix.
        message: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The zip could not be written (in memory).
    #[error("writing the bundle of tier {tier} failed: {message}")]
    Zip {
        /// The tier.
        tier: String,
        /// The zip library's message.
        message: String,
    },
}

/// The message of an error with its causes, `a: b: c`.
pub(crate) fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let m = c.to_string();
        if !s.contains(&m) {
            s.push_str(": ");
            s.push_str(&m);
        }
        cur = c.source();
    }
    s
}

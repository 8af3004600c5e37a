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
    #[error("stack `{stack}` is not deployed in {region}; deploy it first (environment `{env}`), or check the region and the profile")]
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
    #[error("no AWS region is configured; give a region (such as us-east-1) or set AWS_REGION")]
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

impl Error {
    /// A stable code for the error (its variant name, `StackNotDeployed`):
    /// what tools and the CLI match on instead of the message text.
    ///
    /// ```
    /// assert_eq!(cfn_release::Error::NoRegion.code(), "NoRegion");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidRevision { .. } => "InvalidRevision",
            Error::UnknownTier { .. } => "UnknownTier",
            Error::NoTiers { .. } => "NoTiers",
            Error::StackNotDeployed { .. } => "StackNotDeployed",
            Error::StackNotReady { .. } => "StackNotReady",
            Error::MissingOutputs { .. } => "MissingOutputs",
            Error::DeploymentInProgress { .. } => "DeploymentInProgress",
            Error::NoRegion => "NoRegion",
            Error::Aws { .. } => "Aws",
            Error::Io { .. } => "Io",
            Error::Zip { .. } => "Zip",
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The codes are a contract: a change here breaks whoever matches on
    /// them.
    #[test]
    fn codes_are_pinned() {
        let s = || String::from("x");
        let cases: Vec<(Error, &str)> = vec![
            (
                Error::InvalidRevision { problems: vec![] },
                "InvalidRevision",
            ),
            (
                Error::UnknownTier {
                    tier: s(),
                    stack: s(),
                    known: vec![],
                },
                "UnknownTier",
            ),
            (Error::NoTiers { stack: s() }, "NoTiers"),
            (
                Error::StackNotDeployed {
                    stack: s(),
                    env: s(),
                    region: s(),
                },
                "StackNotDeployed",
            ),
            (
                Error::StackNotReady {
                    stack: s(),
                    status: s(),
                },
                "StackNotReady",
            ),
            (
                Error::MissingOutputs {
                    stack: s(),
                    missing: vec![],
                },
                "MissingOutputs",
            ),
            (
                Error::DeploymentInProgress {
                    tier: s(),
                    group: s(),
                    deployment_id: s(),
                },
                "DeploymentInProgress",
            ),
            (Error::NoRegion, "NoRegion"),
            (
                Error::Aws {
                    service: "s3",
                    operation: "PutObject",
                    message: s(),
                },
                "Aws",
            ),
            (
                Error::Io {
                    path: s(),
                    message: s(),
                    source: std::io::Error::other("x"),
                },
                "Io",
            ),
            (
                Error::Zip {
                    tier: s(),
                    message: s(),
                },
                "Zip",
            ),
        ];
        for (e, code) in &cases {
            assert_eq!(e.code(), *code, "{e:?}");
            // library messages name no flag of cfnkit (an `aws` command
            // line is another tool's); the CLI adds them
            let text = e.to_string();
            for flag in [
                "--region",
                "--profile",
                "--env",
                "--endpoint-url",
                "--app",
                "--tier",
                "--wait",
            ] {
                assert!(!text.contains(flag), "{text}");
            }
        }
    }
}

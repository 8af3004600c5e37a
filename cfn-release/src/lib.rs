//! Releases application code to a deployed stack with CodeDeploy: the
//! Content Raven release flow.
//!
//! 1. **Plan** ([`Release::plan`], no AWS): each tier's revision is the
//!    application directory `APP/{tier}/` plus the stack program's
//!    generated `appspec.yml` and hook scripts (which carry the
//!    per-environment configuration the hooks install), checked (missing
//!    or empty directory, an `appspec.yml` that disagrees with the typed
//!    one, hook scripts that are missing or not executable: every problem
//!    at once) and packed into a deterministic zip.
//! 2. **Resolve** ([`Release::resolve`]): the deployed stack's outputs name
//!    the deployment bucket, the KMS key, the CodeDeploy application, each
//!    tier's deployment group and the topic ([`OutputNames`]).
//! 3. **Run** ([`Release::run`]): refuses if a group has an unfinished
//!    deployment; uploads each bundle with SSE-KMS under
//!    `revisions/{tier}/{sha256}.zip`, skipping keys that exist; creates one
//!    deployment per tier in order, waits with live progress and stops at
//!    the first failure (the group's automatic rollback takes over);
//!    publishes the [`Report::summary`] to the topic.
//!
//! The AWS calls sit behind [`ReleaseApi`]; [`AwsApi`] makes them through
//! the SDK. Nothing is uploaded or deployed until every check passed.
//!
//! ```
//! use cfn_release::{order_tiers, Release, TierSource};
//! # let app = std::env::temp_dir().join(format!("cfn-release-lib-{}", std::process::id()));
//! # for t in ["web", "backend"] { std::fs::create_dir_all(app.join(t)).unwrap(); std::fs::write(app.join(t).join("main.py"), "print(1)\n").unwrap(); }
//! let env = raven_stack::environments().unwrap().into_iter().find(|e| e.name == "staging").unwrap();
//! let stack = raven_stack::build(&env).unwrap();
//! let tiers = order_tiers(&stack.name, TierSource::from_stack_files(&stack.name, &stack.files), &[]).unwrap();
//! let release = Release::plan(&stack.name, &env.name, &app, &tiers).unwrap();
//! assert_eq!(release.tiers(), ["backend", "web"]);
//! print!("{}", release.dry_run());
//! # std::fs::remove_dir_all(&app).unwrap();
//! ```

#![warn(missing_docs)]

mod api;
mod bundle;
mod error;
mod release;
mod targets;
mod wait;

pub use api::{
    AwsApi, Connection, DeployedStack, DeploymentRequest, DeploymentState, DeploymentStatus,
    InstanceState, LifecycleEvent, ReleaseApi,
};
pub use bundle::{build_bundles, Bundle, Entry, TierSource, APPSPEC};
pub use error::{Error, Problem, Result};
pub use release::{order_tiers, Release, Report, RunOptions, Upload, KEY_PREFIX};
pub use targets::{OutputNames, Targets};
pub use wait::{wait_for, FailedEvent, Progress, TierOutcome, WaitSettings};

/// Runs a future on a new single-threaded runtime (for callers without one,
/// such as the CLI).
///
/// ```
/// assert_eq!(cfn_release::block_on(async { 1 + 1 }).unwrap(), 2);
/// ```
pub fn block_on<F: std::future::Future>(f: F) -> Result<F::Output> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Io {
            path: "(runtime)".into(),
            message: "cannot start the async runtime".into(),
            source: e,
        })?;
    Ok(rt.block_on(f))
}

//! `cfn-deploy`: deploys templates through the CloudFormation API with
//! change sets, for the CLI's `deploy` and `diff --against-stack`.
//!
//! - [`Deployer::deploy`]: create or update through a change set, show it
//!   ([`Plan`]: resource changes and the semantic diff against the deployed
//!   template), refuse data loss unless allowed by name, ask ([`Confirm`]),
//!   execute, stream stack events ([`Report`]) until a terminal state,
//!   collect the failing resources on failure ([`Error::DeployFailed`]).
//!   "No changes" is a success ([`Outcome::NoChanges`]); a stack left in
//!   ROLLBACK_COMPLETE is deleted and created again.
//! - The rest of the lifecycle: [`Deployer::plan`] (a change set shown,
//!   then deleted or kept; nothing executed), [`Deployer::stack_outputs`],
//!   [`Deployer::destroy`] (what is deleted and what retained, stateful
//!   resources only by name), [`Deployer::detect_drift`];
//!   [`Deployer::delete_stack`], [`Deployer::get_deployed_template`],
//!   [`Deployer::describe_stack`].
//! - Faults: the `*_interruptible` variants stop on Ctrl-C ([`Interrupt`])
//!   and remove what the run created, or name what is left
//!   ([`Error::Interrupted`]); a failed ExecuteChangeSet removes the change
//!   set it could not run; a connection lost while waiting says the
//!   operation may still be running ([`Error::ConnectionLost`]); with
//!   [`ConnectOptions::on_retry`], every retried call is reported
//!   ([`RetryNotice`], by the [`RetryLog`] interceptor).
//! - The decisions are plain functions, tested without a network:
//!   [`refused_changes`], [`approvals`], [`next_step`],
//!   [`is_no_changes_reason`], [`compare_resources`].
//!
//! Modules, one concern each: `connect` (connecting, named profiles),
//! `request` (what to deploy, how it ended), `deploy` (the gate and the
//! execution), `change_set` (the change set made, described, discarded),
//! `plan` (the change set shown), `refusal`, `approval` and `status` (the
//! gate's decisions),
//! `preview` (`plan`), `events` (events, waiting, progress), `effects` and
//! `conditions` (the stack's resources against the template's), `outputs`,
//! `destroy`, `drift`, `params` (parameters files and values), `stage`
//! (large templates in S3), `stack` (reading a
//! stack), `trace` and `interrupt` (what a run created; Ctrl-C),
//! `retry_log` (retried calls), `sdk_error` and `error` (the one [`Error`]).
//!
//! ```no_run
//! use cfn_deploy::{block_on, ConnectOptions, Deployer, DeployRequest, Progress};
//! # fn main() -> Result<(), cfn_deploy::Error> {
//! let template = cfn_core::Template::from_path("out/app.json").unwrap();
//! let req = DeployRequest::new("app-dev", template).yes(true);
//! let report = block_on(async {
//!     let d = Deployer::connect(&ConnectOptions::new().region("eu-west-1")).await?;
//!     d.deploy(
//!         &req,
//!         &mut |_: &cfn_deploy::Plan| true,
//!         &mut |p: Progress<'_>| match p {
//!             Progress::Plan(plan) => print!("{}", plan.render_text(false)),
//!             Progress::Event(e) => println!("{e}"),
//!             Progress::Notice(n) => eprintln!("{n}"),
//!             _ => {}
//!         },
//!     )
//!     .await
//! })??;
//! println!("{:?}", report.outcome);
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

mod approval;
mod change_set;
mod conditions;
mod connect;
mod deploy;
mod destroy;
mod drift;
mod effects;
mod error;
mod events;
mod interrupt;
mod outputs;
mod params;
mod plan;
mod preview;
mod refusal;
mod request;
mod retry_log;
mod sdk_error;
mod stack;
mod stage;
mod status;
mod trace;

pub use approval::{approvals, unapproved, unknown_logical_ids, Approval, Dependent};
pub use cfn_core::ParameterInput;
pub use connect::ConnectOptions;
pub use deploy::Deployer;
pub use destroy::{DeleteOutcome, DestroyPlan, DestroyReport, DestroyRequest, DestroyResource};
pub use drift::{DriftReport, PropertyDrift, ResourceDrift};
pub use effects::{compare_resources, EffectReport, MissingResource, StackResource};
pub use error::{Error, ResourceFailure, Result};
pub use events::{PollSettings, Progress, Quiet, Report, StackEvent};
pub use interrupt::{block_on_interruptible, Interrupt};
pub use outputs::{render_outputs_text, StackOutput};
pub use params::{parse_parameters, read_parameters_file};
pub use plan::{
    effective_replacement, Action, Capability, ChangeSetKind, Plan, Replacement, ResourceChange,
};
pub use preview::PlanReport;
pub use refusal::{refused_changes, RefusalReason, RefusedChange};
pub use request::{Confirm, DeployReport, DeployRequest, Outcome};
pub use retry_log::{RetryLog, RetryNotice, RetryObserver};
pub use stack::StackInfo;
pub use stage::TemplateBucket;
pub use status::{is_failure, is_no_changes_reason, is_terminal, next_step, NextStep};

/// Runs a future to completion on a new current-thread tokio runtime: the
/// way for a synchronous `main` to call this crate.
///
/// ```
/// assert_eq!(cfn_deploy::block_on(async { 1 + 1 }).unwrap(), 2);
/// ```
pub fn block_on<F: std::future::Future>(future: F) -> Result<F::Output> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(Error::Runtime)?;
    Ok(rt.block_on(future))
}

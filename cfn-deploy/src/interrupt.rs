//! Ctrl-C: an interrupted deploy or plan removes what it created (the
//! change set; the REVIEW_IN_PROGRESS stack of a create), or names what is
//! left (an operation already running in CloudFormation) with the commands
//! that check or remove it.

use crate::deploy::Deployer;
use crate::destroy::{DeleteOutcome, DestroyPlan, DestroyReport, DestroyRequest};
use crate::error::{Error, Result};
use crate::events::Report;
use crate::plan::ChangeSetKind;
use crate::preview::PlanReport;
use crate::request::{Confirm, DeployReport, DeployRequest, Outcome};
use crate::trace::{Stage, Trace};
use aws_sdk_cloudformation::error::ProvideErrorMetadata;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A flag set when the user interrupts (Ctrl-C). Cheap to clone; every
/// clone sees the same flag.
///
/// ```
/// let i = cfn_deploy::Interrupt::new();
/// assert!(!i.is_triggered());
/// i.trigger();
/// assert!(i.clone().is_triggered());
/// ```
#[derive(Debug, Clone, Default)]
pub struct Interrupt(Arc<AtomicBool>);

impl Interrupt {
    /// A flag not set.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets the flag.
    pub fn trigger(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
    /// Whether the flag is set.
    pub fn is_triggered(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
    /// Completes once the flag is set.
    pub async fn triggered(&self) {
        while !self.is_triggered() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    /// Sets the flag on the first Ctrl-C (SIGINT); a second one ends the
    /// process at once (exit code 130). Needs a tokio runtime; with the
    /// multi-threaded one of [`block_on_interruptible`] it also works while
    /// the main thread blocks in a prompt.
    pub fn listen_for_ctrl_c(&self) {
        let me = self.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                me.trigger();
                if tokio::signal::ctrl_c().await.is_ok() {
                    std::process::exit(130);
                }
            }
        });
    }
}

/// Runs `f` on a new runtime whose worker thread listens for Ctrl-C and
/// sets the [`Interrupt`] it passes to `f`.
///
/// ```
/// let n = cfn_deploy::block_on_interruptible(|i| async move { i.is_triggered() }).unwrap();
/// assert!(!n);
/// ```
pub fn block_on_interruptible<F, Fut>(f: F) -> Result<Fut::Output>
where
    F: FnOnce(Interrupt) -> Fut,
    Fut: Future,
{
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(Error::Runtime)?;
    Ok(rt.block_on(async move {
        let i = Interrupt::new();
        i.listen_for_ctrl_c();
        f(i).await
    }))
}

impl Deployer {
    /// [`Deployer::deploy`] that stops when `interrupt` is set: what the
    /// run created and did not execute is removed, an operation already
    /// running is named with the commands to follow or stop it
    /// ([`Error::Interrupted`]). A `confirm` that returns `false` because
    /// of the interrupt counts as interrupted too.
    pub async fn deploy_interruptible(
        &self,
        req: &DeployRequest,
        confirm: &mut dyn Confirm,
        report: &mut dyn Report,
        interrupt: &Interrupt,
    ) -> Result<DeployReport> {
        let trace = Trace::default();
        let r = tokio::select! {
            r = self.deploy_traced(req, confirm, report, &trace) => Some(r),
            _ = interrupt.triggered() => None,
        };
        match r {
            Some(Ok(rep)) if rep.outcome == Outcome::Declined && interrupt.is_triggered() => {
                let mut cleaned = Vec::new();
                if let Some(p) = &rep.plan {
                    cleaned.push(format!("change set {}", p.change_set_name));
                    if p.kind == ChangeSetKind::Create {
                        cleaned.push(format!(
                            "the empty stack {} (REVIEW_IN_PROGRESS)",
                            rep.stack_name
                        ));
                    }
                }
                Err(Error::Interrupted {
                    stack: rep.stack_name,
                    cleaned,
                    left: Vec::new(),
                })
            }
            Some(r) => r,
            None => Err(self.clean_after_interrupt(&req.stack_name, &trace).await),
        }
    }

    /// [`Deployer::plan`] that stops when `interrupt` is set, removing the
    /// change set it was creating.
    pub async fn plan_interruptible(
        &self,
        req: &DeployRequest,
        keep: bool,
        report: &mut dyn Report,
        interrupt: &Interrupt,
    ) -> Result<PlanReport> {
        let trace = Trace::default();
        let r = tokio::select! {
            r = self.plan_traced(req, keep, report, &trace) => Some(r),
            _ = interrupt.triggered() => None,
        };
        match r {
            Some(r) => r,
            None => Err(self.clean_after_interrupt(&req.stack_name, &trace).await),
        }
    }

    /// [`Deployer::destroy`] that stops waiting when `interrupt` is set;
    /// a deletion already requested keeps running in CloudFormation, and
    /// the error says how to follow it.
    pub async fn destroy_interruptible(
        &self,
        req: &DestroyRequest,
        confirm: &mut (dyn FnMut(&DestroyPlan) -> bool + Send),
        report: &mut dyn Report,
        interrupt: &Interrupt,
    ) -> Result<DestroyReport> {
        let r = tokio::select! {
            r = self.destroy(req, confirm, report) => Some(r),
            _ = interrupt.triggered() => None,
        };
        let stack = req.stack_name.clone();
        match r {
            Some(Ok(rep)) if rep.outcome == DeleteOutcome::Declined && interrupt.is_triggered() => {
                Err(Error::Interrupted {
                    stack,
                    cleaned: Vec::new(),
                    left: Vec::new(),
                })
            }
            Some(r) => r,
            None => Err(Error::Interrupted {
                left: vec![format!(
                    "the deletion may be running: follow it with aws cloudformation describe-stack-events --stack-name {stack}"
                )],
                stack,
                cleaned: Vec::new(),
            }),
        }
    }

    /// Removes what an interrupted run created; the error says what was
    /// removed and what is left.
    async fn clean_after_interrupt(&self, stack: &str, trace: &Trace) -> Error {
        let mut cleaned = Vec::new();
        let mut left = Vec::new();
        match trace.stage() {
            Stage::Nothing => {}
            Stage::ChangeSet {
                stack: name,
                cs,
                stack_id,
                kind,
            } => {
                // CreateChangeSet answered: the change set (and the stack of a
                // create) existed, so gone now means removed by this run (the
                // interrupt can land while a decline is already discarding them)
                let created = stack_id.is_some();
                let sid = stack_id.unwrap_or_else(|| name.clone());
                match self
                    .client
                    .delete_change_set()
                    .change_set_name(&cs)
                    .stack_name(&sid)
                    .send()
                    .await
                {
                    Ok(_) => cleaned.push(format!("change set {cs}")),
                    Err(e) if is_not_found(&described(&e)) => {
                        if created {
                            cleaned.push(format!("change set {cs}"));
                        }
                    }
                    // moto answers HTTP 500 for a change set already gone:
                    // ask whether it is still there before naming it as left
                    Err(_) if self.change_set_gone(&cs, &sid).await => {
                        if created {
                            cleaned.push(format!("change set {cs}"));
                        }
                    }
                    Err(_) => left.push(format!(
                        "change set {cs}: aws cloudformation delete-change-set --stack-name {name} --change-set-name {cs}"
                    )),
                }
                if kind == ChangeSetKind::Create {
                    match self.describe_stack(&sid).await {
                        Ok(Some(info)) if info.status == "REVIEW_IN_PROGRESS" => {
                            match self.client.delete_stack().stack_name(&sid).send().await {
                                Ok(_) => cleaned.push(format!(
                                    "the empty stack {name} (REVIEW_IN_PROGRESS)"
                                )),
                                Err(_) => left.push(format!(
                                    "the empty stack {name} (REVIEW_IN_PROGRESS): aws cloudformation delete-stack --stack-name {name}"
                                )),
                            }
                        }
                        Ok(None) if created => cleaned.push(format!(
                            "the empty stack {name} (REVIEW_IN_PROGRESS)"
                        )),
                        Ok(Some(info)) if created && info.status == "DELETE_COMPLETE" => cleaned.push(format!(
                            "the empty stack {name} (REVIEW_IN_PROGRESS)"
                        )),
                        Ok(_) => {}
                        Err(_) => left.push(format!(
                            "perhaps the empty stack {name} (REVIEW_IN_PROGRESS): check with aws cloudformation describe-stacks --stack-name {name}, remove with aws cloudformation delete-stack --stack-name {name}"
                        )),
                    }
                }
            }
            Stage::Executing { stack: name, kind } => {
                left.push(format!(
                    "the stack operation keeps running in CloudFormation: follow it with aws cloudformation describe-stack-events --stack-name {name}"
                ));
                left.push(match kind {
                    ChangeSetKind::Update => format!(
                        "to stop it and roll back: aws cloudformation cancel-update-stack --stack-name {name}"
                    ),
                    ChangeSetKind::Create => format!(
                        "to remove the new stack once it has finished: aws cloudformation delete-stack --stack-name {name}"
                    ),
                });
            }
        }
        Error::Interrupted {
            stack: stack.to_owned(),
            cleaned,
            left,
        }
    }
}

impl Deployer {
    /// Whether DescribeChangeSet says the change set does not exist.
    async fn change_set_gone(&self, cs: &str, stack_id: &str) -> bool {
        match self
            .client
            .describe_change_set()
            .change_set_name(cs)
            .stack_name(stack_id)
            .send()
            .await
        {
            Ok(_) => false,
            Err(e) => is_not_found(&described(&e)),
        }
    }
}

/// An SDK error's code, message and causes, for matching.
fn described<E: ProvideErrorMetadata + std::error::Error + 'static>(e: &E) -> String {
    format!(
        "{} {} {}",
        e.code().unwrap_or_default(),
        e.message().unwrap_or_default(),
        crate::sdk_error::chain(e)
    )
}

fn is_not_found(detail: &str) -> bool {
    detail.contains("does not exist") || detail.contains("ChangeSetNotFound")
}

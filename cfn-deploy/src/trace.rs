//! What a deploy created, step by step, so that an interrupted or failed
//! run can remove it (or say exactly what is left): the change set, and the
//! empty REVIEW_IN_PROGRESS stack a create change set makes.

use crate::deploy::Deployer;
use crate::events::{Progress, Report};
use crate::plan::{ChangeSetKind, Plan};
use crate::request::DeployReport;
use crate::stack::StackInfo;
use std::sync::Mutex;

/// Steps 1-4 of a deploy: finished ("no changes"), or a change set ready.
pub(crate) enum Prepared {
    /// Nothing to execute.
    Done(DeployReport),
    /// A change set, created and described.
    Ready(ChangeSetReady),
}

/// A change set created and described, not executed.
pub(crate) struct ChangeSetReady {
    pub(crate) plan: Plan,
    pub(crate) kind: ChangeSetKind,
    pub(crate) cs_id: String,
    pub(crate) stack_id: String,
    pub(crate) existing: Option<StackInfo>,
    pub(crate) recreated: bool,
}

/// Where a deploy is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) enum Stage {
    /// Nothing created yet.
    #[default]
    Nothing,
    /// CreateChangeSet was sent (its answer may not have arrived).
    ChangeSet {
        stack: String,
        cs: String,
        stack_id: Option<String>,
        kind: ChangeSetKind,
    },
    /// ExecuteChangeSet was sent: the stack operation runs in AWS.
    Executing { stack: String, kind: ChangeSetKind },
}

/// Records the [`Stage`] of a deploy; shared with the interrupt handler.
#[derive(Debug, Default)]
pub(crate) struct Trace(Mutex<Stage>);

impl Trace {
    fn set(&self, s: Stage) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = s;
    }
    pub(crate) fn stage(&self) -> Stage {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
    pub(crate) fn creating(&self, stack: &str, cs_name: &str, kind: ChangeSetKind) {
        self.set(Stage::ChangeSet {
            stack: stack.to_owned(),
            cs: cs_name.to_owned(),
            stack_id: None,
            kind,
        });
    }
    pub(crate) fn created(&self, cs_id: &str, stack_id: &str) {
        let mut g = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Stage::ChangeSet {
            cs, stack_id: sid, ..
        } = &mut *g
        {
            *cs = cs_id.to_owned();
            *sid = Some(stack_id.to_owned());
        }
    }
    pub(crate) fn executing(&self) {
        let mut g = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Stage::ChangeSet { stack, kind, .. } = &*g {
            *g = Stage::Executing {
                stack: stack.clone(),
                kind: *kind,
            };
        }
    }
}

impl Deployer {
    /// After a failed ExecuteChangeSet: removes the change set (and the
    /// empty stack of a create) when the execution never started, so that
    /// nothing stale is left behind. Best effort, reported as notices.
    pub(crate) async fn discard_unexecuted(
        &self,
        cs_id: &str,
        stack_id: &str,
        kind: ChangeSetKind,
        report: &mut dyn Report,
    ) {
        let started = match self
            .client
            .describe_change_set()
            .change_set_name(cs_id)
            .stack_name(stack_id)
            .send()
            .await
        {
            Ok(out) => !matches!(
                out.execution_status().map(|s| s.as_str()),
                Some("AVAILABLE" | "UNAVAILABLE") | None
            ),
            // the change set is gone: so is anything to discard, unless the
            // stack still waits for review
            Err(_) => !matches!(
                self.describe_stack(stack_id).await,
                Ok(Some(StackInfo { ref status, .. })) if status == "REVIEW_IN_PROGRESS"
            ),
        };
        if started {
            report.report(Progress::Notice(&format!(
                "the execution of change set {cs_id} started; the stack operation may still be running: check with `aws cloudformation describe-stack-events --stack-name {stack_id}`"
            )));
        } else {
            self.discard(cs_id, stack_id, kind, report).await;
            report.report(Progress::Notice(&format!(
                "change set {cs_id} was not executed and was deleted{}",
                if kind == ChangeSetKind::Create {
                    ", with the empty stack it made"
                } else {
                    ""
                }
            )));
        }
    }
}

//! `plan`: the change set created and shown, then deleted (or kept for a
//! later `aws cloudformation execute-change-set`); nothing is executed.

use crate::deploy::Deployer;
use crate::error::Result;
use crate::events::Report;
use crate::plan::{ChangeSetKind, Plan};
use crate::refusal::RefusedChange;
use crate::request::DeployRequest;
use crate::trace::{Prepared, Trace};

/// What `plan` found.
#[derive(Debug, Clone)]
pub struct PlanReport {
    /// The stack name.
    pub stack_name: String,
    /// The change set, unless there were no changes.
    pub plan: Option<Plan>,
    /// Whether the change set was kept (else it was deleted, with the empty
    /// stack of a create).
    pub kept: bool,
    /// The changes a deploy with the same allowances would refuse.
    pub refused: Vec<RefusedChange>,
}

impl PlanReport {
    /// The commands that execute or delete a kept change set.
    pub fn kept_commands(&self) -> Vec<String> {
        let Some(p) = self.plan.as_ref().filter(|_| self.kept) else {
            return Vec::new();
        };
        let mut v = vec![
            format!(
                "aws cloudformation execute-change-set --stack-name {} --change-set-name {}",
                p.stack_name, p.change_set_name
            ),
            format!(
                "aws cloudformation delete-change-set --stack-name {} --change-set-name {}",
                p.stack_name, p.change_set_name
            ),
        ];
        if p.kind == ChangeSetKind::Create {
            v.push(format!(
                "aws cloudformation delete-stack --stack-name {} (the empty stack, after deleting the change set)",
                p.stack_name
            ));
        }
        v
    }
}

impl Deployer {
    /// Creates the change set and reports the [`Plan`] like
    /// [`Deployer::deploy`], lists what a deploy would refuse, and deletes
    /// the change set (with the empty stack of a create) unless `keep`.
    /// Never executes.
    pub async fn plan(
        &self,
        req: &DeployRequest,
        keep: bool,
        report: &mut dyn Report,
    ) -> Result<PlanReport> {
        self.plan_traced(req, keep, report, &Trace::default()).await
    }

    pub(crate) async fn plan_traced(
        &self,
        req: &DeployRequest,
        keep: bool,
        report: &mut dyn Report,
        trace: &Trace,
    ) -> Result<PlanReport> {
        let stack = req.stack_name.clone();
        match self.prepare(req, report, trace).await? {
            Prepared::Done(_) => Ok(PlanReport {
                stack_name: stack,
                plan: None,
                kept: false,
                refused: Vec::new(),
            }),
            Prepared::Ready(r) => {
                let refused = r.plan.refused_changes(&req.allow_replace);
                if !keep {
                    self.discard(&r.cs_id, &r.stack_id, r.kind, report).await;
                }
                Ok(PlanReport {
                    stack_name: stack,
                    plan: Some(r.plan),
                    kept: keep,
                    refused,
                })
            }
        }
    }
}

//! The client and the deploy: [`Deployer`] (built from a client or by
//! `connect.rs`) and [`Deployer::deploy`], the gate's checks and the
//! execution around the change set.
//!
//! The request is in `request.rs`, the change set made and described in
//! `change_set.rs`, connecting in `connect.rs`; reading a stack is in
//! `stack.rs`, events and waiting in `events.rs`, deleting in
//! `destroy.rs`, SDK error classification in `sdk_error.rs`.

use crate::error::{Error, Result};
use crate::events::{failures, PollSettings, Progress, Report};
use crate::plan::ChangeSetKind;
use crate::request::{Confirm, DeployReport, DeployRequest, Outcome};
use crate::status::is_failure;
use crate::trace::{ChangeSetReady, Prepared, Trace};
use aws_sdk_cloudformation::Client;
use cfn_tools::diff::{SchemaFacts, StaticFacts};
use std::fmt;
use std::sync::Arc;

/// Talks to CloudFormation. Cheap to clone.
#[derive(Clone)]
pub struct Deployer {
    pub(crate) client: Client,
    pub(crate) endpoint: String,
    pub(crate) max_attempts: u32,
    pub(crate) poll: PollSettings,
    pub(crate) facts: Arc<dyn SchemaFacts + Send + Sync>,
    /// The S3 client for large templates (see `stage.rs`).
    pub(crate) staging: Option<Arc<crate::stage::Staging>>,
}

impl fmt::Debug for Deployer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Deployer")
            .field("endpoint", &self.endpoint)
            .field("max_attempts", &self.max_attempts)
            .field("poll", &self.poll)
            .finish_non_exhaustive()
    }
}

impl Deployer {
    /// Wraps a client built elsewhere (its own retry and timeout settings apply).
    pub fn from_client(client: Client) -> Self {
        let max_attempts = client
            .config()
            .retry_config()
            .map(|r| r.max_attempts())
            .unwrap_or(1);
        Self {
            client,
            endpoint: "the configured CloudFormation endpoint".into(),
            max_attempts,
            poll: PollSettings::default(),
            facts: Arc::new(StaticFacts::new()),
            staging: None,
        }
    }

    /// Sets how often to poll and how long to wait.
    pub fn with_poll(mut self, poll: PollSettings) -> Self {
        self.poll = poll;
        self
    }

    /// Sets the schema facts the semantic diff uses to classify changes
    /// (default: none, every modification of a known type "may replace").
    pub fn with_schema_facts(mut self, facts: Arc<dyn SchemaFacts + Send + Sync>) -> Self {
        self.facts = facts;
        self
    }

    /// The underlying SDK client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    // ------------------------------------------------------------ deploying

    /// Creates or updates the stack through a change set.
    ///
    /// 1. renders the template (compact JSON) and, unless turned off, checks
    ///    it with ValidateTemplate;
    /// 2. a stack in ROLLBACK_COMPLETE (its first create failed) is deleted
    ///    first, with a [`Progress::Notice`]; a busy or stuck stack is an error;
    /// 3. creates a change set (CREATE or UPDATE) and waits for it; "no
    ///    changes" deletes it and returns [`Outcome::NoChanges`];
    /// 4. reports the [`Plan`](crate::Plan): resource changes and, for updates, the
    ///    semantic diff against the deployed template;
    /// 5. refuses ([`Error::StatefulChangeRefused`], change set deleted)
    ///    when a stateful resource would be replaced or deleted and its
    ///    logical id is not in `allow_replace` (an id there that names no
    ///    resource is [`Error::UnknownLogicalIds`], before any change set);
    ///    with `yes`, also refuses ([`Error::ApprovalRequired`]) the
    ///    [`Plan::approvals`](crate::Plan::approvals) not covered by `allow_replace` or
    ///    `allow_broadening` (see [`crate::approvals`]);
    /// 6. asks `confirm` unless `yes`; executes; reports every new stack
    ///    event until the stack reaches a terminal state;
    /// 7. a failed or rolled-back stack is [`Error::DeployFailed`] with the
    ///    failing resources and their reasons;
    /// 8. sets termination protection when asked.
    pub async fn deploy(
        &self,
        req: &DeployRequest,
        confirm: &mut dyn Confirm,
        report: &mut dyn Report,
    ) -> Result<DeployReport> {
        self.deploy_traced(req, confirm, report, &Trace::default())
            .await
    }

    /// [`Deployer::deploy`], recording in `trace` what it created (for the
    /// cleanup after an interrupt, see `interrupt.rs`).
    pub(crate) async fn deploy_traced(
        &self,
        req: &DeployRequest,
        confirm: &mut dyn Confirm,
        report: &mut dyn Report,
        trace: &Trace,
    ) -> Result<DeployReport> {
        let stack = req.stack_name.as_str();
        let ready = match self.prepare(req, report, trace).await? {
            Prepared::Done(done) => {
                // "no changes" is checked for effects too: moto reports a
                // stack without resources as unchanged
                let status = done.status.clone().unwrap_or_default();
                self.verify_effects(stack, &status, &req.template, report)
                    .await?;
                return Ok(done);
            }
            Prepared::Ready(ready) => ready,
        };
        let ChangeSetReady {
            plan,
            kind,
            cs_id,
            stack_id,
            existing,
            recreated,
        } = ready;
        let cs_name = plan.change_set_name.clone();

        let refused = plan.refused_changes(&req.allow_replace);

        if !refused.is_empty() {
            self.discard(&cs_id, &stack_id, kind, report).await;
            return Err(Error::StatefulChangeRefused {
                stack: stack.to_owned(),
                refused,
            });
        }
        if req.yes {
            let pending = plan.unapproved(&req.allow_replace, req.allow_broadening);
            if !pending.is_empty() {
                self.discard(&cs_id, &stack_id, kind, report).await;
                return Err(Error::ApprovalRequired {
                    stack: stack.to_owned(),
                    pending,
                });
            }
        }

        if !req.yes && !confirm.confirm(&plan) {
            self.discard(&cs_id, &stack_id, kind, report).await;
            return Ok(DeployReport {
                stack_name: stack.to_owned(),
                stack_id: (kind == ChangeSetKind::Update).then_some(stack_id),
                outcome: Outcome::Declined,
                status: existing.map(|s| s.status),
                plan: Some(plan),
                recreated,
                events: Vec::new(),
            });
        }

        let mut seen = self.recent_event_ids(stack, &stack_id).await?;
        trace.executing();
        if let Err(e) = self
            .client
            .execute_change_set()
            .change_set_name(&cs_id)
            .stack_name(&stack_id)
            .client_request_token(format!("exec-{cs_name}"))
            .set_disable_rollback(req.disable_rollback.then_some(true))
            .send()
            .await
        {
            let err = self.api_error("ExecuteChangeSet", stack, e);
            // nothing stale left behind when the execution never started
            self.discard_unexecuted(&cs_id, &stack_id, kind, report)
                .await;
            return Err(err);
        }
        let total = plan.changes.len();
        let (info, events) = self
            .wait_stack_counting(stack, &stack_id, &mut seen, "the deploy", total, report)
            .await?;
        if is_failure(&info.status) {
            return Err(Error::DeployFailed {
                stack: stack.to_owned(),
                failures: failures(&events),
                status: info.status,
                reason: info.reason,
            });
        }
        // effects, not statuses: the stack's resources are the template's
        self.verify_effects(stack, &info.status, &req.template, report)
            .await?;
        self.apply_termination_protection(stack, req, report)
            .await?;
        Ok(DeployReport {
            stack_name: stack.to_owned(),
            stack_id: Some(stack_id),
            outcome: match kind {
                ChangeSetKind::Create => Outcome::Created,
                ChangeSetKind::Update => Outcome::Updated,
            },
            status: Some(info.status),
            plan: Some(plan),
            recreated,
            events,
        })
    }

    pub(crate) async fn apply_termination_protection(
        &self,
        stack: &str,
        req: &DeployRequest,
        report: &mut dyn Report,
    ) -> Result<()> {
        let Some(want) = req.termination_protection else {
            return Ok(());
        };
        let Some(info) = self.describe_stack(stack).await? else {
            return Ok(());
        };
        if info.termination_protection == want {
            return Ok(());
        }
        self.client
            .update_termination_protection()
            .stack_name(stack)
            .enable_termination_protection(want)
            .send()
            .await
            .map_err(|e| self.api_error("UpdateTerminationProtection", stack, e))?;
        report.report(Progress::Notice(&format!(
            "termination protection of stack {stack} turned {}",
            if want { "on" } else { "off" }
        )));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The futures can be spawned on a multi-threaded runtime.
    /// The futures can be spawned on a multi-threaded runtime.
    #[allow(dead_code)]
    fn futures_are_send(d: &Deployer, r: &DeployRequest, c: &mut dyn Confirm, p: &mut dyn Report) {
        fn send<T: Send>(_: T) {}
        send(d.deploy(r, c, p));
        send(d.delete_stack("s", &mut crate::Quiet));
        send(d.get_deployed_template("s"));
    }
}

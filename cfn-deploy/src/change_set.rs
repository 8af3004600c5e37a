//! The change set: made from the stack's state, created, waited for and
//! described into a [`Plan`] (steps 1-4 of [`Deployer::deploy`]), or
//! discarded when it will not run.

use crate::approval::{approvals, unknown_logical_ids};
use crate::deploy::Deployer;
use crate::error::{Error, Result};
use crate::events::{Progress, Report};
use crate::plan::{Action, ChangeSetKind, Plan, Replacement, ResourceChange};
use crate::request::{DeployReport, DeployRequest, Outcome};
use crate::sdk_error::{chain, change_set_failure};
use crate::stack::StackInfo;
use crate::status::{is_no_changes_reason, next_step, NextStep};
use crate::trace::{ChangeSetReady, Prepared, Trace};
use aws_sdk_cloudformation::types::{self as sdk, ChangeSetType};
use cfn_tools::diff::diff;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

impl Deployer {
    /// Steps 1-4 of [`Deployer::deploy`]: checks, the change set created
    /// and described, the plan reported; or "no changes", finished.
    pub(crate) async fn prepare(
        &self,
        req: &DeployRequest,
        report: &mut dyn Report,
        trace: &Trace,
    ) -> Result<Prepared> {
        let stack = req.stack_name.as_str();
        let body = req.template.to_json_compact();
        // parameter names and values: before any API call (see params.rs)
        req.check_parameters_offline()?;
        let source = self.stage_template(req, &body, report).await?;
        if req.validate {
            self.validate_source(stack, &source).await?;
        }

        let existing = self.describe_stack(stack).await?;
        let (kind, recreated) = self
            .change_set_kind(stack, existing.as_ref(), report)
            .await?;

        let (template_diff, diff_note, deployed) = match kind {
            ChangeSetKind::Create => (None, None, None),
            ChangeSetKind::Update => match self.get_deployed_template(stack).await {
                Ok(old) => (
                    Some(diff(&old, &req.template, &*self.facts)),
                    None,
                    Some(old),
                ),
                Err(Error::DeployedTemplate { source, .. }) => (
                    None,
                    Some(format!(
                        "the deployed template could not be parsed: {source}"
                    )),
                    None,
                ),
                Err(e) => return Err(e),
            },
        };
        let unknown = unknown_logical_ids(&req.allow_replace, &req.template, deployed.as_ref());
        if !unknown.is_empty() {
            return Err(Error::UnknownLogicalIds {
                stack: stack.to_owned(),
                unknown,
            });
        }

        let cs_name = format!("cfn-deploy-{}", unique());
        trace.creating(stack, &cs_name, kind);
        let (cs_id, stack_id) = match self.create_change_set(req, &source, &cs_name, kind).await {
            // moto (like UpdateStack) refuses an identical update at once
            // instead of failing the change set
            Err(Error::Api { message, .. }) if is_no_changes_reason(&message) => {
                self.apply_termination_protection(stack, req, report)
                    .await?;
                return Ok(Prepared::Done(DeployReport {
                    stack_name: stack.to_owned(),
                    stack_id: existing.as_ref().map(|s| s.stack_id.clone()),
                    outcome: Outcome::NoChanges,
                    status: existing.map(|s| s.status),
                    plan: None,
                    recreated,
                    events: Vec::new(),
                }));
            }
            r => r?,
        };
        trace.created(&cs_id, &stack_id);

        if !self
            .wait_for_change_set(stack, &cs_name, &cs_id, &stack_id, kind, report)
            .await?
        {
            self.apply_termination_protection(stack, req, report)
                .await?;
            return Ok(Prepared::Done(DeployReport {
                stack_name: stack.to_owned(),
                stack_id: Some(stack_id),
                outcome: Outcome::NoChanges,
                status: existing.map(|s| s.status),
                plan: None,
                recreated,
                events: Vec::new(),
            }));
        }

        let changes = self.change_set_changes(stack, &cs_id, &stack_id).await?;
        let plan = Plan {
            stack_name: stack.to_owned(),
            kind,
            change_set_name: cs_name.clone(),
            change_set_id: cs_id.clone(),
            approvals: approvals(&changes, template_diff.as_ref(), &req.template),
            changes,
            diff: template_diff,
            diff_note,
        };
        report.report(Progress::Plan(&plan));
        Ok(Prepared::Ready(ChangeSetReady {
            plan,
            kind,
            cs_id,
            stack_id,
            existing,
            recreated,
        }))
    }

    /// The change set to make from the stack's state (step 2): create,
    /// update, or delete a failed first creation and create again
    /// (`true`: recreated); a busy or stuck stack is an error.
    async fn change_set_kind(
        &self,
        stack: &str,
        existing: Option<&StackInfo>,
        report: &mut dyn Report,
    ) -> Result<(ChangeSetKind, bool)> {
        let mut recreated = false;
        let kind = match next_step(existing.map(|s| s.status.as_str())) {
            NextStep::Create => ChangeSetKind::Create,
            NextStep::Update => ChangeSetKind::Update,
            NextStep::DeleteThenCreate => {
                report.report(Progress::Notice(&format!(
                    "stack {stack} is in ROLLBACK_COMPLETE: its first creation failed and it can only be deleted; deleting it, then creating it again"
                )));
                self.delete_stack(stack, report).await?;
                recreated = true;
                ChangeSetKind::Create
            }
            NextStep::Busy => {
                return Err(Error::StackBusy {
                    stack: stack.to_owned(),
                    status: existing.map(|s| s.status.clone()).unwrap_or_default(),
                })
            }
            NextStep::Stuck(advice) => {
                return Err(Error::StackNotUpdatable {
                    stack: stack.to_owned(),
                    status: existing.map(|s| s.status.clone()).unwrap_or_default(),
                    advice,
                })
            }
        };
        Ok((kind, recreated))
    }

    /// Waits for the change set (step 3): `true` once created, `false`
    /// when it failed for want of changes (it is then discarded); an error
    /// when it failed otherwise or timed out (discarded too).
    async fn wait_for_change_set(
        &self,
        stack: &str,
        cs_name: &str,
        cs_id: &str,
        stack_id: &str,
        kind: ChangeSetKind,
        report: &mut dyn Report,
    ) -> Result<bool> {
        let started = Instant::now();
        loop {
            let out = self
                .client
                .describe_change_set()
                .change_set_name(cs_id)
                .stack_name(stack_id)
                .send()
                .await
                .map_err(|e| self.api_error("DescribeChangeSet", stack, e))?;
            let status = out.status().map(|s| s.as_str()).unwrap_or("");
            match status {
                "CREATE_COMPLETE" => return Ok(true),
                "FAILED" => {
                    let reason = out.status_reason().unwrap_or("").to_owned();
                    if is_no_changes_reason(&reason) {
                        self.discard(cs_id, stack_id, kind, report).await;
                        return Ok(false);
                    }
                    self.discard(cs_id, stack_id, kind, report).await;
                    return Err(change_set_failure(stack, reason));
                }
                _ => {}
            }
            if started.elapsed() > self.poll.change_set_timeout {
                self.discard(cs_id, stack_id, kind, report).await;
                return Err(Error::Timeout {
                    what: format!("change set {cs_name} of stack {stack}"),
                    after: started.elapsed(),
                });
            }
            tokio::time::sleep(self.poll.interval).await;
        }
    }

    async fn create_change_set(
        &self,
        req: &DeployRequest,
        source: &crate::stage::TemplateSource,
        cs_name: &str,
        kind: ChangeSetKind,
    ) -> Result<(String, String)> {
        // missing values and UsePreviousValue need the deployed stack's parameters
        let parameters = self
            .change_set_parameters(req, kind == ChangeSetKind::Update)
            .await?;
        let stack = req.stack_name.as_str();
        let mut call = self
            .client
            .create_change_set()
            .stack_name(stack)
            .change_set_name(cs_name)
            .client_token(cs_name)
            .set_template_body(match source {
                crate::stage::TemplateSource::Body(b) => Some(b.clone()),
                crate::stage::TemplateSource::Url(_) => None,
            })
            .set_template_url(match source {
                crate::stage::TemplateSource::Url(u) => Some(u.clone()),
                crate::stage::TemplateSource::Body(_) => None,
            })
            .set_parameters(Some(parameters))
            .set_role_arn(req.role_arn.clone())
            .set_notification_arns(
                (!req.notification_arns.is_empty()).then(|| req.notification_arns.clone()),
            )
            .description("created by cfn-deploy")
            .change_set_type(match kind {
                ChangeSetKind::Create => ChangeSetType::Create,
                ChangeSetKind::Update => ChangeSetType::Update,
            });
        for (k, v) in &req.tags {
            call = call.tags(sdk::Tag::builder().key(k).value(v).build());
        }
        for c in &req.capabilities {
            call = call.capabilities(sdk::Capability::from(c.as_str()));
        }
        let out = call
            .send()
            .await
            .map_err(|e| self.api_error("CreateChangeSet", stack, e))?;
        let cs_id = out.id().unwrap_or(cs_name).to_owned();
        let stack_id = out.stack_id().unwrap_or(stack).to_owned();
        Ok((cs_id, stack_id))
    }

    async fn change_set_changes(
        &self,
        stack: &str,
        cs_id: &str,
        stack_id: &str,
    ) -> Result<Vec<ResourceChange>> {
        let mut changes = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let out = self
                .client
                .describe_change_set()
                .change_set_name(cs_id)
                .stack_name(stack_id)
                .set_next_token(token.take())
                .send()
                .await
                .map_err(|e| self.api_error("DescribeChangeSet", stack, e))?;
            for c in out.changes() {
                let Some(rc) = c.resource_change() else {
                    continue;
                };
                changes.push(ResourceChange {
                    action: Action::from_api(rc.action().map(|a| a.as_str()).unwrap_or("")),
                    logical_id: rc.logical_resource_id().unwrap_or_default().to_owned(),
                    resource_type: rc.resource_type().unwrap_or_default().to_owned(),
                    physical_id: rc.physical_resource_id().map(str::to_owned),
                    replacement: rc
                        .replacement()
                        .and_then(|r| Replacement::from_api(r.as_str())),
                    scope: rc.scope().iter().map(|s| s.as_str().to_owned()).collect(),
                });
            }
            match out.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_owned()),
                _ => break,
            }
        }
        Ok(changes)
    }

    /// Deletes a change set that will not run; for a create, also the empty
    /// stack in REVIEW_IN_PROGRESS it leaves behind. Best effort: a failure
    /// here is reported, not returned.
    pub(crate) async fn discard(
        &self,
        cs_id: &str,
        stack_id: &str,
        kind: ChangeSetKind,
        report: &mut dyn Report,
    ) {
        if let Err(e) = self
            .client
            .delete_change_set()
            .change_set_name(cs_id)
            .stack_name(stack_id)
            .send()
            .await
        {
            report.report(Progress::Notice(&format!(
                "could not delete change set {cs_id}: {}",
                chain(&e)
            )));
        }
        if kind == ChangeSetKind::Create {
            if let Err(e) = self.client.delete_stack().stack_name(stack_id).send().await {
                report.report(Progress::Notice(&format!(
                    "could not delete the empty stack {stack_id}: {}",
                    chain(&e)
                )));
            }
        }
    }
}

/// A token unique enough for change set names and request tokens.
pub(crate) fn unique() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    format!(
        "{millis}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

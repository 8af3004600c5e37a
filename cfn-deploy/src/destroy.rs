//! Deleting a stack: the plain delete, and `destroy`, which first says
//! what will be deleted and what retained, refuses to delete stateful
//! resources that are not allowed by name, and asks.

use crate::change_set::unique;
use crate::deploy::Deployer;
use crate::effects::StackResource;
use crate::error::{Error, Result};
use crate::events::{failures, Progress, Report, StackEvent};
use cfn_core::{Expr, Template};
use std::fmt::Write as _;

/// How a delete ended, when it did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeleteOutcome {
    /// The stack was deleted.
    Deleted,
    /// There was no such stack: nothing to do.
    NotFound,
    /// The user said no: nothing was deleted.
    Declined,
}

impl Deployer {
    /// Deletes a stack and waits until it is gone, reporting its events.
    /// A stack that does not exist is [`DeleteOutcome::NotFound`], not an error.
    ///
    /// Errors: [`Error::TerminationProtected`], [`Error::DeleteFailed`]
    /// with the resources that could not be deleted, [`Error::Timeout`].
    pub async fn delete_stack(
        &self,
        stack: &str,
        report: &mut dyn Report,
    ) -> Result<DeleteOutcome> {
        Ok(self.delete_with_events(stack, report).await?.0)
    }

    /// [`Deployer::delete_stack`], returning the events too.
    async fn delete_with_events(
        &self,
        stack: &str,
        report: &mut dyn Report,
    ) -> Result<(DeleteOutcome, Vec<StackEvent>)> {
        let Some(info) = self.describe_stack(stack).await? else {
            return Ok((DeleteOutcome::NotFound, Vec::new()));
        };
        if info.termination_protection {
            return Err(Error::TerminationProtected {
                stack: stack.to_owned(),
            });
        }
        let mut seen = self.recent_event_ids(stack, &info.stack_id).await?;
        if info.status != "DELETE_IN_PROGRESS" {
            self.client
                .delete_stack()
                .stack_name(&info.stack_id)
                .client_request_token(format!("delete-{}", unique()))
                .send()
                .await
                .map_err(|e| self.api_error("DeleteStack", stack, e))?;
        }
        let (end, events) = self
            .wait_stack(stack, &info.stack_id, &mut seen, "the deletion", report)
            .await?;
        if end.status != "DELETE_COMPLETE" {
            return Err(Error::DeleteFailed {
                stack: stack.to_owned(),
                failures: failures(&events),
                status: end.status,
                reason: end.reason,
            });
        }
        Ok((DeleteOutcome::Deleted, events))
    }
}

/// What to destroy and how.
///
/// ```
/// let req = cfn_deploy::DestroyRequest::new("app-dev").allow_delete("Db").yes(true);
/// assert_eq!(req.allow_delete, ["Db"]);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DestroyRequest {
    /// The stack name.
    pub stack_name: String,
    /// Logical ids of stateful resources that may be deleted (their data
    /// is not retained by a DeletionPolicy).
    pub allow_delete: Vec<String>,
    /// Delete without asking.
    pub yes: bool,
}

impl DestroyRequest {
    /// A request that asks before deleting and allows no stateful deletion.
    pub fn new(stack_name: impl Into<String>) -> Self {
        Self {
            stack_name: stack_name.into(),
            allow_delete: Vec::new(),
            yes: false,
        }
    }
    /// Allows deleting the stateful resource with this logical id.
    pub fn allow_delete(mut self, logical_id: impl Into<String>) -> Self {
        self.allow_delete.push(logical_id.into());
        self
    }
    /// Deletes without asking.
    pub fn yes(mut self, yes: bool) -> Self {
        self.yes = yes;
        self
    }
}

/// One resource of a stack about to be destroyed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DestroyResource {
    /// Logical id.
    pub logical_id: String,
    /// Resource type.
    pub resource_type: String,
    /// Physical id, if any.
    pub physical_id: Option<String>,
    /// The DeletionPolicy that keeps it (`Retain`, `RetainExceptOnCreate`)
    /// or keeps its data (`Snapshot`); `None` when it is deleted.
    pub retained_by: Option<String>,
    /// Whether the type holds data (`cfn_resources::schema::is_stateful`).
    pub stateful: bool,
}

/// What destroying a stack would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DestroyPlan {
    /// The stack name.
    pub stack_name: String,
    /// The stack id (ARN).
    pub stack_id: String,
    /// Its status.
    pub status: String,
    /// Whether termination protection is on.
    pub termination_protection: bool,
    /// Its resources, in listing order.
    pub resources: Vec<DestroyResource>,
    /// Why the DeletionPolicies may be incomplete (the deployed template
    /// could not be read, or a policy is an intrinsic), if so.
    pub note: Option<String>,
}

impl DestroyPlan {
    /// Stateful resources that would be deleted with their data and are
    /// not in `allowed`: (logical id, type).
    pub fn refused(&self, allowed: &[String]) -> Vec<(String, String)> {
        self.resources
            .iter()
            .filter(|r| r.stateful && r.retained_by.is_none() && !allowed.contains(&r.logical_id))
            .map(|r| (r.logical_id.clone(), r.resource_type.clone()))
            .collect()
    }

    /// The plan for people: one line per resource, deleted ones first.
    pub fn render_text(&self) -> String {
        let mut s = format!(
            "destroy stack {} ({}, {} resources)\n",
            self.stack_name,
            self.status,
            self.resources.len()
        );
        for r in self.resources.iter().filter(|r| r.retained_by.is_none()) {
            let _ = writeln!(
                s,
                "  delete  {}  {}{}",
                r.logical_id,
                r.resource_type,
                if r.stateful { "  (holds data)" } else { "" }
            );
        }
        for r in self.resources.iter() {
            if let Some(p) = &r.retained_by {
                let verb = if p == "Snapshot" {
                    "snapshot"
                } else {
                    "retain"
                };
                let _ = writeln!(
                    s,
                    "  {verb:<6}  {}  {}  (DeletionPolicy {p}{})",
                    r.logical_id,
                    r.resource_type,
                    r.physical_id
                        .as_deref()
                        .map(|p| format!("; kept: {p}"))
                        .unwrap_or_default()
                );
            }
        }
        if let Some(n) = &self.note {
            let _ = writeln!(s, "  note: {n}");
        }
        s
    }
}

/// The result of a destroy that did not fail.
#[derive(Debug, Clone)]
pub struct DestroyReport {
    /// How it ended.
    pub outcome: DeleteOutcome,
    /// What was (or would have been) deleted and retained; `None` when
    /// the stack did not exist.
    pub plan: Option<DestroyPlan>,
    /// The events of the deletion, in order.
    pub events: Vec<StackEvent>,
}

/// The DeletionPolicy that retains a resource or its data, from a template.
fn retained_by(template: Option<&Template>, id: &str) -> std::result::Result<Option<String>, ()> {
    let Some(r) = template.and_then(|t| t.resources.get(id)) else {
        return Ok(None);
    };
    match r.deletion_policy.as_deref() {
        None => Ok(None),
        Some(Expr::String(p)) if p == "Delete" => Ok(None),
        Some(Expr::String(p)) => Ok(Some(p.clone())),
        Some(_) => Err(()),
    }
}

/// Builds the destroy plan from the listed resources and the deployed
/// template (a pure function).
pub(crate) fn destroy_plan(
    stack: &str,
    info: &crate::stack::StackInfo,
    listed: &[StackResource],
    template: Option<&Template>,
    mut note: Option<String>,
) -> DestroyPlan {
    let mut resources = Vec::new();
    for l in listed.iter().filter(|l| l.status != "DELETE_COMPLETE") {
        let retained = match retained_by(template, &l.logical_id) {
            Ok(r) => r,
            Err(()) => {
                note.get_or_insert_with(|| {
                    format!(
                        "the DeletionPolicy of {} is an intrinsic; it is treated as Delete",
                        l.logical_id
                    )
                });
                None
            }
        };
        resources.push(DestroyResource {
            logical_id: l.logical_id.clone(),
            resource_type: l.resource_type.clone(),
            physical_id: l.physical_id.clone(),
            retained_by: retained,
            stateful: cfn_resources::schema::is_stateful(&l.resource_type),
        });
    }
    DestroyPlan {
        stack_name: stack.to_owned(),
        stack_id: info.stack_id.clone(),
        status: info.status.clone(),
        termination_protection: info.termination_protection,
        resources,
        note,
    }
}

impl Deployer {
    /// What destroying the stack would delete and retain; `None` when the
    /// stack does not exist. Nothing is changed.
    pub async fn destroy_plan(&self, stack: &str) -> Result<Option<DestroyPlan>> {
        let Some(info) = self.describe_stack(stack).await? else {
            return Ok(None);
        };
        let listed = self.list_stack_resources(&info.stack_id).await?;
        let (template, note) = match self.get_deployed_template(&info.stack_id).await {
            Ok(t) => (Some(t), None),
            Err(Error::DeployedTemplate { source, .. }) => (
                None,
                Some(format!(
                    "the deployed template could not be read ({source}); every resource is treated as deleted"
                )),
            ),
            Err(e) => return Err(e),
        };
        Ok(Some(destroy_plan(
            stack,
            &info,
            &listed,
            template.as_ref(),
            note,
        )))
    }

    /// Destroys the stack: reports what will be deleted and retained (as a
    /// [`Progress::Notice`]), refuses termination-protected stacks
    /// ([`Error::TerminationProtected`]), unknown allowed ids
    /// ([`Error::UnknownAllowed`]) and stateful deletions not allowed by
    /// name ([`Error::DeleteRefused`]); asks `confirm` unless `yes`;
    /// deletes, waiting with events; checks that the stack is gone.
    pub async fn destroy(
        &self,
        req: &DestroyRequest,
        confirm: &mut (dyn FnMut(&DestroyPlan) -> bool + Send),
        report: &mut dyn Report,
    ) -> Result<DestroyReport> {
        let stack = req.stack_name.as_str();
        let Some(plan) = self.destroy_plan(stack).await? else {
            return Ok(DestroyReport {
                outcome: DeleteOutcome::NotFound,
                plan: None,
                events: Vec::new(),
            });
        };
        report.report(Progress::Notice(&plan.render_text()));
        if plan.termination_protection {
            return Err(Error::TerminationProtected {
                stack: stack.to_owned(),
            });
        }
        let unknown: Vec<String> = req
            .allow_delete
            .iter()
            .filter(|id| !plan.resources.iter().any(|r| &r.logical_id == *id))
            .cloned()
            .collect();
        if !unknown.is_empty() {
            return Err(Error::UnknownAllowed {
                stack: stack.to_owned(),
                ids: unknown,
                known: plan.refused(&[]).into_iter().map(|(id, _)| id).collect(),
            });
        }
        let refused = plan.refused(&req.allow_delete);
        if !refused.is_empty() {
            return Err(Error::DeleteRefused {
                stack: stack.to_owned(),
                refused,
            });
        }
        if !req.yes && !confirm(&plan) {
            return Ok(DestroyReport {
                outcome: DeleteOutcome::Declined,
                plan: Some(plan),
                events: Vec::new(),
            });
        }
        let (outcome, events) = self.delete_with_events(stack, report).await?;
        if self.describe_stack(stack).await?.is_some() {
            return Err(Error::DeleteFailed {
                stack: stack.to_owned(),
                status: "still listed after DELETE_COMPLETE".into(),
                reason: None,
                failures: failures(&events),
            });
        }
        Ok(DestroyReport {
            outcome,
            plan: Some(plan),
            events,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stack::StackInfo;

    #[test]
    fn retained_and_stateful_resources_are_told_apart() {
        let t = Template::from_yaml(
            "Resources:
  Logs: {Type: AWS::S3::Bucket, DeletionPolicy: Retain}
  Db: {Type: AWS::RDS::DBInstance, DeletionPolicy: Snapshot}
  Table: {Type: AWS::DynamoDB::Table}
  Topic: {Type: AWS::SNS::Topic}
",
        )
        .unwrap();
        let listed: Vec<StackResource> = ["Logs", "Db", "Table", "Topic"]
            .iter()
            .map(|id| StackResource {
                logical_id: (*id).into(),
                physical_id: Some(format!("{}-p", id.to_lowercase())),
                resource_type: t.resources[*id].type_name.clone(),
                status: "CREATE_COMPLETE".into(),
                reason: None,
            })
            .collect();
        let info = StackInfo {
            stack_id: "arn:s".into(),
            status: "CREATE_COMPLETE".into(),
            reason: None,
            termination_protection: false,
        };
        let plan = destroy_plan("s", &info, &listed, Some(&t), None);
        assert_eq!(
            plan.refused(&[]),
            [("Table".to_string(), "AWS::DynamoDB::Table".to_string())]
        );
        assert!(plan.refused(&["Table".into()]).is_empty());
        assert_eq!(
            plan.render_text(),
            "destroy stack s (CREATE_COMPLETE, 4 resources)
  delete  Table  AWS::DynamoDB::Table  (holds data)
  delete  Topic  AWS::SNS::Topic
  retain  Logs  AWS::S3::Bucket  (DeletionPolicy Retain; kept: logs-p)
  snapshot  Db  AWS::RDS::DBInstance  (DeletionPolicy Snapshot; kept: db-p)
"
        );
    }
}

//! What a change set would do, and the decisions taken on it, free of any
//! network call: stack states, "no changes", refusals of data loss.

use crate::approval::{render_approvals, unapproved, Approval};
use cfn_tools::diff::{render_text, ChangeKind, Impact, TemplateDiff};
use std::fmt;
use std::str::FromStr;

/// A capability acknowledged for the stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Capability {
    /// `CAPABILITY_IAM`: the template creates IAM resources.
    Iam,
    /// `CAPABILITY_NAMED_IAM`: the template creates IAM resources with custom names.
    NamedIam,
    /// `CAPABILITY_AUTO_EXPAND`: the template contains macros or nested stacks with them.
    AutoExpand,
}

impl Capability {
    /// The API name (`CAPABILITY_IAM`).
    pub fn as_str(self) -> &'static str {
        match self {
            Capability::Iam => "CAPABILITY_IAM",
            Capability::NamedIam => "CAPABILITY_NAMED_IAM",
            Capability::AutoExpand => "CAPABILITY_AUTO_EXPAND",
        }
    }
}

impl fmt::Display for Capability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Capability {
    type Err = String;
    /// Parses `CAPABILITY_IAM`, `CAPABILITY_NAMED_IAM`, `CAPABILITY_AUTO_EXPAND`
    /// (case-insensitive, the `CAPABILITY_` prefix optional).
    ///
    /// ```
    /// use cfn_deploy::Capability;
    /// assert_eq!("named_iam".parse::<Capability>().unwrap(), Capability::NamedIam);
    /// assert!("CAPABILITY_ROOT".parse::<Capability>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, String> {
        let up = s.trim().to_ascii_uppercase();
        match up.strip_prefix("CAPABILITY_").unwrap_or(&up) {
            "IAM" => Ok(Capability::Iam),
            "NAMED_IAM" => Ok(Capability::NamedIam),
            "AUTO_EXPAND" => Ok(Capability::AutoExpand),
            _ => Err(format!(
                "unknown capability `{s}`; use CAPABILITY_IAM, CAPABILITY_NAMED_IAM or CAPABILITY_AUTO_EXPAND"
            )),
        }
    }
}

/// Whether the change set creates the stack or updates it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeSetKind {
    /// `ChangeSetType=CREATE`: the stack does not exist yet.
    Create,
    /// `ChangeSetType=UPDATE`.
    Update,
}

/// What the change set does to a resource.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Action {
    /// A new resource.
    Add,
    /// An existing resource changes (see [`ResourceChange::replacement`]).
    Modify,
    /// The resource is deleted.
    Remove,
    /// The resource is imported.
    Import,
    /// Decided at execution time (nested stacks, macros).
    Dynamic,
    /// An action this version does not know.
    Other(String),
}

impl Action {
    /// Parses the API's action name.
    pub fn from_api(s: &str) -> Self {
        match s {
            "Add" => Action::Add,
            "Modify" => Action::Modify,
            "Remove" => Action::Remove,
            "Import" => Action::Import,
            "Dynamic" => Action::Dynamic,
            other => Action::Other(other.to_owned()),
        }
    }
    /// The API's action name.
    pub fn as_str(&self) -> &str {
        match self {
            Action::Add => "Add",
            Action::Modify => "Modify",
            Action::Remove => "Remove",
            Action::Import => "Import",
            Action::Dynamic => "Dynamic",
            Action::Other(s) => s,
        }
    }
}

/// Whether a modification replaces the resource, as the change set reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Replacement {
    /// Updated in place.
    False,
    /// Replaced depending on a value known only at execution time.
    Conditional,
    /// Replaced: a new physical resource, the old one deleted.
    True,
}

impl Replacement {
    /// Parses the API's value (`True`, `Conditional`, `False`).
    pub fn from_api(s: &str) -> Option<Self> {
        match s {
            "True" => Some(Replacement::True),
            "Conditional" => Some(Replacement::Conditional),
            "False" => Some(Replacement::False),
            _ => None,
        }
    }
    /// The API's value.
    pub fn as_str(self) -> &'static str {
        match self {
            Replacement::True => "True",
            Replacement::Conditional => "Conditional",
            Replacement::False => "False",
        }
    }
    /// The estimate of the semantic diff, for peers that do not report one.
    pub fn from_impact(i: Impact) -> Self {
        match i {
            Impact::InPlace => Replacement::False,
            Impact::Conditional => Replacement::Conditional,
            Impact::Replacement => Replacement::True,
        }
    }
}

/// One resource change of a change set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceChange {
    /// Add, Modify, Remove, ...
    pub action: Action,
    /// Logical id.
    pub logical_id: String,
    /// Resource type.
    pub resource_type: String,
    /// Physical id, for existing resources.
    pub physical_id: Option<String>,
    /// For modifications: whether the resource is replaced. `None` when the
    /// API did not say (real CloudFormation always does for Modify; moto never).
    pub replacement: Option<Replacement>,
    /// What changes (`Properties`, `Tags`, `Metadata`, ...).
    pub scope: Vec<String>,
}

impl ResourceChange {
    /// Whether the type holds data: [`cfn_resources::schema::is_stateful`],
    /// the one list that lint and diff read too.
    pub fn is_stateful(&self) -> bool {
        cfn_resources::schema::is_stateful(&self.resource_type)
    }
}

/// Everything a user should see before saying yes: the change set's resource
/// changes and, for updates, the semantic diff against the deployed template.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The stack name.
    pub stack_name: String,
    /// Create or update.
    pub kind: ChangeSetKind,
    /// The change set's name.
    pub change_set_name: String,
    /// The change set's id (ARN).
    pub change_set_id: String,
    /// The resource changes, in change set order.
    pub changes: Vec<ResourceChange>,
    /// For updates: the semantic diff from the deployed template to the new one.
    pub diff: Option<TemplateDiff>,
    /// Why there is no diff on an update (the deployed template could not be read).
    pub diff_note: Option<String>,
    /// Changes that need explicit approval beyond a plain yes: replacing a
    /// resource others depend on, IAM or security-group broadening
    /// ([`crate::approvals`]).
    pub approvals: Vec<Approval>,
}

impl Plan {
    /// The replacement of a change, as reported, or else estimated from the
    /// semantic diff (`None` for a Modify the diff does not see: no change).
    pub fn effective_replacement(&self, c: &ResourceChange) -> Option<Replacement> {
        effective_replacement(c, self.diff.as_ref())
    }

    /// The changes that would replace or delete a stateful resource, less
    /// those allowed by logical id.
    pub fn refused_changes(&self, allow_replace: &[String]) -> Vec<RefusedChange> {
        refused_changes(&self.changes, self.diff.as_ref(), allow_replace)
    }

    /// The [`Plan::approvals`] that `--yes` alone does not cover: replacements
    /// of depended-on resources not allowed by logical id, and broadening
    /// unless `allow_broadening`.
    pub fn unapproved(&self, allow_replace: &[String], allow_broadening: bool) -> Vec<Approval> {
        unapproved(&self.approvals, allow_replace, allow_broadening)
    }

    /// Renders the plan for a terminal: the change set table, then the
    /// semantic diff ([`cfn_tools::diff::render_text`]).
    ///
    /// ```
    /// use cfn_deploy::{Action, ChangeSetKind, Plan, Replacement, ResourceChange};
    /// let plan = Plan {
    ///     stack_name: "app".into(),
    ///     kind: ChangeSetKind::Update,
    ///     change_set_name: "cfn-deploy-1".into(),
    ///     change_set_id: "arn:...".into(),
    ///     changes: vec![ResourceChange {
    ///         action: Action::Modify,
    ///         logical_id: "Assets".into(),
    ///         resource_type: "AWS::S3::Bucket".into(),
    ///         physical_id: Some("app-assets".into()),
    ///         replacement: Some(Replacement::True),
    ///         scope: vec!["Properties".into()],
    ///     }],
    ///     diff: None,
    ///     diff_note: None,
    ///     approvals: vec![],
    /// };
    /// let text = plan.render_text(false);
    /// assert!(text.contains("Modify  Assets  AWS::S3::Bucket  replacement: True  [stateful]"));
    /// ```
    pub fn render_text(&self, color: bool) -> String {
        let mut s = format!(
            "change set {} for stack {} ({}):\n",
            self.change_set_name,
            self.stack_name,
            match self.kind {
                ChangeSetKind::Create => "create",
                ChangeSetKind::Update => "update",
            }
        );
        if self.changes.is_empty() {
            s.push_str("  (no resource changes)\n");
        }
        let w_action = self
            .changes
            .iter()
            .map(|c| c.action.as_str().len())
            .max()
            .unwrap_or(0);
        let w_id = self
            .changes
            .iter()
            .map(|c| c.logical_id.len())
            .max()
            .unwrap_or(0);
        let w_type = self
            .changes
            .iter()
            .map(|c| c.resource_type.len())
            .max()
            .unwrap_or(0);
        for c in &self.changes {
            let mut line = format!(
                "  {:<w_action$}  {:<w_id$}  {:<w_type$}",
                c.action.as_str(),
                c.logical_id,
                c.resource_type
            );
            if c.action == Action::Modify {
                match (c.replacement, self.effective_replacement(c)) {
                    (Some(r), _) => line.push_str(&format!("  replacement: {}", r.as_str())),
                    (None, Some(r)) => {
                        line.push_str(&format!("  replacement: {} (estimated)", r.as_str()))
                    }
                    (None, None) => line.push_str("  replacement: unknown"),
                }
            }
            if c.is_stateful() {
                line.push_str("  [stateful]");
            }
            let line = line.trim_end().to_owned();
            let risky = c.is_stateful()
                && (c.action == Action::Remove
                    || matches!(
                        self.effective_replacement(c),
                        Some(Replacement::True | Replacement::Conditional)
                    ));
            if color && risky {
                s.push_str(&format!("\x1b[1;31m{line}\x1b[0m\n"));
            } else {
                s.push_str(&line);
                s.push('\n');
            }
        }
        render_approvals(&mut s, &self.approvals, color);
        if let Some(d) = &self.diff {
            s.push_str("\ndiff against the deployed template:\n");
            if d.is_empty() {
                s.push_str("  (the templates are the same as data)\n");
            } else {
                s.push_str(&render_text(d, color));
                if !s.ends_with('\n') {
                    s.push('\n');
                }
            }
        } else if let Some(note) = &self.diff_note {
            s.push_str(&format!("\n(no diff: {note})\n"));
        }
        s
    }
}

/// See [`Plan::effective_replacement`].
pub fn effective_replacement(
    c: &ResourceChange,
    diff: Option<&TemplateDiff>,
) -> Option<Replacement> {
    if c.action != Action::Modify {
        return None;
    }
    if c.replacement.is_some() {
        return c.replacement;
    }
    let d = diff?;
    d.resources
        .iter()
        .find(|r| r.id == c.logical_id && r.kind == ChangeKind::Modified)
        .map(|r| Replacement::from_impact(r.impact))
}

/// Why a change was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalReason {
    /// The resource would be replaced (`True`) or might be (`Conditional`).
    Replaced(Replacement),
    /// The resource would be deleted.
    Removed,
}

/// A change that would destroy data, refused unless allowed by name.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RefusedChange {
    /// Logical id.
    pub logical_id: String,
    /// Resource type.
    pub resource_type: String,
    /// Replacement or removal.
    pub reason: RefusalReason,
    /// Whether the replacement comes from the semantic diff's estimate
    /// rather than from the change set.
    pub estimated: bool,
    /// Whether the deployed template retains the old resource
    /// (UpdateReplacePolicy and DeletionPolicy Retain or Snapshot): its data
    /// survives outside the stack, but the stack moves to a new, empty one.
    pub retained: bool,
}

impl fmt::Display for RefusedChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.reason {
            RefusalReason::Removed => "would be deleted",
            RefusalReason::Replaced(Replacement::Conditional) => "may be replaced",
            RefusalReason::Replaced(_) => "would be replaced",
        };
        write!(f, "{} ({}) {what}", self.logical_id, self.resource_type)?;
        if self.retained {
            f.write_str(
                ", the old one retained outside the stack: the stack would use a new, empty one",
            )?;
        } else if let Some(loses) =
            cfn_resources::schema::stateful(&self.resource_type).and_then(|s| s.loses)
        {
            write!(f, ", destroying {loses}")?;
        }
        if self.estimated {
            f.write_str(" (estimated from the template diff: the change set did not say)")?;
        }
        Ok(())
    }
}

/// The changes that replace (True or Conditional) or remove a resource of a
/// stateful type ([`cfn_resources::schema::is_stateful`]) whose logical id
/// is not in `allow_replace`. A Modify without replacement information is
/// judged by the semantic diff, when there is one. A removal that the
/// deployed template retains (DeletionPolicy Retain or Snapshot, known from
/// the diff) keeps the data and is not refused; a retained replacement is
/// (the stack would move to a new, empty resource).
///
/// Every stateful type is covered (a test goes through all of them).
///
/// ```
/// use cfn_deploy::{refused_changes, Action, ResourceChange, Replacement};
/// let change = |action, replacement| ResourceChange {
///     action,
///     logical_id: "Data".into(),
///     resource_type: "AWS::DynamoDB::Table".into(),
///     physical_id: None,
///     replacement,
///     scope: vec![],
/// };
/// let risky = [change(Action::Modify, Some(Replacement::Conditional))];
/// assert_eq!(refused_changes(&risky, None, &[]).len(), 1);
/// assert!(refused_changes(&risky, None, &["Data".to_string()]).is_empty());
/// let safe = [change(Action::Modify, Some(Replacement::False))];
/// assert!(refused_changes(&safe, None, &[]).is_empty());
/// ```
pub fn refused_changes(
    changes: &[ResourceChange],
    diff: Option<&TemplateDiff>,
    allow_replace: &[String],
) -> Vec<RefusedChange> {
    let retained =
        |id: &str| diff.is_some_and(|d| d.resources.iter().any(|r| r.id == id && r.retained));
    changes
        .iter()
        .filter(|c| c.is_stateful() && !allow_replace.iter().any(|a| a == &c.logical_id))
        .filter_map(|c| {
            let reason = match c.action {
                Action::Remove if retained(&c.logical_id) => return None,
                Action::Remove => RefusalReason::Removed,
                Action::Modify => match effective_replacement(c, diff)? {
                    Replacement::False => return None,
                    r => RefusalReason::Replaced(r),
                },
                _ => return None,
            };
            Some(RefusedChange {
                logical_id: c.logical_id.clone(),
                resource_type: c.resource_type.clone(),
                reason,
                estimated: c.action == Action::Modify && c.replacement.is_none(),
                retained: retained(&c.logical_id),
            })
        })
        .collect()
}

/// What to do with a stack, given its current status (`None`: it does not exist).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextStep {
    /// Create it (`ChangeSetType=CREATE`). Also for a stack in
    /// `REVIEW_IN_PROGRESS`, which has a change set but was never executed.
    Create,
    /// Update it (`ChangeSetType=UPDATE`).
    Update,
    /// Its first creation failed and rolled back (`ROLLBACK_COMPLETE`): it
    /// can only be deleted. Delete it, then create it.
    DeleteThenCreate,
    /// An operation is running: wait.
    Busy,
    /// A failed state that needs a human: the advice says what to do.
    Stuck(&'static str),
}

/// Decides what to do with a stack in the given status.
///
/// ```
/// use cfn_deploy::{next_step, NextStep};
/// assert_eq!(next_step(None), NextStep::Create);
/// assert_eq!(next_step(Some("UPDATE_ROLLBACK_COMPLETE")), NextStep::Update);
/// assert_eq!(next_step(Some("ROLLBACK_COMPLETE")), NextStep::DeleteThenCreate);
/// assert_eq!(next_step(Some("UPDATE_IN_PROGRESS")), NextStep::Busy);
/// ```
pub fn next_step(status: Option<&str>) -> NextStep {
    let Some(status) = status else {
        return NextStep::Create;
    };
    match status {
        "REVIEW_IN_PROGRESS" => NextStep::Create,
        "DELETE_COMPLETE" => NextStep::Create,
        "ROLLBACK_COMPLETE" => NextStep::DeleteThenCreate,
        "CREATE_COMPLETE" | "UPDATE_COMPLETE" | "UPDATE_ROLLBACK_COMPLETE" | "IMPORT_COMPLETE"
        | "IMPORT_ROLLBACK_COMPLETE" => NextStep::Update,
        "ROLLBACK_FAILED" | "CREATE_FAILED" => NextStep::Stuck(
            "its creation failed and could not be rolled back; delete the stack (retaining the resources that fail to delete) and deploy again",
        ),
        "DELETE_FAILED" => NextStep::Stuck(
            "a deletion failed; delete the stack again (retaining the resources that fail to delete) or fix what blocks the deletion",
        ),
        "UPDATE_ROLLBACK_FAILED" | "UPDATE_FAILED" | "IMPORT_ROLLBACK_FAILED" => NextStep::Stuck(
            "an update's rollback failed; fix the cause and run `aws cloudformation continue-update-rollback` (optionally skipping resources), then deploy again",
        ),
        s if s.ends_with("_IN_PROGRESS") => NextStep::Busy,
        _ => NextStep::Stuck("the status is unknown to this tool; check the stack in the console"),
    }
}

/// Whether a change set's status reason means "nothing to change": a
/// success, not a failure.
///
/// ```
/// assert!(cfn_deploy::is_no_changes_reason(
///     "The submitted information didn't contain changes. Submit different information to create a change set."
/// ));
/// assert!(cfn_deploy::is_no_changes_reason("No updates are to be performed."));
/// assert!(!cfn_deploy::is_no_changes_reason("Template format error"));
/// ```
pub fn is_no_changes_reason(reason: &str) -> bool {
    reason.contains("didn't contain changes") || reason.contains("No updates are to be performed")
}

/// Whether a stack status ends an operation.
pub fn is_terminal(status: &str) -> bool {
    !status.ends_with("_IN_PROGRESS")
}

/// Whether a terminal stack status means the operation failed or rolled back.
///
/// ```
/// assert!(cfn_deploy::is_failure("UPDATE_ROLLBACK_COMPLETE"));
/// assert!(cfn_deploy::is_failure("ROLLBACK_COMPLETE"));
/// assert!(!cfn_deploy::is_failure("UPDATE_COMPLETE"));
/// ```
pub fn is_failure(status: &str) -> bool {
    status.contains("ROLLBACK") || status.ends_with("_FAILED")
}

#[cfg(test)]
mod tests {
    use super::*;
    use cfn_core::Template;
    use cfn_tools::diff::{diff, StaticFacts};

    fn change(action: Action, id: &str, ty: &str, r: Option<Replacement>) -> ResourceChange {
        ResourceChange {
            action,
            logical_id: id.into(),
            resource_type: ty.into(),
            physical_id: None,
            replacement: r,
            scope: vec![],
        }
    }

    #[test]
    fn refuses_stateful_replacement_and_removal_only() {
        let changes = vec![
            change(
                Action::Modify,
                "Bucket",
                "AWS::S3::Bucket",
                Some(Replacement::True),
            ),
            change(
                Action::Modify,
                "Table",
                "AWS::DynamoDB::Table",
                Some(Replacement::Conditional),
            ),
            change(
                Action::Modify,
                "Key",
                "AWS::KMS::Key",
                Some(Replacement::False),
            ),
            change(Action::Remove, "Logs", "AWS::Logs::LogGroup", None),
            change(
                Action::Modify,
                "Topic",
                "AWS::SNS::Topic",
                Some(Replacement::True),
            ),
            change(Action::Remove, "Fn", "AWS::Lambda::Function", None),
            change(Action::Add, "Queue", "AWS::SQS::Queue", None),
        ];
        let refused = refused_changes(&changes, None, &[]);
        let ids: Vec<_> = refused.iter().map(|r| r.logical_id.as_str()).collect();
        assert_eq!(ids, ["Bucket", "Table", "Logs"]);
        assert_eq!(refused[2].reason, RefusalReason::Removed);
        assert!(refused.iter().all(|r| !r.estimated));

        let allowed = refused_changes(&changes, None, &["Bucket".into(), "Logs".into()]);
        let ids: Vec<_> = allowed.iter().map(|r| r.logical_id.as_str()).collect();
        assert_eq!(ids, ["Table"]);
    }

    /// The gate covers every type of the one stateful list: replacement
    /// (True or Conditional, reported or estimated) and deletion are refused
    /// without consent by logical id, and allowed with it. The same list
    /// makes lint's STATE001 and the diff's "data at risk" fire.
    #[test]
    fn every_stateful_type_is_protected_by_deploy_lint_and_diff() {
        use cfn_core::{Declared, Raw};
        use cfn_resources::schema::STATEFUL_TYPES;
        assert!(STATEFUL_TYPES.len() >= 50, "{}", STATEFUL_TYPES.len());
        let mut old = Template::new();
        for (i, ty) in STATEFUL_TYPES.iter().enumerate() {
            old.add(format!("R{i}").as_str(), Declared::new(Raw::new(*ty)))
                .unwrap();
        }
        let empty = Template::new();
        let removal = diff(&old, &empty, &StaticFacts::new());
        assert_eq!(removal.data_at_risk().len(), STATEFUL_TYPES.len());
        let lint = cfn_tools::lint::Linter::new().run(&old);
        for (i, ty) in STATEFUL_TYPES.iter().enumerate() {
            let id = format!("R{i}");
            assert!(
                lint.findings
                    .iter()
                    .any(|f| f.rule == "STATE001" && f.resource == id),
                "STATE001 misses {ty}"
            );
            for (action, r) in [
                (Action::Modify, Some(Replacement::True)),
                (Action::Modify, Some(Replacement::Conditional)),
                (Action::Remove, None),
            ] {
                let c = [change(action.clone(), &id, ty, r)];
                let refused = refused_changes(&c, None, &[]);
                assert_eq!(refused.len(), 1, "{ty} {action:?} {r:?} not refused");
                assert!(refused_changes(&c, None, std::slice::from_ref(&id)).is_empty());
            }
            // Estimated from the diff when the change set is silent.
            let c = [change(Action::Modify, &id, ty, None)];
            let mut d = removal.clone();
            d.resources = vec![cfn_tools::diff::ResourceDiff {
                id: id.clone(),
                type_name: (*ty).to_owned(),
                kind: ChangeKind::Modified,
                impact: Impact::Replacement,
                stateful: true,
                retained: false,
                changes: vec![],
                replaced_because: None,
            }];
            let refused = refused_changes(&c, Some(&d), &[]);
            assert!(refused.len() == 1 && refused[0].estimated, "{ty}");
        }
    }

    #[test]
    fn retained_removal_keeps_data_and_retained_replacement_is_refused_with_the_reason() {
        let old = Template::from_yaml(
            "Resources:\n  Logs:\n    Type: AWS::Logs::LogGroup\n    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n  Data:\n    Type: AWS::DynamoDB::Table\n    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n    Properties: {TableName: a}\n  Queue:\n    Type: AWS::SQS::Queue\n",
        )
        .unwrap();
        let new = Template::from_yaml(
            "Resources:\n  Data:\n    Type: AWS::DynamoDB::Table\n    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n    Properties: {TableName: b}\n",
        )
        .unwrap();
        let d = diff(&old, &new, &cfn_tools::schema::RegistryFacts);
        let changes = [
            change(Action::Remove, "Logs", "AWS::Logs::LogGroup", None),
            change(
                Action::Modify,
                "Data",
                "AWS::DynamoDB::Table",
                Some(Replacement::True),
            ),
            change(Action::Remove, "Queue", "AWS::SQS::Queue", None),
        ];
        let refused = refused_changes(&changes, Some(&d), &[]);
        let lines: Vec<String> = refused.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "Data (AWS::DynamoDB::Table) would be replaced, the old one retained outside the stack: the stack would use a new, empty one",
                "Queue (AWS::SQS::Queue) would be deleted",
            ]
        );
    }

    #[test]
    fn estimates_replacement_from_the_diff_when_the_change_set_is_silent() {
        let old = Template::from_yaml(
            "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: a}\n  C:\n    Type: AWS::S3::Bucket\n  T:\n    Type: AWS::S3::Bucket\n    Properties: {Tags: [{Key: k, Value: '1'}]}\n",
        )
        .unwrap();
        let new = Template::from_yaml(
            "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: b}\n  C:\n    Type: AWS::S3::Bucket\n  T:\n    Type: AWS::S3::Bucket\n    Properties: {Tags: [{Key: k, Value: '2'}]}\n",
        )
        .unwrap();
        let facts = StaticFacts::new().create_only("AWS::S3::Bucket", &["/properties/BucketName"]);
        let d = diff(&old, &new, &facts);
        // moto reports every resource as Modify, without Replacement.
        let changes = vec![
            change(Action::Modify, "B", "AWS::S3::Bucket", None),
            change(Action::Modify, "C", "AWS::S3::Bucket", None),
            change(Action::Modify, "T", "AWS::S3::Bucket", None),
        ];
        assert_eq!(
            effective_replacement(&changes[0], Some(&d)),
            Some(Replacement::True)
        );
        assert_eq!(effective_replacement(&changes[1], Some(&d)), None);
        assert_eq!(
            effective_replacement(&changes[2], Some(&d)),
            Some(Replacement::False)
        );
        let refused = refused_changes(&changes, Some(&d), &[]);
        assert_eq!(refused.len(), 1);
        assert_eq!(refused[0].logical_id, "B");
        assert!(refused[0].estimated);
        assert_eq!(
            refused[0].reason,
            RefusalReason::Replaced(Replacement::True)
        );
        // Without a diff and without information, nothing is refused.
        assert!(refused_changes(&changes, None, &[]).is_empty());
    }

    #[test]
    fn stack_states() {
        assert_eq!(next_step(Some("REVIEW_IN_PROGRESS")), NextStep::Create);
        assert_eq!(next_step(Some("CREATE_COMPLETE")), NextStep::Update);
        assert_eq!(next_step(Some("IMPORT_COMPLETE")), NextStep::Update);
        assert_eq!(
            next_step(Some("ROLLBACK_COMPLETE")),
            NextStep::DeleteThenCreate
        );
        for busy in [
            "CREATE_IN_PROGRESS",
            "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS",
            "UPDATE_ROLLBACK_IN_PROGRESS",
            "DELETE_IN_PROGRESS",
            "ROLLBACK_IN_PROGRESS",
        ] {
            assert_eq!(next_step(Some(busy)), NextStep::Busy, "{busy}");
        }
        for stuck in [
            "ROLLBACK_FAILED",
            "DELETE_FAILED",
            "UPDATE_ROLLBACK_FAILED",
            "CREATE_FAILED",
        ] {
            assert!(
                matches!(next_step(Some(stuck)), NextStep::Stuck(_)),
                "{stuck}"
            );
        }
    }

    #[test]
    fn terminal_and_failure_statuses() {
        for (s, terminal, failure) in [
            ("CREATE_COMPLETE", true, false),
            ("UPDATE_COMPLETE", true, false),
            ("DELETE_COMPLETE", true, false),
            ("ROLLBACK_COMPLETE", true, true),
            ("UPDATE_ROLLBACK_COMPLETE", true, true),
            ("UPDATE_ROLLBACK_FAILED", true, true),
            ("DELETE_FAILED", true, true),
            ("CREATE_IN_PROGRESS", false, false),
            ("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", false, true),
        ] {
            assert_eq!(is_terminal(s), terminal, "{s}");
            if terminal {
                assert_eq!(is_failure(s), failure, "{s}");
            }
        }
    }

    #[test]
    fn capabilities_parse() {
        assert_eq!(
            "CAPABILITY_IAM".parse::<Capability>().unwrap(),
            Capability::Iam
        );
        assert_eq!(
            "capability_auto_expand".parse::<Capability>().unwrap(),
            Capability::AutoExpand
        );
        let e = "ADMIN".parse::<Capability>().unwrap_err();
        assert!(e.contains("CAPABILITY_NAMED_IAM"), "{e}");
    }

    #[test]
    fn plan_text_marks_estimates_and_stateful_risks() {
        let plan = Plan {
            stack_name: "s".into(),
            kind: ChangeSetKind::Update,
            change_set_name: "cs".into(),
            change_set_id: "id".into(),
            changes: vec![
                change(Action::Modify, "B", "AWS::S3::Bucket", None),
                change(Action::Remove, "Q", "AWS::SQS::Queue", None),
                change(Action::Add, "T", "AWS::SNS::Topic", None),
            ],
            diff: None,
            diff_note: Some("the deployed template could not be read".into()),
            approvals: vec![],
        };
        let text = plan.render_text(false);
        assert_eq!(
            text,
            "change set cs for stack s (update):\n  Modify  B  AWS::S3::Bucket  replacement: unknown  [stateful]\n  Remove  Q  AWS::SQS::Queue  [stateful]\n  Add     T  AWS::SNS::Topic\n\n(no diff: the deployed template could not be read)\n"
        );
        assert!(plan.render_text(true).contains("\x1b[1;31m  Remove"));
    }
}

//! What a change set would do: capabilities, actions, replacements, the
//! [`Plan`] shown before executing and its rendering. The decisions taken on
//! it are in `refusal.rs` (data loss), `approval.rs` and `status.rs` (stack
//! states, "no changes").

use crate::approval::{render_approvals, unapproved, Approval};
use crate::refusal::{refused_changes, RefusedChange};
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

impl ChangeSetKind {
    /// `create` or `update`: the stable name in JSON output.
    ///
    /// ```
    /// assert_eq!(cfn_deploy::ChangeSetKind::Update.as_str(), "update");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeSetKind::Create => "create",
            ChangeSetKind::Update => "update",
        }
    }
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn change(
        action: Action,
        id: &str,
        ty: &str,
        r: Option<Replacement>,
    ) -> ResourceChange {
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

//! Refusals of data loss, free of any network call: the changes that would
//! replace or delete a stateful resource without consent by logical id.

use crate::plan::{effective_replacement, Action, Replacement, ResourceChange};
use cfn_tools::diff::TemplateDiff;
use std::fmt;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::tests::change;
    use cfn_core::Template;
    use cfn_tools::diff::{diff, ChangeKind, Impact, StaticFacts};

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
}

//! Stack states, free of any network call: what to do with a stack in a
//! given status, which statuses end an operation or mean failure, and which
//! change-set reasons mean "no changes".

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
}

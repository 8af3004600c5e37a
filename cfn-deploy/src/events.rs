//! Stack events, progress reports and waiting for a stack operation.

use crate::deploy::Deployer;
use crate::error::{Error, ResourceFailure, Result};
use crate::plan::Plan;
use crate::stack::StackInfo;
use crate::status::is_terminal;
use aws_sdk_cloudformation::primitives::DateTimeFormat;
use aws_sdk_cloudformation::types as sdk;
use std::collections::HashSet;
use std::fmt;
use std::time::{Duration, Instant};

/// How often to poll and how long to wait.
///
/// ```
/// use std::time::Duration;
/// let p = cfn_deploy::PollSettings::new().interval(Duration::from_millis(200));
/// assert_eq!(p.interval, Duration::from_millis(200));
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PollSettings {
    /// Pause between two polls (default 5 s).
    pub interval: Duration,
    /// How long a change set may take to be created (default 10 min).
    pub change_set_timeout: Duration,
    /// How long a stack operation may take (default 2 h).
    pub stack_timeout: Duration,
}

impl Default for PollSettings {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(5),
            change_set_timeout: Duration::from_secs(600),
            stack_timeout: Duration::from_secs(7200),
        }
    }
}

impl PollSettings {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets the pause between polls.
    pub fn interval(mut self, d: Duration) -> Self {
        self.interval = d;
        self
    }
    /// Sets the change set timeout.
    pub fn change_set_timeout(mut self, d: Duration) -> Self {
        self.change_set_timeout = d;
        self
    }
    /// Sets the stack operation timeout.
    pub fn stack_timeout(mut self, d: Duration) -> Self {
        self.stack_timeout = d;
        self
    }
}

/// One stack event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackEvent {
    /// The event id.
    pub event_id: String,
    /// When, as RFC 3339 (`2026-01-31T12:00:00.123Z`).
    pub timestamp: String,
    /// Logical id (the stack name for the stack itself).
    pub logical_id: String,
    /// Physical id, if known.
    pub physical_id: Option<String>,
    /// Resource type.
    pub resource_type: String,
    /// Status (`CREATE_IN_PROGRESS`, `UPDATE_FAILED`, ...).
    pub status: String,
    /// Why, if CloudFormation said.
    pub reason: Option<String>,
}

impl fmt::Display for StackEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}  {:<28}  {}  {}",
            self.timestamp, self.status, self.logical_id, self.resource_type
        )?;
        if let Some(r) = self.reason.as_deref().filter(|r| !r.is_empty()) {
            write!(f, "  {r}")?;
        }
        Ok(())
    }
}

/// What happens during a deploy, for the user to see.
#[derive(Debug)]
#[non_exhaustive]
pub enum Progress<'a> {
    /// A note, e.g. that a failed stack is deleted before being created again.
    Notice(&'a str),
    /// The change set is ready: show it (before [`Confirm::confirm`](crate::Confirm::confirm)).
    Plan(&'a Plan),
    /// A new stack event, in order.
    Event(&'a StackEvent),
    /// How far a stack operation is: resources finished of those the
    /// change set touches, and the time since it started (after each poll
    /// that finished a resource).
    Count {
        /// Resources that reached a final status.
        done: usize,
        /// Resources the operation touches (0 when unknown).
        total: usize,
        /// Time since the operation started.
        elapsed: Duration,
    },
}

/// Receives [`Progress`]. Any `FnMut(Progress<'_>) + Send` closure is one.
pub trait Report: Send {
    /// Called for each step, in order.
    fn report(&mut self, progress: Progress<'_>);
}

impl<F: FnMut(Progress<'_>) + Send> Report for F {
    fn report(&mut self, progress: Progress<'_>) {
        self(progress)
    }
}

/// Discards every report.
#[derive(Debug, Clone, Copy, Default)]
pub struct Quiet;

impl Report for Quiet {
    fn report(&mut self, _: Progress<'_>) {}
}

impl Deployer {
    /// The ids of the newest page of events: what is already history.
    pub(crate) async fn recent_event_ids(
        &self,
        stack: &str,
        stack_id: &str,
    ) -> Result<HashSet<String>> {
        match self
            .client
            .describe_stack_events()
            .stack_name(stack_id)
            .send()
            .await
        {
            Ok(out) => Ok(out
                .stack_events()
                .iter()
                .filter_map(|e| e.event_id().map(str::to_owned))
                .collect()),
            Err(e) => match self.api_error("DescribeStackEvents", stack, e) {
                Error::StackNotFound { .. } => Ok(HashSet::new()),
                e => Err(e),
            },
        }
    }

    /// Events not seen yet, oldest first (pages are newest first; stops at
    /// the first page that reaches a seen event).
    pub(crate) async fn new_events(
        &self,
        stack: &str,
        stack_id: &str,
        seen: &mut HashSet<String>,
    ) -> Result<Vec<StackEvent>> {
        let mut fresh = Vec::new();
        let mut token: Option<String> = None;
        'pages: loop {
            let out = match self
                .client
                .describe_stack_events()
                .stack_name(stack_id)
                .set_next_token(token.take())
                .send()
                .await
            {
                Ok(out) => out,
                Err(e) => match self.api_error("DescribeStackEvents", stack, e) {
                    Error::StackNotFound { .. } => break,
                    e => return Err(e),
                },
            };
            for e in out.stack_events() {
                let id = e.event_id().unwrap_or_default();
                if seen.contains(id) {
                    break 'pages;
                }
                fresh.push(convert_event(e));
            }
            match out.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_owned()),
                _ => break,
            }
        }
        fresh.reverse();
        for e in &fresh {
            seen.insert(e.event_id.clone());
        }
        Ok(fresh)
    }

    /// Polls events and status until the stack reaches a terminal status.
    pub(crate) async fn wait_stack(
        &self,
        stack: &str,
        stack_id: &str,
        seen: &mut HashSet<String>,
        what: &str,
        report: &mut dyn Report,
    ) -> Result<(StackInfo, Vec<StackEvent>)> {
        self.wait_stack_counting(stack, stack_id, seen, what, 0, report)
            .await
    }

    /// [`Deployer::wait_stack`], reporting [`Progress::Count`] of `total`
    /// resources. A lost connection is [`Error::ConnectionLost`]: the
    /// operation may still be running.
    pub(crate) async fn wait_stack_counting(
        &self,
        stack: &str,
        stack_id: &str,
        seen: &mut HashSet<String>,
        what: &str,
        total: usize,
        report: &mut dyn Report,
    ) -> Result<(StackInfo, Vec<StackEvent>)> {
        let started = Instant::now();
        let mut all: Vec<StackEvent> = Vec::new();
        let mut done = 0;
        let lost = |e: Error| match e {
            Error::Unreachable {
                endpoint, detail, ..
            } => Error::ConnectionLost {
                stack: stack.to_owned(),
                what: what.to_owned(),
                endpoint,
                detail,
            },
            e => e,
        };
        loop {
            let info = self.describe_stack(stack_id).await.map_err(lost)?;
            let events = self.new_events(stack, stack_id, seen).await.map_err(lost)?;
            for e in &events {
                report.report(Progress::Event(e));
            }
            all.extend(events);
            let now_done = finished_resources(&all, stack);
            if now_done != done {
                done = now_done;
                report.report(Progress::Count {
                    done,
                    total: total.max(done),
                    elapsed: started.elapsed(),
                });
            }
            let info = info.unwrap_or_else(|| StackInfo {
                stack_id: stack_id.to_owned(),
                status: "DELETE_COMPLETE".into(),
                reason: None,
                termination_protection: false,
            });
            if is_terminal(&info.status) && info.status != "REVIEW_IN_PROGRESS" {
                return Ok((info, all));
            }
            if started.elapsed() > self.poll.stack_timeout {
                return Err(Error::Timeout {
                    what: format!("{what} of stack {stack} (last status {})", info.status),
                    after: started.elapsed(),
                });
            }
            tokio::time::sleep(self.poll.interval).await;
        }
    }
}

/// Resources (not the stack itself) whose last event is final.
fn finished_resources(events: &[StackEvent], stack: &str) -> usize {
    let mut last: Vec<(&str, &str)> = Vec::new();
    for e in events {
        if e.resource_type == "AWS::CloudFormation::Stack" && e.logical_id == stack {
            continue;
        }
        match last.iter_mut().find(|(id, _)| *id == e.logical_id) {
            Some(l) => l.1 = &e.status,
            None => last.push((&e.logical_id, &e.status)),
        }
    }
    last.iter()
        .filter(|(_, s)| {
            s.ends_with("_COMPLETE") || s.ends_with("_FAILED") || s.ends_with("_SKIPPED")
        })
        .count()
}

fn convert_event(e: &sdk::StackEvent) -> StackEvent {
    StackEvent {
        event_id: e.event_id().unwrap_or_default().to_owned(),
        timestamp: e
            .timestamp()
            .and_then(|t| t.fmt(DateTimeFormat::DateTime).ok())
            .unwrap_or_default(),
        logical_id: e.logical_resource_id().unwrap_or_default().to_owned(),
        physical_id: e.physical_resource_id().map(str::to_owned),
        resource_type: e.resource_type().unwrap_or_default().to_owned(),
        status: e
            .resource_status()
            .map(|s| s.as_str().to_owned())
            .unwrap_or_default(),
        reason: e.resource_status_reason().map(str::to_owned),
    }
}

/// The failed events of an operation, in order.
pub(crate) fn failures(events: &[StackEvent]) -> Vec<ResourceFailure> {
    events
        .iter()
        .filter(|e| e.status.ends_with("_FAILED"))
        .map(|e| ResourceFailure {
            logical_id: e.logical_id.clone(),
            resource_type: e.resource_type.clone(),
            status: e.status.clone(),
            reason: e.reason.clone().unwrap_or_default(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(id: &str, status: &str, reason: Option<&str>) -> StackEvent {
        StackEvent {
            event_id: id.into(),
            timestamp: "2026-01-01T00:00:00Z".into(),
            logical_id: id.into(),
            physical_id: None,
            resource_type: "AWS::S3::Bucket".into(),
            status: status.into(),
            reason: reason.map(Into::into),
        }
    }

    #[test]
    fn failures_keep_order_and_reasons() {
        let events = [
            ev("A", "CREATE_IN_PROGRESS", None),
            ev("A", "CREATE_FAILED", Some("bucket name taken")),
            ev("B", "CREATE_FAILED", Some("Resource creation cancelled")),
            ev("S", "ROLLBACK_COMPLETE", None),
        ];
        let f = failures(&events);
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].reason, "bucket name taken");
        let err = Error::DeployFailed {
            stack: "s".into(),
            status: "ROLLBACK_COMPLETE".into(),
            reason: None,
            failures: f,
        };
        assert_eq!(
            err.to_string(),
            "deploying stack `s` failed: it ended in ROLLBACK_COMPLETE; failed resources:\n  A (AWS::S3::Bucket) CREATE_FAILED: bucket name taken\n  B (AWS::S3::Bucket) CREATE_FAILED: Resource creation cancelled"
        );
    }

    #[test]
    fn progress_counts_resources_in_a_final_status_not_the_stack() {
        let mut stack = ev("app", "CREATE_IN_PROGRESS", None);
        stack.resource_type = "AWS::CloudFormation::Stack".into();
        let mut events = vec![
            stack.clone(),
            ev("A", "CREATE_IN_PROGRESS", None),
            ev("B", "CREATE_IN_PROGRESS", None),
        ];
        assert_eq!(finished_resources(&events, "app"), 0);
        events.push(ev("A", "CREATE_COMPLETE", None));
        assert_eq!(finished_resources(&events, "app"), 1);
        // a resource counts once, by its last status
        events.push(ev("A", "UPDATE_IN_PROGRESS", None));
        assert_eq!(finished_resources(&events, "app"), 0);
        events.push(ev("A", "UPDATE_COMPLETE", None));
        events.push(ev("B", "CREATE_FAILED", Some("no")));
        events.push(ev("C", "DELETE_SKIPPED", None));
        stack.status = "CREATE_COMPLETE".into();
        events.push(stack);
        assert_eq!(finished_resources(&events, "app"), 3);
    }

    #[test]
    fn event_display_is_one_line() {
        let e = ev("Bucket", "CREATE_FAILED", Some("name taken"));
        assert_eq!(
            e.to_string(),
            "2026-01-01T00:00:00Z  CREATE_FAILED                 Bucket  AWS::S3::Bucket  name taken"
        );
    }
}

//! Faults against moto (MOTO_ENDPOINT, started by scripts/test.sh), through
//! a small proxy on 127.0.0.1 (`support/mod.rs`): a retried call reported,
//! the server gone after ExecuteChangeSet, a refused ExecuteChangeSet.
//! Effects are checked through the API at moto itself, not through the
//! proxy: change sets listed, stacks present or gone.

use cfn_core::Template;
use cfn_deploy::{
    block_on, ConnectOptions, DeployRequest, Deployer, Error, Plan, PollSettings, Progress,
    RetryNotice, RetryObserver,
};
use cfn_testkit::faults::{aws_error, Faults, Proxy, HTML_500};
use cfn_testkit::{moto_endpoint as endpoint, serial, unique};
use std::sync::{Arc, Mutex};
use std::time::Duration;

async fn deployer(endpoint: &str, attempts: u32, on_retry: Option<RetryObserver>) -> Deployer {
    let mut opts = ConnectOptions::new()
        .endpoint_url(endpoint)
        .region("us-east-1")
        .max_attempts(attempts);
    if let Some(o) = on_retry {
        opts = opts.on_retry(o);
    }
    Deployer::connect(&opts).await.expect("connect").with_poll(
        PollSettings::new()
            .interval(Duration::from_millis(50))
            .change_set_timeout(Duration::from_secs(30))
            .stack_timeout(Duration::from_secs(60)),
    )
}

fn topic() -> Template {
    Template::from_yaml("Resources:\n  Alerts: {Type: AWS::SNS::Topic}\n").unwrap()
}

/// Change sets of `stack` that wait to be executed (moto keeps executed ones listed).
async fn pending_change_sets(d: &Deployer, stack: &str) -> Vec<String> {
    let out = d
        .client()
        .list_change_sets()
        .stack_name(stack)
        .send()
        .await
        .map(|o| o.summaries().to_vec())
        .unwrap_or_default();
    out.iter()
        .filter(|s| s.stack_name() == Some(stack))
        .filter(|s| {
            !matches!(
                s.execution_status().map(|x| x.as_str()),
                Some("EXECUTE_COMPLETE" | "OBSOLETE")
            )
        })
        .filter_map(|s| s.change_set_name().map(str::to_owned))
        .collect()
}

#[test]
fn a_retried_call_is_reported_with_its_attempt_and_cause() {
    let Some(ep) = endpoint() else { return };
    let _g = serial();
    let proxy = Proxy::start(
        &ep,
        Faults {
            fail_once: Some(("CreateChangeSet", 500, HTML_500.into())),
            ..Faults::default()
        },
    );
    let stack = unique("retry");
    let seen: Arc<Mutex<Vec<RetryNotice>>> = Arc::default();
    let s = Arc::clone(&seen);
    let observer = RetryObserver::new(move |n| s.lock().unwrap().push(n.clone()));
    block_on(async {
        let d = deployer(&proxy.url, 3, Some(observer)).await;
        let r = d
            .plan(
                &DeployRequest::new(&stack, topic()),
                false,
                &mut cfn_deploy::Quiet,
            )
            .await
            .expect("the retry succeeds");
        assert_eq!(r.plan.unwrap().changes.len(), 1);
        let seen = seen.lock().unwrap().clone();
        assert_eq!(seen.len(), 1, "{seen:?}");
        assert_eq!(
            seen[0].to_string(),
            "retrying CreateChangeSet (attempt 2 of 3): HTTP 500: 500 Internal Server Error"
        );
        let creates = proxy
            .actions()
            .iter()
            .filter(|a| *a == "CreateChangeSet")
            .count();
        assert_eq!(creates, 2, "{:?}", proxy.actions());
        // effects, at moto itself: the plan left nothing behind
        let direct = deployer(&ep, 2, None).await;
        assert!(pending_change_sets(&direct, &stack).await.is_empty());
        assert_eq!(direct.describe_stack(&stack).await.unwrap(), None);
    })
    .unwrap();
}

#[test]
fn the_server_gone_while_waiting_says_the_operation_may_still_run() {
    let Some(ep) = endpoint() else { return };
    let _g = serial();
    let proxy = Proxy::start(
        &ep,
        Faults {
            stop_after: Some("ExecuteChangeSet"),
            ..Faults::default()
        },
    );
    let stack = unique("lost");
    block_on(async {
        let d = deployer(&proxy.url, 2, None).await;
        let req = DeployRequest::new(&stack, topic()).yes(true);
        let err = d
            .deploy(&req, &mut |_: &Plan| true, &mut cfn_deploy::Quiet)
            .await
            .unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, Error::ConnectionLost { .. }), "{msg}");
        assert!(
            msg.starts_with(&format!(
                "lost the connection to CloudFormation at {} while waiting for the deploy of stack `{stack}`",
                proxy.url
            )),
            "{msg}"
        );
        assert!(
            msg.contains("the operation may still be running in CloudFormation"),
            "{msg}"
        );
        assert!(
            msg.contains(&format!("aws cloudformation describe-stacks --stack-name {stack}")),
            "{msg}"
        );
        assert!(
            msg.contains(&format!(
                "aws cloudformation describe-stack-events --stack-name {stack}"
            )),
            "{msg}"
        );
        // what the message says may run did run: the stack is there, with
        // its resource
        let direct = deployer(&ep, 2, None).await;
        let info = direct.describe_stack(&stack).await.unwrap().unwrap();
        assert_eq!(info.status, "CREATE_COMPLETE");
        assert_eq!(direct.list_stack_resources(&stack).await.unwrap().len(), 1);
        direct
            .delete_stack(&stack, &mut cfn_deploy::Quiet)
            .await
            .unwrap();
    })
    .unwrap();
}

#[test]
fn a_refused_execute_removes_the_change_set_and_the_empty_stack() {
    let Some(ep) = endpoint() else { return };
    let _g = serial();
    let proxy = Proxy::start(
        &ep,
        Faults {
            refuse: Some((
                "ExecuteChangeSet",
                400,
                aws_error(
                    "InvalidChangeSetStatus",
                    "ChangeSet cannot be executed in its current state",
                ),
            )),
            ..Faults::default()
        },
    );
    let stack = unique("refused");
    let notices: Arc<Mutex<Vec<String>>> = Arc::default();
    let n = Arc::clone(&notices);
    let mut report = move |p: Progress<'_>| {
        if let Progress::Notice(m) = p {
            n.lock().unwrap().push(m.to_owned());
        }
    };
    block_on(async {
        let d = deployer(&proxy.url, 2, None).await;
        let req = DeployRequest::new(&stack, topic()).yes(true);
        let err = d
            .deploy(&req, &mut |_: &Plan| true, &mut report)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Api { operation: "ExecuteChangeSet", code, .. } if code == "InvalidChangeSetStatus"),
            "{err}"
        );
        let notices = notices.lock().unwrap().clone();
        assert!(
            notices
                .iter()
                .any(|m| m.ends_with("was not executed and was deleted, with the empty stack it made")),
            "{notices:?}"
        );
        // effects, at moto itself: no change set waits, no empty stack
        let direct = deployer(&ep, 2, None).await;
        assert!(pending_change_sets(&direct, &stack).await.is_empty());
        assert_eq!(direct.describe_stack(&stack).await.unwrap(), None);
    })
    .unwrap();
}

//! Deploys against a real peer: moto's CloudFormation server, started on
//! loopback by `scripts/test.sh`, which sets `MOTO_ENDPOINT` (and dummy
//! credentials). Without it these tests skip, unless `PEERS_REQUIRED=1`.
//!
//! What moto models, and so what these tests check: change sets (Add,
//! Modify, Remove; the "no changes" failure), executing them, stack-level
//! events, GetTemplate, ValidateTemplate (through cfn-lint), DeleteStack.
//! What it does not: Replacement in change sets (the refusal falls back to
//! the semantic diff, flagged as estimated), resource-level events,
//! failures and rollbacks (ROLLBACK_COMPLETE is unit-tested in
//! `plan.rs`), UpdateTerminationProtection (a server error).

use aws_sdk_cloudformation::config::{Credentials, Region};
use aws_sdk_cloudformation::Client;
use cfn_core::Template;
use cfn_deploy::{
    block_on, ChangeSetKind, ConnectOptions, DeleteOutcome, DeployRequest, Deployer, Error,
    Outcome, Plan, PollSettings, Progress, RefusalReason, Replacement,
};
use cfn_testkit::{moto_endpoint as endpoint, serial, unique};
use cfn_tools::diff::StaticFacts;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

async fn deployer(endpoint: &str) -> Deployer {
    let opts = ConnectOptions::new()
        .endpoint_url(endpoint)
        .region("us-east-1")
        .max_attempts(2);
    Deployer::connect(&opts)
        .await
        .expect("connect to moto (dummy credentials come from scripts/test.sh)")
        .with_poll(
            PollSettings::new()
                .interval(Duration::from_millis(50))
                .change_set_timeout(Duration::from_secs(30))
                .stack_timeout(Duration::from_secs(60)),
        )
        .with_schema_facts(Arc::new(
            StaticFacts::new().create_only("AWS::S3::Bucket", &["/properties/BucketName"]),
        ))
}

fn yaml(src: &str) -> Template {
    Template::from_yaml(src).unwrap()
}

fn bucket_and_topic(bucket: &str, tag: &str) -> Template {
    yaml(&format!(
        "Resources:
  Assets:
    Type: AWS::S3::Bucket
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      BucketName: {bucket}
      Tags:
        - Key: release
          Value: '{tag}'
  Alerts:
    Type: AWS::SNS::Topic
"
    ))
}

/// Collects what the deploy reports.
#[derive(Default)]
struct Seen {
    notices: Vec<String>,
    plans: Vec<Plan>,
    events: Vec<String>,
}

fn collector(seen: &Arc<Mutex<Seen>>) -> impl FnMut(Progress<'_>) + Send + 'static {
    let seen = Arc::clone(seen);
    move |p| {
        let mut s = seen.lock().unwrap();
        match p {
            Progress::Notice(n) => s.notices.push(n.to_owned()),
            Progress::Plan(plan) => s.plans.push(plan.clone()),
            Progress::Event(e) => s.events.push(e.to_string()),
            _ => {}
        }
    }
}

async fn change_sets_of(d: &Deployer, stack: &str) -> Vec<String> {
    // moto lists every change set of the region, whatever the stack.
    let out = d
        .client()
        .list_change_sets()
        .stack_name(stack)
        .send()
        .await
        .unwrap();
    // moto keeps executed change sets listed (EXECUTE_COMPLETE); what
    // matters is that none waits to be executed.
    out.summaries()
        .iter()
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
fn create_update_no_change_delete() {
    let Some(ep) = endpoint() else { return };
    let _serial = serial();
    block_on(async {
        let d = deployer(&ep).await;
        let stack = unique("lifecycle");
        let bucket = unique("bucket");
        let seen = Arc::new(Mutex::new(Seen::default()));

        // Create.
        let v1 = bucket_and_topic(&bucket, "1");
        let req = DeployRequest::new(&stack, v1.clone()).yes(true);
        let r = d
            .deploy(
                &req,
                &mut |_: &Plan| panic!("yes: never asked"),
                &mut collector(&seen),
            )
            .await
            .unwrap();
        assert_eq!(r.outcome, Outcome::Created);
        assert_eq!(r.status.as_deref(), Some("CREATE_COMPLETE"));
        assert!(!r.recreated);
        let plan = r.plan.as_ref().unwrap();
        assert_eq!(plan.kind, ChangeSetKind::Create);
        let added: Vec<_> = plan
            .changes
            .iter()
            .map(|c| (c.action.as_str(), c.logical_id.as_str()))
            .collect();
        assert_eq!(added, [("Add", "Assets"), ("Add", "Alerts")]);
        assert!(plan.diff.is_none());
        // moto emits stack-level events only, at once.
        let statuses: Vec<_> = r.events.iter().map(|e| e.status.as_str()).collect();
        assert_eq!(statuses, ["CREATE_IN_PROGRESS", "CREATE_COMPLETE"]);
        assert!(r.events.iter().all(|e| e.logical_id == stack));
        assert_eq!(seen.lock().unwrap().events.len(), 2);
        let info = d.describe_stack(&stack).await.unwrap().unwrap();
        assert_eq!(info.status, "CREATE_COMPLETE");
        assert_eq!(
            d.get_deployed_template(&stack)
                .await
                .unwrap()
                .to_json_value(),
            v1.to_json_value()
        );

        // Update through a change set, asking first.
        let v2 = bucket_and_topic(&bucket, "2");
        let asked = Arc::new(AtomicUsize::new(0));
        let a = Arc::clone(&asked);
        let req = DeployRequest::new(&stack, v2.clone());
        let r = d
            .deploy(
                &req,
                &mut move |plan: &Plan| {
                    a.fetch_add(1, Ordering::SeqCst);
                    assert_eq!(plan.kind, ChangeSetKind::Update);
                    let text = plan.render_text(false);
                    assert!(
                        text.contains("diff against the deployed template"),
                        "{text}"
                    );
                    assert!(text.contains("Assets"), "{text}");
                    true
                },
                &mut collector(&seen),
            )
            .await
            .unwrap();
        assert_eq!(asked.load(Ordering::SeqCst), 1);
        assert_eq!(r.outcome, Outcome::Updated);
        assert_eq!(r.status.as_deref(), Some("UPDATE_COMPLETE"));
        let statuses: Vec<_> = r.events.iter().map(|e| e.status.as_str()).collect();
        assert_eq!(statuses, ["UPDATE_IN_PROGRESS", "UPDATE_COMPLETE"]);
        let plan = r.plan.unwrap();
        let d2 = plan.diff.as_ref().unwrap();
        assert_eq!(d2.resources.len(), 1);
        assert_eq!(d2.resources[0].id, "Assets");
        // A tag change is in place: not refused although the bucket is stateful.
        let assets = plan
            .changes
            .iter()
            .find(|c| c.logical_id == "Assets")
            .unwrap();
        assert_eq!(assets.replacement, None, "moto does not report Replacement");
        assert_eq!(plan.effective_replacement(assets), Some(Replacement::False));
        assert_eq!(
            d.get_deployed_template(&stack)
                .await
                .unwrap()
                .to_json_value(),
            v2.to_json_value()
        );

        // The same template again: no changes is a success, the empty
        // change set is deleted.
        let req = DeployRequest::new(&stack, v2.clone());
        let r = d
            .deploy(
                &req,
                &mut |_: &Plan| panic!("nothing to confirm"),
                &mut collector(&seen),
            )
            .await
            .unwrap();
        assert_eq!(r.outcome, Outcome::NoChanges);
        assert!(r.plan.is_none());
        assert!(r.events.is_empty());
        let pending: Vec<String> = change_sets_of(&d, &stack)
            .await
            .into_iter()
            .filter(|n| n.starts_with("cfn-deploy-"))
            .collect();
        // Only the two executed change sets may remain listed.
        assert!(pending.len() <= 2, "{pending:?}");
        assert_eq!(
            d.describe_stack(&stack).await.unwrap().unwrap().status,
            "UPDATE_COMPLETE"
        );

        // Delete, with wait; a second delete finds nothing.
        let before = seen.lock().unwrap().events.len();
        assert_eq!(
            d.delete_stack(&stack, &mut collector(&seen)).await.unwrap(),
            DeleteOutcome::Deleted
        );
        assert!(seen.lock().unwrap().events.len() > before);
        assert!(d.describe_stack(&stack).await.unwrap().is_none());
        assert_eq!(
            d.delete_stack(&stack, &mut collector(&seen)).await.unwrap(),
            DeleteOutcome::NotFound
        );
        assert!(matches!(
            d.get_deployed_template(&stack).await,
            Err(Error::StackNotFound { .. })
        ));
    })
    .unwrap();
}

#[test]
fn no_changes_deletes_the_empty_change_set() {
    let Some(ep) = endpoint() else { return };
    let _serial = serial();
    block_on(async {
        let d = deployer(&ep).await;
        let stack = unique("noop");
        let t = yaml("Resources:\n  Alerts:\n    Type: AWS::SNS::Topic\n");
        let req = DeployRequest::new(&stack, t).yes(true);
        d.deploy(&req, &mut |_: &Plan| true, &mut cfn_deploy::Quiet)
            .await
            .unwrap();
        let before = change_sets_of(&d, &stack).await;
        let r = d
            .deploy(&req, &mut |_: &Plan| true, &mut cfn_deploy::Quiet)
            .await
            .unwrap();
        assert_eq!(r.outcome, Outcome::NoChanges);
        assert_eq!(change_sets_of(&d, &stack).await, before);
        d.delete_stack(&stack, &mut cfn_deploy::Quiet)
            .await
            .unwrap();
    })
    .unwrap();
}

#[test]
fn declining_deletes_the_change_set_and_the_empty_stack() {
    let Some(ep) = endpoint() else { return };
    let _serial = serial();
    block_on(async {
        let d = deployer(&ep).await;
        let stack = unique("declined");
        let t = yaml("Resources:\n  Alerts:\n    Type: AWS::SNS::Topic\n");
        let req = DeployRequest::new(&stack, t);
        let r = d
            .deploy(&req, &mut |_: &Plan| false, &mut cfn_deploy::Quiet)
            .await
            .unwrap();
        assert_eq!(r.outcome, Outcome::Declined);
        assert!(r.plan.is_some());
        // The stack a CREATE change set makes (REVIEW_IN_PROGRESS) is gone.
        assert!(d.describe_stack(&stack).await.unwrap().is_none());
        assert!(change_sets_of(&d, &stack).await.is_empty());
    })
    .unwrap();
}

#[test]
fn refuses_to_replace_a_bucket_unless_allowed_by_name() {
    let Some(ep) = endpoint() else { return };
    let _serial = serial();
    block_on(async {
        let d = deployer(&ep).await;
        let stack = unique("replace");
        let (b1, b2) = (unique("old"), unique("new"));
        let v1 = bucket_and_topic(&b1, "1");
        d.deploy(
            &DeployRequest::new(&stack, v1.clone()).yes(true),
            &mut |_: &Plan| true,
            &mut cfn_deploy::Quiet,
        )
        .await
        .unwrap();

        // BucketName is create-only: a new name replaces the bucket.
        let v2 = bucket_and_topic(&b2, "1");
        let err = d
            .deploy(
                &DeployRequest::new(&stack, v2.clone()).yes(true),
                &mut |_: &Plan| true,
                &mut cfn_deploy::Quiet,
            )
            .await
            .unwrap_err();
        let Error::StatefulChangeRefused { refused, .. } = &err else {
            panic!("expected a refusal, got {err}");
        };
        assert_eq!(refused.len(), 1);
        assert_eq!(refused[0].logical_id, "Assets");
        assert_eq!(
            refused[0].reason,
            RefusalReason::Replaced(Replacement::True)
        );
        // moto reports no Replacement: the semantic diff decided.
        assert!(refused[0].estimated);
        let msg = err.to_string();
        assert!(msg.contains("by its logical id (Assets)"), "{msg}");
        assert!(
            msg.contains("the old one retained outside the stack"),
            "{msg}"
        );
        assert!(msg.contains("the change set was deleted"), "{msg}");
        // Nothing ran: the deployed template is still the old one and no
        // change set waits.
        assert_eq!(
            d.get_deployed_template(&stack)
                .await
                .unwrap()
                .to_json_value(),
            v1.to_json_value()
        );
        let info = d.describe_stack(&stack).await.unwrap().unwrap();
        assert_eq!(info.status, "CREATE_COMPLETE");

        // Allowed by another name: still refused.
        let err = d
            .deploy(
                &DeployRequest::new(&stack, v2.clone())
                    .yes(true)
                    .allow_replace("Alerts"),
                &mut |_: &Plan| true,
                &mut cfn_deploy::Quiet,
            )
            .await
            .unwrap_err();
        assert!(matches!(err, Error::StatefulChangeRefused { .. }), "{err}");

        // Allowed by its name: deployed.
        let r = d
            .deploy(
                &DeployRequest::new(&stack, v2.clone())
                    .yes(true)
                    .allow_replace("Assets"),
                &mut |_: &Plan| true,
                &mut cfn_deploy::Quiet,
            )
            .await
            .unwrap();
        assert_eq!(r.outcome, Outcome::Updated);

        d.delete_stack(&stack, &mut cfn_deploy::Quiet)
            .await
            .unwrap();
    })
    .unwrap();
}

/// Removal: a retained stateful resource leaves without consent (its data
/// stays); one nothing retains is refused, and a mistyped allowed id is an
/// error before any change set.
#[test]
fn removal_is_refused_unless_the_data_is_retained() {
    let Some(ep) = endpoint() else { return };
    let _serial = serial();
    block_on(async {
        let d = deployer(&ep).await;
        let stack = unique("remove");
        d.deploy(
            &DeployRequest::new(&stack, bucket_and_topic(&unique("kept"), "1")).yes(true),
            &mut |_: &Plan| true,
            &mut cfn_deploy::Quiet,
        )
        .await
        .unwrap();

        // Removing the bucket and adding a queue: the deployed template
        // retains the bucket (DeletionPolicy Retain), so its data survives
        // and the removal needs no consent.
        let v3 = yaml(
            "Resources:\n  Alerts:\n    Type: AWS::SNS::Topic\n  Work:\n    Type: AWS::SQS::Queue\n",
        );
        let r = d
            .deploy(
                &DeployRequest::new(&stack, v3.clone()).yes(true),
                &mut |_: &Plan| true,
                &mut cfn_deploy::Quiet,
            )
            .await
            .unwrap();
        assert_eq!(r.outcome, Outcome::Updated);
        let listed = d
            .client()
            .list_stack_resources()
            .stack_name(&stack)
            .send()
            .await
            .unwrap();
        let mut ids: Vec<&str> = listed
            .stack_resource_summaries()
            .iter()
            .filter_map(|s| s.logical_resource_id())
            .collect();
        ids.sort();
        assert_eq!(ids, ["Alerts", "Work"]);

        // Removing the queue, which nothing retains: moto reports Action
        // Remove; refused, and the queue is still there.
        let v4 = yaml("Resources:\n  Alerts:\n    Type: AWS::SNS::Topic\n");
        let err = d
            .deploy(
                &DeployRequest::new(&stack, v4.clone()).yes(true),
                &mut |_: &Plan| true,
                &mut cfn_deploy::Quiet,
            )
            .await
            .unwrap_err();
        let Error::StatefulChangeRefused { refused, .. } = &err else {
            panic!("expected a refusal, got {err}");
        };
        assert_eq!(refused[0].logical_id, "Work");
        assert_eq!(refused[0].reason, RefusalReason::Removed);
        assert!(!refused[0].estimated);
        assert!(err.to_string().contains("would be deleted"), "{err}");
        assert_eq!(
            d.get_deployed_template(&stack)
                .await
                .unwrap()
                .to_json_value(),
            v3.to_json_value()
        );

        // A mistyped id is an error before any change set.
        let err = d
            .deploy(
                &DeployRequest::new(&stack, v4.clone())
                    .yes(true)
                    .allow_replace("Wrok"),
                &mut |_: &Plan| true,
                &mut cfn_deploy::Quiet,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::UnknownLogicalIds { unknown, .. } if unknown[0].0 == "Wrok"),
            "{err}"
        );
        assert!(err.to_string().contains("did you mean `Work`"), "{err}");
        assert!(change_sets_of(&d, &stack).await.is_empty());

        d.delete_stack(&stack, &mut cfn_deploy::Quiet)
            .await
            .unwrap();
    })
    .unwrap();
}

#[test]
fn invalid_template_is_a_clear_error() {
    let Some(ep) = endpoint() else { return };
    let _serial = serial();
    block_on(async {
        let d = deployer(&ep).await;
        let stack = unique("invalid");
        let t = yaml("Resources:\n  Thing:\n    Type: AWS::Nope::Thing\n");
        let err = d
            .deploy(
                &DeployRequest::new(&stack, t).yes(true),
                &mut |_: &Plan| true,
                &mut cfn_deploy::Quiet,
            )
            .await
            .unwrap_err();
        let Error::InvalidTemplate { message, .. } = &err else {
            panic!("expected InvalidTemplate, got {err}");
        };
        assert!(message.contains("AWS::Nope::Thing"), "{message}");
        let text = err.to_string();
        assert!(
            text.starts_with(&format!("the template for stack `{stack}` is invalid: ")),
            "{text}"
        );
        assert!(
            text.ends_with("fix the template (`validate` and `lint` show more) and deploy again")
        );
        // Nothing was created.
        assert!(d.describe_stack(&stack).await.unwrap().is_none());
    })
    .unwrap();
}

#[test]
fn parameters_tags_and_capabilities_reach_the_stack() {
    let Some(ep) = endpoint() else { return };
    let _serial = serial();
    block_on(async {
        let d = deployer(&ep).await;
        let stack = unique("params");
        let t = yaml(
            "Parameters:
  TopicName:
    Type: String
Resources:
  Alerts:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: !Ref TopicName
",
        );
        let topic = unique("topic");
        let req = DeployRequest::new(&stack, t)
            .parameter("TopicName", &topic)
            .tag("team", "raven")
            .capability(cfn_deploy::Capability::Iam)
            .capability(cfn_deploy::Capability::AutoExpand)
            .yes(true);
        let r = d
            .deploy(&req, &mut |_: &Plan| true, &mut cfn_deploy::Quiet)
            .await
            .unwrap();
        assert_eq!(r.outcome, Outcome::Created);
        let out = d
            .client()
            .describe_stacks()
            .stack_name(&stack)
            .send()
            .await
            .unwrap();
        let s = &out.stacks()[0];
        let params: Vec<_> = s
            .parameters()
            .iter()
            .map(|p| (p.parameter_key().unwrap(), p.parameter_value().unwrap()))
            .collect();
        assert_eq!(params, [("TopicName", topic.as_str())]);
        let tags: Vec<_> = s
            .tags()
            .iter()
            .map(|t| (t.key().unwrap(), t.value().unwrap()))
            .collect();
        assert_eq!(tags, [("team", "raven")]);
        d.delete_stack(&stack, &mut cfn_deploy::Quiet)
            .await
            .unwrap();
    })
    .unwrap();
}

#[test]
fn unknown_stack_is_a_clear_error() {
    let Some(ep) = endpoint() else { return };
    block_on(async {
        let d = deployer(&ep).await;
        let stack = unique("missing");
        let err = d.get_deployed_template(&stack).await.unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("stack `{stack}` does not exist in this account and region; check the stack name and the region")
        );
        assert!(d.describe_stack(&stack).await.unwrap().is_none());
    })
    .unwrap();
}

#[test]
fn termination_protection_is_set_or_its_failure_reported() {
    // moto 5.2.5 does not implement UpdateTerminationProtection (its server
    // answers HTTP 500); real CloudFormation does. Either way the outcome
    // must be clear.
    let Some(ep) = endpoint() else { return };
    let _serial = serial();
    block_on(async {
        let d = deployer(&ep).await;
        let stack = unique("protect");
        let t = yaml("Resources:\n  Alerts:\n    Type: AWS::SNS::Topic\n");
        let req = DeployRequest::new(&stack, t)
            .termination_protection(true)
            .yes(true);
        match d
            .deploy(&req, &mut |_: &Plan| true, &mut cfn_deploy::Quiet)
            .await
        {
            Ok(r) => {
                assert_eq!(r.outcome, Outcome::Created);
                let info = d.describe_stack(&stack).await.unwrap().unwrap();
                assert!(info.termination_protection);
                let err = d
                    .delete_stack(&stack, &mut cfn_deploy::Quiet)
                    .await
                    .unwrap_err();
                assert!(matches!(err, Error::TerminationProtected { .. }), "{err}");
                d.client()
                    .update_termination_protection()
                    .stack_name(&stack)
                    .enable_termination_protection(false)
                    .send()
                    .await
                    .unwrap();
            }
            Err(err) => {
                let Error::Api {
                    operation, code, ..
                } = &err
                else {
                    panic!("unexpected error: {err}");
                };
                assert_eq!(*operation, "UpdateTerminationProtection");
                assert_eq!(code, "HTTP 500", "{err}");
                eprintln!("moto gap: {err}");
                // The stack itself was created before.
                let info = d.describe_stack(&stack).await.unwrap().unwrap();
                assert_eq!(info.status, "CREATE_COMPLETE");
            }
        }
        d.delete_stack(&stack, &mut cfn_deploy::Quiet)
            .await
            .unwrap();
    })
    .unwrap();
}

// ------------------------------------------------------------ no peer needed

#[test]
fn too_large_a_template_is_refused_before_any_call() {
    let mut src = String::from("Resources:\n");
    for i in 0..600 {
        src.push_str(&format!(
            "  Topic{i}:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: a-rather-long-display-name-to-fill-the-template-{i}\n"
        ));
    }
    // Port 9 (discard): any call would fail as unreachable, not as too large.
    let d = Deployer::from_client(offline_client("http://127.0.0.1:9", 1));
    let req = DeployRequest::new("big", yaml(&src)).yes(true);
    let err = block_on(d.deploy(&req, &mut |_: &Plan| true, &mut cfn_deploy::Quiet))
        .unwrap()
        .unwrap_err();
    let Error::TemplateTooLarge { size, limit, .. } = err else {
        panic!("expected TemplateTooLarge, got {err}");
    };
    assert!(size > limit);
    assert_eq!(limit, cfn_core::validate::limits::DIRECT_BODY_BYTES);
}

/// A client with static credentials for a fake or closed endpoint.
fn offline_client(endpoint: &str, attempts: u32) -> Client {
    let config = aws_sdk_cloudformation::Config::builder()
        .behavior_version_latest()
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .endpoint_url(endpoint)
        .retry_config(
            aws_config::retry::RetryConfig::standard()
                .with_max_attempts(attempts)
                .with_initial_backoff(Duration::from_millis(10))
                .with_max_backoff(Duration::from_millis(50)),
        )
        .timeout_config(
            aws_config::timeout::TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(2))
                .build(),
        )
        .build();
    Client::from_conf(config)
}

#[test]
fn unreachable_endpoint_is_a_clear_error() {
    // A port that was free a moment ago: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let d = Deployer::from_client(offline_client(&format!("http://127.0.0.1:{port}"), 2));
    let err = block_on(d.describe_stack("any")).unwrap().unwrap_err();
    assert!(matches!(err, Error::Unreachable { .. }), "{err:?}");
    let text = err.to_string();
    eprintln!("{text}");
    assert!(
        text.starts_with("could not reach CloudFormation at"),
        "{text}"
    );
    assert!(
        text.ends_with("check the network, the endpoint URL and the region"),
        "{text}"
    );
}

#[test]
fn throttling_is_retried_with_backoff_then_reported() {
    // A server that throttles every call, as CloudFormation does.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let calls = Arc::new(AtomicUsize::new(0));
    let c = Arc::clone(&calls);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut len = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                let l = line.to_ascii_lowercase();
                if let Some(v) = l.strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap_or(0);
                }
                if line == "\r\n" {
                    break;
                }
            }
            let mut body = vec![0; len];
            let _ = reader.read_exact(&mut body);
            c.fetch_add(1, Ordering::SeqCst);
            let xml = "<ErrorResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>";
            let resp = format!(
                "HTTP/1.1 400 Bad Request\r\ncontent-type: text/xml\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{xml}",
                xml.len()
            );
            let _ = stream.write_all(resp.as_bytes());
        }
    });
    let d = Deployer::from_client(offline_client(&format!("http://127.0.0.1:{port}"), 3));
    let err = block_on(d.describe_stack("any")).unwrap().unwrap_err();
    assert_eq!(calls.load(Ordering::SeqCst), 3, "three attempts");
    assert_eq!(
        err.to_string(),
        "CloudFormation throttled DescribeStacks after 3 attempts (Rate exceeded); wait a minute and try again, or raise the retry attempts"
    );
}

#[test]
fn missing_credentials_are_a_clear_error() {
    // The credential chain reads the environment: run the check in a child
    // process with a clean one.
    if std::env::var("CFN_DEPLOY_CHILD").as_deref() == Ok("no-credentials") {
        let opts = ConnectOptions::new()
            .region("us-east-1")
            .endpoint_url("http://127.0.0.1:9")
            .connect_timeout(Duration::from_millis(200));
        let err = block_on(Deployer::connect(&opts)).unwrap().unwrap_err();
        assert!(matches!(err, Error::NoCredentials { .. }), "{err:?}");
        let text = err.to_string();
        eprintln!("{text}");
        assert!(text.starts_with("no AWS credentials found ("), "{text}");
        assert!(
            text.ends_with("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE to a profile in ~/.aws/credentials"),
            "{text}"
        );
        return;
    }
    let home = std::env::temp_dir().join(format!("cfn-deploy-nohome-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "missing_credentials_are_a_clear_error",
            "--nocapture",
        ])
        .env_clear()
        .env("CFN_DEPLOY_CHILD", "no-credentials")
        .env("HOME", &home)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", home.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("credentials"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "child failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 passed"));
}

#[test]
fn missing_region_is_a_clear_error() {
    if std::env::var("CFN_DEPLOY_CHILD").as_deref() == Ok("no-region") {
        let err = block_on(Deployer::connect(&ConnectOptions::new()))
            .unwrap()
            .unwrap_err();
        assert!(matches!(err, Error::NoRegion), "{err:?}");
        assert_eq!(
            err.to_string(),
            "no AWS region configured; give a region (such as us-east-1), set AWS_REGION, or set `region` in the profile"
        );
        return;
    }
    let home = std::env::temp_dir().join(format!("cfn-deploy-noregion-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "missing_region_is_a_clear_error", "--nocapture"])
        .env_clear()
        .env("CFN_DEPLOY_CHILD", "no-region")
        .env("HOME", &home)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", home.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("credentials"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "child failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 passed"));
}

/// The approval levels against moto: with `yes`, replacing a VPC that
/// subnets and a security group depend on, and broadening a security group,
/// each need their own consent; nothing runs until given.
#[test]
fn approval_levels_with_yes() {
    let Some(ep) = endpoint() else { return };
    let _serial = serial();
    let net = |cidr: &str, open_ssh: bool| {
        let ingress = if open_ssh {
            "\n      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}]"
        } else {
            ""
        };
        yaml(&format!(
            "Resources:
  Vpc: {{Type: AWS::EC2::VPC, Properties: {{CidrBlock: {cidr}.0.0/16}}}}
  Subnet: {{Type: AWS::EC2::Subnet, Properties: {{VpcId: !Ref Vpc, CidrBlock: {cidr}.0.0/24}}}}
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      VpcId: !Ref Vpc{ingress}
"
        ))
    };
    block_on(async {
        let d = deployer(&ep)
            .await
            .with_schema_facts(Arc::new(cfn_tools::schema::RegistryFacts));
        let stack = unique("approve");
        let v1 = net("10.0", false);
        d.deploy(
            &DeployRequest::new(&stack, v1.clone()).yes(true),
            &mut |_: &Plan| true,
            &mut cfn_deploy::Quiet,
        )
        .await
        .unwrap();

        // A new CIDR replaces the VPC (create-only in the registry), and the
        // subnet's new CIDR replaces it too: the plan shows the chain.
        let v2 = net("10.1", false);
        let seen = Arc::new(Mutex::new(Seen::default()));
        let err = d
            .deploy(
                &DeployRequest::new(&stack, v2.clone()).yes(true),
                &mut |_: &Plan| true,
                &mut collector(&seen),
            )
            .await
            .unwrap_err();
        let Error::ApprovalRequired { pending, .. } = &err else {
            panic!("expected an approval refusal, got {err}");
        };
        assert_eq!(pending.len(), 1, "{err}");
        assert!(
            err.to_string().contains(
                "Vpc (AWS::EC2::VPC) would be replaced (estimated from the template diff); 2 resources depend on it: Subnet (replaced with it), Sg"
            ),
            "{err}"
        );
        let text = seen.lock().unwrap().plans[0].render_text(false);
        assert!(text.contains("needs approval:\n  Vpc (AWS::EC2::VPC) would be replaced"), "{text}");
        // Nothing ran.
        assert_eq!(
            d.get_deployed_template(&stack).await.unwrap().to_json_value(),
            v1.to_json_value()
        );
        assert!(change_sets_of(&d, &stack).await.is_empty());

        // Broadening: SSH open to the world on the security group.
        let v3 = net("10.0", true);
        let err = d
            .deploy(
                &DeployRequest::new(&stack, v3.clone()).yes(true),
                &mut |_: &Plan| true,
                &mut cfn_deploy::Quiet,
            )
            .await
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("security-group broadening in Sg: ingress tcp 22 from 0.0.0.0/0"),
            "{err}"
        );
        assert!(change_sets_of(&d, &stack).await.is_empty());
        // ... approved: it runs.
        let r = d
            .deploy(
                &DeployRequest::new(&stack, v3.clone())
                    .yes(true)
                    .allow_broadening(true),
                &mut |_: &Plan| true,
                &mut cfn_deploy::Quiet,
            )
            .await
            .unwrap();
        assert_eq!(r.outcome, Outcome::Updated);
        assert_eq!(
            d.get_deployed_template(&stack).await.unwrap().to_json_value(),
            v3.to_json_value()
        );

        d.delete_stack(&stack, &mut cfn_deploy::Quiet)
            .await
            .unwrap();
    })
    .unwrap();
}

//! The deploy lifecycle against moto (MOTO_ENDPOINT, started by
//! scripts/test.sh): the effect check after a deploy, plan, outputs,
//! destroy, interrupts, drift. Effects are asserted through the API
//! (resources listed, change sets listed, stack gone), never a status alone.

use cfn_core::Template;
use cfn_deploy::{
    block_on, ConnectOptions, DeleteOutcome, DeployRequest, Deployer, DestroyRequest, Error,
    Interrupt, Outcome, Plan, PollSettings, Quiet,
};
use cfn_testkit::{moto_endpoint as endpoint, serial, unique};
use std::time::Duration;

async fn deployer(endpoint: &str) -> Deployer {
    let opts = ConnectOptions::new()
        .endpoint_url(endpoint)
        .region("us-east-1")
        .max_attempts(2);
    Deployer::connect(&opts)
        .await
        .expect("connect to moto")
        .with_poll(
            PollSettings::new()
                .interval(Duration::from_millis(50))
                .change_set_timeout(Duration::from_secs(30))
                .stack_timeout(Duration::from_secs(60)),
        )
}

fn yaml(src: &str) -> Template {
    Template::from_yaml(src).unwrap()
}

const SAFE: &str = "Resources:
  Topic: {Type: AWS::SNS::Topic}
  Logs:
    Type: AWS::S3::Bucket
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      BillingMode: PAY_PER_REQUEST
Outputs:
  TopicArn: {Value: !Ref Topic}
  Bucket: {Value: !Ref Logs}
";

async fn change_sets_of(d: &Deployer, stack: &str) -> Vec<String> {
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
        .filter_map(|s| s.change_set_name().map(str::to_owned))
        .collect()
}

fn redact(msg: &str, names: &[&str]) -> String {
    let mut m = msg.to_owned();
    for n in names {
        m = m.replace(n, "[stack]");
    }
    m
}

#[test]
fn a_reported_success_without_resources_fails_and_names_them() {
    let Some(ep) = endpoint() else { return };
    let _g = serial();
    let stack = unique("kms");
    let t = yaml(
        "Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      Tags: [{Key: team, Value: raven}]
  Topic: {Type: AWS::SNS::Topic}
",
    );
    block_on(async {
        let d = deployer(&ep).await;
        let req = DeployRequest::new(&stack, t).yes(true);
        let err = d
            .deploy(&req, &mut |_: &Plan| true, &mut Quiet)
            .await
            .expect_err("moto loses the resources; the effect check must see it");
        let msg = err.to_string();
        assert!(matches!(err, Error::ResourcesMissing { .. }), "{msg}");
        assert!(msg.contains("Key (AWS::KMS::Key)"), "{msg}");
        // the API says the stack is complete: only the effect check knew better
        let info = d.describe_stack(&stack).await.unwrap().unwrap();
        assert_eq!(info.status, "CREATE_COMPLETE");
        insta::assert_snapshot!("resources_missing", redact(&msg, &[&stack]));
        let _ = d.client().delete_stack().stack_name(&stack).send().await;
    })
    .unwrap();
}

#[test]
fn plan_deletes_its_change_set_and_empty_stack_or_keeps_them() {
    let Some(ep) = endpoint() else { return };
    let _g = serial();
    let stack = unique("plan");
    block_on(async {
        let d = deployer(&ep).await;
        let req = DeployRequest::new(&stack, yaml(SAFE));
        let r = d.plan(&req, false, &mut Quiet).await.unwrap();
        let plan = r.plan.expect("a create has changes");
        assert_eq!(plan.changes.len(), 3);
        assert!(!r.kept);
        assert!(change_sets_of(&d, &stack).await.is_empty());
        assert_eq!(
            d.describe_stack(&stack).await.unwrap(),
            None,
            "no empty stack left"
        );

        let r = d.plan(&req, true, &mut Quiet).await.unwrap();
        assert!(r.kept);
        assert_eq!(change_sets_of(&d, &stack).await.len(), 1);
        let info = d.describe_stack(&stack).await.unwrap().unwrap();
        assert_eq!(info.status, "REVIEW_IN_PROGRESS");
        assert_eq!(r.kept_commands().len(), 3);
        let cs = r.plan.unwrap().change_set_id;
        d.client()
            .delete_change_set()
            .change_set_name(&cs)
            .send()
            .await
            .unwrap();
        d.client()
            .delete_stack()
            .stack_name(&stack)
            .send()
            .await
            .unwrap();
    })
    .unwrap();
}

#[test]
fn deploy_checks_effects_outputs_are_sorted_and_destroy_guards_data() {
    let Some(ep) = endpoint() else { return };
    let _g = serial();
    let stack = unique("life");
    block_on(async {
        let d = deployer(&ep).await;
        let req = DeployRequest::new(&stack, yaml(SAFE)).yes(true);
        let r = d
            .deploy(&req, &mut |_: &Plan| true, &mut Quiet)
            .await
            .unwrap();
        assert_eq!(r.outcome, Outcome::Created);
        let effects = d.check_effects(&stack, &yaml(SAFE)).await.unwrap();
        assert_eq!(effects.present.len(), 3);
        assert!(effects.is_complete());

        // destroy: the table holds data and is not retained
        let err = d
            .destroy(
                &DestroyRequest::new(&stack).yes(true),
                &mut |_| true,
                &mut Quiet,
            )
            .await
            .unwrap_err();
        assert!(matches!(err, Error::DeleteRefused { .. }));
        insta::assert_snapshot!("delete_refused", redact(&err.to_string(), &[&stack]));
        assert_eq!(d.list_stack_resources(&stack).await.unwrap().len(), 3);
        let err = d
            .destroy(
                &DestroyRequest::new(&stack).allow_delete("Tabel").yes(true),
                &mut |_| true,
                &mut Quiet,
            )
            .await
            .unwrap_err();
        insta::assert_snapshot!("unknown_allowed", redact(&err.to_string(), &[&stack]));
        // declined: nothing deleted
        let r = d
            .destroy(
                &DestroyRequest::new(&stack).allow_delete("Table"),
                &mut |_| false,
                &mut Quiet,
            )
            .await
            .unwrap();
        assert_eq!(r.outcome, DeleteOutcome::Declined);
        assert_eq!(d.list_stack_resources(&stack).await.unwrap().len(), 3);
        let r = d
            .destroy(
                &DestroyRequest::new(&stack).allow_delete("Table").yes(true),
                &mut |_| true,
                &mut Quiet,
            )
            .await
            .unwrap();
        assert_eq!(r.outcome, DeleteOutcome::Deleted);
        let plan = r.plan.unwrap();
        let retained: Vec<&str> = plan
            .resources
            .iter()
            .filter(|r| r.retained_by.is_some())
            .map(|r| r.logical_id.as_str())
            .collect();
        assert_eq!(retained, ["Logs"]);
        assert_eq!(
            d.describe_stack(&stack).await.unwrap(),
            None,
            "the stack is gone"
        );
        // (moto keeps listing the executed change set after the stack is
        // deleted; AWS deletes it with the stack: not asserted here)

        // outputs: moto sets them only on CreateStack, not ExecuteChangeSet
        let direct = unique("outputs");
        d.client()
            .create_stack()
            .stack_name(&direct)
            .template_body(yaml(SAFE).to_json_compact())
            .send()
            .await
            .unwrap();
        let outputs = d.stack_outputs(&direct).await.unwrap();
        let keys: Vec<&str> = outputs.iter().map(|o| o.key.as_str()).collect();
        assert_eq!(keys, ["Bucket", "TopicArn"], "sorted by key");
        assert!(outputs[1].value.starts_with("arn:aws:sns:"));
        let _ = d.client().delete_stack().stack_name(&direct).send().await;
    })
    .unwrap();
}

#[test]
fn destroy_honours_termination_protection() {
    let Some(ep) = endpoint() else { return };
    let _g = serial();
    let stack = unique("protected");
    block_on(async {
        let d = deployer(&ep).await;
        d.client()
            .create_stack()
            .stack_name(&stack)
            .template_body(yaml("Resources:\n  T: {Type: AWS::SNS::Topic}\n").to_json_compact())
            .enable_termination_protection(true)
            .send()
            .await
            .unwrap();
        let err = d
            .destroy(
                &DestroyRequest::new(&stack).yes(true),
                &mut |_| true,
                &mut Quiet,
            )
            .await
            .unwrap_err();
        assert!(matches!(err, Error::TerminationProtected { .. }));
        insta::assert_snapshot!("termination_protected", redact(&err.to_string(), &[&stack]));
        assert!(
            d.describe_stack(&stack).await.unwrap().is_some(),
            "not deleted"
        );
        assert_eq!(d.list_stack_resources(&stack).await.unwrap().len(), 1);
    })
    .unwrap();
}

#[test]
fn an_interrupt_at_the_prompt_removes_the_change_set_and_the_empty_stack() {
    let Some(ep) = endpoint() else { return };
    let _g = serial();
    let stack = unique("sigint");
    block_on(async {
        let d = deployer(&ep).await;
        let req = DeployRequest::new(&stack, yaml(SAFE));
        let interrupt = Interrupt::new();
        let i = interrupt.clone();
        let mut confirm = move |_: &Plan| {
            i.trigger();
            false
        };
        let err = d
            .deploy_interruptible(&req, &mut confirm, &mut Quiet, &interrupt)
            .await
            .unwrap_err();
        let msg = redact(&err.to_string(), &[&stack]);
        assert!(matches!(err, Error::Interrupted { .. }), "{msg}");
        let cs = msg
            .lines()
            .find_map(|l| l.strip_prefix("  removed: change set "))
            .unwrap()
            .to_owned();
        insta::assert_snapshot!("interrupted_at_prompt", msg.replace(&cs, "[change set]"));
        assert!(change_sets_of(&d, &stack).await.is_empty());
        assert_eq!(d.describe_stack(&stack).await.unwrap(), None);
    })
    .unwrap();
}

#[test]
fn drift_on_an_endpoint_without_it_is_a_clear_error() {
    let Some(ep) = endpoint() else { return };
    let _g = serial();
    let stack = unique("drift");
    block_on(async {
        let d = deployer(&ep).await;
        let req = DeployRequest::new(&stack, yaml("Resources:\n  T: {Type: AWS::SNS::Topic}\n"))
            .yes(true);
        d.deploy(&req, &mut |_: &Plan| true, &mut Quiet)
            .await
            .unwrap();
        // moto 5.2.5 has no DetectStackDrift: the error names the operation
        let err = d.detect_drift(&stack).await.unwrap_err();
        assert!(
            err.to_string().starts_with("DetectStackDrift failed"),
            "{err}"
        );
        d.delete_stack(&stack, &mut Quiet).await.unwrap();
    })
    .unwrap();
}

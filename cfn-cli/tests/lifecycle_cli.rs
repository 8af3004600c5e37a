//! The lifecycle commands of `cfnkit` and of a stack program against moto
//! (MOTO_ENDPOINT, started by scripts/test.sh): plan, deploy with outputs,
//! destroy, drift, several stacks, a closed port. Built only with the
//! `deploy` feature: `cargo test -p cfn-cli --features deploy --test lifecycle_cli`.
#![cfg(feature = "deploy")]

use cfn_cli::{Failure, Program, Stack};
use cfn_core::Template;
use cfn_testkit::moto_endpoint as endpoint;
use std::process::{Command, Stdio};

fn cfnkit(args: &[&str], endpoint: &str) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cfnkit"))
        .args(args)
        .args(["--endpoint-url", endpoint, "--region", "us-east-1"])
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("cfnkit runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
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
";

/// Stack names the API lists (moto: ListStacks, deleted ones excluded).
fn stack_exists(ep: &str, stack: &str) -> bool {
    let (code, _, err) = cfnkit(&["outputs", "--stack-name", stack], ep);
    match code {
        0 => true,
        3 if err.contains("does not exist") => false,
        _ => panic!("outputs failed: {err}"),
    }
}

#[test]
fn plan_deploy_outputs_destroy() {
    let Some(ep) = endpoint() else { return };
    let dir = std::env::temp_dir().join(format!("cfnkit-life-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("t.yaml");
    std::fs::write(&file, SAFE).unwrap();
    let f = file.to_str().unwrap();
    let stack = format!("cfnkit-life-{}", std::process::id());

    // plan: shown, deleted, exit 0; nothing left behind
    let (code, out, err) = cfnkit(
        &["plan", f, "--stack-name", &stack, "--format", "json"],
        &ep,
    );
    assert_eq!(code, 0, "{out}{err}");
    let json: serde_json::Value = serde_json::from_str(&out).expect("plan JSON");
    assert_eq!(json["changes"].as_array().unwrap().len(), 3);
    assert_eq!(json["kept"], false);
    assert!(
        !stack_exists(&ep, &stack),
        "plan leaves no REVIEW_IN_PROGRESS stack"
    );

    // not executed without a terminal: exit 4, nothing left
    let (code, out, err) = cfnkit(&["deploy", f, "--stack-name", &stack], &ep);
    assert_eq!(code, 4, "{out}{err}");
    assert!(err.contains("pass --yes"), "{err}");
    assert!(!stack_exists(&ep, &stack));

    // deploy: effects checked, outputs file written (moto reports no
    // outputs after ExecuteChangeSet: the file is `{}` and a warning says why)
    let outputs = dir.join("outputs.json");
    let (code, out, err) = cfnkit(
        &[
            "deploy",
            f,
            "--stack-name",
            &stack,
            "--yes",
            "--outputs-file",
            outputs.to_str().unwrap(),
        ],
        &ep,
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("created (CREATE_COMPLETE)"), "{out}");
    assert!(
        err.contains("does not report the outputs TopicArn"),
        "{err}"
    );
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&outputs).unwrap()).unwrap();
    assert!(written.is_object());
    assert!(stack_exists(&ep, &stack));

    // destroy: refused for the table (exit 1), not executed without --yes
    // (exit 4), then done
    let (code, out, err) = cfnkit(&["destroy", "--stack-name", &stack, "--yes"], &ep);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("retain  Logs  AWS::S3::Bucket"), "{err}");
    insta::assert_snapshot!(
        "destroy_refused",
        err.lines()
            .skip_while(|l| !l.starts_with("error:"))
            .collect::<Vec<_>>()
            .join("\n")
            .replace(&stack, "[stack]")
    );
    assert!(stack_exists(&ep, &stack));
    let (code, _, err) = cfnkit(
        &["destroy", "--stack-name", &stack, "--allow-delete", "Table"],
        &ep,
    );
    assert_eq!(code, 4, "{err}");
    assert!(stack_exists(&ep, &stack));
    let (code, out, err) = cfnkit(
        &[
            "destroy",
            "--stack-name",
            &stack,
            "--allow-delete",
            "Table",
            "--yes",
        ],
        &ep,
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("deleted; retained: Logs"), "{out}");
    assert!(!stack_exists(&ep, &stack), "the stack is gone");

    // drift: moto has no DetectStackDrift; a clear error, exit 3
    let (code, _, err) = cfnkit(&["drift", "--stack-name", &stack], &ep);
    assert_eq!(code, 3, "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_closed_port_is_a_clear_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (code, _, err) = cfnkit(
        &["outputs", "--stack-name", "nowhere"],
        &format!("http://127.0.0.1:{port}"),
    );
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("could not reach CloudFormation"), "{err}");
}

fn t(src: &str) -> Template {
    Template::from_yaml(src).unwrap()
}

#[test]
fn several_stacks_deploy_in_order_and_stop_at_the_first_failure() {
    let Some(ep) = endpoint() else { return };
    std::env::set_var("AWS_ACCESS_KEY_ID", "testing");
    std::env::set_var("AWS_SECRET_ACCESS_KEY", "testing");
    let base = format!("cfnkit-many-{}", std::process::id());
    let names = [
        format!("{base}-dev"),
        format!("{base}-staging"),
        format!("{base}-prod"),
    ];
    let (n0, n1, n2) = (names[0].clone(), names[1].clone(), names[2].clone());
    let program = Program::new("many", move || {
        Ok(vec![
            Stack::new(&n0, "dev", t("Resources:\n  T: {Type: AWS::SNS::Topic}\n")),
            // moto loses a KMS key with tags: the effect check fails this one
            Stack::new(
                &n1,
                "staging",
                t("Resources:\n  K:\n    Type: AWS::KMS::Key\n    Properties:\n      Tags: [{Key: a, Value: b}]\n"),
            ),
            Stack::new(&n2, "prod", t("Resources:\n  T: {Type: AWS::SNS::Topic}\n")),
        ])
    });
    let r = program.try_run_from([
        "many",
        "deploy",
        "--yes",
        "--endpoint-url",
        &ep,
        "--region",
        "us-east-1",
    ]);
    assert!(
        matches!(&r, Err(Failure::Check(m)) if m.contains("K (AWS::KMS::Key)")),
        "{r:?}"
    );
    assert!(stack_exists(&ep, &names[0]), "dev deployed first");
    assert!(!stack_exists(&ep, &names[2]), "prod never started");
    for n in &names[..2] {
        let _ = cfnkit(&["destroy", "--stack-name", n, "--yes"], &ep);
    }
}

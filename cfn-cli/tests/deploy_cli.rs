//! `cfnkit deploy` against moto's CloudFormation server (started by
//! scripts/test.sh; MOTO_ENDPOINT). Built only with the `deploy` feature:
//! `cargo test -p cfn-cli --features deploy --test deploy_cli`.
#![cfg(feature = "deploy")]

use cfn_testkit::moto_endpoint as endpoint;
use std::process::Command;

fn cfnkit(args: &[&str], endpoint: &str) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cfnkit"))
        .args(args)
        .args(["--endpoint-url", endpoint, "--region", "us-east-1"])
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("NO_COLOR", "1")
        .output()
        .expect("cfnkit runs");
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn template(bucket: &str) -> String {
    format!(
        "Resources:\n  Assets:\n    Type: AWS::S3::Bucket\n    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n    Properties: {{BucketName: {bucket}}}\n  Topic:\n    Type: AWS::SNS::Topic\n"
    )
}

#[test]
fn deploy_update_noop_refusal_and_allow() {
    let Some(ep) = endpoint() else { return };
    let dir = std::env::temp_dir().join(format!("cfnkit-deploy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("t.yaml");
    let f = file.to_str().unwrap();
    let stack = format!("cfnkit-cli-{}", std::process::id());
    let bucket = format!("cfnkit-cli-{}-a", std::process::id());

    std::fs::write(&file, template(&bucket)).unwrap();
    let (code, out) = cfnkit(&["deploy", f, "--stack-name", &stack, "--yes"], &ep);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("Add  Assets  AWS::S3::Bucket") && out.contains("created (CREATE_COMPLETE)"),
        "{out}"
    );

    let (code, out) = cfnkit(&["deploy", f, "--stack-name", &stack, "--yes"], &ep);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("no changes"), "{out}");

    // renaming the bucket replaces it: refused unless allowed by name
    std::fs::write(&file, template(&format!("{bucket}-v2"))).unwrap();
    let (code, out) = cfnkit(&["deploy", f, "--stack-name", &stack, "--yes"], &ep);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("refusing to deploy") && out.contains("--allow-replace Assets"),
        "{out}"
    );
    assert!(
        out.contains("Properties/BucketName") && out.contains("REPLACEMENT"),
        "{out}"
    );
    let (code, out) = cfnkit(
        &[
            "deploy",
            f,
            "--stack-name",
            &stack,
            "--yes",
            "--allow-replace",
            "Assets",
        ],
        &ep,
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("updated (UPDATE_COMPLETE)"), "{out}");

    // without --yes and without a terminal, nothing is executed
    std::fs::write(
        &file,
        template(&format!("{bucket}-v2")).replace("Topic:", "Topic2:"),
    )
    .unwrap();
    let (code, out) = cfnkit(&["deploy", f, "--stack-name", &stack], &ep);
    assert_eq!(code, 4, "not executed is exit 4, not a refusal: {out}");
    assert!(out.contains("pass --yes"), "{out}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn invalid_templates_and_bad_flags_never_reach_the_api() {
    let Some(ep) = endpoint() else { return };
    let dir = std::env::temp_dir().join(format!("cfnkit-deploy-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bad.yaml");
    std::fs::write(
        &file,
        "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties: {DisplayName: !Ref Nope}\n",
    )
    .unwrap();
    let (code, out) = cfnkit(
        &[
            "deploy",
            file.to_str().unwrap(),
            "--stack-name",
            "never",
            "--yes",
        ],
        &ep,
    );
    assert_eq!(code, 3, "{out}");
    assert!(
        out.contains("`Ref` to `Nope`") && out.contains("fix it before deploying"),
        "{out}"
    );
    let (code, out) = cfnkit(
        &[
            "deploy",
            file.to_str().unwrap(),
            "--stack-name",
            "never",
            "--parameter",
            "novalue",
        ],
        &ep,
    );
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("is not KEY=VALUE"), "{out}");
    std::fs::remove_dir_all(&dir).unwrap();
}

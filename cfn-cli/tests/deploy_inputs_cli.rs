//! `cfnkit deploy` inputs: parameters files, `--s3-bucket`, `--profile`.
//! The refusals need no peer (they come before any API call: the endpoint
//! is a closed port); the parameters-file deploy runs against moto
//! (MOTO_ENDPOINT, started by scripts/test.sh). Built only with the
//! `deploy` feature: `cargo test -p cfn-cli --features deploy --test deploy_inputs_cli`.
#![cfg(feature = "deploy")]

use std::path::PathBuf;
use std::process::Command;

fn dir(test: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("cfnkit-inputs-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs cfnkit with dummy environment credentials and no shared files.
fn cfnkit(args: &[&str], endpoint: &str, env: &[(&str, &str)]) -> (i32, String) {
    let home = dir("home");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cfnkit"));
    cmd.args(args)
        .args(["--endpoint-url", endpoint, "--region", "us-east-1"])
        .env("HOME", &home)
        .env("AWS_CONFIG_FILE", home.join("none-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("none-credentials"))
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env_remove("AWS_PROFILE")
        .env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("cfnkit runs");
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

const CLOSED: &str = "http://127.0.0.1:9";

const PARAMS_TEMPLATE: &str = "Parameters:\n  Env: {Type: String, AllowedValues: [dev, prod]}\n  Size: {Type: Number, MaxValue: 10, Default: 1}\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties: {DisplayName: !Sub '${Env}-${Size}'}\n";

#[test]
fn unknown_profile_is_an_error_before_any_call() {
    let d = dir("profile");
    let t = d.join("t.yaml");
    std::fs::write(&t, PARAMS_TEMPLATE).unwrap();
    let (code, out) = cfnkit(
        &[
            "deploy",
            t.to_str().unwrap(),
            "--stack-name",
            "s",
            "--parameter",
            "Env=dev",
            "--profile",
            "nosuch",
        ],
        CLOSED,
        &[],
    );
    assert_eq!(code, 3, "{out}");
    assert!(
        out.contains("profile `nosuch` not found in ~/.aws/config or ~/.aws/credentials"),
        "{out}"
    );
    assert!(out.contains("hint: correct --profile"), "{out}");
    assert!(!out.contains("could not reach"), "no call was made: {out}");
}

#[test]
fn bad_parameters_and_large_templates_name_the_flags() {
    let d = dir("refusals");
    let t = d.join("t.yaml");
    std::fs::write(&t, PARAMS_TEMPLATE).unwrap();
    let file = d.join("params.json");
    std::fs::write(
        &file,
        r#"[{"ParameterKey": "Env", "ParameterValue": "test"}, {"ParameterKey": "Sise", "ParameterValue": "3"}]"#,
    )
    .unwrap();
    let (code, out) = cfnkit(
        &[
            "deploy",
            t.to_str().unwrap(),
            "--stack-name",
            "s",
            "--parameters-file",
            file.to_str().unwrap(),
            "--parameter",
            "Size=11",
        ],
        CLOSED,
        &[],
    );
    assert_eq!(code, 3, "{out}");
    for want in [
        "(3 problems)",
        "value \"test\" of parameter `Env` breaks AllowedValues",
        "parameter `Sise` is not declared in the template (did you mean `Size`?)",
        "value \"11\" of parameter `Size` breaks MaxValue",
        "hint: give values with --parameter KEY=VALUE or --parameters-file FILE",
    ] {
        assert!(out.contains(want), "missing {want:?} in:\n{out}");
    }

    let mut big = String::from("Resources:\n");
    for i in 0..5 {
        big.push_str(&format!(
            "  Topic{i}:\n    Type: AWS::SNS::Topic\n    Metadata: {{Notes: {}}}\n",
            "x".repeat(12_000)
        ));
    }
    let t = d.join("big.yaml");
    std::fs::write(&t, big).unwrap();
    let (code, out) = cfnkit(
        &["deploy", t.to_str().unwrap(), "--stack-name", "s"],
        CLOSED,
        &[],
    );
    assert_eq!(code, 3, "{out}");
    assert!(
        out.contains("more than the 51200 bytes CloudFormation accepts inline"),
        "{out}"
    );
    assert!(out.contains("hint: pass --s3-bucket BUCKET"), "{out}");

    let (code, out) = cfnkit(
        &[
            "deploy",
            t.to_str().unwrap(),
            "--stack-name",
            "s",
            "--parameters-file",
            "/nonexistent/p.json",
        ],
        CLOSED,
        &[],
    );
    assert_eq!(code, 3, "{out}");
    assert!(
        out.contains("parameters file `/nonexistent/p.json`: cannot read it"),
        "{out}"
    );
}

#[test]
fn parameters_file_with_overrides_deploys() {
    let Some(ep) = cfn_testkit::moto_endpoint() else {
        return;
    };
    let _serial = cfn_testkit::serial();
    let d = dir("paramsfile");
    let t = d.join("t.yaml");
    std::fs::write(&t, PARAMS_TEMPLATE).unwrap();
    let file = d.join("params.yaml");
    std::fs::write(&file, "Env: dev\nSize: 2\n").unwrap();
    let stack = format!("cfnkit-params-{}", std::process::id());
    let (code, out) = cfnkit(
        &[
            "deploy",
            t.to_str().unwrap(),
            "--stack-name",
            &stack,
            "--yes",
            "--parameters-file",
            file.to_str().unwrap(),
            "--parameter",
            "Size=3",
        ],
        &ep,
        &[],
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("created"), "{out}");
    // an update that gives no values: Env (no Default) keeps its deployed
    // value through UsePreviousValue, else this would be refused as missing
    let (code, out) = cfnkit(
        &[
            "deploy",
            t.to_str().unwrap(),
            "--stack-name",
            &stack,
            "--yes",
        ],
        &ep,
        &[],
    );
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("has no value"), "{out}");
}

//! `release` of the Raven stack program (the `deploy` feature): the dry run
//! needs no AWS at all; bad input is exit 3 before any AWS call. The AWS
//! side is tested in `cfn-release` (moto and a scripted fake).
#![cfg(feature = "deploy")]

use cfn_cli::Failure;
use std::path::PathBuf;

fn app(name: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("raven-release-{name}-{}", std::process::id()));
    for t in ["web", "backend"] {
        std::fs::create_dir_all(p.join(t)).unwrap();
        std::fs::write(p.join(t).join(format!("raven-{t}.service")), "[Service]\n").unwrap();
    }
    p
}

fn run(args: &[&str]) -> Result<(), Failure> {
    let mut argv = vec!["raven"];
    argv.extend_from_slice(args);
    // no AWS: an unreachable endpoint, so any call would fail loudly
    cfn_suite::raven_program().try_run_from(argv)
}

#[test]
fn the_dry_run_needs_no_aws() {
    let dir = app("dry");
    let d = dir.to_str().unwrap();
    run(&[
        "release",
        "--env",
        "staging",
        "--app",
        d,
        "--dry-run",
        "--endpoint-url",
        "http://127.0.0.1:9",
    ])
    .unwrap();
    run(&[
        "release",
        "--env",
        "prod",
        "--app",
        d,
        "--dry-run",
        "--tier",
        "web",
        "--wait",
        "false",
    ])
    .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_input_is_exit_3_before_any_aws_call() {
    let dir = app("bad");
    let d = dir.to_str().unwrap();
    let e = run(&[
        "release",
        "--env",
        "staging",
        "--app",
        "/nonexistent/app",
        "--endpoint-url",
        "http://127.0.0.1:9",
    ])
    .unwrap_err();
    assert_eq!(e.code(), 3, "{e:?}");
    let e = run(&["release", "--env", "qa", "--app", d, "--dry-run"]).unwrap_err();
    assert_eq!(e.code(), 3, "{e:?}");
    let e = run(&["release", "--app", d, "--dry-run"]).unwrap_err();
    assert!(
        matches!(&e, Failure::Input(m) if m.contains("release takes one stack")),
        "{e:?}"
    );
    let e = run(&[
        "release",
        "--env",
        "dev",
        "--app",
        d,
        "--dry-run",
        "--tier",
        "api",
    ])
    .unwrap_err();
    assert!(
        matches!(&e, Failure::Input(m) if m.contains("unknown tier `api`; stack `raven-dev` has: backend, web")),
        "{e:?}"
    );
    let e = run(&["release", "--env", "dev", "--app", d, "--wait", "maybe"]).unwrap_err();
    assert_eq!(e.code(), 2, "{e:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

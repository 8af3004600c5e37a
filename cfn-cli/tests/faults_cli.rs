//! Faults through `cfnkit` itself, against moto (MOTO_ENDPOINT, started by
//! scripts/test.sh): `--verbose` shows a retried call; a real SIGINT to the
//! process at the prompt (under a pseudo-terminal, with util-linux
//! `script`) and while it waits for the stack; bad credentials (a private
//! moto with authentication on). Effects are checked at moto itself:
//! change sets and stacks listed. Built only with the `deploy` feature:
//! `cargo test -p cfn-cli --features deploy --test faults_cli`.
#![cfg(feature = "deploy")]

use cfn_deploy::{block_on, ConnectOptions, Deployer};
use cfn_testkit::faults::{Faults, PrivateMoto, Proxy, HTML_500};
use cfn_testkit::{moto_endpoint as endpoint, serial};
use std::io::Read;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const TOPIC: &str = "Resources:\n  Alerts: {Type: AWS::SNS::Topic}\n";

/// A template file and a stack name unique to this test.
fn setup(test: &str) -> (std::path::PathBuf, String) {
    let dir = std::env::temp_dir().join(format!("cfnkit-faults-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("t.yaml");
    std::fs::write(&file, TOPIC).unwrap();
    (file, format!("cfnkit-{test}-{}", std::process::id()))
}

fn cfnkit(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cfnkit"));
    c.args(args)
        .args(["--region", "us-east-1"])
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env_remove("AWS_PROFILE")
        .env("NO_COLOR", "1");
    c
}

fn run(mut c: Command) -> (i32, String, String) {
    let out = c.stdin(Stdio::null()).output().expect("cfnkit runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// What is at moto for `stack`: its status (None: no stack) and the change
/// sets that wait to be executed.
fn at_moto(ep: &str, stack: &str) -> (Option<String>, Vec<String>) {
    let (ep, stack) = (ep.to_owned(), stack.to_owned());
    block_on(async move {
        let d = Deployer::connect(
            &ConnectOptions::new()
                .endpoint_url(&ep)
                .region("us-east-1")
                .max_attempts(2),
        )
        .await
        .unwrap();
        let status = d.describe_stack(&stack).await.unwrap().map(|s| s.status);
        let listed = d
            .client()
            .list_change_sets()
            .stack_name(&stack)
            .send()
            .await
            .map(|o| o.summaries().to_vec())
            .unwrap_or_default();
        let pending = listed
            .iter()
            .filter(|s| s.stack_name() == Some(stack.as_str()))
            .filter(|s| {
                !matches!(
                    s.execution_status().map(|x| x.as_str()),
                    Some("EXECUTE_COMPLETE" | "OBSOLETE")
                )
            })
            .filter_map(|s| s.change_set_name().map(str::to_owned))
            .collect();
        (status, pending)
    })
    .unwrap()
}

fn delete(ep: &str, stack: &str) {
    let (ep, stack) = (ep.to_owned(), stack.to_owned());
    block_on(async move {
        let d = Deployer::connect(&ConnectOptions::new().endpoint_url(&ep).region("us-east-1"))
            .await
            .unwrap();
        let _ = d.delete_stack(&stack, &mut cfn_deploy::Quiet).await;
    })
    .unwrap();
}

fn sigint(pid: u32) {
    let ok = Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(ok.success(), "kill -INT {pid}");
}

/// Waits for `cond`, at most `secs` seconds.
fn wait_for(secs: u64, what: &str, mut cond: impl FnMut() -> bool) {
    let started = Instant::now();
    while !cond() {
        assert!(
            started.elapsed() < Duration::from_secs(secs),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn verbose_shows_a_retried_call_and_quiet_does_not() {
    let Some(ep) = endpoint() else { return };
    let _g = serial();
    let (file, stack) = setup("verbose");
    let f = file.to_str().unwrap();
    for verbose in [true, false] {
        let proxy = Proxy::start(
            &ep,
            Faults {
                fail_once: Some(("CreateChangeSet", 500, HTML_500.into())),
                ..Faults::default()
            },
        );
        let mut args = vec![
            "plan",
            f,
            "--stack-name",
            &stack,
            "--endpoint-url",
            &proxy.url,
        ];
        if verbose {
            args.push("--verbose");
        }
        let (code, out, err) = run(cfnkit(&args));
        assert_eq!(code, 0, "{out}{err}");
        let retried = proxy
            .actions()
            .iter()
            .filter(|a| *a == "CreateChangeSet")
            .count();
        assert_eq!(retried, 2, "the SDK retried: {:?}", proxy.actions());
        let line = "retrying CreateChangeSet (attempt 2 of 6): HTTP 500: 500 Internal Server Error";
        assert_eq!(err.contains(line), verbose, "verbose {verbose}: {err}");
        // the plan left nothing behind
        assert_eq!(at_moto(&ep, &stack), (None, Vec::new()));
    }
}

#[test]
fn sigint_at_the_prompt_removes_the_change_set_and_the_empty_stack() {
    let Some(ep) = endpoint() else { return };
    if Command::new("script").arg("--version").output().is_err() {
        if std::env::var("PEERS_REQUIRED").as_deref() == Ok("1") {
            panic!("util-linux `script` is needed for the pseudo-terminal");
        }
        return eprintln!("SKIPPING: util-linux `script` is not installed");
    }
    let _g = serial();
    let (file, stack) = setup("sigint-prompt");
    // under `script`, cfnkit's standard input is a terminal: it asks
    let command = format!(
        "exec '{}' deploy '{}' --stack-name {stack} --endpoint-url {ep} --region us-east-1",
        env!("CARGO_BIN_EXE_cfnkit"),
        file.display()
    );
    let mut child = Command::new("script")
        .args(["-qfec", &command, "/dev/null"])
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env_remove("AWS_PROFILE")
        .env("NO_COLOR", "1")
        // kept open and silent: an EOF would answer the prompt with "no"
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("script runs");
    let screen = Arc::new(Mutex::new(String::new()));
    let s = Arc::clone(&screen);
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 {
                break;
            }
            s.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    wait_for(120, "the prompt", || {
        screen.lock().unwrap().contains("[y/N]")
    });
    // the change set and the stack it made wait for the answer
    let (status, pending) = at_moto(&ep, &stack);
    assert_eq!(status.as_deref(), Some("REVIEW_IN_PROGRESS"));
    assert_eq!(pending.len(), 1);
    let pid = child_pid(child.id()).expect("cfnkit runs under script");
    sigint(pid);
    let started = Instant::now();
    let code = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st.code();
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "cfnkit did not end after SIGINT"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    drop(child.stdin.take());
    reader.join().unwrap();
    let screen = screen.lock().unwrap().replace('\r', "");
    assert_eq!(code, Some(130), "{screen}");
    assert!(
        screen.contains(&format!("interrupted: stack `{stack}`")),
        "{screen}"
    );
    assert!(screen.contains("  removed: change set "), "{screen}");
    assert!(
        screen.contains(&format!(
            "  removed: the empty stack {stack} (REVIEW_IN_PROGRESS)"
        )),
        "{screen}"
    );
    assert!(!screen.contains("left:"), "{screen}");
    // what it says was removed is gone
    assert_eq!(at_moto(&ep, &stack), (None, Vec::new()));
}

/// The pid of the process `script` started (`exec` made it cfnkit).
fn child_pid(parent: u32) -> Option<u32> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(10) {
        for entry in std::fs::read_dir("/proc").ok()?.flatten() {
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
                continue;
            };
            // pid (comm) state ppid ...
            let Some((_, rest)) = stat.rsplit_once(") ") else {
                continue;
            };
            let ppid = rest.split(' ').nth(1).and_then(|p| p.parse::<u32>().ok());
            if ppid == Some(parent) && stat.contains("(cfnkit)") {
                return entry.file_name().to_str()?.parse().ok();
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

#[test]
fn sigint_while_waiting_names_what_keeps_running() {
    let Some(ep) = endpoint() else { return };
    let _g = serial();
    let (file, stack) = setup("sigint-wait");
    // every call after ExecuteChangeSet is held: cfnkit waits for the stack
    let proxy = Proxy::start(
        &ep,
        Faults {
            stall_after: Some("ExecuteChangeSet"),
            ..Faults::default()
        },
    );
    let mut c = cfnkit(&[
        "deploy",
        file.to_str().unwrap(),
        "--stack-name",
        &stack,
        "--yes",
        "--endpoint-url",
        &proxy.url,
    ]);
    let child = c
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for(120, "the wait for the stack", || proxy.is_stalling_a_call());
    sigint(child.id());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{err}");
    let left: Vec<&str> = err
        .lines()
        .filter_map(|l| l.strip_prefix("  left: "))
        .collect();
    assert_eq!(
        left,
        [
            format!("the stack operation keeps running in CloudFormation: follow it with aws cloudformation describe-stack-events --stack-name {stack}"),
            format!("to remove the new stack once it has finished: aws cloudformation delete-stack --stack-name {stack}"),
        ],
        "{err}"
    );
    assert!(!err.contains("removed:"), "{err}");
    // exactly what it names is there: the stack (moto finishes at once),
    // no change set waiting
    assert_eq!(
        at_moto(&ep, &stack),
        (Some("CREATE_COMPLETE".to_owned()), Vec::new())
    );
    delete(&ep, &stack);
}

#[test]
fn bad_credentials_are_a_clear_error_and_create_nothing() {
    if endpoint().is_none() {
        return;
    }
    // moto checks the access key when authentication is on
    let Some(moto) = PrivateMoto::start(&[("INITIAL_NO_AUTH_ACTION_COUNT", "0")]) else {
        return;
    };
    let (file, stack) = setup("badcreds");
    let (code, out, err) = run(cfnkit(&[
        "deploy",
        file.to_str().unwrap(),
        "--stack-name",
        &stack,
        "--yes",
        "--endpoint-url",
        &moto.url,
    ]));
    assert_eq!(code, 3, "{out}{err}");
    assert!(
        err.starts_with("error: ValidateTemplate was denied: InvalidClientTokenId: The security token included in the request is invalid.; check that the credentials are valid and not expired"),
        "{err}"
    );
    assert!(
        !err.contains("panicked") && !err.contains("backtrace"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "one line, no trace: {err}");
    // nothing was created: moto's own record of its state
    let data = moto.get("/moto-api/data.json").expect("moto's state");
    let state: serde_json::Value = serde_json::from_str(&data).expect("JSON");
    assert_eq!(state["cloudformation"]["Stack"], serde_json::json!([]));
    assert_eq!(state["cloudformation"]["ChangeSet"], serde_json::json!([]));
}

//! Deploy inputs against moto (its CloudFormation and S3, one server;
//! `MOTO_ENDPOINT`, started by `scripts/test.sh`): parameters and
//! `UsePreviousValue`, large templates staged in S3 and deployed by URL,
//! the service role, notifications, `DisableRollback`, named profiles.
//! Effects are checked (objects in S3, resources listed, the stack's
//! parameters), not statuses.
//!
//! moto reads a `TemplateURL` path-style only when the URL contains
//! `localhost` (`http://127.0.0.1:PORT/BUCKET/KEY` is read as bucket `127`),
//! so these tests reach moto as `localhost`.

use aws_sdk_cloudformation::config::{Credentials, Region};
use aws_sdk_cloudformation::Client;
use cfn_core::{ErrorKind, Template};
use cfn_deploy::{
    block_on, ConnectOptions, DeployRequest, Deployer, Error, Plan, PollSettings, Progress,
    TemplateBucket,
};
use cfn_testkit::{moto_endpoint, serial, unique};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// moto's endpoint as `localhost` (see the module docs).
fn endpoint() -> Option<String> {
    moto_endpoint().map(|e| e.replace("127.0.0.1", "localhost"))
}

async fn deployer(endpoint: &str) -> Deployer {
    let opts = ConnectOptions::new()
        .endpoint_url(endpoint)
        .region("us-east-1")
        .max_attempts(2);
    Deployer::connect(&opts)
        .await
        .expect("connect to moto (dummy credentials come from scripts/test.sh)")
        .with_poll(fast_poll())
}

fn fast_poll() -> PollSettings {
    PollSettings::new()
        .interval(Duration::from_millis(50))
        .change_set_timeout(Duration::from_secs(30))
        .stack_timeout(Duration::from_secs(60))
}

async fn s3(endpoint: &str) -> aws_sdk_s3::Client {
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new("us-east-1"))
        .load()
        .await;
    aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(true)
            .build(),
    )
}

fn yaml(src: &str) -> Template {
    Template::from_yaml(src).unwrap()
}

/// Deploys with `yes`, collecting the notices.
async fn deploy(
    d: &Deployer,
    req: &DeployRequest,
) -> (cfn_deploy::Result<cfn_deploy::DeployReport>, Vec<String>) {
    let mut notices = Vec::new();
    let r = d
        .deploy(
            &req.clone().yes(true),
            &mut |_: &Plan| true,
            &mut |p: Progress<'_>| {
                if let Progress::Notice(n) = p {
                    notices.push(n.to_owned())
                }
            },
        )
        .await;
    (r, notices)
}

async fn resources(d: &Deployer, stack: &str) -> Vec<String> {
    let out = d
        .client()
        .describe_stack_resources()
        .stack_name(stack)
        .send()
        .await
        .unwrap();
    let mut ids: Vec<String> = out
        .stack_resources()
        .iter()
        .filter_map(|r| r.logical_resource_id().map(str::to_owned))
        .collect();
    ids.sort();
    ids
}

async fn stack_parameters(d: &Deployer, stack: &str) -> Vec<(String, String)> {
    let out = d
        .client()
        .describe_stacks()
        .stack_name(stack)
        .send()
        .await
        .unwrap();
    let mut p: Vec<(String, String)> = out.stacks()[0]
        .parameters()
        .iter()
        .map(|p| {
            (
                p.parameter_key().unwrap_or_default().to_owned(),
                p.parameter_value().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    p.sort();
    p
}

/// A template of about 60 KB: five topics, each with 12 KB of metadata.
fn large_template() -> Template {
    let mut src = String::from("Resources:\n");
    for i in 0..5 {
        src.push_str(&format!(
            "  Topic{i}:\n    Type: AWS::SNS::Topic\n    Metadata:\n      Notes: {}\n",
            format!("note-{i}-").repeat(1_500)
        ));
    }
    yaml(&src)
}

#[test]
fn large_template_is_staged_once_and_deployed_by_url() {
    let Some(ep) = endpoint() else { return };
    let _g = serial();
    block_on(async {
        let d = deployer(&ep).await;
        let s3 = s3(&ep).await;
        let bucket = unique("stage");
        s3.create_bucket().bucket(&bucket).send().await.unwrap();
        let template = large_template();
        let body = template.to_json_compact();
        assert!(body.len() > 51_200 && body.len() < 70_000, "{}", body.len());
        let stack = unique("large");
        let tb = TemplateBucket::new(&bucket).prefix("cfn/raven");
        let key = tb.key_for(&body);
        assert!(key.starts_with("cfn/raven/") && key.ends_with(".json"));
        let req = DeployRequest::new(&stack, template).template_bucket(tb);

        let (r, notices) = deploy(&d, &req).await;
        r.unwrap();
        assert!(
            notices.iter().any(|n| n.contains("uploaded to s3://")),
            "{notices:?}"
        );
        let obj = s3
            .get_object()
            .bucket(&bucket)
            .key(&key)
            .send()
            .await
            .unwrap();
        let first_modified = obj.last_modified().cloned();
        let stored = obj.body.collect().await.unwrap().into_bytes();
        assert_eq!(
            stored.as_ref(),
            body.as_bytes(),
            "the object is the template"
        );
        assert_eq!(
            resources(&d, &stack).await,
            ["Topic0", "Topic1", "Topic2", "Topic3", "Topic4"]
        );

        // the same template again: no second upload
        tokio::time::sleep(Duration::from_millis(1_100)).await;
        let (r, notices) = deploy(&d, &req).await;
        r.unwrap();
        assert!(
            notices.iter().any(|n| n.contains("already staged")),
            "{notices:?}"
        );
        let again = s3
            .head_object()
            .bucket(&bucket)
            .key(&key)
            .send()
            .await
            .unwrap();
        assert_eq!(
            again.last_modified().cloned(),
            first_modified,
            "not uploaded again"
        );
        let listed = s3.list_objects_v2().bucket(&bucket).send().await.unwrap();
        assert_eq!(listed.contents().len(), 1);
    })
    .unwrap();
}

#[test]
fn staging_in_a_missing_bucket_names_the_bucket_and_key() {
    let Some(ep) = endpoint() else { return };
    let _g = serial();
    block_on(async {
        let d = deployer(&ep).await;
        let req = DeployRequest::new(unique("nobucket"), large_template())
            .template_bucket(TemplateBucket::new(unique("no-such-bucket")));
        let (r, _) = deploy(&d, &req).await;
        let err = r.unwrap_err();
        assert!(matches!(err, Error::TemplateUpload { .. }), "{err}");
        assert!(
            err.to_string().contains("s3://cfn-no-such-bucket-"),
            "{err}"
        );
    })
    .unwrap();
}

#[test]
fn update_keeps_previous_parameter_values() {
    let Some(ep) = endpoint() else { return };
    let _g = serial();
    let src = |topics: usize| {
        let mut s = String::from(
            "Parameters:\n  Env: {Type: String, AllowedValues: [dev, prod]}\n  Size: {Type: Number, Default: 1}\nResources:\n",
        );
        for i in 0..topics {
            s.push_str(&format!(
                "  Topic{i}:\n    Type: AWS::SNS::Topic\n    Properties: {{DisplayName: !Sub '${{Env}}-${{Size}}'}}\n"
            ));
        }
        s
    };
    block_on(async {
        let d = deployer(&ep).await;
        let stack = unique("params");
        // a create without a value for Env: refused before any change set
        let (r, _) = deploy(&d, &DeployRequest::new(&stack, yaml(&src(1)))).await;
        let Err(Error::InvalidParameters { problems, .. }) = r else {
            panic!("expected InvalidParameters, got {r:?}");
        };
        assert!(matches!(
            problems[0].kind(),
            ErrorKind::MissingParameterValue { .. }
        ));
        assert!(
            d.describe_stack(&stack).await.unwrap().is_none(),
            "no stack was made"
        );

        let req = DeployRequest::new(&stack, yaml(&src(1)))
            .parameter("Env", "prod")
            .parameter("Size", "5");
        deploy(&d, &req).await.0.unwrap();
        // an update that gives no values: both keep theirs (Size does not
        // fall back to its Default)
        deploy(&d, &DeployRequest::new(&stack, yaml(&src(2))))
            .await
            .0
            .unwrap();
        assert_eq!(resources(&d, &stack).await, ["Topic0", "Topic1"]);
        assert_eq!(
            stack_parameters(&d, &stack).await,
            [("Env".into(), "prod".into()), ("Size".into(), "5".into())]
        );
        // an explicit value wins over UsePreviousValue
        let req = DeployRequest::new(&stack, yaml(&src(2)))
            .use_previous_value("Env")
            .parameter("Size", "7");
        deploy(&d, &req).await.0.unwrap();
        assert_eq!(
            stack_parameters(&d, &stack).await,
            [("Env".into(), "prod".into()), ("Size".into(), "7".into())]
        );
    })
    .unwrap();
}

#[test]
fn role_notifications_and_disable_rollback_reach_the_api() {
    let Some(ep) = endpoint() else { return };
    let _g = serial();
    block_on(async {
        // an interceptor records every request body, for DisableRollback,
        // which moto accepts but does not keep
        let seen = Arc::new(Mutex::new(Vec::<String>::new()));
        let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .endpoint_url(&ep)
            .region(Region::new("us-east-1"))
            .load()
            .await;
        let client = Client::from_conf(
            aws_sdk_cloudformation::config::Builder::from(&config)
                .interceptor(Recorder(seen.clone()))
                .build(),
        );
        let d = Deployer::from_client(client).with_poll(fast_poll());

        // the topic must exist: moto publishes the stack's events to it
        let topic = unique("events");
        let setup = DeployRequest::new(
            unique("topic"),
            yaml(&format!(
                "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties: {{TopicName: {topic}}}\n"
            )),
        );
        deploy(&d, &setup).await.0.unwrap();
        let topic_arn = format!("arn:aws:sns:us-east-1:123456789012:{topic}");
        let role = "arn:aws:iam::123456789012:role/cfn-service";

        let stack = unique("opts");
        let req = DeployRequest::new(&stack, yaml("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n"))
            .role_arn(role)
            .notification_arn(&topic_arn)
            .disable_rollback(true);
        deploy(&d, &req).await.0.unwrap();
        let out = d.client().describe_stacks().stack_name(&stack).send().await.unwrap();
        let s = &out.stacks()[0];
        assert_eq!(s.role_arn(), Some(role));
        assert_eq!(s.notification_arns(), std::slice::from_ref(&topic_arn));
        assert_eq!(resources(&d, &stack).await, ["Q"]);
        let bodies = seen.lock().unwrap();
        let exec = bodies
            .iter()
            .find(|b| b.contains("Action=ExecuteChangeSet") && b.contains(&stack))
            .expect("an ExecuteChangeSet call");
        assert!(exec.contains("DisableRollback=true"), "{exec}");
    })
    .unwrap();
}

#[derive(Debug)]
struct Recorder(Arc<Mutex<Vec<String>>>);

impl aws_sdk_cloudformation::config::Intercept for Recorder {
    fn name(&self) -> &'static str {
        "Recorder"
    }
    fn read_before_transmit(
        &self,
        ctx: &aws_sdk_cloudformation::config::interceptors::BeforeTransmitInterceptorContextRef<'_>,
        _rc: &aws_sdk_cloudformation::config::RuntimeComponents,
        _cfg: &mut aws_sdk_cloudformation::config::ConfigBag,
    ) -> Result<(), aws_sdk_cloudformation::error::BoxError> {
        if let Some(b) = ctx.request().body().bytes() {
            let text = String::from_utf8_lossy(b).into_owned();
            self.0.lock().unwrap().push(text);
        }
        Ok(())
    }
}

// ------------------------------------------------------------ no peer needed

/// A client for a closed port: any API call fails as unreachable.
fn offline() -> Deployer {
    let config = aws_sdk_cloudformation::Config::builder()
        .behavior_version_latest()
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .endpoint_url("http://127.0.0.1:9")
        .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(1))
        .build();
    Deployer::from_client(Client::from_conf(config))
}

#[test]
fn bad_parameters_are_refused_before_any_call() {
    let t = yaml("Parameters:\n  Env: {Type: String, AllowedValues: [dev, prod]}\n  Port: {Type: Number, MaxValue: 65535, Default: 80}\nResources:\n  T: {Type: AWS::SNS::Topic}\n");
    let req = DeployRequest::new("s", t)
        .parameter("Env", "test")
        .parameter("Port", "http")
        .parameter("Evn", "dev");
    let err = block_on(offline().deploy(&req, &mut |_: &Plan| true, &mut cfn_deploy::Quiet))
        .unwrap()
        .unwrap_err();
    let Error::InvalidParameters { problems, .. } = &err else {
        panic!("expected InvalidParameters, got {err}");
    };
    assert_eq!(problems.len(), 3, "{err}");
    insta::assert_snapshot!(err.to_string());
}

#[test]
fn large_template_without_a_bucket_is_refused_before_any_call() {
    let req = DeployRequest::new("big", large_template());
    let err = block_on(offline().deploy(&req, &mut |_: &Plan| true, &mut cfn_deploy::Quiet))
        .unwrap()
        .unwrap_err();
    let Error::TemplateTooLarge { size, limit, .. } = &err else {
        panic!("expected TemplateTooLarge, got {err}");
    };
    assert!(size > limit);
    assert_eq!(*limit, cfn_core::validate::limits::DIRECT_BODY_BYTES);
    insta::assert_snapshot!(err.to_string().replace(&size.to_string(), "SIZE"));
}

/// Runs this test binary again with `env`, running only `test`.
fn child(test: &str, env: &[(&str, &str)]) {
    let mut cmd = std::process::Command::new(std::env::current_exe().unwrap());
    cmd.args(["--exact", test, "--nocapture"])
        .env("CFN_INPUTS_CHILD", test);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success() && String::from_utf8_lossy(&out.stdout).contains("1 passed"),
        "child failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn profile_files(test: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("cfn-inputs-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config");
    let creds = dir.join("credentials");
    std::fs::write(&config, "[profile ops]\nregion = eu-west-1\n").unwrap();
    std::fs::write(
        &creds,
        "[ops]\naws_access_key_id = AKIDFROMPROFILE\naws_secret_access_key = profile-secret\n",
    )
    .unwrap();
    (config, creds)
}

#[test]
fn named_profile_wins_over_environment_credentials() {
    const NAME: &str = "named_profile_wins_over_environment_credentials";
    if std::env::var("CFN_INPUTS_CHILD").as_deref() == Ok(NAME) {
        // a one-shot local server records the request's signature
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let server = std::thread::spawn(move || {
            use std::io::{BufRead, BufReader, Write};
            let (mut conn, _) = listener.accept().unwrap();
            let mut head = String::new();
            let mut reader = BufReader::new(conn.try_clone().unwrap());
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                head.push_str(&line);
            }
            let _ = conn.write_all(b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
            head
        });
        let d = block_on(Deployer::connect(
            &ConnectOptions::new()
                .profile("ops")
                .endpoint_url(&url)
                .max_attempts(1),
        ))
        .unwrap()
        .unwrap();
        let _ = block_on(d.describe_stack("any")).unwrap();
        let head = server.join().unwrap().to_lowercase();
        assert!(head.contains("credential=akidfromprofile/"), "{head}");
        assert!(!head.contains("akidfromenv"), "{head}");

        let err = block_on(Deployer::connect(
            &ConnectOptions::new()
                .profile("nosuch")
                .endpoint_url("http://127.0.0.1:9"),
        ))
        .unwrap()
        .unwrap_err();
        assert!(matches!(err, Error::UnknownProfile { .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            "profile `nosuch` not found in ~/.aws/config or ~/.aws/credentials; check the name (profiles found: ops)"
        );
        return;
    }
    let (config, creds) = profile_files("profile");
    child(
        NAME,
        &[
            ("AWS_CONFIG_FILE", config.to_str().unwrap()),
            ("AWS_SHARED_CREDENTIALS_FILE", creds.to_str().unwrap()),
            ("AWS_ACCESS_KEY_ID", "AKIDFROMENV"),
            ("AWS_SECRET_ACCESS_KEY", "env-secret"),
            ("AWS_REGION", "us-east-1"),
        ],
    );
}

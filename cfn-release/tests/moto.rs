//! Releases against a real peer: moto's server, started on loopback by
//! `scripts/test.sh`, which sets `MOTO_ENDPOINT` (and dummy credentials).
//! Without it these tests skip, unless `PEERS_REQUIRED=1`.
//!
//! What is checked, through the APIs: the stack's outputs are read
//! (DescribeStacks), both bundles are in the bucket with SSE-KMS under the
//! stack's key, CreateDeployment got the right application, group and
//! revision location (GetDeployment), the outcome reached the topic
//! (moto's recorded notifications), a second release refuses while a
//! deployment is unfinished, and a re-run uploads nothing. moto's
//! deployments never leave `Created`: waiting ends at the timeout, which is
//! the outcome published; the other outcomes are tested with a fake
//! (`tests/fake.rs`).

use cfn_release::{
    block_on, AwsApi, Connection, DeployedStack, DeploymentRequest, DeploymentState, Error,
    InstanceState, Release, ReleaseApi, RunOptions, TierOutcome, TierSource, WaitSettings,
};
use cfn_testkit::{moto_endpoint as endpoint, unique};
use std::cell::Cell;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::time::Duration;

/// The stack's outputs point at real moto resources: a KMS key, a bucket
/// and a topic made by the stack, and CodeDeploy names made by the test
/// (moto's CloudFormation has no CodeDeploy resources).
fn template(app: &str) -> String {
    serde_json::json!({
        "Resources": {
            "DataKey": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": "*"}]
            }}},
            "DeploymentBucket": {"Type": "AWS::S3::Bucket"},
            "AlertsTopic": {"Type": "AWS::SNS::Topic"}
        },
        "Outputs": {
            "DeploymentBucketName": {"Value": {"Ref": "DeploymentBucket"}},
            "DataKeyArn": {"Value": {"Fn::GetAtt": ["DataKey", "Arn"]}},
            "AlertsTopicArn": {"Value": {"Ref": "AlertsTopic"}},
            "CodeDeployApplicationName": {"Value": app},
            "WebDeploymentGroupName": {"Value": format!("{app}-web")},
            "BackendDeploymentGroupName": {"Value": format!("{app}-backend")}
        }
    })
    .to_string()
}

async fn config(endpoint: &str) -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(aws_config::Region::new("us-east-1"))
        .load()
        .await
}

async fn setup(endpoint: &str, stack: &str, app: &str) {
    let c = config(endpoint).await;
    let cfn = aws_sdk_cloudformation::Client::new(&c);
    cfn.create_stack()
        .stack_name(stack)
        .template_body(template(app))
        .send()
        .await
        .expect("CreateStack");
    for _ in 0..200 {
        let out = cfn
            .describe_stacks()
            .stack_name(stack)
            .send()
            .await
            .unwrap();
        let status = out.stacks()[0].stack_status().unwrap().as_str().to_owned();
        if status == "CREATE_COMPLETE" {
            break;
        }
        assert!(status.ends_with("IN_PROGRESS"), "stack {stack}: {status}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let cd = aws_sdk_codedeploy::Client::new(&c);
    cd.create_application()
        .application_name(app)
        .send()
        .await
        .expect("CreateApplication");
    for tier in ["web", "backend"] {
        cd.create_deployment_group()
            .application_name(app)
            .deployment_group_name(format!("{app}-{tier}"))
            .service_role_arn("arn:aws:iam::123456789012:role/codedeploy")
            .send()
            .await
            .expect("CreateDeploymentGroup");
    }
}

fn app_dir(name: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("cfn-release-moto-{name}-{}", std::process::id()));
    for t in ["web", "backend"] {
        std::fs::create_dir_all(p.join(t)).unwrap();
        std::fs::write(
            p.join(t).join(format!("raven-{t}.service")),
            "[Service]\nExecStart=/bin/true\n",
        )
        .unwrap();
    }
    p
}

/// The Raven staging tiers (typed AppSpec and hooks), released to `stack`.
fn plan(stack: &str, app: &std::path::Path) -> Release {
    let env = raven_stack::environments()
        .unwrap()
        .into_iter()
        .find(|e| e.name == "staging")
        .unwrap();
    let raven = raven_stack::build(&env).unwrap();
    let tiers = cfn_release::order_tiers(
        &raven.name,
        TierSource::from_stack_files(&raven.name, &raven.files),
        &[],
    )
    .unwrap();
    Release::plan(stack, "staging", app, &tiers).unwrap()
}

/// moto's recorded notifications of a topic: (subject, message).
fn sent_notifications(endpoint: &str, topic_arn: &str) -> Vec<(String, String)> {
    let hostport = endpoint.trim_start_matches("http://").trim_end_matches('/');
    let mut s = std::net::TcpStream::connect(hostport).unwrap();
    write!(
        s,
        "GET /moto-api/data.json HTTP/1.0\r\nHost: {hostport}\r\n\r\n"
    )
    .unwrap();
    let mut body = String::new();
    s.read_to_string(&mut body).unwrap();
    let json = &body[body.find("\r\n\r\n").unwrap() + 4..];
    let data: serde_json::Value = serde_json::from_str(json).unwrap();
    data["sns"]["Topic"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["arn"] == topic_arn)
        .flat_map(|t| {
            t["sent_notifications"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .map(|n| {
            (
                n[2].as_str().unwrap_or_default().to_owned(),
                n[1].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// moto's deployments stay `Created` for ever; this wrapper treats them as
/// finished (no active deployment) and counts uploads, to release again.
struct Rerun<'a> {
    inner: &'a AwsApi,
    puts: Cell<usize>,
}

impl ReleaseApi for Rerun<'_> {
    async fn describe_stack(&self, s: &str) -> cfn_release::Result<Option<DeployedStack>> {
        self.inner.describe_stack(s).await
    }
    async fn object_exists(&self, b: &str, k: &str) -> cfn_release::Result<bool> {
        self.inner.object_exists(b, k).await
    }
    async fn put_object(
        &self,
        b: &str,
        k: &str,
        body: Vec<u8>,
        kms: &str,
    ) -> cfn_release::Result<()> {
        self.puts.set(self.puts.get() + 1);
        self.inner.put_object(b, k, body, kms).await
    }
    async fn active_deployments(&self, _: &str, _: &str) -> cfn_release::Result<Vec<String>> {
        Ok(vec![])
    }
    async fn create_deployment(&self, r: &DeploymentRequest) -> cfn_release::Result<String> {
        self.inner.create_deployment(r).await
    }
    async fn deployment(&self, id: &str) -> cfn_release::Result<DeploymentState> {
        self.inner.deployment(id).await
    }
    async fn instances(&self, id: &str) -> cfn_release::Result<Vec<InstanceState>> {
        self.inner.instances(id).await
    }
    async fn publish(&self, t: &str, s: &str, m: &str) -> cfn_release::Result<String> {
        self.inner.publish(t, s, m).await
    }
}

#[test]
fn a_release_uploads_deploys_and_notifies_through_the_apis() {
    let Some(endpoint) = endpoint() else { return };
    let stack = unique("stack");
    let application = unique("app");
    let dir = app_dir("flow");
    block_on(async {
        setup(&endpoint, &stack, &application).await;
        let api = AwsApi::connect(&Connection {
            region: Some("us-east-1".into()),
            endpoint_url: Some(endpoint.clone()),
            profile: None,
        })
        .await
        .unwrap();
        let release = plan(&stack, &dir);
        let targets = release.resolve(&api, api.region()).await.unwrap();
        assert_eq!(targets.application, application);
        assert_eq!(targets.groups["backend"], format!("{application}-backend"));

        // 1. upload both, deploy backend, wait (moto never finishes: timeout)
        let opts = RunOptions {
            wait: true,
            settings: WaitSettings {
                interval: Duration::from_millis(100),
                timeout: Duration::from_millis(300),
            },
        };
        let mut lines = Vec::new();
        let report = release
            .run(&api, &targets, &opts, &mut |p| lines.push(p.to_string()))
            .await
            .unwrap();
        assert!(report.uploads.iter().all(|u| !u.skipped), "{report:?}");
        let TierOutcome::TimedOut { deployment_id, .. } = &report.tiers[0].1 else {
            panic!("{report:?}")
        };
        assert_eq!(report.tiers[1].1, TierOutcome::NotStarted);

        // the objects, encrypted with the stack's key
        let c = config(&endpoint).await;
        let s3 = aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(&c).force_path_style(true).build(),
        );
        let mut modified = Vec::new();
        for (b, u) in release.bundles.iter().zip(&report.uploads) {
            let head = s3
                .head_object()
                .bucket(&targets.bucket)
                .key(&u.key)
                .send()
                .await
                .expect("the bundle is in the bucket");
            assert_eq!(head.content_length(), Some(b.bytes.len() as i64));
            assert_eq!(
                head.server_side_encryption().map(|s| s.as_str()),
                Some("aws:kms")
            );
            assert_eq!(head.ssekms_key_id(), Some(targets.key_arn.as_str()));
            modified.push(head.last_modified().cloned());
            let body = s3
                .get_object()
                .bucket(&targets.bucket)
                .key(&u.key)
                .send()
                .await
                .unwrap()
                .body
                .collect()
                .await
                .unwrap()
                .into_bytes();
            assert_eq!(body.as_ref(), b.bytes.as_slice(), "the stored zip is the bundle");
        }

        // the deployment: application, group, revision location
        let cd = aws_sdk_codedeploy::Client::new(&c);
        let d = cd
            .get_deployment()
            .deployment_id(deployment_id)
            .send()
            .await
            .unwrap();
        let info = d.deployment_info().unwrap();
        assert_eq!(info.application_name(), Some(application.as_str()));
        assert_eq!(
            info.deployment_group_name(),
            Some(format!("{application}-backend").as_str())
        );
        let loc = info.revision().unwrap().s3_location().unwrap();
        assert_eq!(loc.bucket(), Some(targets.bucket.as_str()));
        assert_eq!(loc.key(), Some(report.uploads[0].key.as_str()));
        assert_eq!(loc.bundle_type().map(|b| b.as_str()), Some("zip"));

        // the outcome reached the topic
        assert!(matches!(report.notification, Some(Ok(_))), "{report:?}");
        let sent = sent_notifications(&endpoint, &targets.topic_arn);
        assert_eq!(sent.len(), 1, "{sent:?}");
        assert_eq!(sent[0].0, format!("{stack} release timed out in tier backend"));
        assert_eq!(sent[0].1, report.summary());

        // 2. the backend deployment is unfinished: a second release refuses
        //    before uploading or deploying anything
        let e = release
            .run(&api, &targets, &opts, &mut |_| {})
            .await
            .unwrap_err();
        assert!(
            matches!(&e, Error::DeploymentInProgress { tier, deployment_id: id, .. } if tier == "backend" && id == deployment_id),
            "{e}"
        );

        // 3. released again (as if it had finished): same keys, nothing uploaded
        let rerun = Rerun {
            inner: &api,
            puts: Cell::new(0),
        };
        let again = release
            .run(&rerun, &targets, &RunOptions { wait: false, ..opts }, &mut |_| {})
            .await
            .unwrap();
        assert_eq!(rerun.puts.get(), 0);
        assert!(again.uploads.iter().all(|u| u.skipped));
        assert_eq!(again.uploads, report.uploads.iter().map(|u| cfn_release::Upload { skipped: true, ..u.clone() }).collect::<Vec<_>>());
        for (u, before) in again.uploads.iter().zip(&modified) {
            let head = s3
                .head_object()
                .bucket(&targets.bucket)
                .key(&u.key)
                .send()
                .await
                .unwrap();
            assert_eq!(head.last_modified(), before.as_ref(), "not written again");
        }
        assert_eq!(again.notification, None, "--wait false publishes nothing");
        let created = cd
            .list_deployments()
            .application_name(&application)
            .deployment_group_name(format!("{application}-web"))
            .send()
            .await
            .unwrap();
        assert_eq!(created.deployments().len(), 1, "web was deployed once");
    })
    .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_stack_that_is_not_deployed_is_a_clear_error() {
    let Some(endpoint) = endpoint() else { return };
    let dir = app_dir("missing");
    block_on(async {
        let api = AwsApi::connect(&Connection {
            region: Some("us-east-1".into()),
            endpoint_url: Some(endpoint),
            profile: None,
        })
        .await
        .unwrap();
        let release = plan(&unique("absent"), &dir);
        let e = release.resolve(&api, api.region()).await.unwrap_err();
        assert!(matches!(e, Error::StackNotDeployed { .. }), "{e}");
    })
    .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

//! The waiting, stop-at-failure and notification logic, driven by a scripted
//! fake of the AWS calls (moto's deployments never leave `Created`).

use cfn_release::{
    block_on, DeployedStack, DeploymentRequest, DeploymentState, DeploymentStatus, Error,
    InstanceState, LifecycleEvent, Release, ReleaseApi, Report, RunOptions, TierSource,
    WaitSettings,
};
use indexmap::IndexMap;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::path::PathBuf;
use std::time::Duration;

/// One poll's answer: status, CodeDeploy's error, the instances.
type Step = (DeploymentStatus, Option<String>, Vec<InstanceState>);

#[derive(Default)]
struct Fake {
    stack: Option<DeployedStack>,
    objects: RefCell<Vec<String>>,
    active: IndexMap<String, Vec<String>>,
    /// per group: the polls of its next deployment (the last one repeats)
    scripts: RefCell<IndexMap<String, VecDeque<Step>>>,
    /// deployment id -> group
    deployments: RefCell<Vec<(String, String)>>,
    calls: RefCell<Vec<String>>,
    published: RefCell<Vec<(String, String, String)>>,
}

impl Fake {
    fn log(&self, s: String) {
        self.calls.borrow_mut().push(s);
    }
    fn group_of(&self, id: &str) -> String {
        self.deployments
            .borrow()
            .iter()
            .find(|(d, _)| d == id)
            .map(|(_, g)| g.clone())
            .unwrap()
    }
    fn current(&self, id: &str) -> Step {
        let group = self.group_of(id);
        let scripts = self.scripts.borrow();
        scripts[&group].front().cloned().unwrap()
    }
}

impl ReleaseApi for Fake {
    async fn describe_stack(&self, stack: &str) -> cfn_release::Result<Option<DeployedStack>> {
        self.log(format!("DescribeStacks {stack}"));
        Ok(self.stack.clone())
    }
    async fn object_exists(&self, bucket: &str, key: &str) -> cfn_release::Result<bool> {
        self.log(format!("HeadObject {bucket}/{}", short(key)));
        Ok(self.objects.borrow().iter().any(|k| k == key))
    }
    async fn put_object(
        &self,
        bucket: &str,
        key: &str,
        _: Vec<u8>,
        kms: &str,
    ) -> cfn_release::Result<()> {
        self.log(format!("PutObject {bucket}/{} kms={kms}", short(key)));
        self.objects.borrow_mut().push(key.to_owned());
        Ok(())
    }
    async fn active_deployments(&self, app: &str, group: &str) -> cfn_release::Result<Vec<String>> {
        self.log(format!("ListDeployments {app} {group}"));
        Ok(self.active.get(group).cloned().unwrap_or_default())
    }
    async fn create_deployment(&self, req: &DeploymentRequest) -> cfn_release::Result<String> {
        let id = format!("d-{}", self.deployments.borrow().len() + 1);
        self.log(format!(
            "CreateDeployment {} {} s3://{}/{} -> {id}",
            req.application,
            req.group,
            req.bucket,
            short(&req.key)
        ));
        self.deployments
            .borrow_mut()
            .push((id.clone(), req.group.clone()));
        Ok(id)
    }
    async fn deployment(&self, id: &str) -> cfn_release::Result<DeploymentState> {
        // each GetDeployment advances the script; the last step repeats
        let group = self.group_of(id);
        {
            let mut scripts = self.scripts.borrow_mut();
            let q = scripts.get_mut(&group).unwrap();
            if self
                .calls
                .borrow()
                .iter()
                .any(|c| c == &format!("GetDeployment {id}"))
                && q.len() > 1
            {
                q.pop_front();
            }
        }
        self.log(format!("GetDeployment {id}"));
        let (status, error, _) = self.current(id);
        Ok(DeploymentState { status, error })
    }
    async fn instances(&self, id: &str) -> cfn_release::Result<Vec<InstanceState>> {
        Ok(self.current(id).2)
    }
    async fn publish(
        &self,
        topic: &str,
        subject: &str,
        message: &str,
    ) -> cfn_release::Result<String> {
        self.log(format!("Publish {topic}"));
        self.published
            .borrow_mut()
            .push((topic.into(), subject.into(), message.into()));
        Ok("msg-1".into())
    }
}

fn short(key: &str) -> String {
    // revisions/web/<sha>.zip -> revisions/web/SHA.zip
    match key.rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/SHA.zip"),
        None => key.to_owned(),
    }
}

fn outputs() -> DeployedStack {
    let mut o = IndexMap::new();
    for (k, v) in [
        ("DeploymentBucketName", "raven-staging-bundles"),
        ("DataKeyArn", "arn:aws:kms:us-east-1:123456789012:key/k"),
        ("CodeDeployApplicationName", "raven-staging-app"),
        ("BackendDeploymentGroupName", "backend-group"),
        ("WebDeploymentGroupName", "web-group"),
        (
            "AlertsTopicArn",
            "arn:aws:sns:us-east-1:123456789012:alerts",
        ),
    ] {
        o.insert(k.to_owned(), v.to_owned());
    }
    DeployedStack {
        status: "UPDATE_COMPLETE".into(),
        outputs: o,
    }
}

fn event(name: &str, status: &str) -> LifecycleEvent {
    LifecycleEvent {
        name: name.into(),
        status: status.into(),
        script: None,
        message: None,
        log_tail: None,
    }
}

fn instance(id: &str, events: &[(&str, &str)]) -> InstanceState {
    InstanceState {
        instance_id: id.into(),
        status: "InProgress".into(),
        events: events.iter().map(|(n, s)| event(n, s)).collect(),
    }
}

fn success() -> VecDeque<Step> {
    VecDeque::from(vec![
        (DeploymentStatus::Created, None, vec![]),
        (
            DeploymentStatus::InProgress,
            None,
            vec![instance(
                "i-0a",
                &[
                    ("ApplicationStop", "Succeeded"),
                    ("DownloadBundle", "InProgress"),
                    ("AfterInstall", "Pending"),
                ],
            )],
        ),
        (
            DeploymentStatus::Succeeded,
            None,
            vec![instance(
                "i-0a",
                &[
                    ("ApplicationStop", "Succeeded"),
                    ("DownloadBundle", "Succeeded"),
                    ("AfterInstall", "Succeeded"),
                ],
            )],
        ),
    ])
}

fn after_install_failure() -> VecDeque<Step> {
    let mut failed = instance("i-0b", &[("BeforeInstall", "Succeeded")]);
    failed.events.push(LifecycleEvent {
        name: "AfterInstall".into(),
        status: "Failed".into(),
        script: Some("scripts/after_install.sh".into()),
        message: Some("ScriptFailed: Script at specified location: scripts/after_install.sh run as user root failed with exit code 1".into()),
        log_tail: Some("[stdout]writing /etc/raven/backend.env\n[stderr]install: cannot stat '/opt/raven/backend/raven-backend.service': No such file or directory".into()),
    });
    VecDeque::from(vec![
        (DeploymentStatus::InProgress, None, vec![instance("i-0b", &[("BeforeInstall", "InProgress")])]),
        (
            DeploymentStatus::Failed,
            Some("HEALTH_CONSTRAINTS: The overall deployment failed because too many individual instances failed deployment".into()),
            vec![failed],
        ),
    ])
}

fn app_dir() -> PathBuf {
    let p = std::env::temp_dir().join(format!("cfn-release-fake-{}", std::process::id()));
    for t in ["web", "backend"] {
        std::fs::create_dir_all(p.join(t)).unwrap();
        std::fs::write(p.join(t).join(format!("raven-{t}.service")), "[Service]\n").unwrap();
    }
    p
}

fn release() -> Release {
    let env = raven_stack::environments()
        .unwrap()
        .into_iter()
        .find(|e| e.name == "staging")
        .unwrap();
    let stack = raven_stack::build(&env).unwrap();
    let tiers = cfn_release::order_tiers(
        &stack.name,
        TierSource::from_stack_files(&stack.name, &stack.files),
        &[],
    )
    .unwrap();
    Release::plan(stack.name, env.name, &app_dir(), &tiers).unwrap()
}

fn fast(wait: bool) -> RunOptions {
    RunOptions {
        wait,
        settings: WaitSettings {
            interval: Duration::from_millis(1),
            timeout: Duration::from_millis(50),
        },
    }
}

fn fake(backend: VecDeque<Step>, web: VecDeque<Step>) -> Fake {
    let mut scripts = IndexMap::new();
    scripts.insert("backend-group".to_owned(), backend);
    scripts.insert("web-group".to_owned(), web);
    Fake {
        stack: Some(outputs()),
        scripts: RefCell::new(scripts),
        ..Fake::default()
    }
}

/// Runs a release against the fake: (report, progress lines, calls).
fn run(f: &Fake, opts: RunOptions) -> (Result<Report, Error>, String, String) {
    let r = release();
    let mut lines = String::new();
    let result = block_on(async {
        let targets = r.resolve(f, "us-east-1").await?;
        r.run(f, &targets, &opts, &mut |p| {
            lines.push_str(&p.to_string());
            lines.push('\n');
        })
        .await
    })
    .unwrap();
    let lines = lines.lines().map(short_line).collect::<Vec<_>>().join("\n");
    (result, lines, f.calls.borrow().join("\n"))
}

fn short_line(l: &str) -> String {
    // keys hold the sha256 and sizes depend on the deflate implementation
    let words: Vec<&str> = l.split(' ').collect();
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if w.starts_with("s3://") {
                short(w)
            } else if i + 1 < words.len() && words[i + 1] == "bytes," && w.starts_with('(') {
                "(N".to_owned()
            } else {
                (*w).to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn masked(s: &str) -> String {
    s.split('\n').map(short_line).collect::<Vec<_>>().join("\n")
}

#[test]
fn success_deploys_backend_then_web_and_notifies() {
    let f = fake(success(), success());
    let (report, lines, calls) = run(&f, fast(true));
    let report = report.unwrap();
    assert!(report.succeeded());
    assert_eq!(report.notification, Some(Ok("msg-1".into())));
    let published = f.published.borrow();
    assert_eq!(published.len(), 1);
    assert_eq!(published[0].0, "arn:aws:sns:us-east-1:123456789012:alerts");
    assert_eq!(published[0].1, "raven-staging release succeeded");
    insta::assert_snapshot!(format!(
        "{lines}\n---- calls\n{calls}\n---- message\n{}",
        masked(&published[0].2)
    ));
}

#[test]
fn a_failure_in_after_install_stops_the_release_and_reports_the_log_tail() {
    let f = fake(after_install_failure(), success());
    let (report, lines, calls) = run(&f, fast(true));
    let report = report.unwrap();
    assert!(!report.succeeded());
    assert!(
        !calls.contains("web-group s3://"),
        "web must not be deployed:\n{calls}"
    );
    let published = f.published.borrow();
    assert_eq!(
        published[0].1,
        "raven-staging release failed in tier backend"
    );
    assert!(published[0]
        .2
        .contains("lifecycle event AfterInstall failed on i-0b"));
    assert!(published[0].2.contains("No such file or directory"));
    insta::assert_snapshot!(format!(
        "{lines}\n---- calls\n{calls}\n---- message\n{}",
        masked(&published[0].2)
    ));
}

#[test]
fn a_deployment_still_running_at_the_timeout_stops_the_release() {
    let stuck = VecDeque::from(vec![(
        DeploymentStatus::InProgress,
        None,
        vec![instance("i-0c", &[("BeforeInstall", "InProgress")])],
    )]);
    let f = fake(stuck, success());
    let (report, _, calls) = run(&f, fast(true));
    let report = report.unwrap();
    assert!(
        matches!(report.tiers[0].1, cfn_release::TierOutcome::TimedOut { .. }),
        "{report:?}"
    );
    assert_eq!(report.tiers[1].1, cfn_release::TierOutcome::NotStarted);
    assert!(!calls.contains("CreateDeployment raven-staging-app web-group"));
    assert_eq!(
        f.published.borrow()[0].1,
        "raven-staging release timed out in tier backend"
    );
    insta::assert_snapshot!(masked(&report.summary()));
}

#[test]
fn a_stopped_deployment_is_a_failure() {
    let f = fake(
        success(),
        VecDeque::from(vec![(
            DeploymentStatus::Stopped,
            Some("ALARM_ACTIVE: one or more alarms have been activated: raven-staging-WebTarget5xxAlarm".into()),
            vec![],
        )]),
    );
    let (report, _, _) = run(&f, fast(true));
    let report = report.unwrap();
    assert!(!report.succeeded());
    assert_eq!(
        f.published.borrow()[0].1,
        "raven-staging release failed in tier web"
    );
    insta::assert_snapshot!(masked(&report.summary()));
}

#[test]
fn a_deployment_in_progress_is_refused_before_anything_is_uploaded() {
    let mut f = fake(success(), success());
    f.active.insert("web-group".into(), vec!["d-busy".into()]);
    let (report, _, calls) = run(&f, fast(true));
    let e = report.unwrap_err();
    assert!(matches!(e, Error::DeploymentInProgress { .. }));
    insta::assert_snapshot!(format!("{e}\n---- calls\n{calls}"));
}

#[test]
fn a_second_run_uploads_nothing_and_no_wait_creates_without_notifying() {
    let f = fake(success(), success());
    let (first, _, _) = run(&f, fast(false));
    let first = first.unwrap();
    assert!(first.uploads.iter().all(|u| !u.skipped));
    assert_eq!(first.notification, None);
    assert!(matches!(
        first.tiers[1].1,
        cfn_release::TierOutcome::Created { .. }
    ));
    f.calls.borrow_mut().clear();
    let (second, _, calls) = run(&f, fast(false));
    let second = second.unwrap();
    assert!(second.uploads.iter().all(|u| u.skipped));
    assert_eq!(second.uploads[0].key, first.uploads[0].key);
    assert!(!calls.contains("PutObject"), "{calls}");
    assert!(f.published.borrow().is_empty());
}

#[test]
fn the_stack_must_be_deployed_with_every_output() {
    let r = release();
    let mut f = fake(success(), success());
    f.stack = None;
    let e = block_on(r.resolve(&f, "eu-west-1")).unwrap().unwrap_err();
    assert_eq!(e.to_string(), "stack `raven-staging` is not deployed in eu-west-1; deploy it first (environment `staging`), or check the region and the profile");
    let mut s = outputs();
    s.outputs.shift_remove("WebDeploymentGroupName");
    s.outputs.shift_remove("AlertsTopicArn");
    f.stack = Some(s.clone());
    let e = block_on(r.resolve(&f, "us-east-1")).unwrap().unwrap_err();
    assert_eq!(e.to_string(), "stack `raven-staging` lacks the output(s) WebDeploymentGroupName, AlertsTopicArn; add them to the stack (see cfn_release::OutputNames) and deploy it again");
    s.status = "ROLLBACK_COMPLETE".into();
    f.stack = Some(s);
    let e = block_on(r.resolve(&f, "us-east-1")).unwrap().unwrap_err();
    assert!(
        e.to_string()
            .starts_with("stack `raven-staging` is ROLLBACK_COMPLETE;"),
        "{e}"
    );
}

#[test]
fn the_raven_stack_exports_everything_a_release_reads() {
    let names = cfn_release::OutputNames::default();
    for env in raven_stack::environments().unwrap() {
        let stack = raven_stack::build(&env).unwrap();
        let tiers: Vec<String> = TierSource::from_stack_files(&stack.name, &stack.files)
            .into_iter()
            .map(|t| t.tier)
            .collect();
        assert_eq!(tiers, ["web", "backend"]);
        for n in names.required(&tiers) {
            assert!(
                stack.template.outputs.keys().any(|k| k.as_str() == n),
                "{}: output {n} is missing",
                stack.name
            );
        }
    }
}

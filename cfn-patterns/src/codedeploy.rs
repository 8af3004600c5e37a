//! CodeDeploy for Auto Scaling tiers: an application, its service role, a
//! deployment configuration and one deployment group per tier, plus a typed
//! AppSpec (`appspec.yml`).

use crate::alarms::AlarmTopic;
use crate::alb::HttpsLoadBalancer;
use crate::compute::AutoScalingTier;
use crate::iam::{PolicyDocument, Statement};
use crate::kms::EncryptionKey;
use crate::tags::Tags;
use cfn_core::{fns, Handle, Result, Template, Value};
use cfn_resources::cloudwatch::Alarm;
use cfn_resources::codedeploy::{
    application, deployment_config, deployment_group, Application, DeploymentConfig,
    DeploymentGroup,
};
use cfn_resources::iam::{role, Role};
use indexmap::IndexMap;
use serde_json::json;

/// A CodeDeploy application for EC2/Auto Scaling (`Server` platform) and
/// the service role its deployment groups use.
///
/// Defaults: the role has the AWS-managed `AWSCodeDeployRole` policy plus
/// publishing to the given topic (and using its key), nothing more.
pub struct CodeDeployApp {
    /// The application.
    pub application: Handle<Application>,
    /// The service role.
    pub role: Handle<Role>,
}

impl CodeDeployApp {
    /// Declares `{id}` and `{id}ServiceRole`.
    pub fn new(
        t: &mut Template,
        id: &str,
        topic: &AlarmTopic,
        key: &EncryptionKey,
        tags: &Tags,
    ) -> Result<Self> {
        let publish = PolicyDocument::new()
            .statement(
                Statement::allow()
                    .action("sns:Publish")
                    .resource(topic.arn()),
            )
            .statement(
                Statement::allow()
                    .actions(["kms:GenerateDataKey*", "kms:Decrypt"])
                    .resource(key.arn()),
            );
        let role = t.add(
            &format!("{id}ServiceRole"),
            Role::new(PolicyDocument::assume_role("codedeploy.amazonaws.com").to_json())
                .description(format!("{} CodeDeploy service role", tags.prefix))
                .managed_policy_arns(vec![fns::sub(
                    "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSCodeDeployRole",
                )])
                .policies(vec![role::Policy::new(
                    publish.to_json(),
                    "publish-deployment-results",
                )])
                .tags(tags.list("codedeploy", "ops")),
        )?;
        let application = t.add(
            id,
            Application::new()
                .compute_platform(application::ComputePlatform::Server)
                .tags(tags.list("app", "ops")),
        )?;
        Ok(CodeDeployApp { application, role })
    }
}

/// A deployment configuration keeping `percent` of the fleet healthy.
pub fn deployment_config(
    t: &mut Template,
    id: &str,
    minimum_healthy_percent: i64,
) -> Result<Handle<DeploymentConfig>> {
    t.add(
        id,
        DeploymentConfig::new()
            .compute_platform(deployment_config::ComputePlatform::Server)
            .minimum_healthy_hosts(deployment_config::MinimumHealthyHosts::new(
                deployment_config::Type::FleetPercent,
                minimum_healthy_percent,
            )),
    )
}

/// A deployment group for one tier.
///
/// Defaults: in-place deployments with traffic control (each instance is
/// taken out of the target group while it is updated: zero downtime), the
/// given deployment configuration, automatic rollback on failure and when
/// one of the alarms fires, and a trigger that publishes
/// `DeploymentSuccess` and `DeploymentFailure` (and rollbacks) to the topic.
#[allow(clippy::too_many_arguments)]
pub fn deployment_group(
    t: &mut Template,
    id: &str,
    app: &CodeDeployApp,
    tier: &AutoScalingTier,
    lb: &HttpsLoadBalancer,
    config: &Handle<DeploymentConfig>,
    alarms: &[&Handle<Alarm>],
    topic: &AlarmTopic,
    tags: &Tags,
    tier_name: &str,
) -> Result<Handle<DeploymentGroup>> {
    let topic_arn: Value<String> = topic.arn().into();
    t.add(
        id,
        DeploymentGroup::new(app.application.reference(), app.role.arn())
            .auto_scaling_groups(vec![tier.group_name()])
            .deployment_config_name(config.reference())
            .deployment_style(
                deployment_group::DeploymentStyle::new()
                    .deployment_option(deployment_group::DeploymentOption::WithTrafficControl)
                    .deployment_type(deployment_group::DeploymentType::InPlace),
            )
            .load_balancer_info(
                deployment_group::LoadBalancerInfo::new()
                    .target_group_info_list(vec![deployment_group::TargetGroupInfo::new()
                        .name(lb.target_group.target_group_name())]),
            )
            .auto_rollback_configuration(
                deployment_group::AutoRollbackConfiguration::new()
                    .enabled(true)
                    .events(vec![
                        deployment_group::Events::DeploymentFailure,
                        deployment_group::Events::DeploymentStopOnAlarm,
                    ]),
            )
            .alarm_configuration(
                deployment_group::AlarmConfiguration::new()
                    .enabled(true)
                    .alarms(
                        alarms
                            .iter()
                            .map(|a| deployment_group::Alarm::new().name(a.reference()))
                            .collect::<Vec<_>>(),
                    ),
            )
            .trigger_configurations(vec![deployment_group::TriggerConfig::new()
                .trigger_name(format!("{}-{tier_name}-deployment-result", tags.prefix))
                .trigger_target_arn(topic_arn)
                .trigger_events(vec![
                    deployment_group::TriggerEvents::DeploymentSuccess,
                    deployment_group::TriggerEvents::DeploymentFailure,
                    deployment_group::TriggerEvents::DeploymentRollback,
                ])])
            .tags(tags.list(&format!("{tier_name}-deployments"), tier_name)),
    )
}

/// A lifecycle event of an EC2/on-premises deployment, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Hook {
    /// Stop the running version.
    ApplicationStop,
    /// Before the new files are copied.
    BeforeInstall,
    /// After they are copied: configure.
    AfterInstall,
    /// Start the new version.
    ApplicationStart,
    /// Check it serves.
    ValidateService,
}

impl Hook {
    /// Every hook, in execution order.
    pub const ALL: [Hook; 5] = [
        Hook::ApplicationStop,
        Hook::BeforeInstall,
        Hook::AfterInstall,
        Hook::ApplicationStart,
        Hook::ValidateService,
    ];
    fn name(self) -> &'static str {
        match self {
            Hook::ApplicationStop => "ApplicationStop",
            Hook::BeforeInstall => "BeforeInstall",
            Hook::AfterInstall => "AfterInstall",
            Hook::ApplicationStart => "ApplicationStart",
            Hook::ValidateService => "ValidateService",
        }
    }
}

/// One hook script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookScript {
    /// Path in the bundle (`scripts/configure.sh`).
    pub location: String,
    /// Seconds before CodeDeploy fails the deployment (at most 3600).
    pub timeout: u32,
    /// The user it runs as.
    pub runas: String,
}

/// A typed CodeDeploy AppSpec for EC2 (`appspec.yml`, version 0.0, Linux).
///
/// ```
/// use cfn_patterns::codedeploy::{AppSpec, Hook};
/// let spec = AppSpec::new("/opt/raven").hook(Hook::AfterInstall, "scripts/configure.sh", 120, "root");
/// assert!(spec.to_yaml().contains("AfterInstall:"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppSpec {
    files: Vec<(String, String)>,
    hooks: IndexMap<Hook, Vec<HookScript>>,
}

impl AppSpec {
    /// Copies the whole bundle to `destination`.
    pub fn new(destination: &str) -> Self {
        AppSpec {
            files: vec![("/".into(), destination.to_owned())],
            hooks: IndexMap::new(),
        }
    }
    /// Adds a script to a hook.
    pub fn hook(mut self, hook: Hook, location: &str, timeout: u32, runas: &str) -> Self {
        self.hooks.entry(hook).or_default().push(HookScript {
            location: location.to_owned(),
            timeout: timeout.min(3600),
            runas: runas.to_owned(),
        });
        self
    }
    /// The hooks, in execution order.
    pub fn hooks(&self) -> impl Iterator<Item = (Hook, &[HookScript])> {
        Hook::ALL
            .into_iter()
            .filter_map(|h| self.hooks.get(&h).map(|s| (h, s.as_slice())))
    }
    /// `appspec.yml`.
    pub fn to_yaml(&self) -> String {
        let mut hooks = serde_json::Map::new();
        for (h, scripts) in self.hooks() {
            hooks.insert(
                h.name().to_owned(),
                json!(scripts
                    .iter()
                    .map(
                        |s| json!({"location": s.location, "timeout": s.timeout, "runas": s.runas})
                    )
                    .collect::<Vec<_>>()),
            );
        }
        let doc = json!({
            "version": 0.0,
            "os": "linux",
            "files": self.files.iter().map(|(s, d)| json!({"source": s, "destination": d})).collect::<Vec<_>>(),
            "file_exists_behavior": "OVERWRITE",
            "hooks": hooks,
        });
        serde_saphyr::to_string(&doc).unwrap_or_default()
    }
}

//! The Content Raven reference stack: an enterprise learning platform moved
//! from hand-built servers to automated AWS, one definition for dev, staging
//! and prod.
//!
//! - a VPC over 2-6 Availability Zones: public and private subnets computed
//!   from the VPC CIDR, internet gateway, NAT gateways, route tables, an S3
//!   gateway endpoint, flow logs;
//! - an internet-facing HTTPS load balancer (TLS 1.2+, HTTP redirected,
//!   access logs) in front of the web tier, an internal HTTPS load balancer in
//!   front of the backend tier, both Auto Scaling groups across the private
//!   subnets of every AZ;
//! - a KMS data key (rotating), KMS-encrypted buckets for assets and
//!   deployment bundles, a log bucket, encrypted log groups;
//! - alarms (CPU, 5xx, unhealthy hosts) to an encrypted topic with email
//!   subscriptions;
//! - CodeDeploy: one deployment group per tier with traffic control,
//!   rollback on failure and on alarm, success/failure notifications, and a
//!   typed AppSpec with lifecycle hooks per tier;
//! - an operators group whose policy denies everything without MFA.
//!
//! ```
//! let envs = raven_stack::environments().unwrap();
//! let prod = envs.iter().find(|e| e.name == "prod").unwrap();
//! let stack = raven_stack::build(prod).unwrap();
//! assert!(stack.template.validate().is_ok());
//! ```

pub mod config;

use cfn_core::{
    fns, pseudo, AwsParameterType, Output, Parameter, ParameterType, Result, Template, Value,
};
use cfn_patterns::alarms::{cpu_alarm, http_5xx_alarm, unhealthy_hosts_alarm, AlarmTopic};
use cfn_patterns::alb::{Exposure, HttpsLoadBalancer, LoadBalancerProps};
use cfn_patterns::codedeploy::{deployment_config, deployment_group, AppSpec, CodeDeployApp, Hook};
use cfn_patterns::compute::{AutoScalingTier, TierProps};
use cfn_patterns::iam::{deny_without_mfa, PolicyDocument, Statement};
use cfn_patterns::kms::{EncryptionKey, KeyProps, KeyUser};
use cfn_patterns::logs::encrypted_log_group;
use cfn_patterns::network::{NatMode, Network, NetworkProps};
use cfn_patterns::storage::{EncryptedBucket, LogBucket};
use cfn_patterns::Tags;
use cfn_resources::iam::{group, Group};
pub use config::{ConfigError, EnvConfig};

/// The checked-in environment files, in deployment order.
pub const CONFIG_FILES: [(&str, &str); 3] = [
    (
        "raven-stack/config/dev.json",
        include_str!("../config/dev.json"),
    ),
    (
        "raven-stack/config/staging.json",
        include_str!("../config/staging.json"),
    ),
    (
        "raven-stack/config/prod.json",
        include_str!("../config/prod.json"),
    ),
];

/// Loads and checks every environment's configuration.
pub fn environments() -> std::result::Result<Vec<EnvConfig>, ConfigError> {
    CONFIG_FILES
        .iter()
        .map(|(file, text)| EnvConfig::from_json(text, file))
        .collect()
}

/// What one environment synthesizes to.
pub struct RavenStack {
    /// The stack's name (`raven-prod`).
    pub name: String,
    /// The CloudFormation template.
    pub template: Template,
    /// Files to write beside the template: each tier's `appspec.yml` and
    /// hook scripts, under `{stack}/{tier}/`.
    pub files: Vec<(String, String)>,
}

/// The default AMI: the latest Amazon Linux 2023 for x86_64, read from the
/// public SSM parameter at deploy time.
pub const AMI_PARAMETER: &str =
    "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

/// Builds an environment's stack.
pub fn build(env: &EnvConfig) -> Result<RavenStack> {
    let stack = env.stack_name();
    let tags = Tags::new(&stack, &env.name);
    let mut t = Template::new();
    t.set_description(format!(
        "Content Raven {}: VPC over {} AZs, HTTPS load balancers, web and backend Auto Scaling tiers, KMS-encrypted storage, alarms, CodeDeploy",
        env.name, env.az_count
    ));

    let ami = t.add_parameter(
        "AmiId",
        Parameter::ssm_value(ParameterType::Aws(AwsParameterType::ImageId))
            .description("the AMI of both tiers (an SSM parameter name)")
            .default(AMI_PARAMETER),
    )?;
    let mut cert_param = Parameter::string()
        .description("ARN of the ACM certificate of the load balancers")
        .allowed_pattern("arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]+")
        .constraint_description("must be an ACM certificate ARN");
    if let Some(arn) = &env.certificate_arn {
        cert_param = cert_param.default(arn.as_str());
    }
    let cert = t.add_parameter("CertificateArn", cert_param)?;

    // data protection
    let key = EncryptionKey::new(
        &mut t,
        "DataKey",
        KeyProps {
            alias: format!("{stack}-data"),
            description: format!("{stack}: buckets, volumes, logs, topics"),
            users: vec![
                KeyUser::CloudWatchLogs,
                KeyUser::Service("cloudwatch.amazonaws.com".into()),
                KeyUser::AutoScaling,
            ],
            tags: tags.clone(),
        },
    )?;
    let logs = LogBucket::new(&mut t, "LogBucket", env.access_log_days as i64, &tags)?;
    let assets = EncryptedBucket::new(&mut t, "AssetsBucket", &key, &logs, &tags, "data")?;
    let bundles = EncryptedBucket::new(&mut t, "DeploymentBucket", &key, &logs, &tags, "ops")?;

    // network
    let network = Network::new(
        &mut t,
        "",
        &NetworkProps {
            cidr: env.vpc_cidr.clone(),
            az_count: env.az_count,
            nat: match env.nat {
                config::Nat::PerAz => NatMode::PerAz,
                config::Nat::Single => NatMode::Single,
            },
            tags: tags.clone(),
        },
        &logs,
    )?;

    // load balancers
    let certificate = Value::from_string(cert.reference());
    let lb_props = |tier: &str, cfg: &config::TierConfig, exposure| LoadBalancerProps {
        exposure,
        certificate_arn: certificate.clone(),
        target_port: cfg.port as i64,
        health_check_path: cfg.health_check_path.clone(),
        tier: tier.to_owned(),
        tags: tags.clone(),
    };
    let web_lb = HttpsLoadBalancer::new(
        &mut t,
        "WebLoadBalancer",
        &network,
        &logs,
        &lb_props("web", &env.web, Exposure::Internet),
    )?;
    let backend_lb = HttpsLoadBalancer::new(
        &mut t,
        "BackendLoadBalancer",
        &network,
        &logs,
        &lb_props("backend", &env.backend, Exposure::Internal),
    )?;

    // tiers
    let web_logs = encrypted_log_group(
        &mut t,
        "WebLogGroup",
        &key,
        env.log_retention_days as i64,
        &tags,
        "web",
    )?;
    let backend_logs = encrypted_log_group(
        &mut t,
        "BackendLogGroup",
        &key,
        env.log_retention_days as i64,
        &tags,
        "backend",
    )?;
    let reads_bundles = || {
        vec![
            Statement::allow()
                .sid("ReadDeploymentBundles")
                .actions(["s3:GetObject", "s3:GetObjectVersion"])
                .resource(bundles.objects_arn()),
            Statement::allow()
                .sid("UseDataKey")
                .actions(["kms:Decrypt", "kms:GenerateDataKey"])
                .resource(key.arn()),
        ]
    };
    let writes_logs = |group: &cfn_core::Handle<cfn_resources::logs::LogGroup>| {
        Statement::allow()
            .sid("WriteApplicationLogs")
            .actions([
                "logs:CreateLogStream",
                "logs:PutLogEvents",
                "logs:DescribeLogStreams",
            ])
            .resource(fns::sub(format!("${{{}.Arn}}:*", group.id())))
    };
    let image = Value::from_string(ami.reference());
    let tier_props =
        |name: &str, cfg: &config::TierConfig, permissions: Vec<Statement>| TierProps {
            tier: name.to_owned(),
            instance_type: cfg.instance_type.clone(),
            image_id: image.clone(),
            min_size: cfg.min_size,
            max_size: cfg.max_size,
            desired_capacity: cfg.desired_capacity,
            cpu_target: cfg.cpu_target,
            app_port: cfg.port as i64,
            volume_size: cfg.volume_size as i64,
            permissions,
            user_data: vec![],
            tags: tags.clone(),
        };
    let mut web_permissions = reads_bundles();
    web_permissions.push(
        Statement::allow()
            .sid("ReadAssets")
            .actions(["s3:GetObject"])
            .resource(assets.objects_arn()),
    );
    web_permissions.push(writes_logs(&web_logs));
    let web = AutoScalingTier::new(
        &mut t,
        "Web",
        &network,
        &web_lb,
        &key,
        &tier_props("web", &env.web, web_permissions),
    )?;
    let mut backend_permissions = reads_bundles();
    backend_permissions.push(
        Statement::allow()
            .sid("ManageAssets")
            .actions(["s3:GetObject", "s3:PutObject", "s3:DeleteObject"])
            .resource(assets.objects_arn()),
    );
    backend_permissions.push(
        Statement::allow()
            .sid("ListAssets")
            .action("s3:ListBucket")
            .resource(assets.arn()),
    );
    backend_permissions.push(writes_logs(&backend_logs));
    let backend = AutoScalingTier::new(
        &mut t,
        "Backend",
        &network,
        &backend_lb,
        &key,
        &tier_props("backend", &env.backend, backend_permissions),
    )?;

    // monitoring
    let topic = AlarmTopic::new(&mut t, "AlertsTopic", &key, &env.notification_emails, &tags)?;
    let a = &env.alarms;
    let web_cpu = cpu_alarm(
        &mut t,
        "WebCpuAlarm",
        &topic,
        web.group_name(),
        a.cpu_percent,
    )?;
    let backend_cpu = cpu_alarm(
        &mut t,
        "BackendCpuAlarm",
        &topic,
        backend.group_name(),
        a.cpu_percent,
    )?;
    let web_lb_name = web_lb.load_balancer.load_balancer_full_name();
    let backend_lb_name = backend_lb.load_balancer.load_balancer_full_name();
    let web_elb_5xx = http_5xx_alarm(
        &mut t,
        "WebLoadBalancer5xxAlarm",
        &topic,
        web_lb_name.clone(),
        "HTTPCode_ELB_5XX_Count",
        a.http_5xx_per_minute,
    )?;
    let web_target_5xx = http_5xx_alarm(
        &mut t,
        "WebTarget5xxAlarm",
        &topic,
        web_lb_name.clone(),
        "HTTPCode_Target_5XX_Count",
        a.http_5xx_per_minute,
    )?;
    let backend_target_5xx = http_5xx_alarm(
        &mut t,
        "BackendTarget5xxAlarm",
        &topic,
        backend_lb_name.clone(),
        "HTTPCode_Target_5XX_Count",
        a.http_5xx_per_minute,
    )?;
    let web_unhealthy = unhealthy_hosts_alarm(
        &mut t,
        "WebUnhealthyHostsAlarm",
        &topic,
        web_lb_name,
        web_lb.target_group.target_group_full_name(),
        a.unhealthy_hosts,
    )?;
    let backend_unhealthy = unhealthy_hosts_alarm(
        &mut t,
        "BackendUnhealthyHostsAlarm",
        &topic,
        backend_lb_name,
        backend_lb.target_group.target_group_full_name(),
        a.unhealthy_hosts,
    )?;

    // deployments
    let app = CodeDeployApp::new(&mut t, "CodeDeployApplication", &topic, &key, &tags)?;
    let deploy_config = deployment_config(
        &mut t,
        "DeploymentConfig",
        env.deployment.minimum_healthy_percent as i64,
    )?;
    let web_group = deployment_group(
        &mut t,
        "WebDeploymentGroup",
        &app,
        &web,
        &web_lb,
        &deploy_config,
        &[&web_elb_5xx, &web_target_5xx, &web_unhealthy, &web_cpu],
        &topic,
        &tags,
        "web",
    )?;
    let backend_group = deployment_group(
        &mut t,
        "BackendDeploymentGroup",
        &app,
        &backend,
        &backend_lb,
        &deploy_config,
        &[&backend_target_5xx, &backend_unhealthy, &backend_cpu],
        &topic,
        &tags,
        "backend",
    )?;

    // people
    t.add(
        "OperatorsGroup",
        Group::new()
            .managed_policy_arns(vec![fns::sub(
                "arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess",
            )])
            .policies(vec![group::Policy::new(
                PolicyDocument::new()
                    .statement(deny_without_mfa())
                    .to_json(),
                "require-mfa",
            )]),
    )?;

    // outputs
    let export = |name: &str| fns::sub(format!("${{AWS::StackName}}-{name}"));
    let mut out =
        |id: &str, description: &str, value: Value<String>, exported: bool| -> Result<()> {
            let mut o = Output::new(value).description(description);
            if exported {
                o = o.export(export(id));
            }
            t.add_output(id, o)
        };
    out("VpcId", "the VPC", network.vpc_id().into(), true)?;
    out(
        "PublicSubnetIds",
        "public subnets, one per AZ",
        fns::join(",", network.public.id_strings()),
        true,
    )?;
    out(
        "PrivateSubnetIds",
        "private subnets, one per AZ",
        fns::join(",", network.private.id_strings()),
        true,
    )?;
    out(
        "WebUrl",
        "the site",
        fns::sub("https://${WebLoadBalancer.DNSName}"),
        false,
    )?;
    out(
        "BackendUrl",
        "the backend, inside the VPC",
        fns::sub("https://${BackendLoadBalancer.DNSName}"),
        true,
    )?;
    out(
        "AssetsBucketName",
        "course assets (SSE-KMS)",
        assets.bucket.reference().into(),
        true,
    )?;
    out(
        "DeploymentBucketName",
        "CodeDeploy bundles (SSE-KMS)",
        bundles.bucket.reference().into(),
        true,
    )?;
    out(
        "AlertsTopicArn",
        "alarms and deployment results",
        topic.arn().into(),
        true,
    )?;
    out("DataKeyArn", "the data key", key.arn(), true)?;
    out(
        "CodeDeployApplicationName",
        "the CodeDeploy application",
        app.application.reference(),
        false,
    )?;
    out(
        "WebDeploymentGroupName",
        "web tier deployments",
        web_group.reference(),
        false,
    )?;
    out(
        "BackendDeploymentGroupName",
        "backend tier deployments",
        backend_group.reference(),
        false,
    )?;
    out("Region", "the region", pseudo::region(), false)?;

    let mut files = Vec::new();
    for (tier, cfg) in [("web", &env.web), ("backend", &env.backend)] {
        let dir = format!("{stack}/{tier}");
        files.push((format!("{dir}/appspec.yml"), appspec(tier).to_yaml()));
        for (name, body) in hook_scripts(env, tier, cfg) {
            files.push((format!("{dir}/scripts/{name}"), body));
        }
    }
    Ok(RavenStack {
        name: stack,
        template: t,
        files,
    })
}

/// The AppSpec of a tier: the bundle goes to `/opt/raven/{tier}`, and each
/// lifecycle event runs its script.
pub fn appspec(tier: &str) -> AppSpec {
    AppSpec::new(&format!("/opt/raven/{tier}"))
        .hook(
            Hook::ApplicationStop,
            "scripts/application_stop.sh",
            60,
            "root",
        )
        .hook(
            Hook::BeforeInstall,
            "scripts/before_install.sh",
            120,
            "root",
        )
        .hook(Hook::AfterInstall, "scripts/after_install.sh", 120, "root")
        .hook(
            Hook::ApplicationStart,
            "scripts/application_start.sh",
            120,
            "root",
        )
        .hook(
            Hook::ValidateService,
            "scripts/validate_service.sh",
            300,
            "root",
        )
}

/// The hook scripts of a tier; `after_install.sh` rewrites the
/// per-environment configuration file `/etc/raven/{tier}.env`.
pub fn hook_scripts(
    env: &EnvConfig,
    tier: &str,
    cfg: &config::TierConfig,
) -> Vec<(String, String)> {
    let service = format!("raven-{tier}");
    let head = "#!/bin/bash\nset -euo pipefail\n";
    vec![
        (
            "application_stop.sh".into(),
            format!("{head}# stop the running version; a first deployment has none\nsystemctl stop {service} 2>/dev/null || true\n"),
        ),
        (
            "before_install.sh".into(),
            format!("{head}# remove the previous release so no stale file survives\nrm -rf /opt/raven/{tier}\nmkdir -p /opt/raven/{tier} /etc/raven\n"),
        ),
        (
            "after_install.sh".into(),
            format!(
                "{head}# per-environment configuration, written fresh on every deployment\numask 027\ncat > /etc/raven/{tier}.env <<'EOF'\nRAVEN_ENV={env}\nRAVEN_TIER={tier}\nRAVEN_STACK={stack}\nRAVEN_PORT={port}\nRAVEN_LOG_LEVEL={level}\nEOF\nchown -R root:root /opt/raven/{tier}\ninstall -m 0644 /opt/raven/{tier}/{service}.service /etc/systemd/system/{service}.service\nsystemctl daemon-reload\n",
                env = env.name,
                stack = env.stack_name(),
                port = cfg.port,
                level = env.log_level.as_str(),
            ),
        ),
        (
            "application_start.sh".into(),
            format!("{head}systemctl enable --now {service}\n"),
        ),
        (
            "validate_service.sh".into(),
            format!(
                "{head}# the load balancer's health check, from the instance itself\nfor attempt in $(seq 1 30); do\n  if curl -fsS -o /dev/null http://127.0.0.1:{port}{path}; then exit 0; fi\n  sleep 5\ndone\necho \"{service} did not answer {path} on port {port}\" >&2\nexit 1\n",
                port = cfg.port,
                path = cfg.health_check_path,
            ),
        ),
    ]
}

//! How one environment's stack is put together, part by part. The order of
//! the calls is the order of the template's sections and resources: a
//! change of order changes the rendered bytes, which the template snapshots
//! catch.

use crate::config::{self, EnvConfig, TierConfig};
use crate::{appspec, hook_scripts, Extension, RavenParts, RavenStack};
use cfn_core::{
    fns, pseudo, AwsParameterType, Handle, Output, Parameter, ParameterType, Result, Template,
    Value,
};
use cfn_patterns::alarms::{cpu_alarm, http_5xx_alarm, unhealthy_hosts_alarm, AlarmTopic};
use cfn_patterns::alb::{Exposure, HttpsLoadBalancer, LoadBalancerProps};
use cfn_patterns::codedeploy::{deployment_config, deployment_group, CodeDeployApp};
use cfn_patterns::compute::{AutoScalingTier, TierProps};
use cfn_patterns::iam::{deny_without_mfa, PolicyDocument, Statement};
use cfn_patterns::kms::{EncryptionKey, KeyProps, KeyUser};
use cfn_patterns::logs::encrypted_log_group;
use cfn_patterns::network::{NatMode, Network, NetworkProps};
use cfn_patterns::storage::{EncryptedBucket, LogBucket};
use cfn_patterns::Tags;
use cfn_resources::cloudwatch::Alarm;
use cfn_resources::codedeploy::DeploymentGroup;
use cfn_resources::iam::{group, Group};
use cfn_resources::logs::LogGroup;

/// Builds an environment's stack, then applies `extensions` in order. What
/// [`crate::build`] declares is the same with or without extensions.
pub fn build_with(env: &EnvConfig, extensions: &[&dyn Extension]) -> Result<RavenStack> {
    let stack = env.stack_name();
    let tags = Tags::new(&stack, &env.name);
    let mut t = Template::new();
    t.set_description(format!(
        "Content Raven {}: VPC over {} AZs, HTTPS load balancers, web and backend Auto Scaling tiers, KMS-encrypted storage, alarms, CodeDeploy",
        env.name, env.az_count
    ));
    let (ami, certificate) = parameters(&mut t, env)?;
    let data = DataParts::new(&mut t, &stack, env, &tags)?;
    let network = network(&mut t, env, &tags, &data.logs)?;
    let lb = |t: &mut Template, id: &str, tier: &str, cfg: &TierConfig, exposure| {
        let props = LoadBalancerProps {
            exposure,
            certificate_arn: Value::from_string(certificate.clone()),
            target_port: cfg.port as i64,
            health_check_path: cfg.health_check_path.clone(),
            tier: tier.to_owned(),
            tags: tags.clone(),
        };
        HttpsLoadBalancer::new(t, id, &network, &data.logs, &props)
    };
    let web_lb = lb(
        &mut t,
        "WebLoadBalancer",
        "web",
        &env.web,
        Exposure::Internet,
    )?;
    let backend_lb = lb(
        &mut t,
        "BackendLoadBalancer",
        "backend",
        &env.backend,
        Exposure::Internal,
    )?;
    let (web, backend) = tiers(
        &mut t,
        env,
        &tags,
        &data,
        &network,
        &ami,
        [&web_lb, &backend_lb],
    )?;
    let topic = AlarmTopic::new(
        &mut t,
        "AlertsTopic",
        &data.key,
        &env.notification_emails,
        &tags,
    )?;
    let alarms = alarms(
        &mut t,
        env,
        &topic,
        [&web, &backend],
        [&web_lb, &backend_lb],
    )?;
    let app = CodeDeployApp::new(&mut t, "CodeDeployApplication", &topic, &data.key, &tags)?;
    let deploy_config = deployment_config(
        &mut t,
        "DeploymentConfig",
        env.deployment.minimum_healthy_percent as i64,
    )?;
    let group = |t: &mut Template,
                 id: &str,
                 tier: &AutoScalingTier,
                 lb,
                 watched: &[&Handle<Alarm>],
                 name| {
        deployment_group(
            t,
            id,
            &app,
            tier,
            lb,
            &deploy_config,
            watched,
            &topic,
            &tags,
            name,
        )
    };
    let watched_web: Vec<&Handle<Alarm>> = alarms.web.iter().collect();
    let web_group = group(
        &mut t,
        "WebDeploymentGroup",
        &web,
        &web_lb,
        &watched_web,
        "web",
    )?;
    let watched_backend: Vec<&Handle<Alarm>> = alarms.backend.iter().collect();
    let backend_group = group(
        &mut t,
        "BackendDeploymentGroup",
        &backend,
        &backend_lb,
        &watched_backend,
        "backend",
    )?;
    operators(&mut t)?;
    let parts = RavenParts {
        tags,
        network,
        key: data.key,
        logs: data.logs,
        assets: data.assets,
        bundles: data.bundles,
        web_load_balancer: web_lb,
        backend_load_balancer: backend_lb,
        web,
        backend,
        topic,
        codedeploy: app,
    };
    outputs(&mut t, &parts, [&web_group, &backend_group])?;
    for extension in extensions {
        extension.extend(&mut t, &parts, env)?;
    }
    Ok(RavenStack {
        files: tier_files(env, &stack),
        name: stack,
        template: t,
        parts,
    })
}

/// References to the AMI (an SSM parameter name) and the load balancers'
/// certificate parameters.
fn parameters(t: &mut Template, env: &EnvConfig) -> Result<(Value<String>, Value<String>)> {
    let ami = t.add_parameter(
        "AmiId",
        Parameter::ssm_value(ParameterType::Aws(AwsParameterType::ImageId))
            .description("the AMI of both tiers (an SSM parameter name)")
            .default(crate::AMI_PARAMETER),
    )?;
    let mut cert = Parameter::string()
        .description("ARN of the ACM certificate of the load balancers")
        .allowed_pattern("arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]+")
        .constraint_description("must be an ACM certificate ARN");
    if let Some(arn) = &env.certificate_arn {
        cert = cert.default(arn.as_str());
    }
    let cert = t.add_parameter("CertificateArn", cert)?;
    Ok((ami.reference(), cert.reference()))
}

/// Data protection: the key, the log bucket, the encrypted buckets.
struct DataParts {
    key: EncryptionKey,
    logs: LogBucket,
    assets: EncryptedBucket,
    bundles: EncryptedBucket,
}

impl DataParts {
    fn new(t: &mut Template, stack: &str, env: &EnvConfig, tags: &Tags) -> Result<Self> {
        let key = EncryptionKey::new(
            t,
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
        let logs = LogBucket::new(t, "LogBucket", env.access_log_days as i64, tags)?;
        let assets = EncryptedBucket::new(t, "AssetsBucket", &key, &logs, tags, "data")?;
        let bundles = EncryptedBucket::new(t, "DeploymentBucket", &key, &logs, tags, "ops")?;
        Ok(DataParts {
            key,
            logs,
            assets,
            bundles,
        })
    }
}

fn network(t: &mut Template, env: &EnvConfig, tags: &Tags, logs: &LogBucket) -> Result<Network> {
    Network::new(
        t,
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
        logs,
    )
}

/// The web and backend tiers with their log groups and least-privilege
/// permissions.
fn tiers(
    t: &mut Template,
    env: &EnvConfig,
    tags: &Tags,
    data: &DataParts,
    network: &Network,
    image: &Value<String>,
    [web_lb, backend_lb]: [&HttpsLoadBalancer; 2],
) -> Result<(AutoScalingTier, AutoScalingTier)> {
    let log_group = |t: &mut Template, id: &str, tier: &str| {
        encrypted_log_group(t, id, &data.key, env.log_retention_days as i64, tags, tier)
    };
    let web_logs = log_group(t, "WebLogGroup", "web")?;
    let backend_logs = log_group(t, "BackendLogGroup", "backend")?;
    let props = |name: &str, cfg: &TierConfig, permissions: Vec<Statement>| TierProps {
        tier: name.to_owned(),
        instance_type: cfg.instance_type.clone(),
        image_id: Value::from_string(image.clone()),
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
    let mut web_permissions = reads_bundles(data);
    web_permissions.push(
        Statement::allow()
            .sid("ReadAssets")
            .actions(["s3:GetObject"])
            .resource(data.assets.objects_arn()),
    );
    web_permissions.push(writes_logs(&web_logs));
    let web = AutoScalingTier::new(
        t,
        "Web",
        network,
        web_lb,
        &data.key,
        &props("web", &env.web, web_permissions),
    )?;
    let mut backend_permissions = reads_bundles(data);
    backend_permissions.push(
        Statement::allow()
            .sid("ManageAssets")
            .actions(["s3:GetObject", "s3:PutObject", "s3:DeleteObject"])
            .resource(data.assets.objects_arn()),
    );
    backend_permissions.push(
        Statement::allow()
            .sid("ListAssets")
            .action("s3:ListBucket")
            .resource(data.assets.arn()),
    );
    backend_permissions.push(writes_logs(&backend_logs));
    let backend = AutoScalingTier::new(
        t,
        "Backend",
        network,
        backend_lb,
        &data.key,
        &props("backend", &env.backend, backend_permissions),
    )?;
    Ok((web, backend))
}

fn reads_bundles(data: &DataParts) -> Vec<Statement> {
    vec![
        Statement::allow()
            .sid("ReadDeploymentBundles")
            .actions(["s3:GetObject", "s3:GetObjectVersion"])
            .resource(data.bundles.objects_arn()),
        Statement::allow()
            .sid("UseDataKey")
            .actions(["kms:Decrypt", "kms:GenerateDataKey"])
            .resource(data.key.arn()),
    ]
}

fn writes_logs(group: &Handle<LogGroup>) -> Statement {
    Statement::allow()
        .sid("WriteApplicationLogs")
        .actions([
            "logs:CreateLogStream",
            "logs:PutLogEvents",
            "logs:DescribeLogStreams",
        ])
        .resource(fns::sub(format!("${{{}.Arn}}:*", group.id())))
}

/// The alarms each tier's deployments watch (they roll back on any).
struct TierAlarms {
    web: Vec<Handle<Alarm>>,
    backend: Vec<Handle<Alarm>>,
}

/// CPU, 5xx and unhealthy-host alarms, to the topic.
fn alarms(
    t: &mut Template,
    env: &EnvConfig,
    topic: &AlarmTopic,
    [web, backend]: [&AutoScalingTier; 2],
    [web_lb, backend_lb]: [&HttpsLoadBalancer; 2],
) -> Result<TierAlarms> {
    let a = &env.alarms;
    let web_cpu = cpu_alarm(t, "WebCpuAlarm", topic, web.group_name(), a.cpu_percent)?;
    let backend_cpu = cpu_alarm(
        t,
        "BackendCpuAlarm",
        topic,
        backend.group_name(),
        a.cpu_percent,
    )?;
    let web_lb_name = web_lb.load_balancer.load_balancer_full_name();
    let backend_lb_name = backend_lb.load_balancer.load_balancer_full_name();
    let http_5xx = |t: &mut Template, id: &str, lb_name: &Value<String>, metric: &str| {
        http_5xx_alarm(t, id, topic, lb_name.clone(), metric, a.http_5xx_per_minute)
    };
    let web_elb_5xx = http_5xx(
        t,
        "WebLoadBalancer5xxAlarm",
        &web_lb_name,
        "HTTPCode_ELB_5XX_Count",
    )?;
    let web_target_5xx = http_5xx(
        t,
        "WebTarget5xxAlarm",
        &web_lb_name,
        "HTTPCode_Target_5XX_Count",
    )?;
    let backend_target_5xx = http_5xx(
        t,
        "BackendTarget5xxAlarm",
        &backend_lb_name,
        "HTTPCode_Target_5XX_Count",
    )?;
    let web_unhealthy = unhealthy_hosts_alarm(
        t,
        "WebUnhealthyHostsAlarm",
        topic,
        web_lb_name,
        web_lb.target_group.target_group_full_name(),
        a.unhealthy_hosts,
    )?;
    let backend_unhealthy = unhealthy_hosts_alarm(
        t,
        "BackendUnhealthyHostsAlarm",
        topic,
        backend_lb_name,
        backend_lb.target_group.target_group_full_name(),
        a.unhealthy_hosts,
    )?;
    Ok(TierAlarms {
        web: vec![web_elb_5xx, web_target_5xx, web_unhealthy, web_cpu],
        backend: vec![backend_target_5xx, backend_unhealthy, backend_cpu],
    })
}

/// The operators: read-only, and nothing at all without MFA.
fn operators(t: &mut Template) -> Result<()> {
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
    Ok(())
}

/// What other stacks import and what `release` reads.
fn outputs(
    t: &mut Template,
    p: &RavenParts,
    [web_group, backend_group]: [&Handle<DeploymentGroup>; 2],
) -> Result<()> {
    let mut out =
        |id: &str, description: &str, value: Value<String>, exported: bool| -> Result<()> {
            let mut o = Output::new(value).description(description);
            if exported {
                o = o.export(fns::sub(format!("${{AWS::StackName}}-{id}")));
            }
            t.add_output(id, o)
        };
    out("VpcId", "the VPC", p.network.vpc_id().into(), true)?;
    out(
        "PublicSubnetIds",
        "public subnets, one per AZ",
        fns::join(",", p.network.public.id_strings()),
        true,
    )?;
    out(
        "PrivateSubnetIds",
        "private subnets, one per AZ",
        fns::join(",", p.network.private.id_strings()),
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
        p.assets.bucket.reference().into(),
        true,
    )?;
    out(
        "DeploymentBucketName",
        "CodeDeploy bundles (SSE-KMS)",
        p.bundles.bucket.reference().into(),
        true,
    )?;
    out(
        "AlertsTopicArn",
        "alarms and deployment results",
        p.topic.arn().into(),
        true,
    )?;
    out("DataKeyArn", "the data key", p.key.arn(), true)?;
    out(
        "CodeDeployApplicationName",
        "the CodeDeploy application",
        p.codedeploy.application.reference(),
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
    out("Region", "the region", pseudo::region(), false)
}

/// Each tier's `appspec.yml` and hook scripts, under `{stack}/{tier}/`.
fn tier_files(env: &EnvConfig, stack: &str) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for (tier, cfg) in [("web", &env.web), ("backend", &env.backend)] {
        let dir = format!("{stack}/{tier}");
        files.push((format!("{dir}/appspec.yml"), appspec(tier).to_yaml()));
        for (name, body) in hook_scripts(env, tier, cfg) {
            files.push((format!("{dir}/scripts/{name}"), body));
        }
    }
    files
}

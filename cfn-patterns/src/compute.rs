//! An Auto Scaling tier behind a load balancer: instance role and profile,
//! security group, launch template, group, scaling policy.

use crate::alb::HttpsLoadBalancer;
use crate::iam::{PolicyDocument, Statement};
use crate::kms::EncryptionKey;
use crate::network::Network;
use crate::tags::Tags;
use cfn_core::{
    fns, CreationPolicy, Declared, Handle, Result, RollingUpdate, Template, UpdatePolicy, Value,
};
use cfn_resources::autoscaling::{
    auto_scaling_group, scaling_policy, AutoScalingGroup, ScalingPolicy,
};
use cfn_resources::ec2::{launch_template, security_group, LaunchTemplate, SecurityGroup};
use cfn_resources::iam::{role, InstanceProfile, Role};
use cfn_resources::ids;

/// Options of [`AutoScalingTier`].
#[derive(Debug, Clone, PartialEq)]
pub struct TierProps {
    /// `web`, `backend`: used in names and tags.
    pub tier: String,
    /// Instance type (`t4g.small`).
    pub instance_type: String,
    /// The AMI (usually an SSM-parameter-typed template parameter).
    pub image_id: Value<ids::ec2::ImageId>,
    /// Group size.
    pub min_size: u32,
    /// Group size.
    pub max_size: u32,
    /// Group size.
    pub desired_capacity: u32,
    /// Average CPU the scaling policy keeps the group at (percent).
    pub cpu_target: f64,
    /// The port the application listens on.
    pub app_port: i64,
    /// Root volume size in GiB.
    pub volume_size: i64,
    /// Extra permissions of the instance role (least privilege: name the
    /// ARNs).
    pub permissions: Vec<Statement>,
    /// Shell lines appended to the user data before the success signal.
    pub user_data: Vec<String>,
    /// Tags.
    pub tags: Tags,
}

impl TierProps {
    /// A tier of 2 to 4 `instance_type` instances (2 at first) holding 60%
    /// CPU, the application on port 8080, 20 GiB root volumes, no extra
    /// permissions.
    pub fn new(
        tier: &str,
        instance_type: &str,
        image_id: Value<ids::ec2::ImageId>,
        tags: &Tags,
    ) -> Self {
        TierProps {
            tier: tier.to_owned(),
            instance_type: instance_type.to_owned(),
            image_id,
            min_size: 2,
            max_size: 4,
            desired_capacity: 2,
            cpu_target: 60.0,
            app_port: 8080,
            volume_size: 20,
            permissions: Vec::new(),
            user_data: Vec::new(),
            tags: tags.clone(),
        }
    }
    /// Sets the group size.
    pub fn size(mut self, min: u32, desired: u32, max: u32) -> Self {
        (self.min_size, self.desired_capacity, self.max_size) = (min, desired, max);
        self
    }
    /// Sets the application port.
    pub fn app_port(mut self, port: i64) -> Self {
        self.app_port = port;
        self
    }
    /// Adds a permission of the instance role.
    pub fn permission(mut self, s: Statement) -> Self {
        self.permissions.push(s);
        self
    }
}

/// An Auto Scaling group of instances in the private subnets of every AZ,
/// registered in a load balancer's target group.
///
/// Defaults: IMDSv2 required (hop limit 2 for containers); root volume gp3,
/// encrypted with the given key; detailed monitoring; the instance role has
/// only `AmazonSSMManagedInstanceCore` (Session Manager instead of SSH, no
/// key pair) plus the given statements; the security group admits only the
/// load balancer's group on the application port and lets out HTTPS only
/// (package repositories, CodeDeploy, SSM); the user data installs and
/// starts the CodeDeploy agent and sends `cfn-signal`; health checks come
/// from the load balancer (300 s grace); a target-tracking policy holds
/// average CPU; creation waits for a success signal from every initial
/// instance (15 min); updates roll one instance at a time keeping the
/// minimum in service, waiting for signals, with scaling processes
/// suspended.
pub struct AutoScalingTier {
    /// The group.
    pub group: Handle<AutoScalingGroup>,
    /// The instances' security group.
    pub security_group: Handle<SecurityGroup>,
    /// The instance role.
    pub role: Handle<Role>,
    /// The launch template.
    pub launch_template: Handle<LaunchTemplate>,
}

impl AutoScalingTier {
    /// Declares `{id}Role`, `{id}InstanceProfile`, `{id}SecurityGroup`,
    /// `{id}LaunchTemplate`, `{id}Group` and `{id}CpuScaling`.
    pub fn new(
        t: &mut Template,
        id: &str,
        network: &Network,
        lb: &HttpsLoadBalancer,
        key: &EncryptionKey,
        props: &TierProps,
    ) -> Result<Self> {
        let tier = props.tier.as_str();
        let tags = &props.tags;
        let role = t.add(&format!("{id}Role"), instance_role(props))?;
        let profile = t.add(
            &format!("{id}InstanceProfile"),
            InstanceProfile::new(vec![role.reference()]),
        )?;
        let sg = t.add(
            &format!("{id}SecurityGroup"),
            SecurityGroup::new(format!("{} {tier} instances", tags.prefix))
                .vpc_id(network.vpc_id())
                .security_group_ingress(vec![security_group::Ingress::new("tcp")
                    .from_port(props.app_port)
                    .to_port(props.app_port)
                    .source_security_group_id(lb.security_group.reference())
                    .description("from the load balancer")])
                .security_group_egress(vec![security_group::Egress::new("tcp")
                    .from_port(443)
                    .to_port(443)
                    .cidr_ip("0.0.0.0/0")
                    .description("HTTPS: packages, CodeDeploy, SSM")])
                .tags(tags.list(&format!("{tier}-instances"), tier)),
        )?;
        let group_id = format!("{id}Group");
        let user_data = user_data(&group_id, props);
        let lt = t.add(
            &format!("{id}LaunchTemplate"),
            launch_template(props, &profile, &sg, key, user_data),
        )?;
        let min_in_service = props.min_size.min(props.max_size.saturating_sub(1));
        let group = t.add(
            &group_id,
            Declared::new(
                AutoScalingGroup::new(props.max_size.to_string(), props.min_size.to_string())
                    .desired_capacity(props.desired_capacity.to_string())
                    .launch_template(
                        auto_scaling_group::LaunchTemplateSpecification::new(
                            lt.latest_version_number(),
                        )
                        .launch_template_id(lt.reference()),
                    )
                    .vpc_zone_identifier(network.private.ids())
                    .target_group_ar_ns(vec![lb.target_group.reference()])
                    .health_check_type("ELB")
                    .health_check_grace_period(300)
                    .metrics_collection(vec![auto_scaling_group::MetricsCollection::new("1Minute")])
                    .tags(
                        tags.pairs(&format!("{tier}-instance"), tier)
                            .into_iter()
                            .map(|(k, v)| auto_scaling_group::TagProperty::new(k, true, v))
                            .collect::<Vec<_>>(),
                    ),
            )
            .creation_policy(
                CreationPolicy::new()
                    .resource_signal(props.desired_capacity as i64, "PT15M")
                    .min_successful_instances_percent(100),
            )
            .update_policy(
                UpdatePolicy::new()
                    .rolling_update(
                        RollingUpdate::new()
                            .max_batch_size(1)
                            .min_instances_in_service(min_in_service as i64)
                            .pause_time("PT15M")
                            .wait_on_resource_signals(true)
                            .suspend_processes(vec![
                                "HealthCheck",
                                "ReplaceUnhealthy",
                                "AZRebalance",
                                "AlarmNotification",
                                "ScheduledActions",
                            ]),
                    )
                    .scheduled_action(true),
            ),
        )?;
        t.add(
            &format!("{id}CpuScaling"),
            ScalingPolicy::new(group.reference())
                .policy_type(scaling_policy::PolicyType::TargetTrackingScaling)
                .target_tracking_configuration(
                    scaling_policy::TargetTrackingConfiguration::new(props.cpu_target).predefined_metric_specification(
                        scaling_policy::PredefinedMetricSpecification::new(
                            scaling_policy::PredefinedMetricSpecificationPredefinedMetricType::AsgAverageCpuUtilization,
                        ),
                    ),
                ),
        )?;
        Ok(AutoScalingTier {
            group,
            security_group: sg,
            role,
            launch_template: lt,
        })
    }

    /// The group's name (`Ref`).
    pub fn group_name(&self) -> Value<String> {
        self.group.reference()
    }
}

/// The instance role: `AmazonSSMManagedInstanceCore` plus the tier's
/// permissions as a named inline policy.
fn instance_role(props: &TierProps) -> Role {
    let tier = props.tier.as_str();
    let tags = &props.tags;
    let mut permissions = PolicyDocument::new();
    for s in &props.permissions {
        permissions = permissions.statement(s.clone());
    }
    let mut role_builder = Role::new(PolicyDocument::assume_role("ec2.amazonaws.com").to_json())
        .description(format!("{} {tier} instances", tags.prefix))
        .managed_policy_arns(vec![fns::sub(
            "arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore",
        )])
        .tags(tags.list(&format!("{tier}-instance"), tier));
    if !props.permissions.is_empty() {
        role_builder = role_builder.policies(vec![role::Policy::new(
            permissions.to_json(),
            format!("{tier}-instance"),
        )]);
    }
    role_builder
}

/// The user data: install and start the CodeDeploy agent, run the tier's
/// lines, then signal success to the group (failure on any error).
fn user_data(group_id: &str, props: &TierProps) -> Value<String> {
    let mut script = vec![
        "#!/bin/bash".to_owned(),
        "set -euo pipefail".to_owned(),
        format!("trap '/opt/aws/bin/cfn-signal --exit-code 1 --stack ${{AWS::StackName}} --resource {group_id} --region ${{AWS::Region}}' ERR"),
        "dnf install -y ruby wget aws-cfn-bootstrap".to_owned(),
        "cd /tmp".to_owned(),
        "wget -q https://aws-codedeploy-${AWS::Region}.s3.${AWS::Region}.${AWS::URLSuffix}/latest/install".to_owned(),
        "chmod +x ./install".to_owned(),
        "./install auto".to_owned(),
        "systemctl enable --now codedeploy-agent".to_owned(),
    ];
    script.extend(props.user_data.iter().cloned());
    script.push(format!(
        "/opt/aws/bin/cfn-signal --exit-code 0 --stack ${{AWS::StackName}} --resource {group_id} --region ${{AWS::Region}}"
    ));
    fns::base64(fns::sub(script.join("\n") + "\n"))
}

/// The launch template: IMDSv2, an encrypted gp3 root volume, detailed
/// monitoring, the instance profile and security group, and `user_data`.
fn launch_template(
    props: &TierProps,
    profile: &Handle<InstanceProfile>,
    sg: &Handle<SecurityGroup>,
    key: &EncryptionKey,
    user_data: Value<String>,
) -> LaunchTemplate {
    let tier = props.tier.as_str();
    let tags = &props.tags;
    LaunchTemplate::new(
        launch_template::LaunchTemplateData::new()
            .image_id(props.image_id.clone())
            .instance_type(props.instance_type.as_str())
            .iam_instance_profile(launch_template::IamInstanceProfile::new().arn(profile.arn()))
            .security_group_ids(vec![sg.reference()])
            .metadata_options(
                launch_template::MetadataOptions::new()
                    .http_tokens(launch_template::HttpTokens::Required)
                    .http_endpoint(launch_template::HttpEndpoint::Enabled)
                    .http_put_response_hop_limit(2),
            )
            .block_device_mappings(vec![launch_template::BlockDeviceMapping::new()
                .device_name("/dev/xvda")
                .ebs(
                    launch_template::Ebs::new()
                        .volume_type(launch_template::VolumeType::Gp3)
                        .volume_size(props.volume_size)
                        .encrypted(true)
                        .kms_key_id(key.id())
                        .delete_on_termination(true),
                )])
            .monitoring(launch_template::Monitoring::new().enabled(true))
            .user_data(user_data),
    )
    .tag_specifications(vec![launch_template::LaunchTemplateTagSpecification::new()
        .resource_type(launch_template::ResourceType::LaunchTemplate)
        .tags(tags.list(&format!("{tier}-template"), tier))])
}

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

mod build;
pub mod config;

pub use build::build_with;

use cfn_core::{Result, Template};
use cfn_patterns::alarms::AlarmTopic;
use cfn_patterns::alb::HttpsLoadBalancer;
use cfn_patterns::codedeploy::{AppSpec, CodeDeployApp, Hook};
use cfn_patterns::compute::AutoScalingTier;
use cfn_patterns::kms::EncryptionKey;
use cfn_patterns::network::Network;
use cfn_patterns::storage::{EncryptedBucket, LogBucket};
use cfn_patterns::Tags;
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
    /// Typed handles of what the stack declared, for code that adds to it.
    pub parts: RavenParts,
}

/// Typed handles of the Raven stack's parts: what an [`Extension`] builds
/// on (grant a tier access, connect a tier to a database, encrypt with the
/// stack's key) without naming logical ids.
pub struct RavenParts {
    /// The tags every resource carries (`raven-prod`, `prod`).
    pub tags: Tags,
    /// The VPC, its public and private subnets and route tables.
    pub network: Network,
    /// The data key (buckets, volumes, logs, topic).
    pub key: EncryptionKey,
    /// The log bucket (access logs, flow logs).
    pub logs: LogBucket,
    /// Course assets.
    pub assets: EncryptedBucket,
    /// CodeDeploy bundles.
    pub bundles: EncryptedBucket,
    /// The internet-facing load balancer of the web tier.
    pub web_load_balancer: HttpsLoadBalancer,
    /// The internal load balancer of the backend tier.
    pub backend_load_balancer: HttpsLoadBalancer,
    /// The web tier (group, role, security group).
    pub web: AutoScalingTier,
    /// The backend tier (group, role, security group).
    pub backend: AutoScalingTier,
    /// The alarm and deployment topic.
    pub topic: AlarmTopic,
    /// The CodeDeploy application and its service role.
    pub codedeploy: CodeDeployApp,
}

/// Something added to the Raven stack after its own parts, given their
/// handles and the environment (whose optional sections, like
/// [`EnvConfig::database`], configure it). A closure of the same
/// signature is one.
///
/// ```
/// use cfn_core::Template;
/// use raven_stack::{build_with, environments, EnvConfig, RavenParts};
/// let add_queue_access = |t: &mut Template, parts: &RavenParts, _env: &EnvConfig| {
///     parts.assets.grant_read(t, &parts.web)
/// };
/// let dev = &environments().unwrap()[0];
/// let stack = build_with(dev, &[&add_queue_access]).unwrap();
/// assert!(stack.template.synth(cfn_core::Format::Json).unwrap().contains("AssetsBucket-read"));
/// ```
pub trait Extension {
    /// Adds to `t`.
    fn extend(&self, t: &mut Template, parts: &RavenParts, env: &EnvConfig) -> Result<()>;
}

impl<F> Extension for F
where
    F: Fn(&mut Template, &RavenParts, &EnvConfig) -> Result<()>,
{
    fn extend(&self, t: &mut Template, parts: &RavenParts, env: &EnvConfig) -> Result<()> {
        self(t, parts, env)
    }
}

/// The default AMI: the latest Amazon Linux 2023 for x86_64, read from the
/// public SSM parameter at deploy time.
pub const AMI_PARAMETER: &str =
    "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

/// Builds an environment's stack.
pub fn build(env: &EnvConfig) -> Result<RavenStack> {
    build_with(env, &[])
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

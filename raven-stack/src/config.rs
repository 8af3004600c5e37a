//! The typed environment configuration: one JSON file per environment in
//! `raven-stack/config/`, checked against a JSON Schema generated from these
//! types (`config/schema.json`) and against the rules below.

use schemars::JsonSchema;
use serde::Deserialize;
use std::fmt;

/// How private subnets reach the internet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Nat {
    /// One NAT gateway per Availability Zone (production).
    PerAz,
    /// One NAT gateway for the whole VPC (cheaper, development).
    Single,
}

/// One Auto Scaling tier.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TierConfig {
    /// EC2 instance type (x86_64, as the default AMI is), e.g. `t3.small`.
    pub instance_type: String,
    /// Smallest group size.
    pub min_size: u32,
    /// Largest group size.
    pub max_size: u32,
    /// Initial size, between min and max.
    pub desired_capacity: u32,
    /// Average CPU percent the scaling policy keeps.
    pub cpu_target: f64,
    /// The port the application listens on.
    pub port: u16,
    /// The health-check path (`/health`).
    pub health_check_path: String,
    /// Root volume size, GiB.
    pub volume_size: u32,
}

/// Alarm thresholds.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AlarmConfig {
    /// Average CPU percent that raises the CPU alarms.
    pub cpu_percent: f64,
    /// 5xx responses per minute that raise the 5xx alarms.
    pub http_5xx_per_minute: f64,
    /// Unhealthy targets that raise the health alarms.
    pub unhealthy_hosts: f64,
}

/// CodeDeploy settings.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeploymentSettings {
    /// Percent of instances kept healthy (in service) during a deployment.
    pub minimum_healthy_percent: u8,
}

/// An optional PostgreSQL database (`database` in the environment file),
/// read by extensions such as `examples/raven_with_database.rs`; the Raven
/// stack itself declares none.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DatabaseConfig {
    /// RDS instance class, e.g. `db.t4g.medium`.
    pub instance_class: String,
    /// A standby in a second Availability Zone with automatic failover.
    pub multi_az: bool,
    /// Days of automated backups, 1 to 35.
    pub backup_retention_days: u32,
    /// Refuse deletion of the instance (default true).
    #[serde(default = "yes")]
    pub deletion_protection: bool,
}

fn yes() -> bool {
    true
}

/// One environment (`dev`, `staging`, `prod`).
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnvConfig {
    /// Environment name: lowercase letters and digits; the stack is `raven-{name}`.
    pub name: String,
    /// The VPC's IPv4 CIDR block, a /16 to /24 (`10.30.0.0/16`).
    pub vpc_cidr: String,
    /// Availability Zones to span, 2 to 6.
    pub az_count: usize,
    /// NAT gateways.
    pub nat: Nat,
    /// The public web tier.
    pub web: TierConfig,
    /// The backend tier, behind an internal load balancer.
    pub backend: TierConfig,
    /// Alarm thresholds.
    pub alarms: AlarmConfig,
    /// CodeDeploy settings.
    pub deployment: DeploymentSettings,
    /// Who receives alarms and deployment results (each confirms by email).
    pub notification_emails: Vec<String>,
    /// Days CloudWatch Logs keeps application logs (a value CloudWatch allows).
    pub log_retention_days: u32,
    /// Days the log bucket keeps access and flow logs.
    pub access_log_days: u32,
    /// The ACM certificate of the load balancers, the `CertificateArn`
    /// parameter's default; omit to pass it at deploy time.
    #[serde(default)]
    pub certificate_arn: Option<String>,
    /// Application log level written into the instances' configuration.
    pub log_level: LogLevel,
    /// A PostgreSQL database, for extensions that add one; omit for none.
    #[serde(default)]
    pub database: Option<DatabaseConfig>,
}

/// Application log level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    /// Everything.
    Debug,
    /// Normal operation.
    Info,
    /// Problems only.
    Warn,
}

impl LogLevel {
    /// As written in the config.
    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::Debug => "debug",
            LogLevel::Info => "info",
            LogLevel::Warn => "warn",
        }
    }
}

/// A problem with a configuration file: which file, which field, what is
/// wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: {field}: {message}", match .line { Some((l, c)) => format!(":{l}:{c}"), None => String::new() })]
pub struct ConfigError {
    /// The file.
    pub file: String,
    /// Line and column, for syntax and type errors.
    pub line: Option<(usize, usize)>,
    /// The field path (`web.min_size`), or `(file)`.
    pub field: String,
    /// What is wrong and the fix.
    pub message: String,
}

const RETENTION_DAYS: &[u32] = &[
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];

impl EnvConfig {
    /// Parses and checks a configuration file's text; `file` names it in errors.
    ///
    /// ```
    /// let e = raven_stack::config::EnvConfig::from_json("{\"name\": \"dev\", \"az_count\": \"two\"}", "dev.json").unwrap_err();
    /// assert!(e.to_string().starts_with("dev.json:1:"), "{e}");
    /// assert_eq!(e.field, "az_count");
    /// ```
    pub fn from_json(text: &str, file: &str) -> Result<EnvConfig, ConfigError> {
        let de = &mut serde_json::Deserializer::from_str(text);
        let cfg: EnvConfig = serde_path_to_error::deserialize(de).map_err(|e| {
            let inner = e.inner();
            let field = e.path().to_string();
            let message = inner.to_string();
            let message = match message.rfind(" at line ") {
                Some(i) => message[..i].to_owned(),
                None => message,
            };
            let fix = if message.starts_with("unknown field") {
                "; remove it or correct its name (see config/schema.json)"
            } else if message.starts_with("missing field") {
                "; add it (see config/schema.json)"
            } else {
                ""
            };
            ConfigError {
                file: file.to_owned(),
                line: Some((inner.line(), inner.column())),
                field: if field == "." || field == "?" {
                    "(file)".into()
                } else {
                    field
                },
                message: format!("{message}{fix}"),
            }
        })?;
        cfg.check(file)?;
        Ok(cfg)
    }

    fn check(&self, file: &str) -> Result<(), ConfigError> {
        let err = |field: &str, message: String| ConfigError {
            file: file.to_owned(),
            line: None,
            field: field.to_owned(),
            message,
        };
        if self.name.is_empty()
            || !self
                .name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        {
            return Err(err(
                "name",
                format!(
                    "{:?} must be lowercase letters and digits, like \"prod\"",
                    self.name
                ),
            ));
        }
        if let Err(e) = cfn_patterns::network::plan_subnets(&self.vpc_cidr, self.az_count) {
            let field = if e.path() == Some("az_count") {
                "az_count"
            } else {
                "vpc_cidr"
            };
            return Err(err(field, e.kind().to_string()));
        }
        for (name, tier) in [("web", &self.web), ("backend", &self.backend)] {
            check_tier(name, tier, &err)?;
        }
        if !(1..=100).contains(&self.deployment.minimum_healthy_percent) {
            return Err(err(
                "deployment.minimum_healthy_percent",
                format!(
                    "{} must be 1 to 100",
                    self.deployment.minimum_healthy_percent
                ),
            ));
        }
        if self.notification_emails.is_empty() {
            return Err(err(
                "notification_emails",
                "add at least one address, or nobody hears the alarms".into(),
            ));
        }
        for (i, e) in self.notification_emails.iter().enumerate() {
            let ok = e
                .split_once('@')
                .is_some_and(|(u, d)| !u.is_empty() && d.contains('.') && !d.starts_with('.'));
            if !ok {
                return Err(err(
                    &format!("notification_emails[{i}]"),
                    format!("{e:?} is not an email address"),
                ));
            }
        }
        if !RETENTION_DAYS.contains(&self.log_retention_days) {
            return Err(err(
                "log_retention_days",
                format!(
                    "{} is not a retention CloudWatch Logs offers; use one of {}",
                    self.log_retention_days,
                    RETENTION_DAYS
                        .iter()
                        .map(u32::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        if self.access_log_days == 0 {
            return Err(err("access_log_days", "must be at least 1".into()));
        }
        if let Some(db) = &self.database {
            if !db.instance_class.starts_with("db.") || !db.instance_class[3..].contains('.') {
                return Err(err(
                    "database.instance_class",
                    format!(
                        "{:?} is not an RDS instance class; write it like \"db.t4g.medium\"",
                        db.instance_class
                    ),
                ));
            }
            if !(1..=35).contains(&db.backup_retention_days) {
                return Err(err(
                    "database.backup_retention_days",
                    format!("{} must be 1 to 35", db.backup_retention_days),
                ));
            }
        }
        if let Some(arn) = &self.certificate_arn {
            if !arn.starts_with("arn:aws")
                || !arn.contains(":acm:")
                || !arn.contains(":certificate/")
            {
                return Err(err(
                    "certificate_arn",
                    format!("{arn:?} is not an ACM certificate ARN"),
                ));
            }
        }
        Ok(())
    }

    /// The stack name (`raven-prod`).
    pub fn stack_name(&self) -> String {
        format!("raven-{}", self.name)
    }
}

/// One tier's sizes, CPU target, instance type, health check path, volume
/// size and port.
fn check_tier(
    name: &str,
    tier: &TierConfig,
    err: &impl Fn(&str, String) -> ConfigError,
) -> Result<(), ConfigError> {
    if tier.min_size == 0 || tier.min_size > tier.max_size {
        return Err(err(
            &format!("{name}.min_size"),
            format!(
                "{} must be at least 1 and at most max_size ({})",
                tier.min_size, tier.max_size
            ),
        ));
    }
    if tier.desired_capacity < tier.min_size || tier.desired_capacity > tier.max_size {
        return Err(err(
            &format!("{name}.desired_capacity"),
            format!(
                "{} must be between min_size ({}) and max_size ({})",
                tier.desired_capacity, tier.min_size, tier.max_size
            ),
        ));
    }
    if !(1.0..=100.0).contains(&tier.cpu_target) {
        return Err(err(
            &format!("{name}.cpu_target"),
            format!("{} must be a percentage, 1 to 100", tier.cpu_target),
        ));
    }
    if !tier.instance_type.contains('.') {
        return Err(err(
            &format!("{name}.instance_type"),
            format!(
                "{:?} is not an instance type; write it like \"t3.small\"",
                tier.instance_type
            ),
        ));
    }
    if !tier.health_check_path.starts_with('/') {
        return Err(err(
            &format!("{name}.health_check_path"),
            "must start with `/`".into(),
        ));
    }
    if !(8..=16384).contains(&tier.volume_size) {
        return Err(err(
            &format!("{name}.volume_size"),
            format!("{} GiB must be 8 to 16384", tier.volume_size),
        ));
    }
    if tier.port < 1024 {
        return Err(err(
            &format!("{name}.port"),
            format!("{} is privileged; use 1024 or above", tier.port),
        ));
    }
    Ok(())
}

impl fmt::Display for EnvConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// The JSON Schema of the configuration files, as checked in at
/// `config/schema.json`.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(EnvConfig);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

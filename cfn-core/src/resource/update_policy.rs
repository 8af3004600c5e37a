//! The `UpdatePolicy` and `CreationPolicy` resource attributes, typed, and
//! the keys each accepts (checked by validation).

use crate::expr::{Expr, ExprMap};
use crate::value::Value;

fn put(m: &mut ExprMap, k: &str, v: Option<Expr>) {
    if let Some(v) = v {
        m.insert(k.to_owned(), v);
    }
}

/// `UpdatePolicy`: how CloudFormation updates Auto Scaling groups and other
/// resources that support it.
///
/// ```
/// use cfn_core::{UpdatePolicy, RollingUpdate};
/// let p = UpdatePolicy::new().rolling_update(
///     RollingUpdate::new().max_batch_size(1).min_instances_in_service(1)
///         .pause_time("PT10M").wait_on_resource_signals(true),
/// );
/// assert!(serde_json::to_string(&p.into_expr()).unwrap().contains("AutoScalingRollingUpdate"));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UpdatePolicy {
    rolling: Option<Expr>,
    replacing: Option<Expr>,
    scheduled: Option<Expr>,
    lambda_alias: Option<Expr>,
    enable_version_upgrade: Option<Expr>,
    use_online_resharding: Option<Expr>,
}

impl UpdatePolicy {
    /// An empty update policy.
    pub fn new() -> Self {
        Self::default()
    }
    /// `AutoScalingRollingUpdate`: replace instances in batches.
    pub fn rolling_update(mut self, r: RollingUpdate) -> Self {
        self.rolling = Some(Expr::Map(r.0));
        self
    }
    /// `AutoScalingReplacingUpdate`: replace the whole group.
    pub fn replacing_update(mut self, will_replace: impl Into<Value<bool>>) -> Self {
        let mut m = ExprMap::new();
        m.insert("WillReplace".into(), will_replace.into().into_expr());
        self.replacing = Some(Expr::Map(m));
        self
    }
    /// `AutoScalingScheduledAction`: keep scheduled sizes during updates.
    pub fn scheduled_action(
        mut self,
        ignore_unmodified_group_size: impl Into<Value<bool>>,
    ) -> Self {
        let mut m = ExprMap::new();
        m.insert(
            "IgnoreUnmodifiedGroupSizeProperties".into(),
            ignore_unmodified_group_size.into().into_expr(),
        );
        self.scheduled = Some(Expr::Map(m));
        self
    }
    /// `CodeDeployLambdaAliasUpdate` for Lambda aliases.
    pub fn code_deploy_lambda_alias_update(
        mut self,
        application_name: impl Into<Value<String>>,
        deployment_group_name: impl Into<Value<String>>,
    ) -> Self {
        let mut m = ExprMap::new();
        m.insert(
            "ApplicationName".into(),
            application_name.into().into_expr(),
        );
        m.insert(
            "DeploymentGroupName".into(),
            deployment_group_name.into().into_expr(),
        );
        self.lambda_alias = Some(Expr::Map(m));
        self
    }
    /// `EnableVersionUpgrade` for OpenSearch domains.
    pub fn enable_version_upgrade(mut self, v: impl Into<Value<bool>>) -> Self {
        self.enable_version_upgrade = Some(v.into().into_expr());
        self
    }
    /// `UseOnlineResharding` for ElastiCache replication groups.
    pub fn use_online_resharding(mut self, v: impl Into<Value<bool>>) -> Self {
        self.use_online_resharding = Some(v.into().into_expr());
        self
    }
    /// The policy as an expression.
    pub fn into_expr(self) -> Expr {
        let mut m = ExprMap::new();
        put(&mut m, "AutoScalingReplacingUpdate", self.replacing);
        put(&mut m, "AutoScalingRollingUpdate", self.rolling);
        put(&mut m, "AutoScalingScheduledAction", self.scheduled);
        put(&mut m, "CodeDeployLambdaAliasUpdate", self.lambda_alias);
        put(&mut m, "EnableVersionUpgrade", self.enable_version_upgrade);
        put(&mut m, "UseOnlineResharding", self.use_online_resharding);
        Expr::Map(m)
    }
}

/// The keys `UpdatePolicy` accepts.
pub const UPDATE_POLICY_KEYS: &[&str] = &[
    "AutoScalingReplacingUpdate",
    "AutoScalingRollingUpdate",
    "AutoScalingScheduledAction",
    "CodeDeployLambdaAliasUpdate",
    "EnableVersionUpgrade",
    "UseOnlineResharding",
];

/// The keys `AutoScalingRollingUpdate` accepts.
pub const ROLLING_UPDATE_KEYS: &[&str] = &[
    "MaxBatchSize",
    "MinActiveInstancesPercent",
    "MinInstancesInService",
    "MinSuccessfulInstancesPercent",
    "PauseTime",
    "SuspendProcesses",
    "WaitOnResourceSignals",
];

/// The keys `CreationPolicy` accepts.
pub const CREATION_POLICY_KEYS: &[&str] =
    &["AutoScalingCreationPolicy", "ResourceSignal", "StartFleet"];

/// `AutoScalingRollingUpdate` settings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RollingUpdate(ExprMap);

impl RollingUpdate {
    /// No settings (CloudFormation's defaults: batches of 1, no pause).
    pub fn new() -> Self {
        Self::default()
    }
    fn set(mut self, k: &str, v: Expr) -> Self {
        self.0.insert(k.to_owned(), v);
        self
    }
    /// `MaxBatchSize`: instances replaced at once.
    pub fn max_batch_size(self, n: impl Into<Value<i64>>) -> Self {
        self.set("MaxBatchSize", n.into().into_expr())
    }
    /// `MinActiveInstancesPercent`.
    pub fn min_active_instances_percent(self, n: impl Into<Value<i64>>) -> Self {
        self.set("MinActiveInstancesPercent", n.into().into_expr())
    }
    /// `MinInstancesInService`: instances kept in service during the update.
    pub fn min_instances_in_service(self, n: impl Into<Value<i64>>) -> Self {
        self.set("MinInstancesInService", n.into().into_expr())
    }
    /// `MinSuccessfulInstancesPercent`.
    pub fn min_successful_instances_percent(self, n: impl Into<Value<i64>>) -> Self {
        self.set("MinSuccessfulInstancesPercent", n.into().into_expr())
    }
    /// `PauseTime` (ISO 8601 duration, `PT5M`).
    pub fn pause_time(self, d: impl Into<Value<String>>) -> Self {
        self.set("PauseTime", d.into().into_expr())
    }
    /// `SuspendProcesses` during the update.
    pub fn suspend_processes(self, p: impl Into<Value<Vec<String>>>) -> Self {
        self.set("SuspendProcesses", p.into().into_expr())
    }
    /// `WaitOnResourceSignals`: wait for cfn-signal from new instances.
    pub fn wait_on_resource_signals(self, b: impl Into<Value<bool>>) -> Self {
        self.set("WaitOnResourceSignals", b.into().into_expr())
    }
}

/// `CreationPolicy`: wait for success signals before a resource counts as
/// created.
///
/// ```
/// use cfn_core::CreationPolicy;
/// let p = CreationPolicy::new().resource_signal(2, "PT15M").min_successful_instances_percent(100);
/// # let _ = p;
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CreationPolicy {
    signal: Option<ExprMap>,
    asg: Option<ExprMap>,
    start_fleet: Option<Expr>,
}

impl CreationPolicy {
    /// An empty creation policy.
    pub fn new() -> Self {
        Self::default()
    }
    /// `ResourceSignal`: `count` signals within `timeout` (ISO 8601, `PT15M`).
    pub fn resource_signal(
        mut self,
        count: impl Into<Value<i64>>,
        timeout: impl Into<Value<String>>,
    ) -> Self {
        let mut m = ExprMap::new();
        m.insert("Count".into(), count.into().into_expr());
        m.insert("Timeout".into(), timeout.into().into_expr());
        self.signal = Some(m);
        self
    }
    /// `AutoScalingCreationPolicy/MinSuccessfulInstancesPercent`.
    pub fn min_successful_instances_percent(mut self, n: impl Into<Value<i64>>) -> Self {
        let mut m = ExprMap::new();
        m.insert("MinSuccessfulInstancesPercent".into(), n.into().into_expr());
        self.asg = Some(m);
        self
    }
    /// `StartFleet` (AppStream fleets).
    pub fn start_fleet(mut self, b: impl Into<Value<bool>>) -> Self {
        self.start_fleet = Some(b.into().into_expr());
        self
    }
    /// The policy as an expression.
    pub fn into_expr(self) -> Expr {
        let mut m = ExprMap::new();
        put(&mut m, "AutoScalingCreationPolicy", self.asg.map(Expr::Map));
        put(&mut m, "ResourceSignal", self.signal.map(Expr::Map));
        put(&mut m, "StartFleet", self.start_fleet);
        Expr::Map(m)
    }
}

//! An encrypted alarm topic with email subscriptions, and the alarms a web
//! tier needs.

use crate::kms::EncryptionKey;
use crate::tags::{tag_list, Tags};
use cfn_core::{Handle, Result, Template, Value};
use cfn_resources::cloudwatch::{alarm, Alarm};
use cfn_resources::ids;
use cfn_resources::sns::{topic, Subscription, Topic};

/// An SNS topic for alarms and deployment results.
///
/// Defaults: encrypted with the given key (whose policy must let
/// `cloudwatch.amazonaws.com` use it, so alarms can publish: add a
/// [`KeyUser::Service`](crate::kms::KeyUser::Service)); one email
/// subscription per address (each must be confirmed by its owner).
pub struct AlarmTopic {
    /// The topic.
    pub topic: Handle<Topic>,
}

impl AlarmTopic {
    /// Declares `{id}` and `{id}Email1`, `{id}Email2`, ...
    pub fn new(
        t: &mut Template,
        id: &str,
        key: &EncryptionKey,
        emails: &[String],
        tags: &Tags,
    ) -> Result<Self> {
        let topic = t.add(
            id,
            Topic::new()
                .kms_master_key_id(key.id())
                .display_name(format!("{} alarms", tags.prefix))
                .tags(tag_list!(topic::Tag, tags, "alarms", "ops")),
        )?;
        for (i, email) in emails.iter().enumerate() {
            t.add(
                &format!("{id}Email{}", i + 1),
                Subscription::new("email", topic.reference()).endpoint(email.as_str()),
            )?;
        }
        Ok(AlarmTopic { topic })
    }

    /// The topic ARN (`Ref`).
    pub fn arn(&self) -> Value<ids::sns::TopicArn> {
        self.topic.reference()
    }
}

/// What an alarm watches.
#[derive(Debug, Clone, PartialEq)]
pub struct AlarmSpec {
    /// What the alarm means, for the notification.
    pub description: String,
    /// `AWS/EC2`, `AWS/ApplicationELB`.
    pub namespace: String,
    /// The metric.
    pub metric: String,
    /// Its dimensions.
    pub dimensions: Vec<(String, Value<String>)>,
    /// The statistic.
    pub statistic: alarm::Statistic,
    /// Alarm at or above this.
    pub threshold: f64,
    /// Seconds per evaluation period.
    pub period: i64,
    /// Periods that must breach.
    pub evaluation_periods: i64,
}

/// Declares an alarm that notifies `topic` when it fires and when it
/// recovers. Missing data is treated as not breaching (a quiet service is
/// not an outage).
pub fn alarm(
    t: &mut Template,
    id: &str,
    topic: &AlarmTopic,
    spec: AlarmSpec,
) -> Result<Handle<Alarm>> {
    let target: Value<String> = topic.arn().into();
    t.add(
        id,
        Alarm::new()
            .alarm_description(spec.description)
            .namespace(spec.namespace)
            .metric_name(spec.metric)
            .dimensions(
                spec.dimensions
                    .into_iter()
                    .map(|(k, v)| alarm::Dimension::new(k, v))
                    .collect::<Vec<_>>(),
            )
            .statistic(spec.statistic)
            .threshold(spec.threshold)
            .comparison_operator(alarm::ComparisonOperator::GreaterThanOrEqualToThreshold)
            .period(spec.period)
            .evaluation_periods(spec.evaluation_periods)
            .treat_missing_data(alarm::TreatMissingData::NotBreaching)
            .alarm_actions(vec![target.clone()])
            .ok_actions(vec![target]),
    )
}

/// Average CPU of an Auto Scaling group at or above `percent` for 10 minutes.
pub fn cpu_alarm(
    t: &mut Template,
    id: &str,
    topic: &AlarmTopic,
    group_name: Value<String>,
    percent: f64,
) -> Result<Handle<Alarm>> {
    alarm(
        t,
        id,
        topic,
        AlarmSpec {
            description: format!("average CPU at or above {percent}% for 10 minutes"),
            namespace: "AWS/EC2".into(),
            metric: "CPUUtilization".into(),
            dimensions: vec![("AutoScalingGroupName".into(), group_name)],
            statistic: alarm::Statistic::Average,
            threshold: percent,
            period: 300,
            evaluation_periods: 2,
        },
    )
}

/// Load balancer or target 5xx responses at or above `count` per minute,
/// three minutes running.
pub fn http_5xx_alarm(
    t: &mut Template,
    id: &str,
    topic: &AlarmTopic,
    load_balancer_full_name: Value<String>,
    metric: &str,
    count: f64,
) -> Result<Handle<Alarm>> {
    alarm(
        t,
        id,
        topic,
        AlarmSpec {
            description: format!("{metric} at or above {count} per minute for 3 minutes"),
            namespace: "AWS/ApplicationELB".into(),
            metric: metric.into(),
            dimensions: vec![("LoadBalancer".into(), load_balancer_full_name)],
            statistic: alarm::Statistic::Sum,
            threshold: count,
            period: 60,
            evaluation_periods: 3,
        },
    )
}

/// Unhealthy targets at or above `count` for 3 minutes.
pub fn unhealthy_hosts_alarm(
    t: &mut Template,
    id: &str,
    topic: &AlarmTopic,
    load_balancer_full_name: Value<String>,
    target_group_full_name: Value<String>,
    count: f64,
) -> Result<Handle<Alarm>> {
    alarm(
        t,
        id,
        topic,
        AlarmSpec {
            description: format!("{count} or more unhealthy targets for 3 minutes"),
            namespace: "AWS/ApplicationELB".into(),
            metric: "UnHealthyHostCount".into(),
            dimensions: vec![
                ("LoadBalancer".into(), load_balancer_full_name),
                ("TargetGroup".into(), target_group_full_name),
            ],
            statistic: alarm::Statistic::Maximum,
            threshold: count,
            period: 60,
            evaluation_periods: 3,
        },
    )
}

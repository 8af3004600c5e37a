//! An encrypted alarm topic with email subscriptions, and the alarms a web
//! tier needs.

use crate::arns::{allow, ScopedArn};
use crate::grants::{grant, Grantee};
use crate::kms::EncryptionKey;
use crate::tags::Tags;
use cfn_core::{Handle, Result, Template, Value};
use cfn_resources::cloudwatch::{alarm, Alarm};
use cfn_resources::ids;
use cfn_resources::sns::{Subscription, Topic};

/// An SNS topic for alarms and deployment results.
///
/// Defaults: encrypted with the given key (whose policy must let
/// `cloudwatch.amazonaws.com` use it, so alarms can publish: add a
/// [`KeyUser::Service`](crate::kms::KeyUser::Service)); one email
/// subscription per address (each must be confirmed by its owner).
pub struct AlarmTopic {
    /// The topic.
    pub topic: Handle<Topic>,
    /// The ARN of the key its messages are encrypted with.
    pub key_arn: Value<String>,
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
                .tags(tags.list("alarms", "ops")),
        )?;
        for (i, email) in emails.iter().enumerate() {
            t.add(
                &format!("{id}Email{}", i + 1),
                Subscription::new("email", topic.reference()).endpoint(email.as_str()),
            )?;
        }
        Ok(AlarmTopic {
            topic,
            key_arn: key.arn(),
        })
    }

    /// The topic ARN (`Ref`).
    pub fn arn(&self) -> Value<ids::sns::TopicArn> {
        self.topic.reference()
    }

    /// Lets `to` publish to the topic (`sns:Publish` on its ARN;
    /// `kms:GenerateDataKey`, `kms:Decrypt` on its key, which an encrypted
    /// topic needs from publishers): the inline policy `{id}-publish`.
    ///
    /// ```
    /// use cfn_core::Template;
    /// use cfn_patterns::alarms::AlarmTopic;
    /// use cfn_patterns::iam::PolicyDocument;
    /// use cfn_patterns::kms::{EncryptionKey, KeyProps};
    /// use cfn_patterns::Tags;
    /// use cfn_resources::iam::Role;
    /// let (mut t, tags) = (Template::new(), Tags::new("app", "dev"));
    /// let key = EncryptionKey::new(&mut t, "Key", KeyProps::new("app", &tags)).unwrap();
    /// let topic = AlarmTopic::new(&mut t, "Alerts", &key, &[], &tags).unwrap();
    /// let role = t.add("Notifier", Role::new(PolicyDocument::assume_role("lambda.amazonaws.com").to_json())).unwrap();
    /// topic.grant_publish(&mut t, &role).unwrap();
    /// assert!(t.synth(cfn_core::Format::Json).unwrap().contains("Alerts-publish"));
    /// ```
    pub fn grant_publish(&self, t: &mut Template, to: &impl Grantee) -> Result<()> {
        let statements = allow(
            &["sns:Publish", "kms:Decrypt", "kms:GenerateDataKey"],
            &[
                ScopedArn::attribute("sns", "topic", Value::<String>::from(self.arn()))?,
                ScopedArn::attribute("kms", "key", self.key_arn.clone())?,
            ],
        )?;
        grant(t, to, &format!("{}-publish", self.topic.id()), statements)
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

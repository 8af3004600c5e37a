//! An SQS queue encrypted with a customer key, with a dead-letter queue
//! and a TLS-only queue policy.
//!
//! ```
//! use cfn_core::Template;
//! use cfn_patterns::kms::{EncryptionKey, KeyProps};
//! use cfn_patterns::queue::{EncryptedQueue, QueueProps};
//! use cfn_patterns::Tags;
//! let (mut t, tags) = (Template::new(), Tags::new("shop", "dev"));
//! let key = EncryptionKey::new(&mut t, "Key", KeyProps::new("shop", &tags)).unwrap();
//! let orders = EncryptedQueue::new(&mut t, "Orders", &key, QueueProps::new("orders", &tags)).unwrap();
//! assert!(orders.dead_letter_queue.is_some());
//! assert!(t.resources.contains_key("OrdersDeadLetters") && t.resources.contains_key("OrdersPolicy"));
//! ```

use crate::arns::{allow, ScopedArn};
use crate::grants::{grant, Grantee};
use crate::iam::{PolicyDocument, Principal, Statement};
use crate::kms::EncryptionKey;
use crate::tags::Tags;
use cfn_core::{json_object, Handle, Result, Template, Value};
use cfn_resources::ids;
use cfn_resources::sqs::{Queue, QueuePolicy};

/// Options of [`EncryptedQueue`].
#[derive(Debug, Clone, PartialEq)]
pub struct QueueProps {
    /// What the queue carries (`orders`): used in tags.
    pub name: String,
    /// Seconds a received message stays invisible to other consumers.
    /// Default 30 (at least the consumer's timeout).
    pub visibility_timeout_seconds: i64,
    /// Days a message is kept. Default 4.
    pub retention_days: i64,
    /// Receives before a message moves to the dead-letter queue; `None`
    /// for no dead-letter queue. Default `Some(5)`.
    pub max_receive_count: Option<i64>,
    /// Tags.
    pub tags: Tags,
}

impl QueueProps {
    /// A queue with the defaults above.
    pub fn new(name: &str, tags: &Tags) -> Self {
        QueueProps {
            name: name.to_owned(),
            visibility_timeout_seconds: 30,
            retention_days: 4,
            max_receive_count: Some(5),
            tags: tags.clone(),
        }
    }
    /// Sets the retention (1 to 14 days).
    pub fn retention_days(mut self, days: i64) -> Self {
        self.retention_days = days;
        self
    }
    /// Sets the visibility timeout.
    pub fn visibility_timeout_seconds(mut self, seconds: i64) -> Self {
        self.visibility_timeout_seconds = seconds;
        self
    }
    /// No dead-letter queue (for a queue that is itself one).
    pub fn without_dead_letter_queue(mut self) -> Self {
        self.max_receive_count = None;
        self
    }
}

/// An SQS queue and its dead-letter queue.
///
/// Defaults: SSE-KMS with the given key (data keys reused for 5 minutes);
/// a dead-letter queue `{id}DeadLetters` (same key, kept 14 days) after 5
/// receives; a queue policy `{id}Policy` denying requests without TLS.
/// Producers and consumers need grants ([`EncryptedQueue::grant_send`],
/// [`EncryptedQueue::grant_consume`]), which include the key.
pub struct EncryptedQueue {
    /// The queue.
    pub queue: Handle<Queue>,
    /// Its dead-letter queue.
    pub dead_letter_queue: Option<Handle<Queue>>,
    /// The queue policy.
    pub policy: Handle<QueuePolicy>,
    /// The ARN of the key its messages are encrypted with.
    pub key_arn: Value<String>,
}

fn encrypted(key: &EncryptionKey, days: i64, tags: &Tags, name: &str) -> Queue {
    Queue::new()
        .kms_master_key_id(key.id())
        .kms_data_key_reuse_period_seconds(300)
        .message_retention_period(days * 86_400)
        .tags(tags.list(name, name))
}

impl EncryptedQueue {
    /// Declares `{id}`, `{id}Policy` (and `{id}DeadLetters`).
    pub fn new(t: &mut Template, id: &str, key: &EncryptionKey, props: QueueProps) -> Result<Self> {
        let name = props.name.as_str();
        let dlq = match props.max_receive_count {
            Some(_) => Some(t.add(
                &format!("{id}DeadLetters"),
                encrypted(key, 14, &props.tags, &format!("{name}-dead-letters")),
            )?),
            None => None,
        };
        let mut q = encrypted(key, props.retention_days, &props.tags, name)
            .visibility_timeout(props.visibility_timeout_seconds);
        if let (Some(dlq), Some(count)) = (&dlq, props.max_receive_count) {
            q = q.redrive_policy(json_object([
                (
                    "deadLetterTargetArn",
                    Value::<String>::from(dlq.arn()).into_json(),
                ),
                ("maxReceiveCount", Value::<i64>::from(count).into_json()),
            ]));
        }
        let queue = t.add(id, q)?;
        let mut targets: Vec<Value<String>> = vec![queue.arn().into()];
        let mut urls: Vec<Value<String>> = vec![queue.reference()];
        if let Some(d) = &dlq {
            targets.push(d.arn().into());
            urls.push(d.reference());
        }
        let mut deny = Statement::deny()
            .sid("DenyInsecureTransport")
            .principal(Principal::Any)
            .action("sqs:*")
            .condition("Bool", "aws:SecureTransport", "false");
        for arn in targets {
            deny = deny.resource(arn);
        }
        let policy = t.add(
            &format!("{id}Policy"),
            QueuePolicy::new(PolicyDocument::new().statement(deny).to_json(), urls),
        )?;
        Ok(EncryptedQueue {
            queue,
            dead_letter_queue: dlq,
            policy,
            key_arn: key.arn(),
        })
    }

    /// The queue's ARN.
    pub fn arn(&self) -> Value<ids::sqs::QueueArn> {
        self.queue.arn()
    }

    /// The queue's URL (`Ref`).
    pub fn url(&self) -> Value<String> {
        self.queue.reference()
    }

    /// The queue and its key, for grants.
    fn scoped_arns(&self) -> Result<[ScopedArn; 2]> {
        Ok([
            ScopedArn::attribute("sqs", "queue", self.arn())?,
            ScopedArn::attribute("kms", "key", self.key_arn.clone())?,
        ])
    }

    /// Lets `to` send messages (`sqs:SendMessage`, `sqs:GetQueueAttributes`
    /// on the queue; `kms:GenerateDataKey`, `kms:Decrypt` on its key): the
    /// inline policy `{id}-send`.
    pub fn grant_send(&self, t: &mut Template, to: &impl Grantee) -> Result<()> {
        let statements = allow(
            &[
                "sqs:SendMessage",
                "sqs:GetQueueAttributes",
                "kms:Decrypt",
                "kms:GenerateDataKey",
            ],
            &self.scoped_arns()?,
        )?;
        grant(t, to, &format!("{}-send", self.queue.id()), statements)
    }

    /// Lets `to` receive and delete messages (`sqs:ReceiveMessage`,
    /// `sqs:DeleteMessage`, `sqs:ChangeMessageVisibility`,
    /// `sqs:GetQueueAttributes`, `sqs:GetQueueUrl` on the queue;
    /// `kms:Decrypt` on its key): the inline policy `{id}-consume`.
    ///
    /// ```
    /// # use cfn_core::Template;
    /// # use cfn_patterns::{iam::PolicyDocument, kms::{EncryptionKey, KeyProps}, queue::{EncryptedQueue, QueueProps}, Tags};
    /// # use cfn_resources::iam::Role;
    /// # let (mut t, tags) = (Template::new(), Tags::new("shop", "dev"));
    /// # let key = EncryptionKey::new(&mut t, "Key", KeyProps::new("shop", &tags)).unwrap();
    /// let orders = EncryptedQueue::new(&mut t, "Orders", &key, QueueProps::new("orders", &tags)).unwrap();
    /// let worker = t.add("Worker", Role::new(PolicyDocument::assume_role("lambda.amazonaws.com").to_json())).unwrap();
    /// orders.grant_consume(&mut t, &worker).unwrap();
    /// assert!(t.synth(cfn_core::Format::Json).unwrap().contains("sqs:ReceiveMessage"));
    /// ```
    pub fn grant_consume(&self, t: &mut Template, to: &impl Grantee) -> Result<()> {
        let statements = allow(
            &[
                "sqs:ReceiveMessage",
                "sqs:DeleteMessage",
                "sqs:ChangeMessageVisibility",
                "sqs:GetQueueAttributes",
                "sqs:GetQueueUrl",
                "kms:Decrypt",
            ],
            &self.scoped_arns()?,
        )?;
        grant(t, to, &format!("{}-consume", self.queue.id()), statements)
    }
}

//! A Lambda function with its role, an encrypted log group, tracing and an
//! optional dead-letter queue.
//!
//! ```
//! use cfn_core::{Format, Template};
//! use cfn_patterns::kms::{EncryptionKey, KeyProps, KeyUser};
//! use cfn_patterns::lambda::{Code, FunctionProps, LambdaFunction};
//! use cfn_patterns::Tags;
//! use cfn_resources::lambda::function::Runtime;
//! let (mut t, tags) = (Template::new(), Tags::new("shop", "dev"));
//! let key = EncryptionKey::new(&mut t, "Key", KeyProps::new("shop", &tags).user(KeyUser::CloudWatchLogs)).unwrap();
//! let code = Code::Inline("def handler(event, context):\n    return {'statusCode': 200}\n".into());
//! let props = FunctionProps::new("api", Runtime::Python313, "index.handler", code, &tags)
//!     .env("STAGE", "dev")
//!     .dead_letter_queue(true);
//! let f = LambdaFunction::new(&mut t, "Api", &key, props).unwrap();
//! assert_eq!(f.function.id().as_str(), "Api");
//! assert!(t.resources.contains_key("ApiRole") && t.resources.contains_key("ApiDeadLetterQueue"));
//! assert!(t.synth(Format::Json).is_ok());
//! ```

use crate::alarms::{alarm, AlarmSpec, AlarmTopic};
use crate::arns::ScopedArn;
use crate::grants::{grant, Grantee};
use crate::iam::{PolicyDocument, Statement};
use crate::kms::EncryptionKey;
use crate::logs::encrypted_log_group;
use crate::queue::{EncryptedQueue, QueueProps};
use crate::tags::Tags;
use cfn_core::{Declared, Handle, Json, Result, Template, Value};
use cfn_resources::cloudwatch::Alarm;
use cfn_resources::iam::{role, Role};
use cfn_resources::ids;
use cfn_resources::lambda::{function, Function};
use cfn_resources::logs::LogGroup;
use indexmap::IndexMap;

/// Where the function's code comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Code {
    /// Source inline in the template (`ZipFile`; Node.js and Python only,
    /// up to 4 KB): the file is `index.*`.
    Inline(String),
    /// A zip in S3.
    S3 {
        /// The bucket.
        bucket: Value<ids::s3::BucketName>,
        /// The object key.
        key: Value<String>,
    },
}

/// Options of [`LambdaFunction`].
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionProps {
    /// What the function is (`api`): used in names and tags.
    pub name: String,
    /// The runtime.
    pub runtime: function::Runtime,
    /// The handler (`index.handler`).
    pub handler: String,
    /// The code.
    pub code: Code,
    /// Memory in MB. Default 256.
    pub memory_mb: i64,
    /// Timeout in seconds. Default 10.
    pub timeout_seconds: i64,
    /// Environment variables, in this order.
    pub environment: IndexMap<String, Value<String>>,
    /// X-Ray active tracing (the role gets the two X-Ray write actions).
    /// Default on.
    pub tracing: bool,
    /// Days the log group keeps logs. Default 30.
    pub log_retention_days: i64,
    /// Whether failed asynchronous invocations go to a dead-letter queue
    /// (`{id}DeadLetterQueue`, encrypted with the key, 14 days). Default
    /// off: a function invoked synchronously (behind an API) has no use for
    /// one.
    pub dead_letter_queue: bool,
    /// Extra permissions of the role (least privilege: name the ARNs);
    /// prefer the grants of the resources (`table.grant_read_write`).
    pub permissions: Vec<Statement>,
    /// Tags.
    pub tags: Tags,
}

impl FunctionProps {
    /// A function `name` with the defaults above.
    pub fn new(
        name: &str,
        runtime: function::Runtime,
        handler: &str,
        code: Code,
        tags: &Tags,
    ) -> Self {
        FunctionProps {
            name: name.to_owned(),
            runtime,
            handler: handler.to_owned(),
            code,
            memory_mb: 256,
            timeout_seconds: 10,
            environment: IndexMap::new(),
            tracing: true,
            log_retention_days: 30,
            dead_letter_queue: false,
            permissions: Vec::new(),
            tags: tags.clone(),
        }
    }
    /// Adds an environment variable.
    pub fn env(mut self, name: &str, value: impl Into<Value<String>>) -> Self {
        self.environment.insert(name.to_owned(), value.into());
        self
    }
    /// Sets every environment variable from a map.
    pub fn environment(mut self, vars: IndexMap<String, Value<String>>) -> Self {
        self.environment = vars;
        self
    }
    /// Sets memory (MB) and timeout (seconds).
    pub fn size(mut self, memory_mb: i64, timeout_seconds: i64) -> Self {
        (self.memory_mb, self.timeout_seconds) = (memory_mb, timeout_seconds);
        self
    }
    /// Turns the dead-letter queue on or off.
    pub fn dead_letter_queue(mut self, on: bool) -> Self {
        self.dead_letter_queue = on;
        self
    }
    /// Turns active tracing on or off.
    pub fn tracing(mut self, on: bool) -> Self {
        self.tracing = on;
        self
    }
    /// Sets the log retention in days.
    pub fn log_retention_days(mut self, days: i64) -> Self {
        self.log_retention_days = days;
        self
    }
    /// Adds a permission of the role.
    pub fn permission(mut self, s: Statement) -> Self {
        self.permissions.push(s);
        self
    }
}

/// The actions active tracing needs; X-Ray supports no resource-level
/// permissions for them, so they take `Resource: *`.
pub const XRAY_WRITE_ACTIONS: [&str; 2] = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"];

/// A Lambda function with what it needs to run.
///
/// Defaults: its own role (`{id}Role`, trusted by `lambda.amazonaws.com`
/// only) whose inline policy `{name}-runtime` allows only writing to its
/// log group, decrypting its environment with the key, the two X-Ray
/// actions when tracing (on `Resource: *`: they support no resource-level
/// permissions, which IAM002 knows from the IAM action catalogue) and
/// sending to its
/// dead-letter queue; a log group `{id}LogGroup` encrypted with the key,
/// kept [`FunctionProps::log_retention_days`], JSON log format; the
/// environment encrypted with the key; active tracing; 256 MB, 10 s; no
/// reserved concurrency; no VPC.
pub struct LambdaFunction {
    /// The function.
    pub function: Handle<Function>,
    /// Its role.
    pub role: Handle<Role>,
    /// Its log group.
    pub log_group: Handle<LogGroup>,
    /// Its dead-letter queue, when asked for.
    pub dead_letter_queue: Option<EncryptedQueue>,
}

impl Grantee for LambdaFunction {
    fn grant_role(&self) -> &Handle<Role> {
        &self.role
    }
}

impl LambdaFunction {
    /// Declares `{id}`, `{id}Role`, `{id}LogGroup` (and
    /// `{id}DeadLetterQueue`). The key's policy must let CloudWatch Logs use
    /// it ([`KeyUser::CloudWatchLogs`](crate::kms::KeyUser::CloudWatchLogs)).
    pub fn new(
        t: &mut Template,
        id: &str,
        key: &EncryptionKey,
        props: FunctionProps,
    ) -> Result<Self> {
        let name = props.name.as_str();
        let tags = &props.tags;
        let log_group = encrypted_log_group(
            t,
            &format!("{id}LogGroup"),
            key,
            props.log_retention_days,
            tags,
            name,
        )?;
        let dlq = if props.dead_letter_queue {
            let q = QueueProps::new(name, tags)
                .retention_days(14)
                .without_dead_letter_queue();
            Some(EncryptedQueue::new(
                t,
                &format!("{id}DeadLetterQueue"),
                key,
                q,
            )?)
        } else {
            None
        };
        let mut statements = vec![
            Statement::allow()
                .sid("WriteLogs")
                .actions(["logs:CreateLogStream", "logs:PutLogEvents"])
                .resource(
                    ScopedArn::from_format(
                        "logs",
                        "log-stream",
                        &format!("${{{}}}:*", log_group.id()),
                    )?
                    .arn()
                    .clone(),
                ),
            Statement::allow()
                .sid("DecryptEnvironment")
                .action("kms:Decrypt")
                .resource(key.arn()),
        ];
        if props.tracing {
            statements.push(
                Statement::allow()
                    .sid("WriteTraces")
                    .actions(XRAY_WRITE_ACTIONS)
                    .any_resource(),
            );
        }
        if let Some(q) = &dlq {
            statements.push(
                Statement::allow()
                    .sid("SendToDeadLetterQueue")
                    .action("sqs:SendMessage")
                    .resource(q.arn()),
            );
            statements.push(
                Statement::allow()
                    .sid("EncryptDeadLetters")
                    .actions(["kms:Decrypt", "kms:GenerateDataKey"])
                    .resource(key.arn()),
            );
        }
        statements.extend(props.permissions.iter().cloned());
        let role = Declared::new(
            Role::new(PolicyDocument::assume_role("lambda.amazonaws.com").to_json())
                .description(format!("{} {name} function", tags.prefix))
                .policies(vec![role::Policy::new(
                    PolicyDocument::new().statements(statements).to_json(),
                    format!("{name}-runtime"),
                )])
                .tags(tags.list(&format!("{name}-function"), name)),
        );
        let role = t.add(&format!("{id}Role"), role)?;

        let code = match &props.code {
            Code::Inline(source) => function::Code::new().zip_file(source.as_str()),
            Code::S3 { bucket, key } => function::Code::new()
                .s3_bucket(bucket.clone())
                .s3_key(key.clone()),
        };
        let variables: IndexMap<String, Value<Json>> = props
            .environment
            .iter()
            .map(|(k, v)| (k.clone(), v.clone().into_json()))
            .collect();
        let mut f = Function::new(code, role.arn())
            .description(format!("{} {name}", tags.prefix))
            .runtime(props.runtime)
            .handler(props.handler.as_str())
            .memory_size(props.memory_mb)
            .timeout(props.timeout_seconds)
            .kms_key_arn(key.key.arn())
            .logging_config(
                function::LoggingConfig::new()
                    .log_group(Value::<String>::from(log_group.reference()))
                    .log_format(function::LogFormat::Json),
            )
            .tags(tags.list(name, name));
        if !variables.is_empty() {
            f = f.environment(function::Environment::new().variables(variables));
        }
        if props.tracing {
            f = f.tracing_config(function::TracingConfig::new().mode(function::Mode::Active));
        }
        if let Some(q) = &dlq {
            f = f.dead_letter_config(
                function::DeadLetterConfig::new().target_arn(Value::<String>::from(q.arn())),
            );
        }
        let function = t.add(id, f)?;
        Ok(LambdaFunction {
            function,
            role,
            log_group,
            dead_letter_queue: dlq,
        })
    }

    /// The function's ARN.
    pub fn arn(&self) -> Value<ids::lambda::FunctionArn> {
        self.function.arn()
    }

    /// The function's name (`Ref`).
    pub fn name(&self) -> Value<String> {
        self.function.reference().into()
    }

    /// An alarm to `topic` when the function reports `count` or more
    /// errors (invocations that raised) within 5 minutes.
    pub fn errors_alarm(
        &self,
        t: &mut Template,
        id: &str,
        topic: &AlarmTopic,
        count: f64,
    ) -> Result<Handle<Alarm>> {
        alarm(
            t,
            id,
            topic,
            AlarmSpec {
                description: format!(
                    "{count} or more errors of {} in 5 minutes",
                    self.function.id()
                ),
                namespace: "AWS/Lambda".into(),
                metric: "Errors".into(),
                dimensions: vec![("FunctionName".into(), self.name())],
                statistic: cfn_resources::cloudwatch::alarm::Statistic::Sum,
                threshold: count,
                period: 300,
                evaluation_periods: 1,
            },
        )
    }

    /// Adds statements to the role (the inline policy `name`), for access
    /// no pattern grants.
    pub fn add_permissions(
        &self,
        t: &mut Template,
        name: &str,
        statements: impl IntoIterator<Item = Statement>,
    ) -> Result<()> {
        grant(t, self, name, statements)
    }
}

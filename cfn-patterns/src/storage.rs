//! Buckets with secure defaults: a log bucket for access logs and flow
//! logs, and KMS-encrypted data buckets.

use crate::arns::{allow, ScopedArn};
use crate::grants::{grant, Grantee, KMS_DECRYPT, KMS_ENCRYPT_DECRYPT};
use crate::iam::{deny_insecure_transport, PolicyDocument, Principal, Statement};
use crate::kms::EncryptionKey;
use crate::tags::Tags;
use cfn_core::{fns, json_list, json_object, Declared, Handle, Result, Template, Value};
use cfn_resources::s3::{bucket, Bucket, BucketPolicy};

fn public_access_block() -> bucket::PublicAccessBlockConfiguration {
    bucket::PublicAccessBlockConfiguration::new()
        .block_public_acls(true)
        .block_public_policy(true)
        .ignore_public_acls(true)
        .restrict_public_buckets(true)
}

fn owner_enforced() -> bucket::OwnershipControls {
    bucket::OwnershipControls::new(vec![bucket::OwnershipControlsRule::new()
        .object_ownership(bucket::ObjectOwnership::BucketOwnerEnforced)])
}

/// The bucket that receives S3 server access logs, VPC flow logs and load
/// balancer access logs.
///
/// Defaults: SSE-S3 (log delivery by S3 and ELB writes only to SSE-S3
/// buckets; the two lint findings this causes are suppressed in the
/// bucket's `Metadata` with that reason), versioning, all public access
/// blocked, ACLs disabled, objects expire after `retention_days`, a policy
/// that denies non-TLS requests and lets only the three delivery services
/// write under their prefixes (`s3-access/`, `flow-logs/`, `elb/`) for this
/// account, Retain on delete and replace.
pub struct LogBucket {
    /// The bucket.
    pub bucket: Handle<Bucket>,
    /// Its policy.
    pub policy: Handle<BucketPolicy>,
}

impl LogBucket {
    /// Declares `{id}` and `{id}Policy`.
    pub fn new(t: &mut Template, id: &str, retention_days: i64, tags: &Tags) -> Result<Self> {
        let b = t.add(
            id,
            Declared::new(
                Bucket::new()
                    .bucket_encryption(bucket::BucketEncryption::new(vec![bucket::ServerSideEncryptionRule::new()
                        .server_side_encryption_by_default(bucket::ServerSideEncryptionByDefault::new(
                            bucket::SseAlgorithm::Aes256,
                        ))]))
                    .versioning_configuration(bucket::VersioningConfiguration::new(
                        bucket::VersioningConfigurationStatus::Enabled,
                    ))
                    .public_access_block_configuration(public_access_block())
                    .ownership_controls(owner_enforced())
                    .lifecycle_configuration(bucket::LifecycleConfiguration::new(vec![bucket::Rule::new(
                        bucket::RuleStatus::Enabled,
                    )
                    .id("ExpireLogs")
                    .expiration_in_days(retention_days)
                    .noncurrent_version_expiration_in_days(30)]))
                    .tags(tags.list("logs", "ops")),
            )
            .retain()
            .metadata(json_object([(
                "cfnkit",
                json_object([(
                    "suppress",
                    json_list([
                        json_object([
                            ("id", "S3001".into()),
                            ("reason", "S3 server access logs and ELB access logs are delivered only to SSE-S3 buckets".into()),
                        ]),
                        json_object([
                            ("id", "S3005".into()),
                            ("reason", "this is the log bucket; logging it into itself would loop".into()),
                        ]),
                    ]),
                )]),
            )])),
        )?;
        let arn: Value<String> = b.arn().into();
        let under = |prefix: &str| fns::sub(format!("${{{id}.Arn}}/{prefix}/*"));
        let this_account = || fns::sub("${AWS::AccountId}").into_json();
        let doc = PolicyDocument::new()
            .statement(deny_insecure_transport([
                arn.clone(),
                fns::sub(format!("${{{id}.Arn}}/*")),
            ]))
            .statement(
                Statement::allow()
                    .sid("AllowServerAccessLogs")
                    .principal(Principal::Service("logging.s3.amazonaws.com".into()))
                    .action("s3:PutObject")
                    .resource(under("s3-access"))
                    .condition("StringEquals", "aws:SourceAccount", this_account()),
            )
            .statement(
                Statement::allow()
                    .sid("AllowFlowLogDelivery")
                    .principal(Principal::Service("delivery.logs.amazonaws.com".into()))
                    .action("s3:PutObject")
                    .resource(under("flow-logs"))
                    .condition("StringEquals", "aws:SourceAccount", this_account()),
            )
            .statement(
                Statement::allow()
                    .sid("AllowFlowLogAclCheck")
                    .principal(Principal::Service("delivery.logs.amazonaws.com".into()))
                    .action("s3:GetBucketAcl")
                    .resource(arn.clone())
                    .condition("StringEquals", "aws:SourceAccount", this_account()),
            )
            .statement(
                Statement::allow()
                    .sid("AllowLoadBalancerAccessLogs")
                    .principal(Principal::Service(
                        "logdelivery.elasticloadbalancing.amazonaws.com".into(),
                    ))
                    .action("s3:PutObject")
                    .resource(under("elb"))
                    .condition("StringEquals", "aws:SourceAccount", this_account()),
            );
        let policy = t.add(
            &format!("{id}Policy"),
            BucketPolicy::new(b.reference(), doc.to_json()),
        )?;
        Ok(LogBucket { bucket: b, policy })
    }

    /// The bucket's name (`Ref`).
    pub fn name(&self) -> Value<String> {
        self.bucket.reference().into()
    }
}

/// A bucket for data: assets, deployment bundles.
///
/// Defaults: SSE-KMS with the given key and S3 Bucket Keys (fewer KMS
/// calls), versioning, all public access blocked, ACLs disabled, server
/// access logs to the log bucket under `s3-access/{id}/`, a TLS-only bucket
/// policy, Retain on delete and replace.
pub struct EncryptedBucket {
    /// The bucket.
    pub bucket: Handle<Bucket>,
    /// Its policy.
    pub policy: Handle<BucketPolicy>,
    /// The ARN of the key its objects are encrypted with.
    pub key_arn: Value<String>,
}

impl EncryptedBucket {
    /// Declares `{id}` and `{id}Policy`.
    pub fn new(
        t: &mut Template,
        id: &str,
        key: &EncryptionKey,
        logs: &LogBucket,
        tags: &Tags,
        tier: &str,
    ) -> Result<Self> {
        let b = t.add(
            id,
            Declared::new(
                Bucket::new()
                    .bucket_encryption(bucket::BucketEncryption::new(vec![
                        bucket::ServerSideEncryptionRule::new()
                            .server_side_encryption_by_default(
                                bucket::ServerSideEncryptionByDefault::new(
                                    bucket::SseAlgorithm::AwsKms,
                                )
                                .kms_master_key_id(key.id()),
                            )
                            .bucket_key_enabled(true),
                    ]))
                    .versioning_configuration(bucket::VersioningConfiguration::new(
                        bucket::VersioningConfigurationStatus::Enabled,
                    ))
                    .public_access_block_configuration(public_access_block())
                    .ownership_controls(owner_enforced())
                    .logging_configuration(
                        bucket::LoggingConfiguration::new()
                            .destination_bucket_name(logs.name())
                            .log_file_prefix(format!("s3-access/{id}/")),
                    )
                    .tags(tags.list(&id.to_lowercase(), tier)),
            )
            .retain(),
        )?;
        let doc = PolicyDocument::new().statement(deny_insecure_transport([
            b.arn().into(),
            fns::sub(format!("${{{id}.Arn}}/*")),
        ]));
        let policy = t.add(
            &format!("{id}Policy"),
            BucketPolicy::new(b.reference(), doc.to_json()),
        )?;
        Ok(EncryptedBucket {
            bucket: b,
            policy,
            key_arn: key.arn(),
        })
    }

    /// The bucket's ARN.
    pub fn arn(&self) -> Value<String> {
        self.bucket.arn().into()
    }

    /// The ARN of every object (`arn/*`), for policies.
    pub fn objects_arn(&self) -> Value<String> {
        fns::sub(format!("${{{}.Arn}}/*", self.bucket.id()))
    }

    /// The bucket, its objects and its key, for grants: the bucket's `Arn`
    /// is the catalogue's `bucket` format (`arn:${Partition}:s3:::name`),
    /// and `{Arn}/*` its `object` format.
    fn scoped_arns(&self) -> Result<[ScopedArn; 3]> {
        Ok([
            ScopedArn::attribute("s3", "bucket", self.arn())?,
            ScopedArn::attribute("s3", "object", self.objects_arn())?,
            ScopedArn::attribute("kms", "key", self.key_arn.clone())?,
        ])
    }

    /// Lets `to` list the bucket and read its objects (`s3:ListBucket` on
    /// the bucket; `s3:GetObject`, `s3:GetObjectVersion` on its objects;
    /// `kms:Decrypt`, `kms:DescribeKey` on its key): the inline policy
    /// `{id}-read`.
    ///
    /// ```
    /// use cfn_core::Template;
    /// use cfn_patterns::iam::PolicyDocument;
    /// use cfn_patterns::kms::{EncryptionKey, KeyProps};
    /// use cfn_patterns::storage::{EncryptedBucket, LogBucket};
    /// use cfn_patterns::Tags;
    /// use cfn_resources::iam::Role;
    /// let (mut t, tags) = (Template::new(), Tags::new("app", "dev"));
    /// let key = EncryptionKey::new(&mut t, "Key", KeyProps::new("app", &tags)).unwrap();
    /// let logs = LogBucket::new(&mut t, "Logs", 90, &tags).unwrap();
    /// let assets = EncryptedBucket::new(&mut t, "Assets", &key, &logs, &tags, "data").unwrap();
    /// let role = t.add("Reader", Role::new(PolicyDocument::assume_role("ec2.amazonaws.com").to_json())).unwrap();
    /// assets.grant_read(&mut t, &role).unwrap();
    /// assert!(t.synth(cfn_core::Format::Json).unwrap().contains("Assets-read"));
    /// ```
    pub fn grant_read(&self, t: &mut Template, to: &impl Grantee) -> Result<()> {
        let actions: Vec<&str> = ["s3:ListBucket", "s3:GetObject", "s3:GetObjectVersion"]
            .into_iter()
            .chain(KMS_DECRYPT)
            .collect();
        let statements = allow(&actions, &self.scoped_arns()?)?;
        grant(t, to, &format!("{}-read", self.bucket.id()), statements)
    }

    /// Lets `to` list the bucket and read, write and delete its objects
    /// (`s3:ListBucket`; `s3:GetObject`, `s3:GetObjectVersion`,
    /// `s3:PutObject`, `s3:DeleteObject`; encrypt and decrypt with its key):
    /// the inline policy `{id}-read-write`.
    pub fn grant_read_write(&self, t: &mut Template, to: &impl Grantee) -> Result<()> {
        let actions: Vec<&str> = [
            "s3:ListBucket",
            "s3:GetObject",
            "s3:GetObjectVersion",
            "s3:PutObject",
            "s3:DeleteObject",
        ]
        .into_iter()
        .chain(KMS_ENCRYPT_DECRYPT)
        .collect();
        let statements = allow(&actions, &self.scoped_arns()?)?;
        grant(
            t,
            to,
            &format!("{}-read-write", self.bucket.id()),
            statements,
        )
    }
}

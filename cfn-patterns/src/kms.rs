//! A customer-managed KMS key with rotation, a least-privilege key policy
//! and an alias.

use crate::arns::{allow, ScopedArn};
use crate::grants::{grant, Grantee, KMS_DECRYPT, KMS_ENCRYPT_DECRYPT};
use crate::iam::{PolicyDocument, Principal, Statement};
use crate::tags::Tags;
use cfn_core::{fns, Declared, Handle, Result, Template, Value};
use cfn_resources::ids;
use cfn_resources::kms::{Alias, Key};

/// Who else may use the key, besides IAM principals of the account that the
/// account's policies allow.
#[derive(Debug, Clone, PartialEq)]
pub enum KeyUser {
    /// A service acting for the account (`logs.us-east-1.amazonaws.com`,
    /// `cloudwatch.amazonaws.com`): encrypt, decrypt, generate data keys.
    Service(String),
    /// The Auto Scaling service-linked role, which must create grants to
    /// launch instances with volumes encrypted by this key.
    AutoScaling,
    /// CloudWatch Logs of the stack's region, for log groups of this
    /// account (scoped with `kms:EncryptionContext:aws:logs:arn`).
    CloudWatchLogs,
}

/// Options of [`EncryptionKey`].
#[derive(Debug, Clone, PartialEq)]
pub struct KeyProps {
    /// The alias, without `alias/` (`raven-prod-data`).
    pub alias: String,
    /// What the key protects.
    pub description: String,
    /// Services and roles allowed to use it.
    pub users: Vec<KeyUser>,
    /// Tags.
    pub tags: Tags,
}

impl KeyProps {
    /// A key aliased `alias` (also its description), used by the account's
    /// IAM principals only; add service users with [`KeyProps::user`].
    pub fn new(alias: &str, tags: &Tags) -> Self {
        KeyProps {
            alias: alias.to_owned(),
            description: alias.to_owned(),
            users: Vec::new(),
            tags: tags.clone(),
        }
    }
    /// Adds a user.
    pub fn user(mut self, u: KeyUser) -> Self {
        self.users.push(u);
        self
    }
}

/// A symmetric KMS key and its alias.
///
/// Defaults, all deliberate: yearly automatic rotation on; the key policy
/// gives the account root administration (so IAM policies decide who uses
/// it; without it the key becomes unmanageable) and names each service user
/// with only encrypt/decrypt/data-key actions, scoped to this account with
/// `aws:SourceAccount`; `DeletionPolicy` and `UpdateReplacePolicy` Retain,
/// because data encrypted with a deleted key is lost.
pub struct EncryptionKey {
    /// The key.
    pub key: Handle<Key>,
    /// The alias.
    pub alias: Handle<Alias>,
}

impl EncryptionKey {
    /// Declares `{id}` and `{id}Alias`.
    pub fn new(t: &mut Template, id: &str, props: KeyProps) -> Result<Self> {
        let mut policy = PolicyDocument::new().statement(
            Statement::allow()
                .sid("AccountAdministersTheKey")
                .principal(Principal::ThisAccount)
                .action("kms:*")
                .any_resource(),
        );
        for user in &props.users {
            policy = policy.statement(match user {
                KeyUser::Service(service) => Statement::allow()
                    .sid(&format!("Allow{}", sid_of(service)))
                    .principal(Principal::Service(service.clone()))
                    .actions(["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"])
                    .any_resource()
                    .condition("StringEquals", "aws:SourceAccount", fns::sub("${AWS::AccountId}").into_json()),
                KeyUser::CloudWatchLogs => Statement::allow()
                    .sid("AllowCloudWatchLogs")
                    .principal(Principal::ServiceExpr(fns::sub("logs.${AWS::Region}.amazonaws.com")))
                    .actions(["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"])
                    .any_resource()
                    .condition(
                        "ArnLike",
                        "kms:EncryptionContext:aws:logs:arn",
                        fns::sub("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*").into_json(),
                    ),
                KeyUser::AutoScaling => Statement::allow()
                    .sid("AllowAutoScalingToLaunchEncryptedVolumes")
                    .principal(Principal::Aws(fns::sub(
                        "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
                    )))
                    .actions(["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant"])
                    .any_resource(),
            });
        }
        let key = t.add(
            id,
            Declared::new(
                Key::new()
                    .description(props.description.as_str())
                    .enable_key_rotation(true)
                    .key_policy(policy.to_json())
                    .tags(props.tags.list(&props.alias, "data")),
            )
            .retain(),
        )?;
        let alias = t.add(
            &format!("{id}Alias"),
            Alias::new(format!("alias/{}", props.alias), key.reference()),
        )?;
        Ok(EncryptionKey { key, alias })
    }

    /// The key id (`Ref`), for properties that take one.
    pub fn id(&self) -> Value<ids::kms::KeyId> {
        self.key.reference()
    }

    /// The key ARN, for policies.
    pub fn arn(&self) -> Value<String> {
        self.key.arn().into()
    }

    /// Lets `to` encrypt and decrypt with the key (`kms:Encrypt`,
    /// `kms:Decrypt`, `kms:GenerateDataKey`, `kms:DescribeKey` on this key's
    /// ARN): the inline policy `{id}-encrypt-decrypt`. The key policy lets
    /// the account's IAM policies decide, so nothing else is needed.
    ///
    /// ```
    /// use cfn_core::Template;
    /// use cfn_patterns::iam::PolicyDocument;
    /// use cfn_patterns::kms::{EncryptionKey, KeyProps};
    /// use cfn_patterns::Tags;
    /// use cfn_resources::iam::Role;
    /// let mut t = Template::new();
    /// let key = EncryptionKey::new(&mut t, "Key", KeyProps::new("app", &Tags::new("app", "dev"))).unwrap();
    /// let role = t.add("Worker", Role::new(PolicyDocument::assume_role("lambda.amazonaws.com").to_json())).unwrap();
    /// key.grant_encrypt_decrypt(&mut t, &role).unwrap();
    /// assert!(t.synth(cfn_core::Format::Json).unwrap().contains("Key-encrypt-decrypt"));
    /// ```
    pub fn grant_encrypt_decrypt(&self, t: &mut Template, to: &impl Grantee) -> Result<()> {
        let statements = allow(&KMS_ENCRYPT_DECRYPT, &[self.scoped_arn()?])?;
        grant(
            t,
            to,
            &format!("{}-encrypt-decrypt", self.key.id()),
            statements,
        )
    }

    /// Lets `to` decrypt with the key only (`kms:Decrypt`,
    /// `kms:DescribeKey`): the inline policy `{id}-decrypt`.
    pub fn grant_decrypt(&self, t: &mut Template, to: &impl Grantee) -> Result<()> {
        let statements = allow(&KMS_DECRYPT, &[self.scoped_arn()?])?;
        grant(t, to, &format!("{}-decrypt", self.key.id()), statements)
    }

    /// The key's ARN as a catalogue `key` of `kms`, for grants.
    pub fn scoped_arn(&self) -> Result<ScopedArn> {
        ScopedArn::attribute("kms", "key", self.arn())
    }
}

fn sid_of(service: &str) -> String {
    service
        .split('.')
        .next()
        .unwrap_or(service)
        .split('-')
        .map(|p| {
            let mut c = p.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

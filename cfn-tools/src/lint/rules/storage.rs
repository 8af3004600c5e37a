//! Storage rules: buckets, volumes, log groups, and keeping stateful
//! resources when the stack deletes or replaces them.

use super::helpers::*;
use super::Rule;
use crate::policy::statements;
use cfn_core::{Expr, Resource};

pub(super) const S3001: Rule = rule!("S3001", Low, "bucket not encrypted with a KMS key",
    "every bucket is encrypted (SSE-S3 by default); SSE-KMS also puts access to the data under a key policy and in CloudTrail",
    "set BucketEncryption with SSEAlgorithm aws:kms (or aws:kms:dsse) and a KMSMasterKeyID",
    |t, report| {
        for (id, r) in of_type(t, &["AWS::S3::Bucket"]) {
            let rules = prop(r, "BucketEncryption/ServerSideEncryptionConfiguration");
            let kms = rules.is_some_and(|rules| items(rules).iter().any(|rule| {
                get(rule, "ServerSideEncryptionByDefault/SSEAlgorithm").is_some_and(|a| is_intrinsic(a) || lit_str(a).is_some_and(|a| a.starts_with("aws:kms")))
            }));
            if !kms {
                report(id, format!("Resources/{id}/Properties/BucketEncryption"), "bucket is not encrypted with SSE-KMS by default".into());
            }
        }
    });

pub(super) const S3002: Rule = rule!("S3002", Medium, "bucket public access block turned off",
    "new buckets block public access unless told otherwise; a flag set to false (or left out of a declared configuration, where it defaults to false) is one ACL or policy mistake away from a public data leak",
    "set all four PublicAccessBlockConfiguration flags to true, or leave the configuration out to keep AWS's default (all blocked)",
    |t, report| {
        for (id, r) in of_type(t, &["AWS::S3::Bucket"]) {
            if prop(r, "PublicAccessBlockConfiguration").is_none_or(is_intrinsic) {
                continue;
            }
            for flag in ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"] {
                if !true_or_unknown(prop(r, &format!("PublicAccessBlockConfiguration/{flag}"))) {
                    report(id, format!("Resources/{id}/Properties/PublicAccessBlockConfiguration/{flag}"), format!("{flag} is not true"));
                }
            }
        }
    });

pub(super) const S3003: Rule = rule!(
    "S3003",
    Low,
    "bucket accepts requests without TLS",
    "without a TLS-only policy, clients may send data in clear text",
    "add a bucket policy denying s3:* when aws:SecureTransport is false",
    |t, report| {
        let bucket_policies: Vec<&Resource> = of_type(t, &["AWS::S3::BucketPolicy"])
            .map(|(_, r)| r)
            .collect();
        for (id, _) in of_type(t, &["AWS::S3::Bucket"]) {
            let covered = bucket_policies.iter().any(|p| {
                prop(p, "Bucket").is_some_and(|b| refers_to(b, id))
                    && prop(p, "PolicyDocument").is_some_and(|d| {
                        statements(d).iter().any(|(_, s)| {
                            s.get("Effect").and_then(lit_str) == Some("Deny")
                                && s.get("Condition")
                                    .and_then(|c| get(c, "Bool/aws:SecureTransport"))
                                    .is_some_and(|v| lit_bool(v) == Some(false))
                        })
                    })
            });
            if !covered {
                report(
                    id,
                    format!("Resources/{id}"),
                    "no bucket policy denies requests without aws:SecureTransport".into(),
                );
            }
        }
    }
);

pub(super) const S3004: Rule = rule!(
    "S3004",
    Low,
    "bucket versioning not enabled",
    "without versions an overwrite or delete loses data for good",
    "set VersioningConfiguration/Status: Enabled",
    |t, report| {
        for (id, r) in of_type(t, &["AWS::S3::Bucket"]) {
            let s = prop(r, "VersioningConfiguration/Status");
            if s.and_then(lit_str) != Some("Enabled") && !s.is_some_and(is_intrinsic) {
                report(
                    id,
                    format!("Resources/{id}/Properties/VersioningConfiguration"),
                    "versioning is not Enabled".into(),
                );
            }
        }
    }
);

pub(super) const S3005: Rule = rule!(
    "S3005",
    Low,
    "bucket without access logging",
    "server access logs record who read or changed objects",
    "set LoggingConfiguration/DestinationBucketName to a log bucket",
    |t, report| {
        for (id, r) in of_type(t, &["AWS::S3::Bucket"]) {
            if prop(r, "LoggingConfiguration").is_none() {
                report(
                    id,
                    format!("Resources/{id}/Properties/LoggingConfiguration"),
                    "no LoggingConfiguration".into(),
                );
            }
        }
    }
);

pub(super) const S3006: Rule = rule!("S3006", High, "bucket ACL grants public access",
    "public-read and public-read-write ACLs publish the bucket to the internet",
    "remove AccessControl (ACLs are disabled by default) and grant access through the bucket policy",
    |t, report| {
        for (id, r) in of_type(t, &["AWS::S3::Bucket"]) {
            if let Some(acl) = prop(r, "AccessControl").and_then(lit_str) {
                if acl.starts_with("Public") || acl == "AuthenticatedRead" {
                    report(id, format!("Resources/{id}/Properties/AccessControl"), format!("AccessControl is {acl}"));
                }
            }
        }
    });

pub(super) const EC2004: Rule = rule!(
    "EC2004",
    Medium,
    "EBS volume not encrypted",
    "unencrypted volumes and their snapshots expose data at rest, and cannot be encrypted in place",
    "set Encrypted: true (and KmsKeyId to a customer key)",
    |t, report| {
        for (id, r) in of_type(t, &["AWS::EC2::Volume"]) {
            if !true_or_unknown(prop(r, "Encrypted")) {
                report(
                    id,
                    format!("Resources/{id}/Properties/Encrypted"),
                    "volume is not encrypted".into(),
                );
            }
        }
        for (id, r) in of_type(
            t,
            &[
                "AWS::EC2::LaunchTemplate",
                "AWS::EC2::Instance",
                "AWS::AutoScaling::LaunchConfiguration",
            ],
        ) {
            let base = if r.type_name == "AWS::EC2::LaunchTemplate" {
                "LaunchTemplateData/BlockDeviceMappings"
            } else {
                "BlockDeviceMappings"
            };
            if let Some(Expr::List(ms)) = prop(r, base) {
                for (i, m) in ms.iter().enumerate() {
                    if get(m, "Ebs").is_some() && !true_or_unknown(get(m, "Ebs/Encrypted")) {
                        report(
                            id,
                            format!("Resources/{id}/Properties/{base}/{i}/Ebs/Encrypted"),
                            "block device volume is not encrypted".into(),
                        );
                    }
                }
            }
        }
    }
);

pub(super) const LOG001: Rule = rule!(
    "LOG001",
    Low,
    "log group keeps logs forever",
    "logs without retention grow cost and keep personal data past its purpose",
    "set RetentionInDays",
    |t, report| {
        for (id, r) in of_type(t, &["AWS::Logs::LogGroup"]) {
            if prop(r, "RetentionInDays").is_none() {
                report(
                    id,
                    format!("Resources/{id}/Properties/RetentionInDays"),
                    "no RetentionInDays".into(),
                );
            }
        }
    }
);

pub(super) const LOG002: Rule = rule!(
    "LOG002",
    Low,
    "log group not encrypted with a customer key",
    "logs are always encrypted; a customer-managed key also keeps control of who can read them",
    "set KmsKeyId to a KMS key ARN whose policy allows the logs service",
    |t, report| {
        for (id, r) in of_type(t, &["AWS::Logs::LogGroup"]) {
            if prop(r, "KmsKeyId").is_none() {
                report(
                    id,
                    format!("Resources/{id}/Properties/KmsKeyId"),
                    "no KmsKeyId".into(),
                );
            }
        }
    }
);

pub(super) const STATE001: Rule = rule!("STATE001", Medium, "stateful resource not retained",
    "deleting the stack, or a replacement, would destroy the data (the deploy gate asks first, a console delete does not)",
    "set DeletionPolicy and UpdateReplacePolicy to Retain (or Snapshot where supported)",
    |t, report| {
        for (id, r) in &t.resources {
            if !cfn_resources::schema::is_stateful(&r.type_name) {
                continue;
            }
            // an Aurora instance holds no data: the cluster's volume does,
            // and the cluster's own policy is checked
            if r.type_name == "AWS::RDS::DBInstance" && prop(r, "DBClusterIdentifier").is_some() {
                continue;
            }
            let keeps = |e: &Option<Box<Expr>>| e.as_deref().is_some_and(|p| is_intrinsic(p) || matches!(lit_str(p), Some("Retain") | Some("Snapshot") | Some("RetainExceptOnCreate")));
            if !keeps(&r.deletion_policy) {
                report(id.as_str(), format!("Resources/{id}/DeletionPolicy"), format!("{} without DeletionPolicy Retain", r.type_name));
            }
            if !keeps(&r.update_replace_policy) {
                report(id.as_str(), format!("Resources/{id}/UpdateReplacePolicy"), format!("{} without UpdateReplacePolicy Retain", r.type_name));
            }
        }
    });

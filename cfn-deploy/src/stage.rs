//! Large templates: staged in S3 under a content-addressed key and passed
//! to CloudFormation by `TemplateURL` (up to 1,000,000 bytes instead of the
//! 51,200 of an inline `TemplateBody`). The limits are `cfn-core`'s
//! ([`cfn_core::validate::limits`]).

use crate::deploy::Deployer;
use crate::error::{Error, Result};
use crate::events::{Progress, Report};
use crate::request::DeployRequest;
use crate::sdk_error::chain;
use aws_sdk_s3::error::ProvideErrorMetadata;
use cfn_core::validate::limits::{DIRECT_BODY_BYTES, S3_BODY_BYTES};
use sha2::{Digest, Sha256};

/// An S3 bucket (and key prefix) to stage templates in. Templates that fit
/// inline are still sent inline; larger ones are uploaded as
/// `PREFIX/<sha256 of the body>.json`, once: an object already under that
/// key is not uploaded again.
///
/// ```
/// let b = cfn_deploy::TemplateBucket::new("my-artifacts").prefix("cfn/");
/// assert_eq!(b.key_for("{}"), "cfn/44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a.json");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TemplateBucket {
    /// The bucket name.
    pub bucket: String,
    /// The key prefix, without a trailing `/` (empty: the bucket's root).
    pub prefix: String,
}

impl TemplateBucket {
    /// A bucket, keys at its root.
    pub fn new(bucket: impl Into<String>) -> Self {
        Self {
            bucket: bucket.into(),
            prefix: String::new(),
        }
    }
    /// Sets the key prefix (`cfn/templates`; slashes at either end are dropped).
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into().trim_matches('/').to_owned();
        self
    }
    /// The content-addressed key of a body: `PREFIX/<sha256 hex>.json`.
    pub fn key_for(&self, body: &str) -> String {
        let digest = Sha256::digest(body.as_bytes());
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        if self.prefix.is_empty() {
            format!("{hex}.json")
        } else {
            format!("{}/{hex}.json", self.prefix)
        }
    }
}

/// The S3 side of a [`Deployer`]: a client and how to write URLs for it.
#[derive(Debug, Clone)]
pub(crate) struct Staging {
    pub(crate) client: aws_sdk_s3::Client,
    /// A custom endpoint (`http://localhost:5000`): path-style URLs on it.
    pub(crate) endpoint: Option<String>,
    /// The region, for virtual-hosted URLs on AWS.
    pub(crate) region: String,
}

impl Staging {
    /// Builds the S3 client from the same configuration as CloudFormation's;
    /// path-style addressing on a custom endpoint; retries reported when
    /// asked.
    pub(crate) fn from_config(
        config: &aws_config::SdkConfig,
        endpoint: Option<&str>,
        region: &str,
        retry_log: Option<crate::RetryLog>,
    ) -> Self {
        let mut s3 = aws_sdk_s3::config::Builder::from(config).force_path_style(endpoint.is_some());
        if let Some(log) = retry_log {
            s3 = s3.interceptor(log);
        }
        Staging {
            client: aws_sdk_s3::Client::from_conf(s3.build()),
            endpoint: endpoint.map(|e| e.trim_end_matches('/').to_owned()),
            region: region.to_owned(),
        }
    }

    /// The object's URL as CloudFormation reads it.
    fn url(&self, bucket: &str, key: &str) -> String {
        match &self.endpoint {
            Some(e) => format!("{e}/{bucket}/{key}"),
            None => format!("https://{bucket}.s3.{}.amazonaws.com/{key}", self.region),
        }
    }
}

/// Where CloudFormation reads the template from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TemplateSource {
    /// Inline (`TemplateBody`).
    Body(String),
    /// Staged in S3 (`TemplateURL`).
    Url(String),
}

impl Deployer {
    /// Sets the S3 client used to stage large templates, for a deployer made
    /// by [`Deployer::from_client`] ([`Deployer::connect`] makes one from the
    /// same configuration). `endpoint_url` is the custom S3 endpoint, if any:
    /// template URLs are then path-style on it (`http://localhost:5000/BUCKET/KEY`);
    /// otherwise `https://BUCKET.s3.REGION.amazonaws.com/KEY`.
    pub fn with_s3_client(
        mut self,
        client: aws_sdk_s3::Client,
        endpoint_url: Option<&str>,
    ) -> Self {
        let region = client
            .config()
            .region()
            .map(|r| r.to_string())
            .unwrap_or_else(|| "us-east-1".into());
        self.staging = Some(std::sync::Arc::new(Staging {
            client,
            endpoint: endpoint_url.map(|e| e.trim_end_matches('/').to_owned()),
            region,
        }));
        self
    }

    /// Decides how the body reaches CloudFormation: inline when it fits
    /// (51,200 bytes), else staged in the request's bucket (up to
    /// 1,000,000 bytes; [`Error::TemplateTooLarge`] without a bucket or
    /// above that).
    pub(crate) async fn stage_template(
        &self,
        req: &DeployRequest,
        body: &str,
        report: &mut dyn Report,
    ) -> Result<TemplateSource> {
        let stack = req.stack_name.as_str();
        let too_large = |limit| Error::TemplateTooLarge {
            stack: stack.to_owned(),
            size: body.len(),
            limit,
        };
        if body.len() <= DIRECT_BODY_BYTES {
            return Ok(TemplateSource::Body(body.to_owned()));
        }
        if body.len() > S3_BODY_BYTES {
            return Err(too_large(S3_BODY_BYTES));
        }
        let (Some(bucket), Some(staging)) = (&req.template_bucket, &self.staging) else {
            return Err(too_large(DIRECT_BODY_BYTES));
        };
        let key = bucket.key_for(body);
        let fail = |operation, message| Error::TemplateUpload {
            stack: stack.to_owned(),
            bucket: bucket.bucket.clone(),
            key: key.clone(),
            operation,
            message,
        };
        let exists = match staging
            .client
            .head_object()
            .bucket(&bucket.bucket)
            .key(&key)
            .send()
            .await
        {
            Ok(_) => true,
            Err(e) if e.as_service_error().is_some_and(|s| s.is_not_found()) => false,
            Err(e) => return Err(fail("HeadObject", s3_message(&e))),
        };
        let url = staging.url(&bucket.bucket, &key);
        if exists {
            report.report(Progress::Notice(&format!(
                "template ({} bytes) already staged at s3://{}/{key}",
                body.len(),
                bucket.bucket
            )));
        } else {
            staging
                .client
                .put_object()
                .bucket(&bucket.bucket)
                .key(&key)
                .content_type("application/json")
                .body(body.as_bytes().to_vec().into())
                .send()
                .await
                .map_err(|e| fail("PutObject", s3_message(&e)))?;
            report.report(Progress::Notice(&format!(
                "template ({} bytes) uploaded to s3://{}/{key}",
                body.len(),
                bucket.bucket
            )));
        }
        Ok(TemplateSource::Url(url))
    }

    /// ValidateTemplate for an inline or staged template.
    pub(crate) async fn validate_source(&self, stack: &str, source: &TemplateSource) -> Result<()> {
        match source {
            TemplateSource::Body(body) => self.validate_body(stack, body).await,
            TemplateSource::Url(url) => self
                .client
                .validate_template()
                .template_url(url)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| self.api_error("ValidateTemplate", stack, e)),
        }
    }
}

/// S3's code and message, or the error with its causes.
fn s3_message<E, R>(e: &aws_sdk_s3::error::SdkError<E, R>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
{
    match (e.code(), e.message()) {
        (Some(c), Some(m)) => format!("{c}: {m}"),
        (Some(c), None) => c.to_owned(),
        _ => chain(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_content_addressed() {
        let b = TemplateBucket::new("b").prefix("/a/b/");
        assert_eq!(b.prefix, "a/b");
        assert_ne!(b.key_for("x"), b.key_for("y"));
        assert_eq!(b.key_for("x"), b.key_for("x"));
        assert!(TemplateBucket::new("b").key_for("x").ends_with(".json"));
        assert!(!TemplateBucket::new("b").key_for("x").contains('/'));
    }
}

//! The deploy inputs beyond the template: parameters files, S3 staging of
//! large templates, the service role, rollback and notifications; and the
//! flag names the CLI adds to library errors (`cfn-deploy` names none).

use crate::Failure;
use cfn_deploy::{DeployRequest, Error, ParameterInput, TemplateBucket};
use clap::Args;
use std::path::PathBuf;

/// Parameters files, S3 staging and stack options for `deploy`.
#[derive(Debug, Clone, Default, Args)]
pub struct InputArgs {
    /// Parameter values from a file: CloudFormation's list form
    /// (`[{"ParameterKey": "Env", "ParameterValue": "dev"}]`, also
    /// `"UsePreviousValue": true`) or a map (`{"Env": "dev"}`), JSON or YAML;
    /// `--parameter` overrides it. On an update, parameters not given keep
    /// their deployed values.
    #[arg(long, value_name = "FILE")]
    pub parameters_file: Option<PathBuf>,
    /// S3 bucket to stage templates over 51,200 bytes in (deployed by URL,
    /// up to 1,000,000 bytes; content-addressed keys, uploaded once).
    #[arg(long, value_name = "BUCKET")]
    pub s3_bucket: Option<String>,
    /// Key prefix in the `--s3-bucket` (`PREFIX/<sha256>.json`).
    #[arg(long, value_name = "PREFIX", requires = "s3_bucket")]
    pub s3_prefix: Option<String>,
    /// The IAM service role CloudFormation uses for the stack operation.
    #[arg(long, value_name = "ARN")]
    pub role_arn: Option<String>,
    /// Keep what was created or updated when the deploy fails (no rollback).
    #[arg(long)]
    pub disable_rollback: bool,
    /// An SNS topic ARN for the stack's events (repeatable).
    #[arg(long = "notification-arn", value_name = "ARN")]
    pub notification_arns: Vec<String>,
}

impl InputArgs {
    /// Uses this bucket and prefix unless `--s3-bucket` was given (a
    /// program's own bucket, see `Program::template_bucket`).
    pub(crate) fn default_bucket(&mut self, bucket: &str, prefix: &str) {
        if self.s3_bucket.is_none() {
            self.s3_bucket = Some(bucket.to_owned());
            self.s3_prefix = Some(prefix.to_owned());
        }
    }

    /// Adds these inputs to a request: the parameters file's values first,
    /// so that `--parameter` values (added after this) win.
    pub(crate) fn apply(&self, mut req: DeployRequest) -> Result<DeployRequest, Failure> {
        if let Some(path) = &self.parameters_file {
            let entries = cfn_deploy::read_parameters_file(path)
                .map_err(|e| Failure::Input(e.to_string()))?;
            for (k, input) in entries {
                req = match input {
                    ParameterInput::Value(v) => req.parameter(k, v),
                    ParameterInput::UsePrevious => req.use_previous_value(k),
                };
            }
        }
        if let Some(b) = &self.s3_bucket {
            let prefix = self.s3_prefix.clone().unwrap_or_default();
            req = req.template_bucket(TemplateBucket::new(b).prefix(prefix));
        }
        if let Some(r) = &self.role_arn {
            req = req.role_arn(r.clone());
        }
        for n in &self.notification_arns {
            req = req.notification_arn(n.clone());
        }
        Ok(req.disable_rollback(self.disable_rollback))
    }
}

/// What to do on the command line about a library error, naming the flags,
/// or `None`.
pub(crate) fn flag_hint(e: &Error) -> Option<&'static str> {
    Some(match e {
        Error::MissingCapabilities { .. } => {
            "acknowledge them with --capability (e.g. --capability CAPABILITY_IAM)"
        }
        Error::NoRegion => "pass --region (e.g. --region us-east-1)",
        Error::TemplateTooLarge { limit, .. }
            if *limit <= cfn_core::validate::limits::DIRECT_BODY_BYTES =>
        {
            "pass --s3-bucket BUCKET (and optionally --s3-prefix PREFIX) to deploy it by URL"
        }
        Error::InvalidParameters { .. } => {
            "give values with --parameter KEY=VALUE or --parameters-file FILE"
        }
        Error::UnknownProfile { .. } => "correct --profile, or leave it out to use the environment",
        _ => return None,
    })
}

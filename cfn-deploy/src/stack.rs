//! Reading a stack: its state, its deployed template, template validation.

use crate::deploy::Deployer;
use crate::error::{Error, Result};
use aws_sdk_cloudformation::types::{self as sdk, TemplateStage};
use cfn_core::Template;

/// A stack's current state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackInfo {
    /// The stack id (ARN).
    pub stack_id: String,
    /// The stack status.
    pub status: String,
    /// The status reason, if any.
    pub reason: Option<String>,
    /// Whether termination protection is on.
    pub termination_protection: bool,
}

impl Deployer {
    /// The stack's state, or `None` when it does not exist.
    pub async fn describe_stack(&self, stack: &str) -> Result<Option<StackInfo>> {
        Ok(self.describe_raw(stack).await?.and_then(|s| {
            Some(StackInfo {
                stack_id: s.stack_id().unwrap_or(stack).to_owned(),
                status: s.stack_status()?.as_str().to_owned(),
                reason: s.stack_status_reason().map(str::to_owned),
                termination_protection: s.enable_termination_protection().unwrap_or(false),
            })
        }))
    }

    /// The stack as DescribeStacks returns it, or `None` when it does not
    /// exist (a deleted stack counts as absent unless asked for by id).
    pub(crate) async fn describe_raw(&self, stack: &str) -> Result<Option<sdk::Stack>> {
        let out = match self.client.describe_stacks().stack_name(stack).send().await {
            Ok(out) => out,
            Err(e) => {
                return match self.api_error("DescribeStacks", stack, e) {
                    Error::StackNotFound { .. } => Ok(None),
                    e => Err(e),
                }
            }
        };
        Ok(out.stacks().first().cloned().filter(|s| {
            s.stack_status()
                .is_some_and(|st| st.as_str() != "DELETE_COMPLETE")
                || stack.starts_with("arn:")
        }))
    }

    /// The template of a deployed stack, as it was submitted (GetTemplate,
    /// stage Original), parsed. For `diff --against-stack`.
    ///
    /// Errors: [`Error::StackNotFound`], [`Error::DeployedTemplate`] when
    /// the text does not parse.
    pub async fn get_deployed_template(&self, stack: &str) -> Result<Template> {
        let out = self
            .client
            .get_template()
            .stack_name(stack)
            .template_stage(TemplateStage::Original)
            .send()
            .await
            .map_err(|e| self.api_error("GetTemplate", stack, e))?;
        let body = out.template_body().unwrap_or_default();
        let format = cfn_core::parse::detect_format(body);
        Template::parse_str(body, format, Some(&format!("stack:{stack}"))).map_err(|source| {
            Error::DeployedTemplate {
                stack: stack.to_owned(),
                source,
            }
        })
    }

    /// Checks a template with ValidateTemplate.
    ///
    /// Errors: [`Error::InvalidTemplate`] with CloudFormation's message.
    pub async fn validate_template(&self, stack: &str, template: &Template) -> Result<()> {
        self.validate_body(stack, &template.to_json_compact()).await
    }

    pub(crate) async fn validate_body(&self, stack: &str, body: &str) -> Result<()> {
        self.client
            .validate_template()
            .template_body(body)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| self.api_error("ValidateTemplate", stack, e))
    }
}

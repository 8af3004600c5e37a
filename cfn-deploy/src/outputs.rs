//! A deployed stack's outputs, for people and for the next pipeline step.

use crate::deploy::Deployer;
use crate::error::{Error, Result};
use std::fmt;

/// One output of a deployed stack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackOutput {
    /// The output's name (`OutputKey`).
    pub key: String,
    /// Its value.
    pub value: String,
    /// Its description, if any.
    pub description: Option<String>,
    /// The export name, if it is exported.
    pub export_name: Option<String>,
}

impl fmt::Display for StackOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} = {}", self.key, self.value)?;
        if let Some(e) = &self.export_name {
            write!(f, "  (exported as {e})")?;
        }
        Ok(())
    }
}

/// Outputs as text, one `Key = Value` line each (sorted by key).
///
/// ```
/// let o = cfn_deploy::StackOutput { key: "Url".into(), value: "https://x".into(), description: None, export_name: None };
/// assert_eq!(cfn_deploy::render_outputs_text(&[o]), "Url = https://x\n");
/// ```
pub fn render_outputs_text(outputs: &[StackOutput]) -> String {
    outputs.iter().map(|o| format!("{o}\n")).collect()
}

impl Deployer {
    /// The stack's outputs (DescribeStacks), sorted by key so that the same
    /// stack always gives the same bytes.
    ///
    /// Errors: [`Error::StackNotFound`] and the API's.
    pub async fn stack_outputs(&self, stack: &str) -> Result<Vec<StackOutput>> {
        let Some(s) = self.describe_raw(stack).await? else {
            return Err(Error::StackNotFound {
                stack: stack.to_owned(),
            });
        };
        let mut out: Vec<StackOutput> = s
            .outputs()
            .iter()
            .map(|o| StackOutput {
                key: o.output_key().unwrap_or_default().to_owned(),
                value: o.output_value().unwrap_or_default().to_owned(),
                description: o.description().map(str::to_owned),
                export_name: o.export_name().map(str::to_owned),
            })
            .collect();
        out.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(out)
    }
}

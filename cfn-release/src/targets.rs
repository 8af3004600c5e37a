//! Where a release goes: read from the deployed stack's outputs.

use crate::error::{Error, Result};
use indexmap::IndexMap;

/// The stack outputs a release reads. The defaults are the names the
/// Content Raven stack (`raven-stack`) declares; a test there keeps them in
/// step.
///
/// ```
/// let names = cfn_release::OutputNames::default();
/// assert_eq!(names.group("web"), "WebDeploymentGroupName");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputNames {
    /// The deployment bucket's name.
    pub bucket: String,
    /// The CodeDeploy application's name.
    pub application: String,
    /// Suffix of each tier's deployment group output (`{Tier}{suffix}`).
    pub group_suffix: String,
    /// The ARN of the topic the outcome is published to.
    pub topic: String,
    /// The ARN of the KMS key bundles are encrypted with (SSE-KMS).
    pub key: String,
}

impl Default for OutputNames {
    fn default() -> Self {
        OutputNames {
            bucket: "DeploymentBucketName".into(),
            application: "CodeDeployApplicationName".into(),
            group_suffix: "DeploymentGroupName".into(),
            topic: "AlertsTopicArn".into(),
            key: "DataKeyArn".into(),
        }
    }
}

impl OutputNames {
    /// The deployment group output of a tier: `web` gives `WebDeploymentGroupName`.
    pub fn group(&self, tier: &str) -> String {
        let mut c = tier.chars();
        let head: String = c
            .next()
            .map(|f| f.to_uppercase().collect())
            .unwrap_or_default();
        format!("{head}{}{}", c.as_str(), self.group_suffix)
    }

    /// Every output a release of these tiers reads, in a fixed order.
    pub fn required(&self, tiers: &[String]) -> Vec<String> {
        let mut v = vec![
            self.bucket.clone(),
            self.key.clone(),
            self.application.clone(),
        ];
        v.extend(tiers.iter().map(|t| self.group(t)));
        v.push(self.topic.clone());
        v
    }
}

/// The resolved targets of a release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Targets {
    /// The stack they come from.
    pub stack: String,
    /// The deployment bucket.
    pub bucket: String,
    /// The KMS key ARN for SSE-KMS.
    pub key_arn: String,
    /// The CodeDeploy application.
    pub application: String,
    /// Deployment group per tier, in release order.
    pub groups: IndexMap<String, String>,
    /// The topic the outcome is published to.
    pub topic_arn: String,
}

impl Targets {
    /// Resolves the targets from a stack's outputs; every missing output is
    /// named at once ([`Error::MissingOutputs`]).
    ///
    /// ```
    /// use indexmap::IndexMap;
    /// let names = cfn_release::OutputNames::default();
    /// let mut outputs = IndexMap::new();
    /// outputs.insert("DeploymentBucketName".to_string(), "bundles".to_string());
    /// let e = cfn_release::Targets::from_outputs("raven-dev", &outputs, &["web".into()], &names).unwrap_err();
    /// assert!(e.to_string().contains("DataKeyArn, CodeDeployApplicationName, WebDeploymentGroupName, AlertsTopicArn"), "{e}");
    /// ```
    pub fn from_outputs(
        stack: &str,
        outputs: &IndexMap<String, String>,
        tiers: &[String],
        names: &OutputNames,
    ) -> Result<Targets> {
        let missing: Vec<String> = names
            .required(tiers)
            .into_iter()
            .filter(|n| outputs.get(n).is_none_or(|v| v.is_empty()))
            .collect();
        if !missing.is_empty() {
            return Err(Error::MissingOutputs {
                stack: stack.to_owned(),
                missing,
            });
        }
        let get = |n: &str| outputs.get(n).cloned().unwrap_or_default();
        Ok(Targets {
            stack: stack.to_owned(),
            bucket: get(&names.bucket),
            key_arn: get(&names.key),
            application: get(&names.application),
            groups: tiers
                .iter()
                .map(|t| (t.clone(), get(&names.group(t))))
                .collect(),
            topic_arn: get(&names.topic),
        })
    }
}

//! Tags every pattern puts on what it creates.
//!
//! Every resource's tag list takes the one [`cfn_resources::Tag`], so one
//! list fits them all: `.tags(tags.list("vpc", "network"))`.

use cfn_resources::Tag;

/// `Name`, `Environment` and `Tier` tags, as (key, value) pairs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tags {
    /// Prefix of `Name` tags (`raven-prod`).
    pub prefix: String,
    /// `Environment` tag.
    pub environment: String,
}

impl Tags {
    /// Tags for an application and environment.
    pub fn new(prefix: &str, environment: &str) -> Self {
        Tags {
            prefix: prefix.to_owned(),
            environment: environment.to_owned(),
        }
    }

    /// The pairs for a resource named `name` in `tier` (`web`, `backend`,
    /// `network`, `data`, `ops`).
    pub fn pairs(&self, name: &str, tier: &str) -> Vec<(String, String)> {
        vec![
            ("Name".into(), format!("{}-{name}", self.prefix)),
            ("Environment".into(), self.environment.clone()),
            ("Tier".into(), tier.to_owned()),
        ]
    }

    /// The tags of a resource named `name` in `tier`, for any resource's
    /// `tags(..)` setter.
    pub fn list(&self, name: &str, tier: &str) -> Vec<Tag> {
        Tag::list(self.pairs(name, tier))
    }
}

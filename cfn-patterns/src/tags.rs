//! Tags every pattern puts on what it creates.

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
}

/// Builds a resource's tag list from pairs, with its own `Tag` type.
macro_rules! tag_list {
    (@optional_value $tag:path, $tags:expr, $name:expr, $tier:expr) => {
        $tags
            .pairs($name, $tier)
            .into_iter()
            .map(|(k, v)| <$tag>::new(k).value(v))
            .collect::<Vec<_>>()
    };
    ($tag:path, $tags:expr, $name:expr, $tier:expr) => {
        $tags
            .pairs($name, $tier)
            .into_iter()
            .map(|(k, v)| <$tag>::new(k, v))
            .collect::<Vec<_>>()
    };
}
pub(crate) use tag_list;

//! Logical IDs: the names of parameters, conditions, mappings, resources and
//! outputs.
//!
//! A logical ID is a public contract: renaming a resource's ID replaces the
//! resource. They are never derived from hashes or code paths here.

use crate::error::{Error, ErrorKind, Result};
use std::fmt;

/// A validated logical ID: 1 to 255 ASCII letters and digits.
///
/// ```
/// use cfn_core::LogicalId;
/// assert_eq!(LogicalId::new("WebServerGroup").unwrap().as_str(), "WebServerGroup");
/// assert!(LogicalId::new("web_server").is_err());
/// assert!(LogicalId::new("").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LogicalId(String);

impl LogicalId {
    /// The longest logical ID CloudFormation accepts.
    pub const MAX_LEN: usize = 255;

    /// Validates `id`.
    pub fn new(id: impl Into<String>) -> Result<Self> {
        let id = id.into();
        match Self::problem(&id) {
            None => Ok(LogicalId(id)),
            Some(reason) => Err(Error::new(ErrorKind::InvalidLogicalId { id, reason })),
        }
    }

    /// Why `id` is not a valid logical ID, or `None` when it is.
    pub fn problem(id: &str) -> Option<String> {
        if id.is_empty() {
            return Some("it is empty".into());
        }
        if id.len() > Self::MAX_LEN {
            return Some(format!("it is {} characters long", id.len()));
        }
        id.chars()
            .find(|c| !c.is_ascii_alphanumeric())
            .map(|c| format!("it contains {c:?}"))
    }

    /// The ID as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Wraps an already validated ID (used by the parser, which reports
    /// invalid IDs as validation errors instead of failing).
    pub(crate) fn unchecked(id: impl Into<String>) -> Self {
        LogicalId(id.into())
    }
}

impl fmt::Display for LogicalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::borrow::Borrow<str> for LogicalId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for LogicalId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl TryFrom<&str> for LogicalId {
    type Error = Error;
    fn try_from(v: &str) -> Result<Self> {
        LogicalId::new(v)
    }
}

impl TryFrom<String> for LogicalId {
    type Error = Error;
    fn try_from(v: String) -> Result<Self> {
        LogicalId::new(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_long_and_punctuated_ids() {
        assert!(LogicalId::new("a".repeat(255)).is_ok());
        let e = LogicalId::new("a".repeat(256)).unwrap_err();
        assert!(e.to_string().contains("256 characters"));
        let e = LogicalId::new("Web-1").unwrap_err();
        assert!(e.to_string().contains("'-'"), "{e}");
        assert!(LogicalId::new("Ünï").is_err());
    }
}

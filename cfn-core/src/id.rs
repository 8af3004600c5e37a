//! Logical IDs: the names of parameters, conditions, mappings, resources and
//! outputs.
//!
//! A logical ID is a public contract: renaming a resource's ID replaces the
//! resource. They are never derived from hashes or code paths here.

use crate::error::{Error, ErrorKind, Result};
use crate::template::TemplateId;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

/// A validated logical ID: 1 to 255 ASCII letters and digits.
///
/// ```
/// use cfn_core::LogicalId;
/// assert_eq!(LogicalId::new("WebServerGroup").unwrap().as_str(), "WebServerGroup");
/// assert!(LogicalId::new("web_server").is_err());
/// assert!(LogicalId::new("").is_err());
/// ```
///
/// An ID returned by a [`Template`](crate::Template)'s `add_*` methods (and
/// so every handle's) also remembers that template, so that a value built
/// from it is refused by another template (see
/// [`Template::add`](crate::Template::add)). Equality, ordering, hashing and
/// `Debug` look at the name only.
#[derive(Clone)]
pub struct LogicalId(String, Option<TemplateId>);

impl PartialEq for LogicalId {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}
impl Eq for LogicalId {}
impl Hash for LogicalId {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state)
    }
}
impl PartialOrd for LogicalId {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for LogicalId {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.cmp(&other.0)
    }
}
impl fmt::Debug for LogicalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("LogicalId").field(&self.0).finish()
    }
}

impl LogicalId {
    /// The longest logical ID CloudFormation accepts.
    pub const MAX_LEN: usize = 255;

    /// Validates `id`.
    pub fn new(id: impl Into<String>) -> Result<Self> {
        let id = id.into();
        match Self::problem(&id) {
            None => Ok(LogicalId(id, None)),
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

    /// The template that declared this ID, when it came from one of its
    /// `add_*` methods or a handle lookup; `None` for IDs made by
    /// [`LogicalId::new`] or parsed.
    pub fn template(&self) -> Option<TemplateId> {
        self.1
    }

    /// The same ID, remembering `template` as the one that declared it.
    pub(crate) fn in_template(mut self, template: TemplateId) -> Self {
        self.1 = Some(template);
        self
    }

    /// Wraps an already validated ID (used by the parser, which reports
    /// invalid IDs as validation errors instead of failing).
    pub(crate) fn unchecked(id: impl Into<String>) -> Self {
        LogicalId(id.into(), None)
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

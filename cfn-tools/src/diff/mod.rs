//! A semantic diff between two templates.
//!
//! Resources are matched by logical id. Each modification is classified from
//! the registry schemas' create-only properties ([`SchemaFacts`]): in place,
//! conditional (may replace) or replacement. Removing or replacing a
//! stateful resource is called out. IAM statements and security-group rules
//! get tables of their own. Key order and whitespace never show as changes:
//! the templates are compared as data.
//!
//! ```
//! use cfn_core::Template;
//! use cfn_tools::diff::{diff, Impact, StaticFacts};
//! let old = Template::from_yaml("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: a}\n").unwrap();
//! let new = Template::from_yaml("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: b}\n").unwrap();
//! let facts = StaticFacts::new().create_only("AWS::S3::Bucket", &["/properties/BucketName"]);
//! let d = diff(&old, &new, &facts);
//! assert_eq!(d.resources[0].impact, Impact::Replacement);
//! assert!(d.has_replacement());
//! ```

mod compute;
mod impact;
mod leaves;
mod render;
mod tables;

pub use compute::diff;
pub use render::{render_json, render_markdown, render_text};

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::Value as Json;

/// What the diff needs to know about resource types.
pub trait SchemaFacts {
    /// Create-only property pointers (`/properties/VpcId`,
    /// `/properties/Rules/*/Id`), or `None` when the type is unknown.
    fn create_only(&self, type_name: &str) -> Option<Vec<String>>;
    /// Conditionally create-only property pointers.
    fn conditional_create_only(&self, type_name: &str) -> Vec<String>;
}

/// Facts given by hand (for tests and for types outside the schemas).
/// Which types hold data is not a fact a caller can give: the diff always
/// asks [`cfn_resources::schema::is_stateful`], like lint and deploy.
#[derive(Debug, Clone, Default)]
pub struct StaticFacts {
    create_only: IndexMap<String, Vec<String>>,
    conditional: IndexMap<String, Vec<String>>,
}

impl StaticFacts {
    /// No facts: every type is unknown.
    pub fn new() -> Self {
        Self::default()
    }
    /// Declares a type's create-only pointers.
    pub fn create_only(mut self, type_name: &str, pointers: &[&str]) -> Self {
        self.create_only.insert(
            type_name.to_owned(),
            pointers.iter().map(|p| p.to_string()).collect(),
        );
        self
    }
    /// Declares a type's conditionally create-only pointers.
    pub fn conditional(mut self, type_name: &str, pointers: &[&str]) -> Self {
        self.conditional.insert(
            type_name.to_owned(),
            pointers.iter().map(|p| p.to_string()).collect(),
        );
        self.create_only.entry(type_name.to_owned()).or_default();
        self
    }
}

impl SchemaFacts for StaticFacts {
    fn create_only(&self, type_name: &str) -> Option<Vec<String>> {
        self.create_only.get(type_name).cloned()
    }
    fn conditional_create_only(&self, type_name: &str) -> Vec<String> {
        self.conditional.get(type_name).cloned().unwrap_or_default()
    }
}

/// How an update affects a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Impact {
    /// Updated in place.
    InPlace,
    /// May be replaced (a conditionally create-only property, or a type the
    /// schemas do not describe).
    Conditional,
    /// Replaced: a new physical resource, the old one deleted.
    Replacement,
}

impl Impact {
    fn label(self) -> &'static str {
        match self {
            Impact::InPlace => "in place",
            Impact::Conditional => "may replace",
            Impact::Replacement => "REPLACEMENT",
        }
    }
}

/// Added, removed or modified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// Only in the new template.
    Added,
    /// Only in the old template.
    Removed,
    /// In both, different.
    Modified,
}

impl ChangeKind {
    fn mark(self) -> &'static str {
        match self {
            ChangeKind::Added => "+",
            ChangeKind::Removed => "-",
            ChangeKind::Modified => "~",
        }
    }
}

/// One changed value inside a resource.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PropertyChange {
    /// Path inside the resource (`Properties/VpcId`, `DeletionPolicy`).
    pub path: String,
    /// The old value (absent when added).
    pub old: Option<Json>,
    /// The new value (absent when removed).
    pub new: Option<Json>,
    /// What this change does to the resource.
    pub impact: Impact,
}

/// One resource's change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResourceDiff {
    /// Logical id.
    pub id: String,
    /// Type (the new one when it changed).
    pub type_name: String,
    /// Added, removed or modified.
    pub kind: ChangeKind,
    /// For modifications: the strongest impact of its changes.
    pub impact: Impact,
    /// Whether the type holds data.
    pub stateful: bool,
    /// Whether the old template retains it (DeletionPolicy/UpdateReplacePolicy Retain).
    pub retained: bool,
    /// The changed values (modifications only).
    pub changes: Vec<PropertyChange>,
    /// When its replacement comes from another resource's: the replaced
    /// resource it references in a create-only property (`Vpc` for a
    /// subnet whose `VpcId` is `!Ref Vpc`). `None` for its own changes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaced_because: Option<String>,
}

/// A changed entry of Parameters, Outputs, exports, Conditions, Mappings or
/// a top-level section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntryChange {
    /// The entry's name.
    pub name: String,
    /// Added, removed or modified.
    pub kind: ChangeKind,
    /// Old value.
    pub old: Option<Json>,
    /// New value.
    pub new: Option<Json>,
}

/// An IAM policy statement added or removed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatementChange {
    /// The resource holding the policy.
    pub resource: String,
    /// Added or removed.
    pub kind: ChangeKind,
    /// `Allow` or `Deny`.
    pub effect: String,
    /// Principal (compact JSON), if any.
    pub principal: String,
    /// Actions.
    pub action: String,
    /// Resources.
    pub target: String,
    /// Condition (compact JSON), if any.
    pub condition: String,
}

/// A security-group rule added or removed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SgRuleChange {
    /// The resource holding the rule.
    pub resource: String,
    /// Added or removed.
    pub kind: ChangeKind,
    /// `ingress` or `egress`.
    pub direction: &'static str,
    /// Protocol.
    pub protocol: String,
    /// Port or range.
    pub ports: String,
    /// CIDR, prefix list or security group.
    pub peer: String,
}

/// Everything that differs.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TemplateDiff {
    /// Resource changes, in template order (old order, then new additions).
    pub resources: Vec<ResourceDiff>,
    /// Parameter changes.
    pub parameters: Vec<EntryChange>,
    /// Output changes.
    pub outputs: Vec<EntryChange>,
    /// Export name changes (what other stacks import).
    pub exports: Vec<EntryChange>,
    /// Condition, mapping, rule and top-level section changes.
    pub other: Vec<EntryChange>,
    /// IAM statements added or removed.
    pub iam: Vec<StatementChange>,
    /// Security-group rules added or removed.
    pub security_groups: Vec<SgRuleChange>,
}

impl TemplateDiff {
    /// Whether the templates are the same as data.
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty()
            && self.parameters.is_empty()
            && self.outputs.is_empty()
            && self.exports.is_empty()
            && self.other.is_empty()
    }

    /// Whether any resource would be replaced, a stateful one possibly
    /// replaced, or a stateful one removed.
    pub fn has_replacement(&self) -> bool {
        self.resources.iter().any(|r| {
            (r.kind == ChangeKind::Modified && r.impact == Impact::Replacement)
                || self.data_at_risk_of(r).is_some()
        })
    }

    fn data_at_risk_of<'a>(&self, r: &'a ResourceDiff) -> Option<&'a ResourceDiff> {
        (r.stateful
            && (r.kind == ChangeKind::Removed
                || (r.kind == ChangeKind::Modified && r.impact != Impact::InPlace)))
            .then_some(r)
    }

    /// The stateful resources that would be replaced or deleted.
    pub fn data_at_risk(&self) -> Vec<&ResourceDiff> {
        self.resources
            .iter()
            .filter_map(|r| self.data_at_risk_of(r))
            .collect()
    }
}

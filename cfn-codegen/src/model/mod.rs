//! From registry schemas to a model of the Rust to generate: resources,
//! nested property structs, enums, attributes and identifier markers.

mod builder;
mod markers;
mod nodes;

pub use builder::Builder;
pub use markers::{parse_id_format, service_of, Markers};
pub use nodes::clean_doc;

use serde_json::Value as J;

/// The Rust type of a property.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ty {
    /// `String`.
    String,
    /// `i64`.
    Int,
    /// `f64`.
    Num,
    /// `bool`.
    Bool,
    /// Free-form JSON (`cfn_core::Json`).
    Json,
    /// An identifier marker, by format key (`AWS::EC2::VPC.Id`).
    Id(String),
    /// A list.
    List(Box<Ty>),
    /// A map from strings.
    Map(Box<Ty>),
    /// A struct or enum of the resource's submodule.
    Named(String),
}

/// One identifier marker type of the always-compiled `ids` module.
#[derive(Clone, Debug)]
pub struct Marker {
    /// Service module (`ec2`).
    pub service: String,
    /// Type name (`VpcId`).
    pub name: String,
    /// Resource type (`AWS::EC2::VPC`).
    pub type_name: String,
    /// Attribute (`Id`).
    pub attr: String,
    /// For a union marker (a field that accepts several forms, see
    /// `refs::UNIONS`): the member keys; empty otherwise.
    pub members: Vec<String>,
}

impl Marker {
    /// The path from a generated module (`ids::ec2::VpcId`).
    pub fn path(&self) -> String {
        format!("ids::{}::{}", self.service, self.name)
    }
    /// The format key (`AWS::EC2::VPC.Id`).
    pub fn key(&self) -> String {
        if !self.members.is_empty() {
            return self.members.join("|");
        }
        format!("{}.{}", self.type_name, self.attr)
    }
}

/// A settable property.
#[derive(Clone, Debug)]
pub struct Field {
    /// Rust method name (`vpc_id`, `r#type`).
    pub rust: String,
    /// Schema name (`VpcId`).
    pub key: String,
    /// Rust type.
    pub ty: Ty,
    /// Required (a constructor argument).
    pub required: bool,
    /// Create-only: changing it replaces the resource.
    pub create_only: bool,
    /// Cleaned description.
    pub doc: String,
    /// Documentation link.
    pub url: String,
    /// The property's schema with primitive aliases followed (constraints).
    pub node: J,
}

/// A nested property struct.
#[derive(Clone, Debug)]
pub struct Struct {
    /// Rust name.
    pub name: String,
    /// Cleaned description.
    pub doc: String,
    /// Documentation link.
    pub url: String,
    /// Fields, in schema order.
    pub fields: Vec<Field>,
    /// `oneOf`/`anyOf` branches that only list required properties.
    pub required_alternatives: Vec<Vec<String>>,
    /// `minProperties`.
    pub min_properties: usize,
}

impl Struct {
    fn placeholder() -> Struct {
        Struct {
            name: String::new(),
            doc: String::new(),
            url: String::new(),
            fields: Vec::new(),
            required_alternatives: Vec::new(),
            min_properties: 0,
        }
    }
}

/// A string enum.
#[derive(Clone, Debug)]
pub struct Enum {
    /// Rust name.
    pub name: String,
    /// Cleaned description.
    pub doc: String,
    /// `(variant, value)`.
    pub variants: Vec<(String, String)>,
}

/// A nested item of a resource's submodule.
#[derive(Clone, Debug)]
pub enum Item {
    /// A property struct.
    Struct(Struct),
    /// A string enum.
    Enum(Enum),
    /// A tag-shaped definition (see [`is_tag_shape`]): the submodule
    /// re-exports the hand-written `cfn_resources::Tag` under this name.
    /// The struct is kept for the minimal-instance tests (constraints of
    /// `Key` and `Value`).
    Tag(Struct),
}

impl Item {
    /// The Rust name in the resource's submodule.
    pub fn name(&self) -> &str {
        match self {
            Item::Struct(s) | Item::Tag(s) => &s.name,
            Item::Enum(e) => &e.name,
        }
    }
}

/// Whether a built struct is a tag: named as one (a word `Tag` or `Tags`:
/// `Tag`, `Tags`, `ResourceTag`, `TagsEntry`) and tag-shaped (exactly the
/// properties `Key` and `Value`, both plain strings: no enum, no identifier
/// marker). Such a struct is the shared `cfn_resources::Tag`, whatever the
/// schema says of required-ness and constraints: `Tag::new(key, value)`
/// sets both (what every schema accepts), `Tag::key_only(key)` only the key,
/// and lengths, patterns and required-ness stay checked by the schema
/// validator on the rendered JSON, which the shared type renders exactly
/// like a per-resource one (`Key` then `Value`, as every schema lists
/// them). Key/value pairs that are not tags (`LoadBalancerAttribute`,
/// `EnvironmentVariable`) keep their own struct.
pub fn is_tag_shape(name: &str, node: &J, fields: &[Field]) -> bool {
    let props = node.get("properties").and_then(J::as_object);
    crate::naming::words(name)
        .iter()
        .any(|w| w == "Tag" || w == "Tags")
        && props.is_some_and(|p| p.len() == 2)
        && fields.len() == 2
        && fields[0].key == "Key"
        && fields[1].key == "Value"
        && fields.iter().all(|f| f.ty == Ty::String)
}

/// A `Fn::GetAtt` attribute.
#[derive(Clone, Debug)]
pub struct Attr {
    /// Getter name.
    pub rust: String,
    /// Attribute name (`Endpoint.Address`).
    pub key: String,
    /// Rust type.
    pub ty: Ty,
    /// Cleaned description.
    pub doc: String,
}

/// One resource type.
#[derive(Clone, Debug)]
pub struct Resource {
    /// `AWS::EC2::Subnet`.
    pub type_name: String,
    /// Service module and feature (`ec2`).
    pub service: String,
    /// Struct name (`Subnet`).
    pub name: String,
    /// Submodule of nested types (`subnet`).
    pub module: String,
    /// Cleaned description.
    pub doc: String,
    /// Documentation link.
    pub url: String,
    /// Settable properties.
    pub fields: Vec<Field>,
    /// Top-level required alternatives (`oneOf: [{required: [..]}, ..]`).
    pub required_alternatives: Vec<Vec<String>>,
    /// Attributes.
    pub attrs: Vec<Attr>,
    /// Read-only pointers through arrays, not offered as attributes.
    pub skipped_attrs: Vec<String>,
    /// The marker `Ref` returns, by format key.
    pub ref_marker: Option<String>,
    /// Nested structs and enums.
    pub items: Vec<Item>,
}

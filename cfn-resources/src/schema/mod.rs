//! Schema facts of every registry type, whatever features are on, and an
//! offline check of rendered properties against them.
//!
//! The facts are the registry schemas without documentation
//! (`src/generated/schema_facts.txt`, one line per type); a type's line is
//! parsed on its first [`lookup`] and kept for the life of the process.
//! SAM's resource types and `Globals` come from SAM's own schema
//! (`sam/sam_facts.txt`, [`validate_sam_properties`], [`validate_sam_globals`]).
//! They are always compiled in because tools (validate, diff) meet types of
//! any service in templates they read, not only the types of the enabled
//! features; embedding costs ~7 MB of binary and no compile time to speak of.
//!
//! ```
//! use cfn_core::{Expr, ExprMap};
//! use cfn_resources::schema;
//!
//! let bucket = schema::lookup("AWS::S3::Bucket").unwrap();
//! assert!(bucket.stateful);
//! assert!(bucket.is_create_only("BucketName"));
//! let mut props = ExprMap::new();
//! props.insert("BucketNam".into(), Expr::from("assets"));
//! let problems = schema::validate_properties(bucket, &props);
//! assert_eq!(
//!     problems[0].to_string(),
//!     "Properties/BucketNam: unknown property `BucketNam`; did you mean `BucketName`?"
//! );
//! ```

pub mod iam;
mod runtimes;
mod sam;
mod stateful;
mod validate;

pub use runtimes::{lambda_runtime, LambdaRuntime, RUNTIMES_AS_OF};
pub use sam::{
    is_sam_type, sam_globals_sections, sam_type_names, sam_version, validate_sam_globals,
    validate_sam_properties,
};
pub use stateful::{is_stateful, stateful, Stateful, STATEFUL, STATEFUL_TYPES};
pub use validate::{validate_properties, Problem, ProblemKind};

use indexmap::IndexMap;
use serde_json::Value as J;
use std::sync::OnceLock;

static FACTS: &str = include_str!("../generated/schema_facts.txt");

/// The JSON types a schema node accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JsonType {
    /// `string`.
    String,
    /// `integer`.
    Integer,
    /// `number`.
    Number,
    /// `boolean`.
    Boolean,
    /// `array`.
    Array,
    /// `object`.
    Object,
    /// `null`.
    Null,
}

impl JsonType {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "string" => JsonType::String,
            "integer" => JsonType::Integer,
            "number" => JsonType::Number,
            "boolean" => JsonType::Boolean,
            "array" => JsonType::Array,
            "object" => JsonType::Object,
            "null" => JsonType::Null,
            _ => return None,
        })
    }
    /// The name as written in schemas.
    pub fn as_str(self) -> &'static str {
        match self {
            JsonType::String => "string",
            JsonType::Integer => "integer",
            JsonType::Number => "number",
            JsonType::Boolean => "boolean",
            JsonType::Array => "array",
            JsonType::Object => "object",
            JsonType::Null => "null",
        }
    }
}

/// What kind of value a property holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Kind {
    /// A string.
    String,
    /// An integer.
    Integer,
    /// A number.
    Number,
    /// A boolean.
    Boolean,
    /// A list.
    List,
    /// An object with named properties.
    Object,
    /// A map from names to values (`patternProperties`).
    Map,
    /// A definition of the type (see [`Node::reference`]).
    Reference,
    /// Free-form JSON, or several types at once.
    Json,
}

/// One schema node: a property, a definition or an item schema.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Node {
    /// Accepted JSON types (empty: any).
    pub types: Vec<JsonType>,
    /// The definition this node refers to (`#/definitions/X` gives `X`).
    pub reference: Option<String>,
    /// Allowed values.
    pub enum_values: Vec<J>,
    /// ECMAScript pattern for strings.
    pub pattern: Option<String>,
    /// Minimum string length.
    pub min_length: Option<u64>,
    /// Maximum string length.
    pub max_length: Option<u64>,
    /// Minimum value.
    pub minimum: Option<f64>,
    /// Maximum value.
    pub maximum: Option<f64>,
    /// Minimum list length.
    pub min_items: Option<u64>,
    /// Maximum list length.
    pub max_items: Option<u64>,
    /// `format` (`ipv4-network`, `AWS::EC2::VPC.Id`, ...).
    pub format: Option<String>,
    /// Item schema of lists.
    pub items: Option<Box<Node>>,
    /// Named properties of objects.
    pub properties: IndexMap<String, Node>,
    /// Required properties of objects.
    pub required: Vec<String>,
    /// Whether properties other than the named ones are rejected.
    pub closed: bool,
    /// `patternProperties`: key pattern and value schema.
    pub pattern_properties: Vec<(String, Node)>,
}

impl Node {
    fn parse(v: &J) -> Node {
        let mut n = Node::default();
        let Some(o) = v.as_object() else { return n };
        match o.get("type") {
            Some(J::String(s)) => n.types.extend(JsonType::parse(s)),
            Some(J::Array(a)) => n
                .types
                .extend(a.iter().filter_map(J::as_str).filter_map(JsonType::parse)),
            _ => {}
        }
        n.reference = o
            .get("$ref")
            .and_then(J::as_str)
            .and_then(|r| r.strip_prefix("#/definitions/"))
            .map(str::to_owned);
        if let Some(e) = o.get("enum").and_then(J::as_array) {
            n.enum_values = e.clone();
        }
        n.pattern = o.get("pattern").and_then(J::as_str).map(str::to_owned);
        n.min_length = o.get("minLength").and_then(J::as_u64);
        n.max_length = o.get("maxLength").and_then(J::as_u64);
        n.minimum = o.get("minimum").and_then(J::as_f64);
        n.maximum = o.get("maximum").and_then(J::as_f64);
        n.min_items = o.get("minItems").and_then(J::as_u64);
        n.max_items = o.get("maxItems").and_then(J::as_u64);
        n.format = o.get("format").and_then(J::as_str).map(str::to_owned);
        n.items = o
            .get("items")
            .filter(|i| i.is_object())
            .map(|i| Box::new(Node::parse(i)));
        if let Some(p) = o.get("properties").and_then(J::as_object) {
            n.properties = p.iter().map(|(k, v)| (k.clone(), Node::parse(v))).collect();
        }
        n.required = strings(o.get("required"));
        n.closed = o.get("additionalProperties") == Some(&J::Bool(false));
        if let Some(p) = o.get("patternProperties").and_then(J::as_object) {
            n.pattern_properties = p.iter().map(|(k, v)| (k.clone(), Node::parse(v))).collect();
        }
        n
    }

    /// What kind of value the node holds.
    pub fn kind(&self) -> Kind {
        if self.reference.is_some() {
            return Kind::Reference;
        }
        match self.types.as_slice() {
            [JsonType::String] => Kind::String,
            [JsonType::Integer] => Kind::Integer,
            [JsonType::Number] => Kind::Number,
            [JsonType::Boolean] => Kind::Boolean,
            [JsonType::Array] => Kind::List,
            [JsonType::Object] | [] if !self.properties.is_empty() => Kind::Object,
            [JsonType::Object] if !self.pattern_properties.is_empty() => Kind::Map,
            _ => Kind::Json,
        }
    }
}

fn strings(v: Option<&J>) -> Vec<String> {
    v.and_then(J::as_array)
        .map(|a| a.iter().filter_map(J::as_str).map(str::to_owned).collect())
        .unwrap_or_default()
}

/// The facts of one resource type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeSchema {
    /// `AWS::S3::Bucket`.
    pub type_name: &'static str,
    /// Top-level properties.
    pub properties: IndexMap<String, Node>,
    /// Definitions referred to by nodes.
    pub definitions: IndexMap<String, Node>,
    /// Required top-level properties.
    pub required: Vec<String>,
    /// Pointers to create-only properties (`/properties/VpcId`): changing
    /// them replaces the resource.
    pub create_only: Vec<String>,
    /// Pointers to properties whose change may replace the resource.
    pub conditional_create_only: Vec<String>,
    /// Pointers to read-only properties (attributes).
    pub read_only: Vec<String>,
    /// Pointers to write-only properties.
    pub write_only: Vec<String>,
    /// Pointers to the primary identifier.
    pub primary_identifier: Vec<String>,
    /// Whether the type holds data ([`is_stateful`]).
    pub stateful: bool,
}

impl TypeSchema {
    fn parse(type_name: &'static str, json: &str) -> TypeSchema {
        let v: J = serde_json::from_str(json).unwrap_or(J::Null);
        let map = |k: &str| -> IndexMap<String, Node> {
            v.get(k)
                .and_then(J::as_object)
                .map(|m| m.iter().map(|(k, v)| (k.clone(), Node::parse(v))).collect())
                .unwrap_or_default()
        };
        TypeSchema {
            type_name,
            properties: map("properties"),
            definitions: map("definitions"),
            required: strings(v.get("required")),
            create_only: strings(v.get("createOnlyProperties")),
            conditional_create_only: strings(v.get("conditionalCreateOnlyProperties")),
            read_only: strings(v.get("readOnlyProperties")),
            write_only: strings(v.get("writeOnlyProperties")),
            primary_identifier: strings(v.get("primaryIdentifier")),
            stateful: is_stateful(type_name),
        }
    }

    /// Whether changing top-level `property` replaces the resource.
    pub fn is_create_only(&self, property: &str) -> bool {
        self.create_only
            .iter()
            .any(|p| p.strip_prefix("/properties/") == Some(property))
    }

    /// Whether top-level `property` is read-only (an attribute, not settable).
    pub fn is_read_only(&self, property: &str) -> bool {
        self.read_only
            .iter()
            .any(|p| p.strip_prefix("/properties/") == Some(property))
    }

    /// The definition `name`.
    pub fn definition(&self, name: &str) -> Option<&Node> {
        self.definitions.get(name)
    }

    /// Follows a node's reference to its definition (once).
    pub fn resolve<'a>(&'a self, node: &'a Node) -> &'a Node {
        match &node.reference {
            Some(r) => self.definitions.get(r).unwrap_or(node),
            None => node,
        }
    }
}

struct Index {
    names: Vec<&'static str>,
    lines: Vec<&'static str>,
    cells: Vec<OnceLock<TypeSchema>>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut names = Vec::new();
        let mut lines = Vec::new();
        for line in FACTS.lines() {
            if let Some((name, json)) = line.split_once('\t') {
                names.push(name);
                lines.push(json);
            }
        }
        let cells = names.iter().map(|_| OnceLock::new()).collect();
        Index {
            names,
            lines,
            cells,
        }
    })
}

/// The facts of a registry type (`AWS::S3::Bucket`), whatever features are on.
pub fn lookup(type_name: &str) -> Option<&'static TypeSchema> {
    let idx = index();
    let i = idx.names.binary_search(&type_name).ok()?;
    Some(idx.cells[i].get_or_init(|| TypeSchema::parse(idx.names[i], idx.lines[i])))
}

/// Every registry type name, sorted.
pub fn type_names() -> impl Iterator<Item = &'static str> {
    index().names.iter().copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_cover_every_type() {
        assert_eq!(type_names().count(), 1854);
        let subnet = lookup("AWS::EC2::Subnet").unwrap();
        assert_eq!(subnet.required, ["VpcId"]);
        assert!(subnet.is_create_only("VpcId"));
        assert!(subnet.is_read_only("SubnetId"));
        assert_eq!(
            subnet.properties["VpcId"].format.as_deref(),
            Some("AWS::EC2::VPC.Id")
        );
        assert_eq!(
            subnet.properties["MapPublicIpOnLaunch"].kind(),
            Kind::Boolean
        );
        assert!(!subnet.stateful);
        assert!(lookup("AWS::Nope::Nope").is_none());
    }
}

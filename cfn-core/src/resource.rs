//! Resources: the `Resources` entry, its attributes (DependsOn, Condition,
//! DeletionPolicy, UpdateReplacePolicy, UpdatePolicy, CreationPolicy,
//! Metadata) and the typed handle a declared resource returns. `UpdatePolicy`
//! and `CreationPolicy` are in `resource/update_policy.rs`.

use crate::expr::{Expr, ExprMap, Intrinsic};
use crate::id::LogicalId;
use crate::template::ConditionHandle;
use crate::value::{Json, Origin, Value};
use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

mod update_policy;
pub use update_policy::{
    CreationPolicy, RollingUpdate, UpdatePolicy, CREATION_POLICY_KEYS, ROLLING_UPDATE_KEYS,
    UPDATE_POLICY_KEYS,
};

/// The key under a resource's `Metadata` that holds lint suppressions
/// (`cfnkit: suppress: [{id, reason}]`), written by [`Declared::suppress`]
/// and read by `cfn_tools::lint`.
pub const SUPPRESS_METADATA_KEY: &str = "cfnkit";

/// A resource type with typed properties.
///
/// Generated types in `cfn-resources` implement it; so does [`Raw`] for any
/// type given by name. `Ref` and `Attributes` say what the handle returned by
/// [`Template::add`](crate::Template::add) offers.
pub trait ResourceType {
    /// What `Ref` returns (an id marker such as a VPC id, or `String`).
    type Ref;
    /// The typed `Fn::GetAtt` getters, built from the logical ID.
    type Attributes: Attributes;
    /// The CloudFormation type name (`AWS::EC2::VPC`).
    fn type_name(&self) -> &str;
    /// The `Properties` map.
    fn into_properties(self) -> ExprMap;
    /// The properties whose values were built from handles, with their
    /// origins: [`Template::add`](crate::Template::add) refuses those of
    /// another template. Types that do not track origins report none.
    fn property_origins(&self) -> Vec<(String, Origin)> {
        Vec::new()
    }
}

/// A resource type whose CloudFormation type name is known without an
/// instance: what [`Template::handle`](crate::Template::handle) checks.
/// Every generated type of `cfn-resources` implements it.
pub trait KnownType: ResourceType {
    /// The CloudFormation type name (`AWS::EC2::VPC`).
    const TYPE_NAME: &'static str;
}

/// The attribute getters of a resource type: one method per attribute, each
/// returning `Fn::GetAtt`. Built from the resource's logical ID.
pub trait Attributes {
    /// The getters of the resource `id`.
    fn for_resource(id: LogicalId) -> Self;
}

/// Attribute getters of a type whose attributes are unknown: use
/// [`Handle::get_att_unchecked`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoAttributes {
    id: LogicalId,
}

impl Attributes for NoAttributes {
    fn for_resource(id: LogicalId) -> Self {
        NoAttributes { id }
    }
}

impl NoAttributes {
    /// The resource's logical ID.
    pub fn id(&self) -> &LogicalId {
        &self.id
    }
}

/// `Fn::GetAtt` of `resource.attribute`, typed by the caller. Generated
/// attribute getters call this.
pub fn get_att<T>(resource: &LogicalId, attribute: &str) -> Value<T> {
    Value::from_parts_unchecked(
        Expr::func(Intrinsic::GetAtt {
            resource: resource.as_str().to_owned(),
            attribute: Expr::String(attribute.to_owned()),
        }),
        Origin::of_id(resource),
    )
}

/// A resource of any type, with properties given as free-form values: for
/// types `cfn-resources` does not cover (third-party, custom resources,
/// brand-new types). Attributes are reachable only through
/// [`Handle::get_att_unchecked`].
///
/// ```
/// use cfn_core::{Raw, Template};
/// let mut t = Template::new();
/// let topic = t.add("Alerts", Raw::new("AWS::SNS::Topic").property("TopicName", "alerts")).unwrap();
/// let arn = topic.get_att_unchecked::<String>("TopicArn");
/// # let _ = arn;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Raw {
    type_name: String,
    properties: ExprMap,
    origins: Vec<(String, Origin)>,
}

impl Raw {
    /// A resource of `type_name` with no properties yet.
    pub fn new(type_name: impl Into<String>) -> Self {
        Raw {
            type_name: type_name.into(),
            properties: ExprMap::new(),
            origins: Vec::new(),
        }
    }
    /// Sets a property.
    pub fn property(mut self, name: impl Into<String>, value: impl Into<Value<Json>>) -> Self {
        let name = name.into();
        let (expr, origin) = value.into().into_parts();
        if origin != Origin::None {
            self.origins.push((name.clone(), origin));
        }
        self.properties.insert(name, expr);
        self
    }
}

impl ResourceType for Raw {
    type Ref = String;
    type Attributes = NoAttributes;
    fn type_name(&self) -> &str {
        &self.type_name
    }
    fn into_properties(self) -> ExprMap {
        self.properties
    }
    fn property_origins(&self) -> Vec<(String, Origin)> {
        self.origins.clone()
    }
}

/// The typed handle of a declared resource. `Ref` and `Fn::GetAtt` come from
/// here; the attribute getters of `R` are reachable directly through `Deref`
/// (`bucket.arn()`).
pub struct Handle<R: ResourceType> {
    id: LogicalId,
    attributes: R::Attributes,
    _type: PhantomData<fn() -> R>,
}

impl<R: ResourceType> Handle<R> {
    pub(crate) fn new(id: LogicalId) -> Self {
        Handle {
            attributes: R::Attributes::for_resource(id.clone()),
            id,
            _type: PhantomData,
        }
    }

    /// The resource's logical ID.
    pub fn id(&self) -> &LogicalId {
        &self.id
    }

    /// `Ref` to the resource: its physical id (a VPC id, a bucket name, ...).
    pub fn reference(&self) -> Value<R::Ref> {
        Value::from_parts_unchecked(
            Expr::func(Intrinsic::Ref(self.id.as_str().to_owned())),
            Origin::of_id(&self.id),
        )
    }

    /// The attribute getters (also reachable through `Deref`).
    pub fn attributes(&self) -> &R::Attributes {
        &self.attributes
    }

    /// `Fn::GetAtt` of an attribute by name, unchecked: for attributes the
    /// types do not know. A typo here is only caught at deploy time.
    pub fn get_att_unchecked<T>(&self, attribute: &str) -> Value<T> {
        get_att(&self.id, attribute)
    }
}

impl<R: ResourceType> Deref for Handle<R> {
    type Target = R::Attributes;
    fn deref(&self) -> &R::Attributes {
        &self.attributes
    }
}

impl<R: ResourceType> Clone for Handle<R>
where
    R::Attributes: Clone,
{
    fn clone(&self) -> Self {
        Handle {
            id: self.id.clone(),
            attributes: self.attributes.clone(),
            _type: PhantomData,
        }
    }
}

impl<R: ResourceType> fmt::Debug for Handle<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Handle({})", self.id)
    }
}

/// Anything that names a resource for `DependsOn`.
pub trait ResourceRef {
    /// The logical ID.
    fn logical_id(&self) -> &LogicalId;
}

impl<R: ResourceType> ResourceRef for Handle<R> {
    fn logical_id(&self) -> &LogicalId {
        &self.id
    }
}

impl ResourceRef for LogicalId {
    fn logical_id(&self) -> &LogicalId {
        self
    }
}

/// `DeletionPolicy` and `UpdateReplacePolicy` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Policy {
    /// Delete the physical resource (the default for most types).
    Delete,
    /// Keep the physical resource when it leaves the stack.
    Retain,
    /// Retain, except when the stack's creation failed (`DeletionPolicy` only).
    RetainExceptOnCreate,
    /// Take a snapshot before deleting (volumes, databases, caches).
    Snapshot,
}

impl Policy {
    /// The value as written in templates.
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::Delete => "Delete",
            Policy::Retain => "Retain",
            Policy::RetainExceptOnCreate => "RetainExceptOnCreate",
            Policy::Snapshot => "Snapshot",
        }
    }
}

/// A resource entry of the `Resources` section, untyped: what typed
/// resources become and what parsing produces.
///
/// The attributes other than `Type`, `Properties`, `DependsOn` and
/// `Condition` are rare, so they are boxed: an `Expr` is 72 bytes, and
/// seven of them inline made every resource 656 bytes (a 100,000-resource
/// template held 44 MiB of empty attribute slots).
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// `Type`.
    pub type_name: String,
    /// `Properties`; `None` when the section is absent.
    pub properties: Option<ExprMap>,
    /// `DependsOn`.
    pub depends_on: Option<DependsOn>,
    /// `Condition`.
    pub condition: Option<String>,
    /// `DeletionPolicy` (a [`Policy`] name, or an intrinsic).
    pub deletion_policy: Option<Box<Expr>>,
    /// `UpdateReplacePolicy`.
    pub update_replace_policy: Option<Box<Expr>>,
    /// `UpdatePolicy`.
    pub update_policy: Option<Box<Expr>>,
    /// `CreationPolicy`.
    pub creation_policy: Option<Box<Expr>>,
    /// `Metadata`.
    pub metadata: Option<Box<Expr>>,
    /// `Version`: allowed on custom resources only (`Custom::*`,
    /// `AWS::CloudFormation::CustomResource`), where CloudFormation accepts
    /// and ignores it.
    pub version: Option<Box<Expr>>,
    /// `IgnoreGlobals`: allowed on SAM resources (`AWS::Serverless::*`) only;
    /// `"*"` or a list of `Globals` properties SAM should not copy in.
    pub ignore_globals: Option<Box<Expr>>,
}

impl Resource {
    /// A resource of this type with no properties or attributes.
    pub fn new(type_name: impl Into<String>) -> Self {
        Resource {
            type_name: type_name.into(),
            properties: None,
            depends_on: None,
            condition: None,
            deletion_policy: None,
            update_replace_policy: None,
            update_policy: None,
            creation_policy: None,
            metadata: None,
            version: None,
            ignore_globals: None,
        }
    }

    /// Whether this is a custom resource (`Custom::*` or
    /// `AWS::CloudFormation::CustomResource`): its properties and attributes
    /// are whatever its provider defines.
    pub fn is_custom(&self) -> bool {
        is_custom_type(&self.type_name)
    }
}

/// Whether `type_name` names a custom resource (`Custom::*` or
/// `AWS::CloudFormation::CustomResource`).
pub fn is_custom_type(type_name: &str) -> bool {
    type_name.starts_with("Custom::") || type_name == "AWS::CloudFormation::CustomResource"
}

/// `DependsOn`: one name or a list, kept as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DependsOn {
    /// The resources depended on.
    pub targets: Vec<String>,
    /// Whether it was written as a list (a single string otherwise).
    pub list_form: bool,
}

/// A typed resource with its resource attributes, ready for
/// [`Template::add`](crate::Template::add). Every `ResourceType` converts
/// into one; call [`Declared::new`] to set attributes.
///
/// ```
/// use cfn_core::{Declared, Policy, Raw, Template};
/// let mut t = Template::new();
/// let key = t.add("Key", Raw::new("AWS::KMS::Key")).unwrap();
/// let bucket = t.add(
///     "Assets",
///     Declared::new(Raw::new("AWS::S3::Bucket")).retain().depends_on(&key),
/// ).unwrap();
/// # let _ = bucket;
/// ```
#[derive(Debug, Clone)]
pub struct Declared<R> {
    resource: R,
    /// Attributes built from handles (`DependsOn`, `Condition`, `Metadata`)
    /// and their origins.
    origins: Vec<(&'static str, Origin)>,
    depends_on: Vec<String>,
    condition: Option<String>,
    deletion_policy: Option<Expr>,
    update_replace_policy: Option<Expr>,
    update_policy: Option<Expr>,
    creation_policy: Option<Expr>,
    metadata: Option<Expr>,
}

impl<R: ResourceType> From<R> for Declared<R> {
    fn from(resource: R) -> Self {
        Declared::new(resource)
    }
}

impl<R: ResourceType> Declared<R> {
    /// Wraps a resource with no attributes.
    pub fn new(resource: R) -> Self {
        Declared {
            resource,
            origins: Vec::new(),
            depends_on: Vec::new(),
            condition: None,
            deletion_policy: None,
            update_replace_policy: None,
            update_policy: None,
            creation_policy: None,
            metadata: None,
        }
    }
    /// Adds an explicit dependency. Dependencies through `Ref`, `Fn::GetAtt`
    /// and `Fn::Sub` are inferred; use this only for hidden ones.
    pub fn depends_on(mut self, other: &impl ResourceRef) -> Self {
        let id = other.logical_id();
        self.origins.push(("DependsOn", Origin::of_id(id)));
        self.depends_on.push(id.as_str().to_owned());
        self
    }
    /// Creates the resource only when `condition` holds.
    pub fn condition(mut self, condition: &ConditionHandle) -> Self {
        self.origins
            .push(("Condition", Origin::of_id(condition.id())));
        self.condition = Some(condition.id().as_str().to_owned());
        self
    }
    /// Sets `DeletionPolicy`.
    pub fn deletion_policy(mut self, p: Policy) -> Self {
        self.deletion_policy = Some(p.as_str().into());
        self
    }
    /// Sets `UpdateReplacePolicy`.
    pub fn update_replace_policy(mut self, p: Policy) -> Self {
        self.update_replace_policy = Some(p.as_str().into());
        self
    }
    /// `DeletionPolicy: Retain` and `UpdateReplacePolicy: Retain`: what every
    /// resource holding data should carry.
    pub fn retain(self) -> Self {
        self.deletion_policy(Policy::Retain)
            .update_replace_policy(Policy::Retain)
    }
    /// Sets `UpdatePolicy`.
    pub fn update_policy(mut self, p: UpdatePolicy) -> Self {
        self.update_policy = Some(p.into_expr());
        self
    }
    /// Sets `CreationPolicy`.
    pub fn creation_policy(mut self, p: CreationPolicy) -> Self {
        self.creation_policy = Some(p.into_expr());
        self
    }
    /// Sets `Metadata` (e.g. `AWS::CloudFormation::Init`, lint suppressions).
    pub fn metadata(mut self, m: impl Into<Value<Json>>) -> Self {
        let (expr, origin) = m.into().into_parts();
        self.origins.push(("Metadata", origin));
        self.metadata = Some(expr);
        self
    }

    /// Every part built from handles, with its origin: properties
    /// (`Properties/Name`), then `DependsOn`, `Condition` and `Metadata`.
    pub(crate) fn origins(&self) -> Vec<(String, Origin)> {
        let mut all: Vec<(String, Origin)> = self
            .resource
            .property_origins()
            .into_iter()
            .map(|(k, o)| (format!("Properties/{k}"), o))
            .collect();
        all.extend(self.origins.iter().map(|(k, o)| ((*k).to_owned(), *o)));
        all
    }
    /// Suppresses lint rule `rule` (`IAM002`) on this resource, with the
    /// reason the report shows: adds `{id, reason}` under
    /// `Metadata: cfnkit: suppress`, keeping other metadata. Call it after
    /// [`Declared::metadata`], which replaces the whole map.
    ///
    /// ```
    /// use cfn_core::{Declared, Raw, Template};
    /// let mut t = Template::new();
    /// t.add("Logs", Declared::new(Raw::new("AWS::S3::Bucket"))
    ///     .suppress("S3005", "this is the log bucket; logging it into itself would loop")).unwrap();
    /// let json = t.synth(cfn_core::Format::Json).unwrap();
    /// assert!(json.contains("\"id\": \"S3005\""));
    /// ```
    pub fn suppress(mut self, rule: &str, reason: &str) -> Self {
        let entry = Expr::Map(
            [
                ("id".to_owned(), Expr::String(rule.to_owned())),
                ("reason".to_owned(), Expr::String(reason.to_owned())),
            ]
            .into_iter()
            .collect(),
        );
        let mut meta = match self.metadata.take() {
            Some(Expr::Map(m)) => m,
            _ => ExprMap::new(),
        };
        let ours = meta
            .entry(SUPPRESS_METADATA_KEY.to_owned())
            .or_insert_with(|| Expr::Map(ExprMap::new()));
        if !matches!(ours, Expr::Map(m) if matches!(m.get("suppress"), None | Some(Expr::List(_))))
        {
            *ours = Expr::Map(ExprMap::new());
        }
        if let Expr::Map(ours) = ours {
            if let Expr::List(list) = ours
                .entry("suppress".to_owned())
                .or_insert_with(|| Expr::List(Vec::new()))
            {
                list.push(entry);
            }
        }
        self.metadata = Some(Expr::Map(meta));
        self
    }

    pub(crate) fn into_resource(self) -> Resource {
        let type_name = self.resource.type_name().to_owned();
        let props = self.resource.into_properties();
        Resource {
            type_name,
            properties: if props.is_empty() { None } else { Some(props) },
            depends_on: match self.depends_on.len() {
                0 => None,
                n => Some(DependsOn {
                    targets: self.depends_on,
                    list_form: n > 1,
                }),
            },
            condition: self.condition,
            deletion_policy: self.deletion_policy.map(Box::new),
            update_replace_policy: self.update_replace_policy.map(Box::new),
            update_policy: self.update_policy.map(Box::new),
            creation_policy: self.creation_policy.map(Box::new),
            metadata: self.metadata.map(Box::new),
            version: None,
            ignore_globals: None,
        }
    }
}

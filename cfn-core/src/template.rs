//! The template model: every section of a CloudFormation template.

use crate::error::{Error, ErrorKind, Result};
use crate::expr::{Expr, ExprMap, Intrinsic};
use crate::fns::CondExpr;
use crate::id::LogicalId;
use crate::parameter::Parameter;
use crate::resource::{Declared, Handle, KnownType, Resource, ResourceType};
use crate::value::{Json, Origin, Value};
use indexmap::IndexMap;
use std::fmt;
use std::num::NonZeroU64;
use std::sync::atomic::{AtomicU64, Ordering};

/// The only template format version CloudFormation has.
pub const FORMAT_VERSION: &str = "2010-09-09";

/// A CloudFormation template.
///
/// Sections keep insertion order, so the same program renders the same
/// bytes every time. Logical IDs are unique within CloudFormation's
/// namespaces (Parameters and Resources share one, see [`id_namespace`]);
/// `add_*` refuses duplicates.
///
/// Every template has its own identity ([`TemplateId`]): the handles it
/// returns remember it, and `add_*` refuses a value built from another
/// template's handle (which would otherwise name whatever this template
/// declares under the same logical id). [`Template::handle`] looks a handle
/// up by logical id, checking the type, for code that extends a template it
/// did not build. A clone keeps the identity (its handles are the same);
/// a parsed template gets a new one.
///
/// ```
/// use cfn_core::{Template, Parameter, Output, Raw};
/// let mut t = Template::new();
/// t.set_description("a bucket");
/// let bucket = t.add("Assets", Raw::new("AWS::S3::Bucket")).unwrap();
/// t.add_output("AssetsName", Output::new(bucket.reference())).unwrap();
/// let json = t.to_json_pretty();
/// assert!(json.contains("\"Type\": \"AWS::S3::Bucket\""));
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Template {
    /// `AWSTemplateFormatVersion` (`2010-09-09` for new templates).
    pub format_version: Option<String>,
    /// `Description` (at most 1,024 bytes).
    pub description: Option<String>,
    /// `Metadata`.
    pub metadata: ExprMap,
    /// `Transform`: a macro name or a list of them (`AWS::Serverless-2016-10-31`).
    pub transform: Option<Expr>,
    /// `Parameters`.
    pub parameters: IndexMap<LogicalId, Parameter>,
    /// `Rules`.
    pub rules: IndexMap<LogicalId, Rule>,
    /// `Mappings`: name, top-level key, second-level key, value.
    pub mappings: IndexMap<LogicalId, Mapping>,
    /// `Conditions`.
    pub conditions: IndexMap<LogicalId, Expr>,
    /// `Resources`.
    pub resources: IndexMap<LogicalId, Resource>,
    /// `Outputs`.
    pub outputs: IndexMap<LogicalId, Output>,
    /// `Hooks` (blue/green deployments with `AWS::CodeDeployBlueGreen`).
    pub hooks: ExprMap,
    /// `Globals`: properties SAM (`AWS::Serverless-2016-10-31`) copies into
    /// its resources; only valid with that transform.
    pub globals: ExprMap,
    /// The template's identity (not part of its content).
    identity: Identity,
}

/// The identity of a [`Template`], unique within the process: what handles
/// remember so that a template can refuse another template's handles.
/// Displayed as `template #3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TemplateId(NonZeroU64);

impl TemplateId {
    fn fresh() -> TemplateId {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        TemplateId(NonZeroU64::new(n).unwrap_or(NonZeroU64::MIN))
    }
}

impl fmt::Display for TemplateId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "template #{}", self.0)
    }
}

/// A template's identity as a field: fresh for every new template, kept by
/// clones, ignored by equality (two templates with the same content are
/// equal whatever their identity).
#[derive(Debug, Clone, Copy)]
struct Identity(TemplateId);

impl Default for Identity {
    fn default() -> Self {
        Identity(TemplateId::fresh())
    }
}

impl PartialEq for Identity {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// The SAM transform (`AWS::Serverless::*` resources, `Globals`).
pub const SAM_TRANSFORM: &str = "AWS::Serverless-2016-10-31";
/// The language-extensions transform (`Fn::ForEach`, `Fn::Length`,
/// `Fn::ToJsonString`, intrinsics in deletion policies, `Fn::FindInMap`
/// defaults).
pub const LANGUAGE_EXTENSIONS: &str = "AWS::LanguageExtensions";

/// A mapping: top-level key, then second-level key, then value.
pub type Mapping = IndexMap<String, IndexMap<String, Expr>>;

/// A `Rules` entry: assertions on parameter values, checked before a stack
/// is created or updated.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rule {
    /// `RuleCondition`: when the assertions apply.
    pub condition: Option<Expr>,
    /// `Assertions`.
    pub assertions: Vec<Assertion>,
}

/// One assertion of a [`Rule`].
#[derive(Debug, Clone, PartialEq)]
pub struct Assertion {
    /// `Assert`: a rule-specific condition.
    pub assert: Expr,
    /// `AssertDescription`: shown when the assertion fails.
    pub description: Option<String>,
}

impl Rule {
    /// A rule with no condition (applies always) and no assertions yet.
    pub fn new() -> Self {
        Rule::default()
    }
    /// Applies the rule only when `condition` holds.
    pub fn when(mut self, condition: CondExpr) -> Self {
        self.condition = Some(condition.0);
        self
    }
    /// Adds an assertion with the message shown when it fails.
    pub fn assert(mut self, assert: CondExpr, description: impl Into<String>) -> Self {
        self.assertions.push(Assertion {
            assert: assert.0,
            description: Some(description.into()),
        });
        self
    }
}

/// An `Outputs` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    /// `Value`.
    pub value: Expr,
    /// `Description`.
    pub description: Option<String>,
    /// `Export/Name`: makes the value importable by other stacks.
    pub export: Option<Expr>,
    /// `Condition`: the output exists only when the condition holds.
    pub condition: Option<String>,
}

impl Output {
    /// An output of any value: a `Value` of any type (typed ids included)
    /// or a literal.
    pub fn new(value: impl Into<Expr>) -> Self {
        Output {
            value: value.into(),
            description: None,
            export: None,
            condition: None,
        }
    }
    /// Sets the description.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }
    /// Exports the value under `name` for `Fn::ImportValue`.
    pub fn export(mut self, name: impl Into<Value<String>>) -> Self {
        self.export = Some(name.into().into_expr());
        self
    }
    /// Declares the output only when `condition` holds.
    pub fn condition(mut self, condition: &ConditionHandle) -> Self {
        self.condition = Some(condition.id().as_str().to_owned());
        self
    }
}

/// A declared parameter. Its `Ref` is the parameter's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterHandle {
    id: LogicalId,
}

impl ParameterHandle {
    /// The parameter's logical ID.
    pub fn id(&self) -> &LogicalId {
        &self.id
    }
    /// `Ref` to the parameter, as a string.
    pub fn reference(&self) -> Value<String> {
        self.reference_as()
    }
    /// `Ref` to a list parameter (`CommaDelimitedList`, `List<...>`).
    pub fn reference_list(&self) -> Value<Vec<String>> {
        self.reference_as()
    }
    /// `Ref` to the parameter, typed by the caller (a `Number` parameter as
    /// `Value<i64>`, an `AWS::EC2::VPC::Id` parameter as a VPC id).
    pub fn reference_as<T>(&self) -> Value<T> {
        Value::from_parts_unchecked(
            Expr::func(Intrinsic::Ref(self.id.as_str().to_owned())),
            Origin::of_id(&self.id),
        )
    }
}

/// A declared condition, for `Fn::If` and the `Condition` attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionHandle {
    id: LogicalId,
}

impl ConditionHandle {
    /// The condition's logical ID.
    pub fn id(&self) -> &LogicalId {
        &self.id
    }
}

/// A declared mapping, for `Fn::FindInMap`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingHandle {
    id: LogicalId,
}

impl MappingHandle {
    /// The mapping's logical ID.
    pub fn id(&self) -> &LogicalId {
        &self.id
    }
}

impl Template {
    /// An empty template with `AWSTemplateFormatVersion: 2010-09-09`.
    pub fn new() -> Self {
        Template {
            format_version: Some(FORMAT_VERSION.to_owned()),
            ..Template::default()
        }
    }

    /// This template's identity, which its handles remember.
    pub fn id(&self) -> TemplateId {
        self.identity.0
    }

    /// Refuses values (given as `(path, origin)`) built from another
    /// template's handles.
    fn refuse_foreign(&self, values: impl IntoIterator<Item = (String, Origin)>) -> Result<()> {
        for (path, origin) in values {
            if let Some(other) = origin.foreign_to(self.id()) {
                return Err(Error::at(
                    path,
                    ErrorKind::ForeignHandle {
                        declared_in: other.to_string(),
                        used_in: self.id().to_string(),
                    },
                ));
            }
        }
        Ok(())
    }

    /// Sets `Description`.
    pub fn set_description(&mut self, description: impl Into<String>) {
        self.description = Some(description.into());
    }

    /// The names of the declared transforms, in order (macros given as
    /// intrinsics are left out).
    pub fn transforms(&self) -> Vec<&str> {
        match &self.transform {
            Some(Expr::String(s)) => vec![s.as_str()],
            Some(Expr::List(v)) => v.iter().filter_map(Expr::as_str).collect(),
            _ => Vec::new(),
        }
    }

    /// Whether the template declares the transform `name`.
    pub fn has_transform(&self, name: &str) -> bool {
        self.transforms().contains(&name)
    }

    /// Whether the template declares SAM's transform ([`SAM_TRANSFORM`]).
    pub fn is_sam(&self) -> bool {
        self.has_transform(SAM_TRANSFORM)
    }

    /// Adds a transform (`AWS::Serverless-2016-10-31`,
    /// `AWS::LanguageExtensions`). Several transforms become a list.
    pub fn add_transform(&mut self, name: impl Into<String>) {
        let name = Expr::String(name.into());
        self.transform = Some(match self.transform.take() {
            None => name,
            Some(Expr::List(mut v)) => {
                v.push(name);
                Expr::List(v)
            }
            Some(other) => Expr::List(vec![other, name]),
        });
    }

    /// Sets a top-level `Metadata` key.
    pub fn set_metadata(&mut self, key: impl Into<String>, value: impl Into<Value<Json>>) {
        self.metadata.insert(key.into(), value.into().into_expr());
    }

    /// The section that already declares `id` in the namespace of `section`,
    /// if any. CloudFormation's namespaces: Parameters and Resources share
    /// one (a `Ref` names either); Conditions, Mappings, Outputs and Rules
    /// each have their own, so `Outputs: {Vpc: {Value: !Ref Vpc}}` is fine.
    pub fn section_of(&self, id: &str, section: &str) -> Option<&'static str> {
        match id_namespace(section) {
            "Parameters" if self.parameters.contains_key(id) => Some("Parameters"),
            "Parameters" if self.resources.contains_key(id) => Some("Resources"),
            "Conditions" if self.conditions.contains_key(id) => Some("Conditions"),
            "Mappings" if self.mappings.contains_key(id) => Some("Mappings"),
            "Outputs" if self.outputs.contains_key(id) => Some("Outputs"),
            "Rules" if self.rules.contains_key(id) => Some("Rules"),
            _ => None,
        }
    }

    fn new_id(&self, id: &str, section: &str) -> Result<LogicalId> {
        let lid = LogicalId::new(id)
            .map_err(|e| e.with_path(format!("{section}/{id}")))?
            .in_template(self.id());
        if let Some(existing) = self.section_of(id, section) {
            return Err(Error::at(
                format!("{section}/{id}"),
                ErrorKind::DuplicateLogicalId {
                    id: id.to_owned(),
                    existing: existing.to_owned(),
                },
            ));
        }
        Ok(lid)
    }

    /// Declares a parameter.
    pub fn add_parameter(&mut self, id: &str, parameter: Parameter) -> Result<ParameterHandle> {
        let id = self.new_id(id, "Parameters")?;
        self.parameters.insert(id.clone(), parameter);
        Ok(ParameterHandle { id })
    }

    /// Declares a mapping.
    pub fn add_mapping(&mut self, id: &str, mapping: Mapping) -> Result<MappingHandle> {
        let id = self.new_id(id, "Mappings")?;
        self.mappings.insert(id.clone(), mapping);
        Ok(MappingHandle { id })
    }

    /// Declares a condition.
    pub fn add_condition(&mut self, id: &str, condition: CondExpr) -> Result<ConditionHandle> {
        let id = self.new_id(id, "Conditions")?;
        self.refuse_foreign([(format!("Conditions/{id}"), condition.1)])?;
        self.conditions.insert(id.clone(), condition.0);
        Ok(ConditionHandle { id })
    }

    /// Declares a rule. Rule names are separate from the other logical IDs.
    pub fn add_rule(&mut self, id: &str, rule: Rule) -> Result<()> {
        let lid = self.new_id(id, "Rules")?;
        self.rules.insert(lid, rule);
        Ok(())
    }

    /// Declares a resource and returns its typed handle: `Ref` and
    /// `Fn::GetAtt` come from the handle.
    ///
    /// A property, `DependsOn`, `Condition` or `Metadata` built from a handle
    /// of another template is refused, naming both templates:
    ///
    /// ```
    /// use cfn_core::{Raw, Template};
    /// let mut a = Template::new();
    /// let key = a.add("Key", Raw::new("AWS::KMS::Key")).unwrap();
    /// let mut b = Template::new();
    /// let err = b
    ///     .add("Topic", Raw::new("AWS::SNS::Topic").property("KmsMasterKeyId", key.reference().into_json()))
    ///     .unwrap_err();
    /// assert!(err.to_string().starts_with("Resources/Topic/Properties/KmsMasterKeyId: this value is built from a handle of template #"), "{err}");
    /// ```
    pub fn add<R: ResourceType>(
        &mut self,
        id: &str,
        resource: impl Into<Declared<R>>,
    ) -> Result<Handle<R>> {
        let lid = self.new_id(id, "Resources")?;
        let declared = resource.into();
        self.refuse_foreign(
            declared
                .origins()
                .into_iter()
                .map(|(part, o)| (format!("Resources/{id}/{part}"), o)),
        )?;
        self.resources.insert(lid.clone(), declared.into_resource());
        Ok(Handle::new(lid))
    }

    /// Declares an output.
    pub fn add_output(&mut self, id: &str, output: Output) -> Result<()> {
        let id = self.new_id(id, "Outputs")?;
        self.outputs.insert(id, output);
        Ok(())
    }

    /// The typed handle of resource `id`, declared earlier (by code that did
    /// not keep the handle, or parsed): checks that the resource exists and
    /// has `R`'s type, so a stack can be extended without
    /// [`Value::from_expr_unchecked`].
    ///
    /// ```
    /// use cfn_core::Template;
    /// let t = Template::from_yaml("Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n").unwrap();
    /// # struct Vpc;
    /// # impl cfn_core::ResourceType for Vpc {
    /// #     type Ref = String; type Attributes = cfn_core::NoAttributes;
    /// #     fn type_name(&self) -> &str { "AWS::EC2::VPC" }
    /// #     fn into_properties(self) -> cfn_core::ExprMap { Default::default() }
    /// # }
    /// # impl cfn_core::KnownType for Vpc { const TYPE_NAME: &'static str = "AWS::EC2::VPC"; }
    /// let vpc = t.handle::<Vpc>("Vpc").unwrap();
    /// assert_eq!(vpc.id().as_str(), "Vpc");
    /// assert!(t.handle::<Vpc>("Vcp").unwrap_err().to_string().contains("did you mean `Vpc`?"));
    /// ```
    pub fn handle<R: KnownType>(&self, id: &str) -> Result<Handle<R>> {
        let path = || format!("Resources/{id}");
        let Some((lid, resource)) = self.resources.get_key_value(id) else {
            let names: Vec<&str> = self.resources.keys().map(LogicalId::as_str).collect();
            return Err(Error::at(
                path(),
                ErrorKind::NoSuchResource {
                    id: id.to_owned(),
                    hint: crate::error::suggest(id, names.iter().copied()),
                    declared: names.iter().map(|n| (*n).to_owned()).collect(),
                },
            ));
        };
        if resource.type_name != R::TYPE_NAME {
            return Err(Error::at(
                path(),
                ErrorKind::WrongResourceType {
                    id: id.to_owned(),
                    expected: R::TYPE_NAME.to_owned(),
                    found: resource.type_name.clone(),
                },
            ));
        }
        Ok(Handle::new(lid.clone().in_template(self.id())))
    }

    /// Mutable access to a declared resource's entry (to add attributes
    /// after the fact).
    pub fn resource_mut<R: ResourceType>(&mut self, handle: &Handle<R>) -> Option<&mut Resource> {
        self.resources.get_mut(handle.id())
    }

    /// Whether `name` can be the target of a `Ref`: a parameter, a resource
    /// or a pseudo parameter.
    pub fn is_ref_target(&self, name: &str) -> bool {
        crate::pseudo::is_pseudo(name)
            || self.parameters.contains_key(name)
            || self.resources.contains_key(name)
    }
}

/// The logical-id namespace a template section's ids live in, as
/// CloudFormation applies them: Parameters and Resources share one
/// (`"Parameters"`); Conditions, Mappings, Outputs and Rules each have their
/// own. The one home of this rule: the builder and validation both ask it.
///
/// ```
/// use cfn_core::template::id_namespace;
/// assert_eq!(id_namespace("Resources"), id_namespace("Parameters"));
/// assert_ne!(id_namespace("Outputs"), id_namespace("Resources"));
/// ```
pub fn id_namespace(section: &str) -> &str {
    match section {
        "Resources" => "Parameters",
        other => other,
    }
}

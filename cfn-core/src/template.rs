//! The template model: every section of a CloudFormation template.

use crate::error::{Error, ErrorKind, Result};
use crate::expr::{Expr, ExprMap, Intrinsic};
use crate::fns::CondExpr;
use crate::id::LogicalId;
use crate::parameter::Parameter;
use crate::resource::{Declared, Handle, Resource, ResourceType};
use crate::value::{Json, Value};
use indexmap::IndexMap;

/// The only template format version CloudFormation has.
pub const FORMAT_VERSION: &str = "2010-09-09";

/// A CloudFormation template.
///
/// Sections keep insertion order, so the same program renders the same
/// bytes every time. Logical IDs are unique within CloudFormation's
/// namespaces (Parameters and Resources share one, see [`id_namespace`]);
/// `add_*` refuses duplicates.
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
        Value::from_expr_unchecked(Expr::func(Intrinsic::Ref(self.id.as_str().to_owned())))
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
        let lid = LogicalId::new(id).map_err(|e| e.with_path(format!("{section}/{id}")))?;
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
    pub fn add<R: ResourceType>(
        &mut self,
        id: &str,
        resource: impl Into<Declared<R>>,
    ) -> Result<Handle<R>> {
        let lid = self.new_id(id, "Resources")?;
        let declared = resource.into();
        self.resources.insert(lid.clone(), declared.into_resource());
        Ok(Handle::new(lid))
    }

    /// Declares an output.
    pub fn add_output(&mut self, id: &str, output: Output) -> Result<()> {
        let id = self.new_id(id, "Outputs")?;
        self.outputs.insert(id, output);
        Ok(())
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

//! `cfn-core`: the CloudFormation template model.
//!
//! - [`Template`] holds every section; `add_*` methods return typed handles
//!   ([`Handle`], [`ParameterHandle`], [`ConditionHandle`], [`MappingHandle`])
//!   whose `Ref` and `Fn::GetAtt` are the only way to refer to what they name.
//! - [`Value<T>`] is a literal `T` or any intrinsic yielding a `T`; [`fns`]
//!   has the intrinsic functions, [`pseudo`] the pseudo parameters.
//! - [`Template::validate`] returns every problem at once with its template
//!   path; [`Template::synth`] validates and renders.
//! - Rendering ([`Format`]) is deterministic; parsing reads JSON and YAML
//!   (short-form tags included) into the same model.
//!
//! ```
//! use cfn_core::{fns, pseudo, Declared, Format, Output, Parameter, Raw, Template};
//!
//! let mut t = Template::new();
//! t.set_description("one encrypted topic");
//! let env = t.add_parameter("Env", Parameter::string().allowed_values(["dev", "prod"]).default("dev")).unwrap();
//! let topic = t.add(
//!     "Alerts",
//!     Declared::new(
//!         Raw::new("AWS::SNS::Topic")
//!             .property("TopicName", fns::sub("raven-${Env}-alerts").into_json())
//!             .property("KmsMasterKeyId", "alias/aws/sns"),
//!     ),
//! ).unwrap();
//! t.add_output("AlertsArn", Output::new(topic.reference()).export(fns::sub("${AWS::StackName}-alerts"))).unwrap();
//! let json = t.synth(Format::Json).unwrap();
//! assert_eq!(cfn_core::Template::from_json(&json).unwrap(), t);
//! # let _ = (env, pseudo::region());
//! ```

#![warn(missing_docs)]

pub mod error;
pub mod expr;
pub mod fns;
pub mod graph;
pub mod id;
pub mod parameter;
pub mod parameter_values;
pub mod parse;
pub mod pattern;
pub mod pseudo;
pub mod render;
pub mod resource;
pub mod template;
pub mod validate;
pub mod value;

pub use error::{Error, ErrorKind, Location, Result};
pub use expr::{Expr, ExprMap, Intrinsic};
pub use fns::CondExpr;
pub use id::LogicalId;
pub use parameter::{AwsParameterType, Parameter, ParameterType, Violation};
pub use parameter_values::{check_parameter_values, DeployedParameters, ParameterInput};
pub use render::Format;
pub use resource::{
    get_att, Attributes, CreationPolicy, Declared, DependsOn, Handle, KnownType, NoAttributes,
    Policy, Raw, Resource, ResourceRef, ResourceType, RollingUpdate, UpdatePolicy,
    SUPPRESS_METADATA_KEY,
};
pub use template::{
    Assertion, ConditionHandle, Mapping, MappingHandle, Output, ParameterHandle, Rule, Template,
    TemplateId,
};
pub use validate::{Diagnostic, Report, Severity, SizeReport};
pub use value::{json_list, json_object, Identifier, IntoValue, Json, Origin, ToExpr, Value};

pub use indexmap;

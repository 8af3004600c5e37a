//! [`Intrinsic`]: every intrinsic function, its name and its argument as
//! written in a template (the long form it serializes to).

use super::{Expr, ExprMap};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// Every intrinsic function CloudFormation knows, including the condition
/// functions, the `Rules`-only functions and the `AWS::LanguageExtensions`
/// functions.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Intrinsic {
    /// `Ref`: a parameter, a resource or a pseudo parameter (`AWS::Region`).
    Ref(String),
    /// `Fn::GetAtt`: an attribute of a resource. The attribute name is
    /// usually a string, but may be a `Ref` to a parameter.
    GetAtt {
        /// Logical ID of the resource.
        resource: String,
        /// Attribute name (`Arn`, `Endpoint.Address`, ...).
        attribute: Expr,
    },
    /// `Fn::Sub`: string substitution. `vars` is `Some` for the two-element
    /// list form, even when the map is empty.
    Sub {
        /// The template string with `${Name}` placeholders.
        template: String,
        /// Variables of the list form.
        vars: Option<ExprMap>,
    },
    /// `Fn::Join`: joins a list with a delimiter.
    Join {
        /// The delimiter.
        delimiter: String,
        /// A list, or an intrinsic returning a list.
        values: Expr,
    },
    /// `Fn::Select`: picks one element of a list.
    Select {
        /// The zero-based index.
        index: Expr,
        /// The list.
        list: Expr,
    },
    /// `Fn::Split`: splits a string into a list.
    Split {
        /// The delimiter.
        delimiter: String,
        /// The string to split.
        source: Expr,
    },
    /// `Fn::GetAZs`: the Availability Zones of a region (`""` means the
    /// stack's region).
    GetAZs(Expr),
    /// `Fn::Cidr`: an array of CIDR address blocks.
    Cidr {
        /// The CIDR block to divide.
        ip_block: Expr,
        /// How many CIDRs to generate (1-256).
        count: Expr,
        /// Host bits per CIDR (`8` gives `/24` in IPv4).
        cidr_bits: Expr,
    },
    /// `Fn::ImportValue`: an output exported by another stack.
    ImportValue(Expr),
    /// `Fn::FindInMap`: a value of a mapping. `default` is the
    /// `AWS::LanguageExtensions` `DefaultValue` option.
    FindInMap {
        /// The mapping name.
        map: Expr,
        /// The top-level key.
        top_key: Expr,
        /// The second-level key.
        second_key: Expr,
        /// `{"DefaultValue": ...}` (needs the `AWS::LanguageExtensions` transform).
        default: Option<Expr>,
    },
    /// `Fn::Base64`: base64-encodes a string (user data).
    Base64(Expr),
    /// `Fn::If`: one of two values depending on a condition.
    If {
        /// The condition name.
        condition: String,
        /// Value when true.
        then: Expr,
        /// Value when false.
        otherwise: Expr,
    },
    /// `Fn::Equals`: compares two values.
    Equals(Expr, Expr),
    /// `Fn::And`: all of 2-10 conditions.
    And(Vec<Expr>),
    /// `Fn::Or`: any of 2-10 conditions.
    Or(Vec<Expr>),
    /// `Fn::Not`: negates a condition.
    Not(Expr),
    /// `Condition`: refers to a named condition inside a condition.
    Condition(String),
    /// `Fn::Transform`: calls a macro (`AWS::Include`, ...).
    Transform {
        /// The macro name.
        name: Expr,
        /// The macro's parameters.
        parameters: ExprMap,
    },
    /// `Fn::Transform` in its list form: `[{Name, Parameters}, ...]`, each
    /// entry a map as written.
    TransformList(Vec<Expr>),
    /// A function whose whole argument is a `Fn::Transform` call
    /// (`Fn::Sub: {Fn::Transform: ...}`): CloudFormation runs the macro
    /// first, so the function's real arguments are known only after AWS
    /// expands it.
    Transformed {
        /// The outer function (`Fn::Sub`).
        function: &'static str,
        /// The `Fn::Transform` call (an `Expr::Fn`).
        argument: Expr,
    },
    /// `Fn::GetStackOutput`: an output of another stack, possibly in another
    /// region or account: a map with `StackName`, `OutputName` and optional
    /// `Region` and `RoleArn`.
    GetStackOutput(Expr),
    /// `Fn::Length` (`AWS::LanguageExtensions`): the length of a list.
    Length(Expr),
    /// `Fn::ToJsonString` (`AWS::LanguageExtensions`): an object as a JSON string.
    ToJsonString(Expr),
    /// `Fn::Contains` (Rules only).
    Contains(Expr, Expr),
    /// `Fn::EachMemberEquals` (Rules only).
    EachMemberEquals(Expr, Expr),
    /// `Fn::EachMemberIn` (Rules only).
    EachMemberIn(Expr, Expr),
    /// `Fn::RefAll` (Rules only): all values of a parameter type.
    RefAll(Expr),
    /// `Fn::ValueOf` (Rules only): an attribute of a parameter value.
    ValueOf(Expr, Expr),
    /// `Fn::ValueOfAll` (Rules only).
    ValueOfAll(Expr, Expr),
}

/// The names of all intrinsic functions, as written in templates.
pub const INTRINSIC_NAMES: &[&str] = &[
    "Ref",
    "Fn::GetAtt",
    "Fn::Sub",
    "Fn::Join",
    "Fn::Select",
    "Fn::Split",
    "Fn::GetAZs",
    "Fn::Cidr",
    "Fn::ImportValue",
    "Fn::FindInMap",
    "Fn::Base64",
    "Fn::If",
    "Fn::Equals",
    "Fn::And",
    "Fn::Or",
    "Fn::Not",
    "Condition",
    "Fn::Transform",
    "Fn::Length",
    "Fn::ToJsonString",
    "Fn::GetStackOutput",
    "Fn::Contains",
    "Fn::EachMemberEquals",
    "Fn::EachMemberIn",
    "Fn::RefAll",
    "Fn::ValueOf",
    "Fn::ValueOfAll",
];

impl Intrinsic {
    /// The function's name as written in a template (`Fn::GetAtt`).
    pub fn name(&self) -> &'static str {
        match self {
            Intrinsic::Ref(_) => "Ref",
            Intrinsic::GetAtt { .. } => "Fn::GetAtt",
            Intrinsic::Sub { .. } => "Fn::Sub",
            Intrinsic::Join { .. } => "Fn::Join",
            Intrinsic::Select { .. } => "Fn::Select",
            Intrinsic::Split { .. } => "Fn::Split",
            Intrinsic::GetAZs(_) => "Fn::GetAZs",
            Intrinsic::Cidr { .. } => "Fn::Cidr",
            Intrinsic::ImportValue(_) => "Fn::ImportValue",
            Intrinsic::FindInMap { .. } => "Fn::FindInMap",
            Intrinsic::Base64(_) => "Fn::Base64",
            Intrinsic::If { .. } => "Fn::If",
            Intrinsic::Equals(..) => "Fn::Equals",
            Intrinsic::And(_) => "Fn::And",
            Intrinsic::Or(_) => "Fn::Or",
            Intrinsic::Not(_) => "Fn::Not",
            Intrinsic::Condition(_) => "Condition",
            Intrinsic::Transform { .. } | Intrinsic::TransformList(_) => "Fn::Transform",
            Intrinsic::Transformed { function, .. } => function,
            Intrinsic::GetStackOutput(_) => "Fn::GetStackOutput",
            Intrinsic::Length(_) => "Fn::Length",
            Intrinsic::ToJsonString(_) => "Fn::ToJsonString",
            Intrinsic::Contains(..) => "Fn::Contains",
            Intrinsic::EachMemberEquals(..) => "Fn::EachMemberEquals",
            Intrinsic::EachMemberIn(..) => "Fn::EachMemberIn",
            Intrinsic::RefAll(_) => "Fn::RefAll",
            Intrinsic::ValueOf(..) => "Fn::ValueOf",
            Intrinsic::ValueOfAll(..) => "Fn::ValueOfAll",
        }
    }

    /// The function's argument, as the JSON-shaped expression it renders to.
    pub fn argument(&self) -> Expr {
        fn s(v: &str) -> Expr {
            Expr::String(v.to_owned())
        }
        fn l(v: Vec<Expr>) -> Expr {
            Expr::List(v)
        }
        match self {
            Intrinsic::Ref(n) | Intrinsic::Condition(n) => s(n),
            Intrinsic::GetAtt {
                resource,
                attribute,
            } => l(vec![s(resource), attribute.clone()]),
            Intrinsic::Sub { template, vars } => match vars {
                None => s(template),
                Some(v) => l(vec![s(template), Expr::Map(v.clone())]),
            },
            Intrinsic::Join { delimiter, values } => l(vec![s(delimiter), values.clone()]),
            Intrinsic::Select { index, list } => l(vec![index.clone(), list.clone()]),
            Intrinsic::Split { delimiter, source } => l(vec![s(delimiter), source.clone()]),
            Intrinsic::GetAZs(e)
            | Intrinsic::ImportValue(e)
            | Intrinsic::Base64(e)
            | Intrinsic::RefAll(e)
            | Intrinsic::Length(e)
            | Intrinsic::GetStackOutput(e)
            | Intrinsic::Transformed { argument: e, .. }
            | Intrinsic::ToJsonString(e) => e.clone(),
            Intrinsic::TransformList(v) => l(v.clone()),
            Intrinsic::Not(e) => l(vec![e.clone()]),
            Intrinsic::Cidr {
                ip_block,
                count,
                cidr_bits,
            } => l(vec![ip_block.clone(), count.clone(), cidr_bits.clone()]),
            Intrinsic::FindInMap {
                map,
                top_key,
                second_key,
                default,
            } => {
                let mut v = vec![map.clone(), top_key.clone(), second_key.clone()];
                if let Some(d) = default {
                    let mut m = ExprMap::new();
                    m.insert("DefaultValue".into(), d.clone());
                    v.push(Expr::Map(m));
                }
                l(v)
            }
            Intrinsic::If {
                condition,
                then,
                otherwise,
            } => l(vec![s(condition), then.clone(), otherwise.clone()]),
            Intrinsic::Equals(a, b)
            | Intrinsic::Contains(a, b)
            | Intrinsic::EachMemberEquals(a, b)
            | Intrinsic::EachMemberIn(a, b)
            | Intrinsic::ValueOf(a, b)
            | Intrinsic::ValueOfAll(a, b) => l(vec![a.clone(), b.clone()]),
            Intrinsic::And(v) | Intrinsic::Or(v) => l(v.clone()),
            Intrinsic::Transform { name, parameters } => {
                let mut m = ExprMap::new();
                m.insert("Name".into(), name.clone());
                m.insert("Parameters".into(), Expr::Map(parameters.clone()));
                Expr::Map(m)
            }
        }
    }

    /// The direct sub-expressions of this function (for walking the tree).
    pub fn children(&self) -> Vec<&Expr> {
        match self {
            Intrinsic::Ref(_) | Intrinsic::Condition(_) => vec![],
            Intrinsic::GetAtt { attribute, .. } => vec![attribute],
            Intrinsic::Sub { vars, .. } => vars.iter().flat_map(|m| m.values()).collect(),
            Intrinsic::Join { values, .. } => vec![values],
            Intrinsic::Select { index, list } => vec![index, list],
            Intrinsic::Split { source, .. } => vec![source],
            Intrinsic::GetAZs(e)
            | Intrinsic::ImportValue(e)
            | Intrinsic::Base64(e)
            | Intrinsic::Not(e)
            | Intrinsic::RefAll(e)
            | Intrinsic::Length(e)
            | Intrinsic::GetStackOutput(e)
            | Intrinsic::Transformed { argument: e, .. }
            | Intrinsic::ToJsonString(e) => vec![e],
            Intrinsic::TransformList(v) => v.iter().collect(),
            Intrinsic::Cidr {
                ip_block,
                count,
                cidr_bits,
            } => vec![ip_block, count, cidr_bits],
            Intrinsic::FindInMap {
                map,
                top_key,
                second_key,
                default,
            } => {
                let mut v = vec![map, top_key, second_key];
                v.extend(default.iter());
                v
            }
            Intrinsic::If {
                then, otherwise, ..
            } => vec![then, otherwise],
            Intrinsic::Equals(a, b)
            | Intrinsic::Contains(a, b)
            | Intrinsic::EachMemberEquals(a, b)
            | Intrinsic::EachMemberIn(a, b)
            | Intrinsic::ValueOf(a, b)
            | Intrinsic::ValueOfAll(a, b) => vec![a, b],
            Intrinsic::And(v) | Intrinsic::Or(v) => v.iter().collect(),
            Intrinsic::Transform { name, parameters } => {
                let mut v = vec![name];
                v.extend(parameters.values());
                v
            }
        }
    }
}

impl Serialize for Intrinsic {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry(self.name(), &self.argument())?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intrinsic_serializes_in_long_form() {
        let e = Expr::func(Intrinsic::GetAtt {
            resource: "Vpc".into(),
            attribute: "CidrBlock".into(),
        });
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"Fn::GetAtt":["Vpc","CidrBlock"]}"#
        );
    }
}

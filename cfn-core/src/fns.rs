//! Intrinsic functions, typed.
//!
//! Each function returns a [`Value`] of the type the intrinsic yields, so it
//! can go wherever a literal of that type can. `Ref` and `Fn::GetAtt` come
//! from the handles a [`Template`](crate::Template) returns instead, so that
//! their targets exist and their attribute names are checked.
//!
//! ```
//! use cfn_core::{fns, pseudo, Template, Parameter, Value};
//! let mut t = Template::new();
//! let env = t.add_parameter("Env", Parameter::string().allowed_values(["dev", "prod"])).unwrap();
//! let is_prod = t.add_condition("IsProd", fns::equals(env.reference(), "prod")).unwrap();
//! let size: Value<String> = fns::if_(&is_prod, "m7g.large", "t4g.small");
//! let name = fns::join("-", vec![pseudo::stack_name(), "web".into()]);
//! # let _ = (size, name);
//! ```

use crate::expr::{Expr, ExprMap, Intrinsic};
use crate::template::{ConditionHandle, MappingHandle};
use crate::value::{Json, Origin, Value};

/// An intrinsic whose arguments came from values of origin `o`.
fn v<T>(f: Intrinsic, o: Origin) -> Value<T> {
    Value::from_parts_unchecked(Expr::func(f), o)
}

/// Collects the origins of the values an intrinsic is built from.
#[derive(Default)]
struct Parts(Origin);

impl Parts {
    fn take<T>(&mut self, value: Value<T>) -> Expr {
        let (e, o) = value.into_parts();
        self.0 = self.0.merge(o);
        e
    }
    fn cond(&mut self, c: CondExpr) -> Expr {
        self.0 = self.0.merge(c.1);
        c.0
    }
    fn id(&mut self, id: &crate::LogicalId) -> String {
        self.0 = self.0.merge(Origin::of_id(id));
        id.as_str().to_owned()
    }
}

/// A condition expression: `Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not` or
/// `Condition`. Declare it with [`Template::add_condition`](crate::Template::add_condition).
#[derive(Debug, Clone)]
pub struct CondExpr(pub(crate) Expr, pub(crate) Origin);

impl PartialEq for CondExpr {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl CondExpr {
    /// The underlying expression.
    pub fn expr(&self) -> &Expr {
        &self.0
    }
    /// Wraps an expression without checking that it is a condition.
    pub fn from_expr_unchecked(e: Expr) -> Self {
        CondExpr(e, Origin::None)
    }
    /// Which template the handles inside it came from.
    pub fn origin(&self) -> Origin {
        self.1
    }
}

impl From<&ConditionHandle> for CondExpr {
    fn from(c: &ConditionHandle) -> Self {
        condition(c)
    }
}

/// `Fn::Sub` with `${Name}` placeholders for parameters, resources
/// (`${Bucket}`, `${Bucket.Arn}`) and pseudo parameters.
pub fn sub(template: impl Into<String>) -> Value<String> {
    v(
        Intrinsic::Sub {
            template: template.into(),
            vars: None,
        },
        Origin::None,
    )
}

/// `Fn::Sub` with a variable map.
///
/// ```
/// use cfn_core::{fns, pseudo};
/// let s = fns::sub_with("${Name}-logs", [("Name", pseudo::stack_name())]);
/// assert_eq!(
///     serde_json::to_string(&s).unwrap(),
///     r#"{"Fn::Sub":["${Name}-logs",{"Name":{"Ref":"AWS::StackName"}}]}"#
/// );
/// ```
pub fn sub_with<'a>(
    template: impl Into<String>,
    vars: impl IntoIterator<Item = (&'a str, Value<String>)>,
) -> Value<String> {
    let mut p = Parts::default();
    let vars: ExprMap = vars
        .into_iter()
        .map(|(k, v)| (k.to_owned(), p.take(v)))
        .collect();
    v(
        Intrinsic::Sub {
            template: template.into(),
            vars: Some(vars),
        },
        p.0,
    )
}

/// `Fn::Join`: joins strings with a delimiter.
pub fn join(delimiter: impl Into<String>, values: impl Into<Value<Vec<String>>>) -> Value<String> {
    let mut p = Parts::default();
    let f = Intrinsic::Join {
        delimiter: delimiter.into(),
        values: p.take(values.into()),
    };
    v(f, p.0)
}

/// `Fn::Select`: the element at `index` of a list.
pub fn select<T>(index: impl Into<Value<i64>>, list: impl Into<Value<Vec<T>>>) -> Value<T> {
    let mut p = Parts::default();
    let f = Intrinsic::Select {
        index: p.take(index.into()),
        list: p.take(list.into()),
    };
    v(f, p.0)
}

/// `Fn::Split`: splits a string on a delimiter.
pub fn split(delimiter: impl Into<String>, source: impl Into<Value<String>>) -> Value<Vec<String>> {
    let mut p = Parts::default();
    let f = Intrinsic::Split {
        delimiter: delimiter.into(),
        source: p.take(source.into()),
    };
    v(f, p.0)
}

/// `Fn::GetAZs`: the Availability Zones of a region; `""` or
/// [`pseudo::region()`](crate::pseudo::region) for the stack's own.
pub fn get_azs(region: impl Into<Value<String>>) -> Value<Vec<String>> {
    let (e, o) = region.into().into_parts();
    v(Intrinsic::GetAZs(e), o)
}

/// `Fn::Cidr`: `count` CIDR blocks of `cidr_bits` host bits carved from
/// `ip_block`.
pub fn cidr(
    ip_block: impl Into<Value<String>>,
    count: impl Into<Value<i64>>,
    cidr_bits: impl Into<Value<i64>>,
) -> Value<Vec<String>> {
    let mut p = Parts::default();
    let f = Intrinsic::Cidr {
        ip_block: p.take(ip_block.into()),
        count: p.take(count.into()),
        cidr_bits: p.take(cidr_bits.into()),
    };
    v(f, p.0)
}

/// `Fn::ImportValue`: a value exported by another stack.
pub fn import_value<T>(export_name: impl Into<Value<String>>) -> Value<T> {
    let (e, o) = export_name.into().into_parts();
    v(Intrinsic::ImportValue(e), o)
}

/// `Fn::FindInMap`: a value from a declared mapping.
pub fn find_in_map<T>(
    map: &MappingHandle,
    top_key: impl Into<Value<String>>,
    second_key: impl Into<Value<String>>,
) -> Value<T> {
    let mut p = Parts::default();
    let f = Intrinsic::FindInMap {
        map: Expr::String(p.id(map.id())),
        top_key: p.take(top_key.into()),
        second_key: p.take(second_key.into()),
        default: None,
    };
    v(f, p.0)
}

/// `Fn::FindInMap` with a `DefaultValue` (needs the
/// `AWS::LanguageExtensions` transform).
pub fn find_in_map_or<T>(
    map: &MappingHandle,
    top_key: impl Into<Value<String>>,
    second_key: impl Into<Value<String>>,
    default: impl Into<Value<T>>,
) -> Value<T> {
    let mut p = Parts::default();
    let f = Intrinsic::FindInMap {
        map: Expr::String(p.id(map.id())),
        top_key: p.take(top_key.into()),
        second_key: p.take(second_key.into()),
        default: Some(p.take(default.into())),
    };
    v(f, p.0)
}

/// `Fn::Base64`: base64-encodes a string (EC2 user data).
pub fn base64(value: impl Into<Value<String>>) -> Value<String> {
    let (e, o) = value.into().into_parts();
    v(Intrinsic::Base64(e), o)
}

/// `Fn::If`: `then` when the condition holds, else `otherwise`. Pass
/// [`pseudo::no_value()`](crate::pseudo::no_value) to drop a property.
pub fn if_<T>(
    condition: &ConditionHandle,
    then: impl Into<Value<T>>,
    otherwise: impl Into<Value<T>>,
) -> Value<T> {
    let mut p = Parts::default();
    let f = Intrinsic::If {
        condition: p.id(condition.id()),
        then: p.take(then.into()),
        otherwise: p.take(otherwise.into()),
    };
    v(f, p.0)
}

/// `Fn::Equals`: whether two values are equal.
pub fn equals<T>(a: impl Into<Value<T>>, b: impl Into<Value<T>>) -> CondExpr {
    let mut p = Parts::default();
    let f = Intrinsic::Equals(p.take(a.into()), p.take(b.into()));
    CondExpr(Expr::func(f), p.0)
}

/// `Fn::And`: all of 2 to 10 conditions.
pub fn and(conditions: impl IntoIterator<Item = CondExpr>) -> CondExpr {
    let mut p = Parts::default();
    let f = Intrinsic::And(conditions.into_iter().map(|c| p.cond(c)).collect());
    CondExpr(Expr::func(f), p.0)
}

/// `Fn::Or`: any of 2 to 10 conditions.
pub fn or(conditions: impl IntoIterator<Item = CondExpr>) -> CondExpr {
    let mut p = Parts::default();
    let f = Intrinsic::Or(conditions.into_iter().map(|c| p.cond(c)).collect());
    CondExpr(Expr::func(f), p.0)
}

/// `Fn::Not`: negates a condition.
pub fn not(condition: impl Into<CondExpr>) -> CondExpr {
    let c = condition.into();
    CondExpr(Expr::func(Intrinsic::Not(c.0)), c.1)
}

/// `Condition`: a declared condition used inside another condition.
pub fn condition(c: &ConditionHandle) -> CondExpr {
    CondExpr(
        Expr::func(Intrinsic::Condition(c.id().as_str().to_owned())),
        Origin::of_id(c.id()),
    )
}

/// `Fn::Transform`: calls a macro such as `AWS::Include`.
pub fn transform<'a>(
    name: impl Into<Value<String>>,
    parameters: impl IntoIterator<Item = (&'a str, Value<Json>)>,
) -> Value<Json> {
    let mut p = Parts::default();
    let f = Intrinsic::Transform {
        name: p.take(name.into()),
        parameters: parameters
            .into_iter()
            .map(|(k, v)| (k.to_owned(), p.take(v)))
            .collect(),
    };
    v(f, p.0)
}

/// `Fn::Length` (`AWS::LanguageExtensions`): the number of elements.
pub fn length<T>(list: impl Into<Value<Vec<T>>>) -> Value<i64> {
    let (e, o) = list.into().into_parts();
    v(Intrinsic::Length(e), o)
}

/// `Fn::ToJsonString` (`AWS::LanguageExtensions`): an object as a string.
pub fn to_json_string(value: impl Into<Value<Json>>) -> Value<String> {
    let (e, o) = value.into().into_parts();
    v(Intrinsic::ToJsonString(e), o)
}

/// A dynamic reference to an SSM `String` parameter:
/// `{{resolve:ssm:name}}` or `{{resolve:ssm:name:version}}`. The value is
/// resolved by CloudFormation at deploy time and never sits in the template.
///
/// ```
/// use cfn_core::fns;
/// assert_eq!(fns::resolve_ssm("/raven/ami", Some(3)).expr().as_str(), Some("{{resolve:ssm:/raven/ami:3}}"));
/// ```
pub fn resolve_ssm(name: &str, version: Option<u32>) -> Value<String> {
    let s = match version {
        Some(ver) => format!("{{{{resolve:ssm:{name}:{ver}}}}}"),
        None => format!("{{{{resolve:ssm:{name}}}}}"),
    };
    Value::from_expr_unchecked(Expr::String(s))
}

/// A dynamic reference to an SSM `SecureString` parameter
/// (`{{resolve:ssm-secure:name:version}}`).
pub fn resolve_ssm_secure(name: &str, version: Option<u32>) -> Value<String> {
    let s = match version {
        Some(ver) => format!("{{{{resolve:ssm-secure:{name}:{ver}}}}}"),
        None => format!("{{{{resolve:ssm-secure:{name}}}}}"),
    };
    Value::from_expr_unchecked(Expr::String(s))
}

/// A dynamic reference to a Secrets Manager secret:
/// `{{resolve:secretsmanager:secret-id:SecretString:json-key:version-stage:version-id}}`.
///
/// ```
/// use cfn_core::fns;
/// let pw = fns::resolve_secret("raven/db", Some("password"), None, None);
/// assert_eq!(pw.expr().as_str(), Some("{{resolve:secretsmanager:raven/db:SecretString:password}}"));
/// ```
pub fn resolve_secret(
    secret_id: &str,
    json_key: Option<&str>,
    version_stage: Option<&str>,
    version_id: Option<&str>,
) -> Value<String> {
    let mut s = format!("{{{{resolve:secretsmanager:{secret_id}");
    if json_key.is_some() || version_stage.is_some() || version_id.is_some() {
        s.push_str(":SecretString:");
        s.push_str(json_key.unwrap_or(""));
        if version_stage.is_some() || version_id.is_some() {
            s.push(':');
            s.push_str(version_stage.unwrap_or(""));
            s.push(':');
            s.push_str(version_id.unwrap_or(""));
        }
    }
    s.push_str("}}");
    Value::from_expr_unchecked(Expr::String(s))
}

/// Counts dynamic references (`{{resolve:...}}`) in a string.
pub fn count_dynamic_references(s: &str) -> usize {
    s.matches("{{resolve:").count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_reference_forms() {
        assert_eq!(
            resolve_secret("s", None, None, None).expr().as_str(),
            Some("{{resolve:secretsmanager:s}}")
        );
        assert_eq!(
            resolve_secret("s", None, Some("AWSPREVIOUS"), None)
                .expr()
                .as_str(),
            Some("{{resolve:secretsmanager:s:SecretString::AWSPREVIOUS:}}")
        );
        assert_eq!(count_dynamic_references("{{resolve:a}} {{resolve:b}}"), 2);
    }
}

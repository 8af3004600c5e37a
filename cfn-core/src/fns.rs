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
use crate::value::{Json, Value};

fn v<T>(f: Intrinsic) -> Value<T> {
    Value::from_expr_unchecked(Expr::func(f))
}

/// A condition expression: `Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not` or
/// `Condition`. Declare it with [`Template::add_condition`](crate::Template::add_condition).
#[derive(Debug, Clone, PartialEq)]
pub struct CondExpr(pub(crate) Expr);

impl CondExpr {
    /// The underlying expression.
    pub fn expr(&self) -> &Expr {
        &self.0
    }
    /// Wraps an expression without checking that it is a condition.
    pub fn from_expr_unchecked(e: Expr) -> Self {
        CondExpr(e)
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
    v(Intrinsic::Sub {
        template: template.into(),
        vars: None,
    })
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
    let vars: ExprMap = vars
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.into_expr()))
        .collect();
    v(Intrinsic::Sub {
        template: template.into(),
        vars: Some(vars),
    })
}

/// `Fn::Join`: joins strings with a delimiter.
pub fn join(delimiter: impl Into<String>, values: impl Into<Value<Vec<String>>>) -> Value<String> {
    v(Intrinsic::Join {
        delimiter: delimiter.into(),
        values: values.into().into_expr(),
    })
}

/// `Fn::Select`: the element at `index` of a list.
pub fn select<T>(index: impl Into<Value<i64>>, list: impl Into<Value<Vec<T>>>) -> Value<T> {
    v(Intrinsic::Select {
        index: index.into().into_expr(),
        list: list.into().into_expr(),
    })
}

/// `Fn::Split`: splits a string on a delimiter.
pub fn split(delimiter: impl Into<String>, source: impl Into<Value<String>>) -> Value<Vec<String>> {
    v(Intrinsic::Split {
        delimiter: delimiter.into(),
        source: source.into().into_expr(),
    })
}

/// `Fn::GetAZs`: the Availability Zones of a region; `""` or
/// [`pseudo::region()`](crate::pseudo::region) for the stack's own.
pub fn get_azs(region: impl Into<Value<String>>) -> Value<Vec<String>> {
    v(Intrinsic::GetAZs(region.into().into_expr()))
}

/// `Fn::Cidr`: `count` CIDR blocks of `cidr_bits` host bits carved from
/// `ip_block`.
pub fn cidr(
    ip_block: impl Into<Value<String>>,
    count: impl Into<Value<i64>>,
    cidr_bits: impl Into<Value<i64>>,
) -> Value<Vec<String>> {
    v(Intrinsic::Cidr {
        ip_block: ip_block.into().into_expr(),
        count: count.into().into_expr(),
        cidr_bits: cidr_bits.into().into_expr(),
    })
}

/// `Fn::ImportValue`: a value exported by another stack.
pub fn import_value<T>(export_name: impl Into<Value<String>>) -> Value<T> {
    v(Intrinsic::ImportValue(export_name.into().into_expr()))
}

/// `Fn::FindInMap`: a value from a declared mapping.
pub fn find_in_map<T>(
    map: &MappingHandle,
    top_key: impl Into<Value<String>>,
    second_key: impl Into<Value<String>>,
) -> Value<T> {
    v(Intrinsic::FindInMap {
        map: Expr::String(map.id().as_str().to_owned()),
        top_key: top_key.into().into_expr(),
        second_key: second_key.into().into_expr(),
        default: None,
    })
}

/// `Fn::FindInMap` with a `DefaultValue` (needs the
/// `AWS::LanguageExtensions` transform).
pub fn find_in_map_or<T>(
    map: &MappingHandle,
    top_key: impl Into<Value<String>>,
    second_key: impl Into<Value<String>>,
    default: impl Into<Value<T>>,
) -> Value<T> {
    v(Intrinsic::FindInMap {
        map: Expr::String(map.id().as_str().to_owned()),
        top_key: top_key.into().into_expr(),
        second_key: second_key.into().into_expr(),
        default: Some(default.into().into_expr()),
    })
}

/// `Fn::Base64`: base64-encodes a string (EC2 user data).
pub fn base64(value: impl Into<Value<String>>) -> Value<String> {
    v(Intrinsic::Base64(value.into().into_expr()))
}

/// `Fn::If`: `then` when the condition holds, else `otherwise`. Pass
/// [`pseudo::no_value()`](crate::pseudo::no_value) to drop a property.
pub fn if_<T>(
    condition: &ConditionHandle,
    then: impl Into<Value<T>>,
    otherwise: impl Into<Value<T>>,
) -> Value<T> {
    v(Intrinsic::If {
        condition: condition.id().as_str().to_owned(),
        then: then.into().into_expr(),
        otherwise: otherwise.into().into_expr(),
    })
}

/// `Fn::Equals`: whether two values are equal.
pub fn equals<T>(a: impl Into<Value<T>>, b: impl Into<Value<T>>) -> CondExpr {
    CondExpr(Expr::func(Intrinsic::Equals(
        a.into().into_expr(),
        b.into().into_expr(),
    )))
}

/// `Fn::And`: all of 2 to 10 conditions.
pub fn and(conditions: impl IntoIterator<Item = CondExpr>) -> CondExpr {
    CondExpr(Expr::func(Intrinsic::And(
        conditions.into_iter().map(|c| c.0).collect(),
    )))
}

/// `Fn::Or`: any of 2 to 10 conditions.
pub fn or(conditions: impl IntoIterator<Item = CondExpr>) -> CondExpr {
    CondExpr(Expr::func(Intrinsic::Or(
        conditions.into_iter().map(|c| c.0).collect(),
    )))
}

/// `Fn::Not`: negates a condition.
pub fn not(condition: impl Into<CondExpr>) -> CondExpr {
    CondExpr(Expr::func(Intrinsic::Not(condition.into().0)))
}

/// `Condition`: a declared condition used inside another condition.
pub fn condition(c: &ConditionHandle) -> CondExpr {
    CondExpr(Expr::func(Intrinsic::Condition(c.id().as_str().to_owned())))
}

/// `Fn::Transform`: calls a macro such as `AWS::Include`.
pub fn transform<'a>(
    name: impl Into<Value<String>>,
    parameters: impl IntoIterator<Item = (&'a str, Value<Json>)>,
) -> Value<Json> {
    v(Intrinsic::Transform {
        name: name.into().into_expr(),
        parameters: parameters
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.into_expr()))
            .collect(),
    })
}

/// `Fn::Length` (`AWS::LanguageExtensions`): the number of elements.
pub fn length<T>(list: impl Into<Value<Vec<T>>>) -> Value<i64> {
    v(Intrinsic::Length(list.into().into_expr()))
}

/// `Fn::ToJsonString` (`AWS::LanguageExtensions`): an object as a string.
pub fn to_json_string(value: impl Into<Value<Json>>) -> Value<String> {
    v(Intrinsic::ToJsonString(value.into().into_expr()))
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

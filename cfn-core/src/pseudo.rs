//! Pseudo parameters: values CloudFormation provides to every stack.
//!
//! ```
//! use cfn_core::{pseudo, Expr};
//! let region = pseudo::region();
//! assert_eq!(serde_json::to_string(region.expr()).unwrap(), r#"{"Ref":"AWS::Region"}"#);
//! ```

use crate::expr::{Expr, Intrinsic};
use crate::value::Value;

/// Every pseudo parameter name.
pub const PSEUDO_PARAMETERS: &[&str] = &[
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::NoValue",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
];

/// Whether `name` is a pseudo parameter.
pub fn is_pseudo(name: &str) -> bool {
    PSEUDO_PARAMETERS.contains(&name)
}

fn r<T>(name: &str) -> Value<T> {
    Value::from_expr_unchecked(Expr::func(Intrinsic::Ref(name.to_owned())))
}

/// `AWS::AccountId`: the account the stack is created in (`123456789012`).
pub fn account_id() -> Value<String> {
    r("AWS::AccountId")
}
/// `AWS::NotificationARNs`: the stack's notification topic ARNs.
pub fn notification_arns() -> Value<Vec<String>> {
    r("AWS::NotificationARNs")
}
/// `AWS::NoValue`: removes the property it is given to (use inside
/// `Fn::If`). Converts into a `Value` of any type.
///
/// ```
/// use cfn_core::{fns, pseudo, Template, Parameter, Value};
/// let mut t = Template::new();
/// let p = t.add_parameter("Name", Parameter::string().default("")).unwrap();
/// let has_name = t.add_condition("HasName", fns::not(fns::equals(p.reference(), ""))).unwrap();
/// let name: Value<String> = fns::if_(&has_name, p.reference(), pseudo::no_value());
/// # let _ = name;
/// ```
pub fn no_value() -> NoValue {
    NoValue
}

/// `Ref: AWS::NoValue`, convertible into a `Value` of any type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoValue;

impl<T> From<NoValue> for Value<T> {
    fn from(_: NoValue) -> Self {
        r("AWS::NoValue")
    }
}

impl<T> crate::value::IntoValue<T> for NoValue {
    fn into_value(self) -> Value<T> {
        self.into()
    }
}
/// `AWS::Partition`: `aws`, `aws-cn`, `aws-us-gov`, ...
pub fn partition() -> Value<String> {
    r("AWS::Partition")
}
/// `AWS::Region`: the region the stack is created in.
pub fn region() -> Value<String> {
    r("AWS::Region")
}
/// `AWS::StackId`: the stack's ARN.
pub fn stack_id() -> Value<String> {
    r("AWS::StackId")
}
/// `AWS::StackName`: the stack's name.
pub fn stack_name() -> Value<String> {
    r("AWS::StackName")
}
/// `AWS::URLSuffix`: the domain suffix (`amazonaws.com`).
pub fn url_suffix() -> Value<String> {
    r("AWS::URLSuffix")
}

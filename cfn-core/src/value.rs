//! `Value<T>`: a typed template value, a literal `T` or any intrinsic that
//! yields a `T`.
//!
//! The type parameter is only a compile-time marker; the value itself is an
//! [`Expr`]. Literals convert with `.into()`; intrinsics come from [`crate::fns`],
//! [`crate::pseudo`] and the handles a [`Template`](crate::Template) returns.
//!
//! ```
//! use cfn_core::{fns, pseudo, Value};
//! let port: Value<i64> = 443.into();
//! let name: Value<String> = fns::sub("${AWS::StackName}-assets");
//! let azs: Value<Vec<String>> = fns::get_azs(pseudo::region());
//! let first: Value<String> = fns::select(0, azs);
//! let enabled: Value<bool> = true.into();
//! # let _ = (port, name, first, enabled);
//! ```

use crate::expr::Expr;
use crate::template::TemplateId;
use indexmap::IndexMap;
use serde::{Serialize, Serializer};
use std::fmt;
use std::marker::PhantomData;

/// A template value of type `T`: a literal or an intrinsic function.
///
/// Besides its expression a value remembers which [`Template`](crate::Template)
/// the handles inside it came from ([`Origin`]), so that a template refuses a
/// value built from another template's handle.
pub struct Value<T> {
    expr: Expr,
    origin: Origin,
    _type: PhantomData<fn() -> T>,
}

/// Which template the handles inside a value came from: none (literals,
/// pseudo parameters, `Fn::Sub` strings), one, or two different ones
/// (already a mistake). [`Template::add`](crate::Template::add) and the
/// other `add_*` methods refuse a value whose origin is another template.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Origin {
    /// No handle inside.
    #[default]
    None,
    /// Handles of one template.
    One(TemplateId),
    /// Handles of two different templates (the first two found).
    Mixed(TemplateId, TemplateId),
}

impl Origin {
    /// The origin of an ID: its template, if it has one.
    pub fn of_id(id: &crate::LogicalId) -> Origin {
        id.template().map_or(Origin::None, Origin::One)
    }

    /// The origin of a value combining both.
    pub fn merge(self, other: Origin) -> Origin {
        match (self, other) {
            (Origin::None, o) | (o, Origin::None) => o,
            (Origin::Mixed(..), _) => self,
            (_, Origin::Mixed(..)) => other,
            (Origin::One(a), Origin::One(b)) if a == b => self,
            (Origin::One(a), Origin::One(b)) => Origin::Mixed(a, b),
        }
    }

    /// The template other than `this` that the value's handles come from,
    /// if any: what makes the value wrong in `this`.
    pub fn foreign_to(self, this: TemplateId) -> Option<TemplateId> {
        match self {
            Origin::None => None,
            Origin::One(a) => (a != this).then_some(a),
            Origin::Mixed(a, b) => Some(if a != this { a } else { b }),
        }
    }
}

/// Marker for free-form JSON values (policy documents, `Metadata`, ...).
/// `Value<Json>` accepts any [`Expr`], intrinsics included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Json {}

/// Implemented by marker types whose values are string identifiers of some
/// resource (a VPC id, a role ARN). Such a value converts into
/// `Value<String>`, and a literal can be given explicitly with
/// [`Value::existing`], for resources outside the stack.
pub trait Identifier {
    /// What the identifier is, for documentation and messages (`AWS::EC2::VPC.Id`).
    const DESCRIPTION: &'static str;
}

/// Implemented by generated property structs: they render to a map.
pub trait ToExpr {
    /// The expression this value renders to.
    fn to_expr(&self) -> Expr;
    /// Which template the handles inside it came from (none by default).
    fn origin(&self) -> Origin {
        Origin::None
    }
}

impl<T> Value<T> {
    /// Wraps an expression without checking that it yields a `T`. Prefer the
    /// typed constructors; this is the escape hatch for values the types
    /// cannot describe.
    pub fn from_expr_unchecked(expr: Expr) -> Self {
        Value {
            expr,
            origin: Origin::None,
            _type: PhantomData,
        }
    }

    /// Like [`Value::from_expr_unchecked`], keeping the origin of the
    /// values the expression was built from (for intrinsics over values).
    pub fn from_parts_unchecked(expr: Expr, origin: Origin) -> Self {
        Value {
            expr,
            origin,
            _type: PhantomData,
        }
    }

    /// Which template the handles inside this value came from.
    pub fn origin(&self) -> Origin {
        self.origin
    }

    /// The expression and its origin.
    pub fn into_parts(self) -> (Expr, Origin) {
        (self.expr, self.origin)
    }

    /// The underlying expression.
    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    /// Consumes the value, returning the underlying expression.
    pub fn into_expr(self) -> Expr {
        self.expr
    }

    /// Reinterprets the value as another type, unchecked. Named so that it
    /// stands out in review.
    pub fn cast_unchecked<U>(self) -> Value<U> {
        Value::from_parts_unchecked(self.expr, self.origin)
    }

    /// Forgets the type: any value can go where free-form JSON is accepted.
    pub fn into_json(self) -> Value<Json> {
        self.cast_unchecked()
    }

    /// Whether the value is a literal (no intrinsic inside).
    pub fn is_literal(&self) -> bool {
        self.expr.is_literal()
    }
}

impl<T: Identifier> Value<T> {
    /// An identifier of a resource outside this stack, given literally
    /// (`vpc-0abc...`). Explicit on purpose: inside a stack, take the id from
    /// the resource's handle so the dependency is tracked.
    ///
    /// ```
    /// use cfn_core::{Identifier, Value};
    /// struct VpcId;
    /// impl Identifier for VpcId { const DESCRIPTION: &'static str = "AWS::EC2::VPC.Id"; }
    /// let v: Value<VpcId> = Value::existing("vpc-0123456789abcdef0");
    /// assert_eq!(v.expr().as_str(), Some("vpc-0123456789abcdef0"));
    /// ```
    pub fn existing(id: impl Into<String>) -> Self {
        Value::from_expr_unchecked(Expr::String(id.into()))
    }

    /// An identifier computed by some string expression (a parameter,
    /// `Fn::ImportValue`, `Fn::FindInMap`): the caller vouches that it names
    /// the right kind of resource.
    pub fn from_string(v: Value<String>) -> Self {
        v.cast_unchecked()
    }
}

impl<T: Identifier> From<Value<T>> for Value<String> {
    fn from(v: Value<T>) -> Self {
        v.cast_unchecked()
    }
}

impl<T> Clone for Value<T> {
    fn clone(&self) -> Self {
        Value::from_parts_unchecked(self.expr.clone(), self.origin)
    }
}

impl<T> PartialEq for Value<T> {
    fn eq(&self, other: &Self) -> bool {
        self.expr == other.expr
    }
}

impl<T> fmt::Debug for Value<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.expr.fmt(f)
    }
}

impl<T> Serialize for Value<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.expr.serialize(s)
    }
}

impl<T> From<Value<T>> for Expr {
    fn from(v: Value<T>) -> Self {
        v.expr
    }
}

impl<T> From<&Value<T>> for Expr {
    fn from(v: &Value<T>) -> Self {
        v.expr.clone()
    }
}

impl From<&str> for Value<String> {
    fn from(v: &str) -> Self {
        Value::from_expr_unchecked(Expr::String(v.to_owned()))
    }
}
impl From<String> for Value<String> {
    fn from(v: String) -> Self {
        Value::from_expr_unchecked(Expr::String(v))
    }
}
impl From<&String> for Value<String> {
    fn from(v: &String) -> Self {
        Value::from_expr_unchecked(Expr::String(v.clone()))
    }
}
impl From<bool> for Value<bool> {
    fn from(v: bool) -> Self {
        Value::from_expr_unchecked(Expr::Bool(v))
    }
}
macro_rules! int_values {
    ($($t:ty),*) => {$(
        impl From<$t> for Value<i64> {
            fn from(v: $t) -> Self { Value::from_expr_unchecked(Expr::from(v)) }
        }
        impl From<$t> for Value<f64> {
            fn from(v: $t) -> Self { Value::from_expr_unchecked(Expr::from(v)) }
        }
    )*};
}
int_values!(i32, i64, u8, u16, u32);
impl From<f64> for Value<f64> {
    fn from(v: f64) -> Self {
        Value::from_expr_unchecked(Expr::from(v))
    }
}
impl From<serde_json::Value> for Value<Json> {
    fn from(v: serde_json::Value) -> Self {
        Value::from_expr_unchecked(crate::parse::expr_from_json_lossy(v))
    }
}
impl From<Expr> for Value<Json> {
    fn from(v: Expr) -> Self {
        Value::from_expr_unchecked(v)
    }
}
impl From<&str> for Value<Json> {
    fn from(v: &str) -> Self {
        Value::from_expr_unchecked(Expr::String(v.to_owned()))
    }
}

/// A list of values, keeping their origins.
fn list_of<T, U>(items: impl IntoIterator<Item = Value<T>>) -> Value<U> {
    let mut origin = Origin::None;
    let list = items
        .into_iter()
        .map(|x| {
            origin = origin.merge(x.origin);
            x.expr
        })
        .collect();
    Value::from_parts_unchecked(Expr::List(list), origin)
}

/// A map of values, keeping their origins.
fn map_of<T, U>(entries: impl IntoIterator<Item = (String, Value<T>)>) -> Value<U> {
    let mut origin = Origin::None;
    let map = entries
        .into_iter()
        .map(|(k, x)| {
            origin = origin.merge(x.origin);
            (k, x.expr)
        })
        .collect();
    Value::from_parts_unchecked(Expr::Map(map), origin)
}

impl<T, V: Into<Value<T>>> From<Vec<V>> for Value<Vec<T>> {
    fn from(v: Vec<V>) -> Self {
        list_of(v.into_iter().map(Into::into))
    }
}

impl<T, V: Into<Value<T>>, const N: usize> From<[V; N]> for Value<Vec<T>> {
    fn from(v: [V; N]) -> Self {
        list_of(v.into_iter().map(Into::into))
    }
}

impl<T, V: Into<Value<T>>> From<IndexMap<String, V>> for Value<IndexMap<String, T>> {
    fn from(v: IndexMap<String, V>) -> Self {
        map_of(v.into_iter().map(|(k, x)| (k, x.into())))
    }
}

impl<T: ToExpr> From<T> for Value<T> {
    fn from(v: T) -> Self {
        Value::from_parts_unchecked(v.to_expr(), v.origin())
    }
}

/// What the setters of generated resource types accept for a `Value<T>`:
/// a `Value<T>` (a literal converted, an intrinsic, a handle's
/// `reference()` or attribute), or a literal of `T` itself. The same
/// conversions as `Into<Value<T>>`, in a trait of this crate so that a
/// mistake is reported in one line that names both types ("`Value<SubnetId>`
/// does not fit where a `Value<VpcId>` belongs", "`&str` does not fit where a
/// `Value<Runtime>` belongs") instead of a list of unrelated `From` impls.
///
/// ```
/// use cfn_core::{IntoValue, Value};
/// fn port(p: impl IntoValue<i64>) -> Value<i64> { p.into_value() }
/// assert_eq!(serde_json::to_string(&port(443)).unwrap(), "443");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not fit where a `Value<{T}>` belongs",
    label = "expected a `Value<{T}>` here",
    note = "an enum takes one of its variants (`{T}::...`, or `{T}::from_value(..)` for a value it does not list yet); a typed id or ARN comes from the handle of the resource it names (`handle.reference()`, `handle.arn()`), or `Value::existing(\"...\")` for a resource outside the stack; a number or a boolean is written as one"
)]
pub trait IntoValue<T> {
    /// The value.
    fn into_value(self) -> Value<T>;
}

impl<T> IntoValue<T> for Value<T> {
    #[inline]
    fn into_value(self) -> Value<T> {
        self
    }
}
impl<T: Identifier> IntoValue<String> for Value<T> {
    fn into_value(self) -> Value<String> {
        self.into()
    }
}
impl<T: ToExpr> IntoValue<T> for T {
    fn into_value(self) -> Value<T> {
        self.into()
    }
}
impl IntoValue<String> for &str {
    fn into_value(self) -> Value<String> {
        self.into()
    }
}
impl IntoValue<String> for String {
    fn into_value(self) -> Value<String> {
        self.into()
    }
}
impl IntoValue<String> for &String {
    fn into_value(self) -> Value<String> {
        self.into()
    }
}
impl IntoValue<bool> for bool {
    fn into_value(self) -> Value<bool> {
        self.into()
    }
}
impl IntoValue<i64> for i32 {
    fn into_value(self) -> Value<i64> {
        self.into()
    }
}
impl IntoValue<i64> for i64 {
    fn into_value(self) -> Value<i64> {
        self.into()
    }
}
impl IntoValue<i64> for u8 {
    fn into_value(self) -> Value<i64> {
        self.into()
    }
}
impl IntoValue<i64> for u16 {
    fn into_value(self) -> Value<i64> {
        self.into()
    }
}
impl IntoValue<i64> for u32 {
    fn into_value(self) -> Value<i64> {
        self.into()
    }
}
impl IntoValue<f64> for i32 {
    fn into_value(self) -> Value<f64> {
        self.into()
    }
}
impl IntoValue<f64> for i64 {
    fn into_value(self) -> Value<f64> {
        self.into()
    }
}
impl IntoValue<f64> for u8 {
    fn into_value(self) -> Value<f64> {
        self.into()
    }
}
impl IntoValue<f64> for u16 {
    fn into_value(self) -> Value<f64> {
        self.into()
    }
}
impl IntoValue<f64> for u32 {
    fn into_value(self) -> Value<f64> {
        self.into()
    }
}
impl IntoValue<f64> for f64 {
    fn into_value(self) -> Value<f64> {
        self.into()
    }
}
impl IntoValue<Json> for serde_json::Value {
    fn into_value(self) -> Value<Json> {
        self.into()
    }
}
impl IntoValue<Json> for Expr {
    fn into_value(self) -> Value<Json> {
        self.into()
    }
}
impl IntoValue<Json> for &str {
    fn into_value(self) -> Value<Json> {
        self.into()
    }
}
impl<T, V: IntoValue<T>> IntoValue<Vec<T>> for Vec<V> {
    fn into_value(self) -> Value<Vec<T>> {
        list_of(self.into_iter().map(IntoValue::into_value))
    }
}
impl<T, V: IntoValue<T>, const N: usize> IntoValue<Vec<T>> for [V; N] {
    fn into_value(self) -> Value<Vec<T>> {
        list_of(self.into_iter().map(IntoValue::into_value))
    }
}
impl<T, V: IntoValue<T>> IntoValue<IndexMap<String, T>> for IndexMap<String, V> {
    fn into_value(self) -> Value<IndexMap<String, T>> {
        map_of(self.into_iter().map(|(k, x)| (k, x.into_value())))
    }
}

/// Builds a free-form JSON object whose values may hold intrinsics: the way
/// to write policy documents and metadata.
///
/// ```
/// use cfn_core::{json_object, fns, Value, Json};
/// let doc: Value<Json> = json_object([
///     ("Version", "2012-10-17".into()),
///     ("Resource", fns::sub("arn:${AWS::Partition}:s3:::bucket/*").into_json()),
/// ]);
/// assert_eq!(
///     serde_json::to_string(&doc).unwrap(),
///     r#"{"Version":"2012-10-17","Resource":{"Fn::Sub":"arn:${AWS::Partition}:s3:::bucket/*"}}"#
/// );
/// ```
pub fn json_object<'a>(entries: impl IntoIterator<Item = (&'a str, Value<Json>)>) -> Value<Json> {
    map_of(entries.into_iter().map(|(k, v)| (k.to_owned(), v)))
}

/// Builds a free-form JSON list whose items may hold intrinsics.
pub fn json_list(items: impl IntoIterator<Item = Value<Json>>) -> Value<Json> {
    list_of(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_convert() {
        let v: Value<Vec<String>> = vec!["a", "b"].into();
        assert_eq!(
            v.expr(),
            &Expr::List(vec![Expr::from("a"), Expr::from("b")])
        );
        let n: Value<i64> = 5.into();
        assert_eq!(serde_json::to_string(&n).unwrap(), "5");
        let f: Value<f64> = 2.5.into();
        assert_eq!(serde_json::to_string(&f).unwrap(), "2.5");
        let m: Value<IndexMap<String, String>> = IndexMap::from([("k".to_string(), "v")]).into();
        assert_eq!(serde_json::to_string(&m).unwrap(), r#"{"k":"v"}"#);
    }

    #[test]
    fn identifiers_turn_into_strings() {
        struct SubnetId;
        impl Identifier for SubnetId {
            const DESCRIPTION: &'static str = "AWS::EC2::Subnet.Id";
        }
        let s: Value<SubnetId> = Value::existing("subnet-1");
        let as_string: Value<String> = s.into();
        assert_eq!(as_string.expr().as_str(), Some("subnet-1"));
    }
}

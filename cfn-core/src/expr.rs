//! The untyped expression tree: every value a template can hold.
//!
//! [`Expr`] is what [`Value<T>`](crate::Value) wraps. It is a JSON-like tree
//! (null, booleans, numbers, strings, lists, maps) in which any node may be an
//! intrinsic function ([`Intrinsic`]). Maps keep insertion order, so rendering
//! is deterministic. [`Intrinsic`] is in `expr/intrinsic.rs`.

use indexmap::IndexMap;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

mod intrinsic;
pub use intrinsic::{Intrinsic, INTRINSIC_NAMES};

/// An insertion-ordered map of strings to expressions.
pub type ExprMap = IndexMap<String, Expr>;

/// A template value: a literal or an intrinsic function call.
///
/// ```
/// use cfn_core::Expr;
/// let e = Expr::from("hello");
/// assert_eq!(serde_json::to_string(&e).unwrap(), "\"hello\"");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// JSON `null`.
    Null,
    /// A boolean literal.
    Bool(bool),
    /// A number literal (integer or float, kept exactly as written).
    Number(serde_json::Number),
    /// A string literal.
    String(String),
    /// A list.
    List(Vec<Expr>),
    /// A map with insertion-ordered keys.
    Map(ExprMap),
    /// An intrinsic function, condition function or pseudo-parameter reference.
    Fn(Box<Intrinsic>),
}

impl Expr {
    /// Wraps an intrinsic function.
    pub fn func(f: Intrinsic) -> Expr {
        Expr::Fn(Box::new(f))
    }

    /// The string, if this is a string literal.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Expr::String(s) => Some(s),
            _ => None,
        }
    }

    /// The intrinsic, if this is a function call.
    pub fn as_intrinsic(&self) -> Option<&Intrinsic> {
        match self {
            Expr::Fn(f) => Some(f),
            _ => None,
        }
    }

    /// Whether this is a literal (no intrinsic anywhere inside).
    pub fn is_literal(&self) -> bool {
        match self {
            Expr::Fn(_) => false,
            Expr::List(v) => v.iter().all(Expr::is_literal),
            Expr::Map(m) => m.values().all(Expr::is_literal),
            _ => true,
        }
    }

    /// Calls `f` on this expression and every expression inside it, depth
    /// first, with the path of each node relative to this one.
    pub fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a Expr)) {
        f(self);
        match self {
            Expr::List(v) => v.iter().for_each(|e| e.walk(f)),
            Expr::Map(m) => m.values().for_each(|e| e.walk(f)),
            Expr::Fn(i) => i.children().into_iter().for_each(|e| e.walk(f)),
            _ => {}
        }
    }

    /// Converts a `serde_json::Value` literally: objects that look like
    /// intrinsic functions stay plain maps. Use
    /// [`parse::expr_from_json`](crate::parse::expr_from_json) to recognise
    /// intrinsics.
    pub fn from_json_literal(v: serde_json::Value) -> Expr {
        match v {
            serde_json::Value::Null => Expr::Null,
            serde_json::Value::Bool(b) => Expr::Bool(b),
            serde_json::Value::Number(n) => Expr::Number(n),
            serde_json::Value::String(s) => Expr::String(s),
            serde_json::Value::Array(a) => {
                Expr::List(a.into_iter().map(Expr::from_json_literal).collect())
            }
            serde_json::Value::Object(o) => Expr::Map(
                o.into_iter()
                    .map(|(k, v)| (k, Expr::from_json_literal(v)))
                    .collect(),
            ),
        }
    }

    /// The expression as a `serde_json::Value`, intrinsics included in their
    /// long (`{"Fn::Name": ...}`) form.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

impl Serialize for Expr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Expr::Null => s.serialize_unit(),
            Expr::Bool(b) => s.serialize_bool(*b),
            Expr::Number(n) => n.serialize(s),
            Expr::String(v) => s.serialize_str(v),
            Expr::List(v) => {
                let mut seq = s.serialize_seq(Some(v.len()))?;
                for e in v {
                    seq.serialize_element(e)?;
                }
                seq.end()
            }
            Expr::Map(m) => {
                let mut map = s.serialize_map(Some(m.len()))?;
                for (k, v) in m {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
            Expr::Fn(f) => f.serialize(s),
        }
    }
}

impl From<&str> for Expr {
    fn from(v: &str) -> Self {
        Expr::String(v.to_owned())
    }
}
impl From<String> for Expr {
    fn from(v: String) -> Self {
        Expr::String(v)
    }
}
impl From<bool> for Expr {
    fn from(v: bool) -> Self {
        Expr::Bool(v)
    }
}
macro_rules! expr_from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Expr {
            fn from(v: $t) -> Self { Expr::Number(v.into()) }
        }
    )*};
}
expr_from_int!(i8, i16, i32, i64, u8, u16, u32, u64, usize, isize);
impl From<f64> for Expr {
    fn from(v: f64) -> Self {
        serde_json::Number::from_f64(v)
            .map(Expr::Number)
            .unwrap_or(Expr::Null)
    }
}
impl From<Vec<Expr>> for Expr {
    fn from(v: Vec<Expr>) -> Self {
        Expr::List(v)
    }
}
impl From<ExprMap> for Expr {
    fn from(v: ExprMap) -> Self {
        Expr::Map(v)
    }
}
impl From<Intrinsic> for Expr {
    fn from(v: Intrinsic) -> Self {
        Expr::func(v)
    }
}

/// One piece of an `Fn::Sub` template string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubPart<'a> {
    /// Literal text (with `${!` escapes already turned into `${`).
    Text(String),
    /// A `${Name}` or `${Resource.Attribute}` placeholder.
    Var(&'a str),
}

/// Splits an `Fn::Sub` string into text and `${...}` placeholders.
/// `${!Literal}` is an escape and yields the text `${Literal}`.
///
/// ```
/// use cfn_core::expr::{sub_parts, SubPart};
/// let p = sub_parts("arn:${AWS::Partition}:s3:::${Bucket}/${!x}");
/// assert_eq!(p[1], SubPart::Var("AWS::Partition"));
/// assert_eq!(p[4], SubPart::Text("/${x}".into()));
/// ```
pub fn sub_parts(template: &str) -> Vec<SubPart<'_>> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        text.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        if let Some(stripped) = after.strip_prefix('!') {
            text.push_str("${");
            rest = stripped;
            continue;
        }
        match after.find('}') {
            Some(end) => {
                if !text.is_empty() {
                    parts.push(SubPart::Text(std::mem::take(&mut text)));
                }
                parts.push(SubPart::Var(after[..end].trim()));
                rest = &after[end + 1..];
            }
            None => {
                text.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    text.push_str(rest);
    if !text.is_empty() {
        parts.push(SubPart::Text(text));
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_parts_handles_escapes_and_unclosed() {
        assert_eq!(
            sub_parts("a${B}c${!D}${E.F}"),
            vec![
                SubPart::Text("a".into()),
                SubPart::Var("B"),
                SubPart::Text("c${D}".into()),
                SubPart::Var("E.F"),
            ]
        );
        assert_eq!(sub_parts("x${y"), vec![SubPart::Text("x${y".into())]);
        assert_eq!(sub_parts(""), vec![]);
    }

    #[test]
    fn is_literal_sees_nested_functions() {
        let e = Expr::List(vec![Expr::from(1), Expr::func(Intrinsic::Ref("X".into()))]);
        assert!(!e.is_literal());
        assert!(Expr::from("x").is_literal());
    }
}

//! The one tag type of every resource. Hand-written.
//!
//! The registry schemas define a tag struct per resource type (1,185
//! tag-shaped definitions: an object of exactly a string `Key` and a string
//! `Value`). The generator maps every one of them to [`Tag`] and re-exports
//! it in the resource's submodule under the schema's name, so
//! `s3::bucket::Tag`, `lambda::function::Tag` and `crate::Tag` are one type
//! and a tag list built once fits every resource.
//!
//! The schemas differ in what they require (`Value` is optional in 157 of
//! them, `Key` too in 78) and in lengths and patterns. The type does not
//! encode those: [`Tag::new`] sets both (what every schema accepts),
//! [`Tag::key_only`] only the key, and the schema validator
//! (`cfn_resources::schema`), which checks the rendered JSON, still reports
//! a missing `Value` or a key too long for the resource it is used on.

use crate::rt::{Expr, IntoValue, Origin, Props, ToExpr};

/// A resource tag: `{"Key": ..., "Value": ...}`.
///
/// ```
/// use cfn_resources::Tag;
/// let tags = vec![Tag::new("Environment", "prod"), Tag::new("Tier", "web")];
/// # let _ = tags;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Tag(Props);

impl Tag {
    const KEYS: &'static [&'static str] = &["Key", "Value"];

    /// A tag of `key` and `value` (either may be an intrinsic).
    pub fn new(key: impl IntoValue<String>, value: impl IntoValue<String>) -> Self {
        let mut p = Props::default();
        p.set_value("Key", key.into_value());
        p.set_value("Value", value.into_value());
        Tag(p)
    }

    /// A tag with a key and no value, for the resources whose schema makes
    /// `Value` optional (the validator reports it on the others).
    pub fn key_only(key: impl IntoValue<String>) -> Self {
        let mut p = Props::default();
        p.set_value("Key", key.into_value());
        Tag(p)
    }

    /// Tags from `(key, value)` pairs, in order.
    pub fn list<K, V>(pairs: impl IntoIterator<Item = (K, V)>) -> Vec<Tag>
    where
        K: IntoValue<String>,
        V: IntoValue<String>,
    {
        pairs.into_iter().map(|(k, v)| Tag::new(k, v)).collect()
    }
}

impl ToExpr for Tag {
    fn to_expr(&self) -> Expr {
        Expr::Map(self.0.clone().into_ordered(Self::KEYS))
    }
    fn origin(&self) -> Origin {
        self.0.origin()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_key_then_value() {
        let e = Tag::new("Name", "web").to_expr();
        let Expr::Map(m) = e else {
            panic!("not a map: {e:?}")
        };
        let keys: Vec<&str> = m.keys().map(String::as_str).collect();
        assert_eq!(keys, ["Key", "Value"]);
        let Expr::Map(m) = Tag::key_only("Name").to_expr() else {
            panic!()
        };
        assert_eq!(m.len(), 1);
        assert_eq!(Tag::list([("A", "1"), ("B", "2")]).len(), 2);
    }
}

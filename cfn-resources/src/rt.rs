//! Support for the generated code: the property map and the names the
//! generated tables use. Not part of the public API.

pub use cfn_core::{
    get_att, Attributes, Expr, ExprMap, Identifier, IntoValue, Json, KnownType, LogicalId, Origin,
    ResourceType, ToExpr, Value,
};

/// A map from property names to values (what the generated tables' `Map<T>` means).
pub type Map<T> = indexmap::IndexMap<String, T>;

/// The names the generated modules use.
pub mod prelude {
    pub use super::Map;
    pub use crate::ids;
    pub use cfn_core::Json;
}

/// The properties set so far on a generated struct, and the origins of
/// those built from handles (ignored by equality).
#[derive(Clone, Debug, Default)]
pub struct Props(ExprMap, Vec<(String, Origin)>);

impl PartialEq for Props {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl Props {
    /// Sets a property.
    #[inline]
    pub fn set(&mut self, key: &'static str, value: Expr) {
        self.0.insert(key.to_owned(), value);
    }

    /// Sets a property from a value, keeping its origin.
    #[inline]
    pub fn set_value<T>(&mut self, key: &'static str, value: Value<T>) {
        self.set_parts(key, value.into_parts());
    }

    fn set_parts(&mut self, key: &str, (expr, origin): (Expr, Origin)) {
        self.1.retain(|(k, _)| k != key);
        if origin != Origin::None {
            self.1.push((key.to_owned(), origin));
        }
        self.0.insert(key.to_owned(), expr);
    }

    /// Sets a property whose name is not known statically.
    pub fn set_owned(&mut self, key: &str, value: Value<Json>) {
        self.set_parts(key, value.into_parts());
    }

    /// The properties built from handles, with their origins.
    pub fn origins(&self) -> Vec<(String, Origin)> {
        self.1.clone()
    }

    /// The origin of the whole map (for nested property types).
    pub fn origin(&self) -> Origin {
        self.1
            .iter()
            .fold(Origin::None, |acc, (_, o)| acc.merge(*o))
    }

    /// The properties in schema order (`keys`), then any set by name.
    pub fn into_ordered(self, keys: &[&str]) -> ExprMap {
        let mut map = self.0;
        let mut out = ExprMap::with_capacity(map.len());
        for k in keys {
            if let Some((k, v)) = map.shift_remove_entry(*k) {
                out.insert(k, v);
            }
            if map.is_empty() {
                break;
            }
        }
        out.extend(map);
        out
    }
}

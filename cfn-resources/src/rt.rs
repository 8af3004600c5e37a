//! Support for the generated code: the property map and the names the
//! generated tables use. Not part of the public API.

pub use cfn_core::{
    get_att, Attributes, Expr, ExprMap, Identifier, Json, LogicalId, ResourceType, ToExpr, Value,
};

/// A map from property names to values (what the generated tables' `Map<T>` means).
pub type Map<T> = indexmap::IndexMap<String, T>;

/// The names the generated modules use.
pub mod prelude {
    pub use super::Map;
    pub use crate::ids;
    pub use cfn_core::Json;
}

/// The properties set so far on a generated struct.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Props(ExprMap);

impl Props {
    /// Sets a property.
    #[inline]
    pub fn set(&mut self, key: &'static str, value: Expr) {
        self.0.insert(key.to_owned(), value);
    }

    /// Sets a property whose name is not known statically.
    pub fn set_owned(&mut self, key: &str, value: Expr) {
        self.0.insert(key.to_owned(), value);
    }

    /// The properties in schema order (`keys`), then any set by name.
    pub fn into_ordered(mut self, keys: &[&str]) -> ExprMap {
        let mut out = ExprMap::with_capacity(self.0.len());
        for k in keys {
            if let Some((k, v)) = self.0.shift_remove_entry(*k) {
                out.insert(k, v);
            }
            if self.0.is_empty() {
                break;
            }
        }
        out.extend(self.0);
        out
    }
}

//! The macros that expand the generated tables (`src/generated/`) into
//! types. Hand-written; the generator only writes their input.
//!
//! Values are kept as one insertion-ordered map of expressions per struct
//! (no field per property, no serde derives): setters are generic, so they
//! cost nothing until used, and rendering is a map move.

/// A resource type: its struct, constructor, setters, `ResourceType` impl
/// and attribute getters.
#[allow(unused_macros)] // unused when every service feature is off
macro_rules! resource {
    (
        $(#[$doc:meta])*
        pub struct $name:ident($type_name:literal) -> $attrs:ident, ref $ref:ty;
        new { $(#[$new_doc:meta])* }
        required { $( $rfield:ident($rkey:literal): $rty:ty, )* }
        optional { $( $(#[$odoc:meta])* $ofield:ident($okey:literal): $oty:ty, )* }
        attributes { $( $(#[$adoc:meta])* $afield:ident($akey:literal): $aty:ty, )* }
    ) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq)]
        pub struct $name($crate::rt::Props);

        #[allow(
            clippy::too_many_arguments,
            clippy::new_without_default,
            clippy::should_implement_trait,
            clippy::wrong_self_convention
        )]
        impl $name {
            /// The CloudFormation type name.
            pub const TYPE_NAME: &'static str = $type_name;
            const KEYS: &'static [&'static str] = &[$($rkey,)* $($okey,)*];

            $(#[$new_doc])*
            pub fn new($($rfield: impl $crate::rt::IntoValue<$rty>),*) -> Self {
                #[allow(unused_mut)]
                let mut p = $crate::rt::Props::default();
                $( p.set_value($rkey, $rfield.into_value()); )*
                $name(p)
            }
            $(
                $(#[$odoc])*
                pub fn $ofield(mut self, value: impl $crate::rt::IntoValue<$oty>) -> Self {
                    self.0.set_value($okey, value.into_value());
                    self
                }
            )*
            /// Sets a property by name, unchecked: the escape hatch for
            /// properties newer than these types. Prefer the typed setters.
            pub fn property_unchecked(
                mut self,
                name: &str,
                value: impl ::core::convert::Into<$crate::rt::Value<$crate::rt::Json>>,
            ) -> Self {
                self.0.set_owned(name, value.into());
                self
            }
        }

        impl $crate::rt::ResourceType for $name {
            type Ref = $ref;
            type Attributes = $attrs;
            fn type_name(&self) -> &str {
                $type_name
            }
            fn into_properties(self) -> $crate::rt::ExprMap {
                self.0.into_ordered(Self::KEYS)
            }
            fn property_origins(&self) -> ::std::vec::Vec<(::std::string::String, $crate::rt::Origin)> {
                self.0.origins()
            }
        }

        impl $crate::rt::KnownType for $name {
            const TYPE_NAME: &'static str = $type_name;
        }

        #[doc = concat!("The `Fn::GetAtt` attributes of [`", stringify!($name), "`], reached through its handle (`handle.", "attribute()`).")]
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct $attrs {
            id: $crate::rt::LogicalId,
        }

        impl $crate::rt::Attributes for $attrs {
            fn for_resource(id: $crate::rt::LogicalId) -> Self {
                $attrs { id }
            }
        }

        impl $attrs {
            $(
                $(#[$adoc])*
                #[inline]
                pub fn $afield(&self) -> $crate::rt::Value<$aty> {
                    $crate::rt::get_att(&self.id, $akey)
                }
            )*
        }
    };
}

/// A nested property type: a struct rendering to a map.
#[allow(unused_macros)]
macro_rules! property {
    (
        $(#[$doc:meta])*
        pub struct $name:ident;
        new { $(#[$new_doc:meta])* }
        required { $( $rfield:ident($rkey:literal): $rty:ty, )* }
        optional { $( $(#[$odoc:meta])* $ofield:ident($okey:literal): $oty:ty, )* }
    ) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq)]
        pub struct $name($crate::rt::Props);

        #[allow(
            clippy::too_many_arguments,
            clippy::new_without_default,
            clippy::should_implement_trait,
            clippy::wrong_self_convention
        )]
        impl $name {
            const KEYS: &'static [&'static str] = &[$($rkey,)* $($okey,)*];

            $(#[$new_doc])*
            pub fn new($($rfield: impl $crate::rt::IntoValue<$rty>),*) -> Self {
                #[allow(unused_mut)]
                let mut p = $crate::rt::Props::default();
                $( p.set_value($rkey, $rfield.into_value()); )*
                $name(p)
            }
            $(
                $(#[$odoc])*
                pub fn $ofield(mut self, value: impl $crate::rt::IntoValue<$oty>) -> Self {
                    self.0.set_value($okey, value.into_value());
                    self
                }
            )*
            /// Sets a property by name, unchecked: the escape hatch for
            /// properties newer than these types. Prefer the typed setters.
            pub fn property_unchecked(
                mut self,
                name: &str,
                value: impl ::core::convert::Into<$crate::rt::Value<$crate::rt::Json>>,
            ) -> Self {
                self.0.set_owned(name, value.into());
                self
            }
        }

        impl $crate::rt::ToExpr for $name {
            fn to_expr(&self) -> $crate::rt::Expr {
                $crate::rt::Expr::Map(self.0.clone().into_ordered(Self::KEYS))
            }
            fn origin(&self) -> $crate::rt::Origin {
                self.0.origin()
            }
        }
    };
}

/// A string enum of a property's allowed values.
#[allow(unused_macros)]
macro_rules! string_enum {
    (
        $(#[$doc:meta])*
        pub enum $name:ident { $( $(#[$vdoc:meta])* $variant:ident = $value:literal, )* }
    ) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vdoc])* $variant, )*
        }

        impl $name {
            /// The value as written in templates.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $value, )*
                }
            }
            /// A value given by a string expression (a parameter, a mapping,
            /// or a value newer than this enum): the caller vouches for it.
            pub fn from_value(
                value: impl ::core::convert::Into<$crate::rt::Value<::std::string::String>>,
            ) -> $crate::rt::Value<Self> {
                value.into().cast_unchecked()
            }
        }

        impl $crate::rt::ToExpr for $name {
            fn to_expr(&self) -> $crate::rt::Expr {
                $crate::rt::Expr::String(self.as_str().to_owned())
            }
        }
    };
}

/// Union identifier markers: a marker type that each member's `Value`
/// converts into (a field whose pattern admits several forms of an id).
macro_rules! union_ids {
    ( $( $(#[$doc:meta])* $name:ident = $key:literal [ $( $member:path ),+ ]; )* ) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
            pub enum $name {}
            impl $crate::rt::Identifier for $name {
                const DESCRIPTION: &'static str = $key;
            }
            $(
                // kept out of the "other types implement" list of unrelated
                // mismatches (`SubnetId` where a `VpcId` belongs)
                #[diagnostic::do_not_recommend]
                impl $crate::rt::IntoValue<$name> for $crate::rt::Value<$member> {
                    fn into_value(self) -> $crate::rt::Value<$name> {
                        self.cast_unchecked()
                    }
                }
            )+
        )*
    };
}

/// Identifier marker types.
macro_rules! ids {
    ( $( $(#[$doc:meta])* $name:ident = $key:literal; )* ) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
            pub enum $name {}
            impl $crate::rt::Identifier for $name {
                const DESCRIPTION: &'static str = $key;
            }
        )*
    };
}

//! `cfn-resources`: every CloudFormation resource type of the registry
//! schemas, typed and generated.
//!
//! - One module and one Cargo feature per service ([`ec2`], [`s3`], ...); the
//!   default features are the services of the Content Raven stack.
//! - Each resource type is a struct whose constructor takes the required
//!   properties; optional ones are chainable setters. Every value may be an
//!   intrinsic ([`cfn_core::Value`]). Nested property types and enums live in
//!   a submodule named after the resource (`ec2::subnet::PrivateDnsNameOptionsOnLaunch`).
//! - Where the schema says which resource an id must come from, the field
//!   takes a marker of [`ids`]: a subnet's `VpcId` takes `Value<ids::ec2::VpcId>`,
//!   which the `Ref` of a [`ec2::Vpc`] handle yields. A literal id of a
//!   resource outside the stack is written `Value::existing("vpc-...")`.
//! - Attributes (`Fn::GetAtt`) are typed getters on the handle.
//! - Every resource's tags are the one [`Tag`] (`s3::bucket::Tag` is a
//!   re-export of it), and a nested type several resources of a service
//!   define identically is one type, re-exported by each resource's
//!   submodule from the service's `shared` module.
//! - [`schema`] holds the schema facts of every type (required, create-only,
//!   constraints, stateful) and validates rendered properties offline.
//!
//! ```
//! use cfn_core::{Template, Value};
//! use cfn_resources::ec2::{Subnet, Vpc};
//!
//! let mut t = Template::new();
//! let vpc = t.add("Vpc", Vpc::new().cidr_block("10.0.0.0/16")).unwrap();
//! let subnet = t
//!     .add("SubnetA", Subnet::new(vpc.reference()).cidr_block("10.0.0.0/24"))
//!     .unwrap();
//! let elsewhere = Subnet::new(Value::existing("vpc-0123456789abcdef0"));
//! let _ = (subnet.subnet_id(), vpc.default_security_group(), elsewhere);
//! ```
//!
//! Passing a subnet where a VPC id belongs does not compile:
//!
//! ```compile_fail
//! use cfn_core::Template;
//! use cfn_resources::ec2::{Subnet, Vpc};
//! let mut t = Template::new();
//! let vpc = t.add("Vpc", Vpc::new()).unwrap();
//! let a = t.add("A", Subnet::new(vpc.reference())).unwrap();
//! let b = Subnet::new(a.reference());
//! ```

#![warn(missing_docs)]
// Descriptions come from the registry schemas: they contain brackets and
// bare URLs that are not meant as intra-doc links.
#![allow(
    rustdoc::broken_intra_doc_links,
    rustdoc::bare_urls,
    rustdoc::invalid_html_tags
)]
#![allow(rustdoc::invalid_rust_codeblocks)]

#[macro_use]
mod macros;
#[doc(hidden)]
pub mod rt;
pub mod schema;
mod tag;
pub use tag::Tag;

#[rustfmt::skip]
mod generated;
pub use generated::*;

//! `cfn-tools`: tools over CloudFormation templates, usable without the CLI.
//!
//! - [`cross`]: cross-property rules the registry schemas cannot express;
//! - [`lint`]: security rules with suppressions;
//! - [`diff`]: a semantic diff that classifies every change;
//! - [`graph`]: the dependency graph as DOT and Mermaid;
//! - [`intrinsics`]: intrinsic arguments CloudFormation rejects by type (`Fn::GetAZs: null`);
//! - [`lifecycle`]: resource types of shut-down and sunsetting services;
//! - [`policy`]: IAM statements and security-group rules, found once for lint and diff;
//! - [`schema`]: checks against the registry schemas, and their facts for the diff;
//! - [`verdict`]: every check in one call, the one verdict the CLI presents.

#![warn(missing_docs)]

pub mod cross;
pub mod diff;
pub mod graph;
pub mod intrinsics;
pub mod lifecycle;
pub mod lint;
pub mod network;
pub mod policy;
pub mod schema;
pub mod verdict;

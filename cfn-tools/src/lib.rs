//! `cfn-tools`: tools over CloudFormation templates, usable without the CLI.
//!
//! - [`lint`]: security rules with suppressions;
//! - [`diff`]: a semantic diff that classifies every change;
//! - [`graph`]: the dependency graph as DOT and Mermaid;
//! - [`policy`]: IAM statements and security-group rules, found once for lint and diff;
//! - [`schema`]: checks against the registry schemas, and their facts for the diff;
//! - [`verdict`]: every check in one call, the one verdict the CLI presents.

#![warn(missing_docs)]

pub mod diff;
pub mod graph;
pub mod lint;
pub mod network;
pub mod policy;
pub mod schema;
pub mod verdict;

//! `cfn-tools`: tools over CloudFormation templates, usable without the CLI.
//!
//! - [`lint`]: security rules with suppressions;
//! - [`diff`]: a semantic diff that classifies every change;
//! - [`graph`]: the dependency graph as DOT and Mermaid;
//! - [`schema`]: checks against the registry schemas, and their facts for the diff.

#![warn(missing_docs)]

pub mod diff;
pub mod graph;
pub mod lint;
pub mod network;
pub mod schema;

//! The Raven stack with an RDS PostgreSQL database, added as an extension
//! through the stack's typed parts: in the private subnets, encrypted with
//! the stack's key, its master password kept by Secrets Manager, reachable
//! only from the backend tier (whose role may read that secret). Each
//! environment's `database` section sizes it.
//!
//! `cargo run --example raven_with_database` prints every environment's
//! template; `tests/raven_with_database.rs` checks them.

use cfn_core::{Format, Output, Result, Template};
use cfn_patterns::database::{DatabaseProps, PostgresDatabase};
use raven_stack::{build_with, environments, EnvConfig, RavenParts, RavenStack};

/// Adds the database (`Database`, `DatabaseSubnetGroup`,
/// `DatabaseSecurityGroup`, the backend's rules to it) and its endpoint as
/// an output; an environment without a `database` section gets none.
pub fn add_database(t: &mut Template, parts: &RavenParts, env: &EnvConfig) -> Result<()> {
    let Some(cfg) = &env.database else {
        return Ok(());
    };
    let props = DatabaseProps::new("raven", &parts.tags)
        .instance_class(&cfg.instance_class)
        .multi_az(cfg.multi_az)
        .backup_retention_days(cfg.backup_retention_days as i64)
        .deletion_protection(cfg.deletion_protection);
    let db = PostgresDatabase::new(t, "Database", &parts.network, &parts.key, props)?;
    db.allow_from(t, &parts.backend)?;
    db.grant_master_secret_read(t, &parts.backend)?;
    t.add_output(
        "DatabaseEndpoint",
        Output::new(db.endpoint()).description("PostgreSQL, from the backend tier only"),
    )
}

/// Every environment's stack with the database.
pub fn stacks() -> Result<Vec<RavenStack>> {
    let envs = environments().map_err(|e| {
        cfn_core::Error::new(cfn_core::ErrorKind::InvalidValue {
            value: e.file.clone(),
            hint: cfn_core::error::Hint::None,
            reason: e.to_string(),
        })
    })?;
    envs.iter()
        .map(|env| build_with(env, &[&add_database]))
        .collect()
}

#[allow(dead_code)]
fn main() -> Result<()> {
    for stack in stacks()? {
        println!("# {}", stack.name);
        print!(
            "{}",
            cfn_tools::verdict::synth(&stack.template, Format::Json)?
        );
    }
    Ok(())
}

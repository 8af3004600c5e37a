//! An RDS PostgreSQL database in the private subnets, encrypted with a
//! customer key, its master password kept by Secrets Manager, reachable
//! only from the tiers you name.
//!
//! ```
//! use cfn_core::Template;
//! use cfn_patterns::database::{DatabaseProps, PostgresDatabase};
//! use cfn_patterns::kms::{EncryptionKey, KeyProps};
//! use cfn_patterns::network::{Network, NetworkProps};
//! use cfn_patterns::storage::LogBucket;
//! use cfn_patterns::Tags;
//! use cfn_resources::ec2::SecurityGroup;
//! let (mut t, tags) = (Template::new(), Tags::new("shop", "prod"));
//! let key = EncryptionKey::new(&mut t, "Key", KeyProps::new("shop", &tags)).unwrap();
//! let logs = LogBucket::new(&mut t, "Logs", 90, &tags).unwrap();
//! let network = Network::new(&mut t, "", &NetworkProps::new("10.0.0.0/16", 2, &tags), &logs).unwrap();
//! let app = t.add("AppSecurityGroup", SecurityGroup::new("app").vpc_id(network.vpc_id())).unwrap();
//! let db = PostgresDatabase::new(&mut t, "Db", &network, &key, DatabaseProps::new("shop", &tags).multi_az(true)).unwrap();
//! db.allow_from(&mut t, &app).unwrap();
//! assert!(t.resources.contains_key("DbSecurityGroupIngress5432FromAppSecurityGroup"));
//! assert!(t.synth(cfn_core::Format::Json).unwrap().contains("\"ManageMasterUserPassword\": true"));
//! ```

use crate::grants::{allow_tcp, grant, Connectable, Grantee};
use crate::kms::EncryptionKey;
use crate::network::Network;
use crate::secrets::secret_read;
use crate::tags::Tags;
use cfn_core::{Declared, Handle, Policy, Result, Template, Value};
use cfn_resources::ec2::{security_group, SecurityGroup};
use cfn_resources::rds::{db_instance, DbInstance, DbSubnetGroup};

/// The port PostgreSQL listens on.
pub const POSTGRES_PORT: i64 = 5432;

/// Options of a PostgreSQL database: what the RDS instance
/// ([`DatabaseProps`]) and the Aurora cluster
/// ([`AuroraProps`](crate::aurora::AuroraProps)) both take, and in
/// `engine` the settings of one of them.
#[derive(Debug, Clone, PartialEq)]
pub struct PostgresProps<E> {
    /// The database created at launch (`DBName`, `DatabaseName`); also
    /// names tags.
    pub database_name: String,
    /// The PostgreSQL version. Default `17.6`.
    pub engine_version: String,
    /// The instance class. Default `db.t4g.medium` for RDS, `db.r6g.large`
    /// for Aurora.
    pub instance_class: String,
    /// Days of automated backups (1 to 35). Default 7.
    pub backup_retention_days: i64,
    /// Refuse deletion of the database. Default on.
    pub deletion_protection: bool,
    /// The master user's name. Default `postgres`.
    pub master_username: String,
    /// Tags.
    pub tags: Tags,
    /// The settings of the kind of database.
    pub engine: E,
}

impl<E> PostgresProps<E> {
    /// The defaults above, with `instance_class` and `engine`.
    pub(crate) fn with(database_name: &str, tags: &Tags, instance_class: &str, engine: E) -> Self {
        PostgresProps {
            database_name: database_name.to_owned(),
            engine_version: "17.6".into(),
            instance_class: instance_class.to_owned(),
            backup_retention_days: 7,
            deletion_protection: true,
            master_username: "postgres".into(),
            tags: tags.clone(),
            engine,
        }
    }
    /// Sets the instance class.
    pub fn instance_class(mut self, class: &str) -> Self {
        self.instance_class = class.to_owned();
        self
    }
    /// Sets the engine version.
    pub fn engine_version(mut self, version: &str) -> Self {
        self.engine_version = version.to_owned();
        self
    }
    /// Sets deletion protection (default on). Turning it off records a
    /// suppression of lint rule RDS003 on the database, with that reason.
    pub fn deletion_protection(mut self, on: bool) -> Self {
        self.deletion_protection = on;
        self
    }
    /// Sets the backup retention in days.
    pub fn backup_retention_days(mut self, days: i64) -> Self {
        self.backup_retention_days = days;
        self
    }
}

/// The settings of an RDS instance.
#[derive(Debug, Clone, PartialEq)]
pub struct RdsSettings {
    /// Storage at creation, GiB. Default 20.
    pub allocated_storage_gb: i64,
    /// Storage autoscaling limit, GiB. Default 100.
    pub max_allocated_storage_gb: i64,
    /// A standby in a second AZ with automatic failover. Default off.
    pub multi_az: bool,
}

/// Options of [`PostgresDatabase`].
pub type DatabaseProps = PostgresProps<RdsSettings>;

impl PostgresProps<RdsSettings> {
    /// A database `database_name` with the defaults of [`PostgresProps`]
    /// and [`RdsSettings`].
    pub fn new(database_name: &str, tags: &Tags) -> Self {
        let rds = RdsSettings {
            allocated_storage_gb: 20,
            max_allocated_storage_gb: 100,
            multi_az: false,
        };
        PostgresProps::with(database_name, tags, "db.t4g.medium", rds)
    }
    /// Sets Multi-AZ.
    pub fn multi_az(mut self, on: bool) -> Self {
        self.engine.multi_az = on;
        self
    }
}

/// An RDS PostgreSQL instance.
///
/// Defaults: in a subnet group `{id}SubnetGroup` of the network's private
/// subnets, not publicly accessible; storage gp3, encrypted with the given
/// key, growing automatically to the limit; the master password generated
/// and kept by Secrets Manager (`ManageMasterUserPassword`), its secret
/// encrypted with the same key, never in the template; deletion protection;
/// 7 days of backups, tags copied to snapshots, and `DeletionPolicy` and
/// `UpdateReplacePolicy` Snapshot; minor versions upgraded automatically;
/// PostgreSQL and upgrade logs exported to CloudWatch Logs. Its security
/// group `{id}SecurityGroup` admits nobody and sends nothing (an egress
/// rule that matches no traffic replaces the default allow-all) until
/// [`PostgresDatabase::allow_from`] opens the port to a tier.
pub struct PostgresDatabase {
    /// The instance.
    pub instance: Handle<DbInstance>,
    /// Its subnet group.
    pub subnet_group: Handle<DbSubnetGroup>,
    /// Its security group.
    pub security_group: Handle<SecurityGroup>,
    /// The ARN of the key its storage and secret are encrypted with.
    pub key_arn: Value<String>,
}

impl Connectable for PostgresDatabase {
    fn security_group(&self) -> &Handle<SecurityGroup> {
        &self.security_group
    }
}

impl PostgresDatabase {
    /// Declares `{id}`, `{id}SubnetGroup` and `{id}SecurityGroup`.
    pub fn new(
        t: &mut Template,
        id: &str,
        network: &Network,
        key: &EncryptionKey,
        props: DatabaseProps,
    ) -> Result<Self> {
        let tags = &props.tags;
        let name = props.database_name.as_str();
        let (subnet_group, security_group) = placement(t, id, network, tags, name)?;
        let declared = kept_as_snapshots(
            Declared::new(
                DbInstance::new()
                    .engine("postgres")
                    .engine_version(props.engine_version.as_str())
                    .db_instance_class(props.instance_class.as_str())
                    .db_name(name)
                    .allocated_storage(props.engine.allocated_storage_gb.to_string())
                    .max_allocated_storage(props.engine.max_allocated_storage_gb)
                    .storage_type("gp3")
                    .storage_encrypted(true)
                    .kms_key_id(key.id())
                    .multi_az(props.engine.multi_az)
                    .db_subnet_group_name(subnet_group.reference())
                    .vpc_security_groups(vec![security_group.reference()])
                    .publicly_accessible(false)
                    .port(POSTGRES_PORT.to_string())
                    .master_username(props.master_username.as_str())
                    .manage_master_user_password(true)
                    .master_user_secret(db_instance::MasterUserSecret::new().kms_key_id(key.id()))
                    .backup_retention_period(props.backup_retention_days)
                    .copy_tags_to_snapshot(true)
                    .deletion_protection(props.deletion_protection)
                    .auto_minor_version_upgrade(true)
                    .enable_cloudwatch_logs_exports(vec!["postgresql", "upgrade"])
                    .tags(tags.list(&format!("{name}-db"), "data")),
            ),
            props.deletion_protection,
            "DatabaseProps::deletion_protection(false)",
        );
        let instance = t.add(id, declared)?;
        Ok(PostgresDatabase {
            instance,
            subnet_group,
            security_group,
            key_arn: key.arn(),
        })
    }

    /// Opens the PostgreSQL port to `source` (a tier, a function's group):
    /// the ingress rule on the database's group and the matching egress
    /// rule on the source's (see [`allow_tcp`]).
    pub fn allow_from(&self, t: &mut Template, source: &impl Connectable) -> Result<()> {
        allow_tcp(t, source, self, POSTGRES_PORT, "PostgreSQL")
    }

    /// The endpoint's host name.
    pub fn endpoint(&self) -> Value<String> {
        self.instance.endpoint_address()
    }

    /// The ARN of the master user's secret (kept by Secrets Manager).
    pub fn master_secret_arn(&self) -> Value<String> {
        self.instance.master_user_secret_secret_arn().into()
    }

    /// Lets `to` read the master user's secret
    /// (`secretsmanager:GetSecretValue`, `secretsmanager:DescribeSecret`
    /// on it; `kms:Decrypt`, `kms:DescribeKey` on the key): the inline
    /// policy `{id}-master-secret-read`.
    pub fn grant_master_secret_read(&self, t: &mut Template, to: &impl Grantee) -> Result<()> {
        grant_master_secret_read(
            t,
            to,
            self.instance.id().as_str(),
            self.master_secret_arn(),
            &self.key_arn,
        )
    }
}

/// Lets `to` read the master secret of the database `owner` (a logical
/// id): the inline policy `{owner}-master-secret-read`.
pub(crate) fn grant_master_secret_read(
    t: &mut Template,
    to: &impl Grantee,
    owner: &str,
    secret_arn: Value<String>,
    key_arn: &Value<String>,
) -> Result<()> {
    grant(
        t,
        to,
        &format!("{owner}-master-secret-read"),
        secret_read(secret_arn, key_arn.clone())?,
    )
}

/// The subnet group `{id}SubnetGroup` (the network's private subnets) and
/// the security group `{id}SecurityGroup` (no ingress; an egress rule that
/// matches no traffic replaces the default allow-all) of a database: the
/// placement [`PostgresDatabase`] and
/// [`AuroraPostgres`](crate::aurora::AuroraPostgres) share.
pub(crate) fn placement(
    t: &mut Template,
    id: &str,
    network: &Network,
    tags: &Tags,
    name: &str,
) -> Result<(Handle<DbSubnetGroup>, Handle<SecurityGroup>)> {
    let subnet_group = t.add(
        &format!("{id}SubnetGroup"),
        DbSubnetGroup::new(
            format!("{} {name}: private subnets", tags.prefix),
            network.private.ids(),
        )
        .tags(tags.list(&format!("{name}-db"), "data")),
    )?;
    let security_group = t.add(
        &format!("{id}SecurityGroup"),
        SecurityGroup::new(format!("{} {name} database", tags.prefix))
            .vpc_id(network.vpc_id())
            .security_group_egress(vec![security_group::Egress::new("icmp")
                .from_port(252)
                .to_port(86)
                .cidr_ip("255.255.255.255/32")
                .description("matches no traffic: the database starts no connection")])
            .tags(tags.list(&format!("{name}-db"), "data")),
    )?;
    Ok((subnet_group, security_group))
}

/// `DeletionPolicy` and `UpdateReplacePolicy` Snapshot on a database that
/// holds data; with deletion protection turned off (by `setter`), a
/// recorded suppression of lint rule RDS003 saying so.
pub(crate) fn kept_as_snapshots<R: cfn_core::ResourceType>(
    declared: Declared<R>,
    deletion_protection: bool,
    setter: &str,
) -> Declared<R> {
    let declared = declared
        .deletion_policy(Policy::Snapshot)
        .update_replace_policy(Policy::Snapshot);
    if deletion_protection {
        return declared;
    }
    // an explicit choice in code: listed in every lint report
    declared.suppress(
        "RDS003",
        &format!(
            "deletion protection turned off by {setter}; DeletionPolicy Snapshot keeps a final snapshot"
        ),
    )
}

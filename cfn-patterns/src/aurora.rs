//! An Aurora PostgreSQL cluster in the private subnets: a writer and
//! readers in other Availability Zones, encrypted with a customer key, its
//! master password kept by Secrets Manager, reachable only from the tiers
//! you name. The placement (subnet group, closed security group), the
//! connections and the secret grant are those of
//! [`PostgresDatabase`](crate::database::PostgresDatabase).
//!
//! ```
//! use cfn_core::Template;
//! use cfn_patterns::aurora::{AuroraPostgres, AuroraProps};
//! use cfn_patterns::kms::{EncryptionKey, KeyProps};
//! use cfn_patterns::network::{Network, NetworkProps};
//! use cfn_patterns::storage::LogBucket;
//! use cfn_patterns::Tags;
//! use cfn_resources::ec2::SecurityGroup;
//! let (mut t, tags) = (Template::new(), Tags::new("shop", "prod"));
//! let key = EncryptionKey::new(&mut t, "Key", KeyProps::new("shop", &tags)).unwrap();
//! let logs = LogBucket::new(&mut t, "Logs", 90, &tags).unwrap();
//! let network = Network::new(&mut t, "", &NetworkProps::new("10.0.0.0/16", 3, &tags), &logs).unwrap();
//! let app = t.add("AppSecurityGroup", SecurityGroup::new("app").vpc_id(network.vpc_id())).unwrap();
//! let db = AuroraPostgres::new(&mut t, "Orders", &network, &key, AuroraProps::new("orders", &tags).readers(2)).unwrap();
//! db.allow_from(&mut t, &app).unwrap();
//! assert_eq!(db.readers.len(), 2);
//! assert!(t.resources.contains_key("OrdersWriter") && t.resources.contains_key("OrdersReader2"));
//! assert!(t.resources.contains_key("OrdersSecurityGroupIngress5432FromAppSecurityGroup"));
//! let json = t.synth(cfn_core::Format::Json).unwrap();
//! assert!(json.contains("\"Engine\": \"aurora-postgresql\""));
//! assert!(json.contains("\"ManageMasterUserPassword\": true"));
//! ```

use crate::database::{
    grant_master_secret_read, kept_as_snapshots, placement, PostgresProps, POSTGRES_PORT,
};
use crate::grants::{allow_tcp, Connectable, Grantee};
use crate::kms::EncryptionKey;
use crate::network::{availability_zone, Network};
use crate::tags::Tags;
use cfn_core::{Declared, Handle, Result, Template, Value};
use cfn_resources::ec2::SecurityGroup;
use cfn_resources::rds::{db_cluster, DbCluster, DbInstance, DbSubnetGroup};

/// The Aurora engine.
pub const AURORA_POSTGRES_ENGINE: &str = "aurora-postgresql";

/// The settings of an Aurora cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct AuroraSettings {
    /// Readers besides the writer. Default 1: with a reader in a second
    /// Availability Zone the cluster is Multi-AZ, and a failure of the
    /// writer promotes the reader in about 30 seconds. 0 is a single-AZ
    /// cluster (its storage is still replicated over three AZs).
    pub readers: usize,
}

/// Options of [`AuroraPostgres`].
pub type AuroraProps = PostgresProps<AuroraSettings>;

impl PostgresProps<AuroraSettings> {
    /// A cluster with the database `database_name`, the defaults of
    /// [`PostgresProps`] and [`AuroraSettings`], and instances of class
    /// `db.r6g.large` (memory optimized, as Aurora recommends for
    /// production; `db.t4g.medium` suits development).
    pub fn new(database_name: &str, tags: &Tags) -> Self {
        PostgresProps::with(
            database_name,
            tags,
            "db.r6g.large",
            AuroraSettings { readers: 1 },
        )
    }
    /// Sets the number of readers.
    pub fn readers(mut self, readers: usize) -> Self {
        self.engine.readers = readers;
        self
    }
}

/// An Aurora PostgreSQL cluster and its instances.
///
/// Defaults: the cluster `{id}` in a subnet group `{id}SubnetGroup` of the
/// network's private subnets; storage encrypted with the given key; the
/// master password generated and kept by Secrets Manager
/// (`ManageMasterUserPassword`), its secret encrypted with the same key,
/// never in the template; deletion protection; 7 days of backups, tags
/// copied to snapshots, and `DeletionPolicy` and `UpdateReplacePolicy`
/// Snapshot on the cluster; PostgreSQL logs exported to CloudWatch Logs.
/// The writer `{id}Writer` (promotion tier 0) in the first Availability
/// Zone and each reader `{id}Reader{n}` (promotion tier 1) in the next
/// ones, round the network's AZs; every instance not publicly accessible,
/// minor versions upgraded automatically. The instances carry no
/// `DeletionPolicy`: they hold no data (the cluster volume does, and the
/// cluster's policy keeps it). Its security group `{id}SecurityGroup`
/// admits nobody and sends nothing until [`AuroraPostgres::allow_from`]
/// opens the port to a tier.
pub struct AuroraPostgres {
    /// The cluster.
    pub cluster: Handle<DbCluster>,
    /// The writer instance.
    pub writer: Handle<DbInstance>,
    /// The reader instances, in order.
    pub readers: Vec<Handle<DbInstance>>,
    /// The subnet group.
    pub subnet_group: Handle<DbSubnetGroup>,
    /// The security group.
    pub security_group: Handle<SecurityGroup>,
    /// The ARN of the key its storage and secret are encrypted with.
    pub key_arn: Value<String>,
}

impl Connectable for AuroraPostgres {
    fn security_group(&self) -> &Handle<SecurityGroup> {
        &self.security_group
    }
}

impl AuroraPostgres {
    /// Declares `{id}`, `{id}Writer`, `{id}Reader1`.., `{id}SubnetGroup`
    /// and `{id}SecurityGroup`.
    pub fn new(
        t: &mut Template,
        id: &str,
        network: &Network,
        key: &EncryptionKey,
        props: AuroraProps,
    ) -> Result<Self> {
        let tags = &props.tags;
        let name = props.database_name.as_str();
        let (subnet_group, security_group) = placement(t, id, network, tags, name)?;
        let cluster = kept_as_snapshots(
            Declared::new(
                DbCluster::new()
                    .engine(AURORA_POSTGRES_ENGINE)
                    .engine_version(props.engine_version.as_str())
                    .database_name(name)
                    .port(POSTGRES_PORT)
                    .db_subnet_group_name(subnet_group.reference())
                    .vpc_security_group_ids(vec![security_group.reference()])
                    .storage_encrypted(true)
                    .kms_key_id(key.id())
                    .master_username(props.master_username.as_str())
                    .manage_master_user_password(true)
                    .master_user_secret(db_cluster::MasterUserSecret::new().kms_key_id(key.id()))
                    .backup_retention_period(props.backup_retention_days)
                    .copy_tags_to_snapshot(true)
                    .deletion_protection(props.deletion_protection)
                    .enable_cloudwatch_logs_exports(vec!["postgresql"])
                    .tags(tags.list(&format!("{name}-db"), "data")),
            ),
            props.deletion_protection,
            "AuroraProps::deletion_protection(false)",
        );
        let cluster = t.add(id, cluster)?;
        let azs = network.private.subnets.len().max(1);
        let mut instance = |role: &str, n: usize, tier: i64| {
            t.add(
                &format!("{id}{role}"),
                DbInstance::new()
                    .engine(AURORA_POSTGRES_ENGINE)
                    .db_cluster_identifier(cluster.reference())
                    .db_instance_class(props.instance_class.as_str())
                    .availability_zone(availability_zone(n % azs))
                    .promotion_tier(tier)
                    .publicly_accessible(false)
                    .auto_minor_version_upgrade(true)
                    .tags(tags.list(&format!("{name}-db-{}", role.to_lowercase()), "data")),
            )
        };
        let writer = instance("Writer", 0, 0)?;
        let readers = (1..=props.engine.readers)
            .map(|n| instance(&format!("Reader{n}"), n, 1))
            .collect::<Result<Vec<_>>>()?;
        Ok(AuroraPostgres {
            cluster,
            writer,
            readers,
            subnet_group,
            security_group,
            key_arn: key.arn(),
        })
    }

    /// Opens the PostgreSQL port to `source` (a tier, a function's group):
    /// the ingress rule on the cluster's group and the matching egress rule
    /// on the source's (see [`allow_tcp`]).
    pub fn allow_from(&self, t: &mut Template, source: &impl Connectable) -> Result<()> {
        allow_tcp(t, source, self, POSTGRES_PORT, "PostgreSQL")
    }

    /// The writer endpoint's host name (follows failovers).
    pub fn endpoint(&self) -> Value<String> {
        self.cluster.endpoint_address()
    }

    /// The reader endpoint's host name (balances over the readers).
    pub fn read_endpoint(&self) -> Value<String> {
        self.cluster.read_endpoint_address()
    }

    /// The ARN of the master user's secret (kept by Secrets Manager).
    pub fn master_secret_arn(&self) -> Value<String> {
        self.cluster.master_user_secret_secret_arn().into()
    }

    /// Lets `to` read the master user's secret
    /// (`secretsmanager:GetSecretValue`, `secretsmanager:DescribeSecret`
    /// on it; `kms:Decrypt`, `kms:DescribeKey` on the key): the inline
    /// policy `{id}-master-secret-read`.
    pub fn grant_master_secret_read(&self, t: &mut Template, to: &impl Grantee) -> Result<()> {
        grant_master_secret_read(
            t,
            to,
            self.cluster.id().as_str(),
            self.master_secret_arn(),
            &self.key_arn,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kms::KeyProps;
    use crate::network::NetworkProps;
    use crate::storage::LogBucket;
    use cfn_core::Format;
    use serde_json::{json, Value as J};

    fn stack(props: impl FnOnce(AuroraProps) -> AuroraProps) -> (Template, AuroraPostgres) {
        let (mut t, tags) = (Template::new(), Tags::new("shop", "prod"));
        let key = EncryptionKey::new(&mut t, "Key", KeyProps::new("shop", &tags)).unwrap();
        let logs = LogBucket::new(&mut t, "Logs", 90, &tags).unwrap();
        let network = Network::new(
            &mut t,
            "",
            &NetworkProps::new("10.0.0.0/16", 2, &tags),
            &logs,
        )
        .unwrap();
        let app = t
            .add(
                "AppSecurityGroup",
                SecurityGroup::new("app").vpc_id(network.vpc_id()),
            )
            .unwrap();
        let db = AuroraPostgres::new(
            &mut t,
            "Db",
            &network,
            &key,
            props(AuroraProps::new("shop", &tags)),
        )
        .unwrap();
        db.allow_from(&mut t, &app).unwrap();
        (t, db)
    }

    fn rendered(t: &Template) -> J {
        serde_json::from_str(&t.synth(Format::Json).unwrap()).unwrap()
    }

    #[test]
    fn the_cluster_is_encrypted_private_protected_and_kept() {
        let (t, _) = stack(|p| p);
        let j = rendered(&t);
        let db = &j["Resources"]["Db"];
        assert_eq!(db["Type"], "AWS::RDS::DBCluster");
        assert_eq!(db["DeletionPolicy"], "Snapshot");
        assert_eq!(db["UpdateReplacePolicy"], "Snapshot");
        let p = &db["Properties"];
        assert_eq!(p["Engine"], "aurora-postgresql");
        assert_eq!(p["EngineVersion"], "17.6");
        assert_eq!(p["DatabaseName"], "shop");
        assert_eq!(p["Port"], 5432);
        assert_eq!(p["StorageEncrypted"], true);
        assert_eq!(p["KmsKeyId"], json!({"Ref": "Key"}));
        assert_eq!(p["ManageMasterUserPassword"], true);
        assert_eq!(p["MasterUserSecret"], json!({"KmsKeyId": {"Ref": "Key"}}));
        assert!(p.get("MasterUserPassword").is_none());
        assert_eq!(p["DeletionProtection"], true);
        assert_eq!(p["BackupRetentionPeriod"], 7);
        assert_eq!(p["CopyTagsToSnapshot"], true);
        assert_eq!(p["EnableCloudwatchLogsExports"], json!(["postgresql"]));
        assert_eq!(p["DBSubnetGroupName"], json!({"Ref": "DbSubnetGroup"}));
        assert_eq!(
            p["VpcSecurityGroupIds"],
            json!([{"Ref": "DbSecurityGroup"}])
        );
        assert!(p.get("PubliclyAccessible").is_none());
        // the subnet group is the private subnets
        let subnets = &j["Resources"]["DbSubnetGroup"]["Properties"]["SubnetIds"];
        assert_eq!(
            subnets,
            &json!([{"Ref": "PrivateSubnet1"}, {"Ref": "PrivateSubnet2"}])
        );
        assert!(t.resources["Db"].metadata.is_none(), "nothing suppressed");
    }

    #[test]
    fn a_writer_and_readers_in_other_zones() {
        let (t, db) = stack(|p| p.readers(2).instance_class("db.t4g.medium"));
        assert_eq!(db.readers.len(), 2);
        let j = rendered(&t);
        let zone = |id: &str| j["Resources"][id]["Properties"]["AvailabilityZone"].clone();
        let select = |i: i64| json!({"Fn::Select": [i, {"Fn::GetAZs": ""}]});
        // two AZs: the second reader goes round to the first
        assert_eq!(zone("DbWriter"), select(0));
        assert_eq!(zone("DbReader1"), select(1));
        assert_eq!(zone("DbReader2"), select(0));
        for (id, tier) in [("DbWriter", 0), ("DbReader1", 1), ("DbReader2", 1)] {
            let r = &j["Resources"][id];
            assert_eq!(r["Type"], "AWS::RDS::DBInstance");
            assert!(
                r.get("DeletionPolicy").is_none(),
                "{id}: the cluster holds the data"
            );
            let p = &r["Properties"];
            assert_eq!(p["Engine"], "aurora-postgresql");
            assert_eq!(p["DBClusterIdentifier"], json!({"Ref": "Db"}), "{id}");
            assert_eq!(p["DBInstanceClass"], "db.t4g.medium");
            assert_eq!(p["PromotionTier"], tier);
            assert_eq!(p["PubliclyAccessible"], false);
            // storage settings belong to the cluster (cfn-lint refuses them here)
            for absent in [
                "StorageEncrypted",
                "DeletionProtection",
                "CopyTagsToSnapshot",
            ] {
                assert!(p.get(absent).is_none(), "{id}: {absent}");
            }
        }
        let (single, db) = stack(|p| p.readers(0));
        assert!(db.readers.is_empty());
        assert!(!single.resources.contains_key("DbReader1"));
    }

    #[test]
    fn only_the_named_tier_reaches_the_port() {
        let (t, _) = stack(|p| p);
        let j = rendered(&t);
        let ingress = &j["Resources"]["DbSecurityGroupIngress5432FromAppSecurityGroup"];
        assert_eq!(
            ingress["Properties"]["GroupId"],
            json!({"Ref": "DbSecurityGroup"})
        );
        assert_eq!(
            ingress["Properties"]["SourceSecurityGroupId"],
            json!({"Ref": "AppSecurityGroup"})
        );
        assert_eq!(ingress["Properties"]["FromPort"], 5432);
        let egress = &j["Resources"]["AppSecurityGroupEgress5432ToDbSecurityGroup"];
        assert_eq!(
            egress["Properties"]["DestinationSecurityGroupId"],
            json!({"Ref": "DbSecurityGroup"})
        );
        // no other way in
        let ingresses = j["Resources"]
            .as_object()
            .unwrap()
            .values()
            .filter(|r| r["Type"] == "AWS::EC2::SecurityGroupIngress")
            .count();
        assert_eq!(ingresses, 1);
        assert!(j["Resources"]["DbSecurityGroup"]["Properties"]
            .get("SecurityGroupIngress")
            .is_none());
    }

    #[test]
    fn turning_protection_off_is_a_recorded_suppression() {
        let (t, _) = stack(|p| p.deletion_protection(false).backup_retention_days(14));
        let j = rendered(&t);
        assert_eq!(
            j["Resources"]["Db"]["Properties"]["DeletionProtection"],
            false
        );
        assert_eq!(
            j["Resources"]["Db"]["Properties"]["BackupRetentionPeriod"],
            14
        );
        assert_eq!(j["Resources"]["Db"]["DeletionPolicy"], "Snapshot");
        let lint = cfn_tools::lint::Linter::new().run(&t);
        assert!(lint.is_clean(), "{lint}");
        assert!(
            lint.suppressed
                .iter()
                .any(|s| format!("{s:?}").contains("RDS003")),
            "{lint}"
        );
    }

    #[test]
    fn lint_rules_verdict_and_cfn_lint_find_nothing() {
        let (mut t, db) = stack(|p| p.readers(2));
        let role = t
            .add(
                "AppRole",
                cfn_resources::iam::Role::new(
                    crate::iam::PolicyDocument::assume_role("ec2.amazonaws.com").to_json(),
                ),
            )
            .unwrap();
        db.grant_master_secret_read(&mut t, &role).unwrap();
        let lint = cfn_tools::lint::Linter::new().run(&t);
        assert!(lint.is_clean(), "{lint}");
        // the log bucket's own two suppressions only
        assert!(
            !lint
                .suppressed
                .iter()
                .any(|s| format!("{s:?}").contains("Resources/Db")),
            "{lint}"
        );
        let report = cfn_tools::verdict::check(&t);
        assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
        let json = t.synth(Format::Json).unwrap();
        let compact = rendered(&t).to_string();
        assert!(
            compact.contains(r#"{"Fn::GetAtt":["Db","MasterUserSecret.SecretArn"]}"#),
            "{compact}"
        );
        let files = [
            ("aurora.json".to_owned(), json),
            ("aurora.yaml".to_owned(), t.synth(Format::Yaml).unwrap()),
        ];
        cfn_testkit::assert_cfn_lint_clean("aurora", &files);
    }
}

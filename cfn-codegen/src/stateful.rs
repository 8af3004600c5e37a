//! The one source of stateful facts: which resource types hold data that a
//! replacement or a deletion destroys.
//!
//! Input: cfn-lint's `cfnlint/data/AdditionalSpecs/StatefulResources.json`
//! from the pinned wheel, united with [`OVERLAY`], a reviewed list of types
//! that list lacks. The registry schemas themselves say nothing about data,
//! so these two are the whole fact. Output:
//! `cfn-resources/src/generated/stateful_types.rs`, a sorted table that
//! lint, diff and deploy all read through `cfn_resources::schema`.

use serde_json::Value as J;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

/// Reviewed additions to cfn-lint's list: `(type, what a replacement or a
/// deletion loses)`. Each entry was checked against the type's registry
/// schema and service documentation; add a type here (never in the
/// generated file) with the data it holds.
pub const OVERLAY: &[(&str, &str)] = &[
    (
        "AWS::ACMPCA::CertificateAuthority",
        "the CA's private key: certificates it issued can no longer be renewed or revoked",
    ),
    (
        "AWS::Backup::LogicallyAirGappedBackupVault",
        "the recovery points stored in the vault",
    ),
    ("AWS::Cassandra::Keyspace", "the keyspace's tables and rows"),
    ("AWS::Cassandra::Table", "the table's rows"),
    (
        "AWS::CertificateManager::Certificate",
        "the issued certificate; a new one needs validation again before it can serve traffic",
    ),
    (
        "AWS::CodeCommit::Repository",
        "the repository's commits and history",
    ),
    ("AWS::DSQL::Cluster", "the cluster's databases"),
    ("AWS::DocDBElastic::Cluster", "the cluster's databases"),
    (
        "AWS::ECR::Repository",
        "the container images in the repository",
    ),
    (
        "AWS::ElastiCache::ServerlessCache",
        "the cached data and any data not yet snapshotted",
    ),
    ("AWS::FSx::Volume", "the files on the volume"),
    ("AWS::Glue::Database", "the catalog's table definitions"),
    (
        "AWS::Glue::Table",
        "the table definition and its partitions",
    ),
    (
        "AWS::KMS::ReplicaKey",
        "the key material in its region: data encrypted under it there becomes unreadable",
    ),
    (
        "AWS::KinesisFirehose::DeliveryStream",
        "records buffered and not yet delivered",
    ),
    ("AWS::KinesisVideo::Stream", "the stored video fragments"),
    ("AWS::Lightsail::Database", "the database's data"),
    ("AWS::Lightsail::Disk", "the disk's data"),
    ("AWS::MSK::Cluster", "the topics' messages"),
    (
        "AWS::MemoryDB::Cluster",
        "the in-memory data and snapshots not taken",
    ),
    ("AWS::NeptuneGraph::Graph", "the graph's data"),
    (
        "AWS::OpenSearchServerless::Collection",
        "the collection's indexes and documents",
    ),
    ("AWS::RDS::DBShardGroup", "the shard group's data"),
    (
        "AWS::RedshiftServerless::Namespace",
        "the namespace's databases and snapshots",
    ),
    (
        "AWS::S3Express::DirectoryBucket",
        "the objects in the bucket",
    ),
    ("AWS::S3Tables::Table", "the table's data files"),
    ("AWS::S3Tables::TableBucket", "the tables in the bucket"),
    ("AWS::Timestream::Database", "the database's tables"),
    (
        "AWS::Timestream::InfluxDBInstance",
        "the instance's time series",
    ),
    ("AWS::Timestream::Table", "the table's records"),
];

/// One stateful type and where the fact comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatefulType {
    /// The registry type name.
    pub type_name: String,
    /// Listed by cfn-lint's `StatefulResources.json`.
    pub cfn_lint: bool,
    /// Listed by [`OVERLAY`], with what it loses.
    pub overlay: Option<&'static str>,
    /// cfn-lint's `DeleteRequiresEmptyResource`: deletion fails while the
    /// resource holds anything (an S3 bucket with objects).
    pub delete_requires_empty: bool,
}

/// Reads cfn-lint's list from the unpacked wheel at `root`.
pub fn load_cfn_lint(root: &Path) -> Result<BTreeMap<String, bool>, String> {
    let p = root.join("cfnlint/data/AdditionalSpecs/StatefulResources.json");
    let s = std::fs::read_to_string(&p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
    let v: J =
        serde_json::from_str(&s).map_err(|e| format!("cannot parse {}: {e}", p.display()))?;
    let types = v
        .get("ResourceTypes")
        .and_then(J::as_object)
        .ok_or_else(|| format!("{}: no `ResourceTypes` object", p.display()))?;
    Ok(types
        .iter()
        .map(|(t, facts)| {
            let empty = facts
                .get("DeleteRequiresEmptyResource")
                .and_then(J::as_bool)
                .unwrap_or(false);
            (t.clone(), empty)
        })
        .collect())
}

/// The union of cfn-lint's list and [`OVERLAY`], sorted by type name.
/// Types that are not in the registry (`known`) are an error: a misspelt
/// overlay entry would protect nothing.
pub fn merge(
    cfn_lint: &BTreeMap<String, bool>,
    known: &dyn Fn(&str) -> bool,
) -> Result<Vec<StatefulType>, String> {
    let mut out: BTreeMap<String, StatefulType> = BTreeMap::new();
    for (t, empty) in cfn_lint {
        out.insert(
            t.clone(),
            StatefulType {
                type_name: t.clone(),
                cfn_lint: true,
                overlay: None,
                delete_requires_empty: *empty,
            },
        );
    }
    for (t, why) in OVERLAY {
        out.entry((*t).to_owned())
            .or_insert_with(|| StatefulType {
                type_name: (*t).to_owned(),
                cfn_lint: false,
                overlay: None,
                delete_requires_empty: false,
            })
            .overlay = Some(why);
    }
    let unknown: Vec<&str> = out
        .keys()
        .map(String::as_str)
        .filter(|t| !known(t))
        .collect();
    if !unknown.is_empty() {
        return Err(format!(
            "stateful types not in the registry: {}; fix cfn-codegen/src/stateful.rs",
            unknown.join(", ")
        ));
    }
    Ok(out.into_values().collect())
}

/// The generated table: `(type, from cfn-lint, overlay reason, delete
/// requires empty)` rows for `cfn_resources::schema::stateful`.
pub fn emit(header: &str, types: &[StatefulType]) -> String {
    let mut out = String::new();
    out.push_str(header);
    out.push_str(
        "// Stateful resource types: cfn-lint's StatefulResources.json united with the\n\
         // reviewed overlay in cfn-codegen/src/stateful.rs. Included by\n\
         // cfn-resources/src/schema/stateful.rs.\n\n",
    );
    let _ = writeln!(out, "stateful_table! {{");
    for t in types {
        let _ = writeln!(
            out,
            "    {:?}, cfn_lint: {}, delete_requires_empty: {}, overlay: {};",
            t.type_name,
            t.cfn_lint,
            t.delete_requires_empty,
            match t.overlay {
                Some(w) => format!("Some({w:?})"),
                None => "None".into(),
            }
        );
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_sorts_and_keeps_both_sources() {
        let mut lint = BTreeMap::new();
        lint.insert("AWS::S3::Bucket".to_owned(), true);
        lint.insert("AWS::ECR::Repository".to_owned(), false);
        let all = merge(&lint, &|_| true).unwrap();
        let names: Vec<&str> = all.iter().map(|t| t.type_name.as_str()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        let s3 = all
            .iter()
            .find(|t| t.type_name == "AWS::S3::Bucket")
            .unwrap();
        assert!(s3.cfn_lint && s3.delete_requires_empty && s3.overlay.is_none());
        // In both: cfn-lint's flag and the overlay's reason are kept.
        let ecr = all
            .iter()
            .find(|t| t.type_name == "AWS::ECR::Repository")
            .unwrap();
        assert!(ecr.cfn_lint && ecr.overlay.is_some());
        // Only in the overlay.
        let glue = all
            .iter()
            .find(|t| t.type_name == "AWS::Glue::Table")
            .unwrap();
        assert!(!glue.cfn_lint && glue.overlay.is_some());
    }

    #[test]
    fn unknown_types_are_an_error() {
        let lint = BTreeMap::from([("AWS::Nope::Thing".to_owned(), false)]);
        let e = merge(&lint, &|t| t != "AWS::Nope::Thing").unwrap_err();
        assert!(e.contains("AWS::Nope::Thing"), "{e}");
    }

    #[test]
    fn overlay_is_sorted_and_unique() {
        let names: Vec<&str> = OVERLAY.iter().map(|(t, _)| *t).collect();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(names, sorted);
    }

    #[test]
    fn emitted_rows_are_one_per_type() {
        let types = vec![StatefulType {
            type_name: "AWS::S3::Bucket".into(),
            cfn_lint: true,
            overlay: None,
            delete_requires_empty: true,
        }];
        let text = emit("// header\n", &types);
        assert!(text.contains(
            "    \"AWS::S3::Bucket\", cfn_lint: true, delete_requires_empty: true, overlay: None;\n"
        ));
    }
}

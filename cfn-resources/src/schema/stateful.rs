//! Hand-written: resource types that hold data, which a replacement or a
//! deletion destroys. Tools use it to insist on `DeletionPolicy: Retain` and
//! to flag replacements of these types in diffs.

/// Types that hold data (sorted).
pub const STATEFUL_TYPES: &[&str] = &[
    "AWS::Backup::BackupVault",
    "AWS::CertificateManager::Certificate",
    "AWS::Cognito::UserPool",
    "AWS::DocDB::DBCluster",
    "AWS::DocDB::DBInstance",
    "AWS::DynamoDB::GlobalTable",
    "AWS::DynamoDB::Table",
    "AWS::EC2::Volume",
    "AWS::ECR::Repository",
    "AWS::EFS::FileSystem",
    "AWS::ElastiCache::CacheCluster",
    "AWS::ElastiCache::ReplicationGroup",
    "AWS::ElastiCache::ServerlessCache",
    "AWS::Elasticsearch::Domain",
    "AWS::FSx::FileSystem",
    "AWS::FSx::Volume",
    "AWS::Glue::Database",
    "AWS::Glue::Table",
    "AWS::KMS::Key",
    "AWS::KMS::ReplicaKey",
    "AWS::Kinesis::Stream",
    "AWS::KinesisFirehose::DeliveryStream",
    "AWS::Logs::LogGroup",
    "AWS::MSK::Cluster",
    "AWS::Neptune::DBCluster",
    "AWS::Neptune::DBInstance",
    "AWS::OpenSearchService::Domain",
    "AWS::QLDB::Ledger",
    "AWS::RDS::DBCluster",
    "AWS::RDS::DBInstance",
    "AWS::Redshift::Cluster",
    "AWS::S3::Bucket",
    "AWS::S3Express::DirectoryBucket",
    "AWS::SQS::Queue",
    "AWS::SecretsManager::Secret",
    "AWS::Timestream::Database",
    "AWS::Timestream::Table",
];

#[cfg(test)]
mod tests {
    #[test]
    fn sorted_and_known() {
        let mut sorted = super::STATEFUL_TYPES.to_vec();
        sorted.sort();
        assert_eq!(sorted, super::STATEFUL_TYPES);
        for t in super::STATEFUL_TYPES {
            assert!(
                crate::schema::lookup(t).is_some(),
                "{t} is not a registry type"
            );
        }
    }
}

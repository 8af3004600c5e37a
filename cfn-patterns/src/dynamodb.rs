//! A DynamoDB table with a typed key schema, encrypted with a customer key,
//! point-in-time recovery on, retained.
//!
//! ```
//! use cfn_core::Template;
//! use cfn_patterns::dynamodb::{DynamoTable, KeyAttribute, TableProps};
//! use cfn_patterns::kms::{EncryptionKey, KeyProps};
//! use cfn_patterns::Tags;
//! let (mut t, tags) = (Template::new(), Tags::new("shop", "prod"));
//! let key = EncryptionKey::new(&mut t, "Key", KeyProps::new("shop", &tags)).unwrap();
//! let props = TableProps::new("orders", KeyAttribute::string("customer"), &tags)
//!     .sort_key(KeyAttribute::number("placed_at"))
//!     .deletion_protection(true);
//! let orders = DynamoTable::new(&mut t, "Orders", &key, props).unwrap();
//! let json = t.synth(cfn_core::Format::Json).unwrap();
//! assert!(json.contains("\"PointInTimeRecoveryEnabled\": true"));
//! assert!(json.contains("\"KeyType\": \"RANGE\""));
//! # let _ = orders;
//! ```

use crate::arns::{allow, ScopedArn};
use crate::grants::{grant, Grantee, KMS_DECRYPT, KMS_ENCRYPT_DECRYPT};
use crate::kms::EncryptionKey;
use crate::tags::Tags;
use cfn_core::{Declared, Handle, Result, Template, Value};
use cfn_resources::dynamodb::{table, Table};

/// A key attribute: its name and type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyAttribute {
    /// The attribute name.
    pub name: String,
    /// Its type.
    pub ty: table::AttributeType,
}

impl KeyAttribute {
    /// A string attribute (`S`).
    pub fn string(name: &str) -> Self {
        KeyAttribute {
            name: name.to_owned(),
            ty: table::AttributeType::S,
        }
    }
    /// A number attribute (`N`).
    pub fn number(name: &str) -> Self {
        KeyAttribute {
            name: name.to_owned(),
            ty: table::AttributeType::N,
        }
    }
    /// A binary attribute (`B`).
    pub fn binary(name: &str) -> Self {
        KeyAttribute {
            name: name.to_owned(),
            ty: table::AttributeType::B,
        }
    }
}

/// Options of [`DynamoTable`].
#[derive(Debug, Clone, PartialEq)]
pub struct TableProps {
    /// What the table holds (`orders`): used in tags.
    pub name: String,
    /// The partition (`HASH`) key.
    pub partition_key: KeyAttribute,
    /// The sort (`RANGE`) key, if any.
    pub sort_key: Option<KeyAttribute>,
    /// `DeletionProtectionEnabled`: refuse `DeleteTable` even from the
    /// console. Default off (the table is retained on stack deletion
    /// anyway); turn it on for production.
    pub deletion_protection: bool,
    /// The attribute holding each item's expiry time, if any.
    pub time_to_live_attribute: Option<String>,
    /// Tags.
    pub tags: Tags,
}

impl TableProps {
    /// A table keyed by `partition_key`, with the defaults above.
    pub fn new(name: &str, partition_key: KeyAttribute, tags: &Tags) -> Self {
        TableProps {
            name: name.to_owned(),
            partition_key,
            sort_key: None,
            deletion_protection: false,
            time_to_live_attribute: None,
            tags: tags.clone(),
        }
    }
    /// Adds a sort key.
    pub fn sort_key(mut self, key: KeyAttribute) -> Self {
        self.sort_key = Some(key);
        self
    }
    /// Sets deletion protection.
    pub fn deletion_protection(mut self, on: bool) -> Self {
        self.deletion_protection = on;
        self
    }
    /// Expires items by the time in `attribute`.
    pub fn time_to_live(mut self, attribute: &str) -> Self {
        self.time_to_live_attribute = Some(attribute.to_owned());
        self
    }
}

/// A DynamoDB table.
///
/// Defaults: on-demand billing; SSE with the given KMS key; point-in-time
/// recovery (35 days); `DeletionPolicy` and `UpdateReplacePolicy` Retain;
/// deletion protection as asked ([`TableProps::deletion_protection`]).
pub struct DynamoTable {
    /// The table.
    pub table: Handle<Table>,
    /// The ARN of the key it is encrypted with.
    pub key_arn: Value<String>,
}

/// Read actions a table grant gives.
const READ: [&str; 6] = [
    "dynamodb:BatchGetItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
];

/// Write actions a read-write table grant adds.
const WRITE: [&str; 4] = [
    "dynamodb:BatchWriteItem",
    "dynamodb:DeleteItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
];

impl DynamoTable {
    /// Declares `{id}`.
    pub fn new(t: &mut Template, id: &str, key: &EncryptionKey, props: TableProps) -> Result<Self> {
        let keys: Vec<(&KeyAttribute, &str)> = std::iter::once((&props.partition_key, "HASH"))
            .chain(props.sort_key.iter().map(|k| (k, "RANGE")))
            .collect();
        let schema: Vec<table::KeySchema> = keys
            .iter()
            .map(|(k, kind)| table::KeySchema::new(k.name.as_str(), *kind))
            .collect();
        let definitions: Vec<table::AttributeDefinition> = keys
            .iter()
            .map(|(k, _)| table::AttributeDefinition::new(k.name.as_str(), k.ty))
            .collect();
        let mut table = Table::new(schema)
            .attribute_definitions(definitions)
            .billing_mode(table::BillingMode::PayPerRequest)
            .point_in_time_recovery_specification(
                table::PointInTimeRecoverySpecification::new().point_in_time_recovery_enabled(true),
            )
            .sse_specification(
                table::SseSpecification::new(true)
                    .sse_type(table::SseType::Kms)
                    .kms_master_key_id(key.id()),
            )
            .tags(props.tags.list(&props.name, "data"));
        if props.deletion_protection {
            table = table.deletion_protection_enabled(true);
        }
        if let Some(attr) = &props.time_to_live_attribute {
            table = table.time_to_live_specification(
                table::TimeToLiveSpecification::new(true).attribute_name(attr.as_str()),
            );
        }
        let table = t.add(id, Declared::new(table).retain())?;
        Ok(DynamoTable {
            table,
            key_arn: key.arn(),
        })
    }

    /// The table's ARN.
    pub fn arn(&self) -> Value<String> {
        self.table.arn()
    }

    /// The table's name (`Ref`).
    pub fn name(&self) -> Value<String> {
        self.table.reference()
    }

    /// The table, its indexes (from the catalogue's format,
    /// `table/{name}/index/*`) and its key, for grants.
    fn resources(&self) -> Result<[ScopedArn; 3]> {
        Ok([
            ScopedArn::attribute("dynamodb", "table", self.arn())?,
            ScopedArn::from_format(
                "dynamodb",
                "index",
                &format!("${{{}}}/index/*", self.table.id()),
            )?,
            ScopedArn::attribute("kms", "key", self.key_arn.clone())?,
        ])
    }

    /// Lets `to` read items (`GetItem`, `BatchGetItem`,
    /// `ConditionCheckItem`, `DescribeTable` on the table; `Query`, `Scan`
    /// on the table and its indexes, the only two the IAM action catalogue
    /// lets act on an index; `kms:Decrypt`, `kms:DescribeKey` on its key):
    /// the inline policy `{id}-read`.
    pub fn grant_read_data(&self, t: &mut Template, to: &impl Grantee) -> Result<()> {
        let actions: Vec<&str> = READ.into_iter().chain(KMS_DECRYPT).collect();
        let statements = allow(&actions, &self.resources()?)?;
        grant(t, to, &format!("{}-read", self.table.id()), statements)
    }

    /// Lets `to` read and write items (the read actions plus `PutItem`,
    /// `UpdateItem`, `DeleteItem`, `BatchWriteItem`; encrypt and decrypt
    /// with its key): the inline policy `{id}-read-write`.
    ///
    /// ```
    /// # use cfn_core::Template;
    /// # use cfn_patterns::{dynamodb::*, iam::PolicyDocument, kms::{EncryptionKey, KeyProps}, Tags};
    /// # use cfn_resources::iam::Role;
    /// # let (mut t, tags) = (Template::new(), Tags::new("shop", "dev"));
    /// # let key = EncryptionKey::new(&mut t, "Key", KeyProps::new("shop", &tags)).unwrap();
    /// let items = DynamoTable::new(&mut t, "Items", &key, TableProps::new("items", KeyAttribute::string("id"), &tags)).unwrap();
    /// let api = t.add("ApiRole", Role::new(PolicyDocument::assume_role("lambda.amazonaws.com").to_json())).unwrap();
    /// items.grant_read_write(&mut t, &api).unwrap();
    /// assert!(t.synth(cfn_core::Format::Json).unwrap().contains("dynamodb:PutItem"));
    /// ```
    pub fn grant_read_write(&self, t: &mut Template, to: &impl Grantee) -> Result<()> {
        let actions: Vec<&str> = READ
            .into_iter()
            .chain(WRITE)
            .chain(KMS_ENCRYPT_DECRYPT)
            .collect();
        let statements = allow(&actions, &self.resources()?)?;
        grant(
            t,
            to,
            &format!("{}-read-write", self.table.id()),
            statements,
        )
    }
}

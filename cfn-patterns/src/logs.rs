//! A log group encrypted with a customer key, with retention.

use crate::kms::EncryptionKey;
use crate::tags::Tags;
use cfn_core::{Declared, Handle, Result, Template};
use cfn_resources::logs::LogGroup;

/// Declares a log group. Defaults: encrypted with `key` (whose policy must
/// let `logs.<region>.amazonaws.com` use it: add a
/// [`KeyUser::Service`](crate::kms::KeyUser::Service)), the given
/// retention, retained on delete and replace.
pub fn encrypted_log_group(
    t: &mut Template,
    id: &str,
    key: &EncryptionKey,
    retention_days: i64,
    tags: &Tags,
    tier: &str,
) -> Result<Handle<LogGroup>> {
    t.add(
        id,
        Declared::new(
            LogGroup::new()
                .kms_key_id(cfn_core::Value::from_string(key.arn()))
                .retention_in_days(retention_days)
                .tags(tags.list(&format!("{}-logs", tier), tier)),
        )
        .retain(),
    )
}

// `log_group.kms_key_id(key.reference())`: a key id where the schema takes a key ARN.
use cfn_core::Template;
use cfn_resources::{kms, logs};

fn main() {
    let mut t = Template::new();
    let key = t.add("Key", kms::Key::new()).unwrap();
    let _ = logs::LogGroup::new().kms_key_id(key.reference());
}

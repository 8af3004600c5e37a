// A bucket's name where a KMS key id belongs.
use cfn_core::Template;
use cfn_resources::{s3::Bucket, sns::Topic};

fn main() {
    let mut t = Template::new();
    let bucket = t.add("Assets", Bucket::new()).unwrap();
    let _ = Topic::new().kms_master_key_id(bucket.reference());
}

// A bucket has no `TopicArn` attribute.
use cfn_core::Template;
use cfn_resources::s3::Bucket;

fn main() {
    let mut t = Template::new();
    let bucket = t.add("Assets", Bucket::new()).unwrap();
    let _ = bucket.arn();
    let _ = bucket.topic_arn();
}

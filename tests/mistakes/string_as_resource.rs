// A type name where a resource belongs: use a generated type or `Raw`.
use cfn_core::Template;

fn main() {
    let mut t = Template::new();
    let _ = t.add("Assets", "AWS::S3::Bucket");
}

// A parameter in DependsOn: only resources can be depended on.
use cfn_core::{Declared, Parameter, Raw, Template};

fn main() {
    let mut t = Template::new();
    let env = t.add_parameter("Env", Parameter::string()).unwrap();
    let _ = t.add("Assets", Declared::new(Raw::new("AWS::S3::Bucket")).depends_on(&env));
}

// DependsOn takes a resource, not a parameter.
use cfn_core::{Declared, Parameter, Raw, Template};

fn main() {
    let mut t = Template::new();
    let p = t.add_parameter("Env", Parameter::string()).unwrap();
    let _ = t.add("Topic", Declared::new(Raw::new("AWS::SNS::Topic")).depends_on(&p));
}

// A subnet's id is not a VPC id.
use cfn_core::Template;
use cfn_resources::ec2::{Subnet, Vpc};

fn main() {
    let mut t = Template::new();
    let vpc = t.add("Vpc", Vpc::new()).unwrap();
    let a = t.add("SubnetA", Subnet::new(vpc.reference())).unwrap();
    let _ = Subnet::new(a.reference());
}

// A subnet where a security group's VPC belongs.
use cfn_core::Template;
use cfn_resources::ec2::{SecurityGroup, Subnet, Vpc};

fn main() {
    let mut t = Template::new();
    let vpc = t.add("Vpc", Vpc::new()).unwrap();
    let subnet = t.add("A", Subnet::new(vpc.reference())).unwrap();
    let _ = SecurityGroup::new("web tier").vpc_id(subnet.reference());
}

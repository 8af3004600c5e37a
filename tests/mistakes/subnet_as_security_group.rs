// A subnet among a load balancer's security groups.
use cfn_core::Template;
use cfn_resources::ec2::{Subnet, Vpc};
use cfn_resources::elasticloadbalancingv2::LoadBalancer;

fn main() {
    let mut t = Template::new();
    let vpc = t.add("Vpc", Vpc::new()).unwrap();
    let subnet = t.add("A", Subnet::new(vpc.reference())).unwrap();
    let _ = LoadBalancer::new().security_groups(vec![subnet.reference()]);
}

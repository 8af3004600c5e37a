// A VPC where the load balancer's subnets belong.
use cfn_core::Template;
use cfn_resources::ec2::Vpc;
use cfn_resources::elasticloadbalancingv2::LoadBalancer;

fn main() {
    let mut t = Template::new();
    let vpc = t.add("Vpc", Vpc::new().cidr_block("10.0.0.0/16")).unwrap();
    let _ = LoadBalancer::new().subnets(vec![vpc.reference()]);
}

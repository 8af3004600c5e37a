// Literal strings where typed subnet ids belong (ids of this stack come from
// its handles; outside ids are written `Value::existing`).
use cfn_resources::elasticloadbalancingv2::LoadBalancer;

fn main() {
    let _ = LoadBalancer::new().subnets(vec!["subnet-0a", "subnet-0b"]);
}

// A VPC where a DB subnet group's subnets belong.
use cfn_core::Template;
use cfn_resources::{ec2, rds};

fn main() {
    let mut t = Template::new();
    let vpc = t.add("Vpc", ec2::Vpc::new().cidr_block("10.0.0.0/16")).unwrap();
    let _ = rds::DbSubnetGroup::new("db", vec![vpc.reference()]);
}

//! The benchmark template, shared by `benches/scale.rs` and the
//! `bench_synth` example (`bench/bench_synth.rs`): `n / 4` units of a VPC, a
//! subnet in it, a security group in it and a bucket named after the stack,
//! built from the typed resources of `cfn-resources`. `bench/troposphere_synth.py`
//! builds the same template with troposphere.

use cfn_core::{fns, Template};
use cfn_resources::ec2::{SecurityGroup, Subnet, Vpc};
use cfn_resources::s3::Bucket;

/// The template of `resources` resources (rounded down to a multiple of 4).
/// With `modified`, every 100th subnet moves to another CIDR (a replacement),
/// every 100th security group (offset by 50) gets another description (a
/// replacement too) and one bucket is added: the "slightly modified copy"
/// the diff benchmark compares against.
pub fn build(resources: usize, modified: bool) -> cfn_core::Result<Template> {
    let mut t = Template::new();
    t.set_description("benchmark template");
    for i in 0..resources / 4 {
        let vpc = t.add(
            &format!("Vpc{i}"),
            Vpc::new()
                .cidr_block("10.0.0.0/16")
                .enable_dns_hostnames(true),
        )?;
        let subnet_cidr = if modified && i % 100 == 0 {
            "10.0.1.0/24"
        } else {
            "10.0.0.0/24"
        };
        t.add(
            &format!("Subnet{i}"),
            Subnet::new(vpc.reference()).cidr_block(subnet_cidr),
        )?;
        let description = if modified && i % 100 == 50 {
            "web v2"
        } else {
            "web"
        };
        t.add(
            &format!("Sg{i}"),
            SecurityGroup::new(description).vpc_id(vpc.reference()),
        )?;
        t.add(
            &format!("Bucket{i}"),
            Bucket::new().bucket_name(fns::sub(format!("${{AWS::StackName}}-b{i}"))),
        )?;
    }
    if modified {
        t.add(
            "BucketExtra",
            Bucket::new().bucket_name(fns::sub("${AWS::StackName}-extra")),
        )?;
    }
    Ok(t)
}

//! Synthesis and validation of generated templates of 1,000 and 10,000
//! resources: `cargo bench --bench synth`.
//!
//! Each "unit" is four resources that refer to each other the way a real
//! network does (a VPC, a subnet in it, a security group in it, a bucket
//! named after the stack), so validation walks real references.

use cfn_core::{fns, pseudo, Format, Raw, Template};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::hint::black_box;

fn build(resources: usize) -> Template {
    let mut t = Template::new();
    t.set_description("benchmark template");
    for i in 0..resources / 4 {
        let vpc = t
            .add(
                &format!("Vpc{i}"),
                Raw::new("AWS::EC2::VPC")
                    .property("CidrBlock", "10.0.0.0/16")
                    .property("EnableDnsHostnames", serde_json::Value::Bool(true)),
            )
            .unwrap();
        t.add(
            &format!("Subnet{i}"),
            Raw::new("AWS::EC2::Subnet")
                .property("VpcId", vpc.reference().into_json())
                .property(
                    "CidrBlock",
                    fns::select(
                        0,
                        fns::cidr(vpc.get_att_unchecked::<String>("CidrBlock"), 4, 8),
                    )
                    .into_json(),
                )
                .property(
                    "AvailabilityZone",
                    fns::select(0, fns::get_azs(pseudo::region())).into_json(),
                ),
        )
        .unwrap();
        t.add(
            &format!("Sg{i}"),
            Raw::new("AWS::EC2::SecurityGroup")
                .property("GroupDescription", "web")
                .property("VpcId", vpc.reference().into_json()),
        )
        .unwrap();
        t.add(
            &format!("Bucket{i}"),
            Raw::new("AWS::S3::Bucket").property(
                "BucketName",
                fns::sub(format!("${{AWS::StackName}}-b{i}")).into_json(),
            ),
        )
        .unwrap();
    }
    t
}

fn benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("template");
    g.sample_size(10);
    for n in [1_000usize, 10_000] {
        g.bench_with_input(BenchmarkId::new("synthesize", n), &n, |b, &n| {
            b.iter(|| black_box(build(n)))
        });
        let t = build(n);
        g.bench_with_input(BenchmarkId::new("validate", n), &t, |b, t| {
            b.iter(|| black_box(t.validate()))
        });
        g.bench_with_input(BenchmarkId::new("synth_and_validate", n), &n, |b, &n| {
            b.iter(|| {
                let t = build(n);
                let r = t.validate();
                black_box((t.render(Format::Json), r))
            })
        });
        g.bench_with_input(BenchmarkId::new("render_json", n), &t, |b, t| {
            b.iter(|| black_box(t.to_json_pretty()))
        });
        g.bench_with_input(BenchmarkId::new("render_yaml", n), &t, |b, t| {
            b.iter(|| black_box(t.to_yaml()))
        });
        let json = t.to_json_pretty();
        let yaml = t.to_yaml();
        g.bench_with_input(BenchmarkId::new("parse_json", n), &json, |b, s| {
            b.iter(|| black_box(Template::from_json(s).unwrap()))
        });
        g.bench_with_input(BenchmarkId::new("parse_yaml", n), &yaml, |b, s| {
            b.iter(|| black_box(Template::from_yaml(s).unwrap()))
        });
    }
    g.finish();
}

criterion_group!(template, benches);
criterion_main!(template);

//! The generated types in use: typed ids flow from handles into fields, the
//! rendered template is a snapshot, and every resource passes the schema
//! facts' validator.

use cfn_core::{fns, json_object, Format, Json, Template, Value};
use cfn_resources::ec2::{self, Instance, SecurityGroup, Subnet, Vpc};
use cfn_resources::{iam, kms, s3, schema, sns};

fn stack() -> Template {
    let mut t = Template::new();
    let vpc = t
        .add(
            "Vpc",
            Vpc::new()
                .cidr_block("10.0.0.0/16")
                .enable_dns_support(true),
        )
        .unwrap();
    let subnet = t
        .add(
            "SubnetA",
            Subnet::new(vpc.reference())
                .cidr_block(fns::select(0, fns::cidr(vpc.cidr_block(), 4, 8)))
                .availability_zone(fns::select(0, fns::get_azs("")))
                .tags(vec![ec2::subnet::Tag::new("Name", "a")]),
        )
        .unwrap();
    let sg = t
        .add(
            "WebSg",
            SecurityGroup::new("web tier")
                .vpc_id(vpc.reference())
                .security_group_ingress(vec![ec2::security_group::Ingress::new("tcp")
                    .from_port(443)
                    .to_port(443)
                    .cidr_ip("0.0.0.0/0")]),
        )
        .unwrap();
    let role = t
        .add(
            "WebRole",
            iam::Role::new(json_object([
                ("Version", "2012-10-17".into()),
                ("Statement", serde_json::json!([{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]).into()),
            ])),
        )
        .unwrap();
    let key = t
        .add("DataKey", kms::Key::new().enable_key_rotation(true))
        .unwrap();
    t.add(
        "Assets",
        s3::Bucket::new().bucket_encryption(s3::bucket::BucketEncryption::new(vec![
            s3::bucket::ServerSideEncryptionRule::new().server_side_encryption_by_default(
                s3::bucket::ServerSideEncryptionByDefault::new(s3::bucket::SseAlgorithm::AwsKms)
                    // The field takes a key id; an ARN is accepted too, said explicitly.
                    .kms_master_key_id(Value::from_string(key.arn().into())),
            ),
        ])),
    )
    .unwrap();
    t.add(
        "Alerts",
        sns::Topic::new().kms_master_key_id(key.reference()),
    )
    .unwrap();
    t.add(
        "Web",
        Instance::new()
            .subnet_id(subnet.reference())
            .security_group_ids(vec![
                sg.reference(),
                Value::existing("sg-0123456789abcdef0"),
            ])
            .instance_type("t3.micro"),
    )
    .unwrap();
    // Attribute getters are typed: a role's ARN is a role ARN.
    let _: Value<cfn_resources::ids::iam::RoleArn> = role.arn();
    t
}

#[test]
fn typed_stack_renders() {
    let json = stack().synth(Format::Json).unwrap();
    insta::assert_snapshot!(json);
}

#[test]
fn every_resource_passes_its_schema_facts() {
    let t = stack();
    let json: serde_json::Value = serde_json::from_str(&t.synth(Format::Json).unwrap()).unwrap();
    for (id, r) in json["Resources"].as_object().unwrap() {
        let ty = r["Type"].as_str().unwrap();
        let facts = schema::lookup(ty).unwrap();
        let props: cfn_core::ExprMap = r["Properties"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), Value::<Json>::from(v.clone()).into_expr()))
                    .collect()
            })
            .unwrap_or_default();
        let problems = schema::validate_properties(facts, &props);
        assert!(problems.is_empty(), "{id}: {problems:?}");
    }
}

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
                    // The field admits a key id, a key ARN or an alias: each converts.
                    .kms_master_key_id(key.arn()),
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

#[test]
fn a_field_that_admits_several_key_forms_takes_each() {
    use cfn_resources::ids::kms::KeyIdArnOrAlias;
    use cfn_resources::rt::IntoValue;
    let mut t = Template::new();
    let key = t.add("Key", kms::Key::new()).unwrap();
    let alias = t
        .add("Alias", kms::Alias::new("alias/app", key.reference()))
        .unwrap();
    // S3's KMSMasterKeyID admits a key id, a key ARN or an alias (its
    // schema lists the three formats and no pattern narrows them).
    let forms: Vec<Value<KeyIdArnOrAlias>> = vec![
        key.reference().into_value(),
        key.arn().into_value(),
        alias.reference().into_value(),
    ];
    let rendered: Vec<String> = forms
        .into_iter()
        .map(|v| {
            let d =
                s3::bucket::ServerSideEncryptionByDefault::new(s3::bucket::SseAlgorithm::AwsKms)
                    .kms_master_key_id(v);
            serde_json::to_string(&cfn_core::ToExpr::to_expr(&d).to_json()).unwrap()
        })
        .collect();
    assert!(rendered[0].contains(r#"{"Ref":"Key"}"#), "{}", rendered[0]);
    assert!(
        rendered[1].contains(r#"{"Fn::GetAtt":["Key","Arn"]}"#),
        "{}",
        rendered[1]
    );
    assert!(
        rendered[2].contains(r#"{"Ref":"Alias"}"#),
        "{}",
        rendered[2]
    );
}

//! One `Tag` type for every resource, and nested types that several
//! resources of a service define identically emitted once: the paths users
//! write (`s3::bucket::Tag`, `cloudwatch::alarm::Dimension`) name one type.

use cfn_core::{Format, ResourceType, Template};
use cfn_resources::{cloudwatch, ec2, elasticloadbalancingv2, s3, schema, sns, Tag};

/// Compiles only when both arguments have the same type.
fn same_type<T>(_: &T, _: &T) {}

#[test]
fn one_tag_list_fits_every_resource() {
    let tags = Tag::list([("Name", "web"), ("Tier", "web")]);
    let mut t = Template::new();
    t.add("Bucket", s3::Bucket::new().tags(tags.clone()))
        .unwrap();
    t.add("Vpc", ec2::Vpc::new().tags(tags.clone())).unwrap();
    t.add("Topic", sns::Topic::new().tags(tags)).unwrap();
    let out: serde_json::Value = serde_json::from_str(&t.synth(Format::Json).unwrap()).unwrap();
    let expected = serde_json::json!([
        {"Key": "Name", "Value": "web"},
        {"Key": "Tier", "Value": "web"}
    ]);
    for id in ["Bucket", "Vpc", "Topic"] {
        let rendered = &out["Resources"][id]["Properties"]["Tags"];
        assert_eq!(rendered, &expected, "{id}");
        // Key before Value, as with the former per-resource structs.
        let keys: Vec<&String> = rendered[0].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["Key", "Value"]);
    }
}

#[test]
fn the_paths_of_the_schemas_name_the_one_tag() {
    let tag = Tag::new("Name", "web");
    same_type(&tag, &s3::bucket::Tag::new("Name", "web"));
    same_type(&tag, &ec2::subnet::Tag::new("Name", "web"));
    same_type(&tag, &sns::topic::Tag::new("Name", "web"));
    assert_eq!(tag, ec2::vpc::Tag::new("Name", "web"));
}

#[test]
fn what_a_schema_requires_of_a_tag_stays_checked() {
    // `Value` is required by S3's tag schema, optional by an ELBv2 load
    // balancer's: the shared type leaves it to the validator.
    let problems = |type_name: &str, props: cfn_core::ExprMap| {
        schema::validate_properties(schema::lookup(type_name).unwrap(), &props)
    };
    let bucket = s3::Bucket::new().tags(vec![Tag::key_only("Name")]);
    let found = problems(s3::Bucket::TYPE_NAME, bucket.into_properties());
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].path.starts_with("Properties/Tags/0"), "{found:?}");
    let lb = elasticloadbalancingv2::LoadBalancer::new().tags(vec![Tag::key_only("Name")]);
    let found = problems(
        elasticloadbalancingv2::LoadBalancer::TYPE_NAME,
        lb.into_properties(),
    );
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn shared_shapes_keep_their_paths() {
    let a = cloudwatch::alarm::Dimension::new("InstanceId", "i-0123");
    let b = cloudwatch::anomaly_detector::Dimension::new("InstanceId", "i-0123");
    same_type(&a, &b);
    assert_eq!(a, b);
    same_type(
        &s3::bucket::PublicAccessBlockConfiguration::new(),
        &s3::access_point::PublicAccessBlockConfiguration::new(),
    );
}

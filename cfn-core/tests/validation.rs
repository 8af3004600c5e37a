//! Validation finds every problem at once; the text a user sees is a snapshot.

use cfn_core::expr::{Expr, Intrinsic};
use cfn_core::{fns, Declared, Output, Parameter, Raw, Template, Value};

fn reff(x: &str) -> Value<cfn_core::Json> {
    Value::from_expr_unchecked(Expr::func(Intrinsic::Ref(x.into())))
}

fn report_text(t: &Template) -> String {
    t.validate().to_string()
}

#[test]
fn dangling_references_of_every_kind() {
    let src = r#"
Parameters:
  Env: {Type: String, Default: dev}
  Unused: {Type: String}
Mappings:
  Sizes: {dev: {Instance: t4g.small}}
  Spare: {a: {b: c}}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  Lonely: !Equals [!Ref Env, x]
  UsesResource: !Equals [!Ref Topic, x]
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Condition: IsPrd
    DependsOn: [Queue, Missing]
    Properties:
      DisplayName: !Ref Evn
      TopicName: !GetAtt Queu.QueueName
      KmsMasterKeyId: !Sub "${Key.Arn}-${Nope}"
      Size: !FindInMap [Sizes, prod, Instance]
      Other: !FindInMap [Size, dev, Instance]
      Flag: !If [IsProdd, a, b]
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !GetAtt Topic.TopicName
      Fine: !Ref Env
Outputs:
  A:
    Value: !Ref Topic
    Condition: Nope
    Export: {Name: shared}
  B:
    Value: x
    Export: {Name: shared}
"#;
    let t = Template::from_yaml(src).unwrap();
    insta::assert_snapshot!(report_text(&t));
}

#[test]
fn cycles_are_reported_whole() {
    let mut t = Template::new();
    for id in ["A", "B", "C"] {
        t.add(id, Raw::new("AWS::SNS::Topic")).unwrap();
    }
    let set = |t: &mut Template, from: &str, to: &str| {
        t.resources.get_mut(from).unwrap().properties = Some(
            [("P".to_string(), Expr::func(Intrinsic::Ref(to.into())))]
                .into_iter()
                .collect(),
        );
    };
    set(&mut t, "A", "B");
    set(&mut t, "B", "C");
    set(&mut t, "C", "A");
    let self_dep = t.add("D", Raw::new("AWS::SNS::Topic")).unwrap();
    t.resource_mut(&self_dep).unwrap().depends_on = Some(cfn_core::DependsOn {
        targets: vec!["D".into()],
        list_form: false,
    });
    insta::assert_snapshot!(report_text(&t));
}

#[test]
fn redundant_depends_on_and_ids() {
    // Parameters and Resources share a namespace; an output may reuse an id
    let src = r#"{
  "Parameters": {"Topic": {"Type": "String"}},
  "Resources": {
    "Key": {"Type": "AWS::KMS::Key"},
    "Topic": {"Type": "AWS::SNS::Topic", "DependsOn": "Key", "Properties": {"KmsMasterKeyId": {"Ref": "Key"}}},
    "bad-id": {"Type": "AWS::SNS::Topic"},
    "Weird": {"Type": "AWS::SNS", "DeletionPolicy": "Retian"}
  },
  "Outputs": {"Key": {"Value": "dup"}}
}"#;
    let t = Template::from_json(src).unwrap();
    insta::assert_snapshot!(report_text(&t));
}

#[test]
fn parameter_defaults_that_break_their_constraints() {
    let mut t = Template::new();
    let params = [
        (
            "Env",
            Parameter::string()
                .allowed_values(["dev", "prod"])
                .default("test"),
        ),
        (
            "Name",
            Parameter::string()
                .allowed_pattern("[a-z]+")
                .default("Raven1"),
        ),
        (
            "Short",
            Parameter::string()
                .min_length(3)
                .max_length(5)
                .default("ab"),
        ),
        (
            "Count",
            Parameter::number().min_value(1).max_value(10).default(11),
        ),
        ("NotNum", Parameter::number().default("ten")),
        (
            "Zones",
            Parameter::comma_delimited_list()
                .allowed_values(["a", "b"])
                .default("a,c"),
        ),
        (
            "BadPattern",
            Parameter::string().allowed_pattern("[a-").default("x"),
        ),
    ];
    for (id, p) in params {
        let h = t.add_parameter(id, p).unwrap();
        t.add(
            &format!("Use{id}"),
            Raw::new("AWS::SNS::Topic").property("DisplayName", h.reference().into_json()),
        )
        .unwrap();
    }
    insta::assert_snapshot!(report_text(&t));
}

#[test]
fn limits() {
    let mut t = Template::new();
    t.set_description("d".repeat(1025));
    for i in 0..501 {
        t.add(&format!("Topic{i}"), Raw::new("AWS::SNS::Topic"))
            .unwrap();
    }
    for i in 0..201 {
        let p = t
            .add_parameter(&format!("P{i}"), Parameter::string().default("x"))
            .unwrap();
        t.add_output(&format!("O{i}"), Output::new(p.reference()))
            .unwrap();
    }
    let secrets: Vec<Value<String>> = (0..61)
        .map(|i| fns::resolve_ssm(&format!("/p/{i}"), None))
        .collect();
    t.add(
        "Secrets",
        Raw::new("AWS::SNS::Topic")
            .property("Tags", Value::<Vec<String>>::from(secrets).into_json()),
    )
    .unwrap();
    let report = t.validate();
    let errors: Vec<String> = report.errors().map(|d| d.to_string()).collect();
    insta::assert_snapshot!(errors.join("\n"));
}

#[test]
fn size_report_warns_above_direct_upload_limit() {
    let mut t = Template::new();
    for i in 0..60 {
        t.add(
            &format!("Topic{i}"),
            Raw::new("AWS::SNS::Topic").property("DisplayName", "x".repeat(900).as_str()),
        )
        .unwrap();
    }
    let report = t.validate();
    assert!(report.is_ok(), "{report}");
    assert!(!report.size.fits_direct_upload());
    assert!(report.size.fits_s3());
    let warnings: Vec<String> = report.warnings().map(|d| d.to_string()).collect();
    insta::assert_snapshot!(warnings.join("\n"));
}

#[test]
fn synth_fails_with_every_error_listed() {
    let mut t = Template::new();
    t.add(
        "A",
        Raw::new("AWS::SNS::Topic").property("X", reff("Nothing")),
    )
    .unwrap();
    t.add(
        "B",
        Declared::new(Raw::new("AWS::SNS::Topic"))
            .depends_on(&cfn_core::LogicalId::new("Gone").unwrap()),
    )
    .unwrap();
    let err = t.synth(cfn_core::Format::Json).unwrap_err();
    insta::assert_snapshot!(err.to_string());
}

#[test]
fn builder_refuses_bad_and_duplicate_ids() {
    let mut t = Template::new();
    t.add_parameter("Env", Parameter::string()).unwrap();
    let dup = t.add("Env", Raw::new("AWS::SNS::Topic")).unwrap_err();
    let bad = t.add("my-topic", Raw::new("AWS::SNS::Topic")).unwrap_err();
    let empty = t.add_output("", Output::new(fns::sub("x"))).unwrap_err();
    insta::assert_snapshot!(format!("{dup}\n{bad}\n{empty}"));
}

#[test]
fn cloudformation_rules_for_templates_written_by_anyone() {
    // outputs and conditions may reuse resource ids; `Version` on a custom
    // resource; both forms of `Fn::Transform`; look-around in AllowedPattern
    let src = r#"
Parameters:
  Name: {Type: String, Default: my-app, AllowedPattern: "(?!aws-)[a-z-]+"}
Conditions:
  Vpc: !Equals [!Ref Name, x]
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  Custom:
    Type: Custom::Thing
    Version: "1.0"
    Properties:
      ServiceToken: arn
      A: {Fn::Transform: [{Name: AWS::Include, Parameters: {Location: s3://b/k}}]}
      B: {Fn::Sub: {Fn::Transform: {Name: M}}}
Outputs:
  Vpc: {Value: !Ref Vpc}
"#;
    let t = Template::from_yaml(src).unwrap();
    let report = t.validate();
    assert!(report.is_ok(), "{report}");
    // the round trip keeps every form as written
    let again = Template::from_yaml(&t.to_yaml()).unwrap();
    assert_eq!(again, t);
}

#[test]
fn language_extensions_are_expanded_on_load() {
    let src = r#"
Transform: AWS::LanguageExtensions
Parameters:
  Names: {Type: CommaDelimitedList, Default: "A,B"}
Resources:
  Fn::ForEach::Topics:
    - Id
    - !Ref Names
    - Topic${Id}:
        Type: AWS::SNS::Topic
        Properties: {TopicName: !Sub "t-${Id}"}
Outputs:
  Fn::ForEach::Arns:
    - Id
    - [A, B]
    - Arn&{Id}: {Value: !Ref {Fn::Sub: "Topic${Id}"}}
"#;
    let t = Template::from_yaml(src).unwrap();
    let ids: Vec<_> = t.resources.keys().map(|k| k.as_str()).collect();
    assert_eq!(ids, ["TopicA", "TopicB"]);
    assert_eq!(t.outputs.len(), 2);
    assert!(t.validate().is_ok(), "{}", t.validate());
}

/// Found on public templates (cfn-lint 1.58.0's `quickstart` and `issues`
/// fixtures): what CloudFormation and SAM deploy is not refused.
#[test]
fn what_public_templates_deploy_is_not_refused() {
    // AWS Quick Start VPC: condition names with `&` (the logical-id
    // alphabet binds the other sections only)
    let vpc = Template::from_yaml(
        "Parameters:\n  N: {Type: Number, Default: 2}\nConditions:\n  NATGateway&3AZCondition: !Equals [!Ref N, 3]\nResources:\n  T:\n    Type: AWS::SNS::Topic\n    Condition: NATGateway&3AZCondition\n",
    )
    .unwrap();
    assert!(vpc.validate().is_ok(), "{}", vpc.validate());
    // but an over-long condition name still is refused
    let long = "C".repeat(256);
    let t = Template::from_yaml(&format!(
        "Conditions:\n  {long}: !Equals [a, b]\nResources:\n  T:\n    Type: AWS::SNS::Topic\n    Condition: {long}\n"
    ))
    .unwrap();
    assert!(
        t.validate().to_string().contains("invalid logical id"),
        "{}",
        t.validate()
    );
    // SAM: an alarm on the function, listed in the function's
    // DeploymentPreference, moves to the generated deployment group: no cycle
    let sam = Template::from_yaml(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: a.b\n      InlineCode: x\n      AutoPublishAlias: live\n      DeploymentPreference:\n        Type: AllAtOnce\n        Alarms: [!Ref Errors]\n  Errors:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      MetricName: Errors\n      Namespace: AWS/Lambda\n      Statistic: Sum\n      Period: 60\n      EvaluationPeriods: 1\n      Threshold: 1\n      ComparisonOperator: GreaterThanThreshold\n      Dimensions: [{Name: FunctionName, Value: !Ref Fn}]\n",
    )
    .unwrap();
    assert!(
        !sam.validate().to_string().contains("DependencyCycle"),
        "{}",
        sam.validate()
    );
    // the same references between plain resources are a cycle
    let plain = Template::from_yaml(
        "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties: {DisplayName: !Ref B}\n  B:\n    Type: AWS::SNS::Topic\n    Properties: {DisplayName: !Ref A}\n",
    )
    .unwrap();
    assert!(plain.validate().to_string().contains("circular dependency"));
}

//! Parameter values checked before a deploy: every problem at once, each
//! naming the parameter, the bad value, the rule and the fix. The texts are
//! snapshots.

use cfn_core::{check_parameter_values, DeployedParameters, ParameterInput, Template};

const TEMPLATE: &str = r#"
Parameters:
  Env: {Type: String, AllowedValues: [dev, staging, prod]}
  CertificateArn:
    Type: String
    AllowedPattern: 'arn:aws:acm:[a-z0-9-]+:\d{12}:certificate/[0-9a-f-]+'
    ConstraintDescription: an ACM certificate ARN
  Name: {Type: String, MinLength: 3, MaxLength: 8, Default: raven}
  Size: {Type: Number, MinValue: 1, MaxValue: 10, Default: 2}
  Ports: {Type: 'List<Number>', Default: '80,443'}
  Zones: {Type: CommaDelimitedList, AllowedValues: [a, b], Default: a}
  Vpc: {Type: 'AWS::EC2::VPC::Id'}
  Subnets: {Type: 'List<AWS::EC2::Subnet::Id>', Default: subnet-0123abcd}
  Password: {Type: String, NoEcho: true, MinLength: 12, Default: correct-horse-battery}
Resources:
  T: {Type: AWS::SNS::Topic}
"#;

fn v(k: &str, v: &str) -> (String, ParameterInput) {
    (k.into(), ParameterInput::Value(v.into()))
}

fn text(errors: &[cfn_core::Error]) -> String {
    errors
        .iter()
        .map(|e| format!("error: {e}\n"))
        .collect::<String>()
}

#[test]
fn every_kind_of_bad_value_is_reported_at_once() {
    let t = Template::from_yaml(TEMPLATE).unwrap();
    let given = [
        v("Env", "test"),
        v("CertificateArn", "not-an-arn"),
        v("Name", "ab"),
        v("Size", "11"),
        v("Ports", "80,http"),
        v("Zones", "a,c"),
        v("Vpc", "subnet-0123abcd"),
        v("Subnets", "subnet-0123abcd,sg-0123abcd"),
        v("Password", "hunter2"),
        v("Foo", "bar"),
        v("CertificateARN", "arn"),
    ];
    let errors = check_parameter_values(&t, &given, DeployedParameters::NotDeployed).unwrap_err();
    insta::assert_snapshot!(text(&errors));
}

#[test]
fn missing_values_on_create_and_on_update() {
    let t = Template::from_yaml(TEMPLATE).unwrap();
    let on_create = check_parameter_values(&t, &[], DeployedParameters::NotDeployed).unwrap_err();
    // the deployed stack has Env but not Vpc (new to the template);
    // UsePreviousValue for a parameter it lacks is an error too
    let deployed = ["Env".to_string(), "Name".to_string()];
    let on_update = check_parameter_values(
        &t,
        &[("CertificateArn".into(), ParameterInput::UsePrevious)],
        DeployedParameters::Deployed(&deployed),
    )
    .unwrap_err();
    insta::assert_snapshot!(format!(
        "on create:\n{}on update:\n{}",
        text(&on_create),
        text(&on_update)
    ));
}

#[test]
fn pattern_must_match_the_whole_value() {
    let t = Template::from_yaml(TEMPLATE).unwrap();
    let ok = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b-2c3d";
    let given = [
        v("Env", "dev"),
        v("Vpc", "vpc-0123456789abcdef0"),
        v("CertificateArn", &format!("x{ok}x")),
    ];
    let errors = check_parameter_values(&t, &given, DeployedParameters::NotDeployed).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert!(errors[0].to_string().contains("AllowedPattern"));
    let given = [given[0].clone(), given[1].clone(), v("CertificateArn", ok)];
    assert!(check_parameter_values(&t, &given, DeployedParameters::NotDeployed).is_ok());
}

#[test]
fn update_keeps_previous_values_instead_of_defaults() {
    let t = Template::from_yaml(TEMPLATE).unwrap();
    let deployed: Vec<String> = ["Env", "CertificateArn", "Vpc", "Size"]
        .map(String::from)
        .to_vec();
    let sent = check_parameter_values(
        &t,
        &[v("Env", "prod")],
        DeployedParameters::Deployed(&deployed),
    )
    .unwrap();
    assert_eq!(
        sent,
        [
            v("Env", "prod"),
            ("CertificateArn".into(), ParameterInput::UsePrevious),
            ("Size".into(), ParameterInput::UsePrevious),
            ("Vpc".into(), ParameterInput::UsePrevious),
        ]
    );
}

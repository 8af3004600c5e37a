//! Bad template text gives an error naming the file, line and column, the
//! template path and the fix. Every message is a snapshot.

use cfn_core::{Format, Template};

fn err(src: &str, format: Format) -> String {
    match Template::parse_str(src, format, Some("template")) {
        Ok(_) => panic!("expected an error for {src}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn parse_errors() {
    let cases: &[(&str, Format, &str)] = &[
        ("malformed json", Format::Json, "{\"Resources\": {\n  \"A\": {\"Type\": \"AWS::SNS::Topic\",}\n}}"),
        ("truncated json", Format::Json, "{\"Resources\": {"),
        ("duplicate json key", Format::Json, "{\"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\"},\n \"A\": {\"Type\": \"AWS::SNS::Topic\"}}}"),
        ("malformed yaml", Format::Yaml, "Resources:\n  A: [unclosed\n"),
        ("bad yaml indentation", Format::Yaml, "Resources:\n  A:\n    Type: AWS::SNS::Topic\n   Properties: {}\n"),
        ("duplicate yaml key", Format::Yaml, "Resources:\n  A:\n    Type: AWS::SNS::Topic\n  A:\n    Type: AWS::SQS::Queue\n"),
        ("two documents", Format::Yaml, "Resources: {}\n---\nResources: {}\n"),
        ("empty document", Format::Yaml, ""),
        ("not a map", Format::Json, "[1, 2]"),
        ("no resources", Format::Yaml, "Description: nothing\n"),
        ("unknown top-level key", Format::Yaml, "Resource:\n  A:\n    Type: AWS::SNS::Topic\n"),
        ("unknown resource key", Format::Yaml, "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Propertes: {}\n"),
        ("missing type", Format::Yaml, "Resources:\n  A:\n    Properties: {}\n"),
        ("unknown intrinsic", Format::Yaml, "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      X: {\"Fn::Joins\": [\",\", []]}\n"),
        ("unknown tag", Format::Yaml, "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      X: !Sbu \"x\"\n"),
        ("ref to a list", Format::Yaml, "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      X: !Ref [a, b]\n"),
        ("getatt without dot", Format::Yaml, "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      X: !GetAtt Topic\n"),
        ("select arity", Format::Json, "{\"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\", \"Properties\": {\"X\": {\"Fn::Select\": [0]}}}}}"),
        ("if arity", Format::Yaml, "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      X: !If [C, a]\n"),
        ("and with one", Format::Yaml, "Conditions:\n  C: !And [!Equals [a, a]]\nResources:\n  A:\n    Type: AWS::SNS::Topic\n"),
        ("join delimiter", Format::Yaml, "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      X: !Join [[a], [b]]\n"),
        ("sub vars not a map", Format::Yaml, "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      X: !Sub [\"${a}\", [1]]\n"),
        ("findinmap default", Format::Yaml, "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      X: !FindInMap [M, a, b, {Default: c}]\n"),
        ("bad parameter type", Format::Yaml, "Parameters:\n  P:\n    Type: Strin\nResources:\n  A:\n    Type: AWS::SNS::Topic\n"),
        ("parameter without type", Format::Yaml, "Parameters:\n  P:\n    Default: x\nResources:\n  A:\n    Type: AWS::SNS::Topic\n"),
        ("bad format version", Format::Yaml, "AWSTemplateFormatVersion: 2010-09-10\nResources:\n  A:\n    Type: AWS::SNS::Topic\n"),
        ("depends on a map", Format::Yaml, "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    DependsOn: {B: 1}\n"),
        ("output without value", Format::Yaml, "Resources:\n  A:\n    Type: AWS::SNS::Topic\nOutputs:\n  O:\n    Description: x\n"),
        ("export without name", Format::Yaml, "Resources:\n  A:\n    Type: AWS::SNS::Topic\nOutputs:\n  O:\n    Value: x\n    Export: {Nam: x}\n"),
        ("complex key", Format::Yaml, "Resources:\n  ? [a]\n  : 1\n"),
        ("unknown alias", Format::Yaml, "Resources: *nothing\n"),
    ];
    let mut out = String::new();
    for (name, format, src) in cases {
        out.push_str(&format!("{name}:\n  {}\n", err(src, *format)));
    }
    insta::assert_snapshot!(out);
}

#[test]
fn file_errors_name_the_file() {
    let dir = std::env::temp_dir().join(format!("cfn-core-parse-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let missing = Template::from_path(dir.join("missing.yaml")).unwrap_err();
    assert!(
        missing.to_string().starts_with("cannot read `"),
        "{missing}"
    );
    let bad = dir.join("bad.yaml");
    std::fs::write(
        &bad,
        "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      X: !Nope x\n",
    )
    .unwrap();
    let e = Template::from_path(&bad).unwrap_err();
    let loc = e.location().unwrap();
    assert_eq!(
        loc.file.as_deref(),
        Some(bad.display().to_string().as_str())
    );
    assert_eq!(loc.line, 5);
    std::fs::remove_dir_all(&dir).unwrap();
}

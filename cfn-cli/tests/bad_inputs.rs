//! The bad-input catalogue: every case is a distinct bad input given to
//! `cfnkit`. Each must exit non-zero with a clear message that names the
//! place (file and line, or template path) and the fix, never panic, and
//! never leave a half-written output file behind.

use std::path::{Path, PathBuf};
use std::process::Command;

struct Case {
    name: &'static str,
    ext: &'static str,
    content: String,
    /// `{}` is replaced by the input file's path.
    args: &'static [&'static str],
    code: i32,
    /// Substrings the output (stdout + stderr) must contain.
    expect: &'static [&'static str],
}

fn case(
    name: &'static str,
    ext: &'static str,
    content: impl Into<String>,
    args: &'static [&'static str],
    code: i32,
    expect: &'static [&'static str],
) -> Case {
    Case {
        name,
        ext,
        content: content.into(),
        args,
        code,
        expect,
    }
}

const VALIDATE: &[&str] = &["validate", "{}"];
const STRICT: &[&str] = &["validate", "--strict", "{}"];

fn yaml_resources(body: &str) -> String {
    format!("Resources:\n{body}")
}

fn many_topics(n: usize) -> String {
    let mut s = String::from("Resources:\n");
    for i in 0..n {
        s.push_str(&format!("  Topic{i}:\n    Type: AWS::SNS::Topic\n"));
    }
    s
}

fn catalogue() -> Vec<Case> {
    let topic = "  A:\n    Type: AWS::SNS::Topic\n";
    let prop =
        |v: &str| yaml_resources(&format!("{topic}    Properties:\n      DisplayName: {v}\n"));
    vec![
        // malformed JSON
        case("json trailing comma", "json", "{\"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\",}}}", VALIDATE, 3, &[":1:", "trailing comma"]),
        case("json missing brace", "json", "{\"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\"}}", VALIDATE, 3, &[":1:", "EOF while parsing"]),
        case("json unquoted key", "json", "{Resources: {}}", VALIDATE, 3, &[":1:2", "key must be a string"]),
        case("json single quotes", "json", "{'Resources': {}}", VALIDATE, 3, &[":1:2", "JSON syntax error"]),
        case("json NaN", "json", "{\"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\", \"Properties\": {\"X\": NaN}}}}", VALIDATE, 3, &["JSON syntax error"]),
        case("json empty file", "json", "", VALIDATE, 3, &["EOF while parsing"]),
        case("json duplicate key", "json", "{\"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\"},\n\"A\": {\"Type\": \"AWS::SNS::Topic\"}}}", VALIDATE, 3, &[":2:", "duplicate key `A`"]),
        // malformed YAML
        case("yaml unclosed flow list", "yaml", "Resources:\n  A: [unclosed\n", VALIDATE, 3, &[":3:", "YAML syntax error"]),
        case("yaml bad indentation", "yaml", "Resources:\n  A:\n    Type: AWS::SNS::Topic\n   Properties: {}\n", VALIDATE, 3, &[":4:", "did not find expected key"]),
        case("yaml tab indentation", "yaml", "Resources:\n\tA:\n\t\tType: AWS::SNS::Topic\n", VALIDATE, 3, &[":2:", "YAML syntax error"]),
        case("yaml duplicate key", "yaml", "Resources:\n  A:\n    Type: AWS::SNS::Topic\n  A:\n    Type: AWS::SQS::Queue\n", VALIDATE, 3, &[":4:3", "duplicate key `A`"]),
        case("yaml two documents", "yaml", "Resources: {}\n---\nResources: {}\n", VALIDATE, 3, &[":2:", "more than one document"]),
        case("yaml unknown alias", "yaml", "Resources: *nothing\n", VALIDATE, 3, &[":1:", "unknown anchor"]),
        case("yaml empty document", "yaml", "", VALIDATE, 3, &["empty document"]),
        // structure
        case("not a map", "json", "[1, 2]", VALIDATE, 3, &[":1:1", "expected a template"]),
        case("no Resources", "yaml", "Description: nothing\n", VALIDATE, 3, &["missing required key `Resources`"]),
        case("unknown top-level key", "yaml", "Resource:\n  A:\n    Type: AWS::SNS::Topic\n", VALIDATE, 3, &[":2:3", "did you mean `Resources`?"]),
        case("resource without Type", "yaml", yaml_resources("  A:\n    Properties: {}\n"), VALIDATE, 3, &[":3:5", "missing required key `Type`"]),
        case("unknown resource key", "yaml", yaml_resources(&format!("{topic}    Propertes: {{}}\n")), VALIDATE, 3, &[":4:16", "did you mean `Properties`?"]),
        case("properties not a map", "yaml", yaml_resources(&format!("{topic}    Properties: [1]\n")), VALIDATE, 3, &["Resources/A/Properties", "expected a map"]),
        case("DependsOn a map", "yaml", yaml_resources(&format!("{topic}    DependsOn: {{B: 1}}\n")), VALIDATE, 3, &["Resources/A/DependsOn", "a logical id or a list"]),
        case("output without Value", "yaml", yaml_resources(topic) + "Outputs:\n  O:\n    Description: x\n", VALIDATE, 3, &["Outputs/O", "missing required key `Value`"]),
        // intrinsics
        case("unknown intrinsic", "yaml", prop("{\"Fn::Joins\": [\",\", []]}"), VALIDATE, 3, &[":5:", "did you mean `Fn::Join`?"]),
        case("unknown tag", "yaml", prop("!Sbu x"), VALIDATE, 3, &[":5:", "did you mean `!Sub`?"]),
        case("Ref of a list", "yaml", prop("!Ref [a, b]"), VALIDATE, 3, &[":5:", "`Ref` expects a logical id", "found a list of 2 item(s)"]),
        case("GetAtt without a dot", "yaml", prop("!GetAtt Topic"), VALIDATE, 3, &["`Resource.Attribute`"]),
        case("Select with one argument", "yaml", prop("!Select [0]"), VALIDATE, 3, &["`Fn::Select` expects a list of 2 values"]),
        case("If with two arguments", "yaml", prop("!If [C, a]"), VALIDATE, 3, &["`Fn::If` expects [ConditionName"]),
        case("And with one condition", "yaml", "Conditions:\n  C: !And [!Equals [a, a]]\n".to_owned() + &yaml_resources(topic), VALIDATE, 3, &["2 to 10 conditions"]),
        case("Join delimiter not a string", "yaml", prop("!Join [[a], [b]]"), VALIDATE, 3, &["a delimiter string first"]),
        case("Sub variables not a map", "yaml", prop("!Sub [\"${a}\", [1]]"), VALIDATE, 3, &["a map of variables"]),
        case("FindInMap with two keys", "yaml", prop("!FindInMap [M, a]"), VALIDATE, 3, &["[MapName, TopLevelKey, SecondLevelKey]"]),
        case("Split arity", "yaml", prop("!Split [\",\"]"), VALIDATE, 3, &["[delimiter, string]"]),
        case("Cidr arity", "yaml", prop("!Cidr [10.0.0.0/16, 4]"), VALIDATE, 3, &["[ipBlock, count, cidrBits]"]),
        // references
        case("Ref to nothing", "yaml", prop("!Ref Nothing"), VALIDATE, 1, &[":5:", "`Ref` to `Nothing`"]),
        case("GetAtt of a missing resource", "yaml", prop("!GetAtt Missing.Arn"), VALIDATE, 1, &["there is no resource `Missing`"]),
        case("GetAtt of a missing attribute", "yaml", yaml_resources("  B:\n    Type: AWS::S3::Bucket\n") + "Outputs:\n  O:\n    Value: !GetAtt B.Arm\n", VALIDATE, 1, &[":6:", "did you mean `Arn`?"]),
        case("Sub of a missing name", "yaml", prop("!Sub \"${Missing}-x\""), VALIDATE, 1, &["`Ref` to `Missing`"]),
        case("DependsOn a missing resource", "yaml", yaml_resources(&format!("{topic}    DependsOn: Ghost\n")), VALIDATE, 1, &["`DependsOn` names `Ghost`"]),
        case("missing condition", "yaml", yaml_resources(&format!("{topic}    Condition: IsProd\n")), VALIDATE, 1, &["condition `IsProd` is not declared"]),
        case("missing mapping", "yaml", prop("!FindInMap [Sizes, a, b]"), VALIDATE, 1, &["mapping `Sizes`"]),
        case("dependency cycle", "yaml", yaml_resources("  A:\n    Type: AWS::SNS::Topic\n    Properties: {DisplayName: !Ref B}\n  B:\n    Type: AWS::SNS::Topic\n    Properties: {DisplayName: !Ref A}\n"), VALIDATE, 1, &["circular dependency: A -> B -> A"]),
        case("resource in a condition", "yaml", "Conditions:\n  C: !Equals [!Ref A, x]\n".to_owned() + &yaml_resources(&format!("{topic}    Condition: C\n")), VALIDATE, 1, &["refers to resource `A`"]),
        // ids
        case("invalid logical id", "yaml", yaml_resources("  my-topic:\n    Type: AWS::SNS::Topic\n"), VALIDATE, 1, &[":3:5", "invalid logical id `my-topic`", "use 1 to 255 ASCII letters and digits"]),
        case("duplicate id across sections", "yaml", "Parameters:\n  A: {Type: String}\n".to_owned() + &yaml_resources(topic), VALIDATE, 1, &["already declared in Parameters"]),
        // registry schemas
        case("unknown resource type", "yaml", yaml_resources("  A:\n    Type: AWS::S3::Buckets\n"), VALIDATE, 1, &["did you mean `AWS::S3::Bucket`?"]),
        case("unknown property", "yaml", yaml_resources("  A:\n    Type: AWS::S3::Bucket\n    Properties: {BucketNam: x}\n"), VALIDATE, 1, &["did you mean `BucketName`?"]),
        case("enum violation", "yaml", yaml_resources("  A:\n    Type: AWS::S3::Bucket\n    Properties: {VersioningConfiguration: {Status: Paused}}\n"), VALIDATE, 1, &["VersioningConfiguration/Status", "Paused is not allowed; use one of Enabled, Suspended"]),
        case("wrong type", "yaml", yaml_resources("  A:\n    Type: AWS::KMS::Key\n    Properties: {EnableKeyRotation: [true]}\n"), VALIDATE, 1, &["Resources/A/Properties/EnableKeyRotation", "expected"]),
        case("pattern violation", "yaml", yaml_resources("  A:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: Not_Valid}\n"), VALIDATE, 1, &["does not match the pattern"]),
        case("missing required property", "yaml", yaml_resources("  A:\n    Type: AWS::EC2::Subnet\n    Properties: {CidrBlock: 10.0.0.0/24}\n"), VALIDATE, 1, &["missing required property `VpcId`"]),
        // limits
        case("501 resources", "yaml", many_topics(501), VALIDATE, 1, &["number of resources: 501 exceeds the CloudFormation limit of 500"]),
        case("52 KB body with --strict", "yaml", {
            let mut s = String::from("Resources:\n");
            for i in 0..60 {
                s.push_str(&format!("  T{i}:\n    Type: AWS::SNS::Topic\n    Properties: {{DisplayName: \"{}\"}}\n", "x".repeat(90)));
                s.push_str(&format!("  Q{i}:\n    Type: AWS::SNS::Topic\n    Properties: {{DisplayName: \"{}\"}}\n", "y".repeat(700)));
            }
            s
        }, STRICT, 1, &["over the 51200-byte limit for direct upload", "deploy it from S3"]),
        case("description over 1,024 bytes", "yaml", format!("Description: {}\n{}", "d".repeat(1100), yaml_resources(topic)), VALIDATE, 1, &["description bytes: 1100 exceeds"]),
        case("61 dynamic references", "yaml", {
            let refs: Vec<String> = (0..61).map(|i| format!("\"{{{{resolve:ssm:/p/{i}}}}}\"")).collect();
            yaml_resources(&format!("{topic}    Properties:\n      Tags: [{}]\n", refs.join(", ")))
        }, VALIDATE, 1, &["dynamic references: 61 exceeds"]),
        // parameters
        case("default not in AllowedValues", "yaml", "Parameters:\n  Env: {Type: String, AllowedValues: [dev, prod], Default: test}\n".to_owned() + &prop("!Ref Env"), VALIDATE, 1, &["\"test\" is not in AllowedValues"]),
        case("bad parameter type", "yaml", "Parameters:\n  P: {Type: Strin}\n".to_owned() + &yaml_resources(topic), VALIDATE, 3, &[":2:", "did you mean `String`?"]),
        case("default breaks its pattern", "yaml", "Parameters:\n  N: {Type: String, AllowedPattern: '[a-z]+', Default: Raven1}\n".to_owned() + &prop("!Ref N"), VALIDATE, 1, &["does not match AllowedPattern"]),
        // network layout
        case("subnet outside its VPC", "yaml", yaml_resources("  V: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}\n  S: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref V, CidrBlock: 10.1.0.0/24}}\n"), VALIDATE, 1, &["outside the VPC's 10.0.0.0/16"]),
        case("overlapping subnets", "yaml", yaml_resources("  V: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}\n  S1: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref V, CidrBlock: 10.0.0.0/23}}\n  S2: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref V, CidrBlock: 10.0.1.0/24}}\n"), VALIDATE, 1, &["overlaps subnet `S1`"]),
        case("invalid CIDR text", "yaml", yaml_resources("  V: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.300/16}}\n"), VALIDATE, 1, &["not an IPv4 CIDR block"]),
        case("CIDR with host bits", "yaml", yaml_resources("  V: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}\n  S: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref V, CidrBlock: 10.0.0.5/24}}\n"), VALIDATE, 1, &["the network address is 10.0.0.0/24"]),
        case("security-group CIDR with host bits", "yaml", yaml_resources("  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties: {GroupDescription: x, SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 192.168.1.0/0}]}\n"), VALIDATE, 1, &["Resources/Sg/Properties/SecurityGroupIngress/0/CidrIp", "the network address is 0.0.0.0/0", "EC2 refuses the rule as malformed"]),
        // intrinsic argument types
        case("Fn::GetAZs of null", "yaml", yaml_resources("  V: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}\n  S: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref V, CidrBlock: 10.0.0.0/24, AvailabilityZone: {'Fn::Select': [0, {'Fn::GetAZs': null}]}}}\n"), VALIDATE, 1, &["Fn::Select/1/Fn::GetAZs", "`Fn::GetAZs` expects a region name", "found null"]),
        // retired services
        case("resource of a shut-down service", "yaml", yaml_resources("  Stack: {Type: AWS::OpsWorks::Stack, Properties: {Name: s}}\n"), VALIDATE, 1, &["Resources/Stack/Type", "shut down on 2024-05-01"]),
        // lint
        case("lint finding", "yaml", yaml_resources("  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties: {GroupDescription: x, SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: 0.0.0.0/0}]}\n"), &["lint", "{}"], 1, &["[EC2001]", "exposes RDP (3389)", "fix: restrict the source"]),
        case("low lint finding fails only with --strict", "yaml", yaml_resources("  K:\n    Type: AWS::KMS::Key\n    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n"), &["lint", "--strict", "{}"], 1, &["[KMS001]", "fix: set EnableKeyRotation: true"]),
        case("suppression without reason", "yaml", yaml_resources("  T:\n    Type: AWS::SNS::Topic\n    Metadata: {cfnkit: {suppress: [{id: SNS001}]}}\n    Properties: {KmsMasterKeyId: alias/x}\n"), &["lint", "{}"], 1, &["has no reason"]),
    ]
}

fn run(args: &[String], cwd: &Path) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cfnkit"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("cfnkit runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("cfnkit-bad-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn every_bad_input_fails_clearly() {
    let dir = temp_dir("files");
    let cases = catalogue();
    assert!(cases.len() >= 50, "{} cases", cases.len());
    let mut names = std::collections::BTreeSet::new();
    let mut failures = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        assert!(names.insert(c.name), "duplicate case name {}", c.name);
        let file = dir.join(format!("case{i}.{}", c.ext));
        std::fs::write(&file, &c.content).unwrap();
        let args: Vec<String> = c
            .args
            .iter()
            .map(|a| a.replace("{}", file.to_str().unwrap()))
            .collect();
        let (code, text) = run(&args, &dir);
        let missing: Vec<&&str> = c.expect.iter().filter(|e| !text.contains(**e)).collect();
        if code != c.code || !missing.is_empty() || text.contains("panicked") {
            failures.push(format!(
                "{}: exit {code} (want {}), missing {missing:?}\n{text}",
                c.name, c.code
            ));
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n---\n")
    );
}

#[test]
fn command_line_mistakes() {
    let dir = temp_dir("cli");
    std::fs::write(
        dir.join("t.yaml"),
        "Resources:\n  A:\n    Type: AWS::SNS::Topic\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("bad.yaml"),
        "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties: {X: !Nope x}\n",
    )
    .unwrap();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let cases: Vec<(Vec<String>, i32, &str)> = vec![
        (
            s(&["validate", "missing.yaml"]),
            3,
            "cannot read `missing.yaml`",
        ),
        (
            s(&["validate", "--frobnicate", "t.yaml"]),
            2,
            "unexpected argument '--frobnicate'",
        ),
        (s(&["frobnicate"]), 2, "unrecognized subcommand"),
        (
            s(&["validate", "--format", "xml", "t.yaml"]),
            2,
            "invalid value 'xml'",
        ),
        (
            s(&["diff", "t.yaml", "."]),
            3,
            "two files or two directories",
        ),
        (
            s(&["convert", "t.yaml", "--to", "yaml", "--out", "t.yaml"]),
            3,
            "refusing to overwrite the input",
        ),
        (
            s(&[
                "convert",
                "t.yaml",
                "--out",
                "no-such-dir/t.json",
                "--to",
                "json",
            ]),
            3,
            "cannot write `no-such-dir/t.json`",
        ),
        (
            s(&["convert", "bad.yaml", "--out", "out.json", "--to", "json"]),
            3,
            "unknown intrinsic function `!Nope`",
        ),
        (
            s(&["graph", "--format", "png", "t.yaml"]),
            2,
            "invalid value 'png'",
        ),
    ];
    for (args, code, expect) in cases {
        let (got, text) = run(&args, &dir);
        assert_eq!(got, code, "{args:?}: {text}");
        assert!(text.contains(expect), "{args:?}: {text}");
        assert!(!text.contains("panicked"), "{args:?}: {text}");
    }
    // nothing half-written: the failed conversions left no file, and no temporary file either
    let left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut left = left;
    left.sort();
    assert_eq!(left, vec!["bad.yaml", "t.yaml"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

//! The lint rules: each fires on the insecure fixture, none on a secure
//! template, suppressions need reasons and are reported.

use cfn_core::Template;
use cfn_tools::lint::{Linter, Rule, RuleInfo, Severity, RULES};

fn fixture(name: &str) -> Template {
    Template::from_path(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// Rule ids are the findings' stable codes (the `rule` of JSON output, the
/// `ruleId` of SARIF, what suppressions name): renaming one breaks every
/// suppression and every tool that matches on it, so they are pinned.
#[test]
fn rule_ids_are_pinned() {
    let ids: Vec<&str> = RULES.iter().map(|r| r.info.id).collect();
    assert_eq!(
        ids,
        [
            "EC2001", "EC2002", "EC2005", "EC2006", "EC2007", "ELB001", "ELB002", "ELB003",
            "ELB004", "IAM001", "IAM002", "IAM003", "IAM004", "IAM005", "IAM006", "IAM007",
            "IAM008", "KMS001", "KMS002", "S3001", "S3002", "S3003", "S3004", "S3005", "S3006",
            "EC2004", "LOG001", "LOG002", "STATE001", "RDS001", "RDS002", "RDS003", "DDB001",
            "SNS001", "SQS001", "SEC001", "EC2003", "ASG001", "LMB001", "LMB002",
        ]
    );
}

#[test]
fn there_are_at_least_25_rules_with_unique_ids() {
    assert!(RULES.len() >= 25, "{}", RULES.len());
    let mut ids: Vec<&str> = RULES.iter().map(|r| r.info.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), RULES.len());
    for r in RULES {
        assert!(
            !r.info.rationale.is_empty() && !r.info.fix.is_empty(),
            "{}",
            r.info.id
        );
    }
}

#[test]
fn every_rule_fires_on_the_insecure_fixtures() {
    let report = Linter::new().run(&fixture("insecure.yaml"));
    let services = Linter::new().run(&fixture("insecure_services.yaml"));
    for r in RULES {
        assert!(
            report
                .findings
                .iter()
                .chain(&services.findings)
                .any(|f| f.rule == r.info.id),
            "rule {} did not fire",
            r.info.id
        );
    }
    insta::assert_snapshot!(
        "every_rule_fires_on_the_insecure_fixture",
        report.to_string()
    );
    insta::assert_snapshot!("insecure_services", services.to_string());
}

#[test]
fn json_report_is_stable() {
    let report = Linter::new().run(&fixture("insecure.yaml"));
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["findings"][0]["rule"], "EC2005");
    assert_eq!(json["findings"][0]["severity"], "low");
}

#[test]
fn severities_follow_the_policy() {
    let sev = |id: &str| {
        RULES
            .iter()
            .find(|r| r.info.id == id)
            .unwrap()
            .info
            .severity
    };
    // harm as written
    for id in [
        "EC2001", "IAM001", "IAM005", "KMS002", "S3006", "RDS002", "SEC001", "LMB002",
    ] {
        assert_eq!(sev(id), Severity::High, "{id}");
    }
    // data at risk on a later mistake, a weakened control
    for id in [
        "STATE001", "RDS001", "SNS001", "SQS001", "EC2004", "EC2007", "S3002", "LMB001",
    ] {
        assert_eq!(sev(id), Severity::Medium, "{id}");
    }
    // best practice
    for id in [
        "S3001", "S3004", "S3005", "LOG001", "LOG002", "KMS001", "DDB001", "RDS003", "EC2005",
    ] {
        assert_eq!(sev(id), Severity::Low, "{id}");
    }
}

#[test]
fn min_severity_reports_only_the_serious() {
    let t = fixture("insecure.yaml");
    let all = Linter::new().run(&t);
    let high = Linter::new().min_severity(Severity::High).run(&t);
    let medium = Linter::new().min_severity(Severity::Medium).run(&t);
    assert!(high.findings.iter().all(|f| f.severity == Severity::High));
    assert!(medium.findings.iter().all(|f| f.severity != Severity::Low));
    assert!(
        high.findings.len() < medium.findings.len() && medium.findings.len() < all.findings.len()
    );
    assert!(high.findings.iter().any(|f| f.rule == "EC2001"));
}

#[test]
fn extra_rules_run_and_can_be_suppressed() {
    fn no_queues(t: &Template, report: &mut dyn FnMut(&str, String, String)) {
        for (id, r) in &t.resources {
            if r.type_name == "AWS::SQS::Queue" {
                report(
                    id.as_str(),
                    format!("Resources/{id}"),
                    "use the shared bus".into(),
                );
            }
        }
    }
    let rule = Rule::new(
        RuleInfo {
            id: "ORG001",
            severity: Severity::Medium,
            title: "no queues",
            rationale: "the platform team runs messaging",
            fix: "publish to the shared bus",
        },
        no_queues,
    );
    let t = Template::from_yaml(
        "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n    Metadata: {cfnkit: {suppress: [{id: ORG001, reason: approved in review 42}]}}\n",
    )
    .unwrap();
    let report = Linter::new().rule(rule).run(&t);
    assert!(report.is_clean(), "{report}");
    assert_eq!(report.suppressed[0].finding.rule, "ORG001");
    // without the rule, the suppression names an unknown id
    assert!(!Linter::new().run(&t).suppression_errors.is_empty());
}

fn rules_on(yaml: &str) -> Vec<&'static str> {
    let t = Template::from_yaml(yaml).unwrap();
    Linter::new()
        .run(&t)
        .findings
        .iter()
        .map(|f| f.rule)
        .collect()
}

#[test]
fn a_key_policy_is_not_an_identity_policy() {
    // the standard first statement of every key policy: the account root may use kms:*
    let rules = rules_on(
        "Resources:\n  K:\n    Type: AWS::KMS::Key\n    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n    Properties:\n      EnableKeyRotation: true\n      KeyPolicy: {Statement: [{Effect: Allow, Principal: {AWS: !Sub 'arn:aws:iam::${AWS::AccountId}:root'}, Action: '*', Resource: '*'}]}\n",
    );
    assert!(rules.is_empty(), "{rules:?}");
}

#[test]
fn world_open_ports_are_high_only_for_administration_and_databases() {
    let sg = |port: u16| {
        format!("Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n      SecurityGroupIngress: [{{IpProtocol: tcp, FromPort: {port}, ToPort: {port}, CidrIp: 0.0.0.0/0}}]\n")
    };
    assert_eq!(rules_on(&sg(22)), ["EC2001"]);
    assert_eq!(rules_on(&sg(3389)), ["EC2001"]);
    assert_eq!(rules_on(&sg(5432)), ["EC2001"]);
    assert_eq!(rules_on(&sg(8080)), ["EC2007"]);
    assert_eq!(rules_on(&sg(443)), ["EC2007"]);
}

#[test]
fn passwords_from_secrets_or_noecho_parameters_are_fine() {
    let db = |pw: &str| {
        format!("Parameters:\n  Pw: {{Type: String, NoEcho: true}}\n  Open: {{Type: String}}\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    DeletionPolicy: Snapshot\n    UpdateReplacePolicy: Snapshot\n    Properties: {{DBInstanceClass: db.t4g.micro, Engine: postgres, StorageEncrypted: true, DeletionProtection: true, MasterUsername: admin, MasterUserPassword: {pw}}}\n")
    };
    assert!(rules_on(&db("'{{resolve:secretsmanager:db:SecretString:password}}'")).is_empty());
    assert!(rules_on(&db("!Ref Pw")).is_empty());
    assert_eq!(rules_on(&db("!Ref Open")), ["SEC001"]);
    assert_eq!(rules_on(&db("hunter22")), ["SEC001"]);
}

#[test]
fn only_asynchronously_invoked_functions_need_a_dead_letter_queue() {
    let base = "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Runtime: python3.12, Handler: i.h, Role: arn:aws:iam::123456789012:role/r, Code: {ZipFile: x}";
    // invoked by API Gateway (synchronously): nothing to say
    let api = format!("{base}}}\n  P:\n    Type: AWS::Lambda::Permission\n    Properties: {{Action: lambda:InvokeFunction, FunctionName: !Ref Fn, Principal: apigateway.amazonaws.com}}\n");
    assert!(rules_on(&api).is_empty());
    let sns = api.replace("apigateway.amazonaws.com", "sns.amazonaws.com");
    assert_eq!(rules_on(&sns), ["LMB001"]);
    let with_dlq = sns.replace(
        "Code: {ZipFile: x}",
        "Code: {ZipFile: x}, DeadLetterConfig: {TargetArn: arn:aws:sqs:us-east-1:123456789012:dlq}",
    );
    assert!(rules_on(&with_dlq).is_empty());
}

#[test]
fn an_absent_public_access_block_keeps_the_aws_default() {
    let bucket = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n";
    assert!(!rules_on(bucket).contains(&"S3002"));
    let off = format!(
        "{bucket}    Properties: {{PublicAccessBlockConfiguration: {{BlockPublicAcls: true}}}}\n"
    );
    assert_eq!(rules_on(&off).iter().filter(|r| **r == "S3002").count(), 3);
}

#[test]
fn suppressions_from_code_and_metadata() {
    let mut t = Template::from_yaml(
        "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Metadata:\n      cfnkit:\n        suppress:\n          - {id: SNS001, reason: holds only public release notes}\n  Other:\n    Type: AWS::SNS::Topic\n    Metadata:\n      cfnkit:\n        suppress:\n          - {id: SNS001}\n          - {id: NOPE01, reason: x}\n",
    )
    .unwrap();
    let report = Linter::new().suppress("LOG001", None, "").run(&t);
    insta::assert_snapshot!(report.to_string());
    assert!(!report.is_clean());
    t.resources.shift_remove("Other");
    let clean = Linter::new().run(&t);
    assert!(clean.is_clean(), "{clean}");
    assert_eq!(clean.suppressed.len(), 1);
    let by_code = Linter::new()
        .suppress("SNS001", Some("Topic"), "decided in review")
        .run(&Template::from_yaml("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n").unwrap());
    assert!(by_code.is_clean());
    assert_eq!(by_code.suppressed[0].source, "code");
}

#[test]
fn intrinsic_values_get_the_benefit_of_the_doubt() {
    let t = Template::from_yaml(
        "Parameters:\n  Rotate: {Type: String}\nResources:\n  Key:\n    Type: AWS::KMS::Key\n    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n    Properties:\n      EnableKeyRotation: !Ref Rotate\n",
    )
    .unwrap();
    let report = Linter::new().run(&t);
    assert!(report.is_clean(), "{report}");
}

#[test]
fn iam_actions_are_checked_against_the_catalogue() {
    let t = Template::from_yaml(
        r#"
Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: [xray:PutTraceSegments, XRAY:puttelemetryrecords], Resource: "*"}
          - {Effect: Allow, Action: ["ec2:Describe*", "xray:Put*"], Resource: "*"}
          - {Effect: Allow, Action: "*", Resource: "*"}
          - {Effect: Allow, Action: ["s3:Get*", "dynamodb:*"], Resource: "arn:aws:s3:::b/*"}
          - {Effect: Allow, Action: [s3:GetObjcet, s9:GetObject, nocolon, "s3:Zz*"], Resource: "arn:aws:s3:::b/*"}
          - {Effect: Allow, Action: ["sqs:Send*"], Resource: "*"}
"#,
    )
    .unwrap();
    let report = Linter::new().run(&t);
    let of = |rule: &str| -> Vec<String> {
        report
            .findings
            .iter()
            .filter(|f| f.rule == rule)
            .map(|f| format!("{}: {}", f.path, f.message))
            .collect()
    };
    // X-Ray and EC2 Describe* cannot be scoped; sqs:Send* can
    assert_eq!(
        of("IAM002"),
        ["Resources/P/Properties/PolicyDocument/Statement/5/Resource: Allow of sqs:Send* on Resource \"*\""]
    );
    assert_eq!(
        of("IAM008"),
        [
            "Resources/P/Properties/PolicyDocument/Statement/4/Action/0: unknown IAM action `s3:GetObjcet` (did you mean `s3:getobject`?)",
            "Resources/P/Properties/PolicyDocument/Statement/4/Action/1: unknown IAM service `s9` in `s9:GetObject` (did you mean `s3:getobject`?)",
            "Resources/P/Properties/PolicyDocument/Statement/4/Action/2: `nocolon` is not of the form service:Action",
            "Resources/P/Properties/PolicyDocument/Statement/4/Action/3: `s3:Zz*` matches no IAM action",
        ]
    );
    // the suggestion is data too, and in the JSON of a finding
    let suggestions: Vec<Option<&str>> = report
        .findings
        .iter()
        .filter(|f| f.rule == "IAM008")
        .map(|f| f.suggestion.as_deref())
        .collect();
    assert_eq!(
        suggestions,
        [Some("s3:getobject"), Some("s3:getobject"), None, None]
    );
    let iam008: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule == "IAM008")
        .collect();
    let json = serde_json::to_value(iam008[0]).unwrap();
    assert_eq!(json["suggestion"], "s3:getobject");
    let json = serde_json::to_value(iam008[2]).unwrap();
    assert!(json.get("suggestion").is_none(), "{json}");
    assert!(report
        .findings
        .iter()
        .filter(|f| f.rule != "IAM008")
        .all(|f| f.suggestion.is_none()));
    assert!(RULES
        .iter()
        .any(|r| r.info.id == "IAM008" && r.info.severity == Severity::High));
}

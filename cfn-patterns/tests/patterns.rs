//! Patterns the Raven stack does not use are checked here: the classic
//! load balancer with an SSL listener, and the IAM builder's MFA statement.

use cfn_core::{Template, Value};
use cfn_patterns::alb::{classic_ssl_load_balancer, Exposure, LoadBalancerProps};
use cfn_patterns::iam::{deny_without_mfa, PolicyDocument};
use cfn_patterns::network::{Network, NetworkProps};
use cfn_patterns::storage::LogBucket;
use cfn_patterns::Tags;

#[test]
fn classic_ssl_load_balancer_is_valid_and_lint_clean() {
    let mut t = Template::new();
    let tags = Tags::new("legacy", "test");
    let logs = LogBucket::new(&mut t, "Logs", 30, &tags).unwrap();
    let net = Network::new(
        &mut t,
        "",
        &NetworkProps::new("10.9.0.0/16", 2, &tags),
        &logs,
    )
    .unwrap();
    let cert = Value::existing(
        "arn:aws:acm:us-east-1:123456789012:certificate/0f0e0d0c-1111-2222-3333-444455556666",
    );
    let props = LoadBalancerProps::new("legacy", Exposure::Internal, cert, 8080, &tags);
    let lb = classic_ssl_load_balancer(&mut t, "Classic", &net, &logs, &props).unwrap();
    let report = t.validate();
    assert!(report.is_ok(), "{report}");
    assert!(
        cfn_tools::schema::validate(&t).is_empty(),
        "{:?}",
        cfn_tools::schema::validate(&t)
    );
    let lint = cfn_tools::lint::Linter::new().run(&t);
    assert!(lint.is_clean(), "{lint}");
    let listeners = serde_json::to_value(&t.resources[lb.id().as_str()]).unwrap();
    assert_eq!(listeners["Properties"]["Listeners"][0]["Protocol"], "HTTPS");
}

#[test]
fn mfa_statement_satisfies_the_mfa_rule() {
    let doc = PolicyDocument::new()
        .statement(deny_without_mfa())
        .to_json();
    let t = Template::from_json(
        &serde_json::json!({"Resources": {"Ops": {"Type": "AWS::IAM::Group", "Properties": {
            "Policies": [{"PolicyName": "mfa", "PolicyDocument": doc.into_expr().to_json()}]}}}})
        .to_string(),
    )
    .unwrap();
    let lint = cfn_tools::lint::Linter::new().run(&t);
    assert!(lint.findings.iter().all(|f| f.rule != "IAM007"), "{lint}");
}

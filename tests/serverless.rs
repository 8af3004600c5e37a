//! The serverless example (`examples/serverless.rs`): its stack definition
//! stays under 90 lines, both environments are snapshots, and cfn-lint,
//! the lint rules and the full verdict report nothing on them.
//!
//! cfn-lint runs as in `tests/peers.rs`: from `CFN_LINT`, skipped when it
//! is not set unless `PEERS_REQUIRED=1`.

#[path = "../examples/serverless.rs"]
mod serverless;

use cfn_core::{Expr, Format, Template};

fn stacks() -> Vec<(String, Template)> {
    serverless::ENVIRONMENTS
        .iter()
        .map(|e| (format!("items-{}", e.name), serverless::build(e).unwrap()))
        .collect()
}

#[test]
fn stack_definition_is_at_most_90_lines() {
    let source = include_str!("../examples/serverless.rs");
    let start = source.find("// stack definition\n").expect("start marker");
    let end = source
        .find("// end of stack definition\n")
        .expect("end marker");
    let lines = source[start..end].lines().count() - 1;
    assert!(lines <= 90, "the stack definition grew to {lines} lines");
}

#[test]
fn both_environments_are_snapshots() {
    for (name, t) in stacks() {
        insta::assert_snapshot!(
            format!("{name}.template.json"),
            t.synth(Format::Json).unwrap()
        );
    }
}

#[test]
fn the_verdict_and_the_lint_rules_find_nothing() {
    for (name, t) in stacks() {
        let report = cfn_tools::verdict::check(&t);
        assert!(
            report.diagnostics.is_empty(),
            "{name}: {:?}",
            report.diagnostics
        );
        let lint = cfn_tools::lint::Linter::new().run(&t);
        assert!(lint.is_clean(), "{name}:\n{lint}");
        // nothing suppressed: the X-Ray actions on `Resource: *` cannot be
        // scoped, which IAM002 reads from the IAM action catalogue
        assert!(lint.suppressed.is_empty(), "{name}:\n{lint}");
    }
}

fn policy_statements(t: &Template, role: &str) -> Vec<Expr> {
    let Some(Expr::List(policies)) = t.resources[role]
        .properties
        .as_ref()
        .and_then(|p| p.get("Policies"))
    else {
        panic!("{role} has no policies")
    };
    let mut out = Vec::new();
    for p in policies {
        if let Expr::Map(p) = p {
            if let Some(Expr::Map(doc)) = p.get("PolicyDocument") {
                if let Some(Expr::List(s)) = doc.get("Statement") {
                    out.extend(s.iter().cloned());
                }
            }
        }
    }
    out
}

#[test]
fn the_function_role_is_least_privilege() {
    for (name, t) in stacks() {
        let statements = policy_statements(&t, "ItemsFunctionRole");
        let mut actions = Vec::new();
        for s in &statements {
            let Expr::Map(s) = s else { panic!() };
            let listed: Vec<String> = match s.get("Action") {
                Some(Expr::String(a)) => vec![a.clone()],
                Some(Expr::List(l)) => l
                    .iter()
                    .filter_map(|a| a.as_str().map(str::to_owned))
                    .collect(),
                other => panic!("{name}: action {other:?}"),
            };
            for a in &listed {
                assert!(!a.contains('*'), "{name}: wildcard action {a}");
            }
            if s.get("Resource") == Some(&Expr::String("*".into())) {
                assert_eq!(
                    listed,
                    ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                    "{name}: only X-Ray may take Resource *"
                );
            }
            actions.extend(listed);
        }
        for needed in [
            "logs:PutLogEvents",
            "xray:PutTraceSegments",
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "kms:Decrypt",
        ] {
            assert!(
                actions.iter().any(|a| a == needed),
                "{name}: {needed} missing"
            );
        }
    }
}

#[test]
fn cfn_lint_reports_nothing() {
    let mut files = Vec::new();
    for (name, t) in stacks() {
        for format in [Format::Json, Format::Yaml] {
            files.push((
                format!("{name}.{}", format.extension()),
                t.synth(format).unwrap(),
            ));
        }
    }
    cfn_testkit::assert_cfn_lint_clean("serverless", &files);
}

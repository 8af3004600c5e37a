//! The Raven stack with a database (`examples/raven_with_database.rs`):
//! only the backend tier's security group reaches the database port, the
//! database lives in the private subnets and is encrypted with the stack's
//! key, the base stack is unchanged, and the verdict, the lint rules and
//! cfn-lint report nothing.

#[path = "../examples/raven_with_database.rs"]
mod raven_with_database;

use cfn_core::{Expr, Format, Intrinsic, Resource, Template};

fn stacks() -> Vec<(String, Template)> {
    raven_with_database::stacks()
        .unwrap()
        .into_iter()
        .map(|s| (s.name, s.template))
        .collect()
}

fn prop<'r>(r: &'r Resource, key: &str) -> Option<&'r Expr> {
    r.properties.as_ref()?.get(key)
}

fn target(e: Option<&Expr>) -> Option<&str> {
    match e?.as_intrinsic()? {
        Intrinsic::Ref(x) => Some(x),
        Intrinsic::GetAtt { resource, .. } => Some(resource),
        _ => None,
    }
}

fn port(e: Option<&Expr>) -> Option<i64> {
    match e? {
        Expr::Number(n) => n.as_i64(),
        _ => None,
    }
}

/// Every ingress rule into `group` (inline or standalone) whose port range
/// covers `p`: (source group or CIDR).
fn sources_reaching(t: &Template, group: &str, p: i64) -> Vec<String> {
    let mut out = Vec::new();
    let mut consider = |rule: &Expr| {
        let Expr::Map(m) = rule else { return };
        let proto = m.get("IpProtocol").and_then(Expr::as_str);
        let (from, to) = (port(m.get("FromPort")), port(m.get("ToPort")));
        let covers = proto == Some("-1")
            || (proto == Some("tcp") && from.is_none_or(|f| f <= p) && to.is_none_or(|t| t >= p));
        if covers {
            let source = target(m.get("SourceSecurityGroupId"))
                .map(str::to_owned)
                .or_else(|| m.get("CidrIp").and_then(Expr::as_str).map(str::to_owned))
                .or_else(|| m.get("CidrIpv6").and_then(Expr::as_str).map(str::to_owned))
                .unwrap_or_else(|| format!("{rule:?}"));
            out.push(source);
        }
    };
    for (id, r) in &t.resources {
        match r.type_name.as_str() {
            "AWS::EC2::SecurityGroup" if id.as_str() == group => {
                if let Some(Expr::List(rules)) = prop(r, "SecurityGroupIngress") {
                    rules.iter().for_each(&mut consider);
                }
            }
            "AWS::EC2::SecurityGroupIngress" if target(prop(r, "GroupId")) == Some(group) => {
                consider(&Expr::Map(r.properties.clone().unwrap_or_default()));
            }
            _ => {}
        }
    }
    out
}

#[test]
fn only_the_backend_tier_reaches_the_database_port() {
    for (env, t) in stacks() {
        let db = &t.resources["Database"];
        let groups = match prop(db, "VPCSecurityGroups") {
            Some(Expr::List(l)) => l.iter().filter_map(|g| target(Some(g))).collect::<Vec<_>>(),
            other => panic!("{env}: {other:?}"),
        };
        assert_eq!(groups, ["DatabaseSecurityGroup"], "{env}");
        assert_eq!(
            sources_reaching(&t, "DatabaseSecurityGroup", 5432),
            ["BackendSecurityGroup"],
            "{env}"
        );
        // and the backend may send there, not only 443 to the world
        let egress = &t.resources["BackendSecurityGroupEgress5432ToDatabaseSecurityGroup"];
        assert_eq!(
            target(prop(egress, "DestinationSecurityGroupId")),
            Some("DatabaseSecurityGroup")
        );
        assert_eq!(
            target(prop(egress, "GroupId")),
            Some("BackendSecurityGroup")
        );
    }
}

#[test]
fn the_database_is_private_encrypted_with_the_stack_key_and_keeps_its_password_out() {
    for (env, t) in stacks() {
        let db = &t.resources["Database"];
        assert_eq!(
            prop(db, "PubliclyAccessible"),
            Some(&Expr::Bool(false)),
            "{env}"
        );
        assert_eq!(
            prop(db, "StorageEncrypted"),
            Some(&Expr::Bool(true)),
            "{env}"
        );
        assert_eq!(target(prop(db, "KmsKeyId")), Some("DataKey"), "{env}");
        assert_eq!(
            prop(db, "ManageMasterUserPassword"),
            Some(&Expr::Bool(true)),
            "{env}"
        );
        assert!(prop(db, "MasterUserPassword").is_none(), "{env}");
        let Some(Expr::List(subnets)) = prop(&t.resources["DatabaseSubnetGroup"], "SubnetIds")
        else {
            panic!("{env}: no subnets")
        };
        for s in subnets {
            let id = target(Some(s)).unwrap();
            assert!(
                id.starts_with("PrivateSubnet"),
                "{env}: {id} is not private"
            );
        }
        let multi_az = prop(db, "MultiAZ") == Some(&Expr::Bool(true));
        assert_eq!(multi_az, env == "raven-prod", "{env}");
    }
}

#[test]
fn the_base_stack_is_unchanged() {
    for env in raven_stack::environments().unwrap() {
        let base = raven_stack::build(&env).unwrap().template;
        let extended =
            raven_stack::build_with(&env, &[&raven_with_database::add_database]).unwrap();
        for (id, r) in &base.resources {
            let other = &extended.template.resources[id];
            if id.as_str() == "BackendRole" {
                // the grant of the master secret: one more inline policy
                continue;
            }
            assert_eq!(r, other, "{}: {id} changed", env.name);
        }
    }
}

#[test]
fn the_verdict_and_the_lint_rules_find_nothing() {
    for (env, t) in stacks() {
        let report = cfn_tools::verdict::check(&t);
        assert!(report.is_ok(), "{env}: {:?}", report.diagnostics);
        let lint = cfn_tools::lint::Linter::new().run(&t);
        assert!(lint.is_clean(), "{env}:\n{lint}");
    }
}

#[test]
fn cfn_lint_reports_nothing() {
    let files: Vec<(String, String)> = stacks()
        .into_iter()
        .map(|(name, t)| (format!("{name}.json"), t.synth(Format::Json).unwrap()))
        .collect();
    cfn_testkit::assert_cfn_lint_clean("raven-db", &files);
}

//! Tests of the architecture, not just bytes: where the subnets are, who
//! can reach what, what is encrypted with which key, what survives a stack
//! deletion.

use cfn_core::{Expr, Intrinsic, Resource, Template};
use ipnet::Ipv4Net;
use raven_stack::{build, environments};

fn stacks() -> Vec<(String, Template)> {
    environments()
        .unwrap()
        .iter()
        .map(|e| (e.name.clone(), build(e).unwrap().template))
        .collect()
}

fn of_type<'t>(t: &'t Template, ty: &'t str) -> impl Iterator<Item = (&'t str, &'t Resource)> + 't {
    t.resources
        .iter()
        .filter(move |(_, r)| r.type_name == ty)
        .map(|(id, r)| (id.as_str(), r))
}

fn prop<'r>(r: &'r Resource, key: &str) -> Option<&'r Expr> {
    r.properties.as_ref()?.get(key)
}

fn get<'e>(e: &'e Expr, path: &[&str]) -> Option<&'e Expr> {
    let mut cur = e;
    for p in path {
        cur = match cur {
            Expr::Map(m) => m.get(*p)?,
            Expr::List(l) => l.get(p.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn ref_target(e: &Expr) -> Option<&str> {
    match e.as_intrinsic()? {
        Intrinsic::Ref(x) => Some(x),
        Intrinsic::GetAtt { resource, .. } => Some(resource),
        _ => None,
    }
}

#[test]
fn subnets_are_in_distinct_azs_inside_the_vpc_and_disjoint() {
    for (env, t) in stacks() {
        let (_, vpc) = of_type(&t, "AWS::EC2::VPC").next().unwrap();
        let vpc_net: Ipv4Net = prop(vpc, "CidrBlock")
            .unwrap()
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let mut nets: Vec<Ipv4Net> = Vec::new();
        for kind in ["Public", "Private"] {
            let mut azs = Vec::new();
            for (id, s) in of_type(&t, "AWS::EC2::Subnet").filter(|(id, _)| id.starts_with(kind)) {
                let net: Ipv4Net = prop(s, "CidrBlock")
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .parse()
                    .unwrap();
                assert!(
                    vpc_net.contains(&net),
                    "{env}: {id} {net} outside {vpc_net}"
                );
                for other in &nets {
                    assert!(
                        !other.contains(&net) && !net.contains(other),
                        "{env}: {id} {net} overlaps {other}"
                    );
                }
                nets.push(net);
                let Some(Intrinsic::Select { index, list }) =
                    prop(s, "AvailabilityZone").and_then(Expr::as_intrinsic)
                else {
                    panic!("{env}: {id} has no Fn::Select of Fn::GetAZs");
                };
                assert!(matches!(list.as_intrinsic(), Some(Intrinsic::GetAZs(_))));
                azs.push(index.clone());
            }
            let count = azs.len();
            azs.dedup();
            assert_eq!(azs.len(), count, "{env}: two {kind} subnets share an AZ");
            assert!(count >= 2, "{env}: {kind} subnets in fewer than 2 AZs");
        }
    }
}

#[test]
fn only_the_public_load_balancer_is_open_to_the_world_and_only_on_80_and_443() {
    for (env, t) in stacks() {
        for (id, sg) in of_type(&t, "AWS::EC2::SecurityGroup") {
            let Some(Expr::List(rules)) = prop(sg, "SecurityGroupIngress") else {
                continue;
            };
            for rule in rules {
                let world = ["CidrIp", "CidrIpv6"].iter().any(|k| {
                    matches!(
                        get(rule, &[k]).and_then(Expr::as_str),
                        Some("0.0.0.0/0") | Some("::/0")
                    )
                });
                if !world {
                    continue;
                }
                assert_eq!(
                    id, "WebLoadBalancerSecurityGroup",
                    "{env}: {id} is open to the world"
                );
                let from = get(rule, &["FromPort"]).unwrap();
                assert!(
                    *from == Expr::from(80) || *from == Expr::from(443),
                    "{env}: {id} opens {from:?}"
                );
                assert_eq!(get(rule, &["FromPort"]), get(rule, &["ToPort"]));
            }
        }
        assert_eq!(
            of_type(&t, "AWS::EC2::SecurityGroupIngress").count(),
            0,
            "{env}: standalone ingress rules escape this check"
        );
        let lb = &t.resources["WebLoadBalancer"];
        assert_eq!(
            prop(lb, "Scheme").and_then(Expr::as_str),
            Some("internet-facing")
        );
        assert_eq!(
            prop(&t.resources["BackendLoadBalancer"], "Scheme").and_then(Expr::as_str),
            Some("internal")
        );
    }
}

fn rotating_key(t: &Template, e: &Expr) -> bool {
    ref_target(e)
        .and_then(|k| t.resources.get(k))
        .is_some_and(|k| {
            k.type_name == "AWS::KMS::Key"
                && prop(k, "EnableKeyRotation") == Some(&Expr::Bool(true))
        })
}

#[test]
fn every_data_bucket_topic_and_log_group_is_encrypted_with_a_rotating_key() {
    for (env, t) in stacks() {
        let mut buckets = 0;
        for (id, b) in of_type(&t, "AWS::S3::Bucket") {
            let by_default = get(
                prop(b, "BucketEncryption").unwrap(),
                &[
                    "ServerSideEncryptionConfiguration",
                    "0",
                    "ServerSideEncryptionByDefault",
                ],
            )
            .unwrap();
            let algorithm = get(by_default, &["SSEAlgorithm"])
                .and_then(Expr::as_str)
                .unwrap();
            if id == "LogBucket" {
                // S3 server access logs and ELB logs can only be delivered to SSE-S3 buckets
                assert_eq!(algorithm, "AES256");
                let meta = serde_json::to_string(b.metadata.as_ref().unwrap()).unwrap();
                assert!(
                    meta.contains("delivered only to SSE-S3 buckets"),
                    "{env}: the exception must carry its reason"
                );
                continue;
            }
            buckets += 1;
            assert_eq!(algorithm, "aws:kms", "{env}: {id}");
            assert!(
                rotating_key(&t, get(by_default, &["KMSMasterKeyID"]).unwrap()),
                "{env}: {id} key does not rotate"
            );
        }
        assert_eq!(buckets, 2, "{env}: assets and deployment buckets");
        for (id, topic) in of_type(&t, "AWS::SNS::Topic") {
            assert!(
                rotating_key(&t, prop(topic, "KmsMasterKeyId").unwrap()),
                "{env}: {id}"
            );
        }
        for (id, lg) in of_type(&t, "AWS::Logs::LogGroup") {
            assert!(
                rotating_key(&t, prop(lg, "KmsKeyId").unwrap()),
                "{env}: {id}"
            );
            assert!(prop(lg, "RetentionInDays").is_some(), "{env}: {id}");
        }
    }
}

#[test]
fn every_stateful_resource_is_retained() {
    for (env, t) in stacks() {
        let mut stateful = 0;
        for (id, r) in &t.resources {
            let is_stateful =
                cfn_resources::schema::lookup(&r.type_name).is_some_and(|s| s.stateful);
            if !is_stateful {
                continue;
            }
            stateful += 1;
            for (what, p) in [
                ("DeletionPolicy", &r.deletion_policy),
                ("UpdateReplacePolicy", &r.update_replace_policy),
            ] {
                assert_eq!(
                    p.as_deref().and_then(Expr::as_str),
                    Some("Retain"),
                    "{env}: {id} ({}) {what}",
                    r.type_name
                );
            }
        }
        assert!(
            stateful >= 6,
            "{env}: {stateful} stateful resources (3 buckets, key, 2 log groups)"
        );
    }
}

#[test]
fn web_tier_is_deployed_with_zero_downtime_and_rollback() {
    for (env, t) in stacks() {
        let dg = &t.resources["WebDeploymentGroup"];
        let style = prop(dg, "DeploymentStyle").unwrap();
        assert_eq!(
            get(style, &["DeploymentOption"]).and_then(Expr::as_str),
            Some("WITH_TRAFFIC_CONTROL"),
            "{env}"
        );
        let rollback =
            serde_json::to_string(prop(dg, "AutoRollbackConfiguration").unwrap()).unwrap();
        assert!(
            rollback.contains("DEPLOYMENT_FAILURE")
                && rollback.contains("DEPLOYMENT_STOP_ON_ALARM"),
            "{env}"
        );
        let triggers = serde_json::to_string(prop(dg, "TriggerConfigurations").unwrap()).unwrap();
        assert!(
            triggers.contains("DeploymentSuccess") && triggers.contains("DeploymentFailure"),
            "{env}"
        );
        let group = &t.resources["WebGroup"];
        assert!(
            group.creation_policy.is_some() && group.update_policy.is_some(),
            "{env}"
        );
        assert_eq!(
            prop(group, "HealthCheckType").and_then(Expr::as_str),
            Some("ELB")
        );
    }
}

#[test]
fn every_environment_is_clean_for_validate_schema_and_lint() {
    for (env, t) in stacks() {
        let report = t.validate();
        assert!(report.diagnostics.is_empty(), "{env}: {report}");
        let schema = cfn_tools::schema::validate(&t);
        assert!(schema.is_empty(), "{env}: {schema:?}");
        let lint = cfn_tools::lint::Linter::new().run(&t);
        assert!(lint.is_clean(), "{env}: {lint}");
        assert!(
            report.size.fits_direct_upload(),
            "{env}: {} bytes",
            report.size.compact_bytes
        );
    }
}

#[test]
fn prod_spans_three_azs_with_a_nat_gateway_in_each() {
    let envs = stacks();
    let prod = &envs.iter().find(|(n, _)| n == "prod").unwrap().1;
    assert_eq!(of_type(prod, "AWS::EC2::NatGateway").count(), 3);
    assert_eq!(of_type(prod, "AWS::EC2::Subnet").count(), 6);
    let dev = &envs.iter().find(|(n, _)| n == "dev").unwrap().1;
    assert_eq!(of_type(dev, "AWS::EC2::NatGateway").count(), 1);
}

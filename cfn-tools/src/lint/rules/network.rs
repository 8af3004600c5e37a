//! Network rules: security groups, VPCs, subnets, load balancers.

use super::helpers::*;
use super::{Report, Rule};
use crate::policy::{self, Direction, SgRule};
use cfn_core::{Expr, Resource, Template};

const WORLD: [&str; 2] = ["0.0.0.0/0", "::/0"];

/// Ports that must never face the internet: remote administration (SSH,
/// RDP, Telnet, VNC, WinRM, the Docker API) and databases and caches.
const SENSITIVE_PORTS: &[(i64, &str)] = &[
    (22, "SSH"),
    (23, "Telnet"),
    (3389, "RDP"),
    (5900, "VNC"),
    (5985, "WinRM"),
    (5986, "WinRM"),
    (2375, "Docker"),
    (2376, "Docker"),
    (1433, "SQL Server"),
    (1521, "Oracle"),
    (3306, "MySQL"),
    (5432, "PostgreSQL"),
    (5439, "Redshift"),
    (6379, "Redis"),
    (9200, "Elasticsearch"),
    (11211, "Memcached"),
    (27017, "MongoDB"),
];

/// A world-open ingress rule: `(resource, rule, peer key, cidr)`.
fn world_ingress(t: &Template) -> Vec<(&str, SgRule<'_>, &'static str, &str)> {
    let mut out = Vec::new();
    for (id, r) in &t.resources {
        for rule in policy::sg_rules(r) {
            if rule.direction != Direction::Ingress {
                continue;
            }
            for key in ["CidrIp", "CidrIpv6"] {
                if let Some(c) = rule.rule.get(key).and_then(lit_str) {
                    if WORLD.contains(&c) {
                        out.push((id.as_str(), rule.clone(), key, c));
                    }
                }
            }
        }
    }
    out
}

/// `(protocol, from, to)` of a rule; `None` ports mean every port.
fn ports(rule: &SgRule<'_>) -> (String, Option<(i64, i64)>) {
    let proto = rule
        .rule
        .get("IpProtocol")
        .map(|p| {
            p.as_str()
                .map(str::to_ascii_lowercase)
                .unwrap_or_else(|| lit_i64(p).map(|n| n.to_string()).unwrap_or_default())
        })
        .unwrap_or_default();
    let from = rule.rule.get("FromPort").and_then(lit_i64);
    let to = rule.rule.get("ToPort").and_then(lit_i64);
    let range = match (proto.as_str(), from, to) {
        ("-1", _, _) => None,
        (_, Some(a), Some(b)) if a >= 0 && b >= 0 => Some((a, b)),
        _ => None,
    };
    (proto, range)
}

fn describe(range: Option<(i64, i64)>) -> String {
    match range {
        Some((a, b)) if a == b => format!("port {a}"),
        Some((a, b)) => format!("ports {a}-{b}"),
        None => "all ports".to_owned(),
    }
}

/// Security groups attached to an internet-facing load balancer.
fn public_lb_groups(t: &Template) -> Vec<String> {
    let mut groups = Vec::new();
    for (_, r) in of_type(
        t,
        &[
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "AWS::ElasticLoadBalancing::LoadBalancer",
        ],
    ) {
        if prop(r, "Scheme").and_then(lit_str) == Some("internal") {
            continue;
        }
        if let Some(sgs) = prop(r, "SecurityGroups") {
            for sg in items(sgs) {
                sg.walk(&mut |x| {
                    if let Some(id) = target(x) {
                        groups.push(id.to_owned());
                    }
                });
            }
        }
    }
    groups
}

pub(super) const EC2001: Rule = rule!("EC2001", High, "remote administration or database port open to the world",
    "ingress from 0.0.0.0/0 or ::/0 to SSH, RDP, a database or every port is scanned and brute-forced within minutes of creation",
    "restrict the source to a security group, a known CIDR or a prefix list (use Session Manager instead of SSH/RDP)",
    ec2001);

fn ec2001(t: &Template, report: Report<'_>) {
    for (id, rule, key, cidr) in world_ingress(t) {
        let (proto, range) = ports(&rule);
        if matches!(
            proto.as_str(),
            "icmp" | "1" | "icmpv6" | "58" | "udp" | "17"
        ) {
            continue;
        }
        let hit = match range {
            None => Some("every service".to_owned()),
            Some((a, b)) => {
                let names: Vec<String> = SENSITIVE_PORTS
                    .iter()
                    .filter(|(p, _)| a <= *p && *p <= b)
                    .map(|(p, n)| format!("{n} ({p})"))
                    .collect();
                (!names.is_empty()).then(|| names.join(", "))
            }
        };
        if let Some(what) = hit {
            report(
                id,
                sg_rule_path(id, &rule, key),
                format!("ingress from {cidr} on {} exposes {what}", describe(range)),
            );
        }
    }
}

pub(super) const EC2007: Rule = rule!("EC2007", Medium, "security group open to the world on a port other than a public load balancer's 80/443",
    "only an internet-facing load balancer should accept the world, and only on 80/443; anything else is an unreviewed entry point",
    "put the service behind a load balancer, or restrict the source to a security group or a known CIDR",
    ec2007);

fn ec2007(t: &Template, report: Report<'_>) {
    let public = public_lb_groups(t);
    for (id, rule, key, cidr) in world_ingress(t) {
        let (proto, range) = ports(&rule);
        let web = matches!(range, Some((80, 80)) | Some((443, 443)))
            && matches!(proto.as_str(), "tcp" | "6");
        let on_public_lb = group_of(id, &rule).is_some_and(|g| public.iter().any(|p| p == g));
        if web && on_public_lb {
            continue;
        }
        // EC2001 already reports the sensitive ports
        let sensitive = match range {
            None => !matches!(
                proto.as_str(),
                "icmp" | "1" | "icmpv6" | "58" | "udp" | "17"
            ),
            Some((a, b)) => {
                matches!(proto.as_str(), "tcp" | "6")
                    && SENSITIVE_PORTS.iter().any(|(p, _)| a <= *p && *p <= b)
            }
        };
        if sensitive {
            continue;
        }
        let why = if web {
            "the group is not attached to an internet-facing load balancer"
        } else {
            "only 80/443 on a public load balancer may be open"
        };
        report(
            id,
            sg_rule_path(id, &rule, key),
            format!("ingress from {cidr} on {}: {why}", describe(range)),
        );
    }
}

pub(super) const EC2002: Rule = rule!("EC2002", Low, "security group allows all outbound traffic",
    "unrestricted egress lets a compromised instance reach anything",
    "list the egress rules the tier needs (for example 443 to the VPC endpoints and the load balancer)",
    ec2002);

fn ec2002(t: &Template, report: Report<'_>) {
    for (id, r) in &t.resources {
        for rule in policy::sg_rules(r) {
            if rule.direction != Direction::Egress {
                continue;
            }
            let (proto, _) = ports(&rule);
            if rule.rule.get("CidrIp").and_then(lit_str) == Some("0.0.0.0/0") && proto == "-1" {
                report(
                    id.as_str(),
                    sg_rule_path(id.as_str(), &rule, "CidrIp"),
                    "egress to 0.0.0.0/0 on every protocol and port".into(),
                );
            }
        }
    }
}

pub(super) const EC2005: Rule = rule!(
    "EC2005",
    Low,
    "VPC without flow logs",
    "without flow logs there is no record of accepted and rejected traffic for investigations",
    "add an AWS::EC2::FlowLog with ResourceType VPC and ResourceId the VPC",
    ec2005
);

fn ec2005(t: &Template, report: Report<'_>) {
    // collected once: scanning every resource per VPC would be quadratic
    let flow_logs: Vec<&Resource> = of_type(t, &["AWS::EC2::FlowLog"]).map(|(_, r)| r).collect();
    for (id, _) in of_type(t, &["AWS::EC2::VPC"]) {
        let logged = flow_logs
            .iter()
            .any(|f| prop(f, "ResourceId").is_some_and(|e| refers_to(e, id)));
        if !logged {
            report(
                id,
                format!("Resources/{id}"),
                "no AWS::EC2::FlowLog refers to this VPC".into(),
            );
        }
    }
}

pub(super) const EC2006: Rule = rule!("EC2006", Low, "subnet assigns public IPs",
    "instances launched in it get a public address whether they need one or not",
    "set MapPublicIpOnLaunch: false and give public addresses only to load balancers and NAT gateways",
    ec2006);

fn ec2006(t: &Template, report: Report<'_>) {
    for (id, r) in of_type(t, &["AWS::EC2::Subnet"]) {
        if prop(r, "MapPublicIpOnLaunch").and_then(lit_bool) == Some(true) {
            report(
                id,
                format!("Resources/{id}/Properties/MapPublicIpOnLaunch"),
                "MapPublicIpOnLaunch is true".into(),
            );
        }
    }
}

pub(super) const ELB001: Rule = rule!(
    "ELB001",
    Medium,
    "load balancer listener without TLS",
    "plain HTTP sends sessions and credentials in clear text",
    "listen on HTTPS with a certificate, and make the HTTP listener only redirect to HTTPS",
    elb001
);

fn elb001(t: &Template, report: Report<'_>) {
    for (id, r) in of_type(t, &["AWS::ElasticLoadBalancingV2::Listener"]) {
        if prop(r, "Protocol").and_then(lit_str) != Some("HTTP") {
            continue;
        }
        let redirects = match prop(r, "DefaultActions") {
            Some(Expr::List(actions)) => actions.iter().all(|a| {
                get(a, "Type").and_then(lit_str) == Some("redirect")
                    && get(a, "RedirectConfig/Protocol").and_then(lit_str) == Some("HTTPS")
            }),
            _ => false,
        };
        if !redirects {
            report(
                id,
                format!("Resources/{id}/Properties/Protocol"),
                "HTTP listener serves traffic instead of redirecting to HTTPS".into(),
            );
        }
    }
    for (id, r) in of_type(t, &["AWS::ElasticLoadBalancing::LoadBalancer"]) {
        if let Some(Expr::List(ls)) = prop(r, "Listeners") {
            for (i, l) in ls.iter().enumerate() {
                let proto = get(l, "Protocol")
                    .and_then(lit_str)
                    .map(str::to_ascii_uppercase);
                if matches!(proto.as_deref(), Some("HTTP") | Some("TCP")) {
                    report(
                        id,
                        format!("Resources/{id}/Properties/Listeners/{i}/Protocol"),
                        format!(
                            "classic load balancer listener uses {}",
                            proto.unwrap_or_default()
                        ),
                    );
                }
            }
        }
    }
}

fn tls12_policy(name: &str) -> bool {
    name.contains("TLS13")
        || name.contains("TLS-1-2")
        || name.starts_with("ELBSecurityPolicy-FS-1-2")
}

pub(super) const ELB002: Rule = rule!(
    "ELB002",
    Medium,
    "TLS policy allows versions below 1.2",
    "TLS 1.0 and 1.1 have known weaknesses and are deprecated",
    "use a TLS 1.2+ policy such as ELBSecurityPolicy-TLS13-1-2-2021-06",
    elb002
);

fn elb002(t: &Template, report: Report<'_>) {
    for (id, r) in of_type(t, &["AWS::ElasticLoadBalancingV2::Listener"]) {
        if !matches!(
            prop(r, "Protocol").and_then(lit_str),
            Some("HTTPS") | Some("TLS")
        ) {
            continue;
        }
        match prop(r, "SslPolicy") {
            None => report(
                id,
                format!("Resources/{id}/Properties/SslPolicy"),
                "no SslPolicy: the default policy allows TLS 1.0".into(),
            ),
            Some(p) => {
                if let Some(name) = lit_str(p) {
                    if !tls12_policy(name) {
                        report(
                            id,
                            format!("Resources/{id}/Properties/SslPolicy"),
                            format!("policy `{name}` allows TLS below 1.2"),
                        );
                    }
                }
            }
        }
    }
}

pub(super) const ELB003: Rule = rule!("ELB003", Low, "load balancer without access logs",
    "access logs are the record of who requested what",
    "set the access_logs.s3.enabled attribute (ALB/NLB) or AccessLoggingPolicy (classic) to an encrypted bucket",
    elb003);

fn elb003(t: &Template, report: Report<'_>) {
    for (id, r) in of_type(t, &["AWS::ElasticLoadBalancingV2::LoadBalancer"]) {
        if prop(r, "Type").and_then(lit_str) == Some("gateway") {
            continue;
        }
        let enabled = match prop(r, "LoadBalancerAttributes") {
            Some(Expr::List(attrs)) => attrs.iter().any(|a| {
                get(a, "Key").and_then(lit_str) == Some("access_logs.s3.enabled")
                    && true_or_unknown(get(a, "Value"))
            }),
            _ => false,
        };
        if !enabled {
            report(
                id,
                format!("Resources/{id}/Properties/LoadBalancerAttributes"),
                "access_logs.s3.enabled is not true".into(),
            );
        }
    }
    for (id, r) in of_type(t, &["AWS::ElasticLoadBalancing::LoadBalancer"]) {
        if !true_or_unknown(prop(r, "AccessLoggingPolicy/Enabled")) {
            report(
                id,
                format!("Resources/{id}/Properties/AccessLoggingPolicy"),
                "access logging is not enabled".into(),
            );
        }
    }
}

pub(super) const ELB004: Rule = rule!(
    "ELB004",
    Low,
    "application load balancer keeps invalid HTTP headers",
    "forwarding malformed headers enables request smuggling against the targets",
    "set the routing.http.drop_invalid_header_fields.enabled attribute to true",
    elb004
);

fn elb004(t: &Template, report: Report<'_>) {
    for (id, r) in of_type(t, &["AWS::ElasticLoadBalancingV2::LoadBalancer"]) {
        if prop(r, "Type")
            .and_then(lit_str)
            .is_some_and(|ty| ty != "application")
        {
            continue;
        }
        let on = match prop(r, "LoadBalancerAttributes") {
            Some(Expr::List(attrs)) => attrs.iter().any(|a| {
                get(a, "Key").and_then(lit_str)
                    == Some("routing.http.drop_invalid_header_fields.enabled")
                    && get(a, "Value").and_then(lit_bool) == Some(true)
            }),
            _ => false,
        };
        if !on {
            report(
                id,
                format!("Resources/{id}/Properties/LoadBalancerAttributes"),
                "routing.http.drop_invalid_header_fields.enabled is not true".into(),
            );
        }
    }
}

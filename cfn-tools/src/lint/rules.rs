//! The rule table. Each rule is a function over the whole template that
//! reports `(resource, path, message)`.

use super::{RuleInfo, Severity};
use cfn_core::{Expr, ExprMap, Intrinsic, Resource, Template};

type Report<'a> = &'a mut dyn FnMut(&str, String, String);

/// A rule: its description and its check.
pub struct Rule {
    /// Id, severity, rationale, fix.
    pub info: RuleInfo,
    pub(super) check: fn(&Template, Report<'_>),
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.info.fmt(f)
    }
}

// ---------------------------------------------------------------- helpers

fn of_type<'t>(
    t: &'t Template,
    types: &'t [&str],
) -> impl Iterator<Item = (&'t str, &'t Resource)> + 't {
    t.resources
        .iter()
        .filter(move |(_, r)| types.contains(&r.type_name.as_str()))
        .map(|(id, r)| (id.as_str(), r))
}

fn get<'e>(e: &'e Expr, path: &str) -> Option<&'e Expr> {
    let mut cur = e;
    for seg in path.split('/') {
        cur = match cur {
            Expr::Map(m) => m.get(seg)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn prop<'r>(r: &'r Resource, path: &str) -> Option<&'r Expr> {
    let props = r.properties.as_ref()?;
    let (first, rest) = match path.split_once('/') {
        Some((a, b)) => (a, Some(b)),
        None => (path, None),
    };
    let v = props.get(first)?;
    match rest {
        Some(rest) => get(v, rest),
        None => Some(v),
    }
}

/// `Some(b)` for a literal boolean (or `"true"`/`"false"`), `None` for an
/// intrinsic or anything else.
fn lit_bool(e: &Expr) -> Option<bool> {
    match e {
        Expr::Bool(b) => Some(*b),
        Expr::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Expr::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

fn lit_str(e: &Expr) -> Option<&str> {
    e.as_str()
}

fn lit_i64(e: &Expr) -> Option<i64> {
    match e {
        Expr::Number(n) => n.as_i64(),
        Expr::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn is_intrinsic(e: &Expr) -> bool {
    matches!(e, Expr::Fn(_))
}

/// The items of a list, or the value itself when it is not a list.
fn items(e: &Expr) -> Vec<&Expr> {
    match e {
        Expr::List(v) => v.iter().collect(),
        other => vec![other],
    }
}

/// Whether `e` is a `Ref` or `Fn::GetAtt` to `id` (or `${id}` in a Sub).
fn refers_to(e: &Expr, id: &str) -> bool {
    let mut found = false;
    e.walk(&mut |x| {
        if let Some(f) = x.as_intrinsic() {
            match f {
                Intrinsic::Ref(r) if r == id => found = true,
                Intrinsic::GetAtt { resource, .. } if resource == id => found = true,
                Intrinsic::Sub { template, .. }
                    if template.contains(&format!("${{{id}}}"))
                        || template.contains(&format!("${{{id}.")) =>
                {
                    found = true
                }
                _ => {}
            }
        }
    });
    found
}

/// The statements of a policy document (a list or a single statement).
fn statements(doc: &Expr) -> Vec<(usize, &ExprMap)> {
    match get(doc, "Statement") {
        Some(Expr::List(v)) => v
            .iter()
            .enumerate()
            .filter_map(|(i, s)| match s {
                Expr::Map(m) => Some((i, m)),
                _ => None,
            })
            .collect(),
        Some(Expr::Map(m)) => vec![(0, m)],
        _ => vec![],
    }
}

fn strs(e: Option<&Expr>) -> Vec<&str> {
    e.map(|e| items(e).into_iter().filter_map(lit_str).collect())
        .unwrap_or_default()
}

/// Every policy document in the template: (resource, path, document).
fn policy_documents(t: &Template) -> Vec<(&str, String, &Expr)> {
    let mut out = Vec::new();
    for (id, r) in &t.resources {
        let id = id.as_str();
        let base = format!("Resources/{id}/Properties");
        match r.type_name.as_str() {
            "AWS::IAM::Policy"
            | "AWS::IAM::ManagedPolicy"
            | "AWS::IAM::RolePolicy"
            | "AWS::IAM::UserPolicy"
            | "AWS::IAM::GroupPolicy" => {
                if let Some(d) = prop(r, "PolicyDocument") {
                    out.push((id, format!("{base}/PolicyDocument"), d));
                }
            }
            "AWS::IAM::Role" | "AWS::IAM::User" | "AWS::IAM::Group" => {
                if let Some(Expr::List(ps)) = prop(r, "Policies") {
                    for (i, p) in ps.iter().enumerate() {
                        if let Some(d) = get(p, "PolicyDocument") {
                            out.push((id, format!("{base}/Policies/{i}/PolicyDocument"), d));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

const WORLD: [&str; 2] = ["0.0.0.0/0", "::/0"];

struct IngressRule<'e> {
    group: Option<&'e Expr>,
    path: String,
    cidr: Option<&'e str>,
    from: Option<i64>,
    to: Option<i64>,
    protocol: Option<&'e str>,
}

/// Every ingress rule: inline in security groups and standalone
/// `AWS::EC2::SecurityGroupIngress` resources. (resource, rule)
fn ingress_rules(t: &Template) -> Vec<(&str, IngressRule<'_>)> {
    let mut out = Vec::new();
    for (id, r) in &t.resources {
        let id = id.as_str();
        match r.type_name.as_str() {
            "AWS::EC2::SecurityGroup" => {
                if let Some(Expr::List(rules)) = prop(r, "SecurityGroupIngress") {
                    for (i, rule) in rules.iter().enumerate() {
                        for key in ["CidrIp", "CidrIpv6"] {
                            if let Some(c) = get(rule, key).and_then(lit_str) {
                                out.push((
                                    id,
                                    IngressRule {
                                        group: None,
                                        path: format!(
                                            "Resources/{id}/Properties/SecurityGroupIngress/{i}"
                                        ),
                                        cidr: Some(c),
                                        from: get(rule, "FromPort").and_then(lit_i64),
                                        to: get(rule, "ToPort").and_then(lit_i64),
                                        protocol: get(rule, "IpProtocol").and_then(lit_str),
                                    },
                                ));
                            }
                        }
                    }
                }
            }
            "AWS::EC2::SecurityGroupIngress" => {
                for key in ["CidrIp", "CidrIpv6"] {
                    if let Some(c) = prop(r, key).and_then(lit_str) {
                        out.push((
                            id,
                            IngressRule {
                                group: prop(r, "GroupId"),
                                path: format!("Resources/{id}/Properties/{key}"),
                                cidr: Some(c),
                                from: prop(r, "FromPort").and_then(lit_i64),
                                to: prop(r, "ToPort").and_then(lit_i64),
                                protocol: prop(r, "IpProtocol").and_then(lit_str),
                            },
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    out
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
        let internal = prop(r, "Scheme").and_then(lit_str) == Some("internal");
        if internal {
            continue;
        }
        if let Some(sgs) = prop(r, "SecurityGroups") {
            for sg in items(sgs) {
                sg.walk(&mut |x| match x.as_intrinsic() {
                    Some(Intrinsic::Ref(id)) => groups.push(id.clone()),
                    Some(Intrinsic::GetAtt { resource, .. }) => groups.push(resource.clone()),
                    _ => {}
                });
            }
        }
    }
    groups
}

fn ports_are_web(from: Option<i64>, to: Option<i64>) -> bool {
    matches!((from, to), (Some(80), Some(80)) | (Some(443), Some(443)))
}

fn group_id_of(rule_resource: &str, rule: &IngressRule<'_>) -> Option<String> {
    match rule.group {
        None => Some(rule_resource.to_owned()),
        Some(e) => match e.as_intrinsic() {
            Some(Intrinsic::Ref(id)) => Some(id.clone()),
            Some(Intrinsic::GetAtt { resource, .. }) => Some(resource.clone()),
            _ => None,
        },
    }
}

// ---------------------------------------------------------------- rules

macro_rules! rule {
    ($id:literal, $sev:ident, $title:literal, $why:literal, $fix:literal, $check:expr) => {
        Rule {
            info: RuleInfo {
                id: $id,
                severity: Severity::$sev,
                title: $title,
                rationale: $why,
                fix: $fix,
            },
            check: $check,
        }
    };
}

/// Every rule.
pub static RULES: &[Rule] = &[
    rule!("EC2001", High, "security group open to the world on a non-web port",
        "ingress from 0.0.0.0/0 or ::/0 exposes the port to the whole internet; only an internet-facing load balancer may accept the world, and only on 80/443",
        "restrict the source to a security group or a known CIDR",
        |t, report| {
            let public = public_lb_groups(t);
            for (id, rule) in ingress_rules(t) {
                let Some(cidr) = rule.cidr else { continue };
                if !WORLD.contains(&cidr) {
                    continue;
                }
                let web = ports_are_web(rule.from, rule.to) && rule.protocol == Some("tcp");
                let on_public_lb = group_id_of(id, &rule).is_some_and(|g| public.contains(&g));
                if !(web && on_public_lb) {
                    let ports = match (rule.from, rule.to) {
                        (Some(a), Some(b)) if a == b => format!("port {a}"),
                        (Some(a), Some(b)) => format!("ports {a}-{b}"),
                        _ => "all ports".to_owned(),
                    };
                    let why = if web { "the group is not attached to an internet-facing load balancer" } else { "only 80/443 on a public load balancer may be open" };
                    report(id, rule.path.clone(), format!("ingress from {cidr} on {ports}: {why}"));
                }
            }
        }),
    rule!("EC2002", Low, "security group allows all outbound traffic",
        "unrestricted egress lets a compromised instance reach anything",
        "list the egress rules the tier needs (for example 443 to the VPC endpoints and the load balancer)",
        |t, report| {
            for (id, r) in of_type(t, &["AWS::EC2::SecurityGroup"]) {
                if let Some(Expr::List(rules)) = prop(r, "SecurityGroupEgress") {
                    for (i, rule) in rules.iter().enumerate() {
                        let cidr = get(rule, "CidrIp").and_then(lit_str);
                        let proto = get(rule, "IpProtocol").map(|p| p.as_str().map(str::to_owned).unwrap_or_else(|| lit_i64(p).map(|n| n.to_string()).unwrap_or_default()));
                        if cidr == Some("0.0.0.0/0") && proto.as_deref() == Some("-1") {
                            report(id, format!("Resources/{id}/Properties/SecurityGroupEgress/{i}"), "egress to 0.0.0.0/0 on every protocol and port".into());
                        }
                    }
                }
            }
        }),
    rule!("EC2003", High, "instance metadata service v1 allowed",
        "IMDSv1 answers unauthenticated GETs, the path of SSRF credential theft",
        "set MetadataOptions/HttpTokens to `required`",
        |t, report| {
            for (id, r) in of_type(t, &["AWS::EC2::LaunchTemplate"]) {
                let tokens = prop(r, "LaunchTemplateData/MetadataOptions/HttpTokens");
                if tokens.is_none_or(|v| !is_intrinsic(v) && lit_str(v) != Some("required")) {
                    report(id, format!("Resources/{id}/Properties/LaunchTemplateData/MetadataOptions/HttpTokens"), "launch template does not require IMDSv2 tokens".into());
                }
            }
            for (id, r) in of_type(t, &["AWS::AutoScaling::LaunchConfiguration"]) {
                let tokens = prop(r, "MetadataOptions/HttpTokens");
                if tokens.is_none_or(|v| !is_intrinsic(v) && lit_str(v) != Some("required")) {
                    report(id, format!("Resources/{id}/Properties/MetadataOptions/HttpTokens"), "launch configuration does not require IMDSv2 tokens".into());
                }
            }
        }),
    rule!("EC2004", High, "EBS volume not encrypted",
        "unencrypted volumes and snapshots expose data at rest",
        "set Encrypted: true (and KmsKeyId to a customer key)",
        |t, report| {
            for (id, r) in of_type(t, &["AWS::EC2::Volume"]) {
                if prop(r, "Encrypted").and_then(lit_bool) != Some(true) && !prop(r, "Encrypted").is_some_and(is_intrinsic) {
                    report(id, format!("Resources/{id}/Properties/Encrypted"), "volume is not encrypted".into());
                }
            }
            for (id, r) in of_type(t, &["AWS::EC2::LaunchTemplate", "AWS::EC2::Instance", "AWS::AutoScaling::LaunchConfiguration"]) {
                let (mappings, base) = if r.type_name == "AWS::EC2::LaunchTemplate" {
                    (prop(r, "LaunchTemplateData/BlockDeviceMappings"), "LaunchTemplateData/BlockDeviceMappings")
                } else {
                    (prop(r, "BlockDeviceMappings"), "BlockDeviceMappings")
                };
                if let Some(Expr::List(ms)) = mappings {
                    for (i, m) in ms.iter().enumerate() {
                        if get(m, "Ebs").is_some() {
                            let enc = get(m, "Ebs/Encrypted");
                            if enc.and_then(lit_bool) != Some(true) && !enc.is_some_and(is_intrinsic) {
                                report(id, format!("Resources/{id}/Properties/{base}/{i}/Ebs/Encrypted"), "block device volume is not encrypted".into());
                            }
                        }
                    }
                }
            }
        }),
    rule!("EC2005", Medium, "VPC without flow logs",
        "without flow logs there is no record of accepted and rejected traffic for investigations",
        "add an AWS::EC2::FlowLog with ResourceType VPC and ResourceId the VPC",
        |t, report| {
            // collected once: scanning every resource per VPC would be quadratic
            let flow_logs: Vec<&Resource> = of_type(t, &["AWS::EC2::FlowLog"]).map(|(_, r)| r).collect();
            for (id, _) in of_type(t, &["AWS::EC2::VPC"]) {
                let logged = flow_logs.iter().any(|f| prop(f, "ResourceId").is_some_and(|e| refers_to(e, id)));
                if !logged {
                    report(id, format!("Resources/{id}"), "no AWS::EC2::FlowLog refers to this VPC".into());
                }
            }
        }),
    rule!("EC2006", Medium, "subnet assigns public IPs",
        "instances launched in it get a public address whether they need one or not",
        "set MapPublicIpOnLaunch: false and give public addresses only to load balancers and NAT gateways",
        |t, report| {
            for (id, r) in of_type(t, &["AWS::EC2::Subnet"]) {
                if prop(r, "MapPublicIpOnLaunch").and_then(lit_bool) == Some(true) {
                    report(id, format!("Resources/{id}/Properties/MapPublicIpOnLaunch"), "MapPublicIpOnLaunch is true".into());
                }
            }
        }),
    rule!("ELB001", High, "load balancer listener without TLS",
        "plain HTTP sends sessions and credentials in clear text",
        "listen on HTTPS with a certificate, and make the HTTP listener only redirect to HTTPS",
        |t, report| {
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
                    report(id, format!("Resources/{id}/Properties/Protocol"), "HTTP listener serves traffic instead of redirecting to HTTPS".into());
                }
            }
            for (id, r) in of_type(t, &["AWS::ElasticLoadBalancing::LoadBalancer"]) {
                if let Some(Expr::List(ls)) = prop(r, "Listeners") {
                    for (i, l) in ls.iter().enumerate() {
                        let proto = get(l, "Protocol").and_then(lit_str).map(str::to_ascii_uppercase);
                        if matches!(proto.as_deref(), Some("HTTP") | Some("TCP")) {
                            report(id, format!("Resources/{id}/Properties/Listeners/{i}/Protocol"), format!("classic load balancer listener uses {}", proto.unwrap_or_default()));
                        }
                    }
                }
            }
        }),
    rule!("ELB002", High, "TLS policy allows versions below 1.2",
        "TLS 1.0 and 1.1 have known weaknesses and are deprecated",
        "use a TLS 1.2+ policy such as ELBSecurityPolicy-TLS13-1-2-2021-06",
        |t, report| {
            for (id, r) in of_type(t, &["AWS::ElasticLoadBalancingV2::Listener"]) {
                if !matches!(prop(r, "Protocol").and_then(lit_str), Some("HTTPS") | Some("TLS")) {
                    continue;
                }
                match prop(r, "SslPolicy") {
                    None => report(id, format!("Resources/{id}/Properties/SslPolicy"), "no SslPolicy: the default policy allows TLS 1.0".into()),
                    Some(p) => {
                        if let Some(name) = lit_str(p) {
                            if !tls12_policy(name) {
                                report(id, format!("Resources/{id}/Properties/SslPolicy"), format!("policy `{name}` allows TLS below 1.2"));
                            }
                        }
                    }
                }
            }
        }),
    rule!("ELB003", Medium, "load balancer without access logs",
        "access logs are the record of who requested what",
        "set the access_logs.s3.enabled attribute (ALB/NLB) or AccessLoggingPolicy (classic) to an encrypted bucket",
        |t, report| {
            for (id, r) in of_type(t, &["AWS::ElasticLoadBalancingV2::LoadBalancer"]) {
                if prop(r, "Type").and_then(lit_str) == Some("gateway") {
                    continue;
                }
                let enabled = match prop(r, "LoadBalancerAttributes") {
                    Some(Expr::List(attrs)) => attrs.iter().any(|a| {
                        get(a, "Key").and_then(lit_str) == Some("access_logs.s3.enabled")
                            && get(a, "Value").is_some_and(|v| lit_bool(v) == Some(true) || is_intrinsic(v))
                    }),
                    _ => false,
                };
                if !enabled {
                    report(id, format!("Resources/{id}/Properties/LoadBalancerAttributes"), "access_logs.s3.enabled is not true".into());
                }
            }
            for (id, r) in of_type(t, &["AWS::ElasticLoadBalancing::LoadBalancer"]) {
                let e = prop(r, "AccessLoggingPolicy/Enabled");
                if e.and_then(lit_bool) != Some(true) && !e.is_some_and(is_intrinsic) {
                    report(id, format!("Resources/{id}/Properties/AccessLoggingPolicy"), "access logging is not enabled".into());
                }
            }
        }),
    rule!("ELB004", Low, "application load balancer keeps invalid HTTP headers",
        "forwarding malformed headers enables request smuggling against the targets",
        "set the routing.http.drop_invalid_header_fields.enabled attribute to true",
        |t, report| {
            for (id, r) in of_type(t, &["AWS::ElasticLoadBalancingV2::LoadBalancer"]) {
                if prop(r, "Type").and_then(lit_str).is_some_and(|ty| ty != "application") {
                    continue;
                }
                let on = match prop(r, "LoadBalancerAttributes") {
                    Some(Expr::List(attrs)) => attrs.iter().any(|a| {
                        get(a, "Key").and_then(lit_str) == Some("routing.http.drop_invalid_header_fields.enabled")
                            && get(a, "Value").and_then(lit_bool) == Some(true)
                    }),
                    _ => false,
                };
                if !on {
                    report(id, format!("Resources/{id}/Properties/LoadBalancerAttributes"), "routing.http.drop_invalid_header_fields.enabled is not true".into());
                }
            }
        }),
    rule!("IAM001", High, "policy allows every action",
        "`Action: *` grants administrator rights",
        "list the actions the principal needs",
        |t, report| {
            for (id, path, doc) in policy_documents(t) {
                for (i, s) in statements(doc) {
                    if s.get("Effect").and_then(lit_str) == Some("Allow") && strs(s.get("Action")).contains(&"*") {
                        report(id, format!("{path}/Statement/{i}/Action"), "Allow with Action \"*\"".into());
                    }
                }
            }
        }),
    rule!("IAM002", Medium, "policy allows actions on every resource",
        "`Resource: *` with write actions reaches resources outside the application",
        "scope Resource to the ARNs the principal works on",
        |t, report| {
            for (id, path, doc) in policy_documents(t) {
                for (i, s) in statements(doc) {
                    if s.get("Effect").and_then(lit_str) != Some("Allow") || !strs(s.get("Resource")).contains(&"*") {
                        continue;
                    }
                    let actions = strs(s.get("Action"));
                    let read_only = !actions.is_empty()
                        && actions.iter().all(|a| {
                            let verb = a.split(':').nth(1).unwrap_or(a);
                            ["Describe", "List", "Get"].iter().any(|p| verb.starts_with(p))
                        });
                    if !read_only && !actions.contains(&"iam:PassRole") {
                        report(id, format!("{path}/Statement/{i}/Resource"), format!("Allow of {} on Resource \"*\"", actions.join(", ")));
                    }
                }
            }
        }),
    rule!("IAM003", High, "iam:PassRole on every role",
        "PassRole on `*` lets the principal hand any role, including administrators, to a service",
        "limit Resource to the role ARNs the service needs",
        |t, report| {
            for (id, path, doc) in policy_documents(t) {
                for (i, s) in statements(doc) {
                    let actions = strs(s.get("Action"));
                    if s.get("Effect").and_then(lit_str) == Some("Allow")
                        && actions.iter().any(|a| *a == "iam:PassRole" || *a == "iam:*")
                        && strs(s.get("Resource")).contains(&"*")
                    {
                        report(id, format!("{path}/Statement/{i}"), "iam:PassRole allowed on Resource \"*\"".into());
                    }
                }
            }
        }),
    rule!("IAM004", Medium, "Allow with NotAction",
        "NotAction with Allow grants every action not listed, including future ones",
        "use Action with an explicit list",
        |t, report| {
            for (id, path, doc) in policy_documents(t) {
                for (i, s) in statements(doc) {
                    if s.get("Effect").and_then(lit_str) == Some("Allow") && s.contains_key("NotAction") {
                        report(id, format!("{path}/Statement/{i}/NotAction"), "Allow with NotAction".into());
                    }
                }
            }
        }),
    rule!("IAM005", High, "role trusts every principal",
        "a trust policy with Principal `*` lets anyone assume the role",
        "name the service or account principals that may assume it",
        |t, report| {
            for (id, r) in of_type(t, &["AWS::IAM::Role"]) {
                if let Some(doc) = prop(r, "AssumeRolePolicyDocument") {
                    for (i, s) in statements(doc) {
                        let p = s.get("Principal");
                        let star = p.is_some_and(|p| lit_str(p) == Some("*") || get(p, "AWS").is_some_and(|a| strs(Some(a)).contains(&"*")));
                        if s.get("Effect").and_then(lit_str) == Some("Allow") && star {
                            report(id, format!("Resources/{id}/Properties/AssumeRolePolicyDocument/Statement/{i}/Principal"), "trust policy allows Principal \"*\"".into());
                        }
                    }
                }
            }
        }),
    rule!("IAM006", Medium, "IAM user with its own policies",
        "permissions attached to users instead of groups drift and escape review",
        "attach policies to a group and add the user to it",
        |t, report| {
            for (id, r) in of_type(t, &["AWS::IAM::User"]) {
                if prop(r, "Policies").is_some() || prop(r, "ManagedPolicyArns").is_some() {
                    report(id, format!("Resources/{id}/Properties"), "user has Policies or ManagedPolicyArns of its own".into());
                }
            }
            for (id, r) in of_type(t, &["AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"]) {
                if prop(r, "Users").is_some() {
                    report(id, format!("Resources/{id}/Properties/Users"), "policy is attached to users directly".into());
                }
            }
        }),
    rule!("IAM007", High, "human IAM group or user without MFA enforcement",
        "a console password alone is one phishing email away from the account",
        "attach a policy that denies everything except MFA self-service when aws:MultiFactorAuthPresent is false",
        |t, report| {
            let policies: Vec<&Resource> = of_type(t, &["AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"]).map(|(_, r)| r).collect();
            let enforces = |group: &str| -> bool {
                let own = t.resources.get(group).and_then(|r| prop(r, "Policies")).map(|ps| {
                    items(ps).into_iter().filter_map(|p| get(p, "PolicyDocument")).any(denies_without_mfa)
                });
                let attached = policies.iter().any(|p| {
                    prop(p, "Groups").is_some_and(|g| items(g).iter().any(|x| refers_to(x, group) || lit_str(x) == Some(group)))
                        && prop(p, "PolicyDocument").is_some_and(denies_without_mfa)
                });
                own.unwrap_or(false) || attached
            };
            for (id, _) in of_type(t, &["AWS::IAM::Group"]) {
                if !enforces(id) {
                    report(id, format!("Resources/{id}"), "no policy of this group denies access without MFA".into());
                }
            }
            for (id, r) in of_type(t, &["AWS::IAM::User"]) {
                if prop(r, "LoginProfile").is_none() {
                    continue;
                }
                let groups: Vec<String> = prop(r, "Groups")
                    .map(|g| items(g).iter().filter_map(|x| match x.as_intrinsic() {
                        Some(Intrinsic::Ref(g)) => Some(g.clone()),
                        _ => None,
                    }).collect())
                    .unwrap_or_default();
                if !groups.iter().any(|g| enforces(g)) {
                    report(id, format!("Resources/{id}/Properties/LoginProfile"), "user can sign in to the console but no group of the user enforces MFA".into());
                }
            }
        }),
    rule!("KMS001", High, "KMS key rotation disabled",
        "without rotation one leaked key version decrypts everything, forever",
        "set EnableKeyRotation: true",
        |t, report| {
            for (id, r) in of_type(t, &["AWS::KMS::Key"]) {
                let symmetric = prop(r, "KeySpec").and_then(lit_str).is_none_or(|s| s == "SYMMETRIC_DEFAULT");
                let rot = prop(r, "EnableKeyRotation");
                if symmetric && rot.and_then(lit_bool) != Some(true) && !rot.is_some_and(is_intrinsic) {
                    report(id, format!("Resources/{id}/Properties/EnableKeyRotation"), "key rotation is not enabled".into());
                }
            }
        }),
    rule!("KMS002", High, "KMS key policy open to every principal",
        "Principal `*` without a condition lets any account use or manage the key",
        "name the account root or roles as principals, or add a condition (kms:CallerAccount, aws:PrincipalOrgID)",
        |t, report| {
            for (id, r) in of_type(t, &["AWS::KMS::Key"]) {
                if let Some(doc) = prop(r, "KeyPolicy") {
                    for (i, s) in statements(doc) {
                        let p = s.get("Principal");
                        let star = p.is_some_and(|p| lit_str(p) == Some("*") || get(p, "AWS").is_some_and(|a| strs(Some(a)).contains(&"*")));
                        if s.get("Effect").and_then(lit_str) == Some("Allow") && star && !s.contains_key("Condition") {
                            report(id, format!("Resources/{id}/Properties/KeyPolicy/Statement/{i}/Principal"), "key policy allows Principal \"*\" without a condition".into());
                        }
                    }
                }
            }
        }),
    rule!("LOG001", Medium, "log group keeps logs forever",
        "logs without retention grow cost and keep personal data past its purpose",
        "set RetentionInDays",
        |t, report| {
            for (id, r) in of_type(t, &["AWS::Logs::LogGroup"]) {
                if prop(r, "RetentionInDays").is_none() {
                    report(id, format!("Resources/{id}/Properties/RetentionInDays"), "no RetentionInDays".into());
                }
            }
        }),
    rule!("LOG002", Medium, "log group not encrypted with a customer key",
        "a customer-managed key keeps control of who can read the logs",
        "set KmsKeyId to a KMS key ARN whose policy allows the logs service",
        |t, report| {
            for (id, r) in of_type(t, &["AWS::Logs::LogGroup"]) {
                if prop(r, "KmsKeyId").is_none() {
                    report(id, format!("Resources/{id}/Properties/KmsKeyId"), "no KmsKeyId".into());
                }
            }
        }),
    rule!("S3001", High, "bucket without default encryption by a KMS key",
        "SSE-KMS keeps access to the data under a key policy and in CloudTrail",
        "set BucketEncryption with SSEAlgorithm aws:kms (or aws:kms:dsse) and a KMSMasterKeyID",
        |t, report| {
            for (id, r) in of_type(t, &["AWS::S3::Bucket"]) {
                let rules = prop(r, "BucketEncryption/ServerSideEncryptionConfiguration");
                let kms = rules.is_some_and(|rules| items(rules).iter().any(|rule| {
                    get(rule, "ServerSideEncryptionByDefault/SSEAlgorithm").is_some_and(|a| is_intrinsic(a) || lit_str(a).is_some_and(|a| a.starts_with("aws:kms")))
                }));
                if !kms {
                    report(id, format!("Resources/{id}/Properties/BucketEncryption"), "bucket is not encrypted with SSE-KMS by default".into());
                }
            }
        }),
    rule!("S3002", High, "bucket public access not fully blocked",
        "one ACL or policy mistake away from a public data leak",
        "set all four PublicAccessBlockConfiguration flags to true",
        |t, report| {
            for (id, r) in of_type(t, &["AWS::S3::Bucket"]) {
                for flag in ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"] {
                    let v = prop(r, &format!("PublicAccessBlockConfiguration/{flag}"));
                    if v.and_then(lit_bool) != Some(true) && !v.is_some_and(is_intrinsic) {
                        report(id, format!("Resources/{id}/Properties/PublicAccessBlockConfiguration/{flag}"), format!("{flag} is not true"));
                    }
                }
            }
        }),
    rule!("S3003", High, "bucket accepts requests without TLS",
        "without a TLS-only policy, clients may send data in clear text",
        "add a bucket policy denying s3:* when aws:SecureTransport is false",
        |t, report| {
            let bucket_policies: Vec<&Resource> = of_type(t, &["AWS::S3::BucketPolicy"]).map(|(_, r)| r).collect();
            for (id, _) in of_type(t, &["AWS::S3::Bucket"]) {
                let covered = bucket_policies.iter().any(|p| {
                    prop(p, "Bucket").is_some_and(|b| refers_to(b, id))
                        && prop(p, "PolicyDocument").is_some_and(|d| statements(d).iter().any(|(_, s)| {
                            s.get("Effect").and_then(lit_str) == Some("Deny")
                                && s.get("Condition").and_then(|c| get(c, "Bool/aws:SecureTransport")).is_some_and(|v| lit_bool(v) == Some(false))
                        }))
                });
                if !covered {
                    report(id, format!("Resources/{id}"), "no bucket policy denies requests without aws:SecureTransport".into());
                }
            }
        }),
    rule!("S3004", Medium, "bucket versioning not enabled",
        "without versions an overwrite or delete loses data for good",
        "set VersioningConfiguration/Status: Enabled",
        |t, report| {
            for (id, r) in of_type(t, &["AWS::S3::Bucket"]) {
                let s = prop(r, "VersioningConfiguration/Status");
                if s.and_then(lit_str) != Some("Enabled") && !s.is_some_and(is_intrinsic) {
                    report(id, format!("Resources/{id}/Properties/VersioningConfiguration"), "versioning is not Enabled".into());
                }
            }
        }),
    rule!("S3005", Low, "bucket without access logging",
        "server access logs record who read or changed objects",
        "set LoggingConfiguration/DestinationBucketName to a log bucket",
        |t, report| {
            for (id, r) in of_type(t, &["AWS::S3::Bucket"]) {
                if prop(r, "LoggingConfiguration").is_none() {
                    report(id, format!("Resources/{id}/Properties/LoggingConfiguration"), "no LoggingConfiguration".into());
                }
            }
        }),
    rule!("S3006", High, "bucket ACL grants public access",
        "public-read and public-read-write ACLs publish the bucket",
        "remove AccessControl (ACLs are disabled by default) and grant access through the bucket policy",
        |t, report| {
            for (id, r) in of_type(t, &["AWS::S3::Bucket"]) {
                if let Some(acl) = prop(r, "AccessControl").and_then(lit_str) {
                    if acl.starts_with("Public") || acl == "AuthenticatedRead" {
                        report(id, format!("Resources/{id}/Properties/AccessControl"), format!("AccessControl is {acl}"));
                    }
                }
            }
        }),
    rule!("SNS001", Medium, "SNS topic not encrypted",
        "messages (alarm details, deployment results) sit unencrypted at rest",
        "set KmsMasterKeyId to a KMS key",
        |t, report| {
            for (id, r) in of_type(t, &["AWS::SNS::Topic"]) {
                if prop(r, "KmsMasterKeyId").is_none() {
                    report(id, format!("Resources/{id}/Properties/KmsMasterKeyId"), "no KmsMasterKeyId".into());
                }
            }
        }),
    rule!("SQS001", Medium, "SQS queue not encrypted",
        "messages sit unencrypted at rest",
        "set KmsMasterKeyId, or SqsManagedSseEnabled: true",
        |t, report| {
            for (id, r) in of_type(t, &["AWS::SQS::Queue"]) {
                let managed = prop(r, "SqsManagedSseEnabled").and_then(lit_bool) == Some(false);
                if prop(r, "KmsMasterKeyId").is_none() && managed {
                    report(id, format!("Resources/{id}/Properties/SqsManagedSseEnabled"), "server-side encryption is turned off".into());
                }
            }
        }),
    rule!("RDS001", High, "database storage not encrypted",
        "unencrypted storage, snapshots and replicas expose data at rest",
        "set StorageEncrypted: true (and KmsKeyId)",
        |t, report| {
            for (id, r) in of_type(t, &["AWS::RDS::DBInstance", "AWS::RDS::DBCluster"]) {
                if r.type_name == "AWS::RDS::DBInstance" && prop(r, "DBClusterIdentifier").is_some() {
                    continue;
                }
                let v = prop(r, "StorageEncrypted");
                if v.and_then(lit_bool) != Some(true) && !v.is_some_and(is_intrinsic) {
                    report(id, format!("Resources/{id}/Properties/StorageEncrypted"), "storage is not encrypted".into());
                }
            }
        }),
    rule!("STATE001", High, "stateful resource not retained",
        "deleting the stack, or a replacement, would destroy the data",
        "set DeletionPolicy and UpdateReplacePolicy to Retain (or Snapshot where supported)",
        |t, report| {
            for (id, r) in &t.resources {
                if !cfn_resources::schema::is_stateful(&r.type_name) {
                    continue;
                }
                let keeps = |e: &Option<Expr>| e.as_ref().is_some_and(|p| is_intrinsic(p) || matches!(lit_str(p), Some("Retain") | Some("Snapshot") | Some("RetainExceptOnCreate")));
                if !keeps(&r.deletion_policy) {
                    report(id.as_str(), format!("Resources/{id}/DeletionPolicy"), format!("{} without DeletionPolicy Retain", r.type_name));
                }
                if !keeps(&r.update_replace_policy) {
                    report(id.as_str(), format!("Resources/{id}/UpdateReplacePolicy"), format!("{} without UpdateReplacePolicy Retain", r.type_name));
                }
            }
        }),
    rule!("ASG001", Low, "Auto Scaling group behind a load balancer uses EC2 health checks",
        "EC2 checks keep instances whose application is down in service",
        "set HealthCheckType: ELB and a HealthCheckGracePeriod",
        |t, report| {
            for (id, r) in of_type(t, &["AWS::AutoScaling::AutoScalingGroup"]) {
                let behind_lb = prop(r, "TargetGroupARNs").is_some() || prop(r, "LoadBalancerNames").is_some();
                if behind_lb && prop(r, "HealthCheckType").and_then(lit_str) != Some("ELB") {
                    report(id, format!("Resources/{id}/Properties/HealthCheckType"), "HealthCheckType is not ELB".into());
                }
            }
        }),
];

fn tls12_policy(name: &str) -> bool {
    name.contains("TLS13")
        || name.contains("TLS-1-2")
        || name.starts_with("ELBSecurityPolicy-FS-1-2")
}

fn denies_without_mfa(doc: &Expr) -> bool {
    statements(doc).iter().any(|(_, s)| {
        s.get("Effect").and_then(lit_str) == Some("Deny")
            && s.get("Condition").is_some_and(|c| {
                ["BoolIfExists", "Bool"].iter().any(|op| {
                    get(c, &format!("{op}/aws:MultiFactorAuthPresent"))
                        .is_some_and(|v| lit_bool(v) == Some(false))
                })
            })
    })
}

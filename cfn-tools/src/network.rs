//! Network layout checks: subnet CIDR blocks parse, lie inside their VPC's
//! block and do not overlap each other; security-group rules' `CidrIp` and
//! `CidrIpv6` are network addresses (EC2 refuses `192.168.1.0/0`, whose
//! host bits are set, as malformed). Literal values only.

use cfn_core::{Diagnostic, Error, ErrorKind, Expr, Intrinsic, Severity, Template};
use ipnet::{Ipv4Net, Ipv6Net};

fn cidr_of(e: Option<&Expr>) -> Option<&str> {
    e.and_then(Expr::as_str)
}

fn parse(text: &str) -> Result<Ipv4Net, String> {
    let net: Ipv4Net = text
        .parse()
        .map_err(|_| "not an IPv4 CIDR block; write it like 10.0.1.0/24".to_owned())?;
    if net != net.trunc() {
        return Err(format!(
            "host bits are set; the network address is {}",
            net.trunc()
        ));
    }
    Ok(net)
}

fn parse_v6(text: &str) -> Result<Ipv6Net, String> {
    let net: Ipv6Net = text
        .parse()
        .map_err(|_| "not an IPv6 CIDR block; write it like 2001:db8::/56".to_owned())?;
    if net != net.trunc() {
        return Err(format!(
            "host bits are set; the network address is {}",
            net.trunc()
        ));
    }
    Ok(net)
}

/// Every security-group rule's literal `CidrIp` and `CidrIpv6`.
fn sg_rule_cidrs(t: &Template, out: &mut Vec<Diagnostic>) {
    for (id, r) in &t.resources {
        for rule in crate::policy::sg_rules(r) {
            for key in ["CidrIp", "CidrIpv6"] {
                let Some(text) = rule.rule.get(key).and_then(Expr::as_str) else {
                    continue;
                };
                if text.contains("{{resolve:") {
                    continue; // a dynamic reference, resolved at deploy time
                }
                let checked = if key == "CidrIp" {
                    parse(text).map(|_| ())
                } else {
                    parse_v6(text).map(|_| ())
                };
                if let Err(reason) = checked {
                    let at = if rule.path.is_empty() {
                        key.to_owned()
                    } else {
                        format!("{}/{key}", rule.path)
                    };
                    out.push(Diagnostic {
                        severity: Severity::Error,
                        error: Error::at(
                            format!("Resources/{id}/Properties/{at}"),
                            ErrorKind::InvalidValue {
                                value: format!("{text:?}"),
                                hint: cfn_core::error::Hint::None,
                                reason: format!("{reason} (EC2 refuses the rule as malformed)"),
                            },
                        ),
                    });
                }
            }
        }
    }
}

/// Checks every VPC's and subnet's literal `CidrBlock`, and the CIDRs of
/// security-group rules.
///
/// ```
/// use cfn_core::Template;
/// let t = Template::from_yaml("Resources:\n  V: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}\n  S: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref V, CidrBlock: 10.1.0.0/24}}\n").unwrap();
/// let d = cfn_tools::network::check(&t);
/// assert!(d[0].to_string().contains("outside the VPC's 10.0.0.0/16"), "{}", d[0]);
/// ```
pub fn check(t: &Template) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut err = |path: String, value: &str, reason: String| {
        out.push(Diagnostic {
            severity: Severity::Error,
            error: Error::at(
                path,
                ErrorKind::InvalidValue {
                    value: format!("{value:?}"),
                    hint: cfn_core::error::Hint::None,
                    reason,
                },
            ),
        })
    };
    let mut vpcs = indexmap::IndexMap::new();
    for (id, r) in &t.resources {
        if r.type_name != "AWS::EC2::VPC" {
            continue;
        }
        if let Some(text) = cidr_of(r.properties.as_ref().and_then(|p| p.get("CidrBlock"))) {
            match parse(text) {
                Ok(net) => {
                    vpcs.insert(id.as_str().to_owned(), net);
                }
                Err(reason) => err(format!("Resources/{id}/Properties/CidrBlock"), text, reason),
            }
        }
    }
    let mut subnets: Vec<(String, String, Ipv4Net)> = Vec::new();
    for (id, r) in &t.resources {
        if r.type_name != "AWS::EC2::Subnet" {
            continue;
        }
        let props = r.properties.as_ref();
        let Some(text) = cidr_of(props.and_then(|p| p.get("CidrBlock"))) else {
            continue;
        };
        let path = format!("Resources/{id}/Properties/CidrBlock");
        let net = match parse(text) {
            Ok(n) => n,
            Err(reason) => {
                err(path, text, reason);
                continue;
            }
        };
        let vpc = match props
            .and_then(|p| p.get("VpcId"))
            .and_then(Expr::as_intrinsic)
        {
            Some(Intrinsic::Ref(v)) => v.clone(),
            _ => continue,
        };
        if let Some(vnet) = vpcs.get(&vpc) {
            if !vnet.contains(&net) {
                err(
                    path.clone(),
                    text,
                    format!("outside the VPC's {vnet} (`{vpc}`); pick a block inside it"),
                );
            }
        }
        for (other, other_vpc, onet) in &subnets {
            if *other_vpc == vpc && (onet.contains(&net) || net.contains(onet)) {
                err(path.clone(), text, format!("overlaps subnet `{other}` ({onet}) in the same VPC; give each subnet its own block"));
            }
        }
        subnets.push((id.as_str().to_owned(), vpc, net));
    }
    sg_rule_cidrs(t, &mut out);
    out
}

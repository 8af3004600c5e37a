//! A VPC over several Availability Zones, with subnet CIDRs computed from
//! the VPC's CIDR (inside it, never overlapping) at synthesis.

use crate::storage::LogBucket;
use crate::tags::Tags;
use cfn_core::{fns, Declared, Error, ErrorKind, Handle, Result, Template, Value};
use cfn_resources::ec2::{
    self, flow_log, Eip, FlowLog, InternetGateway, NatGateway, Route, RouteTable, Subnet,
    SubnetRouteTableAssociation, Vpc, VpcEndpoint, VpcGatewayAttachment,
};
use cfn_resources::ids;
use ipnet::Ipv4Net;

/// How private subnets reach the internet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NatMode {
    /// One NAT gateway per AZ: an AZ outage does not cut the others off.
    PerAz,
    /// One NAT gateway for all AZs: cheaper, for development.
    Single,
}

/// Options of [`Network`].
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkProps {
    /// The VPC's CIDR block (`10.30.0.0/16`); a /16 to /24.
    pub cidr: String,
    /// Availability Zones to span (2 to 6).
    pub az_count: usize,
    /// NAT gateways.
    pub nat: NatMode,
    /// Tags.
    pub tags: Tags,
}

impl NetworkProps {
    /// A network over `az_count` AZs with a NAT gateway in each.
    pub fn new(cidr: &str, az_count: usize, tags: &Tags) -> Self {
        NetworkProps {
            cidr: cidr.to_owned(),
            az_count,
            nat: NatMode::PerAz,
            tags: tags.clone(),
        }
    }
    /// Sets the NAT mode.
    pub fn nat(mut self, nat: NatMode) -> Self {
        self.nat = nat;
        self
    }
}

/// Subnets of one kind, one per AZ, in AZ order.
pub struct Subnets {
    /// The subnets.
    pub subnets: Vec<Handle<Subnet>>,
    /// Their CIDR blocks, as computed.
    pub cidrs: Vec<Ipv4Net>,
}

impl Subnets {
    /// Their ids, for `Subnets`/`VPCZoneIdentifier` properties.
    pub fn ids(&self) -> Value<Vec<ids::ec2::SubnetId>> {
        self.subnets
            .iter()
            .map(|s| s.reference())
            .collect::<Vec<_>>()
            .into()
    }
    /// Their ids as plain strings (for properties typed as strings).
    pub fn id_strings(&self) -> Value<Vec<String>> {
        self.subnets
            .iter()
            .map(|s| -> Value<String> { s.reference().into() })
            .collect::<Vec<_>>()
            .into()
    }
}

/// The network: VPC, public and private subnets in every AZ, internet
/// gateway, NAT gateways, route tables, an S3 gateway endpoint and VPC flow
/// logs.
///
/// Defaults: DNS support and hostnames on; public subnets do not assign
/// public IPs (only load balancers and NAT gateways are public); private
/// subnets route to the internet through NAT; S3 traffic from private
/// subnets stays on the gateway endpoint; flow logs of all traffic go to the
/// log bucket under `flow-logs/`.
///
/// Subnets split the VPC CIDR into 16 equal blocks (a /16 gives /20s):
/// public subnets take blocks 0.., private subnets blocks 8.., so each tier
/// can grow to 8 AZs without renumbering.
pub struct Network {
    /// The VPC.
    pub vpc: Handle<Vpc>,
    /// The VPC CIDR.
    pub cidr: Ipv4Net,
    /// Public subnets (load balancers, NAT gateways).
    pub public: Subnets,
    /// Private subnets (instances).
    pub private: Subnets,
    /// The private route tables (one per AZ).
    pub private_route_tables: Vec<Handle<RouteTable>>,
}

/// The AZ of index `i`: `Fn::Select [i, Fn::GetAZs ""]`.
pub fn availability_zone(i: usize) -> Value<String> {
    fns::select(i as i64, fns::get_azs(""))
}

fn invalid(field: &str, value: &str, reason: &str) -> Error {
    Error::at(
        field,
        ErrorKind::InvalidValue {
            value: format!("{value:?}"),
            hint: cfn_core::error::Hint::None,
            reason: reason.to_owned(),
        },
    )
}

/// Splits `cidr` into the public and private subnet blocks for `az_count`
/// AZs, checking the inputs.
pub fn plan_subnets(cidr: &str, az_count: usize) -> Result<(Ipv4Net, Vec<Ipv4Net>, Vec<Ipv4Net>)> {
    let net: Ipv4Net = cidr.parse().map_err(|_| {
        invalid(
            "cidr",
            cidr,
            "not an IPv4 CIDR block; write it like 10.0.0.0/16",
        )
    })?;
    if net != net.trunc() {
        return Err(invalid(
            "cidr",
            cidr,
            &format!("host bits are set; the network address is {}", net.trunc()),
        ));
    }
    if !(16..=24).contains(&net.prefix_len()) {
        return Err(invalid("cidr", cidr, "a VPC must be a /16 to /24 (CloudFormation accepts /16 to /28; subnets here need 4 more bits)"));
    }
    if !(2..=6).contains(&az_count) {
        return Err(invalid(
            "az_count",
            &az_count.to_string(),
            "span 2 to 6 Availability Zones (at least 2 for high availability)",
        ));
    }
    let blocks: Vec<Ipv4Net> = net
        .subnets(net.prefix_len() + 4)
        .map_err(|_| invalid("cidr", cidr, "cannot split into 16 subnets"))?
        .collect();
    let public = blocks[..az_count].to_vec();
    let private = blocks[8..8 + az_count].to_vec();
    Ok((net, public, private))
}

/// Declares subnet `i` of a kind (`Public`, `Private`) in AZ `i`, with its
/// route table association.
#[allow(clippy::too_many_arguments)]
fn add_subnet(
    t: &mut Template,
    id: &str,
    kind: &str,
    i: usize,
    cidr: &Ipv4Net,
    vpc: &Handle<Vpc>,
    route_table: &Handle<RouteTable>,
    tags: &Tags,
) -> Result<Handle<Subnet>> {
    let n = i + 1;
    let s = t.add(
        &format!("{id}{kind}Subnet{n}"),
        Subnet::new(vpc.reference())
            .cidr_block(cidr.to_string())
            .availability_zone(availability_zone(i))
            .map_public_ip_on_launch(false)
            .tags(tags.list(&format!("{}-{n}", kind.to_lowercase()), "network")),
    )?;
    t.add(
        &format!("{id}{kind}Subnet{n}RouteTableAssociation"),
        SubnetRouteTableAssociation::new(route_table.reference(), s.reference()),
    )?;
    Ok(s)
}

impl Network {
    /// Declares the network; resource ids start with `id` (`{id}Vpc`,
    /// `{id}PublicSubnet1`, ...).
    pub fn new(
        t: &mut Template,
        id: &str,
        props: &NetworkProps,
        flow_logs: &LogBucket,
    ) -> Result<Self> {
        let (net, public_cidrs, private_cidrs) = plan_subnets(&props.cidr, props.az_count)?;
        let tags = &props.tags;
        let vpc = t.add(
            &format!("{id}Vpc"),
            Vpc::new()
                .cidr_block(net.to_string())
                .enable_dns_support(true)
                .enable_dns_hostnames(true)
                .tags(tags.list("vpc", "network")),
        )?;
        let igw = t.add(
            &format!("{id}InternetGateway"),
            InternetGateway::new().tags(tags.list("igw", "network")),
        )?;
        let attachment = t.add(
            &format!("{id}InternetGatewayAttachment"),
            VpcGatewayAttachment::new(vpc.reference()).internet_gateway_id(igw.reference()),
        )?;
        let public_rt = t.add(
            &format!("{id}PublicRouteTable"),
            RouteTable::new(vpc.reference()).tags(tags.list("public", "network")),
        )?;
        t.add(
            &format!("{id}PublicDefaultRoute"),
            Declared::new(
                Route::new(public_rt.reference())
                    .destination_cidr_block("0.0.0.0/0")
                    .gateway_id(igw.reference()),
            )
            .depends_on(&attachment),
        )?;

        let mut public = Subnets {
            subnets: Vec::new(),
            cidrs: public_cidrs.clone(),
        };
        for (i, cidr) in public_cidrs.iter().enumerate() {
            let s = add_subnet(t, id, "Public", i, cidr, &vpc, &public_rt, tags)?;
            public.subnets.push(s);
        }

        let nat_count = match props.nat {
            NatMode::PerAz => props.az_count,
            NatMode::Single => 1,
        };
        let mut nats = Vec::new();
        for i in 0..nat_count {
            let n = i + 1;
            let eip = t.add(
                &format!("{id}NatEip{n}"),
                Declared::new(
                    Eip::new()
                        .domain("vpc")
                        .tags(tags.list(&format!("nat-{n}"), "network")),
                )
                .depends_on(&attachment),
            )?;
            let nat = t.add(
                &format!("{id}NatGateway{n}"),
                NatGateway::new()
                    .allocation_id(eip.allocation_id())
                    .subnet_id(public.subnets[i].reference())
                    .tags(tags.list(&format!("nat-{n}"), "network")),
            )?;
            nats.push(nat);
        }

        let mut private = Subnets {
            subnets: Vec::new(),
            cidrs: private_cidrs.clone(),
        };
        let mut private_route_tables = Vec::new();
        for (i, cidr) in private_cidrs.iter().enumerate() {
            let n = i + 1;
            let rt = t.add(
                &format!("{id}PrivateRouteTable{n}"),
                RouteTable::new(vpc.reference())
                    .tags(tags.list(&format!("private-{n}"), "network")),
            )?;
            t.add(
                &format!("{id}PrivateDefaultRoute{n}"),
                Route::new(rt.reference())
                    .destination_cidr_block("0.0.0.0/0")
                    .nat_gateway_id(nats[i.min(nats.len() - 1)].reference()),
            )?;
            let s = add_subnet(t, id, "Private", i, cidr, &vpc, &rt, tags)?;
            private.subnets.push(s);
            private_route_tables.push(rt);
        }

        t.add(
            &format!("{id}S3Endpoint"),
            VpcEndpoint::new(vpc.reference())
                .service_name(fns::sub("com.amazonaws.${AWS::Region}.s3"))
                .vpc_endpoint_type(ec2::vpc_endpoint::VpcEndpointType::Gateway)
                .route_table_ids(
                    private_route_tables
                        .iter()
                        .map(|r| r.reference())
                        .collect::<Vec<_>>(),
                ),
        )?;
        t.add(
            &format!("{id}FlowLog"),
            FlowLog::new(vpc.reference(), flow_log::ResourceType::Vpc)
                .traffic_type(flow_log::TrafficType::All)
                .log_destination_type(flow_log::LogDestinationType::S3)
                .log_destination(fns::sub(format!(
                    "${{{}.Arn}}/flow-logs/",
                    flow_logs.bucket.id()
                )))
                .tags(tags.list("flow-log", "network")),
        )?;

        Ok(Network {
            vpc,
            cidr: net,
            public,
            private,
            private_route_tables,
        })
    }

    /// The VPC's id.
    pub fn vpc_id(&self) -> Value<ids::ec2::VpcId> {
        self.vpc.reference()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subnets_are_inside_and_disjoint() {
        for (cidr, azs) in [
            ("10.0.0.0/16", 2),
            ("10.30.0.0/16", 3),
            ("192.168.0.0/20", 6),
            ("172.16.0.0/24", 4),
        ] {
            let (net, public, private) = plan_subnets(cidr, azs).unwrap();
            let all: Vec<Ipv4Net> = public.iter().chain(&private).copied().collect();
            assert_eq!(all.len(), 2 * azs);
            for (i, a) in all.iter().enumerate() {
                assert!(net.contains(a), "{a} outside {net}");
                for b in &all[i + 1..] {
                    assert!(!a.contains(b) && !b.contains(a), "{a} overlaps {b}");
                }
            }
        }
    }

    #[test]
    fn bad_inputs_name_the_field_and_the_fix() {
        let cases = [
            ("10.0.0.0", 2),
            ("10.0.0.1/16", 2),
            ("10.0.0.0/8", 2),
            ("10.0.0.0/26", 2),
            ("10.0.0.0/16", 1),
            ("10.0.0.0/16", 7),
            ("banana", 2),
        ];
        let msgs: Vec<String> = cases
            .iter()
            .map(|(c, n)| {
                plan_subnets(c, *n)
                    .err()
                    .map(|e| e.to_string())
                    .unwrap_or_default()
            })
            .collect();
        assert!(
            msgs[0].starts_with("cidr: invalid value \"10.0.0.0\": not an IPv4 CIDR block"),
            "{}",
            msgs[0]
        );
        assert!(
            msgs[1].contains("the network address is 10.0.0.0/16"),
            "{}",
            msgs[1]
        );
        assert!(msgs[2].contains("/16 to /24"), "{}", msgs[2]);
        assert!(msgs[3].contains("/16 to /24"), "{}", msgs[3]);
        assert!(msgs[4].starts_with("az_count:"), "{}", msgs[4]);
        assert!(msgs[5].contains("2 to 6"), "{}", msgs[5]);
        assert!(msgs[6].contains("not an IPv4 CIDR"), "{}", msgs[6]);
    }
}

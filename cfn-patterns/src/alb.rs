//! Load balancers with TLS: an Application Load Balancer (internet-facing
//! or internal) and, because the original design said "ELB", a classic load
//! balancer with an SSL listener.

use crate::network::Network;
use crate::storage::LogBucket;
use crate::tags::Tags;
use cfn_core::{Handle, Result, Template, Value};
use cfn_resources::ec2::{security_group, SecurityGroup};
use cfn_resources::elasticloadbalancing as elb;
use cfn_resources::elasticloadbalancingv2::{
    listener, load_balancer, target_group, Listener, LoadBalancer, TargetGroup,
};
use cfn_resources::ids;

/// The TLS policy every HTTPS listener gets: TLS 1.3 and 1.2 only, forward
/// secrecy.
pub const TLS_POLICY: &str = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/// Who reaches the load balancer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exposure {
    /// From the internet, in the public subnets; ports 80 (redirect only) and 443.
    Internet,
    /// From inside the VPC only, in the private subnets; port 443.
    Internal,
}

/// Options of [`HttpsLoadBalancer`].
#[derive(Debug, Clone, PartialEq)]
pub struct LoadBalancerProps {
    /// Internet-facing or internal.
    pub exposure: Exposure,
    /// The ACM certificate for the HTTPS listener.
    pub certificate_arn: Value<ids::certificatemanager::CertificateArn>,
    /// The port the targets listen on (HTTP, inside the VPC).
    pub target_port: i64,
    /// The health-check path on the targets.
    pub health_check_path: String,
    /// The tier name, for tags (`web`, `backend`).
    pub tier: String,
    /// Tags.
    pub tags: Tags,
}

impl LoadBalancerProps {
    /// A load balancer for `tier` forwarding to `target_port`, health
    /// checked on `/health`.
    pub fn new(
        tier: &str,
        exposure: Exposure,
        certificate_arn: Value<ids::certificatemanager::CertificateArn>,
        target_port: i64,
        tags: &Tags,
    ) -> Self {
        LoadBalancerProps {
            exposure,
            certificate_arn,
            target_port,
            health_check_path: "/health".into(),
            tier: tier.to_owned(),
            tags: tags.clone(),
        }
    }
}

/// An Application Load Balancer with an HTTPS listener in front of a
/// target group.
///
/// Defaults: HTTPS on 443 with [`TLS_POLICY`]; internet-facing ones also
/// listen on 80 only to redirect to HTTPS (301); access logs to the log
/// bucket under `elb/`; invalid header fields dropped; the security group
/// admits 443 (and 80 when internet-facing) from the world, or 443 from the
/// VPC when internal, and lets traffic out only to the VPC on the target
/// port; targets are health-checked over HTTP on the target port, with
/// 30 s deregistration delay.
pub struct HttpsLoadBalancer {
    /// The load balancer.
    pub load_balancer: Handle<LoadBalancer>,
    /// Its security group (targets admit traffic from it).
    pub security_group: Handle<SecurityGroup>,
    /// The target group the Auto Scaling group registers in.
    pub target_group: Handle<TargetGroup>,
    /// The HTTPS listener.
    pub https_listener: Handle<Listener>,
}

impl HttpsLoadBalancer {
    /// Declares `{id}`, `{id}SecurityGroup`, `{id}TargetGroup`,
    /// `{id}HttpsListener` (and `{id}HttpRedirectListener`).
    pub fn new(
        t: &mut Template,
        id: &str,
        network: &Network,
        logs: &LogBucket,
        props: &LoadBalancerProps,
    ) -> Result<Self> {
        let tier = props.tier.as_str();
        let tags = &props.tags;
        let vpc_cidr = network.cidr.to_string();
        let mut ingress = vec![];
        match props.exposure {
            Exposure::Internet => {
                for (port, what) in [(443, "HTTPS"), (80, "HTTP, redirected to HTTPS")] {
                    ingress.push(
                        security_group::Ingress::new("tcp")
                            .from_port(port)
                            .to_port(port)
                            .cidr_ip("0.0.0.0/0")
                            .description(format!("{what} from the internet")),
                    );
                    ingress.push(
                        security_group::Ingress::new("tcp")
                            .from_port(port)
                            .to_port(port)
                            .cidr_ipv6("::/0")
                            .description(format!("{what} from the internet (IPv6)")),
                    );
                }
            }
            Exposure::Internal => ingress.push(
                security_group::Ingress::new("tcp")
                    .from_port(443)
                    .to_port(443)
                    .cidr_ip(vpc_cidr.clone())
                    .description("HTTPS from inside the VPC"),
            ),
        }
        let sg = t.add(
            &format!("{id}SecurityGroup"),
            SecurityGroup::new(format!("{} {tier} load balancer", tags.prefix))
                .vpc_id(network.vpc_id())
                .security_group_ingress(ingress)
                .security_group_egress(vec![security_group::Egress::new("tcp")
                    .from_port(props.target_port)
                    .to_port(props.target_port)
                    .cidr_ip(vpc_cidr)
                    .description("to the targets")])
                .tags(tags.list(&format!("{tier}-lb"), tier)),
        )?;
        let attr = |k: &str, v: &str| load_balancer::LoadBalancerAttribute::new().key(k).value(v);
        let (scheme, subnets) = match props.exposure {
            Exposure::Internet => (load_balancer::Scheme::InternetFacing, network.public.ids()),
            Exposure::Internal => (load_balancer::Scheme::Internal, network.private.ids()),
        };
        let lb = t.add(
            id,
            cfn_core::Declared::new(
                LoadBalancer::new()
                    .r#type(load_balancer::Type::Application)
                    .scheme(scheme)
                    .subnets(subnets)
                    .security_groups(vec![sg.reference()])
                    .load_balancer_attributes(vec![
                        attr("access_logs.s3.enabled", "true"),
                        load_balancer::LoadBalancerAttribute::new()
                            .key("access_logs.s3.bucket")
                            .value(logs.name()),
                        attr("access_logs.s3.prefix", &format!("elb/{tier}")),
                        attr("routing.http.drop_invalid_header_fields.enabled", "true"),
                        attr("idle_timeout.timeout_seconds", "60"),
                    ])
                    .tags(tags.list(&format!("{tier}-lb"), tier)),
            )
            // the load balancer checks at creation that it may write its logs
            .depends_on(&logs.policy),
        )?;
        let tg = t.add(
            &format!("{id}TargetGroup"),
            TargetGroup::new()
                .vpc_id(network.vpc_id())
                .protocol(target_group::Protocol::Http)
                .port(props.target_port)
                .target_type(target_group::TargetType::Instance)
                .health_check_enabled(true)
                .health_check_path(props.health_check_path.as_str())
                .health_check_protocol(target_group::HealthCheckProtocol::Http)
                .health_check_interval_seconds(15)
                .healthy_threshold_count(2)
                .unhealthy_threshold_count(3)
                .matcher(target_group::Matcher::new().http_code("200"))
                .target_group_attributes(vec![target_group::TargetGroupAttribute::new()
                    .key("deregistration_delay.timeout_seconds")
                    .value("30")])
                .tags(tags.list(&format!("{tier}-targets"), tier)),
        )?;
        let https = t.add(
            &format!("{id}HttpsListener"),
            Listener::new(
                vec![
                    listener::Action::new(listener::Type::Forward).target_group_arn(tg.reference())
                ],
                lb.reference(),
            )
            .port(443)
            .protocol(listener::Protocol::Https)
            .ssl_policy(TLS_POLICY)
            .certificates(vec![
                listener::Certificate::new().certificate_arn(props.certificate_arn.clone())
            ]),
        )?;
        if props.exposure == Exposure::Internet {
            t.add(
                &format!("{id}HttpRedirectListener"),
                Listener::new(
                    vec![
                        listener::Action::new(listener::Type::Redirect).redirect_config(
                            listener::RedirectConfig::new(listener::StatusCode::Http301)
                                .protocol("HTTPS")
                                .port("443"),
                        ),
                    ],
                    lb.reference(),
                )
                .port(80)
                .protocol(listener::Protocol::Http),
            )?;
        }
        Ok(HttpsLoadBalancer {
            load_balancer: lb,
            security_group: sg,
            target_group: tg,
            https_listener: https,
        })
    }
}

/// A classic load balancer with an SSL listener (443 to the instances' HTTP
/// port): the "ELB" of the original design, kept for stacks that still need
/// it. Defaults: only the SSL listener (no plain HTTP), the predefined
/// `ELBSecurityPolicy-TLS-1-2-2017-01` TLS 1.2 policy, cross-zone balancing,
/// 30 s connection draining, access logs every 5 minutes to the log bucket
/// under `elb/{tier}`, HTTP health checks on the instance port.
pub fn classic_ssl_load_balancer(
    t: &mut Template,
    id: &str,
    network: &Network,
    logs: &LogBucket,
    props: &LoadBalancerProps,
) -> Result<Handle<elb::LoadBalancer>> {
    let tier = props.tier.as_str();
    let sg = t.add(
        &format!("{id}SecurityGroup"),
        SecurityGroup::new(format!(
            "{} {tier} classic load balancer",
            props.tags.prefix
        ))
        .vpc_id(network.vpc_id())
        .security_group_ingress(vec![security_group::Ingress::new("tcp")
            .from_port(443)
            .to_port(443)
            .cidr_ip(network.cidr.to_string())
            .description("SSL from inside the VPC")])
        .security_group_egress(vec![security_group::Egress::new("tcp")
            .from_port(props.target_port)
            .to_port(props.target_port)
            .cidr_ip(network.cidr.to_string())
            .description("to the instances")]),
    )?;
    let cert: Value<String> = props.certificate_arn.clone().into();
    t.add(
        id,
        elb::LoadBalancer::new(vec![elb::load_balancer::Listeners::new(
            props.target_port.to_string(),
            "443",
            "HTTPS",
        )
        .instance_protocol("HTTP")
        .ssl_certificate_id(cert)
        .policy_names(vec!["TLS12Only"])])
        .scheme(match props.exposure {
            Exposure::Internet => "internet-facing",
            Exposure::Internal => "internal",
        })
        .subnets(match props.exposure {
            Exposure::Internet => network.public.ids(),
            Exposure::Internal => network.private.ids(),
        })
        .security_groups(vec![sg.reference()])
        .policies(vec![elb::load_balancer::Policies::new(
            vec![elb::load_balancer::PolicyItem::new()
                .name("Reference-Security-Policy")
                .value("ELBSecurityPolicy-TLS-1-2-2017-01")],
            "TLS12Only",
            "SSLNegotiationPolicyType",
        )])
        .cross_zone(true)
        .connection_draining_policy(
            elb::load_balancer::ConnectionDrainingPolicy::new(true).timeout(30),
        )
        .health_check(elb::load_balancer::HealthCheck::new(
            "2",
            "15",
            format!("HTTP:{}{}", props.target_port, props.health_check_path),
            "5",
            "3",
        ))
        .access_logging_policy(
            elb::load_balancer::AccessLoggingPolicy::new(true, logs.bucket.reference())
                .emit_interval(5)
                .s3_bucket_prefix(format!("elb/{tier}")),
        ),
    )
}

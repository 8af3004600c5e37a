//! A different three-tier stack from the same patterns, in under fifty
//! lines: `cargo run --example three_tier` prints its template.
use cfn_core::{AwsParameterType, Format, Parameter, Result, Template, Value};
use cfn_patterns::alb::{Exposure, HttpsLoadBalancer, LoadBalancerProps};
use cfn_patterns::compute::{AutoScalingTier, TierProps};
use cfn_patterns::kms::{EncryptionKey, KeyProps, KeyUser};
use cfn_patterns::network::{NatMode, Network, NetworkProps};
use cfn_patterns::storage::LogBucket;
use cfn_patterns::Tags;

pub fn build() -> Result<Template> {
    let mut t = Template::new();
    let tags = Tags::new("shop", "test");
    let cert = t.add_parameter("CertificateArn", Parameter::string())?;
    let ami = t.add_parameter("AmiId", Parameter::aws(AwsParameterType::ImageId))?;
    let key_props = KeyProps::new("shop-data", &tags).user(KeyUser::AutoScaling);
    let key = EncryptionKey::new(&mut t, "Key", key_props)?;
    let logs = LogBucket::new(&mut t, "Logs", 90, &tags)?;
    let net_props = NetworkProps::new("10.1.0.0/16", 2, &tags).nat(NatMode::Single);
    let net = Network::new(&mut t, "", &net_props, &logs)?;
    for (id, name, exposure, port) in [
        ("Front", "front", Exposure::Internet, 8080),
        ("Api", "api", Exposure::Internal, 9000),
        ("Worker", "worker", Exposure::Internal, 9100),
    ] {
        let cert = Value::from_string(cert.reference());
        let lb_props = LoadBalancerProps::new(name, exposure, cert, port, &tags);
        let lb = HttpsLoadBalancer::new(&mut t, &format!("{id}Lb"), &net, &logs, &lb_props)?;
        let image = Value::from_string(ami.reference());
        let props = TierProps::new(name, "t3.small", image, &tags).app_port(port);
        AutoScalingTier::new(&mut t, id, &net, &lb, &key, &props)?;
    }
    Ok(t)
}

#[allow(dead_code)]
fn main() -> Result<()> {
    print!("{}", build()?.synth(Format::Json)?);
    Ok(())
}

//! The Content Raven reference stack, first cut: the network (with flow
//! logs), the data key, the encrypted assets bucket with access logs, the log
//! bucket and the alert topic, for dev, staging and prod from one definition.
//!
//! This is the foundation's "smaller real stack": it is written against
//! `cfn-core` with [`Raw`] resources. The full reference stack (load
//! balancers, Auto Scaling tiers, CodeDeploy, typed resources and patterns)
//! replaces it when `cfn-resources` and the patterns land.
//!
//! ```
//! use raven_stack::{Environment, template};
//! let t = template(&Environment::dev()).unwrap();
//! assert!(t.validate().is_ok());
//! ```

use cfn_core::{fns, pseudo, Declared, Output, Raw, Result, Template, Value};
use serde_json::json;

/// The settings that differ between environments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    /// `dev`, `staging` or `prod`: used in names and tags.
    pub name: String,
    /// The VPC's CIDR block.
    pub vpc_cidr: String,
    /// How many Availability Zones the network spans (2 to 6).
    pub az_count: usize,
}

impl Environment {
    /// Development: two AZs.
    pub fn dev() -> Self {
        Environment {
            name: "dev".into(),
            vpc_cidr: "10.10.0.0/16".into(),
            az_count: 2,
        }
    }
    /// Staging: two AZs, its own address space.
    pub fn staging() -> Self {
        Environment {
            name: "staging".into(),
            vpc_cidr: "10.20.0.0/16".into(),
            az_count: 2,
        }
    }
    /// Production: three AZs.
    pub fn prod() -> Self {
        Environment {
            name: "prod".into(),
            vpc_cidr: "10.30.0.0/16".into(),
            az_count: 3,
        }
    }
    /// All three, in deployment order.
    pub fn all() -> Vec<Environment> {
        vec![Self::dev(), Self::staging(), Self::prod()]
    }
    /// The stack name (`raven-dev`).
    pub fn stack_name(&self) -> String {
        format!("raven-{}", self.name)
    }
}

fn tags(env: &Environment, name: &str) -> Value<cfn_core::Json> {
    json!([
        {"Key": "Name", "Value": format!("raven-{}-{name}", env.name)},
        {"Key": "Environment", "Value": env.name},
    ])
    .into()
}

/// Builds the environment's template.
pub fn template(env: &Environment) -> Result<Template> {
    let mut t = Template::new();
    t.set_description(format!(
        "Content Raven {}: network over {} Availability Zones, KMS data key, encrypted assets bucket, alert topic",
        env.name, env.az_count
    ));

    let vpc = t.add(
        "Vpc",
        Raw::new("AWS::EC2::VPC")
            .property("CidrBlock", env.vpc_cidr.as_str())
            .property("EnableDnsSupport", json!(true))
            .property("EnableDnsHostnames", json!(true))
            .property("Tags", tags(env, "vpc")),
    )?;
    let igw = t.add(
        "InternetGateway",
        Raw::new("AWS::EC2::InternetGateway").property("Tags", tags(env, "igw")),
    )?;
    let attachment = t.add(
        "InternetGatewayAttachment",
        Raw::new("AWS::EC2::VPCGatewayAttachment")
            .property("VpcId", vpc.reference().into_json())
            .property("InternetGatewayId", igw.reference().into_json()),
    )?;
    let public_routes = t.add(
        "PublicRouteTable",
        Raw::new("AWS::EC2::RouteTable")
            .property("VpcId", vpc.reference().into_json())
            .property("Tags", tags(env, "public")),
    )?;
    t.add(
        "PublicDefaultRoute",
        Declared::new(
            Raw::new("AWS::EC2::Route")
                .property("RouteTableId", public_routes.reference().into_json())
                .property("DestinationCidrBlock", "0.0.0.0/0")
                .property("GatewayId", igw.reference().into_json()),
        )
        .depends_on(&attachment),
    )?;
    let cidrs = fns::cidr(
        vpc.get_att_unchecked::<String>("CidrBlock"),
        (env.az_count * 2) as i64,
        12,
    );
    for az in 0..env.az_count {
        let subnet = t.add(
            &format!("PublicSubnet{}", az + 1),
            Raw::new("AWS::EC2::Subnet")
                .property("VpcId", vpc.reference().into_json())
                .property(
                    "CidrBlock",
                    fns::select(az as i64, cidrs.clone()).into_json(),
                )
                .property(
                    "AvailabilityZone",
                    fns::select(az as i64, fns::get_azs("")).into_json(),
                )
                .property("MapPublicIpOnLaunch", json!(false))
                .property("Tags", tags(env, &format!("public-{}", az + 1))),
        )?;
        t.add(
            &format!("PublicSubnet{}RouteTableAssociation", az + 1),
            Raw::new("AWS::EC2::SubnetRouteTableAssociation")
                .property("SubnetId", subnet.reference().into_json())
                .property("RouteTableId", public_routes.reference().into_json()),
        )?;
    }

    let logs = t.add(
        "LogsBucket",
        Declared::new(
            Raw::new("AWS::S3::Bucket")
                .property(
                    "BucketEncryption",
                    json!({"ServerSideEncryptionConfiguration": [{
                        "ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}
                    }]}),
                )
                .property("VersioningConfiguration", json!({"Status": "Enabled"}))
                .property(
                    "PublicAccessBlockConfiguration",
                    json!({
                        "BlockPublicAcls": true,
                        "BlockPublicPolicy": true,
                        "IgnorePublicAcls": true,
                        "RestrictPublicBuckets": true
                    }),
                )
                .property(
                    "OwnershipControls",
                    json!({"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}),
                )
                .property(
                    "LifecycleConfiguration",
                    json!({"Rules": [{"Id": "ExpireLogs", "Status": "Enabled", "ExpirationInDays": 365}]}),
                )
                .property("Tags", tags(env, "logs")),
        )
        .retain()
        .metadata(json!({"cfnkit": {"suppress": [
            {"id": "S3001", "reason": "S3 server access log delivery writes only to SSE-S3 buckets"},
            {"id": "S3005", "reason": "this is the log bucket; logging it into itself would loop"}
        ]}})),
    )?;
    t.add(
        "LogsBucketPolicy",
        Raw::new("AWS::S3::BucketPolicy")
            .property("Bucket", logs.reference().into_json())
            .property(
                "PolicyDocument",
                json!({
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "DenyInsecureTransport",
                            "Effect": "Deny",
                            "Principal": "*",
                            "Action": "s3:*",
                            "Resource": [
                                {"Fn::GetAtt": ["LogsBucket", "Arn"]},
                                {"Fn::Sub": "${LogsBucket.Arn}/*"}
                            ],
                            "Condition": {"Bool": {"aws:SecureTransport": "false"}}
                        },
                        {
                            "Sid": "AllowServerAccessLogs",
                            "Effect": "Allow",
                            "Principal": {"Service": "logging.s3.amazonaws.com"},
                            "Action": "s3:PutObject",
                            "Resource": {"Fn::Sub": "${LogsBucket.Arn}/s3-access/*"},
                            "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}
                        },
                        {
                            "Sid": "AllowFlowLogDelivery",
                            "Effect": "Allow",
                            "Principal": {"Service": "delivery.logs.amazonaws.com"},
                            "Action": "s3:PutObject",
                            "Resource": {"Fn::Sub": "${LogsBucket.Arn}/flow-logs/*"},
                            "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}
                        },
                        {
                            "Sid": "AllowFlowLogAclCheck",
                            "Effect": "Allow",
                            "Principal": {"Service": "delivery.logs.amazonaws.com"},
                            "Action": "s3:GetBucketAcl",
                            "Resource": {"Fn::GetAtt": ["LogsBucket", "Arn"]},
                            "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}
                        }
                    ]
                }),
            ),
    )?;
    t.add(
        "VpcFlowLog",
        Raw::new("AWS::EC2::FlowLog")
            .property("ResourceId", vpc.reference().into_json())
            .property("ResourceType", "VPC")
            .property("TrafficType", "ALL")
            .property("LogDestinationType", "s3")
            .property(
                "LogDestination",
                fns::sub("${LogsBucket.Arn}/flow-logs/").into_json(),
            )
            .property("Tags", tags(env, "flow-log")),
    )?;

    let key = t.add(
        "DataKey",
        Declared::new(
            Raw::new("AWS::KMS::Key")
                .property("Description", format!("raven-{} data key", env.name).as_str())
                .property("EnableKeyRotation", json!(true))
                .property(
                    "KeyPolicy",
                    json!({
                        "Version": "2012-10-17",
                        "Statement": [{
                            "Sid": "AccountAdministers",
                            "Effect": "Allow",
                            "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}},
                            "Action": "kms:*",
                            "Resource": "*"
                        }]
                    }),
                ),
        )
        .retain(),
    )?;
    t.add(
        "DataKeyAlias",
        Raw::new("AWS::KMS::Alias")
            .property(
                "AliasName",
                format!("alias/raven-{}-data", env.name).as_str(),
            )
            .property("TargetKeyId", key.reference().into_json()),
    )?;
    let bucket = t.add(
        "AssetsBucket",
        Declared::new(
            Raw::new("AWS::S3::Bucket")
                .property(
                    "BucketEncryption",
                    json!({"ServerSideEncryptionConfiguration": [{
                        "ServerSideEncryptionByDefault": {
                            "SSEAlgorithm": "aws:kms",
                            "KMSMasterKeyID": {"Fn::GetAtt": ["DataKey", "Arn"]}
                        },
                        "BucketKeyEnabled": true
                    }]}),
                )
                .property("VersioningConfiguration", json!({"Status": "Enabled"}))
                .property(
                    "PublicAccessBlockConfiguration",
                    json!({
                        "BlockPublicAcls": true,
                        "BlockPublicPolicy": true,
                        "IgnorePublicAcls": true,
                        "RestrictPublicBuckets": true
                    }),
                )
                .property(
                    "LoggingConfiguration",
                    json!({"DestinationBucketName": {"Ref": "LogsBucket"}, "LogFilePrefix": "s3-access/assets/"}),
                )
                .property("Tags", tags(env, "assets")),
        )
        .retain(),
    )?;
    t.add(
        "AssetsBucketPolicy",
        Raw::new("AWS::S3::BucketPolicy")
            .property("Bucket", bucket.reference().into_json())
            .property(
                "PolicyDocument",
                json!({
                    "Version": "2012-10-17",
                    "Statement": [{
                        "Sid": "DenyInsecureTransport",
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": "s3:*",
                        "Resource": [
                            {"Fn::GetAtt": ["AssetsBucket", "Arn"]},
                            {"Fn::Sub": "${AssetsBucket.Arn}/*"}
                        ],
                        "Condition": {"Bool": {"aws:SecureTransport": "false"}}
                    }]
                }),
            ),
    )?;
    let topic = t.add(
        "AlertsTopic",
        Raw::new("AWS::SNS::Topic")
            .property("KmsMasterKeyId", key.reference().into_json())
            .property("Tags", tags(env, "alerts")),
    )?;

    let export = |name: &str| fns::sub(format!("${{AWS::StackName}}-{name}"));
    t.add_output(
        "VpcId",
        Output::new(vpc.reference())
            .description("the VPC")
            .export(export("VpcId")),
    )?;
    t.add_output(
        "AssetsBucketName",
        Output::new(bucket.reference())
            .description("the encrypted assets bucket")
            .export(export("AssetsBucketName")),
    )?;
    t.add_output(
        "AlertsTopicArn",
        Output::new(topic.reference())
            .description("where alarms are sent")
            .export(export("AlertsTopicArn")),
    )?;
    t.add_output(
        "Region",
        Output::new(pseudo::region()).description("the region the stack runs in"),
    )?;
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_environment_validates_without_warnings() {
        for env in Environment::all() {
            let report = template(&env).unwrap().validate();
            assert!(report.diagnostics.is_empty(), "{}: {report}", env.name);
        }
    }

    #[test]
    fn every_environment_passes_the_security_rules() {
        for env in Environment::all() {
            let report = cfn_tools::lint::Linter::new().run(&template(&env).unwrap());
            assert!(report.is_clean(), "{}: {report}", env.name);
            assert_eq!(report.suppressed.len(), 2, "{report}");
        }
    }

    #[test]
    fn subnets_follow_az_count() {
        let t = template(&Environment::prod()).unwrap();
        let subnets = t
            .resources
            .values()
            .filter(|r| r.type_name == "AWS::EC2::Subnet")
            .count();
        assert_eq!(subnets, 3);
    }
}

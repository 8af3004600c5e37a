//! Quirks of the input, fixed here rather than in the output.

/// The services of the Content Raven stack: the default Cargo features.
pub const DEFAULT_SERVICES: &[&str] = &[
    "ec2",
    "elasticloadbalancing",
    "elasticloadbalancingv2",
    "autoscaling",
    "kms",
    "iam",
    "s3",
    "sns",
    "cloudwatch",
    "logs",
    "codedeploy",
    "certificatemanager",
];

/// Formats that name a type by another name than its registry type name.
pub const TYPE_ALIASES: &[(&str, &str)] = &[(
    "AWS::ACM::Certificate",
    "AWS::CertificateManager::Certificate",
)];

/// `AWS::<Svc>::<Type>.<Attr>` formats that do not name a resource type's
/// identifier: their properties stay plain strings.
pub const NOT_IDENTIFIERS: &[&str] = &["AWS::Route53::AliasTarget.HostedZoneId"];

/// Identifier formats missing from a type's own properties: `(type, property,
/// format)`. `Ref` of a security group returns its id, but its primary
/// identifier `Id` carries no format; nor does an instance's `InstanceId`.
pub const PROPERTY_FORMATS: &[(&str, &str, &str)] = &[
    (
        "AWS::EC2::SecurityGroup",
        "Id",
        "AWS::EC2::SecurityGroup.Id",
    ),
    ("AWS::EC2::Instance", "InstanceId", "AWS::EC2::Instance.Id"),
];

/// A format that is a regular expression (a data bug): ignored.
pub fn is_bogus_format(f: &str) -> bool {
    f.starts_with('(') || f.starts_with('^')
}
/// Types whose every property is a `Fn::GetAtt` attribute (cfn-lint
/// 1.58.0 `cfnlint/schema/_getatts.py`, `_all_property_types`).
pub const ALL_PROPERTIES_ARE_ATTRIBUTES: &[&str] = &[
    "AWS::Amplify::Branch",
    "AWS::Amplify::Domain",
    "AWS::AppSync::DomainName",
    "AWS::AppSync::FunctionConfiguration",
    "AWS::AppSync::Resolver",
    "AWS::AutoScaling::AutoScalingGroup",
    "AWS::Backup::BackupSelection",
    "AWS::Backup::BackupVault",
    "AWS::Backup::LogicallyAirGappedBackupVault",
    "AWS::CodeArtifact::Domain",
    "AWS::CodeArtifact::Repository",
    "AWS::EC2::CapacityReservation",
    "AWS::EC2::Instance",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::Subnet",
    "AWS::EC2::VPC",
    "AWS::EFS::MountTarget",
    "AWS::EKS::Nodegroup",
    "AWS::ElastiCache::ReplicationGroup",
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::EventSchemas::Discoverer",
    "AWS::EventSchemas::Registry",
    "AWS::EventSchemas::Schema",
    "AWS::Events::EventBus",
    "AWS::GameLift::GameSessionQueue",
    "AWS::GameLift::MatchmakingConfiguration",
    "AWS::GameLift::MatchmakingRuleSet",
    "AWS::Grafana::Workspace",
    "AWS::Greengrass::ConnectorDefinition",
    "AWS::Greengrass::CoreDefinition",
    "AWS::Greengrass::DeviceDefinition",
    "AWS::Greengrass::FunctionDefinition",
    "AWS::Greengrass::Group",
    "AWS::Greengrass::LoggerDefinition",
    "AWS::Greengrass::ResourceDefinition",
    "AWS::Greengrass::SubscriptionDefinition",
    "AWS::ImageBuilder::Component",
    "AWS::ImageBuilder::ContainerRecipe",
    "AWS::ImageBuilder::DistributionConfiguration",
    "AWS::ImageBuilder::ImagePipeline",
    "AWS::ImageBuilder::ImageRecipe",
    "AWS::ImageBuilder::InfrastructureConfiguration",
    "AWS::ManagedBlockchain::Node",
    "AWS::Neptune::DBCluster",
    "AWS::RDS::DBInstance",
    "AWS::RDS::DBParameterGroup",
    "AWS::RedshiftServerless::Workgroup",
    "AWS::RoboMaker::RobotApplication",
    "AWS::RoboMaker::SimulationApplication",
    "AWS::Route53Resolver::ResolverRule",
    "AWS::Route53Resolver::ResolverRuleAssociation",
    "AWS::S3::AccessPoint",
    "AWS::SNS::Topic",
    "AWS::SQS::Queue",
    "AWS::SSM::Parameter",
    "AWS::SageMaker::DataQualityJobDefinition",
    "AWS::SageMaker::ModelBiasJobDefinition",
    "AWS::SageMaker::ModelExplainabilityJobDefinition",
    "AWS::SageMaker::ModelQualityJobDefinition",
    "AWS::SageMaker::MonitoringSchedule",
    "AWS::StepFunctions::Activity",
];

/// Properties that are `Fn::GetAtt` attributes besides the read-only ones
/// (cfn-lint 1.58.0 `_getatts.py`, `_exceptions`).
pub const EXTRA_ATTRIBUTES: &[(&str, &[&str])] = &[
    (
        "AWS::AppMesh::GatewayRoute",
        &[
            "GatewayRouteName",
            "MeshName",
            "MeshOwner",
            "VirtualGatewayName",
        ],
    ),
    ("AWS::AppMesh::Mesh", &["MeshName"]),
    (
        "AWS::AppMesh::Route",
        &["MeshName", "MeshOwner", "RouteName", "VirtualRouterName"],
    ),
    (
        "AWS::AppMesh::VirtualGateway",
        &["MeshName", "MeshOwner", "VirtualGatewayName"],
    ),
    (
        "AWS::AppMesh::VirtualNode",
        &["MeshName", "MeshOwner", "VirtualNodeName"],
    ),
    (
        "AWS::AppMesh::VirtualRouter",
        &["MeshName", "MeshOwner", "VirtualRouterName"],
    ),
    (
        "AWS::AppMesh::VirtualService",
        &["MeshName", "MeshOwner", "VirtualServiceName"],
    ),
    ("AWS::AppSync::DataSource", &["Name"]),
    ("AWS::Cloud9::EnvironmentEC2", &["Name"]),
    ("AWS::CloudWatch::InsightRule", &["RuleName"]),
    ("AWS::DocDB::DBCluster", &["Port"]),
    ("AWS::Greengrass::ConnectorDefinition", &["Name"]),
    ("AWS::Greengrass::CoreDefinition", &["Name"]),
    ("AWS::Greengrass::DeviceDefinition", &["Name"]),
    ("AWS::Greengrass::FunctionDefinition", &["Name"]),
    ("AWS::Greengrass::Group", &["Name", "RoleArn"]),
    ("AWS::Greengrass::LoggerDefinition", &["Name"]),
    ("AWS::Greengrass::ResourceDefinition", &["Name"]),
    ("AWS::Greengrass::SubscriptionDefinition", &["Name"]),
    ("AWS::IoT1Click::Device", &["Enabled"]),
    (
        "AWS::IoT1Click::Placement",
        &["PlacementName", "ProjectName"],
    ),
    ("AWS::IoT1Click::Project", &["ProjectName"]),
    (
        "AWS::Kinesis::StreamConsumer",
        &["ConsumerName", "StreamARN"],
    ),
    ("AWS::ManagedBlockchain::Member", &["NetworkId"]),
    ("AWS::MediaConvert::JobTemplate", &["Name"]),
    ("AWS::MediaConvert::Preset", &["Name"]),
    ("AWS::MediaConvert::Queue", &["Name"]),
    ("AWS::MediaLive::Input", &["Destinations", "Sources"]),
    ("AWS::OpsWorks::Instance", &["AvailabilityZone"]),
    ("AWS::OpsWorks::UserProfile", &["SshUsername"]),
    (
        "AWS::Route53Resolver::ResolverEndpoint",
        &["Direction", "Name"],
    ),
    ("AWS::SageMaker::CodeRepository", &["CodeRepositoryName"]),
    ("AWS::SageMaker::Endpoint", &["EndpointName"]),
    ("AWS::SageMaker::EndpointConfig", &["EndpointConfigName"]),
    ("AWS::SageMaker::Model", &["ModelName"]),
    (
        "AWS::SageMaker::NotebookInstance",
        &["NotebookInstanceName"],
    ),
    (
        "AWS::SageMaker::NotebookInstanceLifecycleConfig",
        &["NotebookInstanceLifecycleConfigName"],
    ),
    ("AWS::SageMaker::Workteam", &["WorkteamName"]),
    ("AWS::ServiceDiscovery::Service", &["Name"]),
    ("AWS::Transfer::User", &["ServerId", "UserName"]),
];

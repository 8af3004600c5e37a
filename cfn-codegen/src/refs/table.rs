//! The reviewed inputs of reference typing: one example value per marker,
//! the overlay of fields the schemas leave as strings, and the name rules.
//! Each is checked when the generator runs (see the parent module).

/// `(marker key, what Ref / Fn::GetAtt of the target returns)`, sorted.
pub const EXAMPLES: &[(&str, &str)] = &[
    (
        "AWS::AmazonMQ::Broker.Arn",
        "arn:aws:mq:us-east-1:123456789012:broker:my-broker:b-1234a5b6-78cd-901e-2fgh-3i45j6k178l9",
    ),
    ("AWS::ApiGateway::RestApi.RestApiId", "a1b2c3d4e5"),
    (
        "AWS::ApiGatewayV2::Api.ApiId",
        "a1b2c3d4e5", // Ref of AWS::ApiGatewayV2::Api: the API id
    ),
    (
        "AWS::CertificateManager::Certificate.Arn",
        "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012",
    ),
    ("AWS::Cognito::UserPool.UserPoolId", "us-east-1_aB3dE5fG7"),
    ("AWS::Cognito::UserPoolClient.ClientId", "1example23456789abcdefghij"),
    ("AWS::Cognito::UserPoolClient.UserPoolId", "us-east-1_aB3dE5fG7"),
    (
        "AWS::DirectConnect::Connection.ConnectionArn",
        "arn:aws:directconnect:us-east-1:123456789012:dxcon/dxcon-fgab1234",
    ),
    ("AWS::DirectConnect::Connection.ConnectionId", "dxcon-fgab1234"),
    (
        "AWS::DirectConnect::DirectConnectGateway.DirectConnectGatewayArn",
        "arn:aws:directconnect::123456789012:dx-gateway/5f294f92-bafb-4011-916d-9b0bec3a0a14",
    ),
    (
        "AWS::DirectConnect::DirectConnectGateway.DirectConnectGatewayId",
        "5f294f92-bafb-4011-916d-9b0bec3a0a14",
    ),
    (
        "AWS::DirectConnect::Lag.LagArn",
        "arn:aws:directconnect:us-east-1:123456789012:dxlag/dxlag-ffrz71kw",
    ),
    ("AWS::DirectConnect::Lag.LagId", "dxlag-ffrz71kw"),
    (
        "AWS::DynamoDB::Table.StreamArn",
        "arn:aws:dynamodb:us-east-1:123456789012:table/my-table/stream/2026-01-01T00:00:00.000",
    ),
    ("AWS::EC2::EIP.AllocationId", "eipalloc-0123456789abcdef0"),
    ("AWS::EC2::EIP.PublicIp", "203.0.113.10"),
    ("AWS::EC2::Image.Id", "ami-0123456789abcdef0"),
    ("AWS::EC2::Instance.Id", "i-0123456789abcdef0"),
    ("AWS::EC2::InternetGateway.InternetGatewayId", "igw-0123456789abcdef0"),
    ("AWS::EC2::LaunchTemplate.LaunchTemplateId", "lt-0123456789abcdef0"),
    ("AWS::EC2::NatGateway.NatGatewayId", "nat-0123456789abcdef0"),
    ("AWS::EC2::NetworkInterface.Id", "eni-0123456789abcdef0"),
    ("AWS::EC2::PrefixList.PrefixListId", "pl-0123456789abcdef0"),
    ("AWS::EC2::RouteTable.RouteTableId", "rtb-0123456789abcdef0"),
    ("AWS::EC2::SecurityGroup.Id", "sg-0123456789abcdef0"),
    ("AWS::EC2::SecurityGroup.Name", "web-tier"),
    ("AWS::EC2::Subnet.Id", "subnet-0123456789abcdef0"),
    ("AWS::EC2::TransitGateway.Id", "tgw-0123456789abcdef0"),
    (
        "AWS::EC2::TransitGateway.TransitGatewayArn",
        "arn:aws:ec2:us-east-1:123456789012:transit-gateway/tgw-0123456789abcdef0",
    ),
    ("AWS::EC2::VPC.Id", "vpc-0123456789abcdef0"),
    ("AWS::EC2::VPCEndpoint.Id", "vpce-0123456789abcdef0"),
    ("AWS::EC2::VPNGateway.VPNGatewayId", "vgw-0123456789abcdef0"),
    (
        "AWS::ElasticLoadBalancingV2::Listener.ListenerArn",
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/my-alb/50dc6c495c0c9188/f2f7dc8efc522ab2",
    ),
    (
        "AWS::ElasticLoadBalancingV2::LoadBalancer.LoadBalancerArn",
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188",
    ),
    (
        "AWS::ElasticLoadBalancingV2::TargetGroup.TargetGroupArn",
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/my-targets/73e2d6bc24d8a067",
    ),
    (
        "AWS::Elasticsearch::Domain.Arn",
        "arn:aws:es:us-east-1:123456789012:domain/my-domain",
    ),
    ("AWS::IAM::Role.Arn", "arn:aws:iam::123456789012:role/my-role"),
    (
        "AWS::IAM::ServerCertificate.Arn",
        "arn:aws:iam::123456789012:server-certificate/my-certificate",
    ),
    (
        "AWS::KMS::Alias.AliasName",
        "alias/my-key", // Ref of AWS::KMS::Alias: the alias name
    ),
    (
        "AWS::KMS::Key.Arn",
        "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    ),
    ("AWS::KMS::Key.Id", "1234abcd-12ab-34cd-56ef-1234567890ab"),
    (
        "AWS::Kinesis::Stream.Arn",
        "arn:aws:kinesis:us-east-1:123456789012:stream/my-stream",
    ),
    (
        "AWS::Kinesis::StreamConsumer.ConsumerARN",
        "arn:aws:kinesis:us-east-1:123456789012:stream/my-stream/consumer/my-consumer:1614870000",
    ),
    (
        "AWS::Lambda::Alias.Id",
        // Ref of AWS::Lambda::Alias: the alias ARN
        "arn:aws:lambda:us-east-1:123456789012:function:my-function:live",
    ),
    (
        "AWS::Lambda::Function.Arn",
        "arn:aws:lambda:us-east-1:123456789012:function:my-function",
    ),
    (
        "AWS::Lambda::Function.FunctionName",
        "my-function", // Ref of AWS::Lambda::Function: the function name
    ),
    (
        "AWS::Logs::LogGroup.Arn",
        // Fn::GetAtt Arn of AWS::Logs::LogGroup ends with `:*`
        "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/my-function:*",
    ),
    ("AWS::Logs::LogGroup.Name", "/aws/lambda/my-function"),
    (
        "AWS::MSK::Cluster.Arn",
        "arn:aws:kafka:us-east-1:123456789012:cluster/my-cluster/abcd1234-ab12-cd34-ef56-abcdef123456-1",
    ),
    (
        "AWS::OpenSearchService::Domain.Arn",
        "arn:aws:es:us-east-1:123456789012:domain/my-domain",
    ),
    ("AWS::RDS::DBSubnetGroup.DBSubnetGroupName", "my-db-subnets"),
    (
        "AWS::Redshift::ClusterSecurityGroup.Id",
        "my-cluster-security-group", // Ref: the group's name
    ),
    ("AWS::Route53::HostedZone.Id", "Z0123456789ABCDEFGHIJ"),
    ("AWS::S3::Bucket.Arn", "arn:aws:s3:::my-bucket"),
    ("AWS::S3::Bucket.Name", "my-bucket"),
    (
        "AWS::SNS::Topic.Arn",
        "arn:aws:sns:us-east-1:123456789012:my-topic",
    ),
    (
        "AWS::SQS::Queue.Arn",
        "arn:aws:sqs:us-east-1:123456789012:my-queue",
    ),
    (
        "AWS::SecretsManager::Secret.Id",
        // Ref of AWS::SecretsManager::Secret: the secret ARN
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:my-secret-a1B2c3",
    ),
];

/// Union markers: a field whose pattern admits several forms of one
/// resource's identifier (or, for an event source, several resources' ARNs)
/// takes each of them (`Value<KeyId>`, `Value<KeyArn>` and `Value<AliasName>`
/// all convert into `Value<KeyIdArnOrAlias>`). `(ids module, name, member
/// keys)`; a field takes a union when exactly its members fit, or when the
/// overlay names the union.
pub const UNIONS: &[(&str, &str, &[&str])] = &[
    (
        "kms",
        "KeyIdArnOrAlias",
        &[
            "AWS::KMS::Key.Id",
            "AWS::KMS::Key.Arn",
            "AWS::KMS::Alias.AliasName",
        ],
    ),
    (
        "kms",
        "KeyIdOrArn",
        &["AWS::KMS::Key.Id", "AWS::KMS::Key.Arn"],
    ),
    (
        "kms",
        "KeyArnOrAlias",
        &["AWS::KMS::Key.Arn", "AWS::KMS::Alias.AliasName"],
    ),
    (
        "kms",
        "KeyIdOrAlias",
        &["AWS::KMS::Key.Id", "AWS::KMS::Alias.AliasName"],
    ),
    (
        "ec2",
        "SecurityGroupIdOrName",
        &["AWS::EC2::SecurityGroup.Id", "AWS::EC2::SecurityGroup.Name"],
    ),
    // "The Amazon Resource Name (ARN) of the event source": a queue, a
    // Kinesis stream or consumer, a DynamoDB stream, an MSK cluster, an
    // Amazon MQ broker (a DocumentDB change stream has no resource: pass it
    // with `Value::existing`).
    (
        "lambda",
        "EventSourceArn",
        &[
            "AWS::SQS::Queue.Arn",
            "AWS::Kinesis::Stream.Arn",
            "AWS::Kinesis::StreamConsumer.ConsumerARN",
            "AWS::DynamoDB::Table.StreamArn",
            "AWS::MSK::Cluster.Arn",
            "AWS::AmazonMQ::Broker.Arn",
        ],
    ),
];

/// A reviewed overlay entry: the field at `pointer` of `type_name` names a
/// resource of the marker `format`, as the quoted description text says.
pub struct OverlayEntry {
    /// `AWS::Lambda::Function`.
    pub type_name: &'static str,
    /// JSON pointer into the schema (`/properties/Role`,
    /// `/definitions/Action/properties/TargetGroupArn`); for a list, the
    /// format goes on its items.
    pub pointer: &'static str,
    /// The marker key (`AWS::IAM::Role.Arn`), singular.
    pub format: &'static str,
    /// Text of the field's description that justifies the entry.
    pub cites: &'static str,
}

const fn entry(
    type_name: &'static str,
    pointer: &'static str,
    format: &'static str,
    cites: &'static str,
) -> OverlayEntry {
    OverlayEntry {
        type_name,
        pointer,
        format,
        cites,
    }
}

/// Fields the schemas leave as strings that name another resource.
pub const OVERLAY: &[OverlayEntry] = &[
    entry(
        "AWS::ApiGatewayV2::Integration",
        "/properties/ApiId",
        "AWS::ApiGatewayV2::Api.ApiId",
        "The API identifier.",
    ),
    entry(
        "AWS::ApiGatewayV2::Route",
        "/properties/ApiId",
        "AWS::ApiGatewayV2::Api.ApiId",
        "The API identifier.",
    ),
    entry(
        "AWS::ApiGatewayV2::Stage",
        "/properties/ApiId",
        "AWS::ApiGatewayV2::Api.ApiId",
        "The API identifier.",
    ),
    entry(
        "AWS::ApiGatewayV2::Deployment",
        "/properties/ApiId",
        "AWS::ApiGatewayV2::Api.ApiId",
        "The API identifier.",
    ),
    entry(
        "AWS::ApiGatewayV2::Authorizer",
        "/properties/ApiId",
        "AWS::ApiGatewayV2::Api.ApiId",
        "The API identifier.",
    ),
    entry(
        "AWS::AutoScaling::AutoScalingGroup",
        "/properties/TargetGroupARNs",
        "AWS::ElasticLoadBalancingV2::TargetGroup.TargetGroupArn",
        "The Amazon Resource Names (ARN) of the Elastic Load Balancing target groups",
    ),
    entry(
        "AWS::AutoScaling::AutoScalingGroup",
        "/properties/VPCZoneIdentifier",
        "AWS::EC2::Subnet.Id",
        "A list of subnet IDs for a virtual private cloud (VPC)",
    ),
    entry(
        "AWS::EC2::SubnetRouteTableAssociation",
        "/properties/RouteTableId",
        "AWS::EC2::RouteTable.RouteTableId",
        "The ID of the route table.",
    ),
    entry(
        "AWS::EC2::NatGateway",
        "/properties/AllocationId",
        "AWS::EC2::EIP.AllocationId",
        "The allocation ID of the Elastic IP address",
    ),
    entry(
        "AWS::ElasticLoadBalancingV2::Listener",
        "/properties/LoadBalancerArn",
        "AWS::ElasticLoadBalancingV2::LoadBalancer.LoadBalancerArn",
        "The Amazon Resource Name (ARN) of the load balancer.",
    ),
    entry(
        "AWS::ElasticLoadBalancingV2::Listener",
        "/definitions/Action/properties/TargetGroupArn",
        "AWS::ElasticLoadBalancingV2::TargetGroup.TargetGroupArn",
        "The Amazon Resource Name (ARN) of the target group.",
    ),
    entry(
        "AWS::ElasticLoadBalancingV2::ListenerRule",
        "/properties/ListenerArn",
        "AWS::ElasticLoadBalancingV2::Listener.ListenerArn",
        "The Amazon Resource Name (ARN) of the listener.",
    ),
    entry(
        "AWS::ElasticLoadBalancingV2::ListenerRule",
        "/definitions/Action/properties/TargetGroupArn",
        "AWS::ElasticLoadBalancingV2::TargetGroup.TargetGroupArn",
        "The Amazon Resource Name (ARN) of the target group.",
    ),
    entry(
        "AWS::Lambda::EventSourceMapping",
        "/properties/FunctionName",
        "AWS::Lambda::Function.FunctionName",
        "The name or ARN of the Lambda function.",
    ),
    entry(
        "AWS::Lambda::EventSourceMapping",
        "/properties/EventSourceArn",
        "AWS::SQS::Queue.Arn|AWS::Kinesis::Stream.Arn|AWS::Kinesis::StreamConsumer.ConsumerARN|AWS::DynamoDB::Table.StreamArn|AWS::MSK::Cluster.Arn|AWS::AmazonMQ::Broker.Arn",
        "The Amazon Resource Name (ARN) of the event source.",
    ),
    entry(
        "AWS::Lambda::Function",
        "/properties/Role",
        "AWS::IAM::Role.Arn",
        "The Amazon Resource Name (ARN) of the function's execution role.",
    ),
    entry(
        "AWS::Lambda::Permission",
        "/properties/FunctionName",
        "AWS::Lambda::Function.Arn",
        "The name or ARN of the Lambda function, version, or alias.",
    ),
    entry(
        "AWS::Lambda::EventInvokeConfig",
        "/properties/FunctionName",
        "AWS::Lambda::Function.FunctionName",
        "The name of the Lambda function.",
    ),
    entry(
        "AWS::RDS::DBInstance",
        "/properties/VPCSecurityGroups",
        "AWS::EC2::SecurityGroup.Id",
        "A list of the VPC security group IDs to assign to the DB instance.",
    ),
    entry(
        "AWS::RDS::DBInstance",
        "/properties/DBSubnetGroupName",
        "AWS::RDS::DBSubnetGroup.DBSubnetGroupName",
        "A DB subnet group to associate with the DB instance.",
    ),
    entry(
        "AWS::RDS::DBCluster",
        "/properties/DBSubnetGroupName",
        "AWS::RDS::DBSubnetGroup.DBSubnetGroupName",
        "A DB subnet group that you want to associate with this DB cluster.",
    ),
    entry(
        "AWS::RDS::DBSubnetGroup",
        "/properties/SubnetIds",
        "AWS::EC2::Subnet.Id",
        "The EC2 Subnet IDs for the DB subnet group.",
    ),
    entry(
        "AWS::SNS::TopicPolicy",
        "/properties/Topics",
        "AWS::SNS::Topic.Arn",
        "The Amazon Resource Names (ARN) of the topics",
    ),
    entry(
        "AWS::S3::BucketPolicy",
        "/properties/Bucket",
        "AWS::S3::Bucket.Name",
        "The name of the Amazon S3 bucket to which the policy applies.",
    ),
];

/// A rule: a field whose name ends with `suffix` and whose description
/// contains `word` (case-insensitive) names a resource of `format`.
pub struct Rule {
    /// Name suffix (`RoleArn`).
    pub suffix: &'static str,
    /// Word the description must contain.
    pub word: &'static str,
    /// Marker key.
    pub format: &'static str,
    /// Fragments of `Type::Name.Property` that make the field another
    /// resource's (`TransitGatewayRouteTableId` is not an EC2 route table;
    /// a Storage Gateway "network interface" is an IP address).
    pub unless: &'static [&'static str],
}

/// Name rules; a field's own format, an overlay entry or an earlier rule
/// wins. A rule types a field only when its example fits the field.
pub const RULES: &[Rule] = &[
    Rule {
        suffix: "RoleArn",
        word: "role",
        unless: &[],
        format: "AWS::IAM::Role.Arn",
    },
    Rule {
        suffix: "RoleARN",
        word: "role",
        unless: &[],
        format: "AWS::IAM::Role.Arn",
    },
    Rule {
        suffix: "SubnetIds",
        word: "subnet",
        unless: &[],
        format: "AWS::EC2::Subnet.Id",
    },
    Rule {
        suffix: "SubnetId",
        word: "subnet",
        unless: &[],
        format: "AWS::EC2::Subnet.Id",
    },
    Rule {
        suffix: "SecurityGroupIds",
        word: "security group",
        unless: &[],
        format: "AWS::EC2::SecurityGroup.Id",
    },
    Rule {
        suffix: "SecurityGroupId",
        word: "security group",
        unless: &[],
        format: "AWS::EC2::SecurityGroup.Id",
    },
    Rule {
        suffix: "VpcId",
        word: "VPC",
        unless: &[],
        format: "AWS::EC2::VPC.Id",
    },
    Rule {
        suffix: "KmsKeyArn",
        word: "key",
        unless: &[],
        format: "AWS::KMS::Key.Arn",
    },
    Rule {
        suffix: "TopicArn",
        word: "topic",
        unless: &[],
        format: "AWS::SNS::Topic.Arn",
    },
    Rule {
        suffix: "TargetGroupArn",
        word: "target group",
        unless: &[],
        format: "AWS::ElasticLoadBalancingV2::TargetGroup.TargetGroupArn",
    },
    Rule {
        suffix: "LogGroupArn",
        word: "log group",
        unless: &[],
        format: "AWS::Logs::LogGroup.Arn",
    },
    Rule {
        suffix: "LogGroupName",
        word: "log group",
        unless: &[],
        format: "AWS::Logs::LogGroup.Name",
    },
    Rule {
        suffix: "SecretArn",
        word: "secret",
        unless: &[],
        format: "AWS::SecretsManager::Secret.Id",
    },
    Rule {
        suffix: "BucketArn",
        word: "bucket",
        unless: &[],
        format: "AWS::S3::Bucket.Arn",
    },
    Rule {
        suffix: "BucketARN",
        word: "bucket",
        unless: &[],
        format: "AWS::S3::Bucket.Arn",
    },
    Rule {
        suffix: "FunctionArn",
        word: "function",
        unless: &[],
        format: "AWS::Lambda::Function.Arn",
    },
    Rule {
        suffix: "QueueArn",
        word: "queue",
        unless: &[],
        format: "AWS::SQS::Queue.Arn",
    },
    Rule {
        suffix: "TransitGatewayId",
        word: "transit gateway",
        unless: &[],
        format: "AWS::EC2::TransitGateway.Id",
    },
    Rule {
        suffix: "RouteTableIds",
        word: "route table",
        unless: &["TransitGateway", "LocalGateway", "PeerNetwork"],
        format: "AWS::EC2::RouteTable.RouteTableId",
    },
    Rule {
        suffix: "RouteTableId",
        word: "route table",
        unless: &[
            "TransitGateway",
            "LocalGateway",
            "DefaultRouteTable",
            "TargetRouteTable",
        ],
        format: "AWS::EC2::RouteTable.RouteTableId",
    },
    Rule {
        suffix: "NetworkInterfaceId",
        word: "network interface",
        unless: &["AWS::StorageGateway::"],
        format: "AWS::EC2::NetworkInterface.Id",
    },
    Rule {
        suffix: "LaunchTemplateId",
        word: "launch template",
        unless: &[],
        format: "AWS::EC2::LaunchTemplate.LaunchTemplateId",
    },
    Rule {
        suffix: "UserPoolId",
        word: "user pool",
        unless: &[],
        format: "AWS::Cognito::UserPool.UserPoolId",
    },
    Rule {
        suffix: "RestApiId",
        word: "api",
        unless: &[],
        format: "AWS::ApiGateway::RestApi.RestApiId",
    },
    Rule {
        suffix: "PrefixListId",
        word: "prefix list",
        unless: &[],
        format: "AWS::EC2::PrefixList.PrefixListId",
    },
    Rule {
        suffix: "InternetGatewayId",
        word: "internet gateway",
        unless: &["EgressOnly", "egressOnly"],
        format: "AWS::EC2::InternetGateway.InternetGatewayId",
    },
    Rule {
        suffix: "NatGatewayId",
        word: "NAT gateway",
        unless: &[],
        format: "AWS::EC2::NatGateway.NatGatewayId",
    },
];

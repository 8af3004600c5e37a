// The CDK side of bench/compare.sh: a Raven-like stack per environment
// (dev, staging, prod), each a VPC over 2 AZs, an HTTPS load balancer in
// front of an Auto Scaling group, a rotating KMS key, a KMS-encrypted bucket
// and an encrypted topic. Plain JavaScript (no TypeScript compile step),
// synthesized in-process: `node app.js OUTDIR`.
const { App, Stack, CfnParameter, Duration, RemovalPolicy } = require('aws-cdk-lib');
const ec2 = require('aws-cdk-lib/aws-ec2');
const elbv2 = require('aws-cdk-lib/aws-elasticloadbalancingv2');
const autoscaling = require('aws-cdk-lib/aws-autoscaling');
const kms = require('aws-cdk-lib/aws-kms');
const s3 = require('aws-cdk-lib/aws-s3');
const sns = require('aws-cdk-lib/aws-sns');

const outdir = process.argv[2] || 'cdk.out';
const app = new App({ outdir });

const envs = [
  { name: 'dev', cidr: '10.10.0.0/16', natGateways: 1 },
  { name: 'staging', cidr: '10.20.0.0/16', natGateways: 2 },
  { name: 'prod', cidr: '10.30.0.0/16', natGateways: 2 },
];

for (const env of envs) {
  const stack = new Stack(app, `raven-${env.name}`);
  const cert = new CfnParameter(stack, 'CertificateArn', { type: 'String' });

  const key = new kms.Key(stack, 'DataKey', {
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr(env.cidr),
    maxAzs: 2,
    natGateways: env.natGateways,
  });
  new s3.Bucket(stack, 'Assets', {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    versioned: true,
  });
  new sns.Topic(stack, 'Alerts', { masterKey: key });

  const asg = new autoscaling.AutoScalingGroup(stack, 'Web', {
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    instanceType: new ec2.InstanceType('t3.small'),
    machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    minCapacity: 2,
    maxCapacity: 6,
  });
  const lb = new elbv2.ApplicationLoadBalancer(stack, 'WebLb', { vpc, internetFacing: true });
  lb.addRedirect({ sourcePort: 80, targetPort: 443 });
  const listener = lb.addListener('Https', {
    port: 443,
    certificates: [elbv2.ListenerCertificate.fromArn(cert.valueAsString)],
    sslPolicy: elbv2.SslPolicy.TLS12,
  });
  listener.addTargets('Web', {
    port: 8080,
    protocol: elbv2.ApplicationProtocol.HTTP,
    targets: [asg],
    healthCheck: { path: '/health', interval: Duration.seconds(30) },
  });
}

app.synth();

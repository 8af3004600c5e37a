"""troposphere side of bench/compare.sh: the same template as
benches/common/units.rs (a VPC, a subnet, a security group and a bucket per
unit; 1,000 resources by default), written as JSON.

    python troposphere_synth.py [RESOURCES] [OUT.json]
"""
import sys

import troposphere
from troposphere import Ref, Sub, Template
from troposphere.ec2 import VPC, SecurityGroup, Subnet
from troposphere.s3 import Bucket


# troposphere refuses more than CloudFormation's 500 resources; the benchmark
# template has 1,000 (ours reports the limit as a validation error instead).
troposphere.MAX_RESOURCES = 1_000_000


def build(resources):
    t = Template()
    t.set_version("2010-09-09")
    t.set_description("benchmark template")
    for i in range(resources // 4):
        vpc = t.add_resource(VPC(f"Vpc{i}", CidrBlock="10.0.0.0/16", EnableDnsHostnames=True))
        t.add_resource(Subnet(f"Subnet{i}", VpcId=Ref(vpc), CidrBlock="10.0.0.0/24"))
        t.add_resource(SecurityGroup(f"Sg{i}", GroupDescription="web", VpcId=Ref(vpc)))
        t.add_resource(Bucket(f"Bucket{i}", BucketName=Sub(f"${{AWS::StackName}}-b{i}")))
    return t


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    body = build(n).to_json()
    if len(sys.argv) > 2:
        with open(sys.argv[2], "w") as f:
            f.write(body)
    else:
        sys.stdout.write(body)


if __name__ == "__main__":
    main()

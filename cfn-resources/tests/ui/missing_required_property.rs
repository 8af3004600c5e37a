// A subnet needs its VPC: the constructor takes the required properties.
use cfn_resources::ec2::Subnet;

fn main() {
    let _ = Subnet::new();
}

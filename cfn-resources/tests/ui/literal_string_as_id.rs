// A literal id must say it names a resource outside the stack:
// `Value::existing("vpc-...")`, not a bare string.
use cfn_resources::ec2::Subnet;

fn main() {
    let _ = Subnet::new("vpc-0123456789abcdef0");
}

// A string where Lambda's runtime enum belongs: the message names the enum.
use cfn_resources::lambda::{function, Function};

fn main() {
    let _ = Function::new(function::Code::new(), "arn:aws:iam::123456789012:role/r").runtime("python3.12");
}

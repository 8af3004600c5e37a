// A string where Lambda's runtime enum belongs: the message names the enum.
use cfn_core::Value;
use cfn_resources::lambda::{function, Function};

fn main() {
    let role = Value::existing("arn:aws:iam::123456789012:role/r");
    let _ = Function::new(function::Code::new(), role).runtime("python3.12");
}
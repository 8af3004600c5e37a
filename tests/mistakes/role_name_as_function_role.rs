// A role's name (its `Ref`) as a Lambda function's role, which takes the ARN.
use cfn_core::Template;
use cfn_resources::{iam, lambda};

fn main() {
    let mut t = Template::new();
    let role = t.add("FnRole", iam::Role::new(serde_json::json!({}))).unwrap();
    let _ = lambda::Function::new(lambda::function::Code::new().zip_file("x"), role.reference());
}

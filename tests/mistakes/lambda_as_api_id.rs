// `Integration::new(func.reference(), ..)`: a Lambda function where the API id belongs.
use cfn_core::Template;
use cfn_resources::{apigatewayv2, iam, lambda};

fn main() {
    let mut t = Template::new();
    let role = t.add("FnRole", iam::Role::new(serde_json::json!({}))).unwrap();
    let f = t
        .add(
            "Fn",
            lambda::Function::new(lambda::function::Code::new().zip_file("x"), role.arn()),
        )
        .unwrap();
    let _ = apigatewayv2::Integration::new(f.reference(), "AWS_PROXY");
}

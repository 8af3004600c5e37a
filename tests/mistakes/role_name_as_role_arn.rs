// A role's name (its `Ref`) where the role's ARN belongs.
use cfn_core::Template;
use cfn_resources::codedeploy::DeploymentGroup;
use cfn_resources::iam::Role;

fn main() {
    let mut t = Template::new();
    let role = t.add("DeployRole", Role::new(serde_json::json!({}))).unwrap();
    let _ = DeploymentGroup::new("app", role.reference());
}

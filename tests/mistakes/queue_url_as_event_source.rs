// A queue's URL (its `Ref`) where the event source ARN belongs.
use cfn_core::Template;
use cfn_resources::{iam, lambda, sqs};

fn main() {
    let mut t = Template::new();
    let role = t.add("FnRole", iam::Role::new(serde_json::json!({}))).unwrap();
    let f = t
        .add(
            "Fn",
            lambda::Function::new(lambda::function::Code::new().zip_file("x"), role.arn()),
        )
        .unwrap();
    let q = t.add("Jobs", sqs::Queue::new()).unwrap();
    let _ = lambda::EventSourceMapping::new(f.reference()).event_source_arn(q.reference());
}
// A string where DynamoDB's billing-mode enum belongs.
use cfn_resources::dynamodb::{table::KeySchema, Table};

fn main() {
    let _ = Table::new(vec![KeySchema::new("pk", "HASH")]).billing_mode("PAY_PER_REQUEST");
}
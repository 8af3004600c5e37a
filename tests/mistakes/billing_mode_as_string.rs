// A string where DynamoDB's billing-mode enum belongs.
use cfn_resources::dynamodb::Table;

fn main() {
    let _ = Table::new(serde_json::json!([{"AttributeName": "pk", "KeyType": "HASH"}])).billing_mode("PAY_PER_REQUEST");
}

// A string literal cannot go where a number or boolean belongs.
use cfn_core::Value;

fn main() {
    let _port: Value<i64> = "443".into();
    let _flag: Value<bool> = "true".into();
}

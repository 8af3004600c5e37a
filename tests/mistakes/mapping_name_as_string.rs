// A mapping's name as a string: Fn::FindInMap takes the declared mapping.
use cfn_core::{fns, Value};

fn main() {
    let _: Value<String> = fns::find_in_map("RegionMap", "us-east-1", "Ami");
}

// Fn::If takes a declared condition, not a free-form name.
use cfn_core::{fns, Value};

fn main() {
    let _v: Value<String> = fns::if_("IsProd", "a", "b");
}

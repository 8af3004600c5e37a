// A string where a boolean belongs.
use cfn_resources::kms::Key;

fn main() {
    let _ = Key::new().enable_key_rotation("true");
}

// A fractional number where an integer belongs.
use cfn_resources::logs::LogGroup;

fn main() {
    let _ = LogGroup::new().retention_in_days(30.5);
}

// A String parameter where a number belongs: declare it `Number` and take
// `reference_as::<i64>()`.
use cfn_core::{Parameter, Template};
use cfn_resources::logs::LogGroup;

fn main() {
    let mut t = Template::new();
    let days = t.add_parameter("Days", Parameter::string()).unwrap();
    let _ = LogGroup::new().retention_in_days(days.reference());
}

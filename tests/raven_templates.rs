//! Every environment's rendered template and each tier's AppSpec, as insta
//! snapshots: a change to the stack shows up as a reviewable diff.

use cfn_core::Format;

#[test]
fn every_environment_template_and_appspec() {
    for env in raven_stack::environments().unwrap() {
        let stack = raven_stack::build(&env).unwrap();
        let json = stack.template.synth(Format::Json).unwrap();
        insta::assert_snapshot!(format!("{}.template.json", stack.name), json);
        for (name, body) in &stack.files {
            if name.ends_with("appspec.yml") || name.ends_with("after_install.sh") {
                insta::assert_snapshot!(name.replace('/', "__"), body);
            }
        }
    }
}

#[test]
fn synthesis_is_deterministic() {
    for env in raven_stack::environments().unwrap() {
        let a = raven_stack::build(&env).unwrap();
        let b = raven_stack::build(&env).unwrap();
        assert_eq!(
            a.template.synth(Format::Yaml).unwrap(),
            b.template.synth(Format::Yaml).unwrap()
        );
        assert_eq!(a.files, b.files);
    }
}

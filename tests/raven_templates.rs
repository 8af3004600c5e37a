//! Every environment's rendered template, as an insta snapshot: a change to
//! the stack shows up as a reviewable diff.

use cfn_core::Format;
use raven_stack::{template, Environment};

#[test]
fn every_environment_template() {
    for env in Environment::all() {
        let t = template(&env).unwrap();
        let json = t.synth(Format::Json).unwrap();
        insta::assert_snapshot!(format!("{}.template.json", env.stack_name()), json);
    }
}

#[test]
fn synthesis_is_deterministic() {
    for env in Environment::all() {
        let a = template(&env).unwrap().synth(Format::Yaml).unwrap();
        let b = template(&env).unwrap().synth(Format::Yaml).unwrap();
        assert_eq!(a, b);
    }
}

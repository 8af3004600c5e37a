//! Any bytes as a YAML template: an error or a template, never a panic; a
//! parsed template renders to YAML that reads back to itself.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(t) = cfn_core::Template::from_yaml(text) {
        let again = cfn_core::Template::from_yaml(&t.to_yaml()).expect("rendered YAML parses");
        assert_eq!(again, t);
    }
});

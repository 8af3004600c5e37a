//! Any bytes as a JSON template: an error or a template, never a panic; a
//! parsed template renders and reads back to itself.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(t) = cfn_core::Template::from_json(text) {
        let again = cfn_core::Template::from_json(&t.to_json_pretty()).expect("rendered JSON parses");
        assert_eq!(again, t);
    }
});

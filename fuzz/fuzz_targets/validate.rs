//! Every check over any parsed template: validation, registry schemas,
//! network layout, lint and the graph never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let format = cfn_core::parse::detect_format(text);
    if let Ok(t) = cfn_core::Template::parse_str(text, format, None) {
        let _ = t.validate();
        let _ = cfn_tools::schema::validate(&t);
        let _ = cfn_tools::network::check(&t);
        let _ = cfn_tools::lint::Linter::new().run(&t);
        let _ = cfn_tools::graph::to_mermaid(&t, cfn_tools::graph::Clustering::Tier);
    }
});

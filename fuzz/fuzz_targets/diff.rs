//! Two templates from one input (split at the first NUL): the diff and its
//! renderings never panic, diff(t, t) is empty.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (a, b) = text.split_once('\0').unwrap_or((text, ""));
    let parse = |s: &str| cfn_core::Template::parse_str(s, cfn_core::parse::detect_format(s), None).ok();
    let (Some(a), Some(b)) = (parse(a), parse(b)) else { return };
    let facts = cfn_tools::schema::RegistryFacts;
    let d = cfn_tools::diff::diff(&a, &b, &facts);
    let _ = cfn_tools::diff::render_text(&d, true);
    let _ = cfn_tools::diff::render_markdown(&d, "x");
    let _ = cfn_tools::diff::render_json(&d);
    assert!(cfn_tools::diff::diff(&a, &a, &facts).is_empty());
});

//! The format of a template: from the file name or the content.

use crate::render::Format;

/// The format of a template file: from its extension (`.json`, `.yaml`,
/// `.yml`), else from its content ([`detect_format`]).
pub fn format_for_path(path: &std::path::Path, src: &str) -> Format {
    match path.extension().and_then(|e| e.to_str()) {
        Some("json") => Format::Json,
        Some("yaml") | Some("yml") => Format::Yaml,
        _ => detect_format(src),
    }
}

/// Guesses the format of a template text: JSON if it starts with `{`.
pub fn detect_format(src: &str) -> Format {
    if src.trim_start().starts_with('{') {
        Format::Json
    } else {
        Format::Yaml
    }
}

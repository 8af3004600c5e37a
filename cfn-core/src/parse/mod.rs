//! Parsing JSON and YAML templates (short-form tags included) into the model.
//!
//! Errors name the file, line and column, the template path and the fix.
//! YAML scalars are resolved the way YAML 1.1 readers (PyYAML, cfn-lint) do:
//! `yes`/`on` are booleans, `0777` is octal and `12:30` is sexagesimal,
//! unless quoted.

mod exprs;
mod format;
mod intrinsics;
mod json;
mod json_index;
mod langext;
mod nodes;
mod paths;
mod scalars;
mod sections;
mod source_map;
mod yaml;

pub use format::{detect_format, format_for_path};
pub use source_map::{locate, SourceMap};

use crate::error::{Error, ErrorKind, Result};
use crate::expr::Expr;
use crate::render::Format;
use crate::template::Template;
use exprs::expr;
use json::{json_node, node_from_json};
use paths::P;
use sections::template_collecting;
use yaml::yaml_node;

fn finish(mut e: Error, src: &str, file: Option<&str>) -> Error {
    if e.location().is_none() {
        if let Some(loc) = e.path().and_then(|p| locate(src, p)) {
            e = e.with_location(loc);
        }
    }
    if let Some(f) = file {
        e.set_file(f);
    }
    e
}

impl Template {
    /// Parses a JSON template.
    ///
    /// ```
    /// use cfn_core::Template;
    /// let t = Template::from_json(r#"{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}"#).unwrap();
    /// assert_eq!(t.resources.len(), 1);
    /// let e = Template::from_json("{\n  \"Resources\": {\"B\": {\"Type\": \"AWS::S3::Bucket\",\n \"Propertis\": {}}}}").unwrap_err();
    /// assert_eq!(e.location().unwrap().line, 3);
    /// assert!(e.to_string().contains("did you mean `Properties`?"));
    /// ```
    pub fn from_json(src: &str) -> Result<Template> {
        Self::parse_str(src, Format::Json, None)
    }

    /// Parses a YAML template, short-form tags (`!Ref`, `!GetAtt a.b`,
    /// `!Sub`, ...) included.
    ///
    /// ```
    /// use cfn_core::{Template, Expr, Intrinsic};
    /// let t = Template::from_yaml("Resources:\n  B:\n    Type: AWS::S3::Bucket\nOutputs:\n  A:\n    Value: !GetAtt B.Arn\n").unwrap();
    /// let out = &t.outputs["A"];
    /// assert!(matches!(out.value.as_intrinsic(), Some(Intrinsic::GetAtt { .. })));
    /// ```
    pub fn from_yaml(src: &str) -> Result<Template> {
        Self::parse_str(src, Format::Yaml, None)
    }

    /// Parses a template in `format`; `file` names the source in errors.
    ///
    /// Templates that declare `AWS::LanguageExtensions` are expanded as
    /// CloudFormation will expand them (`Fn::ForEach` loops become their
    /// copies), as cfn-lint does; rendering such a template writes the
    /// expanded form. [`Template::parse_all`] reports every problem.
    pub fn parse_str(src: &str, format: Format, file: Option<&str>) -> Result<Template> {
        Self::parse_all(src, format, file).map_err(|mut v| v.swap_remove(0))
    }

    /// Parses a template in `format`, reporting every entry that cannot be
    /// loaded (each with file, line, column and template path), not only
    /// the first. A syntax error of the document itself is one error.
    ///
    /// ```
    /// use cfn_core::{Format, Template};
    /// let src = "Resources:\n  A: {Type: AWS::SNS::Topic, Propertis: {}}\n  B: {Typ: AWS::SNS::Topic}\n";
    /// let errors = Template::parse_all(src, Format::Yaml, Some("t.yaml")).unwrap_err();
    /// assert_eq!(errors.len(), 2);
    /// assert!(errors[1].to_string().starts_with("t.yaml:3:"));
    /// ```
    pub fn parse_all(
        src: &str,
        format: Format,
        file: Option<&str>,
    ) -> std::result::Result<Template, Vec<Error>> {
        let node = match format {
            Format::Json | Format::JsonCompact => json_node(src),
            Format::Yaml => yaml_node(src),
        }
        .map_err(|e| vec![finish(e, src, file)])?;
        let node = if langext::declared(&node) {
            langext::expand(&node).map_err(|e| vec![finish(e, src, file)])?
        } else {
            node
        };
        let mut errors = Vec::new();
        let t = template_collecting(node, &mut errors);
        if errors.is_empty() {
            Ok(t)
        } else {
            Err(errors.into_iter().map(|e| finish(e, src, file)).collect())
        }
    }

    /// Reads and parses a template file; the format comes from the
    /// extension (`.json`, `.yaml`, `.yml`, `.template`) or the content.
    pub fn from_path(path: impl AsRef<std::path::Path>) -> Result<Template> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let src = std::fs::read_to_string(path).map_err(|e| {
            Error::new(ErrorKind::Io {
                action: "read".into(),
                path: name.clone(),
                source: e.into(),
            })
        })?;
        Self::parse_str(&src, format_for_path(path, &src), Some(&name))
    }
}

/// Parses a JSON value into an expression, recognising intrinsic functions
/// (`{"Ref": "X"}`, `{"Fn::Sub": "..."}`).
///
/// ```
/// use cfn_core::{parse::expr_from_json, Expr, Intrinsic};
/// let e = expr_from_json(serde_json::json!({"Ref": "AWS::Region"})).unwrap();
/// assert_eq!(e, Expr::func(Intrinsic::Ref("AWS::Region".into())));
/// ```
pub fn expr_from_json(v: serde_json::Value) -> Result<Expr> {
    let node = node_from_json(v);
    expr(&node, &P::ROOT)
}

/// Like [`expr_from_json`], but keeps malformed intrinsics as plain maps
/// instead of failing.
pub fn expr_from_json_lossy(v: serde_json::Value) -> Expr {
    let node = node_from_json(v.clone());
    expr(&node, &P::ROOT).unwrap_or_else(|_| Expr::from_json_literal(v))
}

#[cfg(test)]
mod tests {
    use super::nodes::NodeKind;
    use super::scalars::resolve_plain;
    use super::*;

    fn plain(v: &str) -> NodeKind {
        resolve_plain(v)
    }

    #[test]
    fn yaml_11_scalar_resolution() {
        assert_eq!(plain("on"), NodeKind::Bool(true));
        assert_eq!(plain("No"), NodeKind::Bool(false));
        assert_eq!(plain("0777"), NodeKind::Number(511.into()));
        assert_eq!(plain("12:30"), NodeKind::Number(750.into()));
        assert_eq!(plain("0x1F"), NodeKind::Number(31.into()));
        assert_eq!(plain("-42"), NodeKind::Number((-42).into()));
        assert_eq!(
            plain("1.5"),
            NodeKind::Number(serde_json::Number::from_f64(1.5).unwrap())
        );
        assert_eq!(plain("1e3"), NodeKind::Str("1e3".into()));
        assert_eq!(plain("2010-09-09"), NodeKind::Str("2010-09-09".into()));
        assert_eq!(plain("~"), NodeKind::Null);
        assert_eq!(plain("-"), NodeKind::Str("-".into()));
        assert_eq!(plain("1.2.3"), NodeKind::Str("1.2.3".into()));
        assert_eq!(plain("12:70"), NodeKind::Str("12:70".into()));
        assert_eq!(
            plain("99999999999999999999999"),
            NodeKind::Str("99999999999999999999999".into())
        );
    }

    #[test]
    fn yaml_positions_and_duplicates() {
        let e = yaml_node("a: 1\nb:\n  c: 2\n  c: 3\n").unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::DuplicateKey { key } if key == "c"));
        assert_eq!(e.location().unwrap().line, 4);
        let loc = locate("a: 1\nb:\n  - x\n  - y\n", "b/1").unwrap();
        assert_eq!((loc.line, loc.column), (4, 5));
    }

    #[test]
    fn json_duplicate_keys_are_errors() {
        let e = json_node("{\"a\": 1,\n \"a\": 2}").unwrap_err();
        assert!(
            matches!(e.kind(), ErrorKind::DuplicateKey { key } if key == "a"),
            "{e}"
        );
        assert_eq!(e.location().unwrap().line, 2);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let e = yaml_node(&deep).unwrap_err().to_string();
        assert!(
            e.contains("recursion limit") || e.contains("nesting deeper"),
            "{e}"
        );
        let block: String = (0..300)
            .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
            .collect();
        let e = yaml_node(&block).unwrap_err().to_string();
        assert!(
            e.contains("recursion limit") || e.contains("nesting deeper"),
            "{e}"
        );
        let e = json_node(&deep).unwrap_err();
        assert!(e.to_string().contains("recursion limit"), "{e}");
    }

    #[test]
    fn anchors_and_aliases_expand() {
        let n = yaml_node("a: &x [1, 2]\nb: *x\n").unwrap();
        let NodeKind::Map(m) = n.kind else { panic!() };
        assert_eq!(m.get("a").unwrap().kind, m.get("b").unwrap().kind);
    }
}

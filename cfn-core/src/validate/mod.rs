//! Validation at synthesis: every problem at once, each with its template
//! path, the bad value and the fix.

use crate::error::{Error, ErrorKind, Result};
use crate::render::Format;
use crate::template::Template;
use indexmap::IndexSet;
use std::fmt;

/// CloudFormation's quotas, as documented.
pub mod limits {
    /// Resources per template.
    pub const RESOURCES: usize = 500;
    /// Parameters per template.
    pub const PARAMETERS: usize = 200;
    /// Outputs per template.
    pub const OUTPUTS: usize = 200;
    /// Mappings per template.
    pub const MAPPINGS: usize = 200;
    /// Attributes per mapping.
    pub const MAPPING_ATTRIBUTES: usize = 200;
    /// Bytes of `Description`.
    pub const DESCRIPTION_BYTES: usize = 1024;
    /// Dynamic references per template.
    pub const DYNAMIC_REFERENCES: usize = 60;
    /// Body bytes when passed directly (`TemplateBody`).
    pub const DIRECT_BODY_BYTES: usize = 51_200;
    /// Body bytes when uploaded to S3 (`TemplateURL`).
    pub const S3_BODY_BYTES: usize = 1_000_000;
}

/// How serious a diagnostic is: the one severity type of the workspace.
/// Validation reports errors and warnings; tools map their own scales onto
/// it (a lint finding's high, medium and low risk are an error, a warning
/// and a note), and the CLI's output formats use it as their level.
/// Variants are ordered from the most serious: `Error < Warning < Note`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// CloudFormation would reject the template, or the stack would fail.
    Error,
    /// Probably a mistake, but deployable.
    Warning,
    /// Informational: best practice, never a failure by itself.
    Note,
}

impl Severity {
    /// The lowercase name (`error`, `warning`, `note`), as output formats
    /// (SARIF levels included) write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found by validation.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What, where and the fix.
    pub error: Error,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.severity, self.error)
    }
}

/// The rendered size of a template against CloudFormation's body limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizeReport {
    /// Bytes of the pretty JSON rendering.
    pub json_bytes: usize,
    /// Bytes of the compact JSON rendering (the smallest upload).
    pub compact_bytes: usize,
}

impl SizeReport {
    /// Whether the compact body can be passed directly (51,200 bytes).
    pub fn fits_direct_upload(&self) -> bool {
        self.compact_bytes <= limits::DIRECT_BODY_BYTES
    }
    /// Whether the compact body fits an S3 template URL (1,000,000 bytes).
    pub fn fits_s3(&self) -> bool {
        self.compact_bytes <= limits::S3_BODY_BYTES
    }
}

/// Everything validation found, in a stable order: by section, then
/// template order.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// The body size.
    pub size: SizeReport,
}

impl Report {
    /// The errors.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
    }
    /// The warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
    }
    /// Whether there is no error (warnings allowed).
    pub fn is_ok(&self) -> bool {
        self.errors().next().is_none()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.diagnostics {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

mod context;
mod quotas;
mod resources;
mod sections;

use context::Ctx;

impl Template {
    /// Validates the whole template and returns every problem at once.
    ///
    /// ```
    /// use cfn_core::{Template, Raw, Output, Value};
    /// let mut t = Template::new();
    /// t.add("Topic", Raw::new("AWS::SNS::Topic")).unwrap();
    /// t.add_output("Missing", Output::new(Value::<String>::from_expr_unchecked(
    ///     cfn_core::Expr::func(cfn_core::Intrinsic::Ref("Topc".into()))))).unwrap();
    /// let report = t.validate();
    /// assert_eq!(report.errors().count(), 1);
    /// assert!(report.to_string().contains("did you mean `Topic`?"));
    /// ```
    pub fn validate(&self) -> Report {
        let mut ctx = Ctx {
            t: self,
            out: Vec::new(),
            used_params: IndexSet::new(),
            used_mappings: IndexSet::new(),
            used_conditions: IndexSet::new(),
        };

        sections::check_ids(&mut ctx);
        quotas::check_counts(&mut ctx);
        sections::check_required(&mut ctx);
        quotas::check_mapping_attributes(&mut ctx);
        quotas::check_description(&mut ctx);
        sections::check_parameters(&mut ctx);
        sections::check_conditions(&mut ctx);
        sections::check_rules(&mut ctx);
        resources::check_resources(&mut ctx);
        sections::check_outputs(&mut ctx);
        quotas::check_dynamic_references(&mut ctx);
        sections::check_unused(&mut ctx);
        let size = quotas::check_size(&mut ctx);
        Report {
            diagnostics: ctx.out,
            size,
        }
    }

    /// Validates, then renders in `format`. Fails with every error listed
    /// when validation finds any; warnings do not stop synthesis.
    ///
    /// ```
    /// use cfn_core::{Template, Raw, Format};
    /// let mut t = Template::new();
    /// t.add("Topic", Raw::new("AWS::SNS::Topic")).unwrap();
    /// let json = t.synth(Format::Json).unwrap();
    /// assert!(json.ends_with("}\n"));
    /// ```
    pub fn synth(&self, format: Format) -> Result<String> {
        let report = self.validate();
        if !report.is_ok() {
            let errors = report.errors().map(|d| d.error.clone()).collect();
            return Err(Error::new(ErrorKind::Invalid { errors }));
        }
        Ok(self.render(format))
    }
}

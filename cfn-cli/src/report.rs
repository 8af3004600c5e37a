//! Output formats for validate and lint: human (optionally colored, with
//! template path and, for parsed files, line), JSON and SARIF 2.1.0.

use cfn_core::parse::SourceMap;
use cfn_core::Diagnostic;
use cfn_tools::lint::{LintReport, RULES};
use serde_json::{json, Value as Json};

/// One problem ready to print, from validation or lint.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Which input (stack name or file path).
    pub source: String,
    /// The file, when the input was a file.
    pub file: Option<String>,
    /// 1-based line and column in the file, when known.
    pub line: Option<(usize, usize)>,
    /// `error`, `warning`, or a lint severity.
    pub level: Level,
    /// Rule or error kind id.
    pub rule: String,
    /// Template path.
    pub path: String,
    /// The message (what, the bad value, the fix).
    pub message: String,
    /// The name probably meant ("did you mean"), as data: the message
    /// words it; JSON has it as `suggestion`, SARIF in the result's
    /// `properties`.
    pub suggestion: Option<String>,
}

/// Severity as output formats see it: the one severity type,
/// [`cfn_core::Severity`] (error, warning, note).
pub use cfn_core::Severity as Level;

/// The variant name of an error kind (`DanglingRef`), used as a rule id.
pub fn kind_id(d: &Diagnostic) -> String {
    d.error.kind().code().to_owned()
}

/// Turns the errors of a file that could not be loaded into problems, each
/// with its line and column and the rule id `load/<Kind>`.
pub fn from_load_errors(file: &str, errors: &[cfn_core::Error]) -> Vec<Problem> {
    errors
        .iter()
        .map(|e| {
            let kind = e.kind().code();
            Problem {
                source: file.to_owned(),
                file: Some(file.to_owned()),
                line: e.location().map(|l| (l.line, l.column)),
                level: Level::Error,
                rule: format!("load/{kind}"),
                path: e.path().unwrap_or_default().to_owned(),
                message: e.kind().to_string(),
                suggestion: e.kind().suggestion().map(str::to_owned),
            }
        })
        .collect()
}

/// Turns validation diagnostics into problems, locating them in `src`.
pub fn from_validation(
    source: &str,
    file: Option<&str>,
    src: Option<&str>,
    diags: &[Diagnostic],
) -> Vec<Problem> {
    // Positions are only worth a pass over the source when there is
    // something to place.
    let map = src.filter(|_| !diags.is_empty()).and_then(SourceMap::new);
    diags
        .iter()
        .map(|d| {
            let path = d.error.path().unwrap_or_default().to_owned();
            let line = map
                .as_ref()
                .and_then(|m| m.locate(&path))
                .map(|l| (l.line, l.column));
            Problem {
                source: source.to_owned(),
                file: file.map(str::to_owned),
                line,
                level: d.severity,
                rule: kind_id(d),
                path,
                message: d.error.kind().to_string(),
                suggestion: d.error.kind().suggestion().map(str::to_owned),
            }
        })
        .collect()
}

/// Turns lint findings into problems: high is an error (fails), medium a
/// warning and low a note (both fail only with `--strict`).
pub fn from_lint(
    source: &str,
    file: Option<&str>,
    src: Option<&str>,
    report: &LintReport,
) -> Vec<Problem> {
    let mut out = from_findings(source, file, src, report.findings.clone());
    out.extend(suppression_problems(
        source,
        file,
        &report.suppression_errors,
    ));
    out
}

/// Like [`from_lint`], consuming the report: each finding is freed as its
/// problem is made, so the two lists are never both whole in memory (175,000
/// findings are about 50 MiB). Returns the problems and the suppressed
/// findings.
pub fn from_lint_owned(
    source: &str,
    file: Option<&str>,
    src: Option<&str>,
    report: LintReport,
) -> (Vec<Problem>, Vec<cfn_tools::lint::Suppressed>) {
    let LintReport {
        findings,
        suppressed,
        suppression_errors,
    } = report;
    let mut out = from_findings(source, file, src, findings);
    out.extend(suppression_problems(source, file, &suppression_errors));
    (out, suppressed)
}

fn from_findings(
    source: &str,
    file: Option<&str>,
    src: Option<&str>,
    findings: Vec<cfn_tools::lint::Finding>,
) -> Vec<Problem> {
    let map = src
        .filter(|_| !findings.is_empty())
        .and_then(SourceMap::new);
    let mut findings = findings;
    let mut out = Vec::with_capacity(findings.len());
    // From the end, giving the findings' buffer back as it empties, so
    // that it and the problems' are not both full at once; reversed below.
    let mut shrink_at = findings.len() / 2;
    while let Some(f) = findings.pop() {
        if findings.len() < shrink_at {
            findings.shrink_to_fit();
            shrink_at /= 2;
        }
        let line = map
            .as_ref()
            .and_then(|m| m.locate(&f.path))
            .map(|l| (l.line, l.column));
        out.push(Problem {
            source: source.to_owned(),
            file: file.map(str::to_owned),
            line,
            level: f.severity.into(),
            rule: f.rule.to_owned(),
            message: format!("{} ({} severity); fix: {}", f.message, f.severity, f.fix),
            path: f.path,
            suggestion: f.suggestion,
        });
    }
    out.reverse();
    out
}

fn suppression_problems<'a>(
    source: &'a str,
    file: Option<&'a str>,
    errors: &'a [String],
) -> impl Iterator<Item = Problem> + 'a {
    errors.iter().map(move |e| Problem {
        source: source.to_owned(),
        file: file.map(str::to_owned),
        line: None,
        level: Level::Error,
        rule: "suppression".into(),
        path: String::new(),
        message: e.clone(),
        suggestion: None,
    })
}

/// Human-readable lines.
pub fn human(problems: &[Problem], color: bool) -> String {
    let mut out = Vec::new();
    // writing into a Vec cannot fail
    let _ = write_human(&mut out, problems, color);
    String::from_utf8(out).unwrap_or_default()
}

/// [`human`], written to `w` line by line instead of gathered into one
/// string (175,000 findings are about 35 MB of text).
pub fn write_human(
    w: &mut impl std::io::Write,
    problems: &[Problem],
    color: bool,
) -> std::io::Result<()> {
    let paint = |code: &str, s: &str| {
        if color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    };
    for p in problems {
        let level = match p.level {
            Level::Error => paint("1;31", "error"),
            Level::Warning => paint("1;33", "warning"),
            Level::Note => paint("1;36", "note"),
        };
        let place = match (&p.file, p.line) {
            (Some(f), Some((l, c))) => format!("{f}:{l}:{c}: "),
            (Some(f), None) => format!("{f}: "),
            (None, _) => format!("{}: ", p.source),
        };
        let path = if p.path.is_empty() {
            String::new()
        } else {
            format!("{}: ", paint("1", &p.path))
        };
        writeln!(w, "{level}[{}]: {place}{path}{}", p.rule, p.message)?;
    }
    Ok(())
}

/// The result of one input (file or stack) of `validate` or `lint`, for the
/// per-file part of the JSON and SARIF outputs.
#[derive(Debug, Clone, PartialEq)]
pub struct FileResult {
    /// Which input (stack name or file path), as in [`Problem::source`].
    pub source: String,
    /// The file, when the input was a file.
    pub file: Option<String>,
    /// False when the file could not be read or parsed.
    pub loaded: bool,
}

impl FileResult {
    /// `not-loaded`, `errors`, `warnings`, `notes` or `ok`: the worst of its
    /// problems.
    fn status(&self, mine: &[&Problem]) -> &'static str {
        if !self.loaded {
            "not-loaded"
        } else if mine.iter().any(|p| p.level == Level::Error) {
            "errors"
        } else if mine.iter().any(|p| p.level == Level::Warning) {
            "warnings"
        } else if !mine.is_empty() {
            "notes"
        } else {
            "ok"
        }
    }
}

/// How many problems have this level.
pub fn count(problems: &[Problem], level: Level) -> usize {
    problems.iter().filter(|p| p.level == level).count()
}

/// The note for a SAM template (`Transform: AWS::Serverless-2016-10-31`):
/// what is checked only after AWS expands the transform.
pub fn sam_note(source: &str, file: Option<&str>, t: &cfn_core::Template) -> Option<Problem> {
    cfn_tools::schema::sam_note(t).map(|message| Problem {
        source: source.to_owned(),
        file: file.map(str::to_owned),
        line: None,
        level: Level::Note,
        rule: "sam/ExpandedByAws".into(),
        path: "Transform".into(),
        message,
        suggestion: None,
    })
}

fn problem_json(p: &Problem) -> Json {
    let mut j = json!({
        "source": p.source,
        "file": p.file,
        "line": p.line.map(|l| l.0),
        "column": p.line.map(|l| l.1),
        "level": p.level.as_str(),
        "rule": p.rule,
        "path": p.path,
        "message": p.message,
    });
    if let Some(s) = &p.suggestion {
        j["suggestion"] = json!(s);
    }
    j
}

/// JSON: `{"files": [...], "summary": {...}}`, one entry per input in
/// order, each with its status (`ok`, `notes`, `warnings`, `errors`,
/// `not-loaded`), its counts and its findings (`source`, `file`, `line`,
/// `column`, `level`, `rule` (a stable code: `DanglingRef`,
/// `load/Syntax`, `S3001`), `path`, `message`, and `suggestion`, the name
/// probably meant, when there is one).
pub fn json(results: &[FileResult], problems: &[Problem]) -> String {
    let files: Vec<Json> = results
        .iter()
        .map(|r| {
            let mine: Vec<&Problem> = problems.iter().filter(|p| p.source == r.source).collect();
            let level = |l: Level| mine.iter().filter(|p| p.level == l).count();
            json!({
                "source": r.source,
                "file": r.file,
                "status": r.status(&mine),
                "errors": level(Level::Error),
                "warnings": level(Level::Warning),
                "notes": level(Level::Note),
                "findings": mine.iter().map(|p| problem_json(p)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let doc = json!({
        "files": files,
        "summary": {
            "files": results.len(),
            "not_loaded": results.iter().filter(|r| !r.loaded).count(),
            "errors": count(problems, Level::Error),
            "warnings": count(problems, Level::Warning),
            "notes": count(problems, Level::Note),
        },
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// SARIF 2.1.0, for code scanning.
/// Every input is an artifact (with its status in `properties`), also the
/// ones without findings; each result points at its artifact by index.
pub fn sarif(tool: &str, results_in: &[FileResult], problems: &[Problem]) -> String {
    let mut rule_ids: Vec<&str> = problems.iter().map(|p| p.rule.as_str()).collect();
    rule_ids.sort();
    rule_ids.dedup();
    let rules: Vec<Json> = rule_ids
        .iter()
        .map(|id| match RULES.iter().find(|r| r.info.id == *id) {
            Some(r) => json!({
                "id": id,
                "shortDescription": {"text": r.info.title},
                "fullDescription": {"text": r.info.rationale},
                "help": {"text": r.info.fix},
            }),
            None => json!({"id": id}),
        })
        .collect();
    let results: Vec<Json> = problems
        .iter()
        .map(|p| {
            let uri = p.file.clone().unwrap_or_else(|| p.source.clone());
            let mut location = json!({"uri": uri});
            if let Some(i) = results_in.iter().position(|r| r.source == p.source) {
                location["index"] = json!(i);
            }
            let mut physical = json!({"artifactLocation": location});
            if let Some((line, column)) = p.line {
                physical["region"] = json!({"startLine": line, "startColumn": column});
            }
            let mut result = json!({
                "ruleId": p.rule,
                "level": p.level.as_str(),
                "message": {"text": if p.path.is_empty() { p.message.clone() } else { format!("{}: {}", p.path, p.message) }},
                "locations": [{
                    "physicalLocation": physical,
                    "logicalLocations": [{"fullyQualifiedName": p.path}],
                }],
            });
            if let Some(s) = &p.suggestion {
                result["properties"] = json!({"suggestion": s});
            }
            result
        })
        .collect();
    let artifacts: Vec<Json> = results_in
        .iter()
        .map(|r| {
            let mine: Vec<&Problem> = problems.iter().filter(|p| p.source == r.source).collect();
            json!({
                "location": {"uri": r.file.clone().unwrap_or_else(|| r.source.clone())},
                "properties": {"status": r.status(&mine)},
            })
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": tool, "rules": rules}},
            "artifacts": artifacts,
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

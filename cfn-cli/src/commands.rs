//! The commands both command lines share: synth, validate, lint, diff
//! and graph.

use crate::args::{
    CheckArgs, CheckFormat, ClusterBy, DiffFormat, DiffOutput, FailOn, GraphArgs, GraphFormat,
    LintArgs, OutFormat, SynthArgs,
};
use crate::files;
use crate::io::{make_executable, write_atomic, Loaded};
use crate::report;
use crate::{Failure, Outcome, Stack};
use cfn_core::{Format, Template};
use cfn_tools::diff::{self, SchemaFacts};
use cfn_tools::graph::{self, Clustering};
use cfn_tools::lint::Linter;
use clap::ValueEnum;
use std::io::Write;
use std::path::PathBuf;

pub(crate) fn synth(stacks: &[Stack], a: &SynthArgs) -> Outcome {
    let format = if a.yaml { OutFormat::Both } else { a.format };
    // render everything first: nothing is written unless every stack is valid
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let mut rows = Vec::new();
    for s in stacks {
        let json = cfn_tools::verdict::synth(&s.template, Format::Json)
            .map_err(|e| Failure::Input(format!("stack `{}`: {e}", s.name)))?;
        if matches!(format, OutFormat::Json | OutFormat::Both) {
            files.push((a.out.join(format!("{}.template.json", s.name)), json));
        }
        if matches!(format, OutFormat::Yaml | OutFormat::Both) {
            files.push((
                a.out.join(format!("{}.template.yaml", s.name)),
                s.template.to_yaml(),
            ));
        }
        for (name, contents) in &s.files {
            files.push((a.out.join(name), contents.clone()));
        }
        rows.push((
            s.name.clone(),
            s.template.resources.len(),
            s.template.to_json_compact().len(),
        ));
    }
    std::fs::create_dir_all(&a.out).map_err(|e| {
        Failure::Input(format!(
            "cannot create output directory `{}`: {e}; pass a writable one with --out",
            a.out.display()
        ))
    })?;
    for (path, contents) in &files {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                Failure::Input(format!("cannot create `{}`: {e}", parent.display()))
            })?;
        }
        write_atomic(path, contents)?;
        if path.extension().is_some_and(|e| e == "sh") {
            make_executable(path)?;
        }
    }
    use cfn_core::validate::limits::{DIRECT_BODY_BYTES, S3_BODY_BYTES};
    println!(
        "{:<16} {:>9} {:>10} {:>17} {:>18}",
        "stack", "resources", "bytes", "of 51,200 direct", "of 1,000,000 (S3)"
    );
    for (name, resources, bytes) in rows {
        println!(
            "{:<16} {:>9} {:>10} {:>16.1}% {:>17.1}%",
            name,
            resources,
            bytes,
            100.0 * bytes as f64 / DIRECT_BODY_BYTES as f64,
            100.0 * bytes as f64 / S3_BODY_BYTES as f64
        );
    }
    println!(
        "{} file(s) written to {} (bytes: compact JSON, the upload size)",
        files.len(),
        a.out.display()
    );
    Ok(())
}

fn emit(
    results: &[report::FileResult],
    problems: &[report::Problem],
    format: CheckFormat,
    color: bool,
    tool: &str,
    summary: &str,
) {
    match format {
        CheckFormat::Human => {
            // streamed: the text of many problems is not gathered first
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            report::write_human(&mut out, problems, color)
                .and_then(|()| writeln!(out, "{summary}"))
                .and_then(|()| out.flush())
                .unwrap_or_else(|e| panic!("failed printing to stdout: {e}"));
        }
        CheckFormat::Json => print!("{}", report::json(results, problems)),
        CheckFormat::Sarif => print!("{}", report::sarif(tool, results, problems)),
    }
}

/// `load`: the problems of files that could not be loaded (see `files.rs`),
/// reported first and in the same format.
pub(crate) fn validate(
    inputs: &[Loaded],
    load: Vec<report::Problem>,
    a: &CheckArgs,
    color: bool,
    tool: &str,
) -> Outcome {
    let unloaded = files::sources(&load);
    let mut problems = load;
    for l in inputs {
        let diagnostics = cfn_tools::verdict::check(&l.template).diagnostics;
        problems.extend(report::from_validation(
            &l.name,
            l.file.as_deref(),
            l.src.as_deref(),
            &diagnostics,
        ));
        problems.extend(report::sam_note(&l.name, l.file.as_deref(), &l.template));
    }
    let errors = report::count(&problems, report::Level::Error);
    let warnings = report::count(&problems, report::Level::Warning);
    // notes (the SAM note) inform and never fail, not even with --strict
    let failing = if a.strict { errors + warnings } else { errors };
    let mut summary = files::per_file(inputs, &unloaded, &problems);
    summary.push_str(&format!(
        "{} template(s): {errors} error(s), {warnings} warning(s)",
        inputs.len() + unloaded.len()
    ));
    let results = files::results(inputs, &unloaded);
    emit(&results, &problems, a.format, color, tool, &summary);
    if failing > 0 {
        Err(Failure::Check(String::new()))
    } else {
        Ok(())
    }
}

/// `load`: as for [`validate`].
pub(crate) fn lint(
    linter: &Linter,
    inputs: &[Loaded],
    load: Vec<report::Problem>,
    a: &LintArgs,
    color: bool,
    tool: &str,
) -> Outcome {
    let unloaded = files::sources(&load);
    let mut problems = load;
    let mut suppressed = Vec::new();
    for l in inputs {
        let r = linter
            .clone()
            .min_severity(a.min_severity.into())
            .run(&l.template);
        let (found, silenced) =
            report::from_lint_owned(&l.name, l.file.as_deref(), l.src.as_deref(), r);
        if problems.is_empty() {
            problems = found; // no copy of a long list
        } else {
            problems.extend(found);
        }
        for s in silenced {
            suppressed.push(format!(
                "suppressed [{}] {}: {}: {} ({})",
                s.finding.rule, l.name, s.finding.path, s.reason, s.source
            ));
        }
    }
    let failing = if a.check.strict {
        problems.len()
    } else {
        problems
            .iter()
            .filter(|p| p.level == report::Level::Error)
            .count()
    };
    let mut summary = files::per_file(inputs, &unloaded, &problems);
    for s in &suppressed {
        summary.push_str(s);
        summary.push('\n');
    }
    let errors = problems
        .iter()
        .filter(|p| p.level == report::Level::Error)
        .count();
    summary.push_str(&format!(
        "{} template(s): {} finding(s) ({errors} error(s)), {} suppressed",
        inputs.len() + unloaded.len(),
        problems.len(),
        suppressed.len()
    ));
    let results = files::results(inputs, &unloaded);
    emit(&results, &problems, a.check.format, color, tool, &summary);
    if failing > 0 {
        Err(Failure::Check(String::new()))
    } else {
        Ok(())
    }
}

pub(crate) fn diff_pairs(
    pairs: &[(String, Template, Template)],
    o: &DiffOutput,
    color: bool,
    facts: &dyn SchemaFacts,
) -> Outcome {
    let mut fail = false;
    let mut json_out = serde_json::Map::new();
    for (name, old, new) in pairs {
        let d = diff::diff(old, new, facts);
        fail |= match o.fail_on {
            FailOn::DataAtRisk => !d.data_at_risk().is_empty(),
            FailOn::Replacement => d.has_replacement(),
            FailOn::Any => !d.is_empty(),
            FailOn::None => false,
        };
        match o.format {
            DiffFormat::Text => {
                if pairs.len() > 1 {
                    println!("== {name}");
                }
                print!("{}", diff::render_text(&d, color));
            }
            DiffFormat::Markdown => println!("{}", diff::render_markdown(&d, name)),
            DiffFormat::Json => {
                json_out.insert(name.clone(), serde_json::to_value(&d).unwrap_or_default());
            }
        }
    }
    if o.format == DiffFormat::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json_out).unwrap_or_default()
        );
    }
    if fail {
        let name = o
            .fail_on
            .to_possible_value()
            .map(|v| v.get_name().to_owned())
            .unwrap_or_default();
        Err(Failure::Check(format!("the diff matches --fail-on {name}")))
    } else {
        Ok(())
    }
}

pub(crate) fn draw(inputs: &[Loaded], a: &GraphArgs) -> Outcome {
    let cluster = match a.cluster {
        ClusterBy::Service => Clustering::Service,
        ClusterBy::Tier => Clustering::Tier,
        ClusterBy::None => Clustering::None,
    };
    let mut out = String::new();
    for l in inputs {
        if inputs.len() > 1 {
            out.push_str(&format!(
                "{} {}\n",
                if a.format == GraphFormat::Dot {
                    "//"
                } else {
                    "%%"
                },
                l.name
            ));
        }
        out.push_str(&match a.format {
            GraphFormat::Dot => graph::to_dot(&l.template, cluster),
            GraphFormat::Mermaid => graph::to_mermaid(&l.template, cluster),
        });
    }
    match &a.out {
        Some(p) => write_atomic(p, &out),
        None => {
            print!("{out}");
            Ok(())
        }
    }
}

//! The `cfnkit` binary: the checks, diff, graph and conversion of
//! template files written by anyone.

use crate::args::{ConvertTo, FileCli, FileCommand};
use crate::commands::{diff_pairs, draw, lint, validate};
use crate::files;
use crate::io::{finish, load_file, write_atomic};
#[cfg(feature = "deploy")]
use crate::lifecycle;
#[cfg(feature = "deploy")]
use crate::report;
use crate::{Failure, Outcome};
use cfn_core::{Format, Template};
use cfn_tools::lint::Linter;
use cfn_tools::schema::RegistryFacts;
use clap::{CommandFactory, Parser};
use std::path::Path;
use std::process::ExitCode;

/// Runs the `cfnkit` binary on the given arguments.
pub fn run_files<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match FileCli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    finish(dispatch_files(cli))
}

fn dispatch_files(cli: FileCli) -> Outcome {
    let color = cli.color.enabled();
    let facts = RegistryFacts;
    match cli.command {
        FileCommand::Validate { files, args } => {
            let read = files::LoadedFiles::read(&files);
            let checked = validate(&read.loaded, read.problems.clone(), &args, color, "cfnkit");
            read.worst(checked)
        }
        FileCommand::Lint { files, args } => {
            let read = files::LoadedFiles::read(&files);
            let checked = lint(
                &Linter::new(),
                &read.loaded,
                read.problems.clone(),
                &args,
                color,
                "cfnkit",
            );
            read.worst(checked)
        }
        FileCommand::Diff { old, new, output } => {
            let pairs = if old.is_dir() && new.is_dir() {
                let mut names: Vec<String> = Vec::new();
                for dir in [&old, &new] {
                    let entries = std::fs::read_dir(dir).map_err(|e| {
                        Failure::Input(format!("cannot read directory `{}`: {e}", dir.display()))
                    })?;
                    for e in entries.flatten() {
                        let n = e.file_name().to_string_lossy().to_string();
                        if (n.ends_with(".json") || n.ends_with(".yaml") || n.ends_with(".yml"))
                            && !names.contains(&n)
                        {
                            names.push(n);
                        }
                    }
                }
                names.sort();
                let mut pairs = Vec::new();
                for n in names {
                    let load = |d: &Path| -> Result<Template, Failure> {
                        let p = d.join(&n);
                        if p.exists() {
                            load_file(&p).map(|l| l.template)
                        } else {
                            Ok(Template::default())
                        }
                    };
                    pairs.push((n.clone(), load(&old)?, load(&new)?));
                }
                pairs
            } else if old.is_dir() || new.is_dir() {
                return Err(Failure::Input(
                    "diff takes two files or two directories, not one of each".into(),
                ));
            } else {
                vec![(
                    new.display().to_string(),
                    load_file(&old)?.template,
                    load_file(&new)?.template,
                )]
            };
            diff_pairs(&pairs, &output, color, &facts)
        }
        FileCommand::Graph { file, args } => draw(&[load_file(&file)?], &args),
        FileCommand::Convert { file, to, out } => {
            let l = load_file(&file)?;
            let rendered = l
                .template
                .synth(if to == ConvertTo::Json {
                    Format::Json
                } else {
                    Format::Yaml
                })
                .map_err(|e| Failure::Input(e.to_string()))?;
            match out {
                Some(p) => {
                    if p.canonicalize().ok() == file.canonicalize().ok() {
                        return Err(Failure::Input(format!(
                            "refusing to overwrite the input `{}`; write to another file",
                            file.display()
                        )));
                    }
                    write_atomic(&p, &rendered)
                }
                None => {
                    print!("{rendered}");
                    Ok(())
                }
            }
        }
        #[cfg(feature = "deploy")]
        FileCommand::Deploy {
            file,
            stack_name,
            args,
        } => {
            let template = load_valid(&file, color)?;
            let out = args.outputs_file.as_deref();
            lifecycle::deploy(&stack_name, template, &args.args, out, color).map(|_| ())
        }
        #[cfg(feature = "deploy")]
        FileCommand::Plan {
            file,
            stack_name,
            args,
        } => lifecycle::plan(&stack_name, load_valid(&file, color)?, &args, color).map(|_| ()),
        #[cfg(feature = "deploy")]
        FileCommand::Destroy { stack_name, args } => {
            lifecycle::destroy(&stack_name, &args).map(|_| ())
        }
        #[cfg(feature = "deploy")]
        FileCommand::Outputs { stack_name, args } => lifecycle::outputs(&[stack_name], &args),
        #[cfg(feature = "deploy")]
        FileCommand::Drift { stack_name, args } => lifecycle::drift(&stack_name, &args),
        FileCommand::Completions { shell } => {
            let mut cmd = FileCli::command();
            clap_complete::generate(shell, &mut cmd, "cfnkit", &mut std::io::stdout());
            Ok(())
        }
    }
}

/// A template file that validates, for `deploy` and `plan`.
#[cfg(feature = "deploy")]
fn load_valid(file: &Path, color: bool) -> Result<Template, Failure> {
    let l = load_file(file)?;
    let report = cfn_tools::verdict::check(&l.template);
    if !report.is_ok() {
        let problems = report::from_validation(
            &l.name,
            l.file.as_deref(),
            l.src.as_deref(),
            &report.diagnostics,
        );
        eprint!("{}", report::human(&problems, color));
        return Err(Failure::Input(format!(
            "`{}` is not valid; fix it before deploying",
            file.display()
        )));
    }
    Ok(l.template)
}

//! Loading many template files for `cfnkit validate` and `lint`: every file
//! gets a result. A file that cannot be read or parsed does not stop the
//! others; each of its load problems (every entry the parser could not
//! read, with line and column) becomes a finding in the chosen format, and
//! the exit code is the worst of all files (3 when any file failed to load).

use crate::report::{self, Problem};
use crate::{Failure, Loaded};
use cfn_core::Template;
use std::path::PathBuf;

/// The files that loaded, and the problems of those that did not.
pub(crate) struct LoadedFiles {
    /// Templates that loaded.
    pub loaded: Vec<Loaded>,
    /// Load problems, in file order.
    pub problems: Vec<Problem>,
    /// How many files failed to load.
    pub failed: usize,
}

impl LoadedFiles {
    /// Every template and the load problems of the rest.
    pub(crate) fn read(files: &[PathBuf]) -> Self {
        let mut out = LoadedFiles {
            loaded: Vec::new(),
            problems: Vec::new(),
            failed: 0,
        };
        for path in files {
            let name = path.display().to_string();
            let src = match std::fs::read_to_string(path) {
                Ok(s) => s,
                Err(e) => {
                    out.failed += 1;
                    out.problems.push(Problem {
                        source: name.clone(),
                        file: Some(name.clone()),
                        line: None,
                        level: report::Level::Error,
                        rule: "load/Io".into(),
                        path: String::new(),
                        message: format!("cannot read `{name}`: {e}; check the path"),
                        suggestion: None,
                    });
                    continue;
                }
            };
            let format = cfn_core::parse::format_for_path(path, &src);
            match Template::parse_all(&src, format, Some(&name)) {
                Ok(template) => out.loaded.push(Loaded {
                    name: name.clone(),
                    file: Some(name),
                    src: Some(src),
                    template,
                }),
                Err(errors) => {
                    out.failed += 1;
                    out.problems
                        .extend(report::from_load_errors(&name, &errors));
                }
            }
        }
        out
    }

    /// The total number of files.
    pub(crate) fn total(&self) -> usize {
        self.loaded.len() + self.failed
    }

    /// The outcome once the loaded templates were checked: a load failure
    /// (exit 3) outranks a failed check (exit 1).
    pub(crate) fn worst(&self, checked: Result<(), Failure>) -> Result<(), Failure> {
        if self.failed > 0 {
            Err(Failure::Input(format!(
                "{} of {} file(s) could not be loaded; their problems are listed above",
                self.failed,
                self.total()
            )))
        } else {
            checked
        }
    }
}

/// The files named by load problems, in order, each once.
pub(crate) fn sources(load: &[Problem]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in load {
        if !out.contains(&p.source) {
            out.push(p.source.clone());
        }
    }
    out
}

/// One result per input, in the order the human summary lists them: the
/// files that did not load first, then the loaded ones.
pub(crate) fn results(inputs: &[Loaded], unloaded: &[String]) -> Vec<report::FileResult> {
    let mut out: Vec<report::FileResult> = unloaded
        .iter()
        .map(|name| report::FileResult {
            source: name.clone(),
            file: Some(name.clone()),
            loaded: false,
        })
        .collect();
    out.extend(inputs.iter().map(|l| report::FileResult {
        source: l.name.clone(),
        file: l.file.clone(),
        loaded: true,
    }));
    out
}

/// One line per file when there are several (`file: 2 error(s), 1
/// warning(s)` (and `, 3 note(s)` when lint reports low findings), `file: ok`, `file: not loaded`), for the human summary.
pub(crate) fn per_file(inputs: &[Loaded], unloaded: &[String], problems: &[Problem]) -> String {
    let mut names: Vec<&str> = unloaded.iter().map(String::as_str).collect();
    names.extend(inputs.iter().map(|l| l.name.as_str()));
    if names.len() < 2 {
        return String::new();
    }
    let mut out = String::new();
    for name in names {
        let mine = problems.iter().filter(|p| p.source == name);
        let errors = mine
            .clone()
            .filter(|p| p.level == report::Level::Error)
            .count();
        let notes = mine
            .clone()
            .filter(|p| p.level == report::Level::Note)
            .count();
        let warnings = mine.count() - errors - notes;
        let state = if unloaded.iter().any(|u| u == name) {
            format!("not loaded, {errors} problem(s)")
        } else if errors + warnings + notes == 0 {
            "ok".to_owned()
        } else if notes == 0 {
            format!("{errors} error(s), {warnings} warning(s)")
        } else {
            format!("{errors} error(s), {warnings} warning(s), {notes} note(s)")
        };
        out.push_str(&format!("{name}: {state}\n"));
    }
    out
}

//! Input and output: loading templates, writing files atomically, and
//! turning an outcome into an exit code.

use crate::{Failure, Outcome, Stack};
use cfn_core::Template;
use std::path::Path;
use std::process::ExitCode;

pub(crate) fn finish(outcome: Outcome) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            match &f {
                Failure::Check(m) if m.is_empty() => {}
                Failure::Usage(_) => {}
                Failure::Check(m) | Failure::Input(m) => eprintln!("error: {m}"),
                Failure::NotExecuted(m) | Failure::Interrupted(m) => eprintln!("{m}"),
            }
            ExitCode::from(f.code())
        }
    }
}

/// A template with where it came from.
pub(crate) struct Loaded {
    pub(crate) name: String,
    pub(crate) file: Option<String>,
    pub(crate) src: Option<String>,
    pub(crate) template: Template,
}

impl Loaded {
    pub(crate) fn from_stack(s: &Stack) -> Self {
        Loaded {
            name: s.name.clone(),
            file: None,
            src: None,
            template: s.template.clone(),
        }
    }
}

pub(crate) fn load_file(path: &Path) -> Result<Loaded, Failure> {
    let name = path.display().to_string();
    let src = std::fs::read_to_string(path)
        .map_err(|e| Failure::Input(format!("cannot read `{name}`: {e}; check the path")))?;
    let format = cfn_core::parse::format_for_path(path, &src);
    let template = Template::parse_str(&src, format, Some(&name))
        .map_err(|e| Failure::Input(e.to_string()))?;
    Ok(Loaded {
        name: name.clone(),
        file: Some(name),
        src: Some(src),
        template,
    })
}

pub(crate) fn find_render(dir: &Path, stack: &str) -> Result<Option<Template>, Failure> {
    for ext in ["json", "yaml", "yml"] {
        let p = dir.join(format!("{stack}.template.{ext}"));
        if p.exists() {
            return load_file(&p).map(|l| Some(l.template));
        }
    }
    eprintln!(
        "note: no earlier render of `{stack}` in `{}`; every resource shows as added",
        dir.display()
    );
    Ok(None)
}

/// Writes through a temporary file renamed into place, so a failure never
/// leaves a half-written file.
pub(crate) fn write_atomic(path: &Path, contents: &str) -> Outcome {
    // Unchanged files are left alone: no write, no rename, the same mtime
    // (a rerun of synth touches nothing, and build tools see no change).
    if std::fs::read(path).is_ok_and(|old| old == contents.as_bytes()) {
        return Ok(());
    }
    let tmp = path.with_extension(format!(
        "{}.tmp",
        path.extension().and_then(|e| e.to_str()).unwrap_or("out")
    ));
    std::fs::write(&tmp, contents)
        .and_then(|_| std::fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Failure::Input(format!("cannot write `{}`: {e}", path.display()))
        })
}

/// Hook scripts must be executable for CodeDeploy to run them.
#[cfg(unix)]
pub(crate) fn make_executable(path: &Path) -> Outcome {
    use std::os::unix::fs::PermissionsExt;
    if std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o777 == 0o755) {
        return Ok(());
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| Failure::Input(format!("cannot make `{}` executable: {e}", path.display())))
}

#[cfg(not(unix))]
pub(crate) fn make_executable(_: &Path) -> Outcome {
    Ok(())
}

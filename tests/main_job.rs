//! The main job through its own CLI: it writes every file or none, and an
//! unusable output directory is a clear error (exit 3) that leaves nothing
//! behind.

use cfn_cli::Failure;

fn temp(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("raven-main-job-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn synth_writes_templates_appspecs_and_executable_scripts() {
    let dir = temp("ok");
    let out = dir.join("out");
    let program = cfn_suite::raven_program();
    assert_eq!(
        program.try_run_from(["raven", "synth", "--yaml", "--out", out.to_str().unwrap()]),
        Ok(())
    );
    for env in ["dev", "staging", "prod"] {
        for f in [
            format!("raven-{env}.template.json"),
            format!("raven-{env}.template.yaml"),
            format!("raven-{env}/web/appspec.yml"),
        ] {
            assert!(out.join(&f).is_file(), "{f} missing");
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let script = out.join(format!("raven-{env}/backend/scripts/validate_service.sh"));
            let mode = std::fs::metadata(&script).unwrap().permissions().mode();
            assert_eq!(
                mode & 0o111,
                0o111,
                "{} is not executable",
                script.display()
            );
        }
    }
    let leftovers: Vec<_> = walk(&out)
        .into_iter()
        .filter(|p| p.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A rerun leaves unchanged files alone (same inode, same mtime: nothing
/// written or renamed); a file that differs is replaced, atomically.
#[test]
fn rerun_rewrites_only_what_changed() {
    use std::time::SystemTime;
    let dir = temp("rerun");
    let out = dir.join("out");
    let run = || {
        cfn_suite::raven_program().try_run_from(["raven", "synth", "--out", out.to_str().unwrap()])
    };
    assert_eq!(run(), Ok(()));
    let kept = out.join("raven-prod.template.json");
    let edited = out.join("raven-dev.template.json");
    let original = std::fs::read_to_string(&edited).unwrap();
    std::fs::write(&edited, "{}").unwrap();
    let old_time = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
    for f in [&kept, &edited] {
        std::fs::File::options()
            .write(true)
            .open(f)
            .unwrap()
            .set_modified(old_time)
            .unwrap();
    }
    assert_eq!(run(), Ok(()));
    let mtime = |p: &std::path::Path| std::fs::metadata(p).unwrap().modified().unwrap();
    assert_eq!(mtime(&kept), old_time, "an unchanged file was rewritten");
    assert_ne!(mtime(&edited), old_time);
    assert_eq!(std::fs::read_to_string(&edited).unwrap(), original);
    std::fs::remove_dir_all(&dir).unwrap();
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p.display().to_string());
        }
    }
    out
}

#[test]
fn unusable_output_directory_is_a_clear_error_and_writes_nothing() {
    let dir = temp("bad");
    let file = dir.join("not-a-dir");
    std::fs::write(&file, "keep me").unwrap();
    let program = cfn_suite::raven_program();
    let result = program.try_run_from(["raven", "synth", "--out", file.to_str().unwrap()]);
    assert!(
        matches!(&result, Err(Failure::Input(m)) if m.contains("cannot create output directory") && m.contains("--out")),
        "{result:?}"
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "keep me",
        "the user's file is untouched"
    );
    assert_eq!(walk(&dir).len(), 1);
    let nested = file.join("sub");
    let result = program.try_run_from(["raven", "synth", "--out", nested.to_str().unwrap()]);
    assert!(matches!(result, Err(Failure::Input(_))));
    assert!(
        matches!(program.try_run_from(["raven", "--env", "qa"]), Err(Failure::Input(m)) if m.contains("unknown environment `qa`"))
    );
    assert!(matches!(
        program.try_run_from(["raven", "synth", "--format", "xml"]),
        Err(Failure::Usage(_))
    ));
    std::fs::remove_dir_all(&dir).unwrap();
}

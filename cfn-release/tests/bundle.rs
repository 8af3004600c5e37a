//! The revision: a deterministic zip of the application directory and the
//! Raven stack's typed AppSpec and hook scripts; bad input reported at once.

use cfn_release::{order_tiers, Bundle, Error, Release, TierSource};
use std::io::Read;
use std::path::{Path, PathBuf};

/// A fresh directory under the system's temporary one, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let p = std::env::temp_dir().join(format!(
            "cfn-release-{name}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn write(path: &Path, contents: &str, mode: u32) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    #[cfg(not(unix))]
    let _ = mode;
}

/// A small application: a service file and code per tier, written in the
/// given order (the zip must not depend on it).
fn app(dir: &Path, reversed: bool) {
    let mut files = vec![
        (
            "web/raven-web.service",
            "[Service]\nExecStart=/opt/raven/web/bin/serve\n",
            0o644,
        ),
        (
            "web/bin/serve",
            "#!/bin/sh\nexec python3 -m http.server 8080\n",
            0o775,
        ),
        ("web/static/index.html", "<h1>Content Raven</h1>\n", 0o600),
        (
            "backend/raven-backend.service",
            "[Service]\nExecStart=/opt/raven/backend/bin/api\n",
            0o644,
        ),
        (
            "backend/bin/api",
            "#!/bin/sh\nexec python3 -m http.server 9090\n",
            0o700,
        ),
    ];
    if reversed {
        files.reverse();
    }
    for (p, c, m) in files {
        write(&dir.join(p), c, m);
    }
}

fn staging_tiers() -> (String, Vec<TierSource>) {
    let env = raven_stack::environments()
        .unwrap()
        .into_iter()
        .find(|e| e.name == "staging")
        .unwrap();
    let stack = raven_stack::build(&env).unwrap();
    let tiers = order_tiers(
        &stack.name,
        TierSource::from_stack_files(&stack.name, &stack.files),
        &[],
    )
    .unwrap();
    (stack.name, tiers)
}

fn plan(dir: &Path) -> Result<Release, Error> {
    let (stack, tiers) = staging_tiers();
    Release::plan(stack, "staging", dir, &tiers)
}

/// What a zip holds, read back: name, unix mode, timestamp, method, size.
fn read_back(b: &Bundle) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(b.bytes.clone())).unwrap();
    let mut s = String::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut body = Vec::new();
        f.read_to_end(&mut body).unwrap();
        s.push_str(&format!(
            "{:o} {} {:?} {:>5} {}\n",
            f.unix_mode().unwrap_or(0),
            f.last_modified().map(|d| d.to_string()).unwrap_or_default(),
            f.compression(),
            body.len(),
            f.name().unwrap()
        ));
    }
    s
}

#[test]
fn the_zip_is_byte_identical_across_runs_and_file_orders() {
    let a = TempDir::new("det-a");
    let b = TempDir::new("det-b");
    app(&a.0, false);
    app(&b.0, true);
    let first = plan(&a.0).unwrap();
    let again = plan(&a.0).unwrap();
    let other = plan(&b.0).unwrap();
    for ((x, y), z) in first.bundles.iter().zip(&again.bundles).zip(&other.bundles) {
        assert_eq!(x.bytes, y.bytes, "tier {}: two runs differ", x.tier);
        assert_eq!(
            x.bytes, z.bytes,
            "tier {}: file order changed the zip",
            x.tier
        );
        assert_eq!(x.sha256, z.sha256);
        assert_eq!(
            x.key("revisions/"),
            format!("revisions/{}/{}.zip", x.tier, x.sha256)
        );
    }
    // a changed file changes the key
    write(&a.0.join("web/static/index.html"), "<h1>v2</h1>\n", 0o644);
    let changed = plan(&a.0).unwrap();
    assert_ne!(changed.bundles[1].sha256, first.bundles[1].sha256);
    assert_eq!(
        changed.bundles[0].sha256, first.bundles[0].sha256,
        "backend unchanged"
    );
}

#[test]
fn zip_contents_and_modes() {
    let a = TempDir::new("contents");
    app(&a.0, false);
    let r = plan(&a.0).unwrap();
    assert_eq!(r.tiers(), ["backend", "web"]);
    let mut s = String::new();
    for b in &r.bundles {
        s.push_str(&format!("== {}\n{}", b.tier, read_back(b)));
    }
    insta::assert_snapshot!(s);
    // the generated files are the typed ones, byte for byte
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(r.bundles[1].bytes.clone())).unwrap();
    let mut appspec = String::new();
    z.by_name("appspec.yml")
        .unwrap()
        .read_to_string(&mut appspec)
        .unwrap();
    assert_eq!(appspec, raven_stack::appspec("web").to_yaml());
}

#[test]
fn the_dry_run_names_every_upload_and_deployment() {
    let a = TempDir::new("dry");
    app(&a.0, false);
    let r = plan(&a.0).unwrap();
    let text = r.dry_run();
    for b in &r.bundles {
        assert!(text.contains(&b.key("revisions/")), "{text}");
    }
    // sha256 and sizes depend on the deflate implementation: masked
    let masked: String = text
        .lines()
        .map(|l| match l.find("upload revisions/") {
            Some(_) => {
                let tier = if l.contains("/web/") { "web" } else { "backend" };
                format!("   upload revisions/{tier}/SHA256.zip (N bytes, sha256 SHA256), skipped if present")
            }
            None => l.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!(masked);
}

fn masked_error(e: Error, dir: &Path) -> String {
    e.to_string().replace(&dir.display().to_string(), "APP")
}

#[test]
fn a_missing_app_directory_is_one_clear_error() {
    let a = TempDir::new("missing");
    let e = plan(&a.0.join("nope")).unwrap_err();
    insta::assert_snapshot!(masked_error(e, &a.0));
}

#[test]
fn every_bad_input_is_reported_at_once() {
    let a = TempDir::new("bad");
    // web: an appspec that disagrees with the typed one, a hook copy that is
    // not executable, a copy of a generated hook that differs
    write(&a.0.join("web/index.html"), "hi\n", 0o644);
    let spec = raven_stack::appspec("web")
        .to_yaml()
        .replace("timeout: 120", "timeout: 30");
    write(&a.0.join("web/appspec.yml"), &spec, 0o644);
    let (_, tiers) = staging_tiers();
    let web = tiers.iter().find(|t| t.tier == "web").unwrap();
    let start = &web
        .files
        .iter()
        .find(|(p, _)| p == "scripts/application_start.sh")
        .unwrap()
        .1;
    write(&a.0.join("web/scripts/application_start.sh"), start, 0o644);
    write(
        &a.0.join("web/scripts/validate_service.sh"),
        "#!/bin/sh\nexit 0\n",
        0o755,
    );
    // backend: empty
    std::fs::create_dir_all(a.0.join("backend")).unwrap();
    let e = plan(&a.0).unwrap_err();
    let Error::InvalidRevision { problems } = &e else {
        panic!("{e}")
    };
    assert_eq!(problems.len(), 4, "{e}");
    insta::assert_snapshot!(masked_error(e, &a.0));
}

#[test]
fn a_missing_tier_directory_and_an_agreeing_appspec() {
    let a = TempDir::new("tier");
    // an appspec.yml equal to the typed one is fine (the typed one is packed)
    write(&a.0.join("web/index.html"), "hi\n", 0o644);
    write(
        &a.0.join("web/appspec.yml"),
        &raven_stack::appspec("web").to_yaml(),
        0o644,
    );
    let e = plan(&a.0).unwrap_err();
    insta::assert_snapshot!(masked_error(e, &a.0));
}

#[cfg(unix)]
#[test]
fn hooks_the_app_provides_must_exist_and_be_executable() {
    let a = TempDir::new("custom");
    write(&a.0.join("web/index.html"), "hi\n", 0o644);
    let spec = cfn_patterns_like_spec();
    let tier = TierSource::new("web", vec![("appspec.yml".into(), spec)]);
    // missing
    let e = Release::plan("s", "dev", &a.0, std::slice::from_ref(&tier)).unwrap_err();
    assert!(
        e.to_string().contains(
            "web/hooks/migrate.sh: missing: appspec.yml runs it in the AfterInstall hook"
        ),
        "{e}"
    );
    // present, not executable
    write(&a.0.join("web/hooks/migrate.sh"), "#!/bin/sh\n", 0o644);
    let e = Release::plan("s", "dev", &a.0, std::slice::from_ref(&tier)).unwrap_err();
    assert!(
        e.to_string()
            .contains("the AfterInstall hook script is not executable; `chmod +x"),
        "{e}"
    );
    // executable: packed with 0755
    write(&a.0.join("web/hooks/migrate.sh"), "#!/bin/sh\n", 0o700);
    let r = Release::plan("s", "dev", &a.0, &[tier]).unwrap();
    assert!(
        r.bundles[0]
            .listing()
            .contains("755       10 app       hooks/migrate.sh"),
        "{}",
        r.bundles[0].listing()
    );
}

fn cfn_patterns_like_spec() -> String {
    "version: 0.0\nos: linux\nfiles:\n  - source: /\n    destination: /opt/app\nhooks:\n  AfterInstall:\n    - location: hooks/migrate.sh\n      timeout: 60\n      runas: root\n".into()
}

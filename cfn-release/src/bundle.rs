//! The revision of one tier: the application directory, the typed
//! `appspec.yml` and hook scripts, checked and packed into a deterministic
//! zip (same inputs, same bytes).
//!
//! A zip entry has no timestamp of its own (every entry carries
//! 1980-01-01 00:00:00, the zip epoch), entries are sorted by path, and
//! modes are explicit: `0755` for hook scripts and for application files
//! with an execute bit, `0644` for everything else. Directories are not
//! stored; CodeDeploy creates them.

use crate::error::{Problem, Result};
use crate::Error;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::Path;

/// The AppSpec's file name, at the root of every bundle.
pub const APPSPEC: &str = "appspec.yml";

/// What a stack program generates for one tier: `appspec.yml` (rendered
/// from the typed AppSpec), the hook scripts it names and any
/// per-environment configuration, as paths relative to the bundle root.
///
/// ```
/// let files = vec![
///     ("raven-dev/web/appspec.yml".to_string(), "version: 0.0\n".to_string()),
///     ("raven-dev/web/scripts/start.sh".to_string(), "#!/bin/sh\n".to_string()),
///     ("raven-dev/backend/appspec.yml".to_string(), "version: 0.0\n".to_string()),
/// ];
/// let tiers = cfn_release::TierSource::from_stack_files("raven-dev", &files);
/// assert_eq!(tiers[0].tier, "web");
/// assert_eq!(tiers[0].files[1].0, "scripts/start.sh");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierSource {
    /// The tier (`web`): the subdirectory of the application directory and
    /// the deployment group's output prefix.
    pub tier: String,
    /// Generated files: (path in the bundle, contents); `appspec.yml` among them.
    pub files: Vec<(String, String)>,
}

impl TierSource {
    /// A tier's generated files.
    pub fn new(tier: impl Into<String>, files: Vec<(String, String)>) -> Self {
        TierSource {
            tier: tier.into(),
            files,
        }
    }

    /// The tiers of a stack program's extra files (`{stack}/{tier}/...`, as
    /// `raven-stack` writes them), in order of first appearance; only
    /// directories holding an `appspec.yml` are tiers.
    pub fn from_stack_files(stack: &str, files: &[(String, String)]) -> Vec<TierSource> {
        let prefix = format!("{stack}/");
        let mut tiers: Vec<TierSource> = Vec::new();
        for (path, contents) in files {
            let Some((tier, rest)) = path.strip_prefix(&prefix).and_then(|p| p.split_once('/'))
            else {
                continue;
            };
            match tiers.iter_mut().find(|t| t.tier == tier) {
                Some(t) => t.files.push((rest.to_owned(), contents.clone())),
                None => tiers.push(TierSource::new(
                    tier,
                    vec![(rest.to_owned(), contents.clone())],
                )),
            }
        }
        tiers.retain(|t| t.files.iter().any(|(p, _)| p == APPSPEC));
        tiers
    }

    fn generated(&self, path: &str) -> Option<&str> {
        self.files
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, c)| c.as_str())
    }
}

/// One file of a bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Path in the zip, `/`-separated.
    pub path: String,
    /// Unix mode (`0o755` or `0o644`).
    pub mode: u32,
    /// Uncompressed size in bytes.
    pub size: u64,
    /// Whether it came from the application directory (else generated).
    pub from_app: bool,
}

/// One tier's revision, packed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundle {
    /// The tier.
    pub tier: String,
    /// The files, sorted by path.
    pub entries: Vec<Entry>,
    /// The zip.
    pub bytes: Vec<u8>,
    /// Lowercase hex SHA-256 of [`Bundle::bytes`].
    pub sha256: String,
}

impl Bundle {
    /// The content-addressed S3 key: `{prefix}{tier}/{sha256}.zip`.
    ///
    /// ```
    /// # let b = cfn_release::Bundle { tier: "web".into(), entries: vec![], bytes: vec![], sha256: "ab12".into() };
    /// assert_eq!(b.key("revisions/"), "revisions/web/ab12.zip");
    /// ```
    pub fn key(&self, prefix: &str) -> String {
        format!("{prefix}{}/{}.zip", self.tier, self.sha256)
    }

    /// One line per entry: mode, size, origin and path (deterministic).
    pub fn listing(&self) -> String {
        let mut s = String::new();
        for e in &self.entries {
            s.push_str(&format!(
                "{:o} {:>8} {:<9} {}\n",
                e.mode,
                e.size,
                if e.from_app { "app" } else { "generated" },
                e.path
            ));
        }
        s
    }
}

/// Builds every tier's bundle from `app_dir/{tier}/` and the tier's
/// generated files. All problems of all tiers are reported at once
/// ([`Error::InvalidRevision`]); no bundle is returned unless all are good.
///
/// ```
/// # let dir = std::env::temp_dir().join(format!("cfn-release-doc-{}", std::process::id()));
/// # std::fs::create_dir_all(dir.join("web")).unwrap();
/// # std::fs::write(dir.join("web/index.html"), "hello").unwrap();
/// let tier = cfn_release::TierSource::new("web", vec![("appspec.yml".into(), "version: 0.0\nos: linux\n".into())]);
/// let bundles = cfn_release::build_bundles(&dir, &[tier]).unwrap();
/// assert_eq!(bundles[0].entries.len(), 2);
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn build_bundles(app_dir: &Path, tiers: &[TierSource]) -> Result<Vec<Bundle>> {
    let mut problems = Vec::new();
    let mut files = Vec::new();
    if !app_dir.is_dir() {
        problems.push(Problem {
            path: app_dir.display().to_string(),
            message: format!(
                "{}; pass the application directory, which holds one subdirectory per tier ({})",
                if app_dir.exists() {
                    "not a directory"
                } else {
                    "no such directory"
                },
                tier_names(tiers)
            ),
        });
    } else {
        for t in tiers {
            files.push(tier_files(&app_dir.join(&t.tier), t, tiers, &mut problems));
        }
    }
    if !problems.is_empty() {
        problems.sort_by(|a, b| a.path.cmp(&b.path));
        return Err(Error::InvalidRevision { problems });
    }
    tiers
        .iter()
        .zip(files)
        .map(|(t, f)| pack(&t.tier, f))
        .collect()
}

fn tier_names(tiers: &[TierSource]) -> String {
    tiers
        .iter()
        .map(|t| t.tier.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A file to pack.
struct Item {
    path: String,
    mode: u32,
    data: Vec<u8>,
    from_app: bool,
}

/// Checks one tier and returns its files, sorted by path.
fn tier_files(
    dir: &Path,
    source: &TierSource,
    all: &[TierSource],
    problems: &mut Vec<Problem>,
) -> Vec<Item> {
    let shown = dir.display().to_string();
    let mut app = Vec::new();
    if !dir.is_dir() {
        problems.push(Problem {
            path: shown.clone(),
            message: format!(
                "{}; the app directory needs one subdirectory per tier ({}), each holding that tier's application",
                if dir.exists() { "not a directory" } else { "missing" },
                tier_names(all)
            ),
        });
    } else {
        walk(dir, "", &mut app, problems);
        if app.is_empty() && !problems.iter().any(|p| p.path.starts_with(&shown)) {
            problems.push(Problem {
                path: shown.clone(),
                message: format!(
                    "empty; put the {} tier's application (and its systemd unit or start files) in it",
                    source.tier
                ),
            });
        }
    }
    let at = |rel: &str| format!("{}/{rel}", shown.trim_end_matches('/'));

    // the typed AppSpec and the hooks it names
    let Some(typed_text) = source.generated(APPSPEC) else {
        problems.push(Problem {
            path: format!("{}/{APPSPEC} (generated)", source.tier),
            message: "the stack program generates no appspec.yml for this tier; add the typed AppSpec to its files".into(),
        });
        return Vec::new();
    };
    let typed: serde_json::Value = match serde_saphyr::from_str(typed_text) {
        Ok(v) => v,
        Err(e) => {
            problems.push(Problem {
                path: format!("{}/{APPSPEC} (generated)", source.tier),
                message: format!("the generated AppSpec is not YAML ({e}); fix the stack program"),
            });
            return Vec::new();
        }
    };
    let hooks = hook_locations(&typed);

    for item in &app {
        if item.path == APPSPEC {
            let theirs: Result<serde_json::Value, _> = std::str::from_utf8(&item.data)
                .map_err(|e| e.to_string())
                .and_then(|s| serde_saphyr::from_str(s).map_err(|e| e.to_string()));
            let why = match theirs {
                Err(e) => Some(format!("is not valid YAML ({e})")),
                Ok(v) => first_difference(&typed, &v, "").map(|d| {
                    format!(
                        "disagrees with the typed AppSpec of tier {} at `{d}`",
                        source.tier
                    )
                }),
            };
            if let Some(why) = why {
                problems.push(Problem {
                    path: at(APPSPEC),
                    message: format!(
                        "{why}; remove it (the bundle gets the typed one) or change the AppSpec in the stack program"
                    ),
                });
            }
        } else if let Some(generated) = source.generated(&item.path) {
            if generated.as_bytes() != item.data.as_slice() {
                problems.push(Problem {
                    path: at(&item.path),
                    message: "differs from the file the stack program generates for this path; remove it from the app directory (the bundle gets the generated one) or change the stack program".into(),
                });
            }
        }
    }
    for (hook, location) in &hooks {
        let in_app = app.iter().find(|i| &i.path == location);
        match (source.generated(location), in_app) {
            (_, Some(i)) if i.mode & 0o111 == 0 => problems.push(Problem {
                path: at(location),
                message: format!(
                    "the {hook} hook script is not executable; `chmod +x {}`",
                    at(location)
                ),
            }),
            (None, None) => problems.push(Problem {
                path: at(location),
                message: format!(
                    "missing: appspec.yml runs it in the {hook} hook; add the script or remove the hook from the typed AppSpec"
                ),
            }),
            _ => {}
        }
    }

    let mut items: Vec<Item> = app
        .into_iter()
        .filter(|i| source.generated(&i.path).is_none())
        .map(|mut i| {
            i.mode = if i.mode & 0o111 != 0 { 0o755 } else { 0o644 };
            i
        })
        .collect();
    for (path, contents) in &source.files {
        let executable = hooks.iter().any(|(_, l)| l == path) || path.ends_with(".sh");
        items.push(Item {
            path: path.clone(),
            mode: if executable { 0o755 } else { 0o644 },
            data: contents.clone().into_bytes(),
            from_app: false,
        });
    }
    items.sort_by(|a, b| a.path.cmp(&b.path));
    items
}

/// Regular files under `dir`, recursively, in path order.
fn walk(dir: &Path, rel: &str, out: &mut Vec<Item>, problems: &mut Vec<Problem>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            problems.push(Problem {
                path: dir.display().to_string(),
                message: format!("cannot be read ({e}); check its permissions"),
            });
            return;
        }
    };
    let mut list: Vec<_> = entries.flatten().collect();
    list.sort_by_key(|e| e.file_name());
    for e in list {
        let path = e.path();
        let shown = path.display().to_string();
        let Some(name) = e.file_name().to_str().map(str::to_owned) else {
            problems.push(Problem {
                path: shown,
                message: "the name is not UTF-8; rename it".into(),
            });
            continue;
        };
        let child = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        let meta = match std::fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(err) => {
                problems.push(Problem {
                    path: shown,
                    message: format!("cannot be read ({err}); check its permissions"),
                });
                continue;
            }
        };
        if meta.is_dir() {
            walk(&path, &child, out, problems);
        } else if meta.is_file() {
            match std::fs::read(&path) {
                Ok(data) => out.push(Item {
                    path: child,
                    mode: mode_of(&meta),
                    data,
                    from_app: true,
                }),
                Err(err) => problems.push(Problem {
                    path: shown,
                    message: format!("cannot be read ({err}); check its permissions"),
                }),
            }
        } else {
            problems.push(Problem {
                path: shown,
                message: "not a regular file (a symbolic link, socket or device); bundles hold regular files only: copy the target in or remove it".into(),
            });
        }
    }
}

#[cfg(unix)]
fn mode_of(meta: &std::fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o777
}

#[cfg(not(unix))]
fn mode_of(_: &std::fs::Metadata) -> u32 {
    0o755
}

/// (hook name, script path relative to the bundle root), in AppSpec order.
fn hook_locations(appspec: &serde_json::Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(hooks) = appspec.get("hooks").and_then(|h| h.as_object()) {
        for (hook, scripts) in hooks {
            for s in scripts.as_array().into_iter().flatten() {
                if let Some(l) = s.get("location").and_then(|l| l.as_str()) {
                    let l = l.trim_start_matches("./").trim_start_matches('/');
                    out.push((hook.clone(), l.to_owned()));
                }
            }
        }
    }
    out
}

/// The first path at which two documents differ (`hooks.AfterInstall[0].timeout`).
fn first_difference(a: &serde_json::Value, b: &serde_json::Value, at: &str) -> Option<String> {
    use serde_json::Value;
    let here = || {
        if at.is_empty() {
            "(document)".to_owned()
        } else {
            at.to_owned()
        }
    };
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                let p = if at.is_empty() {
                    k.clone()
                } else {
                    format!("{at}.{k}")
                };
                match y.get(k) {
                    Some(w) => {
                        if let Some(d) = first_difference(v, w, &p) {
                            return Some(d);
                        }
                    }
                    None => return Some(p),
                }
            }
            y.keys().find(|k| !x.contains_key(*k)).map(|k| {
                if at.is_empty() {
                    k.clone()
                } else {
                    format!("{at}.{k}")
                }
            })
        }
        (Value::Array(x), Value::Array(y)) => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                if let Some(d) = first_difference(v, w, &format!("{at}[{i}]")) {
                    return Some(d);
                }
            }
            (x.len() != y.len()).then(here)
        }
        (Value::Number(x), Value::Number(y)) => (x.as_f64() != y.as_f64()).then(here),
        _ => (a != b).then(here),
    }
}

/// Packs sorted files into a deterministic zip.
fn pack(tier: &str, items: Vec<Item>) -> Result<Bundle> {
    use zip::write::SimpleFileOptions;
    let zip_err = |e: zip::result::ZipError| Error::Zip {
        tier: tier.to_owned(),
        message: e.to_string(),
    };
    let io_err = |e: std::io::Error| Error::Zip {
        tier: tier.to_owned(),
        message: e.to_string(),
    };
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut entries = Vec::with_capacity(items.len());
    for i in items {
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(6))
            .last_modified_time(zip::DateTime::default())
            .system(zip::System::Unix)
            .unix_permissions(i.mode)
            .large_file(false);
        w.start_file(i.path.as_str(), options).map_err(zip_err)?;
        w.write_all(&i.data).map_err(io_err)?;
        entries.push(Entry {
            path: i.path,
            mode: i.mode,
            size: i.data.len() as u64,
            from_app: i.from_app,
        });
    }
    let bytes = w.finish().map_err(zip_err)?.into_inner();
    let sha256 = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(Bundle {
        tier: tier.to_owned(),
        entries,
        bytes,
        sha256,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn differences_are_named_by_path() {
        let a = json!({"hooks": {"AfterInstall": [{"timeout": 120}]}, "os": "linux"});
        let b = json!({"hooks": {"AfterInstall": [{"timeout": 60}]}, "os": "linux"});
        assert_eq!(
            first_difference(&a, &b, "").as_deref(),
            Some("hooks.AfterInstall[0].timeout")
        );
        assert_eq!(first_difference(&a, &a, ""), None);
        let c = json!({"hooks": {"AfterInstall": [{"timeout": 120}]}, "os": "linux", "x": 1});
        assert_eq!(first_difference(&a, &c, "").as_deref(), Some("x"));
        // 0.0 and 0 are the same version
        assert_eq!(first_difference(&json!(0.0), &json!(0), ""), None);
    }

    #[test]
    fn hook_locations_are_relative_to_the_bundle() {
        let spec = json!({"hooks": {"BeforeInstall": [{"location": "./scripts/a.sh"}], "AfterInstall": [{"location": "/scripts/b.sh"}]}});
        assert_eq!(
            hook_locations(&spec),
            vec![
                ("BeforeInstall".to_owned(), "scripts/a.sh".to_owned()),
                ("AfterInstall".to_owned(), "scripts/b.sh".to_owned())
            ]
        );
    }
}

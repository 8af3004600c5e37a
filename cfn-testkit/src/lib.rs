//! Test support shared by the workspace's peer tests (a dev-dependency
//! only): moto's endpoint as `scripts/test.sh` exports it, unique names for
//! stacks and buckets, a lock that serializes calls moto cannot take
//! concurrently, and ([`faults`]) a fault-injecting proxy and private moto
//! servers.

pub mod faults;

use std::sync::{Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

/// moto's endpoint (`MOTO_ENDPOINT`, set by `scripts/test.sh`, which starts
/// moto's server). Without it a peer test skips, saying so on stderr;
/// with `PEERS_REQUIRED=1` (as in the test command and CI) it fails.
pub fn moto_endpoint() -> Option<String> {
    match std::env::var("MOTO_ENDPOINT") {
        Ok(e) if !e.is_empty() => Some(e),
        _ if std::env::var("PEERS_REQUIRED").as_deref() == Ok("1") => panic!(
            "MOTO_ENDPOINT is not set; run the tests through scripts/test.sh, which starts moto's server"
        ),
        _ => {
            eprintln!(
                "SKIPPING: MOTO_ENDPOINT is not set (run scripts/test.sh to start moto's server)"
            );
            None
        }
    }
}

/// The path a peer tool's variable names (`CFN_LINT`, `PEER_PYTHON`, set
/// by `scripts/test.sh`). Without it a peer test skips, saying so on
/// stderr; with `PEERS_REQUIRED=1` it fails.
pub fn peer(var: &str) -> Option<std::path::PathBuf> {
    match std::env::var_os(var) {
        Some(p) => Some(std::path::PathBuf::from(p)),
        None if std::env::var("PEERS_REQUIRED").as_deref() == Ok("1") => panic!(
            "{var} is not set; run the tests through scripts/test.sh, which installs the peers"
        ),
        None => {
            eprintln!("SKIPPING: {var} is not set (run scripts/test.sh to install the peers)");
            None
        }
    }
}

/// Writes `files` (`(file name, contents)`) into a temporary directory and
/// asserts that cfn-lint (`CFN_LINT`) reports nothing on them; skips as
/// [`peer`] does.
pub fn assert_cfn_lint_clean(label: &str, files: &[(String, String)]) {
    let Some(cfn_lint) = peer("CFN_LINT") else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("cfn-lint-{label}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut paths = Vec::new();
    for (name, contents) in files {
        let path = dir.join(name);
        std::fs::write(&path, contents).unwrap();
        paths.push(path);
    }
    let out = std::process::Command::new(&cfn_lint)
        .args(["--format", "parseable", "--"])
        .args(&paths)
        .output()
        .expect("cfn-lint runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.trim().is_empty(),
        "cfn-lint found problems (exit {:?}):\n{stdout}\n{stderr}",
        out.status.code()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A lock held for the whole of a test that deploys: moto's
/// ValidateTemplate writes the template to `file.tmp` in its working
/// directory, so concurrent calls would race. Names stay unique per test
/// anyway.
pub fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// A name unique to this test and run, valid as a stack and a bucket name
/// for short test names: `cfn-{test}-{pid}-{nanos}`.
pub fn unique(test: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "cfn-{test}-{}-{}",
        std::process::id(),
        nanos % 1_000_000_000
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn unique_names_differ_and_fit_bucket_rules() {
        let (a, b) = (super::unique("x"), super::unique("x"));
        assert_ne!(a, b);
        assert!(
            a.len() <= 63
                && a.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        );
    }
}

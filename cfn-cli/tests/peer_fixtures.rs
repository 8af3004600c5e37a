//! Other people's templates: every template under cfn-lint's
//! `test/fixtures/templates/good/` (from its pinned, checksummed sdist,
//! downloaded by `scripts/test.sh`, never committed) must give no error from
//! `cfnkit validate`, or be listed in `tests/peer-exceptions.txt` with the
//! reason cfnkit is right.
//!
//! `scripts/test.sh` sets `CFN_LINT_FIXTURES` to the sdist's
//! `test/fixtures/templates` directory and `PEERS_REQUIRED=1`, so a missing
//! download fails the run instead of skipping this test.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> Option<PathBuf> {
    match std::env::var_os("CFN_LINT_FIXTURES") {
        Some(p) => Some(PathBuf::from(p)),
        None if std::env::var("PEERS_REQUIRED").as_deref() == Ok("1") => {
            panic!("CFN_LINT_FIXTURES is not set; run the tests through scripts/test.sh, which downloads cfn-lint's sdist")
        }
        None => {
            eprintln!("SKIPPING the cfn-lint fixture suite: CFN_LINT_FIXTURES is not set (run scripts/test.sh)");
            None
        }
    }
}

/// `relative/path.yaml: reason` lines; `#` starts a comment.
fn exceptions() -> BTreeMap<String, String> {
    let text = include_str!("peer-exceptions.txt");
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (path, reason) = l
                .split_once(": ")
                .unwrap_or_else(|| panic!("peer-exceptions.txt: `{l}` has no `: reason`"));
            assert!(
                !reason.trim().is_empty(),
                "`{path}` is listed without a reason"
            );
            (path.to_owned(), reason.to_owned())
        })
        .collect()
}

fn templates(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read `{}`: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            templates(&p, out);
        } else if p
            .extension()
            .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        {
            out.push(p);
        }
    }
}

#[test]
fn cfn_lint_good_fixtures_give_no_error() {
    let Some(root) = fixtures() else {
        return;
    };
    let good = root.join("good");
    let mut files = Vec::new();
    templates(&good, &mut files);
    // and the public templates among the fixtures (AWS Quick Start and
    // sample templates), named from `good` (`../quickstart/vpc.json`)
    let mut public = Vec::new();
    templates(&root.join("public"), &mut public);
    templates(&root.join("quickstart"), &mut public);
    assert!(public.len() >= 20, "only {} public templates", public.len());
    files.extend(public);
    assert!(
        files.len() > 50,
        "only {} templates under `{}`; is CFN_LINT_FIXTURES the sdist's test/fixtures/templates?",
        files.len(),
        good.display()
    );
    let exceptions = exceptions();
    let mut new_errors = Vec::new();
    let mut stale = Vec::new();
    for f in &files {
        let rel = match f.strip_prefix(&good) {
            Ok(r) => r.to_string_lossy().replace('\\', "/"),
            Err(_) => format!(
                "../{}",
                f.strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            ),
        };
        let out = Command::new(env!("CARGO_BIN_EXE_cfnkit"))
            .args(["validate", "--color", "never"])
            .arg(f)
            .output()
            .expect("cfnkit runs");
        let code = out.status.code();
        assert!(
            matches!(code, Some(0..=3)),
            "cfnkit crashed on `{rel}` (exit {code:?}):\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let failed = code != Some(0);
        match (failed, exceptions.contains_key(&rel)) {
            (true, false) => new_errors.push(format!(
                "{rel} (exit {code:?}):\n{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )),
            (false, true) => stale.push(rel),
            _ => {}
        }
    }
    let unknown: Vec<_> = exceptions
        .keys()
        .filter(|k| !good.join(k).exists())
        .collect();
    eprintln!(
        "cfn-lint good fixtures: {} templates, {} listed exceptions, {} new failures",
        files.len(),
        exceptions.len(),
        new_errors.len()
    );
    assert!(
        new_errors.is_empty(),
        "{} good cfn-lint fixture(s) now give errors (fix cfnkit, or list them in \
         cfn-cli/tests/peer-exceptions.txt with the reason cfnkit is right):\n\n{}",
        new_errors.len(),
        new_errors.join("\n")
    );
    assert!(
        stale.is_empty() && unknown.is_empty(),
        "peer-exceptions.txt lists templates that now pass ({stale:?}) or do not exist ({unknown:?}); remove them"
    );
}

/// cfn-lint's bad SAM fixtures whose mistakes SAM's schema (or its
/// transform's `IgnoreGlobals` rule) catches before AWS expands the
/// template: each must give a `SchemaViolation` at these paths.
const BAD_SAM: &[(&str, &[&str])] = &[
    (
        "transform_serverless_template.yaml",
        &[
            "Resources/ExampleLayer/Properties",
            "Resources/AppName/Properties",
        ],
    ),
    ("transform/no_properties.yaml", &["Resources/MyApi"]),
    (
        "resources/serverless/ignore_globals_typo.yaml",
        &[
            "Resources/TypoFunction/IgnoreGlobals/0",
            "Resources/AnotherTypoFunction/IgnoreGlobals/0",
        ],
    ),
];

#[test]
fn cfn_lint_sam_fixtures_good_pass_bad_are_caught() {
    let Some(root) = fixtures() else {
        return;
    };
    let sam_findings = |f: &Path| -> Vec<String> {
        let out = Command::new(env!("CARGO_BIN_EXE_cfnkit"))
            .args(["validate", "--format", "json"])
            .arg(f)
            .output()
            .expect("cfnkit runs");
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("`{}`: {e}", f.display()));
        doc["files"][0]["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|x| {
                x["rule"] == "SchemaViolation"
                    && x["message"].as_str().is_some_and(|m| m.contains("(SAM, "))
            })
            .map(|x| x["path"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let exceptions = exceptions();
    let mut files = Vec::new();
    templates(&root.join("good"), &mut files);
    let mut sam = 0;
    let mut found = 0;
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        if !text.contains("AWS::Serverless-2016-10-31") {
            continue;
        }
        sam += 1;
        let rel = f
            .strip_prefix(root.join("good"))
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let paths = sam_findings(f);
        found += paths.len();
        assert!(
            paths.is_empty() || exceptions.contains_key(&rel),
            "good SAM fixture `{rel}` gets SAM findings at {paths:?}"
        );
    }
    eprintln!("cfn-lint good SAM fixtures: {sam} templates, {found} SAM finding(s) (all in listed exceptions)");
    assert!(
        sam >= 20,
        "only {sam} SAM templates among the good fixtures"
    );
    for (rel, want) in BAD_SAM {
        let paths = sam_findings(&root.join("bad").join(rel));
        for w in *want {
            assert!(
                paths.iter().any(|p| p == w),
                "bad SAM fixture `{rel}`: no SAM finding at `{w}` (found {paths:?})"
            );
        }
    }
}

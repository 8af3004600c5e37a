//! The `cfnkit` binary end to end: every output format of validate, lint and
//! diff (snapshots), exit codes, and bad input.

use std::process::Command;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn cfnkit(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_cfnkit"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures"))
        .env("NO_COLOR", "1")
        .output()
        .expect("cfnkit runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn validate_human_json_sarif() {
    let ok = cfnkit(&["validate", "good.json"]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    let human = cfnkit(&["validate", "broken.yaml"]);
    assert_eq!(human.code, 1);
    insta::assert_snapshot!("validate_human", human.stdout);
    let json = cfnkit(&["validate", "--format", "json", "broken.yaml"]);
    assert_eq!(json.code, 1);
    insta::assert_snapshot!("validate_json", json.stdout);
    let sarif = cfnkit(&["validate", "--format", "sarif", "broken.yaml"]);
    assert_eq!(sarif.code, 1);
    let doc: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    assert_eq!(doc["version"], "2.1.0");
    insta::assert_snapshot!("validate_sarif", sarif.stdout);
}

#[test]
fn lint_formats_and_exit_codes() {
    let clean = cfnkit(&["lint", "good.json"]);
    assert_eq!(clean.code, 0, "{}{}", clean.stdout, clean.stderr);
    let human = cfnkit(&["lint", "insecure.yaml"]);
    assert_eq!(human.code, 1);
    insta::assert_snapshot!("lint_human", human.stdout);
    let json = cfnkit(&["lint", "--format", "json", "insecure.yaml"]);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let list = &doc["files"][0]["findings"];
    assert!(list.as_array().unwrap().len() >= 25);
    let sarif = cfnkit(&["lint", "--format", "sarif", "insecure.yaml"]);
    let doc: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    let rules = doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(
        rules.iter().all(|r| r["help"]["text"].is_string()),
        "every lint rule carries its fix"
    );
    insta::assert_snapshot!(
        "lint_json_first_finding",
        serde_json::to_string_pretty(&list[0]).unwrap()
    );
    insta::assert_snapshot!("lint_json", json.stdout);
    insta::assert_snapshot!("lint_sarif", sarif.stdout);
}

#[test]
fn lint_min_severity_and_strict() {
    let levels = |args: &[&str]| -> (i32, Vec<String>) {
        let run = cfnkit(args);
        let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let mut levels: Vec<String> = doc["files"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|f| f["findings"].as_array().unwrap())
            .map(|p| p["level"].as_str().unwrap().to_owned())
            .collect();
        levels.dedup();
        levels.sort();
        levels.dedup();
        (run.code, levels)
    };
    // high is an error, medium a warning, low a note
    assert_eq!(
        levels(&["lint", "--format", "json", "insecure.yaml"]),
        (1, vec!["error".into(), "note".into(), "warning".into()])
    );
    assert_eq!(
        levels(&[
            "lint",
            "--format",
            "json",
            "--min-severity",
            "high",
            "insecure.yaml"
        ]),
        (1, vec!["error".into()])
    );
    assert_eq!(
        levels(&[
            "lint",
            "--format",
            "json",
            "--min-severity",
            "medium",
            "insecure.yaml"
        ]),
        (1, vec!["error".into(), "warning".into()])
    );
    // warnings and notes fail only with --strict
    let yaml = "Resources:\n  K:\n    Type: AWS::KMS::Key\n    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n";
    let dir = std::env::temp_dir().join(format!("cfnkit-min-severity-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("key.yaml");
    std::fs::write(&file, yaml).unwrap();
    let f = file.to_str().unwrap();
    assert_eq!(cfnkit(&["lint", f]).code, 0);
    assert_eq!(cfnkit(&["lint", "--strict", f]).code, 1);
    assert_eq!(
        cfnkit(&["lint", "--strict", "--min-severity", "medium", f]).code,
        0
    );
    let bad = cfnkit(&["lint", "--min-severity", "severe", f]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn diff_formats_and_fail_on() {
    let text = cfnkit(&["diff", "old.yaml", "new.yaml"]);
    assert_eq!(text.code, 0);
    insta::assert_snapshot!("diff_text", text.stdout);
    let md = cfnkit(&["diff", "--format", "markdown", "old.yaml", "new.yaml"]);
    insta::assert_snapshot!("diff_markdown", md.stdout);
    let json = cfnkit(&["diff", "--format", "json", "old.yaml", "new.yaml"]);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert!(doc["new.yaml"]["resources"].is_array());
    // BucketName is create-only in the registry schema: --fail-on replacement trips
    let fail = cfnkit(&["diff", "--fail-on", "replacement", "old.yaml", "new.yaml"]);
    assert_eq!(fail.code, 1);
    assert!(
        fail.stderr.contains("--fail-on replacement"),
        "{}",
        fail.stderr
    );
    // The bucket is stateful: its replacement is data at risk.
    let risk = cfnkit(&["diff", "--fail-on", "data-at-risk", "old.yaml", "new.yaml"]);
    assert_eq!(risk.code, 1, "{}", risk.stderr);
    assert!(
        risk.stderr.contains("--fail-on data-at-risk"),
        "{}",
        risk.stderr
    );
    let none_at_risk = cfnkit(&["diff", "--fail-on", "data-at-risk", "old.yaml", "old.yaml"]);
    assert_eq!(none_at_risk.code, 0);
    let same = cfnkit(&["diff", "--fail-on", "any", "old.yaml", "old.yaml"]);
    assert_eq!(same.code, 0);
    assert_eq!(same.stdout, "no changes\n");
}

#[test]
fn graph_and_convert() {
    let dot = cfnkit(&["graph", "--format", "dot", "insecure.yaml"]);
    assert_eq!(dot.code, 0);
    assert!(dot.stdout.starts_with("digraph template {"));
    let yaml = cfnkit(&["convert", "good.json", "--to", "yaml"]);
    assert_eq!(yaml.code, 0, "{}", yaml.stderr);
    assert!(yaml.stdout.contains("EnableKeyRotation: true"));
    let refuse = cfnkit(&["convert", "good.json", "--to", "json", "--out", "good.json"]);
    assert_eq!(refuse.code, 3);
    assert!(
        refuse.stderr.contains("refusing to overwrite the input"),
        "{}",
        refuse.stderr
    );
}

#[test]
fn bad_input() {
    let cases: &[&[&str]] = &[
        &["validate", "missing.yaml"],
        &["validate", "malformed.json"],
        &["lint", "malformed.json"],
        &["diff", "old.yaml", "missing.yaml"],
        &["diff", "old.yaml", "."],
        &["validate"],
        &["validate", "--format", "xml", "good.json"],
        &["frobnicate"],
        &["diff", "--fail-on", "sometimes", "old.yaml", "new.yaml"],
    ];
    let mut out = String::new();
    for args in cases {
        let r = cfnkit(args);
        assert!(r.code == 2 || r.code == 3, "{args:?}: {}", r.code);
        let first = r.stderr.lines().next().unwrap_or_default();
        out.push_str(&format!("cfnkit {} -> exit {}\n", args.join(" "), r.code));
        // load problems are findings on stdout, in the chosen format
        if let Some(finding) = r.stdout.lines().next() {
            out.push_str(&format!("  stdout: {finding}\n"));
        }
        out.push_str(&format!("  {first}\n"));
    }
    insta::assert_snapshot!("bad_input", out);
}

#[test]
fn help_and_completions() {
    let help = cfnkit(&["--help"]);
    assert_eq!(help.code, 0);
    for cmd in [
        "validate",
        "lint",
        "diff",
        "graph",
        "convert",
        "completions",
    ] {
        assert!(help.stdout.contains(cmd), "{cmd} missing from --help");
        assert_eq!(cfnkit(&[cmd, "--help"]).code, 0);
    }
    let bash = cfnkit(&["completions", "bash"]);
    assert_eq!(bash.code, 0);
    assert!(bash.stdout.contains("cfnkit"));
}

#[test]
fn many_files_one_result_each() {
    // an unloadable file among good ones: every file is reported, in every
    // format, and the exit code is the worst (3: bad input)
    for format in ["human", "json", "sarif"] {
        let r = cfnkit(&[
            "validate",
            "--format",
            format,
            "good.json",
            "malformed.json",
            "insecure.yaml",
        ]);
        assert_eq!(r.code, 3, "{format}: {}", r.stderr);
        assert!(
            r.stdout.contains("malformed.json"),
            "{format}: {}",
            r.stdout
        );
        assert!(r.stdout.contains("load/Syntax"), "{format}: {}", r.stdout);
    }
    let human = cfnkit(&["validate", "good.json", "malformed.json"]);
    insta::assert_snapshot!("many_files_human", human.stdout);

    // JSON and SARIF carry a result for every file, findings or not
    let files = ["good.json", "malformed.json", "insecure.yaml"];
    let json = cfnkit(&["validate", "--format", "json", files[0], files[1], files[2]]);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let mut status: Vec<(String, String)> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let name = f["file"].as_str().unwrap().to_owned();
            (name, f["status"].as_str().unwrap().to_owned())
        })
        .collect();
    status.sort();
    assert_eq!(
        status,
        [
            ("good.json".to_owned(), "ok".to_owned()),
            ("insecure.yaml".to_owned(), "ok".to_owned()),
            ("malformed.json".to_owned(), "not-loaded".to_owned()),
        ]
    );
    assert_eq!(doc["summary"]["files"], 3);
    assert_eq!(doc["summary"]["not_loaded"], 1);
    let sarif = cfnkit(&[
        "validate", "--format", "sarif", files[0], files[1], files[2],
    ]);
    let doc: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    let mut uris: Vec<&str> = doc["runs"][0]["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["location"]["uri"].as_str().unwrap())
        .collect();
    uris.sort();
    assert_eq!(uris, ["good.json", "insecure.yaml", "malformed.json"]);
    for r in doc["runs"][0]["results"].as_array().unwrap() {
        let loc = &r["locations"][0]["physicalLocation"]["artifactLocation"];
        let i = loc["index"].as_u64().unwrap() as usize;
        assert_eq!(
            doc["runs"][0]["artifacts"][i]["location"]["uri"],
            loc["uri"]
        );
    }
}

#[test]
fn sam_note_in_every_format() {
    let yaml = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: index.handler\n      Runtime: python3.12\n      InlineCode: 'def handler(e, c): return 1'\n";
    let dir = std::env::temp_dir().join(format!("cfnkit-sam-note-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("sam.yaml");
    std::fs::write(&file, yaml).unwrap();
    let f = file.to_str().unwrap();
    let human = cfnkit(&["validate", f]);
    assert_eq!(human.code, 0, "{}{}", human.stdout, human.stderr);
    assert!(
        human.stdout.contains("note[sam/ExpandedByAws]")
            && human.stdout.contains("checked only after AWS"),
        "{}",
        human.stdout
    );
    // a note informs: it does not fail, not even with --strict
    let strict = cfnkit(&["validate", "--strict", f]);
    assert_eq!(strict.code, 0, "{}", strict.stdout);
    let json = cfnkit(&["validate", "--format", "json", f]);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let file0 = &doc["files"][0];
    assert_eq!(file0["status"], "notes");
    assert_eq!(file0["findings"][0]["level"], "note");
    assert_eq!(file0["findings"][0]["rule"], "sam/ExpandedByAws");
    let sarif = cfnkit(&["validate", "--format", "sarif", f]);
    let doc: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    let result = &doc["runs"][0]["results"][0];
    assert_eq!(result["level"], "note");
    assert_eq!(result["ruleId"], "sam/ExpandedByAws");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn sam_schema_findings_in_every_format() {
    let human = cfnkit(&["validate", "sam_bad.yaml"]);
    assert_eq!(human.code, 1, "{}{}", human.stdout, human.stderr);
    insta::assert_snapshot!("validate_sam_human", human.stdout);
    let json = cfnkit(&["validate", "--format", "json", "sam_bad.yaml"]);
    assert_eq!(json.code, 1);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let findings = doc["files"][0]["findings"].as_array().unwrap();
    let paths: Vec<&str> = findings
        .iter()
        .filter(|f| f["rule"] == "SchemaViolation")
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    for p in [
        "Globals/Function/Timout",
        "Globals/Function/FunctionName",
        "Globals/Functions",
        "Resources/Handler/Properties/Runtim",
        "Resources/Handler/Properties/Tags",
        "Resources/Handler/Properties/Tracing",
        "Resources/Handler/Properties/Policies/1/S3ReadPolicy",
        "Resources/Handler/Properties/Events/Jobs/Properties/BatchSiz",
        "Resources/Checked/Properties/Architectures/0",
        "Resources/Layer/Properties",
    ] {
        assert!(paths.contains(&p), "{p} not in {paths:#?}");
    }
    // every SAM finding has its line, and the note still says what waits for AWS
    assert!(findings
        .iter()
        .filter(|f| f["rule"] == "SchemaViolation")
        .all(|f| f["line"].is_u64()));
    assert!(findings.iter().any(|f| f["rule"] == "sam/ExpandedByAws"));
    let sarif = cfnkit(&["validate", "--format", "sarif", "sam_bad.yaml"]);
    assert_eq!(sarif.code, 1);
    let doc: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    let results = doc["runs"][0]["results"].as_array().unwrap();
    let runtim = results
        .iter()
        .find(|r| r["message"]["text"].as_str().unwrap().contains("`Runtim`"))
        .expect("the mistyped property is a SARIF result");
    assert_eq!(runtim["level"], "error");
    assert!(runtim["message"]["text"]
        .as_str()
        .unwrap()
        .contains("did you mean `Runtime`?"));
    // the name meant is data too: `suggestion` in JSON, in SARIF's properties
    let runtim_json = findings
        .iter()
        .find(|f| f["path"] == "Resources/Handler/Properties/Runtim")
        .unwrap();
    assert_eq!(runtim_json["suggestion"], "Runtime");
    assert_eq!(runtim["properties"]["suggestion"], "Runtime");
    assert!(findings
        .iter()
        .filter(|f| f["path"] == "Resources/Handler/Properties/Tracing")
        .all(|f| f.get("suggestion").is_none()));
}

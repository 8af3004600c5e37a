//! Real peers, not mocks: cfn-lint (pinned, from PyPI) must report nothing
//! on every rendered template, and YAML output must read back in PyYAML and
//! cfn-lint's own YAML loader exactly as the JSON rendering does.
//!
//! `scripts/test.sh` installs the peers into `.venv` and sets `CFN_LINT` and
//! `PEER_PYTHON`; it also sets `PEERS_REQUIRED=1`, so a missing peer fails
//! the run instead of skipping these tests.

use cfn_core::{Format, Raw, Template};
use std::path::PathBuf;
use std::process::Command;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cfn-peers-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every template the main job renders, in JSON and YAML.
fn rendered() -> Vec<(String, Template)> {
    raven_stack::environments()
        .unwrap()
        .iter()
        .map(|env| {
            let s = raven_stack::build(env).unwrap();
            (s.name, s.template)
        })
        .collect()
}

#[test]
fn cfn_lint_reports_nothing_on_rendered_templates() {
    let mut files = Vec::new();
    for (name, t) in rendered() {
        for format in [Format::Json, Format::Yaml] {
            files.push((
                format!("{name}.{}", format.extension()),
                t.synth(format).unwrap(),
            ));
        }
    }
    cfn_testkit::assert_cfn_lint_clean("raven", &files);
}

const COMPARE: &str = r#"
import json, sys, yaml
from cfnlint.decode import cfn_yaml
ok = True
for path in sys.argv[1:]:
    with open(path + ".json") as f:
        want = json.load(f)
    with open(path + ".yaml") as f:
        text = f.read()
    for name, got in (("PyYAML", yaml.safe_load(text)), ("cfn-lint", cfn_yaml.loads(text))):
        if json.loads(json.dumps(got)) != want:
            ok = False
            print(f"{path}: {name} reads the YAML differently from the JSON")
sys.exit(0 if ok else 1)
"#;

#[test]
fn yaml_reads_back_identically_in_pyyaml_and_cfn_lint() {
    let Some(python) = cfn_testkit::peer("PEER_PYTHON") else {
        return;
    };
    let dir = temp_dir("yaml");
    let mut tricky = Raw::new("AWS::SNS::Topic");
    let scalars = [
        "on",
        "off",
        "yes",
        "no",
        "y",
        "n",
        "Y",
        "N",
        "true",
        "False",
        "null",
        "~",
        "",
        "2010-09-09",
        "2001-12-14t21:59:43.10-05:00",
        "12:30",
        "12:30:45",
        "0777",
        "0o17",
        "0x1F",
        "0b101",
        "1_000",
        "1e3",
        "1.0",
        ".5",
        "+1",
        "-1",
        ".inf",
        "-.inf",
        ".nan",
        "=",
        "<<",
        "-",
        "?",
        "#x",
        "a: b",
        "a #b",
        "- x",
        "*a",
        "&a",
        "!Ref",
        "@x",
        "%x",
        "`x",
        "|",
        ">",
        "[x]",
        "{x}",
        "'q'",
        "\"dq\"",
        "multi\nline\n",
        "trailing\n\n",
        " lead",
        "trail ",
        "tab\there",
        "{{resolve:ssm:/x}}",
        "é ünï",
        "\u{1F600}",
    ];
    for (i, v) in scalars.iter().enumerate() {
        tricky = tricky.property(format!("P{i}"), *v);
    }
    let mut t = Template::new();
    t.add("Tricky", tricky).unwrap();
    let mut all = rendered();
    all.push(("tricky".into(), t));
    let mut stems = Vec::new();
    for (name, t) in all {
        let stem = dir.join(&name);
        std::fs::write(stem.with_extension("json"), t.render(Format::Json)).unwrap();
        std::fs::write(stem.with_extension("yaml"), t.render(Format::Yaml)).unwrap();
        stems.push(stem);
    }
    let out = Command::new(&python)
        .arg("-c")
        .arg(COMPARE)
        .args(&stems)
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

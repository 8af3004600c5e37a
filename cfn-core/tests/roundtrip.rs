//! Parsing existing templates: JSON and YAML (short-form tags included) read
//! into the same model, and render(parse(t)) equals t as data.

use cfn_core::{Format, Template};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn short_form_yaml_equals_long_form_json() {
    let yaml = Template::from_yaml(&fixture("short_form.yaml")).unwrap();
    let json = Template::from_json(&fixture("short_form.json")).unwrap();
    assert_eq!(yaml, json);
    assert_eq!(
        yaml.to_json_value(),
        serde_json::from_str::<serde_json::Value>(&fixture("short_form.json")).unwrap()
    );
}

#[test]
fn render_of_parse_is_the_same_data() {
    for name in ["short_form.yaml", "short_form.json"] {
        let src = fixture(name);
        let format = cfn_core::parse::detect_format(&src);
        let t = Template::parse_str(&src, format, Some(name)).unwrap();
        for out in [Format::Json, Format::Yaml] {
            let again = Template::parse_str(&t.render(out), out, None).unwrap();
            assert_eq!(again, t, "{name} via {out:?}");
        }
    }
}

#[test]
fn parsed_template_validates() {
    let t = Template::from_yaml(&fixture("short_form.yaml")).unwrap();
    let report = t.validate();
    assert!(report.is_ok(), "{report}");
}

#[test]
fn yaml_11_scalars_are_quoted_and_read_back() {
    let mut t = Template::new();
    let tricky = [
        "on",
        "off",
        "yes",
        "no",
        "y",
        "n",
        "true",
        "False",
        "null",
        "~",
        "",
        "2010-09-09",
        "12:30",
        "0777",
        "0x1F",
        "1e3",
        "1.0",
        ".inf",
        "-",
        "#x",
        "a: b",
        "- x",
        "*a",
        "&a",
        "!Ref",
        "@x",
        "%x",
        "`x",
        "multi\nline",
        " lead",
        "trail ",
        "{{resolve:ssm:x}}",
        "<<",
        "=",
        "é",
    ];
    let mut raw = cfn_core::Raw::new("AWS::SNS::Topic");
    for (i, v) in tricky.iter().enumerate() {
        raw = raw.property(format!("P{i}"), *v);
    }
    t.add("Topic", raw).unwrap();
    let yaml = t.to_yaml();
    let back = Template::from_yaml(&yaml).unwrap();
    assert_eq!(back, t, "{yaml}");
}

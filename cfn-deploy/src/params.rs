//! Parameter values for a deploy: parameters files, and the values sent
//! with a change set.
//!
//! The check of values against the template is `cfn-core`'s
//! ([`cfn_core::check_parameter_values`], which also documents the rule for
//! parameters not given); this module reads files and asks the deployed
//! stack which parameters it has.

use crate::deploy::Deployer;
use crate::error::{Error, Result};
use crate::request::DeployRequest;
use aws_sdk_cloudformation::types as sdk;
use cfn_core::{check_parameter_values, DeployedParameters, ParameterInput};
use serde_json::Value as Json;
use std::path::Path;

const FORMS: &str = "expected CloudFormation's list form `[{\"ParameterKey\": \"Env\", \"ParameterValue\": \"dev\"}, {\"ParameterKey\": \"Db\", \"UsePreviousValue\": true}]` or a map `{\"Env\": \"dev\"}`, in JSON or YAML";

/// Reads a parameters file: CloudFormation's list form
/// (`ParameterKey` with `ParameterValue` or `UsePreviousValue: true`) or a
/// plain map of names to values, in JSON or YAML. Numbers and booleans
/// become their text; a list becomes comma-separated text (for list types).
///
/// Errors: [`Error::ParametersFile`] naming the file, the entry and the
/// accepted forms.
pub fn read_parameters_file(path: &Path) -> Result<Vec<(String, ParameterInput)>> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| Error::ParametersFile {
        file: file.clone(),
        message: "cannot read it".into(),
        suggestion: None,
        source: Some(e),
    })?;
    parse_parameters(&text, &file)
}

/// Parses the text of a parameters file (see [`read_parameters_file`]);
/// `file` names it in errors.
///
/// ```
/// use cfn_deploy::{parse_parameters, ParameterInput};
/// let list = r#"[{"ParameterKey": "Env", "ParameterValue": "dev"},
///                {"ParameterKey": "Cert", "UsePreviousValue": true}]"#;
/// let p = parse_parameters(list, "params.json").unwrap();
/// assert_eq!(p[0], ("Env".into(), ParameterInput::Value("dev".into())));
/// assert_eq!(p[1], ("Cert".into(), ParameterInput::UsePrevious));
///
/// let map = "Env: prod\nSize: 3\nZones: [a, b]\n";
/// let p = parse_parameters(map, "params.yaml").unwrap();
/// assert_eq!(p[1], ("Size".into(), ParameterInput::Value("3".into())));
/// assert_eq!(p[2], ("Zones".into(), ParameterInput::Value("a,b".into())));
/// ```
pub fn parse_parameters(text: &str, file: &str) -> Result<Vec<(String, ParameterInput)>> {
    let bad_suggesting = |message: String, suggestion: Option<String>| Error::ParametersFile {
        file: file.to_owned(),
        message,
        suggestion,
        source: None,
    };
    let bad = |message: String| bad_suggesting(message, None);
    let doc: Json = if text.trim_start().starts_with(['{', '[']) {
        serde_json::from_str(text).map_err(|e| bad(format!("not valid JSON: {e}")))?
    } else {
        serde_saphyr::from_str(text).map_err(|e| bad(format!("not valid YAML: {e}")))?
    };
    let mut out = Vec::new();
    match doc {
        Json::Object(map) => {
            for (k, v) in map {
                let value = scalar_text(&v).ok_or_else(|| {
                    bad(format!(
                        "the value of `{k}` is {}, not text, a number, a boolean or a list of them; {FORMS}",
                        kind(&v)
                    ))
                })?;
                out.push((k, ParameterInput::Value(value)));
            }
        }
        Json::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if let Some((k, hint)) = unknown_list_key(item) {
                    return Err(bad_suggesting(
                        format!("entry {}: unknown key `{k}`{hint}; {FORMS}", i + 1),
                        hint.suggestion().map(str::to_owned),
                    ));
                }
                out.push(
                    list_entry(item).map_err(|m| bad(format!("entry {}: {m}; {FORMS}", i + 1)))?,
                );
            }
        }
        other => return Err(bad(format!("found {}; {FORMS}", kind(&other)))),
    }
    Ok(out)
}

/// A key of a list entry that CloudFormation's list form does not have,
/// with the key probably meant.
fn unknown_list_key(item: &Json) -> Option<(&str, cfn_core::error::Hint)> {
    let Json::Object(m) = item else { return None };
    let k = m.keys().find(|k| {
        !matches!(
            k.as_str(),
            "ParameterKey" | "ParameterValue" | "UsePreviousValue" | "ResolvedValue"
        )
    })?;
    let hint = cfn_core::error::suggest(k, ["ParameterKey", "ParameterValue", "UsePreviousValue"]);
    Some((k, hint))
}

fn list_entry(item: &Json) -> std::result::Result<(String, ParameterInput), String> {
    let Json::Object(m) = item else {
        return Err(format!("found {}, not an object", kind(item)));
    };
    let Some(Json::String(key)) = m.get("ParameterKey") else {
        return Err("no `ParameterKey` text".into());
    };
    let previous = match m.get("UsePreviousValue") {
        None | Some(Json::Bool(false)) => false,
        Some(Json::Bool(true)) => true,
        Some(Json::String(s)) if s.eq_ignore_ascii_case("true") => true,
        Some(Json::String(s)) if s.eq_ignore_ascii_case("false") => false,
        Some(other) => {
            return Err(format!(
                "`UsePreviousValue` of `{key}` is {}, not true or false",
                kind(other)
            ))
        }
    };
    match (m.get("ParameterValue"), previous) {
        (Some(_), true) => Err(format!(
            "`{key}` has both `ParameterValue` and `UsePreviousValue: true`; keep one"
        )),
        (None, true) => Ok((key.clone(), ParameterInput::UsePrevious)),
        (None, false) => Err(format!(
            "`{key}` has neither `ParameterValue` nor `UsePreviousValue: true`"
        )),
        (Some(v), false) => scalar_text(v)
            .map(|t| (key.clone(), ParameterInput::Value(t)))
            .ok_or_else(|| format!("the `ParameterValue` of `{key}` is {}", kind(v))),
    }
}

/// A value as CloudFormation takes it: text, numbers and booleans as text,
/// lists of those comma-separated.
fn scalar_text(v: &Json) -> Option<String> {
    match v {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        Json::Array(items) => items
            .iter()
            .map(|i| match i {
                Json::Array(_) => None,
                other => scalar_text(other),
            })
            .collect::<Option<Vec<_>>>()
            .map(|v| v.join(",")),
        _ => None,
    }
}

fn kind(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "text",
        Json::Array(_) => "a list",
        Json::Object(_) => "a map",
    }
}

impl DeployRequest {
    /// The request's parameter entries in the order they were added: each
    /// [`DeployRequest::parameters`] value, then each
    /// [`DeployRequest::use_previous`] name not also given a value.
    pub(crate) fn parameter_inputs(&self) -> Vec<(String, ParameterInput)> {
        let mut out: Vec<(String, ParameterInput)> = self
            .use_previous
            .iter()
            .map(|k| (k.clone(), ParameterInput::UsePrevious))
            .collect();
        out.extend(
            self.parameters
                .iter()
                .map(|(k, v)| (k.clone(), ParameterInput::Value(v.clone()))),
        );
        out
    }

    /// The names and values checked against the template, without asking
    /// CloudFormation: [`Error::InvalidParameters`] for unknown names and
    /// values that break a constraint. Missing values are decided later,
    /// once the deployed stack is known.
    pub(crate) fn check_parameters_offline(&self) -> Result<()> {
        check_parameter_values(
            &self.template,
            &self.parameter_inputs(),
            DeployedParameters::Unknown,
        )
        .map(drop)
        .map_err(|problems| Error::InvalidParameters {
            stack: self.stack_name.clone(),
            problems,
        })
    }
}

impl Deployer {
    /// The parameters to send with the change set: the given ones checked
    /// against the template, plus `UsePreviousValue` for each parameter not
    /// given that the deployed stack has (`update` true) — see
    /// [`cfn_core::parameter_values`] for the rule.
    pub(crate) async fn change_set_parameters(
        &self,
        req: &DeployRequest,
        update: bool,
    ) -> Result<Vec<sdk::Parameter>> {
        let names = if update {
            self.deployed_parameter_names(&req.stack_name).await?
        } else {
            Vec::new()
        };
        let deployed = if update {
            DeployedParameters::Deployed(&names)
        } else {
            DeployedParameters::NotDeployed
        };
        let resolved = check_parameter_values(&req.template, &req.parameter_inputs(), deployed)
            .map_err(|problems| Error::InvalidParameters {
                stack: req.stack_name.clone(),
                problems,
            })?;
        Ok(resolved
            .into_iter()
            .map(|(k, input)| match input {
                ParameterInput::Value(v) => sdk::Parameter::builder()
                    .parameter_key(k)
                    .parameter_value(v)
                    .build(),
                ParameterInput::UsePrevious => sdk::Parameter::builder()
                    .parameter_key(k)
                    .use_previous_value(true)
                    .build(),
            })
            .collect())
    }

    /// The names of the deployed stack's parameters (none when it does not exist).
    async fn deployed_parameter_names(&self, stack: &str) -> Result<Vec<String>> {
        Ok(self
            .describe_raw(stack)
            .await?
            .map(|s| {
                s.parameters()
                    .iter()
                    .filter_map(|p| p.parameter_key().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        parse_parameters(text, "p.json").unwrap_err().to_string()
    }

    #[test]
    fn bad_files_name_the_entry_and_the_forms() {
        assert!(err("[{\"ParameterKey\": \"A\"}]")
            .contains("entry 1: `A` has neither `ParameterValue` nor `UsePreviousValue: true`"));
        assert!(
            err("[{\"ParameterKye\": \"A\", \"ParameterValue\": \"x\"}]")
                .contains("entry 1: unknown key `ParameterKye` (did you mean `ParameterKey`?); expected CloudFormation's list form")
        );
        let e = parse_parameters("[{\"ParameterKye\": \"A\"}]", "p.json").unwrap_err();
        assert!(
            matches!(&e, Error::ParametersFile { suggestion: Some(s), .. } if s == "ParameterKey"),
            "{e:?}"
        );
        assert_eq!(e.code(), "ParametersFile");
        assert!(err("\"x\"").contains("found text; expected CloudFormation's list form"));
        assert!(err("{\"A\": {\"b\": 1}}").contains("the value of `A` is a map"));
        assert!(err("{").starts_with("parameters file `p.json`: not valid JSON"));
        assert!(err(
            "[{\"ParameterKey\": \"A\", \"ParameterValue\": \"x\", \"UsePreviousValue\": true}]"
        )
        .contains("keep one"));
    }

    #[test]
    fn yaml_list_form_reads_too() {
        let p = parse_parameters(
            "- ParameterKey: Env\n  ParameterValue: dev\n- ParameterKey: Db\n  UsePreviousValue: true\n",
            "p.yaml",
        )
        .unwrap();
        assert_eq!(
            p,
            [
                ("Env".into(), ParameterInput::Value("dev".into())),
                ("Db".into(), ParameterInput::UsePrevious)
            ]
        );
    }
}

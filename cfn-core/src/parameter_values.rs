//! Values given to a template's parameters at deploy time, checked against
//! the template's `Parameters` before anything is sent to CloudFormation.
//!
//! The rule for parameters that are not given:
//!
//! - on an update, a parameter the deployed stack already has keeps its
//!   previous value (`UsePreviousValue`), whether or not the template has a
//!   `Default`: an update that does not mention a parameter must not
//!   silently reset it to the template's default (the same rule as
//!   `aws cloudformation deploy`);
//! - otherwise (a create, or a parameter new to the template) its `Default`
//!   applies, and a parameter without one is an error.
//!
//! Asking for `UsePreviousValue` explicitly is an error where there is no
//! previous value (a create, or a parameter the deployed stack lacks).

use crate::error::{suggest, Error, ErrorKind};
use crate::expr::Expr;
use crate::parameter::Parameter;
use crate::template::Template;

/// What is given for one parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParameterInput {
    /// A value, as CloudFormation receives it (lists comma-separated).
    Value(String),
    /// Keep the value the deployed stack has (`UsePreviousValue: true`).
    UsePrevious,
}

/// What is known about the deployed stack's parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeployedParameters<'a> {
    /// Not looked up yet: only names and values are checked; missing values
    /// and previous values are not decided.
    Unknown,
    /// The stack is being created: there are no previous values.
    NotDeployed,
    /// The stack is deployed with parameters of these names.
    Deployed(&'a [String]),
}

/// Checks the `given` parameter values against `template`'s `Parameters`
/// and returns the list to send: the given entries (the last one wins for a
/// name given twice), then `UsePrevious` for each parameter not given that
/// the deployed stack has. Parameters left out take their `Default`.
///
/// Errors, every one at once, each at `Parameters/<name>`:
/// [`ErrorKind::UnknownParameter`] (with a did-you-mean),
/// [`ErrorKind::InvalidParameterValue`] (type, AllowedValues,
/// AllowedPattern matched against the whole value, MinLength, MaxLength,
/// MinValue, MaxValue, the shape of AWS-specific ids; `NoEcho` values are
/// masked) and [`ErrorKind::MissingParameterValue`].
///
/// ```
/// use cfn_core::{check_parameter_values, DeployedParameters, ParameterInput, Template};
/// let t = Template::from_yaml(
///     "Parameters:\n  Env: {Type: String, AllowedValues: [dev, prod]}\n  Size: {Type: Number, Default: 1}\nResources:\n  T: {Type: AWS::SNS::Topic}\n",
/// ).unwrap();
/// let given = [("Env".to_string(), ParameterInput::Value("dev".into()))];
/// assert!(check_parameter_values(&t, &given, DeployedParameters::NotDeployed).is_ok());
///
/// // on an update, Size keeps its deployed value instead of going back to 1
/// let deployed = ["Env".to_string(), "Size".to_string()];
/// let sent = check_parameter_values(&t, &given, DeployedParameters::Deployed(&deployed)).unwrap();
/// assert_eq!(sent[1], ("Size".to_string(), ParameterInput::UsePrevious));
///
/// let bad = [("Evn".to_string(), ParameterInput::Value("test".into()))];
/// let errors = check_parameter_values(&t, &bad, DeployedParameters::NotDeployed).unwrap_err();
/// assert!(errors[0].to_string().contains("did you mean `Env`?"));
/// assert!(errors[1].to_string().contains("`Env` has no value"));
/// ```
pub fn check_parameter_values(
    template: &Template,
    given: &[(String, ParameterInput)],
    deployed: DeployedParameters<'_>,
) -> Result<Vec<(String, ParameterInput)>, Vec<Error>> {
    let mut sent: Vec<(String, ParameterInput)> = Vec::new();
    for (name, input) in given {
        match sent.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = input.clone(),
            None => sent.push((name.clone(), input.clone())),
        }
    }
    let mut errors = Vec::new();
    for (name, input) in &sent {
        let Some(p) = template.parameters.get(name.as_str()) else {
            errors.push(unknown(template, name));
            continue;
        };
        match input {
            ParameterInput::Value(v) => errors.extend(
                p.check_value(v)
                    .into_iter()
                    .map(|violation| invalid(name, p, v, violation)),
            ),
            ParameterInput::UsePrevious => {
                let reason = match deployed {
                    DeployedParameters::NotDeployed => {
                        "UsePreviousValue was asked, but the stack does not exist yet"
                    }
                    DeployedParameters::Deployed(names) if !names.contains(name) => {
                        "UsePreviousValue was asked, but the deployed stack has no such parameter"
                    }
                    _ => continue,
                };
                errors.push(Error::at(
                    format!("Parameters/{name}"),
                    ErrorKind::MissingParameterValue {
                        name: name.clone(),
                        reason: reason.into(),
                        fix: "give it a value instead".into(),
                    },
                ));
            }
        }
    }
    let previous = match deployed {
        DeployedParameters::Unknown => None,
        DeployedParameters::NotDeployed => Some(&[][..]),
        DeployedParameters::Deployed(names) => Some(names),
    };
    if let Some(previous) = previous {
        for (id, p) in &template.parameters {
            let name = id.as_str();
            if sent.iter().any(|(n, _)| n == name) {
                continue;
            }
            if previous.iter().any(|n| n == name) {
                sent.push((name.to_owned(), ParameterInput::UsePrevious));
            } else if p.default.is_none() {
                let reason = if matches!(deployed, DeployedParameters::NotDeployed) {
                    "it has no Default and the stack is being created"
                } else {
                    "it has no Default and the deployed stack does not have it yet"
                };
                errors.push(Error::at(
                    format!("Parameters/{name}"),
                    ErrorKind::MissingParameterValue {
                        name: name.to_owned(),
                        reason: reason.into(),
                        fix: format!("give it a value{}", expected(p)),
                    },
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(sent)
    } else {
        Err(errors)
    }
}

fn unknown(template: &Template, name: &str) -> Error {
    let names = template.parameters.keys().map(|k| k.as_str());
    Error::at(
        format!("Parameters/{name}"),
        ErrorKind::UnknownParameter {
            name: name.to_owned(),
            hint: suggest(name, names.clone()),
            declared: names.map(str::to_owned).collect(),
        },
    )
}

fn invalid(name: &str, p: &Parameter, value: &str, v: crate::parameter::Violation) -> Error {
    let masked = matches!(&p.no_echo, Some(Expr::Bool(true)))
        || matches!(&p.no_echo, Some(Expr::String(s)) if s.eq_ignore_ascii_case("true"));
    let (value, reason) = if masked {
        (
            "\"****\"".to_owned(),
            format!("the value breaks {}", v.rule),
        )
    } else {
        (serde_json::to_string(value).unwrap_or_default(), v.reason)
    };
    let mut fix = match v.rule {
        "AllowedValues" => "use one of the allowed values".to_owned(),
        "AllowedPattern" => "give a value that the whole pattern matches".to_owned(),
        "MinLength" | "MaxLength" => "give a value of an allowed length".to_owned(),
        "MinValue" | "MaxValue" => "give a number in the allowed range".to_owned(),
        _ => format!("give a value of type {}", p.parameter_type),
    };
    if let Some(cd) = p
        .constraint_description
        .as_deref()
        .filter(|d| !d.is_empty())
    {
        fix.push_str(&format!(" (the template says: {cd})"));
    }
    Error::at(
        format!("Parameters/{name}"),
        ErrorKind::InvalidParameterValue {
            name: name.to_owned(),
            value,
            rule: v.rule.to_owned(),
            reason,
            fix,
        },
    )
}

/// ` (type X, one of [...])`: what a value should look like.
fn expected(p: &Parameter) -> String {
    let mut s = format!(" of type {}", p.parameter_type);
    if let Some(allowed) = &p.allowed_values {
        s.push_str(&format!(
            ", one of {}",
            serde_json::to_string(allowed).unwrap_or_default()
        ));
    } else if let Some(d) = p.description.as_deref().filter(|d| !d.is_empty()) {
        s.push_str(&format!(" ({d})"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t() -> Template {
        Template::from_yaml(
            "Parameters:\n  Env: {Type: String, AllowedValues: [dev, prod]}\n  Size: {Type: Number, Default: 1}\n  Secret: {Type: String, NoEcho: true, MinLength: 8}\nResources:\n  T: {Type: AWS::SNS::Topic}\n",
        )
        .unwrap()
    }

    fn v(k: &str, v: &str) -> (String, ParameterInput) {
        (k.into(), ParameterInput::Value(v.into()))
    }

    #[test]
    fn later_values_override_earlier_ones() {
        let given = [v("Env", "prod"), v("Secret", "abcdefgh"), v("Env", "dev")];
        let sent = check_parameter_values(&t(), &given, DeployedParameters::NotDeployed).unwrap();
        assert_eq!(sent, [v("Env", "dev"), v("Secret", "abcdefgh")]);
    }

    #[test]
    fn unknown_state_decides_nothing_about_missing_values() {
        assert_eq!(
            check_parameter_values(&t(), &[], DeployedParameters::Unknown),
            Ok(vec![])
        );
    }

    #[test]
    fn no_echo_values_are_masked() {
        let e = check_parameter_values(
            &t(),
            &[v("Env", "dev"), v("Secret", "short")],
            DeployedParameters::NotDeployed,
        )
        .unwrap_err();
        assert_eq!(e.len(), 1);
        assert!(!e[0].to_string().contains("short"), "{}", e[0]);
        assert!(e[0].to_string().contains("\"****\""), "{}", e[0]);
    }

    #[test]
    fn use_previous_needs_a_previous_value() {
        let given = [
            ("Env".to_string(), ParameterInput::UsePrevious),
            ("Secret".to_string(), ParameterInput::UsePrevious),
        ];
        let deployed = ["Env".to_string()];
        let e = check_parameter_values(&t(), &given, DeployedParameters::Deployed(&deployed))
            .unwrap_err();
        assert_eq!(e.len(), 1);
        assert!(e[0].to_string().contains("`Secret`"));
        assert!(
            check_parameter_values(&t(), &given, DeployedParameters::NotDeployed)
                .unwrap_err()
                .len()
                == 2
        );
    }
}

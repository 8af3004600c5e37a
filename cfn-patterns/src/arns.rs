//! Resource ARNs for grants, from the IAM action catalogue
//! ([`cfn_resources::schema::iam`], cfn-lint's Policies.json): which
//! resource type of which service an ARN is, so that a grant puts each
//! action only on the ARNs of the types the action supports, and `*` only
//! for actions that support no resource-level permissions.
//!
//! An ARN is either the resource's own attribute, where that returns
//! exactly the catalogue's format (a table's `Arn`,
//! `arn:…:dynamodb:…:table/{name}`), or built from the catalogue's format:
//! its fixed part with the pseudo parameters, then the part that names the
//! resource (an index of a table, the objects of a bucket, the streams of
//! a log group).
//!
//! ```
//! use cfn_core::fns;
//! use cfn_patterns::arns::{allow, ScopedArn};
//! let table = ScopedArn::attribute("dynamodb", "table", fns::sub("${Orders.Arn}")).unwrap();
//! let indexes = ScopedArn::from_format("dynamodb", "index", "${Orders}/index/*").unwrap();
//! let statements = allow(&["dynamodb:GetItem", "dynamodb:Query", "xray:PutTraceSegments"], &[table, indexes]).unwrap();
//! // GetItem on the table; Query on the table and its indexes; X-Ray on `*`
//! assert_eq!(statements.len(), 3);
//! let json = serde_json::to_string(&statements[1].to_json()).unwrap();
//! assert!(json.contains("arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Orders}/index/*"), "{json}");
//! assert!(allow(&["dynamodb:GetItme"], &[]).unwrap_err().to_string().contains("dynamodb:getitem"));
//! ```

use crate::iam::Statement;
use cfn_core::error::Hint;
use cfn_core::{fns, Error, ErrorKind, Result, Value};
use cfn_resources::schema::iam;

/// An ARN a grant scopes actions to, with the catalogue resource type it
/// is an ARN of.
#[derive(Debug, Clone, PartialEq)]
pub struct ScopedArn {
    service: String,
    resource_type: String,
    arn: Value<String>,
}

fn invalid(value: &str, reason: String) -> Error {
    Error::new(ErrorKind::InvalidValue {
        value: format!("{value:?}"),
        hint: cfn_core::error::Hint::None,
        reason,
    })
}

/// The catalogue's ARN formats of a type, or an error naming the type.
fn formats(service: &str, resource_type: &str) -> Result<&'static [&'static str]> {
    let formats = iam::arn_formats(service, resource_type);
    if formats.is_empty() {
        return Err(invalid(
            &format!("{service}:{resource_type}"),
            "the IAM action catalogue has no such resource type".into(),
        ));
    }
    Ok(formats)
}

impl ScopedArn {
    /// The resource's own ARN (`Fn::GetAtt X.Arn`, or a `Ref` that returns
    /// one, as a topic's or a secret's), an ARN of `resource_type` of
    /// `service`: for attributes that return exactly the catalogue's format.
    ///
    /// Errors when the catalogue has no such type.
    pub fn attribute(
        service: &str,
        resource_type: &str,
        arn: impl Into<Value<String>>,
    ) -> Result<Self> {
        formats(service, resource_type)?;
        Ok(ScopedArn {
            service: service.to_ascii_lowercase(),
            resource_type: resource_type.to_ascii_lowercase(),
            arn: arn.into(),
        })
    }

    /// An ARN of `resource_type` of `service` built from the catalogue's
    /// format: the format's fixed part with the pseudo parameters
    /// (`arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/`),
    /// then `tail`, the `Fn::Sub` text naming the resource
    /// (`${Orders}/index/*`).
    ///
    /// Errors when the catalogue has no such type, or its format is not a
    /// fixed part followed by one variable part.
    pub fn from_format(service: &str, resource_type: &str, tail: &str) -> Result<Self> {
        let format = formats(service, resource_type)?[0];
        let fixed = format
            .strip_suffix(".*")
            .filter(|f| !f.contains(['*', '?', '+', '(', '[', '|', '\\']))
            .ok_or_else(|| {
                invalid(
                    format,
                    format!(
                        "the catalogue's format of {service}:{resource_type} is not a fixed part and a name; write the ARN with ScopedArn::attribute"
                    ),
                )
            })?;
        let sub = fixed
            .replace("${Partition}", "${AWS::Partition}")
            .replace("${Region}", "${AWS::Region}")
            .replace("${Account}", "${AWS::AccountId}");
        Ok(ScopedArn {
            service: service.to_ascii_lowercase(),
            resource_type: resource_type.to_ascii_lowercase(),
            arn: fns::sub(format!("{sub}{tail}")),
        })
    }

    /// The ARN.
    pub fn arn(&self) -> &Value<String> {
        &self.arn
    }

    /// The service prefix (`dynamodb`).
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The catalogue resource type (`table`).
    pub fn resource_type(&self) -> &str {
        &self.resource_type
    }
}

/// `Allow` statements for `actions` on `resources`, each action scoped by
/// the catalogue: on those of `resources` whose type the action supports,
/// or on `*` when the action supports no resource-level permissions.
/// Actions with the same resources share a statement, in the order they
/// first appear.
///
/// Errors on an action the catalogue does not have (naming the closest
/// one), and on an action that can be scoped while none of `resources` is
/// of a type it supports.
pub fn allow(actions: &[&str], resources: &[ScopedArn]) -> Result<Vec<Statement>> {
    // (indexes into `resources`, or None for `*`; actions)
    let mut groups: Vec<(Option<Vec<usize>>, Vec<&str>)> = Vec::new();
    for &action in actions {
        let fact = iam::action(action).ok_or_else(|| {
            let hint = iam::closest(action).map_or(Hint::None, Hint::did_you_mean);
            Error::new(ErrorKind::InvalidValue {
                value: format!("{action:?}"),
                reason: "the IAM action catalogue has no such action".into(),
                hint,
            })
        })?;
        let scope = if fact.supports_resource_level {
            let fits: Vec<usize> = resources
                .iter()
                .enumerate()
                .filter(|(_, r)| {
                    r.service == fact.service()
                        && fact.resource_types.contains(&r.resource_type.as_str())
                })
                .map(|(i, _)| i)
                .collect();
            if fits.is_empty() {
                return Err(invalid(
                    action,
                    format!(
                        "it can be scoped to {} of {}, and none of the given ARNs is one",
                        fact.resource_types.join(", "),
                        fact.service()
                    ),
                ));
            }
            Some(fits)
        } else {
            None
        };
        match groups.iter_mut().find(|(s, _)| *s == scope) {
            Some((_, list)) => list.push(action),
            None => groups.push((scope, vec![action])),
        }
    }
    Ok(groups
        .into_iter()
        .map(|(scope, list)| {
            let s = Statement::allow().actions(list);
            match scope {
                None => s.any_resource(),
                Some(fits) => fits
                    .into_iter()
                    .fold(s, |s, i| s.resource(resources[i].arn.clone())),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &Statement) -> String {
        serde_json::to_string(&s.to_json()).unwrap()
    }

    #[test]
    fn formats_become_subs_with_pseudo_parameters() {
        let logs = ScopedArn::from_format("logs", "log-stream", "${Group}:*").unwrap();
        assert_eq!(
            logs.arn(),
            &fns::sub(
                "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${Group}:*"
            )
        );
        let objects = ScopedArn::from_format("s3", "object", "${Bucket}/*").unwrap();
        assert_eq!(
            objects.arn(),
            &fns::sub("arn:${AWS::Partition}:s3:::${Bucket}/*")
        );
        assert_eq!(
            (objects.service(), objects.resource_type()),
            ("s3", "object")
        );
        assert!(ScopedArn::from_format("s3", "nope", "x").is_err());
        assert!(ScopedArn::attribute("sqs", "table", "x").is_err());
    }

    #[test]
    fn each_action_goes_on_the_types_it_supports() {
        let table = ScopedArn::attribute("dynamodb", "table", "T").unwrap();
        let index = ScopedArn::from_format("dynamodb", "index", "${T}/index/*").unwrap();
        let key = ScopedArn::attribute("kms", "key", "K").unwrap();
        let s = allow(
            &[
                "dynamodb:GetItem",
                "dynamodb:Query",
                "kms:Decrypt",
                "dynamodb:PutItem",
                "dynamodb:Scan",
                "xray:PutTraceSegments",
            ],
            &[table, index, key],
        )
        .unwrap();
        let texts: Vec<String> = s.iter().map(text).collect();
        assert_eq!(texts.len(), 4, "{texts:#?}");
        assert!(
            texts[0].contains(r#""Action":["dynamodb:GetItem","dynamodb:PutItem"],"Resource":"T""#),
            "{}",
            texts[0]
        );
        assert!(
            texts[1].contains(r#""Action":["dynamodb:Query","dynamodb:Scan"]"#),
            "{}",
            texts[1]
        );
        assert!(
            texts[1].contains(r#""Resource":["T",{"Fn::Sub""#),
            "{}",
            texts[1]
        );
        assert!(
            texts[2].contains(r#""Action":"kms:Decrypt","Resource":"K""#),
            "{}",
            texts[2]
        );
        assert!(
            texts[3].contains(r#""Action":"xray:PutTraceSegments","Resource":"*""#),
            "{}",
            texts[3]
        );
    }

    #[test]
    fn unknown_actions_and_missing_arns_are_errors() {
        let e = allow(&["dynamodb:GetItme"], &[]).unwrap_err();
        assert_eq!(e.kind().suggestion(), Some("dynamodb:getitem"));
        let e = e.to_string();
        assert!(
            e.ends_with("no such action (did you mean `dynamodb:getitem`?)"),
            "{e}"
        );
        let key = ScopedArn::attribute("kms", "key", "K").unwrap();
        let e = allow(&["sqs:SendMessage"], &[key]).unwrap_err().to_string();
        assert!(e.contains("queue of sqs"), "{e}");
    }
}

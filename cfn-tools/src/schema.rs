//! Checks against the CloudFormation registry schemas (through
//! `cfn_resources::schema`, offline and in-process): resource types exist,
//! properties match their schema (types, required, enums, patterns, ranges,
//! unknown properties), `Fn::GetAtt` names exist. Also the registry's
//! create-only facts for [`diff`](crate::diff).

use crate::diff::SchemaFacts;
use cfn_core::error::suggest;
use cfn_core::graph::{references, RefKind};
use cfn_core::{Diagnostic, Error, ErrorKind, Expr, ExprMap, Severity, Template};
use cfn_resources::schema::{self, TypeSchema};

/// The attribute names `Fn::GetAtt` accepts for a type: its read-only
/// properties (dotted for nested ones) and, as older types allow, its
/// top-level properties.
pub fn attribute_names(s: &TypeSchema) -> Vec<String> {
    let mut names: Vec<String> = s
        .read_only
        .iter()
        .filter(|p| !p.contains('*'))
        .map(|p| p.trim_start_matches("/properties/").replace('/', "."))
        .collect();
    for p in s.properties.keys() {
        if !names.contains(p) {
            names.push(p.clone());
        }
    }
    names
}

fn attribute_ok(s: &TypeSchema, attr: &str) -> bool {
    if attribute_names(s).iter().any(|a| a == attr) {
        return true;
    }
    // nested paths under a known object property (`Endpoint.Address`)
    let first = attr.split('.').next().unwrap_or(attr);
    attr.contains('.') && s.properties.contains_key(first)
}

/// Validates every resource against its registry schema. Unknown types are
/// errors for `AWS::` types and warnings otherwise (third-party and module
/// types are not in the schemas); custom resources are skipped.
///
/// ```
/// use cfn_core::Template;
/// let t = Template::from_yaml("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {BucketNam: x}\n").unwrap();
/// let d = cfn_tools::schema::validate(&t);
/// assert!(d[0].to_string().contains("did you mean `BucketName`?"), "{}", d[0]);
/// ```
pub fn validate(t: &Template) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut push = |severity, path: String, kind| {
        out.push(Diagnostic {
            severity,
            error: Error::at(path, kind),
        })
    };
    let sam = t.is_sam();
    for (id, r) in &t.resources {
        let ty = r.type_name.as_str();
        if r.is_custom() {
            continue;
        }
        if sam && schema::is_sam_type(ty) {
            continue; // checked only after AWS expands it (see `sam_note`)
        }
        match schema::lookup(ty) {
            // the registry dropped it; `crate::lifecycle` says why
            None if crate::lifecycle::is_shut_down(ty) => {}
            None => {
                let hint = suggest(ty, schema::type_names());
                let severity = if ty.starts_with("AWS::") {
                    Severity::Error
                } else {
                    Severity::Warning
                };
                push(
                    severity,
                    format!("Resources/{id}/Type"),
                    ErrorKind::UnknownResourceType {
                        type_name: ty.to_owned(),
                        hint,
                    },
                );
            }
            Some(s) => {
                let empty = cfn_core::ExprMap::new();
                let props = r.properties.as_ref().unwrap_or(&empty);
                for (prefix, branch) in property_branches(props) {
                    for p in schema::validate_properties(s, branch) {
                        let path = match p.path.strip_prefix("Properties") {
                            Some(rest) if !prefix.is_empty() => format!("{prefix}{rest}"),
                            _ => p.path.clone(),
                        };
                        push(
                            Severity::Error,
                            format!("Resources/{id}/{path}"),
                            ErrorKind::SchemaViolation {
                                type_name: ty.to_owned(),
                                message: p.kind.to_string(),
                            },
                        );
                    }
                }
            }
        }
    }
    // Fn::GetAtt and ${X.Attr} names
    let mut exprs: Vec<(String, &cfn_core::Expr)> = Vec::new();
    for (id, r) in &t.resources {
        for (k, v) in r.properties.iter().flatten() {
            exprs.push((format!("Resources/{id}/Properties/{k}"), v));
        }
    }
    for (id, o) in &t.outputs {
        exprs.push((format!("Outputs/{id}/Value"), &o.value));
    }
    for (base, e) in exprs {
        for reference in references(e, &base) {
            if !matches!(reference.kind, RefKind::GetAtt | RefKind::Sub) {
                continue;
            }
            let (Some(attr), Some(target)) = (
                &reference.attribute,
                t.resources.get(reference.target.as_str()),
            ) else {
                continue;
            };
            if attr.starts_with('{') {
                continue; // an intrinsic attribute name
            }
            // a custom resource's attributes are its provider's; a nested
            // stack's are `Outputs.Name`
            let free = target.is_custom()
                || (target.type_name == "AWS::CloudFormation::Stack"
                    && attr.starts_with("Outputs."));
            if free {
                continue;
            }
            if let Some(s) = schema::lookup(&target.type_name) {
                if !attribute_ok(s, attr) {
                    let names = attribute_names(s);
                    let valid: Vec<&str> = s
                        .read_only
                        .iter()
                        .filter(|p| !p.contains('*'))
                        .map(|p| p.trim_start_matches("/properties/"))
                        .collect();
                    let hint = suggest(attr, names.iter().map(String::as_str));
                    push(
                        Severity::Error,
                        reference.path.clone(),
                        ErrorKind::UnknownAttribute {
                            target: reference.target.clone(),
                            type_name: target.type_name.clone(),
                            attribute: attr.clone(),
                            hint,
                            valid: if valid.is_empty() {
                                "(none)".into()
                            } else {
                                valid.join(", ").replace('/', ".")
                            },
                        },
                    );
                }
            }
        }
    }
    out
}

/// The property maps to check: the map itself, or, for `Properties:
/// {Fn::If: [Condition, {...}, {...}]}`, each branch that is a map, with
/// the path of the branch (`Ref: AWS::NoValue` branches are skipped).
fn property_branches(props: &ExprMap) -> Vec<(String, &ExprMap)> {
    let branches = match (props.len(), props.get("Fn::If")) {
        (1, Some(Expr::List(v))) if v.len() == 3 => &v[1..],
        _ => return vec![(String::new(), props)],
    };
    branches
        .iter()
        .enumerate()
        .filter_map(|(i, b)| match b {
            Expr::Map(m) => Some((format!("Properties/Fn::If/{}", i + 1), m)),
            _ => None, // `Ref: AWS::NoValue`, nested functions: not expanded
        })
        .collect()
}

/// The note for a SAM template: what is checked before AWS expands it.
pub fn sam_note(t: &Template) -> Option<String> {
    let n = t
        .resources
        .values()
        .filter(|r| schema::is_sam_type(&r.type_name))
        .count();
    (t.is_sam() && n > 0).then(|| {
        format!(
            "{n} SAM resource(s) (`AWS::Serverless::*`): their properties and the resources SAM \
             generates from them (roles, versions, event sources) are checked only after AWS \
             expands the transform; references to generated resources are warnings"
        )
    })
}

/// Create-only facts from the registry schemas (which types hold data is
/// [`cfn_resources::schema::is_stateful`], the one list).
#[derive(Debug, Clone, Copy, Default)]
pub struct RegistryFacts;

impl SchemaFacts for RegistryFacts {
    fn create_only(&self, type_name: &str) -> Option<Vec<String>> {
        schema::lookup(type_name).map(|s| s.create_only.clone())
    }
    fn conditional_create_only(&self, type_name: &str) -> Vec<String> {
        schema::lookup(type_name)
            .map(|s| s.conditional_create_only.clone())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_att_names_are_checked() {
        let t = Template::from_yaml(
            "Resources:\n  B:\n    Type: AWS::S3::Bucket\nOutputs:\n  A: {Value: !GetAtt B.Arn}\n  C: {Value: !GetAtt B.Arm}\n  D: {Value: !Sub '${B.DomainName}'}\n",
        )
        .unwrap();
        let d = validate(&t);
        assert_eq!(d.len(), 1, "{d:?}");
        let text = d[0].to_string();
        assert!(text.contains("Outputs/C/Value/Fn::GetAtt"), "{text}");
        assert!(text.contains("did you mean `Arn`?"), "{text}");
    }

    #[test]
    fn unknown_types_suggest() {
        let t = Template::from_yaml("Resources:\n  B:\n    Type: AWS::S3::Buckets\n  C:\n    Type: Custom::Thing\n  M:\n    Type: Org::Mod::Thing::MODULE\n").unwrap();
        let d = validate(&t);
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(d[0].to_string().contains("did you mean `AWS::S3::Bucket`?"));
        assert_eq!(d[1].severity, Severity::Warning);
    }

    #[test]
    fn registry_facts_know_create_only_properties() {
        let f = RegistryFacts;
        assert!(f
            .create_only("AWS::S3::Bucket")
            .unwrap()
            .contains(&"/properties/BucketName".to_string()));
        assert!(f.create_only("AWS::Nope::Nope").is_none());
    }
}

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
    let sam = t.is_sam();
    for (id, r) in &t.resources {
        let ty = r.type_name.as_str();
        // a custom resource's properties are its provider's; a module
        // (`...::MODULE`) is registered in the account, its schema unknown here
        if r.is_custom() || ty.ends_with("::MODULE") {
            continue;
        }
        if sam && schema::is_sam_type(ty) {
            // SAM's own schema; the expansion is checked by AWS (see `sam_note`)
            sam_resource(t, id.as_str(), r, &mut out);
        } else {
            registry_resource(id.as_str(), r, &mut out);
        }
    }
    if sam {
        for p in schema::validate_sam_globals(&t.globals) {
            push(
                &mut out,
                Severity::Error,
                p.path.clone(),
                ErrorKind::SchemaViolation {
                    type_name: globals_name(&p),
                    message: sam_message(&p.kind),
                    suggestion: p.kind.suggestion().map(str::to_owned),
                },
            );
        }
    }
    attribute_names_used(t, &mut out);
    out
}

fn push(out: &mut Vec<Diagnostic>, severity: Severity, path: String, kind: ErrorKind) {
    out.push(Diagnostic {
        severity,
        error: Error::at(path, kind),
    })
}

/// A SAM resource against SAM's schema, and its `IgnoreGlobals`.
fn sam_resource(t: &Template, id: &str, r: &cfn_core::Resource, out: &mut Vec<Diagnostic>) {
    let ty = r.type_name.as_str();
    let branches = match r.properties.as_ref() {
        Some(p) => property_branches(p)
            .into_iter()
            .map(|(prefix, b)| (prefix, Some(b)))
            .collect(),
        None => vec![(String::new(), None)],
    };
    for (prefix, branch) in branches {
        for p in schema::validate_sam_properties(ty, branch).unwrap_or_default() {
            push(
                out,
                Severity::Error,
                resource_path(id, &prefix, &p.path),
                ErrorKind::SchemaViolation {
                    type_name: ty.to_owned(),
                    message: sam_message(&p.kind),
                    suggestion: p.kind.suggestion().map(str::to_owned),
                },
            );
        }
    }
    if let Some(ig) = &r.ignore_globals {
        for (path, message, suggestion) in ignore_globals_problems(t, ty, ig) {
            push(
                out,
                Severity::Error,
                format!("Resources/{id}/IgnoreGlobals{path}"),
                ErrorKind::SchemaViolation {
                    type_name: ty.to_owned(),
                    message: format!(
                        "{message} (SAM, aws-sam-translator {})",
                        schema::sam_version()
                    ),
                    suggestion,
                },
            );
        }
    }
}

/// A resource against its registry schema (an unknown type is a finding).
fn registry_resource(id: &str, r: &cfn_core::Resource, out: &mut Vec<Diagnostic>) {
    let ty = r.type_name.as_str();
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
                out,
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
                    let (severity, message) = if is_package_path(ty, &p) {
                        (
                            Severity::Warning,
                            format!(
                                "{}: a local path or S3 URI for `aws cloudformation package`; \
                                 package the template before deploying (CloudFormation itself \
                                 refuses a string here)",
                                p.kind
                            ),
                        )
                    } else {
                        (Severity::Error, p.kind.to_string())
                    };
                    push(
                        out,
                        severity,
                        resource_path(id, &prefix, &p.path),
                        ErrorKind::SchemaViolation {
                            type_name: ty.to_owned(),
                            message,
                            suggestion: p.kind.suggestion().map(str::to_owned),
                        },
                    );
                }
            }
        }
    }
}

/// Properties `aws cloudformation package` (and `sam package`) replace:
/// written as a local path or an S3 URI string, uploaded and rewritten to
/// the object CloudFormation takes (the AWS CLI's artifact exporter).
const PACKAGED: &[(&str, &str)] = &[
    ("AWS::Lambda::Function", "Code"),
    ("AWS::Lambda::LayerVersion", "Content"),
    ("AWS::ApiGateway::RestApi", "BodyS3Location"),
    ("AWS::ElasticBeanstalk::ApplicationVersion", "SourceBundle"),
    ("AWS::StepFunctions::StateMachine", "DefinitionS3Location"),
    ("AWS::AppSync::GraphQLSchema", "DefinitionS3Location"),
    ("AWS::AppSync::Resolver", "RequestMappingTemplateS3Location"),
    (
        "AWS::AppSync::Resolver",
        "ResponseMappingTemplateS3Location",
    ),
    (
        "AWS::AppSync::FunctionConfiguration",
        "RequestMappingTemplateS3Location",
    ),
    (
        "AWS::AppSync::FunctionConfiguration",
        "ResponseMappingTemplateS3Location",
    ),
    ("AWS::CodeCommit::Repository", "Code/S3"),
];

/// Whether `p` is a string where `aws cloudformation package` takes one.
fn is_package_path(type_name: &str, p: &schema::Problem) -> bool {
    let path = p.path.strip_prefix("Properties/").unwrap_or(&p.path);
    matches!(&p.kind, schema::ProblemKind::WrongType { found, .. } if found == "a string")
        && PACKAGED.iter().any(|(t, k)| *t == type_name && *k == path)
}

/// `Fn::GetAtt` and `${X.Attr}` names against the target's attributes.
fn attribute_names_used(t: &Template, out: &mut Vec<Diagnostic>) {
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
                        out,
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
}

/// `Resources/{id}/...` for a problem at `path` (from `Properties`) in the
/// branch `prefix` (see [`property_branches`]).
fn resource_path(id: &str, prefix: &str, path: &str) -> String {
    match path.strip_prefix("Properties") {
        Some(rest) if !prefix.is_empty() => format!("Resources/{id}/{prefix}{rest}"),
        _ if path.is_empty() => format!("Resources/{id}"),
        _ => format!("Resources/{id}/{path}"),
    }
}

/// `Globals.Function` for a problem in that section, `Globals` for an
/// unknown section.
fn globals_name(p: &schema::Problem) -> String {
    match (&p.kind, p.path.split('/').nth(1)) {
        (schema::ProblemKind::UnknownGlobalsSection { .. }, _) | (_, None) => "Globals".into(),
        (_, Some(section)) => format!("Globals.{section}"),
    }
}

/// `IgnoreGlobals` as SAM's transform reads it: `"*"`, or a list of the
/// properties the template's `Globals` section of the resource's type sets
/// (anything else makes the transform fail). Returns (path below
/// `IgnoreGlobals`, message, the property probably meant).
fn ignore_globals_problems(
    t: &Template,
    ty: &str,
    ig: &Expr,
) -> Vec<(String, String, Option<String>)> {
    let section = ty.trim_start_matches("AWS::Serverless::");
    let set: Vec<&str> = match t.globals.get(section) {
        Some(Expr::Map(m)) => m.keys().map(String::as_str).collect(),
        _ => Vec::new(),
    };
    let listed = if set.is_empty() {
        "which sets nothing".to_owned()
    } else {
        format!("which sets {}", set.join(", "))
    };
    match ig {
        Expr::String(s) if s == "*" => Vec::new(),
        Expr::List(items) => items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let Expr::String(name) = item else {
                    return None; // an intrinsic: resolved by AWS
                };
                if set.contains(&name.as_str()) {
                    return None;
                }
                let suggestion = cfn_core::error::closest(name, set.iter().copied());
                let hint = suggestion
                    .map(|h| format!("did you mean `{h}`?"))
                    .unwrap_or_else(|| "remove it".into());
                Some((
                    format!("/{i}"),
                    format!(
                        "`{name}` is not a property of `Globals.{section}` ({listed}); SAM's \
                         transform refuses it: {hint}"
                    ),
                    suggestion.map(str::to_owned),
                ))
            })
            .collect(),
        Expr::Fn(_) => Vec::new(),
        _ => vec![(
            String::new(),
            "IgnoreGlobals must be `*` or a list of properties set in Globals; SAM's \
             transform refuses anything else"
                .to_owned(),
            None,
        )],
    }
}

/// A SAM schema problem, saying whose schema it is.
fn sam_message(kind: &schema::ProblemKind) -> String {
    format!("{kind} (SAM, aws-sam-translator {})", schema::sam_version())
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

/// The note for a SAM template: what is checked before AWS expands it and
/// what only after.
pub fn sam_note(t: &Template) -> Option<String> {
    let n = t
        .resources
        .values()
        .filter(|r| schema::is_sam_type(&r.type_name))
        .count();
    (t.is_sam() && n > 0).then(|| {
        format!(
            "{n} SAM resource(s) (`AWS::Serverless::*`): their properties and `Globals` are \
             checked against SAM's schema (aws-sam-translator {}); what SAM generates from them \
             (functions, roles and policies from policy templates, versions and aliases, event \
             sources and permissions, APIs and stages), the values of properties SAM's schema \
             leaves open and the merge of `Globals` into resources are checked only after AWS \
             expands the transform; references to generated resources are warnings",
            schema::sam_version()
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
    fn strings_for_cloudformation_package_are_warnings() {
        let t = Template::from_yaml("Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Code: ./src\n      Role: arn:aws:iam::123456789012:role/r\n  G:\n    Type: AWS::Lambda::Function\n    Properties:\n      Code: {ZipFile: x}\n      Role: arn:aws:iam::123456789012:role/r\n      Timeout: soon\n").unwrap();
        let d = validate(&t);
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].severity, Severity::Warning);
        assert!(
            d[0].to_string().contains("aws cloudformation package"),
            "{}",
            d[0]
        );
        // a string elsewhere stays an error
        assert_eq!(d[1].severity, Severity::Error, "{}", d[1]);
    }

    #[test]
    fn unknown_types_suggest() {
        let t = Template::from_yaml("Resources:\n  B:\n    Type: AWS::S3::Buckets\n  C:\n    Type: Custom::Thing\n  M:\n    Type: Org::Mod::Thing::MODULE\n  A:\n    Type: AWS::S3::Bucket::MODULE\n  P:\n    Type: Org::Svc::Thing\n").unwrap();
        let d = validate(&t);
        // modules (`::MODULE`, AWS-named or not) and custom resources are
        // not judged; a third-party type is a warning
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(d[0].to_string().contains("did you mean `AWS::S3::Bucket`?"));
        assert_eq!(d[0].error.kind().suggestion(), Some("AWS::S3::Bucket"));
        assert_eq!(d[1].severity, Severity::Warning);
    }

    #[test]
    fn sam_resources_and_globals_use_sams_schema() {
        let t = Template::from_yaml(
            "Transform: AWS::Serverless-2016-10-31\nConditions:\n  C: !Equals [a, b]\nGlobals:\n  Function:\n    Timout: 3\n  Tables: {}\nResources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Fn::If:\n        - C\n        - {Runtime: python3.12, Handler: a.b, InlineCode: x, MemorySiz: 128}\n        - !Ref AWS::NoValue\n  L:\n    Type: AWS::Serverless::LayerVersion\n",
        )
        .unwrap();
        let diags = validate(&t);
        let suggestions: Vec<Option<&str>> =
            diags.iter().map(|d| d.error.kind().suggestion()).collect();
        assert_eq!(
            suggestions,
            [Some("MemorySize"), None, Some("Timeout"), None]
        );
        let d: Vec<String> = diags.iter().map(|d| d.error.to_string()).collect();
        assert_eq!(d.len(), 4, "{d:#?}");
        assert!(d[0].starts_with("Resources/F/Properties/Fn::If/1/MemorySiz: AWS::Serverless::Function: unknown property `MemorySiz`; did you mean `MemorySize`?"), "{}", d[0]);
        assert!(d[1].starts_with("Resources/L: AWS::Serverless::LayerVersion: missing required property `Properties`"), "{}", d[1]);
        assert!(
            d[2].starts_with(
                "Globals/Function/Timout: Globals.Function: unknown property `Timout`"
            ),
            "{}",
            d[2]
        );
        assert!(
            d[3].starts_with("Globals/Tables: Globals: unknown Globals section `Tables`"),
            "{}",
            d[3]
        );
        let note = sam_note(&t).unwrap();
        assert!(note.contains("checked only after AWS"), "{note}");
    }

    #[test]
    fn ignore_globals_names_properties_set_in_globals() {
        let t = Template::from_yaml(
            "Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function: {Timeout: 3, Runtime: python3.12}\nResources:\n  A:\n    Type: AWS::Serverless::Function\n    IgnoreGlobals: [Timeot, Runtime]\n    Properties: {Handler: a.b, InlineCode: x, Runtime: python3.12}\n  B:\n    Type: AWS::Serverless::Function\n    IgnoreGlobals: '*'\n    Properties: {Handler: a.b, InlineCode: x, Runtime: python3.12}\n",
        )
        .unwrap();
        let diags = validate(&t);
        assert_eq!(diags[0].error.kind().suggestion(), Some("Timeout"));
        let d: Vec<String> = diags.iter().map(|d| d.error.to_string()).collect();
        assert_eq!(d.len(), 1, "{d:#?}");
        assert!(
            d[0].starts_with("Resources/A/IgnoreGlobals/0: AWS::Serverless::Function: `Timeot` is not a property of `Globals.Function` (which sets Timeout, Runtime); SAM's transform refuses it: did you mean `Timeout`?"),
            "{}",
            d[0]
        );
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

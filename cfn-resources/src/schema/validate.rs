//! Checks rendered properties against a type's schema facts, the way
//! cfn-lint's schema rules do, offline: unknown properties (with a
//! suggestion), missing required ones, read-only ones that were set, and for
//! literal values the type, enum, pattern, length, item-count and range
//! constraints. Values that are intrinsics are skipped: their result is only
//! known at deploy time.

use super::{JsonType, Node, TypeSchema};
use cfn_core::{Expr, ExprMap};

/// One problem found in a resource's properties.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{path}: {kind}")]
pub struct Problem {
    /// Where, from the resource (`Properties/SecurityGroupIngress/0/FromPort`).
    pub path: String,
    /// What.
    pub kind: ProblemKind,
}

/// What is wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ProblemKind {
    /// A property the schema does not have.
    #[error("unknown property `{name}`{}", suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_else(|| "; remove it".into()))]
    UnknownProperty {
        /// The property.
        name: String,
        /// The closest known property.
        suggestion: Option<String>,
    },
    /// A required property is missing.
    #[error("missing required property `{name}`")]
    MissingRequired {
        /// The property.
        name: String,
    },
    /// A read-only property (an attribute) was set.
    #[error(
        "`{name}` is read-only (set by CloudFormation): remove it and read it with `Fn::GetAtt`"
    )]
    ReadOnly {
        /// The property.
        name: String,
    },
    /// A literal of the wrong JSON type.
    #[error("expected {expected}, found {found}")]
    WrongType {
        /// Accepted types.
        expected: String,
        /// What was given.
        found: String,
    },
    /// A value outside the allowed set.
    #[error("{value} is not allowed; use one of {}", allowed.join(", "))]
    NotInEnum {
        /// The value.
        value: String,
        /// Allowed values.
        allowed: Vec<String>,
    },
    /// A string not matching the pattern.
    #[error("{value:?} does not match the pattern {pattern}")]
    Pattern {
        /// The value.
        value: String,
        /// The pattern.
        pattern: String,
    },
    /// A string of the wrong length.
    #[error("length {len} is outside {min}..={max}")]
    Length {
        /// Characters.
        len: u64,
        /// Minimum.
        min: u64,
        /// Maximum.
        max: u64,
    },
    /// A list with too few or too many items.
    #[error("{len} items, outside {min}..={max}")]
    Items {
        /// Items.
        len: u64,
        /// Minimum.
        min: u64,
        /// Maximum.
        max: u64,
    },
    /// A `Globals` section SAM does not know.
    #[error("unknown Globals section `{name}` (SAM's Globals take {}){}", sections.join(", "), suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_else(|| "; remove it".into()))]
    UnknownGlobalsSection {
        /// The section.
        name: String,
        /// The closest known section.
        suggestion: Option<String>,
        /// The sections SAM knows.
        sections: Vec<String>,
    },
    /// A map in SAM's `Policies` that is no policy document (no `Statement`)
    /// and no policy template SAM knows.
    #[error("`{name}` is not one of SAM's policy templates{}; a policy is a managed policy name or ARN, a document with `Statement`, or a policy template", suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
    UnknownPolicyTemplate {
        /// The map's key (or keys, joined).
        name: String,
        /// The closest policy template.
        suggestion: Option<String>,
    },
    /// A SAM policy template without values for all its parameters.
    #[error("policy template `{template}` needs {}", missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", "))]
    MissingPolicyParameters {
        /// The template.
        template: String,
        /// The parameters without a value.
        missing: Vec<String>,
    },
    /// A property SAM does not take from `Globals` (it is valid on the
    /// resource itself).
    #[error("`{name}` cannot be set in Globals (SAM does not copy it into resources); set it on each `{type_name}` instead")]
    NotInGlobals {
        /// The property.
        name: String,
        /// The SAM resource type of the section.
        type_name: String,
    },
    /// A number out of range.
    #[error("{value} is outside {min}..={max}")]
    Range {
        /// The value.
        value: f64,
        /// Minimum.
        min: f64,
        /// Maximum.
        max: f64,
    },
}

impl ProblemKind {
    /// The name probably meant ("did you mean"), as data: the closest
    /// known property, Globals section or policy template; the message
    /// words it.
    ///
    /// ```
    /// use cfn_resources::schema::ProblemKind;
    /// let k = ProblemKind::UnknownProperty { name: "Tagz".into(), suggestion: Some("Tags".into()) };
    /// assert_eq!(k.suggestion(), Some("Tags"));
    /// ```
    pub fn suggestion(&self) -> Option<&str> {
        match self {
            ProblemKind::UnknownProperty { suggestion, .. }
            | ProblemKind::UnknownGlobalsSection { suggestion, .. }
            | ProblemKind::UnknownPolicyTemplate { suggestion, .. } => suggestion.as_deref(),
            _ => None,
        }
    }
}

/// Checks `properties` (as rendered) against `schema`. Returns every problem.
pub fn validate_properties(schema: &TypeSchema, properties: &ExprMap) -> Vec<Problem> {
    let mut v = Validator {
        schema,
        problems: Vec::new(),
        depth: 0,
    };
    let mut path = vec!["Properties".to_owned()];
    for (k, value) in properties {
        path.push(k.clone());
        match schema.properties.get(k) {
            Some(_) if schema.is_read_only(k) => {
                v.push(&path, ProblemKind::ReadOnly { name: k.clone() })
            }
            Some(node) => v.node(value, node, &mut path),
            None => v.push(
                &path,
                ProblemKind::UnknownProperty {
                    name: k.clone(),
                    suggestion: suggest(
                        k,
                        schema.properties.keys().filter(|p| !schema.is_read_only(p)),
                    ),
                },
            ),
        }
        path.pop();
    }
    for r in &schema.required {
        if !properties.contains_key(r) {
            v.push(&path, ProblemKind::MissingRequired { name: r.clone() });
        }
    }
    v.problems
}

/// The closest known name ("did you mean"): `cfn_core::error::closest`,
/// the one home of the rule.
pub(super) fn suggest<'a>(name: &str, known: impl Iterator<Item = &'a String>) -> Option<String> {
    cfn_core::error::closest(name, known.map(String::as_str)).map(str::to_owned)
}

/// Whether `value` matches a registry pattern; `None` when the pattern
/// cannot be evaluated (then it is not checked). The engine and the
/// rewrite of ECMAScript syntax live in `cfn_core::pattern`.
pub(super) fn regex_matches(pattern: &str, value: &str) -> Option<bool> {
    cfn_core::pattern::matches(pattern, value)
}

struct Validator<'a> {
    schema: &'a TypeSchema,
    problems: Vec<Problem>,
    depth: usize,
}

pub(super) fn found(e: &Expr) -> &'static str {
    match e {
        Expr::Null => "null",
        Expr::Bool(_) => "a boolean",
        Expr::Number(_) => "a number",
        Expr::String(_) => "a string",
        Expr::List(_) => "a list",
        Expr::Map(_) => "an object",
        Expr::Fn(_) => "an intrinsic",
    }
}

pub(super) fn accepts(t: JsonType, e: &Expr) -> bool {
    // CloudFormation converts scalars: "5" is a fine integer, 5 a fine string.
    match (t, e) {
        (JsonType::String, Expr::String(_) | Expr::Number(_) | Expr::Bool(_)) => true,
        (JsonType::Integer, Expr::Number(n)) => {
            n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        (JsonType::Integer, Expr::String(s)) => s.trim().parse::<i64>().is_ok(),
        (JsonType::Number, Expr::Number(_)) => true,
        (JsonType::Number, Expr::String(s)) => s.trim().parse::<f64>().is_ok(),
        (JsonType::Boolean, Expr::Bool(_)) => true,
        (JsonType::Boolean, Expr::String(s)) => {
            matches!(s.as_str(), "true" | "false" | "True" | "False")
        }
        (JsonType::Array, Expr::List(_)) => true,
        (JsonType::Object, Expr::Map(_)) => true,
        (JsonType::Null, Expr::Null) => true,
        _ => false,
    }
}

/// An enum's values as the strings a message lists (strings as they are,
/// other JSON as written).
pub(super) fn enum_strings(values: &[serde_json::Value]) -> Vec<String> {
    values
        .iter()
        .map(|v| {
            v.as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| v.to_string())
        })
        .collect()
}

pub(super) fn scalar_string(e: &Expr) -> Option<String> {
    match e {
        Expr::String(s) => Some(s.clone()),
        Expr::Number(n) => Some(n.to_string()),
        Expr::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl Validator<'_> {
    fn push(&mut self, path: &[String], kind: ProblemKind) {
        self.problems.push(Problem {
            path: path.join("/"),
            kind,
        });
    }

    fn node(&mut self, value: &Expr, node: &Node, path: &mut Vec<String>) {
        if matches!(value, Expr::Fn(_)) || self.depth > 64 {
            return;
        }
        self.depth += 1;
        self.check(value, node, path);
        if let Some(def) = node
            .reference
            .as_ref()
            .and_then(|r| self.schema.definitions.get(r))
        {
            self.node(value, def, path);
        }
        self.depth -= 1;
    }

    fn check(&mut self, value: &Expr, node: &Node, path: &mut Vec<String>) {
        if !node.types.is_empty() && !node.types.iter().any(|t| accepts(*t, value)) {
            let expected: Vec<&str> = node.types.iter().map(|t| t.as_str()).collect();
            self.push(
                path,
                ProblemKind::WrongType {
                    expected: expected.join(" or "),
                    found: found(value).into(),
                },
            );
            return;
        }
        if !node.enum_values.is_empty() {
            if let Some(s) = scalar_string(value) {
                let allowed = enum_strings(&node.enum_values);
                if !allowed.contains(&s) {
                    self.push(path, ProblemKind::NotInEnum { value: s, allowed });
                }
            }
        }
        match value {
            Expr::String(s) => {
                if let Some(p) = &node.pattern {
                    if regex_matches(p, s) == Some(false) {
                        self.push(
                            path,
                            ProblemKind::Pattern {
                                value: s.clone(),
                                pattern: p.clone(),
                            },
                        );
                    }
                }
                let len = s.chars().count() as u64;
                let (min, max) = (
                    node.min_length.unwrap_or(0),
                    node.max_length.unwrap_or(u64::MAX),
                );
                if len < min || len > max {
                    self.push(path, ProblemKind::Length { len, min, max });
                }
                if node
                    .types
                    .iter()
                    .any(|t| matches!(t, JsonType::Integer | JsonType::Number))
                {
                    if let Ok(f) = s.trim().parse::<f64>() {
                        self.range(f, node, path);
                    }
                }
            }
            Expr::Number(n) => {
                if let Some(f) = n.as_f64() {
                    self.range(f, node, path);
                }
            }
            Expr::List(items) => {
                let len = items.len() as u64;
                let (min, max) = (
                    node.min_items.unwrap_or(0),
                    node.max_items.unwrap_or(u64::MAX),
                );
                if len < min || len > max {
                    self.push(path, ProblemKind::Items { len, min, max });
                }
                if let Some(item) = &node.items {
                    for (i, x) in items.iter().enumerate() {
                        path.push(i.to_string());
                        self.node(x, item, path);
                        path.pop();
                    }
                }
            }
            Expr::Map(m) => self.object(m, node, path),
            _ => {}
        }
    }

    fn range(&mut self, f: f64, node: &Node, path: &[String]) {
        let (min, max) = (
            node.minimum.unwrap_or(f64::NEG_INFINITY),
            node.maximum.unwrap_or(f64::INFINITY),
        );
        if f < min || f > max {
            self.push(path, ProblemKind::Range { value: f, min, max });
        }
    }

    fn object(&mut self, m: &ExprMap, node: &Node, path: &mut Vec<String>) {
        if node.properties.is_empty() && node.pattern_properties.is_empty() {
            return;
        }
        for (k, v) in m {
            path.push(k.clone());
            if let Some(p) = node.properties.get(k) {
                self.node(v, p, path);
            } else if let Some((_, p)) = node
                .pattern_properties
                .iter()
                .find(|(pat, _)| regex_matches(pat, k).unwrap_or(true))
            {
                self.node(v, p, path);
            } else if node.closed || !node.pattern_properties.is_empty() {
                let suggestion = suggest(k, node.properties.keys());
                self.push(
                    path,
                    ProblemKind::UnknownProperty {
                        name: k.clone(),
                        suggestion,
                    },
                );
            }
            path.pop();
        }
        for r in &node.required {
            if !m.contains_key(r) {
                self.push(path, ProblemKind::MissingRequired { name: r.clone() });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::lookup;
    use cfn_core::fns;

    fn props(entries: &[(&str, Expr)]) -> ExprMap {
        entries
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn reports_every_problem_with_its_path() {
        let sg = lookup("AWS::EC2::SecurityGroup").unwrap();
        let ingress = Expr::List(vec![Expr::Map(props(&[
            ("IpProtocol", Expr::from("tcp")),
            ("FromPort", Expr::from("eighty")),
            ("CidrIp", Expr::from("0.0.0.0/0")),
        ]))]);
        let p = validate_properties(
            sg,
            &props(&[
                ("SecurityGroupIngress", ingress),
                ("GroupId", Expr::from("sg-1")),
                ("Tagz", Expr::List(vec![])),
            ]),
        );
        let text: Vec<String> = p.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            text,
            [
                "Properties/SecurityGroupIngress/0/FromPort: expected integer, found a string",
                "Properties/GroupId: `GroupId` is read-only (set by CloudFormation): remove it and read it with `Fn::GetAtt`",
                "Properties/Tagz: unknown property `Tagz`; did you mean `Tags`?",
                "Properties: missing required property `GroupDescription`",
            ]
        );
    }

    #[test]
    fn checks_enums_patterns_lengths_ranges_and_skips_intrinsics() {
        let v = lookup("AWS::S3::Bucket").unwrap();
        let p = validate_properties(
            v,
            &props(&[
                ("BucketName", Expr::from("Not_Valid")),
                (
                    "VersioningConfiguration",
                    Expr::Map(props(&[("Status", Expr::from("On"))])),
                ),
                ("AccessControl", fns::sub("${X}").into_expr()),
            ]),
        );
        let text: Vec<String> = p.iter().map(|p| p.to_string()).collect();
        assert_eq!(text.len(), 2, "{text:#?}");
        assert!(
            text[0].starts_with("Properties/BucketName: \"Not_Valid\" does not match"),
            "{}",
            text[0]
        );
        assert!(text[1].starts_with("Properties/VersioningConfiguration/Status: On is not allowed; use one of Enabled, Suspended"), "{}", text[1]);
        let asg = lookup("AWS::EC2::Subnet").unwrap();
        let p = validate_properties(
            asg,
            &props(&[
                ("VpcId", Expr::from("vpc-1")),
                ("EnableLniAtDeviceIndex", Expr::from(-5)),
            ]),
        );
        assert!(p.is_empty(), "{p:?}");
    }
}

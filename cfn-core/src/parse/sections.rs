//! The template's sections and entries: parameters, mappings,
//! resources, outputs and rules, read from the node tree.

use super::exprs::{as_map, as_str, expr, key_node, unknown_key};
use super::nodes::{Node, NodeKind};
use super::paths::{err_at, wrong_type, P};
use crate::error::{Error, ErrorKind, Location, Result};
use crate::expr::{Expr, ExprMap};
use crate::id::LogicalId;
use crate::parameter::{Parameter, ParameterType};
use crate::resource::{DependsOn, Resource};
use crate::template::{Assertion, Mapping, Output, Rule, Template};
use indexmap::IndexMap;

const TOP_KEYS: &[&str] = &[
    "AWSTemplateFormatVersion",
    "Description",
    "Metadata",
    "Transform",
    "Parameters",
    "Rules",
    "Mappings",
    "Conditions",
    "Resources",
    "Outputs",
    "Hooks",
    "Globals",
];

/// Parses what it can: a problem in one entry (a resource, a parameter, an
/// output, ...) is recorded in `errors` and the next entry is read, so one
/// pass reports every entry that cannot be loaded.
/// Reads the template from its node tree, consuming it: each section's
/// nodes are dropped once converted, so the tree and the template are not
/// both whole in memory at once (a 100,000-resource template peaks near the
/// larger of the two, not their sum).
pub(super) fn template_collecting(root: Node, errors: &mut Vec<Error>) -> Template {
    let path = P::ROOT;
    let mut t = Template::default();
    if !matches!(root.kind, NodeKind::Map(_)) {
        match &root.kind {
            NodeKind::Null => {
                errors.push(err_at(
                    &root,
                    &path,
                    ErrorKind::WrongType {
                        expected: "a template (a map with at least `Resources`)".into(),
                        found: "an empty document".into(),
                    },
                ));
                return t;
            }
            _ => {
                errors.push(wrong_type(
                    &root,
                    &path,
                    "a template (a map with at least `Resources`)",
                ));
                return t;
            }
        }
    }
    let root_at = Node {
        kind: NodeKind::Null,
        line: root.line,
        col: root.col,
    };
    let NodeKind::Map(m) = root.kind else {
        return t;
    };
    let mut seen_resources = false;
    for (k, v) in m {
        let p = path.key(&k);
        if k == "Resources" {
            seen_resources = true;
        }
        if let Err(e) = section(&mut t, &k, v, &p, errors) {
            errors.push(e);
        }
    }
    if !seen_resources {
        errors.push(err_at(
            &root_at,
            &path,
            ErrorKind::MissingKey {
                key: "Resources".into(),
                fix: "every template needs a `Resources` section with at least one resource".into(),
            },
        ));
    }
    t
}

/// Reads the entries of a map section with `f`, recording a failing entry
/// in `errors` and going on with the next.
pub(super) fn entries<T>(
    v: Node,
    p: &P<'_>,
    what: &str,
    errors: &mut Vec<Error>,
    out: &mut IndexMap<LogicalId, T>,
    f: impl Fn(&Node, &P<'_>) -> Result<T>,
) -> Result<()> {
    as_map(&v, p, what)?;
    let NodeKind::Map(m) = v.kind else {
        return Ok(()); // null: no entries
    };
    // exact capacity (no slack from doubling, no copy while growing); each
    // entry's nodes are dropped as soon as it is converted
    out.reserve(m.len());
    for (id, n) in m {
        match f(&n, &p.key(&id)) {
            Ok(x) => {
                out.insert(LogicalId::unchecked(id.as_str()), x);
            }
            Err(e) => errors.push(e),
        }
    }
    Ok(())
}

/// One top-level section into `t`.
pub(super) fn section(
    t: &mut Template,
    k: &str,
    v: Node,
    p: &P<'_>,
    errors: &mut Vec<Error>,
) -> Result<()> {
    match k {
        "Parameters" => {
            return entries(
                v,
                p,
                "a map of parameters",
                errors,
                &mut t.parameters,
                parameter,
            )
        }
        "Mappings" => return entries(v, p, "a map of mappings", errors, &mut t.mappings, mapping),
        "Conditions" => {
            return entries(v, p, "a map of conditions", errors, &mut t.conditions, expr)
        }
        "Rules" => return entries(v, p, "a map of rules", errors, &mut t.rules, rule),
        "Resources" => {
            return entries(
                v,
                p,
                "a map of resources",
                errors,
                &mut t.resources,
                resource,
            )
        }
        "Outputs" => return entries(v, p, "a map of outputs", errors, &mut t.outputs, output),
        _ => {}
    }
    let v = &v;
    match k {
        "AWSTemplateFormatVersion" => {
            let s = as_str(v, p, "the string \"2010-09-09\"")?;
            if s != crate::template::FORMAT_VERSION {
                return Err(err_at(v, p, ErrorKind::InvalidValue {
                    value: format!("{s:?}"),
                    hint: crate::error::Hint::None,
                    reason: "the only template format version is \"2010-09-09\"; use it or remove the key".into(),
                }));
            }
            t.format_version = Some(s.to_owned());
        }
        "Description" => t.description = Some(as_str(v, p, "a string")?.to_owned()),
        "Metadata" => t.metadata = expr_map(v, p)?,
        "Transform" => t.transform = Some(expr(v, p)?),
        "Hooks" => t.hooks = expr_map(v, p)?,
        "Globals" => t.globals = expr_map(v, p)?,
        other => {
            let parent = P::ROOT;
            return Err(unknown_key(v, &parent.key(other), other, TOP_KEYS).with_location_of(v));
        }
    }
    Ok(())
}

fn mapping(n: &Node, mp: &P<'_>) -> Result<Mapping> {
    let mut mapping = Mapping::new();
    for (top, second) in as_map(n, mp, "a map of top-level keys")? {
        let tp = mp.key(top);
        let mut inner = indexmap::IndexMap::new();
        for (k2, val) in as_map(second, &tp, "a map of second-level keys")? {
            inner.insert(k2.clone(), expr(val, &tp.key(k2))?);
        }
        mapping.insert(top.clone(), inner);
    }
    Ok(mapping)
}

trait WithLocationOf {
    fn with_location_of(self, node: &Node) -> Self;
}

impl WithLocationOf for Error {
    fn with_location_of(self, node: &Node) -> Self {
        if node.line > 0 {
            self.with_location(Location {
                file: None,
                line: node.line,
                column: node.col,
            })
        } else {
            self
        }
    }
}

fn expr_map(node: &Node, path: &P<'_>) -> Result<ExprMap> {
    let m = as_map(node, path, "a map")?;
    // exact capacity: a map grown by doubling keeps up to half its slots
    // empty, which for 100,000 resources' properties is tens of MiB
    let mut out = ExprMap::with_capacity(m.len());
    for (k, v) in m {
        out.insert(k.clone(), expr(v, &path.key(k))?);
    }
    Ok(out)
}

const PARAMETER_KEYS: &[&str] = &[
    "Type",
    "Description",
    "Default",
    "AllowedValues",
    "AllowedPattern",
    "ConstraintDescription",
    "MinLength",
    "MaxLength",
    "MinValue",
    "MaxValue",
    "NoEcho",
];

fn parameter(node: &Node, path: &P<'_>) -> Result<Parameter> {
    let m = as_map(node, path, "a parameter declaration (a map with `Type`)")?;
    let ty_node = key_node(m, "Type").ok_or_else(|| {
        err_at(
            node,
            path,
            ErrorKind::MissingKey {
                key: "Type".into(),
                fix: "add `Type: String` (or Number, CommaDelimitedList, an AWS-specific type)"
                    .into(),
            },
        )
    })?;
    let tp = path.key("Type");
    let ty: ParameterType = as_str(ty_node, &tp, "a parameter type name")?
        .parse()
        .map_err(|e: Error| err_at(ty_node, &tp, e.kind().clone()))?;
    let mut p = Parameter::new(ty);
    for (k, v) in m {
        let kp = path.key(k);
        match k.as_str() {
            "Type" => {}
            "Description" => p.description = Some(as_str(v, &kp, "a string")?.to_owned()),
            "Default" => p.default = Some(expr(v, &kp)?),
            "AllowedValues" => match expr(v, &kp)? {
                Expr::List(l) => p.allowed_values = Some(l),
                _ => return Err(wrong_type(v, &kp, "a list of values")),
            },
            "AllowedPattern" => {
                p.allowed_pattern = Some(as_str(v, &kp, "a regular expression string")?.to_owned())
            }
            "ConstraintDescription" => {
                p.constraint_description = Some(as_str(v, &kp, "a string")?.to_owned())
            }
            "MinLength" => p.min_length = Some(expr(v, &kp)?),
            "MaxLength" => p.max_length = Some(expr(v, &kp)?),
            "MinValue" => p.min_value = Some(expr(v, &kp)?),
            "MaxValue" => p.max_value = Some(expr(v, &kp)?),
            "NoEcho" => p.no_echo = Some(expr(v, &kp)?),
            other => return Err(unknown_key(v, &kp, other, PARAMETER_KEYS)),
        }
    }
    Ok(p)
}

const RESOURCE_KEYS: &[&str] = &[
    "Type",
    "Properties",
    "DependsOn",
    "Condition",
    "DeletionPolicy",
    "UpdateReplacePolicy",
    "UpdatePolicy",
    "CreationPolicy",
    "Metadata",
    "Version",
    "IgnoreGlobals",
];

fn resource(node: &Node, path: &P<'_>) -> Result<Resource> {
    let m = as_map(node, path, "a resource declaration (a map with `Type`)")?;
    let ty_node = key_node(m, "Type").ok_or_else(|| {
        err_at(
            node,
            path,
            ErrorKind::MissingKey {
                key: "Type".into(),
                fix: "add the resource type, for example `Type: AWS::S3::Bucket`".into(),
            },
        )
    })?;
    let mut r = Resource::new(as_str(ty_node, &path.key("Type"), "a resource type name")?);
    for (k, v) in m {
        let kp = path.key(k);
        match k.as_str() {
            "Type" => {}
            "Properties" => r.properties = Some(expr_map(v, &kp)?),
            "DependsOn" => {
                r.depends_on = Some(match &v.kind {
                    NodeKind::Str(s) => DependsOn {
                        targets: vec![s.clone()],
                        list_form: false,
                    },
                    NodeKind::Seq(items) => DependsOn {
                        targets: items
                            .iter()
                            .enumerate()
                            .map(|(i, n)| {
                                as_str(n, &kp.index(i), "a resource logical id").map(str::to_owned)
                            })
                            .collect::<Result<_>>()?,
                        list_form: true,
                    },
                    _ => return Err(wrong_type(v, &kp, "a logical id or a list of them")),
                })
            }
            "Condition" => r.condition = Some(as_str(v, &kp, "a condition name")?.to_owned()),
            "DeletionPolicy" => r.deletion_policy = Some(Box::new(expr(v, &kp)?)),
            "UpdateReplacePolicy" => r.update_replace_policy = Some(Box::new(expr(v, &kp)?)),
            "UpdatePolicy" => r.update_policy = Some(Box::new(expr(v, &kp)?)),
            "CreationPolicy" => r.creation_policy = Some(Box::new(expr(v, &kp)?)),
            "Metadata" => r.metadata = Some(Box::new(expr(v, &kp)?)),
            // CloudFormation accepts `Version` on custom resources only
            "Version" if r.is_custom() => r.version = Some(Box::new(expr(v, &kp)?)),
            // SAM's own resource attribute
            "IgnoreGlobals" if r.type_name.starts_with("AWS::Serverless::") => {
                r.ignore_globals = Some(Box::new(expr(v, &kp)?))
            }
            other => {
                // `Version` and `IgnoreGlobals` are named only where they apply
                let allowed = &RESOURCE_KEYS[..RESOURCE_KEYS.len() - 2];
                return Err(unknown_key(v, &kp, other, allowed));
            }
        }
    }
    Ok(r)
}

fn output(node: &Node, path: &P<'_>) -> Result<Output> {
    let m = as_map(node, path, "an output declaration (a map with `Value`)")?;
    let value = key_node(m, "Value").ok_or_else(|| {
        err_at(
            node,
            path,
            ErrorKind::MissingKey {
                key: "Value".into(),
                fix: "add the value to output, for example `Value: !Ref Bucket`".into(),
            },
        )
    })?;
    let mut o = Output {
        value: expr(value, &path.key("Value"))?,
        description: None,
        export: None,
        condition: None,
    };
    for (k, v) in m {
        let kp = path.key(k);
        match k.as_str() {
            "Value" => {}
            "Description" => o.description = Some(as_str(v, &kp, "a string")?.to_owned()),
            "Condition" => o.condition = Some(as_str(v, &kp, "a condition name")?.to_owned()),
            "Export" => {
                let em = as_map(v, &kp, "{Name: export name}")?;
                match (em.len(), em.first()) {
                    (1, Some((nk, nv))) if nk == "Name" => o.export = Some(expr(nv, &kp.key(nk))?),
                    _ => {
                        return Err(err_at(
                            v,
                            &kp,
                            ErrorKind::MissingKey {
                                key: "Name".into(),
                                fix: "write the export as `Export: {Name: ...}` with no other keys"
                                    .into(),
                            },
                        ))
                    }
                }
            }
            other => {
                return Err(unknown_key(
                    v,
                    &kp,
                    other,
                    &["Value", "Description", "Export", "Condition"],
                ))
            }
        }
    }
    Ok(o)
}

fn rule(node: &Node, path: &P<'_>) -> Result<Rule> {
    let m = as_map(node, path, "a rule (a map with `Assertions`)")?;
    let mut r = Rule::default();
    for (k, v) in m {
        let kp = path.key(k);
        match k.as_str() {
            "RuleCondition" => r.condition = Some(expr(v, &kp)?),
            "Assertions" => {
                let items = match &v.kind {
                    NodeKind::Seq(items) => items,
                    _ => return Err(wrong_type(v, &kp, "a list of assertions")),
                };
                for (i, a) in items.iter().enumerate() {
                    let ap = kp.index(i);
                    let am = as_map(a, &ap, "{Assert: condition, AssertDescription: text}")?;
                    let mut assert = None;
                    let mut description = None;
                    for (ak, av) in am {
                        match ak.as_str() {
                            "Assert" => assert = Some(expr(av, &ap.key(ak))?),
                            "AssertDescription" => {
                                description = Some(as_str(av, &ap.key(ak), "a string")?.to_owned())
                            }
                            other => {
                                return Err(unknown_key(
                                    av,
                                    &ap.key(other),
                                    other,
                                    &["Assert", "AssertDescription"],
                                ))
                            }
                        }
                    }
                    r.assertions.push(Assertion {
                        assert: assert.ok_or_else(|| {
                            err_at(
                                a,
                                &ap,
                                ErrorKind::MissingKey {
                                    key: "Assert".into(),
                                    fix: "each assertion needs an `Assert` condition".into(),
                                },
                            )
                        })?,
                        description,
                    });
                }
            }
            other => return Err(unknown_key(v, &kp, other, &["RuleCondition", "Assertions"])),
        }
    }
    Ok(r)
}

//! The checks of the template's sections but Resources: logical ids,
//! required sections, Parameters, Conditions, Rules, Outputs and
//! Metadata, and the declarations nothing uses.

use super::context::{json, Ctx};
use super::{Diagnostic, Severity};
use crate::error::{suggest, Error, ErrorKind};
use crate::expr::Expr;
use crate::id::LogicalId;
use crate::parameter::{literal_number, Parameter};
use indexmap::IndexMap;

/// Logical ids: valid, and unique within CloudFormation's namespaces
/// (Parameters and Resources share one; the other sections don't).
pub(super) fn check_ids(ctx: &mut Ctx<'_>) {
    let t = ctx.t;
    let mut seen: IndexMap<(&str, &str), &str> = IndexMap::new();
    let sections: [(&str, Vec<&LogicalId>); 6] = [
        ("Parameters", t.parameters.keys().collect()),
        ("Mappings", t.mappings.keys().collect()),
        ("Conditions", t.conditions.keys().collect()),
        ("Resources", t.resources.keys().collect()),
        ("Outputs", t.outputs.keys().collect()),
        ("Rules", t.rules.keys().collect()),
    ];
    for (section, ids) in &sections {
        let namespace = crate::template::id_namespace(section);
        for id in ids {
            // Condition names are not held to the logical-id alphabet:
            // CloudFormation deploys `NATGateway&3AZCondition` (AWS Quick
            // Start VPC), and cfn-lint's template schema constrains the
            // other sections' names only.
            let problem = if *section == "Conditions" {
                condition_name_problem(id.as_str())
            } else {
                LogicalId::problem(id.as_str())
            };
            if let Some(reason) = problem {
                ctx.error(
                    format!("{section}/{id}"),
                    ErrorKind::InvalidLogicalId {
                        id: id.as_str().to_owned(),
                        reason,
                    },
                );
            }
            if let Some(existing) = seen.insert((namespace, id.as_str()), section) {
                ctx.error(
                    format!("{section}/{id}"),
                    ErrorKind::DuplicateLogicalId {
                        id: id.as_str().to_owned(),
                        existing: existing.to_owned(),
                    },
                );
            }
        }
    }
}

/// Why a condition name is refused: empty or longer than a logical id.
fn condition_name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("it is empty".into());
    }
    (name.len() > LogicalId::MAX_LEN).then(|| {
        format!(
            "it is {} characters long; the limit is {}",
            name.len(),
            LogicalId::MAX_LEN
        )
    })
}

/// `Globals` only in SAM templates, and at least one resource.
pub(super) fn check_required(ctx: &mut Ctx<'_>) {
    let t = ctx.t;
    if !t.globals.is_empty() && !t.is_sam() {
        ctx.error(
            "Globals",
            ErrorKind::InvalidValue {
                value: "Globals".into(),
                hint: crate::error::Hint::None,
                reason: format!(
                    "`Globals` is a section of SAM templates only; declare `Transform: {}` or remove it",
                    crate::template::SAM_TRANSFORM
                ),
            },
        );
    }
    if t.resources.is_empty() {
        ctx.error(
            "Resources",
            ErrorKind::MissingKey {
                key: "Resources".into(),
                fix: "a template needs at least one resource".into(),
            },
        );
    }
}

/// Parameters: their constraints and defaults.
pub(super) fn check_parameters(ctx: &mut Ctx<'_>) {
    let t = ctx.t;
    for (id, p) in &t.parameters {
        check_parameter(ctx, id.as_str(), p);
    }
}

/// Conditions: only parameters and pseudo parameters.
pub(super) fn check_conditions(ctx: &mut Ctx<'_>) {
    let t = ctx.t;
    for (id, c) in &t.conditions {
        ctx.check_expr(c, &format!("Conditions/{id}"), true);
    }
}

/// Rules: their conditions and assertions.
pub(super) fn check_rules(ctx: &mut Ctx<'_>) {
    let t = ctx.t;
    for (id, r) in &t.rules {
        if let Some(c) = &r.condition {
            ctx.check_expr(c, &format!("Rules/{id}/RuleCondition"), true);
        }
        for (i, a) in r.assertions.iter().enumerate() {
            ctx.check_expr(
                &a.assert,
                &format!("Rules/{id}/Assertions/{i}/Assert"),
                true,
            );
        }
    }
}

/// Outputs (values, conditions, unique export names), then Metadata.
pub(super) fn check_outputs(ctx: &mut Ctx<'_>) {
    let t = ctx.t;
    let mut exports: IndexMap<String, String> = IndexMap::new();
    for (id, o) in &t.outputs {
        let base = format!("Outputs/{id}");
        ctx.check_expr(&o.value, &format!("{base}/Value"), false);
        if let Some(c) = &o.condition {
            if t.conditions.contains_key(c.as_str()) {
                ctx.used_conditions.insert(c.clone());
            } else {
                let hint = suggest(c, t.conditions.keys().map(LogicalId::as_str));
                ctx.error(
                    format!("{base}/Condition"),
                    ErrorKind::DanglingCondition {
                        name: c.clone(),
                        hint,
                    },
                );
            }
        }
        if let Some(e) = &o.export {
            ctx.check_expr(e, &format!("{base}/Export/Name"), false);
            let key = json(e);
            if let Some(other) = exports.insert(key.clone(), id.as_str().to_owned()) {
                ctx.error(
                    format!("{base}/Export/Name"),
                    ErrorKind::DuplicateExport {
                        name: key.trim_matches('"').to_owned(),
                        other,
                    },
                );
            }
        }
    }
    for (k, v) in &t.metadata {
        ctx.check_expr(v, &format!("Metadata/{k}"), false);
    }
}

/// Parameters, mappings and conditions nothing references: warnings.
pub(super) fn check_unused(ctx: &mut Ctx<'_>) {
    let t = ctx.t;
    let unused_params: Vec<String> = t
        .parameters
        .keys()
        .filter(|id| !ctx.used_params.contains(id.as_str()))
        .map(|id| id.as_str().to_owned())
        .collect();
    for name in unused_params {
        ctx.warn(
            format!("Parameters/{name}"),
            ErrorKind::UnusedParameter { name },
        );
    }
    let unused_maps: Vec<String> = t
        .mappings
        .keys()
        .filter(|id| !ctx.used_mappings.contains(id.as_str()))
        .map(|id| id.as_str().to_owned())
        .collect();
    for name in unused_maps {
        ctx.warn(
            format!("Mappings/{name}"),
            ErrorKind::UnusedMapping { name },
        );
    }
    let unused_conds: Vec<String> = t
        .conditions
        .keys()
        .filter(|id| !ctx.used_conditions.contains(id.as_str()))
        .map(|id| id.as_str().to_owned())
        .collect();
    for name in unused_conds {
        ctx.warn(
            format!("Conditions/{name}"),
            ErrorKind::UnusedCondition { name },
        );
    }
}

fn check_parameter(ctx: &mut Ctx<'_>, id: &str, p: &Parameter) {
    let path = format!("Parameters/{id}");
    let pattern = p.pattern_regex().and_then(|r| match r {
        Ok(r) => Some(r),
        Err(e) => {
            // CloudFormation evaluates it as a Java regular expression; what
            // the engine here cannot evaluate is a warning, not an error
            ctx.warn(
                format!("{path}/AllowedPattern"),
                ErrorKind::InvalidValue {
                    value: format!("{:?}", p.allowed_pattern.as_deref().unwrap_or_default()),
                    hint: crate::error::Hint::None,
                    reason: format!(
                        "cannot be evaluated here ({e}), so values are not checked against it; \
                         check it is a valid Java regular expression"
                    ),
                },
            );
            None
        }
    });
    for (key, v) in [
        ("MinLength", &p.min_length),
        ("MaxLength", &p.max_length),
        ("MinValue", &p.min_value),
        ("MaxValue", &p.max_value),
    ] {
        if let Some(v) = v {
            if literal_number(v).is_none() {
                ctx.error(
                    format!("{path}/{key}"),
                    ErrorKind::InvalidValue {
                        value: json(v),
                        hint: crate::error::Hint::None,
                        reason: format!("`{key}` must be a number"),
                    },
                );
            }
        }
    }
    let Some(default) = &p.default else { return };
    let items: Vec<String> = match default {
        Expr::String(s) if p.parameter_type.is_list() => {
            s.split(',').map(|x| x.trim().to_owned()).collect()
        }
        Expr::String(s) => vec![s.clone()],
        Expr::Number(n) => vec![n.to_string()],
        Expr::Bool(b) => vec![b.to_string()],
        Expr::List(l) if p.parameter_type.is_list() => l
            .iter()
            .map(|x| match x {
                Expr::String(s) => s.clone(),
                other => json(other).trim_matches('"').to_owned(),
            })
            .collect(),
        other => {
            ctx.error(
                format!("{path}/Default"),
                ErrorKind::InvalidParameterDefault {
                    name: id.to_owned(),
                    value: json(other),
                    reason: "a default must be a literal string or number".into(),
                },
            );
            return;
        }
    };
    let mut fail = |reason: String| {
        ctx.out.push(Diagnostic {
            severity: Severity::Error,
            error: Error::at(
                format!("{path}/Default"),
                ErrorKind::InvalidParameterDefault {
                    name: id.to_owned(),
                    value: json(default),
                    reason,
                },
            ),
        })
    };
    for v in p.check_items(&items, pattern.as_ref()) {
        fail(v.reason);
    }
}

//! The validation context: where diagnostics are collected, and the
//! checks of expressions and references every section shares.

use super::{Diagnostic, Severity};
use crate::error::{suggest, Error, ErrorKind, Hint};
use crate::expr::{Expr, Intrinsic};
use crate::graph::{references, RefKind, Reference};
use crate::id::LogicalId;
use crate::pseudo::{is_pseudo, PSEUDO_PARAMETERS};
use crate::template::Template;
use indexmap::IndexSet;

/// What validation has found so far, and which declarations were used.
pub(super) struct Ctx<'t> {
    pub(super) t: &'t Template,
    pub(super) out: Vec<Diagnostic>,
    pub(super) used_params: IndexSet<String>,
    pub(super) used_mappings: IndexSet<String>,
    pub(super) used_conditions: IndexSet<String>,
}

impl Ctx<'_> {
    pub(super) fn error(&mut self, path: impl Into<String>, kind: ErrorKind) {
        self.out.push(Diagnostic {
            severity: Severity::Error,
            error: Error::at(path, kind),
        });
    }
    pub(super) fn warn(&mut self, path: impl Into<String>, kind: ErrorKind) {
        self.out.push(Diagnostic {
            severity: Severity::Warning,
            error: Error::at(path, kind),
        });
    }

    pub(super) fn resource_hint(&self, name: &str) -> Hint {
        suggest(name, self.t.resources.keys().map(LogicalId::as_str))
    }

    /// Reports a reference to a missing resource: an error, unless a
    /// transform or a module may create it (SAM adds `FunctionRole`,
    /// `ApiDeployment`, ...; a module `M` adds `M...` resources), where it
    /// is a warning checked only after AWS expands the template.
    fn missing_target(&mut self, path: &str, target: &str, kind: ErrorKind) {
        let module =
            self.t.resources.iter().any(|(id, r)| {
                r.type_name.ends_with("::MODULE") && target.starts_with(id.as_str())
            });
        if module {
            return;
        }
        if self.t.is_sam() {
            self.warn(path, kind);
        } else {
            self.error(path, kind);
        }
    }

    /// Checks the references of one expression. `in_condition`: only
    /// parameters and pseudo parameters may be referenced.
    pub(super) fn check_expr(&mut self, e: &Expr, base: &str, in_condition: bool) {
        self.check_arity(e, base);
        for r in references(e, base) {
            self.check_reference(&r, in_condition);
        }
    }

    pub(super) fn check_reference(&mut self, r: &Reference, in_condition: bool) {
        let t = self.t;
        match r.kind {
            RefKind::Ref | RefKind::Sub => {
                if t.parameters.contains_key(r.target.as_str()) {
                    self.used_params.insert(r.target.clone());
                    if r.attribute.is_some() {
                        self.error(
                            &r.path,
                            ErrorKind::DanglingGetAtt {
                                target: r.target.clone(),
                                attribute: r.attribute.clone().unwrap_or_default(),
                                hint: Hint::note("it is a parameter, which has no attributes"),
                            },
                        );
                    }
                } else if t.resources.contains_key(r.target.as_str()) {
                    if in_condition {
                        self.error(
                            &r.path,
                            ErrorKind::ResourceInCondition {
                                target: r.target.clone(),
                            },
                        );
                    }
                } else if is_pseudo(&r.target) {
                    // fine
                } else if r.kind == RefKind::Sub && r.attribute.is_some() {
                    let hint = self.resource_hint(&r.target);
                    self.missing_target(
                        &r.path,
                        &r.target,
                        ErrorKind::DanglingGetAtt {
                            target: r.target.clone(),
                            attribute: r.attribute.clone().unwrap_or_default(),
                            hint,
                        },
                    );
                } else {
                    let names = t
                        .parameters
                        .keys()
                        .chain(t.resources.keys())
                        .map(LogicalId::as_str)
                        .chain(PSEUDO_PARAMETERS.iter().copied());
                    let hint = suggest(&r.target, names);
                    self.missing_target(
                        &r.path,
                        &r.target,
                        ErrorKind::DanglingRef {
                            target: r.target.clone(),
                            hint,
                        },
                    );
                }
            }
            RefKind::GetAtt => {
                if !t.resources.contains_key(r.target.as_str()) {
                    let hint = self.resource_hint(&r.target);
                    self.missing_target(
                        &r.path,
                        &r.target,
                        ErrorKind::DanglingGetAtt {
                            target: r.target.clone(),
                            attribute: r.attribute.clone().unwrap_or_default(),
                            hint,
                        },
                    );
                } else if in_condition {
                    self.error(
                        &r.path,
                        ErrorKind::ResourceInCondition {
                            target: r.target.clone(),
                        },
                    );
                }
            }
            RefKind::Condition => {
                if t.conditions.contains_key(r.target.as_str()) {
                    self.used_conditions.insert(r.target.clone());
                } else {
                    let hint = suggest(&r.target, t.conditions.keys().map(LogicalId::as_str));
                    self.error(
                        &r.path,
                        ErrorKind::DanglingCondition {
                            name: r.target.clone(),
                            hint,
                        },
                    );
                }
            }
            RefKind::FindInMap => match t.mappings.get(r.target.as_str()) {
                None => {
                    let hint = suggest(&r.target, t.mappings.keys().map(LogicalId::as_str));
                    self.error(
                        &r.path,
                        ErrorKind::DanglingMapping {
                            what: format!("mapping `{}`", r.target),
                            hint,
                        },
                    )
                }
                Some(m) => {
                    self.used_mappings.insert(r.target.clone());
                    if let Some((a, b)) = &r.keys {
                        match m.get(a) {
                            None => self.error(
                                &r.path,
                                ErrorKind::DanglingMapping {
                                    what: format!("top-level key `{a}` of mapping `{}`", r.target),
                                    hint: Hint::None,
                                },
                            ),
                            Some(inner) if !inner.contains_key(b) => self.error(
                                &r.path,
                                ErrorKind::DanglingMapping {
                                    what: format!(
                                        "key `{b}` under `{a}` of mapping `{}`",
                                        r.target
                                    ),
                                    hint: Hint::None,
                                },
                            ),
                            _ => {}
                        }
                    }
                }
            },
            RefKind::DependsOn => {}
        }
    }

    pub(super) fn check_arity(&mut self, e: &Expr, base: &str) {
        let mut problems = Vec::new();
        e.walk(&mut |x| {
            if let Some(f) = x.as_intrinsic() {
                match f {
                    Intrinsic::And(v) | Intrinsic::Or(v) if !(2..=10).contains(&v.len()) => {
                        problems.push((
                            f.name(),
                            "2 to 10 conditions",
                            format!("{} condition(s)", v.len()),
                        ))
                    }
                    Intrinsic::Cidr {
                        count: Expr::Number(n),
                        ..
                    } if !n.as_u64().is_some_and(|c| (1..=256).contains(&c)) => {
                        problems.push((f.name(), "a count of 1 to 256", format!("count {n}")))
                    }
                    _ => {}
                }
            }
        });
        for (function, expected, found) in problems {
            self.error(
                base,
                ErrorKind::WrongArguments {
                    function: function.to_owned(),
                    expected: expected.to_owned(),
                    found,
                },
            );
        }
    }
}

pub(super) fn check_keys(ctx: &mut Ctx<'_>, e: &Expr, path: &str, allowed: &[&str]) {
    if let Expr::Map(m) = e {
        for k in m.keys() {
            if !allowed.contains(&k.as_str()) {
                ctx.error(
                    format!("{path}/{k}"),
                    ErrorKind::UnknownKey {
                        key: k.clone(),
                        hint: suggest(k, allowed.iter().copied()),
                        allowed: allowed.iter().map(|k| (*k).to_owned()).collect(),
                    },
                );
            }
        }
    }
}

pub(super) fn json(e: &Expr) -> String {
    serde_json::to_string(e).unwrap_or_default()
}

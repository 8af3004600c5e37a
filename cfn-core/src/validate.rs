//! Validation at synthesis: every problem at once, each with its template
//! path, the bad value and the fix.

use crate::error::{suggest, Error, ErrorKind, Result};
use crate::expr::{Expr, Intrinsic};
use crate::fns::count_dynamic_references;
use crate::graph::{references, DependencyGraph, RefKind, Reference};
use crate::id::LogicalId;
use crate::parameter::{literal_number, Parameter};
use crate::pseudo::{is_pseudo, PSEUDO_PARAMETERS};
use crate::render::Format;
use crate::resource::{CREATION_POLICY_KEYS, ROLLING_UPDATE_KEYS, UPDATE_POLICY_KEYS};
use crate::template::Template;
use indexmap::{IndexMap, IndexSet};
use std::fmt;

/// CloudFormation's quotas, as documented.
pub mod limits {
    /// Resources per template.
    pub const RESOURCES: usize = 500;
    /// Parameters per template.
    pub const PARAMETERS: usize = 200;
    /// Outputs per template.
    pub const OUTPUTS: usize = 200;
    /// Mappings per template.
    pub const MAPPINGS: usize = 200;
    /// Attributes per mapping.
    pub const MAPPING_ATTRIBUTES: usize = 200;
    /// Bytes of `Description`.
    pub const DESCRIPTION_BYTES: usize = 1024;
    /// Dynamic references per template.
    pub const DYNAMIC_REFERENCES: usize = 60;
    /// Body bytes when passed directly (`TemplateBody`).
    pub const DIRECT_BODY_BYTES: usize = 51_200;
    /// Body bytes when uploaded to S3 (`TemplateURL`).
    pub const S3_BODY_BYTES: usize = 1_000_000;
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// CloudFormation would reject the template, or the stack would fail.
    Error,
    /// Probably a mistake, but deployable.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One problem found by validation.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What, where and the fix.
    pub error: Error,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.severity, self.error)
    }
}

/// The rendered size of a template against CloudFormation's body limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizeReport {
    /// Bytes of the pretty JSON rendering.
    pub json_bytes: usize,
    /// Bytes of the compact JSON rendering (the smallest upload).
    pub compact_bytes: usize,
}

impl SizeReport {
    /// Whether the compact body can be passed directly (51,200 bytes).
    pub fn fits_direct_upload(&self) -> bool {
        self.compact_bytes <= limits::DIRECT_BODY_BYTES
    }
    /// Whether the compact body fits an S3 template URL (1,000,000 bytes).
    pub fn fits_s3(&self) -> bool {
        self.compact_bytes <= limits::S3_BODY_BYTES
    }
}

/// Everything validation found, in a stable order: by section, then
/// template order.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// The body size.
    pub size: SizeReport,
}

impl Report {
    /// The errors.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
    }
    /// The warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
    }
    /// Whether there is no error (warnings allowed).
    pub fn is_ok(&self) -> bool {
        self.errors().next().is_none()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.diagnostics {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

struct Ctx<'t> {
    t: &'t Template,
    out: Vec<Diagnostic>,
    used_params: IndexSet<String>,
    used_mappings: IndexSet<String>,
    used_conditions: IndexSet<String>,
}

impl Ctx<'_> {
    fn error(&mut self, path: impl Into<String>, kind: ErrorKind) {
        self.out.push(Diagnostic {
            severity: Severity::Error,
            error: Error::at(path, kind),
        });
    }
    fn warn(&mut self, path: impl Into<String>, kind: ErrorKind) {
        self.out.push(Diagnostic {
            severity: Severity::Warning,
            error: Error::at(path, kind),
        });
    }

    fn resource_hint(&self, name: &str) -> String {
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
    fn check_expr(&mut self, e: &Expr, base: &str, in_condition: bool) {
        self.check_arity(e, base);
        for r in references(e, base) {
            self.check_reference(&r, in_condition);
        }
    }

    fn check_reference(&mut self, r: &Reference, in_condition: bool) {
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
                                hint: " (it is a parameter, which has no attributes)".into(),
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
                            what: format!("mapping `{}`{hint}", r.target),
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
                                },
                            ),
                            Some(inner) if !inner.contains_key(b) => self.error(
                                &r.path,
                                ErrorKind::DanglingMapping {
                                    what: format!(
                                        "key `{b}` under `{a}` of mapping `{}`",
                                        r.target
                                    ),
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

    fn check_arity(&mut self, e: &Expr, base: &str) {
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

fn check_keys(ctx: &mut Ctx<'_>, e: &Expr, path: &str, allowed: &[&str]) {
    if let Expr::Map(m) = e {
        for k in m.keys() {
            if !allowed.contains(&k.as_str()) {
                ctx.error(
                    format!("{path}/{k}"),
                    ErrorKind::UnknownKey {
                        key: k.clone(),
                        hint: suggest(k, allowed.iter().copied()),
                        allowed: allowed.join(", "),
                    },
                );
            }
        }
    }
}

fn is_valid_type_name(t: &str) -> bool {
    let parts: Vec<&str> = t.split("::").collect();
    let ok = |p: &&str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '@')
    };
    match parts.as_slice() {
        ["Custom", name] => ok(name),
        [_, _, _] | [_, _, _, "MODULE"] => parts.iter().all(ok),
        _ => false,
    }
}

fn json(e: &Expr) -> String {
    serde_json::to_string(e).unwrap_or_default()
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

fn count_dynamic(e: &Expr) -> usize {
    let mut n = 0;
    e.walk(&mut |x| {
        if let Expr::String(s) = x {
            n += count_dynamic_references(s);
        }
    });
    n
}

impl Template {
    /// Validates the whole template and returns every problem at once.
    ///
    /// ```
    /// use cfn_core::{Template, Raw, Output, Value};
    /// let mut t = Template::new();
    /// t.add("Topic", Raw::new("AWS::SNS::Topic")).unwrap();
    /// t.add_output("Missing", Output::new(Value::<String>::from_expr_unchecked(
    ///     cfn_core::Expr::func(cfn_core::Intrinsic::Ref("Topc".into()))))).unwrap();
    /// let report = t.validate();
    /// assert_eq!(report.errors().count(), 1);
    /// assert!(report.to_string().contains("did you mean `Topic`?"));
    /// ```
    pub fn validate(&self) -> Report {
        let mut ctx = Ctx {
            t: self,
            out: Vec::new(),
            used_params: IndexSet::new(),
            used_mappings: IndexSet::new(),
            used_conditions: IndexSet::new(),
        };

        // logical ids: valid, and unique within CloudFormation's namespaces
        // (Parameters and Resources share one; the other sections don't)
        let mut seen: IndexMap<(&str, &str), &str> = IndexMap::new();
        let sections: [(&str, Vec<&LogicalId>); 6] = [
            ("Parameters", self.parameters.keys().collect()),
            ("Mappings", self.mappings.keys().collect()),
            ("Conditions", self.conditions.keys().collect()),
            ("Resources", self.resources.keys().collect()),
            ("Outputs", self.outputs.keys().collect()),
            ("Rules", self.rules.keys().collect()),
        ];
        for (section, ids) in &sections {
            let namespace = crate::template::id_namespace(section);
            for id in ids {
                if let Some(reason) = LogicalId::problem(id.as_str()) {
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

        // limits
        let fix_split = "split the stack into nested stacks or separate stacks";
        for (what, count, limit, fix) in [
            (
                "resources",
                self.resources.len(),
                limits::RESOURCES,
                fix_split,
            ),
            (
                "parameters",
                self.parameters.len(),
                limits::PARAMETERS,
                "group settings into mappings or fewer parameters",
            ),
            (
                "outputs",
                self.outputs.len(),
                limits::OUTPUTS,
                "remove outputs no other stack needs",
            ),
            (
                "mappings",
                self.mappings.len(),
                limits::MAPPINGS,
                "merge mappings",
            ),
        ] {
            if count > limit {
                ctx.error(
                    what_section(what),
                    ErrorKind::LimitExceeded {
                        what: format!("number of {what}"),
                        count,
                        limit,
                        fix: fix.into(),
                    },
                );
            }
        }
        if !self.globals.is_empty() && !self.is_sam() {
            ctx.error(
                "Globals",
                ErrorKind::InvalidValue {
                    value: "Globals".into(),
                    reason: format!(
                        "`Globals` is a section of SAM templates only; declare `Transform: {}` or remove it",
                        crate::template::SAM_TRANSFORM
                    ),
                },
            );
        }
        if self.resources.is_empty() {
            ctx.error(
                "Resources",
                ErrorKind::MissingKey {
                    key: "Resources".into(),
                    fix: "a template needs at least one resource".into(),
                },
            );
        }
        for (id, m) in &self.mappings {
            let attrs = m
                .values()
                .map(|inner| inner.len())
                .max()
                .unwrap_or(0)
                .max(m.len());
            if attrs > limits::MAPPING_ATTRIBUTES {
                ctx.error(
                    format!("Mappings/{id}"),
                    ErrorKind::LimitExceeded {
                        what: format!("attributes of mapping `{id}`"),
                        count: attrs,
                        limit: limits::MAPPING_ATTRIBUTES,
                        fix: "split the mapping in two".into(),
                    },
                );
            }
        }
        if let Some(d) = &self.description {
            if d.len() > limits::DESCRIPTION_BYTES {
                ctx.error(
                    "Description",
                    ErrorKind::LimitExceeded {
                        what: "description bytes".into(),
                        count: d.len(),
                        limit: limits::DESCRIPTION_BYTES,
                        fix: "shorten the description".into(),
                    },
                );
            }
        }

        // parameters
        for (id, p) in &self.parameters {
            check_parameter(&mut ctx, id.as_str(), p);
        }

        // conditions: only parameters and pseudo parameters
        for (id, c) in &self.conditions {
            ctx.check_expr(c, &format!("Conditions/{id}"), true);
        }

        // rules
        for (id, r) in &self.rules {
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

        // resources
        let graph = DependencyGraph::of(self);
        for (id, r) in &self.resources {
            let base = format!("Resources/{id}");
            if !is_valid_type_name(&r.type_name) {
                ctx.error(format!("{base}/Type"), ErrorKind::InvalidValue {
                    value: format!("{:?}", r.type_name),
                    reason: "not a resource type name; use `AWS::Service::Resource` (for example `AWS::S3::Bucket`) or `Custom::Name`".into(),
                });
            }
            if let Some(c) = &r.condition {
                if self.conditions.contains_key(c.as_str()) {
                    ctx.used_conditions.insert(c.clone());
                } else {
                    let hint = suggest(c, self.conditions.keys().map(LogicalId::as_str));
                    ctx.error(
                        format!("{base}/Condition"),
                        ErrorKind::DanglingCondition {
                            name: c.clone(),
                            hint,
                        },
                    );
                }
            }
            let mut implied: IndexMap<String, RefKind> = IndexMap::new();
            if let Some(props) = &r.properties {
                for (k, v) in props {
                    let p = format!("{base}/Properties/{k}");
                    ctx.check_arity(v, &p);
                    for reference in references(v, &p) {
                        if matches!(
                            reference.kind,
                            RefKind::Ref | RefKind::GetAtt | RefKind::Sub
                        ) && self.resources.contains_key(reference.target.as_str())
                        {
                            implied
                                .entry(reference.target.clone())
                                .or_insert(reference.kind);
                        }
                        ctx.check_reference(&reference, false);
                    }
                }
            }
            for (key, e) in [
                ("Metadata", &r.metadata),
                ("UpdatePolicy", &r.update_policy),
                ("CreationPolicy", &r.creation_policy),
            ] {
                if let Some(e) = e {
                    ctx.check_expr(e, &format!("{base}/{key}"), false);
                }
            }
            if let Some(up) = &r.update_policy {
                check_keys(
                    &mut ctx,
                    up,
                    &format!("{base}/UpdatePolicy"),
                    UPDATE_POLICY_KEYS,
                );
                if let Expr::Map(m) = up {
                    if let Some(ru) = m.get("AutoScalingRollingUpdate") {
                        check_keys(
                            &mut ctx,
                            ru,
                            &format!("{base}/UpdatePolicy/AutoScalingRollingUpdate"),
                            ROLLING_UPDATE_KEYS,
                        );
                    }
                }
            }
            if let Some(cp) = &r.creation_policy {
                check_keys(
                    &mut ctx,
                    cp,
                    &format!("{base}/CreationPolicy"),
                    CREATION_POLICY_KEYS,
                );
            }
            for (key, e, allowed) in [
                (
                    "DeletionPolicy",
                    &r.deletion_policy,
                    &["Delete", "Retain", "RetainExceptOnCreate", "Snapshot"][..],
                ),
                (
                    "UpdateReplacePolicy",
                    &r.update_replace_policy,
                    &["Delete", "Retain", "Snapshot"][..],
                ),
            ] {
                match e {
                    Some(Expr::String(s)) if !allowed.contains(&s.as_str()) => ctx.error(
                        format!("{base}/{key}"),
                        ErrorKind::InvalidValue {
                            value: format!("{s:?}"),
                            reason: format!(
                                "`{key}` must be one of {}{}",
                                allowed.join(", "),
                                suggest(s, allowed.iter().copied())
                            ),
                        },
                    ),
                    Some(other @ Expr::Fn(_)) => {
                        ctx.check_expr(other, &format!("{base}/{key}"), false)
                    }
                    Some(Expr::String(_)) | None => {}
                    Some(other) => ctx.error(
                        format!("{base}/{key}"),
                        ErrorKind::WrongType {
                            expected: format!("one of {}", allowed.join(", ")),
                            found: json(other),
                        },
                    ),
                }
            }
            if let Some(d) = &r.depends_on {
                for target in &d.targets {
                    let p = format!("{base}/DependsOn");
                    if target == id.as_str() {
                        ctx.error(
                            p,
                            ErrorKind::DependencyCycle {
                                cycle: format!("{id} -> {id}"),
                            },
                        );
                    } else if !self.resources.contains_key(target.as_str()) {
                        let hint = ctx.resource_hint(target);
                        ctx.error(
                            p,
                            ErrorKind::DanglingDependsOn {
                                target: target.clone(),
                                hint,
                            },
                        );
                    } else if let Some(kind) = implied.get(target) {
                        ctx.warn(
                            p,
                            ErrorKind::RedundantDependsOn {
                                target: target.clone(),
                                via: kind.as_str().to_owned(),
                            },
                        );
                    }
                }
            }
        }

        // cycles (self-cycles through DependsOn are reported above)
        for cycle in graph.cycles() {
            let self_depends = cycle.len() == 2
                && self.resources[cycle[0].as_str()]
                    .depends_on
                    .as_ref()
                    .is_some_and(|d| d.targets.contains(&cycle[0]));
            if !self_depends {
                ctx.error(
                    format!("Resources/{}", cycle[0]),
                    ErrorKind::DependencyCycle {
                        cycle: cycle.join(" -> "),
                    },
                );
            }
        }

        // outputs
        let mut exports: IndexMap<String, String> = IndexMap::new();
        for (id, o) in &self.outputs {
            let base = format!("Outputs/{id}");
            ctx.check_expr(&o.value, &format!("{base}/Value"), false);
            if let Some(c) = &o.condition {
                if self.conditions.contains_key(c.as_str()) {
                    ctx.used_conditions.insert(c.clone());
                } else {
                    let hint = suggest(c, self.conditions.keys().map(LogicalId::as_str));
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
        for (k, v) in &self.metadata {
            ctx.check_expr(v, &format!("Metadata/{k}"), false);
        }

        // dynamic references
        let dynamic: usize = self
            .resources
            .values()
            .flat_map(|r| r.properties.iter().flat_map(|m| m.values()))
            .chain(self.outputs.values().map(|o| &o.value))
            .map(count_dynamic)
            .sum();
        if dynamic > limits::DYNAMIC_REFERENCES {
            ctx.error("Resources", ErrorKind::LimitExceeded {
                what: "dynamic references".into(),
                count: dynamic,
                limit: limits::DYNAMIC_REFERENCES,
                fix: "resolve several values from one secret (JSON keys) or pass them as parameters".into(),
            });
        }

        // unused declarations
        let unused_params: Vec<String> = self
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
        let unused_maps: Vec<String> = self
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
        let unused_conds: Vec<String> = self
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

        // size
        let compact_bytes = self.to_json_compact().len();
        let size = SizeReport {
            json_bytes: self.to_json_pretty().len(),
            compact_bytes,
        };
        if compact_bytes > limits::S3_BODY_BYTES {
            ctx.error(
                "",
                ErrorKind::TemplateTooLarge {
                    bytes: compact_bytes,
                    limit: limits::S3_BODY_BYTES,
                    path: "an S3 template URL".into(),
                    fix: "split the stack into nested stacks".into(),
                },
            );
        } else if compact_bytes > limits::DIRECT_BODY_BYTES {
            ctx.warn(
                "",
                ErrorKind::TemplateTooLarge {
                    bytes: compact_bytes,
                    limit: limits::DIRECT_BODY_BYTES,
                    path: "direct upload".into(),
                    fix: "deploy it from S3 (a template URL), which allows 1,000,000 bytes".into(),
                },
            );
        }

        Report {
            diagnostics: ctx.out,
            size,
        }
    }

    /// Validates, then renders in `format`. Fails with every error listed
    /// when validation finds any; warnings do not stop synthesis.
    ///
    /// ```
    /// use cfn_core::{Template, Raw, Format};
    /// let mut t = Template::new();
    /// t.add("Topic", Raw::new("AWS::SNS::Topic")).unwrap();
    /// let json = t.synth(Format::Json).unwrap();
    /// assert!(json.ends_with("}\n"));
    /// ```
    pub fn synth(&self, format: Format) -> Result<String> {
        let report = self.validate();
        if !report.is_ok() {
            let list: Vec<String> = report.errors().map(|d| format!("  {}", d.error)).collect();
            return Err(Error::new(ErrorKind::Invalid {
                count: list.len(),
                list: list.join("\n"),
            }));
        }
        Ok(self.render(format))
    }
}

fn what_section(what: &str) -> &'static str {
    match what {
        "resources" => "Resources",
        "parameters" => "Parameters",
        "outputs" => "Outputs",
        _ => "Mappings",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        assert!(is_valid_type_name("AWS::S3::Bucket"));
        assert!(is_valid_type_name("Custom::Seeder"));
        assert!(is_valid_type_name("My::Org::Thing::MODULE"));
        assert!(!is_valid_type_name("AWS::S3"));
        assert!(!is_valid_type_name("AWS::S3::Bucket::Extra"));
        assert!(!is_valid_type_name("AWS S3 Bucket"));
    }
}

//! Security lint rules over templates, with suppressions.
//!
//! Rules are modelled on what cfn_nag, checkov and cdk-nag check for the
//! services the Raven stack uses. Each has an id, a severity, a rationale and
//! a fix; [`RULES`] lists them all. A rule only judges literal values: a
//! property set by an intrinsic whose value is unknown at synthesis is given
//! the benefit of the doubt.
//!
//! Suppressions carry a reason and are listed in the report. They come from
//! code ([`Linter::suppress`]) or from a resource's `Metadata`:
//!
//! ```yaml
//! Metadata:
//!   cfnkit:
//!     suppress:
//!       - id: S3005
//!         reason: access logs go to the central logging account
//! ```
//!
//! ```
//! use cfn_core::{Raw, Template};
//! use cfn_tools::lint::Linter;
//! let mut t = Template::new();
//! t.add("Topic", Raw::new("AWS::SNS::Topic")).unwrap();
//! let report = Linter::new().run(&t);
//! assert_eq!(report.findings[0].rule, "SNS001");
//! ```

pub mod rules;

use cfn_core::{Expr, Template};
use serde::Serialize;
use std::fmt;

pub use rules::{Rule, RULES};

/// How serious a finding is. The policy (README, "Lint severities"):
///
/// - **high** (an error: `lint` exits 1): harm as written, with no other
///   mistake needed: a remote-administration or database port open to the
///   world, administrator rights, a trust or key policy open to everyone, a
///   public bucket ACL or database, a password in the template.
/// - **medium** (a warning): a control is weakened or data is at risk on a
///   later mistake: a stateful resource not retained, storage or messages
///   unencrypted at rest, IMDSv1, a public-access block turned off, plain
///   HTTP listeners, write actions on `Resource: *`.
/// - **low** (a note): best practice whose absence harms nobody by itself:
///   logging, versioning, rotation, customer-managed keys where AWS already
///   encrypts, deletion protection on top of a retained resource.
///
/// Variants are ordered from the most serious: `High < Medium < Low`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Harm as written: exploitable or exposing data with no other mistake.
    High,
    /// Weakens a control, or puts data at risk on a later mistake.
    Medium,
    /// Best practice.
    Low,
}

impl Severity {
    /// Whether this severity is `min` or more serious (`High.at_least(Medium)`).
    pub fn at_least(self, min: Severity) -> bool {
        self <= min
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        })
    }
}

/// A finding's level in reports, on the one severity scale
/// ([`cfn_core::Severity`]): high is an error, medium a warning, low a note.
///
/// ```
/// use cfn_tools::lint::Severity;
/// assert_eq!(cfn_core::Severity::from(Severity::Medium), cfn_core::Severity::Warning);
/// ```
impl From<Severity> for cfn_core::Severity {
    fn from(s: Severity) -> Self {
        match s {
            Severity::High => cfn_core::Severity::Error,
            Severity::Medium => cfn_core::Severity::Warning,
            Severity::Low => cfn_core::Severity::Note,
        }
    }
}

/// A lint rule's description.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct RuleInfo {
    /// Stable id (`S3002`).
    pub id: &'static str,
    /// Severity.
    pub severity: Severity,
    /// One line: what is wrong.
    pub title: &'static str,
    /// Why it matters.
    pub rationale: &'static str,
    /// How to fix it.
    pub fix: &'static str,
}

/// One problem found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule's id.
    pub rule: &'static str,
    /// The rule's severity.
    pub severity: Severity,
    /// The resource's logical id.
    pub resource: String,
    /// The template path (`Resources/WebSg/Properties/SecurityGroupIngress/0`).
    pub path: String,
    /// What is wrong here, specifically (it words the suggestion too).
    pub message: String,
    /// The name probably meant (IAM008: the closest action of the IAM
    /// catalogue), as data; absent from JSON when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// How to fix it.
    pub fix: &'static str,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} [{}] {}: {}; fix: {}",
            self.severity, self.rule, self.path, self.message, self.fix
        )
    }
}

/// A finding that a suppression silenced, with the suppression's reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppressed {
    /// The finding.
    pub finding: Finding,
    /// Why it is accepted.
    pub reason: String,
    /// Where the suppression lives (`code` or `Metadata`).
    pub source: &'static str,
}

/// The result of a lint run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LintReport {
    /// Unsuppressed findings, by resource in template order, then rule.
    pub findings: Vec<Finding>,
    /// Suppressed findings with their reasons.
    pub suppressed: Vec<Suppressed>,
    /// Problems with the suppressions themselves (no reason, unknown rule).
    pub suppression_errors: Vec<String>,
}

impl LintReport {
    /// Whether nothing unsuppressed was found and every suppression is well formed.
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty() && self.suppression_errors.is_empty()
    }
}

impl fmt::Display for LintReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for x in &self.findings {
            writeln!(f, "{x}")?;
        }
        for e in &self.suppression_errors {
            writeln!(f, "error: {e}")?;
        }
        for s in &self.suppressed {
            writeln!(
                f,
                "suppressed [{}] {} ({}): {}",
                s.finding.rule, s.finding.path, s.source, s.reason
            )?;
        }
        writeln!(
            f,
            "{} finding(s), {} suppressed",
            self.findings.len(),
            self.suppressed.len()
        )
    }
}

#[derive(Debug, Clone)]
struct CodeSuppression {
    rule: String,
    resource: Option<String>,
    reason: String,
}

/// Runs the rules over a template.
#[derive(Debug, Clone)]
pub struct Linter {
    suppressions: Vec<CodeSuppression>,
    extra: Vec<Rule>,
    min_severity: Severity,
}

impl Default for Linter {
    fn default() -> Self {
        Linter {
            suppressions: Vec::new(),
            extra: Vec::new(),
            min_severity: Severity::Low,
        }
    }
}

impl Linter {
    /// A linter with every rule on and no suppressions.
    pub fn new() -> Self {
        Self::default()
    }

    /// Suppresses `rule` for one resource (or every resource with `None`),
    /// with the reason shown in the report.
    pub fn suppress(mut self, rule: &str, resource: Option<&str>, reason: &str) -> Self {
        self.suppressions.push(CodeSuppression {
            rule: rule.to_owned(),
            resource: resource.map(str::to_owned),
            reason: reason.to_owned(),
        });
        self
    }

    /// Adds a rule of your own ([`Rule::new`]) to the built-in [`RULES`];
    /// its id may be suppressed like theirs.
    pub fn rule(mut self, rule: Rule) -> Self {
        self.extra.push(rule);
        self
    }

    /// Reports only findings of `min` or more serious (`Low`, the
    /// default, reports all).
    pub fn min_severity(mut self, min: Severity) -> Self {
        self.min_severity = min;
        self
    }

    /// The built-in rules and the added ones.
    pub fn rules(&self) -> impl Iterator<Item = &Rule> {
        RULES.iter().chain(&self.extra)
    }

    /// Lints `t`.
    pub fn run(&self, t: &Template) -> LintReport {
        let mut raw = Vec::new();
        for rule in self.rules() {
            if !rule.info.severity.at_least(self.min_severity) {
                continue;
            }
            rule.run(t, &mut |resource, path, message, suggestion| {
                raw.push(Finding {
                    rule: rule.info.id,
                    severity: rule.info.severity,
                    resource: resource.to_owned(),
                    path,
                    message,
                    suggestion,
                    fix: rule.info.fix,
                })
            });
        }
        let order: indexmap::IndexMap<&str, usize> = t
            .resources
            .keys()
            .enumerate()
            .map(|(i, k)| (k.as_str(), i))
            .collect();
        raw.sort_by(|a, b| {
            let ia = order
                .get(a.resource.as_str())
                .copied()
                .unwrap_or(usize::MAX);
            let ib = order
                .get(b.resource.as_str())
                .copied()
                .unwrap_or(usize::MAX);
            ia.cmp(&ib)
                .then(a.rule.cmp(b.rule))
                .then(a.path.cmp(&b.path))
        });

        let mut report = LintReport::default();
        let known = |id: &str| self.rules().any(|r| r.info.id == id);
        for s in &self.suppressions {
            if !known(&s.rule) {
                report.suppression_errors.push(format!(
                    "suppression in code names unknown rule `{}`",
                    s.rule
                ));
            }
            if s.reason.trim().is_empty() {
                report.suppression_errors.push(format!(
                    "suppression of `{}` in code has no reason; say why the finding is accepted",
                    s.rule
                ));
            }
        }
        let metadata = metadata_suppressions(t, &known, &mut report.suppression_errors);
        // Suppressed findings are taken out in place: the unsuppressed ones
        // stay in `raw`'s buffer (no second list of every finding).
        let suppressed = &mut report.suppressed;
        raw.retain(|f| {
            let code = self.suppressions.iter().find(|s| {
                s.rule == f.rule
                    && !s.reason.trim().is_empty()
                    && s.resource.as_deref().is_none_or(|r| r == f.resource)
            });
            if let Some(s) = code {
                suppressed.push(Suppressed {
                    finding: f.clone(),
                    reason: s.reason.clone(),
                    source: "code",
                });
                return false;
            }
            let meta = metadata
                .iter()
                .find(|(res, rule, _)| *res == f.resource && *rule == f.rule);
            if let Some((_, _, reason)) = meta {
                suppressed.push(Suppressed {
                    finding: f.clone(),
                    reason: reason.clone(),
                    source: "Metadata",
                });
                return false;
            }
            true
        });
        raw.shrink_to_fit();
        report.findings = raw;
        report
    }
}

/// The key under a resource's `Metadata` that holds suppressions.
pub const METADATA_KEY: &str = cfn_core::SUPPRESS_METADATA_KEY;

fn metadata_suppressions(
    t: &Template,
    known: &dyn Fn(&str) -> bool,
    errors: &mut Vec<String>,
) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for (id, r) in &t.resources {
        let Some(Expr::Map(meta)) = r.metadata.as_deref() else {
            continue;
        };
        let Some(ours) = meta.get(METADATA_KEY) else {
            continue;
        };
        let path = format!("Resources/{id}/Metadata/{METADATA_KEY}/suppress");
        let list = match ours {
            Expr::Map(m) => match m.get("suppress") {
                Some(Expr::List(l)) => l,
                _ => {
                    errors.push(format!(
                        "{path}: expected a list of {{id, reason}} under `suppress`"
                    ));
                    continue;
                }
            },
            _ => {
                errors.push(format!(
                    "Resources/{id}/Metadata/{METADATA_KEY}: expected a map with `suppress`"
                ));
                continue;
            }
        };
        for (i, item) in list.iter().enumerate() {
            let m = match item {
                Expr::Map(m) => m,
                _ => {
                    errors.push(format!("{path}/{i}: expected {{id, reason}}"));
                    continue;
                }
            };
            let rule = m.get("id").and_then(Expr::as_str).unwrap_or_default();
            let reason = m.get("reason").and_then(Expr::as_str).unwrap_or_default();
            if !known(rule) {
                errors.push(format!("{path}/{i}: unknown rule id `{rule}`"));
            } else if reason.trim().is_empty() {
                errors.push(format!(
                    "{path}/{i}: suppression of `{rule}` has no reason; add `reason: ...` saying why the finding is accepted"
                ));
            } else {
                out.push((id.as_str().to_owned(), rule.to_owned(), reason.to_owned()));
            }
        }
    }
    out
}

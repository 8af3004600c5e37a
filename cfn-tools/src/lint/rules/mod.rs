//! The rule table. Each rule is a function over the whole template that
//! reports `(resource, path, message)`, with an id, a severity (see the
//! policy in [`Severity`](super::Severity)), a rationale and a fix. The rules live by
//! concern: `network` (security groups, VPCs, load balancers), `iam`
//! (identity policies, trust, keys), `storage` (buckets, volumes, logs,
//! retention), `data` (databases, tables, queues, topics, passwords) and
//! `compute` (instances, Auto Scaling, Lambda).

use super::RuleInfo;
use cfn_core::Template;

/// What a rule's check reports through: `(resource, template path, message)`.
pub type Report<'a> = &'a mut dyn FnMut(&str, String, String);

/// What a built-in rule with suggestions reports through: `(resource,
/// template path, message, the name probably meant)`; the message words
/// the suggestion, which the finding also keeps as data.
pub(crate) type SuggestingReport<'a> = &'a mut dyn FnMut(&str, String, String, Option<String>);

/// A rule's check: plain, or reporting a suggestion with each finding.
#[derive(Clone, Copy)]
pub(super) enum Check {
    Plain(fn(&Template, Report<'_>)),
    Suggesting(fn(&Template, SuggestingReport<'_>)),
}

/// A rule: its description and its check.
#[derive(Clone, Copy)]
pub struct Rule {
    /// Id, severity, rationale, fix.
    pub info: RuleInfo,
    pub(super) check: Check,
}

impl Rule {
    /// A rule of your own, for [`Linter::rule`](super::Linter::rule): the
    /// check reports `(resource, template path, message)` for each finding.
    ///
    /// ```
    /// use cfn_core::Template;
    /// use cfn_tools::lint::{rules::Rule, Linter, RuleInfo, Severity};
    /// fn no_topics(t: &Template, report: &mut dyn FnMut(&str, String, String)) {
    ///     for (id, r) in &t.resources {
    ///         if r.type_name == "AWS::SNS::Topic" {
    ///             report(id.as_str(), format!("Resources/{id}"), "topics are not allowed here".into());
    ///         }
    ///     }
    /// }
    /// let rule = Rule::new(RuleInfo { id: "ORG001", severity: Severity::High, title: "no topics",
    ///     rationale: "the platform team runs messaging", fix: "use the shared bus" }, no_topics);
    /// let t = Template::from_yaml("Resources:\n  T: {Type: AWS::SNS::Topic, Properties: {KmsMasterKeyId: k}}\n").unwrap();
    /// let report = Linter::new().rule(rule).run(&t);
    /// assert_eq!(report.findings[0].rule, "ORG001");
    /// ```
    pub const fn new(info: RuleInfo, check: fn(&Template, Report<'_>)) -> Self {
        Rule {
            info,
            check: Check::Plain(check),
        }
    }

    /// A built-in rule whose findings may carry a suggestion.
    pub(crate) const fn suggesting(
        info: RuleInfo,
        check: fn(&Template, SuggestingReport<'_>),
    ) -> Self {
        Rule {
            info,
            check: Check::Suggesting(check),
        }
    }

    /// Runs the check: `(resource, path, message, suggestion)` for each
    /// finding.
    pub(super) fn run(&self, t: &Template, report: SuggestingReport<'_>) {
        match self.check {
            Check::Plain(check) => check(t, &mut |resource, path, message| {
                report(resource, path, message, None)
            }),
            Check::Suggesting(check) => check(t, report),
        }
    }
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.info.fmt(f)
    }
}

macro_rules! rule {
    ($id:literal, $sev:ident, $title:literal, $why:literal, $fix:literal, $check:expr) => {
        $crate::lint::rules::Rule::new(
            $crate::lint::RuleInfo {
                id: $id,
                severity: $crate::lint::Severity::$sev,
                title: $title,
                rationale: $why,
                fix: $fix,
            },
            $check,
        )
    };
}

/// [`rule!`] for a check that reports a suggestion with each finding.
macro_rules! suggesting_rule {
    ($id:literal, $sev:ident, $title:literal, $why:literal, $fix:literal, $check:expr) => {
        $crate::lint::rules::Rule::suggesting(
            $crate::lint::RuleInfo {
                id: $id,
                severity: $crate::lint::Severity::$sev,
                title: $title,
                rationale: $why,
                fix: $fix,
            },
            $check,
        )
    };
}

mod compute;
mod data;
mod helpers;
mod iam;
mod network;
mod storage;

/// Every built-in rule, by concern.
pub static RULES: &[Rule] = &[
    // network
    network::EC2001,
    network::EC2002,
    network::EC2005,
    network::EC2006,
    network::EC2007,
    network::ELB001,
    network::ELB002,
    network::ELB003,
    network::ELB004,
    // identity and keys
    iam::IAM001,
    iam::IAM002,
    iam::IAM003,
    iam::IAM004,
    iam::IAM005,
    iam::IAM006,
    iam::IAM007,
    iam::IAM008,
    iam::KMS001,
    iam::KMS002,
    // storage
    storage::S3001,
    storage::S3002,
    storage::S3003,
    storage::S3004,
    storage::S3005,
    storage::S3006,
    storage::EC2004,
    storage::LOG001,
    storage::LOG002,
    storage::STATE001,
    // data services
    data::RDS001,
    data::RDS002,
    data::RDS003,
    data::DDB001,
    data::SNS001,
    data::SQS001,
    data::SEC001,
    // compute
    compute::EC2003,
    compute::ASG001,
    compute::LMB001,
    compute::LMB002,
];

//! Identity and key rules: IAM policies, roles, users, groups, KMS keys.
//! Which policy documents each rule reads is explicit ([`PolicyKind`]):
//! rules about what an identity may do read identity policies only.

use super::helpers::*;
use super::{Report, Rule};
use crate::policy::{statements, PolicyKind};
use cfn_core::error::Hint;
use cfn_core::{Expr, ExprMap, Intrinsic, Resource, Template};
use cfn_resources::schema::iam as iam_catalogue;

const ADMIN_POLICY: &str = "policy/AdministratorAccess";

fn allows(s: &ExprMap) -> bool {
    s.get("Effect").and_then(lit_str) == Some("Allow")
}

fn every_action(s: &ExprMap) -> bool {
    strs(s.get("Action"))
        .iter()
        .any(|a| *a == "*" || *a == "*:*")
}

/// Where `role` gets administrator rights, if it does: an identity
/// statement allowing `*` on `*` (inline, or in a policy naming the role
/// in `Roles`) or the `AdministratorAccess` managed policy.
pub(super) fn admin_grant(t: &Template, role: &str) -> Option<String> {
    let r = t.resources.get(role)?;
    if let Some(arns) = prop(r, "ManagedPolicyArns") {
        for (i, a) in items(arns).into_iter().enumerate() {
            let text = match a {
                Expr::String(s) => s.clone(),
                Expr::Fn(f) => match &**f {
                    Intrinsic::Sub { template, .. } => template.clone(),
                    _ => String::new(),
                },
                _ => String::new(),
            };
            if text.ends_with(ADMIN_POLICY) {
                return Some(format!("Resources/{role}/Properties/ManagedPolicyArns/{i}"));
            }
        }
    }
    for (id, path, doc) in documents(t, PolicyKind::Identity) {
        let mine = id == role
            || t.resources[id]
                .properties
                .as_ref()
                .and_then(|p| p.get("Roles"))
                .is_some_and(|rs| items(rs).iter().any(|x| refers_to(x, role)));
        if !mine {
            continue;
        }
        for (i, s) in statements(doc) {
            if allows(s) && every_action(s) && strs(s.get("Resource")).contains(&"*") {
                return Some(format!("{path}/Statement/{i}"));
            }
        }
    }
    None
}

pub(super) const IAM001: Rule = rule!("IAM001", High, "identity allowed every action",
    "`Action: *` or the AdministratorAccess policy grants administrator rights: whoever holds the identity owns the account",
    "list the actions the principal needs (cfn_patterns grants do), and attach no AdministratorAccess",
    iam001);

fn iam001(t: &Template, report: Report<'_>) {
    for (id, path, doc) in documents(t, PolicyKind::Identity) {
        for (i, s) in statements(doc) {
            if allows(s) && every_action(s) {
                report(
                    id,
                    format!("{path}/Statement/{i}/Action"),
                    "Allow with Action \"*\"".into(),
                );
            }
        }
    }
    for (id, r) in of_type(t, &["AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"]) {
        if let Some(arns) = prop(r, "ManagedPolicyArns") {
            for (i, a) in items(arns).into_iter().enumerate() {
                if lit_str(a).is_some_and(|a| a.ends_with(ADMIN_POLICY)) {
                    report(
                        id,
                        format!("Resources/{id}/Properties/ManagedPolicyArns/{i}"),
                        "attaches the AdministratorAccess managed policy".into(),
                    );
                }
            }
        }
    }
}

pub(super) const IAM002: Rule = rule!(
    "IAM002",
    Medium,
    "identity allowed write actions on every resource",
    "`Resource: *` with write actions reaches resources outside the application",
    "scope Resource to the ARNs the principal works on",
    |t, report| {
        for (id, path, doc) in documents(t, PolicyKind::Identity) {
            for (i, s) in statements(doc) {
                if !allows(s) || !strs(s.get("Resource")).contains(&"*") {
                    continue;
                }
                let actions = strs(s.get("Action"));
                // only actions that can be scoped count: the IAM action
                // catalogue knows which support resource-level permissions
                // (X-Ray's PutTraceSegments does not); unknown ones are IAM008's
                let scopable = actions.is_empty()
                    || actions.iter().any(|a| {
                        let verb = a.split(':').nth(1).unwrap_or(a);
                        let read_only = ["Describe", "List", "Get"]
                            .iter()
                            .any(|p| verb.starts_with(p));
                        !read_only && can_scope(a)
                    });
                // `*` alone is IAM001's; PassRole is IAM003's
                if scopable && !every_action(s) && !actions.contains(&"iam:PassRole") {
                    report(
                        id,
                        format!("{path}/Statement/{i}/Resource"),
                        format!("Allow of {} on Resource \"*\"", actions.join(", ")),
                    );
                }
            }
        }
    }
);

/// Whether some action `a` names (a wildcard pattern or one action) supports
/// resource-level permissions; an action the catalogue lacks does not count.
fn can_scope(a: &str) -> bool {
    if a.contains(['*', '?']) {
        iam_catalogue::matching(a)
            .iter()
            .any(|f| f.supports_resource_level)
    } else {
        iam_catalogue::action(a).is_some_and(|f| f.supports_resource_level)
    }
}

/// What is wrong with the policy action `a`, if it names no action of the
/// catalogue: unknown service, unknown action (with the closest known one),
/// or a pattern matching nothing.
/// Returns the message and the closest action, as data.
fn unknown_action(a: &str) -> Option<(String, Option<&'static str>)> {
    if a == "*" {
        return None;
    }
    let Some((service, _)) = a.split_once(':') else {
        return Some((format!("`{a}` is not of the form service:Action"), None));
    };
    if a.contains(['*', '?']) {
        return iam_catalogue::matching(a)
            .is_empty()
            .then(|| (format!("`{a}` matches no IAM action"), None));
    }
    if iam_catalogue::action(a).is_some() {
        return None;
    }
    let closest = iam_catalogue::closest(a);
    let hint = closest.map_or(Hint::None, Hint::did_you_mean);
    let message = if iam_catalogue::has_service(service) {
        format!("unknown IAM action `{a}`{hint}")
    } else {
        format!("unknown IAM service `{service}` in `{a}`{hint}")
    };
    Some((message, closest))
}

pub(super) const IAM008: Rule = suggesting_rule!(
    "IAM008",
    High,
    "unknown IAM action",
    "IAM ignores an action it does not know: a typo (`s3:GetObjcet`) silently grants nothing, or, in NotAction or a Deny, fails to exclude what was meant",
    "use an action of the service authorization reference (the catalogue in cfn_resources::schema::iam, from cfn-lint's Policies.json)",
    |t, report| {
        for kind in [PolicyKind::Identity, PolicyKind::Resource, PolicyKind::Key, PolicyKind::Trust] {
            for (id, path, doc) in documents(t, kind) {
                for (i, s) in statements(doc) {
                    for key in ["Action", "NotAction"] {
                        let Some(e) = s.get(key) else { continue };
                        let listed = matches!(e, Expr::List(_));
                        for (j, a) in items(e).into_iter().enumerate() {
                            let Some(a) = lit_str(a) else { continue };
                            if let Some((why, closest)) = unknown_action(a) {
                                let at = if listed {
                                    format!("{path}/Statement/{i}/{key}/{j}")
                                } else {
                                    format!("{path}/Statement/{i}/{key}")
                                };
                                report(id, at, why, closest.map(str::to_owned));
                            }
                        }
                    }
                }
            }
        }
    }
);

pub(super) const IAM003: Rule = rule!("IAM003", High, "iam:PassRole on every role",
    "PassRole on `*` lets the principal hand any role, including administrators, to a service: privilege escalation",
    "limit Resource to the role ARNs the service needs",
    |t, report| {
        for (id, path, doc) in documents(t, PolicyKind::Identity) {
            for (i, s) in statements(doc) {
                let actions = strs(s.get("Action"));
                if allows(s)
                    && actions.iter().any(|a| *a == "iam:PassRole" || *a == "iam:*")
                    && strs(s.get("Resource")).contains(&"*")
                {
                    report(id, format!("{path}/Statement/{i}"), "iam:PassRole allowed on Resource \"*\"".into());
                }
            }
        }
    });

pub(super) const IAM004: Rule = rule!(
    "IAM004",
    Medium,
    "Allow with NotAction",
    "NotAction with Allow grants every action not listed, including future ones",
    "use Action with an explicit list",
    |t, report| {
        for (id, path, doc) in documents(t, PolicyKind::Identity) {
            for (i, s) in statements(doc) {
                if allows(s) && s.contains_key("NotAction") {
                    report(
                        id,
                        format!("{path}/Statement/{i}/NotAction"),
                        "Allow with NotAction".into(),
                    );
                }
            }
        }
    }
);

pub(super) const IAM005: Rule = rule!("IAM005", High, "role trusts every principal",
    "a trust policy with Principal `*` and no condition lets anyone in any account assume the role",
    "name the service or account principals that may assume it, or add a condition (sts:ExternalId, aws:PrincipalOrgID)",
    |t, report| {
        for (id, path, doc) in documents(t, PolicyKind::Trust) {
            for (i, s) in statements(doc) {
                if allows(s) && principal_is_everyone(s.get("Principal")) && !s.contains_key("Condition") {
                    report(id, format!("{path}/Statement/{i}/Principal"), "trust policy allows Principal \"*\" without a condition".into());
                }
            }
        }
    });

pub(super) const IAM006: Rule = rule!(
    "IAM006",
    Low,
    "IAM user with its own policies",
    "permissions attached to users instead of groups drift and escape review",
    "attach policies to a group and add the user to it",
    |t, report| {
        for (id, r) in of_type(t, &["AWS::IAM::User"]) {
            if prop(r, "Policies").is_some() || prop(r, "ManagedPolicyArns").is_some() {
                report(
                    id,
                    format!("Resources/{id}/Properties"),
                    "user has Policies or ManagedPolicyArns of its own".into(),
                );
            }
        }
        for (id, r) in of_type(t, &["AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"]) {
            if prop(r, "Users").is_some() {
                report(
                    id,
                    format!("Resources/{id}/Properties/Users"),
                    "policy is attached to users directly".into(),
                );
            }
        }
    }
);

fn denies_without_mfa(doc: &Expr) -> bool {
    statements(doc).iter().any(|(_, s)| {
        s.get("Effect").and_then(lit_str) == Some("Deny")
            && s.get("Condition").is_some_and(|c| {
                ["BoolIfExists", "Bool"].iter().any(|op| {
                    get(c, &format!("{op}/aws:MultiFactorAuthPresent"))
                        .is_some_and(|v| lit_bool(v) == Some(false))
                })
            })
    })
}

pub(super) const IAM007: Rule = rule!("IAM007", Medium, "human IAM group or user without MFA enforcement",
    "a console password alone is one phishing email away from the account",
    "attach a policy that denies everything except MFA self-service when aws:MultiFactorAuthPresent is false",
    iam007);

fn iam007(t: &Template, report: Report<'_>) {
    let policies: Vec<&Resource> = of_type(t, &["AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"])
        .map(|(_, r)| r)
        .collect();
    let enforces = |group: &str| -> bool {
        let own = t
            .resources
            .get(group)
            .and_then(|r| prop(r, "Policies"))
            .map(|ps| {
                items(ps)
                    .into_iter()
                    .filter_map(|p| get(p, "PolicyDocument"))
                    .any(denies_without_mfa)
            });
        let attached = policies.iter().any(|p| {
            prop(p, "Groups").is_some_and(|g| {
                items(g)
                    .iter()
                    .any(|x| refers_to(x, group) || lit_str(x) == Some(group))
            }) && prop(p, "PolicyDocument").is_some_and(denies_without_mfa)
        });
        own.unwrap_or(false) || attached
    };
    for (id, _) in of_type(t, &["AWS::IAM::Group"]) {
        if !enforces(id) {
            report(
                id,
                format!("Resources/{id}"),
                "no policy of this group denies access without MFA".into(),
            );
        }
    }
    for (id, r) in of_type(t, &["AWS::IAM::User"]) {
        if prop(r, "LoginProfile").is_none() {
            continue;
        }
        let groups: Vec<String> = prop(r, "Groups")
            .map(|g| {
                items(g)
                    .iter()
                    .filter_map(|x| match x.as_intrinsic() {
                        Some(Intrinsic::Ref(g)) => Some(g.clone()),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        if !groups.iter().any(|g| enforces(g)) {
            report(
                id,
                format!("Resources/{id}/Properties/LoginProfile"),
                "user can sign in to the console but no group of the user enforces MFA".into(),
            );
        }
    }
}

pub(super) const KMS001: Rule = rule!(
    "KMS001",
    Low,
    "KMS key rotation disabled",
    "without rotation one leaked key version decrypts everything, forever",
    "set EnableKeyRotation: true",
    |t, report| {
        for (id, r) in of_type(t, &["AWS::KMS::Key"]) {
            let symmetric = prop(r, "KeySpec")
                .and_then(lit_str)
                .is_none_or(|s| s == "SYMMETRIC_DEFAULT");
            if symmetric && !true_or_unknown(prop(r, "EnableKeyRotation")) {
                report(
                    id,
                    format!("Resources/{id}/Properties/EnableKeyRotation"),
                    "key rotation is not enabled".into(),
                );
            }
        }
    }
);

pub(super) const KMS002: Rule = rule!("KMS002", High, "KMS key policy open to every principal",
    "Principal `*` without a condition lets any account use or manage the key",
    "name the account root or roles as principals, or add a condition (kms:CallerAccount, aws:PrincipalOrgID)",
    |t, report| {
        for (id, path, doc) in documents(t, PolicyKind::Key) {
            for (i, s) in statements(doc) {
                if allows(s) && principal_is_everyone(s.get("Principal")) && !s.contains_key("Condition") {
                    report(id, format!("{path}/Statement/{i}/Principal"), "key policy allows Principal \"*\" without a condition".into());
                }
            }
        }
    });

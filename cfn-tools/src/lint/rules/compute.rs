//! Compute rules: instances, Auto Scaling groups, Lambda functions.

use super::helpers::*;
use super::iam::admin_grant;
use super::{Report, Rule};
use cfn_core::{Expr, Template};
use indexmap::IndexMap;

pub(super) const EC2003: Rule = rule!(
    "EC2003",
    Medium,
    "instance metadata service v1 allowed",
    "IMDSv1 answers unauthenticated GETs, the path of SSRF credential theft",
    "set MetadataOptions/HttpTokens to `required`",
    |t, report| {
        for (id, r) in of_type(t, &["AWS::EC2::LaunchTemplate"]) {
            let tokens = prop(r, "LaunchTemplateData/MetadataOptions/HttpTokens");
            if tokens.is_none_or(|v| !is_intrinsic(v) && lit_str(v) != Some("required")) {
                report(
                    id,
                    format!(
                        "Resources/{id}/Properties/LaunchTemplateData/MetadataOptions/HttpTokens"
                    ),
                    "launch template does not require IMDSv2 tokens".into(),
                );
            }
        }
        for (id, r) in of_type(t, &["AWS::AutoScaling::LaunchConfiguration"]) {
            let tokens = prop(r, "MetadataOptions/HttpTokens");
            if tokens.is_none_or(|v| !is_intrinsic(v) && lit_str(v) != Some("required")) {
                report(
                    id,
                    format!("Resources/{id}/Properties/MetadataOptions/HttpTokens"),
                    "launch configuration does not require IMDSv2 tokens".into(),
                );
            }
        }
    }
);

pub(super) const ASG001: Rule = rule!(
    "ASG001",
    Low,
    "Auto Scaling group behind a load balancer uses EC2 health checks",
    "EC2 checks keep instances whose application is down in service",
    "set HealthCheckType: ELB and a HealthCheckGracePeriod",
    |t, report| {
        for (id, r) in of_type(t, &["AWS::AutoScaling::AutoScalingGroup"]) {
            let behind_lb =
                prop(r, "TargetGroupARNs").is_some() || prop(r, "LoadBalancerNames").is_some();
            if behind_lb && prop(r, "HealthCheckType").and_then(lit_str) != Some("ELB") {
                report(
                    id,
                    format!("Resources/{id}/Properties/HealthCheckType"),
                    "HealthCheckType is not ELB".into(),
                );
            }
        }
    }
);

/// Services that invoke Lambda asynchronously when granted by an
/// `AWS::Lambda::Permission`.
const ASYNC_PRINCIPALS: &[&str] = &[
    "sns.amazonaws.com",
    "s3.amazonaws.com",
    "events.amazonaws.com",
    "scheduler.amazonaws.com",
    "ses.amazonaws.com",
    "iot.amazonaws.com",
    "logs.amazonaws.com",
    "cloudwatch.amazonaws.com",
    "codecommit.amazonaws.com",
    "config.amazonaws.com",
];

fn targets_in<'e>(e: &'e Expr, out: &mut Vec<&'e str>) {
    e.walk(&mut |x| {
        if let Some(id) = target(x) {
            out.push(id);
        }
    });
}

/// Functions invoked asynchronously: function id -> who invokes it.
fn async_invokers(t: &Template) -> IndexMap<&str, String> {
    let mut out: IndexMap<&str, String> = IndexMap::new();
    for (id, r) in &t.resources {
        let mut ids = Vec::new();
        let how = match r.type_name.as_str() {
            "AWS::SNS::Subscription" if prop(r, "Protocol").and_then(lit_str) == Some("lambda") => {
                if let Some(e) = prop(r, "Endpoint") {
                    targets_in(e, &mut ids);
                }
                "the SNS subscription"
            }
            "AWS::SNS::Topic" => {
                if let Some(subs) = prop(r, "Subscription") {
                    for s in items(subs) {
                        if get(s, "Protocol").and_then(lit_str) == Some("lambda") {
                            if let Some(e) = get(s, "Endpoint") {
                                targets_in(e, &mut ids);
                            }
                        }
                    }
                }
                "the SNS topic"
            }
            "AWS::S3::Bucket" => {
                if let Some(cfgs) = prop(r, "NotificationConfiguration/LambdaConfigurations") {
                    for c in items(cfgs) {
                        if let Some(e) = get(c, "Function") {
                            targets_in(e, &mut ids);
                        }
                    }
                }
                "the bucket's notifications"
            }
            "AWS::Events::Rule" => {
                if let Some(ts) = prop(r, "Targets") {
                    for x in items(ts) {
                        if let Some(e) = get(x, "Arn") {
                            targets_in(e, &mut ids);
                        }
                    }
                }
                "the EventBridge rule"
            }
            "AWS::Scheduler::Schedule" => {
                if let Some(e) = prop(r, "Target/Arn") {
                    targets_in(e, &mut ids);
                }
                "the schedule"
            }
            "AWS::Lambda::Permission"
                if prop(r, "Principal")
                    .and_then(lit_str)
                    .is_some_and(|p| ASYNC_PRINCIPALS.contains(&p)) =>
            {
                if let Some(e) = prop(r, "FunctionName") {
                    targets_in(e, &mut ids);
                }
                "the permission"
            }
            _ => continue,
        };
        for f in ids {
            if let Some((k, _)) = t.resources.get_key_value(f) {
                out.entry(k.as_str())
                    .or_insert_with(|| format!("{how} `{id}`"));
            }
        }
    }
    out
}

pub(super) const LMB001: Rule = rule!("LMB001", Medium, "asynchronously invoked function without a dead-letter queue",
    "Lambda retries a failed asynchronous event twice, then drops it: without a DLQ or an on-failure destination the event is lost without trace",
    "set DeadLetterConfig/TargetArn to an encrypted queue (cfn_patterns' LambdaProps::dead_letter_queue), or add an AWS::Lambda::EventInvokeConfig with DestinationConfig/OnFailure",
    lmb001);

fn lmb001(t: &Template, report: Report<'_>) {
    let invokers = async_invokers(t);
    if invokers.is_empty() {
        return;
    }
    let mut with_destination: Vec<&str> = Vec::new();
    for (_, r) in of_type(t, &["AWS::Lambda::EventInvokeConfig"]) {
        if prop(r, "DestinationConfig/OnFailure").is_some() {
            if let Some(f) = prop(r, "FunctionName") {
                targets_in(f, &mut with_destination);
            }
        }
    }
    for (id, r) in of_type(t, &["AWS::Lambda::Function"]) {
        let Some(how) = invokers.get(id) else {
            continue;
        };
        if prop(r, "DeadLetterConfig/TargetArn").is_some() || with_destination.contains(&id) {
            continue;
        }
        report(id, format!("Resources/{id}/Properties/DeadLetterConfig"), format!("invoked asynchronously by {how}, with no DeadLetterConfig and no on-failure destination"));
    }
}

pub(super) const LMB002: Rule = rule!("LMB002", High, "function runs with an administrator role",
    "code that any event reaches (and every dependency it ships) acts with full rights over the account",
    "give the function its own role with the actions it needs (cfn_patterns' LambdaFunction and grants do)",
    |t, report| {
        for (id, r) in of_type(t, &["AWS::Lambda::Function"]) {
            let Some(role) = prop(r, "Role").and_then(target) else { continue };
            if let Some(at) = admin_grant(t, role) {
                report(id, format!("Resources/{id}/Properties/Role"), format!("role `{role}` is an administrator ({at})"));
            }
        }
    });

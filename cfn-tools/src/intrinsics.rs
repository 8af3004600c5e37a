//! Intrinsic arguments the parser accepts by shape but CloudFormation
//! rejects by type (cfn-lint E1015, E1017): `Fn::GetAZs: null`, a number or
//! a list, a `Ref` to a resource or an attribute instead of a region;
//! `Fn::Select` with an index that is not a whole number. Part of
//! [`crate::verdict::check`]. Only literals and plain references are
//! judged; other intrinsics get the benefit of the doubt.
//!
//! ```
//! use cfn_core::Template;
//! let t = Template::from_yaml("Resources:\n  S:\n    Type: AWS::EC2::Subnet\n    Properties: {VpcId: vpc-1, CidrBlock: 10.0.0.0/24, AvailabilityZone: {'Fn::Select': [0, {'Fn::GetAZs': null}]}}\n").unwrap();
//! let d = cfn_tools::intrinsics::check(&t);
//! assert!(d[0].to_string().contains("Resources/S/Properties/AvailabilityZone/Fn::Select/1/Fn::GetAZs"), "{}", d[0]);
//! ```

use cfn_core::{Diagnostic, Error, ErrorKind, Expr, Intrinsic, Severity, Template};

/// Every problem, in template order: resources, then outputs, then conditions.
pub fn check(t: &Template) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (id, r) in &t.resources {
        if let Some(props) = &r.properties {
            for (k, v) in props {
                walk(t, v, &format!("Resources/{id}/Properties/{k}"), &mut out);
            }
        }
    }
    for (id, o) in &t.outputs {
        walk(t, &o.value, &format!("Outputs/{id}/Value"), &mut out);
    }
    for (id, c) in &t.conditions {
        walk(t, c, &format!("Conditions/{id}"), &mut out);
    }
    out
}

fn walk(t: &Template, e: &Expr, path: &str, out: &mut Vec<Diagnostic>) {
    match e {
        Expr::Map(m) => {
            for (k, v) in m {
                walk(t, v, &format!("{path}/{k}"), out);
            }
        }
        Expr::List(l) => {
            for (i, v) in l.iter().enumerate() {
                walk(t, v, &format!("{path}/{i}"), out);
            }
        }
        Expr::Fn(f) => {
            let here = format!("{path}/{}", f.name());
            match &**f {
                Intrinsic::GetAZs(arg) => {
                    if let Some(found) = bad_region(t, arg) {
                        out.push(wrong(&here, "Fn::GetAZs", "a region name (`us-east-1`), `\"\"` for the stack's region, or `!Ref AWS::Region`", found));
                    }
                }
                Intrinsic::Select { index, .. } => {
                    if let Some(found) = bad_index(index) {
                        out.push(wrong(
                            &format!("{here}/0"),
                            "Fn::Select",
                            "a whole number of 0 or more as the index (or a `Ref` to a parameter)",
                            found,
                        ));
                    }
                }
                _ => {}
            }
            walk(t, &f.argument(), &here, out);
        }
        _ => {}
    }
}

fn wrong(path: &str, function: &str, expected: &str, found: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        error: Error::at(
            path,
            ErrorKind::WrongArguments {
                function: function.to_owned(),
                expected: expected.to_owned(),
                found,
            },
        ),
    }
}

fn shape(e: &Expr) -> String {
    match e {
        Expr::Null => "null".into(),
        Expr::Bool(b) => format!("the boolean {b}"),
        Expr::Number(n) => format!("the number {n}"),
        Expr::String(s) => format!("{s:?}"),
        Expr::List(_) => "a list".into(),
        Expr::Map(_) => "a map".into(),
        Expr::Fn(f) => format!("`{}`", f.name()),
    }
}

fn is_region(s: &str) -> bool {
    // us-east-1, eu-central-2, us-gov-west-1, cn-north-1, us-isob-east-1
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[0].bytes().all(|b| b.is_ascii_lowercase())
        && parts[1..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1].parse::<u8>().is_ok()
}

fn bad_region(t: &Template, arg: &Expr) -> Option<String> {
    match arg {
        Expr::String(s) if s.is_empty() || is_region(s) => None,
        Expr::Fn(f) => match &**f {
            Intrinsic::Ref(name) if name == "AWS::Region" => None,
            Intrinsic::Ref(name) if t.parameters.contains_key(name.as_str()) => None,
            Intrinsic::Ref(name) if t.resources.contains_key(name.as_str()) => Some(format!(
                "`Ref` to resource `{name}`, whose value is an id, not a region"
            )),
            Intrinsic::Ref(name) if name.starts_with("AWS::") => {
                Some(format!("`Ref` to `{name}`, which is not a region"))
            }
            Intrinsic::GetAtt { resource, .. } => Some(format!(
                "`Fn::GetAtt` of `{resource}`; only `Ref` is supported inside `Fn::GetAZs`"
            )),
            _ => None,
        },
        other => Some(shape(other)),
    }
}

fn bad_index(index: &Expr) -> Option<String> {
    match index {
        Expr::Number(n) if n.as_u64().is_some() => None,
        Expr::String(s) if s.trim().parse::<u64>().is_ok() => None,
        Expr::Fn(_) => None,
        other => Some(shape(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(yaml_az: &str) -> Vec<String> {
        let t = Template::from_yaml(&format!(
            "Parameters:\n  R: {{Type: String}}\nResources:\n  V: {{Type: AWS::EC2::VPC, Properties: {{CidrBlock: 10.0.0.0/16}}}}\n  S:\n    Type: AWS::EC2::Subnet\n    Properties: {{VpcId: !Ref V, CidrBlock: 10.0.0.0/24, AvailabilityZone: {yaml_az}}}\n"
        ))
        .unwrap();
        check(&t).iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn get_azs_takes_a_region() {
        for ok in [
            "!Select [0, !GetAZs '']",
            "!Select [0, {'Fn::GetAZs': !Ref AWS::Region}]",
            "!Select [0, {'Fn::GetAZs': !Ref R}]",
            "!Select [1, !GetAZs eu-central-1]",
            "!Select ['1', !GetAZs us-gov-west-1]",
        ] {
            assert!(found(ok).is_empty(), "{ok}: {:?}", found(ok));
        }
        for (bad, what) in [
            ("{'Fn::Select': [0, {'Fn::GetAZs': null}]}", "found null"),
            (
                "!Select [0, {'Fn::GetAZs': !Ref V}]",
                "`Ref` to resource `V`",
            ),
            ("!Select [0, !GetAZs us-east-1a]", "\"us-east-1a\""),
            (
                "!Select [0, {'Fn::GetAZs': !GetAtt V.CidrBlock}]",
                "only `Ref`",
            ),
            ("!Select [-1, !GetAZs '']", "the number -1"),
        ] {
            let d = found(bad);
            assert!(d.len() == 1 && d[0].contains(what), "{bad}: {d:?}");
        }
    }
}

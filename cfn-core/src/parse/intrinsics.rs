//! Intrinsic functions (`Ref`, `Fn::*`, `Condition`), long form or
//! short-form tag, read by function family.

use super::exprs::{args, as_map, expr, string_arg, transform_call, unknown_key};
use super::nodes::{Node, NodeKind};
use super::paths::{err_at, wrong_type, P};
use crate::error::{suggest, Error, ErrorKind, Result};
use crate::expr::{Expr, ExprMap, Intrinsic, INTRINSIC_NAMES};

/// One intrinsic function `name` applied to `arg`; `whole` is the node
/// holding the call, for errors about the function itself.
pub(super) fn intrinsic(name: &str, arg: &Node, whole: &Node, path: &P<'_>) -> Result<Intrinsic> {
    match name {
        "Ref" | "Condition" | "Fn::GetAtt" => references(name, arg, whole, path),
        // the macro runs first: the function's arguments come from it
        _ if transform_call(arg).is_some() => Ok(Intrinsic::Transformed {
            function: INTRINSIC_NAMES
                .iter()
                .find(|n| **n == name)
                .copied()
                .unwrap_or("Fn::Transform"),
            argument: expr(arg, path)?,
        }),
        "Fn::Sub" | "Fn::Join" | "Fn::Select" | "Fn::Split" | "Fn::GetAZs" | "Fn::Cidr"
        | "Fn::ImportValue" | "Fn::FindInMap" | "Fn::Base64" => values(name, arg, whole, path),
        "Fn::If" | "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" => {
            conditions(name, arg, whole, path)
        }
        "Fn::Transform" | "Fn::GetStackOutput" => macros(name, arg, whole, path),
        _ => extensions(name, arg, whole, path),
    }
}

/// `Ref`, `Condition` and `Fn::GetAtt`.
fn references(name: &str, arg: &Node, whole: &Node, path: &P<'_>) -> Result<Intrinsic> {
    let e = |n: &Node, i: usize| expr(n, &path.index(i));
    Ok(match name {
        "Ref" => Intrinsic::Ref(string_arg(
            arg,
            path,
            name,
            "a logical id or pseudo parameter name",
        )?),
        "Condition" => Intrinsic::Condition(string_arg(arg, path, name, "a condition name")?),
        "Fn::GetAtt" => match &arg.kind {
            NodeKind::Str(s) => match s.split_once('.') {
                Some((r, a)) if !r.is_empty() && !a.is_empty() => Intrinsic::GetAtt {
                    resource: r.to_owned(),
                    attribute: Expr::String(a.to_owned()),
                },
                _ => {
                    return Err(err_at(
                        arg,
                        path,
                        ErrorKind::WrongArguments {
                            function: name.into(),
                            expected: "`Resource.Attribute` or [Resource, Attribute]".into(),
                            found: arg.describe(),
                        },
                    ))
                }
            },
            _ => {
                let a = args(arg, path, name, "[Resource, Attribute]", 2..=2)?;
                Intrinsic::GetAtt {
                    resource: string_arg(&a[0], &path.index(0), name, "a resource logical id")?,
                    attribute: e(&a[1], 1)?,
                }
            }
        },
        other => return Err(unknown_function(whole, path, other)),
    })
}

/// The functions that compute a value: `Fn::Sub`, `Fn::Join`, `Fn::Select`,
/// `Fn::Split`, `Fn::GetAZs`, `Fn::Cidr`, `Fn::ImportValue`, `Fn::FindInMap`
/// and `Fn::Base64`.
pub(super) fn values(name: &str, arg: &Node, whole: &Node, path: &P<'_>) -> Result<Intrinsic> {
    let e = |n: &Node, i: usize| expr(n, &path.index(i));
    let pair = |f: &str| -> Result<(Expr, Expr)> {
        let a = args(arg, path, f, "a list of 2 values", 2..=2)?;
        Ok((e(&a[0], 0)?, e(&a[1], 1)?))
    };
    Ok(match name {
        "Fn::Sub" => match &arg.kind {
            NodeKind::Str(s) => Intrinsic::Sub {
                template: s.clone(),
                vars: None,
            },
            _ => {
                let a = args(
                    arg,
                    path,
                    name,
                    "a string, or [string, {variable map}]",
                    1..=2,
                )?;
                let template = string_arg(&a[0], &path.index(0), name, "a template string first")?;
                let vars = match a.get(1) {
                    Some(m) => match expr(m, &path.index(1))? {
                        Expr::Map(m) => m,
                        _ => return Err(wrong_type(m, &path.index(1), "a map of variables")),
                    },
                    None => ExprMap::new(),
                };
                Intrinsic::Sub {
                    template,
                    vars: Some(vars),
                }
            }
        },
        "Fn::Join" => {
            let a = args(arg, path, name, "[delimiter, [values]]", 2..=2)?;
            Intrinsic::Join {
                delimiter: string_arg(&a[0], &path.index(0), name, "a delimiter string first")?,
                values: e(&a[1], 1)?,
            }
        }
        "Fn::Select" => {
            let (index, list) = pair(name)?;
            Intrinsic::Select { index, list }
        }
        "Fn::Split" => {
            let a = args(arg, path, name, "[delimiter, string]", 2..=2)?;
            Intrinsic::Split {
                delimiter: string_arg(&a[0], &path.index(0), name, "a delimiter string first")?,
                source: e(&a[1], 1)?,
            }
        }
        "Fn::GetAZs" => Intrinsic::GetAZs(expr(arg, path)?),
        "Fn::Cidr" => {
            let a = args(arg, path, name, "[ipBlock, count, cidrBits]", 3..=3)?;
            Intrinsic::Cidr {
                ip_block: e(&a[0], 0)?,
                count: e(&a[1], 1)?,
                cidr_bits: e(&a[2], 2)?,
            }
        }
        "Fn::ImportValue" => Intrinsic::ImportValue(expr(arg, path)?),
        "Fn::FindInMap" => {
            let a = args(
                arg,
                path,
                name,
                "[MapName, TopLevelKey, SecondLevelKey] (and an optional {DefaultValue: ...})",
                3..=4,
            )?;
            let default = match a.get(3) {
                None => None,
                Some(d) => {
                    let m = as_map(d, &path.index(3), "{DefaultValue: value}")?;
                    match (m.len(), m.first()) {
                        (1, Some((k, v))) if k == "DefaultValue" => {
                            Some(expr(v, &path.index(3).key(k))?)
                        }
                        _ => return Err(wrong_type(d, &path.index(3), "{DefaultValue: value}")),
                    }
                }
            };
            Intrinsic::FindInMap {
                map: e(&a[0], 0)?,
                top_key: e(&a[1], 1)?,
                second_key: e(&a[2], 2)?,
                default,
            }
        }
        "Fn::Base64" => Intrinsic::Base64(expr(arg, path)?),
        other => return Err(unknown_function(whole, path, other)),
    })
}

/// The condition functions: `Fn::If`, `Fn::Equals`, `Fn::And`, `Fn::Or`
/// and `Fn::Not`.
fn conditions(name: &str, arg: &Node, whole: &Node, path: &P<'_>) -> Result<Intrinsic> {
    let e = |n: &Node, i: usize| expr(n, &path.index(i));
    let pair = |f: &str| -> Result<(Expr, Expr)> {
        let a = args(arg, path, f, "a list of 2 values", 2..=2)?;
        Ok((e(&a[0], 0)?, e(&a[1], 1)?))
    };
    Ok(match name {
        "Fn::If" => {
            let a = args(
                arg,
                path,
                name,
                "[ConditionName, value if true, value if false]",
                3..=3,
            )?;
            Intrinsic::If {
                condition: string_arg(&a[0], &path.index(0), name, "a condition name first")?,
                then: e(&a[1], 1)?,
                otherwise: e(&a[2], 2)?,
            }
        }
        "Fn::Equals" => {
            let (a, b) = pair(name)?;
            Intrinsic::Equals(a, b)
        }
        "Fn::And" | "Fn::Or" => {
            let a = args(arg, path, name, "a list of 2 to 10 conditions", 2..=10)?;
            let v = a
                .iter()
                .enumerate()
                .map(|(i, n)| e(n, i))
                .collect::<Result<Vec<_>>>()?;
            if name == "Fn::And" {
                Intrinsic::And(v)
            } else {
                Intrinsic::Or(v)
            }
        }
        "Fn::Not" => {
            let a = args(arg, path, name, "a list of exactly 1 condition", 1..=1)?;
            Intrinsic::Not(e(&a[0], 0)?)
        }
        other => return Err(unknown_function(whole, path, other)),
    })
}

/// `Fn::Transform` (a macro call) and `Fn::GetStackOutput`.
fn macros(name: &str, arg: &Node, whole: &Node, path: &P<'_>) -> Result<Intrinsic> {
    let e = |n: &Node, i: usize| expr(n, &path.index(i));
    Ok(match name {
        "Fn::Transform" if matches!(arg.kind, NodeKind::Seq(_)) => {
            let a = args(
                arg,
                path,
                name,
                "a list of {Name: macro, Parameters: {...}}",
                1..=64,
            )?;
            Intrinsic::TransformList(
                a.iter()
                    .enumerate()
                    .map(|(i, n)| {
                        as_map(n, &path.index(i), "{Name: macro, Parameters: {...}}")?;
                        e(n, i)
                    })
                    .collect::<Result<_>>()?,
            )
        }
        "Fn::GetStackOutput" => {
            let m = as_map(arg, path, "{StackName: ..., OutputName: ...}")?;
            for k in m.keys() {
                let allowed = ["StackName", "OutputName", "Region", "RoleArn"];
                if !allowed.contains(&k.as_str()) {
                    return Err(unknown_key(arg, path, k, &allowed));
                }
            }
            Intrinsic::GetStackOutput(expr(arg, path)?)
        }
        "Fn::Transform" => {
            let m = as_map(arg, path, "{Name: macro, Parameters: {...}}")?;
            let mut name_e = None;
            let mut params = ExprMap::new();
            for (k, v) in m {
                match k.as_str() {
                    "Name" => name_e = Some(expr(v, &path.key(k))?),
                    "Parameters" => {
                        for (pk, pv) in as_map(v, &path.key(k), "a map of parameters")? {
                            params.insert(pk.clone(), expr(pv, &path.key(k).key(pk))?);
                        }
                    }
                    _ => return Err(unknown_key(arg, path, k, &["Name", "Parameters"])),
                }
            }
            Intrinsic::Transform {
                name: name_e.ok_or_else(|| {
                    err_at(
                        arg,
                        path,
                        ErrorKind::MissingKey {
                            key: "Name".into(),
                            fix: "name the macro, for example `Name: AWS::Include`".into(),
                        },
                    )
                })?,
                parameters: params,
            }
        }
        other => return Err(unknown_function(whole, path, other)),
    })
}

/// The language-extension and rule functions (`Fn::Length`,
/// `Fn::ToJsonString`, `Fn::Contains`, `Fn::EachMember*`, `Fn::RefAll`,
/// `Fn::ValueOf*`); any other name is an unknown function.
fn extensions(name: &str, arg: &Node, whole: &Node, path: &P<'_>) -> Result<Intrinsic> {
    let e = |n: &Node, i: usize| expr(n, &path.index(i));
    let pair = |f: &str| -> Result<(Expr, Expr)> {
        let a = args(arg, path, f, "a list of 2 values", 2..=2)?;
        Ok((e(&a[0], 0)?, e(&a[1], 1)?))
    };
    Ok(match name {
        "Fn::Length" => Intrinsic::Length(expr(arg, path)?),
        "Fn::ToJsonString" => Intrinsic::ToJsonString(expr(arg, path)?),
        "Fn::Contains" => {
            let (a, b) = pair(name)?;
            Intrinsic::Contains(a, b)
        }
        "Fn::EachMemberEquals" => {
            let (a, b) = pair(name)?;
            Intrinsic::EachMemberEquals(a, b)
        }
        "Fn::EachMemberIn" => {
            let (a, b) = pair(name)?;
            Intrinsic::EachMemberIn(a, b)
        }
        "Fn::RefAll" => Intrinsic::RefAll(expr(arg, path)?),
        "Fn::ValueOf" => {
            let (a, b) = pair(name)?;
            Intrinsic::ValueOf(a, b)
        }
        "Fn::ValueOfAll" => {
            let (a, b) = pair(name)?;
            Intrinsic::ValueOfAll(a, b)
        }
        other => return Err(unknown_function(whole, path, other)),
    })
}

fn unknown_function(whole: &Node, path: &P<'_>, other: &str) -> Error {
    err_at(
        whole,
        path,
        ErrorKind::UnknownIntrinsic {
            name: other.to_owned(),
            hint: suggest(other, INTRINSIC_NAMES.iter().copied()),
        },
    )
}

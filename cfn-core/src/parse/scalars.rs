//! YAML scalars, resolved the way YAML 1.1 readers (PyYAML, cfn-lint)
//! do: `yes`/`on` are booleans, `0777` is octal and `12:30` is
//! sexagesimal, unless quoted.

use super::nodes::{Node, NodeKind};
use super::yaml::yaml_error;
use crate::error::Result;
use saphyr_parser::ScalarStyle;

pub(super) fn scalar_node(
    value: &str,
    style: ScalarStyle,
    tag: Option<&str>,
    line: usize,
    col: usize,
) -> Result<Node> {
    let at = |kind| Node { kind, line, col };
    let plain = matches!(style, ScalarStyle::Plain);
    let kind = match tag {
        Some("!str") => NodeKind::Str(value.to_owned()),
        Some("!int") | Some("!float") | Some("!bool") | Some("!null") => {
            match resolve_plain(value) {
                NodeKind::Str(_) => {
                    return Err(yaml_error(
                        line,
                        col - 1,
                        format!("{value:?} is not a valid {}", &tag.unwrap_or_default()[1..]),
                    ))
                }
                k => k,
            }
        }
        Some(t) if t.starts_with('!') => NodeKind::Str(value.to_owned()),
        Some(t) => {
            return Ok(at(NodeKind::Tagged(
                t.to_owned(),
                Box::new(at(NodeKind::Str(value.to_owned()))),
            )))
        }
        None if plain => resolve_plain(value),
        None => NodeKind::Str(value.to_owned()),
    };
    Ok(at(kind))
}

/// YAML 1.1 plain-scalar resolution, as PyYAML's SafeLoader does it.
pub(super) fn resolve_plain(v: &str) -> NodeKind {
    match v {
        "" | "~" | "null" | "Null" | "NULL" => return NodeKind::Null,
        "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => {
            return NodeKind::Bool(true)
        }
        "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => {
            return NodeKind::Bool(false)
        }
        _ => {}
    }
    let (neg, body) = match v.as_bytes()[0] {
        b'-' => (true, &v[1..]),
        b'+' => (false, &v[1..]),
        _ => (false, v),
    };
    if body.is_empty() {
        return NodeKind::Str(v.to_owned());
    }
    let digits = |s: &str, radix: u32| -> Option<i128> {
        let clean: String = s.chars().filter(|c| *c != '_').collect();
        if clean.is_empty() {
            return None;
        }
        i128::from_str_radix(&clean, radix).ok()
    };
    let int = if let Some(h) = body.strip_prefix("0x") {
        digits(h, 16)
    } else if let Some(b) = body.strip_prefix("0b") {
        digits(b, 2)
    } else if body.len() > 1
        && body.starts_with('0')
        && body.bytes().all(|b| b.is_ascii_digit() || b == b'_')
    {
        digits(&body[1..], 8)
    } else if body.bytes().all(|b| b.is_ascii_digit() || b == b'_') && body.as_bytes()[0] != b'_' {
        digits(body, 10)
    } else if body.contains(':')
        && body.as_bytes()[0].is_ascii_digit()
        && body.as_bytes()[0] != b'0'
        && body.split(':').skip(1).all(|p| {
            !p.is_empty()
                && p.len() <= 2
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u32>().is_ok_and(|n| n < 60)
        })
        && body
            .split(':')
            .next()
            .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit() || b == b'_'))
    {
        body.split(':').try_fold(0i128, |acc, p| {
            acc.checked_mul(60)?.checked_add(digits(p, 10)?)
        })
    } else {
        None
    };
    if let Some(n) = int {
        let n = if neg { -n } else { n };
        if let Ok(i) = i64::try_from(n) {
            return NodeKind::Number(i.into());
        }
        if let Ok(u) = u64::try_from(n) {
            return NodeKind::Number(u.into());
        }
        return NodeKind::Str(v.to_owned());
    }
    // floats need a dot in YAML 1.1 ("1e3" is a string to PyYAML)
    let fb = body.as_bytes();
    let is_float = body.contains('.') && (fb[0].is_ascii_digit() || fb[0] == b'.') && {
        let (mant, exp) = match body.find(['e', 'E']) {
            Some(i) => (&body[..i], Some(&body[i + 1..])),
            None => (body, None),
        };
        let mant_ok = mant.bytes().filter(|b| *b == b'.').count() == 1
            && mant
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.' || b == b'_')
            && mant.bytes().any(|b| b.is_ascii_digit());
        let exp_ok = exp.is_none_or(|e| {
            (e.starts_with('+') || e.starts_with('-'))
                && e.len() > 1
                && e[1..].bytes().all(|b| b.is_ascii_digit())
        });
        mant_ok && exp_ok
    };
    if is_float {
        let clean: String = v.chars().filter(|c| *c != '_').collect();
        if let Some(n) = clean
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
        {
            return NodeKind::Number(n);
        }
    }
    NodeKind::Str(v.to_owned())
}

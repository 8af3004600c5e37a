//! Placeholder literals that satisfy a schema node's constraints, for the
//! generated minimal-instance tests.

pub use cfn_core::pattern::ecma_to_rust;
use regex_syntax::hir::{Class, Hir, HirKind};
use serde_json::Value as J;

fn pick_char(ranges: &[(char, char)]) -> Option<char> {
    for want in ['a', 'b', 'x', 'A', '0', '1', '-', '_', '.', '/'] {
        if ranges.iter().any(|(s, e)| *s <= want && want <= *e) {
            return Some(want);
        }
    }
    ranges
        .iter()
        .flat_map(|(s, e)| (*s..=*e).take(200))
        .find(|c| c.is_ascii_graphic())
        .or_else(|| ranges.first().map(|r| r.0))
}

fn gen(h: &Hir, reps: u32, out: &mut String) -> bool {
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(l) => match std::str::from_utf8(&l.0) {
            Ok(s) => {
                out.push_str(s);
                true
            }
            Err(_) => false,
        },
        HirKind::Class(Class::Unicode(c)) => {
            let rs: Vec<(char, char)> = c.ranges().iter().map(|r| (r.start(), r.end())).collect();
            match pick_char(&rs) {
                Some(ch) => {
                    out.push(ch);
                    true
                }
                None => false,
            }
        }
        HirKind::Class(Class::Bytes(c)) => {
            let rs: Vec<(char, char)> = c
                .ranges()
                .iter()
                .map(|r| (r.start() as char, r.end() as char))
                .collect();
            match pick_char(&rs) {
                Some(ch) if ch.is_ascii() => {
                    out.push(ch);
                    true
                }
                _ => false,
            }
        }
        HirKind::Repetition(r) => {
            let n = r.min.max(reps.min(r.max.unwrap_or(u32::MAX)));
            (0..n).all(|_| gen(&r.sub, reps, out))
        }
        HirKind::Capture(c) => gen(&c.sub, reps, out),
        HirKind::Concat(v) => v.iter().all(|x| gen(x, reps, out)),
        HirKind::Alternation(v) => {
            for x in v {
                let mut s = String::new();
                if gen(x, reps, &mut s) {
                    out.push_str(&s);
                    return true;
                }
            }
            false
        }
    }
}

/// Drops simple look-around groups, which the `regex` crate lacks: the
/// result matches a superset, good enough to synthesise a candidate that the
/// real validator then checks.
fn without_lookaround(p: &str) -> String {
    let mut out = p.to_owned();
    for start in ["(?!", "(?=", "(?<!", "(?<="] {
        while let Some(i) = out.find(start) {
            let mut depth = 0;
            let mut end = None;
            for (j, c) in out[i..].char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            end = Some(i + j);
                            break;
                        }
                    }
                    _ => {}
                }
            }
            match end {
                Some(e) => out.replace_range(i..=e, ""),
                None => break,
            }
        }
    }
    out
}

fn by_format(f: &str) -> Option<&'static str> {
    Some(match f {
        "ipv4-network" => "10.0.0.0/16",
        "ipv6-network" => "2001:db8::/56",
        "date-time" | "timestamp" => "2024-01-01T00:00:00Z",
        "uri" => "https://example.com",
        "json" => "{}",
        _ => return None,
    })
}

/// A string satisfying `node`'s `pattern`, `minLength`, `maxLength` and
/// `enum`, or why none was found.
pub fn string_for(node: &J) -> Result<String, String> {
    if let Some(v) = node
        .get("enum")
        .and_then(J::as_array)
        .and_then(|a| a.first())
        .and_then(J::as_str)
    {
        return Ok(v.to_owned());
    }
    let min = node.get("minLength").and_then(J::as_u64).unwrap_or(0) as usize;
    let max = node
        .get("maxLength")
        .and_then(J::as_u64)
        .unwrap_or(u64::MAX) as usize;
    let pattern = node.get("pattern").and_then(J::as_str);
    let mut cands: Vec<String> = Vec::new();
    if let Some(f) = node.get("format").and_then(J::as_str).and_then(by_format) {
        cands.push(f.to_owned());
    }
    let pattern_rs = pattern.map(ecma_to_rust);
    let (re, synth) = match &pattern_rs {
        Some(p) => match regex::Regex::new(p) {
            Ok(r) => (Some(r), Some(p.clone())),
            Err(_) => (None, Some(without_lookaround(p))),
        },
        None => (None, None),
    };
    if let Some(p) = &synth {
        if let Ok(h) = regex_syntax::parse(p) {
            for reps in [1, 3, 8, 16, 32, 64] {
                let mut s = String::new();
                if gen(&h, reps, &mut s) {
                    cands.push(s);
                }
            }
        }
    }
    if pattern.is_none() {
        cands.push("placeholder".into());
        cands.push("a".into());
    }
    // Without look-around, the synthesised pattern is checked instead (a
    // superset); the generated test validates against the real one.
    let check = re.or_else(|| synth.as_ref().and_then(|p| regex::Regex::new(p).ok()));
    for mut c in cands {
        if c.chars().count() < min && pattern.is_none() {
            c = c.repeat(min / c.len().max(1) + 1);
        }
        let n = c.chars().count();
        if n < min || n > max {
            continue;
        }
        match &check {
            Some(r) if !r.is_match(&c) => continue,
            None if pattern.is_some() => {
                return Err(format!("pattern {pattern:?} is not supported"))
            }
            _ => return Ok(c),
        }
    }
    Err(format!(
        "no placeholder fits pattern {pattern:?} with length {min}..={max}"
    ))
}

/// An integer within `minimum`/`maximum`.
pub fn int_for(node: &J) -> i64 {
    let min = node.get("minimum").and_then(J::as_f64);
    let max = node.get("maximum").and_then(J::as_f64);
    let v = match (min, max) {
        (Some(m), _) => m.ceil() as i64,
        (None, Some(x)) if x < 1.0 => x.floor() as i64,
        _ => 1,
    };
    if let Some(e) = node
        .get("enum")
        .and_then(J::as_array)
        .and_then(|a| a.first())
        .and_then(J::as_i64)
    {
        return e;
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn placeholders_match_their_patterns() {
        let s = string_for(&json!({"pattern": "^arn:aws:iam::[0-9]{12}:role/.+$"})).unwrap();
        assert!(
            regex::Regex::new("^arn:aws:iam::[0-9]{12}:role/.+$")
                .unwrap()
                .is_match(&s),
            "{s}"
        );
        assert_eq!(
            string_for(&json!({"format": "ipv4-network"})).unwrap(),
            "10.0.0.0/16"
        );
        assert!((3..=5).contains(
            &string_for(&json!({"minLength": 3, "maxLength": 5}))
                .unwrap()
                .len()
        ));
        assert_eq!(ecma_to_rust(r"^[a-z@[\]]+\Z"), r"^[a-z@\[\]]+\z");
        let s = string_for(&json!({"pattern": "^((?![:*$])[\\x00-\\x7F]){1,255}"})).unwrap();
        assert!(!s.is_empty());
        assert_eq!(int_for(&json!({"minimum": 5})), 5);
    }
}

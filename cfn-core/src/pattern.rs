//! Regular expressions with CloudFormation's semantics: `AllowedPattern`
//! (evaluated by CloudFormation as a Java regular expression) and registry
//! schema patterns (ECMAScript or Python flavoured), evaluated with a
//! backtracking engine (`fancy-regex`) that supports look-around and
//! back-references. The one home of the pattern rewrite
//! ([`ecma_to_rust`]); the registry check and the code generator use it.

use std::collections::HashMap;
use std::sync::Mutex;

/// A compiled pattern.
pub type Pattern = fancy_regex::Regex;

/// Rewrites a pattern (ECMAScript, Python or Java flavoured) for the Rust
/// engines: `\Z` is `\z`, and a `[` inside a class is a literal.
///
/// ```
/// assert_eq!(cfn_core::pattern::ecma_to_rust(r"^[a-z@[\]]+\Z"), r"^[a-z@\[\]]+\z");
/// ```
pub fn ecma_to_rust(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    let mut in_class = false;
    let mut chars = p.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('Z') => out.push_str("\\z"),
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            },
            '[' if in_class => out.push_str("\\["),
            '[' => {
                in_class = true;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                if chars.peek() == Some(&']') {
                    chars.next();
                    out.push_str("\\]");
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            c => out.push(c),
        }
    }
    out
}

/// Compiles `p` (rewritten by [`ecma_to_rust`]); `whole`: it must match the
/// whole value, as `AllowedPattern` does. The error is the engine's last
/// line: the pattern truly cannot be evaluated.
///
/// ```
/// // look-around, as CloudFormation's Java engine accepts it
/// let p = cfn_core::pattern::compile(r"(?!aws-)[a-z-]+", true).unwrap();
/// assert!(p.is_match("my-app").unwrap());
/// assert!(!p.is_match("aws-app").unwrap());
/// ```
pub fn compile(p: &str, whole: bool) -> Result<Pattern, String> {
    let rewritten = ecma_to_rust(p);
    let source = if whole {
        format!("^(?:{rewritten})$")
    } else {
        rewritten
    };
    fancy_regex::Regex::new(&source).map_err(|e| {
        e.to_string()
            .lines()
            .last()
            .unwrap_or_default()
            .trim_start_matches("error: ")
            .to_owned()
    })
}

/// Whether `value` matches the (search, not anchored) pattern `p`: `None`
/// when the pattern cannot be evaluated (it does not compile, or matching
/// exceeds the engine's backtracking limit). Compiled patterns are cached
/// for the life of the process.
pub fn matches(p: &str, value: &str) -> Option<bool> {
    static CACHE: Mutex<Option<HashMap<String, Option<Pattern>>>> = Mutex::new(None);
    let mut guard = CACHE.lock().ok()?;
    let cache = guard.get_or_insert_with(HashMap::new);
    let re = cache
        .entry(p.to_owned())
        .or_insert_with(|| compile(p, false).ok());
    re.as_ref().and_then(|r| r.is_match(value).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_around_and_back_references_are_evaluated() {
        assert_eq!(matches(r"^(?=.*\d)[a-z\d]+$", "abc1"), Some(true));
        assert_eq!(matches(r"^(?=.*\d)[a-z\d]+$", "abc"), Some(false));
        assert_eq!(matches(r"^(a)\1$", "aa"), Some(true));
        assert_eq!(matches(r"^[a-z@[\]]+\Z", "a@["), Some(true));
        assert_eq!(matches(r"(", "x"), None);
    }
}

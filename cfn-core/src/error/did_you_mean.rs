//! "Did you mean": the closest candidate to a misspelt name, the one home
//! of the suggestion rule ([`closest`]), kept as data ([`Hint`]) and
//! worded by its `Display` ([`suggest`] finds and wraps it).

use std::fmt;

/// What an error adds after its message: a suggestion kept as data (the
/// name meant), a note, or nothing. `Display` renders it the way messages
/// read: `` (did you mean `Name`?)``, ` (note)` or nothing.
///
/// ```
/// use cfn_core::error::Hint;
/// let h = Hint::did_you_mean("Resources");
/// assert_eq!(h.suggestion(), Some("Resources"));
/// assert_eq!(h.to_string(), " (did you mean `Resources`?)");
/// assert_eq!(Hint::None.to_string(), "");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Hint {
    /// Nothing to add.
    #[default]
    None,
    /// The name probably meant.
    DidYouMean(String),
    /// A note on the error (`it is a parameter, which has no attributes`).
    Note(String),
}

impl Hint {
    /// A suggestion of `name`.
    pub fn did_you_mean(name: impl Into<String>) -> Self {
        Hint::DidYouMean(name.into())
    }
    /// A note.
    pub fn note(text: impl Into<String>) -> Self {
        Hint::Note(text.into())
    }
    /// The name suggested, if any.
    pub fn suggestion(&self) -> Option<&str> {
        match self {
            Hint::DidYouMean(name) => Some(name),
            _ => None,
        }
    }
    /// Whether there is nothing to add.
    pub fn is_none(&self) -> bool {
        *self == Hint::None
    }
    /// The suggestion with its name rewritten by `f` (a long function name
    /// shown in its YAML short form, `Fn::GetAtt` as `!GetAtt`).
    pub fn map_suggestion(self, f: impl FnOnce(&str) -> String) -> Self {
        match self {
            Hint::DidYouMean(name) => Hint::DidYouMean(f(&name)),
            other => other,
        }
    }
}

impl fmt::Display for Hint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Hint::None => Ok(()),
            Hint::DidYouMean(name) => write!(f, " (did you mean `{name}`?)"),
            Hint::Note(text) => write!(f, " ({text})"),
        }
    }
}

/// Finds the closest candidate to `name` (edit distance at most 1/3 of its
/// length, minimum 2), as a "did you mean" [`Hint`] (rendered
/// `` (did you mean `X`?)``), or [`Hint::None`].
///
/// ```
/// let h = cfn_core::error::suggest("Resource", ["Resources", "Outputs"]);
/// assert_eq!(h.suggestion(), Some("Resources"));
/// assert_eq!(h.to_string(), " (did you mean `Resources`?)");
/// ```
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Hint {
    match closest(name, candidates) {
        Some(c) => Hint::did_you_mean(c),
        None => Hint::None,
    }
}

/// The candidate closest to `name` (case-insensitive edit distance of at
/// most a third of its length, and at least 2), if any: the one home of
/// "did you mean", which [`suggest`] formats and other crates (the registry
/// schema check) word their own way.
///
/// ```
/// use cfn_core::error::closest;
/// assert_eq!(closest("BucketNam", ["BucketName", "Tags"]), Some("BucketName"));
/// assert_eq!(closest("Zzz", ["BucketName"]), None);
/// ```
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.len() / 3).max(2);
    let wanted: Vec<char> = name.to_lowercase().chars().collect();
    let mut best: Option<(usize, &str)> = None;
    let mut buffers = (Vec::new(), Vec::new(), Vec::new());
    for c in candidates {
        // a length difference alone exceeds the limit: skip the full comparison
        if c.len().abs_diff(name.len()) > limit {
            continue;
        }
        let bound = best.map_or(limit, |(d, _)| d.saturating_sub(1)).min(limit);
        buffers.0.clear();
        buffers.0.extend(c.chars().flat_map(char::to_lowercase));
        if let Some(d) = edit_distance(&wanted, &buffers.0, bound, &mut buffers.1, &mut buffers.2) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Levenshtein distance of `a` and `b` if it is at most `bound`.
fn edit_distance(
    a: &[char],
    b: &[char],
    bound: usize,
    prev: &mut Vec<usize>,
    cur: &mut Vec<usize>,
) -> Option<usize> {
    prev.clear();
    prev.extend(0..=b.len());
    for (i, ca) in a.iter().enumerate() {
        cur.clear();
        cur.push(i + 1);
        let mut row_min = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let v = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            row_min = row_min.min(v);
            cur.push(v);
        }
        if row_min > bound {
            return None;
        }
        std::mem::swap(prev, cur);
    }
    let d = prev[b.len()];
    (d <= bound).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestion_finds_near_names() {
        assert_eq!(
            suggest("WebSever", ["WebServer", "Db"]).to_string(),
            " (did you mean `WebServer`?)"
        );
        assert_eq!(suggest("Zzz", ["WebServer"]), Hint::None);
        assert_eq!(
            Hint::note("it is a parameter").to_string(),
            " (it is a parameter)"
        );
    }
}

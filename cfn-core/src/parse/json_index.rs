//! Positions of every value of a JSON document, without a tree: one pass
//! over the text records `(hash of the template path, line, column)` for
//! each value, sorted for binary search. [`super::SourceMap`] uses it for
//! JSON sources: the YAML scanner it uses otherwise buffers every token of
//! a flow document (JSON is all flow), some 30 bytes of memory per byte of
//! input; this index takes 16 bytes per value.

const BASIS: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

/// The hash of a path one segment deeper than `parent`'s.
pub(super) fn child(parent: u64, segment: &[u8]) -> u64 {
    let mut h = (parent ^ u64::from(b'/')).wrapping_mul(PRIME);
    for &b in segment {
        h = (h ^ u64::from(b)).wrapping_mul(PRIME);
    }
    h
}

/// The hash of the document's root (the empty path).
pub(super) const ROOT: u64 = BASIS;

/// `(path hash, line, column)` of every value, sorted by hash.
#[derive(Debug, Clone)]
pub(super) struct JsonIndex {
    entries: Vec<(u64, u32, u32)>,
}

enum Frame {
    Object(u64),
    Array(u64, u64),
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
    line: u32,
    col: u32,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn bump(&mut self) {
        if let Some(&c) = self.b.get(self.i) {
            self.i += 1;
            if c == b'\n' {
                self.line += 1;
                self.col = 1;
            } else if c & 0xC0 != 0x80 {
                self.col += 1;
            }
        }
    }
    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.bump();
        }
    }
    /// Skips a string starting at its quote; returns its raw content
    /// (escapes undecoded) and whether it had any.
    fn string(&mut self) -> Option<(usize, usize, bool)> {
        self.bump(); // the opening quote
        let start = self.i;
        let mut escaped = false;
        loop {
            match self.peek()? {
                b'"' => {
                    let end = self.i;
                    self.bump();
                    return Some((start, end, escaped));
                }
                b'\\' => {
                    escaped = true;
                    self.bump();
                    self.bump();
                }
                _ => self.bump(),
            }
        }
    }
    /// Skips a number or literal; `None` when there is none.
    fn scalar(&mut self) -> Option<()> {
        let start = self.i;
        while !matches!(
            self.peek(),
            None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
        ) {
            self.bump();
        }
        (self.i > start).then_some(())
    }
}

impl JsonIndex {
    /// Indexes `src`; `None` when it is not a JSON document.
    pub(super) fn build(src: &str) -> Option<JsonIndex> {
        let mut c = Cursor {
            b: src.as_bytes(),
            i: 0,
            line: 1,
            col: 1,
        };
        let mut entries = Vec::new();
        let mut stack: Vec<Frame> = Vec::new();
        let mut next = Some(ROOT); // the hash of the value expected next
        loop {
            c.skip_ws();
            if let Some(h) = next.take() {
                entries.push((h, c.line, c.col));
                match c.peek()? {
                    b'{' => {
                        c.bump();
                        stack.push(Frame::Object(h));
                        c.skip_ws();
                        if c.peek() == Some(b'}') {
                            c.bump();
                            stack.pop();
                        } else {
                            next = Some(Self::key(&mut c, src, h)?);
                            continue;
                        }
                    }
                    b'[' => {
                        c.bump();
                        stack.push(Frame::Array(h, 0));
                        c.skip_ws();
                        if c.peek() == Some(b']') {
                            c.bump();
                            stack.pop();
                        } else {
                            next = Some(child(h, b"0"));
                            continue;
                        }
                    }
                    b'"' => {
                        c.string()?;
                    }
                    _ => c.scalar()?,
                }
            }
            // After a value: a separator or the end of its container.
            c.skip_ws();
            match stack.last_mut() {
                None => {
                    return (c.peek().is_none()).then(|| {
                        entries.sort_unstable_by_key(|e| e.0);
                        JsonIndex { entries }
                    })
                }
                Some(Frame::Object(h)) => {
                    let h = *h;
                    match c.peek()? {
                        b',' => {
                            c.bump();
                            next = Some(Self::key(&mut c, src, h)?);
                        }
                        b'}' => {
                            c.bump();
                            stack.pop();
                        }
                        _ => return None,
                    }
                }
                Some(Frame::Array(h, idx)) => match c.peek()? {
                    b',' => {
                        c.bump();
                        *idx += 1;
                        next = Some(child(*h, idx.to_string().as_bytes()));
                    }
                    b']' => {
                        c.bump();
                        stack.pop();
                    }
                    _ => return None,
                },
            }
        }
    }

    /// Reads `"key" :` and returns the hash of the member's value.
    fn key(c: &mut Cursor<'_>, src: &str, parent: u64) -> Option<u64> {
        c.skip_ws();
        if c.peek()? != b'"' {
            return None;
        }
        let (start, end, escaped) = c.string()?;
        let h = if escaped {
            let decoded: String = serde_json::from_str(&src[start - 1..=end]).ok()?;
            child(parent, decoded.as_bytes())
        } else {
            child(parent, &src.as_bytes()[start..end])
        };
        c.skip_ws();
        if c.peek()? != b':' {
            return None;
        }
        c.bump();
        Some(h)
    }

    /// The position recorded for a path hash.
    pub(super) fn get(&self, hash: u64) -> Option<(usize, usize)> {
        self.entries
            .binary_search_by_key(&hash, |e| e.0)
            .ok()
            .map(|i| (self.entries[i].1 as usize, self.entries[i].2 as usize))
    }
}

#[cfg(test)]
mod tests {
    use super::super::nodes::{Node, NodeKind};
    use super::super::source_map::{tree_locate, SourceMap};
    use super::super::yaml::yaml_node;

    /// Every path of the tree the YAML parser builds.
    fn paths(n: &Node, prefix: &str, out: &mut Vec<String>) {
        out.push(prefix.to_owned());
        let join = |seg: &str| {
            if prefix.is_empty() {
                seg.to_owned()
            } else {
                format!("{prefix}/{seg}")
            }
        };
        match &n.kind {
            NodeKind::Map(m) => m.into_iter().for_each(|(k, v)| paths(v, &join(k), out)),
            NodeKind::Seq(v) => v
                .iter()
                .enumerate()
                .for_each(|(i, x)| paths(x, &join(&i.to_string()), out)),
            _ => {}
        }
    }

    #[test]
    fn json_positions_match_the_yaml_parser_on_every_path() {
        let src = "{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n  \"Resources\": {\n    \"Bucket\": {\"Type\": \"AWS::S3::Bucket\", \"Properties\": {\"Tags\": [{\"Key\": \"a\\\"b\", \"Value\": \"é ü\"}, {\"Key\": \"n\", \"Value\": 5}], \"Empty\": {}, \"None\": [], \"Flag\": true, \"Nothing\": null}},\n    \"Topic\": {\n      \"Type\": \"AWS::SNS::Topic\",\n      \"Properties\": {\"DisplayName\": {\"Fn::Sub\": [\"${A}-x\", {\"A\": {\"Ref\": \"AWS::Region\"}}]}, \"Nested\": [[1, 2.5e3], [\"x\"]]}\n    }\n  }\n}\n";
        let root = yaml_node(src).unwrap();
        let map = SourceMap::new(src).unwrap();
        let mut all = Vec::new();
        paths(&root, "", &mut all);
        assert!(all.len() > 30, "{}", all.len());
        for p in all.iter().chain([&"Resources/Nope/X".to_owned()]) {
            let want = tree_locate(&root, p);
            let got = map.locate(p).map(|l| (l.line, l.column));
            assert_eq!(got, want, "path {p:?}");
        }
    }

    #[test]
    fn not_json_falls_back_to_the_tree() {
        assert!(super::JsonIndex::build("{\"a\": }").is_none());
        assert!(super::JsonIndex::build("{\"a\": 1} x").is_none());
        let map = SourceMap::new("Resources:\n  A:\n    Type: X\n").unwrap();
        assert_eq!(map.locate("Resources/A/Type").map(|l| l.line), Some(3));
    }
}

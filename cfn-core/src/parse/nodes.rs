//! The source tree both readers build: nodes with their positions.

/// A source node with its position (line 0 when unknown).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub(super) kind: NodeKind,
    pub(super) line: usize,
    pub(super) col: usize,
}

/// The entries of a map node, in source order: a list with linear lookup.
/// Template maps are small, and the large ones (`Resources`) are iterated,
/// not searched; a hash table per node would add about half again to the
/// memory of parsing a large template. Duplicate keys are refused while
/// reading ([`NodeMap::has`]); large maps keep key hashes while they are
/// built, so reading one stays linear.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct NodeMap {
    entries: Vec<(String, Node)>,
    /// Hashes of the keys, kept only while a large map is being read
    /// (boxed: every node is as large as its largest kind).
    #[allow(clippy::box_collection)] // the box is the point: a smaller node
    seen: Option<Box<std::collections::HashSet<u64>>>,
}

impl NodeMap {
    pub(crate) fn new() -> Self {
        Self::default()
    }
    pub(crate) fn with_capacity(n: usize) -> Self {
        NodeMap {
            entries: Vec::with_capacity(n),
            seen: None,
        }
    }
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }
    pub(crate) fn get(&self, k: &str) -> Option<&Node> {
        self.entries
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v)
    }
    pub(crate) fn contains_key(&self, k: &str) -> bool {
        self.get(k).is_some()
    }
    pub(crate) fn first(&self) -> Option<(&String, &Node)> {
        self.entries.first().map(|(k, v)| (k, v))
    }
    pub(crate) fn keys(&self) -> impl Iterator<Item = &String> {
        self.entries.iter().map(|(k, _)| k)
    }
    pub(crate) fn values(&self) -> impl Iterator<Item = &Node> {
        self.entries.iter().map(|(_, v)| v)
    }
    /// Sets `k`, replacing an existing entry in place.
    pub(crate) fn insert(&mut self, k: String, v: Node) {
        if self.has(&k) {
            if let Some(slot) = self.entries.iter_mut().find(|(key, _)| *key == k) {
                slot.1 = v;
            }
        } else {
            self.push_new(k, v);
        }
    }
    /// Whether a map being read has `k`: a linear check for small maps,
    /// key hashes (kept until [`NodeMap::done`]) for large ones.
    pub(crate) fn has(&mut self, k: &str) -> bool {
        const LINEAR: usize = 16;
        if self.entries.len() < LINEAR {
            return self.contains_key(k);
        }
        let seen = self.seen.get_or_insert_with(|| {
            Box::new(self.entries.iter().map(|(key, _)| key_hash(key)).collect())
        });
        seen.contains(&key_hash(k)) && self.entries.iter().any(|(key, _)| key == k)
    }
    /// Appends an entry whose key [`NodeMap::has`] said is new.
    pub(crate) fn push_new(&mut self, k: String, v: Node) {
        if let Some(seen) = &mut self.seen {
            seen.insert(key_hash(&k));
        }
        self.entries.push((k, v));
    }
    /// Drops what reading needed.
    pub(crate) fn done(mut self) -> Self {
        self.seen = None;
        self.entries.shrink_to_fit();
        self
    }
}

fn key_hash(k: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    k.hash(&mut h);
    h.finish()
}

impl IntoIterator for NodeMap {
    type Item = (String, Node);
    type IntoIter = std::vec::IntoIter<(String, Node)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a> IntoIterator for &'a NodeMap {
    type Item = (&'a String, &'a Node);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, Node)>,
        fn(&'a (String, Node)) -> (&'a String, &'a Node),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

impl FromIterator<(String, Node)> for NodeMap {
    fn from_iter<I: IntoIterator<Item = (String, Node)>>(iter: I) -> Self {
        let mut m = NodeMap::new();
        for (k, v) in iter {
            m.insert(k, v);
        }
        m
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum NodeKind {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    Str(String),
    Seq(Vec<Node>),
    Map(NodeMap),
    Tagged(String, Box<Node>),
}

impl Node {
    pub(super) fn new(kind: NodeKind) -> Self {
        Node {
            kind,
            line: 0,
            col: 0,
        }
    }

    pub(super) fn describe(&self) -> String {
        match &self.kind {
            NodeKind::Null => "null".into(),
            NodeKind::Bool(b) => format!("boolean {b}"),
            NodeKind::Number(n) => format!("number {n}"),
            NodeKind::Str(s) => format!("string {s:?}"),
            NodeKind::Seq(v) => format!("a list of {} item(s)", v.len()),
            NodeKind::Map(m) if m.len() == 1 => format!(
                "a map with key `{}`",
                m.keys().next().map(String::as_str).unwrap_or_default()
            ),
            NodeKind::Map(m) => format!("a map of {} key(s)", m.len()),
            NodeKind::Tagged(t, _) => format!("tag !{t}"),
        }
    }
}

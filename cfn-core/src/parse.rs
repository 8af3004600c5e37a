//! Parsing JSON and YAML templates (short-form tags included) into the model.
//!
//! Errors name the file, line and column, the template path and the fix.
//! YAML scalars are resolved the way YAML 1.1 readers (PyYAML, cfn-lint) do:
//! `yes`/`on` are booleans, `0777` is octal and `12:30` is sexagesimal,
//! unless quoted.

use crate::error::{suggest, Error, ErrorKind, Location, Result};
use crate::expr::{Expr, ExprMap, Intrinsic, INTRINSIC_NAMES};
use crate::id::LogicalId;
use crate::parameter::{Parameter, ParameterType};
use crate::render::Format;
use crate::resource::{DependsOn, Resource};
use crate::template::{Assertion, Mapping, Output, Rule, Template};
use indexmap::IndexMap;
use saphyr_parser::{Event, Parser, ScalarStyle};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::collections::HashMap;
use std::fmt;

mod json_index;
mod langext;

/// A source node with its position (line 0 when unknown).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    kind: NodeKind,
    line: usize,
    col: usize,
}

/// The entries of a map node, in source order: a list with linear lookup.
/// Template maps are small, and the large ones (`Resources`) are iterated,
/// not searched; a hash table per node would add about half again to the
/// memory of parsing a large template. Duplicate keys are refused while
/// reading ([`NodeMap::insert_new`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct NodeMap {
    entries: Vec<(String, Node)>,
    /// Hashes of the keys, kept only while a large map is being read.
    seen: Option<std::collections::HashSet<u64>>,
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
        match self.entries.iter_mut().find(|(key, _)| *key == k) {
            Some(slot) => slot.1 = v,
            None => self.entries.push((k, v)),
        }
    }
    /// Whether a map being read has `k`: a linear check for small maps,
    /// key hashes (kept until [`NodeMap::done`]) for large ones.
    pub(crate) fn has(&mut self, k: &str) -> bool {
        const LINEAR: usize = 16;
        if self.entries.len() < LINEAR {
            return self.contains_key(k);
        }
        let seen = self
            .seen
            .get_or_insert_with(|| self.entries.iter().map(|(key, _)| key_hash(key)).collect());
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
enum NodeKind {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    Str(String),
    Seq(Vec<Node>),
    Map(NodeMap),
    Tagged(String, Box<Node>),
}

impl Node {
    fn new(kind: NodeKind) -> Self {
        Node {
            kind,
            line: 0,
            col: 0,
        }
    }

    fn describe(&self) -> String {
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

// ---------------------------------------------------------------- JSON input

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

const DUPLICATE_MARK: &str = "duplicate key `";

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> std::result::Result<Node, E> {
        Ok(Node::new(NodeKind::Null))
    }
    fn visit_none<E>(self) -> std::result::Result<Node, E> {
        Ok(Node::new(NodeKind::Null))
    }
    fn visit_bool<E>(self, v: bool) -> std::result::Result<Node, E> {
        Ok(Node::new(NodeKind::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> std::result::Result<Node, E> {
        Ok(Node::new(NodeKind::Number(v.into())))
    }
    fn visit_u64<E>(self, v: u64) -> std::result::Result<Node, E> {
        Ok(Node::new(NodeKind::Number(v.into())))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Node, E> {
        serde_json::Number::from_f64(v)
            .map(|n| Node::new(NodeKind::Number(n)))
            .ok_or_else(|| E::custom("number out of range"))
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<Node, E> {
        Ok(Node::new(NodeKind::Str(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> std::result::Result<Node, E> {
        Ok(Node::new(NodeKind::Str(v)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> std::result::Result<Node, A::Error> {
        let mut v = Vec::new();
        while let Some(n) = a.next_element()? {
            v.push(n);
        }
        Ok(Node::new(NodeKind::Seq(v)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> std::result::Result<Node, A::Error> {
        let mut v = NodeMap::new();
        while let Some(k) = a.next_key::<String>()? {
            if v.has(&k) {
                return Err(de::Error::custom(format!("{DUPLICATE_MARK}{k}`")));
            }
            let n = a.next_value()?;
            v.push_new(k, n);
        }
        Ok(Node::new(NodeKind::Map(v.done())))
    }
}

fn json_node(src: &str) -> Result<Node> {
    serde_json::from_str::<Node>(src).map_err(|e| {
        let location = Location {
            file: None,
            line: e.line(),
            column: e.column(),
        };
        let msg = e.to_string();
        let kind = match msg.strip_prefix(DUPLICATE_MARK) {
            Some(rest) => ErrorKind::DuplicateKey {
                key: rest.split('`').next().unwrap_or_default().to_owned(),
            },
            None => ErrorKind::Syntax {
                format: "JSON",
                message: strip_position(&msg),
            },
        };
        Error::new(kind).with_location(location)
    })
}

fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg.to_owned(),
    }
}

// ---------------------------------------------------------------- YAML input

enum Frame {
    Seq(Vec<Node>, Node, Option<String>, usize),
    Map(NodeMap, Option<String>, Node, Option<String>, usize),
}

fn yaml_error(line: usize, col: usize, message: String) -> Error {
    Error::new(ErrorKind::Syntax {
        format: "YAML",
        message,
    })
    .with_location(Location {
        file: None,
        line,
        column: col + 1,
    })
}

fn tag_name(tag: &saphyr_parser::Tag) -> Option<String> {
    if tag.handle == "!" {
        Some(tag.suffix.clone())
    } else if tag.handle == "!!" || tag.handle.starts_with("tag:yaml.org,2002:") {
        Some(format!("!{}", tag.suffix))
    } else {
        Some(format!("{}{}", tag.handle, tag.suffix))
    }
}

/// The deepest nesting accepted in YAML (JSON input is limited to 128 by serde_json).
const MAX_DEPTH: usize = 256;

fn yaml_node(src: &str) -> Result<Node> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let mut root: Option<Node> = None;
    let mut documents = 0usize;
    for item in Parser::new_from_str(src) {
        let (event, span) =
            item.map_err(|e| yaml_error(e.marker().line(), e.marker().col(), e.info().to_owned()))?;
        let (line, col) = (span.start.line(), span.start.col() + 1);
        let node = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(yaml_error(
                        line,
                        col - 1,
                        "more than one document; a template is a single YAML document".into(),
                    ));
                }
                continue;
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => continue,
            Event::Alias(id) => match anchors.get(&id) {
                Some(n) => n.clone(),
                None => {
                    return Err(yaml_error(
                        line,
                        col - 1,
                        "alias to an unknown anchor".into(),
                    ))
                }
            },
            Event::Scalar(value, style, anchor, tag) => {
                let tag = tag.as_deref().and_then(tag_name);
                let n = scalar_node(&value, style, tag.as_deref(), line, col)?;
                if anchor > 0 {
                    anchors.insert(anchor, n.clone());
                }
                n
            }
            Event::SequenceStart(..) | Event::MappingStart(..) if stack.len() >= MAX_DEPTH => {
                return Err(yaml_error(
                    line,
                    col - 1,
                    format!("nesting deeper than {MAX_DEPTH} levels; flatten the template"),
                ))
            }
            Event::SequenceStart(anchor, tag) => {
                let tag = tag.as_deref().and_then(tag_name);
                stack.push(Frame::Seq(
                    Vec::new(),
                    Node {
                        kind: NodeKind::Null,
                        line,
                        col,
                    },
                    tag,
                    anchor,
                ));
                continue;
            }
            Event::MappingStart(anchor, tag) => {
                let tag = tag.as_deref().and_then(tag_name);
                stack.push(Frame::Map(
                    NodeMap::new(),
                    None,
                    Node {
                        kind: NodeKind::Null,
                        line,
                        col,
                    },
                    tag,
                    anchor,
                ));
                continue;
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq(items, mut pos, tag, anchor)) => {
                    pos.kind = NodeKind::Seq(items);
                    let n = wrap_tag(pos, tag);
                    if anchor > 0 {
                        anchors.insert(anchor, n.clone());
                    }
                    n
                }
                _ => return Err(yaml_error(line, col - 1, "unbalanced sequence".into())),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map(items, _, mut pos, tag, anchor)) => {
                    pos.kind = NodeKind::Map(items);
                    let n = wrap_tag(pos, tag);
                    if anchor > 0 {
                        anchors.insert(anchor, n.clone());
                    }
                    n
                }
                _ => return Err(yaml_error(line, col - 1, "unbalanced mapping".into())),
            },
        };
        match stack.last_mut() {
            None => root = Some(node),
            Some(Frame::Seq(items, ..)) => items.push(node),
            Some(Frame::Map(items, pending, ..)) => match pending.take() {
                None => {
                    let key =
                        match node.kind {
                            NodeKind::Str(s) => s,
                            NodeKind::Number(n) => n.to_string(),
                            NodeKind::Bool(b) => b.to_string(),
                            NodeKind::Null => String::new(),
                            _ => return Err(yaml_error(
                                node.line,
                                node.col.saturating_sub(1),
                                "a map key must be a plain string, not a list, map or tagged value"
                                    .into(),
                            )),
                        };
                    if items.contains_key(&key) {
                        return Err(Error::new(ErrorKind::DuplicateKey { key }).with_location(
                            Location {
                                file: None,
                                line: node.line,
                                column: node.col,
                            },
                        ));
                    }
                    *pending = Some(key);
                }
                Some(key) => {
                    items.insert(key, node);
                }
            },
        }
    }
    Ok(root.unwrap_or_else(|| Node::new(NodeKind::Null)))
}

fn wrap_tag(n: Node, tag: Option<String>) -> Node {
    match tag {
        Some(t) if !t.starts_with('!') => Node {
            line: n.line,
            col: n.col,
            kind: NodeKind::Tagged(t, Box::new(n)),
        },
        _ => n,
    }
}

fn scalar_node(
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
fn resolve_plain(v: &str) -> NodeKind {
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

// ---------------------------------------------------------------- paths

#[derive(Clone, Copy)]
enum Seg<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

#[derive(Clone, Copy)]
struct P<'a> {
    parent: Option<&'a P<'a>>,
    seg: Seg<'a>,
}

impl<'a> P<'a> {
    const ROOT: P<'static> = P {
        parent: None,
        seg: Seg::Root,
    };
    fn key(&'a self, k: &'a str) -> P<'a> {
        P {
            parent: Some(self),
            seg: Seg::Key(k),
        }
    }
    fn index(&'a self, i: usize) -> P<'a> {
        P {
            parent: Some(self),
            seg: Seg::Index(i),
        }
    }
    fn render(&self) -> String {
        let mut segs = Vec::new();
        let mut cur = Some(self);
        while let Some(p) = cur {
            match p.seg {
                Seg::Root => {}
                Seg::Key(k) => segs.push(k.to_owned()),
                Seg::Index(i) => segs.push(i.to_string()),
            }
            cur = p.parent;
        }
        segs.reverse();
        segs.join("/")
    }
}

fn err_at(node: &Node, path: &P<'_>, kind: ErrorKind) -> Error {
    let e = Error::at(path.render(), kind);
    if node.line > 0 {
        e.with_location(Location {
            file: None,
            line: node.line,
            column: node.col,
        })
    } else {
        e
    }
}

fn wrong_type(node: &Node, path: &P<'_>, expected: &str) -> Error {
    err_at(
        node,
        path,
        ErrorKind::WrongType {
            expected: expected.into(),
            found: node.describe(),
        },
    )
}

// ---------------------------------------------------------------- expressions

fn as_str<'n>(node: &'n Node, path: &P<'_>, what: &str) -> Result<&'n str> {
    match &node.kind {
        NodeKind::Str(s) => Ok(s),
        _ => Err(wrong_type(node, path, what)),
    }
}

static EMPTY_MAP: std::sync::OnceLock<NodeMap> = std::sync::OnceLock::new();

fn as_map<'n>(node: &'n Node, path: &P<'_>, what: &str) -> Result<&'n NodeMap> {
    match &node.kind {
        NodeKind::Map(m) => Ok(m),
        NodeKind::Null => Ok(EMPTY_MAP.get_or_init(NodeMap::new)),
        _ => Err(wrong_type(node, path, what)),
    }
}

fn long_name(tag: &str) -> String {
    match tag {
        "Ref" | "Condition" => tag.to_owned(),
        other => format!("Fn::{other}"),
    }
}

fn expr(node: &Node, path: &P<'_>) -> Result<Expr> {
    Ok(match &node.kind {
        NodeKind::Null => Expr::Null,
        NodeKind::Bool(b) => Expr::Bool(*b),
        NodeKind::Number(n) => Expr::Number(n.clone()),
        NodeKind::Str(s) => Expr::String(s.clone()),
        NodeKind::Seq(v) => Expr::List(
            v.iter()
                .enumerate()
                .map(|(i, n)| expr(n, &path.index(i)))
                .collect::<Result<_>>()?,
        ),
        NodeKind::Map(m) => {
            if let (1, Some((k, v))) = (m.len(), m.first()) {
                let is_fn = k == "Ref"
                    || k.starts_with("Fn::")
                    || (k == "Condition" && matches!(v.kind, NodeKind::Str(_)));
                if is_fn {
                    let p = path.key(k);
                    return intrinsic(k, v, node, &p).map(Expr::func);
                }
            }
            let mut out = ExprMap::with_capacity(m.len());
            for (k, v) in m {
                out.insert(k.clone(), expr(v, &path.key(k))?);
            }
            Expr::Map(out)
        }
        NodeKind::Tagged(tag, inner) => {
            let name = long_name(tag);
            if !INTRINSIC_NAMES.contains(&name.as_str()) {
                return Err(err_at(
                    node,
                    path,
                    ErrorKind::UnknownIntrinsic {
                        name: format!("!{tag}"),
                        hint: suggest(&name, INTRINSIC_NAMES.iter().copied())
                            .replace("`Fn::", "`!")
                            .replace("`Ref`", "`!Ref`"),
                    },
                ));
            }
            let p = path.key(&name);
            // `!GetAtt a.b` is the dotted string form
            return intrinsic(&name, inner, node, &p).map(Expr::func);
        }
    })
}

fn args<'n>(
    node: &'n Node,
    path: &P<'_>,
    f: &str,
    expected: &str,
    n: std::ops::RangeInclusive<usize>,
) -> Result<&'n [Node]> {
    match &node.kind {
        NodeKind::Seq(v) if n.contains(&v.len()) => Ok(v),
        _ => Err(err_at(
            node,
            path,
            ErrorKind::WrongArguments {
                function: f.to_owned(),
                expected: expected.to_owned(),
                found: node.describe(),
            },
        )),
    }
}

fn string_arg(node: &Node, path: &P<'_>, f: &str, expected: &str) -> Result<String> {
    match &node.kind {
        NodeKind::Str(s) => Ok(s.clone()),
        _ => Err(err_at(
            node,
            path,
            ErrorKind::WrongArguments {
                function: f.to_owned(),
                expected: expected.to_owned(),
                found: node.describe(),
            },
        )),
    }
}

fn intrinsic(name: &str, arg: &Node, whole: &Node, path: &P<'_>) -> Result<Intrinsic> {
    let e = |n: &Node, i: usize| expr(n, &path.index(i));
    let pair = |f: &str| -> Result<(Expr, Expr)> {
        let a = args(arg, path, f, "a list of 2 values", 2..=2)?;
        Ok((e(&a[0], 0)?, e(&a[1], 1)?))
    };
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
        // the macro runs first: the function's arguments come from it
        _ if transform_call(arg).is_some() => Intrinsic::Transformed {
            function: INTRINSIC_NAMES
                .iter()
                .find(|n| **n == name)
                .copied()
                .unwrap_or("Fn::Transform"),
            argument: expr(arg, path)?,
        },
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
        other => {
            return Err(err_at(
                whole,
                path,
                ErrorKind::UnknownIntrinsic {
                    name: other.to_owned(),
                    hint: suggest(other, INTRINSIC_NAMES.iter().copied()),
                },
            ))
        }
    })
}

/// The `Fn::Transform` argument when `arg` is a one-key map
/// `{Fn::Transform: ...}` (or the `!Transform` tag).
fn transform_call(arg: &Node) -> Option<&Node> {
    match &arg.kind {
        NodeKind::Map(m) if m.len() == 1 => m.get("Fn::Transform"),
        NodeKind::Tagged(t, inner) if t == "Transform" => Some(inner),
        _ => None,
    }
}

fn unknown_key(node: &Node, path: &P<'_>, key: &str, allowed: &[&str]) -> Error {
    err_at(
        node,
        path,
        ErrorKind::UnknownKey {
            key: key.to_owned(),
            hint: suggest(key, allowed.iter().copied()),
            allowed: allowed.join(", "),
        },
    )
}

fn key_node<'n>(m: &'n NodeMap, k: &str) -> Option<&'n Node> {
    m.get(k)
}

// ---------------------------------------------------------------- sections

const TOP_KEYS: &[&str] = &[
    "AWSTemplateFormatVersion",
    "Description",
    "Metadata",
    "Transform",
    "Parameters",
    "Rules",
    "Mappings",
    "Conditions",
    "Resources",
    "Outputs",
    "Hooks",
    "Globals",
];

/// Parses what it can: a problem in one entry (a resource, a parameter, an
/// output, ...) is recorded in `errors` and the next entry is read, so one
/// pass reports every entry that cannot be loaded.
/// Reads the template from its node tree, consuming it: each section's
/// nodes are dropped once converted, so the tree and the template are not
/// both whole in memory at once (a 100,000-resource template peaks near the
/// larger of the two, not their sum).
fn template_collecting(root: Node, errors: &mut Vec<Error>) -> Template {
    let path = P::ROOT;
    let mut t = Template::default();
    if !matches!(root.kind, NodeKind::Map(_)) {
        match &root.kind {
            NodeKind::Null => {
                errors.push(err_at(
                    &root,
                    &path,
                    ErrorKind::WrongType {
                        expected: "a template (a map with at least `Resources`)".into(),
                        found: "an empty document".into(),
                    },
                ));
                return t;
            }
            _ => {
                errors.push(wrong_type(
                    &root,
                    &path,
                    "a template (a map with at least `Resources`)",
                ));
                return t;
            }
        }
    }
    let root_at = Node {
        kind: NodeKind::Null,
        line: root.line,
        col: root.col,
    };
    let NodeKind::Map(m) = root.kind else {
        return t;
    };
    let mut seen_resources = false;
    for (k, v) in m {
        let p = path.key(&k);
        if k == "Resources" {
            seen_resources = true;
        }
        if let Err(e) = section(&mut t, &k, v, &p, errors) {
            errors.push(e);
        }
    }
    if !seen_resources {
        errors.push(err_at(
            &root_at,
            &path,
            ErrorKind::MissingKey {
                key: "Resources".into(),
                fix: "every template needs a `Resources` section with at least one resource".into(),
            },
        ));
    }
    t
}

/// Reads the entries of a map section with `f`, recording a failing entry
/// in `errors` and going on with the next.
fn entries<T>(
    v: Node,
    p: &P<'_>,
    what: &str,
    errors: &mut Vec<Error>,
    out: &mut IndexMap<LogicalId, T>,
    f: impl Fn(&Node, &P<'_>) -> Result<T>,
) -> Result<()> {
    as_map(&v, p, what)?;
    let NodeKind::Map(m) = v.kind else {
        return Ok(()); // null: no entries
    };
    // each entry's nodes are dropped as soon as it is converted
    for (id, n) in m {
        match f(&n, &p.key(&id)) {
            Ok(x) => {
                out.insert(LogicalId::unchecked(id.as_str()), x);
            }
            Err(e) => errors.push(e),
        }
    }
    Ok(())
}

/// One top-level section into `t`.
fn section(t: &mut Template, k: &str, v: Node, p: &P<'_>, errors: &mut Vec<Error>) -> Result<()> {
    match k {
        "Parameters" => {
            return entries(
                v,
                p,
                "a map of parameters",
                errors,
                &mut t.parameters,
                parameter,
            )
        }
        "Mappings" => return entries(v, p, "a map of mappings", errors, &mut t.mappings, mapping),
        "Conditions" => {
            return entries(v, p, "a map of conditions", errors, &mut t.conditions, expr)
        }
        "Rules" => return entries(v, p, "a map of rules", errors, &mut t.rules, rule),
        "Resources" => {
            return entries(
                v,
                p,
                "a map of resources",
                errors,
                &mut t.resources,
                resource,
            )
        }
        "Outputs" => return entries(v, p, "a map of outputs", errors, &mut t.outputs, output),
        _ => {}
    }
    let v = &v;
    match k {
        "AWSTemplateFormatVersion" => {
            let s = as_str(v, p, "the string \"2010-09-09\"")?;
            if s != crate::template::FORMAT_VERSION {
                return Err(err_at(v, p, ErrorKind::InvalidValue {
                    value: format!("{s:?}"),
                    reason: "the only template format version is \"2010-09-09\"; use it or remove the key".into(),
                }));
            }
            t.format_version = Some(s.to_owned());
        }
        "Description" => t.description = Some(as_str(v, p, "a string")?.to_owned()),
        "Metadata" => t.metadata = expr_map(v, p)?,
        "Transform" => t.transform = Some(expr(v, p)?),
        "Hooks" => t.hooks = expr_map(v, p)?,
        "Globals" => t.globals = expr_map(v, p)?,
        other => {
            let parent = P::ROOT;
            return Err(unknown_key(v, &parent.key(other), other, TOP_KEYS).with_location_of(v));
        }
    }
    Ok(())
}

fn mapping(n: &Node, mp: &P<'_>) -> Result<Mapping> {
    let mut mapping = Mapping::new();
    for (top, second) in as_map(n, mp, "a map of top-level keys")? {
        let tp = mp.key(top);
        let mut inner = indexmap::IndexMap::new();
        for (k2, val) in as_map(second, &tp, "a map of second-level keys")? {
            inner.insert(k2.clone(), expr(val, &tp.key(k2))?);
        }
        mapping.insert(top.clone(), inner);
    }
    Ok(mapping)
}

trait WithLocationOf {
    fn with_location_of(self, node: &Node) -> Self;
}

impl WithLocationOf for Error {
    fn with_location_of(self, node: &Node) -> Self {
        if node.line > 0 {
            self.with_location(Location {
                file: None,
                line: node.line,
                column: node.col,
            })
        } else {
            self
        }
    }
}

fn expr_map(node: &Node, path: &P<'_>) -> Result<ExprMap> {
    let mut out = ExprMap::new();
    for (k, v) in as_map(node, path, "a map")? {
        out.insert(k.clone(), expr(v, &path.key(k))?);
    }
    Ok(out)
}

const PARAMETER_KEYS: &[&str] = &[
    "Type",
    "Description",
    "Default",
    "AllowedValues",
    "AllowedPattern",
    "ConstraintDescription",
    "MinLength",
    "MaxLength",
    "MinValue",
    "MaxValue",
    "NoEcho",
];

fn parameter(node: &Node, path: &P<'_>) -> Result<Parameter> {
    let m = as_map(node, path, "a parameter declaration (a map with `Type`)")?;
    let ty_node = key_node(m, "Type").ok_or_else(|| {
        err_at(
            node,
            path,
            ErrorKind::MissingKey {
                key: "Type".into(),
                fix: "add `Type: String` (or Number, CommaDelimitedList, an AWS-specific type)"
                    .into(),
            },
        )
    })?;
    let tp = path.key("Type");
    let ty: ParameterType = as_str(ty_node, &tp, "a parameter type name")?
        .parse()
        .map_err(|e: Error| err_at(ty_node, &tp, e.kind().clone()))?;
    let mut p = Parameter::new(ty);
    for (k, v) in m {
        let kp = path.key(k);
        match k.as_str() {
            "Type" => {}
            "Description" => p.description = Some(as_str(v, &kp, "a string")?.to_owned()),
            "Default" => p.default = Some(expr(v, &kp)?),
            "AllowedValues" => match expr(v, &kp)? {
                Expr::List(l) => p.allowed_values = Some(l),
                _ => return Err(wrong_type(v, &kp, "a list of values")),
            },
            "AllowedPattern" => {
                p.allowed_pattern = Some(as_str(v, &kp, "a regular expression string")?.to_owned())
            }
            "ConstraintDescription" => {
                p.constraint_description = Some(as_str(v, &kp, "a string")?.to_owned())
            }
            "MinLength" => p.min_length = Some(expr(v, &kp)?),
            "MaxLength" => p.max_length = Some(expr(v, &kp)?),
            "MinValue" => p.min_value = Some(expr(v, &kp)?),
            "MaxValue" => p.max_value = Some(expr(v, &kp)?),
            "NoEcho" => p.no_echo = Some(expr(v, &kp)?),
            other => return Err(unknown_key(v, &kp, other, PARAMETER_KEYS)),
        }
    }
    Ok(p)
}

const RESOURCE_KEYS: &[&str] = &[
    "Type",
    "Properties",
    "DependsOn",
    "Condition",
    "DeletionPolicy",
    "UpdateReplacePolicy",
    "UpdatePolicy",
    "CreationPolicy",
    "Metadata",
    "Version",
    "IgnoreGlobals",
];

fn resource(node: &Node, path: &P<'_>) -> Result<Resource> {
    let m = as_map(node, path, "a resource declaration (a map with `Type`)")?;
    let ty_node = key_node(m, "Type").ok_or_else(|| {
        err_at(
            node,
            path,
            ErrorKind::MissingKey {
                key: "Type".into(),
                fix: "add the resource type, for example `Type: AWS::S3::Bucket`".into(),
            },
        )
    })?;
    let mut r = Resource::new(as_str(ty_node, &path.key("Type"), "a resource type name")?);
    for (k, v) in m {
        let kp = path.key(k);
        match k.as_str() {
            "Type" => {}
            "Properties" => r.properties = Some(expr_map(v, &kp)?),
            "DependsOn" => {
                r.depends_on = Some(match &v.kind {
                    NodeKind::Str(s) => DependsOn {
                        targets: vec![s.clone()],
                        list_form: false,
                    },
                    NodeKind::Seq(items) => DependsOn {
                        targets: items
                            .iter()
                            .enumerate()
                            .map(|(i, n)| {
                                as_str(n, &kp.index(i), "a resource logical id").map(str::to_owned)
                            })
                            .collect::<Result<_>>()?,
                        list_form: true,
                    },
                    _ => return Err(wrong_type(v, &kp, "a logical id or a list of them")),
                })
            }
            "Condition" => r.condition = Some(as_str(v, &kp, "a condition name")?.to_owned()),
            "DeletionPolicy" => r.deletion_policy = Some(expr(v, &kp)?),
            "UpdateReplacePolicy" => r.update_replace_policy = Some(expr(v, &kp)?),
            "UpdatePolicy" => r.update_policy = Some(expr(v, &kp)?),
            "CreationPolicy" => r.creation_policy = Some(expr(v, &kp)?),
            "Metadata" => r.metadata = Some(expr(v, &kp)?),
            // CloudFormation accepts `Version` on custom resources only
            "Version" if r.is_custom() => r.version = Some(expr(v, &kp)?),
            // SAM's own resource attribute
            "IgnoreGlobals" if r.type_name.starts_with("AWS::Serverless::") => {
                r.ignore_globals = Some(expr(v, &kp)?)
            }
            other => {
                // `Version` and `IgnoreGlobals` are named only where they apply
                let allowed = &RESOURCE_KEYS[..RESOURCE_KEYS.len() - 2];
                return Err(unknown_key(v, &kp, other, allowed));
            }
        }
    }
    Ok(r)
}

fn output(node: &Node, path: &P<'_>) -> Result<Output> {
    let m = as_map(node, path, "an output declaration (a map with `Value`)")?;
    let value = key_node(m, "Value").ok_or_else(|| {
        err_at(
            node,
            path,
            ErrorKind::MissingKey {
                key: "Value".into(),
                fix: "add the value to output, for example `Value: !Ref Bucket`".into(),
            },
        )
    })?;
    let mut o = Output {
        value: expr(value, &path.key("Value"))?,
        description: None,
        export: None,
        condition: None,
    };
    for (k, v) in m {
        let kp = path.key(k);
        match k.as_str() {
            "Value" => {}
            "Description" => o.description = Some(as_str(v, &kp, "a string")?.to_owned()),
            "Condition" => o.condition = Some(as_str(v, &kp, "a condition name")?.to_owned()),
            "Export" => {
                let em = as_map(v, &kp, "{Name: export name}")?;
                match (em.len(), em.first()) {
                    (1, Some((nk, nv))) if nk == "Name" => o.export = Some(expr(nv, &kp.key(nk))?),
                    _ => {
                        return Err(err_at(
                            v,
                            &kp,
                            ErrorKind::MissingKey {
                                key: "Name".into(),
                                fix: "write the export as `Export: {Name: ...}` with no other keys"
                                    .into(),
                            },
                        ))
                    }
                }
            }
            other => {
                return Err(unknown_key(
                    v,
                    &kp,
                    other,
                    &["Value", "Description", "Export", "Condition"],
                ))
            }
        }
    }
    Ok(o)
}

fn rule(node: &Node, path: &P<'_>) -> Result<Rule> {
    let m = as_map(node, path, "a rule (a map with `Assertions`)")?;
    let mut r = Rule::default();
    for (k, v) in m {
        let kp = path.key(k);
        match k.as_str() {
            "RuleCondition" => r.condition = Some(expr(v, &kp)?),
            "Assertions" => {
                let items = match &v.kind {
                    NodeKind::Seq(items) => items,
                    _ => return Err(wrong_type(v, &kp, "a list of assertions")),
                };
                for (i, a) in items.iter().enumerate() {
                    let ap = kp.index(i);
                    let am = as_map(a, &ap, "{Assert: condition, AssertDescription: text}")?;
                    let mut assert = None;
                    let mut description = None;
                    for (ak, av) in am {
                        match ak.as_str() {
                            "Assert" => assert = Some(expr(av, &ap.key(ak))?),
                            "AssertDescription" => {
                                description = Some(as_str(av, &ap.key(ak), "a string")?.to_owned())
                            }
                            other => {
                                return Err(unknown_key(
                                    av,
                                    &ap.key(other),
                                    other,
                                    &["Assert", "AssertDescription"],
                                ))
                            }
                        }
                    }
                    r.assertions.push(Assertion {
                        assert: assert.ok_or_else(|| {
                            err_at(
                                a,
                                &ap,
                                ErrorKind::MissingKey {
                                    key: "Assert".into(),
                                    fix: "each assertion needs an `Assert` condition".into(),
                                },
                            )
                        })?,
                        description,
                    });
                }
            }
            other => return Err(unknown_key(v, &kp, other, &["RuleCondition", "Assertions"])),
        }
    }
    Ok(r)
}

// ---------------------------------------------------------------- public API

/// Finds the source position of a template path (`Resources/A/Properties`)
/// in JSON or YAML text, for error messages about parsed templates. When the
/// whole path is not in the source (a short-form tag, a default), the
/// position of the deepest part that is comes back.
pub fn locate(src: &str, path: &str) -> Option<Location> {
    SourceMap::new(src)?.locate(path)
}

/// A parsed source kept for locating many template paths in it.
///
/// ```
/// use cfn_core::parse::SourceMap;
/// let src = "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      X: !Ref Nope\n";
/// let map = SourceMap::new(src).unwrap();
/// let loc = map.locate("Resources/A/Properties/X/Ref").unwrap();
/// assert_eq!((loc.line, loc.column), (5, 10));
/// ```
#[derive(Debug, Clone)]
pub struct SourceMap {
    inner: Positions,
}

#[derive(Debug, Clone)]
enum Positions {
    /// A JSON document: positions by path hash, no tree.
    Json(json_index::JsonIndex),
    /// YAML: the node tree with positions.
    Tree(Node),
}

impl SourceMap {
    /// Parses `src` (JSON or YAML); `None` when it does not parse.
    pub fn new(src: &str) -> Option<Self> {
        if detect_format(src) == Format::Json {
            if let Some(index) = json_index::JsonIndex::build(src) {
                return Some(SourceMap {
                    inner: Positions::Json(index),
                });
            }
        }
        yaml_node(src).ok().map(|root| SourceMap {
            inner: Positions::Tree(root),
        })
    }

    /// The position of `path`, or of its deepest part present in the source.
    pub fn locate(&self, path: &str) -> Option<Location> {
        let (line, column) = match &self.inner {
            Positions::Json(index) => {
                let mut h = json_index::ROOT;
                let mut best = index.get(h);
                if !path.is_empty() {
                    for seg in path.split('/') {
                        h = json_index::child(h, seg.as_bytes());
                        match index.get(h) {
                            Some(p) => best = Some(p),
                            None => break,
                        }
                    }
                }
                best?
            }
            Positions::Tree(root) => tree_locate(root, path)?,
        };
        Some(Location {
            file: None,
            line,
            column,
        })
    }
}

fn tree_locate(root: &Node, path: &str) -> Option<(usize, usize)> {
    let mut cur = root;
    let mut best = (cur.line > 0).then_some(cur);
    if !path.is_empty() {
        for seg in path.split('/') {
            let next = match &cur.kind {
                NodeKind::Map(m) => key_node(m, seg),
                NodeKind::Seq(v) => seg.parse::<usize>().ok().and_then(|i| v.get(i)),
                NodeKind::Tagged(tag, inner) if long_name(tag) == seg => Some(&**inner),
                NodeKind::Tagged(_, inner) => match &inner.kind {
                    NodeKind::Map(m) => key_node(m, seg),
                    NodeKind::Seq(v) => seg.parse::<usize>().ok().and_then(|i| v.get(i)),
                    _ => None,
                },
                _ => None,
            };
            match next {
                Some(n) => {
                    cur = n;
                    if n.line > 0 {
                        best = Some(n);
                    }
                }
                None => break,
            }
        }
    }
    best.map(|n| (n.line, n.col))
}

fn finish(mut e: Error, src: &str, file: Option<&str>) -> Error {
    if e.location().is_none() {
        if let Some(loc) = e.path().and_then(|p| locate(src, p)) {
            e = e.with_location(loc);
        }
    }
    if let Some(f) = file {
        e.set_file(f);
    }
    e
}

/// The format of a template file: from its extension (`.json`, `.yaml`,
/// `.yml`), else from its content ([`detect_format`]).
pub fn format_for_path(path: &std::path::Path, src: &str) -> Format {
    match path.extension().and_then(|e| e.to_str()) {
        Some("json") => Format::Json,
        Some("yaml") | Some("yml") => Format::Yaml,
        _ => detect_format(src),
    }
}

/// Guesses the format of a template text: JSON if it starts with `{`.
pub fn detect_format(src: &str) -> Format {
    if src.trim_start().starts_with('{') {
        Format::Json
    } else {
        Format::Yaml
    }
}

impl Template {
    /// Parses a JSON template.
    ///
    /// ```
    /// use cfn_core::Template;
    /// let t = Template::from_json(r#"{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}"#).unwrap();
    /// assert_eq!(t.resources.len(), 1);
    /// let e = Template::from_json("{\n  \"Resources\": {\"B\": {\"Type\": \"AWS::S3::Bucket\",\n \"Propertis\": {}}}}").unwrap_err();
    /// assert_eq!(e.location().unwrap().line, 3);
    /// assert!(e.to_string().contains("did you mean `Properties`?"));
    /// ```
    pub fn from_json(src: &str) -> Result<Template> {
        Self::parse_str(src, Format::Json, None)
    }

    /// Parses a YAML template, short-form tags (`!Ref`, `!GetAtt a.b`,
    /// `!Sub`, ...) included.
    ///
    /// ```
    /// use cfn_core::{Template, Expr, Intrinsic};
    /// let t = Template::from_yaml("Resources:\n  B:\n    Type: AWS::S3::Bucket\nOutputs:\n  A:\n    Value: !GetAtt B.Arn\n").unwrap();
    /// let out = &t.outputs["A"];
    /// assert!(matches!(out.value.as_intrinsic(), Some(Intrinsic::GetAtt { .. })));
    /// ```
    pub fn from_yaml(src: &str) -> Result<Template> {
        Self::parse_str(src, Format::Yaml, None)
    }

    /// Parses a template in `format`; `file` names the source in errors.
    ///
    /// Templates that declare `AWS::LanguageExtensions` are expanded as
    /// CloudFormation will expand them (`Fn::ForEach` loops become their
    /// copies), as cfn-lint does; rendering such a template writes the
    /// expanded form. [`Template::parse_all`] reports every problem.
    pub fn parse_str(src: &str, format: Format, file: Option<&str>) -> Result<Template> {
        Self::parse_all(src, format, file).map_err(|mut v| v.swap_remove(0))
    }

    /// Parses a template in `format`, reporting every entry that cannot be
    /// loaded (each with file, line, column and template path), not only
    /// the first. A syntax error of the document itself is one error.
    ///
    /// ```
    /// use cfn_core::{Format, Template};
    /// let src = "Resources:\n  A: {Type: AWS::SNS::Topic, Propertis: {}}\n  B: {Typ: AWS::SNS::Topic}\n";
    /// let errors = Template::parse_all(src, Format::Yaml, Some("t.yaml")).unwrap_err();
    /// assert_eq!(errors.len(), 2);
    /// assert!(errors[1].to_string().starts_with("t.yaml:3:"));
    /// ```
    pub fn parse_all(
        src: &str,
        format: Format,
        file: Option<&str>,
    ) -> std::result::Result<Template, Vec<Error>> {
        let node = match format {
            Format::Json | Format::JsonCompact => json_node(src),
            Format::Yaml => yaml_node(src),
        }
        .map_err(|e| vec![finish(e, src, file)])?;
        let node = if langext::declared(&node) {
            langext::expand(&node).map_err(|e| vec![finish(e, src, file)])?
        } else {
            node
        };
        let mut errors = Vec::new();
        let t = template_collecting(node, &mut errors);
        if errors.is_empty() {
            Ok(t)
        } else {
            Err(errors.into_iter().map(|e| finish(e, src, file)).collect())
        }
    }

    /// Reads and parses a template file; the format comes from the
    /// extension (`.json`, `.yaml`, `.yml`, `.template`) or the content.
    pub fn from_path(path: impl AsRef<std::path::Path>) -> Result<Template> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let src = std::fs::read_to_string(path).map_err(|e| {
            Error::new(ErrorKind::Io {
                action: "read".into(),
                path: name.clone(),
                message: e.to_string(),
            })
        })?;
        Self::parse_str(&src, format_for_path(path, &src), Some(&name))
    }
}

/// Parses a JSON value into an expression, recognising intrinsic functions
/// (`{"Ref": "X"}`, `{"Fn::Sub": "..."}`).
///
/// ```
/// use cfn_core::{parse::expr_from_json, Expr, Intrinsic};
/// let e = expr_from_json(serde_json::json!({"Ref": "AWS::Region"})).unwrap();
/// assert_eq!(e, Expr::func(Intrinsic::Ref("AWS::Region".into())));
/// ```
pub fn expr_from_json(v: serde_json::Value) -> Result<Expr> {
    let node = node_from_json(v);
    expr(&node, &P::ROOT)
}

/// Like [`expr_from_json`], but keeps malformed intrinsics as plain maps
/// instead of failing.
pub fn expr_from_json_lossy(v: serde_json::Value) -> Expr {
    let node = node_from_json(v.clone());
    expr(&node, &P::ROOT).unwrap_or_else(|_| Expr::from_json_literal(v))
}

fn node_from_json(v: serde_json::Value) -> Node {
    Node::new(match v {
        serde_json::Value::Null => NodeKind::Null,
        serde_json::Value::Bool(b) => NodeKind::Bool(b),
        serde_json::Value::Number(n) => NodeKind::Number(n),
        serde_json::Value::String(s) => NodeKind::Str(s),
        serde_json::Value::Array(a) => NodeKind::Seq(a.into_iter().map(node_from_json).collect()),
        serde_json::Value::Object(o) => {
            NodeKind::Map(o.into_iter().map(|(k, v)| (k, node_from_json(v))).collect())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(v: &str) -> NodeKind {
        resolve_plain(v)
    }

    #[test]
    fn yaml_11_scalar_resolution() {
        assert_eq!(plain("on"), NodeKind::Bool(true));
        assert_eq!(plain("No"), NodeKind::Bool(false));
        assert_eq!(plain("0777"), NodeKind::Number(511.into()));
        assert_eq!(plain("12:30"), NodeKind::Number(750.into()));
        assert_eq!(plain("0x1F"), NodeKind::Number(31.into()));
        assert_eq!(plain("-42"), NodeKind::Number((-42).into()));
        assert_eq!(
            plain("1.5"),
            NodeKind::Number(serde_json::Number::from_f64(1.5).unwrap())
        );
        assert_eq!(plain("1e3"), NodeKind::Str("1e3".into()));
        assert_eq!(plain("2010-09-09"), NodeKind::Str("2010-09-09".into()));
        assert_eq!(plain("~"), NodeKind::Null);
        assert_eq!(plain("-"), NodeKind::Str("-".into()));
        assert_eq!(plain("1.2.3"), NodeKind::Str("1.2.3".into()));
        assert_eq!(plain("12:70"), NodeKind::Str("12:70".into()));
        assert_eq!(
            plain("99999999999999999999999"),
            NodeKind::Str("99999999999999999999999".into())
        );
    }

    #[test]
    fn yaml_positions_and_duplicates() {
        let e = yaml_node("a: 1\nb:\n  c: 2\n  c: 3\n").unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::DuplicateKey { key } if key == "c"));
        assert_eq!(e.location().unwrap().line, 4);
        let loc = locate("a: 1\nb:\n  - x\n  - y\n", "b/1").unwrap();
        assert_eq!((loc.line, loc.column), (4, 5));
    }

    #[test]
    fn json_duplicate_keys_are_errors() {
        let e = json_node("{\"a\": 1,\n \"a\": 2}").unwrap_err();
        assert!(
            matches!(e.kind(), ErrorKind::DuplicateKey { key } if key == "a"),
            "{e}"
        );
        assert_eq!(e.location().unwrap().line, 2);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let e = yaml_node(&deep).unwrap_err().to_string();
        assert!(
            e.contains("recursion limit") || e.contains("nesting deeper"),
            "{e}"
        );
        let block: String = (0..300)
            .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
            .collect();
        let e = yaml_node(&block).unwrap_err().to_string();
        assert!(
            e.contains("recursion limit") || e.contains("nesting deeper"),
            "{e}"
        );
        let e = json_node(&deep).unwrap_err();
        assert!(e.to_string().contains("recursion limit"), "{e}");
    }

    #[test]
    fn anchors_and_aliases_expand() {
        let n = yaml_node("a: &x [1, 2]\nb: *x\n").unwrap();
        let NodeKind::Map(m) = n.kind else { panic!() };
        assert_eq!(m.get("a").unwrap().kind, m.get("b").unwrap().kind);
    }
}

//! Locating template paths in the source text, for error messages.

use super::exprs::{key_node, long_name};
use super::format::detect_format;
use super::json_index;
use super::nodes::{Node, NodeKind};
use super::yaml::yaml_node;
use crate::error::Location;
use crate::render::Format;

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

pub(super) fn tree_locate(root: &Node, path: &str) -> Option<(usize, usize)> {
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

//! Template paths (`Resources/A/Properties`) while reading, and errors
//! placed at a node and path.

use super::nodes::Node;
use crate::error::{Error, ErrorKind, Location};

#[derive(Clone, Copy)]
enum Seg<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

#[derive(Clone, Copy)]
pub(super) struct P<'a> {
    parent: Option<&'a P<'a>>,
    seg: Seg<'a>,
}

impl<'a> P<'a> {
    pub(super) const ROOT: P<'static> = P {
        parent: None,
        seg: Seg::Root,
    };
    pub(super) fn key(&'a self, k: &'a str) -> P<'a> {
        P {
            parent: Some(self),
            seg: Seg::Key(k),
        }
    }
    pub(super) fn index(&'a self, i: usize) -> P<'a> {
        P {
            parent: Some(self),
            seg: Seg::Index(i),
        }
    }
    pub(super) fn render(&self) -> String {
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

pub(super) fn err_at(node: &Node, path: &P<'_>, kind: ErrorKind) -> Error {
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

pub(super) fn wrong_type(node: &Node, path: &P<'_>, expected: &str) -> Error {
    err_at(
        node,
        path,
        ErrorKind::WrongType {
            expected: expected.into(),
            found: node.describe(),
        },
    )
}

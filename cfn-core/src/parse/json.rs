//! JSON input: a serde visitor building the node tree, refusing
//! duplicate keys.

use super::nodes::{Node, NodeKind, NodeMap};
use crate::error::{Error, ErrorKind, Location, Result};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

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

pub(super) fn json_node(src: &str) -> Result<Node> {
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
pub(super) fn node_from_json(v: serde_json::Value) -> Node {
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

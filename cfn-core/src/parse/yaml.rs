//! YAML input: the event stream into the node tree, with short-form
//! tags, anchors and aliases, and a depth limit.

use super::nodes::{Node, NodeKind, NodeMap};
use super::scalars::scalar_node;
use crate::error::{Error, ErrorKind, Location, Result};
use saphyr_parser::{Event, Parser};
use std::collections::HashMap;

pub(super) enum Frame {
    Seq(Vec<Node>, Node, Option<String>, usize),
    Map(NodeMap, Option<String>, Node, Option<String>, usize),
}

pub(super) fn yaml_error(line: usize, col: usize, message: String) -> Error {
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

pub(super) fn yaml_node(src: &str) -> Result<Node> {
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
                    pos.kind = NodeKind::Map(items.done());
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
                    if items.has(&key) {
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
                    items.push_new(key, node);
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

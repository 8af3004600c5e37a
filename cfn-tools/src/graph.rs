//! The dependency graph as a picture: Graphviz DOT and Mermaid, clustered by
//! service or by tier, so a reader can look at the architecture.

use cfn_core::graph::{DependencyGraph, RefKind};
use cfn_core::Template;
use indexmap::IndexMap;

/// How resources are grouped into boxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clustering {
    /// No boxes.
    None,
    /// One box per service (`EC2`, `S3`, ...).
    Service,
    /// One box per tier, read from the `Tier` tag (or `raven:tier`) of each
    /// resource; untagged resources go to `shared`.
    Tier,
}

fn service(type_name: &str) -> &str {
    type_name.split("::").nth(1).unwrap_or(type_name)
}

fn tier(t: &Template, id: &str) -> String {
    let r = &t.resources[id];
    let tags = r.properties.as_ref().and_then(|p| p.get("Tags"));
    if let Some(cfn_core::Expr::List(items)) = tags {
        for item in items {
            if let cfn_core::Expr::Map(m) = item {
                let key = m.get("Key").and_then(|k| k.as_str());
                if matches!(key, Some("Tier") | Some("raven:tier")) {
                    if let Some(v) = m.get("Value").and_then(|v| v.as_str()) {
                        return v.to_owned();
                    }
                }
            }
        }
    }
    "shared".to_owned()
}

fn groups(t: &Template, clustering: Clustering) -> IndexMap<String, Vec<String>> {
    let mut groups: IndexMap<String, Vec<String>> = IndexMap::new();
    for (id, r) in &t.resources {
        let key = match clustering {
            Clustering::None => String::new(),
            Clustering::Service => service(&r.type_name).to_owned(),
            Clustering::Tier => tier(t, id.as_str()),
        };
        groups.entry(key).or_default().push(id.as_str().to_owned());
    }
    groups
}

/// Each (from, to, is DependsOn) edge once, in first-seen order.
fn distinct_edges(g: &DependencyGraph) -> Vec<(&str, &str, bool)> {
    let mut seen = std::collections::BTreeSet::new();
    g.edges()
        .iter()
        .map(|e| (e.from.as_str(), e.to.as_str(), e.kind == RefKind::DependsOn))
        .filter(|edge| seen.insert(*edge))
        .collect()
}

fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Renders the graph as Graphviz DOT (`dot -Tsvg graph.dot > graph.svg`).
/// Edges point from a resource to what it depends on; `DependsOn` edges are
/// dashed.
///
/// ```
/// use cfn_core::{Raw, Template};
/// use cfn_tools::graph::{to_dot, Clustering};
/// let mut t = Template::new();
/// let vpc = t.add("Vpc", Raw::new("AWS::EC2::VPC")).unwrap();
/// t.add("Subnet", Raw::new("AWS::EC2::Subnet").property("VpcId", vpc.reference().into_json())).unwrap();
/// let dot = to_dot(&t, Clustering::Service);
/// assert!(dot.contains("\"Subnet\" -> \"Vpc\""));
/// ```
pub fn to_dot(t: &Template, clustering: Clustering) -> String {
    let g = DependencyGraph::of(t);
    let mut out = String::from("digraph template {\n  rankdir=LR;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n");
    for (i, (name, ids)) in groups(t, clustering).iter().enumerate() {
        let indent = if clustering == Clustering::None {
            "  "
        } else {
            "    "
        };
        if clustering != Clustering::None {
            out.push_str(&format!(
                "  subgraph cluster_{i} {{\n    label=\"{}\";\n    style=dashed;\n",
                dot_escape(name)
            ));
        }
        for id in ids {
            out.push_str(&format!(
                "{indent}\"{}\" [label=\"{}\\n{}\"];\n",
                dot_escape(id),
                dot_escape(id),
                dot_escape(&t.resources[id.as_str()].type_name)
            ));
        }
        if clustering != Clustering::None {
            out.push_str("  }\n");
        }
    }
    for (from, to, dashed) in distinct_edges(&g) {
        let style = if dashed { " [style=dashed]" } else { "" };
        out.push_str(&format!(
            "  \"{}\" -> \"{}\"{style};\n",
            dot_escape(from),
            dot_escape(to)
        ));
    }
    out.push_str("}\n");
    out
}

fn mermaid_id(id: &str) -> String {
    // logical ids are alphanumeric; parsed templates may hold others
    id.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

fn mermaid_label(s: &str) -> String {
    s.replace('"', "#quot;")
}

/// Renders the graph as a Mermaid flowchart (GitHub renders it in Markdown).
///
/// ```
/// use cfn_core::{Raw, Template};
/// use cfn_tools::graph::{to_mermaid, Clustering};
/// let mut t = Template::new();
/// let key = t.add("Key", Raw::new("AWS::KMS::Key")).unwrap();
/// t.add("Topic", Raw::new("AWS::SNS::Topic").property("KmsMasterKeyId", key.reference().into_json())).unwrap();
/// assert!(to_mermaid(&t, Clustering::None).contains("Topic --> Key"));
/// ```
pub fn to_mermaid(t: &Template, clustering: Clustering) -> String {
    let g = DependencyGraph::of(t);
    let mut out = String::from("flowchart LR\n");
    for (i, (name, ids)) in groups(t, clustering).iter().enumerate() {
        let indent = if clustering == Clustering::None {
            "  "
        } else {
            "    "
        };
        if clustering != Clustering::None {
            out.push_str(&format!("  subgraph g{i}[\"{}\"]\n", mermaid_label(name)));
        }
        for id in ids {
            out.push_str(&format!(
                "{indent}{}[\"{}<br/><small>{}</small>\"]\n",
                mermaid_id(id),
                mermaid_label(id),
                mermaid_label(&t.resources[id.as_str()].type_name)
            ));
        }
        if clustering != Clustering::None {
            out.push_str("  end\n");
        }
    }
    for (from, to, dashed) in distinct_edges(&g) {
        let arrow = if dashed { "-.->" } else { "-->" };
        out.push_str(&format!(
            "  {} {arrow} {}\n",
            mermaid_id(from),
            mermaid_id(to)
        ));
    }
    out
}

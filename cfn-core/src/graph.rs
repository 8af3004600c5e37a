//! References and the resource dependency graph.
//!
//! Dependencies are inferred from every `Ref`, `Fn::GetAtt` and `${...}`
//! placeholder of `Fn::Sub`, plus explicit `DependsOn`.

use crate::expr::{sub_parts, Expr, Intrinsic, SubPart};
use crate::pseudo::is_pseudo;
use crate::template::Template;
use indexmap::{IndexMap, IndexSet};

/// How one template element refers to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RefKind {
    /// `Ref`.
    Ref,
    /// `Fn::GetAtt`.
    GetAtt,
    /// A `${Name}` or `${Name.Attr}` placeholder of `Fn::Sub`.
    Sub,
    /// `DependsOn`.
    DependsOn,
    /// `Fn::If` or `Condition` naming a condition.
    Condition,
    /// `Fn::FindInMap` naming a mapping.
    FindInMap,
}

impl RefKind {
    /// How the reference is written (`Ref`, `Fn::GetAtt`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            RefKind::Ref => "Ref",
            RefKind::GetAtt => "Fn::GetAtt",
            RefKind::Sub => "Fn::Sub",
            RefKind::DependsOn => "DependsOn",
            RefKind::Condition => "Fn::If",
            RefKind::FindInMap => "Fn::FindInMap",
        }
    }
}

/// One reference found in an expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// How it refers.
    pub kind: RefKind,
    /// The name referred to (a logical ID, pseudo parameter, condition or mapping).
    pub target: String,
    /// The attribute, for `Fn::GetAtt` and `${X.Attr}`.
    pub attribute: Option<String>,
    /// For `Fn::FindInMap`: the literal keys, when both are literals.
    pub keys: Option<(String, String)>,
    /// The path of the intrinsic, relative to the walked expression.
    pub path: String,
}

/// Collects every reference inside `e`. `base` is the template path of `e`.
///
/// ```
/// use cfn_core::{graph::references, fns, Expr};
/// let e: Expr = fns::sub("${Bucket.Arn}/*").into();
/// let refs = references(&e, "Outputs/A/Value");
/// assert_eq!(refs[0].target, "Bucket");
/// assert_eq!(refs[0].attribute.as_deref(), Some("Arn"));
/// ```
pub fn references(e: &Expr, base: &str) -> Vec<Reference> {
    let mut out = Vec::new();
    let mut path = base.to_owned();
    collect(e, &mut path, &mut out);
    out
}

fn push_seg(path: &mut String, seg: &str) -> usize {
    let len = path.len();
    if !path.is_empty() {
        path.push('/');
    }
    path.push_str(seg);
    len
}

fn collect(e: &Expr, path: &mut String, out: &mut Vec<Reference>) {
    match e {
        Expr::List(v) => {
            for (i, x) in v.iter().enumerate() {
                let len = push_seg(path, &i.to_string());
                collect(x, path, out);
                path.truncate(len);
            }
        }
        Expr::Map(m) => {
            for (k, x) in m {
                let len = push_seg(path, k);
                collect(x, path, out);
                path.truncate(len);
            }
        }
        Expr::Fn(f) => {
            let len = push_seg(path, f.name());
            let mk = |kind, target: &str, attribute: Option<String>| Reference {
                kind,
                target: target.to_owned(),
                attribute,
                keys: None,
                path: path.clone(),
            };
            match &**f {
                Intrinsic::Ref(t) => out.push(mk(RefKind::Ref, t, None)),
                Intrinsic::GetAtt {
                    resource,
                    attribute,
                } => out.push(mk(
                    RefKind::GetAtt,
                    resource,
                    Some(match attribute {
                        Expr::String(s) => s.clone(),
                        other => serde_json::to_string(other).unwrap_or_default(),
                    }),
                )),
                Intrinsic::Sub { template, vars } => {
                    for part in sub_parts(template) {
                        if let SubPart::Var(v) = part {
                            let (name, attr) = match v.split_once('.') {
                                Some((n, a)) => (n, Some(a.to_owned())),
                                None => (v, None),
                            };
                            if vars.as_ref().is_some_and(|m| m.contains_key(v)) {
                                continue;
                            }
                            out.push(mk(RefKind::Sub, name, attr));
                        }
                    }
                }
                Intrinsic::If { condition, .. } | Intrinsic::Condition(condition) => {
                    out.push(mk(RefKind::Condition, condition, None))
                }
                Intrinsic::FindInMap {
                    map: Expr::String(m),
                    top_key,
                    second_key,
                    default,
                } => {
                    let mut r = mk(RefKind::FindInMap, m, None);
                    // with a `DefaultValue`, a missing key is not an error
                    if let (Expr::String(a), Expr::String(b), None) = (top_key, second_key, default)
                    {
                        r.keys = Some((a.clone(), b.clone()));
                    }
                    out.push(r);
                }
                _ => {}
            }
            for child in f.children() {
                collect(child, path, out);
            }
            path.truncate(len);
        }
        _ => {}
    }
}

/// An edge of the dependency graph: `from` needs `to` to exist first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    /// The dependent resource.
    pub from: String,
    /// The resource depended on.
    pub to: String,
    /// How the dependency arises.
    pub kind: RefKind,
}

/// The dependency graph between the resources of a template.
///
/// ```
/// use cfn_core::{Template, Raw, Declared, graph::DependencyGraph};
/// let mut t = Template::new();
/// let a = t.add("A", Raw::new("AWS::SNS::Topic")).unwrap();
/// t.add("B", Raw::new("AWS::SNS::Subscription").property("TopicArn", a.reference().into_json())).unwrap();
/// let g = DependencyGraph::of(&t);
/// assert_eq!(g.dependencies("B").collect::<Vec<_>>(), vec!["A"]);
/// assert_eq!(g.topological_order().unwrap(), vec!["A", "B"]);
/// ```
#[derive(Debug, Clone, Default)]
pub struct DependencyGraph {
    nodes: IndexSet<String>,
    edges: Vec<Edge>,
    /// By node index: the distinct nodes it depends on, in first-reference
    /// order (indices, not names: for 100,000 resources a map of name sets
    /// took about 30 MiB).
    out: Vec<Vec<usize>>,
}

impl DependencyGraph {
    /// Builds the graph of `t`'s resources. References to things that are
    /// not resources (parameters, pseudo parameters, missing names) are not
    /// edges.
    pub fn of(t: &Template) -> Self {
        let mut g = DependencyGraph::default();
        g.nodes.reserve(t.resources.len());
        for id in t.resources.keys() {
            g.nodes.insert(id.as_str().to_owned());
        }
        g.out = vec![Vec::new(); g.nodes.len()];
        for (id, r) in &t.resources {
            let from = id.as_str();
            let Some(i) = g.nodes.get_index_of(from) else {
                continue;
            };
            let mut add = |to: &str, kind: RefKind| {
                if let Some(j) = g.nodes.get_index_of(to) {
                    g.edges.push(Edge {
                        from: from.to_owned(),
                        to: to.to_owned(),
                        kind,
                    });
                    if !g.out[i].contains(&j) {
                        g.out[i].push(j);
                    }
                }
            };
            if let Some(d) = &r.depends_on {
                for target in &d.targets {
                    add(target, RefKind::DependsOn);
                }
            }
            let exprs = r
                .properties
                .iter()
                .flat_map(|m| m.iter())
                .filter(|(k, _)| !moved_by_sam(&r.type_name, k.as_str()))
                .map(|(_, v)| v)
                .chain(r.metadata.as_deref())
                .chain(r.update_policy.as_deref())
                .chain(r.creation_policy.as_deref())
                .chain(r.deletion_policy.as_deref())
                .chain(r.update_replace_policy.as_deref());
            for e in exprs {
                for reference in references(e, "") {
                    match reference.kind {
                        RefKind::Ref | RefKind::GetAtt | RefKind::Sub
                            if !is_pseudo(&reference.target) =>
                        {
                            add(&reference.target, reference.kind)
                        }
                        _ => {}
                    }
                }
            }
        }
        g
    }

    /// The resources, in template order.
    pub fn nodes(&self) -> impl Iterator<Item = &str> {
        self.nodes.iter().map(String::as_str)
    }

    /// Every edge, with how it arises (one per reference).
    pub fn edges(&self) -> &[Edge] {
        &self.edges
    }

    /// The distinct resources `id` depends on, in first-reference order.
    pub fn dependencies<'a>(&'a self, id: &str) -> impl Iterator<Item = &'a str> + 'a {
        self.nodes
            .get_index_of(id)
            .into_iter()
            .flat_map(|i| self.out[i].iter().map(|&j| self.nodes[j].as_str()))
    }

    /// Every dependency cycle, each as the list of resources in order with
    /// the first repeated at the end (`[A, B, A]`). A cycle is reported once.
    pub fn cycles(&self) -> Vec<Vec<String>> {
        let sccs = self.strongly_connected();
        let mut cycles = Vec::new();
        for scc in sccs {
            let first = scc[0];
            if scc.len() == 1 && !self.out[first].contains(&first) {
                continue;
            }
            let members: IndexSet<usize> = scc.iter().copied().collect();
            // shortest path back to `first` inside the component (BFS)
            let mut prev: IndexMap<usize, usize> = IndexMap::new();
            let mut queue = std::collections::VecDeque::from([first]);
            let mut found = None;
            'bfs: while let Some(n) = queue.pop_front() {
                for &m in &self.out[n] {
                    if !members.contains(&m) {
                        continue;
                    }
                    if m == first {
                        found = Some(n);
                        break 'bfs;
                    }
                    if !prev.contains_key(&m) {
                        prev.insert(m, n);
                        queue.push_back(m);
                    }
                }
            }
            if let Some(last) = found {
                let mut path = vec![last];
                let mut cur = last;
                while cur != first {
                    cur = prev[&cur];
                    path.push(cur);
                }
                path.reverse();
                path.push(first);
                cycles.push(path.into_iter().map(|i| self.nodes[i].clone()).collect());
            }
        }
        cycles
    }

    /// Tarjan's algorithm, iterative; components in discovery order, each
    /// starting with its member that comes first in the template (node
    /// indices).
    fn strongly_connected(&self) -> Vec<Vec<usize>> {
        let n = self.nodes.len();
        let succ = &self.out;
        let mut index = vec![usize::MAX; n];
        let mut low = vec![0; n];
        let mut on_stack = vec![false; n];
        let mut stack = Vec::new();
        let mut counter = 0;
        let mut result = Vec::new();
        for start in 0..n {
            if index[start] != usize::MAX {
                continue;
            }
            let mut work: Vec<(usize, usize)> = vec![(start, 0)];
            while let Some(&mut (v, ref mut i)) = work.last_mut() {
                if *i == 0 && index[v] == usize::MAX {
                    index[v] = counter;
                    low[v] = counter;
                    counter += 1;
                    stack.push(v);
                    on_stack[v] = true;
                }
                if *i < succ[v].len() {
                    let w = succ[v][*i];
                    *i += 1;
                    if index[w] == usize::MAX {
                        work.push((w, 0));
                    } else if on_stack[w] {
                        low[v] = low[v].min(index[w]);
                    }
                } else {
                    work.pop();
                    if let Some(&(parent, _)) = work.last() {
                        low[parent] = low[parent].min(low[v]);
                    }
                    if low[v] == index[v] {
                        let mut comp = Vec::new();
                        while let Some(w) = stack.pop() {
                            on_stack[w] = false;
                            comp.push(w);
                            if w == v {
                                break;
                            }
                        }
                        comp.sort_unstable();
                        result.push(comp);
                    }
                }
            }
        }
        result.sort_by_key(|c| c[0]);
        result
    }

    /// The resources in an order where each comes after everything it
    /// depends on (ties broken by template order), or the first cycle.
    pub fn topological_order(&self) -> Result<Vec<&str>, Vec<String>> {
        let n = self.nodes.len();
        let mut remaining: Vec<usize> = self.out.iter().map(Vec::len).collect();
        let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, deps) in self.out.iter().enumerate() {
            for &j in deps {
                dependents[j].push(i);
            }
        }
        let mut ready: std::collections::BTreeSet<usize> =
            (0..n).filter(|&i| remaining[i] == 0).collect();
        let mut order = Vec::with_capacity(n);
        while let Some(i) = ready.pop_first() {
            order.push(self.nodes[i].as_str());
            for &d in &dependents[i] {
                remaining[d] -= 1;
                if remaining[d] == 0 {
                    ready.insert(d);
                }
            }
        }
        if order.len() == n {
            Ok(order)
        } else {
            Err(self.cycles().into_iter().next().unwrap_or_default())
        }
    }
}

/// Properties of a SAM resource whose references SAM moves to a resource it
/// generates: a function's `DeploymentPreference` (alarms, hooks) goes to
/// the CodeDeploy deployment group, which depends on the function; an alarm
/// on the function listed there is no cycle once AWS expands the transform.
fn moved_by_sam(type_name: &str, key: &str) -> bool {
    type_name == "AWS::Serverless::Function" && key == "DeploymentPreference"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::{Declared, Raw};

    fn chain(t: &mut Template, from: &str, to: &str) {
        let r = t.resources.get_mut(from).unwrap();
        r.properties
            .get_or_insert_with(Default::default)
            .insert(format!("P{to}"), Expr::func(Intrinsic::Ref(to.to_owned())));
    }

    #[test]
    fn finds_cycles_once_with_full_path() {
        let mut t = Template::new();
        for id in ["A", "B", "C", "D", "E"] {
            t.add(id, Raw::new("AWS::SNS::Topic")).unwrap();
        }
        chain(&mut t, "A", "B");
        chain(&mut t, "B", "C");
        chain(&mut t, "C", "A");
        chain(&mut t, "D", "D");
        let g = DependencyGraph::of(&t);
        assert_eq!(
            g.cycles(),
            vec![
                vec!["A".to_string(), "B".into(), "C".into(), "A".into()],
                vec!["D".to_string(), "D".into()]
            ]
        );
        assert!(g.topological_order().is_err());
    }

    #[test]
    fn depends_on_is_an_edge_and_order_is_stable() {
        let mut t = Template::new();
        let b = t.add("B", Raw::new("AWS::SNS::Topic")).unwrap();
        t.add(
            "A",
            Declared::new(Raw::new("AWS::SNS::Topic")).depends_on(&b),
        )
        .unwrap();
        t.add("C", Raw::new("AWS::SNS::Topic")).unwrap();
        let g = DependencyGraph::of(&t);
        assert_eq!(g.topological_order().unwrap(), vec!["B", "A", "C"]);
        assert_eq!(g.edges()[0].kind, RefKind::DependsOn);
    }

    #[test]
    fn sub_variables_shadow_template_names() {
        let e = crate::fns::sub_with("${Bucket}-${X}", [("X", "x".into())]).into_expr();
        let refs = references(&e, "");
        assert_eq!(refs.len(), 1);
        assert_eq!(refs[0].target, "Bucket");
    }
}

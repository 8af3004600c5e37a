//! Shared shapes: the nested types several resources of a service define
//! identically, emitted once per service.

use crate::model::{Item, Resource, Ty};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write;

/// One nested type emitted once for several resources of a service.
pub struct SharedGroup {
    /// `(resource index, item index)` of the copy that is emitted.
    pub first: (usize, usize),
    /// Indexes of the resources using it, in order.
    pub members: Vec<usize>,
}

/// The nested types of a service that several resources define
/// identically.
pub struct Shared {
    /// Name of the module holding them (`shared`).
    pub module: String,
    /// The shared items, in order of first use.
    pub groups: Vec<SharedGroup>,
    /// Tag-shaped names the shared items refer to (imported in the module).
    pub tag_imports: Vec<String>,
    shared: HashSet<(usize, usize)>,
}

impl Shared {
    /// Whether item `i` of resource `ri` is emitted in the shared module.
    pub fn is_shared(&self, ri: usize, i: usize) -> bool {
        self.shared.contains(&(ri, i))
    }
}

fn named_refs(t: &Ty, out: &mut Vec<String>) {
    match t {
        Ty::Named(n) => out.push(n.clone()),
        Ty::List(i) | Ty::Map(i) => named_refs(i, out),
        _ => {}
    }
}

/// The schema-identity of an item, other items referred to by name: its
/// Rust name, and for a struct the fields (name, key, type, required,
/// create-only), required alternatives and `minProperties`; for an enum the
/// values. Descriptions and links are not part of it (the first resource's
/// are kept).
fn signature(item: &Item) -> (String, Vec<String>) {
    let mut refs = Vec::new();
    let sig = match item {
        Item::Tag(s) => format!("tag {}", s.name),
        Item::Enum(e) => format!("enum {} {:?}", e.name, e.variants),
        Item::Struct(s) => {
            let mut sig = format!(
                "struct {} {:?} {}",
                s.name, s.required_alternatives, s.min_properties
            );
            for f in &s.fields {
                named_refs(&f.ty, &mut refs);
                let _ = write!(
                    sig,
                    " {}:{}:{:?}:{}:{}",
                    f.rust, f.key, f.ty, f.required, f.create_only
                );
            }
            sig
        }
    };
    (sig, refs)
}

/// Finds the nested types that several resources of a service define
/// identically, transitively (a struct is shared only when the types it
/// refers to are the same shared ones), with one item per name in the
/// shared module.
pub fn shared(resources: &[Resource]) -> Shared {
    let mut module = "shared".to_owned();
    while resources.iter().any(|r| r.module == module) {
        module.push('_');
    }
    // Items, their local signatures and references.
    let mut ids: Vec<(usize, usize)> = Vec::new();
    let mut sigs: Vec<(String, Vec<String>)> = Vec::new();
    let mut index: HashMap<(usize, String), usize> = HashMap::new();
    for (ri, r) in resources.iter().enumerate() {
        for (i, it) in r.items.iter().enumerate() {
            index.insert((ri, it.name().to_owned()), ids.len());
            ids.push((ri, i));
            sigs.push(signature(it));
        }
    }
    // Partition refinement: same signature, references in the same groups.
    let mut gid: Vec<usize> = {
        let mut m: HashMap<&str, usize> = HashMap::new();
        sigs.iter()
            .map(|(s, _)| {
                let n = m.len();
                *m.entry(s.as_str()).or_insert(n)
            })
            .collect()
    };
    loop {
        let mut m: HashMap<(usize, Vec<usize>), usize> = HashMap::new();
        let next: Vec<usize> = (0..ids.len())
            .map(|k| {
                let ri = ids[k].0;
                let refs: Vec<usize> = sigs[k]
                    .1
                    .iter()
                    .map(|n| index.get(&(ri, n.clone())).map_or(usize::MAX, |&j| gid[j]))
                    .collect();
                let n = m.len();
                *m.entry((gid[k], refs)).or_insert(n)
            })
            .collect();
        let stable = m.len() == gid.iter().collect::<HashSet<_>>().len();
        gid = next;
        if stable {
            break;
        }
    }
    let ngroups = gid.iter().max().map_or(0, |m| m + 1);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); ngroups];
    for (k, g) in gid.iter().enumerate() {
        members[*g].push(k);
    }
    let is_tag = |g: usize| {
        matches!(
            resources[ids[members[g][0]].0].items[ids[members[g][0]].1],
            Item::Tag(_)
        )
    };
    let name_of = |g: usize| {
        resources[ids[members[g][0]].0].items[ids[members[g][0]].1]
            .name()
            .to_owned()
    };
    let refs_of = |g: usize| -> Vec<usize> {
        let k = members[g][0];
        sigs[k]
            .1
            .iter()
            .filter_map(|n| index.get(&(ids[k].0, n.clone())).map(|&j| gid[j]))
            .collect()
    };
    // Ban groups until the shared set is closed and one item per name.
    let mut banned: HashSet<usize> = HashSet::new();
    loop {
        let shared: Vec<usize> = (0..ngroups)
            .filter(|g| members[*g].len() > 1 && !is_tag(*g) && !banned.contains(g))
            .collect();
        let set: HashSet<usize> = shared.iter().copied().collect();
        let mut claim: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut tags: BTreeSet<usize> = BTreeSet::new();
        for &g in &shared {
            claim.entry(name_of(g)).or_default().push(g);
            for r in refs_of(g) {
                if is_tag(r) {
                    tags.insert(r);
                }
            }
        }
        for &t in &tags {
            claim.entry(name_of(t)).or_default().push(t);
        }
        let before = banned.len();
        for gs in claim.values() {
            if gs.len() > 1 {
                let best = *gs
                    .iter()
                    .max_by_key(|g| (members[**g].len(), std::cmp::Reverse(members[**g][0])))
                    .unwrap();
                banned.extend(gs.iter().filter(|g| **g != best));
            }
        }
        for &g in &shared {
            if refs_of(g)
                .iter()
                .any(|r| banned.contains(r) || (!is_tag(*r) && !set.contains(r)))
            {
                banned.insert(g);
            }
        }
        if banned.len() == before {
            let mut groups: Vec<SharedGroup> = shared
                .iter()
                .map(|&g| SharedGroup {
                    first: ids[members[g][0]],
                    members: members[g].iter().map(|k| ids[*k].0).collect(),
                })
                .collect();
            groups.sort_by_key(|g| g.first);
            let mut tag_imports: Vec<String> = tags.iter().map(|t| name_of(*t)).collect();
            tag_imports.sort();
            let shared = shared
                .iter()
                .flat_map(|g| members[*g].iter().map(|k| ids[*k]))
                .collect();
            return Shared {
                module,
                groups,
                tag_imports,
                shared,
            };
        }
    }
}

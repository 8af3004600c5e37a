//! The IAM action catalogue: every action of the AWS service authorization
//! reference as the pinned cfn-lint ships it
//! (`cfnlint/data/AdditionalSpecs/Policies.json`, generated into
//! `src/generated/iam_actions.txt`), with whether it supports
//! resource-level permissions, the resource types it can be scoped to and
//! their ARN formats. Always compiled, parsed on first use.
//!
//! Lookups are case-insensitive, as IAM compares service prefixes and
//! action names; the catalogue's own names are lowercase (so is the source).
//!
//! ```
//! use cfn_resources::schema::iam;
//!
//! let get = iam::action("s3:GetObject").unwrap();
//! assert!(get.supports_resource_level);
//! assert!(get.resource_types.contains(&"object"));
//! assert!(!iam::action("xray:PutTraceSegments").unwrap().supports_resource_level);
//! assert!(iam::action("s3:GetObjcet").is_none());
//! assert_eq!(iam::closest("s3:GetObjcet"), Some("s3:getobject"));
//! assert!(iam::matching("s3:Get*").len() > 10);
//! ```

use std::collections::BTreeMap;
use std::sync::OnceLock;

static CATALOGUE: &str = include_str!("../generated/iam_actions.txt");

/// One IAM action of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ActionFact {
    /// `service:action`, lowercase (`s3:getobject`).
    pub name: &'static str,
    /// Whether a statement can scope the action to resource ARNs; when not,
    /// `Resource: "*"` is the only choice.
    pub supports_resource_level: bool,
    /// The resource types of the service it can be scoped to (`object`).
    pub resource_types: Vec<&'static str>,
    /// The ARN formats of those types, as regular expressions over
    /// `${Partition}`, `${Region}`, `${Account}` (`arn:${Partition}:s3:::.*`).
    pub arn_formats: Vec<&'static str>,
}

impl ActionFact {
    /// The service prefix (`s3`).
    pub fn service(&self) -> &'static str {
        self.name.split_once(':').map_or(self.name, |(s, _)| s)
    }
}

/// The ARN formats of every resource type, by `service:type`.
fn formats() -> &'static BTreeMap<&'static str, Vec<&'static str>> {
    static FORMATS: OnceLock<BTreeMap<&'static str, Vec<&'static str>>> = OnceLock::new();
    FORMATS.get_or_init(|| {
        let mut formats = BTreeMap::new();
        for l in CATALOGUE.lines().filter_map(|l| l.strip_prefix('@')) {
            let mut parts = l.split('\t');
            let name = parts.next().unwrap_or_default();
            formats.insert(name, parts.collect());
        }
        formats
    })
}

/// The ARN formats of the resource type `resource_type` of `service`
/// (`dynamodb`, `table`; any case), as regular expressions over
/// `${Partition}`, `${Region}`, `${Account}`
/// (`arn:${Partition}:dynamodb:${Region}:${Account}:table/.*`); empty when
/// the catalogue does not have the type.
///
/// ```
/// use cfn_resources::schema::iam;
/// assert_eq!(iam::arn_formats("SQS", "queue"), ["arn:${Partition}:sqs:${Region}:${Account}:.*"]);
/// assert!(iam::arn_formats("sqs", "table").is_empty());
/// ```
pub fn arn_formats(service: &str, resource_type: &str) -> &'static [&'static str] {
    let key = format!("{service}:{resource_type}").to_ascii_lowercase();
    formats().get(key.as_str()).map_or(&[], Vec::as_slice)
}

fn all() -> &'static [ActionFact] {
    static ALL: OnceLock<Vec<ActionFact>> = OnceLock::new();
    ALL.get_or_init(|| {
        let formats = formats();
        let mut v: Vec<ActionFact> = CATALOGUE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with('@') && !l.is_empty())
            .map(|l| {
                let mut parts = l.split('\t');
                let name = parts.next().unwrap_or_default();
                let scoped = parts.next() == Some("yes");
                let resource_types: Vec<&'static str> = parts
                    .next()
                    .unwrap_or_default()
                    .split(',')
                    .filter(|t| !t.is_empty())
                    .collect();
                let service = name.split_once(':').map_or(name, |(s, _)| s);
                let arn_formats = resource_types
                    .iter()
                    .flat_map(|t| {
                        formats
                            .get(format!("{service}:{t}").as_str())
                            .cloned()
                            .unwrap_or_default()
                    })
                    .collect();
                ActionFact {
                    name,
                    supports_resource_level: scoped,
                    resource_types,
                    arn_formats,
                }
            })
            .collect();
        v.sort_by(|a, b| a.name.cmp(b.name));
        v
    })
}

/// Every action, sorted by name.
pub fn actions() -> &'static [ActionFact] {
    all()
}

/// How many actions the catalogue holds.
pub fn len() -> usize {
    all().len()
}

/// The action `name` (`service:Action`, any case), if the catalogue has it.
/// Wildcards are not expanded here: see [`matching`].
pub fn action(name: &str) -> Option<&'static ActionFact> {
    let key = name.to_ascii_lowercase();
    let all = all();
    all.binary_search_by(|a| a.name.cmp(key.as_str()))
        .ok()
        .map(|i| &all[i])
}

/// Whether the catalogue knows the service prefix (`s3`, any case).
pub fn has_service(service: &str) -> bool {
    let prefix = format!("{}:", service.to_ascii_lowercase());
    let all = all();
    let i = all.partition_point(|a| a.name < prefix.as_str());
    all.get(i).is_some_and(|a| a.name.starts_with(&prefix))
}

/// The actions of `service` (any case).
pub fn service_actions(service: &str) -> &'static [ActionFact] {
    let prefix = format!("{}:", service.to_ascii_lowercase());
    let all = all();
    let start = all.partition_point(|a| a.name < prefix.as_str());
    let len = all[start..]
        .iter()
        .take_while(|a| a.name.starts_with(&prefix))
        .count();
    &all[start..start + len]
}

/// The actions a policy action pattern matches: `*` and `?` wildcards,
/// case-insensitive (`s3:Get*`, `*`, `s3:*Object`).
pub fn matching(pattern: &str) -> Vec<&'static ActionFact> {
    let p = pattern.to_ascii_lowercase();
    let pool = match p.split_once(':') {
        Some((svc, _)) if !svc.contains(['*', '?']) => service_actions(svc),
        _ => all(),
    };
    pool.iter()
        .filter(|a| glob(p.as_bytes(), a.name.as_bytes()))
        .collect()
}

/// The catalogue action closest to the unknown `name`, for "did you mean":
/// within its service when the service is known, else among service
/// prefixes (`s4:GetObject` -> `s3:getobject`).
pub fn closest(name: &str) -> Option<&'static str> {
    let (svc, act) = name.split_once(':')?;
    if has_service(svc) {
        return cfn_core::error::closest(name, service_actions(svc).iter().map(|a| a.name));
    }
    let mut services: Vec<&'static str> = all().iter().map(|a| a.service()).collect();
    services.dedup();
    let s = cfn_core::error::closest(svc, services)?;
    let candidate = format!("{s}:{act}");
    action(&candidate).map(|a| a.name)
}

fn glob(p: &[u8], s: &[u8]) -> bool {
    // iterative wildcard match with backtracking to the last `*`
    let (mut i, mut j, mut star, mut mark) = (0, 0, None, 0);
    while j < s.len() {
        if i < p.len() && (p[i] == b'?' || p[i] == s[j]) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == b'*' {
            star = Some(i);
            mark = j;
            i += 1;
        } else if let Some(st) = star {
            i = st + 1;
            mark += 1;
            j = mark;
        } else {
            return false;
        }
    }
    p[i..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_is_complete_and_case_insensitive() {
        assert!(len() > 20_000, "{}", len());
        assert_eq!(action("S3:GETOBJECT"), action("s3:getobject"));
        assert!(action("logs:DescribeLogGroups").is_some());
        assert!(
            !action("xray:PutTraceSegments")
                .unwrap()
                .supports_resource_level
        );
        let put = action("dynamodb:PutItem").unwrap();
        assert_eq!(put.resource_types, ["table"]);
        assert!(
            put.arn_formats[0].contains(":dynamodb:"),
            "{:?}",
            put.arn_formats
        );
        assert!(action("s3:GetObjcet").is_none());
        assert!(action("nope").is_none());
        assert!(has_service("KMS") && !has_service("kmz"));
    }

    #[test]
    fn wildcards_and_suggestions() {
        assert!(matching("*").len() == len());
        assert!(matching("s3:get*")
            .iter()
            .all(|a| a.name.starts_with("s3:get")));
        assert!(matching("S3:GetObjec?")
            .iter()
            .any(|a| a.name == "s3:getobject"));
        assert!(matching("s3:*Objcet").is_empty());
        assert!(matching("*:PutTraceSegments")
            .iter()
            .any(|a| a.name == "xray:puttracesegments"));
        assert_eq!(closest("s3:GetObjcet"), Some("s3:getobject"));
        assert_eq!(closest("s4:GetObject"), Some("s3:getobject"));
        assert!(closest("s3:Zzzzzzzzzzzzzz").is_none());
        assert!(glob(b"a*b?c", b"axxbyc") && !glob(b"a*b?c", b"axxbc"));
    }
}

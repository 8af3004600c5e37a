//! The one error type of `cfn-core`.
//!
//! Every error carries its kind ([`ErrorKind`]), the template path it concerns
//! (`Resources/WebAsg/Properties/MinSize`) and, for parsed templates, the file,
//! line and column. Messages are lowercase, name the bad value and say how to
//! fix it.

use std::fmt;

/// A position in a source file (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Location {
    /// The file name, when the template came from a file.
    pub file: Option<String>,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.file {
            Some(file) => write!(f, "{file}:{}:{}", self.line, self.column),
            None => write!(f, "line {}, column {}", self.line, self.column),
        }
    }
}

/// What went wrong. New kinds may be added in any release.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A logical ID that CloudFormation would reject.
    #[error("invalid logical id `{id}`: {reason}; use 1 to 255 ASCII letters and digits, for example `WebServerGroup`")]
    InvalidLogicalId {
        /// The rejected ID.
        id: String,
        /// Why it is invalid.
        reason: String,
    },
    /// The same logical ID declared twice.
    #[error("logical id `{id}` is already declared in {existing}; Parameters and Resources share one namespace and Conditions, Mappings, Outputs and Rules each have their own, so rename one of them")]
    DuplicateLogicalId {
        /// The ID.
        id: String,
        /// The section that already holds it.
        existing: String,
    },
    /// `Ref` to something that does not exist.
    #[error("`Ref` to `{target}`, which is not a parameter, a resource or a pseudo parameter; declare it or correct the name{hint}")]
    DanglingRef {
        /// The missing target.
        target: String,
        /// A suggestion (` (did you mean ...?)`) or empty.
        hint: String,
    },
    /// `Fn::GetAtt` (or `${X.Attr}` in `Fn::Sub`) of a resource that does not exist.
    #[error("`Fn::GetAtt` of `{target}.{attribute}`, but there is no resource `{target}`; declare it or correct the name{hint}")]
    DanglingGetAtt {
        /// The missing resource.
        target: String,
        /// The attribute asked for.
        attribute: String,
        /// A suggestion or empty.
        hint: String,
    },
    /// An attribute the resource type does not have.
    #[error("resource `{target}` of type `{type_name}` has no attribute `{attribute}`{hint}; valid attributes: {valid}")]
    UnknownAttribute {
        /// The resource.
        target: String,
        /// Its type.
        type_name: String,
        /// The unknown attribute.
        attribute: String,
        /// A suggestion or empty.
        hint: String,
        /// The valid names, comma separated.
        valid: String,
    },
    /// A resource type the registry schemas do not know.
    #[error("unknown resource type `{type_name}`{hint}; check the name against the CloudFormation resource type reference")]
    UnknownResourceType {
        /// The type as written.
        type_name: String,
        /// A suggestion or empty.
        hint: String,
    },
    /// A property value that breaks the resource type's registry schema.
    #[error("{type_name}: {message}")]
    SchemaViolation {
        /// The resource type.
        type_name: String,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A condition name that is not declared.
    #[error("condition `{name}` is not declared in Conditions; add it or correct the name{hint}")]
    DanglingCondition {
        /// The missing condition.
        name: String,
        /// A suggestion or empty.
        hint: String,
    },
    /// `Fn::FindInMap` of a mapping (or key) that does not exist.
    #[error("`Fn::FindInMap` looks up {what}, which does not exist; add it to Mappings or correct the name")]
    DanglingMapping {
        /// What was looked up (`mapping `RegionMap``, `key `x` of mapping `M``).
        what: String,
    },
    /// `DependsOn` naming a resource that does not exist.
    #[error("`DependsOn` names `{target}`, which is not a resource; remove it or correct the name{hint}")]
    DanglingDependsOn {
        /// The missing resource.
        target: String,
        /// A suggestion or empty.
        hint: String,
    },
    /// A dependency cycle between resources.
    #[error("circular dependency: {cycle}; break it by removing one of these references or DependsOn entries")]
    DependencyCycle {
        /// The cycle, `A -> B -> A`.
        cycle: String,
    },
    /// A condition that refers to a resource.
    #[error("conditions may only refer to parameters and pseudo parameters, but this one refers to resource `{target}`; use a parameter instead")]
    ResourceInCondition {
        /// The resource.
        target: String,
    },
    /// A CloudFormation quota exceeded.
    #[error("{what}: {count} exceeds the CloudFormation limit of {limit}; {fix}")]
    LimitExceeded {
        /// What is counted.
        what: String,
        /// The count.
        count: usize,
        /// The limit.
        limit: usize,
        /// How to get under it.
        fix: String,
    },
    /// The rendered body is larger than a deployment path allows.
    #[error("template body is {bytes} bytes, over the {limit}-byte limit for {path}; {fix}")]
    TemplateTooLarge {
        /// The body size.
        bytes: usize,
        /// The limit exceeded.
        limit: usize,
        /// The deployment path (`direct upload`, `an S3 template URL`).
        path: String,
        /// What to do.
        fix: String,
    },
    /// A parameter that nothing refers to.
    #[error("parameter `{name}` is never referenced; remove it or use it")]
    UnusedParameter {
        /// The parameter.
        name: String,
    },
    /// A mapping that nothing refers to.
    #[error("mapping `{name}` is never used by Fn::FindInMap; remove it or use it")]
    UnusedMapping {
        /// The mapping.
        name: String,
    },
    /// A condition that nothing refers to.
    #[error(
        "condition `{name}` is never used; remove it or attach it to a resource, output or Fn::If"
    )]
    UnusedCondition {
        /// The condition.
        name: String,
    },
    /// A `DependsOn` entry already implied by a `Ref` or `Fn::GetAtt`.
    #[error("`DependsOn` on `{target}` is redundant: the resource already refers to it with {via}; remove the DependsOn entry")]
    RedundantDependsOn {
        /// The target.
        target: String,
        /// The intrinsic that already implies it.
        via: String,
    },
    /// A parameter default that breaks the parameter's own constraints.
    #[error("default {value} of parameter `{name}` breaks its own constraint: {reason}; change the default or the constraint")]
    InvalidParameterDefault {
        /// The parameter.
        name: String,
        /// The default, JSON-encoded.
        value: String,
        /// The constraint broken.
        reason: String,
    },
    /// A value given for a parameter (at deploy) that the template does not declare.
    #[error("parameter `{name}` is not declared in the template{hint}; remove it or correct the name (declared: {declared})")]
    UnknownParameter {
        /// The name as given.
        name: String,
        /// A suggestion (` (did you mean ...?)`) or empty.
        hint: String,
        /// The declared parameters, comma separated (`none` when there are none).
        declared: String,
    },
    /// A value given for a parameter (at deploy) that breaks its type or a constraint.
    #[error("value {value} of parameter `{name}` breaks {rule}: {reason}; {fix}")]
    InvalidParameterValue {
        /// The parameter.
        name: String,
        /// The value, JSON-encoded (`"****"` for a `NoEcho` parameter).
        value: String,
        /// The broken rule: `Type`, `AllowedValues`, `AllowedPattern`,
        /// `MinLength`, `MaxLength`, `MinValue`, `MaxValue`.
        rule: String,
        /// What is wrong.
        reason: String,
        /// How to fix it (the template's `ConstraintDescription` when it has one).
        fix: String,
    },
    /// A parameter that needs a value (at deploy) and has none.
    #[error("parameter `{name}` has no value: {reason}; {fix}")]
    MissingParameterValue {
        /// The parameter.
        name: String,
        /// Why no value applies.
        reason: String,
        /// How to give one.
        fix: String,
    },
    /// A literal value that CloudFormation would reject.
    #[error("invalid value {value}: {reason}")]
    InvalidValue {
        /// The value, JSON-encoded.
        value: String,
        /// Why, and the fix.
        reason: String,
    },
    /// An export name used twice.
    #[error("export name `{name}` is also used by output `{other}`; export names must be unique in a region")]
    DuplicateExport {
        /// The name.
        name: String,
        /// The other output.
        other: String,
    },
    /// The source text is not valid JSON or YAML.
    #[error("{format} syntax error: {message}")]
    Syntax {
        /// `JSON` or `YAML`.
        format: &'static str,
        /// The parser's message.
        message: String,
    },
    /// A map key used twice in the source.
    #[error("duplicate key `{key}`; keys must be unique within a map, so remove or rename one")]
    DuplicateKey {
        /// The key.
        key: String,
    },
    /// `Fn::Something` that CloudFormation does not know.
    #[error("unknown intrinsic function `{name}`{hint}; known functions: Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::GetAZs, Fn::Cidr, Fn::ImportValue, Fn::FindInMap, Fn::Base64, Fn::If, Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition, Fn::Transform, Fn::Length, Fn::ToJsonString, Fn::GetStackOutput")]
    UnknownIntrinsic {
        /// The name as written.
        name: String,
        /// A suggestion or empty.
        hint: String,
    },
    /// An intrinsic called with the wrong arguments.
    #[error("`{function}` expects {expected}, found {found}")]
    WrongArguments {
        /// The function.
        function: String,
        /// What it takes.
        expected: String,
        /// What it got.
        found: String,
    },
    /// A value of the wrong shape (a list where a map belongs, ...).
    #[error("expected {expected}, found {found}")]
    WrongType {
        /// The expected shape.
        expected: String,
        /// What was found.
        found: String,
    },
    /// A key that does not belong where it is.
    #[error("unknown key `{key}`{hint}; allowed keys: {allowed}")]
    UnknownKey {
        /// The key.
        key: String,
        /// A suggestion or empty.
        hint: String,
        /// The allowed keys, comma separated.
        allowed: String,
    },
    /// A required key that is missing.
    #[error("missing required key `{key}`; {fix}")]
    MissingKey {
        /// The key.
        key: String,
        /// What to add.
        fix: String,
    },
    /// Reading or writing a file failed.
    #[error("cannot {action} `{path}`: {message}")]
    Io {
        /// `read`, `write`, ...
        action: String,
        /// The file.
        path: String,
        /// The OS error.
        message: String,
    },
    /// A combination of properties that each fit the registry schema but
    /// that CloudFormation or the service rejects together (`cfn_tools::cross`).
    #[error("{type_name}: {message} [{rule}]")]
    CrossProperty {
        /// The rule's id (`XPROP001`).
        rule: String,
        /// The resource type.
        type_name: String,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A value built from a handle of one template, given to another: its
    /// `Ref` or `Fn::GetAtt` would silently name whatever the other template
    /// declares under the same logical id.
    #[error("this value is built from a handle of {declared_in} but is used in {used_in}; a handle refers only to the template that returned it: take the handle from {used_in} (`template.handle::<R>(\"Id\")` looks one up by logical id and checks its type)")]
    ForeignHandle {
        /// The template the handle came from (`template #3`).
        declared_in: String,
        /// The template the value was given to.
        used_in: String,
    },
    /// A handle lookup of a logical id the template does not declare.
    #[error("no resource `{id}` in this template{hint}; declared resources: {declared}")]
    NoSuchResource {
        /// The id asked for.
        id: String,
        /// A suggestion or empty.
        hint: String,
        /// The declared resources, comma separated (`none` when there are none).
        declared: String,
    },
    /// A handle lookup whose resource has another type than asked for.
    #[error("resource `{id}` has type `{found}`, not `{expected}`; ask for the handle with the type it was declared with")]
    WrongResourceType {
        /// The resource.
        id: String,
        /// The type asked for.
        expected: String,
        /// The type declared.
        found: String,
    },
    /// Synthesis found errors; each is listed.
    #[error("template has {count} error(s):\n{list}")]
    Invalid {
        /// Number of errors.
        count: usize,
        /// One line per error.
        list: String,
    },
}

impl ErrorKind {
    /// A stable code for the kind (its variant name, `DanglingRef`): the
    /// rule id of a finding in JSON and SARIF output, and what tools match
    /// on instead of the message text.
    ///
    /// ```
    /// use cfn_core::ErrorKind;
    /// let k = ErrorKind::MissingKey { key: "Type".into(), fix: "add it".into() };
    /// assert_eq!(k.code(), "MissingKey");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            ErrorKind::InvalidLogicalId { .. } => "InvalidLogicalId",
            ErrorKind::DuplicateLogicalId { .. } => "DuplicateLogicalId",
            ErrorKind::DanglingRef { .. } => "DanglingRef",
            ErrorKind::DanglingGetAtt { .. } => "DanglingGetAtt",
            ErrorKind::UnknownAttribute { .. } => "UnknownAttribute",
            ErrorKind::UnknownResourceType { .. } => "UnknownResourceType",
            ErrorKind::SchemaViolation { .. } => "SchemaViolation",
            ErrorKind::DanglingCondition { .. } => "DanglingCondition",
            ErrorKind::DanglingMapping { .. } => "DanglingMapping",
            ErrorKind::DanglingDependsOn { .. } => "DanglingDependsOn",
            ErrorKind::DependencyCycle { .. } => "DependencyCycle",
            ErrorKind::ResourceInCondition { .. } => "ResourceInCondition",
            ErrorKind::LimitExceeded { .. } => "LimitExceeded",
            ErrorKind::TemplateTooLarge { .. } => "TemplateTooLarge",
            ErrorKind::UnusedParameter { .. } => "UnusedParameter",
            ErrorKind::UnusedMapping { .. } => "UnusedMapping",
            ErrorKind::UnusedCondition { .. } => "UnusedCondition",
            ErrorKind::RedundantDependsOn { .. } => "RedundantDependsOn",
            ErrorKind::InvalidParameterDefault { .. } => "InvalidParameterDefault",
            ErrorKind::UnknownParameter { .. } => "UnknownParameter",
            ErrorKind::InvalidParameterValue { .. } => "InvalidParameterValue",
            ErrorKind::MissingParameterValue { .. } => "MissingParameterValue",
            ErrorKind::InvalidValue { .. } => "InvalidValue",
            ErrorKind::DuplicateExport { .. } => "DuplicateExport",
            ErrorKind::Syntax { .. } => "Syntax",
            ErrorKind::DuplicateKey { .. } => "DuplicateKey",
            ErrorKind::UnknownIntrinsic { .. } => "UnknownIntrinsic",
            ErrorKind::WrongArguments { .. } => "WrongArguments",
            ErrorKind::WrongType { .. } => "WrongType",
            ErrorKind::UnknownKey { .. } => "UnknownKey",
            ErrorKind::MissingKey { .. } => "MissingKey",
            ErrorKind::Io { .. } => "Io",
            ErrorKind::CrossProperty { .. } => "CrossProperty",
            ErrorKind::ForeignHandle { .. } => "ForeignHandle",
            ErrorKind::NoSuchResource { .. } => "NoSuchResource",
            ErrorKind::WrongResourceType { .. } => "WrongResourceType",
            ErrorKind::Invalid { .. } => "Invalid",
        }
    }
}

/// The error type of `cfn-core`: a kind, the template path it concerns and,
/// for parsed templates, the source location.
///
/// ```
/// use cfn_core::LogicalId;
/// let err = LogicalId::new("web-server").unwrap_err();
/// assert!(err.to_string().starts_with("invalid logical id `web-server`"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Error(Box<Inner>);

#[derive(Debug, Clone, PartialEq)]
struct Inner {
    kind: ErrorKind,
    path: Option<String>,
    location: Option<Location>,
}

impl Error {
    /// An error of this kind, without a path.
    pub fn new(kind: ErrorKind) -> Self {
        Error(Box::new(Inner {
            kind,
            path: None,
            location: None,
        }))
    }

    /// An error of this kind at a template path.
    pub fn at(path: impl Into<String>, kind: ErrorKind) -> Self {
        Error(Box::new(Inner {
            kind,
            path: Some(path.into()),
            location: None,
        }))
    }

    /// Sets the source location.
    pub fn with_location(mut self, location: Location) -> Self {
        self.0.location = Some(location);
        self
    }

    /// Sets the template path.
    pub fn with_path(mut self, path: impl Into<String>) -> Self {
        self.0.path = Some(path.into());
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }

    /// The template path (`Resources/Web/Properties/MinSize`), if known.
    pub fn path(&self) -> Option<&str> {
        self.0.path.as_deref()
    }

    /// The source location, for parsed templates.
    pub fn location(&self) -> Option<&Location> {
        self.0.location.as_ref()
    }

    pub(crate) fn set_file(&mut self, file: &str) {
        if let Some(loc) = &mut self.0.location {
            loc.file = Some(file.to_owned());
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = &self.0.location {
            write!(f, "{loc}: ")?;
        }
        if let Some(path) = &self.0.path {
            if !path.is_empty() {
                write!(f, "{path}: ")?;
            }
        }
        write!(f, "{}", self.0.kind)
    }
}

impl std::error::Error for Error {}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error::new(kind)
    }
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Finds the closest candidate to `name` (edit distance at most 1/3 of its
/// length, minimum 2), for "did you mean" hints: ` (did you mean `X`?)`, or
/// an empty string.
///
/// ```
/// assert_eq!(cfn_core::error::suggest("Resource", ["Resources", "Outputs"]), " (did you mean `Resources`?)");
/// ```
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    match closest(name, candidates) {
        Some(c) => format!(" (did you mean `{c}`?)"),
        None => String::new(),
    }
}

/// The candidate closest to `name` (case-insensitive edit distance of at
/// most a third of its length, and at least 2), if any: the one home of
/// "did you mean", which [`suggest`] formats and other crates (the registry
/// schema check) word their own way.
///
/// ```
/// use cfn_core::error::closest;
/// assert_eq!(closest("BucketNam", ["BucketName", "Tags"]), Some("BucketName"));
/// assert_eq!(closest("Zzz", ["BucketName"]), None);
/// ```
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.len() / 3).max(2);
    let wanted: Vec<char> = name.to_lowercase().chars().collect();
    let mut best: Option<(usize, &str)> = None;
    let mut buffers = (Vec::new(), Vec::new(), Vec::new());
    for c in candidates {
        // a length difference alone exceeds the limit: skip the full comparison
        if c.len().abs_diff(name.len()) > limit {
            continue;
        }
        let bound = best.map_or(limit, |(d, _)| d.saturating_sub(1)).min(limit);
        buffers.0.clear();
        buffers.0.extend(c.chars().flat_map(char::to_lowercase));
        if let Some(d) = edit_distance(&wanted, &buffers.0, bound, &mut buffers.1, &mut buffers.2) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Levenshtein distance of `a` and `b` if it is at most `bound`.
fn edit_distance(
    a: &[char],
    b: &[char],
    bound: usize,
    prev: &mut Vec<usize>,
    cur: &mut Vec<usize>,
) -> Option<usize> {
    prev.clear();
    prev.extend(0..=b.len());
    for (i, ca) in a.iter().enumerate() {
        cur.clear();
        cur.push(i + 1);
        let mut row_min = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let v = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            row_min = row_min.min(v);
            cur.push(v);
        }
        if row_min > bound {
            return None;
        }
        std::mem::swap(prev, cur);
    }
    let d = prev[b.len()];
    (d <= bound).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestion_finds_near_names() {
        assert_eq!(
            suggest("WebSever", ["WebServer", "Db"]),
            " (did you mean `WebServer`?)"
        );
        assert_eq!(suggest("Zzz", ["WebServer"]), "");
    }

    #[test]
    fn display_has_location_path_and_kind() {
        let e = Error::at(
            "Resources/A",
            ErrorKind::DanglingDependsOn {
                target: "B".into(),
                hint: String::new(),
            },
        )
        .with_location(Location {
            file: Some("t.yaml".into()),
            line: 3,
            column: 5,
        });
        assert_eq!(
            e.to_string(),
            "t.yaml:3:5: Resources/A: `DependsOn` names `B`, which is not a resource; remove it or correct the name"
        );
    }
}

//! The one error type of `cfn-core`.
//!
//! Every error carries its kind ([`ErrorKind`]), the template path it concerns
//! (`Resources/WebAsg/Properties/MinSize`) and, for parsed templates, the file,
//! line and column. Messages are lowercase, name the bad value and say how to
//! fix it.

use std::fmt;

mod code;
mod did_you_mean;
mod io_source;
pub use did_you_mean::{closest, suggest, Hint};
pub use io_source::IoSource;

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

/// The message of [`ErrorKind::Invalid`]: the count, then each error
/// indented on its own line.
fn invalid_message(errors: &[Error]) -> String {
    let mut s = format!("template has {} error(s):", errors.len());
    for e in errors {
        s.push_str("\n  ");
        s.push_str(&e.to_string());
    }
    s
}

/// The reason of [`ErrorKind::InvalidValue`] with its hint after the why
/// (the text before the first `; `), before the fix.
fn reason_with_hint(reason: &str, hint: &Hint) -> String {
    if hint.is_none() {
        return reason.to_owned();
    }
    match reason.split_once("; ") {
        Some((why, fix)) => format!("{why}{hint}; {fix}"),
        None => format!("{reason}{hint}"),
    }
}

/// Names, comma separated, or `none`.
fn names_or_none(names: &[String]) -> String {
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
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
        /// A suggestion (rendered `` (did you mean `X`?)``), a note, or none.
        hint: Hint,
    },
    /// `Fn::GetAtt` (or `${X.Attr}` in `Fn::Sub`) of a resource that does not exist.
    #[error("`Fn::GetAtt` of `{target}.{attribute}`, but there is no resource `{target}`; declare it or correct the name{hint}")]
    DanglingGetAtt {
        /// The missing resource.
        target: String,
        /// The attribute asked for.
        attribute: String,
        /// A suggestion (rendered `` (did you mean `X`?)``), a note, or none.
        hint: Hint,
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
        /// A suggestion (rendered `` (did you mean `X`?)``), a note, or none.
        hint: Hint,
        /// The valid names, comma separated.
        valid: String,
    },
    /// A resource type the registry schemas do not know.
    #[error("unknown resource type `{type_name}`{hint}; check the name against the CloudFormation resource type reference")]
    UnknownResourceType {
        /// The type as written.
        type_name: String,
        /// A suggestion (rendered `` (did you mean `X`?)``), a note, or none.
        hint: Hint,
    },
    /// A property value that breaks the resource type's registry schema.
    #[error("{type_name}: {message}")]
    SchemaViolation {
        /// The resource type.
        type_name: String,
        /// What is wrong and how to fix it (the registry check's wording,
        /// which names the suggestion too).
        message: String,
        /// The name probably meant (an unknown property's closest known
        /// one), as data; `message` words it.
        suggestion: Option<String>,
    },
    /// A condition name that is not declared.
    #[error("condition `{name}` is not declared in Conditions; add it or correct the name{hint}")]
    DanglingCondition {
        /// The missing condition.
        name: String,
        /// A suggestion (rendered `` (did you mean `X`?)``), a note, or none.
        hint: Hint,
    },
    /// `Fn::FindInMap` of a mapping (or key) that does not exist.
    #[error("`Fn::FindInMap` looks up {what}{hint}, which does not exist; add it to Mappings or correct the name")]
    DanglingMapping {
        /// What was looked up (`mapping `RegionMap``, `key `x` of mapping `M``).
        what: String,
        /// A suggestion (rendered `` (did you mean `X`?)``), a note, or none.
        hint: Hint,
    },
    /// `DependsOn` naming a resource that does not exist.
    #[error("`DependsOn` names `{target}`, which is not a resource; remove it or correct the name{hint}")]
    DanglingDependsOn {
        /// The missing resource.
        target: String,
        /// A suggestion (rendered `` (did you mean `X`?)``), a note, or none.
        hint: Hint,
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
    #[error("parameter `{name}` is not declared in the template{hint}; remove it or correct the name (declared: {})", names_or_none(declared))]
    UnknownParameter {
        /// The name as given.
        name: String,
        /// A suggestion (rendered `` (did you mean `X`?)``), a note, or none.
        hint: Hint,
        /// The declared parameters (rendered comma separated, `none` when
        /// there are none).
        declared: Vec<String>,
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
    #[error("invalid value {value}: {}", reason_with_hint(reason, hint))]
    InvalidValue {
        /// The value, JSON-encoded.
        value: String,
        /// Why, and the fix (`why; fix`).
        reason: String,
        /// A suggestion (rendered `` (did you mean `X`?)`` after the why,
        /// before the first `; `), a note, or none.
        hint: Hint,
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
        /// A suggestion (rendered `` (did you mean `X`?)``), a note, or none.
        hint: Hint,
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
    #[error("unknown key `{key}`{hint}; allowed keys: {}", allowed.join(", "))]
    UnknownKey {
        /// The key.
        key: String,
        /// A suggestion (rendered `` (did you mean `X`?)``), a note, or none.
        hint: Hint,
        /// The allowed keys (rendered comma separated).
        allowed: Vec<String>,
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
    #[error("cannot {action} `{path}`: {source}")]
    Io {
        /// `read`, `write`, ...
        action: String,
        /// The file.
        path: String,
        /// The OS error, kept (`source.io().kind()`).
        #[source]
        source: IoSource,
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
    #[error(
        "no resource `{id}` in this template{hint}; declared resources: {}",
        names_or_none(declared)
    )]
    NoSuchResource {
        /// The id asked for.
        id: String,
        /// A suggestion (rendered `` (did you mean `X`?)``), a note, or none.
        hint: Hint,
        /// The declared resources (rendered comma separated, `none` when
        /// there are none).
        declared: Vec<String>,
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
    /// Synthesis found errors; each is listed, one line each.
    #[error("{}", invalid_message(errors))]
    Invalid {
        /// Every error found, in the order validation reports them.
        errors: Vec<Error>,
    },
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

impl std::error::Error for Error {
    /// The kind's source (the I/O error of [`ErrorKind::Io`]); the kind
    /// itself is this error's message.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&self.0.kind)
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error::new(kind)
    }
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_has_location_path_and_kind() {
        let e = Error::at(
            "Resources/A",
            ErrorKind::DanglingDependsOn {
                target: "B".into(),
                hint: Hint::None,
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

    #[test]
    fn invalid_keeps_its_errors_and_renders_one_per_line() {
        let a = Error::at(
            "Resources/A",
            ErrorKind::MissingKey {
                key: "Type".into(),
                fix: "add it".into(),
            },
        );
        let b = Error::new(ErrorKind::InvalidValue {
            value: "1".into(),
            reason: "no".into(),
            hint: Hint::None,
        });
        let e = Error::new(ErrorKind::Invalid {
            errors: vec![a.clone(), b],
        });
        let ErrorKind::Invalid { errors } = e.kind() else {
            panic!()
        };
        assert_eq!(errors[0], a);
        assert_eq!(
            e.to_string(),
            "template has 2 error(s):\n  Resources/A: missing required key `Type`; add it\n  invalid value 1: no"
        );
    }

    #[test]
    fn io_keeps_its_source() {
        let e = crate::Template::from_path("/nonexistent/cfnkit-test.yaml").unwrap_err();
        let ErrorKind::Io { source, .. } = e.kind() else {
            panic!("{e:?}")
        };
        assert_eq!(source.io().kind(), std::io::ErrorKind::NotFound);
        let cause = std::error::Error::source(&e).expect("a source");
        assert_eq!(cause.to_string(), source.io().to_string());
        assert!(
            e.to_string()
                .starts_with("cannot read `/nonexistent/cfnkit-test.yaml`: "),
            "{e}"
        );
        assert_eq!(e.clone(), e);
    }
}

//! Template parameters: every parameter type and constraint.

use crate::error::{Error, ErrorKind, Result};
use crate::expr::Expr;
use std::fmt;
use std::str::FromStr;

/// The AWS-specific parameter types: CloudFormation checks that the value
/// names an existing resource of this kind in the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AwsParameterType {
    /// `AWS::EC2::AvailabilityZone::Name`
    AvailabilityZoneName,
    /// `AWS::EC2::Image::Id`
    ImageId,
    /// `AWS::EC2::Instance::Id`
    InstanceId,
    /// `AWS::EC2::KeyPair::KeyName`
    KeyPairName,
    /// `AWS::EC2::SecurityGroup::GroupName`
    SecurityGroupName,
    /// `AWS::EC2::SecurityGroup::Id`
    SecurityGroupId,
    /// `AWS::EC2::Subnet::Id`
    SubnetId,
    /// `AWS::EC2::Volume::Id`
    VolumeId,
    /// `AWS::EC2::VPC::Id`
    VpcId,
    /// `AWS::Route53::HostedZone::Id`
    HostedZoneId,
}

impl AwsParameterType {
    /// All AWS-specific types.
    pub const ALL: [AwsParameterType; 10] = [
        AwsParameterType::AvailabilityZoneName,
        AwsParameterType::ImageId,
        AwsParameterType::InstanceId,
        AwsParameterType::KeyPairName,
        AwsParameterType::SecurityGroupName,
        AwsParameterType::SecurityGroupId,
        AwsParameterType::SubnetId,
        AwsParameterType::VolumeId,
        AwsParameterType::VpcId,
        AwsParameterType::HostedZoneId,
    ];

    /// The type's name in templates.
    pub fn as_str(self) -> &'static str {
        match self {
            AwsParameterType::AvailabilityZoneName => "AWS::EC2::AvailabilityZone::Name",
            AwsParameterType::ImageId => "AWS::EC2::Image::Id",
            AwsParameterType::InstanceId => "AWS::EC2::Instance::Id",
            AwsParameterType::KeyPairName => "AWS::EC2::KeyPair::KeyName",
            AwsParameterType::SecurityGroupName => "AWS::EC2::SecurityGroup::GroupName",
            AwsParameterType::SecurityGroupId => "AWS::EC2::SecurityGroup::Id",
            AwsParameterType::SubnetId => "AWS::EC2::Subnet::Id",
            AwsParameterType::VolumeId => "AWS::EC2::Volume::Id",
            AwsParameterType::VpcId => "AWS::EC2::VPC::Id",
            AwsParameterType::HostedZoneId => "AWS::Route53::HostedZone::Id",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// A parameter's `Type`.
///
/// ```
/// use cfn_core::{ParameterType, AwsParameterType};
/// let t: ParameterType = "List<AWS::EC2::Subnet::Id>".parse().unwrap();
/// assert_eq!(t, ParameterType::AwsList(AwsParameterType::SubnetId));
/// let s: ParameterType = "AWS::SSM::Parameter::Value<List<String>>".parse().unwrap();
/// assert_eq!(s.to_string(), "AWS::SSM::Parameter::Value<List<String>>");
/// assert!("Strin".parse::<ParameterType>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParameterType {
    /// `String`
    String,
    /// `Number`
    Number,
    /// `List<Number>`
    NumberList,
    /// `CommaDelimitedList`
    CommaDelimitedList,
    /// An AWS-specific type (`AWS::EC2::VPC::Id`).
    Aws(AwsParameterType),
    /// A list of an AWS-specific type (`List<AWS::EC2::Subnet::Id>`).
    AwsList(AwsParameterType),
    /// `List<String>`: only valid inside `AWS::SSM::Parameter::Value<...>`.
    StringList,
    /// `AWS::SSM::Parameter::Name`
    SsmParameterName,
    /// `AWS::SSM::Parameter::Value<T>`: the value of the SSM parameter whose
    /// name is given. `T` is `String`, `List<String>`, `CommaDelimitedList`,
    /// an AWS-specific type or a list of one.
    SsmParameterValue(Box<ParameterType>),
}

impl ParameterType {
    /// Whether values of this type are lists.
    pub fn is_list(&self) -> bool {
        match self {
            ParameterType::NumberList
            | ParameterType::StringList
            | ParameterType::CommaDelimitedList
            | ParameterType::AwsList(_) => true,
            ParameterType::SsmParameterValue(inner) => inner.is_list(),
            _ => false,
        }
    }

    /// Whether values of this type are numbers.
    pub fn is_number(&self) -> bool {
        matches!(self, ParameterType::Number | ParameterType::NumberList)
    }
}

impl fmt::Display for ParameterType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParameterType::String => f.write_str("String"),
            ParameterType::Number => f.write_str("Number"),
            ParameterType::NumberList => f.write_str("List<Number>"),
            ParameterType::CommaDelimitedList => f.write_str("CommaDelimitedList"),
            ParameterType::Aws(t) => f.write_str(t.as_str()),
            ParameterType::AwsList(t) => write!(f, "List<{}>", t.as_str()),
            ParameterType::SsmParameterName => f.write_str("AWS::SSM::Parameter::Name"),
            ParameterType::StringList => f.write_str("List<String>"),
            ParameterType::SsmParameterValue(t) => write!(f, "AWS::SSM::Parameter::Value<{t}>"),
        }
    }
}

impl FromStr for ParameterType {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let t = match s {
            "String" => Some(ParameterType::String),
            "Number" => Some(ParameterType::Number),
            "List<Number>" => Some(ParameterType::NumberList),
            "CommaDelimitedList" => Some(ParameterType::CommaDelimitedList),
            "AWS::SSM::Parameter::Name" => Some(ParameterType::SsmParameterName),
            _ => {
                if let Some(inner) = s
                    .strip_prefix("AWS::SSM::Parameter::Value<")
                    .and_then(|r| r.strip_suffix('>'))
                {
                    let inner = match inner {
                        "List<String>" => Some(ParameterType::StringList),
                        other => match other.parse::<ParameterType>() {
                            Ok(
                                t @ (ParameterType::String
                                | ParameterType::CommaDelimitedList
                                | ParameterType::Aws(_)
                                | ParameterType::AwsList(_)),
                            ) => Some(t),
                            _ => None,
                        },
                    };
                    inner.map(|t| ParameterType::SsmParameterValue(Box::new(t)))
                } else if let Some(inner) =
                    s.strip_prefix("List<").and_then(|r| r.strip_suffix('>'))
                {
                    AwsParameterType::parse(inner).map(ParameterType::AwsList)
                } else {
                    AwsParameterType::parse(s).map(ParameterType::Aws)
                }
            }
        };
        t.ok_or_else(|| {
            let mut names: Vec<String> = vec![
                "String".into(),
                "Number".into(),
                "List<Number>".into(),
                "CommaDelimitedList".into(),
                "AWS::SSM::Parameter::Name".into(),
            ];
            for t in AwsParameterType::ALL {
                names.push(t.as_str().into());
                names.push(format!("List<{}>", t.as_str()));
            }
            let hint = crate::error::suggest(s, names.iter().map(String::as_str));
            Error::new(ErrorKind::InvalidValue {
                value: format!("{s:?}"),
                hint,
                reason: (
                    "not a parameter type; use String, Number, List<Number>, CommaDelimitedList, an AWS-specific type such as AWS::EC2::VPC::Id or List<AWS::EC2::Subnet::Id>, AWS::SSM::Parameter::Name or AWS::SSM::Parameter::Value<...>"
                )
                    .into(),
            })
        })
    }
}

/// A `Parameters` entry with every constraint CloudFormation supports.
///
/// ```
/// use cfn_core::Parameter;
/// let p = Parameter::string()
///     .description("deployment environment")
///     .default("dev")
///     .allowed_values(["dev", "staging", "prod"]);
/// assert_eq!(p.allowed_values.as_ref().map(Vec::len), Some(3));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// `Type`.
    pub parameter_type: ParameterType,
    /// `Description`.
    pub description: Option<String>,
    /// `Default`.
    pub default: Option<Expr>,
    /// `AllowedValues`.
    pub allowed_values: Option<Vec<Expr>>,
    /// `AllowedPattern` (a Java regular expression matched against the whole value).
    pub allowed_pattern: Option<String>,
    /// `ConstraintDescription`: shown when a constraint fails.
    pub constraint_description: Option<String>,
    /// `MinLength` (String).
    pub min_length: Option<Expr>,
    /// `MaxLength` (String).
    pub max_length: Option<Expr>,
    /// `MinValue` (Number).
    pub min_value: Option<Expr>,
    /// `MaxValue` (Number).
    pub max_value: Option<Expr>,
    /// `NoEcho`: masks the value in the console and API.
    pub no_echo: Option<Expr>,
}

impl Parameter {
    /// A parameter of the given type, with no constraints.
    pub fn new(parameter_type: ParameterType) -> Self {
        Parameter {
            parameter_type,
            description: None,
            default: None,
            allowed_values: None,
            allowed_pattern: None,
            constraint_description: None,
            min_length: None,
            max_length: None,
            min_value: None,
            max_value: None,
            no_echo: None,
        }
    }
    /// A `String` parameter.
    pub fn string() -> Self {
        Self::new(ParameterType::String)
    }
    /// A `Number` parameter.
    pub fn number() -> Self {
        Self::new(ParameterType::Number)
    }
    /// A `CommaDelimitedList` parameter.
    pub fn comma_delimited_list() -> Self {
        Self::new(ParameterType::CommaDelimitedList)
    }
    /// An AWS-specific parameter (`AWS::EC2::VPC::Id`).
    pub fn aws(t: AwsParameterType) -> Self {
        Self::new(ParameterType::Aws(t))
    }
    /// An SSM parameter value (`AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>`):
    /// the default is the SSM parameter's name.
    pub fn ssm_value(t: ParameterType) -> Self {
        Self::new(ParameterType::SsmParameterValue(Box::new(t)))
    }
    /// Sets `Description`.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }
    /// Sets `Default`.
    pub fn default(mut self, v: impl Into<Expr>) -> Self {
        self.default = Some(v.into());
        self
    }
    /// Sets `AllowedValues`.
    pub fn allowed_values<V: Into<Expr>>(mut self, v: impl IntoIterator<Item = V>) -> Self {
        self.allowed_values = Some(v.into_iter().map(Into::into).collect());
        self
    }
    /// Sets `AllowedPattern`.
    pub fn allowed_pattern(mut self, p: impl Into<String>) -> Self {
        self.allowed_pattern = Some(p.into());
        self
    }
    /// Sets `ConstraintDescription`.
    pub fn constraint_description(mut self, d: impl Into<String>) -> Self {
        self.constraint_description = Some(d.into());
        self
    }
    /// Sets `MinLength`.
    pub fn min_length(mut self, n: u32) -> Self {
        self.min_length = Some(n.into());
        self
    }
    /// Sets `MaxLength`.
    pub fn max_length(mut self, n: u32) -> Self {
        self.max_length = Some(n.into());
        self
    }
    /// Sets `MinValue`.
    pub fn min_value(mut self, n: impl Into<Expr>) -> Self {
        self.min_value = Some(n.into());
        self
    }
    /// Sets `MaxValue`.
    pub fn max_value(mut self, n: impl Into<Expr>) -> Self {
        self.max_value = Some(n.into());
        self
    }
    /// Sets `NoEcho: true`.
    pub fn no_echo(mut self) -> Self {
        self.no_echo = Some(Expr::Bool(true));
        self
    }
}

/// A constraint of a parameter that a value breaks: the rule and what is
/// wrong with the value.
///
/// ```
/// use cfn_core::Parameter;
/// let p = Parameter::string().allowed_values(["dev", "prod"]);
/// let v = p.check_value("test");
/// assert_eq!(v[0].rule, "AllowedValues");
/// assert_eq!(v[0].reason, r#""test" is not in AllowedValues ["dev","prod"]"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Violation {
    /// The broken rule, named as in templates: `Type`, `AllowedValues`,
    /// `AllowedPattern`, `MinLength`, `MaxLength`, `MinValue`, `MaxValue`.
    pub rule: &'static str,
    /// What is wrong, naming the offending item and the constraint.
    pub reason: String,
}

/// A literal number in a constraint (`MinLength: 3` or `MinLength: "3"`).
pub(crate) fn literal_number(e: &Expr) -> Option<f64> {
    match e {
        Expr::Number(n) => n.as_f64(),
        Expr::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

impl Parameter {
    /// `AllowedPattern` compiled with CloudFormation's semantics: the
    /// pattern must match the whole value. `None` without a pattern; the
    /// engine's error when it cannot be evaluated. CloudFormation evaluates
    /// it as a Java regular expression: look-around and back-references
    /// are supported (see [`crate::pattern`]).
    pub(crate) fn pattern_regex(
        &self,
    ) -> Option<std::result::Result<crate::pattern::Pattern, String>> {
        let pat = self.allowed_pattern.as_ref()?;
        Some(crate::pattern::compile(pat, true))
    }

    /// Checks a value given for this parameter (as CloudFormation receives
    /// it: list types comma-separated) against its type and every
    /// constraint, and returns each broken one. A pattern that does not
    /// compile is not checked here (template validation reports it); nor
    /// are SSM parameter types, whose value is the name of an SSM parameter.
    ///
    /// ```
    /// use cfn_core::{Parameter, ParameterType};
    /// let ports = Parameter::new(ParameterType::NumberList).min_value(1).max_value(65535);
    /// assert!(ports.check_value("80,443").is_empty());
    /// let v = ports.check_value("80,http,70000");
    /// assert_eq!(v.iter().map(|v| v.rule).collect::<Vec<_>>(), ["Type", "MaxValue"]);
    /// ```
    pub fn check_value(&self, value: &str) -> Vec<Violation> {
        if matches!(
            self.parameter_type,
            ParameterType::SsmParameterName | ParameterType::SsmParameterValue(_)
        ) {
            return Vec::new();
        }
        let items: Vec<String> = if self.parameter_type.is_list() {
            value.split(',').map(|x| x.trim().to_owned()).collect()
        } else {
            vec![value.to_owned()]
        };
        let pattern = self.pattern_regex().and_then(|r| r.ok());
        let mut out = Vec::new();
        if let ParameterType::Aws(t) | ParameterType::AwsList(t) = &self.parameter_type {
            for item in &items {
                if let Some(shape) = t.shape_problem(item) {
                    out.push(Violation {
                        rule: "Type",
                        reason: format!("{item:?} is not a valid {}: {shape}", self.parameter_type),
                    });
                }
            }
        }
        out.extend(self.check_items(&items, pattern.as_ref()));
        out
    }

    /// The constraint checks shared by defaults (at validation) and given
    /// values (before a deploy), item by item.
    pub(crate) fn check_items(
        &self,
        items: &[String],
        pattern: Option<&crate::pattern::Pattern>,
    ) -> Vec<Violation> {
        let mut out = Vec::new();
        let mut fail = |rule: &'static str, reason: String| out.push(Violation { rule, reason });
        for item in items {
            if let Some(allowed) = &self.allowed_values {
                let ok = allowed.iter().any(|a| match a {
                    Expr::String(s) => s == item,
                    Expr::Number(n) => n.to_string() == *item,
                    Expr::Bool(b) => b.to_string() == *item,
                    _ => false,
                });
                if !ok {
                    fail(
                        "AllowedValues",
                        format!(
                            "{item:?} is not in AllowedValues {}",
                            serde_json::to_string(allowed).unwrap_or_default()
                        ),
                    );
                }
            }
            if let Some(r) = pattern {
                // a match that exceeds the backtracking limit is not a violation
                if matches!(r.is_match(item), Ok(false)) {
                    fail(
                        "AllowedPattern",
                        format!(
                            "{item:?} does not match AllowedPattern {:?}",
                            self.allowed_pattern.as_deref().unwrap_or_default()
                        ),
                    );
                }
            }
            let len = item.chars().count() as f64;
            if let Some(min) = self.min_length.as_ref().and_then(literal_number) {
                if len < min {
                    fail(
                        "MinLength",
                        format!("{item:?} is shorter than MinLength {min}"),
                    );
                }
            }
            if let Some(max) = self.max_length.as_ref().and_then(literal_number) {
                if len > max {
                    fail(
                        "MaxLength",
                        format!("{item:?} is longer than MaxLength {max}"),
                    );
                }
            }
            if self.parameter_type.is_number() {
                match item.parse::<f64>() {
                    Err(_) => fail(
                        "Type",
                        format!(
                            "{item:?} is not a number, but the type is {}",
                            self.parameter_type
                        ),
                    ),
                    Ok(n) => {
                        if let Some(min) = self.min_value.as_ref().and_then(literal_number) {
                            if n < min {
                                fail("MinValue", format!("{item} is below MinValue {min}"));
                            }
                        }
                        if let Some(max) = self.max_value.as_ref().and_then(literal_number) {
                            if n > max {
                                fail("MaxValue", format!("{item} is above MaxValue {max}"));
                            }
                        }
                    }
                }
            }
        }
        out
    }
}

impl AwsParameterType {
    /// What is wrong with the shape of `value` for this type, when that can
    /// be told without asking AWS (`vpc-` and 8 or 17 hex digits for a VPC
    /// id). Whether the resource exists is CloudFormation's check.
    ///
    /// ```
    /// use cfn_core::AwsParameterType;
    /// assert!(AwsParameterType::VpcId.shape_problem("vpc-0a1b2c3d").is_none());
    /// assert!(AwsParameterType::VpcId.shape_problem("subnet-0a1b2c3d").is_some());
    /// ```
    pub fn shape_problem(self, value: &str) -> Option<String> {
        let prefix = match self {
            AwsParameterType::ImageId => "ami-",
            AwsParameterType::InstanceId => "i-",
            AwsParameterType::SecurityGroupId => "sg-",
            AwsParameterType::SubnetId => "subnet-",
            AwsParameterType::VolumeId => "vol-",
            AwsParameterType::VpcId => "vpc-",
            AwsParameterType::HostedZoneId => {
                let ok = !value.is_empty()
                    && value.len() <= 32
                    && value
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
                return (!ok).then(|| {
                    "expected up to 32 upper-case letters and digits, such as Z0123456789ABCDEFGHIJ"
                        .to_owned()
                });
            }
            AwsParameterType::AvailabilityZoneName => {
                let ok = value.len() > 3
                    && value.as_bytes()[2] == b'-'
                    && value
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    && value.ends_with(|c: char| c.is_ascii_lowercase());
                return (!ok).then(|| "expected a zone name such as us-east-1a".to_owned());
            }
            AwsParameterType::KeyPairName | AwsParameterType::SecurityGroupName => {
                return value
                    .is_empty()
                    .then(|| "expected a name, found an empty string".to_owned());
            }
        };
        let hex = value.strip_prefix(prefix).unwrap_or("");
        let ok = matches!(hex.len(), 8 | 17)
            && hex
                .chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c));
        (!ok).then(|| format!("expected `{prefix}` followed by 8 or 17 hexadecimal digits, such as {prefix}0123456789abcdef0"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_round_trips_through_text() {
        let mut names = vec![
            "String".to_string(),
            "Number".into(),
            "List<Number>".into(),
            "CommaDelimitedList".into(),
            "AWS::SSM::Parameter::Name".into(),
            "AWS::SSM::Parameter::Value<String>".into(),
            "AWS::SSM::Parameter::Value<CommaDelimitedList>".into(),
        ];
        for t in AwsParameterType::ALL {
            names.push(t.as_str().into());
            names.push(format!("List<{}>", t.as_str()));
            names.push(format!("AWS::SSM::Parameter::Value<{}>", t.as_str()));
            names.push(format!("AWS::SSM::Parameter::Value<List<{}>>", t.as_str()));
        }
        for n in names {
            let t: ParameterType = n.parse().unwrap();
            assert_eq!(t.to_string(), n);
        }
        let t: ParameterType = "AWS::SSM::Parameter::Value<List<String>>".parse().unwrap();
        assert!(t.is_list());
    }

    #[test]
    fn unknown_type_suggests() {
        let e = "AWS::EC2::VPC::ID".parse::<ParameterType>().unwrap_err();
        assert!(
            e.to_string().contains("did you mean `AWS::EC2::VPC::Id`"),
            "{e}"
        );
    }
}

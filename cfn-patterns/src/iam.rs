//! A typed IAM policy-document builder.
//!
//! ```
//! use cfn_patterns::iam::{PolicyDocument, Principal, Statement};
//! let doc = PolicyDocument::new()
//!     .statement(Statement::allow().actions(["s3:GetObject"]).resource("arn:aws:s3:::raven/*"))
//!     .statement(Statement::deny().sid("TlsOnly").principal(Principal::Any).action("s3:*")
//!         .resource("arn:aws:s3:::raven/*").condition("Bool", "aws:SecureTransport", "false"));
//! let json = serde_json::to_string(&doc.to_json()).unwrap();
//! assert!(json.starts_with(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow""#));
//! ```

use cfn_core::{json_list, json_object, Json, Value};

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Grants.
    Allow,
    /// Refuses, whatever else grants.
    Deny,
}

/// Who a resource policy or trust policy applies to.
#[derive(Debug, Clone, PartialEq)]
pub enum Principal {
    /// An AWS service (`ec2.amazonaws.com`).
    Service(String),
    /// An AWS service whose name is computed (`logs.${AWS::Region}.amazonaws.com`).
    ServiceExpr(Value<String>),
    /// An IAM principal ARN (a role, a user, an account root).
    Aws(Value<String>),
    /// The stack's own account (`arn:${AWS::Partition}:iam::${AWS::AccountId}:root`).
    ThisAccount,
    /// Everyone. Use only in `Deny` statements or with a condition.
    Any,
}

impl Principal {
    fn to_json(&self) -> Value<Json> {
        match self {
            Principal::Service(s) => json_object([("Service", s.as_str().into())]),
            Principal::ServiceExpr(s) => json_object([("Service", s.clone().into_json())]),
            Principal::Aws(v) => json_object([("AWS", v.clone().into_json())]),
            Principal::ThisAccount => json_object([(
                "AWS",
                cfn_core::fns::sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root").into_json(),
            )]),
            Principal::Any => "*".into(),
        }
    }
}

/// One statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    sid: Option<String>,
    effect: Effect,
    principal: Option<Principal>,
    actions: Vec<String>,
    not_actions: Vec<String>,
    resources: Vec<Value<String>>,
    conditions: Vec<(String, String, Value<Json>)>,
}

impl Statement {
    fn new(effect: Effect) -> Self {
        Statement {
            sid: None,
            effect,
            principal: None,
            actions: Vec::new(),
            not_actions: Vec::new(),
            resources: Vec::new(),
            conditions: Vec::new(),
        }
    }
    /// An `Allow` statement.
    pub fn allow() -> Self {
        Self::new(Effect::Allow)
    }
    /// A `Deny` statement.
    pub fn deny() -> Self {
        Self::new(Effect::Deny)
    }
    /// Sets the statement id.
    pub fn sid(mut self, sid: &str) -> Self {
        self.sid = Some(sid.to_owned());
        self
    }
    /// Sets the principal (resource and trust policies).
    pub fn principal(mut self, p: Principal) -> Self {
        self.principal = Some(p);
        self
    }
    /// Adds an action (`s3:GetObject`).
    pub fn action(mut self, a: &str) -> Self {
        self.actions.push(a.to_owned());
        self
    }
    /// Adds actions.
    pub fn actions<'a>(mut self, a: impl IntoIterator<Item = &'a str>) -> Self {
        self.actions.extend(a.into_iter().map(str::to_owned));
        self
    }
    /// Adds `NotAction` entries (for deny-everything-except statements).
    pub fn not_actions<'a>(mut self, a: impl IntoIterator<Item = &'a str>) -> Self {
        self.not_actions.extend(a.into_iter().map(str::to_owned));
        self
    }
    /// Adds a resource ARN.
    pub fn resource(mut self, r: impl Into<Value<String>>) -> Self {
        self.resources.push(r.into());
        self
    }
    /// Applies to every resource (`*`). Lint flags this on `Allow` with
    /// write actions; prefer ARNs.
    pub fn any_resource(self) -> Self {
        self.resource("*")
    }
    /// Adds a condition: `{operator: {key: value}}`.
    pub fn condition(mut self, operator: &str, key: &str, value: impl Into<Value<Json>>) -> Self {
        self.conditions
            .push((operator.to_owned(), key.to_owned(), value.into()));
        self
    }

    /// The statement as JSON.
    pub fn to_json(&self) -> Value<Json> {
        let mut entries: Vec<(&str, Value<Json>)> = Vec::new();
        if let Some(s) = &self.sid {
            entries.push(("Sid", s.as_str().into()));
        }
        entries.push((
            "Effect",
            match self.effect {
                Effect::Allow => "Allow".into(),
                Effect::Deny => "Deny".into(),
            },
        ));
        if let Some(p) = &self.principal {
            entries.push(("Principal", p.to_json()));
        }
        let list = |v: &[String]| -> Value<Json> {
            if v.len() == 1 {
                v[0].as_str().into()
            } else {
                json_list(v.iter().map(|a| a.as_str().into()))
            }
        };
        if !self.actions.is_empty() {
            entries.push(("Action", list(&self.actions)));
        }
        if !self.not_actions.is_empty() {
            entries.push(("NotAction", list(&self.not_actions)));
        }
        if !self.resources.is_empty() {
            let r = if self.resources.len() == 1 {
                self.resources[0].clone().into_json()
            } else {
                json_list(self.resources.iter().map(|r| r.clone().into_json()))
            };
            entries.push(("Resource", r));
        }
        if !self.conditions.is_empty() {
            type Keys = Vec<(String, Value<Json>)>;
            let mut ops: Vec<(String, Keys)> = Vec::new();
            for (op, key, value) in &self.conditions {
                match ops.iter_mut().find(|(o, _)| o == op) {
                    Some((_, keys)) => keys.push((key.clone(), value.clone())),
                    None => ops.push((op.clone(), vec![(key.clone(), value.clone())])),
                }
            }
            let cond = json_object(ops.iter().map(|(op, keys)| {
                (
                    op.as_str(),
                    json_object(keys.iter().map(|(k, v)| (k.as_str(), v.clone()))),
                )
            }));
            entries.push(("Condition", cond));
        }
        json_object(entries)
    }
}

/// A policy document (`Version: 2012-10-17`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PolicyDocument {
    statements: Vec<Statement>,
}

impl PolicyDocument {
    /// An empty document.
    pub fn new() -> Self {
        Self::default()
    }
    /// Adds a statement.
    pub fn statement(mut self, s: Statement) -> Self {
        self.statements.push(s);
        self
    }
    /// Adds statements.
    pub fn statements(mut self, s: impl IntoIterator<Item = Statement>) -> Self {
        self.statements.extend(s);
        self
    }
    /// The document as JSON.
    pub fn to_json(&self) -> Value<Json> {
        json_object([
            ("Version", "2012-10-17".into()),
            (
                "Statement",
                json_list(self.statements.iter().map(Statement::to_json)),
            ),
        ])
    }
    /// A trust policy letting an AWS service assume the role.
    pub fn assume_role(service: &str) -> Self {
        PolicyDocument::new().statement(
            Statement::allow()
                .principal(Principal::Service(service.to_owned()))
                .action("sts:AssumeRole"),
        )
    }
}

/// Denies every action except managing one's own MFA device and password
/// while the caller has not signed in with MFA: the statement that makes a
/// group's members use MFA.
pub fn deny_without_mfa() -> Statement {
    Statement::deny()
        .sid("DenyAllExceptMfaSetupWithoutMfa")
        .not_actions([
            "iam:CreateVirtualMFADevice",
            "iam:EnableMFADevice",
            "iam:GetUser",
            "iam:ListMFADevices",
            "iam:ListVirtualMFADevices",
            "iam:ResyncMFADevice",
            "iam:ChangePassword",
            "sts:GetSessionToken",
        ])
        .any_resource()
        .condition("BoolIfExists", "aws:MultiFactorAuthPresent", "false")
}

/// Denies requests that do not use TLS, for bucket and topic policies.
pub fn deny_insecure_transport(resources: impl IntoIterator<Item = Value<String>>) -> Statement {
    let mut s = Statement::deny()
        .sid("DenyInsecureTransport")
        .principal(Principal::Any)
        .action("s3:*")
        .condition("Bool", "aws:SecureTransport", "false");
    for r in resources {
        s = s.resource(r);
    }
    s
}

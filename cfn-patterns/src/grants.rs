//! Grants and connections: least-privilege permissions from a resource to
//! a role, and security-group rules from one tier to another.
//!
//! A grant names its actions explicitly and scopes them to the resource's
//! ARNs; it lands in the grantee's role as an inline policy named after the
//! resource and the access (`ItemsTable-read-write`), so a function or an
//! instance has it before it starts. Granting the same access twice is a
//! no-op.
//!
//! ```
//! use cfn_core::Template;
//! use cfn_patterns::grants::grant;
//! use cfn_patterns::iam::{PolicyDocument, Statement};
//! use cfn_resources::iam::Role;
//! let mut t = Template::new();
//! let role = t.add("Worker", Role::new(PolicyDocument::assume_role("lambda.amazonaws.com").to_json())).unwrap();
//! grant(&mut t, &role, "reports-read", [Statement::allow().action("s3:GetObject").resource("arn:aws:s3:::reports/*")]).unwrap();
//! let json = t.synth(cfn_core::Format::Json).unwrap();
//! assert!(json.contains("\"PolicyName\": \"reports-read\""));
//! ```
//!
//! A connection opens one TCP port from one security group to another: the
//! ingress rule on the target and the matching egress rule on the source,
//! as standalone resources (inline rules in both groups would be a
//! dependency cycle).

use crate::compute::AutoScalingTier;
use crate::iam::{PolicyDocument, Statement};
use cfn_core::{json_object, Error, ErrorKind, Expr, Handle, Result, Template};
use cfn_resources::ec2::{SecurityGroup, SecurityGroupEgress, SecurityGroupIngress};
use cfn_resources::iam::Role;

/// Something with an IAM role that permissions can be granted to: a role,
/// an Auto Scaling tier, a Lambda function.
pub trait Grantee {
    /// The role that receives the grant.
    fn grant_role(&self) -> &Handle<Role>;
}

impl Grantee for Handle<Role> {
    fn grant_role(&self) -> &Handle<Role> {
        self
    }
}

impl Grantee for AutoScalingTier {
    fn grant_role(&self) -> &Handle<Role> {
        &self.role
    }
}

/// Adds `statements` to `to`'s role as the inline policy `name`; a policy
/// of that name already there is kept as it is (the same grant twice).
///
/// Errors when the role is not declared in `t`, or when its `Policies` is
/// not a literal list (an `Fn::If`, say): then add a policy by hand.
pub fn grant(
    t: &mut Template,
    to: &impl Grantee,
    name: &str,
    statements: impl IntoIterator<Item = Statement>,
) -> Result<()> {
    let role = to.grant_role();
    let path = format!("Resources/{}/Properties/Policies", role.id());
    let invalid = |reason: &str| {
        Error::at(
            path.clone(),
            ErrorKind::InvalidValue {
                value: format!("{name:?}"),
                hint: cfn_core::error::Hint::None,
                reason: reason.to_owned(),
            },
        )
    };
    let doc = PolicyDocument::new().statements(statements).to_json();
    let Some(resource) = t.resource_mut(role) else {
        return Err(invalid(
            "the grantee's role is not declared in this template; grant in the template that declares it",
        ));
    };
    let props = resource.properties.get_or_insert_with(Default::default);
    let policies = props
        .entry("Policies".to_owned())
        .or_insert_with(|| Expr::List(Vec::new()));
    let Expr::List(list) = policies else {
        return Err(invalid(
            "the role's Policies is not a literal list; add the policy to the role by hand",
        ));
    };
    let exists = list.iter().any(|p| match p {
        Expr::Map(m) => m.get("PolicyName").and_then(Expr::as_str) == Some(name),
        _ => false,
    });
    if !exists {
        list.push(json_object([("PolicyDocument", doc), ("PolicyName", name.into())]).into_expr());
    }
    Ok(())
}

/// Something behind a security group that connections can start or end at.
pub trait Connectable {
    /// Its security group.
    fn security_group(&self) -> &Handle<SecurityGroup>;
}

impl Connectable for Handle<SecurityGroup> {
    fn security_group(&self) -> &Handle<SecurityGroup> {
        self
    }
}

impl Connectable for AutoScalingTier {
    fn security_group(&self) -> &Handle<SecurityGroup> {
        &self.security_group
    }
}

/// Opens TCP `port` from `from` to `to`: declares
/// `{To}Ingress{port}From{From}` on `to`'s group and
/// `{From}Egress{port}To{To}` on `from`'s group (group logical ids), both
/// naming the other group, never a CIDR.
///
/// ```
/// use cfn_core::Template;
/// use cfn_patterns::grants::allow_tcp;
/// use cfn_resources::ec2::SecurityGroup;
/// let mut t = Template::new();
/// let app = t.add("AppSg", SecurityGroup::new("app")).unwrap();
/// let db = t.add("DbSg", SecurityGroup::new("db")).unwrap();
/// allow_tcp(&mut t, &app, &db, 5432, "PostgreSQL").unwrap();
/// assert!(t.resources.contains_key("DbSgIngress5432FromAppSg"));
/// assert!(t.resources.contains_key("AppSgEgress5432ToDbSg"));
/// ```
pub fn allow_tcp(
    t: &mut Template,
    from: &impl Connectable,
    to: &impl Connectable,
    port: i64,
    what: &str,
) -> Result<()> {
    let (from, to) = (from.security_group(), to.security_group());
    t.add(
        &format!("{}Ingress{port}From{}", to.id(), from.id()),
        SecurityGroupIngress::new("tcp")
            .group_id(to.reference())
            .from_port(port)
            .to_port(port)
            .source_security_group_id(from.reference())
            .description(format!("{what} from {}", from.id())),
    )?;
    t.add(
        &format!("{}Egress{port}To{}", from.id(), to.id()),
        SecurityGroupEgress::new(from.reference(), "tcp")
            .from_port(port)
            .to_port(port)
            .destination_security_group_id(to.reference())
            .description(format!("{what} to {}", to.id())),
    )?;
    Ok(())
}

/// The KMS actions that encrypt and decrypt with a key (data keys
/// included), for grants on resources encrypted with it.
pub(crate) const KMS_ENCRYPT_DECRYPT: [&str; 4] = [
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:GenerateDataKey",
];

/// The KMS actions that only decrypt.
pub(crate) const KMS_DECRYPT: [&str; 2] = ["kms:Decrypt", "kms:DescribeKey"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grant_twice_adds_one_policy_and_keeps_existing_ones() {
        let mut t = Template::new();
        let role = t
            .add(
                "R",
                Role::new(PolicyDocument::assume_role("lambda.amazonaws.com").to_json()).policies(
                    vec![cfn_resources::iam::role::Policy::new(
                        PolicyDocument::new()
                            .statement(Statement::allow().action("s3:GetObject").resource("x"))
                            .to_json(),
                        "own",
                    )],
                ),
            )
            .unwrap();
        for _ in 0..2 {
            grant(
                &mut t,
                &role,
                "more",
                [Statement::allow().action("sqs:SendMessage").resource("q")],
            )
            .unwrap();
        }
        let Some(Expr::List(p)) = t.resources["R"]
            .properties
            .as_ref()
            .unwrap()
            .get("Policies")
        else {
            panic!("no policies")
        };
        assert_eq!(p.len(), 2);
    }

    #[test]
    fn grant_to_a_role_of_another_template_is_an_error() {
        let mut other = Template::new();
        let role = other
            .add(
                "R",
                Role::new(PolicyDocument::assume_role("lambda.amazonaws.com").to_json()),
            )
            .unwrap();
        let e = grant(&mut Template::new(), &role, "x", []).unwrap_err();
        assert!(
            e.to_string().contains("not declared in this template"),
            "{e}"
        );
    }
}

//! XPROP011: a `Ref` or `Fn::GetAtt` of the wrong resource type or the
//! wrong form, judged against the [`REFERENCES`] table.

use cfn_core::{Expr, ExprMap, Intrinsic, Template};

/// What a reference must yield: `Ref` of one of these types, or
/// `Fn::GetAtt` of `type.attribute`.
#[derive(Debug, Clone, Copy)]
pub enum Yields {
    /// `Ref` to a resource of this type.
    Ref(&'static str),
    /// `Fn::GetAtt` of this type's attribute.
    GetAtt(&'static str, &'static str),
}

/// XPROP011's table: (resource type, property, whether it is a list, what
/// a reference in it must yield). A `Ref` or `Fn::GetAtt` of another
/// resource of the template that yields none of these is an error;
/// literals, parameters and other intrinsics are not judged. Each entry
/// follows the property's documentation (what CloudFormation accepts).
pub const REFERENCES: &[(&str, &str, bool, &[Yields])] = &[
    // "The API identifier."
    (
        "AWS::ApiGatewayV2::Integration",
        "ApiId",
        false,
        &[Yields::Ref("AWS::ApiGatewayV2::Api")],
    ),
    (
        "AWS::ApiGatewayV2::Route",
        "ApiId",
        false,
        &[Yields::Ref("AWS::ApiGatewayV2::Api")],
    ),
    (
        "AWS::ApiGatewayV2::Stage",
        "ApiId",
        false,
        &[Yields::Ref("AWS::ApiGatewayV2::Api")],
    ),
    // "The ARN of the function's execution role."
    (
        "AWS::Lambda::Function",
        "Role",
        false,
        &[Yields::GetAtt("AWS::IAM::Role", "Arn")],
    ),
    // "The name or ARN of the Lambda function, version, or alias."
    (
        "AWS::Lambda::Permission",
        "FunctionName",
        false,
        &[
            Yields::Ref("AWS::Lambda::Function"),
            Yields::GetAtt("AWS::Lambda::Function", "Arn"),
            Yields::Ref("AWS::Lambda::Alias"),
            Yields::Ref("AWS::Lambda::Version"),
        ],
    ),
    (
        "AWS::Lambda::EventSourceMapping",
        "FunctionName",
        false,
        &[
            Yields::Ref("AWS::Lambda::Function"),
            Yields::GetAtt("AWS::Lambda::Function", "Arn"),
            Yields::Ref("AWS::Lambda::Alias"),
            Yields::Ref("AWS::Lambda::Version"),
        ],
    ),
    // "The Amazon Resource Name (ARN) of the event source."
    (
        "AWS::Lambda::EventSourceMapping",
        "EventSourceArn",
        false,
        &[
            Yields::GetAtt("AWS::SQS::Queue", "Arn"),
            Yields::GetAtt("AWS::DynamoDB::Table", "StreamArn"),
            Yields::GetAtt("AWS::Kinesis::Stream", "Arn"),
            Yields::GetAtt("AWS::Kinesis::StreamConsumer", "ConsumerARN"),
            Yields::GetAtt("AWS::MSK::Cluster", "Arn"),
            Yields::Ref("AWS::MSK::Cluster"),
            Yields::GetAtt("AWS::DocDB::DBCluster", "Arn"),
            Yields::Ref("AWS::AmazonMQ::Broker"),
            Yields::GetAtt("AWS::AmazonMQ::Broker", "Arn"),
        ],
    ),
    // "The EC2 Subnet IDs for the DB subnet group."
    (
        "AWS::RDS::DBSubnetGroup",
        "SubnetIds",
        true,
        &[
            Yields::Ref("AWS::EC2::Subnet"),
            Yields::GetAtt("AWS::EC2::Subnet", "SubnetId"),
        ],
    ),
    // "A list of the VPC security group IDs to assign to the DB instance."
    (
        "AWS::RDS::DBInstance",
        "VPCSecurityGroups",
        true,
        &[
            Yields::GetAtt("AWS::EC2::SecurityGroup", "GroupId"),
            Yields::Ref("AWS::EC2::SecurityGroup"),
        ],
    ),
    // "The Amazon Resource Name (ARN) of the KMS key" (pattern `^arn:...`)
    (
        "AWS::Logs::LogGroup",
        "KmsKeyId",
        false,
        &[Yields::GetAtt("AWS::KMS::Key", "Arn")],
    ),
];

/// What a `Ref` or `Fn::GetAtt` to a resource of `t` yields, as
/// (type, attribute): `None` for other expressions.
fn yields<'a>(t: &'a Template, e: &'a Expr) -> Option<(&'a str, &'a str, Option<&'a str>)> {
    match e.as_intrinsic()? {
        Intrinsic::Ref(id) => {
            let r = t.resources.get(id.as_str())?;
            Some((id.as_str(), r.type_name.as_str(), None))
        }
        Intrinsic::GetAtt {
            resource,
            attribute,
        } => {
            let r = t.resources.get(resource.as_str())?;
            Some((resource.as_str(), r.type_name.as_str(), attribute.as_str()))
        }
        _ => None,
    }
}

/// XPROP011: references of the right resource type and form.
pub(super) fn reference_targets(
    t: &Template,
    type_name: &str,
    p: &ExprMap,
    out: &mut Vec<(String, String)>,
) {
    for (ty, property, is_list, allowed) in REFERENCES {
        if *ty != type_name {
            continue;
        }
        let Some(value) = p.get(*property) else {
            continue;
        };
        let items: Vec<(String, &Expr)> = match (is_list, value) {
            (true, Expr::List(l)) => l
                .iter()
                .enumerate()
                .map(|(i, e)| (format!("{property}/{i}"), e))
                .collect(),
            (true, _) => continue,
            (false, e) => vec![((*property).to_owned(), e)],
        };
        for (path, e) in items {
            let Some((id, target_type, attribute)) = yields(t, e) else {
                continue;
            };
            let fits = allowed.iter().any(|y| match (y, attribute) {
                (Yields::Ref(ty), None) => *ty == target_type,
                (Yields::GetAtt(ty, a), Some(attr)) => *ty == target_type && *a == attr,
                _ => false,
            });
            if !fits {
                let got = match attribute {
                    None => format!("`Ref` of `{id}` ({target_type})"),
                    Some(a) => format!("`Fn::GetAtt` of `{id}.{a}` ({target_type})"),
                };
                let want: Vec<String> = allowed
                    .iter()
                    .map(|y| match y {
                        Yields::Ref(ty) => format!("`Ref` of an {ty}"),
                        Yields::GetAtt(ty, a) => format!("`Fn::GetAtt` {a} of an {ty}"),
                    })
                    .collect();
                out.push((
                    path,
                    format!(
                        "{got} does not give what `{property}` takes; it takes {}",
                        want.join(" or ")
                    ),
                ));
            }
        }
    }
}

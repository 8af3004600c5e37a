//! Every intrinsic function and pseudo parameter, rendered to JSON and YAML
//! (snapshots), and read back into the same model.

use cfn_core::expr::{Expr, ExprMap, Intrinsic};
use cfn_core::{fns, pseudo, Format, Output, Parameter, Raw, Template, Value};

fn s(v: &str) -> Expr {
    Expr::String(v.to_owned())
}

/// One template that uses every intrinsic, each as the value of its own output.
fn all_intrinsics() -> Template {
    let mut t = Template::new();
    t.set_description("every intrinsic function and pseudo parameter");
    t.add_transform("AWS::LanguageExtensions");
    let env = t
        .add_parameter(
            "Env",
            Parameter::string()
                .allowed_values(["dev", "prod"])
                .default("dev"),
        )
        .unwrap();
    let cidr = t
        .add_parameter("VpcCidr", Parameter::string().default("10.0.0.0/16"))
        .unwrap();
    let mut region_map = cfn_core::Mapping::new();
    region_map.insert(
        "us-east-1".into(),
        [("Ami".to_string(), s("ami-0123456789abcdef0"))]
            .into_iter()
            .collect(),
    );
    let map = t.add_mapping("RegionMap", region_map).unwrap();
    let is_prod = t
        .add_condition("IsProd", fns::equals(env.reference(), "prod"))
        .unwrap();
    let not_prod = t.add_condition("NotProd", fns::not(&is_prod)).unwrap();
    let both = t
        .add_condition(
            "Both",
            fns::and([
                fns::condition(&is_prod),
                fns::equals(pseudo::region(), "us-east-1"),
            ]),
        )
        .unwrap();
    let either = t
        .add_condition(
            "Either",
            fns::or([fns::condition(&is_prod), fns::condition(&not_prod)]),
        )
        .unwrap();
    let bucket = t
        .add(
            "Assets",
            Raw::new("AWS::S3::Bucket").property(
                "BucketName",
                fns::if_(
                    &both,
                    fns::sub("${AWS::StackName}-assets"),
                    pseudo::no_value(),
                )
                .into_json(),
            ),
        )
        .unwrap();
    let mut out = |id: &str, v: Value<cfn_core::Json>| {
        t.add_output(id, Output::new(v)).unwrap();
    };
    out("Ref", bucket.reference().into_json());
    out(
        "GetAtt",
        bucket.get_att_unchecked::<String>("Arn").into_json(),
    );
    out(
        "Sub",
        fns::sub("arn:${AWS::Partition}:s3:::${Assets}/*").into_json(),
    );
    out(
        "SubWithVars",
        fns::sub_with("${Name}-${AWS::Region}", [("Name", env.reference())]).into_json(),
    );
    out(
        "Join",
        fns::join(",", vec![pseudo::account_id(), pseudo::region()]).into_json(),
    );
    out("Select", fns::select(1, fns::get_azs("")).into_json());
    out(
        "Split",
        fns::join("|", fns::split(",", "a,b,c")).into_json(),
    );
    out(
        "GetAZs",
        fns::select(0, fns::get_azs(pseudo::region())).into_json(),
    );
    out(
        "Cidr",
        fns::join(",", fns::cidr(cidr.reference(), 6, 8)).into_json(),
    );
    out(
        "ImportValue",
        fns::import_value::<String>("shared-vpc-id").into_json(),
    );
    out(
        "FindInMap",
        fns::find_in_map::<String>(&map, pseudo::region(), "Ami").into_json(),
    );
    out(
        "FindInMapDefault",
        fns::find_in_map_or::<String>(&map, pseudo::region(), "Ami", "ami-default").into_json(),
    );
    out(
        "Base64",
        fns::base64(fns::sub("#!/bin/bash\necho ${Env}\n")).into_json(),
    );
    out("If", fns::if_::<String>(&either, "yes", "no").into_json());
    out("Length", fns::length(fns::get_azs("")).into_json());
    out(
        "ToJsonString",
        fns::to_json_string(cfn_core::json_object([(
            "env",
            env.reference().into_json(),
        )]))
        .into_json(),
    );
    out(
        "Transform",
        fns::transform(
            "AWS::Include",
            [("Location", "s3://bucket/snippet.yaml".into())],
        ),
    );
    out("AccountId", pseudo::account_id().into_json());
    out(
        "NotificationARNs",
        fns::join(",", pseudo::notification_arns()).into_json(),
    );
    out("Partition", pseudo::partition().into_json());
    out("Region", pseudo::region().into_json());
    out("StackId", pseudo::stack_id().into_json());
    out("StackName", pseudo::stack_name().into_json());
    out("URLSuffix", pseudo::url_suffix().into_json());
    out("Ssm", fns::resolve_ssm("/raven/ami", Some(2)).into_json());
    out(
        "SsmSecure",
        fns::resolve_ssm_secure("/raven/token", Some(1)).into_json(),
    );
    out(
        "Secret",
        fns::resolve_secret("raven/db", Some("password"), None, None).into_json(),
    );
    t.outputs.get_mut("If").unwrap().condition = Some("IsProd".into());
    t.add_rule(
        "ProdInUsEast1",
        cfn_core::Rule::new()
            .when(fns::equals(env.reference(), "prod"))
            .assert(
                cfn_core::CondExpr::from_expr_unchecked(Expr::func(Intrinsic::Contains(
                    Expr::List(vec![s("us-east-1")]),
                    Expr::func(Intrinsic::Ref("AWS::Region".into())),
                ))),
                "prod runs in us-east-1",
            ),
    )
    .unwrap();
    t
}

#[test]
fn all_intrinsics_render_to_json() {
    insta::assert_snapshot!(all_intrinsics().to_json_pretty());
}

#[test]
fn all_intrinsics_render_to_yaml() {
    insta::assert_snapshot!(all_intrinsics().to_yaml());
}

#[test]
fn all_intrinsics_validate_cleanly() {
    let report = all_intrinsics().validate();
    assert!(report.diagnostics.is_empty(), "{report}");
}

#[test]
fn rendering_reads_back_identically() {
    let t = all_intrinsics();
    for format in [Format::Json, Format::JsonCompact, Format::Yaml] {
        let text = t.render(format);
        let back = Template::parse_str(&text, format, None).unwrap();
        assert_eq!(back, t, "{format:?}");
        assert_eq!(back.render(format), text, "{format:?} bytes");
    }
}

#[test]
fn rendering_is_deterministic() {
    let a = all_intrinsics().to_json_pretty();
    for _ in 0..5 {
        assert_eq!(all_intrinsics().to_json_pretty(), a);
    }
}

/// The rules-only and remaining intrinsics, built directly, each render and
/// parse back.
#[test]
fn every_intrinsic_round_trips() {
    let r = || Expr::func(Intrinsic::Ref("P".into()));
    let all = vec![
        Intrinsic::Ref("P".into()),
        Intrinsic::GetAtt {
            resource: "R".into(),
            attribute: s("A.B"),
        },
        Intrinsic::GetAtt {
            resource: "R".into(),
            attribute: r(),
        },
        Intrinsic::Sub {
            template: "${P}".into(),
            vars: None,
        },
        Intrinsic::Sub {
            template: "x".into(),
            vars: Some(ExprMap::new()),
        },
        Intrinsic::Join {
            delimiter: "".into(),
            values: Expr::List(vec![s("a"), r()]),
        },
        Intrinsic::Select {
            index: 0.into(),
            list: r(),
        },
        Intrinsic::Split {
            delimiter: ",".into(),
            source: r(),
        },
        Intrinsic::GetAZs(s("")),
        Intrinsic::Cidr {
            ip_block: s("10.0.0.0/16"),
            count: 2.into(),
            cidr_bits: 8.into(),
        },
        Intrinsic::ImportValue(s("x")),
        Intrinsic::FindInMap {
            map: s("M"),
            top_key: r(),
            second_key: s("k"),
            default: None,
        },
        Intrinsic::FindInMap {
            map: s("M"),
            top_key: s("a"),
            second_key: s("k"),
            default: Some(s("d")),
        },
        Intrinsic::Base64(s("x")),
        Intrinsic::If {
            condition: "C".into(),
            then: s("a"),
            otherwise: r(),
        },
        Intrinsic::Equals(r(), s("a")),
        Intrinsic::And(vec![
            Expr::func(Intrinsic::Condition("C".into())),
            Expr::Bool(true),
        ]),
        Intrinsic::Or(vec![
            Expr::func(Intrinsic::Condition("C".into())),
            Expr::Bool(false),
        ]),
        Intrinsic::Not(Expr::func(Intrinsic::Condition("C".into()))),
        Intrinsic::Condition("C".into()),
        Intrinsic::Transform {
            name: s("AWS::Include"),
            parameters: [("Location".to_string(), s("s3://b/k"))]
                .into_iter()
                .collect(),
        },
        Intrinsic::Length(r()),
        Intrinsic::ToJsonString(Expr::Map([("a".to_string(), r())].into_iter().collect())),
        Intrinsic::Contains(Expr::List(vec![s("a")]), r()),
        Intrinsic::EachMemberEquals(r(), s("a")),
        Intrinsic::EachMemberIn(r(), Expr::List(vec![s("a")])),
        Intrinsic::RefAll(s("AWS::EC2::VPC::Id")),
        Intrinsic::ValueOf(r(), s("Tags")),
        Intrinsic::ValueOfAll(s("AWS::EC2::VPC::Id"), s("Tags")),
    ];
    let mut lines = Vec::new();
    for f in all {
        let e = Expr::func(f);
        let json = serde_json::to_string(&e).unwrap();
        let back = cfn_core::parse::expr_from_json(serde_json::from_str(&json).unwrap()).unwrap();
        assert_eq!(back, e, "{json}");
        lines.push(json);
    }
    insta::assert_snapshot!(lines.join("\n"));
}

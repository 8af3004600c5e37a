//! The catalogue of typical mistakes (issue 9): each made on purpose, each
//! labelled with what catches it, all before deploy. `compiler` cases are
//! trybuild compile-fail files with their `.stderr` (here in
//! `tests/mistakes/`, and the older ones in `cfn-core/tests/ui/` and
//! `cfn-resources/tests/ui/`, run by those crates' tests); `add` cases are
//! refused by `Template::add*` at once; `synth` cases by
//! `cfn_tools::verdict::synth` (the verdict `validate`, `synth` and `deploy`
//! share). The messages are snapshots; the table is `docs/mistakes.md`.

use cfn_core::{fns, Declared, Format, Parameter, Raw, Result, Template};
use cfn_resources::{apigatewayv2, dynamodb, ec2, kms, lambda, logs, rds, s3, sqs};
use serde_json::json;

/// What catches a mistake.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum By {
    /// `cargo build`: the program does not compile.
    Compiler,
    /// `Template::add*`: refused when declared.
    Add,
    /// `cfn_tools::verdict::synth`: refused before anything is written.
    Synth,
}

impl By {
    fn label(self) -> &'static str {
        match self {
            By::Compiler => "compiler",
            By::Add => "add",
            By::Synth => "synth",
        }
    }
}

enum Case {
    /// A compile-fail file, relative to the workspace root.
    File(&'static str),
    /// Builds the template (an `Err` is the `add` refusal).
    Build(fn() -> Result<Template>),
}

struct Mistake {
    what: &'static str,
    by: By,
    case: Case,
}

const fn compile(what: &'static str, file: &'static str) -> Mistake {
    Mistake {
        what,
        by: By::Compiler,
        case: Case::File(file),
    }
}

const fn add(what: &'static str, f: fn() -> Result<Template>) -> Mistake {
    Mistake {
        what,
        by: By::Add,
        case: Case::Build(f),
    }
}

const fn synth(what: &'static str, f: fn() -> Result<Template>) -> Mistake {
    Mistake {
        what,
        by: By::Synth,
        case: Case::Build(f),
    }
}

fn vpc_and_subnets(t: &mut Template) -> Result<cfn_core::Handle<ec2::Vpc>> {
    t.add("Vpc", ec2::Vpc::new().cidr_block("10.0.0.0/16"))
}

fn function(t: &mut Template) -> Result<cfn_core::Handle<lambda::Function>> {
    let role = t.add("FnRole", cfn_resources::iam::Role::new(json!({})))?;
    t.add(
        "Fn",
        lambda::Function::new(
            lambda::function::Code::new().zip_file("def handler(e, c): return e"),
            role.arn(),
        )
        .runtime(lambda::function::Runtime::Python312)
        .handler("index.handler"),
    )
}

fn ddb_table(key: &str, defined: &[&str]) -> dynamodb::Table {
    dynamodb::Table::new(vec![dynamodb::table::KeySchema::new(key, "HASH")])
        .billing_mode(dynamodb::table::BillingMode::PayPerRequest)
        .attribute_definitions(
            defined
                .iter()
                .map(|n| {
                    dynamodb::table::AttributeDefinition::new(*n, dynamodb::table::AttributeType::S)
                })
                .collect::<Vec<_>>(),
        )
}

fn http_api(t: &mut Template) -> Result<cfn_core::Handle<apigatewayv2::Api>> {
    t.add("HttpApi", apigatewayv2::Api::new().protocol_type("HTTP"))
}

/// Every mistake of the catalogue.
fn catalogue() -> Vec<Mistake> {
    vec![
        // ---- caught by the compiler
        compile(
            "a subnet's id where a VPC id belongs",
            "cfn-resources/tests/ui/subnet_id_as_vpc_id.rs",
        ),
        compile(
            "a literal string where a typed VPC id belongs",
            "cfn-resources/tests/ui/literal_string_as_id.rs",
        ),
        compile(
            "a required property left out",
            "cfn-resources/tests/ui/missing_required_property.rs",
        ),
        compile(
            "an attribute the resource type does not have",
            "cfn-resources/tests/ui/unknown_attribute.rs",
        ),
        compile(
            "a condition's name as a string in Fn::If",
            "cfn-core/tests/ui/condition_is_not_a_string.rs",
        ),
        compile(
            "a parameter used like a resource (attribute)",
            "cfn-core/tests/ui/parameter_is_not_a_resource.rs",
        ),
        compile(
            "an attribute typo on an untyped handle",
            "cfn-core/tests/ui/unknown_attribute.rs",
        ),
        compile(
            "a string literal where a number or boolean belongs",
            "cfn-core/tests/ui/wrong_value_type.rs",
        ),
        compile(
            "a VPC among a load balancer's subnets",
            "tests/mistakes/vpc_id_in_subnet_list.rs",
        ),
        compile(
            "literal strings where typed subnet ids belong",
            "tests/mistakes/literal_subnet_ids.rs",
        ),
        compile(
            "a subnet among a load balancer's security groups",
            "tests/mistakes/subnet_as_security_group.rs",
        ),
        compile(
            "`.runtime(\"python3.12\")`: a string where Lambda's `Runtime` enum belongs",
            "tests/mistakes/runtime_as_string.rs",
        ),
        compile(
            "a string where DynamoDB's `BillingMode` enum belongs",
            "tests/mistakes/billing_mode_as_string.rs",
        ),
        compile(
            "a bucket's name where a KMS key id belongs",
            "tests/mistakes/bucket_name_as_key_id.rs",
        ),
        compile(
            "`\"30\"` where a number of days belongs",
            "tests/mistakes/number_as_string.rs",
        ),
        compile(
            "`\"true\"` where a boolean belongs",
            "tests/mistakes/bool_as_string.rs",
        ),
        compile(
            "a String parameter where a number belongs",
            "tests/mistakes/string_parameter_as_number.rs",
        ),
        compile(
            "a role's name where the role's ARN belongs",
            "tests/mistakes/role_name_as_role_arn.rs",
        ),
        compile(
            "a subnet where a security group's VPC belongs",
            "tests/mistakes/subnet_as_group_vpc.rs",
        ),
        compile(
            "a type name where a resource belongs",
            "tests/mistakes/string_as_resource.rs",
        ),
        compile(
            "a parameter in DependsOn",
            "tests/mistakes/parameter_in_depends_on.rs",
        ),
        compile(
            "a mapping's name as a string in Fn::FindInMap",
            "tests/mistakes/mapping_name_as_string.rs",
        ),
        compile(
            "a fractional number where an integer belongs",
            "tests/mistakes/float_as_integer.rs",
        ),
        // ---- refused by Template::add*
        add(
            "a handle of one template used in another (same logical id in both)",
            || {
                let mut a = Template::new();
                let vpc_a = vpc_and_subnets(&mut a)?;
                let mut b = Template::new();
                vpc_and_subnets(&mut b)?;
                b.add("Subnet", ec2::Subnet::new(vpc_a.reference()))?;
                Ok(b)
            },
        ),
        add("a logical id declared twice", || {
            let mut t = Template::new();
            t.add("Assets", s3::Bucket::new())?;
            t.add("Assets", s3::Bucket::new())?;
            Ok(t)
        }),
        add("a logical id with punctuation", || {
            let mut t = Template::new();
            t.add("assets-bucket", s3::Bucket::new())?;
            Ok(t)
        }),
        add("a parameter and a resource with the same id", || {
            let mut t = Template::new();
            t.add_parameter("Assets", Parameter::string())?;
            t.add("Assets", s3::Bucket::new())?;
            Ok(t)
        }),
        // ---- refused by synth (the one verdict)
        synth(
            "a typo in an attribute inside Fn::Sub (`${HttpApi.ApiEndpont}`)",
            || {
                let mut t = Template::new();
                http_api(&mut t)?;
                t.add_output(
                    "Url",
                    cfn_core::Output::new(fns::sub("${HttpApi.ApiEndpont}/items")),
                )?;
                Ok(t)
            },
        ),
        synth("a resource name typo inside Fn::Sub", || {
            let mut t = Template::new();
            t.add("Assets", s3::Bucket::new())?;
            t.add_output("Name", cfn_core::Output::new(fns::sub("${Asets}")))?;
            Ok(t)
        }),
        synth(
            "two security groups referring to each other (a cycle)",
            || {
                let mut t = Template::new();
                t.add(
                    "A",
                    Raw::new("AWS::EC2::SecurityGroup")
                        .property("GroupDescription", "a")
                        .property("Tags", fns::sub("${B}").into_json()),
                )?;
                t.add(
                    "B",
                    Raw::new("AWS::EC2::SecurityGroup")
                        .property("GroupDescription", "b")
                        .property("Tags", fns::sub("${A}").into_json()),
                )?;
                Ok(t)
            },
        ),
        synth("a condition that refers to a resource", || {
            let mut t = Template::new();
            let b = t.add("Assets", s3::Bucket::new())?;
            t.add_condition("HasBucket", fns::equals::<String>(b.reference(), "x"))?;
            Ok(t)
        }),
        synth("a property name typo through the escape hatch", || {
            let mut t = Template::new();
            t.add(
                "Assets",
                s3::Bucket::new().property_unchecked("BucketNam", "x"),
            )?;
            Ok(t)
        }),
        synth(
            "an enum value the schema does not list, written into the resource after the fact",
            || {
                let mut t = Template::new();
                let f = function(&mut t)?;
                let _ = f;
                let r = t
                    .resources
                    .get_mut("Fn")
                    .and_then(|r| r.properties.as_mut());
                if let Some(p) = r {
                    p.insert("Runtime".into(), "python9".into());
                }
                Ok(t)
            },
        ),
        synth(
            "a log retention the service does not offer (31 days)",
            || {
                let mut t = Template::new();
                t.add("Logs", logs::LogGroup::new().retention_in_days(31))?;
                Ok(t)
            },
        ),
        synth("an attribute typo through `get_att_unchecked`", || {
            let mut t = Template::new();
            let b = t.add("Assets", s3::Bucket::new())?;
            t.add_output(
                "Arn",
                cfn_core::Output::new(b.get_att_unchecked::<String>("Arnn")),
            )?;
            Ok(t)
        }),
        synth("a subnet's CIDR outside its VPC's", || {
            let mut t = Template::new();
            let vpc = vpc_and_subnets(&mut t)?;
            t.add(
                "A",
                ec2::Subnet::new(vpc.reference()).cidr_block("10.1.0.0/24"),
            )?;
            Ok(t)
        }),
        synth("two subnets with overlapping CIDRs", || {
            let mut t = Template::new();
            let vpc = vpc_and_subnets(&mut t)?;
            t.add(
                "A",
                ec2::Subnet::new(vpc.reference()).cidr_block("10.0.0.0/24"),
            )?;
            t.add(
                "B",
                ec2::Subnet::new(vpc.reference()).cidr_block("10.0.0.128/25"),
            )?;
            Ok(t)
        }),
        synth(
            "a DynamoDB key attribute missing from AttributeDefinitions",
            || {
                let mut t = Template::new();
                t.add("Items", ddb_table("pk", &["id"]))?;
                Ok(t)
            },
        ),
        synth(
            "PAY_PER_REQUEST billing with provisioned throughput",
            || {
                let mut t = Template::new();
                t.add(
                    "Items",
                    ddb_table("pk", &["pk"])
                        .provisioned_throughput(dynamodb::table::ProvisionedThroughput::new(5, 5)),
                )?;
                Ok(t)
            },
        ),
        synth(
            "a Multi-AZ database pinned to one Availability Zone",
            || {
                let mut t = Template::new();
                t.add(
                    "Db",
                    rds::DbInstance::new()
                        .engine("postgres")
                        .multi_az(true)
                        .availability_zone("us-east-1a"),
                )?;
                Ok(t)
            },
        ),
        synth("a database KMS key without storage encryption", || {
            let mut t = Template::new();
            let key = t.add("Key", kms::Key::new())?;
            t.add(
                "Db",
                rds::DbInstance::new()
                    .engine("postgres")
                    .kms_key_id(key.reference()),
            )?;
            Ok(t)
        }),
        synth(
            "a Lambda environment variable Lambda reserves (`AWS_REGION`), written after the fact",
            || {
                let mut t = Template::new();
                function(&mut t)?;
                let r = t
                    .resources
                    .get_mut("Fn")
                    .and_then(|r| r.properties.as_mut());
                if let Some(p) = r {
                    p.insert(
                        "Environment".into(),
                        cfn_core::Expr::Map(
                            [(
                                "Variables".to_owned(),
                                cfn_core::Expr::Map(
                                    [("AWS_REGION".to_owned(), "eu-west-1".into())]
                                        .into_iter()
                                        .collect(),
                                ),
                            )]
                            .into_iter()
                            .collect(),
                        ),
                    );
                }
                Ok(t)
            },
        ),
        synth("inline Lambda code with a Java runtime", || {
            let mut t = Template::new();
            let role = t.add("FnRole", cfn_resources::iam::Role::new(json!({})))?;
            t.add(
                "Fn",
                lambda::Function::new(
                    lambda::function::Code::new().zip_file("class H {}"),
                    role.arn(),
                )
                .runtime(lambda::function::Runtime::Java21)
                .handler("H::handle"),
            )?;
            Ok(t)
        }),
        synth("an AWS_PROXY integration without IntegrationUri", || {
            let mut t = Template::new();
            let api = http_api(&mut t)?;
            t.add(
                "Integration",
                apigatewayv2::Integration::new(api.reference(), "AWS_PROXY")
                    .payload_format_version("2.0"),
            )?;
            Ok(t)
        }),
        synth(
            "a route whose Target is a bare Ref to the integration",
            || {
                let mut t = Template::new();
                let api = http_api(&mut t)?;
                let f = function(&mut t)?;
                let i = t.add(
                    "Integration",
                    apigatewayv2::Integration::new(api.reference(), "AWS_PROXY")
                        .integration_uri(f.arn())
                        .payload_format_version("2.0"),
                )?;
                t.add(
                    "Route",
                    apigatewayv2::Route::new(api.reference(), "GET /items").target(i.reference()),
                )?;
                Ok(t)
            },
        ),
        synth("a FIFO queue whose name lacks `.fifo`", || {
            let mut t = Template::new();
            t.add(
                "Jobs",
                sqs::Queue::new().fifo_queue(true).queue_name("jobs"),
            )?;
            Ok(t)
        }),
        synth("`protocol_type(\"HTTPS\")` on an HTTP API", || {
            let mut t = Template::new();
            t.add("HttpApi", apigatewayv2::Api::new().protocol_type("HTTPS"))?;
            Ok(t)
        }),
        compile(
            "`Integration::new(func.reference(), ..)`: a Lambda where the API id belongs",
            "tests/mistakes/lambda_as_api_id.rs",
        ),
        compile(
            "a VPC where a DB subnet group's subnets belong",
            "tests/mistakes/vpc_as_db_subnets.rs",
        ),
        compile(
            "`log_group.kms_key_id(key.reference())`: a key id where the schema takes a key ARN",
            "tests/mistakes/key_id_as_log_group_key.rs",
        ),
        compile(
            "a role's name (its Ref) as a Lambda function's Role",
            "tests/mistakes/role_name_as_function_role.rs",
        ),
        compile(
            "a queue's URL (its Ref) where the event source ARN belongs",
            "tests/mistakes/queue_url_as_event_source.rs",
        ),
        synth("an unused DynamoDB attribute definition", || {
            let mut t = Template::new();
            t.add("Items", ddb_table("pk", &["pk", "sk"]))?;
            Ok(t)
        }),
        synth(
            "a Fn::GetAtt to a resource that is not declared (through Raw)",
            || {
                let mut t = Template::new();
                t.add(
                    "Topic",
                    Declared::new(
                        Raw::new("AWS::SNS::Topic")
                            .property("KmsMasterKeyId", fns::sub("${Key.Arn}").into_json()),
                    ),
                )?;
                Ok(t)
            },
        ),
        synth(
            "a Lambda runtime Lambda no longer creates functions with (`Runtime::Python36`)",
            || {
                let mut t = Template::new();
                let role = t.add("FnRole", cfn_resources::iam::Role::new(json!({})))?;
                t.add(
                    "Fn",
                    lambda::Function::new(
                        lambda::function::Code::new().zip_file("def h(e, c): return e"),
                        role.arn(),
                    )
                    .runtime(lambda::function::Runtime::Python36)
                    .handler("index.h"),
                )?;
                Ok(t)
            },
        ),
    ]
}

/// What catches each `Build` case, as the user sees it.
fn refusal(m: &Mistake) -> String {
    let Case::Build(f) = &m.case else {
        unreachable!()
    };
    match (m.by, f()) {
        (By::Add, Err(e)) => redact(e.to_string()),
        (By::Add, Ok(_)) => panic!("not refused by add: {}", m.what),
        (By::Synth, Ok(t)) => match cfn_tools::verdict::synth(&t, Format::Json) {
            Err(e) => e.to_string(),
            Ok(_) => panic!("not refused by synth: {}", m.what),
        },
        (By::Synth, Err(e)) => panic!("{}: refused by add, label it so: {e}", m.what),
        (By::Compiler, _) => unreachable!(),
    }
}

/// Template numbers depend on test order.
fn redact(s: String) -> String {
    let mut out = String::new();
    let mut rest = s.as_str();
    while let Some(i) = rest.find("template #") {
        out.push_str(&rest[..i + 10]);
        rest = rest[i + 10..].trim_start_matches(|c: char| c.is_ascii_digit());
        out.push('N');
    }
    out.push_str(rest);
    out
}

fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn compile_time_mistakes_do_not_compile() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/mistakes/*.rs");
}

#[test]
fn add_and_synth_mistakes_are_refused() {
    let mut text = String::new();
    for (i, m) in catalogue().iter().enumerate() {
        if m.by == By::Compiler {
            continue;
        }
        text.push_str(&format!(
            "M{:02} [{}] {}\n{}\n\n",
            i + 1,
            m.by.label(),
            m.what,
            refusal(m)
        ));
    }
    insta::assert_snapshot!("refusals", text);
}

fn table() -> String {
    let mut out = String::from("| # | mistake | caught by | case |\n|---|---|---|---|\n");
    for (i, m) in catalogue().iter().enumerate() {
        let case = match m.case {
            Case::File(f) => format!("`{f}`"),
            Case::Build(_) => "`tests/mistakes.rs`".to_owned(),
        };
        out.push_str(&format!(
            "| M{:02} | {} | {} | {case} |\n",
            i + 1,
            m.what,
            m.by.label()
        ));
    }
    out
}

#[test]
fn tally_and_table() {
    let all = catalogue();
    let count = |by: By| all.iter().filter(|m| m.by == by).count();
    let (compiler, added, synthed) = (count(By::Compiler), count(By::Add), count(By::Synth));
    println!(
        "{} mistakes: {compiler} compiler, {added} add, {synthed} synth",
        all.len()
    );
    assert!(all.len() >= 40, "the catalogue has {} mistakes", all.len());
    // every one is caught before deploy; at least 30 by the compiler or synth
    assert!(compiler + synthed >= 30);
    assert_eq!(compiler + added + synthed, all.len());
    // every compile-fail file is listed and has its message
    let listed: Vec<&str> = all
        .iter()
        .filter_map(|m| match m.case {
            Case::File(f) => Some(f),
            Case::Build(_) => None,
        })
        .collect();
    for f in &listed {
        assert!(root().join(f).exists(), "{f}");
        assert!(
            root().join(f).with_extension("stderr").exists(),
            "{f}: no .stderr"
        );
    }
    for entry in std::fs::read_dir(root().join("tests/mistakes")).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "rs") {
            let rel = format!(
                "tests/mistakes/{}",
                p.file_name().unwrap().to_string_lossy()
            );
            assert!(
                listed.contains(&rel.as_str()),
                "{rel} is not in the catalogue"
            );
        }
    }
    let tally = format!("{} mistakes: {compiler} caught by the compiler, {added} by `Template::add`, {synthed} by synth; 0 left for deploy.", all.len());
    let doc = std::fs::read_to_string(root().join("docs/mistakes.md")).unwrap();
    let want = format!("{tally}\n\n{}", table());
    assert!(
        doc.contains(&want),
        "docs/mistakes.md is out of date; it should contain:\n\n{want}"
    );
}

/// The union the event-source field takes: each kind of source converts.
#[test]
fn an_event_source_takes_a_queue_a_stream_or_a_table_stream() {
    let mut t = Template::new();
    let f = function(&mut t).unwrap();
    let q = t.add("Jobs", sqs::Queue::new()).unwrap();
    let items = t.add("Items", ddb_table("pk", &["pk"])).unwrap();
    t.add(
        "FromQueue",
        lambda::EventSourceMapping::new(f.reference()).event_source_arn(q.arn()),
    )
    .unwrap();
    t.add(
        "FromTable",
        lambda::EventSourceMapping::new(f.reference())
            .event_source_arn(items.stream_arn())
            .starting_position("LATEST"),
    )
    .unwrap();
    let json = serde_json::to_string(&t.to_json_value()).unwrap();
    assert!(
        json.contains(r#""EventSourceArn":{"Fn::GetAtt":["Jobs","Arn"]}"#),
        "{json}"
    );
    assert!(
        json.contains(r#""EventSourceArn":{"Fn::GetAtt":["Items","StreamArn"]}"#),
        "{json}"
    );
}

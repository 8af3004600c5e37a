//! Generated types track where their values come from: a handle of one
//! template given to a resource of another is refused when added, and a
//! template hands out typed handles by logical id.

use cfn_core::{fns, ErrorKind, Template};
use cfn_resources::ec2::{subnet, SecurityGroup, Subnet, Vpc};

#[test]
fn a_foreign_vpc_id_is_refused_even_when_both_templates_declare_it() {
    let mut a = Template::new();
    let vpc_a = a.add("Vpc", Vpc::new().cidr_block("10.0.0.0/16")).unwrap();
    let mut b = Template::new();
    b.add("Vpc", Vpc::new().cidr_block("10.1.0.0/16")).unwrap();
    // Until now this rendered `{"Ref": "Vpc"}`: silently b's VPC.
    let err = b.add("Subnet", Subnet::new(vpc_a.reference())).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::ForeignHandle { .. }));
    assert_eq!(err.path(), Some("Resources/Subnet/Properties/VpcId"));

    // inside a nested property type, set by an optional setter
    let vpc_b = b.handle::<Vpc>("Vpc").unwrap();
    let opts = subnet::PrivateDnsNameOptionsOnLaunch::new()
        .hostname_type(fns::select(0, vpc_a.cidr_block_associations()));
    let err = b
        .add(
            "Subnet2",
            Subnet::new(vpc_b.reference()).private_dns_name_options_on_launch(opts),
        )
        .unwrap_err();
    assert_eq!(
        err.path(),
        Some("Resources/Subnet2/Properties/PrivateDnsNameOptionsOnLaunch")
    );

    // the handle looked up in b works
    b.add("Subnet", Subnet::new(vpc_b.reference())).unwrap();
}

#[test]
fn a_stack_built_elsewhere_is_extended_through_typed_lookups() {
    let mut t = Template::new();
    t.add("Vpc", Vpc::new().cidr_block("10.0.0.0/16")).unwrap();
    // ... later, in code that did not keep the handle:
    let vpc = t.handle::<Vpc>("Vpc").unwrap();
    t.add(
        "Web",
        SecurityGroup::new("web tier").vpc_id(vpc.reference()),
    )
    .unwrap();
    let wrong = t.handle::<Subnet>("Vpc").unwrap_err();
    assert!(matches!(wrong.kind(), ErrorKind::WrongResourceType { .. }));
    assert_eq!(
        wrong.to_string(),
        "Resources/Vpc: resource `Vpc` has type `AWS::EC2::VPC`, not `AWS::EC2::Subnet`; ask for the handle with the type it was declared with"
    );
}

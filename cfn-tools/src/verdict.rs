//! The full verdict on a template, in one call: cfn-core's checks
//! (references, cycles, conditions, parameters, limits), every resource
//! against its registry schema (properties, types, enums, patterns,
//! attribute names in `Fn::GetAtt` and `Fn::Sub`), the network layout
//! (CIDRs inside the VPC, no overlap) and the cross-property rules
//! ([`crate::cross`]: DynamoDB keys, RDS, Lambda, API Gateway v2, SQS). `cfnkit validate`, the stack
//! programs' `synth`, `deploy` and `plan` all call [`check`], so they reach
//! the same conclusion about the same template: what `validate` rejects is
//! never written or deployed.
//!
//! [`cfn_core::Template::synth`] runs cfn-core's checks only (cfn-core knows
//! no resource type); it is the explicit opt-out for callers that must skip
//! the registry and network checks.
//!
//! ```
//! use cfn_core::{Format, Template};
//! let t = Template::from_yaml("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {BucketNam: x}\n").unwrap();
//! // cfn-core alone has no objection...
//! assert!(t.synth(Format::Json).is_ok());
//! // ...the full verdict has.
//! let e = cfn_tools::verdict::synth(&t, Format::Json).unwrap_err();
//! assert!(e.to_string().contains("did you mean `BucketName`?"), "{e}");
//! ```

use cfn_core::validate::Report;
use cfn_core::{Error, ErrorKind, Format, Template};

/// Every check, errors and warnings, in a stable order: cfn-core's, then
/// the registry schemas', the network layout's (with security-group
/// CIDRs), intrinsic argument types, retired services, and the
/// cross-property rules'.
pub fn check(t: &Template) -> Report {
    let mut report = t.validate();
    report.diagnostics.extend(crate::schema::validate(t));
    report.diagnostics.extend(crate::network::check(t));
    report.diagnostics.extend(crate::intrinsics::check(t));
    report.diagnostics.extend(crate::lifecycle::check(t));
    report.diagnostics.extend(crate::cross::check(t));
    report
}

/// Renders `t` after [`check`]; any error refuses it, listing every one.
pub fn synth(t: &Template, format: Format) -> cfn_core::Result<String> {
    let report = check(t);
    if !report.is_ok() {
        let errors = report.errors().map(|d| d.error.clone()).collect();
        return Err(Error::new(ErrorKind::Invalid { errors }));
    }
    Ok(t.render(format))
}

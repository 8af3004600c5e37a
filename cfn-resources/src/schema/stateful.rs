//! Hand-written access to the one source of stateful facts: which resource
//! types hold data that a replacement or a deletion destroys.
//!
//! The table is generated (`src/generated/stateful_types.rs`) by
//! `cfn-codegen` from cfn-lint's `StatefulResources.json` in the pinned wheel,
//! united with the reviewed overlay in `cfn-codegen/src/stateful.rs`. Lint
//! (`STATE001`), the semantic diff (data at risk) and the deploy gate
//! (refusing replacement or deletion without consent) all ask here, so they
//! can never disagree. To add a type, add it to the overlay and run
//! `scripts/regen-resources.sh`.

/// The stateful fact of one resource type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stateful {
    /// The registry type name.
    pub type_name: &'static str,
    /// Listed by cfn-lint's `StatefulResources.json`.
    pub from_cfn_lint: bool,
    /// Deletion fails while the resource holds anything (an S3 bucket with
    /// objects): cfn-lint's `DeleteRequiresEmptyResource`.
    pub delete_requires_empty: bool,
    /// What a replacement or a deletion loses, for types added by the
    /// reviewed overlay.
    pub loses: Option<&'static str>,
}

macro_rules! stateful_table {
    ($($t:literal, cfn_lint: $lint:literal, delete_requires_empty: $empty:literal, overlay: $why:expr;)*) => {
        /// Every stateful type, sorted by type name.
        pub const STATEFUL: &[Stateful] = &[$(Stateful {
            type_name: $t,
            from_cfn_lint: $lint,
            delete_requires_empty: $empty,
            loses: $why,
        }),*];
        /// The names of [`STATEFUL`], sorted.
        pub const STATEFUL_TYPES: &[&str] = &[$($t),*];
    };
}

include!("../generated/stateful_types.rs");

/// The stateful fact of `type_name`, if the type holds data.
///
/// ```
/// use cfn_resources::schema::stateful;
///
/// assert!(stateful("AWS::S3::Bucket").unwrap().delete_requires_empty);
/// assert!(stateful("AWS::Neptune::DBCluster").is_some());
/// assert!(stateful("AWS::EC2::Subnet").is_none());
/// ```
pub fn stateful(type_name: &str) -> Option<&'static Stateful> {
    STATEFUL_TYPES
        .binary_search(&type_name)
        .ok()
        .map(|i| &STATEFUL[i])
}

/// Whether a replacement or a deletion of a `type_name` resource destroys
/// data.
///
/// ```
/// assert!(cfn_resources::schema::is_stateful("AWS::RDS::DBCluster"));
/// assert!(!cfn_resources::schema::is_stateful("AWS::SNS::Topic"));
/// ```
pub fn is_stateful(type_name: &str) -> bool {
    stateful(type_name).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_unique_and_registry_types() {
        let mut sorted = STATEFUL_TYPES.to_vec();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted, STATEFUL_TYPES);
        for t in STATEFUL_TYPES {
            assert!(
                crate::schema::lookup(t).is_some(),
                "{t} is not a registry type"
            );
        }
    }

    #[test]
    fn holds_cfn_lints_list_and_the_overlay() {
        // cfn-lint 1.58.0 lists 29 types; every one is here.
        assert_eq!(STATEFUL.iter().filter(|s| s.from_cfn_lint).count(), 29);
        // The types the earlier hand-written lists had, and that were missed
        // by one of them (the drift the single source ends).
        for t in [
            "AWS::DocDB::DBCluster",
            "AWS::Neptune::DBCluster",
            "AWS::FSx::FileSystem",
            "AWS::ECR::Repository",
            "AWS::CloudFormation::Stack",
            "AWS::Timestream::Table",
        ] {
            assert!(is_stateful(t), "{t}");
        }
        // Overlay entries say what they lose.
        for s in STATEFUL.iter().filter(|s| !s.from_cfn_lint) {
            assert!(s.loses.is_some_and(|w| !w.is_empty()), "{}", s.type_name);
        }
        assert!(!is_stateful("AWS::EC2::VPC"));
        assert!(!is_stateful("AWS::S3::BucketPolicy"));
    }
}

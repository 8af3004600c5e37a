//! The Lambda runtime lifecycle (always compiled): when each runtime was or
//! will be deprecated, when Lambda stops creating and updating functions
//! with it, and its successor. Generated (`src/generated/lambda_runtimes.rs`)
//! by cfn-codegen from the pinned cfn-lint wheel's
//! `LmbdRuntimeLifecycle.json`; read against [`RUNTIMES_AS_OF`], the pinned
//! schemas' date, so a check's answer does not change with the day it runs.
//!
//! ```
//! use cfn_resources::schema::{lambda_runtime, RUNTIMES_AS_OF};
//! let r = lambda_runtime("nodejs").unwrap();
//! assert!(r.creation_blocked(RUNTIMES_AS_OF));
//! assert!(!lambda_runtime("python3.13").unwrap().deprecated_by(RUNTIMES_AS_OF));
//! ```

include!("../generated/lambda_runtimes.rs");

/// The date the schedule is read against (`YYYY-MM-DD`).
pub const RUNTIMES_AS_OF: &str = AS_OF;

/// One runtime's schedule; dates are `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LambdaRuntime {
    /// The runtime (`python3.12`).
    pub name: &'static str,
    /// Deprecated from.
    pub deprecated: Option<&'static str>,
    /// New functions refused from.
    pub create_block: Option<&'static str>,
    /// Updates refused from.
    pub update_block: Option<&'static str>,
    /// The runtime to move to.
    pub successor: Option<&'static str>,
}

impl LambdaRuntime {
    /// Whether Lambda refuses new functions with it on `date`.
    pub fn creation_blocked(&self, date: &str) -> bool {
        self.create_block.is_some_and(|d| d <= date)
    }
    /// Whether it is deprecated on `date`.
    pub fn deprecated_by(&self, date: &str) -> bool {
        self.deprecated.is_some_and(|d| d <= date)
    }
}

/// The schedule of `name`, if the data lists it.
pub fn lambda_runtime(name: &str) -> Option<LambdaRuntime> {
    let opt = |s: &'static str| (!s.is_empty()).then_some(s);
    RUNTIMES
        .iter()
        .find(|r| r.0 == name)
        .map(|&(name, d, c, u, s)| LambdaRuntime {
            name,
            deprecated: opt(d),
            create_block: opt(c),
            update_block: opt(u),
            successor: opt(s),
        })
}

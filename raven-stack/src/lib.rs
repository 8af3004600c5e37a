//! The Content Raven reference stack.

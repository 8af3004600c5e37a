//! What the types must forbid (trybuild): each case fails to compile with
//! the message in its `.stderr` file.

#[test]
fn types_forbid_mistakes() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}

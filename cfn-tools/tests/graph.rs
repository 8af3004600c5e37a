//! The dependency graph pictures of the Raven-like fixture.

use cfn_core::Template;
use cfn_tools::graph::{to_dot, to_mermaid, Clustering};

fn fixture() -> Template {
    Template::from_path(format!(
        "{}/tests/fixtures/insecure.yaml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn dot_by_service() {
    insta::assert_snapshot!(to_dot(&fixture(), Clustering::Service));
}

#[test]
fn mermaid_by_service() {
    insta::assert_snapshot!(to_mermaid(&fixture(), Clustering::Service));
}

#[test]
fn mermaid_by_tier_without_tags_is_one_shared_box() {
    let m = to_mermaid(&fixture(), Clustering::Tier);
    assert_eq!(m.matches("subgraph").count(), 1);
    assert!(m.contains("[\"shared\"]"));
}

//! The notice of every example policy, in every format, as a snapshot: a
//! change of wording or of what a policy is taken to say shows up in review.

mod common;

use common::{compile_repo, english, example_policies};
use scrim_disclose::{Format, Templates, render};

#[test]
fn every_example_policy_in_every_format() {
    let templates = Templates::english();
    let policies = example_policies();
    assert!(policies.len() >= 5, "{policies:?}");
    for path in policies {
        let disclosure = english(&compile_repo(&path));
        let name = path
            .trim_start_matches("examples/")
            .trim_end_matches(".scrim")
            .to_string();
        for (format, with_sources, suffix) in [
            (Format::Markdown, false, "md"),
            (Format::Markdown, true, "sources.md"),
            (Format::Html, true, "sources.html"),
            (Format::Json, false, "json"),
        ] {
            let text = render(&disclosure, format, with_sources, &templates);
            insta::assert_snapshot!(format!("{name}.{suffix}"), text);
        }
    }
}

#[test]
fn the_shop_notice_in_the_docs_is_the_commands_output() {
    let docs = std::fs::read_to_string(common::root().join("docs/disclose.md")).unwrap();
    let start = docs
        .find("<!-- shop notice -->\n```markdown\n")
        .expect("the marker")
        + 33;
    let end = start + docs[start..].find("\n```\n").expect("the end of the block") + 1;
    let disclosure = english(&compile_repo("examples/shop.scrim"));
    let markdown = render(&disclosure, Format::Markdown, false, &Templates::english());
    assert_eq!(
        &docs[start..end],
        markdown,
        "docs/disclose.md shows the shop's notice as `scrim disclose examples/shop.scrim` writes it"
    );
}

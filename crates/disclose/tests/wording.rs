//! What the notice says for the forms of a policy whose meaning depends on
//! the rest of it: lists of pages that add up, defaults that override one
//! another, the sensitive set, rules that name every channel. A notice may
//! say more is recorded than is, never less.

mod common;

use common::{compile_text, english};
use scrim_disclose::{Disclosure, Source};

fn notice(policy: &str) -> Disclosure {
    english(&compile_text("p.scrim", policy, &[]))
}

/// The sentences of a section, as text.
fn section(disclosure: &Disclosure, id: &str) -> Vec<String> {
    disclosure
        .sections
        .iter()
        .filter(|s| s.id == id)
        .flat_map(|s| &s.sentences)
        .map(|s| s.text.clone())
        .collect()
}

#[test]
fn record_only_lists_of_the_whole_policy_make_one_list() {
    let pages = section(
        &notice(
            "scrim 1\n\nrecord only \"https://a.example/*\"\nrecord only \"https://b.example/*\"\n",
        ),
        "pages",
    );
    assert!(
        pages.contains(
            &"We record only pages at https://a.example/* or https://b.example/*.".to_string()
        ),
        "{pages:#?}"
    );
    assert!(!pages.iter().any(|s| s.starts_with("Any page")));
}

#[test]
fn a_block_list_adds_to_the_whole_policys_list() {
    let pages = section(
        &notice(
            "scrim 1\n\nrecord only \"https://a.example/*\"\n\nwhen region EU {\n  record only \"https://eu.example/*\"\n}\n",
        ),
        "pages",
    );
    assert_eq!(
        [pages[0].as_str(), pages[2].as_str()],
        [
            "We record only pages at https://a.example/*.",
            "When you are in EU: We also record pages at https://eu.example/*."
        ],
        "the whole policy's sentences first, then each block's"
    );
}

#[test]
fn a_block_list_alone_restricts_only_under_its_block() {
    let pages = section(
        &notice("scrim 1\n\nwhen region EU {\n  record only \"https://eu.example/*\"\n}\n"),
        "pages",
    );
    assert!(
        pages.contains(
            &"Any page of this website may be recorded, unless this section says otherwise."
                .to_string()
        )
    );
    assert!(pages.contains(
        &"When you are in EU: We record only pages at https://eu.example/*.".to_string()
    ));
    // Two blocks' lists add up where both hold: neither says "only".
    let pages = section(
        &notice(
            "scrim 1\n\nwhen region EU {\n  record only \"/eu/*\"\n}\n\nwhen consent beta {\n  record only \"/beta/*\"\n}\n",
        ),
        "pages",
    );
    assert!(pages.contains(&"When you are in EU: We also record pages at /eu/*.".to_string()));
    assert!(pages.contains(
        &"When you have given your consent for beta: We also record pages at /beta/*.".to_string()
    ));
}

#[test]
fn never_record_everywhere_says_any_address() {
    let pages = section(
        &notice("scrim 1\n\nwhen region CN {\n  never record \"*\"\n}\n"),
        "pages",
    );
    assert!(
        pages.contains(&"When you are in CN: We never record pages at any address.".to_string())
    );
}

#[test]
fn the_last_default_of_the_whole_policy_is_the_one_in_force() {
    let disclosure = notice("scrim 1\n\ndefault text mask\ndefault text capture\n");
    let shown = section(&disclosure, "shown");
    assert!(
        shown.contains(
            &"Text on our pages is recorded as shown unless this section says it is hidden."
                .to_string()
        )
    );
    assert!(
        !section(&disclosure, "hidden")
            .iter()
            .any(|s| s.starts_with("Text on our pages"))
    );
}

#[test]
fn a_blocks_defaults_are_the_stricter() {
    let disclosure =
        notice("scrim 1\n\non page \"/a/*\" {\n  default text capture\n  default text mask\n}\n");
    assert!(section(&disclosure, "hidden").contains(
        &"When the page is at /a/*: Text on our pages is hidden unless this section says it is recorded."
            .to_string()
    ));
}

#[test]
fn built_in_defaults_are_cited_as_such() {
    let disclosure = notice("scrim 1\n\nblock \".x\"\n");
    let sentence = disclosure
        .sections
        .iter()
        .flat_map(|s| &s.sentences)
        .find(|s| s.template == "hidden.default_text")
        .expect("text is hidden by default");
    assert_eq!(sentence.sources, [Source::BuiltInDefault]);
    let floors = disclosure
        .sections
        .iter()
        .flat_map(|s| &s.sentences)
        .find(|s| s.template == "hidden.floors")
        .unwrap();
    assert_eq!(floors.sources, [Source::BuiltIn]);
}

#[test]
fn the_sensitive_set_is_said_in_words_where_it_is_built_in() {
    let hidden = section(
        &notice(
            "scrim 1\n\nsensitive attributes title, aria-label, aria-description, href, data-iban\n",
        ),
        "hidden",
    );
    // `href` listed by name is every link, not only contact links.
    assert!(hidden.contains(&"Descriptive labels in our pages that can hold personal data are hidden unless this section says they are recorded: tooltips, labels and descriptions for assistive technology, data-iban and href.".to_string()), "{hidden:#?}");
    let hidden = section(
        &notice("scrim 1\n\nsensitive attributes all except class, id\n"),
        "hidden",
    );
    assert!(hidden.iter().any(|s| s.ends_with("except class and id.")));
    let disclosure = notice("scrim 1\n\nsensitive attributes all\n");
    assert!(section(&disclosure, "hidden").contains(&"Every label and setting in the markup of our pages (its attributes) is hidden unless this section says it is recorded.".to_string()));
    assert!(
        !section(&disclosure, "shown")
            .iter()
            .any(|s| s.starts_with("Other labels"))
    );
}

#[test]
fn rules_are_grouped_by_scope_and_channels_and_name_their_parts() {
    let disclosure = notice(
        "scrim 1\n\n# The account menu shows the name.\nmask text \".menu\"\nmask text \".name\" as customer-name\nmask sealed all \".card\"\nignore events \".pad\"\n",
    );
    let hidden = &disclosure
        .sections
        .iter()
        .find(|s| s.id == "hidden")
        .unwrap()
        .sentences;
    let text = hidden
        .iter()
        .find(|s| s.template == "hidden.rules")
        .unwrap();
    assert_eq!(text.text, "We hide the text in these parts:");
    let items: Vec<&str> = text.items.iter().map(|i| i.text.as_str()).collect();
    assert_eq!(
        items,
        [".menu: The account menu shows the name.", "customer name"]
    );
    let sealed = hidden
        .iter()
        .find(|s| s.template == "hidden.sealed")
        .unwrap();
    assert!(sealed.text.starts_with("We always hide all content (text, form entries, descriptive labels, images and video) in these parts"));
    assert!(
        section(&disclosure, "interactions").contains(
            &"We do not record where you click, scroll or type in these parts:".to_string()
        )
    );
}

#[test]
fn a_policy_without_detectors_says_nothing_is_searched() {
    assert!(
        section(&notice("scrim 1\n"), "detectors")
            .contains(&"What is recorded as shown is not searched for personal data.".to_string())
    );
}

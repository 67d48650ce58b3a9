//! The session's API beyond `mask_event`: consent changes, the block rules
//! handed to the recorder, the mirror's elements for explanations.

mod common;

use common::recorder::{Recorder, el, text};
use scrim_content::explain::Content;
use scrim_matcher::{ChannelOutcome, ChannelRef, Element};
use scrim_rrweb::{DropReason, Session};

const POLICY: &str = r##"scrim 1
require consent session-replay
default text capture
block ".ad, iframe.payment" as ads
on page "https://shop.example.com/checkout/*" {
  block "#chat"
  mask text ".name"
}
when consent marketing {
  block ".tracking-pixel"
}
"##;

#[test]
fn consent_changes_stop_and_restart_the_recording() {
    let policy = common::policy(POLICY);
    let mut r = Recorder::new();
    r.build(Recorder::BODY, &el("p", &[], vec![text("hello")]));
    let mut session = Session::new(&policy, common::context("", &["session-replay"]));
    for e in r.start("https://shop.example.com/") {
        assert_eq!(session.mask_event(e.as_bytes()).events.len(), 1);
    }
    let p = r.nodes.len() - 1;
    // Consent withdrawn: nothing at all.
    session.set_context(Vec::new(), None);
    assert!(!session.recording());
    let e = r.set_text(p, "while off");
    assert!(session.mask_event(e.as_bytes()).events.is_empty());
    assert_eq!(session.stats().dropped(DropReason::PageOff), 1);
    // Granted again: the page is on, but nothing is written until the
    // recorder's fresh full snapshot.
    session.set_context(vec!["session-replay".into()], None);
    assert!(session.recording());
    let e = r.set_text(p, "before the snapshot");
    assert!(session.mask_event(e.as_bytes()).events.is_empty());
    let e = r.full_snapshot();
    let out = session.mask_event(e.as_bytes()).events;
    assert!(out[0].contains("before the snapshot"));
    let e = r.set_text(p, "after");
    assert_eq!(session.mask_event(e.as_bytes()).events.len(), 1);
}

#[test]
fn the_recorder_gets_the_block_rules_of_the_page() {
    let policy = common::policy(POLICY);
    let mut session = Session::new(
        &policy,
        common::context("https://shop.example.com/", &["session-replay"]),
    );
    assert_eq!(session.block_selectors(), [".ad, iframe.payment"]);
    let mut r = Recorder::new();
    session.mask_event(r.meta("https://shop.example.com/checkout/pay").as_bytes());
    assert_eq!(session.block_selectors(), [".ad, iframe.payment", "#chat"]);
    session.set_context(vec!["session-replay".into(), "marketing".into()], None);
    assert_eq!(
        session.block_selectors(),
        [".ad, iframe.payment", "#chat", ".tracking-pixel"]
    );
    // Off: nothing to block, nothing recorded.
    session.set_context(Vec::new(), None);
    assert!(session.block_selectors().is_empty());
}

#[test]
fn the_mirror_explains_a_recorded_node() {
    let policy = common::policy(POLICY);
    let mut r = Recorder::new();
    let section = r.build(
        Recorder::BODY,
        &el(
            "section",
            &[("class", "name"), ("title", "Jane")],
            vec![text("Jane Doe")],
        ),
    );
    let mut session = Session::new(&policy, common::context("", &["session-replay"]));
    session.watch(r.id(section));
    for e in r.start("https://shop.example.com/checkout/pay") {
        session.mask_event(e.as_bytes());
    }
    let e = session.element(r.id(section)).expect("a recorded element");
    assert_eq!(e.local_name(), "section");
    assert_eq!(
        e.parent().map(|p| p.local_name().to_string()).as_deref(),
        Some("body")
    );
    let x = session.page().explain(e, ChannelRef::Text);
    assert!(matches!(x.outcome, ChannelOutcome::Mask(_)));
    // The node's content as the masker writes it, with the attributes it
    // was recorded with.
    let explained = session.explain(r.id(section)).expect("an element");
    let contents: Vec<_> = explained.contents.iter().map(|c| c.content).collect();
    assert_eq!(
        contents,
        [
            Content::Text,
            Content::Value,
            Content::Attr {
                name: "class",
                value: "name"
            },
            Content::Attr {
                name: "title",
                value: "Jane"
            },
            Content::Media,
            Content::Events,
        ]
    );
    let text = explained.contents[0].decided.as_ref().expect("decided");
    assert!(matches!(text.outcome, ChannelOutcome::Mask(_)));
    assert!(
        session.element(r.id(r.nodes.len() - 1)).is_none(),
        "a text node is not an element"
    );
}

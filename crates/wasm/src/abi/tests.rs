//! The boundary, called as JavaScript calls it: text in through the input
//! buffer, answers read from the output buffer. Each test runs on its own
//! thread, so with its own module state.

use super::*;
use scrim_rrweb::split_stream;

const SHOP: &str = include_str!("../../../../examples/shop.scrim");
const BASELINE: &str = include_str!("../../../../examples/shared/baseline.scrim");
const RECORDING: &str = include_str!("../../../../examples/recordings/shop-checkout.json");
const CHECKOUT: &str = "https://shop.example.com/checkout/payment";

struct Examples;

impl scrim_compiler::Loader for Examples {
    fn load(&self, path: &str) -> Result<String, String> {
        match path {
            "shared/baseline.scrim" => Ok(BASELINE.to_string()),
            _ => Err(format!("`{path}` is not available here")),
        }
    }
}

fn shop_artifact() -> String {
    let compiled = scrim_compiler::compile("shop.scrim", SHOP, &Examples);
    compiled
        .artifact
        .expect("the shop policy compiles")
        .to_json()
}

/// Writes `text` where JavaScript would, returning its length.
fn put(text: &str) -> usize {
    input(text.len());
    with_state(|s| s.input[..text.len()].copy_from_slice(text.as_bytes()));
    text.len()
}

fn output() -> String {
    with_state(|s| String::from_utf8(s.output.clone()).expect("output is UTF-8"))
}

/// The example recording's events, each on one line as `JSON.stringify`
/// writes them (the file is indented).
fn recording_events() -> Vec<String> {
    let stream = split_stream(RECORDING.as_bytes()).expect("a recording");
    stream
        .events
        .into_iter()
        .map(|r| scrim_rrweb::canonical_json(&RECORDING[r]).expect("an event"))
        .collect()
}

fn shop_session(context: &str) -> i32 {
    let policy = policy_load(put(&shop_artifact()));
    assert!(policy >= 0, "the policy loads: {}", output());
    let session = session_new(policy, put(context));
    assert!(session >= 0);
    session
}

#[test]
fn a_policy_that_does_not_load_gives_no_handle_and_so_no_session() {
    let policy = policy_load(put("{\"version\":1,"));
    assert_eq!(policy, FAILED);
    assert!(!output().is_empty(), "the reason is in the output");
    assert_eq!(session_new(policy, put("")), FAILED);
    assert_eq!(session_new(0, put("")), FAILED, "no policy 0 either");
    assert_eq!(page(0, put(CHECKOUT)), FAILED);
}

#[test]
fn every_session_call_fails_on_a_handle_that_names_no_session() {
    for handle in [-1, 0, 7] {
        assert_eq!(session_mask(handle, put("{}")), FAILED);
        assert_eq!(session_set_context(handle, put("")), FAILED);
        assert_eq!(session_block_selectors(handle), FAILED);
        assert_eq!(session_stats(handle), FAILED);
        assert_eq!(session_free(handle), FAILED);
    }
}

#[test]
fn input_that_is_not_utf8_or_longer_than_the_buffer_is_refused() {
    let session = shop_session("\n\nsession-replay");
    input(4);
    with_state(|s| s.input[..4].copy_from_slice(&[0x7b, 0xff, 0xfe, 0x7d]));
    assert_eq!(session_set_context(session, 4), FAILED);
    let past_the_end = with_state(|s| s.input.len()) + 1;
    assert_eq!(session_mask(session, past_the_end), FAILED);
}

#[test]
fn a_batch_masks_as_the_library_does_event_by_event() {
    let policy_json = shop_artifact();
    let policy = Policy::from_json(&policy_json).expect("loads");
    let mut native = Session::new(
        &policy,
        Context {
            url: String::new(),
            consent: vec!["session-replay".to_string()],
            region: None,
        },
    );
    let events = recording_events();
    let expected: Vec<String> = events
        .iter()
        .flat_map(|e| native.mask_event(e.as_bytes()).events)
        .collect();
    assert!(expected.len() > 3, "the recording keeps events");

    let batch = shop_session("\n\nsession-replay");
    let written = session_mask(batch, put(&events.join("\n")));
    assert_eq!(written as usize, output().len());
    assert_eq!(output(), expected.join("\n"));

    let one_by_one = shop_session("\n\nsession-replay");
    let mut masked = Vec::new();
    for event in &events {
        if session_mask(one_by_one, put(event)) > 0 {
            masked.push(output());
        }
    }
    assert_eq!(masked.join("\n"), expected.join("\n"));

    assert_eq!(session_stats(batch), 0);
    let stats: serde_json::Value = serde_json::from_str(&output()).expect("stats are JSON");
    let native_stats = native.stats();
    assert_eq!(stats["eventsIn"], native_stats.events_in);
    assert_eq!(stats["eventsOut"], native_stats.events_out);
    assert_eq!(stats["masked"], native_stats.masked);
    assert_eq!(
        stats["dropped"]["pageOff"],
        native_stats.dropped(DropReason::PageOff)
    );
    assert_eq!(
        stats["dropped"]["eventsIgnored"],
        native_stats.dropped(DropReason::Ignored)
    );
}

#[test]
fn without_consent_nothing_is_written_and_consent_given_later_waits_for_a_snapshot() {
    let events = recording_events();
    let session = shop_session("\n\n");
    assert_eq!(session_mask(session, put(&events.join("\n"))), 0);
    assert_eq!(output(), "");

    // Consent given in the middle of a page: nothing until the recorder's
    // next full snapshot, which starts with its Meta event.
    assert_eq!(
        session_set_context(session, put("ignored\n\nsession-replay")),
        0
    );
    let incremental = events
        .iter()
        .find(|e| e.starts_with("{\"type\":3"))
        .expect("an incremental event");
    assert_eq!(session_mask(session, put(incremental)), 0);
    let snapshot_start = events
        .iter()
        .position(|e| e.starts_with("{\"type\":4"))
        .expect("a meta event");
    let written = session_mask(
        session,
        put(&events[snapshot_start..=snapshot_start + 1].join("\n")),
    );
    let masked = output();
    assert_eq!(written as usize, masked.len());
    let kinds: Vec<&str> = masked.split('\n').map(|e| &e[..9]).collect();
    assert_eq!(
        kinds,
        ["{\"type\":4", "{\"type\":2"],
        "the meta event and the full snapshot"
    );
}

#[test]
fn the_page_decision_names_the_block_rules_in_force_and_none_on_a_page_that_is_off() {
    let policy = policy_load(put(&shop_artifact()));
    assert_eq!(
        page(policy, put(&format!("{CHECKOUT}\n\nsession-replay"))),
        1
    );
    let selectors: Vec<String> = serde_json::from_str(&output()).expect("a JSON array");
    assert!(selectors.iter().any(|s| s == "#live-chat"), "{selectors:?}");
    assert!(selectors.iter().any(|s| s.contains("js.stripe.com")));

    let never = "https://shop.example.com/account/password\n\nsession-replay";
    assert_eq!(page(policy, put(never)), 0);
    assert_eq!(output(), "[]");
    assert_eq!(page(policy, put(CHECKOUT)), 0, "no consent");
}

#[test]
fn a_session_reads_its_region_and_consent_from_the_context_lines() {
    let context = read_context("https://a.example/\neu\nsession-replay\n\nmarketing");
    assert_eq!(context.url, "https://a.example/");
    assert_eq!(context.region.as_deref(), Some("eu"));
    assert_eq!(context.consent, ["session-replay", "marketing"]);
    let empty = read_context("");
    assert_eq!(
        (empty.url.as_str(), empty.region, empty.consent.len()),
        ("", None, 0)
    );
}

#[test]
fn a_freed_session_is_gone_and_its_slot_is_reused() {
    let first = shop_session("\n\nsession-replay");
    assert_eq!(session_free(first), 0);
    assert_eq!(session_mask(first, put("{}")), FAILED);
    assert_eq!(session_free(first), FAILED);
    let again = session_new(0, put(""));
    assert_eq!(again, first);
}

#[test]
fn drop_reasons_are_named_in_camel_case() {
    assert_eq!(camel_case("page off"), "pageOff");
    assert_eq!(camel_case("events ignored"), "eventsIgnored");
    assert_eq!(camel_case("malformed"), "malformed");
}

#[test]
fn selectors_are_written_as_a_json_array_whatever_they_contain() {
    let selectors = ["a[title=\"x\\y\"]", "div\n>\tp", "é"];
    let mut out = Vec::new();
    assert_eq!(write_selectors(&mut out, &selectors), 3);
    let back: Vec<String> = serde_json::from_slice(&out).expect("a JSON array");
    assert_eq!(back, selectors);
}

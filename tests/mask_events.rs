//! `scrim mask-events` and `scrim explain --events`, end to end.

mod common;

use common::{command, scrim, write};
use std::io::Write as _;
use std::process::Stdio;

const RECORDING: &str = "examples/recordings/shop-checkout.json";

fn mask_shop(extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "mask-events",
        "--policy",
        "examples/shop.scrim",
        "--consent",
        "session-replay",
    ];
    args.extend_from_slice(extra);
    scrim(&args)
}

#[test]
fn the_shop_recording_keeps_what_the_policy_allows_and_nothing_else() {
    let out = mask_shop(&[RECORDING]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let events: Vec<serde_json::Value> = serde_json::from_str(&text).expect("a JSON array");
    assert_eq!(events.len(), 11);
    for secret in [
        "Jane",
        "jane.doe@example.com",
        "j.doe@",
        "4111",
        "hunter2",
        "horse battery",
        "5ecret",
        "8f2c1e",
        "pk_live",
        "r4nd0m",
        "Rue de la Paix",
        "charging card",
        "20231204-8812",
        "app.js",
    ] {
        assert!(!text.contains(secret), "`{secret}` leaked:\n{text}");
    }
    for kept in [
        "\"Payment\"",
        "2 items, total 79.00 EUR (SPRING24 applied)",
        "\"SPRING24\"",
        "Order confirmed",
        "data-scrim-blocked",
        "\"rr_width\":\"320px\"",
    ] {
        assert!(text.contains(kept), "`{kept}` is missing:\n{text}");
    }
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "15 event(s) in, 11 out; 14 value(s) masked; dropped: 3 page off, 1 not kept\n"
    );
}

#[test]
fn masking_a_masked_recording_changes_nothing() {
    let dir = common::scratch("events", "again");
    let once = dir.join("once.json");
    let out = mask_shop(&[RECORDING, "-o", once.to_str().unwrap()]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    let out = mask_shop(&[once.to_str().unwrap()]);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        std::fs::read_to_string(&once).unwrap()
    );
}

#[test]
fn lines_in_give_lines_out_and_standard_input_is_read() {
    let events: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(RECORDING).unwrap()).unwrap();
    let lines: String = events
        .iter()
        .map(|e| serde_json::to_string(e).unwrap() + "\n")
        .collect();
    let mut child = command(&[
        "mask-events",
        "--policy",
        "examples/shop.scrim",
        "--consent",
        "session-replay",
    ])
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(lines.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 11);
    for line in text.lines() {
        serde_json::from_str::<serde_json::Value>(line).expect("one event per line");
    }
    assert!(!text.contains("4111"));
}

#[test]
fn without_consent_nothing_is_recorded() {
    let out = scrim(&["mask-events", "--policy", "examples/shop.scrim", RECORDING]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "[]\n");
    assert!(String::from_utf8_lossy(&out.stderr).contains("dropped: 14 page off, 1 not kept"));
}

#[test]
fn the_url_option_starts_a_recording_without_a_meta_event() {
    let dir = common::scratch("events", "url");
    let stream = write(
        &dir,
        "cut.ndjson",
        "{\"type\":2,\"data\":{\"node\":{\"type\":0,\"childNodes\":[{\"type\":2,\"tagName\":\"html\",\"attributes\":{},\"childNodes\":[{\"type\":3,\"textContent\":\"Order confirmed\",\"id\":3}],\"id\":2}],\"id\":1},\"initialOffset\":{\"top\":0,\"left\":0}},\"timestamp\":1}\n",
    );
    let policy = write(&dir, "p.scrim", "scrim 1\ndefault text capture\n");
    let out = scrim(&["mask-events", "--policy", &policy, &stream]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    assert!(String::from_utf8_lossy(&out.stderr).contains("dropped: 1 page off"));
    let out = scrim(&[
        "mask-events",
        "--policy",
        &policy,
        "--url",
        "https://shop.example.com/orders/1",
        &stream,
    ]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Order confirmed"));
}

#[test]
fn a_policy_that_does_not_load_writes_nothing() {
    let dir = common::scratch("events", "policy");
    let policy = write(&dir, "bad.scrim", "scrim 1\nmask txt \".a\"\n");
    let target = dir.join("out.json");
    let out = scrim(&[
        "mask-events",
        "--policy",
        &policy,
        RECORDING,
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(!target.exists());
}

#[test]
fn a_file_that_is_not_a_recording_is_refused() {
    let dir = common::scratch("events", "notes");
    let notes = write(&dir, "notes.txt", "hello\n");
    let out = scrim(&["mask-events", "--policy", "examples/shop.scrim", &notes]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: cannot mask the recording: it is neither a JSON array of events nor one event per line"),
        "{stderr}"
    );
    let out = scrim(&[
        "mask-events",
        "--policy",
        "examples/shop.scrim",
        "--max-bytes",
        "10",
        RECORDING,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("help: raise the limit with `--max-bytes N`")
    );
}

#[test]
fn explain_says_why_a_recorded_node_was_masked() {
    let out = scrim(&[
        "explain",
        "--policy",
        "examples/shop.scrim",
        "--consent",
        "session-replay",
        "--events",
        RECORDING,
        "--node",
        "15",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("page https://shop.example.com/checkout/payment?session_id=8f2c1e&step=2"),
        "{text}"
    );
    assert!(
        text.contains("html > body > header > div.account-menu"),
        "{text}"
    );
    assert!(text.contains("rule `customer-name` decides text"), "{text}");
    assert!(text.contains("attr:data-customer-email"), "{text}");

    let out = scrim(&[
        "explain",
        "--policy",
        "examples/shop.scrim",
        "--consent",
        "session-replay",
        "--events",
        RECORDING,
        "--node",
        "27",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json[0]["status"], "placeholder");
    assert_eq!(json[0]["index"], 27);

    let out = scrim(&[
        "explain",
        "--policy",
        "examples/shop.scrim",
        "--events",
        RECORDING,
        "--node",
        "999",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains(
        "error: node `999` is not a recorded element of `examples/recordings/shop-checkout.json`"
    ));
}

#[test]
fn explain_needs_a_page_or_events() {
    let out = scrim(&[
        "explain",
        "--policy",
        "examples/shop.scrim",
        "--url",
        "https://x/",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let out = scrim(&[
        "explain",
        "--policy",
        "examples/shop.scrim",
        "--events",
        RECORDING,
    ]);
    assert_eq!(out.status.code(), Some(2));
}

/// A page, and a recording of the same DOM (one full snapshot), with the
/// ids of the recording's elements and the selector of the same element in
/// the page.
const PAGE: &str = r#"<!DOCTYPE html><html><head><style>p::after{content:"Jane"} .a{background:url(/x.png?token=1)}</style></head><body><form><input class="pin" name="pin" value="4321" title="javascript:alert(1)" onclick="x()"><input type="hidden" name="csrf" value="t0k3n"><select class="size"><option value="xl" label="Extra large" selected>XL</option></select></form><a href="mailto:jane@example.com" style="content: 'x'; background: url(/y.png)">Jane</a><img src="https://cdn.example.com/j.png?token=1"><meta charset="windows-1252"></body></html>"#;

const SNAPSHOT: &str = r#"[{"type":4,"data":{"href":"https://shop.example.com/account","width":1280,"height":720},"timestamp":1},
{"type":2,"data":{"node":{"type":0,"childNodes":[{"type":1,"name":"html","publicId":"","systemId":"","id":2},
{"type":2,"tagName":"html","attributes":{},"childNodes":[
 {"type":2,"tagName":"head","attributes":{},"childNodes":[
  {"type":2,"tagName":"style","attributes":{},"childNodes":[{"type":3,"textContent":"p::after{content:\"Jane\"} .a{background:url(/x.png?token=1)}","id":6}],"id":5}],"id":4},
 {"type":2,"tagName":"body","attributes":{},"childNodes":[
  {"type":2,"tagName":"form","attributes":{},"childNodes":[
   {"type":2,"tagName":"input","attributes":{"class":"pin","name":"pin","value":"4321","title":"javascript:alert(1)","onclick":"x()"},"childNodes":[],"id":9},
   {"type":2,"tagName":"input","attributes":{"type":"hidden","name":"csrf","value":"t0k3n"},"childNodes":[],"id":10},
   {"type":2,"tagName":"select","attributes":{"class":"size"},"childNodes":[
    {"type":2,"tagName":"option","attributes":{"value":"xl","label":"Extra large","selected":true},"childNodes":[{"type":3,"textContent":"XL","id":13}],"id":12}],"id":11}],"id":8},
  {"type":2,"tagName":"a","attributes":{"href":"mailto:jane@example.com","style":"content: 'x'; background: url(/y.png)"},"childNodes":[{"type":3,"textContent":"Jane","id":15}],"id":14},
  {"type":2,"tagName":"img","attributes":{"src":"https://cdn.example.com/j.png?token=1"},"childNodes":[],"id":16},
  {"type":2,"tagName":"meta","attributes":{"charset":"windows-1252"},"childNodes":[],"id":17}],"id":7}],"id":3}],"id":1},"initialOffset":{"top":0,"left":0}},"timestamp":2}]"#;

#[test]
fn explain_reports_a_recorded_node_as_it_reports_the_same_element_of_a_page() {
    let dir = common::scratch("events", "explain-alike");
    let policy = write(
        &dir,
        "p.scrim",
        "scrim 1\ndefault text capture\ndefault value capture\nmask attr:value \"input.pin\"\nmask value \"select\"\nallow value \"option\"\nmask media \"img\"\nredact query token\n",
    );
    let page = write(&dir, "page.html", PAGE);
    let recording = write(&dir, "recording.json", SNAPSHOT);
    let url = "https://shop.example.com/account";
    let json = |out: std::process::Output| -> serde_json::Value {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    for (select, id) in [
        ("style", "5"),
        ("input.pin", "9"),
        ("input[type=hidden]", "10"),
        ("select", "11"),
        ("option", "12"),
        ("a", "14"),
        ("img", "16"),
        ("meta", "17"),
    ] {
        let in_page = json(scrim(&[
            "explain", "--policy", &policy, "--url", url, "--select", select, "--format", "json",
            &page,
        ]));
        let in_recording = json(scrim(&[
            "explain", "--policy", &policy, "--events", &recording, "--node", id, "--format",
            "json",
        ]));
        let (p, r) = (&in_page[0], &in_recording[0]);
        assert_eq!(p["tag"], r["tag"], "{select}");
        assert_eq!(p["status"], r["status"], "{select}");
        assert_eq!(p["channels"], r["channels"], "{select}");
    }
}

//! Mask any bytes as an rrweb recording (a JSON array of events, or one
//! per line) under each example policy, as `scrim mask-events` and an
//! ingest server do: masking never panics; every event written is JSON
//! (read by serde_json, not by scrim's own reader); a replay of it runs
//! nothing: no inline event handler and no `javascript:`/`vbscript:` URL
//! in any attribute of a snapshot or a mutation, no script text but
//! rrweb's placeholder; and masking the output again does not panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// Checks what a replay would run anywhere in `value`: an object's
/// `attributes` (a snapshot node's, or a mutation's attribute change)
/// holds no event handler and no script URL; a `script` element's text is
/// rrweb's placeholder or nothing.
fn runs_nothing(value: &Value, event: &str) {
    match value {
        Value::Object(object) => {
            if let Some(Value::Object(attributes)) = object.get("attributes") {
                for (name, value) in attributes {
                    assert!(
                        !scrim_html::is_event_handler(name),
                        "event handler `{name}` in {event}"
                    );
                    if let Value::String(value) = value {
                        assert!(
                            !scrim_matcher::scheme_is(value, &["javascript", "vbscript"]),
                            "script URL in `{name}` in {event}"
                        );
                    }
                }
            }
            if object.get("tagName").and_then(Value::as_str) == Some("script")
                && let Some(Value::Array(children)) = object.get("childNodes")
            {
                for child in children {
                    if let Some(text) = child.get("textContent").and_then(Value::as_str) {
                        assert!(
                            text.is_empty() || text == "SCRIPT_PLACEHOLDER",
                            "script text in {event}"
                        );
                    }
                }
            }
            object.values().for_each(|v| runs_nothing(v, event));
        }
        Value::Array(items) => items.iter().for_each(|v| runs_nothing(v, event)),
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&choice, stream)) = data.split_first() else {
        return;
    };
    let (policy, context) = scrim_fuzz::chosen(choice);
    let Some(split) = scrim_rrweb::split_stream(stream) else {
        return;
    };
    let mut session = scrim_rrweb::Session::new(policy, context.clone());
    let mut written = Vec::new();
    for range in &split.events {
        for event in session.mask_event(&stream[range.clone()]).events {
            let value: Value =
                serde_json::from_str(&event).unwrap_or_else(|e| panic!("not JSON ({e}): {event}"));
            runs_nothing(&value, &event);
            written.push(event);
        }
    }
    // Masking the recording again (a server behind a recorder) is safe too.
    let mut again = scrim_rrweb::Session::new(policy, context);
    for event in &written {
        for event in again.mask_event(event.as_bytes()).events {
            assert!(
                serde_json::from_str::<Value>(&event).is_ok(),
                "not JSON: {event}"
            );
        }
    }
});

//! Mask any bytes as a page under each example policy: decoding, parsing
//! and masking never panic, and the output, parsed again as a replay
//! would, runs nothing: no script content, no inline event handler, no
//! script URL in any attribute.

#![no_main]

use libfuzzer_sys::fuzz_target;
use scrim_matcher::Element;

fuzz_target!(|data: &[u8]| {
    let Some((&choice, page_bytes)) = data.split_first() else {
        return;
    };
    let (policy, context) = scrim_fuzz::chosen(choice);
    let page = policy.page(&context);
    let Ok(doc) =
        scrim_html::Document::parse_bytes(page_bytes, None, &scrim_html::Limits::default())
    else {
        return;
    };
    let output = scrim_html::mask_document(&doc, &page);
    let replay = scrim_html::Document::parse(&output);
    for e in replay.elements() {
        if e.local_name() == "script" {
            assert!(e.own_text().is_empty(), "script content in\n{output}");
        }
        for (name, value) in e.attributes() {
            assert!(
                !scrim_html::is_event_handler(name),
                "event handler `{name}` in\n{output}"
            );
            assert!(
                !scrim_matcher::scheme_is(value, &["javascript", "vbscript"]),
                "script URL in `{name}` in\n{output}"
            );
        }
    }
    // Masking the recording again (a server behind a recorder) is safe too.
    let _ = scrim_html::mask_html(&output, &page);
});

//! Mask any bytes as a page under each example policy: decoding, parsing
//! and masking never panic, and the output, parsed again as a replay
//! would, runs nothing: no script content, no inline event handler, no
//! script URL in any attribute.

#![no_main]

use libfuzzer_sys::fuzz_target;
use scrim_matcher::{Context, Element, Policy};
use std::sync::OnceLock;

/// The example policies, compiled once (their shared include is served
/// from memory).
fn policies() -> &'static [Policy] {
    static POLICIES: OnceLock<Vec<Policy>> = OnceLock::new();
    POLICIES.get_or_init(|| {
        struct Examples;
        impl scrim_compiler::Loader for Examples {
            fn load(&self, path: &str) -> Result<String, String> {
                match path {
                    "shared/baseline.scrim" => {
                        Ok(include_str!("../../examples/shared/baseline.scrim").to_string())
                    }
                    _ => Err(format!("`{path}` is not available")),
                }
            }
        }
        [
            include_str!("../../examples/shop.scrim"),
            include_str!("../../examples/bank.scrim"),
            include_str!("../../examples/admin.scrim"),
            include_str!("../../examples/patient-portal.scrim"),
            "scrim 1\ndefault text, value, attributes, media capture\n",
            "scrim 1\nsensitive attributes all\ndefault text, value, attributes, media mask\n",
        ]
        .iter()
        .map(|text| {
            let compiled = scrim_compiler::compile("policy.scrim", text, &Examples);
            let artifact = compiled.artifact.expect("the example policies compile");
            Policy::from_artifact(artifact).expect("and load")
        })
        .collect()
    })
}

const URLS: &[&str] = &[
    "https://shop.example.com/checkout/payment",
    "https://bank.example.com/accounts",
    "https://admin.example.com/users",
    "https://portal.example-health.org/appointments",
];

fuzz_target!(|data: &[u8]| {
    let Some((&choice, page_bytes)) = data.split_first() else {
        return;
    };
    let policies = policies();
    let policy = &policies[usize::from(choice) % policies.len()];
    let url = URLS[usize::from(choice / 8) % URLS.len()];
    let page = policy.page(&Context {
        url: url.into(),
        consent: vec![
            "session-replay".into(),
            "health-data-notice".into(),
            "marketing".into(),
        ],
        region: Some("EU".into()),
    });
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

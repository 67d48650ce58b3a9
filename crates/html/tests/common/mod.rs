//! Helpers shared by the integration tests: compile a policy from its text
//! and mask a document with it.

#![allow(dead_code)]

use scrim_matcher::{Context, Policy};

pub const URL: &str = "https://example.com/page";

/// Compiles a policy, panicking with its diagnostics when it has errors.
pub fn policy(text: &str) -> Policy {
    let compilation = scrim_compiler::compile("test.scrim", text, &scrim_compiler::NoFiles);
    assert!(
        !compilation.has_errors(),
        "policy has errors: {:#?}",
        compilation.diagnostics
    );
    Policy::from_artifact(compilation.artifact.expect("artifact")).expect("artifact loads")
}

/// Masks `html` under `policy` on `url` with `consent`.
pub fn mask_on(policy_text: &str, url: &str, consent: &[&str], html: &str) -> String {
    let policy = policy(policy_text);
    let page = policy.page(&Context {
        url: url.to_string(),
        consent: consent.iter().map(|c| c.to_string()).collect(),
        region: None,
    });
    scrim_html::mask_html(html, &page)
}

/// Masks `html` under `policy` on [`URL`] with no consent.
pub fn mask(policy_text: &str, html: &str) -> String {
    mask_on(policy_text, URL, &[], html)
}

/// A masked document without the empty `<html><head></head><body>`
/// around its body, for shorter expectations.
pub fn body(masked: &str) -> &str {
    let s = masked
        .strip_prefix("<html><head></head><body>")
        .unwrap_or(masked);
    if s.len() < masked.len() {
        s.strip_suffix("</body></html>").unwrap_or(s)
    } else {
        s
    }
}

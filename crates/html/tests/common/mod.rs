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

/// One element of a document's structure: its depth in the flattened tree,
/// its namespace (`""`, `svg:` or `math:`) and its local name.
pub type Shape = (usize, &'static str, String);

fn shape(e: scrim_html::ElementRef<'_>) -> Shape {
    use scrim_matcher::Element;
    let mut depth = 0;
    let mut p = e.parent();
    while let Some(x) = p {
        depth += 1;
        p = x.parent();
    }
    let ns = match e.namespace() {
        "http://www.w3.org/1999/xhtml" => "",
        "http://www.w3.org/2000/svg" => "svg:",
        _ => "math:",
    };
    (depth, ns, e.local_name().to_string())
}

/// The element structure a parser builds for `html` (template contents and
/// shadow roots included, as children of their template and host).
pub fn structure(html: &str) -> Vec<Shape> {
    let doc = scrim_html::Document::parse(html);
    doc.elements().map(shape).collect()
}

/// The element structure the masker decides to write for `html` under
/// `policy_text`: every element, except that a blocked element (or one that
/// is already a placeholder) is one childless placeholder, scripts are
/// emptied, and what is inside either is gone.
pub fn decided_structure(policy_text: &str, html: &str) -> Vec<Shape> {
    use scrim_matcher::{Element, Status};
    let policy = policy(policy_text);
    let page = policy.page(&Context {
        url: URL.to_string(),
        ..Default::default()
    });
    let doc = scrim_html::Document::parse(html);
    let mut out = Vec::new();
    // Depth below which elements are not written (inside a placeholder or
    // a script).
    let mut cut: Option<usize> = None;
    for e in doc.elements() {
        let s = shape(e);
        if let Some(depth) = cut {
            if s.0 > depth {
                continue;
            }
            cut = None;
        }
        let status = page.decide(e).status;
        if matches!(status, Status::Hidden | Status::PageOff) {
            continue;
        }
        let childless = status == Status::Placeholder
            || e.attr(scrim_html::BLOCKED_ATTRIBUTE).is_some()
            || e.local_name() == "script";
        if childless {
            cut = Some(s.0);
        }
        out.push(s);
    }
    out
}

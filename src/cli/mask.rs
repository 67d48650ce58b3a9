//! `scrim mask`: writes an HTML page as a recording under a policy would
//! keep it — blocked elements as placeholders, masked text, values and
//! attributes, no scripts — using `scrim-html`.
//!
//! Fail closed: a policy that does not compile, an artifact that does not
//! load, or a page that cannot be read (not decodable, over a limit)
//! writes nothing and exits 1. A page the policy does not record
//! (missing consent, `never record`, `record only`) is written as an empty
//! document, with a note on standard error saying why.

use super::IncludeRoots;
use super::recording::{Recording, load_policy, off_reason};
use super::streams::eprintln_safe;
use scrim_matcher::PageDecision;
use std::path::Path;

pub(crate) fn run(recording: &Recording, includes: &IncludeRoots, output: Option<&Path>) -> bool {
    let Some(loaded) = load_policy(&recording.policy, includes) else {
        return false;
    };
    let Some(doc) = recording.read_page("mask") else {
        return false;
    };
    let page = loaded.policy.page(&recording.context());
    if let PageDecision::Off { reason, rule } = page.decision() {
        let by = rule
            .map(|rule| format!(" (rule `{}`)", rule.id))
            .unwrap_or_default();
        eprintln_safe!(
            "note: `{}` is not recorded: {}{by}; writing an empty document",
            recording.url,
            off_reason(reason),
        );
    }
    let masked = scrim_html::mask_document(&doc, &page);
    super::write_output(output, &masked)
}

//! `scrim explain --events FILE --node ID`: why a node of an rrweb
//! recording was recorded, masked or blocked.
//!
//! The recording is replayed through a masking session up to the last
//! event in which the node exists (it may be removed later), and the node
//! is explained there by the session (`Session::explain`: the routing the
//! masker writes by, as `scrim_html::explain_element` explains an element
//! of a page), and rendered as `scrim explain` renders a page
//! (`super::explain`).

use super::IncludeRoots;
use super::events::EventsContext;
use super::explain::{element_report, human, short};
use super::recording::load_policy;
use super::streams::{self, eprintln_safe};
use crate::Format;
use scrim_matcher::Element;
use scrim_rrweb::{El, Session, split_stream};
use std::path::Path;

pub(crate) fn run(
    args: &EventsContext,
    includes: &IncludeRoots,
    events: &Path,
    node: i64,
    format: Format,
) -> bool {
    let Some(loaded) = load_policy(&args.policy, includes) else {
        return false;
    };
    let Some(bytes) = args.read(Some(events), "explain") else {
        return false;
    };
    let Some(stream) = split_stream(&bytes) else {
        eprintln_safe!(
            "error: cannot explain `{}`: it is neither a JSON array of events nor one event per line",
            events.display()
        );
        return false;
    };
    // The last event after which the node is in the mirror.
    let mut session = Session::new(&loaded.policy, args.context());
    let mut last = None;
    for (k, range) in stream.events.iter().enumerate() {
        session.mask_event(&bytes[range.clone()]);
        if session.element(node).is_some() {
            last = Some(k);
        }
    }
    let Some(last) = last else {
        eprintln_safe!(
            "error: node `{node}` is not a recorded element of `{}`",
            events.display()
        );
        eprintln_safe!(
            "  help: ids are rrweb node ids (`\"id\"` in snapshots and mutations); a node the policy blocks, or one inside a blocked element, is still known; one on a page that is not recorded is not"
        );
        return false;
    };
    let mut session = Session::new(&loaded.policy, args.context());
    session.watch(node);
    for range in &stream.events[..=last] {
        session.mask_event(&bytes[range.clone()]);
    }
    let Some(x) = session.explain(node) else {
        return false;
    };
    let index = usize::try_from(node).unwrap_or(0);
    let reports = [element_report(
        session.page(),
        &loaded,
        &x,
        index,
        path(x.element),
    )];
    let text = match format {
        Format::Json => {
            serde_json::to_string_pretty(&reports).expect("explanations serialise") + "\n"
        }
        Format::Human => human(session.page(), &loaded, session.context(), &reports),
    };
    streams::print(&text)
}

/// `html > body > div#main.card > span`, through shadow hosts and iframes.
fn path(e: El<'_>) -> String {
    let mut chain = vec![short(e)];
    let mut cur = e;
    while let Some(p) = cur.parent() {
        chain.push(short(p));
        cur = p;
    }
    chain.reverse();
    chain.join(" > ")
}

//! `scrim explain --events FILE --node ID`: why a node of an rrweb
//! recording was recorded, masked or blocked.
//!
//! The recording is replayed through a masking session up to the last
//! event in which the node exists (it may be removed later), and the node
//! is explained there, from the session's mirror, with the same rendering
//! as `scrim explain` for a page (`super::explain`).

use super::IncludeRoots;
use super::events::EventsContext;
use super::explain::{ChannelReport, ElementReport, channel_report, human, short, status_name};
use super::recording::{LoadedPolicy, load_policy};
use super::streams::{self, eprintln_safe};
use crate::Format;
use scrim_matcher::{ChannelRef, Element, Page, Status, attribute_is_form_state};
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
    let Some(element) = session.element(node) else {
        return false;
    };
    let report = explain_node(
        session.page(),
        &loaded,
        element,
        session.watched_attributes(),
    );
    let reports = [report];
    let text = match format {
        Format::Json => {
            serde_json::to_string_pretty(&reports).expect("explanations serialise") + "\n"
        }
        Format::Human => human(session.page(), &loaded, session.context(), &reports),
    };
    streams::print(&text)
}

/// The report of one recorded element: its fixed channels and each
/// attribute it was recorded with (rrweb's own `rr_*` and `_cssText` are
/// not page attributes: their content follows `media` and `text`).
fn explain_node(
    page: &Page<'_>,
    loaded: &LoadedPolicy,
    e: El<'_>,
    attributes: &[String],
) -> ElementReport {
    let mut channels: Vec<ChannelReport> = Vec::new();
    let mut status = Status::Recorded;
    let mut add = |name: String, channel: ChannelRef<'_>, decided_as: Option<&'static str>| {
        let x = page.explain(e, channel);
        status = x.status;
        channels.push(channel_report(page, loaded, e, name, &x, decided_as));
    };
    add("text".into(), ChannelRef::Text, None);
    add("value".into(), ChannelRef::Value, None);
    let mut handlers = Vec::new();
    for name in attributes {
        if name.starts_with("rr_") || name == "_cssText" {
            continue;
        }
        if scrim_html::is_event_handler(name) {
            handlers.push(name);
        } else if attribute_is_form_state(&e, name) {
            add(format!("attr:{name}"), ChannelRef::Value, Some("value"));
        } else {
            add(format!("attr:{name}"), ChannelRef::Attr(name), None);
        }
    }
    add("media".into(), ChannelRef::Media, None);
    add("events".into(), ChannelRef::Events, None);
    for name in handlers {
        channels.push(ChannelReport {
            channel: format!("attr:{name}"),
            outcome: "off",
            strategy: None,
            step: "never-recorded",
            reason: Some("event-handler"),
            written: None,
            decided_as: None,
            sources: Vec::new(),
            css: None,
            deciding: Vec::new(),
            lost: Vec::new(),
        });
    }
    ElementReport {
        index: usize::try_from(e.id()).unwrap_or(0),
        tag: e.local_name().to_string(),
        path: path(e),
        status: status_name(status),
        channels,
    }
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

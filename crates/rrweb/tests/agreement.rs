//! A page and a recording of it are recorded alike: for random pages under
//! random policies (`crates/html/tests/common/pages.rs`, what both hold
//! alike), masking the page with `scrim-html` and masking an rrweb full
//! snapshot of the DOM it parses into keep the same attributes with the
//! same values and the same texts, element by element; an Input event
//! that types an input's value writes what the page's `value` attribute
//! is written as; and `Session::explain` explains each node as
//! `scrim_html::explain_element` explains the same element of the page
//! (which `crates/html/tests/routing.rs` holds to what the page's masker
//! writes). Both integrations write and explain by the one routing of
//! `scrim_content::route`; this holds them to it together.
//!
//! A script's text is `SCRIPT_PLACEHOLDER` in a recording and nothing in a
//! page; its attributes are compared.

mod common;
#[path = "../../html/tests/common/pages.rs"]
mod pages;

use common::recorder::{Data, Recorder, Spec};
use common::replay::Replay;
use pages::{Node, Scope, URL, compile, node, policy, write};
use proptest::prelude::*;
use scrim_content::explain::{Content, ElementExplanation};
use scrim_content::route::SVG_NAMESPACE;
use scrim_html::ElementRef;
use scrim_matcher::{Context, Element, Policy};
use std::collections::BTreeMap;

/// What rrweb records of an element of the parsed page: its tag,
/// attributes, text and element children.
fn spec(e: ElementRef<'_>) -> Spec {
    let text = e.own_text();
    // A page's parser makes no empty text node.
    let mut children: Vec<Spec> = Some(text)
        .filter(|t| !t.is_empty())
        .map(|t| common::recorder::text(&t))
        .into_iter()
        .collect();
    let mut child = e.first_child();
    while let Some(c) = child {
        children.push(spec(c));
        child = c.next_sibling();
    }
    Spec::Element {
        tag: e.local_name().to_ascii_lowercase(),
        attrs: e
            .attributes()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
        children,
        svg: e.namespace() == SVG_NAMESPACE,
        shadow: false,
    }
}

/// One written element: its tag, attributes and text.
#[derive(Debug, PartialEq)]
struct Written {
    tag: String,
    attrs: BTreeMap<String, String>,
    text: String,
}

/// The page's elements under `<body>`, as `scrim mask` wrote them.
fn page_elements(html: &str) -> Vec<Written> {
    let doc = scrim_html::Document::parse(html);
    doc.elements()
        .filter(|e| !matches!(e.local_name(), "html" | "head" | "body"))
        .map(|e| Written {
            tag: e.local_name().to_ascii_lowercase(),
            attrs: e
                .attributes()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            text: e.own_text(),
        })
        .collect()
}

/// The replay's elements under `<body>`, in document order, with the
/// value an Input event set (as `value`).
fn replay_elements(replay: &Replay, body: i64) -> Vec<(Written, Option<String>)> {
    let mut out = Vec::new();
    let mut stack: Vec<i64> = replay.nodes[&body].children.iter().rev().copied().collect();
    while let Some(id) = stack.pop() {
        let n = &replay.nodes[&id];
        if n.kind != 2 {
            continue;
        }
        let text = n
            .children
            .iter()
            .map(|c| &replay.nodes[c])
            .filter(|c| c.kind == 3)
            .map(|c| c.text.as_str())
            .collect();
        out.push((
            Written {
                tag: n.tag.clone(),
                attrs: n.attrs.clone(),
                text,
            },
            n.value.clone(),
        ));
        stack.extend(n.children.iter().rev());
    }
    out
}

/// What an explanation says of each piece of content: its routing, the
/// outcome, the channel that decided and where, and a style sheet's
/// parts; and the element's status.
fn summary<E: Element>(x: &ElementExplanation<'_, '_, E>) -> Vec<String> {
    let mut lines = vec![format!("{:?} {:?}", x.status, x.unwritten)];
    for c in &x.contents {
        let name = match c.content {
            Content::Attr { name, .. } => format!("attr:{name}"),
            other => format!("{other:?}"),
        };
        let decided = c.decided.as_ref().map(|d| {
            let by = d.deciding().map(|s| (s.source, s.levels_up));
            (d.outcome, by, d.sources.len())
        });
        let css = c
            .css
            .as_ref()
            .map(|css| (css.strings.outcome, css.urls.outcome));
        lines.push(format!("{name}: {:?} {decided:?} {css:?}", c.routing));
    }
    lines
}

fn agree(tree: &[Node], policy: &Policy) -> Result<(), TestCaseError> {
    let mut html = String::from("<!DOCTYPE html><html><head></head><body>");
    for n in tree {
        write(n, &mut html);
    }
    html.push_str("</body></html>");
    let doc = scrim_html::Document::parse(&html);
    let context = Context {
        url: URL.into(),
        consent: Vec::new(),
        region: None,
    };
    let page = policy.page(&context);
    let from_page = page_elements(&scrim_html::mask_html(&html, &page));

    let mut recorder = Recorder::new();
    let mut inputs = Vec::new();
    let body = doc.elements().find(|e| e.local_name() == "body");
    let mut child = body.and_then(|b| b.first_child());
    while let Some(c) = child {
        recorder.build(Recorder::BODY, &spec(c));
        child = c.next_sibling();
    }
    for (i, node) in recorder.nodes.iter().enumerate() {
        if let Data::Element { tag, attrs, .. } = &node.data
            && matches!(tag.as_str(), "input" | "select")
            && let Some((_, v)) = attrs.iter().find(|(n, _)| n == "value")
            // A button's `value` is its label, not state: no one types it.
            && !attrs.iter().any(|(n, t)| n == "type" && t == "button")
        {
            inputs.push((i, v.clone()));
        }
    }
    let mut events = recorder.start(URL);
    for (i, v) in inputs {
        events.push(recorder.input(i, &v, false));
    }
    let (masked, _) = common::mask_all(policy, context.clone(), &events);
    let mut replay = Replay::default();
    for e in &masked {
        replay.apply(e);
    }
    let from_recording = replay_elements(&replay, recorder.id(Recorder::BODY));

    // Each node explained as the same element of the page.
    let in_page: Vec<_> = doc
        .elements()
        .filter(|e| !matches!(e.local_name(), "html" | "head" | "body"))
        .collect();
    let mut ids = Vec::new();
    let mut stack: Vec<usize> = recorder.nodes[Recorder::BODY]
        .children
        .iter()
        .rev()
        .copied()
        .collect();
    while let Some(i) = stack.pop() {
        if matches!(recorder.nodes[i].data, Data::Element { .. }) {
            ids.push(recorder.id(i));
            stack.extend(recorder.nodes[i].children.iter().rev());
        }
    }
    prop_assert_eq!(in_page.len(), ids.len(), "{}", html);
    for (&el, &id) in in_page.iter().zip(&ids) {
        let mut session = scrim_rrweb::Session::new(policy, context.clone());
        session.watch(id);
        for e in &events {
            session.mask_event(e.as_bytes());
        }
        let explained = session.explain(id).expect("a node of the mirror");
        prop_assert_eq!(
            summary(&scrim_html::explain_element(&page, el)),
            summary(&explained),
            "<{}> in {}",
            el.local_name(),
            html
        );
    }

    prop_assert_eq!(from_page.len(), from_recording.len(), "{}", html);
    for (p, (r, typed)) in from_page.iter().zip(&from_recording) {
        prop_assert_eq!(&p.tag, &r.tag, "{}", html);
        prop_assert_eq!(&p.attrs, &r.attrs, "<{}> in {}", &p.tag, html);
        if p.tag != "script" {
            prop_assert_eq!(&p.text, &r.text, "<{}> in {}", &p.tag, html);
        }
        if let Some(typed) = typed {
            // What an Input event writes is what the `value` attribute is
            // written as (nothing when the page leaves it out).
            let value = p.attrs.get("value").map_or("", String::as_str);
            prop_assert_eq!(value, typed.as_str(), "<{}> in {}", &p.tag, html);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn a_page_and_its_recording_are_recorded_alike(
        tree in proptest::collection::vec(node(Scope::Recording), 1..4),
        text in policy(Scope::Recording),
    ) {
        if let Some(policy) = compile(&text) {
            agree(&tree, &policy)?;
        }
    }
}

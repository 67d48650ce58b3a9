//! The masking property on random documents under random policies, both
//! ways: every channel the matcher captures is written unchanged (after
//! the detectors), and every channel it masks is written as its strategy
//! makes it, so no original non-whitespace character survives. Neither
//! over-masking nor under-masking goes unnoticed.
//!
//! The matcher's decisions are themselves held to the oracle by the
//! matcher's property tests; this one holds the HTML writer to them. The
//! masked page is parsed again and compared element by element with the
//! page it came from.
//!
//! `PROPTEST_CASES=N` runs N cases instead of the default 512.

mod common;

use proptest::prelude::*;
use scrim_html::{BLOCKED_ATTRIBUTE, Document, ElementRef};
use scrim_matcher::{ChannelOutcome, ChannelRef, Element, Page, Status, mask_with};
use std::fmt::Write as _;

/// Secret text: Greek letters (nothing else in a page is Greek), spaces,
/// and now and then something a detector finds.
fn secret() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            6 => proptest::char::range('α', 'ω').prop_map(String::from),
            2 => Just(" ".to_string()),
            1 => Just("jane@example.com".to_string()),
            1 => Just("4111 1111 1111 1111".to_string()),
            1 => Just("CUST-12345678".to_string()),
        ],
        1..6,
    )
    .prop_map(|v| v.concat())
}

#[derive(Debug, Clone)]
enum Gen {
    El {
        tag: &'static str,
        class: &'static str,
        attrs: Vec<(&'static str, String)>,
        text: String,
        children: Vec<Gen>,
    },
    Input {
        kind: &'static str,
        value: String,
        placeholder: String,
    },
    Textarea(String),
    Button(String, String),
    /// A host with a declarative shadow root: its shadow content comes
    /// before its light children in the flattened tree.
    Shadow {
        shadow: Vec<Gen>,
        light: Vec<Gen>,
    },
}

const CLASSES: &[&str] = &["", "a", "b", "a b", "c"];
const ATTRS: &[&str] = &["title", "aria-label", "data-x", "alt", "data-note"];

fn gen_tree() -> impl Strategy<Value = Gen> {
    let leaf = prop_oneof![
        (
            prop::sample::select(&["text", "email", "password", "hidden", "search"][..]),
            secret(),
            secret()
        )
            .prop_map(|(kind, value, placeholder)| Gen::Input {
                kind,
                value,
                placeholder
            }),
        secret().prop_map(Gen::Textarea),
        (secret(), secret()).prop_map(|(t, v)| Gen::Button(t, v)),
    ];
    let element = |children: BoxedStrategy<Vec<Gen>>| {
        (
            prop::sample::select(&["div", "span", "section", "b", "em"][..]),
            prop::sample::select(CLASSES),
            proptest::collection::vec((prop::sample::select(ATTRS), secret()), 0..3),
            prop_oneof![1 => Just(String::new()), 3 => secret()],
            children,
        )
            .prop_map(|(tag, class, attrs, text, children)| {
                let mut seen = Vec::new();
                let attrs = attrs
                    .into_iter()
                    .filter(|(n, _)| {
                        let fresh = !seen.contains(n);
                        seen.push(*n);
                        fresh
                    })
                    .collect();
                Gen::El {
                    tag,
                    class,
                    attrs,
                    text,
                    children,
                }
            })
    };
    let base = prop_oneof![leaf, element(Just(Vec::new()).boxed()),];
    base.prop_recursive(4, 40, 4, move |inner| {
        prop_oneof![
            4 => element(proptest::collection::vec(inner.clone(), 0..4).boxed()),
            1 => (
                proptest::collection::vec(inner.clone(), 1..3),
                proptest::collection::vec(inner, 0..2),
            )
                .prop_map(|(shadow, light)| Gen::Shadow { shadow, light }),
        ]
    })
}

/// Attribute values and text, escaped for HTML.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;")
}

fn write(g: &Gen, out: &mut String) {
    match g {
        Gen::El {
            tag,
            class,
            attrs,
            text,
            children,
        } => {
            let _ = write!(out, "<{tag}");
            if !class.is_empty() {
                let _ = write!(out, " class=\"{class}\"");
            }
            for (name, value) in attrs {
                let _ = write!(out, " {name}=\"{}\"", escape(value));
            }
            // One text node, before the children: a text is one channel.
            let _ = write!(out, ">{}", escape(text));
            for c in children {
                write(c, out);
            }
            let _ = write!(out, "</{tag}>");
        }
        Gen::Input {
            kind,
            value,
            placeholder,
        } => {
            let _ = write!(
                out,
                "<input type=\"{kind}\" value=\"{}\" placeholder=\"{}\">",
                escape(value),
                escape(placeholder)
            );
        }
        Gen::Textarea(v) => {
            let _ = write!(out, "<textarea>{}</textarea>", escape(v));
        }
        Gen::Shadow { shadow, light } => {
            out.push_str("<div class=\"host\"><template shadowrootmode=\"open\">");
            for c in shadow {
                write(c, out);
            }
            out.push_str("</template>");
            for c in light {
                write(c, out);
            }
            out.push_str("</div>");
        }
        Gen::Button(text, value) => {
            let _ = write!(
                out,
                "<button value=\"{}\">{}</button>",
                escape(value),
                escape(text)
            );
        }
    }
}

#[derive(Debug, Clone)]
struct PolicySpec {
    defaults: Vec<(usize, bool)>,
    rules: Vec<(u8, usize, usize, u8)>,
    detect: bool,
    sensitive: u8,
}

const SELECTORS: &[&str] = &[
    "div",
    "span",
    ".a",
    ".b",
    ".c",
    "section",
    "b",
    "em",
    "input",
    "textarea",
    "button",
    "[title]",
    "div > *",
    "section .a",
    "*",
    "body",
    ":not(.a)",
    "[data-x]",
    ".host",
    ".host > *",
];
const RULE_CHANNELS: &[&str] = &[
    "text",
    "value",
    "attributes",
    "attr:title",
    "attr:data-x",
    "attr:class",
    "all",
    "text, value",
];

fn policy_spec() -> impl Strategy<Value = PolicySpec> {
    (
        proptest::collection::vec((0usize..4, any::<bool>()), 0..4),
        proptest::collection::vec(
            (0u8..10, 0..SELECTORS.len(), 0..RULE_CHANNELS.len(), 0u8..4),
            0..6,
        ),
        any::<bool>(),
        0u8..4,
    )
        .prop_map(|(defaults, rules, detect, sensitive)| PolicySpec {
            defaults,
            rules,
            detect,
            sensitive,
        })
}

fn policy_text(spec: &PolicySpec) -> String {
    let mut text = String::from("scrim 1\n");
    match spec.sensitive {
        1 => text.push_str("sensitive attributes all except class\n"),
        2 => text.push_str("sensitive attributes defaults, data-x\n"),
        _ => {}
    }
    for &(channel, capture) in &spec.defaults {
        let channel = ["text", "value", "attributes", "attr:data-note"][channel];
        let outcome = if capture { "capture" } else { "mask" };
        let _ = writeln!(text, "default {channel} {outcome}");
    }
    for &(action, selector, channels, strategy) in &spec.rules {
        let selector = SELECTORS[selector];
        let channels = RULE_CHANNELS[channels];
        let strategy =
            ["", " with \"[hidden]\"", " with length 4", " with stars"][usize::from(strategy)];
        let line = match action {
            0 => format!("block \"{selector}\""),
            1..=3 => format!("mask {channels} \"{selector}\"{strategy}"),
            4 => format!("mask sealed {channels} \"{selector}\"{strategy}"),
            _ => format!("allow {channels} \"{selector}\""),
        };
        let _ = writeln!(text, "{line}");
    }
    if spec.detect {
        text.push_str("detect email, card\ndetect customer /CUST-\\d{8}/\n");
    }
    text
}

/// The elements of a document's body, in order.
fn body_elements(doc: &Document) -> Vec<ElementRef<'_>> {
    doc.elements()
        .filter(|e| !matches!(e.local_name(), "html" | "head" | "body"))
        .collect()
}

/// What a channel must be written as, from the original content (no text
/// node is no text to mask).
fn expected(page: &Page<'_>, outcome: ChannelOutcome<'_>, original: &str) -> String {
    match outcome {
        _ if original.is_empty() => String::new(),
        ChannelOutcome::Capture => page.scrub(original).into_owned(),
        ChannelOutcome::Mask(strategy) => mask_with(strategy, original),
        ChannelOutcome::Off => String::new(),
    }
}

fn has_greek(s: &str) -> bool {
    s.chars().any(|c| ('α'..='ω').contains(&c))
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(512)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn every_channel_is_written_as_decided(
        tree in proptest::collection::vec(gen_tree(), 1..4),
        spec in policy_spec(),
    ) {
        let mut html = String::new();
        for g in &tree {
            write(g, &mut html);
        }
        let policy_text = policy_text(&spec);
        let policy = common::policy(&policy_text);
        let page = policy.page(&scrim_matcher::Context {
            url: common::URL.into(),
            ..Default::default()
        });
        let doc = Document::parse(&html);
        let out = scrim_html::mask_document(&doc, &page);
        let written = Document::parse(&out);
        let why = format!("policy:\n{policy_text}\npage: {html}\nmasked: {out}");

        // The originals that are written (not inside a blocked element),
        // in order, against the elements of the masked page.
        let originals: Vec<ElementRef<'_>> = body_elements(&doc)
            .into_iter()
            .filter(|e| page.decide(*e).status != Status::Hidden)
            .collect();
        let copies = body_elements(&written);
        prop_assert_eq!(originals.len(), copies.len(), "{}", why);
        for (e, w) in originals.iter().zip(&copies) {
            prop_assert_eq!(e.local_name(), w.local_name(), "{}", why);
            let d = page.decide(*e);
            if d.status == Status::Placeholder {
                // Tag name only: no attribute but the marker (and the
                // `type="hidden"` that keeps a hidden input's place, see
                // docs/html.md, "Blocked placeholders"), no text.
                prop_assert!(w.attr(BLOCKED_ATTRIBUTE).is_some(), "{}", why);
                for (name, value) in w.attributes() {
                    prop_assert!(
                        name == BLOCKED_ATTRIBUTE || (name, value) == ("type", "hidden"),
                        "{}", why
                    );
                }
                prop_assert_eq!(w.own_text(), "", "{}", why);
                continue;
            }
            // Text (a textarea's text is its value).
            let text_outcome = if e.local_name() == "textarea" { d.value } else { d.text };
            let original = e.own_text();
            let copy = w.own_text();
            prop_assert_eq!(
                &copy,
                &expected(&page, text_outcome, &original),
                "text of {} ({:?}): {}", e.path(), text_outcome, why
            );
            if !text_outcome.is_capture() {
                prop_assert!(!has_greek(&copy), "{}", why);
            }
            // Attributes, each by its own decision (form state by `value`).
            for (name, value) in e.attributes() {
                if name == "type" {
                    continue; // structure, written in its one parsing form
                }
                let outcome = if scrim_matcher::attribute_is_form_state(e, name) {
                    d.value
                } else {
                    page.decide_channel(*e, ChannelRef::Attr(name))
                };
                let copy = w.attr(name).unwrap_or("");
                let want = expected(&page, outcome, value);
                prop_assert_eq!(
                    copy,
                    want.as_str(),
                    "attribute {} of {} ({:?}): {}", name, e.path(), outcome, why
                );
                if !outcome.is_capture() {
                    prop_assert!(!has_greek(copy), "{}", why);
                }
            }
        }
    }
}

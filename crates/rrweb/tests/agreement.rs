//! A page and a recording of it are recorded alike: for random pages under
//! random policies, masking the page with `scrim-html` and masking an
//! rrweb full snapshot of the same DOM keep the same attributes with the
//! same values and the same texts, element by element; an Input event
//! that types an input's value writes what the page's `value` attribute
//! is written as; and `Session::explain` explains each node as
//! `scrim_html::explain_element` explains the same element of the page
//! (which `crates/html/tests/routing.rs` holds to what the page's masker
//! writes). Both integrations write and explain by the one routing of
//! `scrim_content::route`; this holds them to it together.
//!
//! The pages hold only what both represent the same way: no blocked
//! elements (placeholders differ by design: a page keeps `width`, a
//! recording `rr_width`), no `srcdoc` (a recording has the frame's
//! document), no `<textarea>` (rrweb records its value as an attribute), no
//! shadow roots or templates. A script's text is `SCRIPT_PLACEHOLDER` in a
//! recording and nothing in a page; its attributes are compared.

mod common;

use common::recorder::{Data, Recorder, Spec};
use common::replay::Replay;
use proptest::prelude::*;
use scrim_content::explain::{Content, ElementExplanation};
use scrim_matcher::{Context, Element, Policy};
use std::collections::BTreeMap;

const URL: &str = "https://shop.example.com/checkout?token=abc";

#[derive(Debug, Clone)]
struct Node {
    tag: &'static str,
    attrs: Vec<(&'static str, String)>,
    text: Option<String>,
    children: Vec<Node>,
    svg: bool,
}

const VOID: &[&str] = &["input", "img", "source", "meta", "link", "br"];

fn words() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Jane Doe"),
        Just("jane@example.com"),
        Just("x"),
        Just("  a  b "),
        Just("Grüße 日本"),
        Just("hidden"),
        Just(""),
    ]
    .prop_map(String::from)
}

fn url() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("https://cdn.example.com/u/jane.png?token=s3cr3t&w=2"),
        Just("/relative/jane.png"),
        Just("mailto:jane@example.com"),
        Just("javascript:alert(1)"),
        Just(" JavaScript:alert(1)"),
        Just("data:text/html,<script>alert(1)</script>"),
    ]
    .prop_map(String::from)
}

fn attr(
    name: &'static str,
    value: impl Strategy<Value = String> + 'static,
) -> BoxedStrategy<(&'static str, String)> {
    value.prop_map(move |v| (name, v)).boxed()
}

/// Each attribute present or not, after the common ones.
fn with(
    extra: Vec<BoxedStrategy<(&'static str, String)>>,
) -> BoxedStrategy<Vec<(&'static str, String)>> {
    let mut all = vec![
        attr(
            "class",
            prop_oneof![Just("a"), Just("b"), Just("a b")].prop_map(String::from),
        ),
        attr("title", prop_oneof![words(), url()]),
        attr(
            "style",
            prop_oneof![
                Just("color: red"),
                Just(
                    "content: \"Jane Doe\"; background: url(https://cdn.example.com/x.png?token=1)"
                ),
            ]
            .prop_map(String::from),
        ),
        attr("data-user", prop_oneof![words(), url()]),
        attr("onclick", Just("steal()".to_string())),
    ];
    all.extend(extra);
    all.into_iter()
        .map(|a| proptest::option::of(a).boxed())
        .collect::<Vec<_>>()
        .prop_map(|v| v.into_iter().flatten().collect())
        .boxed()
}

fn leaf(
    tag: &'static str,
    attrs: BoxedStrategy<Vec<(&'static str, String)>>,
    text: bool,
) -> BoxedStrategy<Node> {
    let text = if text {
        proptest::option::of(words()).boxed()
    } else {
        Just(None).boxed()
    };
    (attrs, text)
        .prop_map(move |(attrs, text)| Node {
            tag,
            attrs,
            text,
            children: Vec::new(),
            svg: false,
        })
        .boxed()
}

fn select() -> BoxedStrategy<Node> {
    let option = leaf(
        "option",
        with(vec![
            attr("value", words()),
            attr("label", words()),
            attr("selected", Just(String::new())),
        ]),
        true,
    );
    (
        with(vec![attr("value", words())]),
        proptest::collection::vec(option, 1..3),
    )
        .prop_map(|(attrs, children)| Node {
            tag: "select",
            attrs,
            text: None,
            children,
            svg: false,
        })
        .boxed()
}

fn svg() -> BoxedStrategy<Node> {
    let child = (
        prop_oneof![Just("a"), Just("image"), Just("set"), Just("style")],
        url(),
    )
        .prop_map(|(tag, u)| {
            let (attrs, text) = match tag {
                "set" => (vec![("attributeName", "href".into()), ("to", u)], None),
                "style" => (Vec::new(), Some("a{content:\"Jane\"}".to_string())),
                _ => (vec![("href", u)], None),
            };
            Node {
                tag,
                attrs,
                text,
                children: Vec::new(),
                svg: true,
            }
        });
    proptest::collection::vec(child, 1..3)
        .prop_map(|children| Node {
            tag: "svg",
            attrs: Vec::new(),
            text: None,
            children,
            svg: true,
        })
        .boxed()
}

fn special() -> BoxedStrategy<Node> {
    prop_oneof![
        select(),
        leaf(
            "input",
            with(vec![
                attr(
                    "type",
                    prop_oneof![
                        Just("text"),
                        Just("password"),
                        Just("hidden"),
                        Just("HIDDEN"),
                        Just("checkbox"),
                        Just("button")
                    ]
                    .prop_map(String::from)
                ),
                attr("value", words()),
                attr("checked", Just(String::new())),
                attr("placeholder", words()),
                attr("autocomplete", Just("cc-number".to_string())),
            ]),
            false,
        ),
        leaf(
            "img",
            with(vec![
                attr("src", url()),
                attr("srcset", Just("/a.png 1x, javascript:x 2x".to_string())),
                attr("alt", words()),
            ]),
            false,
        ),
        leaf("a", with(vec![attr("href", url())]), true),
        leaf("button", with(vec![attr("value", words())]), true),
        leaf("iframe", with(vec![attr("src", url())]), false),
        prop_oneof![
            Just(vec![("charset", "windows-1252".to_string())]),
            Just(vec![
                ("http-equiv", "Content-Type".to_string()),
                ("content", "text/html; charset=windows-1252".to_string()),
            ]),
            Just(vec![
                ("http-equiv", "refresh".to_string()),
                (
                    "content",
                    "5; url=https://shop.example.com/next?token=s3cr3t".to_string()
                ),
            ]),
            Just(vec![
                ("http-equiv", "refresh".to_string()),
                ("content", "0; URL='javascript:alert(1)'".to_string()),
            ]),
        ]
        .prop_map(|attrs| Node {
            tag: "meta",
            attrs,
            text: None,
            children: Vec::new(),
            svg: false,
        }),
        prop_oneof![
            Just(vec![("rel", "modulepreload"), ("href", "/m.js")]),
            Just(vec![
                ("rel", "preload"),
                ("as", "script"),
                ("href", "/a.js")
            ]),
            Just(vec![
                ("rel", "Prefetch"),
                ("as", "script worker"),
                ("href", "/b.js")
            ]),
            Just(vec![("rel", "stylesheet"), ("href", "/a.css?token=1")]),
        ]
        .prop_map(|attrs| Node {
            tag: "link",
            attrs: attrs.into_iter().map(|(n, v)| (n, v.to_string())).collect(),
            text: None,
            children: Vec::new(),
            svg: false,
        }),
        svg(),
        prop_oneof![
            Just("p{content:\"Jane Doe\"}"),
            Just(".a{background:url(https://cdn.example.com/u/jane.png?token=s3cr3t)}"),
        ]
        .prop_map(|css| Node {
            tag: "style",
            attrs: Vec::new(),
            text: Some(css.into()),
            children: Vec::new(),
            svg: false,
        }),
        prop_oneof![Just("Jane Doe"), Just("<b>Jane</b>")].prop_map(|t| Node {
            tag: "noscript",
            attrs: Vec::new(),
            text: Some(t.into()),
            children: Vec::new(),
            svg: false,
        }),
        Just(Node {
            tag: "script",
            attrs: vec![("src", "https://x.example/a.js".into())],
            text: Some("steal()".into()),
            children: Vec::new(),
            svg: false,
        }),
    ]
    .boxed()
}

fn node() -> impl Strategy<Value = Node> {
    special().prop_recursive(3, 24, 3, |inner| {
        (
            prop_oneof![Just("div"), Just("span"), Just("section")],
            with(vec![attr(
                "contenteditable",
                prop_oneof![Just(""), Just("true"), Just("false")].prop_map(String::from),
            )]),
            proptest::option::of(words()),
            proptest::collection::vec(inner, 0..3),
        )
            .prop_map(|(tag, attrs, text, children)| Node {
                tag,
                attrs,
                text,
                children,
                svg: false,
            })
    })
}

fn escape(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

fn write_html(node: &Node, out: &mut String) {
    out.push('<');
    out.push_str(node.tag);
    for (name, value) in &node.attrs {
        out.push_str(&format!(" {name}=\"{}\"", escape(value)));
    }
    out.push('>');
    if VOID.contains(&node.tag) {
        return;
    }
    if let Some(t) = &node.text {
        let raw = !node.svg && matches!(node.tag, "style" | "noscript" | "script");
        out.push_str(&if raw { t.clone() } else { escape(t) });
    }
    for c in &node.children {
        write_html(c, out);
    }
    out.push_str(&format!("</{}>", node.tag));
}

fn spec(node: &Node) -> Spec {
    // A page's parser makes no empty text node.
    let mut children: Vec<Spec> = node
        .text
        .iter()
        .filter(|t| !t.is_empty())
        .map(|t| common::recorder::text(t))
        .collect();
    children.extend(node.children.iter().map(spec));
    let mut s = Spec::Element {
        tag: node.tag.to_ascii_lowercase(),
        attrs: node
            .attrs
            .iter()
            .map(|(n, v)| (n.to_string(), v.clone()))
            .collect(),
        children,
        svg: false,
        shadow: false,
    };
    if node.svg {
        s = s.svg();
    }
    s
}

fn policy() -> impl Strategy<Value = String> {
    let rule = (
        prop_oneof![Just("mask"), Just("allow"), Just("mask sealed")],
        prop_oneof![
            Just("text"),
            Just("value"),
            Just("media"),
            Just("attributes"),
            Just("attr:value"),
            Just("attr:label"),
            Just("attr:type"),
            Just("attr:checked, attr:selected"),
            Just("attr:href, attr:src"),
            Just("attr:style"),
            Just("attr:content, attr:charset"),
            Just("text, value"),
        ],
        prop_oneof![
            Just(".a"),
            Just(".b"),
            Just("select"),
            Just("option"),
            Just("input"),
            Just("img"),
            Just("svg *"),
            Just("*"),
            Just("meta"),
            Just("[contenteditable]"),
        ],
        prop_oneof![
            Just(""),
            Just(" with \"[x]\""),
            Just(" with length 3"),
            Just(" with \"Hidden\""),
        ],
    )
        .prop_map(|(action, channels, selector, strategy)| {
            let strategy = if action == "allow" { "" } else { strategy };
            format!("{action} {channels} \"{selector}\"{strategy}\n")
        });
    (
        proptest::sample::subsequence(
            &[
                "default text capture\n",
                "default value capture\n",
                "default attributes capture\n",
                "default media mask\n",
                "detect email\n",
                "redact query token\n",
            ][..],
            0..=6,
        ),
        prop_oneof![
            Just(""),
            Just("sensitive attributes all except class\n"),
            Just("sensitive attributes all\n"),
            Just("sensitive attributes defaults, data-user, label\n"),
        ],
        proptest::collection::vec(rule, 0..5),
    )
        .prop_map(|(statements, sensitive, rules)| {
            let mut policy = String::from("scrim 1\n");
            policy.extend(statements);
            policy.push_str(sensitive);
            policy.extend(rules);
            policy
        })
}

fn compile(text: &str) -> Option<Policy> {
    let compilation = scrim_compiler::compile("test.scrim", text, &scrim_compiler::NoFiles);
    if compilation.has_errors() {
        return None;
    }
    Policy::from_artifact(compilation.artifact?).ok()
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
        write_html(n, &mut html);
    }
    html.push_str("</body></html>");
    let context = Context {
        url: URL.into(),
        consent: Vec::new(),
        region: None,
    };
    let page = policy.page(&context);
    let from_page = page_elements(&scrim_html::mask_html(&html, &page));

    let mut recorder = Recorder::new();
    let mut inputs = Vec::new();
    for n in tree {
        recorder.build(Recorder::BODY, &spec(n));
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
    let doc = scrim_html::Document::parse(&html);
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
        tree in proptest::collection::vec(node(), 1..4),
        text in policy(),
    ) {
        if let Some(policy) = compile(&text) {
            agree(&tree, &policy)?;
        }
    }
}

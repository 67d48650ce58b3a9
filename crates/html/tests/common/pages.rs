//! Random pages and policies for the property tests that hold what is
//! written to what is explained: `crates/html/tests/routing.rs` (a page's
//! masker and `explain`) and `crates/rrweb/tests/agreement.rs` (a page and
//! a recording of it, and their explanations), which includes this file.
//!
//! [`Scope::Page`] generates everything a page holds; [`Scope::Recording`]
//! what a page and an rrweb recording of it hold alike.

#![allow(dead_code)]

use proptest::prelude::*;
use scrim_matcher::Policy;

/// What the generated pages and policies hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everything a page holds.
    Page,
    /// What a page and an rrweb recording of it represent alike: no
    /// blocked elements or `block` rules (placeholders differ: a page keeps
    /// `width`, a recording `rr_width`), no `srcdoc` (a recording has the
    /// frame's document), no `<textarea>` (rrweb records its value as an
    /// attribute), no templates or declarative shadow roots (rrweb records
    /// the live DOM, where they are gone), no page that is off.
    Recording,
}

/// The page the pages are recorded at.
pub const URL: &str = "https://shop.example.com/checkout";

/// An element of a generated page.
#[derive(Debug, Clone)]
pub struct Node {
    pub tag: &'static str,
    pub attrs: Vec<(&'static str, String)>,
    pub text: Option<String>,
    pub children: Vec<Node>,
}

const VOID: &[&str] = &["input", "img", "source", "meta", "link", "hr", "br"];

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

fn class() -> impl Strategy<Value = (&'static str, String)> {
    prop_oneof![Just("a"), Just("b"), Just("blk"), Just("a b")].prop_map(|c| ("class", c.into()))
}

fn url() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("https://cdn.example.com/u/jane.png?token=s3cr3t&w=2"),
        Just("https://shop.example.com/orders/12345678?token=abc"),
        Just("/relative/jane.png"),
        Just("mailto:jane@example.com"),
        Just("tel:+15551234567"),
        Just("javascript:alert(1)"),
        Just(" JavaScript:alert(1)"),
        Just("data:image/png;base64,iVBOR"),
        Just("data:text/html,<script>alert(1)</script>"),
    ]
    .prop_map(String::from)
}

fn srcset() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        (url(), prop_oneof![Just(""), Just(" 1x"), Just(" 300w")]),
        1..3,
    )
    .prop_map(|candidates| {
        candidates
            .iter()
            .filter(|(u, _)| !u.contains([',', ' ']) || u.starts_with(' '))
            .map(|(u, d)| format!("{}{d}", u.trim()))
            .collect::<Vec<_>>()
            .join(", ")
    })
}

fn style_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("color: red"),
        Just("content: \"Jane Doe\"; color: red"),
        Just("background: url(https://cdn.example.com/u/jane.png?token=s3cr3t)"),
        Just("content: \"Jane Doe\"; background-image: url(/me.png)"),
    ]
    .prop_map(String::from)
}

/// Optional attributes: each one present or not.
fn optional(
    attrs: Vec<BoxedStrategy<(&'static str, String)>>,
) -> BoxedStrategy<Vec<(&'static str, String)>> {
    attrs
        .into_iter()
        .map(|a| proptest::option::of(a).boxed())
        .collect::<Vec<_>>()
        .prop_map(|v| v.into_iter().flatten().collect())
        .boxed()
}

fn attr(
    name: &'static str,
    value: impl Strategy<Value = String> + 'static,
) -> BoxedStrategy<(&'static str, String)> {
    value.prop_map(move |v| (name, v)).boxed()
}

fn common_attrs() -> Vec<BoxedStrategy<(&'static str, String)>> {
    vec![
        class().boxed(),
        attr("title", prop_oneof![3 => words(), 1 => url()]),
        attr("style", style_value()),
        attr("data-user", prop_oneof![3 => words(), 1 => url()]),
        attr("onclick", Just("steal()".to_string())),
    ]
}

fn with(
    extra: Vec<BoxedStrategy<(&'static str, String)>>,
) -> BoxedStrategy<Vec<(&'static str, String)>> {
    let mut all = common_attrs();
    all.extend(extra);
    optional(all)
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
        })
        .boxed()
}

fn option() -> BoxedStrategy<Node> {
    (
        with(vec![
            attr("value", words()),
            attr("label", words()),
            attr("selected", Just(String::new())),
        ]),
        proptest::option::of(words()),
        proptest::option::of(leaf(
            "span",
            with(vec![attr("label", words()), attr("value", words())]),
            true,
        )),
    )
        .prop_map(|(attrs, text, span)| Node {
            tag: "option",
            attrs,
            text,
            children: span.into_iter().collect(),
        })
        .boxed()
}

fn select() -> BoxedStrategy<Node> {
    let button =
        leaf("selectedcontent", optional(vec![class().boxed()]), false).prop_map(|sc| Node {
            tag: "button",
            attrs: Vec::new(),
            text: Some("Pick: ".into()),
            children: vec![sc],
        });
    let optgroup = (
        with(vec![attr("label", words())]),
        proptest::collection::vec(option(), 1..3),
    )
        .prop_map(|(attrs, children)| Node {
            tag: "optgroup",
            attrs,
            text: None,
            children,
        });
    (
        with(vec![attr("name", Just("dx".to_string()))]),
        proptest::option::of(button),
        proptest::collection::vec(prop_oneof![3 => option(), 1 => optgroup], 1..4),
    )
        .prop_map(|(attrs, button, options)| Node {
            tag: "select",
            attrs,
            text: None,
            children: button.into_iter().chain(options).collect(),
        })
        .boxed()
}

fn svg() -> BoxedStrategy<Node> {
    let a = (url(), proptest::option::of(words())).prop_map(|(u, t)| Node {
        tag: "a",
        attrs: vec![("xlink:href", u)],
        text: None,
        children: t
            .map(|t| Node {
                tag: "text",
                attrs: Vec::new(),
                text: Some(t),
                children: Vec::new(),
            })
            .into_iter()
            .collect(),
    });
    let image = (
        prop_oneof![Just("href"), Just("xlink:href")],
        url(),
        optional(vec![class().boxed()]),
    )
        .prop_map(|(name, u, mut attrs)| {
            attrs.push((name, u));
            Node {
                tag: "image",
                attrs,
                text: None,
                children: Vec::new(),
            }
        });
    let set =
        prop_oneof![Just("javascript:alert(1)"), Just("https://x.example/")].prop_map(|v| Node {
            tag: "set",
            attrs: vec![("attributeName", "href".into()), ("to", v.into())],
            text: None,
            children: Vec::new(),
        });
    // An SVG `<style>` is a style sheet too.
    let style = Just(Node {
        tag: "style",
        attrs: Vec::new(),
        text: Some("a{content:\"Jane\"}".into()),
        children: Vec::new(),
    });
    (
        optional(vec![class().boxed()]),
        proptest::collection::vec(prop_oneof![a, image, set, style], 1..3),
    )
        .prop_map(|(attrs, children)| Node {
            tag: "svg",
            attrs,
            text: None,
            children,
        })
        .boxed()
}

/// Links: to style sheets, and to scripts by the several spellings of
/// `rel` and `as`.
fn link() -> BoxedStrategy<Node> {
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
    })
    .boxed()
}

/// What only a page holds (see [`Scope::Recording`]).
fn page_only() -> BoxedStrategy<Node> {
    prop_oneof![
        leaf("textarea", with(vec![attr("placeholder", words())]), true),
        (
            with(vec![]),
            prop_oneof![
                Just("<p class=\"a\" title=\"Jane\">Jane Doe</p>"),
                Just("<img src=\"https://cdn.example.com/x.png?token=1\"><b>jane@example.com</b>"),
            ],
        )
            .prop_map(|(mut attrs, doc)| {
                attrs.push(("srcdoc", doc.to_string()));
                Node {
                    tag: "iframe",
                    attrs,
                    text: None,
                    children: Vec::new(),
                }
            }),
        leaf(
            "div",
            optional(vec![attr("data-scrim-blocked", Just(String::new()))]),
            true
        ),
    ]
    .boxed()
}

/// Content that is not a plain container: forms, media, URLs, sheets,
/// frames, scripts.
fn special(scope: Scope) -> BoxedStrategy<Node> {
    let shared = prop_oneof![
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
                attr("srcset", srcset()),
                attr("alt", words())
            ]),
            false
        ),
        (
            with(vec![attr("poster", url()), attr("src", url())]),
            proptest::collection::vec(
                leaf(
                    "source",
                    with(vec![attr("src", url()), attr("srcset", srcset())]),
                    false
                ),
                0..2
            )
        )
            .prop_map(|(attrs, children)| Node {
                tag: "video",
                attrs,
                text: None,
                children
            }),
        leaf(
            "a",
            with(vec![
                attr("href", url()),
                attr("ping", Just("/p?token=1 https://t.example/x".to_string()))
            ]),
            true
        ),
        leaf("button", with(vec![attr("value", words())]), true),
        leaf(
            "meta",
            prop_oneof![
                Just(vec![
                    ("http-equiv", "refresh".to_string()),
                    (
                        "content",
                        "5; url=https://shop.example.com/next?token=s3cr3t".to_string()
                    )
                ]),
                Just(vec![
                    ("http-equiv", "refresh".to_string()),
                    ("content", "0; URL='javascript:alert(1)'".to_string())
                ]),
                Just(vec![
                    ("http-equiv", "refresh".to_string()),
                    ("content", "30".to_string())
                ]),
                Just(vec![("charset", "windows-1252".to_string())]),
                Just(vec![
                    ("http-equiv", "Content-Type".to_string()),
                    ("content", "text/html; charset=windows-1252".to_string())
                ]),
            ]
            .boxed(),
            false,
        ),
        svg(),
        link(),
        leaf("iframe", optional(vec![attr("src", url())]), false),
        prop_oneof![
            Just("p{content:\"Jane Doe\"}"),
            Just(".a{background:url(https://cdn.example.com/u/jane.png?token=s3cr3t)}"),
        ]
        .prop_map(|css| Node {
            tag: "style",
            attrs: Vec::new(),
            text: Some(css.into()),
            children: Vec::new()
        }),
        prop_oneof![Just("Jane Doe"), Just("<b>Jane</b>")].prop_map(|t| Node {
            tag: "noscript",
            attrs: Vec::new(),
            text: Some(t.into()),
            children: Vec::new()
        }),
        Just(Node {
            tag: "script",
            attrs: vec![("src", "https://x.example/a.js".into())],
            text: Some("steal()".into()),
            children: Vec::new()
        }),
    ];
    match scope {
        Scope::Page => prop_oneof![6 => shared, 1 => page_only()].boxed(),
        Scope::Recording => shared.boxed(),
    }
}

/// An element of a page, with what it holds.
pub fn node(scope: Scope) -> impl Strategy<Value = Node> {
    special(scope).prop_recursive(3, 24, 3, move |inner| {
        let tag = match scope {
            Scope::Page => prop_oneof![
                Just("div"),
                Just("p"),
                Just("span"),
                Just("section"),
                Just("template")
            ]
            .boxed(),
            Scope::Recording => {
                prop_oneof![Just("div"), Just("p"), Just("span"), Just("section")].boxed()
            }
        };
        let container = (
            tag,
            with(vec![attr(
                "contenteditable",
                prop_oneof![Just(""), Just("true"), Just("false")].prop_map(String::from),
            )]),
            proptest::option::of(words()),
            proptest::collection::vec(inner.clone(), 0..3),
        )
            .prop_map(|(tag, attrs, text, children)| Node {
                tag,
                attrs,
                text,
                children,
            });
        // A declarative shadow root: its content is the host's, ahead of
        // its light children (no text, which would make two runs).
        let host = (
            with(vec![]),
            proptest::collection::vec(inner.clone(), 1..3),
            proptest::collection::vec(inner, 0..2),
        )
            .prop_map(|(attrs, shadow, light)| Node {
                tag: "div",
                attrs,
                text: None,
                children: std::iter::once(Node {
                    tag: "template",
                    attrs: vec![("shadowrootmode", "open".into())],
                    text: None,
                    children: shadow,
                })
                .chain(light)
                .collect(),
            });
        match scope {
            Scope::Page => prop_oneof![4 => container, 1 => host].boxed(),
            Scope::Recording => container.boxed(),
        }
    })
}

pub fn escape(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

/// Writes `node` as HTML.
pub fn write(node: &Node, out: &mut String) {
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
        let raw = matches!(node.tag, "style" | "noscript" | "script" | "textarea");
        out.push_str(&if raw { t.clone() } else { escape(t) });
    }
    for c in &node.children {
        write(c, out);
    }
    out.push_str(&format!("</{}>", node.tag));
}

fn channels() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("text"),
        Just("value"),
        Just("media"),
        Just("attributes"),
        Just("all"),
        Just("attr:src"),
        Just("attr:href"),
        Just("attr:style"),
        Just("attr:label"),
        Just("attr:srcdoc"),
        Just("attr:content"),
        Just("attr:xlink:href"),
        Just("attr:value"),
        Just("attr:type"),
        Just("attr:checked, attr:selected"),
        Just("attr:charset"),
        Just("text, value"),
    ]
}

fn selector() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just(".a"),
        Just(".b"),
        Just("select"),
        Just("option"),
        Just("img, video, source"),
        Just("a"),
        Just("iframe"),
        Just("div"),
        Just("svg *"),
        Just("*"),
        Just("meta"),
        Just("input"),
        Just("[contenteditable]"),
    ]
}

fn rule() -> impl Strategy<Value = String> {
    (
        prop_oneof![Just("mask"), Just("allow"), Just("mask sealed")],
        channels(),
        selector(),
        prop_oneof![
            Just(""),
            Just(" with \"[x]\""),
            Just(" with length 3"),
            // A masking text that reads as structure.
            Just(" with \"Hidden\""),
        ],
    )
        .prop_map(|(action, channels, selector, strategy)| {
            let strategy = if action == "allow" { "" } else { strategy };
            format!("{action} {channels} \"{selector}\"{strategy}\n")
        })
}

/// Rules that disagree with one another across the channels a route
/// combines (an option's and its select's value, a URL's attribute and
/// media, text and value), which random rules rarely pair.
const PAIRED_RULES: &[&str] = &[
    "mask value \"select\"\n",
    "allow value \"option\"\n",
    "allow value \"select\"\n",
    "mask value \"option\" with \"[x]\"\n",
    "allow value \"[contenteditable]\"\n",
    "allow text \"*\"\n",
    "mask text \"div\" with length 3\n",
    "allow media \"img, video, source, image\"\n",
    "mask media \".a\"\n",
    "allow attributes \"*\"\n",
    "allow attr:src, attr:srcset, attr:poster, attr:href, attr:xlink:href \"*\"\n",
    "allow attr:srcdoc, attr:style \"*\"\n",
    "mask attr:label \"span\" with \"[x]\"\n",
    "allow attr:label, attr:value \"*\"\n",
];

/// A policy: defaults, detectors, redaction, sensitive attributes,
/// paired and random rules; for pages, blocks and a consent that may turn
/// the page off.
pub fn policy(scope: Scope) -> impl Strategy<Value = String> {
    const STATEMENTS: &[&str] = &[
        "default text capture\n",
        "default value capture\n",
        "default attributes capture\n",
        "default media mask\n",
        "detect email\n",
        "redact query token\n",
        // Pages only: blocked elements, and a page that may be off.
        "block \".blk\"\n",
        "require consent analytics\n",
    ];
    let statements = match scope {
        Scope::Page => STATEMENTS,
        Scope::Recording => &STATEMENTS[..STATEMENTS.len() - 2],
    };
    (
        proptest::sample::subsequence(statements, 0..=statements.len()),
        prop_oneof![
            Just(""),
            Just("sensitive attributes all except class\n"),
            Just("sensitive attributes all\n"),
            Just("sensitive attributes defaults, data-user, label\n"),
            Just("sensitive attributes title, style\n"),
        ],
        proptest::sample::subsequence(PAIRED_RULES, 0..=4),
        proptest::collection::vec(rule(), 0..4),
    )
        .prop_map(|(statements, sensitive, paired, rules)| {
            let mut policy = String::from("scrim 1\n");
            policy.extend(statements);
            policy.push_str(sensitive);
            policy.extend(paired);
            policy.extend(rules);
            policy
        })
}

/// The policy, or `None` when it does not compile (a rule the linter
/// refuses).
pub fn compile(text: &str) -> Option<Policy> {
    let compilation = scrim_compiler::compile("test.scrim", text, &scrim_compiler::NoFiles);
    if compilation.has_errors() {
        return None;
    }
    Policy::from_artifact(compilation.artifact?).ok()
}

//! `explain_element` and `mask_document` agree: for random documents and
//! random policies, every piece of content `explain` reports on is what
//! `mask` wrote.
//!
//! The masked output is parsed again and its elements are paired with the
//! page's, in document order (blocked subtrees, scripts and `srcdoc`
//! documents that are not captured are skipped on both sides). Then, for
//! every element explain says is written:
//!
//! - an attribute explained as dropped, or left out as structure, is
//!   absent; one written in a fixed form has that form;
//! - a captured attribute is the original after the page's redactions and
//!   detectors (URLs: redacted, then scrubbed; a refresh: its URL so;
//!   `checked`/`selected`: as it was); a masked one is the strategy over
//!   the original (URLs: scheme and host, or nothing; `checked`/
//!   `selected`: absent);
//! - a `style` attribute or `<style>` sheet holds its string and its URL
//!   as the explained strings and URLs outcomes say;
//! - the element's text is the original text captured (through the
//!   detectors) or masked with the explained strategy, and nothing for a
//!   script.
//!
//! The expectations are computed here from the matcher's primitives
//! (`scrub`, `mask_with`, `redacted_url`, `mask_url`), not from the writer.
//! The documents keep at most one text run per element, so that a text is
//! masked as one piece on both sides.

use proptest::prelude::*;
use scrim_html::{
    Content, ContentExplanation, Document, ElementRef, Form, Route, UrlKind, explain_element,
    mask_document,
};
use scrim_matcher::{ChannelOutcome, Context, Element, Page, Policy, Status, mask_url, mask_with};

const URL: &str = "https://shop.example.com/checkout";

#[derive(Debug, Clone)]
struct Node {
    tag: &'static str,
    attrs: Vec<(&'static str, String)>,
    text: Option<String>,
    children: Vec<Node>,
}

const VOID: &[&str] = &["input", "img", "source", "meta", "hr", "br"];

fn words() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Jane Doe"),
        Just("jane@example.com"),
        Just("x"),
        Just("  a  b "),
        Just("Grüße 日本"),
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
        attr("title", words()),
        attr("style", style_value()),
        attr("data-user", words()),
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
    (
        optional(vec![class().boxed()]),
        proptest::collection::vec(prop_oneof![a, image, set], 1..3),
    )
        .prop_map(|(attrs, children)| Node {
            tag: "svg",
            attrs,
            text: None,
            children,
        })
        .boxed()
}

/// Content that is not a plain container: forms, media, URLs, sheets,
/// frames, scripts.
fn special() -> BoxedStrategy<Node> {
    prop_oneof![
        select(),
        leaf("textarea", with(vec![attr("placeholder", words())]), true),
        leaf(
            "input",
            with(vec![
                attr(
                    "type",
                    prop_oneof![
                        Just("text"),
                        Just("password"),
                        Just("hidden"),
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
            ]
            .boxed(),
            false,
        ),
        svg(),
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
        leaf(
            "div",
            optional(vec![attr("data-scrim-blocked", Just(String::new()))]),
            true
        ),
    ]
    .boxed()
}

fn node() -> impl Strategy<Value = Node> {
    special().prop_recursive(3, 24, 3, |inner| {
        let container = (
            prop_oneof![
                Just("div"),
                Just("p"),
                Just("span"),
                Just("section"),
                Just("template")
            ],
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
        prop_oneof![4 => container, 1 => host]
    })
}

fn escape(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

fn write(node: &Node, out: &mut String) {
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
        Just("[contenteditable]"),
    ]
}

fn rule() -> impl Strategy<Value = String> {
    (
        prop_oneof![Just("mask"), Just("allow"), Just("mask sealed")],
        channels(),
        selector(),
        prop_oneof![Just(""), Just(" with \"[x]\""), Just(" with length 3")],
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

fn policy() -> impl Strategy<Value = String> {
    (
        proptest::sample::subsequence(
            &[
                "default text capture\n",
                "default value capture\n",
                "default attributes capture\n",
                "default media mask\n",
                "detect email\n",
                "redact query token\n",
                "block \".blk\"\n",
                "require consent analytics\n",
            ][..],
            0..=8,
        ),
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
fn compile(text: &str) -> Option<Policy> {
    let compilation = scrim_compiler::compile("test.scrim", text, &scrim_compiler::NoFiles);
    if compilation.has_errors() {
        return None;
    }
    Policy::from_artifact(compilation.artifact?).ok()
}

fn is_script_url(url: &str) -> bool {
    scrim_matcher::scheme_is(url, &["javascript", "vbscript"])
}

/// One URL as recorded under `outcome`: `None` when not recorded.
fn recorded_url(page: &Page<'_>, outcome: ChannelOutcome<'_>, url: &str) -> Option<String> {
    if is_script_url(url) {
        return None;
    }
    match outcome {
        ChannelOutcome::Capture => Some(page.scrub(&page.redacted_url(url)).into_owned()),
        ChannelOutcome::Mask(_) => Some(mask_url(url)),
        ChannelOutcome::Off => None,
    }
}

/// Text as recorded under `outcome`.
fn recorded_text(page: &Page<'_>, outcome: ChannelOutcome<'_>, text: &str) -> String {
    match outcome {
        ChannelOutcome::Capture => page.scrub(text).into_owned(),
        ChannelOutcome::Mask(strategy) => mask_with(strategy, text),
        ChannelOutcome::Off => String::new(),
    }
}

/// What an attribute with this explanation must be written as, `None`
/// for absent; `Err` for content whose written form is checked apart.
fn expected_attribute(
    page: &Page<'_>,
    c: &ContentExplanation<'_, '_>,
    value: &str,
) -> Result<Option<String>, ()> {
    let routing = c.routing.expect("a written element's content is routed");
    let outcome = match routing.route {
        Route::Dropped(_) => return Ok(None),
        Route::Fixed(written) => return Ok(written.map(String::from)),
        Route::Stricter(_) => c.decided.as_ref().expect("decided").outcome,
    };
    Ok(match routing.form {
        Form::Text | Form::Css | Form::Markup => Some(recorded_text(page, outcome, value)),
        Form::InputType => {
            Some(recorded_text(page, outcome, value)).filter(|t| !t.eq_ignore_ascii_case("hidden"))
        }
        Form::Flag => outcome.is_capture().then(|| value.to_string()),
        Form::Url(UrlKind::One) => recorded_url(page, outcome, value),
        Form::Url(UrlKind::List) => {
            let urls: Vec<String> = value
                .split_ascii_whitespace()
                .filter_map(|u| recorded_url(page, outcome, u))
                .filter(|u| !u.is_empty())
                .collect();
            (!urls.is_empty()).then(|| urls.join(" "))
        }
        Form::Url(UrlKind::SrcSet) => {
            let candidates: Vec<String> = value
                .split(", ")
                .filter_map(|candidate| {
                    let (url, descriptor) = candidate.split_once(' ').unwrap_or((candidate, ""));
                    let url = recorded_url(page, outcome, url).filter(|u| !u.is_empty())?;
                    Some(if descriptor.is_empty() {
                        url
                    } else {
                        format!("{url} {descriptor}")
                    })
                })
                .collect();
            (!candidates.is_empty()).then(|| candidates.join(", "))
        }
        Form::Refresh => match (outcome, value.split_once("; url=")) {
            (ChannelOutcome::Capture, Some((delay, url))) => {
                recorded_url(page, outcome, url).map(|url| format!("{delay}; url={url}"))
            }
            _ => Some(recorded_text(page, outcome, value)),
        },
        Form::Srcdoc | Form::Style if outcome.is_capture() => return Err(()),
        Form::Srcdoc | Form::Style => Some(recorded_text(page, outcome, value)),
    })
}

/// A style sheet's string and URL, as the explained strings and URLs
/// outcomes say they are written.
fn check_css(
    page: &Page<'_>,
    c: &ContentExplanation<'_, '_>,
    original: &str,
    written: &str,
) -> Result<(), TestCaseError> {
    let css = c.css.as_ref().expect("a style sheet explains its parts");
    if original.contains("Jane Doe") {
        let string = format!(
            "\"{}\"",
            recorded_text(page, css.strings.outcome, "Jane Doe")
        );
        prop_assert!(
            written.contains(&string),
            "strings {:?}: {string} not in {written:?}",
            css.strings.outcome
        );
    }
    if let Some(start) = original.find("url(") {
        let end = start + original[start..].find(')').expect("a closed url()");
        let url =
            recorded_url(page, css.urls.outcome, &original[start + 4..end]).unwrap_or_default();
        let url = format!("url(\"{url}\")");
        prop_assert!(
            written.contains(&url),
            "urls {:?}: {url} not in {written:?}",
            css.urls.outcome
        );
    }
    Ok(())
}

fn is_inside(e: ElementRef<'_>, ancestors: &[ElementRef<'_>]) -> bool {
    let mut cur = e.parent();
    while let Some(p) = cur {
        if ancestors.contains(&p) {
            return true;
        }
        cur = p.parent();
    }
    false
}

/// Checks every written element of `html` against its explanation.
fn agree(page: &Page<'_>, html: &str) -> Result<(), TestCaseError> {
    let doc = Document::parse(html);
    let masked = mask_document(&doc, page);
    if masked == scrim_html::PAGE_OFF {
        for el in doc.elements() {
            prop_assert_eq!(explain_element(page, el).status, Status::PageOff);
        }
        return Ok(());
    }
    let replay = Document::parse(&masked);
    let mut written = replay.elements();
    // Subtrees not written, in the page and in the replay.
    let mut skipped: Vec<ElementRef<'_>> = Vec::new();
    let mut replay_skipped: Vec<ElementRef<'_>> = Vec::new();
    for el in doc.elements() {
        if is_inside(el, &skipped) {
            continue;
        }
        let x = explain_element(page, el);
        if matches!(x.status, Status::Hidden | Status::PageOff) {
            skipped.push(el);
            continue;
        }
        let out = loop {
            let Some(out) = written.next() else {
                return Err(TestCaseError::fail(format!(
                    "<{}> is not written\n{html}\n->\n{masked}",
                    el.local_name()
                )));
            };
            if !is_inside(out, &replay_skipped) {
                break out;
            }
        };
        prop_assert_eq!(
            out.local_name(),
            el.local_name(),
            "elements out of step\n{}\n->\n{}",
            html,
            masked
        );
        if x.status == Status::Placeholder {
            prop_assert!(
                out.attr(scrim_html::BLOCKED_ATTRIBUTE).is_some(),
                "{}",
                masked
            );
            skipped.push(el);
            replay_skipped.push(out);
            continue;
        }
        prop_assert_eq!(x.status, Status::Recorded);
        prop_assert!(
            out.attr(scrim_html::BLOCKED_ATTRIBUTE).is_none(),
            "{}",
            masked
        );
        for c in &x.contents {
            match c.content {
                Content::Attr { name, value } => {
                    let got = out.attr(name);
                    let context = format!(
                        "<{}> attr:{name}={value:?} explained {:?} {:?}\n{html}\n->\n{masked}",
                        el.local_name(),
                        c.routing,
                        c.decided.as_ref().map(|d| d.outcome),
                    );
                    match expected_attribute(page, c, value) {
                        Ok(expected) => {
                            prop_assert_eq!(got, expected.as_deref(), "{}", context)
                        }
                        Err(()) if c.routing.is_some_and(|r| r.form == Form::Style) => {
                            let got = got.unwrap_or_default();
                            check_css(page, c, value, got)
                                .map_err(|e| TestCaseError::fail(format!("{e}\n{context}")))?;
                        }
                        // A captured `srcdoc`: its document is paired
                        // element by element below.
                        Err(()) => prop_assert!(got.is_some(), "{}", context),
                    }
                    let nested_written = c.routing.is_some_and(|r| r.form == Form::Srcdoc)
                        && c.decided.as_ref().is_some_and(|d| d.outcome.is_capture());
                    if name == "srcdoc" && el.local_name() == "iframe" && !nested_written {
                        replay_skipped.push(out);
                    }
                }
                Content::Text => {
                    let original = el.own_text();
                    let got = out.own_text();
                    let routing = c.routing.expect("routed");
                    let context = format!(
                        "<{}> text {original:?} explained {:?} {:?}\n{html}\n->\n{masked}",
                        el.local_name(),
                        routing,
                        c.decided.as_ref().map(|d| d.outcome),
                    );
                    let outcome = match routing.route {
                        Route::Dropped(_) | Route::Fixed(_) => {
                            prop_assert_eq!(got, "", "{}", context);
                            continue;
                        }
                        Route::Stricter(_) => c.decided.as_ref().expect("decided").outcome,
                    };
                    if original.is_empty() {
                        prop_assert_eq!(got, "", "{}", context);
                    } else if routing.form == Form::Css {
                        check_css(page, c, &original, &got)
                            .map_err(|e| TestCaseError::fail(format!("{e}\n{context}")))?;
                    } else if routing.form == Form::Markup
                        && outcome.is_capture()
                        && original.contains('<')
                    {
                        prop_assert_eq!(got, scrim_matcher::stars(&original), "{}", context);
                    } else {
                        prop_assert_eq!(
                            got,
                            recorded_text(page, outcome, &original),
                            "{}",
                            context
                        );
                    }
                }
                Content::Value | Content::Media | Content::Events => {}
            }
        }
        // Nothing is written that the page did not have.
        for (name, _) in out.attributes() {
            prop_assert!(
                el.attr(name).is_some(),
                "{} added to <{}>\n{}",
                name,
                el.local_name(),
                masked
            );
        }
    }
    for out in written {
        prop_assert!(
            is_inside(out, &replay_skipped),
            "<{}> written from nothing\n{}\n->\n{}",
            out.local_name(),
            html,
            masked
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn explain_reports_what_mask_writes(
        policy_text in policy(),
        nodes in proptest::collection::vec(node(), 1..5),
    ) {
        let Some(policy) = compile(&policy_text) else {
            return Err(TestCaseError::reject("the policy does not compile"));
        };
        let page = policy.page(&Context { url: URL.to_string(), consent: Vec::new(), region: None });
        let mut html = String::from("<!DOCTYPE html><body>");
        for n in &nodes {
            write(n, &mut html);
        }
        agree(&page, &html).map_err(|e| TestCaseError::fail(format!("{e}\npolicy:\n{policy_text}")))?;
    }
}

/// The disagreements the property test found between what `scrim explain`
/// reported before routing was shared (each content's own channel) and
/// what `scrim mask` wrote, shrunk: each is checked for agreement.
#[test]
fn the_disagreements_found_agree() {
    let cases = [
        // Editable text is the stricter of text and value.
        (
            "scrim 1\ndefault text capture\n",
            r#"<div contenteditable="">Jane Doe</div>"#,
        ),
        // An option's `label` is form state.
        (
            "scrim 1\n",
            r#"<select><option label="Jane Doe"></option></select>"#,
        ),
        // Text in a select's button is the select's state.
        (
            "scrim 1\ndefault text capture\n",
            r#"<select><button>Pick: <selectedcontent></selectedcontent></button><option></option></select>"#,
        ),
        // An option's form state is the stricter of its own value and its
        // select's, the select's strategy first.
        (
            "scrim 1\nmask value \"option\" with \"[x]\"\n",
            r#"<select><option>Jane Doe</option></select>"#,
        ),
        // A script's text and attributes are never written.
        (
            "scrim 1\n",
            r#"<script src="https://x.example/a.js">steal()</script>"#,
        ),
        // Script URLs and script documents are dropped.
        (
            "scrim 1\n",
            r#"<iframe src="javascript:alert(1)"></iframe>"#,
        ),
        (
            "scrim 1\n",
            r#"<iframe src="data:text/html,&lt;script>alert(1)&lt;/script>"></iframe>"#,
        ),
        // `<meta charset>` is structure.
        ("scrim 1\n", r#"<meta charset="windows-1252">"#),
        // A media URL is the stricter of its attribute and media.
        (
            "scrim 1\ndefault media mask\n",
            r#"<svg><image href="https://cdn.example.com/u/jane.png?token=1"></image></svg>"#,
        ),
        // A placeholder already is one, with nothing inside.
        ("scrim 1\n", r#"<div data-scrim-blocked><p>Jane</p></div>"#),
        // `<noscript>` in editable content is the stricter of text and
        // value too.
        (
            "scrim 1\ndefault text capture\n",
            r#"<div contenteditable=""><noscript>Jane Doe</noscript></div>"#,
        ),
        // A sheet's strings are the stricter of the page's text default
        // and the element's text.
        (
            "scrim 1\nallow all \"[contenteditable]\"\n",
            r#"<div contenteditable=""><div style="content: &quot;Jane Doe&quot;; color: red"></div></div>"#,
        ),
        ("scrim 1\n", r#"<style>p{content:"Jane Doe"}</style>"#),
        // An `srcdoc` that is not captured hides its document.
        ("scrim 1\n", r#"<iframe srcdoc="<p>Jane</p>"></iframe>"#),
    ];
    for (policy_text, body) in cases {
        let policy = compile(policy_text).expect("the policy compiles");
        let page = policy.page(&Context {
            url: URL.to_string(),
            consent: Vec::new(),
            region: None,
        });
        let html = format!("<!DOCTYPE html><body>{body}");
        if let Err(e) = agree(&page, &html) {
            panic!("{e}\npolicy:\n{policy_text}");
        }
    }
}

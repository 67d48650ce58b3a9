//! The matcher against the oracle (`scrim-oracle`, an independent reading
//! of the semantic model that shares no code with the matcher).
//!
//! Policies are generated as `.scrim` text and compiled, so the compiler's
//! lowering is under test too; contexts and documents are generated with
//! them. On every element, channel and attribute, the indexed walk
//! (`Page::walker`), the single-element path (`Page::decide`,
//! `Page::decide_channel`) and `Page::explain` must say what the oracle
//! says (outcome, status, step, deciding rules, lost rules); detectors
//! (`Page::scrub`) and URL redaction (`Page::redact_url`) too. The run
//! prints how often each resolution step decided and fails when one
//! decided in fewer than 5% of the cases, so that no step goes untested.
//!
//! `PROPTEST_CASES=N` runs N cases instead of the default 512
//! (`PROPTEST_CASES=5000 cargo test -p scrim-matcher --test props --
//! --nocapture` for a long run with the figures).

mod common;

use common::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use scrim_artifact::{Artifact, Strategy as Mask};
use scrim_matcher::{
    Cause, ChannelOutcome, ChannelRef, Context, Element, Explanation, OffReason, PageDecision,
    Policy, Status, Step,
};
use scrim_oracle::{HTML, MATHML, NodeId, Oracle, SVG};
use std::cell::RefCell;
use std::fmt::Write as _;

// ------------------------------------------------------------- documents

const HTML_TAGS: &[&str] = &[
    "div", "span", "p", "input", "input", "input", "button", "a", "section", "form", "iframe",
    "li", "img", "textarea", "select", "option", "area", "link", "fieldset", "body",
];
const SVG_TAGS: &[&str] = &[
    "svg",
    "g",
    "foreignObject",
    "clipPath",
    "text",
    "a",
    "DIV",
    "input",
    "Title",
];
const MATH_TAGS: &[&str] = &["math", "mi"];
const HTML_ATTRS: &[&str] = &[
    "id",
    "class",
    "class",
    "type",
    "type",
    "autocomplete",
    "href",
    "href",
    "title",
    "title",
    "alt",
    "value",
    "data-x",
    "data-private",
    "disabled",
    "required",
    "required",
    "placeholder",
    "aria-label",
    "lang",
    "srcdoc",
    "name",
];
const SVG_ATTRS: &[&str] = &[
    "id",
    "class",
    "viewBox",
    "viewBox",
    "xlink:href",
    "href",
    "Title",
    "DATA-X",
    "data-x",
    "type",
    "disabled",
    "preserveAspectRatio",
];
const TEXTS: &[&str] = &[
    "",
    "",
    "Jane Doe",
    "call +1 415 555 0100 now",
    "card 4111 1111 1111 1111",
    "mail a.b@c.example",
    "ssn 123-45-6789",
    "ORD-1234567890",
    "id CUST-12345678",
    "SeCrEt word",
    "  ",
    "ni AB 12 34 56 C",
    "4111111111111112",
    "4222222222222",
];

fn attr_value(name: &str, seed: usize) -> &'static str {
    let pick = |xs: &[&'static str]| xs[seed % xs.len()];
    match name.to_ascii_lowercase().as_str() {
        "id" => pick(&["a", "b", "c", "A"]),
        "class" => pick(&["x", "y", "z", "x y", "y z w", "w", "X", " x\tz "]),
        "type" => pick(&[
            "text",
            "password",
            "hidden",
            "button",
            "submit",
            "email",
            " PASSWORD ",
            "Hidden",
            "\thidden\n",
            "submit ",
            "RESET",
            "passwordx",
        ]),
        "autocomplete" => pick(&[
            "cc-number",
            "off",
            "current-password",
            "shipping cc-exp",
            "one-time-code",
            "new-password",
            "name",
            "CC-CSC",
            "section-a ONE-TIME-CODE",
        ]),
        "href" | "xlink:href" => pick(&[
            "mailto:a@b.example",
            "tel:123",
            "https://x.example/",
            "/rel",
            "MAILTO:X@Y",
            " tel:1",
            "sms:1",
            "ma\tilto:x",
            "javascript:x",
            "facetime:x",
            "callto:x",
            "/u/1234567?token=abc#t",
        ]),
        "lang" => pick(&["en", "EN-gb", "fr"]),
        "data-x" => pick(&["1", "2", "1 2"]),
        "viewbox" => "0 0 1 1",
        _ => pick(&["", "hello world", "Secret 42", "jane@example.com"]),
    }
}

#[derive(Debug, Clone)]
struct NodeSpec {
    parent_seed: usize,
    attach: u8,
    namespace: u8,
    tag: usize,
    attrs: Vec<(usize, usize)>,
    text: usize,
    was_password: bool,
}

fn node_spec() -> impl Strategy<Value = NodeSpec> {
    (
        any::<usize>(),
        0u8..10,
        0u8..20,
        any::<usize>(),
        prop::collection::vec((any::<usize>(), any::<usize>()), 0..4),
        0..TEXTS.len(),
        prop::bool::weighted(0.1),
    )
        .prop_map(
            |(parent_seed, attach, namespace, tag, attrs, text, was_password)| NodeSpec {
                parent_seed,
                attach,
                namespace,
                tag,
                attrs,
                text,
                was_password,
            },
        )
}

fn build_tree(specs: &[NodeSpec]) -> Tree {
    let mut t = Tree::default();
    for (i, s) in specs.iter().enumerate() {
        let parent = (i > 0).then(|| s.parent_seed % i);
        let attach = match s.attach {
            0 => Attach::Shadow,
            1 => Attach::IframeDoc,
            _ => Attach::Light,
        };
        let (namespace, tags, names) = match s.namespace {
            0..=14 => (HTML, HTML_TAGS, HTML_ATTRS),
            15..=18 => (SVG, SVG_TAGS, SVG_ATTRS),
            _ => (MATHML, MATH_TAGS, SVG_ATTRS),
        };
        let tag = tags[s.tag % tags.len()];
        let mut attrs: Vec<(&str, &str)> = Vec::new();
        // Half the elements get the attribute their kind is about, so that
        // `:required`, `:link`, `:disabled` and the floors meet them often.
        if s.attach % 2 == 0 && namespace == HTML {
            match tag {
                "input" | "select" | "textarea" => attrs.push(("required", "")),
                "a" | "area" | "link" => attrs.push(("href", attr_value("href", s.text))),
                "button" | "fieldset" | "option" => attrs.push(("disabled", "")),
                _ => {}
            }
        }
        for &(n, seed) in &s.attrs {
            let name = names[n % names.len()];
            if !attrs.iter().any(|(a, _)| *a == name) {
                attrs.push((name, attr_value(name, seed)));
            }
        }
        let id = t.add_in(parent, attach, namespace, tag, &attrs);
        let node = t.inner.node_mut(NodeId(id));
        node.text = TEXTS[s.text].to_string();
        node.was_password = s.was_password;
    }
    t
}

// ------------------------------------------------------------- selectors

/// Attribute names for selectors, in several cases, with values that fit
/// the documents' attributes.
const ATTRIBUTE_SELECTORS: &[(&str, &[&str])] = &[
    ("title", &["hello world", "hello", "Secret", "secret"]),
    ("TITLE", &["hello world", "world", "Secret 42"]),
    ("Title", &["hello", ""]),
    ("type", &["password", "hidden", "text", "submit"]),
    ("Type", &["PASSWORD", "Hidden", " PASSWORD "]),
    ("data-x", &["1", "2", "1 2"]),
    ("DATA-X", &["1", "2"]),
    ("viewBox", &["0 0 1 1", "0"]),
    ("viewbox", &["0 0 1 1", "1"]),
    ("VIEWBOX", &["0"]),
    ("href", &["mailto:", "tel:", "https", "/rel"]),
    ("HREF", &["mailto:", "MAILTO:X@Y"]),
    ("xlink\\:href", &["mailto:", "tel"]),
    ("class", &["x", "y", "x y", "X"]),
    ("lang", &["en", "EN", "en-GB"]),
    ("disabled", &[""]),
    ("required", &[""]),
    ("id", &["a", "A"]),
    ("autocomplete", &["cc-", "one-time-code", "CC-CSC"]),
];

/// A compound selector without selector-list arguments: mostly one or two
/// simple selectors, so that rules match often enough to matter.
fn compound() -> BoxedStrategy<String> {
    let tag = prop::sample::select(
        &[
            "",
            "",
            "",
            "",
            "div",
            "div",
            "DIV",
            "span",
            "span",
            "p",
            "input",
            "input",
            "Input",
            "button",
            "a",
            "section",
            "form",
            "iframe",
            "li",
            "svg",
            "foreignObject",
            "foreignobject",
            "g",
            "*",
            "*",
            "|div",
        ][..],
    );
    let attr = (
        prop::sample::select(ATTRIBUTE_SELECTORS),
        prop::sample::select(&["", "", "", "=", "~=", "|=", "^=", "$=", "*="][..]),
        any::<prop::sample::Index>(),
        prop::sample::select(&["", "", " i", " s"][..]),
    )
        .prop_map(|((name, values), op, value, flag)| {
            if op.is_empty() {
                format!("[{name}]")
            } else {
                format!("[{name}{op}'{}'{flag}]", value.get(values))
            }
        });
    let nth = (
        prop::sample::select(
            &[
                "nth-child",
                "nth-last-child",
                "nth-of-type",
                "nth-last-of-type",
            ][..],
        ),
        -2i32..4,
        -1i32..4,
    )
        .prop_map(|(name, a, b)| format!(":{name}({a}n{b:+})"));
    let subclass = prop_oneof![
        3 => prop::sample::select(&["#a", "#b", "#A"][..]).prop_map(str::to_string),
        4 => prop::sample::select(&[".x", ".y", ".z", ".w", ".X"][..]).prop_map(str::to_string),
        4 => attr.clone(),
        3 => prop::sample::select(
            &[
                ":first-child",
                ":last-child",
                ":only-child",
                ":first-of-type",
                ":last-of-type",
                ":only-of-type",
                ":empty",
                ":root",
                ":scope",
            ][..],
        )
        .prop_map(str::to_string),
        5 => prop::sample::select(
            &[":link", ":any-link", ":disabled", ":enabled", ":required", ":optional"][..],
        )
        .prop_map(str::to_string),
        2 => nth,
    ];
    let count = prop_oneof![3 => Just(0usize), 4 => Just(1), 1 => Just(2)];
    let general = (tag.clone(), count, prop::collection::vec(subclass, 2)).prop_map(
        |(tag, count, mut subclasses)| {
            subclasses.truncate(count);
            let s = format!("{tag}{}", subclasses.concat());
            if s.is_empty() { "*".to_string() } else { s }
        },
    );
    // An attribute or a type alone is what the index files by attribute
    // name or by tag: in any case, they must find the same elements.
    // And a markup pseudo-class on the elements it is about.
    let markup = prop::sample::select(
        &[
            "input:required",
            "textarea:required",
            "select:optional",
            "input:optional",
            "a:link",
            "area:any-link",
            "link:any-link",
            "button:disabled",
            "option:enabled",
            "fieldset:disabled",
        ][..],
    )
    .prop_map(str::to_string);
    prop_oneof![
        6 => general,
        1 => attr,
        1 => tag.prop_filter("a type", |t| !t.is_empty()).prop_map(str::to_string),
        1 => markup,
    ]
    .boxed()
}

/// A compound selector, sometimes with a functional pseudo-class whose
/// argument is a list of complex selectors (`:not()`, `:is()`, `:where()`,
/// `:nth-child(An+B of S)`).
fn compound_nested() -> BoxedStrategy<String> {
    let list = prop::collection::vec(complex_of(compound(), 2), 1..3).prop_map(|v| v.join(", "));
    let functional = (
        prop::sample::select(&[":not", ":is", ":where", ":nth-child", ":nth-last-child"][..]),
        list,
        0i32..3,
        1i32..3,
    )
        .prop_map(|(f, list, a, b)| {
            if f.starts_with(":nth") {
                format!("{f}({a}n+{b} of {list})")
            } else {
                format!("{f}({list})")
            }
        });
    (compound(), prop::option::weighted(0.2, functional))
        .prop_map(|(base, f)| match f {
            Some(f) if base == "*" => f,
            Some(f) => format!("{base}{f}"),
            None => base,
        })
        .boxed()
}

/// Up to `max` compounds joined by combinators.
fn complex_of(compound: BoxedStrategy<String>, max: usize) -> BoxedStrategy<String> {
    (
        compound.clone(),
        prop::collection::vec(
            (
                prop::sample::select(&[" ", " ", " > ", " + ", " ~ "][..]),
                compound,
            ),
            0..max,
        )
        .prop_map(|mut v| {
            // One compound in two: most rules in real policies are short.
            v.truncate(v.len() / 2);
            v
        }),
    )
        .prop_map(|(first, rest)| {
            let mut s = first;
            for (combinator, c) in rest {
                s.push_str(combinator);
                s.push_str(&c);
            }
            s
        })
        .boxed()
}

fn selector() -> impl Strategy<Value = String> {
    prop::collection::vec(complex_of(compound_nested(), 3), 1..3).prop_map(|v| v.join(", "))
}

/// A selector as a policy string literal.
fn quoted(css: &str) -> String {
    format!("\"{}\"", css.replace('\\', "\\\\").replace('"', "\\\""))
}

// --------------------------------------------------------------- policies

const CHANNELS: &[&str] = &[
    "text",
    "value",
    "attributes",
    "attr:title",
    "attr:data-x",
    "attr:href",
    "attr:value",
    "attr:viewBox",
    "attr:class",
    "media",
    "all",
];

/// Channel pairs for twin rules: an attribute and the group that holds it,
/// or channels that overlap otherwise.
const TWIN_CHANNELS: &[(&[usize], &[usize])] = &[
    (&[2], &[3]),
    (&[10], &[4]),
    (&[2], &[5]),
    (&[10], &[8]),
    (&[0], &[10]),
    (&[1], &[0, 1]),
    (&[2, 9], &[3, 4]),
];

#[derive(Debug, Clone)]
enum Item {
    Rule {
        action: u8,
        channels: Vec<usize>,
        selector: String,
        strategy: u8,
        named: bool,
    },
    /// Two rules on one selector: ties on one element, where the order of
    /// rules and of channel keys decides (which mask's strategy, which
    /// rules are listed as deciding and as lost).
    Twins {
        /// Both rules are `mask sealed` (0), `mask` (1), `allow` (2), or
        /// these two (3).
        kind: u8,
        /// Index into `TWIN_CHANNELS`, and whether the pair is swapped.
        channels: (usize, bool),
        strategies: (u8, u8),
        selector: String,
    },
    Default {
        channels: Vec<usize>,
        mask: bool,
    },
    EventsDefault(bool),
    Detect(u8),
    Redact(u8),
}

fn item() -> impl Strategy<Value = Item> {
    prop_oneof![
        10 => (0u8..13, prop::collection::vec(0..CHANNELS.len(), 1..3), selector(), 0u8..5, any::<bool>())
            .prop_map(|(action, channels, selector, strategy, named)| Item::Rule {
                action,
                channels,
                selector,
                strategy,
                named,
            }),
        3 => (0u8..4, (0..TWIN_CHANNELS.len(), any::<bool>()), (0u8..4, 0u8..4), selector())
            .prop_map(|(kind, channels, strategies, selector)| Item::Twins {
                kind,
                channels,
                strategies,
                selector,
            }),
        4 => (prop::collection::vec(0..8usize, 1..3), any::<bool>())
            .prop_map(|(channels, mask)| Item::Default { channels, mask }),
        1 => any::<bool>().prop_map(Item::EventsDefault),
        3 => (0u8..8).prop_map(Item::Detect),
        2 => (0u8..4).prop_map(Item::Redact),
    ]
}

#[derive(Debug, Clone)]
enum Header {
    OnPage(Vec<usize>),
    When(Vec<u8>),
}

#[derive(Debug, Clone)]
struct Block {
    header: Header,
    items: Vec<Item>,
    /// A `when` block inside, with its own items.
    nested: Option<(Vec<u8>, Vec<Item>)>,
}

const PATTERNS: &[&str] = &[
    "https://shop.example/*",
    "/checkout/*",
    "*",
    "https://*.shop.example/account/:id",
    "/a{/:x}?",
    "http{s}?://shop.example/*",
    "https://shop.example\\:8080/*",
    "/CHECKOUT/*",
    "/checkout/*#*",
];

const URLS: &[&str] = &[
    "https://shop.example/checkout/1",
    "https://shop.example/",
    "https://www.shop.example/account/7",
    "http://shop.example/a/b",
    "https://shop.example:8080/checkout/2?q=1#x",
    "https://SHOP.example/Checkout/1",
    "https://shop.example/a",
    "http://shop.example/CHECKOUT/x",
    "https://jane:pw@shop.example/checkout/3",
    // Unreadable: no pattern can be trusted on them.
    "not a url",
    "https://例え.jp/checkout/1",
    "https://xn--r8jz45g.jp/",
    "https://shop.example:99999/",
    "file:///C:/x",
];
const READABLE_URLS: usize = 9;

const CONDITIONS: &[&str] = &[
    "consent analytics",
    "not consent analytics",
    "consent ads",
    "not consent ads",
    "region eu",
    "region EU, Uk",
    "region us",
];

#[derive(Debug, Clone)]
struct PolicySpec {
    sensitive: u8,
    /// `require consent`, `never record`, `record only`; the `bool` puts it
    /// in a `when` block.
    page: Vec<(u8, usize, bool, u8)>,
    items: Vec<Item>,
    blocks: Vec<Block>,
}

fn block() -> impl Strategy<Value = Block> {
    (
        prop_oneof![
            prop::collection::vec(0..PATTERNS.len(), 1..3).prop_map(Header::OnPage),
            prop::collection::vec(0..CONDITIONS.len() as u8, 1..3).prop_map(Header::When),
        ],
        prop::collection::vec(item(), 0..5),
        prop::option::weighted(
            0.3,
            (
                prop::collection::vec(0..CONDITIONS.len() as u8, 1..2),
                prop::collection::vec(item(), 1..3),
            ),
        ),
    )
        .prop_map(|(header, items, nested)| Block {
            header,
            items,
            nested,
        })
}

fn policy_spec() -> impl Strategy<Value = PolicySpec> {
    (
        0u8..8,
        prop::collection::vec(
            (
                0u8..30,
                0..PATTERNS.len(),
                any::<bool>(),
                0..CONDITIONS.len() as u8,
            ),
            0..3,
        ),
        prop::collection::vec(item(), 0..14),
        prop::collection::vec(block(), 0..3),
    )
        .prop_map(|(sensitive, page, items, blocks)| PolicySpec {
            sensitive,
            page,
            items,
            blocks,
        })
}

/// Writes items; detector names and the built-ins are each used once per
/// policy, as the compiler requires.
struct Writer {
    text: String,
    rules: usize,
    detectors: Vec<&'static str>,
}

impl Writer {
    fn rule(
        &mut self,
        action: u8,
        channels: &[usize],
        selector: &str,
        strategy: u8,
        named: bool,
    ) -> String {
        self.rules += 1;
        let channels: Vec<&str> = channels.iter().map(|&c| CHANNELS[c]).collect();
        let channels = channels.join(", ");
        let selector = quoted(selector);
        let strategy = match strategy {
            1 => " with stars",
            2 => " with \"[m]\"",
            3 => " with length 3",
            _ => "",
        };
        let name = if named {
            format!(" as r{}", self.rules)
        } else {
            String::new()
        };
        match action {
            0..=1 => format!("block {selector}{name}"),
            2..=4 => format!("mask {channels} {selector}{strategy}{name}"),
            5..=6 => format!("mask sealed {channels} {selector}{strategy}{name}"),
            7..=9 => format!("allow {channels} {selector}{name}"),
            10 => format!("allow events {selector}{name}"),
            _ => format!("ignore events {selector}{name}"),
        }
    }

    fn items(&mut self, items: &[Item], indent: &str) {
        for item in items {
            let line = match item {
                Item::Rule {
                    action,
                    channels,
                    selector,
                    strategy,
                    named,
                } => self.rule(*action, channels, selector, *strategy, *named),
                Item::Twins {
                    kind,
                    channels,
                    strategies,
                    selector,
                } => {
                    // Actions as `rule` numbers them.
                    let (x, y) = match kind {
                        0 => (5, 5),
                        1 => (2, 2),
                        2 => (7, 7),
                        _ => (5, 2),
                    };
                    let (mut first, mut second) = TWIN_CHANNELS[channels.0];
                    if channels.1 {
                        std::mem::swap(&mut first, &mut second);
                    }
                    let a = self.rule(x, first, selector, strategies.0, false);
                    let b = self.rule(y, second, selector, strategies.1, true);
                    format!("{a}\n{indent}{b}")
                }
                Item::Default { channels, mask } => {
                    let names = [
                        "text",
                        "value",
                        "attributes",
                        "attr:title",
                        "attr:data-x",
                        "text",
                        "media",
                        "all",
                    ];
                    let channels: Vec<&str> = channels.iter().map(|&c| names[c]).collect();
                    format!(
                        "default {} {}",
                        channels.join(", "),
                        if *mask { "mask" } else { "capture" }
                    )
                }
                Item::EventsDefault(ignore) => {
                    format!(
                        "default events {}",
                        if *ignore { "ignore" } else { "capture" }
                    )
                }
                Item::Detect(kind) => {
                    let (name, line) = match kind {
                        0 => ("email", "detect email".to_string()),
                        1 => ("card", "detect card".into()),
                        2 => ("phone", "detect phone".into()),
                        3 => ("national-id", "detect national-id".into()),
                        4 => ("cust", "detect cust /CUST-\\d{8}/".into()),
                        5 => ("ord", "detect ord /\\bORD-[0-9]{10}\\b/".into()),
                        6 => ("secret", "detect secret /(?i)secret/".into()),
                        _ => ("doe", "detect doe /\\w+ Doe/".into()),
                    };
                    if self.detectors.contains(&name) {
                        continue;
                    }
                    self.detectors.push(name);
                    line
                }
                Item::Redact(kind) => match kind {
                    0 => "redact query token, email, Session_Id".to_string(),
                    1 => "redact path /^\\d{6,}$/".into(),
                    2 => "redact path /[a-f0-9]{8}/".into(),
                    _ => "redact query q".into(),
                },
            };
            let _ = writeln!(self.text, "{indent}{line}");
        }
    }
}

fn policy_text(spec: &PolicySpec) -> String {
    let mut w = Writer {
        text: String::from("scrim 1\n"),
        rules: 0,
        detectors: Vec::new(),
    };
    match spec.sensitive {
        0 => w.text.push_str("sensitive attributes defaults, data-x\n"),
        1 => w
            .text
            .push_str("sensitive attributes title, DATA-X, viewBox\n"),
        2 => w
            .text
            .push_str("sensitive attributes all except class, id, type, viewbox\n"),
        3 => w.text.push_str("sensitive attributes all\n"),
        _ => {}
    }
    for &(kind, pattern, in_when, condition) in &spec.page {
        let line = match kind {
            0..=1 => "require consent session-replay".to_string(),
            2 => "require consent analytics, ads".into(),
            3..=8 => format!("never record {}", quoted(PATTERNS[pattern])),
            9..=11 => format!("record only {}", quoted(PATTERNS[pattern])),
            _ => continue,
        };
        if in_when {
            let _ = writeln!(
                w.text,
                "when {} {{\n  {line}\n}}",
                CONDITIONS[condition as usize]
            );
        } else {
            let _ = writeln!(w.text, "{line}");
        }
    }
    w.items(&spec.items, "");
    for b in &spec.blocks {
        match &b.header {
            Header::OnPage(patterns) => {
                let list: Vec<String> = patterns.iter().map(|&p| quoted(PATTERNS[p])).collect();
                let _ = writeln!(w.text, "on page {} {{", list.join(", "));
            }
            Header::When(conditions) => {
                let list: Vec<&str> = conditions.iter().map(|&c| CONDITIONS[c as usize]).collect();
                let _ = writeln!(w.text, "when {} {{", list.join(" and "));
            }
        }
        w.items(&b.items, "  ");
        if let Some((conditions, items)) = &b.nested {
            let list: Vec<&str> = conditions.iter().map(|&c| CONDITIONS[c as usize]).collect();
            let _ = writeln!(w.text, "  when {} {{", list.join(" and "));
            w.items(items, "    ");
            w.text.push_str("  }\n");
        }
        w.text.push_str("}\n");
    }
    w.text
}

#[derive(Debug, Clone)]
struct ContextSpec {
    url: usize,
    consent: Vec<bool>,
    region: usize,
}

fn context_spec() -> impl Strategy<Value = ContextSpec> {
    (
        prop_oneof![
            14 => 0..READABLE_URLS,
            1 => READABLE_URLS..URLS.len(),
        ],
        prop::collection::vec(prop::bool::weighted(0.7), 3),
        0usize..7,
    )
        .prop_map(|(url, consent, region)| ContextSpec {
            url,
            consent,
            region,
        })
}

fn context(spec: &ContextSpec) -> Context {
    let consent = ["analytics", "ads", "session-replay"]
        .iter()
        .zip(&spec.consent)
        .filter(|(_, granted)| **granted)
        .map(|(c, _)| c.to_string())
        .collect();
    Context {
        url: URLS[spec.url].to_string(),
        consent,
        region: [
            None,
            Some("eu"),
            Some("EU"),
            Some("Eu"),
            Some("us"),
            Some("uK"),
            Some("fr"),
        ][spec.region]
            .map(str::to_string),
    }
}

// ------------------------------------------------------------------ URLs

fn url_to_redact() -> impl Strategy<Value = String> {
    (
        prop::sample::select(
            &[
                "https://",
                "https:\\\\",
                "http://jane:pw@",
                "//",
                "",
                "https:",
                "HTTPS://u:p@",
                "myapp://",
                "mailto:",
                "/",
                "ht\ttps://a:b@",
            ][..],
        ),
        prop::sample::select(&["h.example", "shop.example:8080", ""][..]),
        prop::collection::vec(
            (
                prop::sample::select(&["/", "\\"][..]),
                prop::sample::select(
                    &[
                        "1234567",
                        "abcdef12",
                        "x",
                        "",
                        "123-45",
                        "u",
                        "a\tb",
                        "12\t34567",
                    ][..],
                ),
            ),
            0..4,
        ),
        prop::option::of(prop::collection::vec(
            (
                prop::sample::select(
                    &[
                        "token",
                        "TOKEN",
                        "t%6Fken",
                        "T%6fKEN",
                        "email",
                        "e%6Dail",
                        "e+mail",
                        "Session_Id",
                        "keep",
                        "q",
                        "to\tken",
                    ][..],
                ),
                prop::option::of(prop::sample::select(&["1", "a@b.c", ""][..])),
            ),
            1..4,
        )),
        prop::option::of(prop::sample::select(
            &[
                "/u/1234567?token=x",
                "token=1&state=2",
                "1234567",
                "a",
                "",
                "/abcdef12/",
            ][..],
        )),
        prop::sample::select(&["", "", " ", "\t"][..]),
    )
        .prop_map(|(prefix, host, path, query, fragment, pad)| {
            let mut url = format!("{pad}{prefix}{host}");
            for (sep, seg) in path {
                url.push_str(sep);
                url.push_str(seg);
            }
            if let Some(pairs) = query {
                url.push('?');
                let pairs: Vec<String> = pairs
                    .into_iter()
                    .map(|(n, v)| match v {
                        Some(v) => format!("{n}={v}"),
                        None => n.to_string(),
                    })
                    .collect();
                url.push_str(&pairs.join("&"));
            }
            if let Some(f) = fragment {
                url.push('#');
                url.push_str(f);
            }
            url.push_str(pad);
            url
        })
}

// ------------------------------------------------------------ comparison

/// One explanation in a form both sides can be written in.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Said {
    status: &'static str,
    outcome: String,
    step: &'static str,
    deciding: Vec<String>,
    lost: Vec<String>,
}

fn step_name(step: Step) -> &'static str {
    match step {
        Step::PageOff => "page-off",
        Step::Block => "block",
        Step::Floor => "floor",
        Step::Sealed => "sealed",
        Step::NearestRule => "nearest-rule",
        Step::Default => "default",
    }
}

fn oracle_step_name(step: scrim_oracle::Step) -> &'static str {
    use scrim_oracle::Step as S;
    match step {
        S::PageOff => "page-off",
        S::Block => "block",
        S::Floor => "floor",
        S::Sealed => "sealed",
        S::NearestRule => "nearest-rule",
        S::Default => "default",
    }
}

fn outcome_text(o: ChannelOutcome<'_>) -> String {
    match o {
        ChannelOutcome::Off => "off".into(),
        ChannelOutcome::Capture => "capture".into(),
        ChannelOutcome::Mask(s) => format!("mask {s:?}"),
    }
}

fn oracle_outcome_text(o: scrim_oracle::Outcome<'_>) -> String {
    match o {
        scrim_oracle::Outcome::Off => "off".into(),
        scrim_oracle::Outcome::Capture => "capture".into(),
        scrim_oracle::Outcome::Mask(s) => format!("mask {s:?}"),
    }
}

fn status_name(s: Status) -> &'static str {
    match s {
        Status::Recorded => "recorded",
        Status::Placeholder => "placeholder",
        Status::Hidden => "hidden",
        Status::PageOff => "page-off",
    }
}

fn matcher_said(x: &Explanation<'_>, artifact: &Artifact) -> Said {
    Said {
        status: status_name(x.status),
        outcome: outcome_text(x.outcome),
        step: step_name(x.step),
        deciding: x
            .deciding
            .iter()
            .map(|c| match c {
                Cause::PageRule { id, .. } => format!("page rule {id}"),
                Cause::Rule { id, levels_up, .. } => format!("rule {id} +{levels_up}"),
                Cause::Floor => "floor".into(),
                Cause::Default { loc } => {
                    let i = artifact.defaults.iter().position(|d| d.loc == *loc);
                    format!("default {i:?}")
                }
                Cause::BuiltinDefault => "built-in default".into(),
            })
            .collect(),
        lost: x
            .lost
            .iter()
            .map(|l| format!("{} +{} by {}", l.id, l.levels_up, step_name(l.beaten_by)))
            .collect(),
    }
}

fn oracle_said(x: &scrim_oracle::Explanation<'_>, artifact: &Artifact) -> Said {
    use scrim_oracle::Status as S;
    Said {
        status: match x.status {
            S::Recorded => "recorded",
            S::Placeholder => "placeholder",
            S::Hidden => "hidden",
            S::PageOff => "page-off",
        },
        outcome: oracle_outcome_text(x.outcome),
        step: oracle_step_name(x.step),
        deciding: x
            .deciding
            .iter()
            .map(|c| match c {
                scrim_oracle::Cause::PageRule(id) => format!("page rule {id}"),
                scrim_oracle::Cause::Rule { id, levels_up } => format!("rule {id} +{levels_up}"),
                scrim_oracle::Cause::Floor => "floor".into(),
                // Locations identify statements; a `default` line with
                // several channels is one location.
                scrim_oracle::Cause::Default(i) => {
                    let loc = artifact.defaults[*i].loc;
                    let i = artifact.defaults.iter().position(|d| d.loc == loc);
                    format!("default {i:?}")
                }
                scrim_oracle::Cause::BuiltinDefault => "built-in default".into(),
            })
            .collect(),
        lost: x
            .lost
            .iter()
            .map(|l| {
                format!(
                    "{} +{} by {}",
                    l.id,
                    l.levels_up,
                    oracle_step_name(l.beaten_by)
                )
            })
            .collect(),
    }
}

fn page_said(d: &PageDecision<'_>) -> String {
    match d {
        PageDecision::Record => "record".into(),
        PageDecision::Off { reason, rule } => {
            let reason = match reason {
                OffReason::MissingConsent(c) => format!("missing consent {c}"),
                OffReason::NeverRecord => "never record".into(),
                OffReason::NotAllowListed => "not allow-listed".into(),
                OffReason::UnreadableUrl => "unreadable URL".into(),
            };
            format!("off: {reason} ({:?})", rule.map(|r| r.id.as_str()))
        }
    }
}

fn oracle_page_said(d: &scrim_oracle::PageDecision) -> String {
    use scrim_oracle::OffReason as R;
    match d {
        scrim_oracle::PageDecision::Record => "record".into(),
        scrim_oracle::PageDecision::Off { reason, rule } => {
            let reason = match reason {
                R::MissingConsent(c) => format!("missing consent {c}"),
                R::NeverRecord => "never record".into(),
                R::NotAllowListed => "not allow-listed".into(),
                R::UnreadableUrl => "unreadable URL".into(),
            };
            format!("off: {reason} ({:?})", rule.as_deref())
        }
    }
}

/// The resolution steps, and detectors (step 7), as coverage counts them.
const STEPS: [&str; 7] = [
    "page-off",
    "block",
    "floor",
    "sealed",
    "nearest-rule",
    "default",
    "detector",
];

#[derive(Debug, Default)]
struct Coverage {
    cases: u64,
    /// Cases in which each step decided at least one channel.
    cases_with: [u64; 7],
    /// Channel decisions by deciding step.
    decisions: [u64; 7],
}

fn step_index(step: &str) -> usize {
    STEPS.iter().position(|s| *s == step).unwrap_or(0)
}

/// The attributes asked about on an element: its own, and a few it lacks.
fn attribute_queries(e: &El<'_>) -> Vec<String> {
    let mut names: Vec<String> = e.attributes().map(|(n, _)| n.to_string()).collect();
    for extra in [
        "title", "data-x", "href", "value", "class", "missing", "TITLE",
    ] {
        if !names.iter().any(|n| n == extra) {
            names.push(extra.to_string());
        }
    }
    names
}

/// Compiles a generated policy. The compiler refuses an `allow value` whose
/// selector names a floor (`compile::allow-floor`): such a case is
/// rejected, not failed; any other error is a bug of the generator.
fn compile_generated(text: &str) -> Result<Artifact, TestCaseError> {
    let compilation = scrim_compiler::compile("test.scrim", text, &scrim_compiler::NoFiles);
    let errors: Vec<_> = compilation
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    if errors
        .iter()
        .any(|d| d.code.as_str() != "compile::allow-floor")
    {
        return Err(TestCaseError::fail(format!(
            "the generated policy has errors: {errors:#?}\n{text}"
        )));
    }
    match compilation.artifact {
        Some(artifact) if errors.is_empty() => Ok(artifact),
        _ => Err(TestCaseError::reject("an allow that names a floor")),
    }
}

/// One generated case: everything the matcher says must be what the oracle
/// says. Returns the steps that decided, for the coverage.
fn check_case(
    nodes: &[NodeSpec],
    spec: &PolicySpec,
    ctx: &ContextSpec,
    urls: &[String],
) -> Result<[u64; 7], TestCaseError> {
    let text = policy_text(spec);
    let artifact = compile_generated(&text)?;
    let context = context(ctx);
    let policy = Policy::from_artifact(artifact.clone()).expect("a compiled policy loads");
    let page = policy.page(&context);
    let oracle = Oracle::new(
        &artifact,
        &scrim_oracle::Context {
            url: context.url.clone(),
            consent: context.consent.clone(),
            region: context.region.clone(),
        },
    )
    .map_err(|e| TestCaseError::fail(format!("the oracle cannot read the policy: {e}")))?;
    let why = |what: &str| format!("{what}\npolicy:\n{text}\ncontext: {context:?}");
    prop_assert_eq!(
        page_said(page.decision()),
        oracle_page_said(oracle.decision()),
        "{}",
        why("page decision")
    );

    let tree = build_tree(nodes);
    let mut decided = [0u64; 7];
    let mut walker = page.walker();
    for (id, depth) in tree.inner.preorder() {
        while walker.depth() > depth {
            walker.leave();
        }
        let e = tree.el(id.0);
        let walked = walker.enter(e);
        let chained = page.decide(e);
        prop_assert_eq!(
            walked,
            chained,
            "{}",
            why(&format!("walk and chain, {e:?}"))
        );
        let mut channels = vec![
            (
                "text".to_string(),
                ChannelRef::Text,
                scrim_oracle::Channel::Text,
            ),
            (
                "value".into(),
                ChannelRef::Value,
                scrim_oracle::Channel::Value,
            ),
            (
                "media".into(),
                ChannelRef::Media,
                scrim_oracle::Channel::Media,
            ),
            (
                "events".into(),
                ChannelRef::Events,
                scrim_oracle::Channel::Events,
            ),
        ];
        let names = attribute_queries(&e);
        for name in &names {
            channels.push((
                format!("attr:{name}"),
                ChannelRef::Attr(name),
                scrim_oracle::Channel::Attr(name),
            ));
        }
        for (label, ours, theirs) in channels {
            let what = |s: &str| why(&format!("{s}, {label} of {e:?}"));
            let expected = oracle.explain(&tree.inner, id, theirs);
            let expected_said = oracle_said(&expected, &artifact);
            prop_assert_eq!(
                matcher_said(&page.explain(e, ours), &artifact),
                expected_said.clone(),
                "{}",
                what("explain")
            );
            let fixed = match ours {
                ChannelRef::Text => Some(walked.text),
                ChannelRef::Value => Some(walked.value),
                ChannelRef::Media => Some(walked.media),
                ChannelRef::Events => Some(walked.events),
                ChannelRef::Attr(_) => None,
            };
            if let Some(fixed) = fixed {
                prop_assert_eq!(
                    outcome_text(fixed),
                    expected_said.outcome.clone(),
                    "{}",
                    what("walk")
                );
            }
            prop_assert_eq!(
                outcome_text(walker.channel(e, ours)),
                expected_said.outcome.clone(),
                "{}",
                what("walk channel")
            );
            prop_assert_eq!(
                outcome_text(page.decide_channel(e, ours)),
                expected_said.outcome.clone(),
                "{}",
                what("single element")
            );
            prop_assert_eq!(
                status_name(walked.status),
                expected_said.status,
                "{}",
                what("status")
            );
            decided[step_index(expected_said.step)] += 1;
            // Step 7: a captured text or value goes through the detectors.
            let own = &e.node().text;
            if matches!(ours, ChannelRef::Text | ChannelRef::Value)
                && expected.outcome == scrim_oracle::Outcome::Capture
                && !own.is_empty()
            {
                let scrubbed = oracle.scrub(own);
                prop_assert_eq!(
                    page.render(ChannelOutcome::Capture, own).into_owned(),
                    scrubbed.clone(),
                    "{}",
                    what("detectors")
                );
                if scrubbed != *own {
                    decided[step_index("detector")] += 1;
                }
            }
        }
    }
    for text in TEXTS {
        prop_assert_eq!(
            page.scrub(text).into_owned(),
            oracle.scrub(text),
            "{}",
            why(&format!("detectors on {text:?}"))
        );
    }
    for url in urls {
        prop_assert_eq!(
            page.redact_url(url),
            oracle.redact_url(url),
            "{}",
            why(&format!("redaction of {url:?}"))
        );
    }
    Ok(decided)
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(512)
}

#[test]
fn matcher_decides_as_the_oracle() {
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    let coverage = RefCell::new(Coverage::default());
    // How many cases passed before the first failure, for the report.
    let first_failure = RefCell::new(None::<u64>);
    let strategy = (
        prop::collection::vec(node_spec(), 1..30),
        policy_spec(),
        context_spec(),
        prop::collection::vec(url_to_redact(), 1..4),
    );
    let result = runner.run(&strategy, |(nodes, spec, ctx, urls)| {
        match check_case(&nodes, &spec, &ctx, &urls) {
            Ok(decided) => {
                if first_failure.borrow().is_none() {
                    let mut c = coverage.borrow_mut();
                    c.cases += 1;
                    for (i, n) in decided.iter().enumerate() {
                        c.decisions[i] += n;
                        c.cases_with[i] += u64::from(*n > 0);
                    }
                }
                Ok(())
            }
            Err(e) => {
                let mut first = first_failure.borrow_mut();
                if first.is_none() && matches!(e, TestCaseError::Fail(_)) {
                    *first = Some(coverage.borrow().cases + 1);
                }
                Err(e)
            }
        }
    });
    if let Err(e) = result {
        panic!(
            "the matcher and the oracle disagree (first failure at case {}):\n{e}",
            first_failure.borrow().unwrap_or(0)
        );
    }
    let c = coverage.into_inner();
    let total: u64 = c.decisions.iter().sum();
    println!(
        "resolution steps over {} cases ({} channel decisions):",
        c.cases, total
    );
    for (i, step) in STEPS.iter().enumerate() {
        println!(
            "  {step:<13} decided in {:5.1}% of cases, {:5.1}% of decisions",
            100.0 * c.cases_with[i] as f64 / c.cases as f64,
            100.0 * c.decisions[i] as f64 / total.max(1) as f64,
        );
    }
    for (i, step) in STEPS.iter().enumerate() {
        assert!(
            c.cases_with[i] * 20 >= c.cases,
            "step `{step}` decided in only {} of {} cases: the generators no longer reach it",
            c.cases_with[i],
            c.cases
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases().min(256), ..ProptestConfig::default() })]

    /// Whatever decides, a masked or off channel renders the same for any
    /// two texts that differ only in their non-whitespace characters.
    #[test]
    fn masked_channels_keep_no_original_character(
        nodes in prop::collection::vec(node_spec(), 1..12),
        spec in policy_spec(),
        ctx in context_spec(),
        original in "\\PC{0,40}",
        replacement in prop::char::range('a', 'z'),
    ) {
        let tree = build_tree(&nodes);
        let policy = Policy::from_artifact(compile_generated(&policy_text(&spec))?).unwrap();
        let page = policy.page(&context(&ctx));
        let altered: String = original
            .chars()
            .map(|c| if c.is_whitespace() { c } else if c == replacement { 'Z' } else { replacement })
            .collect();
        for (id, _) in tree.inner.preorder() {
            let e = tree.el(id.0);
            let d = page.decide(e);
            let mut outcomes = vec![d.text, d.value, d.media, d.events];
            for name in attribute_queries(&e) {
                outcomes.push(page.decide_channel(e, ChannelRef::Attr(&name)));
            }
            for outcome in outcomes {
                if matches!(outcome, ChannelOutcome::Mask(_) | ChannelOutcome::Off) {
                    let a = page.render(outcome, &original);
                    let b = page.render(outcome, &altered);
                    prop_assert_eq!(&a, &b);
                    if let ChannelOutcome::Mask(Mask::Stars) = outcome {
                        prop_assert!(a.chars().all(|c| c == '*' || c.is_whitespace()));
                    }
                }
            }
        }
    }
}

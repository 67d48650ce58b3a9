//! Snapshot/mutation consistency, proven on random sessions (DESIGN.md,
//! "rrweb event streams"): replaying a masked stream gives the same DOM as
//! masking a full snapshot of the final state, except channels that became
//! less strict after their content was written (they stay masked).
//!
//! Each case draws a policy (random over the dialect, or one of the
//! examples), a page and a list of edits (inserts, removes, moves, text and
//! attribute changes, style changes, input type switches, typing, new full
//! snapshots, in batches as a `MutationObserver` reports them), and records
//! them with the rrweb model of `common::recorder`. Then:
//!
//! - **The oracle.** After every batch, the page as it is then is recorded
//!   as a full snapshot and masked in a fresh session: `V[t]`, what the
//!   recording would show of the page had it started there. Every piece of
//!   content (a text, an attribute, an input's value, an element being a
//!   placeholder) is a *slot*; the recorder logs which event wrote each
//!   slot's current content last.
//! - **Nothing shown that is masked now.** After every event, neither the
//!   masker's output nor the replay of everything it wrote shows a content
//!   token that `V[t]` does not show (tokens are runs of capital letters,
//!   which nothing else the masker writes contains: this is the character
//!   level check that no original non-whitespace character of a masked
//!   channel gets out), and the replay shows no element as content that
//!   `V[t]` blocks.
//! - **The same DOM at the end.** The replay of the masked stream has the
//!   same nodes, children, tags, attributes, texts and values as `V[end]`,
//!   except a slot that `V` showed stricter at some batch `t` after its
//!   content was last written: the replay may then show exactly what
//!   `V[t]` showed (it stayed masked). An element may stay a placeholder
//!   if `V` blocked it since it was last written.
//! - **The decisions equal the reference evaluator's.** Every element the
//!   masker shows, it shows under the decision the oracle (`scrim-oracle`,
//!   on its own tree of the final page) gives, channel by channel: status,
//!   text, value, media, events. A placeholder may stay one.
//! - **Idempotence.** Masking the masked stream again changes nothing,
//!   unless a snapshot masks an attribute that selectors or the masker
//!   read, or blocks an element whose attributes sibling selectors read
//!   (the documented exceptions, docs/rrweb.md).
//!
//! A failure prints the policy, the page, the edits and the slot that
//! differs (with `CONSISTENCY_TRACE=1`, also every event in and out). The
//! default case count (256) keeps this test well under a minute;
//! `PROPTEST_CASES=20000 cargo test --release -p scrim-rrweb --test
//! consistency` runs more.

mod common;

use common::recorder::{Data, Recorder, Spec, el, frame_document, style_declarations, text};
use common::replay::{Node as Shown, Replay};
use proptest::prelude::*;
use scrim_matcher::{Context, Policy, Status};
use scrim_oracle::{Channel, HTML, NodeId, Oracle, Part, SVG, Tree as OracleTree};
use scrim_rrweb::Session;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

// ---- policies ---------------------------------------------------------------

/// A rule: action, channels, selector, strategy (indices into the tables).
#[derive(Debug, Clone)]
struct RuleSeed {
    action: u8,
    channels: u8,
    selector: u8,
    strategy: u8,
}

#[derive(Debug, Clone)]
enum PolicySeed {
    Example(u8),
    Random {
        rules: Vec<RuleSeed>,
        /// Per channel (text, value, attributes, media, events): none,
        /// capture, mask.
        defaults: [u8; 5],
        sensitive: u8,
        detect: bool,
        redact: bool,
        /// Rules in an `on page` scope that applies (or not).
        scoped: Option<(bool, Vec<RuleSeed>)>,
    },
}

const SELECTORS: &[&str] = &[
    ".a",
    ".b",
    ".c",
    "div.a",
    "span.b",
    ".a .b",
    ".a > .c",
    ".b + .c",
    ".a ~ p",
    "[data-x='1']",
    "[data-x]",
    "div:not(.a)",
    "li:first-child",
    "li:nth-child(2n)",
    "p:empty",
    "#i1",
    "section .d",
    "iframe p",
    "[contenteditable] span",
    "input[type='email']",
    "ul > li.c",
    ".d *",
    "select",
    "option.b",
    "a[href^='mailto:']",
    "img",
    "textarea",
    "input",
    ".c input",
    "label + input",
    "section",
    "body > div",
];

const CHANNELS: &[&str] = &[
    "text",
    "value",
    "attributes",
    "attr:title",
    "attr:class",
    "attr:data-*",
    "media",
    "all",
    "text, value",
    "attr:style",
    "attr:href, attr:src",
    "text, attributes",
];

const STRATEGIES: &[&str] = &["", " with stars", " with \"[hidden]\"", " with length 3"];

fn rule_line(r: &RuleSeed) -> String {
    let selector = SELECTORS[r.selector as usize % SELECTORS.len()];
    let channels = CHANNELS[r.channels as usize % CHANNELS.len()];
    let strategy = STRATEGIES[r.strategy as usize % STRATEGIES.len()];
    match r.action % 8 {
        0 => format!("block \"{selector}\""),
        1 | 2 => format!("mask {channels} \"{selector}\"{strategy}"),
        3 => format!("mask sealed {channels} \"{selector}\"{strategy}"),
        4..=6 => format!("allow {channels} \"{selector}\""),
        _ => format!("ignore events \"{selector}\""),
    }
}

/// The example policies, with a page each records and the consent it
/// needs.
const EXAMPLES: &[(&str, &str, &[&str])] = &[
    (
        "shop.scrim",
        "https://shop.example.com/checkout/step-2",
        &["session-replay", "marketing"],
    ),
    (
        "bank.scrim",
        "https://bank.example.com/accounts",
        &["session-replay"],
    ),
    (
        "admin.scrim",
        "https://admin.example.io/customers/42",
        &["session-replay", "support-recording"],
    ),
    (
        "patient-portal.scrim",
        "https://portal.example-health.org/appointments/book",
        &["session-replay", "health-data-notice"],
    ),
];

const RANDOM_URL: &str = "https://app.example.com/orders/7";

/// The policy's text, the page URL and the consent granted.
fn policy_text(seed: &PolicySeed) -> (String, String, Vec<String>, Option<&'static str>) {
    match seed {
        PolicySeed::Example(k) => {
            let (file, url, consent) = EXAMPLES[*k as usize % EXAMPLES.len()];
            let path = format!("{}/../../examples/{file}", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(path).unwrap();
            (
                text,
                url.to_string(),
                consent.iter().map(|c| c.to_string()).collect(),
                Some(file),
            )
        }
        PolicySeed::Random {
            rules,
            defaults,
            sensitive,
            detect,
            redact,
            scoped,
        } => {
            let mut t = String::from("scrim 1\n");
            t.push_str(match sensitive % 5 {
                0 | 1 => "",
                2 => "sensitive attributes defaults, data-x\n",
                3 => "sensitive attributes all except class, id, type, role, data-x, contenteditable, href, src, style, autocomplete\n",
                _ => "sensitive attributes all\n",
            });
            for (k, channel) in ["text", "value", "attributes", "media", "events"]
                .iter()
                .enumerate()
            {
                match (defaults[k] % 3, *channel) {
                    (1, _) => writeln!(t, "default {channel} capture").unwrap(),
                    (2, "events") => writeln!(t, "default events ignore").unwrap(),
                    (2, _) => writeln!(t, "default {channel} mask").unwrap(),
                    _ => {}
                }
            }
            if *detect {
                t.push_str("detect email\n");
            }
            if *redact {
                t.push_str("redact query k\n");
            }
            for r in rules {
                t.push_str(&rule_line(r));
                t.push('\n');
            }
            if let Some((applies, scoped)) = scoped {
                let pattern = if *applies {
                    "https://app.example.com/orders/*"
                } else {
                    "/elsewhere/*"
                };
                writeln!(t, "on page \"{pattern}\" {{").unwrap();
                for r in scoped {
                    writeln!(t, "  {}", rule_line(r)).unwrap();
                }
                t.push_str("}\n");
            }
            (t, RANDOM_URL.to_string(), Vec::new(), None)
        }
    }
}

/// Includes of the example policies, read from `examples/`.
struct ExampleFiles;

impl scrim_compiler::Loader for ExampleFiles {
    fn load(&self, path: &str) -> Result<String, String> {
        let full = format!("{}/../../examples/{path}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(full).map_err(|e| e.to_string())
    }
}

fn compile(name: &str, text: &str) -> Option<Policy> {
    let compiled = scrim_compiler::compile(name, text, &ExampleFiles);
    Policy::from_artifact(compiled.artifact?).ok()
}

// ---- what the page is made of -------------------------------------------------

/// Classes, ids and attributes the policy's selectors name, so that the
/// page exercises its rules, plus a few of our own.
#[derive(Debug, Default)]
struct Vocabulary {
    classes: Vec<String>,
    ids: Vec<String>,
    /// Attribute name and a value that matches the selector.
    attrs: Vec<(String, String)>,
    /// What the policy's selectors read: classes, ids, these attributes,
    /// siblings (`+`, `~`).
    reads_class: bool,
    reads_id: bool,
    reads_attrs: HashSet<String>,
    reads_siblings: bool,
}

impl Vocabulary {
    fn of(policy: &Policy) -> Vocabulary {
        let mut v = Vocabulary {
            classes: ["a", "b", "c", "d"].map(String::from).to_vec(),
            ids: vec!["i1".into(), "i2".into()],
            attrs: vec![("data-x".into(), "1".into()), ("data-x".into(), "2".into())],
            ..Vocabulary::default()
        };
        for rule in &policy.artifact().rules {
            v.read(&rule.selector);
        }
        v.classes.sort();
        v.classes.dedup();
        v.ids.sort();
        v.ids.dedup();
        v.attrs.sort();
        v.attrs.dedup();
        v
    }

    /// Reads class, id and attribute names out of a selector list.
    fn read(&mut self, selector: &str) {
        let b = selector.as_bytes();
        let ident = |from: usize| {
            let end = b[from..]
                .iter()
                .position(|c| !(c.is_ascii_alphanumeric() || *c == b'-' || *c == b'_'))
                .map_or(b.len(), |e| from + e);
            (selector[from..end].to_string(), end)
        };
        let mut k = 0;
        while k < b.len() {
            match b[k] {
                b'.' | b'#' => {
                    if b[k] == b'.' {
                        self.reads_class = true;
                    } else {
                        self.reads_id = true;
                    }
                    let (name, end) = ident(k + 1);
                    if !name.is_empty() && !name.starts_with(|c: char| c.is_ascii_digit()) {
                        if b[k] == b'.' {
                            self.classes.push(name);
                        } else {
                            self.ids.push(name);
                        }
                    }
                    k = end.max(k + 1);
                }
                b'[' => {
                    let end = selector[k..].find(']').map_or(b.len(), |e| k + e);
                    let inner = &selector[k + 1..end];
                    let (name, value) = match inner.find(['=', '~', '|', '^', '$', '*']) {
                        None => (inner.trim(), String::from("on")),
                        Some(op) => {
                            let name = &inner[..op];
                            let rest = inner[op..].trim_start_matches(['~', '|', '^', '$', '*']);
                            let raw = rest
                                .trim_start_matches('=')
                                .trim()
                                .trim_end_matches(" i")
                                .trim_matches(['\'', '"']);
                            let value = match &inner[op..op + 1] {
                                "^" => format!("{raw}x"),
                                "$" => format!("x{raw}"),
                                "*" => format!("x{raw}x"),
                                _ => raw.to_string(),
                            };
                            (name.trim(), value)
                        }
                    };
                    self.reads_attrs.insert(name.trim().to_ascii_lowercase());
                    let skip = matches!(name, "type" | "href" | "src" | "style" | "value");
                    if !name.is_empty() && !skip && !value.chars().any(|c| c.is_ascii_uppercase()) {
                        self.attrs.push((name.to_ascii_lowercase(), value));
                    }
                    k = end + 1;
                }
                b'+' | b'~' => {
                    self.reads_siblings = true;
                    k += 1;
                }
                _ => k += 1,
            }
        }
    }
}

/// SplitMix64: the details of an edit come from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The tokens of a case: runs of capital letters, each written once.
#[derive(Debug, Default)]
struct Tokens {
    next: u32,
    all: HashSet<String>,
}

impl Tokens {
    fn fresh(&mut self) -> String {
        let mut k = self.next;
        self.next += 1;
        let mut t = String::from("Q");
        for _ in 0..4 {
            t.push((b'A' + (k % 26) as u8) as char);
            k /= 26;
        }
        self.all.insert(t.clone());
        t
    }
}

/// The maximal runs of capital letters in `s`.
fn runs(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_ascii_uppercase())
        .filter(|r| !r.is_empty())
}

/// Tags whose children the generator never changes.
fn is_leaf(tag: &str) -> bool {
    matches!(
        tag,
        "input" | "textarea" | "img" | "iframe" | "select" | "option" | "html" | "head"
    )
}

// ---- edits -------------------------------------------------------------------

#[derive(Debug, Clone)]
struct EditSeed {
    kind: u8,
    at: u16,
    to: u16,
    seed: u64,
    /// More edits in the same batch.
    more: u8,
}

/// The page and what was done to it.
struct World {
    r: Recorder,
    tokens: Tokens,
    vocab: Vocabulary,
    url: String,
    /// What was done, readably.
    log: Vec<String>,
    /// The input that owns each value ever typed or written.
    value_owner: HashMap<String, usize>,
}

/// Which list a batch's changes are in: a document's or a shadow root's
/// (a `MutationObserver` watches each separately).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Root {
    Document(usize),
    Shadow(usize),
}

impl World {
    fn token_text(&mut self, rng: &mut Rng) -> String {
        match rng.below(10) {
            0 => String::new(),
            1 => "  ".into(),
            2 => format!("{}@ex.test", self.tokens.fresh()),
            3 => format!("{} {}@ex.test", self.tokens.fresh(), self.tokens.fresh()),
            4 | 5 => format!("{} {}", self.tokens.fresh(), self.tokens.fresh()),
            _ => self.tokens.fresh(),
        }
    }

    fn style(&mut self, rng: &mut Rng) -> String {
        let n = 1 + rng.below(3);
        let mut d = Vec::new();
        for _ in 0..n {
            d.push(self.declaration(rng));
        }
        d.join(";")
    }

    fn declaration(&mut self, rng: &mut Rng) -> String {
        match rng.below(6) {
            0 => format!("color:{}", rng.pick(&["red", "blue", "green"])),
            1 => "margin:0 4px".into(),
            2 => format!("font-family:\"{}\"", self.tokens.fresh()),
            3 => format!(
                "background-image:url(https://ex.test/{}.png)",
                self.tokens.fresh()
            ),
            4 => "width:10px !important".into(),
            _ => format!("content:\"{}\"", self.tokens.fresh()),
        }
    }

    fn url(&mut self, rng: &mut Rng) -> String {
        match rng.below(6) {
            0 => format!("mailto:{}@ex.test", self.tokens.fresh()),
            1 => format!("/rel/{}", self.tokens.fresh()),
            2 => "javascript:void(0)".into(),
            _ => format!(
                "https://ex.test/{}?k={}",
                self.tokens.fresh(),
                self.tokens.fresh()
            ),
        }
    }

    /// Attributes any element may carry.
    fn common_attrs(&mut self, rng: &mut Rng, attrs: &mut Vec<(String, String)>) {
        if rng.chance(55) {
            let mut classes = vec![rng.pick(&self.vocab.classes).clone()];
            if rng.chance(30) {
                classes.push(rng.pick(&self.vocab.classes).clone());
            }
            attrs.push(("class".into(), classes.join(" ")));
        }
        if rng.chance(10) {
            attrs.push(("id".into(), rng.pick(&self.vocab.ids).clone()));
        }
        if rng.chance(25) {
            let (n, v) = rng.pick(&self.vocab.attrs).clone();
            if !attrs.iter().any(|(a, _)| *a == n) {
                attrs.push((n, v));
            }
        }
        if rng.chance(25) {
            attrs.push(("title".into(), self.tokens.fresh()));
        }
        if rng.chance(10) {
            attrs.push(("aria-label".into(), self.tokens.fresh()));
        }
        if rng.chance(20) {
            attrs.push(("style".into(), self.style(rng)));
        }
    }

    fn element(&mut self, rng: &mut Rng, tag: &str, children: Vec<Spec>) -> Spec {
        let mut attrs = Vec::new();
        self.common_attrs(rng, &mut attrs);
        spec_with(tag, attrs, children)
    }

    /// A random subtree.
    fn subtree(&mut self, rng: &mut Rng, depth: u32) -> Spec {
        let choice = if depth >= 3 {
            rng.below(3)
        } else {
            rng.below(17)
        };
        match choice {
            0 => text(&self.token_text(rng)),
            1 => {
                let t = self.token_text(rng);
                self.element(rng, "span", vec![text(&t)])
            }
            2 => {
                let t = self.token_text(rng);
                self.element(rng, "p", vec![text(&t)])
            }
            3 | 4 => {
                let n = rng.below(3);
                let children = (0..n).map(|_| self.subtree(rng, depth + 1)).collect();
                let tag = *rng.pick(&["div", "section", "label", "div"]);
                self.element(rng, tag, children)
            }
            5 => {
                let items = (0..1 + rng.below(3))
                    .map(|_| {
                        let t = self.token_text(rng);
                        self.element(rng, "li", vec![text(&t)])
                    })
                    .collect();
                self.element(rng, "ul", items)
            }
            6 | 7 => self.input(rng),
            8 => {
                let mut attrs = Vec::new();
                self.common_attrs(rng, &mut attrs);
                attrs.push(("value".into(), self.tokens.fresh()));
                spec_with("textarea", attrs, vec![])
            }
            9 => {
                let options = (0..1 + rng.below(2))
                    .map(|_| {
                        let t = self.tokens.fresh();
                        self.element(rng, "option", vec![text(&t)])
                    })
                    .collect();
                self.element(rng, "select", options)
            }
            10 => {
                let href = self.url(rng);
                let t = self.token_text(rng);
                let mut attrs = vec![("href".to_string(), href)];
                self.common_attrs(rng, &mut attrs);
                spec_with("a", attrs, vec![text(&t)])
            }
            11 => {
                let mut attrs = vec![(
                    "src".to_string(),
                    format!("https://ex.test/{}.png", self.tokens.fresh()),
                )];
                if rng.chance(50) {
                    attrs.push(("alt".into(), self.tokens.fresh()));
                }
                if rng.chance(50) {
                    attrs.push(("width".into(), "300".into()));
                }
                self.common_attrs(rng, &mut attrs);
                spec_with("img", attrs, vec![])
            }
            12 => {
                let t = self.token_text(rng);
                self.element(rng, "button", vec![text(&t)])
            }
            13 => {
                let body = (0..1 + rng.below(2))
                    .map(|_| self.subtree(rng, depth + 1))
                    .collect();
                self.element(rng, "iframe", vec![frame_document(body)])
            }
            14 => {
                // A shadow host: light children, then its shadow root's.
                let mut children: Vec<Spec> = (0..rng.below(2))
                    .map(|_| self.subtree(rng, depth + 1))
                    .collect();
                for _ in 0..1 + rng.below(2) {
                    let t = self.token_text(rng);
                    let shadow = if rng.chance(50) {
                        self.element(rng, "span", vec![text(&t)])
                    } else {
                        self.input(rng)
                    };
                    children.push(shadow.shadow());
                }
                self.element(rng, "div", children)
            }
            15 => {
                let t = self.token_text(rng);
                let inner = self.element(rng, "span", vec![text(&t)]);
                let mut attrs = vec![(
                    "contenteditable".to_string(),
                    rng.pick(&["true", "", "false"]).to_string(),
                )];
                self.common_attrs(rng, &mut attrs);
                spec_with("div", attrs, vec![inner])
            }
            _ => Spec::Comment(format!("note {}", self.tokens.fresh())),
        }
    }

    fn input(&mut self, rng: &mut Rng) -> Spec {
        let mut attrs = Vec::new();
        if rng.chance(70) {
            let t = rng.pick(&["text", "password", "email", "hidden", "search"]);
            attrs.push(("type".to_string(), t.to_string()));
        }
        if rng.chance(15) {
            let a = rng.pick(&["cc-number", "off", "name"]);
            attrs.push(("autocomplete".to_string(), a.to_string()));
        }
        if rng.chance(30) {
            attrs.push(("placeholder".into(), self.tokens.fresh()));
        }
        self.common_attrs(rng, &mut attrs);
        attrs.push(("value".into(), self.tokens.fresh()));
        spec_with("input", attrs, vec![])
    }

    /// Registers the values of the inputs under `root`.
    fn own_values(&mut self, root: usize) {
        let mut stack = vec![root];
        while let Some(n) = stack.pop() {
            if matches!(self.r.tag(n), "input" | "textarea")
                && let Some(v) = self.r.attr(n, "value")
            {
                self.value_owner.insert(v.to_string(), n);
            }
            stack.extend(self.r.nodes[n].children.iter().copied());
        }
    }

    fn alive(&self) -> Vec<usize> {
        (0..self.r.nodes.len())
            .filter(|&i| self.r.nodes[i].alive && self.r.attached(i))
            .collect()
    }

    /// Nodes an edit may remove or move: not a document's `html`, `head`,
    /// `body` or doctype.
    fn movable(&self, i: usize) -> bool {
        let n = &self.r.nodes[i];
        match &n.data {
            Data::Document | Data::Doctype => false,
            Data::Element { tag, .. } => {
                !(matches!(tag.as_str(), "html" | "head" | "body")
                    && !n.shadow
                    && self.depth_in_document(i) <= 2)
            }
            _ => true,
        }
    }

    fn depth_in_document(&self, i: usize) -> usize {
        let mut d = 0;
        let mut p = self.r.nodes[i].parent;
        while let Some(n) = p {
            if matches!(self.r.nodes[n].data, Data::Document) {
                return d;
            }
            d += 1;
            p = self.r.nodes[n].parent;
        }
        d
    }

    fn container(&self, i: usize) -> bool {
        matches!(&self.r.nodes[i].data, Data::Element { tag, .. } if !is_leaf(tag))
    }

    /// The list node `i` is in.
    fn root_of(&self, i: usize) -> Root {
        let mut n = i;
        loop {
            let node = &self.r.nodes[n];
            if node.shadow {
                return Root::Shadow(node.parent.unwrap());
            }
            if matches!(node.data, Data::Document) {
                return Root::Document(n);
            }
            match node.parent {
                Some(p) => n = p,
                None => return Root::Document(Recorder::DOCUMENT),
            }
        }
    }

    /// The list the light children of `parent` are in.
    fn root_below(&self, parent: usize) -> Root {
        if matches!(self.r.nodes[parent].data, Data::Document) {
            Root::Document(parent)
        } else {
            self.root_of(parent)
        }
    }

    fn under(&self, i: usize, ancestor: usize) -> bool {
        let mut p = Some(i);
        while let Some(n) = p {
            if n == ancestor {
                return true;
            }
            p = self.r.nodes[n].parent;
        }
        false
    }

    fn label(&self, i: usize) -> String {
        let n = &self.r.nodes[i];
        match &n.data {
            Data::Element { tag, .. } => format!("<{tag}>#{}", n.id),
            Data::Text(_) => format!("text#{}", n.id),
            Data::Comment(_) => format!("comment#{}", n.id),
            Data::Document => format!("document#{}", n.id),
            Data::Doctype => format!("doctype#{}", n.id),
        }
    }

    /// A position in `parent`'s light children.
    fn before(&self, parent: usize, pick: u16) -> Option<usize> {
        let light: Vec<usize> = self.r.nodes[parent]
            .children
            .iter()
            .copied()
            .filter(|&c| !self.r.nodes[c].shadow && !matches!(self.r.nodes[c].data, Data::Document))
            .collect();
        let at = pick as usize % (light.len() + 1);
        light.get(at).copied()
    }

    /// Applies one edit within `root` (any root when `None`); returns the
    /// root it was in, or `None` when there was nothing to edit.
    fn edit(&mut self, e: &EditSeed, root: Option<Root>) -> Option<Root> {
        let mut rng = Rng(e.seed);
        let alive = self.alive();
        let in_root = |w: &World, i: usize| root.is_none_or(|r| w.root_of(i) == r);
        let pick = |cands: Vec<usize>, k: u16| -> Option<usize> {
            (!cands.is_empty()).then(|| cands[k as usize % cands.len()])
        };
        match e.kind % 12 {
            // Insert.
            0..=2 => {
                let shadow_hosts = rng.chance(15);
                let parents: Vec<usize> = alive
                    .iter()
                    .copied()
                    .filter(|&i| {
                        self.container(i)
                            && if shadow_hosts {
                                self.r.nodes[i].host && root.is_none_or(|r| r == Root::Shadow(i))
                            } else {
                                root.is_none_or(|r| self.root_below(i) == r)
                            }
                    })
                    .collect();
                let parent = pick(parents, e.at)?;
                let mut spec = self.subtree(&mut rng, 1);
                let before = if shadow_hosts {
                    spec = spec.shadow();
                    None
                } else {
                    self.before(parent, e.to)
                };
                let n = self.r.insert(parent, before, &spec);
                self.own_values(n);
                self.log.push(format!(
                    "insert {} into {}{}{}",
                    self.describe(n),
                    self.label(parent),
                    if shadow_hosts { "'s shadow root" } else { "" },
                    before.map_or(String::new(), |b| format!(" before {}", self.label(b)))
                ));
                Some(if shadow_hosts {
                    Root::Shadow(parent)
                } else {
                    self.root_below(parent)
                })
            }
            // Remove.
            3 => {
                let cands: Vec<usize> = alive
                    .iter()
                    .copied()
                    .filter(|&i| self.movable(i) && in_root(self, i))
                    .collect();
                let n = pick(cands, e.at)?;
                let r = self.root_of(n);
                self.log.push(format!("remove {}", self.label(n)));
                self.r.detach(n);
                Some(r)
            }
            // Move, within the list it is in.
            4 => {
                let cands: Vec<usize> = alive
                    .iter()
                    .copied()
                    .filter(|&i| self.movable(i) && in_root(self, i))
                    .collect();
                let n = pick(cands, e.at)?;
                let r = self.root_of(n);
                let parents: Vec<usize> = alive
                    .iter()
                    .copied()
                    .filter(|&p| {
                        self.container(p)
                            && !self.under(p, n)
                            && if self.r.nodes[n].shadow {
                                Root::Shadow(p) == r && self.r.nodes[p].host
                            } else {
                                self.root_below(p) == r
                            }
                    })
                    .collect();
                let parent = pick(parents, e.to)?;
                let before = if self.r.nodes[n].shadow {
                    None
                } else {
                    self.before(parent, (e.seed >> 32) as u16)
                        .filter(|&b| b != n)
                };
                self.log.push(format!(
                    "move {} into {}{}",
                    self.label(n),
                    self.label(parent),
                    before.map_or(String::new(), |b| format!(" before {}", self.label(b)))
                ));
                self.r.relocate(n, parent, before);
                self.own_values(n);
                Some(r)
            }
            // Text.
            5 => {
                let cands: Vec<usize> = alive
                    .iter()
                    .copied()
                    .filter(|&i| matches!(self.r.nodes[i].data, Data::Text(_)) && in_root(self, i))
                    .collect();
                let n = pick(cands, e.at)?;
                let t = self.token_text(&mut rng);
                self.log.push(format!("text {} = {t:?}", self.label(n)));
                self.r.set_text_value(n, &t);
                Some(self.root_of(n))
            }
            // Attributes.
            6 | 7 => {
                let cands: Vec<usize> = alive
                    .iter()
                    .copied()
                    .filter(|&i| {
                        matches!(&self.r.nodes[i].data, Data::Element { tag, .. } if !matches!(tag.as_str(), "html" | "head"))
                            && in_root(self, i)
                    })
                    .collect();
                let n = pick(cands, e.at)?;
                let (name, value) = self.attribute_change(&mut rng, n);
                self.log.push(match &value {
                    Some(v) => format!("set {} {name}={v:?}", self.label(n)),
                    None => format!("remove {} {name}", self.label(n)),
                });
                self.r.set_attribute(n, &name, value.as_deref());
                Some(self.root_of(n))
            }
            // An input's type.
            8 => {
                let cands: Vec<usize> = alive
                    .iter()
                    .copied()
                    .filter(|&i| self.r.tag(i) == "input" && in_root(self, i))
                    .collect();
                let n = pick(cands, e.at)?;
                let t = *rng.pick(&["text", "password", "email", "hidden", "search"]);
                self.log.push(format!("set {} type={t:?}", self.label(n)));
                self.r.set_attribute(n, "type", Some(t));
                Some(self.root_of(n))
            }
            // Style.
            9 => {
                let cands: Vec<usize> = alive
                    .iter()
                    .copied()
                    .filter(|&i| self.r.attr(i, "style").is_some() && in_root(self, i))
                    .collect();
                let n = pick(cands, e.at)?;
                let mut d = style_declarations(self.r.attr(n, "style").unwrap());
                match rng.below(3) {
                    0 if !d.is_empty() => {
                        d.remove(rng.below(d.len()));
                    }
                    1 if !d.is_empty() => {
                        let k = rng.below(d.len());
                        let new = style_declarations(&self.declaration(&mut rng));
                        d[k].1 = new[0].1.clone();
                    }
                    _ => d.extend(style_declarations(&self.declaration(&mut rng))),
                }
                let style = d
                    .iter()
                    .map(|(p, v, i)| {
                        if *i {
                            format!("{p}:{v} !important")
                        } else {
                            format!("{p}:{v}")
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(";");
                self.log
                    .push(format!("set {} style={style:?}", self.label(n)));
                self.r.set_attribute(n, "style", Some(&style));
                Some(self.root_of(n))
            }
            // Typing: not a mutation.
            10 => None,
            _ => None,
        }
    }

    fn attribute_change(&mut self, rng: &mut Rng, n: usize) -> (String, Option<String>) {
        let tag = self.r.tag(n).to_string();
        let remove = rng.chance(15);
        let (name, value) = match rng.below(9) {
            0 | 1 => {
                let c = rng.pick(&self.vocab.classes).clone();
                ("class".to_string(), c)
            }
            2 => ("id".into(), rng.pick(&self.vocab.ids).clone()),
            3 => rng.pick(&self.vocab.attrs).clone(),
            4 => ("title".into(), self.tokens.fresh()),
            5 => ("style".into(), self.style(rng)),
            6 if tag == "a" => ("href".into(), self.url(rng)),
            6 if tag == "img" => (
                "src".into(),
                format!("https://ex.test/{}.png", self.tokens.fresh()),
            ),
            6 if tag == "input" => (
                "autocomplete".into(),
                rng.pick(&["cc-number", "off", "name"]).to_string(),
            ),
            7 if tag == "div" => (
                "contenteditable".into(),
                rng.pick(&["true", "false", ""]).to_string(),
            ),
            _ => ("aria-label".into(), self.tokens.fresh()),
        };
        (name, (!remove).then_some(value))
    }

    /// The node as HTML, for the log.
    fn describe(&self, i: usize) -> String {
        let mut out = String::new();
        self.write_html(i, &mut out);
        out
    }

    fn write_html(&self, i: usize, out: &mut String) {
        let n = &self.r.nodes[i];
        match &n.data {
            Data::Text(t) => write!(out, "{t:?}#{}", n.id).unwrap(),
            Data::Comment(_) => write!(out, "<!--#{}-->", n.id).unwrap(),
            Data::Doctype => {}
            Data::Document => {
                write!(out, "#document{}[", n.id).unwrap();
                for &c in &n.children {
                    self.write_html(c, out);
                }
                out.push(']');
            }
            Data::Element { tag, attrs, .. } => {
                write!(out, "<{tag}#{}", n.id).unwrap();
                for (k, v) in attrs {
                    write!(out, " {k}={v:?}").unwrap();
                }
                if n.shadow {
                    out.push_str(" (shadow)");
                }
                out.push('>');
                for &c in &n.children {
                    if self.r.nodes[c].alive {
                        self.write_html(c, out);
                    }
                }
                write!(out, "</{tag}>").unwrap();
            }
        }
    }
}

fn spec_with(tag: &str, attrs: Vec<(String, String)>, children: Vec<Spec>) -> Spec {
    let mut s = el(tag, &[], children);
    if let Spec::Element { attrs: a, .. } = &mut s {
        *a = attrs;
    }
    s
}

// ---- the page as the reference evaluator sees it -----------------------------

/// The page in the reference evaluator's own tree (`scrim-oracle`): the
/// flattened tree the design decides, a shadow root's children under their
/// host and a frame's document under its `<iframe>`, each element with the
/// recorder's index.
struct Reference {
    tree: OracleTree,
    ids: HashMap<usize, NodeId>,
}

impl Reference {
    fn of(r: &Recorder) -> Reference {
        let mut tree = OracleTree::new();
        let mut ids = HashMap::new();
        let is_element =
            |i: usize| r.nodes[i].alive && matches!(r.nodes[i].data, Data::Element { .. });
        let mut stack: Vec<(usize, Option<NodeId>, Part)> = r.nodes[Recorder::DOCUMENT]
            .children
            .iter()
            .rev()
            .filter(|&&c| is_element(c))
            .map(|&c| (c, None, Part::Light))
            .collect();
        while let Some((i, parent, part)) = stack.pop() {
            let Data::Element { tag, attrs, svg } = &r.nodes[i].data else {
                continue;
            };
            let namespace = if *svg { SVG } else { HTML };
            let attributes: Vec<(&str, &str)> = attrs
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            let id = tree.add(parent, namespace, tag, &attributes);
            let children = &r.nodes[i].children;
            let node = tree.node_mut(id);
            node.part = part;
            // Its own text, as `:empty` reads it: the light text nodes.
            node.text = children
                .iter()
                .filter(|&&c| r.nodes[c].alive && !r.nodes[c].shadow)
                .filter_map(|&c| match &r.nodes[c].data {
                    Data::Text(t) => Some(t.as_str()),
                    _ => None,
                })
                .collect();
            // rrweb marks an input that was of type password.
            node.was_password = tag == "input"
                && (r
                    .attr(i, "type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("password"))
                    || r.attr(i, "data-rr-is-password").is_some());
            ids.insert(i, id);
            // The shadow root's content, the light children, the frame's
            // document.
            let mut order: Vec<(usize, Part)> = Vec::new();
            order.extend(
                children
                    .iter()
                    .filter(|&&c| is_element(c) && r.nodes[c].shadow)
                    .map(|&c| (c, Part::Shadow)),
            );
            order.extend(
                children
                    .iter()
                    .filter(|&&c| is_element(c) && !r.nodes[c].shadow)
                    .map(|&c| (c, Part::Light)),
            );
            for &d in children {
                if r.nodes[d].alive && matches!(r.nodes[d].data, Data::Document) {
                    order.extend(
                        r.nodes[d]
                            .children
                            .iter()
                            .filter(|&&e| is_element(e))
                            .map(|&e| (e, Part::Document)),
                    );
                }
            }
            stack.extend(order.into_iter().rev().map(|(c, part)| (c, Some(id), part)));
        }
        Reference { tree, ids }
    }
}

/// The reference evaluator on the case's page.
fn oracle<'a>(policy: &'a Policy, url: &str, consent: &[String]) -> Oracle<'a> {
    let context = scrim_oracle::Context {
        url: url.to_string(),
        consent: consent.to_vec(),
        region: None,
    };
    Oracle::new(policy.artifact(), &context).expect("the oracle reads every compiled policy")
}

// ---- what a replay shows ------------------------------------------------------

/// One piece of content of a node.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Slot {
    /// The node itself: written as content, or as a placeholder.
    Node,
    Text,
    Attr(String),
    /// An input's or textarea's value: the Input event's, else its
    /// `value` attribute.
    Value,
}

/// What a replay shows of one slot of node `id`.
fn shown(replay: &Replay, id: i64, slot: &Slot) -> Option<String> {
    let n = replay.nodes.get(&id)?;
    match slot {
        Slot::Node => Some(if is_placeholder(n) {
            "placeholder".into()
        } else {
            "content".into()
        }),
        Slot::Text => Some(n.text.clone()),
        Slot::Attr(name) => n.attrs.get(name).map(|v| normal(name, v)),
        Slot::Value => n.shown_value().map(str::to_string),
    }
}

fn is_placeholder(n: &Shown) -> bool {
    n.attrs.contains_key("data-scrim-blocked")
}

/// An attribute value as compared: a style by its declarations.
fn normal(name: &str, value: &str) -> String {
    if name != "style" {
        return value.to_string();
    }
    let mut d = style_declarations(value);
    if d.is_empty()
        || value
            .split(';')
            .any(|p| !p.trim().is_empty() && !p.contains(':'))
    {
        return value.to_string();
    }
    d.sort();
    d.iter()
        .map(|(p, v, i)| format!("{p}:{v}{}", if *i { "!important" } else { "" }))
        .collect::<Vec<_>>()
        .join(";")
}

/// A style's declarations by property (`None` when it is not a list of
/// declarations: masked whole).
fn parsed(style: &Option<String>) -> Option<HashMap<String, String>> {
    let style = style.as_deref()?;
    if style
        .split(';')
        .any(|p| !p.trim().is_empty() && !p.contains(':'))
    {
        return None;
    }
    Some(
        style_declarations(style)
            .into_iter()
            .map(|(p, v, i)| (p, if i { format!("{v}!important") } else { v }))
            .collect(),
    )
}

/// Whether the slot holds form state shown as the value.
fn is_value_attr(tag: &str, name: &str) -> bool {
    name == "value" && matches!(tag, "input" | "textarea")
}

/// Every slot of a replayed node.
fn slots_of(n: &Shown) -> Vec<Slot> {
    let mut slots = vec![Slot::Node];
    match n.kind {
        3 => slots.push(Slot::Text),
        2 => {
            for name in n.attrs.keys() {
                if !is_value_attr(&n.tag, name) {
                    slots.push(Slot::Attr(name.clone()));
                }
            }
            if matches!(n.tag.as_str(), "input" | "textarea") {
                slots.push(Slot::Value);
            }
        }
        _ => {}
    }
    slots
}

// ---- one case -----------------------------------------------------------------

struct Case {
    policy_text: String,
    url: String,
    consent: Vec<String>,
    initial: String,
    log: Vec<String>,
    /// The events recorded and what the masker wrote for each.
    trace: std::cell::RefCell<Vec<String>>,
}

impl Case {
    fn report(&self, what: &str) -> String {
        let mut out = String::new();
        writeln!(out, "{what}").unwrap();
        writeln!(
            out,
            "--- policy (page {}, consent {:?})",
            self.url, self.consent
        )
        .unwrap();
        out.push_str(&self.policy_text);
        writeln!(out, "--- page\n{}", self.initial).unwrap();
        writeln!(out, "--- edits").unwrap();
        for (k, l) in self.log.iter().enumerate() {
            writeln!(out, "{k:>3}. {l}").unwrap();
        }
        if std::env::var_os("CONSISTENCY_TRACE").is_some() {
            writeln!(out, "--- events (in, then out)").unwrap();
            for t in self.trace.borrow().iter() {
                writeln!(out, "{t}").unwrap();
            }
        }
        out
    }
}

/// Masks the page as it is now as a full snapshot, in a fresh session.
fn snapshot_view(policy: &Policy, context: &Context, w: &World) -> Replay {
    let mut session = Session::new(policy, context.clone());
    let mut replay = Replay::default();
    for e in w.r.snapshot_events(&w.url) {
        for out in session.mask_event(e.as_bytes()).events {
            replay.apply(&out);
        }
    }
    replay
}

/// Every token a replay shows.
fn visible(replay: &Replay) -> HashSet<String> {
    let mut tokens = HashSet::new();
    for n in replay.nodes.values() {
        let strings = [n.text.as_str(), n.value.as_deref().unwrap_or("")]
            .into_iter()
            .chain(n.attrs.values().map(String::as_str));
        for s in strings {
            tokens.extend(runs(s).map(str::to_string));
        }
    }
    tokens
}

/// The strings of a JSON value (not its keys).
fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Array(a) => stack.extend(a),
            serde_json::Value::Object(o) => stack.extend(o.values()),
            _ => {}
        }
    }
}

/// One batch's view: the snapshot oracle after it, the tokens it shows.
struct View {
    replay: Replay,
    tokens: HashSet<String>,
    /// It masks what selectors or the masker read (an attribute such as
    /// `class`, `type`, `contenteditable`, a placeholder's): masking it
    /// again may decide otherwise.
    masks_structure: bool,
}

/// Whether the snapshot oracle masks an attribute that selectors or the
/// masker read.
fn masks_structure(w: &World, replay: &Replay) -> bool {
    let index: HashMap<i64, usize> = (0..w.r.nodes.len()).map(|i| (w.r.id(i), i)).collect();
    // What selectors read, and what the masker reads (the floors, the
    // routing of editable regions).
    let v = &w.vocab;
    let structural = |name: &str| match name {
        "class" => v.reads_class,
        "id" => v.reads_id,
        "type" | "autocomplete" | "contenteditable" => true,
        _ => v.reads_attrs.contains(name),
    };
    replay.nodes.iter().any(|(id, shown)| {
        index.get(id).is_some_and(|&n| match &w.r.nodes[n].data {
            // A placeholder keeps none of them: its siblings may be
            // decided otherwise.
            Data::Element { attrs, .. } if is_placeholder(shown) => {
                v.reads_siblings && attrs.iter().any(|(name, _)| structural(name))
            }
            _ => shown.attrs.iter().any(|(name, value)| {
                structural(name) && w.r.attr(n, name).is_some_and(|orig| orig != value)
            }),
        })
    })
}

fn run_case(policy_seed: &PolicySeed, page: &[EditSeed], edits: &[EditSeed]) -> Result<(), String> {
    let (policy_text, url, consent, example) = policy_text(policy_seed);
    let Some(policy) = compile(example.unwrap_or("random.scrim"), &policy_text) else {
        // A random policy the compiler refuses (an allow over a floor …).
        return Ok(());
    };
    let context = Context {
        url: String::new(),
        consent: consent.clone(),
        region: None,
    };
    let mut w = World {
        r: Recorder::new(),
        tokens: Tokens::default(),
        vocab: Vocabulary::of(&policy),
        url: url.clone(),
        log: Vec::new(),
        value_owner: HashMap::new(),
    };
    // The page: inserts before recording starts.
    for e in page {
        let e = EditSeed {
            kind: e.kind % 3,
            ..e.clone()
        };
        w.edit(&e, None);
    }
    w.log.clear();
    // The policy's fixed texts; their uppercase runs are not content.
    let fixed_texts: HashSet<String> = policy
        .artifact()
        .rules
        .iter()
        .filter_map(|r| match &r.strategy {
            scrim_matcher::Strategy::Fixed { text } => Some(text.clone()),
            _ => None,
        })
        .collect();
    let fixed: HashSet<String> = fixed_texts
        .iter()
        .flat_map(|s| runs(s).map(str::to_string).collect::<Vec<_>>())
        .collect();
    let mut case = Case {
        policy_text,
        url: url.clone(),
        consent,
        initial: w.describe(Recorder::DOCUMENT),
        log: Vec::new(),
        trace: Default::default(),
    };

    // The recording: batches of events, each followed by the oracle's view.
    let mut batches: Vec<Vec<String>> = vec![w.r.start(&url)];
    let mut views: Vec<View> = Vec::new();
    let mut session = Session::new(&policy, context.clone());
    let mut replay = Replay::default();
    let mut output: Vec<String> = Vec::new();
    // The batch each event belongs to.
    let mut batch_of: Vec<usize> = vec![0; batches[0].len()];

    let check_batch = |w: &World,
                       views: &mut Vec<View>,
                       events: &[String],
                       session: &mut Session,
                       replay: &mut Replay,
                       output: &mut Vec<String>,
                       case: &Case|
     -> Result<(), String> {
        let snapshot = snapshot_view(&policy, &context, w);
        let view = View {
            tokens: visible(&snapshot),
            masks_structure: masks_structure(w, &snapshot),
            replay: snapshot,
        };
        // A value written before may still be in the replay's `value`
        // attribute (the Input event's value shows): allowed while the
        // input's current value shows.
        let allowed = |t: &str| {
            fixed.contains(t)
                || view.tokens.contains(t)
                || w.value_owner.get(t).is_some_and(|&n| {
                    w.r.nodes[n].alive
                        && w.r
                            .attr(n, "value")
                            .is_some_and(|v| view.tokens.contains(v))
                })
        };
        for e in events {
            case.trace.borrow_mut().push(format!("in  {e}"));
            for out in session.mask_event(e.as_bytes()).events {
                case.trace.borrow_mut().push(format!("out {out}"));
                let v: serde_json::Value = serde_json::from_str(&out).unwrap();
                let mut ss = Vec::new();
                strings(&v, &mut ss);
                for s in &ss {
                    for run in runs(s) {
                        if !allowed(run) {
                            return Err(case.report(&format!(
                                "the output shows {run:?}, which a snapshot of the page now masks\n  event in:  {e}\n  event out: {out}"
                            )));
                        }
                    }
                }
                replay.apply(&out);
                output.push(out);
            }
            if !replay.errors.is_empty() {
                return Err(case.report(&format!(
                    "the masked stream cannot be replayed: {:?}\n  after: {e}",
                    replay.errors
                )));
            }
        }
        // The replay shows nothing the snapshot masks now, and no element
        // as content that the snapshot blocks.
        for (id, n) in &replay.nodes {
            let strings = [n.text.as_str(), n.value.as_deref().unwrap_or("")]
                .into_iter()
                .chain(n.attrs.values().map(String::as_str));
            for s in strings {
                for run in runs(s) {
                    if !allowed(run) {
                        return Err(case.report(&format!(
                            "the replay shows {run:?} in node {id}, which a snapshot of the page now masks"
                        )));
                    }
                }
            }
            if n.kind == 2 && !is_placeholder(n) {
                let blocked = view.replay.nodes.get(id).is_none_or(is_placeholder);
                if blocked {
                    return Err(case.report(&format!(
                        "the replay shows <{}> {id} as content, which a snapshot of the page now blocks (or does not have)",
                        n.tag
                    )));
                }
            }
        }
        views.push(view);
        Ok(())
    };

    let oracle = oracle(&policy, &url, &case.consent);
    // Inputs whose typing was not recorded (their events are ignored), and
    // the last batch it happened in.
    let mut untyped: HashMap<usize, usize> = HashMap::new();
    let first = batches[0].clone();
    check_batch(
        &w,
        &mut views,
        &first,
        &mut session,
        &mut replay,
        &mut output,
        &case,
    )?;
    let mut k = 0;
    while k < edits.len() {
        let e = &edits[k];
        k += 1;
        let events = match e.kind % 12 {
            10 => {
                // Typing into an input or textarea.
                let cands: Vec<usize> = w
                    .alive()
                    .into_iter()
                    .filter(|&i| matches!(w.r.tag(i), "input" | "textarea"))
                    .collect();
                if cands.is_empty() {
                    continue;
                }
                let n = cands[e.at as usize % cands.len()];
                let v = w.tokens.fresh();
                w.value_owner.insert(v.clone(), n);
                // The events channel covers input events: an element whose
                // events are ignored has its typing dropped (docs/rrweb.md).
                let reference = Reference::of(&w.r);
                let x = oracle.explain(&reference.tree, reference.ids[&n], Channel::Events);
                let recorded = x.status == scrim_oracle::Status::Recorded
                    && x.outcome == scrim_oracle::Outcome::Capture;
                w.log.push(format!(
                    "type {v:?} into {}{}",
                    w.label(n),
                    if recorded {
                        ""
                    } else {
                        " (its events are ignored)"
                    }
                ));
                let event = w.r.input(n, &v, false);
                if !recorded {
                    w.r.writes.pop();
                    untyped.insert(n, batches.len());
                }
                vec![event]
            }
            11 => {
                w.log.push("full snapshot".into());
                w.r.start(&url)
            }
            _ => {
                let Some(root) = w.edit(e, None) else {
                    continue;
                };
                // More edits in the same batch, in the same list.
                for extra in 0..e.more % 3 {
                    let e2 = EditSeed {
                        kind: (e.kind / 3).wrapping_add(extra) % 10,
                        at: e.at.wrapping_add(37 * (extra as u16 + 1)),
                        to: e.to.wrapping_mul(3).wrapping_add(extra as u16),
                        seed: e.seed.rotate_left(17 * (extra as u32 + 1)),
                        more: 0,
                    };
                    if e2.kind % 12 < 10 {
                        w.edit(&e2, Some(root));
                    }
                }
                if !e.more.is_multiple_of(3) {
                    w.log.push("  (one batch)".into());
                }
                w.r.commit()
            }
        };
        case.log = w.log.clone();
        batch_of.extend(std::iter::repeat_n(batches.len(), events.len()));
        check_batch(
            &w,
            &mut views,
            &events,
            &mut session,
            &mut replay,
            &mut output,
            &case,
        )?;
        batches.push(events);
    }
    case.log = w.log.clone();

    // When each slot's content was written last (the batch).
    let mut written: HashMap<(usize, Slot), usize> = HashMap::new();
    // When a `style` was last written as an object of properties, a value
    // last typed.
    let mut style_objects: HashMap<usize, usize> = HashMap::new();
    let mut typed: HashMap<usize, usize> = HashMap::new();
    // When a `style` was last written whole, and each property since.
    let mut style_whole: HashMap<usize, usize> = HashMap::new();
    let mut style_properties: HashMap<(usize, String), usize> = HashMap::new();
    let index: HashMap<i64, usize> = (0..w.r.nodes.len())
        .filter(|&i| w.r.nodes[i].alive)
        .map(|i| (w.r.id(i), i))
        .collect();
    for (event, write) in &w.r.writes {
        let b = batch_of[*event];
        match write {
            common::recorder::Write::Node(n) => {
                style_whole.insert(*n, b);
                style_properties.retain(|(m, _), _| m != n);
            }
            common::recorder::Write::Attr(n, name) if name == "style" => {
                style_whole.insert(*n, b);
                style_properties.retain(|(m, _), _| m != n);
            }
            common::recorder::Write::StyleObject(n, properties) => {
                for p in properties {
                    style_properties.insert((*n, p.clone()), b);
                }
            }
            _ => {}
        }
        let (node, slot) = match write {
            common::recorder::Write::Node(n) => (*n, None),
            common::recorder::Write::Text(n) => (*n, Some(Slot::Text)),
            common::recorder::Write::Attr(n, name) if is_value_attr(w.r.tag(*n), name) => {
                (*n, Some(Slot::Value))
            }
            common::recorder::Write::Attr(n, name) => (*n, Some(Slot::Attr(name.clone()))),
            common::recorder::Write::Value(n) => {
                typed.insert(*n, b);
                (*n, Some(Slot::Value))
            }
            common::recorder::Write::StyleObject(n, _) => {
                style_objects.insert(*n, b);
                (*n, Some(Slot::Attr("style".into())))
            }
        };
        match slot {
            Some(s) => {
                written.insert((node, s), b);
            }
            None => {
                // A node written whole: every slot of it.
                written.retain(|(n, _), _| *n != node);
                written.insert((node, Slot::Node), b);
            }
        }
    }
    let written_at = |n: usize, slot: &Slot| {
        let whole = written.get(&(n, Slot::Node)).copied().unwrap_or(0);
        written
            .get(&(n, slot.clone()))
            .copied()
            .unwrap_or(whole)
            .max(whole)
    };

    // The same DOM at the end, but for slots that stayed masked.
    let end = views.len() - 1;
    let last = &views[end].replay;
    let Some(root) = last.root else {
        // The page is not recorded: the masker wrote nothing either.
        if !output.is_empty() {
            return Err(case.report("a page the snapshot does not record got output"));
        }
        return Ok(());
    };
    let original = |n: usize, slot: &Slot| -> Option<String> {
        match slot {
            Slot::Attr(name) => w.r.attr(n, name).map(|v| normal(name, v)),
            Slot::Value => w.r.attr(n, "value").map(str::to_string),
            Slot::Text => match &w.r.nodes[n].data {
                Data::Text(t) => Some(t.clone()),
                _ => None,
            },
            Slot::Node => Some("content".into()),
        }
    };
    // The content as the page has it (a style as written, not by its
    // declarations): what stars keep the length of.
    let raw = |n: usize, slot: &Slot| -> Option<String> {
        match slot {
            Slot::Attr(name) => w.r.attr(n, name).map(str::to_string),
            _ => original(n, slot),
        }
    };
    // Whether `x` shows less than `y` of content `orig` (`raw` as the
    // page has it).
    let stricter = |x: &Option<String>,
                    y: &Option<String>,
                    orig: &Option<String>,
                    raw: &Option<String>| {
        let tokens = |s: &Option<String>| -> HashSet<String> {
            s.as_deref()
                .map(|s| {
                    runs(s)
                        .filter(|r| !fixed.contains(*r))
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default()
        };
        let (tx, ty) = (tokens(x), tokens(y));
        // Stars keep the length and the spaces: another masked form shows
        // less.
        let stars = raw.as_deref().map(scrim_matcher::stars);
        let hides_length = tx.is_empty() && x != y && *y == stars && *x != stars;
        // Masked whole (stars, a fixed text) shows less than what keeps
        // some structure (a style's property names, a URL's host) or what
        // a captured value is written as when nothing of it is kept (a
        // style whose declarations are all dropped).
        let whole = |v: &Option<String>| {
            v.as_deref().is_some_and(|v| {
                (!v.is_empty() && v.chars().all(|c| c == '*' || c.is_whitespace()))
                    || fixed_texts.contains(v)
            })
        };
        let hides_structure = whole(x) && !whole(y);
        // What is left when characters are taken out (a masked URL's
        // scheme, where the snapshot shows the address with its spans
        // masked).
        let part_of = |x: &str, y: &str| {
            let mut ys = y.chars();
            x != y && x.chars().all(|c| ys.any(|d| d == c))
        };
        let shorter = x
            .as_deref()
            .zip(y.as_deref())
            .is_some_and(|(x, y)| part_of(x, y));
        tx.is_subset(&ty)
            && (tx != ty || (x != orig && y == orig) || hides_length || hides_structure || shorter)
    };
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        let v = &last.nodes[&id];
        let Some(a) = replay.nodes.get(&id) else {
            return Err(case.report(&format!(
                "node {id} (<{}>) is in the snapshot of the final page, not in the replay",
                v.tag
            )));
        };
        let Some(&n) = index.get(&id) else {
            return Err(case.report(&format!("node {id} is not on the page")));
        };
        if (a.kind, &a.tag) != (v.kind, &v.tag) {
            return Err(case.report(&format!(
                "node {id}: the replay has <{}> type {}, the snapshot <{}> type {}",
                a.tag, a.kind, v.tag, v.kind
            )));
        }
        let mut slots: Vec<Slot> = slots_of(a);
        slots.extend(slots_of(v));
        slots.sort();
        slots.dedup();
        let mut placeholder_kept = false;
        for slot in &slots {
            let (got, want) = (shown(&replay, id, slot), shown(last, id, slot));
            if got == want {
                continue;
            }
            let since = written_at(n, slot);
            let orig = original(n, slot);
            let raw = raw(n, slot);
            let history: Vec<Option<String>> = (since..=end)
                .map(|t| shown(&views[t].replay, id, slot))
                .collect();
            let stayed_masked = history
                .iter()
                .any(|h| *h == got && stricter(h, &want, &orig, &raw));
            // Typing into an input whose events are ignored is not recorded:
            // the replay shows its value as it was last written.
            let typing_ignored = *slot == Slot::Value
                && untyped.get(&n).is_some_and(|&b| b >= since)
                && history.contains(&got);
            // A typed value is not written again when its strategy changes
            // (an Input event written again would not mask to itself):
            // the replay keeps it masked as it was typed.
            let masked_form = |v: &Option<String>| {
                v.as_deref()
                    .is_some_and(|v| runs(v).all(|r| fixed.contains(r)))
                    && *v != orig
            };
            let typed_strategy = *slot == Slot::Value
                && typed.get(&n) == Some(&since)
                && masked_form(&got)
                && masked_form(&want)
                && history.contains(&got);
            // A masked `style` written as an object of properties is
            // dropped (it cannot be masked as the attribute's text would
            // be): the replay keeps a masked form of an earlier text.
            let masked_style = |v: &Option<String>| {
                v.as_deref()
                    .is_some_and(|v| runs(v).next().is_none() && !v.contains(':'))
            };
            let object_under_mask = *slot == Slot::Attr("style".into())
                && style_objects.get(&n) == Some(&since)
                && (got.is_none() || masked_style(&got))
                && history.iter().any(masked_style);
            // A style is content declaration by declaration: each one may
            // have stayed masked on its own, since it was last written
            // (whole, or as a property of a style object).
            let property_history = |p: &str| -> Vec<Option<String>> {
                let whole = style_whole.get(&n).copied().unwrap_or(0);
                let from = style_properties
                    .get(&(n, p.to_string()))
                    .copied()
                    .unwrap_or(whole)
                    .max(whole);
                (from..=end)
                    .map(|t| shown(&views[t].replay, id, slot))
                    .collect()
            };
            let declarations_stayed_masked = *slot == Slot::Attr("style".into())
                && parsed(&got).zip(parsed(&want)).is_some_and(|(g, v)| {
                    let properties: HashSet<&String> = g.keys().chain(v.keys()).collect();
                    let orig = orig.as_deref().and_then(|o| parsed(&Some(o.to_string())));
                    // A string's content, without its quotes.
                    let content = |v: Option<&String>| v.map(|v| v.trim_matches('"').to_string());
                    properties.into_iter().all(|p| {
                        let (gp, vp) = (content(g.get(p)), content(v.get(p)));
                        let op = orig.as_ref().and_then(|o| content(o.get(p)));
                        gp == vp
                            || property_history(p).iter().any(|h| {
                                let hp = parsed(h).and_then(|h| content(h.get(p)));
                                hp == gp && stricter(&hp, &vp, &op, &op)
                            })
                    })
                });
            if !(stayed_masked
                || typing_ignored
                || typed_strategy
                || object_under_mask
                || declarations_stayed_masked)
            {
                return Err(case.report(&format!(
                    "node {id} (<{}>), {slot:?}: the replay shows {got:?}, a snapshot of the final page {want:?}\n  (content written in batch {since}; what snapshots showed since: {history:?})",
                    v.tag
                )));
            }
            if *slot == Slot::Node {
                // A placeholder that stayed one: nothing else of it shows.
                placeholder_kept = true;
                break;
            }
        }
        if placeholder_kept || is_placeholder(v) {
            continue;
        }
        if a.children != v.children {
            return Err(case.report(&format!(
                "node {id} (<{}>): the replay's children are {:?}, the snapshot's {:?}",
                v.tag, a.children, v.children
            )));
        }
        stack.extend(v.children.iter().copied());
    }

    // The decisions equal the reference evaluator's on the final page.
    let reference = Reference::of(&w.r);
    for (&n, &id) in &reference.ids {
        let Some(d) = session.decision(w.r.id(n)) else {
            continue;
        };
        let explain = |channel| oracle.explain(&reference.tree, id, channel);
        let text = explain(Channel::Text);
        if d.status == Status::Placeholder {
            // A placeholder stays one until it is removed.
            let kept = text.status == scrim_oracle::Status::Recorded
                && replay.nodes.get(&w.r.id(n)).is_some_and(is_placeholder);
            if text.status != scrim_oracle::Status::Placeholder && !kept {
                return Err(case.report(&format!(
                    "{}: the masker has a placeholder, the reference evaluator says {:?}",
                    w.label(n),
                    text.status
                )));
            }
            continue;
        }
        let reference = [
            ("status", format!("{:?}", text.status)),
            ("text", format!("{:?}", text.outcome)),
            ("value", format!("{:?}", explain(Channel::Value).outcome)),
            ("media", format!("{:?}", explain(Channel::Media).outcome)),
            ("events", format!("{:?}", explain(Channel::Events).outcome)),
        ];
        let masker = [
            format!("{:?}", d.status),
            format!("{:?}", d.text),
            format!("{:?}", d.value),
            format!("{:?}", d.media),
            format!("{:?}", d.events),
        ];
        for ((channel, want), got) in reference.iter().zip(&masker) {
            if want != got {
                return Err(case.report(&format!(
                    "{}: the masker decided {channel} {got}, the reference evaluator {want}",
                    w.label(n)
                )));
            }
        }
    }

    // Idempotence, unless the policy masks an attribute its selectors or
    // the masker read.
    let masks_structure = views.iter().any(|v| v.masks_structure);
    if !masks_structure {
        let (again, _) = common::mask_all(&policy, context.clone(), &output);
        if again != output {
            let k = again
                .iter()
                .zip(&output)
                .position(|(a, b)| a != b)
                .unwrap_or(again.len().min(output.len()));
            return Err(case.report(&format!(
                "masking the masked stream changed it at event {k}:\n  once:  {}\n  twice: {}",
                output.get(k).map_or("(none)", String::as_str),
                again.get(k).map_or("(none)", String::as_str)
            )));
        }
    }
    Ok(())
}

// ---- the property -------------------------------------------------------------

fn rule_seed() -> impl Strategy<Value = RuleSeed> {
    (any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>()).prop_map(
        |(action, channels, selector, strategy)| RuleSeed {
            action,
            channels,
            selector,
            strategy,
        },
    )
}

fn policy_seed() -> impl Strategy<Value = PolicySeed> {
    prop_oneof![
        1 => (0u8..4).prop_map(PolicySeed::Example),
        4 => (
            proptest::collection::vec(rule_seed(), 0..10),
            any::<[u8; 5]>(),
            any::<u8>(),
            any::<bool>(),
            any::<bool>(),
            proptest::option::of((any::<bool>(), proptest::collection::vec(rule_seed(), 1..4))),
        )
            .prop_map(|(rules, defaults, sensitive, detect, redact, scoped)| {
                PolicySeed::Random {
                    rules,
                    defaults,
                    sensitive,
                    detect,
                    redact,
                    scoped,
                }
            }),
    ]
}

fn edit_seed() -> impl Strategy<Value = EditSeed> {
    (
        any::<u8>(),
        any::<u16>(),
        any::<u16>(),
        any::<u64>(),
        any::<u8>(),
    )
        .prop_map(|(kind, at, to, seed, more)| EditSeed {
            kind,
            at,
            to,
            seed,
            more: if more % 4 == 0 { more } else { 0 },
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256),
        ..ProptestConfig::default()
    })]

    /// Replaying the masked stream gives the same DOM as masking a full
    /// snapshot of the final page, but for channels that became less
    /// strict after their content was written; nothing masked now is ever
    /// shown; decisions are the reference evaluator's; masking again
    /// changes nothing.
    #[test]
    fn a_replay_is_a_masked_snapshot_of_the_final_page(
        policy in policy_seed(),
        page in proptest::collection::vec(edit_seed(), 2..14),
        edits in proptest::collection::vec(edit_seed(), 0..24),
    ) {
        if let Err(report) = run_case(&policy, &page, &edits) {
            prop_assert!(false, "{}", report);
        }
    }
}

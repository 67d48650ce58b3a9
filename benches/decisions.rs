//! Element decisions: how the indexed matcher's cost grows with the number of
//! rules, and how it compares with a naive evaluator (the oracle the
//! property tests hold the matcher to, `scrim-oracle`).
//!
//! Inputs are generated deterministically (same DOM and policies every run):
//! - DOMs of 10k and 100k elements in an arena tree implementing
//!   `scrim_matcher::Element`, shaped like real pages: depth 10 to 30,
//!   tags, classes (a few everywhere, most rare), ids, `data-testid`,
//!   `aria-label`, form fields, links and images.
//! - Policies of 10, 100, 1,000 and 10,000 rules written as `.scrim` text and
//!   compiled with `scrim-compiler` (outside the timed loop): classes, ids,
//!   attributes, tag+class, descendant and child combinators, `:not()`, and
//!   some rules in `on page` / `when` scopes (applying or not). Rules draw
//!   their class names from a vocabulary six times the page's, as a large
//!   policy covers many pages and any one page uses a part of it.
//!
//! Benchmarks (per group, each id is `DOM/rules`):
//! - `walk`: one top-down walk (`page.walker()`, enter/leave) deciding every
//!   element, its fixed channels (text, value, media, events) and every
//!   attribute it has.
//! - `reference`: the same decisions by the naive evaluator
//!   (`scrim_oracle::Oracle::explain`), on a sample of every 100th element
//!   of the 10k DOM (it tries every rule at every ancestor of every channel:
//!   the full DOM at 1,000 rules would take minutes per iteration; 10,000
//!   rules and the 100k DOM are skipped).
//! - `chain`: `page.decide(el)` from the ancestor chain (mutations), on the
//!   same sample.
//!
//! After the run, a summary prints the ratios the design's targets are about
//! (per element, from criterion's estimates of this run).

mod common;

use common::{Rng, mean_ns, print_ratio};
use criterion::{BenchmarkId, Criterion, Throughput};
use scrim_matcher::{ChannelOutcome, Context, Element, Page, Policy};
use scrim_oracle::{NodeId, Oracle};
use std::hint::black_box;
use std::time::{Duration, SystemTime};

// ---------------------------------------------------------------- the DOM

#[derive(Debug)]
struct Node {
    name: &'static str,
    attrs: Vec<(&'static str, String)>,
    parent: Option<u32>,
    prev: Option<u32>,
    next: Option<u32>,
    first: Option<u32>,
    last: Option<u32>,
    depth: u32,
}

/// Nodes in document order (a node's index is its preorder position).
#[derive(Debug, Default)]
struct Dom {
    nodes: Vec<Node>,
}

#[derive(Clone, Copy)]
struct El<'a> {
    dom: &'a Dom,
    id: u32,
}

impl std::fmt::Debug for El<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{}<{}>", self.id, self.node().name)
    }
}

impl<'a> El<'a> {
    fn node(&self) -> &'a Node {
        &self.dom.nodes[self.id as usize]
    }
    fn at(&self, id: Option<u32>) -> Option<Self> {
        id.map(|id| El { dom: self.dom, id })
    }
}

impl Element for El<'_> {
    fn unique_id(&self) -> usize {
        self.id as usize
    }
    fn parent(&self) -> Option<Self> {
        self.at(self.node().parent)
    }
    fn prev_sibling(&self) -> Option<Self> {
        self.at(self.node().prev)
    }
    fn next_sibling(&self) -> Option<Self> {
        self.at(self.node().next)
    }
    fn first_child(&self) -> Option<Self> {
        self.at(self.node().first)
    }
    fn local_name(&self) -> &str {
        self.node().name
    }
    fn attributes(&self) -> impl Iterator<Item = (&str, &str)> {
        self.node().attrs.iter().map(|(n, v)| (*n, v.as_str()))
    }
}

const WORDS: &[&str] = &[
    "card", "header", "nav", "item", "title", "price", "list", "row", "cell", "grid", "panel",
    "menu", "link", "button", "icon", "avatar", "user", "profile", "order", "cart", "product",
    "summary", "detail", "form", "field", "input", "label", "hint", "error", "badge", "tag",
    "modal", "dialog", "footer", "sidebar", "content", "main", "section", "table", "tab", "toast",
    "banner", "promo", "search", "filter", "sort", "page", "step", "address", "payment", "account",
    "message", "thread", "comment", "review", "rating", "media", "image", "video", "chart",
];

/// DOM classes are the first `DOM_CLASSES` names; policies draw from all.
const DOM_CLASSES: usize = 600;

fn class_name(i: usize) -> String {
    let n = WORDS.len();
    format!("{}-{}", WORDS[i % n], WORDS[(i / n) % n])
}

fn all_class_count() -> usize {
    WORDS.len() * WORDS.len()
}

const TAGS: &[(u32, &str)] = &[
    (30, "div"),
    (14, "span"),
    (7, "a"),
    (7, "li"),
    (6, "p"),
    (3, "ul"),
    (3, "section"),
    (4, "img"),
    (3, "button"),
    (4, "input"),
    (3, "label"),
    (5, "td"),
    (2, "tr"),
    (2, "h2"),
    (1, "h3"),
    (1, "form"),
    (1, "table"),
    (1, "article"),
    (1, "textarea"),
    (1, "select"),
];

/// Generates a DOM of `n` elements: a random walk on depth (between 3 and
/// 30, drifting around 15) appending each element to the current path, so
/// nodes come out in document order.
fn generate_dom(n: usize, seed: u64) -> Dom {
    let mut rng = Rng::new(seed);
    let mut dom = Dom::default();
    let mut path: Vec<u32> = Vec::new();
    let mut next_id = 0usize;
    for i in 0..n {
        let (name, parent) = match i {
            0 => ("html", None),
            1 => ("body", Some(0)),
            _ => (*rng.weighted(TAGS), path.last().copied()),
        };
        let mut attrs: Vec<(&'static str, String)> = Vec::new();
        if i > 1 {
            if rng.chance(0.7) {
                let k = 1 + rng.below(3);
                let classes: Vec<String> = (0..k)
                    .map(|_| class_name(rng.skewed(DOM_CLASSES)))
                    .collect();
                attrs.push(("class", classes.join(" ")));
            }
            if rng.chance(0.05) {
                attrs.push(("id", format!("{}-{next_id}", rng.pick(WORDS))));
                next_id += 1;
            }
            if rng.chance(0.1) {
                attrs.push(("data-testid", rng.pick(WORDS).to_string()));
            }
            if rng.chance(0.05) {
                attrs.push(("aria-label", "Open the menu".to_string()));
            }
            if rng.chance(0.03) {
                attrs.push(("title", "More about this".to_string()));
            }
            if rng.chance(0.05) {
                attrs.push((
                    "role",
                    (*rng.pick(&["button", "list", "dialog"])).to_string(),
                ));
            }
            match name {
                "a" => attrs.push(("href", format!("/p/{}", rng.below(1000)))),
                "img" => {
                    attrs.push(("src", format!("/img/{}.png", rng.below(1000))));
                    attrs.push(("alt", "Product photo".to_string()));
                }
                "input" => {
                    let t =
                        *rng.pick(&["text", "email", "password", "hidden", "search", "checkbox"]);
                    attrs.push(("type", t.to_string()));
                    attrs.push(("name", rng.pick(WORDS).to_string()));
                    if rng.chance(0.3) {
                        attrs.push(("placeholder", "Your answer".to_string()));
                    }
                    if rng.chance(0.1) {
                        attrs.push(("autocomplete", "cc-number".to_string()));
                    }
                    attrs.push(("value", "Jane Doe".to_string()));
                }
                "button" => attrs.push(("type", "submit".to_string())),
                _ => {}
            }
        }
        let id = dom.nodes.len() as u32;
        let depth = path.len() as u32;
        if let Some(p) = parent {
            let prev = dom.nodes[p as usize].last;
            if let Some(prev) = prev {
                dom.nodes[prev as usize].next = Some(id);
            } else {
                dom.nodes[p as usize].first = Some(id);
            }
            dom.nodes[p as usize].last = Some(id);
            dom.nodes.push(Node {
                name,
                attrs,
                parent,
                prev,
                next: None,
                first: None,
                last: None,
                depth,
            });
        } else {
            dom.nodes.push(Node {
                name,
                attrs,
                parent: None,
                prev: None,
                next: None,
                first: None,
                last: None,
                depth,
            });
        }
        // Move on the path: void elements take no children; otherwise go
        // deeper or climb, drifting towards depth 15 and staying in 3..=30.
        let void = matches!(name, "img" | "input");
        if !void {
            path.push(id);
        }
        let depth = path.len();
        let climb = if depth >= 30 {
            1 + rng.below(4)
        } else if depth <= 3 {
            0
        } else if rng.chance(0.35 + (depth as f64 - 15.0) * 0.02) {
            1 + rng.below(3)
        } else {
            0
        };
        for _ in 0..climb.min(depth.saturating_sub(2)) {
            path.pop();
        }
    }
    dom
}

// ------------------------------------------------------------ policies

/// Writes a policy of `n` rules as `.scrim` text.
fn policy_text(n: usize, dom_ids: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let classes = all_class_count();
    let mut top = String::new();
    // Scoped rules, by scope header.
    let headers = [
        "on page \"https://shop.example.com/app/*\" {",
        "on page \"https://partner.example.com/*\" {",
        "when consent marketing {",
        "when region US {",
    ];
    let mut scoped: Vec<String> = vec![String::new(); headers.len()];
    let class = |rng: &mut Rng| format!(".{}", class_name(rng.below(classes)));
    for _ in 0..n {
        let selector = match rng.below(100) {
            0..25 => class(&mut rng),
            25..33 => {
                // Half the ids exist on the page.
                let id = if rng.chance(0.5) && dom_ids > 0 {
                    rng.below(dom_ids)
                } else {
                    dom_ids + rng.below(100_000)
                };
                format!("#{}-{id}", WORDS[rng.below(WORDS.len())])
            }
            33..43 => match rng.below(3) {
                0 => format!("[data-testid='{}']", rng.pick(WORDS)),
                1 => format!("input[name='{}']", rng.pick(WORDS)),
                _ => format!("[aria-label]{}", class(&mut rng)),
            },
            43..58 => format!("{}{}", rng.weighted(TAGS), class(&mut rng)),
            58..75 => format!("{} {}", class(&mut rng), class(&mut rng)),
            75..85 => format!("{} > {}", class(&mut rng), rng.weighted(TAGS)),
            85..92 => format!("{}:not({})", class(&mut rng), class(&mut rng)),
            _ => format!(
                "{}, {} {}",
                class(&mut rng),
                rng.weighted(TAGS),
                class(&mut rng)
            ),
        };
        let channels = *rng.pick(&[
            "text",
            "value",
            "attributes",
            "text, attributes",
            "attr:title",
            "media",
            "all",
        ]);
        let statement = match rng.below(100) {
            0..40 => format!("mask {channels} \"{selector}\""),
            40..80 => format!("allow {channels} \"{selector}\""),
            80..88 => format!("mask sealed {channels} \"{selector}\""),
            88..95 => format!("ignore events \"{selector}\""),
            // Blocks name things pages rarely have, as real ones do (a
            // chat widget, a payment iframe).
            _ => format!("block \"iframe{}\"", class(&mut rng)),
        };
        if rng.chance(0.1) {
            let s = rng.below(headers.len());
            scoped[s].push_str("  ");
            scoped[s].push_str(&statement);
            scoped[s].push('\n');
        } else {
            top.push_str(&statement);
            top.push('\n');
        }
    }
    let mut text = String::from("scrim 1\n\ndefault text capture\ndefault value mask\n\n");
    text.push_str(&top);
    for (header, body) in headers.iter().zip(&scoped) {
        if !body.is_empty() {
            text.push('\n');
            text.push_str(header);
            text.push('\n');
            text.push_str(body);
            text.push_str("}\n");
        }
    }
    text
}

fn compile_policy(n: usize, dom_ids: usize) -> Policy {
    let text = policy_text(n, dom_ids, 0x5C81 + n as u64);
    let compilation = scrim_compiler::compile("bench.scrim", &text, &scrim_compiler::NoFiles);
    let errors: Vec<_> = compilation
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "generated policy has errors: {errors:?}");
    let artifact = compilation.artifact.expect("no errors, so an artifact");
    assert_eq!(artifact.rules.len(), n, "one rule per statement");
    Policy::from_artifact(artifact).expect("the compiled policy loads")
}

fn context() -> Context {
    Context {
        url: "https://shop.example.com/app/orders".to_string(),
        consent: vec!["marketing".to_string()],
        region: Some("EU".to_string()),
    }
}

// --------------------------------------------------------- the measured work

/// A cheap fold of outcomes, so the optimiser cannot drop the decisions.
fn score(o: ChannelOutcome<'_>) -> u64 {
    match o {
        ChannelOutcome::Off => 1,
        ChannelOutcome::Capture => 2,
        ChannelOutcome::Mask(_) => 3,
    }
}

/// One walk deciding every element, fixed channel and attribute.
fn walk(page: &Page<'_>, dom: &Dom) -> u64 {
    let mut walker = page.walker::<El<'_>>();
    let mut sum = 0u64;
    for (i, node) in dom.nodes.iter().enumerate() {
        while walker.depth() > node.depth as usize {
            walker.leave();
        }
        let el = El { dom, id: i as u32 };
        let d = walker.enter(el);
        sum += score(d.text) + score(d.value) + score(d.media) + score(d.events);
        for (name, _) in &node.attrs {
            sum += score(walker.attribute(el, name));
        }
    }
    while walker.depth() > 0 {
        walker.leave();
    }
    sum
}

/// The DOM as the oracle's tree (same ids: both are in document order).
fn oracle_tree(dom: &Dom) -> scrim_oracle::Tree {
    let mut tree = scrim_oracle::Tree::new();
    for node in &dom.nodes {
        let attrs: Vec<(&str, &str)> = node.attrs.iter().map(|(n, v)| (*n, v.as_str())).collect();
        tree.add(
            node.parent.map(|p| NodeId(p as usize)),
            scrim_oracle::HTML,
            node.name,
            &attrs,
        );
    }
    tree
}

/// What the oracle decides for one channel, scored as the matcher's
/// outcomes are.
fn oracle_score(o: scrim_oracle::Outcome<'_>) -> u64 {
    match o {
        scrim_oracle::Outcome::Off => 1,
        scrim_oracle::Outcome::Capture => 2,
        scrim_oracle::Outcome::Mask(_) => 3,
    }
}

/// The same decisions, by the naive evaluator, for the sampled elements.
fn reference_decisions(
    oracle: &Oracle<'_>,
    tree: &scrim_oracle::Tree,
    dom: &Dom,
    sample: &[u32],
) -> u64 {
    use scrim_oracle::Channel;
    let mut sum = 0u64;
    for &id in sample {
        let node = NodeId(id as usize);
        for channel in [
            Channel::Text,
            Channel::Value,
            Channel::Media,
            Channel::Events,
        ] {
            sum += oracle_score(oracle.explain(tree, node, channel).outcome);
        }
        for (name, _) in &dom.nodes[id as usize].attrs {
            sum += oracle_score(oracle.explain(tree, node, Channel::Attr(name)).outcome);
        }
    }
    sum
}

/// The fixed channels of the sampled elements, each from its ancestor chain.
fn chain_decisions(page: &Page<'_>, dom: &Dom, sample: &[u32]) -> u64 {
    let mut sum = 0u64;
    for &id in sample {
        let d = page.decide(El { dom, id });
        sum += score(d.text) + score(d.value) + score(d.media) + score(d.events);
    }
    sum
}

/// Guards the benchmark itself: the walk and the naive evaluator must agree
/// on the sample, or the figures compare different things.
fn check_agreement(
    page: &Page<'_>,
    oracle: &Oracle<'_>,
    tree: &scrim_oracle::Tree,
    dom: &Dom,
    sample: &[u32],
) {
    use scrim_oracle::Channel;
    let mut walker = page.walker::<El<'_>>();
    let mut next = sample.iter().peekable();
    for (i, node) in dom.nodes.iter().enumerate() {
        while walker.depth() > node.depth as usize {
            walker.leave();
        }
        let el = El { dom, id: i as u32 };
        let d = walker.enter(el);
        if next.peek() == Some(&&(i as u32)) {
            next.next();
            let id = NodeId(i);
            for (ours, theirs) in [
                (d.text, Channel::Text),
                (d.value, Channel::Value),
                (d.media, Channel::Media),
                (d.events, Channel::Events),
            ] {
                assert_eq!(
                    score(ours),
                    oracle_score(oracle.explain(tree, id, theirs).outcome),
                    "walk and oracle disagree on {el:?} {theirs:?}"
                );
            }
            for (name, _) in &node.attrs {
                assert_eq!(
                    score(walker.attribute(el, name)),
                    oracle_score(oracle.explain(tree, id, Channel::Attr(name)).outcome),
                    "walk and oracle disagree on {el:?} attr {name}"
                );
            }
        }
    }
}

const SIZES: [(usize, &str); 2] = [(10_000, "10k"), (100_000, "100k")];
const RULES: [usize; 4] = [10, 100, 1_000, 10_000];
const REFERENCE_RULES: [usize; 3] = [10, 100, 1_000];
const SAMPLE_EVERY: usize = 100;

fn main() {
    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args();
    let started = SystemTime::now();

    let doms: Vec<Dom> = SIZES
        .iter()
        .map(|&(n, _)| generate_dom(n, 0xD0A1 + n as u64))
        .collect();
    for (dom, (_, label)) in doms.iter().zip(SIZES) {
        let max = dom.nodes.iter().map(|n| n.depth).max().unwrap_or(0);
        let mean = dom.nodes.iter().map(|n| n.depth as f64).sum::<f64>() / dom.nodes.len() as f64;
        eprintln!(
            "DOM {label}: {} elements, depth mean {mean:.1}, max {max}",
            dom.nodes.len()
        );
    }
    // Ids are numbered across the DOM; the larger DOM has more of them.
    let dom_ids = doms
        .iter()
        .map(|d| {
            d.nodes
                .iter()
                .filter(|n| n.attrs.iter().any(|(a, _)| *a == "id"))
                .count()
        })
        .min()
        .unwrap_or(0);
    let policies: Vec<Policy> = RULES.iter().map(|&n| compile_policy(n, dom_ids)).collect();
    let ctx = context();
    let pages: Vec<Page<'_>> = policies.iter().map(|p| p.page(&ctx)).collect();

    let small = &doms[0];
    let sample: Vec<u32> = (0..small.nodes.len())
        .step_by(SAMPLE_EVERY)
        .map(|i| i as u32)
        .collect();
    let small_tree = oracle_tree(small);
    let oracle_context = scrim_oracle::Context {
        url: ctx.url.clone(),
        consent: ctx.consent.clone(),
        region: ctx.region.clone(),
    };
    let oracles: Vec<Oracle<'_>> = policies
        .iter()
        .map(|p| Oracle::new(p.artifact(), &oracle_context).expect("the oracle reads the policy"))
        .collect();
    for ((page, oracle), &n) in pages.iter().zip(&oracles).zip(&RULES) {
        if REFERENCE_RULES.contains(&n) {
            check_agreement(page, oracle, &small_tree, small, &sample);
        }
    }

    let mut group = c.benchmark_group("walk");
    for (dom, (size, label)) in doms.iter().zip(SIZES) {
        group.throughput(Throughput::Elements(size as u64));
        for (page, &n) in pages.iter().zip(&RULES) {
            group.bench_with_input(BenchmarkId::new(label, n), &(), |b, _| {
                b.iter(|| black_box(walk(page, dom)))
            });
        }
    }
    group.finish();

    let mut group = c.benchmark_group("reference");
    group.throughput(Throughput::Elements(sample.len() as u64));
    for (oracle, &n) in oracles.iter().zip(&RULES) {
        if REFERENCE_RULES.contains(&n) {
            group.bench_with_input(BenchmarkId::new("10k-sample", n), &(), |b, _| {
                b.iter(|| black_box(reference_decisions(oracle, &small_tree, small, &sample)))
            });
        }
    }
    group.finish();

    let mut group = c.benchmark_group("chain");
    group.throughput(Throughput::Elements(sample.len() as u64));
    for (page, &n) in pages.iter().zip(&RULES) {
        group.bench_with_input(BenchmarkId::new("10k-sample", n), &(), |b, _| {
            b.iter(|| black_box(chain_decisions(page, small, &sample)))
        });
    }
    group.finish();

    c.final_summary();

    // Ratios, per element.
    let per = |group: &str, id: &str, elements: usize| {
        mean_ns(group, id, started).map(|ns| ns / elements as f64)
    };
    let walk10k = |n: usize| per("walk", &format!("10k/{n}"), 10_000);
    let walk100k = |n: usize| per("walk", &format!("100k/{n}"), 100_000);
    let refer = |n: usize| per("reference", &format!("10k-sample/{n}"), sample.len());
    let chain = |n: usize| per("chain", &format!("10k-sample/{n}"), sample.len());
    println!("\nratios (per element, this run):");
    for n in [100, 1_000, 10_000] {
        print_ratio(
            &format!("walk 100k, {n} rules / 10 rules"),
            walk100k(n),
            walk100k(10),
            if n == 1_000 { "<= 3" } else { "-" },
        );
    }
    for n in [100, 1_000, 10_000] {
        print_ratio(
            &format!("walk 10k, {n} rules / 10 rules"),
            walk10k(n),
            walk10k(10),
            "-",
        );
    }
    for n in REFERENCE_RULES {
        print_ratio(
            &format!("reference / walk 100k, {n} rules"),
            refer(n),
            walk100k(n),
            if n == 1_000 { ">= 20" } else { "-" },
        );
    }
    print_ratio(
        "chain decide, 1000 rules / 10 rules",
        chain(1_000),
        chain(10),
        "-",
    );
    if let Some(ns) = walk100k(1_000) {
        println!("  walk 100k, 1000 rules: {:.0} ns per element", ns);
    }
}

//! Masking an HTML document against html5ever's own parse + serialize of
//! the same document: the design's target is that scrim's whole pipeline
//! (parse into its arena DOM, decide every element, mask, serialize) costs
//! at most 1.3× the baseline.
//!
//! - The page is generated deterministically, a few megabytes of what real
//!   pages carry: a header with navigation, an inline style sheet, product
//!   grids, data tables full of names, emails and amounts, forms with
//!   values, long text, images and links, nested `div`s.
//! - The baseline parses with `html5ever::parse_document` into a minimal
//!   arena `TreeSink` written here (markup5ever_rcdom is not a project
//!   dependency) and serializes with html5ever's `serialize`: the least a
//!   program that reads and writes HTML with html5ever must do.
//! - scrim runs `scrim_html::mask_html` with two policies: the shop example
//!   (`examples/shop.scrim`: presets, rules, detectors, URL redaction) on a
//!   checkout URL, and an empty policy (the built-in private defaults: all
//!   text masked).

mod common;

use common::{Rng, compile, mean_ns, print_ratio, shop_policy};
use criterion::{Criterion, Throughput};
use html5ever::interface::{ElemName, ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::serialize::{Serialize, SerializeOpts, Serializer, TraversalScope};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{Attribute, LocalName, Namespace, QualName};
use scrim_matcher::Context;
use std::borrow::Cow;
use std::cell::{Ref, RefCell};
use std::fmt::Write as _;
use std::hint::black_box;
use std::io;
use std::time::{Duration, SystemTime};

// ------------------------------------------------------- the baseline DOM

#[derive(Debug)]
enum Data {
    Document,
    Doctype(StrTendril),
    Text(StrTendril),
    Comment(StrTendril),
    Element {
        name: QualName,
        attrs: Vec<Attribute>,
        /// The template contents fragment, for `<template>`.
        contents: Option<usize>,
    },
    Fragment,
}

#[derive(Debug)]
struct Node {
    data: Data,
    parent: Option<usize>,
    children: Vec<usize>,
}

/// The smallest sink that builds a complete tree: nodes in a `Vec`, children
/// as index lists (the tree builder rarely moves nodes, so removal by search
/// is fine).
#[derive(Debug, Default)]
struct Arena {
    nodes: RefCell<Vec<Node>>,
}

#[derive(Debug)]
struct Name<'a>(Ref<'a, QualName>);

impl ElemName for Name<'_> {
    fn ns(&self) -> &Namespace {
        &self.0.ns
    }
    fn local_name(&self) -> &LocalName {
        &self.0.local
    }
}

impl Arena {
    fn new() -> Arena {
        let arena = Arena::default();
        arena.push(Data::Document);
        arena
    }

    fn push(&self, data: Data) -> usize {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(Node {
            data,
            parent: None,
            children: Vec::new(),
        });
        nodes.len() - 1
    }

    fn detach(nodes: &mut [Node], n: usize) {
        if let Some(p) = nodes[n].parent.take() {
            nodes[p].children.retain(|&c| c != n);
        }
    }

    fn insert(nodes: &mut [Node], parent: usize, at: Option<usize>, n: usize) {
        Self::detach(nodes, n);
        nodes[n].parent = Some(parent);
        match at {
            Some(i) => nodes[parent].children.insert(i, n),
            None => nodes[parent].children.push(n),
        }
    }

    fn add(&self, parent: usize, at: Option<usize>, child: NodeOrText<usize>) {
        let mut nodes = self.nodes.borrow_mut();
        match child {
            NodeOrText::AppendNode(n) => Self::insert(&mut nodes, parent, at, n),
            NodeOrText::AppendText(text) => {
                // Adjacent text merges, as in the DOM.
                let before = match at {
                    Some(0) => None,
                    Some(i) => Some(nodes[parent].children[i - 1]),
                    None => nodes[parent].children.last().copied(),
                };
                if let Some(b) = before
                    && let Data::Text(t) = &mut nodes[b].data
                {
                    t.push_tendril(&text);
                    return;
                }
                nodes.push(Node {
                    data: Data::Text(text),
                    parent: None,
                    children: Vec::new(),
                });
                let n = nodes.len() - 1;
                Self::insert(&mut nodes, parent, at, n);
            }
        }
    }
}

impl TreeSink for Arena {
    type Handle = usize;
    type Output = Vec<Node>;
    type ElemName<'a> = Name<'a>;

    fn finish(self) -> Vec<Node> {
        self.nodes.into_inner()
    }
    fn parse_error(&self, _msg: Cow<'static, str>) {}
    fn get_document(&self) -> usize {
        0
    }
    fn elem_name<'a>(&'a self, target: &'a usize) -> Name<'a> {
        Name(Ref::map(self.nodes.borrow(), |n| match &n[*target].data {
            Data::Element { name, .. } => name,
            _ => unreachable!("names are asked of elements only"),
        }))
    }
    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> usize {
        let contents = flags.template.then(|| self.push(Data::Fragment));
        self.push(Data::Element {
            name,
            attrs,
            contents,
        })
    }
    fn create_comment(&self, text: StrTendril) -> usize {
        self.push(Data::Comment(text))
    }
    fn create_pi(&self, _target: StrTendril, data: StrTendril) -> usize {
        self.push(Data::Comment(data))
    }
    fn append(&self, parent: &usize, child: NodeOrText<usize>) {
        self.add(*parent, None, child)
    }
    fn append_based_on_parent_node(&self, element: &usize, prev: &usize, child: NodeOrText<usize>) {
        if self.nodes.borrow()[*element].parent.is_some() {
            self.append_before_sibling(element, child)
        } else {
            self.append(prev, child)
        }
    }
    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        _public: StrTendril,
        _system: StrTendril,
    ) {
        let n = self.push(Data::Doctype(name));
        self.add(0, None, NodeOrText::AppendNode(n));
    }
    fn get_template_contents(&self, target: &usize) -> usize {
        match &self.nodes.borrow()[*target].data {
            Data::Element {
                contents: Some(c), ..
            } => *c,
            _ => unreachable!("contents are asked of templates only"),
        }
    }
    fn same_node(&self, x: &usize, y: &usize) -> bool {
        x == y
    }
    fn set_quirks_mode(&self, _mode: QuirksMode) {}
    fn append_before_sibling(&self, sibling: &usize, child: NodeOrText<usize>) {
        let (parent, at) = {
            let nodes = self.nodes.borrow();
            let Some(parent) = nodes[*sibling].parent else {
                return;
            };
            let at = nodes[parent].children.iter().position(|c| c == sibling);
            (parent, at)
        };
        self.add(parent, at, child)
    }
    fn add_attrs_if_missing(&self, target: &usize, attrs: Vec<Attribute>) {
        if let Data::Element { attrs: own, .. } = &mut self.nodes.borrow_mut()[*target].data {
            for a in attrs {
                if !own.iter().any(|o| o.name == a.name) {
                    own.push(a);
                }
            }
        }
    }
    fn remove_from_parent(&self, target: &usize) {
        Self::detach(&mut self.nodes.borrow_mut(), *target)
    }
    fn reparent_children(&self, node: &usize, new_parent: &usize) {
        let mut nodes = self.nodes.borrow_mut();
        let children = std::mem::take(&mut nodes[*node].children);
        for c in children {
            nodes[c].parent = Some(*new_parent);
            nodes[*new_parent].children.push(c);
        }
    }
}

/// Serializes the arena with html5ever's serializer, iteratively.
struct Tree<'a>(&'a [Node]);

impl Serialize for Tree<'_> {
    fn serialize<S: Serializer>(&self, s: &mut S, _scope: TraversalScope) -> io::Result<()> {
        enum Op {
            Open(usize),
            Close(usize),
        }
        let nodes = self.0;
        let mut ops: Vec<Op> = nodes[0]
            .children
            .iter()
            .rev()
            .map(|&c| Op::Open(c))
            .collect();
        while let Some(op) = ops.pop() {
            match op {
                Op::Open(n) => match &nodes[n].data {
                    Data::Element {
                        name,
                        attrs,
                        contents,
                    } => {
                        s.start_elem(name.clone(), attrs.iter().map(|a| (&a.name, &a.value[..])))?;
                        ops.push(Op::Close(n));
                        let children = contents.map_or(&nodes[n].children, |c| &nodes[c].children);
                        ops.extend(children.iter().rev().map(|&c| Op::Open(c)));
                    }
                    Data::Doctype(name) => s.write_doctype(name)?,
                    Data::Text(t) => s.write_text(t)?,
                    Data::Comment(t) => s.write_comment(t)?,
                    Data::Document | Data::Fragment => {}
                },
                Op::Close(n) => {
                    if let Data::Element { name, .. } = &nodes[n].data {
                        s.end_elem(name.clone())?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// html5ever parse + serialize, nothing decided.
fn baseline(html: &str) -> Vec<u8> {
    let nodes = html5ever::parse_document(Arena::new(), Default::default()).one(html);
    let mut out = Vec::with_capacity(html.len());
    let opts = SerializeOpts {
        traversal_scope: TraversalScope::ChildrenOnly(None),
        ..Default::default()
    };
    html5ever::serialize(&mut out, &Tree(&nodes), opts).expect("writing to a Vec");
    out
}

// -------------------------------------------------------------- the page

const FIRST: &[&str] = &[
    "Jane", "Omar", "Li", "Sofia", "Pavel", "Amara", "Lucas", "Mei", "Noah", "Ines",
];
const LAST: &[&str] = &[
    "Doe", "Haddad", "Wang", "Rossi", "Novak", "Okafor", "Martin", "Chen", "Smith", "Silva",
];
const WORDS: &[&str] = &[
    "the",
    "order",
    "ships",
    "within",
    "two",
    "days",
    "and",
    "arrives",
    "with",
    "tracking",
    "our",
    "support",
    "team",
    "answers",
    "every",
    "question",
    "about",
    "sizes",
    "returns",
    "are",
    "free",
    "for",
    "thirty",
    "members",
    "get",
    "early",
    "access",
    "to",
    "new",
    "collections",
    "lightweight",
    "trail",
    "running",
    "shoe",
    "breathable",
    "mesh",
];

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(WORDS[rng.below(WORDS.len())]);
    }
    s
}

fn person(rng: &mut Rng) -> (String, String) {
    let first = rng.pick(FIRST);
    let last = rng.pick(LAST);
    (
        format!("{first} {last}"),
        format!(
            "{}.{}@example.com",
            first.to_lowercase(),
            last.to_lowercase()
        ),
    )
}

/// A page of at least `bytes` bytes, built of repeated realistic sections.
fn generate_page(bytes: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut h = String::with_capacity(bytes + 64 * 1024);
    h.push_str(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Orders — Example Shop</title>\n\
         <style>\n.banner::after { content: \"Welcome back\"; }\n\
         .hero { background: url(/img/hero.jpg) no-repeat; }\n\
         table { border-collapse: collapse; } td, th { padding: 4px; }\n</style>\n\
         <script>window.analytics = { id: 'UA-1' };</script>\n</head>\n<body>\n\
         <header class=\"site-header\"><nav class=\"account-menu\" data-customer-email=\"jane@example.com\">\
         <span class=\"greeting\">Hello, Jane Doe</span> <a href=\"/account\">Account</a> \
         <a href=\"/account/orders?token=abc123\">Orders</a></nav>\
         <form role=\"search\"><input type=\"search\" name=\"q\" value=\"trail shoes\" placeholder=\"Search\"></form></header>\n\
         <main id=\"content\">\n<h1>Your orders</h1>\n",
    );
    let mut section = 0usize;
    while h.len() < bytes {
        section += 1;
        let _ = write!(
            h,
            "<section class=\"panel section-{section}\"><div class=\"panel-body\"><div class=\"row\">"
        );
        match section % 4 {
            0 => {
                // A data table of customers and orders.
                h.push_str("<table class=\"customer-list\"><thead><tr><th>Name</th><th>Email</th><th>Order</th><th>Total</th></tr></thead><tbody>");
                for _ in 0..40 {
                    let (name, email) = person(&mut rng);
                    let _ = write!(
                        h,
                        "<tr class=\"row\"><td class=\"name\">{name}</td><td><a href=\"mailto:{email}\">{email}</a></td>\
                         <td><a href=\"/orders/20231204-{:04}\">#{:06}</a></td><td class=\"price\">${}.{:02}</td></tr>",
                        rng.below(10_000),
                        rng.below(1_000_000),
                        rng.below(900),
                        rng.below(100)
                    );
                }
                h.push_str("</tbody></table>");
            }
            1 => {
                // A checkout-like form.
                let (name, email) = person(&mut rng);
                let _ = write!(
                    h,
                    "<form class=\"card-form\" method=\"post\" onsubmit=\"return check()\">\
                     <div class=\"field\"><label for=\"n{section}\">Name</label><input id=\"n{section}\" name=\"name\" value=\"{name}\" autocomplete=\"name\"></div>\
                     <div class=\"field\"><label>Email</label><input type=\"email\" name=\"email\" value=\"{email}\"></div>\
                     <div class=\"field\"><label>Card</label><input name=\"card\" autocomplete=\"cc-number\" value=\"4242 4242 4242 4242\"></div>\
                     <div class=\"field\"><label>Password</label><input type=\"password\" name=\"pw\" value=\"hunter2\"></div>\
                     <div class=\"field\"><select name=\"size\"><option value=\"41\">41</option><option value=\"42\" selected>42</option><option value=\"43\">43</option></select></div>\
                     <div class=\"field\"><textarea name=\"message\">{}</textarea></div>\
                     <input type=\"hidden\" name=\"csrf\" value=\"f00dfeed{section}\">\
                     <button type=\"submit\" title=\"Pay now\">Pay</button></form>",
                    sentence(&mut rng, 20)
                );
            }
            2 => {
                // A product grid: nested divs, images, prices, links.
                h.push_str("<div class=\"product-grid\">");
                for i in 0..24 {
                    let _ = write!(
                        h,
                        "<div class=\"product-tile\"><div class=\"card\"><div class=\"card-media\">\
                         <a href=\"/p/{i}?ref=grid&amp;email=jane%40example.com\"><img src=\"/img/p{i}.jpg\" alt=\"{}\" width=\"160\" height=\"160\"></a></div>\
                         <div class=\"card-body\"><h3 class=\"product-title\">{}</h3><p class=\"price\">${}.99</p>\
                         <div class=\"quick-look\" role=\"button\" aria-label=\"Quick look\"><span class=\"icon\"></span></div></div></div></div>",
                        sentence(&mut rng, 3),
                        sentence(&mut rng, 4),
                        rng.below(300)
                    );
                }
                h.push_str("</div>");
            }
            _ => {
                // Long text: reviews and a support thread.
                for _ in 0..12 {
                    let (name, email) = person(&mut rng);
                    let _ = write!(
                        h,
                        "<article class=\"review\"><header><span class=\"author\">{name}</span> \
                         <time datetime=\"2024-05-01\">May 1</time></header><div class=\"content\"><p>{}</p>\
                         <p>Contact me at {email} or +1 415 555 {:04}.</p></div>\
                         <footer><a href=\"#\" onclick=\"vote(1)\">Helpful</a></footer></article>",
                        sentence(&mut rng, 60),
                        rng.below(10_000)
                    );
                }
            }
        }
        h.push_str("</div></div></section>\n");
    }
    h.push_str("<div id=\"live-chat\"><p>Agent: how can I help?</p></div>\n</main>\n<footer class=\"site-footer\"><p>© Example Shop</p></footer>\n</body>\n</html>\n");
    h
}

fn main() {
    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    let started = SystemTime::now();

    let html = generate_page(4 << 20, 0xC4EC);
    let shop = shop_policy();
    let private = compile("empty.scrim", "scrim 1\n");
    let context = Context {
        url: "https://shop.example.com/checkout/step-2".to_string(),
        consent: vec!["session-replay".to_string()],
        region: None,
    };
    let shop_page = shop.page(&context);
    let private_page = private.page(&context);

    // Guard the comparison: the baseline writes a whole document, and the
    // masked one really is masked.
    let plain = baseline(&html);
    let masked = scrim_html::mask_html(&html, &shop_page);
    let elements = scrim_html::Document::parse(&html).elements().count();
    eprintln!(
        "page: {:.1} MB, {elements} elements; serialized {:.1} MB; masked {:.1} MB",
        html.len() as f64 / 1e6,
        plain.len() as f64 / 1e6,
        masked.len() as f64 / 1e6
    );
    assert!(plain.len() > html.len() / 2);
    assert!(!masked.contains("hunter2") && !masked.contains("4242 4242"));

    let mut group = c.benchmark_group("html");
    group.throughput(Throughput::Bytes(html.len() as u64));
    group.bench_function("html5ever-parse-serialize", |b| {
        b.iter(|| black_box(baseline(black_box(&html))))
    });
    group.bench_function("scrim-parse", |b| {
        b.iter(|| black_box(scrim_html::Document::parse(black_box(&html))))
    });
    group.bench_function("scrim-mask-shop", |b| {
        b.iter(|| black_box(scrim_html::mask_html(black_box(&html), &shop_page)))
    });
    group.bench_function("scrim-mask-private-default", |b| {
        b.iter(|| black_box(scrim_html::mask_html(black_box(&html), &private_page)))
    });
    group.finish();

    c.final_summary();

    let t = |id: &str| mean_ns("html", id, started);
    println!("\nratios (this run):");
    print_ratio(
        "mask (shop policy) / html5ever parse+serialize",
        t("scrim-mask-shop"),
        t("html5ever-parse-serialize"),
        "<= 1.3",
    );
    print_ratio(
        "mask (private defaults) / html5ever parse+serialize",
        t("scrim-mask-private-default"),
        t("html5ever-parse-serialize"),
        "<= 1.3",
    );
    print_ratio(
        "scrim parse alone / html5ever parse+serialize",
        t("scrim-parse"),
        t("html5ever-parse-serialize"),
        "-",
    );
}

//! Masking an rrweb event stream natively (what the ingest server and
//! `scrim mask-events` run) against serde_json's parse + serialize of the
//! same events: the design's target is that masking costs at most 1.5× the
//! least a server that reads and writes the events must do.
//!
//! - The stream is generated deterministically, shaped as rrweb 2 records a
//!   shop: a meta event, a full snapshot of a page of about 20,000 elements
//!   (navigation, a style sheet, product grids, tables of names and emails,
//!   forms with values, links and images), then 3,000 incremental events as
//!   a session produces them: mouse moves and clicks, scrolls, typing,
//!   inserted product cards, text and attribute changes, removals.
//! - The baseline parses every event into a `serde_json::Value` and writes
//!   it back with `serde_json::to_string`.
//! - scrim runs a `Session` over the same events with two policies: the
//!   shop example (`examples/shop.scrim`: presets, rules, detectors, URL
//!   redaction) on a checkout URL, and an empty policy (the built-in private
//!   defaults: all text masked).

mod common;

use common::{Rng, compile, mean_ns, print_ratio, shop_policy};
use criterion::{Criterion, Throughput};
use scrim_matcher::{Context, Policy};
use scrim_rrweb::Session;
use serde_json::{Value, json};
use std::hint::black_box;
use std::time::{Duration, SystemTime};

// ------------------------------------------------------------ the stream

const FIRST_NAMES: &[&str] = &["Jane", "Omar", "Li", "Ana", "Kofi", "Mia", "Ivan", "Zoe"];
const LAST_NAMES: &[&str] = &["Doe", "Haddad", "Wei", "Silva", "Mensah", "Berg", "Petrov"];
const WORDS: &[&str] = &[
    "organic", "cotton", "shirt", "blue", "delivery", "free", "returns", "size", "medium", "order",
    "summary", "price", "discount", "warranty", "colour", "in", "stock", "the", "with",
];

/// Builds the serialized nodes of a page, numbering them as rrweb does
/// (depth first, parents before children).
struct Snapshot {
    rng: Rng,
    next_id: i64,
    /// Ids of elements that hold product cards (mutations insert there).
    containers: Vec<i64>,
    /// Ids of text nodes (mutations change them).
    texts: Vec<i64>,
    /// Ids of inputs (typing goes there).
    inputs: Vec<i64>,
    /// Ids of removable elements, with their parents.
    removable: Vec<(i64, i64)>,
    /// Ids of the elements removed so far.
    removed: std::collections::HashSet<i64>,
}

impl Snapshot {
    fn id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }

    fn words(&mut self, n: usize) -> String {
        let words: Vec<&str> = (0..n).map(|_| *self.rng.pick(WORDS)).collect();
        words.join(" ")
    }

    fn name(&mut self) -> String {
        format!(
            "{} {}",
            self.rng.pick(FIRST_NAMES),
            self.rng.pick(LAST_NAMES)
        )
    }

    /// A node on the page now, for pointer events.
    fn any_node(&mut self) -> i64 {
        loop {
            let id = self.rng.below(self.next_id as usize) as i64 + 1;
            if !self.removed.contains(&id) {
                return id;
            }
        }
    }

    fn text(&mut self, text: String) -> Value {
        let id = self.id();
        self.texts.push(id);
        json!({"type": 3, "textContent": text, "id": id})
    }

    /// An element; its id is taken before its children's, as rrweb does.
    fn element(
        &mut self,
        tag: &str,
        attributes: Value,
        children: impl FnOnce(&mut Self, i64) -> Vec<Value>,
    ) -> Value {
        let id = self.id();
        let child_nodes = children(self, id);
        json!({"type": 2, "tagName": tag, "attributes": attributes, "childNodes": child_nodes, "id": id})
    }

    fn leaf(&mut self, tag: &str, attributes: Value, text: String) -> Value {
        self.element(tag, attributes, |s, _| vec![s.text(text)])
    }

    fn product_card(&mut self, n: usize) -> Value {
        let class = format!("card c{}", self.rng.skewed(200));
        self.element("div", json!({"class": class, "data-sku": format!("SKU-{n:06}")}), |s, id| {
            let title = s.words(3);
            let blurb = s.words(12);
            let price = format!("${}.{:02}", s.rng.below(500), s.rng.below(100));
            let img = json!({"src": format!("https://cdn.shop.example.com/p/{n}.jpg?w=320"), "alt": title.clone()});
            let image = s.element("img", img, |_, _| Vec::new());
            // Its image is what a removal takes away (no text under it, so
            // later events never name a node that is gone).
            s.removable.push((image["id"].as_i64().unwrap_or(0), id));
            vec![
                image,
                s.leaf("h3", json!({"class": "title"}), title),
                s.leaf("p", json!({}), blurb),
                s.leaf("span", json!({"class": "price"}), price),
                s.element("a", json!({"href": format!("/products/{n}?ref=grid"), "class": "more"}), |s, _| {
                    vec![s.text("Details".into())]
                }),
            ]
        })
    }

    fn customer_row(&mut self) -> Value {
        self.element("tr", json!({}), |s, _| {
            let name = s.name();
            let email = format!("{}@example.com", name.to_lowercase().replace(' ', "."));
            let phone = format!("+1 415 555 {:04}", s.rng.below(10_000));
            let amount = format!("{}.{:02}", s.rng.below(10_000), s.rng.below(100));
            vec![
                s.leaf("td", json!({}), name),
                s.leaf("td", json!({"class": "email"}), email),
                s.leaf("td", json!({}), phone),
                s.leaf("td", json!({"class": "amount"}), amount),
            ]
        })
    }

    fn form(&mut self) -> Value {
        self.element(
            "form",
            json!({"action": "/checkout/submit", "method": "post"}),
            |s, _| {
                let mut fields = Vec::new();
                for (name, kind, value) in [
                    ("full-name", "text", "Jane Doe"),
                    ("email", "email", "jane.doe@example.com"),
                    ("card", "text", "4242 4242 4242 4242"),
                    ("password", "password", "hunter2"),
                    ("note", "text", "leave at the door"),
                ] {
                    let id = s.next_id + 1;
                    s.inputs.push(id);
                    fields.push(s.element(
                        "input",
                        json!({"type": kind, "name": name, "value": value, "autocomplete": name}),
                        |_, _| Vec::new(),
                    ));
                }
                fields
            },
        )
    }

    fn page(&mut self, elements: usize) -> Value {
        let doctype_id = self.id();
        let doctype =
            json!({"type": 1, "name": "html", "publicId": "", "systemId": "", "id": doctype_id});
        let html = self.element("html", json!({"lang": "en"}), |s, _| {
            let head = s.element("head", json!({}), |s, _| {
                vec![
                    s.leaf("title", json!({}), "Checkout - Example Shop".into()),
                    s.element(
                        "style",
                        json!({"_cssText": ".card { display: grid; } .price { font-weight: bold; } .logo { background: url(\"https://cdn.shop.example.com/logo.png\"); }"}),
                        |_, _| Vec::new(),
                    ),
                    s.element("link", json!({"rel": "stylesheet", "href": "https://cdn.shop.example.com/site.css"}), |_, _| Vec::new()),
                ]
            });
            let body = s.element("body", json!({"class": "checkout"}), |s, _| {
                let mut body = vec![s.element("nav", json!({"class": "site-nav"}), |s, _| {
                    (0..8)
                        .map(|i| s.leaf("a", json!({"href": format!("/category/{i}")}), s_words(i)))
                        .collect()
                })];
                body.push(s.form());
                let mut n = 0;
                while (s.next_id as usize) < elements * 2 {
                    body.push(s.element("section", json!({"class": "grid"}), |s, id| {
                        s.containers.push(id);
                        (0..20)
                            .map(|_| {
                                n += 1;
                                s.product_card(n)
                            })
                            .collect()
                    }));
                    body.push(s.element("table", json!({"class": "customers"}), |s, _| {
                        vec![s.element("tbody", json!({}), |s, _| {
                            (0..10).map(|_| s.customer_row()).collect()
                        })]
                    }));
                }
                body.push(s.leaf("footer", json!({}), "© Example Shop".into()));
                body
            });
            vec![head, body]
        });
        let id = self.id();
        json!({"type": 0, "childNodes": [doctype, html], "id": id})
    }
}

fn s_words(i: usize) -> String {
    WORDS[i % WORDS.len()].to_string()
}

/// The events of one recorded session, each as rrweb writes it (one JSON
/// text per event).
fn generate_stream(elements: usize, incremental: usize, seed: u64) -> Vec<String> {
    let mut s = Snapshot {
        rng: Rng::new(seed),
        next_id: 0,
        containers: Vec::new(),
        texts: Vec::new(),
        inputs: Vec::new(),
        removable: Vec::new(),
        removed: Default::default(),
    };
    let node = s.page(elements);
    let mut t: i64 = 1_733_300_000_000;
    let mut events = vec![
        json!({"type": 4, "data": {"href": "https://shop.example.com/checkout/step-2?session=8f2c1e", "width": 1280, "height": 800}, "timestamp": t}),
        json!({"type": 2, "data": {"node": node, "initialOffset": {"left": 0, "top": 0}}, "timestamp": t + 5}),
    ];
    let mut card = 1_000_000;
    for _ in 0..incremental {
        t += 1 + s.rng.below(40) as i64;
        let data = match s.rng.below(20) {
            0..=6 => {
                let positions: Vec<Value> = (0..4)
                    .map(|k| json!({"x": s.rng.below(1280), "y": s.rng.below(800), "id": s.any_node(), "timeOffset": -(k * 12)}))
                    .collect();
                json!({"source": 1, "positions": positions})
            }
            7 | 8 => {
                json!({"source": 2, "type": s.rng.below(6), "id": s.any_node(), "x": s.rng.below(1280), "y": s.rng.below(800)})
            }
            9 | 10 => json!({"source": 3, "id": 1, "x": 0, "y": s.rng.below(40_000)}),
            11..=13 => {
                let id = *s.rng.pick(&s.inputs);
                json!({"source": 5, "text": "jane.doe@exam", "isChecked": false, "id": id})
            }
            14 | 15 => {
                let parent = *s.rng.pick(&s.containers);
                card += 1;
                let node = s.product_card(card);
                json!({"source": 0, "texts": [], "attributes": [], "removes": [], "adds": [{"parentId": parent, "nextId": null, "node": node}]})
            }
            16 | 17 => {
                let id = *s.rng.pick(&s.texts);
                let value = format!("{} left in stock, ask {}", s.rng.below(50), s.name());
                json!({"source": 0, "texts": [{"id": id, "value": value}], "attributes": [], "removes": [], "adds": []})
            }
            18 => {
                let id = *s.rng.pick(&s.containers);
                json!({"source": 0, "texts": [], "attributes": [{"id": id, "attributes": {"class": format!("grid c{}", s.rng.below(200)), "data-owner": s.name()}}], "removes": [], "adds": []})
            }
            _ => match s.removable.pop() {
                Some((id, parent)) => {
                    s.removed.insert(id);
                    json!({"source": 0, "texts": [], "attributes": [], "removes": [{"parentId": parent, "id": id}], "adds": []})
                }
                None => json!({"source": 3, "id": 1, "x": 0, "y": 0}),
            },
        };
        events.push(json!({"type": 3, "data": data, "timestamp": t}));
    }
    events.iter().map(Value::to_string).collect()
}

// ------------------------------------------------------------- the runs

/// What a server that reads and writes the events must do at least.
fn baseline(events: &[String]) -> usize {
    let mut bytes = 0;
    for event in events {
        let value: Value = serde_json::from_str(event).expect("generated JSON");
        bytes += serde_json::to_string(&value).expect("serializes").len();
    }
    bytes
}

fn mask(policy: &Policy, context: &Context, events: &[String]) -> usize {
    let mut session = Session::new(policy, context.clone());
    let mut bytes = 0;
    for event in events {
        bytes += session
            .mask_event(event.as_bytes())
            .events
            .iter()
            .map(String::len)
            .sum::<usize>();
    }
    bytes
}

fn main() {
    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    let started = SystemTime::now();

    let events = generate_stream(20_000, 3_000, 0x5E55);
    let total: usize = events.iter().map(String::len).sum();
    let shop = shop_policy();
    let private = compile("empty.scrim", "scrim 1\n");
    let context = Context {
        url: "https://shop.example.com/checkout/step-2".to_string(),
        consent: vec!["session-replay".to_string()],
        region: None,
    };

    // Guard the comparison: the session keeps every event, and what it
    // keeps is masked.
    let mut session = Session::new(&shop, context.clone());
    let mut masked = String::new();
    for event in &events {
        for out in session.mask_event(event.as_bytes()).events {
            masked.push_str(&out);
        }
    }
    let stats = session.stats();
    eprintln!(
        "stream: {} events, {:.1} MB; masked (shop policy) {:.1} MB, {} events kept",
        events.len(),
        total as f64 / 1e6,
        masked.len() as f64 / 1e6,
        stats.events_out
    );
    assert_eq!(stats.events_out, events.len() as u64, "{stats:?}");
    for secret in ["hunter2", "4242 4242", "jane.doe@example.com"] {
        assert!(!masked.contains(secret), "`{secret}` in the masked stream");
    }

    let mut group = c.benchmark_group("events");
    group.throughput(Throughput::Bytes(total as u64));
    group.bench_function("serde_json-parse-serialize", |b| {
        b.iter(|| black_box(baseline(black_box(&events))))
    });
    group.bench_function("scrim-mask-shop", |b| {
        b.iter(|| black_box(mask(&shop, &context, black_box(&events))))
    });
    group.bench_function("scrim-mask-private-default", |b| {
        b.iter(|| black_box(mask(&private, &context, black_box(&events))))
    });
    group.finish();

    c.final_summary();

    let t = |id: &str| mean_ns("events", id, started);
    println!("\nratios (this run):");
    print_ratio(
        "mask-events (shop policy) / serde_json parse+serialize",
        t("scrim-mask-shop"),
        t("serde_json-parse-serialize"),
        "<= 1.5",
    );
    print_ratio(
        "mask-events (private defaults) / serde_json parse+serialize",
        t("scrim-mask-private-default"),
        t("serde_json-parse-serialize"),
        "<= 1.5",
    );
}

//! Robustness: pages as deep and wide as hostile streams make them, on a
//! small stack; random recordings masked twice (idempotence); random
//! recordings whose output must hold nothing that was masked when it was
//! written; arbitrary bytes and broken events never panic.

mod common;

use common::recorder::{Data, Recorder, Spec, el, text};
use proptest::prelude::*;
use scrim_rrweb::{DropReason, Session};

/// Runs `f` on a thread with a 2 MiB stack, as a browser's worker or a
/// server's task might have.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

const POLICY: &str = "scrim 1\nmask text \".private\"\nallow text \".public\"\nallow value \".public input\"\nblock \".ad\"\n";

#[test]
fn a_snapshot_100000_levels_deep_is_masked_on_a_small_stack() {
    on_small_stack(|| {
        let policy = common::policy(POLICY);
        let mut r = Recorder::new();
        let depth = 100_000;
        let mut spec = text("deepest secret");
        for k in 0..depth {
            let class = if k == depth - 1 { "public" } else { "" };
            spec = el("div", &[("class", class)], vec![spec]);
        }
        let top = r.build(Recorder::BODY, &spec);
        let events = r.start("https://shop.example.com/");
        let mut session = Session::new(&policy, common::context("", &[]));
        let out: Vec<String> = events
            .iter()
            .flat_map(|e| session.mask_event(e.as_bytes()).events)
            .collect();
        assert_eq!(out.len(), 2);
        // The outermost `div` is public: text under it is captured.
        assert!(out[1].contains("deepest secret"));
        assert_eq!(session.stats().dropped_total(), 0);
        // A change at the bottom, then the whole tree blocked and removed.
        let deepest_text = r.nodes.len() - 1;
        let e = r.set_text(deepest_text, "still deep");
        assert!(session.mask_event(e.as_bytes()).events[0].contains("still deep"));
        let e = r.set_attr(top, "class", Some("ad"));
        let out = session.mask_event(e.as_bytes()).events;
        assert!(out[0].contains("data-scrim-blocked"), "{}", &out[0][..200]);
        let e = r.remove(top);
        assert_eq!(session.mask_event(e.as_bytes()).events.len(), 1);
    });
}

#[test]
fn an_add_100000_levels_deep_is_masked_on_a_small_stack() {
    on_small_stack(|| {
        let policy = common::policy(POLICY);
        let mut r = Recorder::new();
        let mut session = Session::new(&policy, common::context("", &[]));
        for e in r.start("https://shop.example.com/") {
            session.mask_event(e.as_bytes());
        }
        let depth = 100_000;
        // One add entry per node, each the child of the one before, as
        // rrweb flattens an added subtree.
        let mut spec = text("deep text");
        for _ in 0..depth {
            spec = el("span", &[], vec![spec]);
        }
        let spec = el("div", &[("class", "public")], vec![spec]);
        let (_, event) = r.add(Recorder::BODY, None, &spec);
        let out = session.mask_event(event.as_bytes()).events;
        assert_eq!(out.len(), 1);
        assert!(out[0].contains("deep text"));
        // The same subtree as one add whose node holds it all.
        let mut node = String::new();
        for _ in 0..depth {
            node.push_str("{\"type\":2,\"tagName\":\"i\",\"attributes\":{},\"childNodes\":[");
        }
        node.push_str("{\"type\":3,\"textContent\":\"one add\",\"id\":900000}");
        for k in 0..depth {
            node.push_str(&format!("],\"id\":{}}}", 800_000 + k));
        }
        let event = format!(
            "{{\"type\":3,\"data\":{{\"source\":0,\"texts\":[],\"attributes\":[],\"removes\":[],\"adds\":[{{\"parentId\":{},\"nextId\":null,\"node\":{node}}}]}},\"timestamp\":1}}",
            r.id(Recorder::BODY)
        );
        let out = session.mask_event(event.as_bytes()).events;
        assert_eq!(out.len(), 1);
        // Text is masked by default.
        assert!(out[0].contains("\"*** ***\""));
        assert_eq!(session.stats().dropped_total(), 0);
    });
}

#[test]
fn a_page_100000_elements_wide_is_masked() {
    // Sibling selectors: inserting a node changes the decision of the one
    // after it. (`:nth-child()` on 100,000 siblings is linear too, but the
    // `selectors` crate checks its cache against a full count in debug
    // builds; the structural test below uses it on fewer.)
    let policy = common::policy("scrim 1\ndefault text capture\nmask text \".secret + li\"\n");
    let mut r = Recorder::new();
    let children: Vec<Spec> = (0..100_000)
        .map(|k| el("li", &[], vec![text(&format!("item{k}"))]))
        .collect();
    let list = r.build(Recorder::BODY, &el("ul", &[], children));
    let mut session = Session::new(&policy, common::context("", &[]));
    let out: Vec<String> = r
        .start("https://shop.example.com/")
        .iter()
        .flat_map(|e| session.mask_event(e.as_bytes()).events)
        .collect();
    assert!(out[1].contains("\"item0\"") && out[1].contains("\"item99999\""));
    // A `.secret` item inserted first: the item after it, in the replay in
    // clear, is written again masked in the same mutation.
    let first = r.nodes[list].children[0];
    let (_, e) = r.add(
        list,
        Some(first),
        &el("li", &[("class", "secret")], vec![text("new")]),
    );
    let out = session.mask_event(e.as_bytes()).events;
    assert_eq!(out.len(), 1);
    let first_text = r.id(r.nodes[first].children[0]);
    assert!(
        out[0].contains(&format!("{{\"id\":{first_text},\"value\":\"*****\"}}")),
        "{}",
        out[0]
    );
    assert!(!out[0].contains("item0"));
}

#[test]
fn structural_selectors_follow_insertions_and_removals() {
    let policy = common::policy(
        "scrim 1\ndefault text capture\nmask text \"li:nth-child(2n)\"\nmask text \"p:empty + span\"\n",
    );
    let mut r = Recorder::new();
    let items: Vec<Spec> = (0..6)
        .map(|k| el("li", &[], vec![text(&format!("item{k}"))]))
        .collect();
    let list = r.build(Recorder::BODY, &el("ul", &[], items));
    let p = r.build(Recorder::BODY, &el("p", &[], vec![text("full")]));
    r.build(Recorder::BODY, &el("span", &[], vec![text("after p")]));
    let mut session = Session::new(&policy, common::context("", &[]));
    let out: Vec<String> = r
        .start("https://shop.example.com/")
        .iter()
        .flat_map(|e| session.mask_event(e.as_bytes()).events)
        .collect();
    assert!(
        out[1].contains("\"item0\"") && !out[1].contains("item1") && out[1].contains("\"after p\"")
    );
    // Removing the first item moves every other item to the other parity:
    // those now even, in clear, are written again masked.
    let e = r.remove(r.nodes[list].children[0]);
    let out = session.mask_event(e.as_bytes()).events;
    assert_eq!(out.len(), 1);
    for k in [2, 4] {
        let t = r.id(r.nodes[r.nodes[list].children[k - 1]].children[0]);
        assert!(
            out[0].contains(&format!("{{\"id\":{t},\"value\":\"*****\"}}")),
            "{k}: {}",
            out[0]
        );
    }
    // Emptying the paragraph makes the span after it masked.
    let e = r.remove(r.nodes[p].children[0]);
    let out = session.mask_event(e.as_bytes()).events;
    assert!(out[0].contains("\"***** *\""), "{}", out[0]);
}

/// One change to a random page.
#[derive(Debug, Clone)]
enum Op {
    Add {
        at: u16,
        classes: Vec<u8>,
        input: bool,
    },
    Remove(u16),
    Class(u16, u8),
    Text(u16),
    Type(u16, bool),
    Input(u16),
    Click(u16),
    Snapshot,
}

const CLASSES: [&str; 6] = ["", "private", "public", "ad", "public private", "note"];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (any::<u16>(), proptest::collection::vec(0u8..6, 1..4), any::<bool>())
            .prop_map(|(at, classes, input)| Op::Add { at, classes, input }),
        1 => any::<u16>().prop_map(Op::Remove),
        3 => (any::<u16>(), 0u8..6).prop_map(|(n, c)| Op::Class(n, c)),
        3 => any::<u16>().prop_map(Op::Text),
        1 => (any::<u16>(), any::<bool>()).prop_map(|(n, p)| Op::Type(n, p)),
        2 => any::<u16>().prop_map(Op::Input),
        1 => any::<u16>().prop_map(Op::Click),
        1 => Just(Op::Snapshot),
    ]
}

/// A recording of random changes, with the tokens each event may show in
/// clear: the text of recorded nodes whose text the policy captures after
/// it (the oracle below).
struct Built {
    events: Vec<String>,
    /// For each event: the tokens allowed in its output.
    allowed: Vec<Vec<String>>,
    /// Every token written.
    tokens: Vec<String>,
}

fn classes_of(r: &Recorder, i: usize) -> Vec<String> {
    match &r.nodes[i].data {
        Data::Element { attrs, .. } => attrs
            .iter()
            .find(|(n, _)| n == "class")
            .map(|(_, v)| v.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// Whether the text children of element `i` are captured under `POLICY`:
/// nothing blocked above, and the nearest element with a rule allows (mask
/// beats allow on the same element; the default masks).
fn captured(r: &Recorder, i: usize) -> bool {
    let mut decided = None;
    let mut cur = Some(i);
    while let Some(c) = cur {
        let classes = classes_of(r, c);
        if classes.iter().any(|k| k == "ad") {
            return false;
        }
        let private = classes.iter().any(|k| k == "private");
        let public = classes.iter().any(|k| k == "public");
        if decided.is_none() && (private || public) {
            decided = Some(public && !private);
        }
        cur = r.nodes[c].parent;
    }
    decided.unwrap_or(false)
}

/// Whether the value of input `i` is captured under `POLICY`: nothing
/// blocked above, a `.public` element above it, and never a password.
fn value_captured(r: &Recorder, i: usize, ever_password: &[usize]) -> bool {
    if ever_password.contains(&i) {
        return false;
    }
    let mut public = false;
    let mut cur = Some(i);
    while let Some(c) = cur {
        let classes = classes_of(r, c);
        if classes.iter().any(|k| k == "ad") {
            return false;
        }
        public |= c != i && classes.iter().any(|k| k == "public");
        cur = r.nodes[c].parent;
    }
    public
}

fn allowed_now(r: &Recorder, values: &[(usize, String)], ever_password: &[usize]) -> Vec<String> {
    let texts = r
        .nodes
        .iter()
        .filter(|n| n.alive)
        .filter_map(|n| match &n.data {
            Data::Text(t) => n.parent.filter(|&p| captured(r, p)).map(|_| t.clone()),
            _ => None,
        });
    let values = values
        .iter()
        .filter(|(i, _)| r.nodes[*i].alive && value_captured(r, *i, ever_password))
        .map(|(_, v)| v.clone());
    texts.chain(values).collect()
}

fn build(ops: &[Op]) -> Built {
    let mut r = Recorder::new();
    let mut tokens = Vec::new();
    let token = |tokens: &mut Vec<String>| {
        let t = format!("T{}Z", tokens.len());
        tokens.push(t.clone());
        t
    };
    let mut built = Built {
        events: Vec::new(),
        allowed: Vec::new(),
        tokens: Vec::new(),
    };
    // Every value typed into each input (the replay's `value` attribute
    // keeps the one the last snapshot wrote), and the inputs that were ever
    // of type password.
    let mut values: Vec<(usize, String)> = Vec::new();
    let mut ever_password: Vec<usize> = Vec::new();
    let push = |r: &Recorder,
                built: &mut Built,
                events: Vec<String>,
                values: &[(usize, String)],
                ever_password: &[usize]| {
        let allowed = allowed_now(r, values, ever_password);
        for e in events {
            built.events.push(e);
            built.allowed.push(allowed.clone());
        }
    };
    let start = r.start("https://shop.example.com/");
    push(&r, &mut built, start, &values, &ever_password);
    let pick = |r: &Recorder, n: u16, want: &dyn Fn(&Data) -> bool| {
        let candidates: Vec<usize> = (0..r.nodes.len())
            .filter(|&i| r.nodes[i].alive && i > Recorder::HTML && want(&r.nodes[i].data))
            .collect();
        (!candidates.is_empty()).then(|| candidates[n as usize % candidates.len()])
    };
    let element = |d: &Data| matches!(d, Data::Element { .. });
    let is_text = |d: &Data| matches!(d, Data::Text(_));
    let is_input = |d: &Data| matches!(d, Data::Element { tag, .. } if tag == "input");
    let container = |d: &Data| matches!(d, Data::Element { tag, .. } if tag != "input");
    for op in ops {
        let events = match op {
            Op::Add { at, classes, input } => {
                let Some(parent) = pick(&r, *at, &container) else {
                    continue;
                };
                let mut spec = if *input {
                    el("input", &[("title", &token(&mut tokens))], vec![])
                } else {
                    text(&token(&mut tokens))
                };
                for c in classes {
                    spec = el(
                        "div",
                        &[
                            ("class", CLASSES[*c as usize]),
                            ("title", &token(&mut tokens)),
                        ],
                        vec![text(&token(&mut tokens)), spec],
                    );
                }
                vec![r.add(parent, None, &spec).1]
            }
            Op::Remove(n) => match pick(&r, *n, &element) {
                Some(i) => vec![r.remove(i)],
                None => continue,
            },
            Op::Class(n, c) => match pick(&r, *n, &element) {
                Some(i) => vec![r.set_attr(i, "class", Some(CLASSES[*c as usize]))],
                None => continue,
            },
            Op::Text(n) => match pick(&r, *n, &is_text) {
                Some(i) => {
                    let t = token(&mut tokens);
                    vec![r.set_text(i, &t)]
                }
                None => continue,
            },
            Op::Type(n, password) => match pick(&r, *n, &is_input) {
                Some(i) => {
                    if *password {
                        ever_password.push(i);
                    }
                    vec![r.set_attr(i, "type", Some(if *password { "password" } else { "text" }))]
                }
                None => continue,
            },
            Op::Input(n) => match pick(&r, *n, &is_input) {
                Some(i) => {
                    let t = token(&mut tokens);
                    values.push((i, t.clone()));
                    vec![r.input(i, &t, false)]
                }
                None => continue,
            },
            Op::Click(n) => match pick(&r, *n, &element) {
                Some(i) => vec![r.click(i)],
                None => continue,
            },
            Op::Snapshot => r.start("https://shop.example.com/"),
        };
        push(&r, &mut built, events, &values, &ever_password);
    }
    built.tokens = tokens;
    built
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// No token appears in an event's output unless it is the current text
    /// of a node whose text the policy captures after that event: masked
    /// text, values, sensitive attributes and blocked content never show,
    /// whatever the order of changes.
    #[test]
    fn nothing_masked_when_written_is_ever_written_in_clear(ops in proptest::collection::vec(op(), 0..40)) {
        let built = build(&ops);
        let policy = common::policy(POLICY);
        let mut session = Session::new(&policy, common::context("", &[]));
        for (e, allowed) in built.events.iter().zip(&built.allowed) {
            for out in session.mask_event(e.as_bytes()).events {
                for t in &built.tokens {
                    prop_assert!(
                        !out.contains(t.as_str()) || allowed.contains(t),
                        "token {} leaked by {} in {}", t, e, out
                    );
                }
            }
        }
        prop_assert_eq!(session.stats().dropped(DropReason::Malformed), 0);
        prop_assert_eq!(session.stats().dropped(DropReason::UnknownNode), 0);
    }

    /// What a replay shows never holds content whose channel is masked
    /// now: text that was captured and then became masked was written
    /// again masked, values and sensitive attributes never show.
    #[test]
    fn a_replay_never_shows_content_masked_now(ops in proptest::collection::vec(op(), 0..40)) {
        let built = build(&ops);
        let policy = common::policy(POLICY);
        let mut session = Session::new(&policy, common::context("", &[]));
        let mut replay = common::replay::Replay::default();
        for (e, allowed) in built.events.iter().zip(&built.allowed) {
            for out in session.mask_event(e.as_bytes()).events {
                replay.apply(&out);
            }
            for node in replay.nodes.values() {
                let shown = [node.text.as_str(), node.value.as_deref().unwrap_or("")]
                    .into_iter()
                    .chain(node.attrs.values().map(String::as_str));
                for s in shown {
                    if let Some(t) = built.tokens.iter().find(|t| s.contains(t.as_str())) {
                        let in_text = s == node.text && node.kind == 3;
                        let in_value = node.value.as_deref() == Some(s)
                            || (node.tag == "input" && node.attrs.get("value").map(String::as_str) == Some(s));
                        prop_assert!(
                            (in_text || in_value) && allowed.contains(t),
                            "the replay shows {} after {}", t, e
                        );
                    }
                }
            }
        }
    }

    /// Masking the masked recording again changes nothing.
    #[test]
    fn masking_is_idempotent(ops in proptest::collection::vec(op(), 0..40)) {
        let built = build(&ops);
        let policy = common::policy(POLICY);
        let (once, _) = common::mask_all(&policy, common::context("", &[]), &built.events);
        let (twice, _) = common::mask_all(&policy, common::context("", &[]), &once);
        prop_assert_eq!(twice, once);
    }

    /// Arbitrary bytes are dropped as malformed, never a panic.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let policy = common::policy(POLICY);
        let mut session = Session::new(&policy, common::context("https://shop.example.com/", &[]));
        let out = session.mask_event(&bytes);
        let object = bytes.first() == Some(&b'{');
        prop_assert!(out.events.is_empty() || object, "{:?}", out);
    }

    /// Recorded events with pieces cut out or swapped are dropped or
    /// masked, never a panic, never the cut text in clear.
    #[test]
    fn broken_events_never_panic(ops in proptest::collection::vec(op(), 0..12), cut in any::<u16>(), len in 0u8..40) {
        let built = build(&ops);
        let policy = common::policy(POLICY);
        let mut session = Session::new(&policy, common::context("", &[]));
        for e in &built.events {
            let at = cut as usize % (e.len() + 1);
            let end = (at + len as usize).min(e.len());
            let (a, b) = (e.get(..at), e.get(end..));
            if let (Some(a), Some(b)) = (a, b) {
                session.mask_event(format!("{a}{b}").as_bytes());
            }
            session.mask_event(e.as_bytes());
        }
    }
}

//! A quick, ignored timing check of how rule count affects a walk
//! (`cargo test --release -p scrim-matcher --test perf_smoke -- --ignored --nocapture`).
//! The real benchmarks live in `benches/`.

mod common;

use common::*;
use scrim_artifact::Action;
use scrim_matcher::{Context, Policy};
use std::time::Instant;

fn tree(n: usize) -> Tree {
    let mut t = Tree::default();
    let root = t.add(None, Attach::Light, "html", &[]);
    let mut parents = vec![root];
    for i in 1..n {
        let p = parents[(i * 7919) % parents.len()];
        let class = format!("c{} k{}", i % 500, i % 37);
        let id = format!("e{i}");
        let tag = ["div", "span", "p", "input", "a"][i % 5];
        let e = t.add(
            Some(p),
            Attach::Light,
            tag,
            &[("class", &class), ("id", &id)],
        );
        if parents.len() < 5000 {
            parents.push(e);
        }
    }
    t
}

fn walk_time(t: &Tree, rules: usize) -> f64 {
    let mut a = empty_artifact();
    for i in 0..rules {
        let sel = match i % 4 {
            0 => format!(".c{} .k{}", i % 500, i % 37),
            1 => format!("#e{}", i * 13),
            2 => format!("div.c{} > span", (i * 3) % 500),
            _ => format!("[data-r{i}] p"),
        };
        let action = if i % 3 == 0 {
            Action::Allow
        } else {
            Action::Mask
        };
        a.rules
            .push(rule(&format!("r{i}"), action, &["text", "value"], &sel));
    }
    let policy = Policy::from_artifact(a).unwrap();
    let page = policy.page(&Context {
        url: "https://x.example/".into(),
        ..Context::default()
    });
    let order = t.order();
    let start = Instant::now();
    let mut w = page.walker();
    let mut masked = 0usize;
    for &(id, depth) in &order {
        while w.depth() > depth {
            w.leave();
        }
        if !w.enter(t.el(id)).text.is_capture() {
            masked += 1;
        }
    }
    std::hint::black_box(masked);
    start.elapsed().as_secs_f64()
}

#[test]
#[ignore]
fn rule_count_barely_matters() {
    let t = tree(100_000);
    let small = walk_time(&t, 10);
    let large = walk_time(&t, 1000);
    eprintln!(
        "10 rules: {small:.3}s, 1000 rules: {large:.3}s, ratio {:.2}",
        large / small
    );
}

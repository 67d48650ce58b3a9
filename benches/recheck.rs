//! The editor's re-check: how long the language server takes, after a
//! one-character edit of a 2,000-line policy, to have the new diagnostics
//! (parse, compile and lint) ready to publish. The design's target is
//! under 50 ms.
//!
//! The policy is generated deterministically, shaped like the examples:
//! sections headed by comments, rules with comments above some of them
//! and blank lines between groups (masks, allows, sealed masks, blocks,
//! attribute and value rules, ignored events, strategies, names), `on
//! page` blocks with a default and their allows, `when consent` blocks,
//! presets, page decisions, built-in and custom detectors, redaction.
//!
//! Benchmarks (group `recheck`):
//! - `edit-to-diagnostics`: a `didChange` with one character inserted (or
//!   removed again) in a selector in the middle of the file, handled by
//!   `scrim_lsp::Server`, then `publish_stale()`, which checks the document
//!   and returns its `publishDiagnostics` message: what the server does
//!   between a keystroke and the editor's new squiggles.
//! - `parse`, `compile`, `compile-and-lint`: the steps on their own, with
//!   the crates' own APIs, to see where the time goes.
//!
//! After the run, a summary prints the medians of this run.

mod common;

use common::Rng;
use criterion::Criterion;
use lsp_server::{Message, Notification};
use serde_json::json;
use std::hint::black_box;
use std::time::{Duration, SystemTime};

const LINES: usize = 2_000;
const URI: &str = "file:///bench/policy.scrim";

/// A policy of at least `lines` lines, and the line and column of a
/// selector to edit in its middle.
fn policy(lines: usize, rng: &mut Rng) -> (String, u32, u32) {
    let mut out = String::from(
        "scrim 1\n\n\
         # Session replay for https://shop.example.com, generated for the re-check bench.\n\n\
         preset rrweb, sentry\n\
         require consent session-replay\n\
         record only \"https://shop.example.com/*\"\n\
         never record \"https://shop.example.com/account/password*\", \"/admin/*\"\n\n\
         default text capture\n\
         default media capture\n\n\
         detect email, card, phone\n\
         detect order-number /ORD-\\d{10}/ examples \"ORD-0000012345\"\n\
         redact query token, email\n",
    );
    let mut count = out.lines().count();
    let mut edit_at = None;
    let mut n = 0usize;
    let push = |out: &mut String, count: &mut usize, line: String| {
        out.push_str(&line);
        out.push('\n');
        *count += 1;
    };
    while count < lines {
        n += 1;
        push(&mut out, &mut count, String::new());
        push(
            &mut out,
            &mut count,
            format!("# ---- area {n} -------------------------------------------"),
        );
        push(&mut out, &mut count, String::new());
        match rng.below(10) {
            0..=5 => {
                for _ in 0..3 + rng.below(6) {
                    n += 1;
                    if rng.chance(0.5) {
                        push(
                            &mut out,
                            &mut count,
                            format!("# what area {n} shows, and why it is kept or hidden"),
                        );
                    }
                    let rule = match rng.below(9) {
                        0 => format!("mask text \".c{n}-name, .c{n}-address\" as customer-{n}"),
                        1 => {
                            if edit_at.is_none() && count > lines / 2 {
                                edit_at = Some(count as u32);
                            }
                            format!("allow text \"h1.c{n}, .c{n} .title\"")
                        }
                        2 => format!("mask sealed value \"form.c{n} input[autocomplete^='cc-']\""),
                        3 => format!("block \"iframe.c{n}-widget\""),
                        4 => format!("mask attr:data-user-{n}, attributes \"[data-user-{n}]\""),
                        5 => format!("ignore events \".c{n}-canvas\""),
                        6 => format!("allow value \"input[name='q{n}']\""),
                        7 => format!("mask value \"#gift-{n}\" with \"[gift]\""),
                        _ => format!("mask text \".c{n}-points\" with length 6"),
                    };
                    push(&mut out, &mut count, rule);
                }
            }
            6 | 7 => {
                push(
                    &mut out,
                    &mut count,
                    format!("on page \"https://shop.example.com/s{n}/*\", \"/orders/{n}/*\" {{"),
                );
                push(&mut out, &mut count, "  default text mask".to_string());
                for i in 0..2 + rng.below(4) {
                    push(
                        &mut out,
                        &mut count,
                        format!("  allow text \".s{n}-summary-{i}, .s{n} h2\""),
                    );
                }
                push(&mut out, &mut count, "}".to_string());
            }
            8 => {
                push(
                    &mut out,
                    &mut count,
                    format!("when consent marketing-{n} {{"),
                );
                push(
                    &mut out,
                    &mut count,
                    format!("  allow media \"img.promo-{n}\""),
                );
                push(
                    &mut out,
                    &mut count,
                    format!("  mask text \".promo-{n} .price\""),
                );
                push(&mut out, &mut count, "}".to_string());
            }
            _ => {
                push(
                    &mut out,
                    &mut count,
                    format!("# Area {n} is reviewed every quarter with the privacy team;"),
                );
                push(
                    &mut out,
                    &mut count,
                    "# rules below it follow the checkout's, so that the two".to_string(),
                );
                push(
                    &mut out,
                    &mut count,
                    "# stay consistent when either changes.".to_string(),
                );
            }
        }
    }
    let line = edit_at.expect("an allow rule in the second half");
    // `allow text "h1.` is 15 characters: the edit goes before the class.
    (out, line, 15)
}

/// The processor time this thread spends in the measured code, from
/// `/proc/thread-self/stat` (Linux; in clock ticks of 10 ms, so it is read
/// over many iterations). On a shared machine the wall-clock time also
/// counts the time other processes hold the processor; this does not.
#[derive(Default)]
struct CpuTime {
    ticks: u64,
    started: Option<u64>,
    iterations: u64,
}

impl CpuTime {
    fn now() -> Option<u64> {
        let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
        // The fields after the command name (which may hold spaces),
        // counted from the state (field 3): utime and stime are 14 and 15.
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
    }

    fn start(&mut self) {
        self.started = CpuTime::now();
    }

    fn stop(&mut self) {
        if let (Some(started), Some(now)) = (self.started.take(), CpuTime::now()) {
            self.ticks += now - started;
            self.iterations += 1;
        }
    }

    fn per_iteration_ms(&self) -> Option<f64> {
        (self.iterations > 0).then(|| self.ticks as f64 * 10.0 / self.iterations as f64)
    }
}

fn notification(method: &str, params: serde_json::Value) -> Message {
    Message::Notification(Notification::new(method.to_string(), params))
}

fn main() {
    let mut c = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    let started = SystemTime::now();

    let (text, line, column) = policy(LINES, &mut Rng::new(0x5C21));
    let compilation = scrim_compiler::compile("policy.scrim", &text, &scrim_compiler::NoFiles);
    assert!(!compilation.has_errors(), "{:?}", compilation.diagnostics);
    let findings = scrim_lint::lint(&compilation);
    let artifact = compilation.artifact.as_ref().expect("no errors");
    eprintln!(
        "policy: {} lines, {} bytes, {} rules ({} with the presets), {} lint findings",
        text.lines().count(),
        text.len(),
        artifact
            .rules
            .iter()
            .filter(|r| !r.id.starts_with("preset:"))
            .count(),
        artifact.rules.len(),
        findings.len()
    );

    let mut server = scrim_lsp::Server::new(Box::new(|_, _| Box::new(scrim_compiler::NoFiles)));
    server.handle(notification(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": URI, "languageId": "scrim", "version": 0, "text": text } }),
    ));
    let opened = server.publish_stale();
    assert_eq!(opened.len(), 1, "the document's diagnostics");

    let mut group = c.benchmark_group("recheck");
    let mut version = 0;
    let mut cpu = CpuTime::default();
    group.bench_function("edit-to-diagnostics", |b| {
        b.iter(|| {
            cpu.start();
            version += 1;
            // Insert an `x`, then remove it again: every edit is one
            // character, and the policy stays the same size.
            let (end, insert) = if version % 2 == 1 {
                (column, "x")
            } else {
                (column + 1, "")
            };
            server.handle(notification(
                "textDocument/didChange",
                json!({
                    "textDocument": { "uri": URI, "version": version },
                    "contentChanges": [{
                        "range": {
                            "start": { "line": line, "character": column },
                            "end": { "line": line, "character": end },
                        },
                        "text": insert,
                    }],
                }),
            ));
            let published = server.publish_stale();
            assert_eq!(published.len(), 1);
            cpu.stop();
            black_box(published)
        })
    });
    let source = scrim_syntax::SourceFile::new("policy.scrim", text.as_str());
    group.bench_function("parse", |b| {
        b.iter(|| black_box(scrim_syntax::parse(black_box(&source))))
    });
    group.bench_function("compile", |b| {
        b.iter(|| {
            black_box(scrim_compiler::compile(
                "policy.scrim",
                black_box(&text),
                &scrim_compiler::NoFiles,
            ))
        })
    });
    group.bench_function("compile-and-lint", |b| {
        b.iter(|| {
            let compilation =
                scrim_compiler::compile("policy.scrim", black_box(&text), &scrim_compiler::NoFiles);
            black_box(scrim_lint::lint(&compilation))
        })
    });
    group.finish();
    c.final_summary();

    println!("\nmedians (this run):");
    if let Some(ms) = cpu.per_iteration_ms() {
        println!(
            "  {:<22} {ms:>8.2} ms of processor time per re-check, over {} re-checks",
            "edit-to-diagnostics", cpu.iterations
        );
    }
    for (id, target) in [
        ("edit-to-diagnostics", " (target < 50 ms)"),
        ("parse", ""),
        ("compile", ""),
        ("compile-and-lint", ""),
    ] {
        match common::median_ns("recheck", id, started) {
            Some(ns) => println!("  {id:<22} {:>8.2} ms{target}", ns / 1e6),
            None => println!("  {id:<22} {:>8} (not measured in this run)", "-"),
        }
    }
}

//! Shared by the benches: a deterministic random generator (so every run
//! measures the same inputs, with no `rand` dependency) and the ratio summary
//! printed after a bench run, read back from criterion's own estimates;
//! and policies compiled as the command compiles them.
#![allow(dead_code)] // each bench uses part of it

use std::path::PathBuf;
use std::time::SystemTime;

/// SplitMix64: tiny, fast, and the same sequence on every machine.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// Uniform in `0.0..1.0`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Skewed towards small indices, like real class usage: a few classes
    /// are everywhere, most are rare.
    pub fn skewed(&mut self, n: usize) -> usize {
        let u = self.unit();
        ((u * u * u) * n as f64) as usize % n
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Picks by weight: `items` are `(weight, value)`.
    pub fn weighted<'a, T>(&mut self, items: &'a [(u32, T)]) -> &'a T {
        let total: u32 = items.iter().map(|(w, _)| w).sum();
        let mut r = self.below(total as usize) as u32;
        for (w, v) in items {
            if r < *w {
                return v;
            }
            r -= w;
        }
        &items[items.len() - 1].1
    }
}

/// Where criterion writes its estimates (the same search it does, minus the
/// `cargo metadata` call: this workspace keeps its target dir at the root).
fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(target).join("criterion");
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("criterion")
}

/// The mean time in nanoseconds criterion measured for `group/id` in this
/// run (estimates older than `since` are stale and ignored, so a filtered
/// run never mixes in figures from an earlier one).
pub fn mean_ns(group: &str, id: &str, since: SystemTime) -> Option<f64> {
    estimate(group, id, since, "mean")
}

/// The median time in nanoseconds criterion measured for `group/id` in
/// this run (see [`mean_ns`]).
pub fn median_ns(group: &str, id: &str, since: SystemTime) -> Option<f64> {
    estimate(group, id, since, "median")
}

fn estimate(group: &str, id: &str, since: SystemTime, statistic: &str) -> Option<f64> {
    let path = criterion_dir()
        .join(group)
        .join(id)
        .join("new")
        .join("estimates.json");
    let modified = std::fs::metadata(&path).ok()?.modified().ok()?;
    if modified < since {
        return None;
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    json[statistic]["point_estimate"].as_f64()
}

/// Prints one line of the ratio summary.
pub fn print_ratio(label: &str, numerator: Option<f64>, denominator: Option<f64>, target: &str) {
    match (numerator, denominator) {
        (Some(n), Some(d)) if d > 0.0 => {
            println!("  {label:<58} {:>8.2}   (target {target})", n / d)
        }
        _ => println!("  {label:<58} {:>8}   (not measured in this run)", "-"),
    }
}

/// Reads a policy's includes from disk.
struct Fs;

impl scrim_compiler::Loader for Fs {
    fn load(&self, path: &str) -> Result<String, String> {
        std::fs::read_to_string(path).map_err(|e| e.to_string())
    }
}

/// Compiles policy `text` (found at `path`, which its includes are read
/// relative to) and loads it, as the command does; panics on an error.
pub fn compile(path: &str, text: &str) -> scrim_matcher::Policy {
    let compilation = scrim_compiler::compile(path, text, &Fs);
    assert!(!compilation.has_errors(), "{:?}", compilation.diagnostics);
    scrim_matcher::Policy::from_artifact(compilation.artifact.expect("no errors")).expect("loads")
}

/// `examples/shop.scrim`: presets, rules, detectors and URL redaction.
pub fn shop_policy() -> scrim_matcher::Policy {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/shop.scrim");
    compile(path, &std::fs::read_to_string(path).expect("the example"))
}

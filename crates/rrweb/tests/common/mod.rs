//! What the tests share: compiling a policy, masking a recording, and
//! building rrweb events from a small DOM model.

#![allow(dead_code)]

pub mod recorder;
pub mod replay;

use scrim_matcher::{Context, Policy};
use scrim_rrweb::{DropReason, Session, Stats};

/// Compiles policy text; panics with the diagnostics when it has errors.
pub fn policy(text: &str) -> Policy {
    let compiled = scrim_compiler::compile("test.scrim", text, &scrim_compiler::NoFiles);
    let artifact = compiled.artifact.unwrap_or_else(|| {
        panic!(
            "policy does not compile: {:?}",
            compiled
                .diagnostics
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
        )
    });
    Policy::from_artifact(artifact).expect("policy loads")
}

/// A recording context at `url` (empty: the stream's Meta events say).
pub fn context(url: &str, consent: &[&str]) -> Context {
    Context {
        url: url.to_string(),
        consent: consent.iter().map(|c| c.to_string()).collect(),
        region: None,
    }
}

/// Masks every event of a recording in one session.
pub fn mask_all(policy: &Policy, context: Context, events: &[String]) -> (Vec<String>, Stats) {
    let mut session = Session::new(policy, context);
    let mut out = Vec::new();
    for e in events {
        out.extend(session.mask_event(e.as_bytes()).events);
    }
    (out, session.stats().clone())
}

/// What the counters counted since `before`.
pub fn since(now: &Stats, before: &Stats) -> Counts {
    Counts {
        events_in: now.events_in - before.events_in,
        events_out: now.events_out - before.events_out,
        masked: now.masked - before.masked,
        dropped: DropReason::ALL.map(|r| now.dropped(r) - before.dropped(r)),
    }
}

/// Counters, as numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counts {
    pub events_in: u64,
    pub events_out: u64,
    pub masked: u64,
    pub dropped: [u64; DropReason::ALL.len()],
}

impl From<&Stats> for Counts {
    fn from(s: &Stats) -> Counts {
        since(s, &Stats::default())
    }
}

/// The counters in one line.
pub fn stats_line(counts: &Counts) -> String {
    let mut line = format!(
        "in {} out {} masked {}",
        counts.events_in, counts.events_out, counts.masked
    );
    for (k, reason) in DropReason::ALL.into_iter().enumerate() {
        let n = counts.dropped[k];
        if n > 0 {
            line.push_str(&format!("; dropped {n} {reason}"));
        }
    }
    line
}

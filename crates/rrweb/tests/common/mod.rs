//! What the tests share: compiling a policy, masking a recording, and
//! building rrweb events from a small DOM model.

#![allow(dead_code)]

pub mod recorder;

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

/// The counters in one line.
pub fn stats_line(stats: &Stats) -> String {
    let mut line = format!(
        "in {} out {} masked {}",
        stats.events_in, stats.events_out, stats.masked
    );
    for reason in DropReason::ALL {
        let n = stats.dropped(reason);
        if n > 0 {
            line.push_str(&format!("; dropped {n} {reason}"));
        }
    }
    line
}

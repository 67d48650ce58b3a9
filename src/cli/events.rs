//! `scrim mask-events`: masks an rrweb recording (a JSON array of events,
//! or one event per line) as a recorder or an ingest server running the
//! policy keeps it, using `scrim-rrweb`.
//!
//! Fail closed: a policy that does not load, or a recording that cannot be
//! read, writes nothing and exits 1. Events the masker drops (malformed,
//! naming unknown nodes, on pages that are off …) are counted on standard
//! error; the exit code is 0, as dropping them is the masker working.

use super::files::{Limit, read_input};
use super::recording::load_policy;
use super::streams::eprintln_safe;
use super::{IncludeRoots, io_reason};
use scrim_matcher::Context;
use scrim_rrweb::{DropReason, Session, Shape, Stats, split_stream};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest recording read by default: 256 MiB.
pub(crate) const EVENTS_LIMIT: u64 = 256 * 1024 * 1024;

/// The recording context on the command line.
#[derive(clap::Args)]
pub(crate) struct EventsContext {
    /// The policy: a `.scrim` file, or a compiled `.json` artifact.
    #[arg(long)]
    pub policy: PathBuf,
    /// The URL the recording starts at, for a stream that does not begin
    /// with a Meta event. From the first Meta event on, the page URL is the
    /// latest Meta event's `href`; without either, nothing is recorded.
    #[arg(long)]
    pub url: Option<String>,
    /// Consent categories the visitor granted (comma-separated).
    #[arg(long, value_delimiter = ',', value_parser = crate::cli::recording::consent_category)]
    pub consent: Vec<String>,
    /// The visitor's region code.
    #[arg(long)]
    pub region: Option<String>,
    /// Refuse recordings larger than this many bytes.
    #[arg(long, value_name = "N", default_value_t = EVENTS_LIMIT)]
    pub max_bytes: u64,
}

impl EventsContext {
    pub(crate) fn context(&self) -> Context {
        Context {
            url: self.url.clone().unwrap_or_default(),
            consent: self.consent.clone(),
            region: self.region.clone(),
        }
    }

    /// The recording's bytes (`-` or none: standard input); `None` after
    /// reporting why not.
    pub(crate) fn read(&self, input: Option<&Path>, verb: &str) -> Option<Vec<u8>> {
        let limit = Limit {
            bytes: self.max_bytes,
            what: "recordings",
        };
        let (name, result) = match input {
            Some(path) if path != Path::new("-") => {
                (format!("`{}`", path.display()), read_input(path, limit))
            }
            _ => {
                let mut bytes = Vec::new();
                let result = std::io::stdin()
                    .lock()
                    .take(limit.bytes + 1)
                    .read_to_end(&mut bytes)
                    .map_err(|e| io_reason(&e))
                    .and_then(|_| {
                        if bytes.len() as u64 > limit.bytes {
                            Err(super::files::too_large(limit))
                        } else {
                            Ok(bytes)
                        }
                    });
                ("standard input".to_string(), result)
            }
        };
        match result {
            Ok(bytes) => Some(bytes),
            Err(reason) => {
                eprintln_safe!("error: cannot {verb} {name}: {reason}");
                if reason.starts_with("larger than") {
                    eprintln_safe!("  help: raise the limit with `--max-bytes N`");
                }
                None
            }
        }
    }
}

/// What a session counted, in one line.
pub(crate) fn summary(stats: &Stats) -> String {
    let mut line = format!(
        "{} event(s) in, {} out; {} value(s) masked",
        stats.events_in, stats.events_out, stats.masked
    );
    let dropped: Vec<String> = DropReason::ALL
        .iter()
        .filter(|r| stats.dropped(**r) > 0)
        .map(|r| format!("{} {}", stats.dropped(*r), r))
        .collect();
    if dropped.is_empty() {
        line.push_str("; nothing dropped");
    } else {
        line.push_str(&format!("; dropped: {}", dropped.join(", ")));
    }
    line
}

pub(crate) fn run(
    args: &EventsContext,
    includes: &IncludeRoots,
    input: Option<&Path>,
    output: Option<&Path>,
) -> bool {
    let Some(loaded) = load_policy(&args.policy, includes) else {
        return false;
    };
    let Some(bytes) = args.read(input, "mask") else {
        return false;
    };
    let Some(stream) = split_stream(&bytes) else {
        eprintln_safe!(
            "error: cannot mask the recording: it is neither a JSON array of events nor one event per line"
        );
        eprintln_safe!("  help: a recording starts with `[` (an array) or `{{` (an event)");
        return false;
    };
    let mut session = Session::new(&loaded.policy, args.context());
    let mut out = String::with_capacity(bytes.len());
    let mut count = 0usize;
    if stream.shape == Shape::Array {
        out.push('[');
    }
    for range in &stream.events {
        for event in session.mask_event(&bytes[range.clone()]).events {
            match stream.shape {
                Shape::Array => {
                    out.push_str(if count == 0 { "\n" } else { ",\n" });
                }
                Shape::Lines => {}
            }
            out.push_str(&event);
            if stream.shape == Shape::Lines {
                out.push('\n');
            }
            count += 1;
        }
    }
    if stream.shape == Shape::Array {
        out.push_str(if count == 0 { "]\n" } else { "\n]\n" });
    }
    eprintln_safe!("{}", summary(session.stats()));
    if stream.truncated {
        eprintln_safe!(
            "warning: the recording's array is cut short or followed by other text: what is not a whole event was dropped"
        );
    }
    super::write_output(output, &out)
}

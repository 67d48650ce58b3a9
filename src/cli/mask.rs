//! `scrim mask`: writes an HTML page as a recording under a policy would
//! keep it — blocked elements as placeholders, masked text, values and
//! attributes, no scripts — using `scrim-html`.
//!
//! Fail closed: a policy that does not compile or an artifact that does not
//! load writes nothing and exits 1. A page the policy does not record
//! (missing consent, `never record`, `record only`) is written as an empty
//! document, with a note on standard error saying why.

use super::{FsLoader, io_reason, policy_path, read_policy, report};
use scrim_matcher::{Context, OffReason, PageDecision, Policy};
use std::path::{Path, PathBuf};

/// The command line of `scrim mask`.
pub(crate) struct Args {
    pub policy: PathBuf,
    pub url: String,
    pub consent: Vec<String>,
    pub region: Option<String>,
    pub page: PathBuf,
    pub output: Option<PathBuf>,
}

/// Loads a compiled `.json` artifact as it is, and compiles anything else
/// (printing its diagnostics on standard error). `None` after reporting any
/// failure.
fn load(path: &Path) -> Option<Policy> {
    let text = read_policy(path)?;
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let loaded = if is_json {
        Policy::from_json(&text)
    } else {
        let compilation = scrim_compiler::compile(&policy_path(path), &text, &FsLoader);
        report::print_human(&compilation.diagnostics);
        Policy::from_artifact(compilation.artifact?)
    };
    match loaded {
        Ok(policy) => Some(policy),
        Err(error) => {
            eprintln!("error: cannot load `{}`: {error}", path.display());
            None
        }
    }
}

pub(crate) fn run(args: &Args) -> bool {
    let Some(policy) = load(&args.policy) else {
        return false;
    };
    let html = match std::fs::read(&args.page) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(error) => {
            eprintln!(
                "error: cannot read `{}`: {}",
                args.page.display(),
                io_reason(&error)
            );
            return false;
        }
    };
    let page = policy.page(&Context {
        url: args.url.clone(),
        consent: args.consent.clone(),
        region: args.region.clone(),
    });
    if let PageDecision::Off { reason, rule } = page.decision() {
        let why = match reason {
            OffReason::MissingConsent(category) => {
                format!("consent `{category}` was not granted")
            }
            OffReason::NeverRecord => "a `never record` pattern matches the URL".to_string(),
            OffReason::NotAllowListed => "no `record only` pattern matches the URL".to_string(),
        };
        eprintln!(
            "note: `{}` is not recorded: {why} (rule `{}`); writing an empty document",
            args.url, rule.id
        );
    }
    let masked = scrim_html::mask_html(&html, &page);
    match &args.output {
        None => {
            print!("{masked}");
            true
        }
        Some(path) => match std::fs::write(path, masked) {
            Ok(()) => true,
            Err(error) => {
                eprintln!(
                    "error: cannot write `{}`: {}",
                    path.display(),
                    io_reason(&error)
                );
                false
            }
        },
    }
}

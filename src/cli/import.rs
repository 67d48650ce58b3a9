//! `scrim import`: reads a replay vendor's recording settings (JSON) and
//! writes the scrim policy that records no more than they did. The notes of
//! the import (what was not carried over as it was, and why) go to
//! standard error; the policy to standard output or `-o`.

use super::files::{self, Limit};
use super::streams::eprintln_safe;
use super::write_output;
use scrim_import::Vendor;
use std::path::Path;

/// Configuration files: options objects, far below this.
const CONFIG_LIMIT: Limit = Limit {
    bytes: 16 * 1024 * 1024,
    what: "configuration files",
};

/// The vendors `--from` takes.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum From {
    Rrweb,
    Sentry,
    Posthog,
    Datadog,
    Clarity,
}

impl From {
    fn vendor(self) -> Vendor {
        match self {
            From::Rrweb => Vendor::Rrweb,
            From::Sentry => Vendor::Sentry,
            From::Posthog => Vendor::Posthog,
            From::Datadog => Vendor::Datadog,
            From::Clarity => Vendor::Clarity,
        }
    }
}

pub(crate) fn run(from: From, config: &Path, output: Option<&Path>) -> bool {
    let text = match files::read_text(config, CONFIG_LIMIT) {
        Ok(text) => text,
        Err(reason) => {
            eprintln_safe!("error: cannot read `{}`: {reason}", config.display());
            return false;
        }
    };
    let vendor = from.vendor();
    match scrim_import::import(vendor, &text) {
        Ok(import) => {
            for note in &import.notes {
                eprintln_safe!("{note}");
            }
            write_output(output, &import.policy)
        }
        Err(error) => {
            eprintln_safe!(
                "error: cannot import `{}` as {vendor} settings: {error}",
                config.display()
            );
            if let Some(help) = &error.help {
                eprintln_safe!("  help: {help}");
            }
            false
        }
    }
}

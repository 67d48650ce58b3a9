//! `scrim import`: reads a session replay vendor's recording settings (as
//! JSON) and writes the scrim policy that records no more than the vendor
//! did, with a comment naming the setting behind each statement.
//!
//! ```text
//! import(Vendor::Sentry, json) -> Import { policy, notes }
//!   policy   formatted `.scrim` text that checks (it is compiled here)
//!   notes    one per setting that was not carried over as it was: what
//!            was done instead and why (the CLI prints them on stderr)
//! ```
//!
//! Where a vendor setting has no faithful equivalent, the import takes the
//! more private reading and says so in a note; where the vendor fails to
//! mask something its settings meant to hide, the policy is stricter.
//! `docs/import.md` lists every such difference, and the property tests in
//! `tests/` hold each import to an executable model of its vendor.
//!
//! No IO: the caller hands in the JSON text and writes the policy.

mod clarity;
mod datadog;
mod policy;
mod posthog;
mod rrweb;
mod sentry;
mod settings;

use std::fmt;

/// The vendors whose settings can be imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Vendor {
    /// rrweb's `record()` options.
    Rrweb,
    /// Sentry's `replayIntegration()` options.
    Sentry,
    /// PostHog's `posthog.init()` options (its `session_recording`).
    Posthog,
    /// Datadog's `datadogRum.init()` options (its `defaultPrivacyLevel`).
    Datadog,
    /// Microsoft Clarity's masking settings (its dashboard's masking mode
    /// and the elements it masks and unmasks).
    Clarity,
}

impl Vendor {
    /// Every vendor, in the order the docs list them.
    pub const ALL: [Vendor; 5] = [
        Vendor::Rrweb,
        Vendor::Sentry,
        Vendor::Posthog,
        Vendor::Datadog,
        Vendor::Clarity,
    ];

    /// The name `--from` takes.
    pub fn name(self) -> &'static str {
        match self {
            Vendor::Rrweb => "rrweb",
            Vendor::Sentry => "sentry",
            Vendor::Posthog => "posthog",
            Vendor::Datadog => "datadog",
            Vendor::Clarity => "clarity",
        }
    }

    /// The vendor named `name`, as `--from` takes it.
    pub fn from_name(name: &str) -> Option<Vendor> {
        Vendor::ALL.into_iter().find(|v| v.name() == name)
    }

    /// What the configuration is, for the policy's first comment.
    fn source(self) -> &'static str {
        match self {
            Vendor::Rrweb => "rrweb record() options",
            Vendor::Sentry => "Sentry replayIntegration() options",
            Vendor::Posthog => "PostHog posthog.init() options",
            Vendor::Datadog => "Datadog datadogRum.init() options",
            Vendor::Clarity => "Microsoft Clarity masking settings",
        }
    }
}

impl fmt::Display for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A successful import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    /// The policy, in the formatter's layout; it compiles without errors.
    pub policy: String,
    /// What was not carried over as it was, in the order of the settings.
    pub notes: Vec<Note>,
}

/// How much a note matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Severity {
    /// The policy differs from the vendor here (always the more private
    /// way), or a setting was not understood.
    Warning,
    /// A setting that says nothing about what is recorded.
    Note,
}

/// One setting that was not carried over as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub severity: Severity,
    /// The setting, as the vendor spells it (`maskTextFn`,
    /// `maskInputOptions.email`).
    pub setting: String,
    /// What the import did with it, and why: lowercase, no trailing period.
    pub message: String,
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        write!(f, "{level}: `{}`: {}", self.setting, self.message)
    }
}

/// Why a configuration could not be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// Lowercase, no trailing period, user input in backticks.
    pub message: String,
    pub help: Option<String>,
}

impl ImportError {
    fn new(message: impl Into<String>) -> ImportError {
        ImportError {
            message: message.into(),
            help: None,
        }
    }

    fn with_help(mut self, help: impl Into<String>) -> ImportError {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ImportError {}

/// Imports `json`, a configuration of `vendor`.
pub fn import(vendor: Vendor, json: &str) -> Result<Import, ImportError> {
    let value: serde_json::Value = serde_json::from_str(json).map_err(|e| {
        ImportError::new(format!("the configuration is not JSON: {e}"))
            .with_help("give the options object as JSON: keys in double quotes, no functions, no trailing commas")
    })?;
    let serde_json::Value::Object(object) = value else {
        return Err(
            ImportError::new("the configuration is not a JSON object").with_help(format!(
                "give the object of options that {} takes",
                vendor.source()
            )),
        );
    };
    let mut settings = settings::Settings::new(object);
    let mut out = policy::PolicyText::new(vendor.source());
    match vendor {
        Vendor::Rrweb => rrweb::import(&mut settings, &mut out)?,
        Vendor::Sentry => sentry::import(&mut settings, &mut out)?,
        Vendor::Posthog => posthog::import(&mut settings, &mut out)?,
        Vendor::Datadog => datadog::import(&mut settings, &mut out)?,
        Vendor::Clarity => clarity::import(&mut settings, &mut out)?,
    }
    let notes = settings.finish();
    let policy = out.render()?;
    Ok(Import { policy, notes })
}

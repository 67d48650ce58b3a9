//! What `scrim mask` and `scrim explain` share: the recording context on the
//! command line, loading the policy (fail closed), reading the page, and
//! saying why a page is off.

use super::files::{Limit, read_input, too_large};
use super::streams::eprintln_safe;
use super::{FsLoader, IncludeRoots, policy_path, read_policy, report};
use scrim_html::{Document, EncodingSource, Limits, ReadError};
use scrim_matcher::{Context, OffReason, Policy};
use scrim_syntax::SourceFile;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A page as a recorder would see it, and the policy to decide it with.
/// One consent category of `--consent`, read as a test file reads it:
/// `--consent "analytics, session-replay"` grants `session-replay`, not
/// ` session-replay`.
pub(crate) fn consent_category(text: &str) -> Result<String, std::convert::Infallible> {
    Ok(text.trim().to_string())
}

#[derive(clap::Args)]
pub(crate) struct Recording {
    /// The policy: a `.scrim` file, or a compiled `.json` artifact.
    #[arg(long)]
    pub policy: PathBuf,
    /// The URL the page is recorded at.
    #[arg(long)]
    pub url: String,
    /// Consent categories the visitor granted (comma-separated).
    #[arg(long, value_delimiter = ',', value_parser = consent_category)]
    pub consent: Vec<String>,
    /// The visitor's region code.
    #[arg(long)]
    pub region: Option<String>,
    /// The page's encoding (a WHATWG label: `utf-8`, `windows-1252`,
    /// `shift_jis` …), as a server's `Content-Type` would say it. A byte
    /// order mark still decides; without either, a `<meta charset>` in the
    /// first 1,024 bytes, else UTF-8.
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,
    /// Refuse pages larger than this many bytes.
    #[arg(long, value_name = "N", default_value_t = Limits::DEFAULT.max_bytes)]
    pub max_bytes: usize,
    /// Refuse pages that nest elements deeper than this.
    #[arg(long, value_name = "N", default_value_t = Limits::DEFAULT.max_depth)]
    pub max_depth: usize,
    /// Refuse pages with a tag that has more attributes than this.
    #[arg(long, value_name = "N", default_value_t = Limits::DEFAULT.max_attributes)]
    pub max_attributes: usize,
    /// The HTML page.
    pub page: PathBuf,
}

impl Recording {
    pub(crate) fn context(&self) -> Context {
        Context {
            url: self.url.clone(),
            consent: self.consent.clone(),
            region: self.region.clone(),
        }
    }

    /// The page, decoded and parsed under the limits; `None` after
    /// reporting why not (`verb` says what could not be done: `mask`,
    /// `explain`). A page that cannot be decoded is refused, not read with
    /// replacement characters: markup turned into text cannot be decided.
    pub(crate) fn read_page(&self, verb: &str) -> Option<Document> {
        let limit = Limit {
            bytes: self.max_bytes as u64,
            what: "pages",
        };
        let bytes = match read_input(&self.page, limit) {
            Ok(bytes) => bytes,
            Err(reason) if reason == too_large(limit) => {
                // Said as the parser says it, with the size it was seen at.
                let bytes = std::fs::metadata(&self.page)
                    .map_or(self.max_bytes.saturating_add(1), |m| m.len() as usize);
                let error = ReadError::TooLarge {
                    bytes,
                    limit: self.max_bytes,
                };
                eprintln_safe!("error: cannot {verb} `{}`: {error}", self.page.display());
                eprintln_safe!("  help: {}", read_help(&error));
                return None;
            }
            Err(reason) => {
                eprintln_safe!("error: cannot {verb} `{}`: {reason}", self.page.display());
                return None;
            }
        };
        let limits = Limits {
            max_bytes: self.max_bytes,
            max_depth: self.max_depth,
            max_attributes: self.max_attributes,
        };
        match Document::parse_bytes(&bytes, self.encoding.as_deref(), &limits) {
            Ok(doc) => Some(doc),
            Err(error) => {
                eprintln_safe!("error: cannot {verb} `{}`: {error}", self.page.display());
                eprintln_safe!("  help: {}", read_help(&error));
                None
            }
        }
    }
}

/// How to get past a page that was not read.
pub(crate) fn read_help(error: &ReadError) -> &'static str {
    match error {
        ReadError::UnknownEncoding { .. } => {
            "give a WHATWG encoding label, such as `utf-8`, `windows-1252`, `shift_jis` or `utf-16le`"
        }
        ReadError::Malformed {
            source: EncodingSource::Default,
            ..
        } => {
            "if the page is in another encoding, name it with `--encoding LABEL` (for example `--encoding windows-1252`)"
        }
        ReadError::Malformed {
            source: EncodingSource::Meta,
            ..
        } => "if the page is in another encoding than it declares, name it with `--encoding LABEL`",
        ReadError::Malformed {
            source: EncodingSource::Given,
            ..
        } => "check the encoding given with `--encoding`",
        ReadError::Malformed { .. } => {
            "a byte order mark decides the encoding, whatever `--encoding` says: the page is damaged"
        }
        ReadError::TooLarge { .. } => "raise the limit with `--max-bytes N`",
        ReadError::TooDeep { .. } => "raise the limit with `--max-depth N`",
        ReadError::TooManyAttributes { .. } => "raise the limit with `--max-attributes N`",
        _ => "the page cannot be read",
    }
}

/// A loaded policy and, when it was compiled here, the text of every file
/// its rules point into (indexed like the artifact's `sources`).
pub(crate) struct LoadedPolicy {
    pub policy: Policy,
    pub files: Vec<Option<Arc<SourceFile>>>,
    /// File names by artifact index, for artifacts loaded without sources.
    pub names: Vec<String>,
}

/// Loads a `.json` artifact as it is and compiles anything else, printing
/// diagnostics on standard error (standard output carries only the
/// command's result). `None` after reporting any failure: a policy that does
/// not load records nothing.
pub(crate) fn load_policy(path: &Path, includes: &IncludeRoots) -> Option<LoadedPolicy> {
    let include_roots = includes.resolve()?;
    let text = read_policy(path)?;
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let (artifact, files) = if is_json {
        match scrim_artifact::Artifact::from_json(&text) {
            Ok(artifact) => {
                let files = vec![None; artifact.sources.len()];
                (artifact, files)
            }
            Err(error) => {
                eprintln_safe!("error: cannot load `{}`: {error}", path.display());
                return None;
            }
        }
    } else {
        let loader = FsLoader::for_policy(path, &include_roots);
        let compilation = scrim_compiler::compile(&policy_path(path), &text, &loader);
        report::print_human(&compilation.diagnostics);
        let artifact = compilation.artifact?;
        // The compiler pushes a file and its artifact source together, so
        // the indices agree.
        let files = (0..artifact.sources.len())
            .map(|i| compilation.sources.get(i).cloned())
            .collect();
        (artifact, files)
    };
    let names = artifact.sources.iter().map(|s| s.name.clone()).collect();
    match Policy::from_artifact(artifact) {
        Ok(policy) => Some(LoadedPolicy {
            policy,
            files,
            names,
        }),
        Err(error) => {
            eprintln_safe!("error: cannot load `{}`: {error}", path.display());
            None
        }
    }
}

/// Why a page is not recorded, in words.
pub(crate) fn off_reason(reason: &OffReason) -> String {
    match reason {
        OffReason::MissingConsent(category) => format!("consent `{category}` was not granted"),
        OffReason::NeverRecord => "the URL matches a `never record` pattern".to_string(),
        OffReason::NotAllowListed => "the URL matches no `record only` pattern".to_string(),
        OffReason::UnreadableUrl => {
            "the URL is not an absolute URL scrim can read (e.g. `https://host/path`)".to_string()
        }
    }
}

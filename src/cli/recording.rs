//! What `scrim mask` and `scrim explain` share: the recording context on the
//! command line, loading the policy (fail closed), reading the page, and
//! saying why a page is off.

use super::files::{PAGE_LIMIT, read_input};
use super::streams::eprintln_safe;
use super::{FsLoader, IncludeRoots, policy_path, read_policy, report};
use scrim_matcher::{Context, OffReason, Policy};
use scrim_syntax::SourceFile;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A page as a recorder would see it, and the policy to decide it with.
#[derive(clap::Args)]
pub(crate) struct Recording {
    /// The policy: a `.scrim` file, or a compiled `.json` artifact.
    #[arg(long)]
    pub policy: PathBuf,
    /// The URL the page is recorded at.
    #[arg(long)]
    pub url: String,
    /// Consent categories the visitor granted (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub consent: Vec<String>,
    /// The visitor's region code.
    #[arg(long)]
    pub region: Option<String>,
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

    /// The page's HTML; invalid UTF-8 is replaced rather than refused, as a
    /// browser would.
    pub(crate) fn read_page(&self) -> Option<String> {
        match read_input(&self.page, PAGE_LIMIT) {
            Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
            Err(reason) => {
                eprintln_safe!("error: cannot read `{}`: {reason}", self.page.display());
                None
            }
        }
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

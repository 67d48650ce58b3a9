//! The scrim compiler: from parsed policy files to the compiled artifact.
//!
//! It resolves includes and presets, validates what the grammar cannot
//! (CSS selectors with the matcher's own parser, WHATWG URL patterns, regular
//! expressions, names), and lowers the policy to [`scrim_artifact::Artifact`].
//! It does no IO: files are read through the caller's [`Loader`].

mod floors;
mod lower;
mod paths;
mod patterns;
pub mod presets;
mod regexes;

use scrim_artifact::Artifact;
use scrim_syntax::{Code, Diagnostic, SourceFile, ast};
use std::sync::Arc;

pub use lower::MAX_INCLUDE_DEPTH;
pub use paths::{join, normalize};

/// The built-in detectors, by the names `detect` takes.
pub const BUILTIN_DETECTORS: &[&str] = &["email", "card", "phone", "national-id"];

/// Reads included files for the compiler.
pub trait Loader {
    /// The text of the file at `path` (as joined by the compiler: relative
    /// to the including file's folder), or a lowercase reason it could not
    /// be read.
    fn load(&self, path: &str) -> Result<String, String>;
}

/// A loader with no files, for policies that include nothing.
#[derive(Debug, Default)]
pub struct NoFiles;

impl Loader for NoFiles {
    fn load(&self, path: &str) -> Result<String, String> {
        Err(format!("`{path}` is not available here"))
    }
}

/// The outcome of compiling a policy: the artifact when there were no
/// errors, and every diagnostic of every file involved.
#[derive(Debug)]
pub struct Compilation {
    pub artifact: Option<Artifact>,
    pub diagnostics: Vec<Diagnostic>,
    /// Every file that was read, root first, in the order of the
    /// artifact's sources.
    pub sources: Vec<Arc<SourceFile>>,
    /// The syntax tree of each file of `sources`, at the same index.
    pub trees: Vec<ast::Policy>,
}

impl Compilation {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Lint rules whose findings the compiler reports as errors of its own,
/// with their codes: a policy with one compiles to nothing, so their level
/// is `deny` and cannot be lowered (`lint floor-allow allow` is an error).
pub const FIXED_LINTS: &[(&str, Code)] = &[("floor-allow", Code::CompileAllowFloor)];

/// Every lint rule id a `lint` statement may name: the rules of the
/// `lint::` codes and [`FIXED_LINTS`].
pub fn lint_rule_ids() -> Vec<&'static str> {
    FIXED_LINTS
        .iter()
        .map(|(id, _)| *id)
        .chain(Code::ALL.iter().filter_map(|code| code.lint_rule()))
        .collect()
}

/// Compiles the policy `text` found at `path`.
pub fn compile(path: &str, text: &str, loader: &dyn Loader) -> Compilation {
    lower::compile(path, text, loader)
}

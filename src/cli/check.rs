//! `scrim check`: compiles each policy and reports every diagnostic, the
//! linter's findings included (at their levels: a `deny` finding is an
//! error, so it fails the check like any other).

use super::IncludeRoots;
use crate::Format;
use std::path::PathBuf;

pub(crate) fn run(files: &[PathBuf], includes: &IncludeRoots, format: Format) -> bool {
    let Some(include_roots) = includes.resolve() else {
        return false;
    };
    super::lint::report_findings(files, &include_roots, format, None)
}

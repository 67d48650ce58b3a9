//! `scrim check`: compiles each policy and reports every diagnostic, the
//! linter's findings included (at their levels: a `deny` finding is an
//! error, so it fails the check like any other).

use super::{FsLoader, IncludeRoots, policy_path, read_policy, report};
use crate::Format;
use std::path::PathBuf;

pub(crate) fn run(files: &[PathBuf], includes: &IncludeRoots, format: Format) -> bool {
    let Some(include_roots) = includes.resolve() else {
        return false;
    };
    let mut all = Vec::new();
    let mut ok = true;
    for file in files {
        let Some(text) = read_policy(file) else {
            ok = false;
            continue;
        };
        let loader = FsLoader::for_policy(file, &include_roots);
        let compilation = scrim_compiler::compile(&policy_path(file), &text, &loader);
        let findings = scrim_lint::lint(&compilation);
        all.extend(compilation.diagnostics);
        all.extend(findings);
    }
    ok &= !all.iter().any(|d| d.is_error());
    ok &= report::print(&all, format);
    if format == Format::Human {
        report::summary(&all);
    }
    ok
}

//! `scrim check`: compiles each policy and reports every diagnostic.

use super::streams::eprintln_safe;
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
        ok &= !compilation.has_errors();
        all.extend(compilation.diagnostics);
    }
    ok &= report::print(&all, format);
    if format == Format::Human {
        let errors = all.iter().filter(|d| d.is_error()).count();
        let warnings = all.len() - errors;
        if errors + warnings > 0 {
            eprintln_safe!("{errors} error(s), {warnings} warning(s)");
        }
    }
    ok
}

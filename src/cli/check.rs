//! `scrim check`: compiles each policy and reports every diagnostic.

use super::{FsLoader, policy_path, read_policy, report};
use crate::Format;
use std::path::PathBuf;

pub(crate) fn run(files: &[PathBuf], format: Format) -> bool {
    let mut all = Vec::new();
    let mut ok = true;
    for file in files {
        let Some(text) = read_policy(file) else {
            ok = false;
            continue;
        };
        let compilation = scrim_compiler::compile(&policy_path(file), &text, &FsLoader);
        ok &= !compilation.has_errors();
        all.extend(compilation.diagnostics);
    }
    report::print(&all, format);
    if format == Format::Human {
        let errors = all.iter().filter(|d| d.is_error()).count();
        let warnings = all.len() - errors;
        if errors + warnings > 0 {
            eprintln!("{errors} error(s), {warnings} warning(s)");
        }
    }
    ok
}

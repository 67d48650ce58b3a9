//! `scrim lint`: compiles each policy and reports the linter's findings
//! with its errors and warnings; `--explain RULE` prints a rule's
//! documentation; `--pages LIST` adds what a set of pages shows.

use super::pages::{self, PageList};
use super::streams::{self, eprintln_safe};
use super::{FsLoader, IncludeRoots, policy_path, read_policy, report};
use crate::Format;
use scrim_syntax::suggest;
use std::path::{Path, PathBuf};

pub(crate) fn run(
    files: &[PathBuf],
    includes: &IncludeRoots,
    format: Format,
    explain: Option<&str>,
    pages: Option<&Path>,
) -> bool {
    if let Some(id) = explain {
        return explain_rule(id);
    }
    let Some(include_roots) = includes.resolve() else {
        return false;
    };
    let list = match pages {
        Some(path) => match pages::read_list(path) {
            Some(list) => Some(list),
            None => return false,
        },
        None => None,
    };
    report_findings(files, &include_roots, format, list.as_ref())
}

/// Compiles each policy and reports its diagnostics with the linter's
/// findings (and, given a page list, those of the rules that read pages);
/// `scrim check` is this without pages. Whether nothing failed.
pub(crate) fn report_findings(
    files: &[PathBuf],
    include_roots: &[PathBuf],
    format: Format,
    list: Option<&PageList>,
) -> bool {
    let mut all = Vec::new();
    let mut ok = true;
    for file in files {
        let Some(text) = read_policy(file) else {
            ok = false;
            continue;
        };
        let loader = FsLoader::for_policy(file, include_roots);
        let compilation = scrim_compiler::compile(&policy_path(file), &text, &loader);
        let findings = match (list, &compilation.artifact) {
            (Some(list), Some(artifact)) if !compilation.has_errors() => {
                match pages::corpus(artifact, list) {
                    Some(corpus) => scrim_lint::lint_with_corpus(&compilation, &corpus),
                    None => {
                        ok = false;
                        scrim_lint::lint(&compilation)
                    }
                }
            }
            _ => scrim_lint::lint(&compilation),
        };
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

/// Prints the documentation of rule `id`.
fn explain_rule(id: &str) -> bool {
    match scrim_lint::rule(id) {
        Some(rule) => streams::print(&rule.explain()),
        None => {
            let ids: Vec<&str> = scrim_lint::RULES.iter().map(|r| r.id).collect();
            eprintln_safe!("error: unknown lint rule `{id}`");
            match suggest::did_you_mean(id, ids.iter().copied()) {
                Some(close) => eprintln_safe!("  help: did you mean `{close}`?"),
                None => eprintln_safe!("  help: the rules are {}", suggest::one_of(&ids)),
            }
            false
        }
    }
}

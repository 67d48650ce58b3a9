//! The scrim linter: rules that find what compiles but is probably not what
//! the author meant — statements that never decide, masks that leave the
//! same words in clear elsewhere, selectors a streaming recorder cannot
//! decide once, detectors whose search goes quadratic.
//!
//! ```text
//! scrim_compiler::compile(path, text, loader)   -> Compilation
//! lint(&compilation)                            -> Vec<Diagnostic>
//! lint_with_corpus(&compilation, &corpus)       also what a set of pages shows
//! RULES, rule(id), Rule::documentation()        the rules and their docs
//! ```
//!
//! Each rule is one module of `rules/`, and its `//!` doc *is* its
//! documentation: what it catches, why it matters, a bad and a good
//! example. `scrim lint --explain RULE` prints it, `docs/lints.md` is
//! generated from it ([`lints_markdown`]), and the tests run both examples.
//!
//! Findings become [`Diagnostic`]s with the rule's code (`lint::ID`) at the
//! level the policy sets (`lint RULE allow|warn|deny`, else the rule's
//! default); a `# scrim: allow RULE` comment silences one rule on one
//! statement. Findings are reported in the policy's own files only, never in
//! the shipped presets. A policy with errors is not linted: what it means is
//! not settled yet. This crate does no IO; what a set of pages shows comes
//! in as a [`Corpus`] the caller builds.

mod corpus;
mod docs;
mod finding;
mod model;
mod regexes;
mod registry;
mod rules;
mod shape;
mod suppress;

pub use corpus::{Corpus, CorpusPage, RuleMatches};
pub use docs::{Example, ExpectedFinding, lints_markdown};
pub use registry::{Category, Rule, rule};
pub use rules::RULES;
/// The rule names of a suppression comment (`# scrim: allow a, b reason`),
/// as byte ranges in it; `None` for another comment. For editors.
pub use suppress::parse_comment as suppressed_rules;

use scrim_compiler::Compilation;
use scrim_syntax::Diagnostic;

/// Lints a compiled policy. Nothing when it has errors.
pub fn lint(compilation: &Compilation) -> Vec<Diagnostic> {
    run(compilation, None)
}

/// Lints a compiled policy, with the rules that read what a set of pages
/// shows (rules that match nothing there, elements only defaults decide).
pub fn lint_with_corpus(compilation: &Compilation, corpus: &Corpus) -> Vec<Diagnostic> {
    run(compilation, Some(corpus))
}

fn run(compilation: &Compilation, corpus: Option<&Corpus>) -> Vec<Diagnostic> {
    if compilation.has_errors() {
        return Vec::new();
    }
    let Some(model) = model::Model::new(compilation) else {
        return Vec::new();
    };
    let mut findings = finding::Findings::default();
    for rule in RULES {
        match rule.check {
            registry::Check::Policy(check) => check(&model, &mut findings),
            registry::Check::Corpus(check) => {
                if let Some(corpus) = corpus {
                    check(&model, corpus, &mut findings);
                }
            }
            registry::Check::Compiler | registry::Check::Suppressions => {}
        }
    }
    suppress::finish(&model, findings)
}

//! What the linter knows of each rule: its stable id, category, default
//! level, diagnostic code, documentation (the `//!` doc of its module) and
//! the function that checks it.

use crate::corpus::Corpus;
use crate::docs;
use crate::finding::Findings;
use crate::model::Model;
use scrim_syntax::Code;
use scrim_syntax::ast::LintLevel;
use std::fmt;

/// What a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// Something may be recorded in clear that the author meant to hide.
    Privacy,
    /// A statement does not do what it says, or nothing at all.
    Correctness,
    /// A statement costs recorders or servers more than it needs to.
    Performance,
    /// Clutter: repeated or stale statements.
    Style,
}

impl Category {
    pub const ALL: &'static [Category] = &[
        Category::Privacy,
        Category::Correctness,
        Category::Performance,
        Category::Style,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Category::Privacy => "privacy",
            Category::Correctness => "correctness",
            Category::Performance => "performance",
            Category::Style => "style",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How a rule finds what it reports.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Check {
    /// The compiler reports it, as an error of its own.
    Compiler,
    /// From the policy alone.
    Policy(fn(&Model<'_>, &mut Findings)),
    /// From the policy and a set of pages.
    Corpus(fn(&Model<'_>, &Corpus, &mut Findings)),
    /// From the other rules' findings (suppression comments that suppress
    /// nothing).
    Suppressions,
}

/// A lint rule.
#[derive(Debug)]
pub struct Rule {
    /// Stable, kebab-case: what `lint` statements, suppression comments
    /// and `--explain` name.
    pub id: &'static str,
    pub category: Category,
    pub default_level: LintLevel,
    /// The code of its diagnostics: `lint::ID`, or the compiler's own code
    /// for a rule the compiler reports.
    pub code: Code,
    /// The text of the rule's module; its `//!` doc is the documentation.
    pub(crate) source: &'static str,
    pub(crate) check: Check,
}

impl Rule {
    /// The documentation, as Markdown (the module's `//!` doc).
    pub fn documentation(&self) -> String {
        docs::module_doc(self.source)
    }

    /// The first sentence of the documentation: what the rule catches.
    pub fn summary(&self) -> String {
        docs::summary(&self.documentation())
    }

    /// What `scrim lint --explain` prints: a heading, the rule's facts and
    /// its documentation.
    pub fn explain(&self) -> String {
        docs::explain(self)
    }

    /// The examples of the documentation, bad and good.
    pub fn examples(&self) -> Vec<docs::Example> {
        docs::examples(&self.documentation())
    }

    /// Whether its level is fixed: the compiler reports it as an error and
    /// no `lint` statement or comment can lower it.
    pub fn is_fixed(&self) -> bool {
        matches!(self.check, Check::Compiler)
    }

    /// Whether it needs a set of pages (`scrim lint --pages`).
    pub fn needs_corpus(&self) -> bool {
        matches!(self.check, Check::Corpus(_))
    }
}

/// The rule called `id`.
pub fn rule(id: &str) -> Option<&'static Rule> {
    crate::RULES.iter().copied().find(|rule| rule.id == id)
}

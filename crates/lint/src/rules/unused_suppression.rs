//! A `# scrim: allow RULE` comment that suppresses nothing.
//!
//! ## What it catches
//!
//! A suppression comment that names a rule which reports nothing on its
//! statement, a rule that does not exist, a rule that cannot be
//! suppressed (`floor-allow`), or that stands where no statement follows
//! it (a blank line between the comment and the statement ends it).
//!
//! ## Why it matters
//!
//! Suppressions outlive the findings they silenced: a statement is edited,
//! the finding goes away, and the comment stays, ready to hide the next
//! finding of that rule on that statement, which may be a real one. A
//! misspelt rule name suppresses nothing at all.
//!
//! ## Example
//!
//! ```scrim bad
//! scrim 1
//!
//! # scrim: allow unreachable-rule
//! #              ^^^^^^^^^^^^^^^^ unused-suppression
//! allow text "h1"
//! ```
//!
//! Keep suppressions where a rule reports something, with the reason:
//!
//! ```scrim
//! scrim 1
//!
//! default value capture  # scrim: allow values-captured-by-default our own forms only
//! ```

use crate::registry::{Category, Check, Rule};
use scrim_syntax::Code;
use scrim_syntax::ast::LintLevel;

pub(crate) static RULE: Rule = Rule {
    id: "unused-suppression",
    category: Category::Style,
    default_level: LintLevel::Warn,
    code: Code::LintUnusedSuppression,
    source: include_str!("unused_suppression.rs"),
    check: Check::Suppressions,
};

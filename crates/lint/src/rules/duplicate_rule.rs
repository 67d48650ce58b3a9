//! A rule that repeats another: the same action, channels and selector in
//! the same scope.
//!
//! ## What it catches
//!
//! A rule whose selector (or one selector of its list) another rule of the
//! same scope already has, with the same action, the same channels or
//! more, the same `sealed` and the same masking strategy. The later rule
//! is reported. It may repeat a rule of a preset the policy uses.
//!
//! ## Why it matters
//!
//! Two copies drift apart: the next edit changes one and not the other,
//! and the policy no longer says what either line says. A reviewer also
//! reads a repeated rule as if it meant something the first did not.
//!
//! ## Example
//!
//! ```scrim bad
//! scrim 1
//!
//! default text capture
//!
//! mask text ".customer-name, .address"
//! mask text ".address"
//! #         ^^^^^^^^^^ duplicate-rule
//! ```
//!
//! Say it once:
//!
//! ```scrim
//! scrim 1
//!
//! default text capture
//!
//! mask text ".customer-name, .address"
//! ```

use super::{per_selector, place, removal, subject};
use crate::finding::{Finding, Findings};
use crate::model::{Model, RuleView};
use crate::registry::{Category, Check, Rule};
use scrim_syntax::Code;
use scrim_syntax::ast::LintLevel;

pub(crate) static RULE: Rule = Rule {
    id: "duplicate-rule",
    category: Category::Style,
    default_level: LintLevel::Warn,
    code: Code::LintDuplicateRule,
    source: include_str!("duplicate_rule.rs"),
    check: Check::Policy(check),
};

fn check(model: &Model<'_>, out: &mut Findings) {
    for rule in model.user_rules() {
        let earlier = |first: &&RuleView<'_>| {
            first.index < rule.index
                && first.art.scope == rule.art.scope
                && first.art.action == rule.art.action
                && first.art.sealed == rule.art.sealed
                && first.art.strategy == rule.art.strategy
                && rule
                    .art
                    .channels
                    .iter()
                    .all(|c| first.art.channels.contains(c))
        };
        let repeats: Vec<Option<&RuleView<'_>>> = rule
            .shapes
            .iter()
            .map(|shape| model.same_selector(shape).into_iter().find(earlier))
            .collect();
        per_selector(model, rule, &repeats, out, |loc, piece, first| {
            Finding::new(
                RULE.id,
                loc,
                format!(
                    "{} repeats {} ({})",
                    subject(piece),
                    first.describe(),
                    place(model, first)
                ),
            )
            .label("said before")
            .help("remove the repetition")
            .fix(removal(model, rule, piece))
            .related(
                model.loc(first.file, first.ast.selector.span),
                "first said here",
            )
        });
    }
}

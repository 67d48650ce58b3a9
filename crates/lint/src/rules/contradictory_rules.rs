//! The same selector masked and allowed in the same scope.
//!
//! ## What it catches
//!
//! An `allow` whose selector (or one selector of its list) a `mask` (or,
//! for events, `ignore events`) of the same scope also has, on a channel
//! both rules name. The `allow` is reported.
//!
//! ## Why it matters
//!
//! On one element a mask beats an allow, so the `allow` never decides:
//! the policy says two opposite things about the same elements and does
//! one of them. Usually one of the two lines was meant for other
//! elements, or one was left behind by an edit.
//!
//! ## Example
//!
//! ```scrim bad
//! scrim 1
//!
//! mask text ".order-total"
//! allow text ".order-total"
//! #          ^^^^^^^^^^^^^^ contradictory-rules
//! ```
//!
//! Decide once; to show part of a masked area, allow the part:
//!
//! ```scrim
//! scrim 1
//!
//! mask text ".order-total"
//! allow text ".order-total .currency"
//! ```

use super::{per_selector, place, removal, subject};
use crate::finding::{Finding, Findings};
use crate::model::{Model, RuleView};
use crate::registry::{Category, Check, Rule};
use scrim_syntax::Code;
use scrim_syntax::ast::LintLevel;

pub(crate) static RULE: Rule = Rule {
    id: "contradictory-rules",
    category: Category::Correctness,
    default_level: LintLevel::Warn,
    code: Code::LintContradictoryRules,
    source: include_str!("contradictory_rules.rs"),
    check: Check::Policy(check),
};

fn check(model: &Model<'_>, out: &mut Findings) {
    for rule in model.user_rules().filter(|r| r.allows()) {
        let against_this = |m: &&RuleView<'_>| {
            model.is_user(m.file)
                && m.masks()
                && m.art.scope == rule.art.scope
                && m.art
                    .channels
                    .iter()
                    .any(|mc| rule.art.channels.iter().any(|c| model.covers(mc, c)))
        };
        let against: Vec<Option<&RuleView<'_>>> = rule
            .shapes
            .iter()
            .map(|shape| model.same_selector(shape).into_iter().find(against_this))
            .collect();
        per_selector(model, rule, &against, out, |loc, piece, mask| {
            Finding::new(
                RULE.id,
                loc,
                format!(
                    "{} allows what {} ({}) masks: the mask wins",
                    subject(piece),
                    mask.describe(),
                    place(model, mask)
                ),
            )
            .label("allowed and masked")
            .help("on one element a mask beats an allow: remove one of the two, or narrow the allow to the part to show")
            .related(model.loc(mask.file, mask.ast.selector.span), "masked here")
            // Removing the allow changes nothing only where the mask decides
            // every channel it names.
            .fix(
                rule.art
                    .channels
                    .iter()
                    .all(|c| mask.art.channels.iter().any(|m| model.covers(m, c)))
                    .then(|| removal(model, rule, piece))
                    .flatten(),
            )
        });
    }
}

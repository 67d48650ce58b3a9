//! A rule that can never decide: a `block` or `mask sealed` above it, a
//! `mask` on the same elements, or the default already says what it says.
//!
//! ## What it catches
//!
//! - A rule whose elements are all blocked, by a `block` rule on the same
//!   elements or on an enclosing one: nothing of them is recorded, whatever
//!   the rule says.
//! - A `mask` or `allow` whose channels a `mask sealed` on the same or an
//!   enclosing element masks: nothing below a sealed mask can lift it.
//! - An `allow` whose elements a `mask` (or `ignore events`) of the same
//!   channel also selects: on one element, a mask beats an allow.
//! - A `mask` or `allow` that says what the default says wherever it
//!   applies, in a policy with no rule for its channels that it could be
//!   overriding from an enclosing element: no rule of the other kind, and
//!   for a `mask`, no mask with another strategy (`with "…"`).
//!
//! The `block` or `mask` must be in force wherever the rule is (at the top
//! level, or in a block that encloses the rule), and select at least what
//! the rule selects: the same selector, or one with fewer conditions (`.a`
//! covers `div.a.b`, `.a .b` and, as an enclosing element, `.a p`). Two
//! copies of one selector in one scope are `duplicate-rule` or
//! `contradictory-rules`; rules of the presets are `preset-conflict`. When
//! only some selectors of a list can never decide, each is reported.
//!
//! ## Why it matters
//!
//! The rule reads as a decision and reviewers take it for one, but the
//! policy does something else. An `allow` that can never decide usually
//! means its author expected it to lift a block or a sealed mask, which
//! nothing can: exceptions to a block are written in its selector.
//!
//! ## Example
//!
//! ```scrim bad
//! scrim 1
//!
//! block ".ad"
//! allow text ".ad .title"
//! #          ^^^^^^^^^^^^ unreachable-rule
//! ```
//!
//! ```scrim bad
//! scrim 1
//!
//! default text capture
//!
//! allow text "footer"
//! #     ^^^^ unreachable-rule
//! ```
//!
//! Write the exception into the block's selector instead, and leave out
//! what the default already does:
//!
//! ```scrim
//! scrim 1
//!
//! block ".ad:not(.house-ad)"
//! allow text ".house-ad .title"
//! ```

use super::{per_selector, place, removal, subject};
use crate::finding::{Finding, Findings};
use crate::model::{Model, RuleView};
use crate::registry::{Category, Check, Rule};
use crate::shape::Shape;
use scrim_artifact::{Channel, Outcome, Strategy};
use scrim_syntax::Code;
use scrim_syntax::ast::LintLevel;

pub(crate) static RULE: Rule = Rule {
    id: "unreachable-rule",
    category: Category::Correctness,
    default_level: LintLevel::Warn,
    code: Code::LintUnreachableRule,
    source: include_str!("unreachable_rule.rs"),
    check: Check::Policy(check),
};

#[derive(Clone, Copy)]
enum Why {
    Block,
    Sealed,
    SameElement,
}

fn check(model: &Model<'_>, out: &mut Findings) {
    let deciders = Deciders::of(model);
    for rule in model.user_rules() {
        let shadows: Vec<Option<(&RuleView<'_>, Why)>> = rule
            .shapes
            .iter()
            .map(|shape| shadow(model, rule, shape))
            .collect();
        if shadows.iter().any(Option::is_some) {
            per_selector(model, rule, &shadows, out, |loc, piece, &(by, why)| {
                let what = subject(piece);
                let (message, label, help) = match why {
                    Why::Block => (
                        format!("{what} can never decide: its elements are blocked"),
                        "inside or on blocked elements",
                        "nothing inside a blocked element is recorded; write exceptions into the block's selector (`.ad:not(.house-ad)`), or remove this rule",
                    ),
                    Why::Sealed => (
                        format!("{what} can never decide: a sealed mask covers its elements"),
                        "under a sealed mask",
                        "nothing below a `mask sealed` can lift it; narrow the sealed mask's selector, or remove this rule",
                    ),
                    Why::SameElement => (
                        format!(
                            "{what} can never decide: a mask of the same channels selects its elements too"
                        ),
                        "also masked on the same elements",
                        "on one element a mask beats an allow; narrow the mask's selector (`:not(…)`), or remove this rule",
                    ),
                };
                Finding::new(RULE.id, loc, message)
                    .label(label)
                    .help(help)
                    .fix(removal(model, rule, piece))
                    .related(
                        model.loc(by.file, by.ast.selector.span),
                        format!("{} ({})", by.describe(), place(model, by)),
                    )
            });
            continue;
        }
        if let Some((channel, outcome)) = says_the_default(model, &deciders, rule) {
            let channels = rule.ast.channels.iter().map(|c| c.span);
            let span = channels
                .reduce(|a, b| a.cover(b))
                .unwrap_or(rule.ast.selector.span);
            let outcome = match (outcome, channel) {
                (Outcome::Capture, _) => "captured",
                (Outcome::Mask, Channel::Events) => "ignored",
                (Outcome::Mask, _) => "masked",
            };
            out.add(
                Finding::new(
                    RULE.id,
                    model.loc(rule.file, span),
                    format!("this rule changes nothing: `{channel}` is {outcome} by default wherever it applies"),
                )
                .label(format!("{outcome} by default"))
                .help("no other rule decides these channels otherwise, so it overrides nothing on an enclosing element; remove it")
                .fix(removal(model, rule, None)),
            );
        }
    }
}

/// The first user rule that keeps `shape` of `rule` from ever deciding.
fn shadow<'m, 'c>(
    model: &'m Model<'c>,
    rule: &RuleView<'c>,
    shape: &Shape,
) -> Option<(&'m RuleView<'c>, Why)> {
    let covers_channels = |by: &RuleView<'_>| {
        rule.art
            .channels
            .iter()
            .all(|c| by.art.channels.iter().any(|m| model.covers(m, c)))
    };
    for (by, by_shape) in model.covering_candidates(shape) {
        if !model.is_user(by.file)
            || by.index == rule.index
            || !model.in_force_with(by.art.scope, rule.art.scope)
        {
            continue;
        }
        let twin = by.art.scope == rule.art.scope && by_shape.css == shape.css;
        if by.blocks() {
            if by_shape.covers(shape, true) && !(twin && rule.blocks()) {
                return Some((by, Why::Block));
            }
        } else if by.masks() && by.art.sealed {
            // A block or a sealed mask is not lifted by a sealed mask.
            let lifts = !(rule.blocks() || (rule.masks() && rule.art.sealed));
            if lifts && covers_channels(by) && by_shape.covers(shape, true) && !twin {
                return Some((by, Why::Sealed));
            }
        } else if by.masks()
            && rule.allows()
            && covers_channels(by)
            && by_shape.covers(shape, false)
            && !twin
        {
            return Some((by, Why::SameElement));
        }
    }
    None
}

/// The channels the policy's rules decide, by what they make of them: what
/// a rule that says what the default says could be overriding.
struct Deciders<'c> {
    allowed: Vec<&'c Channel>,
    masked_with_stars: Vec<&'c Channel>,
    masked_otherwise: Vec<&'c Channel>,
}

impl<'c> Deciders<'c> {
    fn of(model: &Model<'c>) -> Deciders<'c> {
        let mut out = Deciders {
            allowed: Vec::new(),
            masked_with_stars: Vec::new(),
            masked_otherwise: Vec::new(),
        };
        for rule in &model.rules {
            let list = if rule.allows() {
                &mut out.allowed
            } else if rule.masks() && rule.art.strategy == Strategy::Stars {
                &mut out.masked_with_stars
            } else if rule.masks() {
                &mut out.masked_otherwise
            } else {
                continue;
            };
            for channel in &rule.art.channels {
                if !list.contains(&channel) {
                    list.push(channel);
                }
            }
        }
        out
    }
}

/// When every channel of the rule is, by default, what the rule makes it,
/// and no rule that decides those channels otherwise exists: one of them
/// and the outcome.
fn says_the_default<'r>(
    model: &Model<'_>,
    deciders: &Deciders<'_>,
    rule: &'r RuleView<'_>,
) -> Option<(&'r Channel, Outcome)> {
    let outcome = if rule.allows() {
        Outcome::Capture
    } else if rule.masks() && !rule.art.sealed && rule.art.strategy == Strategy::Stars {
        Outcome::Mask
    } else {
        return None;
    };
    if rule.ast.strategy.is_some() && outcome == Outcome::Mask {
        // `with stars` said on purpose: the author chose a strategy.
        return None;
    }
    for channel in &rule.art.channels {
        if model.default_always(channel, rule.art.scope) != Some(outcome) {
            return None;
        }
        // A rule that decides otherwise, which this one could override on
        // the elements below it: the other kind, or a mask with another
        // strategy (a mask with stars nearer the element picks stars).
        let other_kind = match outcome {
            Outcome::Capture => &deciders.masked_with_stars,
            Outcome::Mask => &deciders.allowed,
        };
        if deciders
            .masked_otherwise
            .iter()
            .chain(other_kind)
            .any(|c| model.overlap(c, channel))
        {
            return None;
        }
    }
    rule.art.channels.first().map(|c| (c, outcome))
}

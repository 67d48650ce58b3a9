//! Text masked while the sensitive attributes of the same elements are
//! captured (`title`, `aria-label`, `placeholder`, `alt` leaks).
//!
//! ## What it catches
//!
//! - A `mask text` rule without `attributes`, on elements whose sensitive
//!   attributes are captured: by `default attributes capture`, or by an
//!   `allow attributes` on the same or an enclosing element that no mask
//!   of `attributes` on the elements themselves overrides.
//! - The reverse: an `allow attributes` rule on elements whose text stays
//!   masked (by default or by a mask on the same or an enclosing element)
//!   and that no `allow text` reaches.
//!
//! ## Why it matters
//!
//! Attributes repeat the text they stand beside: a button's `aria-label`
//! says what the button says, an avatar's `alt` and a name's `title` give
//! the name, an input's `placeholder` is often pre-filled with the
//! visitor's own data. Masking the text and not the attributes is the
//! most common leak of replay tools; scrim decides them on separate
//! channels so that a policy can choose, which also means it can forget.
//!
//! ## Example
//!
//! ```scrim bad
//! scrim 1
//!
//! default text, attributes capture
//!
//! mask text ".customer-name"
//! #         ^^^^^^^^^^^^^^^^ attributes-captured-text-masked
//! ```
//!
//! ```scrim bad
//! scrim 1
//!
//! allow attributes ".user-card"
//! #                ^^^^^^^^^^^^ attributes-captured-text-masked
//! ```
//!
//! Mask both channels together:
//!
//! ```scrim
//! scrim 1
//!
//! default text, attributes capture
//!
//! mask text, attributes ".customer-name"
//! ```

use super::per_selector;
use crate::finding::{Finding, Findings};
use crate::model::{Model, RuleView};
use crate::registry::{Category, Check, Rule};
use crate::shape::Shape;
use scrim_artifact::{Channel, Outcome};
use scrim_syntax::ast::LintLevel;
use scrim_syntax::{Code, Fix, Span};

pub(crate) static RULE: Rule = Rule {
    id: "attributes-captured-text-masked",
    category: Category::Privacy,
    default_level: LintLevel::Warn,
    code: Code::LintAttributesCapturedTextMasked,
    source: include_str!("attributes_captured_text_masked.rs"),
    check: Check::Policy(check),
};

/// Whether a rule in force with `rule`, of the kind `pick` says, on
/// `channel`, selects the elements of `shape` (or, with `ancestors`, an
/// element enclosing them).
pub(crate) fn reached(
    model: &Model<'_>,
    rule: &RuleView<'_>,
    shape: &Shape,
    channel: &Channel,
    ancestors: bool,
    pick: impl Fn(&RuleView<'_>) -> bool,
) -> bool {
    model
        .covering_candidates(shape)
        .into_iter()
        .any(|(other, other_shape)| {
            other.index != rule.index
                && pick(other)
                && model.in_force_with(other.art.scope, rule.art.scope)
                && other.art.channels.iter().any(|c| model.covers(c, channel))
                && other_shape.covers(shape, ancestors)
        })
}

/// For each selector of allow rule `rule`: whether `channel` of what it
/// selects stays masked there (by the default or by a mask rule that
/// reaches it, with no allow rule that does).
pub(crate) fn stays_masked(
    model: &Model<'_>,
    rule: &RuleView<'_>,
    channel: &Channel,
) -> Vec<Option<()>> {
    let default_mask = model.default_always(channel, rule.art.scope) == Some(Outcome::Mask);
    rule.shapes
        .iter()
        .map(|shape| {
            let masked = default_mask || reached(model, rule, shape, channel, true, |o| o.masks());
            let allowed = reached(model, rule, shape, channel, true, |o| o.allows());
            (masked && !allowed).then_some(())
        })
        .collect()
}

fn check(model: &Model<'_>, out: &mut Findings) {
    let text = Channel::Text;
    let attributes = Channel::Attributes;
    for rule in model.user_rules() {
        let has = |c: &Channel| rule.art.channels.contains(c);
        let scope = rule.art.scope;
        if rule.masks() && has(&text) && !has(&attributes) {
            let default_capture =
                model.default_always(&attributes, scope) == Some(Outcome::Capture);
            let flagged: Vec<Option<()>> = rule
                .shapes
                .iter()
                .map(|shape| {
                    let masked_here = |ancestors| {
                        reached(model, rule, shape, &attributes, ancestors, |o| o.masks())
                    };
                    let allowed_above =
                        reached(model, rule, shape, &attributes, true, |o| o.allows());
                    let captured = (default_capture && !masked_here(true))
                        || (allowed_above && !masked_here(false));
                    captured.then_some(())
                })
                .collect();
            per_selector(model, rule, &flagged, out, |loc, piece, ()| {
                // Masking more is safe; for one selector of a list it would
                // also mask the others' attributes, which the author decides.
                let add_attributes =
                    rule.ast
                        .channels
                        .last()
                        .filter(|_| piece.is_none())
                        .map(|last| {
                            Fix::replace(
                                "mask the sensitive attributes too",
                                Span::new(last.span.end, last.span.end),
                                ", attributes",
                            )
                        });
                Finding::new(
                    RULE.id,
                    loc,
                    "the text of these elements is masked, but their sensitive attributes are captured",
                )
                .label("`title`, `aria-label`, `alt` and `placeholder` stay in clear")
                .help("mask both: `mask text, attributes …`")
                .fix(add_attributes)
            });
        }
        if rule.allows() && has(&attributes) && !has(&text) {
            let flagged = stays_masked(model, rule, &text);
            per_selector(model, rule, &flagged, out, |loc, _, ()| {
                Finding::new(
                    RULE.id,
                    loc,
                    "the sensitive attributes of these elements are captured, but their text stays masked",
                )
                .label("`title`, `aria-label` and `alt` often repeat the masked text")
                .help("allow the text too (`allow text, attributes …`), or keep the attributes masked")
            });
        }
    }
}

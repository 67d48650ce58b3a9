//! The rules, one module each. A module's `//!` doc is the rule's
//! documentation (see `docs.rs` for its shape); its `RULE` says what the
//! registry needs; its `check` finds what it reports.

use crate::finding::{Finding, Findings};
use crate::model::{Model, RuleView};
use crate::registry::Rule;
use scrim_syntax::Loc;

mod allow_everything;
mod attributes_captured_text_masked;
mod contradictory_rules;
mod default_only_elements;
mod detector_matches_empty;
mod detector_misses_example;
mod detector_quadratic;
mod duplicate_rule;
mod expensive_selector;
mod floor_allow;
mod page_pattern_never_matches;
mod preset_conflict;
mod rule_matches_nothing;
mod streaming_unstable_selector;
mod text_captured_attributes_masked;
mod unreachable_rule;
mod unused_suppression;
mod values_captured_by_default;

/// Every rule, in the order they run.
pub static RULES: &[&Rule] = &[
    &floor_allow::RULE,
    &unreachable_rule::RULE,
    &duplicate_rule::RULE,
    &contradictory_rules::RULE,
    &allow_everything::RULE,
    &attributes_captured_text_masked::RULE,
    &text_captured_attributes_masked::RULE,
    &values_captured_by_default::RULE,
    &streaming_unstable_selector::RULE,
    &expensive_selector::RULE,
    &page_pattern_never_matches::RULE,
    &detector_matches_empty::RULE,
    &detector_misses_example::RULE,
    &detector_quadratic::RULE,
    &preset_conflict::RULE,
    &rule_matches_nothing::RULE,
    &default_only_elements::RULE,
    &unused_suppression::RULE,
];

/// Reports the complex selectors of `rule` that `flagged` marks: the whole
/// selector when every one is (`make` gets `None`), else each one at its
/// own place (`make` gets its text).
pub(crate) fn per_selector<T>(
    model: &Model<'_>,
    rule: &RuleView<'_>,
    flagged: &[Option<T>],
    out: &mut Findings,
    make: impl Fn(Loc, Option<&str>, &T) -> Finding,
) {
    if flagged.iter().all(Option::is_some) {
        if let Some(Some(first)) = flagged.first() {
            out.add(make(
                model.loc(rule.file, rule.ast.selector.span),
                None,
                first,
            ));
        }
        return;
    }
    let text = model.sources[rule.file].text();
    for (i, flag) in flagged.iter().enumerate() {
        if let Some(flag) = flag {
            let span = rule.spans[i];
            let piece = text.get(span.start..span.end).unwrap_or("");
            out.add(make(model.loc(rule.file, span), Some(piece), flag));
        }
    }
}

/// "`.a` in this rule" or "this rule", for messages.
pub(crate) fn subject(piece: Option<&str>) -> String {
    match piece {
        Some(piece) => format!("`{piece}` in this rule"),
        None => "this rule".to_string(),
    }
}

/// Where another statement is, for messages: `shop.scrim:12` or
/// `preset:rrweb:4`.
pub(crate) fn place(model: &Model<'_>, rule: &RuleView<'_>) -> String {
    let loc = model.loc(rule.file, rule.span);
    let (line, _) = loc.start_line_column();
    format!("{}:{line}", model.sources[rule.file].name())
}

//! The rules, one module each. A module's `//!` doc is the rule's
//! documentation (see `docs.rs` for its shape); its `RULE` says what the
//! registry needs; its `check` finds what it reports.

use crate::finding::{Finding, Findings};
use crate::model::{Model, RuleView};
use crate::registry::Rule;
use scrim_syntax::{Edit, Fix, Loc, Span};

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

/// One complex selector of a rule's list, as a finding about it alone
/// names it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Piece<'a> {
    /// Its place in the list.
    pub index: usize,
    /// As written.
    pub text: &'a str,
}

/// Reports the complex selectors of `rule` that `flagged` marks: the whole
/// selector when every one is (`make` gets `None`), else each one at its
/// own place (`make` gets it).
pub(crate) fn per_selector<T>(
    model: &Model<'_>,
    rule: &RuleView<'_>,
    flagged: &[Option<T>],
    out: &mut Findings,
    make: impl Fn(Loc, Option<Piece<'_>>, &T) -> Finding,
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
    for (index, flag) in flagged.iter().enumerate() {
        if let Some(flag) = flag {
            let span = rule.spans[index];
            let piece = Piece {
                index,
                text: text.get(span.start..span.end).unwrap_or(""),
            };
            out.add(make(model.loc(rule.file, span), Some(piece), flag));
        }
    }
}

/// "`.a` in this rule" or "this rule", for messages.
pub(crate) fn subject(piece: Option<Piece<'_>>) -> String {
    match piece {
        Some(piece) => format!("`{}` in this rule", piece.text),
        None => "this rule".to_string(),
    }
}

/// The fix that removes what a finding is about: the rule's statement, or
/// one selector of its list with the comma that joins it to the next (the
/// previous, for the last). `None` when the selectors of the list cannot
/// be told apart in the source.
pub(crate) fn removal(
    model: &Model<'_>,
    rule: &RuleView<'_>,
    piece: Option<Piece<'_>>,
) -> Option<Fix> {
    let text = model.sources[rule.file].text();
    let Some(piece) = piece else {
        return Some(Fix::new(
            "remove this rule",
            vec![Edit {
                span: statement_lines(text, rule.span),
                replacement: String::new(),
            }],
        ));
    };
    let spans = &rule.spans;
    if spans.len() < 2 || spans.windows(2).any(|w| w[0].end > w[1].start) {
        return None;
    }
    let i = piece.index;
    let span = match spans.get(i + 1) {
        Some(next) => Span::new(spans[i].start, next.start),
        None => Span::new(spans[i - 1].end, spans[i].end),
    };
    Some(Fix::new(
        format!("remove `{}` from this rule", piece.text),
        vec![Edit {
            span,
            replacement: String::new(),
        }],
    ))
}

/// What removing a statement removes: its whole line (with a comment that
/// ends it) when nothing else is on it, else the statement alone.
pub(crate) fn statement_lines(text: &str, span: Span) -> Span {
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[span.end..]
        .find('\n')
        .map_or(text.len(), |i| span.end + i + 1);
    let before = &text[line_start..span.start];
    let after = text[span.end..line_end].trim_start();
    if before.trim().is_empty() && (after.is_empty() || after.starts_with('#')) {
        Span::new(line_start, line_end)
    } else {
        span
    }
}

/// Where another statement is, for messages: `shop.scrim:12` or
/// `preset:rrweb:4`.
pub(crate) fn place(model: &Model<'_>, rule: &RuleView<'_>) -> String {
    let loc = model.loc(rule.file, rule.span);
    let (line, _) = loc.start_line_column();
    format!("{}:{line}", model.sources[rule.file].name())
}

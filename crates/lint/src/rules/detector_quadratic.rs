//! A custom detector whose search can read far past a match before
//! returning it, which makes masking a text quadratic in its length.
//!
//! ## What it catches
//!
//! A `detect NAME /REGEX/` expression such that, once a search has found a
//! match, it can go on reading any amount of text in the hope of a longer
//! one, find none, and return the first: typically an alternation whose
//! first branch has an unbounded repetition the second branch ends before
//! (`/INV(-\d+)*-X|INV/`), or a repetition followed by a part that may
//! never come. It is decided exactly, on the expression's automaton.
//!
//! ## Why it matters
//!
//! Detectors run over every captured text and value, on the visitor's
//! device and on the server. Each search that reads ahead and returns the
//! early match is followed by a search from just after that match, which
//! reads the same text again: on a long text shaped the wrong way (a
//! pasted log line, a long number list), masking costs the square of its
//! length, and a page can stall the recorder. Linear-time engines
//! (scrim's regular expressions have no backtracking) protect one search,
//! not the sequence of them.
//!
//! ## Example
//!
//! ```scrim bad
//! scrim 1
//!
//! detect invoice /INV(-\d+)*-X|INV/
//! #              ^^^^^^^^^^^^^^^^^^ detector-quadratic
//! ```
//!
//! Write the alternatives so that a search never needs to look past the
//! end of a match it will return:
//!
//! ```scrim
//! scrim 1
//!
//! detect invoice /INV(-\d+)*(-X)?/
//! ```

use crate::finding::{Finding, Findings};
use crate::model::Model;
use crate::regexes::search_rescans;
use crate::registry::{Category, Check, Rule};
use scrim_syntax::Code;
use scrim_syntax::ast::{ItemKind, LintLevel};

pub(crate) static RULE: Rule = Rule {
    id: "detector-quadratic",
    category: Category::Performance,
    default_level: LintLevel::Warn,
    code: Code::LintDetectorQuadratic,
    source: include_str!("detector_quadratic.rs"),
    check: Check::Policy(check),
};

fn check(model: &Model<'_>, out: &mut Findings) {
    for (file, item) in model.user_items() {
        let ItemKind::DetectPattern { name, pattern, .. } = &item.kind else {
            continue;
        };
        if search_rescans(&pattern.value) == Some(true) {
            out.add(
                Finding::new(
                    RULE.id,
                    model.loc(file, pattern.span),
                    format!(
                        "detector `{}` can read any amount of text past a match before returning it",
                        name.text
                    ),
                )
                .label("masking a long text with it is quadratic")
                .help("order or bound the alternatives so that no branch keeps a search reading after a shorter match (`/A(B)?/` rather than `/AB|A/`), or bound the repetition that reads ahead"),
            );
        }
    }
}

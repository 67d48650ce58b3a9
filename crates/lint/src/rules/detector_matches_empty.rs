//! A custom detector, or a `redact path` expression, that can match the
//! empty string.
//!
//! ## What it catches
//!
//! - `detect NAME /REGEX/` whose expression matches an empty string:
//!   everything in it is optional (`/(ORD-)?\d*/`).
//! - `redact path /REGEX/` whose expression matches an empty path
//!   segment, as in `//` or a trailing `/`.
//!
//! ## Why it matters
//!
//! A detector masks the non-empty matches of its expression, so an
//! expression that can match nothing at all usually means a `*` where a
//! `+` was meant, or a required part written optional: it then also
//! matches far more than intended (`/(ORD-)?\d*/` finds every number on the
//! page, not just order numbers), and every position of every text is a
//! match to step over. A path expression that matches the empty segment
//! redacts the empty segments of every URL.
//!
//! ## Example
//!
//! ```scrim bad
//! scrim 1
//!
//! detect order-number /(ORD-)?\d*/
//! #                   ^^^^^^^^^^^^ detector-matches-empty
//! ```
//!
//! Make the part that identifies the match required:
//!
//! ```scrim
//! scrim 1
//!
//! detect order-number /ORD-\d{10}/
//! ```

use crate::finding::{Finding, Findings};
use crate::model::Model;
use crate::regexes::matches_empty;
use crate::registry::{Category, Check, Rule};
use scrim_syntax::Code;
use scrim_syntax::ast::{ItemKind, LintLevel};

pub(crate) static RULE: Rule = Rule {
    id: "detector-matches-empty",
    category: Category::Correctness,
    default_level: LintLevel::Warn,
    code: Code::LintDetectorMatchesEmpty,
    source: include_str!("detector_matches_empty.rs"),
    check: Check::Policy(check),
};

fn check(model: &Model<'_>, out: &mut Findings) {
    for (file, item) in model.user_items() {
        match &item.kind {
            ItemKind::DetectPattern { name, pattern, .. } if matches_empty(&pattern.value) => {
                out.add(
                    Finding::new(
                        RULE.id,
                        model.loc(file, pattern.span),
                        format!("the expression of detector `{}` can match the empty string", name.text),
                    )
                    .label("everything in it is optional")
                    .help("make the part that identifies a match required: `+` rather than `*`, no `?` on it"),
                );
            }
            ItemKind::RedactPath { pattern } => {
                let whole = scrim_artifact::whole_match_regex(&pattern.value);
                if regex_lite::Regex::new(&whole).is_ok_and(|re| re.is_match("")) {
                    out.add(
                        Finding::new(
                            RULE.id,
                            model.loc(file, pattern.span),
                            "this expression matches empty path segments",
                        )
                        .label("matches an empty segment")
                        .help("require at least one character: `+` rather than `*`"),
                    );
                }
            }
            _ => {}
        }
    }
}

//! A custom detector that finds nothing in one of its own examples.
//!
//! ## What it catches
//!
//! `detect NAME /REGEX/ examples "…", "…"`: each example is a text in which
//! the detector must find something to mask. An example in which the
//! expression finds no (non-empty) match is reported, matched exactly as
//! recorders and servers match it.
//!
//! ## Why it matters
//!
//! Examples are the detector's tests, kept beside it: a reviewer sees what
//! it is for, and the linter checks that it still finds it after an edit.
//! A detector that misses its own example misses the data it was written
//! for, and that data is recorded in clear wherever text is captured.
//!
//! ## Example
//!
//! ```scrim bad
//! scrim 1
//!
//! detect order-number /ORD-\d{10}/ examples "ORD-0000012345", "ord-0000012345"
//! #                                                           ^^^^^^^^^^^^^^^^ detector-misses-example
//! ```
//!
//! Make the expression find every example (here: any case):
//!
//! ```scrim
//! scrim 1
//!
//! detect order-number /(?i)ORD-\d{10}/ examples "ORD-0000012345", "ord-0000012345"
//! ```

use crate::finding::{Finding, Findings};
use crate::model::Model;
use crate::registry::{Category, Check, Rule};
use scrim_artifact::REGEX_SIZE_LIMIT;
use scrim_syntax::Code;
use scrim_syntax::ast::{ItemKind, LintLevel};

pub(crate) static RULE: Rule = Rule {
    id: "detector-misses-example",
    category: Category::Correctness,
    default_level: LintLevel::Warn,
    code: Code::LintDetectorMissesExample,
    source: include_str!("detector_misses_example.rs"),
    check: Check::Policy(check),
};

fn check(model: &Model<'_>, out: &mut Findings) {
    for (file, item) in model.user_items() {
        let ItemKind::DetectPattern {
            name,
            pattern,
            examples,
        } = &item.kind
        else {
            continue;
        };
        // As the runtimes build it; the compiler has accepted it.
        let Ok(regex) = regex_lite::RegexBuilder::new(&pattern.value)
            .size_limit(REGEX_SIZE_LIMIT)
            .build()
        else {
            continue;
        };
        for example in examples {
            if !regex.find_iter(&example.value).any(|m| !m.is_empty()) {
                out.add(
                    Finding::new(
                        RULE.id,
                        model.loc(file, example.span),
                        format!("detector `{}` finds nothing in this example", name.text),
                    )
                    .label("no match")
                    .related(model.loc(file, pattern.span), "the expression")
                    .help("fix the expression so that it finds the example, or the example if it is wrong"),
                );
            }
        }
    }
}

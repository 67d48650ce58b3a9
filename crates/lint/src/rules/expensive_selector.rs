//! A selector tried on every element that walks a long chain of
//! ancestors: a universal last compound after two or more descendant
//! steps.
//!
//! ## What it catches
//!
//! A complex selector whose last compound (the element it selects) names
//! no tag, class, id or attribute (`*`, `:not(.x)`, `:first-child`) and
//! that has at least two combinators before it: `.app .panel *`,
//! `main section :not(.public)`.
//!
//! ## Why it matters
//!
//! Matchers file each selector under its last compound's id, class,
//! attribute or tag, as browsers do, so that an element only tries the
//! selectors that can match it. A universal last compound is tried on
//! every element of every page and every inserted node, and each try walks
//! up the ancestors to match the rest of the chain. Recorders run in the
//! visitor's browser: the cost lands on every page load. Naming what the
//! rule is about (`.app .panel input`) or matching the container instead
//! (rules inherit to descendants: `mask text ".app .panel"`) does the same
//! work for a fraction of the cost.
//!
//! ## Example
//!
//! ```scrim bad
//! scrim 1
//!
//! allow text ".app .panel *"
//! #          ^^^^^^^^^^^^^^^ expensive-selector
//! ```
//!
//! Allow the container; its descendants inherit the rule:
//!
//! ```scrim
//! scrim 1
//!
//! allow text ".app .panel"
//! ```

use super::per_selector;
use crate::finding::{Finding, Findings};
use crate::model::Model;
use crate::registry::{Category, Check, Rule};
use crate::shape::Shape;
use scrim_syntax::Code;
use scrim_syntax::ast::LintLevel;

pub(crate) static RULE: Rule = Rule {
    id: "expensive-selector",
    category: Category::Performance,
    default_level: LintLevel::Warn,
    code: Code::LintExpensiveSelector,
    source: include_str!("expensive_selector.rs"),
    check: Check::Policy(check),
};

/// How many combinators before a universal last compound make a chain
/// long.
const LONG_CHAIN: usize = 2;

/// Whether the matcher's index files the selector under no key: its last
/// compound names no id, class, attribute or tag.
fn universal(shape: &Shape) -> bool {
    !shape.compounds[0].iter().any(|simple| {
        simple.starts_with(['.', '#', '['])
            || simple
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
    })
}

fn check(model: &Model<'_>, out: &mut Findings) {
    for rule in model.user_rules() {
        let flagged: Vec<Option<()>> = rule
            .shapes
            .iter()
            .map(|shape| (universal(shape) && shape.combinators.len() >= LONG_CHAIN).then_some(()))
            .collect();
        per_selector(model, rule, &flagged, out, |loc, piece, ()| {
            let what =
                piece.map_or_else(|| "this selector".to_string(), |p| format!("`{}`", p.text));
            Finding::new(
                RULE.id,
                loc,
                format!("{what} is tried on every element, each time walking its ancestors"),
            )
            .label("no tag, class, id or attribute in its last compound")
            .help("name what the rule selects in the last compound (`… input`), or select the container: rules inherit to descendants")
        });
    }
}

//! With `--pages`: a rule that matched no element of the pages where it
//! applies.
//!
//! ## What it catches
//!
//! A rule of the policy (or one selector of its list) that selects no
//! element of any page of the list given with `scrim lint --pages`, among
//! the pages that are recorded and where the rule's scope applies. A rule
//! whose scope applies to none of them is reported too.
//!
//! ## Why it matters
//!
//! A selector that matches nothing protects nothing. Markup changes: a
//! class is renamed, a component is rewritten, and the `mask` written for
//! it goes on reading well in review while the content it was about is
//! decided by the defaults. Checking the policy against real pages (saved
//! from the site, or rendered by its tests) finds these before a recording
//! does. A rule for content the pages do not have yet is fine: add a page
//! that has it, or suppress the finding with the reason.
//!
//! ## Example
//!
//! The markup says `client-name`; `customer-name` is left from an older
//! template:
//!
//! ```scrim bad
//! scrim 1
//!
//! default text capture
//! mask text ".client-name, .customer-name"
//! #                        ^^^^^^^^^^^^^^ rule-matches-nothing
//! ```
//!
//! ```html
//! <p class="client-name">Jane Doe</p>
//! ```
//!
//! Select what the pages have:
//!
//! ```scrim
//! scrim 1
//!
//! default text capture
//! mask text ".client-name"
//! ```
//!
//! ```html
//! <p class="client-name">Jane Doe</p>
//! ```

use super::{per_selector, subject};
use crate::corpus::Corpus;
use crate::finding::{Finding, Findings};
use crate::model::Model;
use crate::registry::{Category, Check, Rule};
use scrim_syntax::Code;
use scrim_syntax::ast::LintLevel;

pub(crate) static RULE: Rule = Rule {
    id: "rule-matches-nothing",
    category: Category::Correctness,
    default_level: LintLevel::Warn,
    code: Code::LintRuleMatchesNothing,
    source: include_str!("rule_matches_nothing.rs"),
    check: Check::Corpus(check),
};

fn check(model: &Model<'_>, corpus: &Corpus, out: &mut Findings) {
    let list = corpus.list.name();
    let pages = corpus.pages.len();
    if pages == 0 {
        return;
    }
    for rule in model.user_rules() {
        let Some(matches) = corpus.rules.get(rule.index) else {
            continue;
        };
        if matches.pages_in_scope == 0 {
            out.add(
                Finding::new(
                    RULE.id,
                    model.loc(rule.file, rule.ast.selector.span),
                    format!(
                        "this rule applies to none of {} of `{list}`",
                        pages_of(pages)
                    ),
                )
                .label("not checked against any page")
                .help(
                    "add a page where its scope applies (its URL, consent and region) to the list",
                ),
            );
            continue;
        }
        let flagged: Vec<Option<()>> = rule
            .shapes
            .iter()
            .enumerate()
            .map(|(i, _)| (!matches.matched.get(i).copied().unwrap_or(true)).then_some(()))
            .collect();
        let in_scope = matches.pages_in_scope;
        per_selector(model, rule, &flagged, out, |loc, piece, ()| {
            Finding::new(
                RULE.id,
                loc,
                format!(
                    "{} matched no element of {} of `{list}` where it applies",
                    subject(piece),
                    pages_of(in_scope)
                ),
            )
            .label("matches nothing")
            .help("check the selector against the pages' markup; a class may have been renamed")
        });
    }
}

/// "the page" or "the 3 pages".
fn pages_of(count: usize) -> String {
    if count == 1 {
        "the page".to_string()
    } else {
        format!("the {count} pages")
    }
}

//! An `allow` on every element (`*`, `html`, `body`, `:root`) in a policy
//! that is private by default.
//!
//! ## What it catches
//!
//! An `allow` rule with a selector that names nothing but `*`, `html`,
//! `body` and `:root` (`"body"`, `"html *"`, `":root > body"`), for a
//! channel whose default is, on some page where the rule applies, `mask`.
//! By inheritance, an allow on the root or the body is an allow on the
//! whole page.
//!
//! ## Why it matters
//!
//! It turns a private-by-default policy into a capture-everything one
//! while still reading as private: `default text mask` at the top, and
//! every text in clear. Every element nobody thought of is recorded, and a
//! new form field is captured the day it ships. If the policy is meant to
//! capture by default, say so with `default CHANNEL capture`, and mask
//! what must stay private.
//!
//! ## Example
//!
//! ```scrim bad
//! scrim 1
//!
//! mask text ".customer-name"
//! allow text "body"
//! #          ^^^^^^ allow-everything
//! ```
//!
//! State the default, and keep the exceptions as rules:
//!
//! ```scrim
//! scrim 1
//!
//! default text capture
//! mask text ".customer-name"
//! ```

use super::per_selector;
use crate::finding::{Finding, Findings};
use crate::model::Model;
use crate::registry::{Category, Check, Rule};
use scrim_artifact::{Channel, Outcome};
use scrim_syntax::Code;
use scrim_syntax::ast::LintLevel;

pub(crate) static RULE: Rule = Rule {
    id: "allow-everything",
    category: Category::Privacy,
    default_level: LintLevel::Warn,
    code: Code::LintAllowEverything,
    source: include_str!("allow_everything.rs"),
    check: Check::Policy(check),
};

fn check(model: &Model<'_>, out: &mut Findings) {
    for rule in model.user_rules().filter(|r| r.allows()) {
        if !rule.shapes.iter().any(|shape| shape.is_everything()) {
            continue;
        }
        let private: Vec<&Channel> = rule
            .art
            .channels
            .iter()
            .filter(|c| {
                model
                    .possible_defaults(c, rule.art.scope)
                    .contains(&Outcome::Mask)
            })
            .collect();
        let Some(first) = private.first() else {
            continue;
        };
        let flagged: Vec<Option<()>> = rule
            .shapes
            .iter()
            .map(|shape| shape.is_everything().then_some(()))
            .collect();
        per_selector(model, rule, &flagged, out, |loc, piece, ()| {
            let what =
                piece.map_or_else(|| "this selector".to_string(), |p| format!("`{}`", p.text));
            Finding::new(
                RULE.id,
                loc,
                format!("{what} allows `{first}` on the whole page, where it is masked by default"),
            )
            .label("every element")
            .help(format!(
                "write `default {first} capture` if the page is meant to be captured, or allow the elements that may be, by name"
            ))
        });
    }
}

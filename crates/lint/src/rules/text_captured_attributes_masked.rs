//! Text allowed while the sensitive attributes of the same elements stay
//! masked: the replay shows a label and stars in its tooltip.
//!
//! ## What it catches
//!
//! An `allow text` rule without `attributes`, on elements whose sensitive
//! attributes stay masked (by default, or by a mask on the same or an
//! enclosing element) and that no `allow attributes` reaches.
//!
//! ## Why it matters
//!
//! It is the safe direction, so the rule is off by default: turn it on
//! (`lint text-captured-attributes-masked warn`) when reviewing a policy
//! for replays that make sense. An allowed heading whose `title` is stars,
//! or a captured button whose `aria-label` is masked, shows that the author
//! thought of the text and not of the attributes; if the text is safe to
//! record, its labels usually are too.
//!
//! ## Example
//!
//! ```scrim bad
//! scrim 1
//!
//! lint text-captured-attributes-masked warn
//!
//! allow text ".product-card"
//! #          ^^^^^^^^^^^^^^^ text-captured-attributes-masked
//! ```
//!
//! Allow both, when both are safe:
//!
//! ```scrim
//! scrim 1
//!
//! lint text-captured-attributes-masked warn
//!
//! allow text, attributes ".product-card"
//! ```

use super::attributes_captured_text_masked::stays_masked;
use super::per_selector;
use crate::finding::{Finding, Findings};
use crate::model::Model;
use crate::registry::{Category, Check, Rule};
use scrim_artifact::Channel;
use scrim_syntax::Code;
use scrim_syntax::ast::LintLevel;

pub(crate) static RULE: Rule = Rule {
    id: "text-captured-attributes-masked",
    category: Category::Style,
    default_level: LintLevel::Allow,
    code: Code::LintTextCapturedAttributesMasked,
    source: include_str!("text_captured_attributes_masked.rs"),
    check: Check::Policy(check),
};

fn check(model: &Model<'_>, out: &mut Findings) {
    let text = Channel::Text;
    let attributes = Channel::Attributes;
    for rule in model.user_rules().filter(|r| r.allows()) {
        if !rule.art.channels.contains(&text) || rule.art.channels.contains(&attributes) {
            continue;
        }
        let flagged = stays_masked(model, rule, &attributes);
        per_selector(model, rule, &flagged, out, |loc, _, ()| {
            Finding::new(
                RULE.id,
                loc,
                "the text of these elements is captured, but their sensitive attributes stay masked",
            )
            .label("`title`, `aria-label` and `alt` are masked")
            .help("allow the attributes too (`allow text, attributes …`) when they are as safe as the text")
        });
    }
}

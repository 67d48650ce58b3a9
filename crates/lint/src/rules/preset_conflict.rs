//! A rule of the policy that decides a preset's markup the other way: it
//! allows what the preset blocks or masks, or masks what it allows.
//!
//! ## What it catches
//!
//! A rule whose selector names the markup (a class, id or attribute) that
//! a rule of a preset the policy uses selects by, with the opposite
//! effect on a channel both decide:
//!
//! - an `allow` of elements the preset blocks (`.rr-block …`): nothing of
//!   them is recorded, whatever the allow says;
//! - an `allow` on or inside elements the preset masks (`.sentry-mask
//!   h1`): on the same element the mask wins, below it the allow lifts the
//!   vendor's mask (and below a sealed one, as `fs-mask`, it never can);
//! - a `mask` or `block` of elements the preset allows (`.fs-unmask`):
//!   the policy overrides the annotation the team put in its markup.
//!
//! ## Why it matters
//!
//! A preset exists so that the annotations already in a team's templates
//! keep meaning what they meant with the old vendor. A rule of the policy
//! that decides the same markup otherwise means one of the two is wrong:
//! either the annotation no longer says what the page does, or the rule
//! quietly undoes a privacy marker a front-end developer placed on
//! purpose. Decide which, and say it in one place.
//!
//! ## Example
//!
//! ```scrim bad
//! scrim 1
//!
//! preset sentry
//!
//! allow text ".sentry-mask h1"
//! #          ^^^^^^^^^^^^^^^^^ preset-conflict
//! ```
//!
//! Allow what is not annotated, or remove the annotation from the markup:
//!
//! ```scrim
//! scrim 1
//!
//! preset sentry
//!
//! allow text "article h1"
//! ```

use super::per_selector;
use crate::finding::{Finding, Findings};
use crate::model::{Model, RuleView};
use crate::registry::{Category, Check, Rule};
use scrim_syntax::Code;
use scrim_syntax::ast::LintLevel;

pub(crate) static RULE: Rule = Rule {
    id: "preset-conflict",
    category: Category::Correctness,
    default_level: LintLevel::Warn,
    code: Code::LintPresetConflict,
    source: include_str!("preset_conflict.rs"),
    check: Check::Policy(check),
};

#[derive(Clone, Copy)]
enum Conflict {
    AllowsBlocked,
    AllowsMasked,
    MasksAllowed,
}

fn check(model: &Model<'_>, out: &mut Findings) {
    let presets: Vec<&RuleView<'_>> = model
        .rules
        .iter()
        .filter(|r| !model.is_user(r.file))
        .collect();
    for rule in model.user_rules() {
        let flagged: Vec<Option<(&RuleView<'_>, Conflict, String)>> = rule
            .shapes
            .iter()
            .map(|shape| {
                let named: Vec<&str> = shape.markup().collect();
                presets.iter().copied().find_map(|preset| {
                    let key = preset
                        .shapes
                        .iter()
                        .flat_map(|s| s.subject_markup())
                        .find(|key| named.contains(key))?;
                    let overlap = || {
                        rule.art
                            .channels
                            .iter()
                            .any(|c| preset.art.channels.iter().any(|p| model.overlap(c, p)))
                    };
                    let conflict = if preset.blocks() && rule.allows() {
                        Conflict::AllowsBlocked
                    } else if preset.masks() && rule.allows() && overlap() {
                        Conflict::AllowsMasked
                    } else if preset.allows() && (rule.blocks() || (rule.masks() && overlap())) {
                        Conflict::MasksAllowed
                    } else {
                        return None;
                    };
                    Some((preset, conflict, key.to_string()))
                })
            })
            .collect();
        per_selector(
            model,
            rule,
            &flagged,
            out,
            |loc, _, (preset, conflict, key)| {
                let name = model.preset(preset.file).unwrap_or("?");
                let (message, help) = match conflict {
                    Conflict::AllowsBlocked => (
                        format!(
                            "preset `{name}` blocks `{key}` elements: this allow can only be about what it hides"
                        ),
                        "nothing inside a blocked element is recorded; remove the annotation from the markup, or this rule",
                    ),
                    Conflict::AllowsMasked => (
                        format!(
                            "preset `{name}` masks `{key}` elements, and this rule allows them or what is inside them"
                        ),
                        "decide in one place: remove the annotation where the content may be recorded, or allow other elements",
                    ),
                    Conflict::MasksAllowed => (
                        format!(
                            "preset `{name}` allows `{key}` elements, and this rule masks them"
                        ),
                        "decide in one place: remove the annotation from the markup, or this rule",
                    ),
                };
                Finding::new(RULE.id, loc, message)
                    .label(format!("`{key}` is a `{name}` annotation"))
                    .help(help)
                    .related(
                        model.loc(preset.file, preset.ast.selector.span),
                        format!("the preset's rule {}", preset.describe()),
                    )
            },
        );
    }
}

//! A `default value capture`: every input value captured unless a rule
//! masks it.
//!
//! ## What it catches
//!
//! A `default` statement that sets `value` (or `all`) to `capture`, at the
//! top level or in a scope.
//!
//! ## Why it matters
//!
//! Input values are what visitors type: names, addresses, messages,
//! search terms, health details. With values captured by default, every
//! field nobody listed is recorded in clear, including those added after
//! the policy was written. Floors still mask passwords, card fields,
//! one-time codes and hidden inputs, and detectors catch what they
//! recognise, but nothing else. Keep the built-in default (`mask`) and
//! `allow value` the fields that are safe; where capturing is deliberate
//! (an internal tool with no personal data), suppress the finding with the
//! reason.
//!
//! ## Example
//!
//! ```scrim bad
//! scrim 1
//!
//! default value capture
//! #       ^^^^^ values-captured-by-default
//! ```
//!
//! Allow the fields that are safe to record:
//!
//! ```scrim
//! scrim 1
//!
//! allow value "input[type=search], select[name=size]"
//! ```

use crate::finding::{Finding, Findings};
use crate::model::Model;
use crate::registry::{Category, Check, Rule};
use scrim_syntax::ast::{Channel, ItemKind, LintLevel, Outcome};
use scrim_syntax::{Code, Fix};

pub(crate) static RULE: Rule = Rule {
    id: "values-captured-by-default",
    category: Category::Privacy,
    default_level: LintLevel::Warn,
    code: Code::LintValuesCapturedByDefault,
    source: include_str!("values_captured_by_default.rs"),
    check: Check::Policy(check),
};

fn check(model: &Model<'_>, out: &mut Findings) {
    for (file, item) in model.user_items() {
        let ItemKind::Default { channels, outcome } = &item.kind else {
            continue;
        };
        if outcome.outcome != Outcome::Capture {
            continue;
        }
        for channel in channels {
            if matches!(channel.channel, Channel::Value | Channel::All) {
                out.add(
                    Finding::new(
                        RULE.id,
                        model.loc(file, channel.span),
                        "input values are captured by default",
                    )
                    .label("every field no rule masks is recorded")
                    .help("keep values masked by default and `allow value` the fields that are safe to record")
                    .fix((channels.len() == 1 && channel.channel == Channel::Value).then(|| {
                        Fix::replace("mask values by default", outcome.span, "mask")
                    })),
                );
            }
        }
    }
}

//! An `allow value` rule for inputs whose value a floor always masks:
//! password, payment card, one-time-code and hidden inputs.
//!
//! ## What it catches
//!
//! An `allow value` rule whose selector's subject tests `type` or
//! `autocomplete` for a value under a floor, whatever the operator:
//! `input[type=password]`, `[autocomplete^=cc-]`, `form
//! :is([type~=hidden])`. Negations are not taken for floors: `allow value
//! "input:not([type=password])"` is fine, and the floors still mask the
//! inputs it selects that have one.
//!
//! ## Why it matters
//!
//! Floors are step 3 of the resolution order: no rule can lift them, on any
//! recorder or server. A rule that tries says the opposite of what the
//! policy does, and usually means its author believes passwords or card
//! numbers are being recorded. The compiler refuses such a policy
//! (`compile::allow-floor`) rather than write an artifact that contradicts
//! its source, so this rule is always an error: no `lint` statement or
//! comment can lower it.
//!
//! ## Example
//!
//! ```scrim bad
//! scrim 1
//!
//! allow value "form input[type=password]"
//! #           ^^^^^^^^^^^^^^^^^^^^^^^^^^^ floor-allow
//! ```
//!
//! Allow the other inputs of the form; the floors keep the passwords:
//!
//! ```scrim
//! scrim 1
//!
//! allow value "form input:not([type=password])"
//! ```

use crate::registry::{Category, Check, Rule};
use scrim_syntax::Code;
use scrim_syntax::ast::LintLevel;

pub(crate) static RULE: Rule = Rule {
    id: "floor-allow",
    category: Category::Privacy,
    default_level: LintLevel::Deny,
    code: Code::CompileAllowFloor,
    source: include_str!("floor_allow.rs"),
    check: Check::Compiler,
};

//! Explanations: why a channel of an element ended as it did, which rules
//! decided it, where they matched, and which rules matched but lost.

use crate::decision::{ChannelOutcome, Status};
use scrim_artifact::Loc;

/// The resolution step of the design that decided (or beat a rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// 1. The page is off.
    PageOff,
    /// 2. A block rule on the element or an ancestor.
    Block,
    /// 3. A floor no rule can lift.
    Floor,
    /// 4. A sealed mask on the element or an ancestor.
    Sealed,
    /// 5. The nearest element with a rule for the channel (mask beats allow
    ///    on the same element).
    NearestRule,
    /// 6. The default of the scopes that apply (or the built-in one).
    Default,
}

/// What decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cause<'p> {
    /// A page rule (`require consent`, `record only`, `never record`).
    PageRule { id: &'p str, loc: Loc },
    /// An element rule that matched `levels_up` levels above the element
    /// (0: the element itself).
    Rule {
        id: &'p str,
        loc: Loc,
        levels_up: usize,
    },
    /// The floor for the values of password, payment, one-time-code and
    /// hidden inputs.
    Floor,
    /// A `default` statement.
    Default { loc: Loc },
    /// The built-in default (private: text, value and sensitive attributes
    /// masked; media, events and other attributes captured).
    BuiltinDefault,
}

/// A rule that matched and lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lost<'p> {
    pub id: &'p str,
    pub loc: Loc,
    pub levels_up: usize,
    /// The step that beat it.
    pub beaten_by: Step,
}

/// The explanation of one channel decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation<'p> {
    pub status: Status,
    pub outcome: ChannelOutcome<'p>,
    pub step: Step,
    pub deciding: Vec<Cause<'p>>,
    pub lost: Vec<Lost<'p>>,
}

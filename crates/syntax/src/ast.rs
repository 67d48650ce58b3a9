//! The syntax tree of a policy: every statement with its byte span, plus the
//! comments beside them. Broken statements stay in the tree as
//! [`ItemKind::Error`] so that tools see the whole file.
//!
//! Every node derives `Serialize` and `PartialEq`. Positions are in fields
//! named `span` (and `Str::escapes`); the formatter clears them in place and
//! compares the trees with `==` to prove that formatting kept the meaning.
//! Blocks nest at most [`crate::MAX_BLOCK_DEPTH`] deep, so the derived
//! (recursive) implementations stay within a small stack.

use crate::source::Span;
use serde::Serialize;
use std::fmt;

/// A parsed policy file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Policy {
    pub items: Vec<Item>,
    pub comments: Vec<Comment>,
}

impl Policy {
    /// Every item, depth first, with its nesting depth (0 at top level).
    pub fn walk(&self) -> Vec<(usize, &Item)> {
        fn visit<'a>(items: &'a [Item], depth: usize, out: &mut Vec<(usize, &'a Item)>) {
            for item in items {
                out.push((depth, item));
                if let Some(block) = item.kind.block() {
                    visit(&block.items, depth + 1, out);
                }
            }
        }
        let mut out = Vec::new();
        visit(&self.items, 0, &mut out);
        out
    }
}

/// A `#` comment. `text` includes the `#`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comment {
    pub span: Span,
    pub text: String,
    /// Whether code stands before it on the same line.
    pub trailing: bool,
}

/// One statement (a block counts as one, with its body).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub span: Span,
    pub kind: ItemKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ItemKind {
    /// `scrim 1`
    Version { version: u32 },
    /// `include "path"`
    Include { path: Str },
    /// `preset rrweb, sentry`
    Preset { names: Vec<Name> },
    /// `sensitive attributes …`
    Sensitive(SensitiveAttributes),
    /// `require consent a, b`
    RequireConsent { categories: Vec<Name> },
    /// `record only "pattern", …`
    RecordOnly { patterns: Vec<Str> },
    /// `never record "pattern", …`
    NeverRecord { patterns: Vec<Str> },
    /// `redact query a, b`
    RedactQuery { names: Vec<Name> },
    /// `redact path /re/`
    RedactPath { pattern: Str },
    /// `detect email, card`
    Detect { names: Vec<Name> },
    /// `detect NAME /re/`, optionally `examples "…", …`: texts in which
    /// the expression must find a match (the linter checks them).
    DetectPattern {
        name: Name,
        pattern: Str,
        examples: Vec<Str>,
    },
    /// `lint RULE, … allow|warn|deny`: the level of lint rules for the
    /// whole policy.
    Lint {
        rules: Vec<Name>,
        level: LintLevelRef,
    },
    /// `default CHANNELS OUTCOME`
    Default {
        channels: Vec<ChannelRef>,
        outcome: OutcomeRef,
    },
    /// `block`, `mask`, `allow`, `ignore`
    Rule(ElementRule),
    /// `on page "p", … { … }`
    OnPage { patterns: Vec<Str>, body: Block },
    /// `when COND and COND { … }`
    When {
        conditions: Vec<Condition>,
        body: Block,
    },
    /// A statement that did not parse; its text is kept verbatim.
    Error { text: String },
}

impl ItemKind {
    pub fn block(&self) -> Option<&Block> {
        match self {
            ItemKind::OnPage { body, .. } | ItemKind::When { body, .. } => Some(body),
            _ => None,
        }
    }

    /// Statements that say whether a page is recorded at all.
    pub fn is_page_decision(&self) -> bool {
        matches!(
            self,
            ItemKind::RequireConsent { .. }
                | ItemKind::RecordOnly { .. }
                | ItemKind::NeverRecord { .. }
        )
    }
}

/// The body of an `on page` or `when` block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Block {
    /// The span of the header, up to and including `{`.
    pub header_span: Span,
    pub items: Vec<Item>,
    /// The closing `}`; `None` when the block is never closed.
    pub close_span: Option<Span>,
}

/// A name as written (consent category, preset, detector, rule name,
/// attribute, query parameter, region code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Name {
    pub text: String,
    pub span: Span,
}

/// A string or regular-expression literal: its value (escapes resolved) and
/// enough to map a position inside the value back into the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Str {
    pub value: String,
    /// The whole literal, delimiters included.
    pub span: Span,
    /// Offsets in `value` of characters that were written escaped (two
    /// bytes in the file for one in the value).
    #[serde(skip)]
    pub escapes: Vec<usize>,
}

impl Str {
    /// The file offset of byte `offset` of the value.
    pub fn source_offset(&self, offset: usize) -> usize {
        let escaped_before = self.escapes.partition_point(|&e| e < offset);
        self.span.start + 1 + offset + escaped_before
    }

    /// The file span of a byte range of the value.
    pub fn source_span(&self, start: usize, end: usize) -> Span {
        let start = self.source_offset(start.min(self.value.len()));
        let end = self.source_offset(end.min(self.value.len())).max(start);
        Span::new(start, end.min(self.span.end))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum SensitiveAttributes {
    /// `sensitive attributes a, b` (may include `defaults`). A name that
    /// ends in `*` is a prefix pattern (`data-*`).
    List { names: Vec<Name> },
    /// `sensitive attributes all except a, b`, or `all` alone (no
    /// exception). A name that ends in `*` is a prefix pattern.
    AllExcept { names: Vec<Name> },
}

/// How a lint rule's findings are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum LintLevel {
    /// Not reported.
    Allow,
    /// Reported as a warning.
    Warn,
    /// Reported as an error.
    Deny,
}

impl LintLevel {
    pub const KEYWORDS: &'static [&'static str] = &["allow", "warn", "deny"];

    pub fn keyword(self) -> &'static str {
        match self {
            LintLevel::Allow => "allow",
            LintLevel::Warn => "warn",
            LintLevel::Deny => "deny",
        }
    }

    pub fn from_keyword(word: &str) -> Option<LintLevel> {
        Some(match word {
            "allow" => LintLevel::Allow,
            "warn" => LintLevel::Warn,
            "deny" => LintLevel::Deny,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LintLevelRef {
    pub level: LintLevel,
    pub span: Span,
}

/// What an element rule does, as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Verb {
    Block,
    Mask,
    Allow,
    Ignore,
}

impl Verb {
    pub fn keyword(self) -> &'static str {
        match self {
            Verb::Block => "block",
            Verb::Mask => "mask",
            Verb::Allow => "allow",
            Verb::Ignore => "ignore",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ElementRule {
    pub verb: Verb,
    pub sealed: bool,
    /// Empty for `block`.
    pub channels: Vec<ChannelRef>,
    pub selector: Str,
    pub strategy: Option<StrategyRef>,
    pub name: Option<Name>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Channel {
    Text,
    Value,
    Attributes,
    /// `attr:NAME`, the name lowercased.
    Attr(String),
    /// `attr:PREFIX*`: every attribute whose name starts with the prefix
    /// (lowercased, without its `*`).
    AttrPrefix(String),
    Media,
    Events,
    /// `text, value, attributes, media`
    All,
}

impl Channel {
    /// The channel names a user can write, for messages and completion.
    pub const KEYWORDS: &'static [&'static str] =
        &["text", "value", "attributes", "media", "events", "all"];

    pub fn from_keyword(word: &str) -> Option<Channel> {
        Some(match word {
            "text" => Channel::Text,
            "value" => Channel::Value,
            "attributes" => Channel::Attributes,
            "media" => Channel::Media,
            "events" => Channel::Events,
            "all" => Channel::All,
            _ => return None,
        })
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Channel::Text => f.write_str("text"),
            Channel::Value => f.write_str("value"),
            Channel::Attributes => f.write_str("attributes"),
            Channel::Attr(name) => write!(f, "attr:{name}"),
            Channel::AttrPrefix(prefix) => write!(f, "attr:{prefix}*"),
            Channel::Media => f.write_str("media"),
            Channel::Events => f.write_str("events"),
            Channel::All => f.write_str("all"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChannelRef {
    pub channel: Channel,
    pub span: Span,
}

/// The outcome of a `default` statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Outcome {
    Capture,
    Mask,
    /// Only for `events`.
    Ignore,
}

impl Outcome {
    pub const KEYWORDS: &'static [&'static str] = &["capture", "mask", "ignore"];

    pub fn keyword(self) -> &'static str {
        match self {
            Outcome::Capture => "capture",
            Outcome::Mask => "mask",
            Outcome::Ignore => "ignore",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutcomeRef {
    pub outcome: Outcome,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Strategy {
    Stars,
    Fixed(Str),
    Length(u32),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StrategyRef {
    pub strategy: Strategy,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ConditionKind {
    Consent(Name),
    NoConsent(Name),
    Region(Vec<Name>),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Condition {
    pub kind: ConditionKind,
    pub span: Span,
}

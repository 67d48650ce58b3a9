//! The compiled scrim policy: the boundary format between the compiler and
//! every matcher (browser recorder through WASM, ingest server, tools).
//!
//! These types are the format, not a mirror of the compiler's internals: they
//! change only together with [`VERSION`] and the JSON Schema committed at
//! `crates/artifact/schema/artifact.schema.json` (a test fails when the two
//! drift apart). Serialising an [`Artifact`] with [`Artifact::to_json`] gives
//! deterministic bytes: fields in declaration order, lists in policy order, no
//! maps with unordered keys.
//!
//! Loading is fail-closed: [`Artifact::from_json`] refuses an unknown format
//! name, an unknown version or a document that does not match the schema,
//! and callers must then record nothing.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The value of [`Artifact::format`].
pub const FORMAT: &str = "scrim-policy";
/// The version of the format this crate reads and writes.
pub const VERSION: u32 = 1;

// Limits on regular expressions, shared by the compiler and the matcher.
mod regexes;
pub use regexes::{REGEX_SIZE_LIMIT, whole_match_regex};

#[cfg(feature = "schema")]
use schemars::JsonSchema;

/// A compiled policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Artifact {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always [`VERSION`] for documents this crate reads.
    pub version: u32,
    /// The language version the policy was written in (`scrim 1`).
    pub language: u32,
    /// The source files the policy was compiled from: the root policy first,
    /// then includes and presets in the order they were first used.
    /// [`Loc::file`] indexes this list.
    pub sources: Vec<Source>,
    /// The attributes the `attributes` channel covers.
    pub sensitive_attributes: SensitiveAttributes,
    /// Scope 0 is the whole policy (no conditions); the others are `on page`
    /// and `when` blocks in source order.
    pub scopes: Vec<Scope>,
    /// `require consent`, `record only` and `never record` statements.
    pub page_rules: Vec<PageRule>,
    /// `block`, `mask`, `allow` and `ignore` rules in source order.
    pub rules: Vec<Rule>,
    /// `default` statements in source order.
    pub defaults: Vec<DefaultOutcome>,
    /// `detect` statements in source order.
    pub detectors: Vec<Detector>,
    /// `redact` statements in source order.
    pub redactions: Vec<Redaction>,
}

/// One file the policy came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The path as the user named it (root and includes) or `preset:NAME`.
    pub name: String,
}

/// Where a statement is in its source: for explanations and diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Loc {
    /// Index into [`Artifact::sources`].
    pub file: u32,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// Byte offset where the statement starts.
    pub start: u32,
    /// Byte offset just past the statement.
    pub end: u32,
}

/// The attribute set behind the `attributes` channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(tag = "mode", rename_all = "snake_case", deny_unknown_fields)]
pub enum SensitiveAttributes {
    /// Exactly these attributes (lowercase names, sorted, no duplicates).
    /// `href` is sensitive only with `mailto:` or `tel:` values and `value`
    /// only on buttons, when they are in the set by way of the built-in list;
    /// see [`SensitiveAttributes::builtin_conditional`].
    Only {
        names: Vec<String>,
        /// Whether the built-in list was included (`defaults`), which turns on
        /// the conditional treatment of `href` and `value`.
        builtin: bool,
    },
    /// Every attribute except these (lowercase names, sorted, no duplicates).
    AllExcept { names: Vec<String> },
}

impl SensitiveAttributes {
    /// The built-in sensitive attributes, used when a policy says nothing.
    pub const BUILTIN: &'static [&'static str] = &[
        "alt",
        "aria-description",
        "aria-label",
        "aria-valuetext",
        "href",
        "placeholder",
        "srcdoc",
        "title",
        "value",
    ];

    /// The built-in set.
    pub fn builtin() -> Self {
        SensitiveAttributes::Only {
            names: Self::BUILTIN.iter().map(|s| s.to_string()).collect(),
            builtin: true,
        }
    }

    /// Attributes of the built-in list whose sensitivity depends on the
    /// element: `href` only for `mailto:`/`tel:` links, `value` only on
    /// buttons (`<button>`, `<input type=button|submit|reset>`).
    pub fn builtin_conditional() -> &'static [&'static str] {
        &["href", "value"]
    }
}

/// A scope: a set of conditions that must all hold, plus those of its parent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Scope {
    /// The enclosing scope; `None` only for scope 0.
    pub parent: Option<u32>,
    /// All must hold (conjunction). Empty for scope 0.
    pub conditions: Vec<Condition>,
    /// The block header; `None` for scope 0.
    pub loc: Option<Loc>,
}

/// One condition of a scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    /// The page URL matches any of these patterns (`on page`).
    Page { patterns: Vec<UrlPattern> },
    /// The visitor granted this consent category (`when consent`).
    Consent { category: String },
    /// The visitor did not grant this category (`when not consent`).
    NoConsent { category: String },
    /// The visitor's region is one of these codes (`when region`), compared
    /// case-insensitively; stored uppercase.
    Region { codes: Vec<String> },
}

/// A WHATWG URL pattern, lowered to one anchored regular expression per URL
/// component so that runtimes match it without a URLPattern implementation.
/// The expressions use the common subset of Rust `regex`/`regex-lite` syntax.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct UrlPattern {
    /// The pattern as written in the policy.
    pub source: String,
    pub protocol: String,
    pub username: String,
    pub password: String,
    pub hostname: String,
    pub port: String,
    pub pathname: String,
    pub search: String,
    pub hash: String,
}

/// A statement that decides whether a page is recorded at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PageRule {
    pub id: String,
    pub scope: u32,
    pub kind: PageRuleKind,
    pub loc: Loc,
}

/// What a [`PageRule`] requires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum PageRuleKind {
    /// Recording is off unless every category was granted.
    RequireConsent { categories: Vec<String> },
    /// Allow-list: when any `record_only` rule applies, the page must match
    /// one of their patterns.
    RecordOnly { patterns: Vec<UrlPattern> },
    /// Recording is off on pages that match.
    NeverRecord { patterns: Vec<UrlPattern> },
}

/// An element rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// `NAME` from `as NAME`, else `FILE:LINE`, else `preset:NAME:LINE`.
    pub id: String,
    pub scope: u32,
    pub action: Action,
    /// Empty for `block`. `all` is expanded by the compiler.
    pub channels: Vec<Channel>,
    /// A CSS selector list, re-serialised by the compiler in canonical form.
    pub selector: String,
    /// Whether the mask is sealed (`mask sealed`); always false otherwise.
    pub sealed: bool,
    /// How a mask writes masked content; `stars` unless the rule says.
    pub strategy: Strategy,
    pub loc: Loc,
}

/// What an element rule does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Block,
    /// Masks its channels; for `events` this means ignore.
    Mask,
    Allow,
}

/// A channel, serialised as `text`, `value`, `attributes`, `attr:NAME`,
/// `media` or `events`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    Text,
    Value,
    /// Every attribute in the sensitive set.
    Attributes,
    /// One attribute, lowercase.
    Attr(String),
    Media,
    Events,
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Channel::Text => f.write_str("text"),
            Channel::Value => f.write_str("value"),
            Channel::Attributes => f.write_str("attributes"),
            Channel::Attr(name) => write!(f, "attr:{name}"),
            Channel::Media => f.write_str("media"),
            Channel::Events => f.write_str("events"),
        }
    }
}

impl std::str::FromStr for Channel {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "text" => Channel::Text,
            "value" => Channel::Value,
            "attributes" => Channel::Attributes,
            "media" => Channel::Media,
            "events" => Channel::Events,
            _ => match s.strip_prefix("attr:") {
                Some(name) if !name.is_empty() => Channel::Attr(name.to_ascii_lowercase()),
                _ => return Err(format!("unknown channel `{s}`")),
            },
        })
    }
}

impl Serialize for Channel {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Channel {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schema")]
impl JsonSchema for Channel {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Channel".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "`text`, `value`, `attributes`, `attr:NAME`, `media` or `events`",
            "type": "string",
            "pattern": "^(text|value|attributes|media|events|attr:.+)$"
        })
    }
}

/// How masked content is written.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Strategy {
    /// Every non-whitespace character becomes `*`; whitespace is kept.
    Stars,
    /// The whole masked string becomes `text`.
    Fixed { text: String },
    /// The masked string becomes exactly `length` stars.
    Length { length: u32 },
}

/// A `default` statement for one channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DefaultOutcome {
    pub scope: u32,
    pub channel: Channel,
    pub outcome: Outcome,
    pub loc: Loc,
}

/// What a channel ends as. For `events`, `mask` means ignore.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Capture,
    Mask,
}

/// A `detect` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Detector {
    /// The detector's name: a built-in name or the custom one.
    pub id: String,
    pub scope: u32,
    pub kind: DetectorKind,
    pub loc: Loc,
}

/// What a detector finds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum DetectorKind {
    Email,
    /// Payment card numbers that pass the Luhn check.
    Card,
    Phone,
    NationalId,
    /// A custom regular expression (Rust `regex` syntax, linear time).
    Pattern {
        pattern: String,
    },
}

/// A `redact` statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Redaction {
    pub scope: u32,
    pub kind: RedactionKind,
    pub loc: Loc,
}

/// What a [`Redaction`] removes from recorded URLs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum RedactionKind {
    /// Values of these query parameters become `redacted`.
    Query { names: Vec<String> },
    /// Path segments wholly matched by this expression become `redacted`.
    PathSegment { pattern: String },
}

/// Why an artifact could not be loaded. Every integration records nothing
/// when it gets one of these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// Not JSON, or JSON that does not match the schema.
    Malformed(String),
    /// `format` is not [`FORMAT`].
    NotAPolicy(String),
    /// `version` is not one this build reads.
    UnsupportedVersion(u32),
    /// Well-formed, but internally inconsistent (e.g. a scope index out of
    /// range).
    Inconsistent(String),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Malformed(e) => write!(f, "the policy artifact is malformed: {e}"),
            LoadError::NotAPolicy(format) => {
                write!(f, "not a scrim policy artifact (format `{format}`)")
            }
            LoadError::UnsupportedVersion(v) => write!(
                f,
                "policy artifact version {v} is not supported; this build reads version {VERSION}"
            ),
            LoadError::Inconsistent(e) => write!(f, "the policy artifact is inconsistent: {e}"),
        }
    }
}

impl std::error::Error for LoadError {}

impl Artifact {
    /// Deterministic JSON bytes (pretty-printed, trailing newline).
    pub fn to_json(&self) -> String {
        let mut out = serde_json::to_string_pretty(self).expect("artifact types always serialise");
        out.push('\n');
        out
    }

    /// Parses and checks an artifact. Fails closed: any doubt is an error.
    pub fn from_json(text: &str) -> Result<Artifact, LoadError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| LoadError::Malformed(e.to_string()))?;
        match value.get("format").and_then(|f| f.as_str()) {
            Some(FORMAT) => {}
            Some(other) => return Err(LoadError::NotAPolicy(other.to_string())),
            None => return Err(LoadError::Malformed("missing field `format`".into())),
        }
        match value.get("version").and_then(|v| v.as_u64()) {
            Some(v) if v == u64::from(VERSION) => {}
            Some(v) => return Err(LoadError::UnsupportedVersion(v.min(u32::MAX as u64) as u32)),
            None => return Err(LoadError::Malformed("missing field `version`".into())),
        }
        let artifact: Artifact =
            serde_json::from_value(value).map_err(|e| LoadError::Malformed(e.to_string()))?;
        artifact.check_consistency()?;
        Ok(artifact)
    }

    fn check_consistency(&self) -> Result<(), LoadError> {
        let scopes = self.scopes.len() as u32;
        let files = self.sources.len() as u32;
        let bad = |what: String| Err(LoadError::Inconsistent(what));
        match self.scopes.first() {
            Some(Scope {
                parent: None,
                conditions,
                ..
            }) if conditions.is_empty() => {}
            _ => return bad("scope 0 must be the unconditional root scope".into()),
        }
        for (i, scope) in self.scopes.iter().enumerate().skip(1) {
            match scope.parent {
                Some(p) if (p as usize) < i => {}
                _ => return bad(format!("scope {i} must have an earlier parent")),
            }
        }
        let check_loc = |loc: &Loc| loc.file < files && loc.start <= loc.end;
        let locs = self
            .page_rules
            .iter()
            .map(|r| (r.scope, &r.loc))
            .chain(self.rules.iter().map(|r| (r.scope, &r.loc)))
            .chain(self.defaults.iter().map(|d| (d.scope, &d.loc)))
            .chain(self.detectors.iter().map(|d| (d.scope, &d.loc)))
            .chain(self.redactions.iter().map(|r| (r.scope, &r.loc)));
        for (scope, loc) in locs {
            if scope >= scopes {
                return bad(format!("scope {scope} does not exist"));
            }
            if !check_loc(loc) {
                return bad(format!("source location {loc:?} does not exist"));
            }
        }
        for rule in &self.rules {
            if rule.action == Action::Block && !rule.channels.is_empty() {
                return bad(format!("block rule `{}` names channels", rule.id));
            }
            if rule.action != Action::Block && rule.channels.is_empty() {
                return bad(format!("rule `{}` names no channel", rule.id));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_other_versions_and_formats() {
        let err = Artifact::from_json(r#"{"format":"scrim-policy","version":99}"#).unwrap_err();
        assert_eq!(err, LoadError::UnsupportedVersion(99));
        let err = Artifact::from_json(r#"{"format":"other","version":1}"#).unwrap_err();
        assert!(matches!(err, LoadError::NotAPolicy(_)));
        assert!(matches!(
            Artifact::from_json("{"),
            Err(LoadError::Malformed(_))
        ));
    }

    #[test]
    fn channels_round_trip_through_their_text_form() {
        for text in [
            "text",
            "value",
            "attributes",
            "attr:data-x",
            "media",
            "events",
        ] {
            let channel: Channel = text.parse().unwrap();
            assert_eq!(channel.to_string(), text);
        }
        assert!("attr:".parse::<Channel>().is_err());
        assert!("colour".parse::<Channel>().is_err());
    }
}

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
//! name, an unknown version, a document that does not match the schema, an
//! inconsistent one, and anything the compiler would never write (see
//! [`limits`]); callers must then record nothing.

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

mod check;
pub mod limits;
pub mod vocabulary;

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
    #[cfg_attr(feature = "schema", schemars(range(min = *limits::LANGUAGE_VERSIONS.start(), max = *limits::LANGUAGE_VERSIONS.end())))]
    pub language: u32,
    /// The source files the policy was compiled from: the root policy first,
    /// then includes and presets in the order they were first used.
    /// [`Loc::file`] indexes this list.
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = limits::MAX_SOURCES)))]
    pub sources: Vec<Source>,
    /// The attributes the `attributes` channel covers.
    pub sensitive_attributes: SensitiveAttributes,
    /// Scope 0 is the whole policy (no conditions); the others are `on page`
    /// and `when` blocks in source order.
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = limits::MAX_STATEMENTS)))]
    pub scopes: Vec<Scope>,
    /// `require consent`, `record only` and `never record` statements.
    #[cfg_attr(feature = "schema", schemars(length(max = limits::MAX_STATEMENTS)))]
    pub page_rules: Vec<PageRule>,
    /// `block`, `mask`, `allow` and `ignore` rules in source order.
    #[cfg_attr(feature = "schema", schemars(length(max = limits::MAX_STATEMENTS)))]
    pub rules: Vec<Rule>,
    /// `default` statements in source order.
    #[cfg_attr(feature = "schema", schemars(length(max = limits::MAX_STATEMENTS)))]
    pub defaults: Vec<DefaultOutcome>,
    /// `detect` statements in source order.
    #[cfg_attr(feature = "schema", schemars(length(max = limits::MAX_DETECTORS)))]
    pub detectors: Vec<Detector>,
    /// `redact` statements in source order.
    #[cfg_attr(feature = "schema", schemars(length(max = limits::MAX_STATEMENTS)))]
    pub redactions: Vec<Redaction>,
}

/// One file the policy came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The path as the user named it (root and includes) or `preset:NAME`.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
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
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub line: u32,
    /// 1-based column, in characters.
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
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
    /// Exactly these attributes (lowercase names, sorted, no duplicates). An
    /// entry `PREFIX*` stands for every attribute whose name starts with
    /// `PREFIX`. `href` is sensitive only with `mailto:` or `tel:` values
    /// and `value` only on buttons, when they are in the set by way of the
    /// built-in list; see [`SensitiveAttributes::builtin_conditional`].
    Only {
        #[cfg_attr(feature = "schema", schemars(length(max = limits::MAX_LIST_ITEMS), inner(pattern(limits::ATTRIBUTE_NAME_OR_PREFIX_PATTERN), length(max = limits::MAX_NAME_BYTES))))]
        names: Vec<String>,
        /// Whether the built-in list was included (`defaults`), which turns on
        /// the conditional treatment of `href` and `value`.
        builtin: bool,
    },
    /// Every attribute except these (lowercase names or `PREFIX*` entries,
    /// sorted, no duplicates).
    AllExcept {
        #[cfg_attr(feature = "schema", schemars(length(max = limits::MAX_LIST_ITEMS), inner(pattern(limits::ATTRIBUTE_NAME_OR_PREFIX_PATTERN), length(max = limits::MAX_NAME_BYTES))))]
        names: Vec<String>,
    },
}

impl SensitiveAttributes {
    /// The built-in sensitive attributes, used when a policy says nothing.
    pub const BUILTIN: &'static [&'static str] = vocabulary::SENSITIVE_ATTRIBUTES;

    /// The built-in set.
    pub fn builtin() -> Self {
        SensitiveAttributes::Only {
            names: Self::BUILTIN.iter().map(|s| s.to_string()).collect(),
            builtin: true,
        }
    }

    /// Attributes of the built-in list whose sensitivity depends on the
    /// element: `href` only for contact links
    /// ([`vocabulary::CONTACT_URL_SCHEMES`]), `value` only on buttons
    /// (`<button>`, [`vocabulary::BUTTON_INPUT_TYPES`]).
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
    #[cfg_attr(feature = "schema", schemars(length(max = limits::MAX_LIST_ITEMS)))]
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
    Page {
        #[cfg_attr(feature = "schema", schemars(length(min = 1, max = limits::MAX_LIST_ITEMS)))]
        patterns: Vec<UrlPattern>,
    },
    /// The visitor granted this consent category (`when consent`).
    Consent {
        #[cfg_attr(feature = "schema", schemars(pattern(limits::NAME_PATTERN), length(max = limits::MAX_NAME_BYTES)))]
        category: String,
    },
    /// The visitor did not grant this category (`when not consent`).
    NoConsent {
        #[cfg_attr(feature = "schema", schemars(pattern(limits::NAME_PATTERN), length(max = limits::MAX_NAME_BYTES)))]
        category: String,
    },
    /// The visitor's region is one of these codes (`when region`), compared
    /// case-insensitively; stored uppercase.
    Region {
        #[cfg_attr(feature = "schema", schemars(length(min = 1, max = limits::MAX_LIST_ITEMS), inner(pattern(limits::REGION_CODE_PATTERN), length(max = limits::MAX_NAME_BYTES))))]
        codes: Vec<String>,
    },
}

/// A WHATWG URL pattern, lowered to one anchored regular expression per URL
/// component so that runtimes match it without a URLPattern implementation.
/// The expressions use the common subset of Rust `regex`/`regex-lite` syntax.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct UrlPattern {
    /// The pattern as written in the policy.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub source: String,
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub protocol: String,
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub username: String,
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub password: String,
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub hostname: String,
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub port: String,
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub pathname: String,
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub search: String,
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub hash: String,
}

/// A statement that decides whether a page is recorded at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PageRule {
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
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
    RequireConsent {
        #[cfg_attr(feature = "schema", schemars(length(min = 1, max = limits::MAX_LIST_ITEMS), inner(pattern(limits::NAME_PATTERN), length(max = limits::MAX_NAME_BYTES))))]
        categories: Vec<String>,
    },
    /// Allow-list: when any `record_only` rule applies, the page must match
    /// one of their patterns.
    RecordOnly {
        #[cfg_attr(feature = "schema", schemars(length(min = 1, max = limits::MAX_LIST_ITEMS)))]
        patterns: Vec<UrlPattern>,
    },
    /// Recording is off on pages that match.
    NeverRecord {
        #[cfg_attr(feature = "schema", schemars(length(min = 1, max = limits::MAX_LIST_ITEMS)))]
        patterns: Vec<UrlPattern>,
    },
}

/// An element rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// `NAME` from `as NAME`, else `FILE:LINE`, else `preset:NAME:LINE`.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub id: String,
    pub scope: u32,
    pub action: Action,
    /// Empty for `block`. `all` is expanded by the compiler. Sorted, no
    /// duplicates.
    #[cfg_attr(feature = "schema", schemars(length(max = limits::MAX_LIST_ITEMS)))]
    pub channels: Vec<Channel>,
    /// A CSS selector list, re-serialised by the compiler in canonical form.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
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
/// `attr:PREFIX*`, `media` or `events`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    Text,
    Value,
    /// Every attribute in the sensitive set.
    Attributes,
    /// One attribute, lowercase.
    Attr(String),
    /// Every attribute whose name starts with this prefix (lowercase; names
    /// compared ASCII-case-insensitively), written `attr:PREFIX*`.
    AttrPrefix(String),
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
            Channel::AttrPrefix(prefix) => write!(f, "attr:{prefix}*"),
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
                // As written: a loader refuses a name or prefix a compiler
                // would not write (uppercase, a `*` inside, an empty
                // prefix), rather than guess.
                Some(name) if !name.is_empty() => match name.strip_suffix('*') {
                    Some(prefix) => Channel::AttrPrefix(prefix.to_string()),
                    None => Channel::Attr(name.to_string()),
                },
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
            "description": "`text`, `value`, `attributes`, `attr:NAME`, `attr:PREFIX*`, `media` or `events`",
            "type": "string",
            "pattern": format!(
                "^(text|value|attributes|media|events|attr:{})$",
                limits::ATTRIBUTE_NAME_OR_PREFIX_PATTERN
                    .trim_start_matches('^')
                    .trim_end_matches('$')
            )
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
    Fixed {
        #[cfg_attr(feature = "schema", schemars(length(max = limits::MAX_FIXED_TEXT_CHARS)))]
        text: String,
    },
    /// The masked string becomes exactly `length` stars.
    Length {
        #[cfg_attr(feature = "schema", schemars(range(min = *limits::MASK_LENGTH.start(), max = *limits::MASK_LENGTH.end())))]
        length: u32,
    },
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
    #[cfg_attr(feature = "schema", schemars(pattern(limits::NAME_PATTERN), length(max = limits::MAX_NAME_BYTES)))]
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
        #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
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
    Query {
        #[cfg_attr(feature = "schema", schemars(length(min = 1, max = limits::MAX_LIST_ITEMS), inner(pattern(limits::PARAMETER_NAME_PATTERN), length(max = limits::MAX_NAME_BYTES))))]
        names: Vec<String>,
    },
    /// Path segments wholly matched by this expression become `redacted`.
    PathSegment {
        #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
        pattern: String,
    },
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
    /// Consistent, but holding what no compiler writes: a value outside
    /// [`limits`], a name that is not a name, a statement the language
    /// cannot express.
    Invalid(String),
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
            LoadError::Invalid(e) => {
                write!(f, "the policy artifact holds what no compiler writes: {e}")
            }
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
        artifact.check()?;
        Ok(artifact)
    }

    /// Checks an artifact as [`Artifact::from_json`] does once it is parsed
    /// (format, version, consistency, [`limits`]): for an artifact built in
    /// memory, and for a compiler to check what it writes.
    pub fn check(&self) -> Result<(), LoadError> {
        check::check(self)
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
            "attr:data-*",
            "media",
            "events",
        ] {
            let channel: Channel = text.parse().unwrap();
            assert_eq!(channel.to_string(), text);
        }
        assert_eq!(
            "attr:aria-*".parse::<Channel>(),
            Ok(Channel::AttrPrefix("aria-".into()))
        );
        assert!("attr:".parse::<Channel>().is_err());
        assert!("colour".parse::<Channel>().is_err());
    }
}

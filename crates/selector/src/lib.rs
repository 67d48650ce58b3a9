//! The CSS selector dialect of scrim policies.
//!
//! One implementation of the `selectors` crate's [`SelectorImpl`] shared by
//! the compiler (which validates and canonicalises selectors) and the matcher
//! (which runs them), so that both agree on what a selector means.
//!
//! The dialect is CSS Selectors level 4 restricted to what makes sense on a
//! static DOM snapshot: type, class, id and attribute selectors, all
//! combinators, `:not()`, `:is()`, `:where()`, the tree-structural
//! pseudo-classes (`:nth-child()`, `:first-of-type`, `:root`, `:empty`, …)
//! and a few pseudo-classes that depend only on markup (`:any-link`, `:link`,
//! `:disabled`, `:enabled`, `:required`, `:optional`). Rejected:
//! pseudo-elements (rules select elements), pseudo-classes that depend on
//! interaction state (`:hover`, `:focus`, `:checked`, …), `:has()` (it would
//! make a decision depend on descendants, which a top-down recorder has not
//! seen yet), `:host` (the matcher flattens shadow roots) and namespace
//! prefixes.

use cssparser::{ParseError, ParseErrorKind, Parser as CssParser, ToCss};
use precomputed_hash::PrecomputedHash;
use selectors::parser::{Component, ParseRelative, SelectorImpl, SelectorParseErrorKind};
use std::fmt;

mod locate;

/// A parsed selector list in the scrim dialect.
pub type SelectorList = selectors::SelectorList<ScrimImpl>;
/// One complex selector of a [`SelectorList`].
pub type Selector = selectors::parser::Selector<ScrimImpl>;

/// A selector that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectorError {
    /// Byte offset of the start of the offending token in the input text.
    pub start: usize,
    /// Byte offset just past the offending token (equal to `start` only when
    /// there is no token to point at, e.g. an empty input).
    pub end: usize,
    /// Lowercase, no trailing period, user input in backticks.
    pub message: String,
}

impl fmt::Display for SelectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SelectorError {}

/// Parses a selector list of the scrim dialect.
pub fn parse(text: &str) -> Result<SelectorList, SelectorError> {
    let list = match parse_raw(text) {
        Ok(list) => list,
        Err(kind) => return Err(locate::locate(text, kind)),
    };
    // cssparser closes open blocks and strings at the end of its input, as
    // browsers do for style sheets; in a policy an unclosed `[` is a typo
    // that would otherwise silently change what the rule selects.
    match unclosed(text) {
        Some(error) => Err(error),
        None => Ok(list),
    }
}

/// The innermost bracket, parenthesis or string left open at the end.
fn unclosed(text: &str) -> Option<SelectorError> {
    let mut open: Vec<(usize, char)> = Vec::new();
    let mut quote: Option<(usize, char)> = None;
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match (quote, c) {
            (_, '\\') => {
                chars.next();
            }
            (Some((_, q)), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some((i, c)),
            (None, '[' | '(') => open.push((i, c)),
            (None, ']' | ')') => {
                let expected = if c == ']' { '[' } else { '(' };
                if open.last().is_some_and(|(_, o)| *o == expected) {
                    open.pop();
                }
            }
            _ => {}
        }
    }
    let (start, c) = quote.or_else(|| open.last().copied())?;
    let closer = match c {
        '[' => ']',
        '(' => ')',
        q => q,
    };
    Some(SelectorError {
        start,
        end: start + c.len_utf8(),
        message: format!("`{c}` is never closed: expected `{closer}`"),
    })
}

/// The canonical serialisation of a selector list: what the compiler writes
/// into the artifact. Parsing it again gives a list with the same meaning.
pub fn to_canonical_css(list: &SelectorList) -> String {
    list.to_css_string()
}

/// The hash the selector atoms precompute, exposed so that element
/// implementations feed the ancestor Bloom filter with the same function.
/// FNV-1a: cheap, and the Bloom filter only needs a reasonable spread.
pub fn hash_name(s: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in s.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// Why a selector failed, before it is located in the text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Failure {
    Basic(cssparser::BasicParseErrorKind),
    Selector(SelectorParseErrorKind),
    Scrim(ScrimError),
}

/// Parses without locating errors; also the probe `locate` runs on prefixes.
pub(crate) fn parse_raw(text: &str) -> Result<SelectorList, Failure> {
    let mut input = CssParser::new(text);
    let result = input.parse_entirely(|input| {
        selectors::SelectorList::parse(&ScrimParser, input, ParseRelative::No)
    });
    let list = result.map_err(|e: ParseError<ScrimError>| match e.kind {
        ParseErrorKind::Basic(b) => Failure::Basic(b),
        ParseErrorKind::Custom(ScrimError::Selector(s)) => Failure::Selector(s),
        ParseErrorKind::Custom(other) => Failure::Scrim(other),
    })?;
    // `:host(…)` is parsed by the `selectors` crate whatever the parser says.
    for selector in list.slice() {
        if contains_host(selector) {
            return Err(Failure::Scrim(ScrimError::Host));
        }
    }
    Ok(list)
}

fn contains_host(selector: &Selector) -> bool {
    struct Finder(bool);
    impl selectors::parser::SelectorVisitor for Finder {
        type Impl = ScrimImpl;
        fn visit_simple_selector(&mut self, c: &Component<ScrimImpl>) -> bool {
            if matches!(c, Component::Host(_)) {
                self.0 = true;
            }
            !self.0
        }
    }
    let mut finder = Finder(false);
    selector.visit(&mut finder);
    finder.0
}

/// The errors of our own [`selectors::Parser`] hooks.
#[derive(Debug, Clone, PartialEq)]
pub enum ScrimError {
    /// An error of the `selectors` crate itself.
    Selector(SelectorParseErrorKind),
    /// A pseudo-class that depends on user interaction or live state.
    StatefulPseudoClass(String),
    /// A pseudo-class this dialect does not know.
    UnknownPseudoClass(String),
    /// Any pseudo-element.
    PseudoElement(String),
    /// `:has()`.
    Has,
    /// `:host` and `:host()`.
    Host,
}

impl From<SelectorParseErrorKind> for ScrimError {
    fn from(kind: SelectorParseErrorKind) -> Self {
        ScrimError::Selector(kind)
    }
}

/// The `selectors` parser hooks of the dialect.
#[derive(Debug, Clone, Copy, Default)]
pub struct ScrimParser;

/// Pseudo-classes that depend on interaction or live form state: a recording
/// policy must decide from markup alone, so these are refused with a clear
/// message rather than as unknown.
const STATEFUL: &[&str] = &[
    "active",
    "autofill",
    "blank",
    "checked",
    "closed",
    "current",
    "default",
    "focus",
    "focus-visible",
    "focus-within",
    "fullscreen",
    "future",
    "hover",
    "in-range",
    "indeterminate",
    "invalid",
    "modal",
    "open",
    "out-of-range",
    "past",
    "paused",
    "picture-in-picture",
    "placeholder-shown",
    "playing",
    "popover-open",
    "read-only",
    "read-write",
    "target",
    "target-within",
    "user-invalid",
    "user-valid",
    "valid",
    "visited",
    "-webkit-autofill",
];

impl<'i> selectors::parser::Parser<'i> for ScrimParser {
    type Impl = ScrimImpl;
    type Error = ScrimError;

    fn parse_nth_child_of(&self) -> bool {
        true
    }

    fn parse_is_and_where(&self) -> bool {
        true
    }

    fn allow_forgiving_selectors(&self) -> bool {
        // A typo inside `:is()` must be an error, not a selector that
        // silently matches less than the author meant.
        false
    }

    fn parse_non_ts_pseudo_class(&self, name: &str) -> Result<PseudoClass, ParseError<ScrimError>> {
        let lower = name.to_ascii_lowercase();
        let pc = match lower.as_str() {
            "any-link" => PseudoClass::AnyLink,
            "link" => PseudoClass::Link,
            "disabled" => PseudoClass::Disabled,
            "enabled" => PseudoClass::Enabled,
            "required" => PseudoClass::Required,
            "optional" => PseudoClass::Optional,
            "host" => return Err(ParseError::custom(ScrimError::Host)),
            s if STATEFUL.contains(&s) => {
                return Err(ParseError::custom(ScrimError::StatefulPseudoClass(lower)));
            }
            _ => return Err(ParseError::custom(ScrimError::UnknownPseudoClass(lower))),
        };
        Ok(pc)
    }

    fn parse_non_ts_functional_pseudo_class(
        &self,
        name: &str,
        _parser: &mut CssParser<'i>,
        _after_part: bool,
    ) -> Result<PseudoClass, ParseError<ScrimError>> {
        let lower = name.to_ascii_lowercase();
        Err(ParseError::custom(match lower.as_str() {
            "has" => ScrimError::Has,
            s if STATEFUL.contains(&s) => ScrimError::StatefulPseudoClass(lower),
            _ => ScrimError::UnknownPseudoClass(format!("{lower}()")),
        }))
    }

    fn parse_pseudo_element(&self, name: &str) -> Result<NoPseudoElement, ParseError<ScrimError>> {
        Err(ParseError::custom(ScrimError::PseudoElement(
            name.to_ascii_lowercase(),
        )))
    }

    fn parse_functional_pseudo_element(
        &self,
        name: &str,
        _arguments: &mut CssParser<'i>,
    ) -> Result<NoPseudoElement, ParseError<ScrimError>> {
        Err(ParseError::custom(ScrimError::PseudoElement(format!(
            "{}()",
            name.to_ascii_lowercase()
        ))))
    }
}

/// The [`SelectorImpl`] of the dialect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScrimImpl;

impl SelectorImpl for ScrimImpl {
    type ExtraMatchingData<'a> = std::marker::PhantomData<&'a ()>;
    type AttrValue = AttrValue;
    type Identifier = Name;
    type LocalName = Name;
    type NamespaceUrl = Name;
    type NamespacePrefix = Name;
    type BorrowedNamespaceUrl = Name;
    type BorrowedLocalName = Name;
    type NonTSPseudoClass = PseudoClass;
    type PseudoElement = NoPseudoElement;

    fn should_collect_attr_hash(_name: &Name) -> bool {
        // Attribute names of ancestors go into the Bloom filter too: policies
        // lean on `[data-private] …` style markers.
        true
    }
}

/// An identifier, tag or attribute name with its hash computed once.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Name {
    hash: u32,
    text: Box<str>,
}

impl Name {
    /// The name as written (after CSS escapes are resolved).
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.text, f)
    }
}

impl std::hash::Hash for Name {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.text.hash(state)
    }
}

impl From<&str> for Name {
    fn from(s: &str) -> Self {
        Name {
            hash: hash_name(s),
            text: s.into(),
        }
    }
}

impl PrecomputedHash for Name {
    fn precomputed_hash(&self) -> u32 {
        self.hash
    }
}

impl ToCss for Name {
    fn to_css<W: fmt::Write>(&self, dest: &mut W) -> fmt::Result {
        cssparser::serialize_identifier(&self.text, dest)
    }
}

/// The value of an attribute selector (`[x="…"]`).
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct AttrValue(Box<str>);

impl AttrValue {
    /// The value as written (after CSS escapes are resolved).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AttrValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl From<&str> for AttrValue {
    fn from(s: &str) -> Self {
        AttrValue(s.into())
    }
}

impl AsRef<str> for AttrValue {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl ToCss for AttrValue {
    fn to_css<W: fmt::Write>(&self, dest: &mut W) -> fmt::Result {
        cssparser::serialize_string(&self.0, dest)
    }
}

/// The non-tree-structural pseudo-classes of the dialect: all decided from
/// markup alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PseudoClass {
    /// An HTML `a`, `area` or `link` with an `href` attribute.
    AnyLink,
    /// Same as `:any-link`: a recorder never knows what was visited.
    Link,
    /// An HTML `button`, `input`, `select`, `textarea`, `optgroup`, `option`
    /// or `fieldset` with a `disabled` attribute (the markup alone: not
    /// inherited from a disabled `fieldset`).
    Disabled,
    /// One of the elements of [`PseudoClass::Disabled`] without a `disabled`
    /// attribute.
    Enabled,
    /// An HTML `input`, `select` or `textarea` with a `required` attribute.
    Required,
    /// An HTML `input`, `select` or `textarea` without a `required`
    /// attribute.
    Optional,
}

impl ToCss for PseudoClass {
    fn to_css<W: fmt::Write>(&self, dest: &mut W) -> fmt::Result {
        dest.write_str(match self {
            PseudoClass::AnyLink => ":any-link",
            PseudoClass::Link => ":link",
            PseudoClass::Disabled => ":disabled",
            PseudoClass::Enabled => ":enabled",
            PseudoClass::Required => ":required",
            PseudoClass::Optional => ":optional",
        })
    }
}

impl selectors::parser::NonTSPseudoClass for PseudoClass {
    fn is_active_or_hover(&self) -> bool {
        false
    }
    fn is_user_action_state(&self) -> bool {
        false
    }
}

/// Pseudo-elements are not part of the dialect: this type has no values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoPseudoElement {}

impl ToCss for NoPseudoElement {
    fn to_css<W: fmt::Write>(&self, _dest: &mut W) -> fmt::Result {
        match *self {}
    }
}

impl selectors::parser::PseudoElement for NoPseudoElement {}

#[cfg(test)]
mod tests;

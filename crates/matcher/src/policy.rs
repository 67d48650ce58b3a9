//! Loading a compiled artifact into a [`Policy`]: every selector and regular
//! expression is parsed once, here, and any failure refuses the whole policy
//! (fail closed: integrations then record nothing).

use crate::detect::{Detector, compile_detector};
use crate::index::{Filing, filing};
use crate::redact::CompiledRedaction;
use regex_lite::Regex;
use scrim_artifact::{
    Action, Artifact, Channel, Condition, PageRuleKind, RedactionKind, SensitiveAttributes,
    UrlPattern,
};
use scrim_selector::SelectorList;
use selectors::FxHashMap;
use selectors::context::QuirksMode;
use selectors::parser::AncestorHashes;
use std::fmt;

/// Why a policy could not be loaded. Record nothing when you get one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// The artifact itself was refused (format, version, schema, consistency).
    Artifact(scrim_artifact::LoadError),
    /// A rule's selector does not parse in the scrim dialect.
    Selector { rule: String, message: String },
    /// A URL pattern component, detector or redaction expression does not
    /// compile.
    Regex { what: String, message: String },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Artifact(e) => e.fmt(f),
            LoadError::Selector { rule, message } => {
                write!(f, "rule `{rule}` has an invalid selector: {message}")
            }
            LoadError::Regex { what, message } => {
                write!(f, "{what} has an invalid regular expression: {message}")
            }
        }
    }
}

impl std::error::Error for LoadError {}

impl From<scrim_artifact::LoadError> for LoadError {
    fn from(e: scrim_artifact::LoadError) -> Self {
        LoadError::Artifact(e)
    }
}

/// A loaded policy: the artifact plus everything parsed from it.
#[derive(Debug)]
pub struct Policy {
    pub(crate) artifact: Artifact,
    pub(crate) scopes: Vec<CompiledScope>,
    pub(crate) page_rules: Vec<Vec<CompiledPattern>>,
    pub(crate) rules: Vec<CompiledRule>,
    /// Channel keys: 0..FIXED are the fixed channels, then one per attribute
    /// name that some rule names with `attr:NAME` (sorted), then one per
    /// prefix that some rule names with `attr:PREFIX*` (sorted).
    pub(crate) attr_keys: Vec<String>,
    pub(crate) attr_prefixes: Vec<String>,
    /// The distinct lengths of `attr_prefixes`, shortest first: an
    /// attribute's covering prefixes are found with one lookup per length,
    /// however many prefixes there are.
    prefix_lengths: Vec<usize>,
    pub(crate) detectors: Vec<Detector>,
    pub(crate) redactions: Vec<CompiledRedaction>,
    pub(crate) sensitive: Sensitive,
}

/// Key of the fixed channels in per-level state.
pub(crate) const KEY_TEXT: u16 = 0;
pub(crate) const KEY_VALUE: u16 = 1;
pub(crate) const KEY_MEDIA: u16 = 2;
pub(crate) const KEY_EVENTS: u16 = 3;
pub(crate) const KEY_ATTRIBUTES: u16 = 4;
pub(crate) const FIXED_KEYS: u16 = 5;

// Channel keys are `u16`: the format's bound on attribute names keeps every
// `attr:NAME` key in range.
const _: () = assert!(
    scrim_artifact::limits::MAX_ATTRIBUTE_CHANNEL_NAMES <= (u16::MAX - FIXED_KEYS) as usize
);

#[derive(Debug)]
pub(crate) struct CompiledScope {
    pub(crate) parent: Option<usize>,
    pub(crate) conditions: Vec<CompiledCondition>,
}

#[derive(Debug)]
pub(crate) enum CompiledCondition {
    Page(Vec<CompiledPattern>),
    Consent(String),
    NoConsent(String),
    Region(Vec<String>),
}

/// A URL pattern as eight anchored expressions.
#[derive(Debug)]
pub(crate) struct CompiledPattern {
    parts: [Regex; 8],
}

impl CompiledPattern {
    pub(crate) fn matches(&self, url: &crate::url::UrlParts) -> bool {
        let values = [
            &url.protocol,
            &url.username,
            &url.password,
            &url.hostname,
            &url.port,
            &url.pathname,
            &url.search,
            &url.hash,
        ];
        self.parts.iter().zip(values).all(|(re, v)| re.is_match(v))
    }
}

/// One selector of a rule's list, with what the index needs.
#[derive(Debug)]
pub(crate) struct Entry {
    pub(crate) hashes: AncestorHashes,
    pub(crate) filing: Filing,
}

#[derive(Debug)]
pub(crate) struct CompiledRule {
    pub(crate) action: Action,
    pub(crate) sealed: bool,
    pub(crate) scope: usize,
    pub(crate) selectors: SelectorList,
    /// The first rule with the same selector text (this one if none).
    pub(crate) same_selectors_as: u32,
    pub(crate) entries: Vec<Entry>,
    /// The channel keys this rule names (sorted, unique).
    pub(crate) keys: Vec<u16>,
}

/// The sensitive attribute set, with lookups that do not allocate: its
/// names, and apart the prefixes of its `PREFIX*` entries.
#[derive(Debug)]
pub(crate) enum Sensitive {
    Only {
        names: Vec<String>,
        prefixes: Vec<String>,
        builtin: bool,
    },
    AllExcept {
        names: Vec<String>,
        prefixes: Vec<String>,
    },
}

/// A sensitive set's entries, lowercase: names, and the prefixes of the
/// `PREFIX*` entries.
fn split_entries(entries: &[String]) -> (Vec<String>, Vec<String>) {
    let mut names = Vec::new();
    let mut prefixes = Vec::new();
    for entry in entries {
        let entry = entry.to_ascii_lowercase();
        match entry.strip_suffix('*') {
            Some(prefix) => prefixes.push(prefix.to_string()),
            None => names.push(entry),
        }
    }
    (names, prefixes)
}

fn anchored(what: &str, pattern: &str) -> Result<Regex, LoadError> {
    // Anchoring again is harmless when the compiler already did, and makes
    // a partial match impossible when it did not. The compiler checks the
    // same form against the same size limit.
    regex_lite::RegexBuilder::new(&scrim_artifact::whole_match_regex(pattern))
        .size_limit(scrim_artifact::REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| LoadError::Regex {
            what: what.to_string(),
            message: e.to_string(),
        })
}

fn compile_pattern(p: &UrlPattern) -> Result<CompiledPattern, LoadError> {
    let what = format!("URL pattern `{}`", p.source);
    Ok(CompiledPattern {
        parts: [
            anchored(&what, &p.protocol)?,
            anchored(&what, &p.username)?,
            anchored(&what, &p.password)?,
            anchored(&what, &p.hostname)?,
            anchored(&what, &p.port)?,
            anchored(&what, &p.pathname)?,
            anchored(&what, &p.search)?,
            anchored(&what, &p.hash)?,
        ],
    })
}

fn compile_patterns(ps: &[UrlPattern]) -> Result<Vec<CompiledPattern>, LoadError> {
    ps.iter().map(compile_pattern).collect()
}

impl Policy {
    /// Parses and loads an artifact's JSON text.
    pub fn from_json(text: &str) -> Result<Policy, LoadError> {
        // `Artifact::from_json` checks what it parses.
        Policy::load(Artifact::from_json(text)?)
    }

    /// Loads an artifact: parses every selector and expression once.
    pub fn from_artifact(artifact: Artifact) -> Result<Policy, LoadError> {
        // What `Artifact::from_json` checks, for an artifact built in
        // memory: an index out of range must be an error, never a panic.
        artifact.check()?;
        Policy::load(artifact)
    }

    /// Loads a checked artifact.
    fn load(artifact: Artifact) -> Result<Policy, LoadError> {
        let scopes = artifact
            .scopes
            .iter()
            .map(|s| {
                let conditions = s
                    .conditions
                    .iter()
                    .map(|c| {
                        Ok(match c {
                            Condition::Page { patterns } => {
                                CompiledCondition::Page(compile_patterns(patterns)?)
                            }
                            Condition::Consent { category } => {
                                CompiledCondition::Consent(category.clone())
                            }
                            Condition::NoConsent { category } => {
                                CompiledCondition::NoConsent(category.clone())
                            }
                            Condition::Region { codes } => CompiledCondition::Region(
                                codes.iter().map(|c| c.to_ascii_uppercase()).collect(),
                            ),
                        })
                    })
                    .collect::<Result<Vec<_>, LoadError>>()?;
                Ok(CompiledScope {
                    parent: s.parent.map(|p| p as usize),
                    conditions,
                })
            })
            .collect::<Result<Vec<_>, LoadError>>()?;

        let page_rules = artifact
            .page_rules
            .iter()
            .map(|r| match &r.kind {
                PageRuleKind::RequireConsent { .. } => Ok(Vec::new()),
                PageRuleKind::RecordOnly { patterns } | PageRuleKind::NeverRecord { patterns } => {
                    compile_patterns(patterns)
                }
            })
            .collect::<Result<Vec<_>, LoadError>>()?;

        let named = |pick: fn(&Channel) -> Option<&String>| {
            let mut names: Vec<String> = artifact
                .rules
                .iter()
                .flat_map(|r| r.channels.iter())
                .filter_map(pick)
                .map(|name| name.to_ascii_lowercase())
                .collect();
            names.sort();
            names.dedup();
            names
        };
        let attr_keys = named(|c| match c {
            Channel::Attr(name) => Some(name),
            _ => None,
        });
        let attr_prefixes = named(|c| match c {
            Channel::AttrPrefix(prefix) => Some(prefix),
            _ => None,
        });
        let mut prefix_lengths: Vec<usize> = attr_prefixes.iter().map(String::len).collect();
        prefix_lengths.sort_unstable();
        prefix_lengths.dedup();
        let prefix_key = |at: usize| FIXED_KEYS + (attr_keys.len() + at) as u16;

        let mut rules = Vec::with_capacity(artifact.rules.len());
        // Rules that share a selector text share its parse, and the index
        // matches it once for all of them.
        let mut first_with_text: FxHashMap<&str, u32> = FxHashMap::default();
        for (i, r) in artifact.rules.iter().enumerate() {
            let same_selectors_as = *first_with_text
                .entry(r.selector.as_str())
                .or_insert(i as u32);
            let selectors = match rules.get(same_selectors_as as usize) {
                Some(CompiledRule { selectors, .. }) => selectors.clone(),
                None => scrim_selector::parse(&r.selector).map_err(|e| LoadError::Selector {
                    rule: r.id.clone(),
                    message: e.message,
                })?,
            };
            let entries = selectors
                .slice()
                .iter()
                .map(|s| Entry {
                    hashes: AncestorHashes::new(s, QuirksMode::NoQuirks),
                    filing: filing(s),
                })
                .collect();
            let mut keys: Vec<u16> = r
                .channels
                .iter()
                .map(|c| match c {
                    Channel::Text => KEY_TEXT,
                    Channel::Value => KEY_VALUE,
                    Channel::Media => KEY_MEDIA,
                    Channel::Events => KEY_EVENTS,
                    Channel::Attributes => KEY_ATTRIBUTES,
                    Channel::Attr(name) => {
                        let lower = name.to_ascii_lowercase();
                        let at = attr_keys.binary_search(&lower).unwrap_or(0);
                        FIXED_KEYS + at as u16
                    }
                    Channel::AttrPrefix(prefix) => {
                        let lower = prefix.to_ascii_lowercase();
                        prefix_key(attr_prefixes.binary_search(&lower).unwrap_or(0))
                    }
                })
                .collect();
            keys.sort();
            keys.dedup();
            rules.push(CompiledRule {
                action: r.action,
                sealed: r.sealed && r.action == Action::Mask,
                scope: r.scope as usize,
                selectors,
                same_selectors_as,
                entries,
                keys,
            });
        }
        drop(first_with_text);

        let detectors = artifact
            .detectors
            .iter()
            .map(|d| {
                compile_detector(&d.kind, d.scope as usize).map_err(|e| LoadError::Regex {
                    what: format!("detector `{}`", d.id),
                    message: e.to_string(),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let redactions = artifact
            .redactions
            .iter()
            .map(|r| {
                Ok(match &r.kind {
                    RedactionKind::Query { names } => CompiledRedaction::Query(names.clone()),
                    RedactionKind::PathSegment { pattern } => {
                        CompiledRedaction::PathSegment(anchored("`redact path`", pattern)?)
                    }
                })
            })
            .collect::<Result<Vec<_>, LoadError>>()?;
        let sensitive = match &artifact.sensitive_attributes {
            SensitiveAttributes::Only { names, builtin } => {
                let (names, prefixes) = split_entries(names);
                Sensitive::Only {
                    names,
                    prefixes,
                    builtin: *builtin,
                }
            }
            SensitiveAttributes::AllExcept { names } => {
                let (names, prefixes) = split_entries(names);
                Sensitive::AllExcept { names, prefixes }
            }
        };
        Ok(Policy {
            artifact,
            scopes,
            page_rules,
            rules,
            attr_keys,
            attr_prefixes,
            prefix_lengths,
            detectors,
            redactions,
            sensitive,
        })
    }

    /// The artifact this policy was loaded from (ids, locations, sources).
    pub fn artifact(&self) -> &Artifact {
        &self.artifact
    }

    /// The number of per-level channel keys.
    pub(crate) fn key_count(&self) -> usize {
        usize::from(FIXED_KEYS) + self.attr_keys.len() + self.attr_prefixes.len()
    }

    /// Whether some rule names an attribute, by name or by prefix.
    pub(crate) fn names_attributes(&self) -> bool {
        !self.attr_keys.is_empty() || !self.attr_prefixes.is_empty()
    }

    /// Calls `covered` with the key of every `attr:PREFIX*` whose prefix
    /// attribute `name` (lowercase) starts with: one lookup per distinct
    /// prefix length, none when no rule names a prefix.
    pub(crate) fn prefix_keys(&self, name: &str, mut covered: impl FnMut(u16)) {
        for &len in &self.prefix_lengths {
            let Some(head) = name.as_bytes().get(..len) else {
                break;
            };
            if let Ok(at) = self
                .attr_prefixes
                .binary_search_by(|p| p.as_bytes().cmp(head))
            {
                covered(FIXED_KEYS + (self.attr_keys.len() + at) as u16);
            }
        }
    }

    /// The key of `attr:NAME` if some rule names it (`name` lowercase).
    pub(crate) fn attr_key(&self, name: &str) -> Option<u16> {
        self.attr_keys
            .binary_search_by(|k| k.as_str().cmp(name))
            .ok()
            .map(|i| FIXED_KEYS + i as u16)
    }
}

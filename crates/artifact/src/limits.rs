//! The bounds of the format, shared by the compiler and every loader: a
//! compiler never writes more than these, and [`Artifact::check`] refuses
//! an artifact that holds more (fail closed: the integration then records
//! nothing).
//!
//! Language bounds are the language's own (a mask length of 1 to 1024).
//! The others sit well above any real policy (the benchmarks go up to
//! 10,000 rules) and exist so that a damaged or hostile artifact cannot
//! make a recorder allocate or scan without end: a mask length of
//! 4,000,000,000 would write 4 GB for one masked `<p>`.
//!
//! [`Artifact::check`]: crate::Artifact::check

use std::ops::RangeInclusive;

/// The policy language versions an artifact of this format declares.
pub const LANGUAGE_VERSIONS: RangeInclusive<u32> = 1..=1;

/// `with length N`: the mask lengths the language accepts.
pub const MASK_LENGTH: RangeInclusive<u32> = 1..=1024;
/// `with "TEXT"`: the longest fixed mask text, in characters (no longer
/// than the longest fixed length).
pub const MAX_FIXED_TEXT_CHARS: usize = 1024;

/// Scopes, page rules, rules, defaults and redactions: at most this many
/// of each (ten times the largest policy the benchmarks compile).
pub const MAX_STATEMENTS: usize = 100_000;
/// Detectors: each one runs over every captured text and value.
pub const MAX_DETECTORS: usize = 256;
/// Source files: the root policy, its includes and presets.
pub const MAX_SOURCES: usize = 1_000;
/// Names, patterns, codes or channels in one statement, and names in the
/// sensitive attribute set.
pub const MAX_LIST_ITEMS: usize = 1_000;

/// Distinct attribute names and prefixes in `attr:NAME` and `attr:PREFIX*`
/// channels, across every rule: a runtime keeps per-element state for each
/// (the matcher numbers them in 16 bits).
pub const MAX_ATTRIBUTE_CHANNEL_NAMES: usize = 60_000;

/// Ids, consent categories, region codes, attribute and parameter names,
/// in bytes.
pub const MAX_NAME_BYTES: usize = 1_024;
/// Source names (paths as the user wrote them), in bytes.
pub const MAX_SOURCE_NAME_BYTES: usize = 4_096;
/// A rule's selector list, in bytes.
pub const MAX_SELECTOR_BYTES: usize = 16_384;
/// A URL pattern as written, in bytes: URLs themselves rarely pass 2,000.
pub const MAX_URL_PATTERN_BYTES: usize = 2_048;
/// Any regular expression in an artifact (a lowered URL pattern component,
/// a custom detector, a path redaction), in bytes: room for a URL pattern
/// of the longest size, lowered.
pub const MAX_EXPRESSION_BYTES: usize = 16_384;

/// What the language accepts as a name (rule and detector names, consent
/// categories, region codes before they are uppercased).
pub const NAME_PATTERN: &str = "^[A-Za-z_][A-Za-z0-9_-]*$";
/// An attribute name as an artifact holds it: the language's attribute
/// names, lowercased.
pub const ATTRIBUTE_NAME_PATTERN: &str = "^[a-z_][a-z0-9_.:-]*$";
/// An entry of the sensitive attribute set, and what follows `attr:` in a
/// channel: an attribute name, or a prefix pattern (an attribute name
/// followed by one `*`, for every attribute whose name starts with it).
pub const ATTRIBUTE_NAME_OR_PREFIX_PATTERN: &str = "^[a-z_][a-z0-9_.:-]*\\*?$";
/// A region code as an artifact holds it: a name, uppercased.
pub const REGION_CODE_PATTERN: &str = "^[A-Z_][A-Z0-9_-]*$";
/// A query parameter name in `redact query`.
pub const PARAMETER_NAME_PATTERN: &str = "^[A-Za-z0-9_.\\[\\]-]+$";

/// Whether `s` matches [`NAME_PATTERN`] and is short enough.
pub(crate) fn is_name(s: &str) -> bool {
    s.len() <= MAX_NAME_BYTES
        && s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
}

/// Whether `s` matches [`ATTRIBUTE_NAME_PATTERN`] and is short enough.
pub(crate) fn is_attribute_name(s: &str) -> bool {
    s.len() <= MAX_NAME_BYTES
        && s.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && s.chars().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '-' | '.' | ':')
        })
}

/// Whether `s` matches [`ATTRIBUTE_NAME_OR_PREFIX_PATTERN`] and is short
/// enough.
pub(crate) fn is_attribute_name_or_prefix(s: &str) -> bool {
    s.len() <= MAX_NAME_BYTES && is_attribute_name(s.strip_suffix('*').unwrap_or(s))
}

/// Whether `s` matches [`REGION_CODE_PATTERN`] and is short enough.
pub(crate) fn is_region_code(s: &str) -> bool {
    is_name(s) && !s.chars().any(|c| c.is_ascii_lowercase())
}

/// Whether `s` matches [`PARAMETER_NAME_PATTERN`] and is short enough.
pub(crate) fn is_parameter_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_NAME_BYTES
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']'))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The checks and the patterns the JSON Schema publishes agree.
        #[test]
        fn name_checks_are_their_patterns(name in "[a-zA-Z0-9_.:*\\[\\]=\" -]{0,6}") {
            for (check, pattern) in [
                (is_name as fn(&str) -> bool, NAME_PATTERN),
                (is_attribute_name, ATTRIBUTE_NAME_PATTERN),
                (is_attribute_name_or_prefix, ATTRIBUTE_NAME_OR_PREFIX_PATTERN),
                (is_region_code, REGION_CODE_PATTERN),
                (is_parameter_name, PARAMETER_NAME_PATTERN),
            ] {
                let re = regex_lite::Regex::new(pattern).unwrap();
                proptest::prop_assert_eq!(check(&name), re.is_match(&name), "{} {:?}", pattern, name);
            }
        }
    }
}

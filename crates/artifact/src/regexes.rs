//! What every runtime holds an artifact's regular expressions to (custom
//! detectors, `redact path`, URL-pattern components), shared by the
//! compiler, which refuses a policy past these limits, and the matcher,
//! which refuses to load such an artifact (fail closed).

/// The largest size a regular expression may compile to, in bytes as
/// `regex-lite`'s `RegexBuilder::size_limit` counts them on 64-bit targets.
///
/// Matching costs the text's length times this size: a counted repetition
/// such as `a{0,65535}` compiles to one state per repetition (4.7 MB for
/// that one) and makes every text masked with it that much slower. 64 KiB is
/// about 20 times the largest built-in detector (payment cards, 3.4 KB) and
/// admits repetitions up to a few hundred (`[a-z0-9.-]{1,255}`: 22 KB).
/// 32-bit targets (WASM) count smaller sizes for the same expression, so
/// they accept everything the compiler accepts.
pub const REGEX_SIZE_LIMIT: usize = 64 * 1024;

/// The expression runtimes compile for a URL-pattern component or a
/// `redact path` pattern: it must match the whole string, not a part.
pub fn whole_match_regex(pattern: &str) -> String {
    format!("^(?:{pattern})$")
}

//! URL patterns: validated with the `urlpattern` crate (the WHATWG
//! standard) and lowered to one anchored regular expression per URL
//! component, which is what runtimes execute.

use crate::regexes::{self, Refusal, Use};
use scrim_artifact::{REGEX_SIZE_LIMIT, UrlPattern};
use scrim_syntax::ast::Str;
use scrim_syntax::{Code, Diagnostic, Loc, SourceFile, Span};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use urlpattern::{UrlPatternInit, UrlPatternOptions};

type Compiled = urlpattern::UrlPattern<RegexText>;

/// A component's regular expression as `urlpattern` generates it, checked
/// by the parser that `regex` itself runs but not compiled: the compiler
/// needs only its text (the runtimes compile it, with `regex-lite`, and
/// [`regexes::runtime_refusal`] checks that they can). Building `regex`'s
/// automata for the eight components of every pattern took nearly all of a
/// large policy's compile time, which the editor pays on every keystroke.
/// `regex::Regex::new` accepts what the parser accepts, up to its size
/// limit, and the runtimes' size limit is far smaller.
#[derive(Debug)]
struct RegexText(String);

impl urlpattern::regexp::RegExp for RegexText {
    fn syntax() -> urlpattern::RegexSyntax {
        urlpattern::RegexSyntax::Rust
    }

    fn parse(pattern: &str, _flags: &str, _force_eval: bool) -> Result<Self, ()> {
        regex_syntax::Parser::new()
            .parse(pattern)
            .map(|_| RegexText(pattern.to_string()))
            .map_err(|_| ())
    }

    /// Only called while parsing a pattern whose scheme has a `(…)` group
    /// (to tell whether it can match a special scheme such as `https`):
    /// compiled then, as `urlpattern` would with `regex`.
    fn matches<'a>(&self, text: &'a str) -> Option<Vec<Option<&'a str>>> {
        let regex = regex::Regex::new(&self.0).ok()?;
        let captures = regex.captures(text)?;
        Some(
            captures
                .iter()
                .skip(1)
                .map(|c| c.map(|m| m.as_str()))
                .collect(),
        )
    }

    fn pattern_string(&self) -> &str {
        &self.0
    }
}

const SYNTAX_HELP: &str = "see the URLPattern syntax: `*` matches anything, `:name` one path segment, `{…}?` an optional part";

pub(crate) fn lower(literal: &Str, source: &Arc<SourceFile>) -> Result<UrlPattern, Diagnostic> {
    // The guard in `host_brackets` keeps every known panic of
    // `urlpattern` from being reached; this turns one we do not know of into
    // an error on the pattern instead of a crash of the compiler (and of the
    // editor's language server, which runs it on every keystroke).
    match catch_unwind(AssertUnwindSafe(|| lower_unguarded(literal, source))) {
        Ok(result) => result,
        Err(_) => Err(Diagnostic::error(
            Code::CompileUrlPatternUnchecked,
            Loc::new(literal.span, source.clone()),
            format!("URL pattern `{}` could not be checked", literal.value),
        )
        .with_label("the URL pattern library failed on this pattern")
        .with_help("this is a bug in scrim: please report it with the pattern; until it is fixed, write the pattern differently")),
    }
}

fn lower_unguarded(literal: &Str, source: &Arc<SourceFile>) -> Result<UrlPattern, Diagnostic> {
    let text = literal.value.as_str();
    let error = |span: Span, message: String, help: &str| {
        Diagnostic::error(
            Code::CompileInvalidUrlPattern,
            Loc::new(span, source.clone()),
            message,
        )
        .with_label("here")
        .with_help(help.to_string())
    };
    let whole = literal.span;
    if text.is_empty() {
        return Err(error(
            whole,
            "empty URL pattern".into(),
            "write `/*` to match every page, or a path such as `/checkout/*`",
        ));
    }
    let init = if text == "*" {
        // Every URL: each component is a wildcard.
        Ok(UrlPatternInit::default())
    } else if text.starts_with('/') {
        // A path pattern: any origin.
        Ok(UrlPatternInit {
            pathname: Some(text.to_string()),
            ..UrlPatternInit::default()
        })
    } else {
        match host_brackets(text) {
            HostBrackets::Balanced => {}
            HostBrackets::Stray(at) => {
                return Err(error(
                    literal.source_span(at, at + 1),
                    format!("URL pattern `{text}` has a `]` in its host that closes no `[`"),
                    "brackets in a host enclose an IPv6 address, such as `http://[\\:\\:1]/*`: remove this `]`",
                ));
            }
            HostBrackets::Unchecked => {
                return Err(error(
                    whole,
                    format!("URL pattern `{text}` has a `]` that scrim cannot check safely"),
                    "write the scheme without `[…]` classes (`http{s}?://…` matches both schemes); use `]` only to close an IPv6 host `[…]`",
                ));
            }
        }
        UrlPatternInit::parse_constructor_string::<RegexText>(text, None)
    };
    let compiled = init.and_then(|init| Compiled::parse(init, UrlPatternOptions::default()));
    let compiled = match compiled {
        Ok(compiled) => compiled,
        Err(urlpattern::Error::BaseUrlRequired) => {
            return Err(error(
                whole,
                format!("URL pattern `{text}` has no scheme"),
                "start it with a scheme (`https://shop.example.com/*`) or with `/` to match a path on any site",
            ));
        }
        Err(urlpattern::Error::Tokenizer(kind, position)) => {
            // The tokenizer counts from the start of the component it was
            // reading (the path, say), not of the whole pattern.
            let base =
                failing_component(text).map_or(0, |component| text.find(&component).unwrap_or(0));
            let offset = text[base..]
                .char_indices()
                .nth(position)
                .map_or(text.len(), |(i, _)| base + i);
            let end = text[offset..]
                .chars()
                .next()
                .map_or(offset, |c| offset + c.len_utf8());
            return Err(error(
                literal.source_span(offset, end),
                format!("invalid URL pattern: {}", kind.to_string().to_lowercase()),
                SYNTAX_HELP,
            ));
        }
        Err(other) => {
            return Err(error(
                whole,
                format!("invalid URL pattern: {}", other.to_string().to_lowercase()),
                SYNTAX_HELP,
            ));
        }
    };
    let regex_of =
        |component: &urlpattern::component::Component<RegexText>| -> Result<String, Diagnostic> {
            let regex = component.regexp.as_ref().map_err(|_| {
                error(
                    whole,
                    format!("URL pattern `{text}` has an invalid regular expression group"),
                    "check the `(…)` groups of the pattern",
                )
            })?;
            let pattern = regex.0.clone();
            // Runtimes match with regex-lite, whole strings, within the size
            // limit: the lowered form must work there.
            match regexes::runtime_refusal(&pattern, Use::WholeMatch) {
                None => {}
                Some(Refusal::TooLarge) => {
                    return Err(error(
                        whole,
                        format!(
                            "URL pattern `{text}` compiles to a regular expression larger than {} KiB",
                            REGEX_SIZE_LIMIT / 1024
                        ),
                        regexes::TOO_LARGE_HELP,
                    ));
                }
                Some(Refusal::Unsupported(message)) => {
                    return Err(error(
                        whole,
                        format!(
                            "URL pattern `{text}` uses a regular expression the runtime cannot run"
                        ),
                        if message.contains("nesting") {
                            "nest the `(…)` groups of the pattern less deeply"
                        } else {
                            "use ASCII classes such as `[0-9]` in `(…)` groups"
                        },
                    ));
                }
            }
            Ok(pattern)
        };
    Ok(UrlPattern {
        source: text.to_string(),
        protocol: regex_of(&compiled.protocol)?,
        username: regex_of(&compiled.username)?,
        password: regex_of(&compiled.password)?,
        hostname: regex_of(&compiled.hostname)?,
        port: regex_of(&compiled.port)?,
        pathname: regex_of(&compiled.pathname)?,
        search: regex_of(&compiled.search)?,
        hash: regex_of(&compiled.hash)?,
    })
}

/// The text of the component of a full URL pattern that fails on its own,
/// so a tokenizer position inside it can be placed in the whole pattern.
fn failing_component(text: &str) -> Option<String> {
    if text.starts_with('/') {
        return None;
    }
    let init = UrlPatternInit::parse_constructor_string::<RegexText>(text, None).ok()?;
    let alone = |set: fn(&mut UrlPatternInit, String), value: &Option<String>| {
        let value = value.clone()?;
        let mut init = UrlPatternInit::default();
        set(&mut init, value.clone());
        Compiled::parse(init, UrlPatternOptions::default())
            .is_err()
            .then_some(value)
    };
    alone(|i, v| i.protocol = Some(v), &init.protocol)
        .or_else(|| alone(|i, v| i.username = Some(v), &init.username))
        .or_else(|| alone(|i, v| i.password = Some(v), &init.password))
        .or_else(|| alone(|i, v| i.hostname = Some(v), &init.hostname))
        .or_else(|| alone(|i, v| i.port = Some(v), &init.port))
        .or_else(|| alone(|i, v| i.pathname = Some(v), &init.pathname))
        .or_else(|| alone(|i, v| i.search = Some(v), &init.search))
        .or_else(|| alone(|i, v| i.hash = Some(v), &init.hash))
}

/// What the `]` in a full URL pattern's host close.
enum HostBrackets {
    /// Each closes a `[`, or there are none: `urlpattern` parses it safely.
    Balanced,
    /// This one (a byte offset in the pattern) closes nothing.
    Stray(usize),
    /// The check could not find the host (see below).
    Unchecked,
}

/// Whether `urlpattern` can parse a full URL pattern without panicking on
/// a `]` in its host.
///
/// The bug, as it stands in `urlpattern` 0.6.0 (the latest release, and
/// the crate's main branch when this was written), to report upstream:
/// `parse_constructor_string` (`src/constructor_parser.rs`, the `Hostname`
/// state) keeps `hostname_ipv6_bracket_depth` in a `usize` and subtracts 1
/// for every `]` it reads in the host, also when no `[` came first, so
/// `https:]`, `https://a]b` or `https://{[}]` underflow it. Builds with
/// overflow checks (debug builds, every test run) panic with "attempt to
/// subtract with overflow"; release builds wrap around, which happens to
/// give the standard's answer (a depth below zero is not zero). The
/// standard's depth is a signed number: a signed counter, or a saturating or
/// wrapping subtraction, fixes it.
///
/// The check runs the crate's own tokenizer and state machine on the
/// pattern with every `]` replaced by a character that tokenizes the same
/// way and means nothing to the state machine, so it cannot underflow. Up
/// to the first `]` in the host the two runs are identical, so the host it
/// finds starts where the real one does, and the real host ends no later
/// (or underflows first). Within that text a `]` must close a `[` counted
/// the way the parser counts them; where the count is uncertain (inside
/// `{…}` groups and `(…)` expressions, after a `}` that closes nothing) the
/// check gives no credit to `[`, so it refuses rather than risk the panic.
fn host_brackets(text: &str) -> HostBrackets {
    if !text.contains(']') {
        return HostBrackets::Balanced;
    }
    // Plain characters to the tokenizer everywhere (in `(…)`, after `\` and
    // after `:`, where a letter would start a name) and to the state machine.
    const NEUTRAL: &[char] = &[
        '\u{1}', '\u{2}', '\u{3}', '\u{4}', '\u{5}', '\u{6}', '\u{7}', '\u{8}', '!', ',', ';', '<',
        '=', '>', '^', '`', '|', '~',
    ];
    let Some(&neutral) = NEUTRAL.iter().find(|&&c| !text.contains(c)) else {
        return HostBrackets::Unchecked;
    };
    let replaced = text.replace(']', neutral.encode_utf8(&mut [0; 4]));
    let init = match UrlPatternInit::parse_constructor_string::<RegexText>(&replaced, None) {
        Ok(init) => init,
        // No scheme, so no host: the real parse ends the same way.
        Err(urlpattern::Error::BaseUrlRequired) => return HostBrackets::Balanced,
        // The other errors come from the scheme, read before the host. The
        // real parse fails the same way, except where a `]` closes a class
        // in a `(…)` expression of the scheme, which the replacement
        // breaks: then where the host is stays unknown.
        Err(_) => return HostBrackets::Unchecked,
    };
    let Some(host) = init.hostname.filter(|host| host.contains(neutral)) else {
        return HostBrackets::Balanced;
    };
    let after_scheme = init.protocol.as_ref().map_or(0, String::len);
    let start = replaced[after_scheme..]
        .find(host.as_str())
        .map_or(after_scheme, |at| after_scheme + at);
    // `]` and its replacement are one byte each: offsets carry over.
    let Some(host) = text.get(start..start + host.len()) else {
        return HostBrackets::Unchecked;
    };
    // The parser enters the host with `{…}` groups still open only when it
    // read the rest of the pattern once before (as the authority) and found
    // a `{` there that nothing closed.
    let groups_may_be_open = text[start..].contains('{');

    let mut balance: isize = 0;
    let mut groups = 0usize;
    let mut certain = true;
    let mut chars = host.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, '[')) if certain && groups == 0 => balance += 1,
                Some((escaped, ']')) => {
                    balance -= 1;
                    if balance < 0 {
                        return HostBrackets::Stray(start + escaped);
                    }
                }
                _ => {}
            },
            '(' => certain = false,
            '{' => groups += 1,
            '}' if groups > 0 => groups -= 1,
            // Closes nothing here, so perhaps a group left open before the
            // host: the parser may have skipped every `[` so far.
            '}' if groups_may_be_open => balance = balance.min(0),
            '[' if certain && groups == 0 => balance += 1,
            ']' => {
                balance -= 1;
                if balance < 0 {
                    return HostBrackets::Stray(start + at);
                }
            }
            _ => {}
        }
    }
    HostBrackets::Balanced
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use urlpattern::regexp::RegExp;

    /// The expression of each of the eight components `urlpattern` makes of
    /// `text` with regex type `R` (`None` for one it refuses), or `None`
    /// when it refuses the pattern.
    fn components<R: RegExp>(text: &str) -> Option<Vec<Option<String>>> {
        let init = if text.starts_with('/') {
            UrlPatternInit {
                pathname: Some(text.to_string()),
                ..UrlPatternInit::default()
            }
        } else {
            UrlPatternInit::parse_constructor_string::<R>(text, None).ok()?
        };
        let pattern =
            urlpattern::UrlPattern::<R>::parse(init, UrlPatternOptions::default()).ok()?;
        let text_of = |c: &urlpattern::component::Component<R>| {
            c.regexp
                .as_ref()
                .ok()
                .map(|r| r.pattern_string().to_string())
        };
        Some(vec![
            text_of(&pattern.protocol),
            text_of(&pattern.username),
            text_of(&pattern.password),
            text_of(&pattern.hostname),
            text_of(&pattern.port),
            text_of(&pattern.pathname),
            text_of(&pattern.search),
            text_of(&pattern.hash),
        ])
    }

    const PIECES: &[&str] = &[
        "(", ")", "*", "{", "}", "?", "+", "#", "@", "/", "//", ".", "%", "a", "x", "1", "https",
        "http", "://", ":name", "é", "𝕏", "-", "$", " ", "(?:", "[0-9]", "\\:", "(\\d+)", "\\p{L}",
        "(a|b)", "(https?)", "(?i)",
    ];
    const STARTS: &[&str] = &[
        "",
        "https://",
        "http://",
        "(https?)://",
        "(http|ftp)://",
        "https://u:p@",
        "https://a:",
        "/",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

        /// Checking a component's expression for syntax instead of
        /// compiling it with `regex` gives the same components, accepted
        /// and refused alike.
        #[test]
        fn checked_text_lowers_as_regex_does(
            start in prop::sample::select(STARTS),
            pieces in prop::collection::vec(prop::sample::select(PIECES), 0..10),
        ) {
            let text = format!("{start}{}", pieces.concat());
            // Patterns the guard refuses never reach `urlpattern`.
            prop_assume!(matches!(host_brackets(&text), HostBrackets::Balanced));
            let expected = catch_unwind(|| components::<regex::Regex>(&text));
            let actual = catch_unwind(|| components::<RegexText>(&text));
            prop_assert_eq!(expected.ok(), actual.ok(), "{}", text);
        }
    }
}

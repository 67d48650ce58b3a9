//! Regular expressions in policies (custom detectors, path redaction):
//! checked with `regex-syntax` for exact error positions, and with
//! `regex-lite`, the engine every runtime matches with, configured as the
//! runtimes configure it (the artifact's size limit), so that a policy the
//! compiler accepts runs the same everywhere.

use scrim_artifact::{REGEX_SIZE_LIMIT, whole_match_regex};
use scrim_syntax::ast::Str;
use scrim_syntax::{Code, Diagnostic, Loc, SourceFile};
use std::sync::Arc;

/// How a runtime uses an expression: searched for in a text (detectors) or
/// matched against a whole string (`redact path`, URL-pattern components).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Use {
    Search,
    WholeMatch,
}

/// Why the runtime would refuse an expression.
pub(crate) enum Refusal {
    /// It compiles to more than [`REGEX_SIZE_LIMIT`] bytes.
    TooLarge,
    /// Anything else `regex-lite` refuses, in its words (first line, lowercase).
    Unsupported(String),
}

/// Compiles `pattern` exactly as runtimes do, and says why they would refuse it.
pub(crate) fn runtime_refusal(pattern: &str, usage: Use) -> Option<Refusal> {
    let compiled = match usage {
        Use::Search => pattern.to_string(),
        Use::WholeMatch => whole_match_regex(pattern),
    };
    let error = regex_lite::RegexBuilder::new(&compiled)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
        .err()?;
    let message = first_line(&error.to_string());
    Some(if message.contains("size limit") {
        Refusal::TooLarge
    } else {
        Refusal::Unsupported(message)
    })
}

/// The help for a [`Refusal::TooLarge`].
pub(crate) const TOO_LARGE_HELP: &str = "counted repetitions are expanded when compiled \
     (`a{0,1000}` is a thousand copies of `a`): use a smaller repetition count, or `*` or `+`";

pub(crate) fn check(literal: &Str, source: &Arc<SourceFile>, usage: Use) -> Result<(), Diagnostic> {
    let pattern = &literal.value;
    if let Err(error) = regex_syntax::Parser::new().parse(pattern) {
        let (span, message) = match &error {
            regex_syntax::Error::Parse(e) => (*e.span(), e.kind().to_string()),
            regex_syntax::Error::Translate(e) => (*e.span(), e.kind().to_string()),
            other => (
                regex_syntax::ast::Span::splat(regex_syntax::ast::Position::new(0, 1, 1)),
                other.to_string(),
            ),
        };
        // An empty span is widened to the character it stands at, whole.
        let start = span.start.offset;
        let at = pattern
            .get(start..)
            .and_then(|rest| rest.chars().next())
            .map_or(0, char::len_utf8);
        let span = literal.source_span(start, span.end.offset.max(start + at));
        return Err(Diagnostic::error(
            Code::CompileInvalidRegex,
            Loc::new(span, source.clone()),
            format!("invalid regular expression: {}", message.to_lowercase()),
        )
        .with_label("here")
        .with_help(
            "scrim uses Rust regex syntax (no backreferences or look-around); escape special characters with `\\`",
        ));
    }
    match runtime_refusal(pattern, usage) {
        None => Ok(()),
        Some(Refusal::TooLarge) => Err(Diagnostic::error(
            Code::CompileRegexTooLarge,
            Loc::new(literal.span, source.clone()),
            format!(
                "this regular expression is too large: it compiles to more than {} KiB",
                REGEX_SIZE_LIMIT / 1024
            ),
        )
        .with_label("too large to match quickly")
        .with_help(TOO_LARGE_HELP)),
        Some(Refusal::Unsupported(message)) => {
            let help = if message.contains("nesting") {
                "nest groups and repetitions less deeply"
            } else {
                "runtimes match with ASCII classes only: write `[0-9]` or `[a-z]` instead of Unicode classes such as `\\p{L}`"
            };
            Err(Diagnostic::error(
                Code::CompileUnsupportedRegex,
                Loc::new(literal.span, source.clone()),
                format!("the runtime cannot run this regular expression: {message}"),
            )
            .with_label("not supported by the runtime")
            .with_help(help))
        }
    }
}

fn first_line(text: &str) -> String {
    text.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(text)
        .trim()
        .to_lowercase()
}

//! Regular expressions in policies (custom detectors, path redaction):
//! checked with `regex-syntax` for exact error positions, and with
//! `regex-lite`, the engine every runtime matches with, so that a policy
//! the compiler accepts runs the same everywhere.

use scrim_syntax::ast::Str;
use scrim_syntax::{Diagnostic, Loc, SourceFile};
use std::sync::Arc;

pub(crate) fn check(literal: &Str, source: &Arc<SourceFile>) -> Result<(), Diagnostic> {
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
        let span = literal.source_span(
            span.start.offset,
            span.end.offset.max(span.start.offset + 1),
        );
        return Err(Diagnostic::error(
            "compile::invalid-regex",
            Loc::new(span, source.clone()),
            format!("invalid regular expression: {}", message.to_lowercase()),
        )
        .with_label("here")
        .with_help(
            "scrim uses Rust regex syntax (no backreferences or look-around); escape special characters with `\\`",
        ));
    }
    if let Err(error) = regex_lite::Regex::new(pattern) {
        return Err(Diagnostic::error(
            "compile::unsupported-regex",
            Loc::new(literal.span, source.clone()),
            format!("the runtime cannot run this regular expression: {}", first_line(&error.to_string())),
        )
        .with_label("not supported by the runtime")
        .with_help(
            "runtimes match with ASCII classes only: write `[0-9]` or `[a-z]` instead of Unicode classes such as `\\p{L}`",
        ));
    }
    Ok(())
}

fn first_line(text: &str) -> String {
    text.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(text)
        .trim()
        .to_lowercase()
}

//! Diagnostics: what is wrong, exactly where, and how to fix it.
//!
//! Style (after Cedar's guide): messages are lowercase, have no trailing
//! period and put user input in backticks; every error the user can fix has
//! a `help`. [`Diagnostic`] renders through miette for terminals, and
//! [`DiagnosticJson`] is its serialisable mirror for `--format json`, WASM
//! and the editor.

use crate::code::Code;
use crate::source::{Loc, SourceFile, Span};
use serde::Serialize;
use std::fmt;
use std::sync::Arc;

/// How many errors one file reports; past that, one more error says how
/// many were left out. A file with that many errors is rarely a policy (a
/// compiled artifact, a page, a file in another language): the first ones
/// say enough.
pub const MAX_ERRORS_PER_FILE: usize = 50;

/// Keeps the first [`MAX_ERRORS_PER_FILE`] errors of each file, in the
/// order given, and puts one `syntax::too-many-errors` error in place of the
/// rest, at the first one it hides. Warnings and advice are all kept.
pub fn limit_errors(diagnostics: &mut Vec<Diagnostic>) {
    struct File {
        source: Arc<SourceFile>,
        errors: usize,
        /// Where its summary stands in `kept`, and how many errors it hides.
        summary: Option<(usize, usize)>,
    }
    let mut files: Vec<File> = Vec::new();
    let mut kept = Vec::with_capacity(diagnostics.len().min(4 * MAX_ERRORS_PER_FILE));
    for diagnostic in diagnostics.drain(..) {
        if !diagnostic.is_error() {
            kept.push(diagnostic);
            continue;
        }
        let file = match files
            .iter()
            .position(|file| Arc::ptr_eq(&file.source, &diagnostic.loc.source))
        {
            Some(at) => &mut files[at],
            None => {
                files.push(File {
                    source: diagnostic.loc.source.clone(),
                    errors: 0,
                    summary: None,
                });
                files.last_mut().expect("just pushed")
            }
        };
        file.errors += 1;
        if file.errors <= MAX_ERRORS_PER_FILE {
            kept.push(diagnostic);
        } else if let Some((_, hidden)) = &mut file.summary {
            *hidden += 1;
        } else {
            file.summary = Some((kept.len(), 1));
            kept.push(
                Diagnostic::error(Code::SyntaxTooManyErrors, diagnostic.loc, String::new())
                    .with_label("the first error not shown")
                    .with_help(format!(
                        "fix the errors shown and check again; \
                         a file reports at most {MAX_ERRORS_PER_FILE} errors"
                    )),
            );
        }
    }
    for file in files {
        if let Some((at, hidden)) = file.summary {
            kept[at].message = format!("{hidden} more errors not shown");
        }
    }
    *diagnostics = kept;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    /// Not a problem: information pointing at policy text, such as the
    /// rule `scrim explain` shows as deciding.
    Advice,
}

/// One problem found in a policy.
#[derive(Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// What kind of problem it is; its text (`syntax::unexpected`,
    /// `compile::invalid-selector`) is stable.
    pub code: Code,
    pub message: String,
    pub loc: Loc,
    /// What the span points at; shown under it.
    pub label: String,
    pub help: Option<String>,
    /// Other places that explain this one (the first definition of a
    /// duplicate name, the include that led here).
    pub related: Vec<(Loc, String)>,
    /// Mechanical changes that resolve it, for editors' code actions and
    /// tools; each is one choice, its edits all in this diagnostic's file.
    pub fixes: Vec<Fix>,
}

/// A mechanical change that resolves a diagnostic: "remove the repeated
/// rule", "replace `txt` with `text`". Its edits are in the diagnostic's
/// own file, sorted, and do not overlap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// What it does, as an editor lists it: lowercase, no trailing period.
    pub title: String,
    pub edits: Vec<Edit>,
}

/// One replacement of a [`Fix`]: the text at `span` becomes `replacement`
/// (an insertion when the span is empty, a deletion when the replacement
/// is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

impl Fix {
    /// A fix of several edits; they must not overlap.
    pub fn new(title: impl Into<String>, mut edits: Vec<Edit>) -> Fix {
        edits.sort_by_key(|edit| (edit.span.start, edit.span.end));
        debug_assert!(
            edits.windows(2).all(|w| w[0].span.end <= w[1].span.start),
            "the edits of a fix overlap"
        );
        Fix {
            title: title.into(),
            edits,
        }
    }

    /// A fix that replaces the text at `span`.
    pub fn replace(title: impl Into<String>, span: Span, replacement: impl Into<String>) -> Fix {
        Fix::new(
            title,
            vec![Edit {
                span,
                replacement: replacement.into(),
            }],
        )
    }

    /// `text` with the edits applied; `None` when an edit falls outside it
    /// or inside a character (the fix was made for another text).
    pub fn apply(&self, text: &str) -> Option<String> {
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for edit in &self.edits {
            out.push_str(text.get(at..edit.span.start)?);
            text.get(edit.span.start..edit.span.end)?;
            out.push_str(&edit.replacement);
            at = edit.span.end;
        }
        out.push_str(text.get(at..)?);
        Some(out)
    }
}

impl Diagnostic {
    pub fn error(code: Code, loc: Loc, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            loc,
            label: String::new(),
            help: None,
            related: Vec::new(),
            fixes: Vec::new(),
        }
    }

    pub fn warning(code: Code, loc: Loc, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, loc, message)
        }
    }

    pub fn advice(code: Code, loc: Loc, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Advice,
            ..Diagnostic::error(code, loc, message)
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = label.into();
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(mut self, loc: Loc, label: impl Into<String>) -> Diagnostic {
        self.related.push((loc, label.into()));
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Diagnostic {
        self.fixes.push(fix);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The serialisable mirror.
    pub fn to_json(&self) -> DiagnosticJson {
        let (line, column) = self.loc.source.line_column(self.loc.span.start);
        let (end_line, end_column) = self.loc.source.line_column(self.loc.span.end);
        DiagnosticJson {
            file: self.loc.source.name().to_string(),
            severity: self.severity,
            code: self.code.as_str(),
            message: self.message.clone(),
            label: self.label.clone(),
            help: self.help.clone(),
            line,
            column,
            end_line,
            end_column,
            start: self.loc.span.start,
            end: self.loc.span.end,
            related: self
                .related
                .iter()
                .map(|(loc, label)| {
                    let (line, column) = loc.start_line_column();
                    RelatedJson {
                        file: loc.source.name().to_string(),
                        line,
                        column,
                        label: label.clone(),
                    }
                })
                .collect(),
            fixes: self
                .fixes
                .iter()
                .map(|fix| FixJson {
                    title: fix.title.clone(),
                    edits: fix
                        .edits
                        .iter()
                        .map(|edit| {
                            let source = &self.loc.source;
                            let (line, column) = source.line_column(edit.span.start);
                            let (end_line, end_column) = source.line_column(edit.span.end);
                            EditJson {
                                line,
                                column,
                                end_line,
                                end_column,
                                start: edit.span.start,
                                end: edit.span.end,
                                replacement: edit.replacement.clone(),
                            }
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

impl fmt::Debug for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {} [{}]", self.loc, self.message, self.code)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diagnostic {}

/// A diagnostic as plain data: file, 1-based line and column (in
/// characters) of both ends, and the byte range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiagnosticJson {
    pub file: String,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub label: String,
    pub help: Option<String>,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub start: usize,
    pub end: usize,
    /// Other places that explain this one ("first used here").
    pub related: Vec<RelatedJson>,
    /// Mechanical changes that resolve it (left out when there are none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fixes: Vec<FixJson>,
}

/// A [`Fix`] of a [`DiagnosticJson`], its edits in the diagnostic's file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FixJson {
    pub title: String,
    pub edits: Vec<EditJson>,
}

/// An [`Edit`]: where (as a diagnostic gives it) and the new text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EditJson {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub start: usize,
    pub end: usize,
    pub replacement: String,
}

/// A related place of a [`DiagnosticJson`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RelatedJson {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub label: String,
}

impl miette::Diagnostic for Diagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        // Advice is information, not a problem with an identifier to look up.
        (self.severity != Severity::Advice).then(|| Box::new(self.code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Advice => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        // miette shows one source per diagnostic: related places in other
        // files are named here, after the help.
        let mut lines: Vec<String> = self.help.iter().cloned().collect();
        lines.extend(
            self.related
                .iter()
                .filter(|(loc, _)| loc.source != self.loc.source)
                .map(|(loc, label)| format!("{label}: {loc:?}")),
        );
        (!lines.is_empty()).then(|| Box::new(lines.join("\n")) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let label = (!self.label.is_empty()).then(|| self.label.clone());
        let primary = miette::LabeledSpan::new_primary_with_span(label, to_miette(self.loc.span));
        // miette shows one source per diagnostic: related places in other
        // files are named in `help()` instead.
        let same_file = self
            .related
            .iter()
            .filter(|(loc, _)| loc.source == self.loc.source)
            .map(|(loc, label)| {
                miette::LabeledSpan::new_with_span(Some(label.clone()), to_miette(loc.span))
            });
        Some(Box::new(std::iter::once(primary).chain(same_file)))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        None
    }
}

fn to_miette(span: Span) -> miette::SourceSpan {
    miette::SourceSpan::new(span.start.into(), span.len())
}

impl miette::SourceCode for Diagnostic {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let contents =
            self.loc
                .source
                .text()
                .read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.loc.source.name().to_string(),
            contents.data(),
            *contents.span(),
            contents.line(),
            contents.column(),
            contents.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixes_apply_their_edits_in_order_and_refuse_another_text() {
        let edit = |start, end, replacement: &str| Edit {
            span: Span::new(start, end),
            replacement: replacement.to_string(),
        };
        // Given out of order; applied by position.
        let fix = Fix::new("t", vec![edit(9, 9, ", attributes"), edit(0, 4, "mask")]);
        assert_eq!(
            fix.apply("hide text \".a\"").as_deref(),
            Some("mask text, attributes \".a\"")
        );
        assert_eq!(fix.apply("hide"), None, "an edit past the end");
        assert_eq!(Fix::replace("t", Span::new(1, 2), "x").apply("é"), None);
    }

    #[test]
    fn json_lists_fixes_only_when_there_are_some() {
        let source = SourceFile::new("p.scrim", "mask txt \".a\"\n".to_string());
        let plain = Diagnostic::error(
            Code::SyntaxUnknownChannel,
            Loc::new(Span::new(5, 8), source),
            "unknown channel `txt`",
        );
        let json = |d: &Diagnostic| serde_json::to_value(d.to_json()).unwrap();
        assert!(json(&plain).get("fixes").is_none());
        let fixed = plain.with_fix(Fix::replace("replace with `text`", Span::new(5, 8), "text"));
        assert_eq!(
            json(&fixed)["fixes"],
            serde_json::json!([{
                "title": "replace with `text`",
                "edits": [{
                    "line": 1, "column": 6, "end_line": 1, "end_column": 9,
                    "start": 5, "end": 8, "replacement": "text"
                }]
            }])
        );
    }
}

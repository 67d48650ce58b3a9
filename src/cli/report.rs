//! Prints diagnostics: miette's graphical reports for people, JSON for tools.

use super::streams;
use crate::Format;
use scrim_syntax::Diagnostic;
use std::io::IsTerminal;

/// Renders one diagnostic as text. Colour only on a terminal without
/// `NO_COLOR`.
pub(crate) fn render(diagnostic: &dyn miette::Diagnostic) -> String {
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    render_with(diagnostic, colour, 1)
}

/// Renders a diagnostic (a policy's, or another file's such as a test
/// file's) with the given colour choice and lines of context around its
/// span (`scrim explain` shows policy lines on standard output, without
/// context).
pub(crate) fn render_with(
    diagnostic: &dyn miette::Diagnostic,
    colour: bool,
    context_lines: usize,
) -> String {
    let theme = if colour {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let handler = miette::GraphicalReportHandler::new_themed(theme)
        .with_context_lines(context_lines)
        .with_width(100);
    let mut out = String::new();
    handler
        .render_report(&mut out, diagnostic)
        .expect("rendering into a string cannot fail");
    out
}

/// Prints diagnostics in the chosen format. For JSON, the caller collects
/// them across files and prints once with [`print_json`].
pub(crate) fn print_human(diagnostics: &[Diagnostic]) {
    for diagnostic in diagnostics {
        streams::eprint(&render(diagnostic));
    }
}

/// Prints diagnostics as one JSON array on standard output; `false` when
/// standard output cannot be written.
pub(crate) fn print_json(diagnostics: &[Diagnostic]) -> bool {
    let json: Vec<_> = diagnostics.iter().map(Diagnostic::to_json).collect();
    let text = serde_json::to_string_pretty(&json).expect("diagnostics serialise");
    streams::print(&(text + "\n"))
}

/// The closing count of a human report, on standard error: nothing when
/// there is nothing to count.
pub(crate) fn summary(diagnostics: &[Diagnostic]) {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if errors + warnings > 0 {
        streams::eprint(&format!("{errors} error(s), {warnings} warning(s)\n"));
    }
}

/// `false` when standard output cannot be written.
pub(crate) fn print(diagnostics: &[Diagnostic], format: Format) -> bool {
    match format {
        Format::Human => {
            print_human(diagnostics);
            true
        }
        Format::Json => print_json(diagnostics),
    }
}

//! Quick fixes and formatting, as edits of the policy's text.
//!
//! - The fixes a diagnostic carries (`Diagnostic::fixes`: the linter's
//!   mechanical changes, such as removing a repeated rule or an unused
//!   suppression) are offered as they are.
//! - A diagnostic whose help is "did you mean `x`?" puts `x` in place of
//!   the word it points at (unless it carries that fix already).
//! - Every other lint finding can be silenced for its statement with a
//!   `# scrim: allow RULE` comment: added to a suppression comment the
//!   statement already has, or at the end of its line (on a line of its
//!   own above it when another comment ends the line).
//! - Formatting is `scrim fmt`'s, given as the lines that change.

use super::lex::line_around;
use super::{Analysis, heads};
use scrim_syntax::ast::Comment;
use scrim_syntax::{Diagnostic, FormatError, Span, suggest};
use std::sync::Arc;

/// One edit: the span to replace and its new text.
pub(crate) type Edit = (Span, String);

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
    /// The diagnostic it fixes: its index in [`Analysis::diagnostics`].
    pub diagnostic: usize,
    /// Whether it is the fix an editor may apply without asking.
    pub preferred: bool,
}

const UNUSED_SUPPRESSION: &str = "unused-suppression";

/// The fixes for the diagnostics of the policy's own text that touch
/// `range`.
pub(crate) fn fixes(analysis: &Analysis, range: Span) -> Vec<Fix> {
    let text = analysis.text();
    let mut out = Vec::new();
    for (index, diagnostic) in analysis.diagnostics.iter().enumerate() {
        let span = diagnostic.loc.span;
        if !Arc::ptr_eq(&diagnostic.loc.source, analysis.root())
            || span.start > range.end
            || range.start > span.end
        {
            continue;
        }
        let carried: Vec<Fix> = diagnostic
            .fixes
            .iter()
            .map(|fix| Fix {
                title: fix.title.clone(),
                edits: fix
                    .edits
                    .iter()
                    .map(|edit| (edit.span, edit.replacement.clone()))
                    .collect(),
                diagnostic: index,
                preferred: false,
            })
            .collect();
        let written = &text[span.start..span.end];
        let suggested = diagnostic.help.as_deref().and_then(suggest::suggested);
        // The word a did-you-mean suggests is what the author meant: that
        // fix is the one to apply without asking.
        let replacement = suggested
            .filter(|_| !written.is_empty() && !written.contains(char::is_whitespace))
            .map(|word| vec![(span, word.to_string())]);
        if let Some(edits) = &replacement
            && !carried.iter().any(|fix| &fix.edits == edits)
        {
            out.push(Fix {
                title: format!("replace `{written}` with `{}`", edits[0].1),
                edits: edits.clone(),
                diagnostic: index,
                preferred: true,
            });
        }
        out.extend(carried.into_iter().map(|fix| Fix {
            preferred: replacement.as_ref() == Some(&fix.edits),
            ..fix
        }));
        let Some(rule) = diagnostic.code.lint_rule() else {
            continue;
        };
        if rule != UNUSED_SUPPRESSION
            && let Some(edits) = suppress(analysis, diagnostic, rule)
        {
            out.push(Fix {
                title: format!("suppress `{rule}` on this statement"),
                edits,
                diagnostic: index,
                preferred: false,
            });
        }
    }
    out
}

/// The rule names of a suppression comment, as spans in the file.
fn names(comment: &Comment) -> Option<Vec<Span>> {
    let names = scrim_lint::suppressed_rules(&comment.text)?;
    Some(
        names
            .into_iter()
            .map(|(s, e)| Span::new(comment.span.start + s, comment.span.start + e))
            .collect(),
    )
}

/// Adds `rule` to the suppressions of the statement `diagnostic` is on.
fn suppress(analysis: &Analysis, diagnostic: &Diagnostic, rule: &str) -> Option<Vec<Edit>> {
    let text = analysis.text();
    let tree = analysis.tree();
    let offset = diagnostic.loc.span.start;
    let (head, _) = heads(tree)
        .into_iter()
        .filter(|(head, _)| head.start <= offset && offset <= head.end)
        .min_by_key(|(head, _)| head.len())?;
    let (line_start, line_end) = line_around(text, head.start);
    let add_to = |comment: &Comment| -> Option<Vec<Edit>> {
        let last = *names(comment)?.last()?;
        Some(vec![(Span::new(last.end, last.end), format!(", {rule}"))])
    };
    // A suppression comment on the line of its own right above.
    let above = tree
        .comments
        .iter()
        .find(|c| !c.trailing && next_line(text, c.span.end) == Some(line_start));
    if let Some(edits) = above.and_then(add_to) {
        return Some(edits);
    }
    let trailing = tree
        .comments
        .iter()
        .find(|c| c.trailing && c.span.start >= head.end && c.span.start <= line_end);
    match trailing {
        Some(comment) => add_to(comment).or_else(|| {
            let indent = &text[line_start..head.start];
            Some(vec![(
                Span::new(line_start, line_start),
                format!("{indent}# scrim: allow {rule}\n"),
            )])
        }),
        None => {
            let code_end = line_start + text[line_start..line_end].trim_end().len();
            Some(vec![(
                Span::new(code_end, line_end),
                format!("  # scrim: allow {rule}"),
            )])
        }
    }
}

/// The start of the line after the one that holds `offset`.
fn next_line(text: &str, offset: usize) -> Option<usize> {
    let (_, end) = line_around(text, offset);
    let rest = &text[end..];
    let rest = rest
        .strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix(['\n', '\r']))?;
    Some(text.len() - rest.len())
}

/// `scrim fmt`'s layout of the policy, as edits of the lines that change.
pub(crate) fn format_edits(name: &str, text: &str) -> Result<Vec<Edit>, FormatError> {
    let formatted = scrim_syntax::format_checked(name, text)?;
    let starts = |text: &str| -> Vec<usize> {
        let mut starts = vec![0];
        starts.extend(text.split_inclusive('\n').scan(0, |at, line| {
            *at += line.len();
            Some(*at)
        }));
        starts
    };
    let (old_starts, new_starts) = (starts(text), starts(&formatted));
    let diff = similar::TextDiff::from_lines(text, formatted.as_str());
    let mut edits = Vec::new();
    for op in diff.ops() {
        if let similar::DiffOp::Equal { .. } = op {
            continue;
        }
        let (old, new) = (op.old_range(), op.new_range());
        edits.push((
            Span::new(old_starts[old.start], old_starts[old.end]),
            formatted[new_starts[new.start]..new_starts[new.end]].to_string(),
        ));
    }
    Ok(edits)
}

/// `text` with `edits` (which do not overlap) applied.
#[cfg(test)]
pub(crate) fn apply(text: &str, edits: &[Edit]) -> String {
    let mut edits = edits.to_vec();
    edits.sort_by_key(|(span, _)| std::cmp::Reverse(span.start));
    let mut out = text.to_string();
    for (span, new) in edits {
        out.replace_range(span.start..span.end, &new);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{Files, at_cursor};
    use super::*;
    use expect_test::{Expect, expect};

    /// Every fix at the cursor, each as the policy it makes and what
    /// checking that policy then reports.
    fn check(input: &str, expect: Expect) {
        let (analysis, offset) = at_cursor(input, &Files(&[]));
        let mut shown = String::new();
        for fix in fixes(&analysis, Span::new(offset, offset)) {
            let fixed = apply(analysis.text(), &fix.edits);
            let after = Analysis::check("/p/policy.scrim", &fixed, &Files(&[]));
            let codes: Vec<&str> = after.diagnostics.iter().map(|d| d.code.as_str()).collect();
            shown.push_str(&format!(
                "{} (fixes `{}`{})\n{fixed}-> {codes:?}\n\n",
                fix.title,
                analysis.diagnostics[fix.diagnostic].code,
                if fix.preferred { ", preferred" } else { "" }
            ));
        }
        expect.assert_eq(&shown);
    }

    #[test]
    fn did_you_mean_puts_the_suggestion_in_place() {
        check(
            "scrim 1\nms$0k tetx \".a\"\n",
            expect![[r#"
                replace `msk` with `mask` (fixes `syntax::unknown-statement`, preferred)
                scrim 1
                mask tetx ".a"
                -> ["syntax::unknown-channel"]

            "#]],
        );
        check(
            "scrim 1\nmask te$0tx \".a\"\n",
            expect![[r#"
                replace `tetx` with `text` (fixes `syntax::unknown-channel`, preferred)
                scrim 1
                mask text ".a"
                -> ["lint::unreachable-rule"]

            "#]],
        );
        check(
            "scrim 1\npreset rweb$0\nlint duplicate-rule warning\n",
            expect![[r#"
                replace `rweb` with `rrweb` (fixes `compile::unknown-preset`, preferred)
                scrim 1
                preset rrweb
                lint duplicate-rule warning
                -> ["syntax::unknown-lint-level"]

            "#]],
        );
    }

    #[test]
    fn a_lint_finding_offers_its_own_fixes_and_a_suppression() {
        check(
            "scrim 1\nblock \".ad\"\nallow text \".ad $0.title\"\n",
            expect![[r#"
                remove this rule (fixes `lint::unreachable-rule`)
                scrim 1
                block ".ad"
                -> []

                suppress `unreachable-rule` on this statement (fixes `lint::unreachable-rule`)
                scrim 1
                block ".ad"
                allow text ".ad .title"  # scrim: allow unreachable-rule
                -> []

            "#]],
        );
        // Beside a suppression it already has, and above a comment that
        // ends its line.
        check(
            "scrim 1\nblock \".ad\"\n# scrim: allow duplicate-rule\nallow text \".ad $0.title\"\nallow text \".ad .title\"\n",
            expect![[r#"
                remove this rule (fixes `lint::unreachable-rule`)
                scrim 1
                block ".ad"
                # scrim: allow duplicate-rule
                allow text ".ad .title"
                -> ["lint::unused-suppression", "lint::unreachable-rule"]

                suppress `unreachable-rule` on this statement (fixes `lint::unreachable-rule`)
                scrim 1
                block ".ad"
                # scrim: allow duplicate-rule, unreachable-rule
                allow text ".ad .title"
                allow text ".ad .title"
                -> ["lint::unused-suppression", "lint::unreachable-rule", "lint::duplicate-rule"]

            "#]],
        );
        check(
            "scrim 1\non page \"/a\" {\n  block \".ad\"\n  allow text \"$0.ad p\"  # the house ads\n}\n",
            expect![[r#"
                remove this rule (fixes `lint::unreachable-rule`)
                scrim 1
                on page "/a" {
                  block ".ad"
                }
                -> []

                suppress `unreachable-rule` on this statement (fixes `lint::unreachable-rule`)
                scrim 1
                on page "/a" {
                  block ".ad"
                  # scrim: allow unreachable-rule
                  allow text ".ad p"  # the house ads
                }
                -> []

            "#]],
        );
    }

    #[test]
    fn an_unused_suppression_offers_the_linters_fixes() {
        check(
            "scrim 1\nblock \".ad\"  # scrim: allow dup$0licate-rule\n",
            expect![[r#"
                remove the suppression of `duplicate-rule` (fixes `lint::unused-suppression`)
                scrim 1
                block ".ad"
                -> []

            "#]],
        );
        check(
            "scrim 1\n# scrim: allow duplicate-rule, unreachable-rule$0 since 2024\nblock \".ad\"\n",
            expect![[r#"
                remove the suppression of `unreachable-rule` (fixes `lint::unused-suppression`)
                scrim 1
                # scrim: allow duplicate-rule since 2024
                block ".ad"
                -> ["lint::unused-suppression"]

            "#]],
        );
        check(
            "scrim 1\n# scrim: allow unreachable-rul$0\nblock \".ad\"\n",
            expect![[r#"
                replace with `unreachable-rule` (fixes `lint::unused-suppression`, preferred)
                scrim 1
                # scrim: allow unreachable-rule
                block ".ad"
                -> ["lint::unused-suppression"]

                remove the suppression of `unreachable-rul` (fixes `lint::unused-suppression`)
                scrim 1
                block ".ad"
                -> []

            "#]],
        );
    }

    #[test]
    fn formatting_edits_only_the_lines_that_change() {
        let text = "scrim 1\n\n\n\nmask   text \".a\"\n# keep\nblock \".b\"\n";
        let edits = format_edits("p.scrim", text).unwrap();
        let shown: Vec<String> = edits
            .iter()
            .map(|(span, new)| format!("{:?} {:?} -> {new:?}", span, &text[span.start..span.end]))
            .collect();
        expect![[r#"
            [
                "9..28 \"\\n\\nmask   text \\\".a\\\"\\n\" -> \"mask text \\\".a\\\"\\n\"",
            ]
        "#]]
        .assert_debug_eq(&shown);
        assert_eq!(
            apply(text, &edits),
            scrim_syntax::format_checked("p.scrim", text).unwrap()
        );
        assert_eq!(
            format_edits("p.scrim", "scrim 1\nmsk \".a\"\n"),
            Err(FormatError::Syntax)
        );
    }
}

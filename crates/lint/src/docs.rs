//! Rule documentation: read from each rule module's `//!` doc, printed by
//! `scrim lint --explain`, gathered into `docs/lints.md`, and mined for the
//! examples the tests run.
//!
//! A rule's doc is Markdown. Its first paragraph says what the rule
//! catches, in one sentence. Its examples are fenced blocks: ```` ```scrim
//! bad ```` for a policy the rule reports, ```` ```scrim ```` for one it
//! leaves alone, each optionally followed by an ```` ```html ```` page for
//! rules that read pages. In a bad example, a comment line of carets marks
//! each finding under the line it is on, and names the rule:
//!
//! ```text
//! allow text ".ad .title"
//! #          ^^^^^^^^^^^^ unreachable-rule
//! ```

use crate::registry::{Category, Rule};
use std::fmt::Write as _;

/// The `//!` lines at the top of a source file, without their prefix.
pub(crate) fn module_doc(source: &str) -> String {
    let mut out = String::new();
    for line in source.lines() {
        let Some(rest) = line.strip_prefix("//!") else {
            break;
        };
        out.push_str(rest.strip_prefix(' ').unwrap_or(rest));
        out.push('\n');
    }
    out
}

/// The first paragraph, on one line.
pub(crate) fn summary(doc: &str) -> String {
    doc.lines()
        .map(str::trim)
        .skip_while(|line| line.is_empty())
        .take_while(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// One example of a rule's documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// Whether the rule must report it (```` ```scrim bad ````) or leave it
    /// alone (```` ```scrim ````).
    pub bad: bool,
    pub policy: String,
    /// The page (```` ```html ```` right after the policy), for rules that
    /// read pages.
    pub page: Option<String>,
}

/// A finding a bad example marks with carets.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ExpectedFinding {
    pub rule: String,
    /// Byte range in the example's policy.
    pub start: usize,
    pub end: usize,
}

impl Example {
    /// The findings its caret lines mark.
    pub fn expected(&self) -> Vec<ExpectedFinding> {
        let mut out = Vec::new();
        let mut offset = 0;
        let mut code_line: Option<usize> = None;
        for line in self.policy.split_inclusive('\n') {
            match caret_line(line) {
                Some((column, width, rule)) => {
                    if let Some(start) = code_line {
                        out.push(ExpectedFinding {
                            rule: rule.to_string(),
                            start: start + column,
                            end: start + column + width,
                        });
                    }
                }
                None => code_line = Some(offset),
            }
            offset += line.len();
        }
        out.sort();
        out
    }
}

/// A comment `#   ^^^^ rule-id`: the caret column, width and rule.
fn caret_line(line: &str) -> Option<(usize, usize, &str)> {
    let hash = line.find('#')?;
    if !line[..hash].trim().is_empty() {
        return None;
    }
    let rest = &line[hash + 1..];
    let carets_at = rest.find('^')?;
    if !rest[..carets_at].trim().is_empty() {
        return None;
    }
    let width = rest[carets_at..].chars().take_while(|&c| c == '^').count();
    let rule = rest[carets_at + width..].trim();
    (!rule.is_empty() && rule.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')).then_some((
        hash + 1 + carets_at,
        width,
        rule,
    ))
}

/// The examples of a rule's documentation, in order.
pub(crate) fn examples(doc: &str) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    let mut lines = doc.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.trim_start().strip_prefix("```") else {
            continue;
        };
        let info = info.trim();
        let mut body = String::new();
        for line in lines.by_ref() {
            if line.trim_start().starts_with("```") {
                break;
            }
            body.push_str(line);
            body.push('\n');
        }
        match info {
            "scrim" | "scrim bad" => out.push(Example {
                bad: info == "scrim bad",
                policy: body,
                page: None,
            }),
            "html" => {
                if let Some(last) = out.last_mut() {
                    last.page = Some(body);
                }
            }
            _ => {}
        }
    }
    out
}

fn level_word(rule: &Rule) -> &'static str {
    if rule.is_fixed() {
        "always an error"
    } else {
        match rule.default_level {
            scrim_syntax::ast::LintLevel::Allow => "allow (off) by default",
            scrim_syntax::ast::LintLevel::Warn => "warn by default",
            scrim_syntax::ast::LintLevel::Deny => "deny by default",
        }
    }
}

/// The line under a rule's heading: category, level, code, and what it
/// needs.
fn facts(rule: &Rule) -> String {
    let mut out = format!(
        "{} · {} · code `{}`",
        rule.category,
        level_word(rule),
        rule.code
    );
    if rule.needs_corpus() {
        out.push_str(" · needs `--pages`");
    }
    out
}

/// What `scrim lint --explain RULE` prints.
pub(crate) fn explain(rule: &Rule) -> String {
    format!(
        "# `{}`\n\n{}\n\n{}",
        rule.id,
        facts(rule),
        rule.documentation()
    )
}

const INTRO: &str = "\
`scrim lint FILE…` reports what compiles but is probably not what the
author meant; `scrim check` reports the same findings next to its errors.
This page is generated from the documentation of each rule in
`crates/lint/src/rules/` (`UPDATE_LINT_DOCS=1 cargo test -p scrim-lint
--test docs` writes it; the test fails when it is out of date), and
`scrim lint --explain RULE` prints the same text for one rule.

Each rule has a stable id, a category and a default level. A policy sets
levels with `lint RULE, … allow|warn|deny` (a `deny` finding is an error:
`scrim check` and `scrim lint` exit 1), and a comment `# scrim: allow RULE`
on the line before a statement, or at the end of its line, silences one rule
for that statement ([language reference](language.md#lint-levels-and-suppressions)).
Findings are reported only in the policy's own files, never in the presets
it uses. In the examples below, a comment line of carets marks where each
finding points.

Where the change a finding asks for is mechanical, the finding carries a
fix: removing a rule (or one selector of its list) that never decides or
repeats another, removing a suppression that silences nothing or
correcting a misspelt rule name in it, adding `attributes` to a `mask text`
rule, masking values by default. Editors offer fixes as code actions, and
`--format json` lists each under `fixes`, with its title and its edits
(byte range, line and column, replacement text). A fix never records more
than the policy did: the removals change no decision (a property test
checks it against the reference evaluator on generated policies and
pages), and the others mask more.
";

/// The whole of `docs/lints.md`.
pub fn lints_markdown() -> String {
    let mut out = String::from(
        "<!-- Generated from crates/lint/src/rules/*.rs: edit the rules' docs, then run\n     UPDATE_LINT_DOCS=1 cargo test -p scrim-lint --test docs -->\n\n# Lint rules\n\n",
    );
    out.push_str(INTRO);
    out.push_str("\n| rule | category | level | what it catches |\n| --- | --- | --- | --- |\n");
    let mut rules: Vec<&Rule> = crate::RULES.to_vec();
    rules.sort_by_key(|rule| (rule.category, rule.id));
    for rule in &rules {
        let level = if rule.is_fixed() {
            "error"
        } else {
            rule.default_level.keyword()
        };
        let _ = writeln!(
            out,
            "| [`{id}`](#{id}) | {} | {level} | {} |",
            rule.category,
            rule.summary().replace('|', "\\|"),
            id = rule.id,
        );
    }
    for category in Category::ALL {
        let _ = write!(out, "\n## {}\n", capitalised(category.name()));
        for rule in rules.iter().filter(|rule| rule.category == *category) {
            let _ = write!(out, "\n### `{}`\n\n{}\n\n", rule.id, facts(rule));
            out.push_str(&demote_headings(&rule.documentation(), 2));
        }
    }
    out
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Markdown headings outside code blocks, `by` levels deeper.
fn demote_headings(doc: &str, by: usize) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for line in doc.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        }
        if !in_code && line.starts_with('#') {
            out.push_str(&"#".repeat(by));
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carets_mark_the_line_above() {
        let example = Example {
            bad: true,
            policy: "scrim 1\nallow text \".a\"\n#          ^^^^ some-rule\n".into(),
            page: None,
        };
        let expected = example.expected();
        assert_eq!(expected.len(), 1);
        assert_eq!(
            &example.policy[expected[0].start..expected[0].end],
            "\".a\""
        );
        assert_eq!(expected[0].rule, "some-rule");
    }

    #[test]
    fn examples_are_read_with_their_pages() {
        let doc =
            "x\n\n```scrim bad\nscrim 1\n```\n\n```html\n<p>\n```\n\n```scrim\nscrim 1\n```\n";
        let examples = examples(doc);
        assert_eq!(examples.len(), 2);
        assert!(examples[0].bad && examples[0].page.as_deref() == Some("<p>\n"));
        assert!(!examples[1].bad && examples[1].page.is_none());
    }
}

//! The policy an import writes: groups of statements, each under a comment
//! naming the settings it comes from, rendered as text, put through the
//! formatter and compiled, so that what is handed back always checks.
//!
//! Selectors from a configuration are checked here with the compiler
//! itself (a one-rule policy), so that a selector scrim cannot match is
//! reported against the setting it came from, not as an error in a
//! generated file.

use crate::ImportError;
use scrim_compiler::{NoFiles, compile};

/// The widest a comment line is written.
const COMMENT_WIDTH: usize = 76;

/// A policy being written.
#[derive(Debug)]
pub(crate) struct PolicyText {
    source: &'static str,
    groups: Vec<Group>,
}

#[derive(Debug)]
struct Group {
    comment: String,
    statements: Vec<String>,
}

impl PolicyText {
    pub(crate) fn new(source: &'static str) -> PolicyText {
        PolicyText {
            source,
            groups: Vec::new(),
        }
    }

    /// Adds statements under a comment that says where they come from.
    pub(crate) fn group(&mut self, comment: impl Into<String>, statements: Vec<String>) {
        self.groups.push(Group {
            comment: comment.into(),
            statements,
        });
    }

    /// The policy in the formatter's layout; an error if it would not
    /// compile (which is a bug in the importer, never the user's input).
    pub(crate) fn render(&self) -> Result<String, ImportError> {
        let mut text = String::from("scrim 1\n\n");
        push_comment(
            &mut text,
            &format!(
                "Imported from {} by `scrim import`. Each statement is under the settings it comes from; docs/import.md lists where scrim records less than the vendor did.",
                self.source
            ),
        );
        for group in &self.groups {
            text.push('\n');
            push_comment(&mut text, &group.comment);
            for statement in &group.statements {
                text.push_str(statement);
                text.push('\n');
            }
        }
        let formatted = scrim_syntax::format_checked("imported.scrim", &text).map_err(|e| {
            ImportError::new(format!(
                "the imported policy could not be formatted: {e} (this is a bug in scrim import)"
            ))
        })?;
        let compilation = compile("imported.scrim", &formatted, &NoFiles);
        if let Some(error) = compilation.diagnostics.iter().find(|d| d.is_error()) {
            return Err(ImportError::new(format!(
                "the imported policy does not compile: {} (this is a bug in scrim import)",
                error.message
            )));
        }
        Ok(formatted)
    }
}

/// Writes `comment` as `#` lines no wider than [`COMMENT_WIDTH`]. Each
/// line of `comment` is a paragraph, wrapped, except lines that start with
/// two spaces: policy lines to copy, written as they are.
fn push_comment(text: &mut String, comment: &str) {
    for paragraph in comment.split('\n') {
        if paragraph.starts_with("  ") {
            text.push_str("# ");
            text.push_str(paragraph);
            text.push('\n');
            continue;
        }
        let mut line = String::from("#");
        for word in paragraph.split_whitespace() {
            if line.len() > 1 && line.len() + 1 + word.len() > COMMENT_WIDTH {
                text.push_str(&line);
                text.push('\n');
                line = String::from("#");
            }
            line.push(' ');
            line.push_str(word);
        }
        if line.len() > 1 {
            text.push_str(&line);
            text.push('\n');
        }
    }
}

/// A scrim string literal holding `value`.
pub(crate) fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// A CSS class selector for the class `name`, escaped as CSS requires.
pub(crate) fn class_selector(name: &str) -> String {
    let mut out = String::from(".");
    for (i, c) in name.chars().enumerate() {
        let starts_badly = i == 0 && (c.is_ascii_digit() || (c == '-' && name.len() == 1));
        if starts_badly {
            out.push_str(&format!("\\{:x} ", c as u32));
        } else if c.is_ascii_alphanumeric() || c == '-' || c == '_' || !c.is_ascii() {
            out.push(c);
        } else if c.is_ascii_control() {
            out.push_str(&format!("\\{:x} ", c as u32));
        } else {
            out.push('\\');
            out.push(c);
        }
    }
    out
}

/// Checks that scrim can match `selector`, which setting `setting` gave
/// for elements to hide: a selector scrim cannot match would hide nothing,
/// so it stops the import.
pub(crate) fn check_selector(setting: &str, selector: &str) -> Result<(), ImportError> {
    match probe(&format!("mask text {}", quote(selector))) {
        None => Ok(()),
        Some(reason) => Err(ImportError::new(format!(
            "`{setting}`: `{selector}` is not a selector scrim can match: {reason}"
        ))
        .with_help(
            "scrim matches selectors on the recorded page: no interaction state (`:hover`, `:focus`, `:checked`), no `:has()`, no pseudo-elements; rewrite the setting, or write the rule in the policy yourself",
        )),
    }
}

/// Whether an `allow text, value` rule on `selector` compiles: it does
/// not when the selector is not one scrim can match, or when it targets a
/// value that no rule can reveal (a password input). The reason if not.
pub(crate) fn allow_refused(selector: &str) -> Option<String> {
    probe(&format!("allow text, value {}", quote(selector)))
}

/// The first error of a policy made of `statement` alone, if any.
pub(crate) fn probe(statement: &str) -> Option<String> {
    let text = format!("scrim 1\n\n{statement}\n");
    let compilation = compile("probe.scrim", &text, &NoFiles);
    compilation
        .diagnostics
        .iter()
        .find(|d| d.is_error())
        .map(|d| d.message.clone())
}

/// Whether `name` can be written as an attribute name in a policy
/// (`sensitive attributes`, `attr:NAME`).
pub(crate) fn is_attribute_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'))
}

/// Selectors joined into one list.
pub(crate) fn list(selectors: &[String]) -> String {
    selectors.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_names_are_escaped_as_css_requires() {
        assert_eq!(class_selector("rr-block"), ".rr-block");
        assert_eq!(class_selector("2col"), ".\\32 col");
        assert_eq!(class_selector("a:b"), ".a\\:b");
        for name in ["rr-block", "2col", "a:b", "x.y", "-", "é"] {
            assert!(
                check_selector("blockClass", &class_selector(name)).is_ok(),
                "{name}"
            );
        }
    }

    #[test]
    fn quotes_survive_the_string_literal() {
        let selector = r#"[data-x="a\b"]"#;
        let text = format!("scrim 1\n\nmask text {}\n", quote(selector));
        let parsed = scrim_syntax::parse(&scrim_syntax::SourceFile::new("t.scrim", text.as_str()));
        assert!(!parsed.has_errors());
        let scrim_syntax::ast::ItemKind::Rule(rule) = &parsed.policy.items[1].kind else {
            panic!("not a rule");
        };
        assert_eq!(rule.selector.value, selector);
    }

    #[test]
    fn selectors_scrim_cannot_match_stop_the_import() {
        let error = check_selector("blockSelector", "a:hover").unwrap_err();
        assert!(
            error
                .message
                .starts_with("`blockSelector`: `a:hover` is not a selector scrim can match")
        );
        assert!(allow_refused("input[type=password]").is_some());
        assert!(allow_refused(".public").is_none());
    }
}

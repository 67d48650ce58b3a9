//! A selector a streaming recorder cannot decide once and for all:
//! sibling combinators (`+`, `~`), `:nth-*`, `:first-*`, `:last-*`,
//! `:only-*` and `:empty`.
//!
//! ## What it catches
//!
//! Every sibling combinator and tree-structural pseudo-class in the
//! selector of a rule, each at its place.
//!
//! ## Why it matters
//!
//! A recorder sees the page as a stream: an element is decided when it
//! enters, before its later siblings and its children exist. Whether it is
//! `:last-child` or `:empty`, or whether a `.label + input` now has its
//! label, can change with every node added after it, so the rrweb masker
//! decides the parent's whole subtree again on every change to a
//! parent's children whenever a policy uses these selectors
//! ([rrweb.md](rrweb.md#when-a-decision-changes)). That costs time on
//! every mutation of every page, and it makes decisions depend on the
//! order in which the page was built: a channel that becomes less strict
//! stays masked until its content is written again, so the replay may
//! mask what the same page masked as HTML would show. It never leaks (a
//! channel that becomes stricter is masked at once), which is why this is
//! a performance rule.
//!
//! ## Example
//!
//! ```scrim bad
//! scrim 1
//!
//! allow value ".field-label + input"
//! #                         ^ streaming-unstable-selector
//! allow text "tr:last-child"
//! #             ^^^^^^^^^^^ streaming-unstable-selector
//! ```
//!
//! Select by the markup the elements carry:
//!
//! ```scrim
//! scrim 1
//!
//! allow value "input.public"
//! allow text "tr.totals"
//! ```

use crate::finding::{Finding, Findings};
use crate::model::Model;
use crate::registry::{Category, Check, Rule};
use scrim_syntax::Code;
use scrim_syntax::ast::LintLevel;
use std::ops::Range;

pub(crate) static RULE: Rule = Rule {
    id: "streaming-unstable-selector",
    category: Category::Performance,
    default_level: LintLevel::Warn,
    code: Code::LintStreamingUnstableSelector,
    source: include_str!("streaming_unstable_selector.rs"),
    check: Check::Policy(check),
};

/// What a structural part of a selector depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Depends {
    EarlierSiblings,
    LaterSiblings,
    Children,
}

fn pseudo_class(name: &str) -> Option<Depends> {
    Some(match name {
        "first-child" | "nth-child" | "first-of-type" | "nth-of-type" => Depends::EarlierSiblings,
        "last-child" | "nth-last-child" | "last-of-type" | "nth-last-of-type" | "only-child"
        | "only-of-type" => Depends::LaterSiblings,
        "empty" => Depends::Children,
        _ => return None,
    })
}

/// The sibling combinators and structural pseudo-classes of a selector
/// list as written, with what each depends on. Attribute selectors,
/// strings and the arguments of `:nth-*()` (where `2n+1` is no combinator)
/// are skipped.
fn structural(text: &str) -> Vec<(Range<usize>, Depends)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // Open parentheses: whether each holds `:nth-*()` arguments.
    let mut parens: Vec<bool> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' | b'\'' => {
                let quote = bytes[i];
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'[' => {
                while i < bytes.len() && bytes[i] != b']' {
                    i += match bytes[i] {
                        b'\\' => 2,
                        b'"' | b'\'' => {
                            let quote = bytes[i];
                            text[i + 1..]
                                .find(quote as char)
                                .map_or(text.len() - i, |at| at + 2)
                        }
                        _ => 1,
                    };
                }
                i += 1;
            }
            b'(' => {
                parens.push(false);
                i += 1;
            }
            b')' => {
                parens.pop();
                i += 1;
            }
            _ if parens.last() == Some(&true) => i += 1,
            b'+' | b'~' => {
                out.push((i..i + 1, Depends::EarlierSiblings));
                i += 1;
            }
            b':' => {
                let start = i;
                i += 1;
                if bytes.get(i) == Some(&b':') {
                    i += 1;
                }
                let name_start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-') {
                    i += 1;
                }
                let name = text[name_start..i].to_ascii_lowercase();
                if let Some(depends) = pseudo_class(&name) {
                    out.push((start..i, depends));
                }
                if bytes.get(i) == Some(&b'(') {
                    parens.push(name.starts_with("nth-"));
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    out
}

fn check(model: &Model<'_>, out: &mut Findings) {
    for rule in model.user_rules() {
        let selector = &rule.ast.selector;
        for (range, depends) in structural(&selector.value) {
            let written = &selector.value[range.clone()];
            let what = match depends {
                Depends::EarlierSiblings => "siblings that come before the element",
                Depends::LaterSiblings => {
                    "siblings that come after the element, which a recorder has not seen when it enters"
                }
                Depends::Children => {
                    "the element's children, which a recorder has not seen when it enters"
                }
            };
            out.add(
                Finding::new(
                    RULE.id,
                    model.loc(rule.file, selector.source_span(range.start, range.end)),
                    format!("`{written}` makes this rule depend on {what}"),
                )
                .label("decided again on every change to the parent's children")
                .help("select by the class or attribute the elements carry where you can; a streaming recorder then decides each element once"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_structure_outside_attributes_and_nth_arguments() {
        let found = |text: &str| -> Vec<String> {
            structural(text)
                .into_iter()
                .map(|(r, _)| text[r].to_string())
                .collect()
        };
        assert_eq!(found("a + b ~ c"), ["+", "~"]);
        assert_eq!(found("li:nth-child(2n+1) > a"), [":nth-child"]);
        assert_eq!(found("[class~='x+y'] :is(a + b)"), ["+"]);
        assert_eq!(found("p:EMPTY, td:last-child"), [":EMPTY", ":last-child"]);
        assert!(found(".a > .b:not(.c)").is_empty());
    }
}

//! Completion: what may come next where the cursor is, read from the words
//! of the statement before it (it is unfinished while the author types, so
//! the syntax tree knows little of it). Keywords, channels, presets,
//! detectors (built-in and the policy's own), attribute names, lint rule
//! names (in `lint` statements and `# scrim: allow` comments), outcomes
//! and levels; each with its documentation.

use super::lex::{self, Kind, Token};
use super::{Analysis, docs};
use scrim_syntax::Span;
use scrim_syntax::ast::{Channel, ItemKind, Outcome, SensitiveAttributes};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CompletionKind {
    Keyword,
    Channel,
    Preset,
    Detector,
    Attribute,
    LintRule,
    Value,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    /// One line beside the label.
    pub detail: Option<String>,
    pub documentation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Completions {
    /// What a chosen item replaces: the part of a word already typed.
    pub replace: Span,
    pub items: Vec<Completion>,
}

pub(crate) fn completion(analysis: &Analysis, offset: usize) -> Option<Completions> {
    let text = analysis.text();
    if !text.is_char_boundary(offset) {
        return None;
    }
    let (line_start, _) = lex::line_around(text, offset);
    let tokens = lex::tokens(text, line_start, offset);
    let (typed, before): (Option<&Token>, &[Token]) = match tokens.split_last() {
        Some((last, rest)) if last.kind == Kind::Word && last.span.end == offset => {
            (Some(last), rest)
        }
        Some((last, _)) if last.kind == Kind::Comment => {
            return suppression(text, last.span, offset);
        }
        // Inside a string or a regular expression, or right after one.
        Some((last, _))
            if matches!(last.kind, Kind::String | Kind::Regex) && last.span.end == offset =>
        {
            return None;
        }
        _ => (None, tokens.as_slice()),
    };
    let replace = typed.map_or(Span::new(offset, offset), |t| t.span);
    let words: Vec<&str> = before
        .iter()
        .map(|t| match t.kind {
            Kind::Word => &text[t.span.start..t.span.end],
            Kind::String => "\"",
            Kind::Regex => "/",
            Kind::Comma => ",",
            Kind::Open => "{",
            Kind::Close => "}",
            Kind::Comment => "#",
        })
        .collect();
    let items = next_words(analysis, &words)?;
    Some(Completions { replace, items })
}

/// What may follow `words` (the statement's words before the cursor,
/// strings as `"` and regular expressions as `/`).
fn next_words(analysis: &Analysis, words: &[&str]) -> Option<Vec<Completion>> {
    let keywords = |list: &[&str]| Some(list.iter().map(|w| keyword(w)).collect());
    let last = words.last().copied();
    let has = |word: &str| words.contains(&word);
    let after_list = matches!(last, Some(",")) || words.len() == 1;
    let Some(&first) = words.first() else {
        return keywords(scrim_syntax::STATEMENT_KEYWORDS);
    };
    match first {
        "scrim" if words.len() == 1 => Some(vec![Completion {
            label: scrim_syntax::LANGUAGE_VERSION.to_string(),
            kind: CompletionKind::Value,
            detail: Some("the language version".into()),
            documentation: docs::keyword("scrim", None),
        }]),
        "preset" if after_list => Some(
            scrim_compiler::presets::names()
                .into_iter()
                .filter(|name| !has(name))
                .map(|name| Completion {
                    label: name.to_string(),
                    kind: CompletionKind::Preset,
                    detail: Some("vendor markup preset".into()),
                    documentation: docs::preset(name),
                })
                .collect(),
        ),
        "sensitive" => match last {
            Some("sensitive") => keywords(&["attributes"]),
            Some("attributes") => {
                let mut out: Vec<Completion> =
                    ["defaults", "all"].iter().map(|w| keyword(w)).collect();
                out.extend(attributes(analysis, ""));
                Some(out)
            }
            Some("all") => keywords(&["except"]),
            Some("except" | ",") => {
                let mut out = attributes(analysis, "");
                if !has("all") {
                    out.insert(0, keyword("defaults"));
                }
                Some(out)
            }
            _ => None,
        },
        "require" if words.len() == 1 => keywords(&["consent"]),
        "record" if words.len() == 1 => keywords(&["only"]),
        "never" if words.len() == 1 => keywords(&["record"]),
        "redact" if words.len() == 1 => keywords(&["query", "path"]),
        "on" if words.len() == 1 => keywords(&["page"]),
        "detect" if words.len() == 3 && last == Some("/") => keywords(&["examples"]),
        "detect" if after_list && !has("/") => Some(detectors(analysis, words)),
        "lint" => match last {
            Some("lint" | ",") => Some(lint_rules()),
            Some(word)
                if words.len() >= 2 && !scrim_syntax::ast::LintLevel::KEYWORDS.contains(&word) =>
            {
                keywords(scrim_syntax::ast::LintLevel::KEYWORDS)
            }
            _ => None,
        },
        "default" => match last {
            Some("default" | ",") => Some(channels(analysis, Channel::KEYWORDS)),
            Some(word) if words.len() > 2 && Outcome::KEYWORDS.contains(&word) => None,
            Some(_) => {
                let events = has("events");
                let others = words[1..].iter().any(|w| *w != "events" && *w != ",");
                let outcomes: &[&str] = match (events, others) {
                    (true, false) => &["capture", "ignore"],
                    (false, _) => &["capture", "mask"],
                    (true, true) => &[],
                };
                keywords(outcomes)
            }
            None => None,
        },
        "mask" | "allow" | "ignore" | "block" => rule_words(analysis, first, words),
        "when" => match last {
            Some("when" | "and") => keywords(&["consent", "not", "region"]),
            Some("not") => keywords(&["consent"]),
            Some("consent" | "region" | ",") => None,
            Some(_) if words.len() >= 3 => keywords(&["and"]),
            _ => None,
        },
        _ => None,
    }
}

/// What may follow the words of an element rule.
fn rule_words(analysis: &Analysis, verb: &str, words: &[&str]) -> Option<Vec<Completion>> {
    let last = words.last().copied()?;
    let selector_written = words.contains(&"\"");
    if !selector_written {
        let channel_expected = last == "," || last == verb || (verb == "mask" && last == "sealed");
        return match verb {
            "block" => None,
            "ignore" if channel_expected => Some(channels(analysis, &["events"])),
            "mask" if last == "mask" => {
                let mut out = vec![keyword("sealed")];
                out.extend(channels(analysis, MASKABLE));
                Some(out)
            }
            "mask" if channel_expected => Some(channels(analysis, MASKABLE)),
            "allow" if channel_expected => Some(channels(analysis, Channel::KEYWORDS)),
            _ => None,
        };
    }
    match last {
        "\"" if verb == "mask" => Some(vec![keyword("with"), keyword("as")]),
        "\"" => Some(vec![keyword("as")]),
        "with" => Some(vec![keyword("stars"), keyword("length")]),
        "stars" => Some(vec![keyword("as")]),
        _ if words.len() >= 2 && words[words.len() - 2] == "length" => Some(vec![keyword("as")]),
        _ => None,
    }
}

/// The channels `mask` takes: all but `events`, which are ignored.
const MASKABLE: &[&str] = &["text", "value", "attributes", "media", "all"];

fn keyword(word: &str) -> Completion {
    Completion {
        label: word.to_string(),
        kind: CompletionKind::Keyword,
        detail: None,
        documentation: docs::keyword(word, None),
    }
}

/// The channel keywords in `names`, then `attr:` with each attribute name.
fn channels(analysis: &Analysis, names: &[&str]) -> Vec<Completion> {
    let mut out: Vec<Completion> = names
        .iter()
        .map(|name| Completion {
            label: name.to_string(),
            kind: CompletionKind::Channel,
            detail: Some("channel".into()),
            documentation: docs::channel(name),
        })
        .collect();
    if names.len() > 1 {
        out.extend(attributes(analysis, "attr:"));
    }
    out
}

/// Attribute names: the built-in sensitive set, the usual prefixes, and
/// every attribute the policy names; each after `prefix`.
fn attributes(analysis: &Analysis, prefix: &str) -> Vec<Completion> {
    let mut names: Vec<String> = scrim_artifact::SensitiveAttributes::BUILTIN
        .iter()
        .map(|s| s.to_string())
        .chain(["data-*".to_string(), "aria-*".to_string()])
        .collect();
    for tree in &analysis.compilation.trees {
        for (_, item) in tree.walk() {
            let mut named = |name: String| {
                if !names.contains(&name) {
                    names.push(name);
                }
            };
            match &item.kind {
                ItemKind::Rule(rule) => rule.channels.iter().for_each(|c| match &c.channel {
                    Channel::Attr(name) => named(name.clone()),
                    Channel::AttrPrefix(p) => named(format!("{p}*")),
                    _ => {}
                }),
                ItemKind::Sensitive(
                    SensitiveAttributes::List { names: list }
                    | SensitiveAttributes::AllExcept { names: list },
                ) => list
                    .iter()
                    .filter(|n| n.text != "defaults")
                    .for_each(|n| named(n.text.to_ascii_lowercase())),
                _ => {}
            }
        }
    }
    names
        .into_iter()
        .map(|name| {
            let label = format!("{prefix}{name}");
            let documentation = docs::channel(&format!("attr:{name}"));
            Completion {
                label,
                kind: CompletionKind::Attribute,
                detail: Some("attribute".into()),
                documentation,
            }
        })
        .collect()
}

/// The built-in detectors and the policy's own, but those the statement
/// names already.
fn detectors(analysis: &Analysis, words: &[&str]) -> Vec<Completion> {
    let mut out: Vec<Completion> = scrim_compiler::BUILTIN_DETECTORS
        .iter()
        .map(|name| Completion {
            label: name.to_string(),
            kind: CompletionKind::Detector,
            detail: Some("built-in detector".into()),
            documentation: docs::detector(name),
        })
        .collect();
    for tree in &analysis.compilation.trees {
        for (_, item) in tree.walk() {
            if let ItemKind::DetectPattern { name, pattern, .. } = &item.kind
                && !out.iter().any(|c| c.label == name.text)
            {
                out.push(Completion {
                    label: name.text.clone(),
                    kind: CompletionKind::Detector,
                    detail: Some(format!("custom detector /{}/", pattern.value)),
                    documentation: None,
                });
            }
        }
    }
    out.retain(|c| !words.contains(&c.label.as_str()));
    out
}

fn lint_rules() -> Vec<Completion> {
    scrim_lint::RULES
        .iter()
        .map(|rule| Completion {
            label: rule.id.to_string(),
            kind: CompletionKind::LintRule,
            detail: Some(format!("lint rule: {}", rule.summary())),
            documentation: Some(rule.explain()),
        })
        .collect()
}

/// In a comment: lint rule names where a `# scrim: allow` comment takes
/// one.
fn suppression(text: &str, comment: Span, offset: usize) -> Option<Completions> {
    let before = &text[comment.start..offset];
    let rest = before
        .strip_prefix('#')?
        .trim_start()
        .strip_prefix("scrim:")?;
    let names = rest.trim_start().strip_prefix("allow")?;
    if !names.starts_with([' ', '\t']) {
        return None;
    }
    // Names so far, separated by commas; the cursor must be on the last,
    // not in the reason that may follow the names.
    let mut pieces = names.split(',');
    let current = pieces.next_back()?;
    let current_trimmed = current.trim_start();
    if current_trimmed.contains([' ', '\t'])
        || pieces.any(|p| p.trim().contains([' ', '\t']) || p.trim().is_empty())
    {
        return None;
    }
    let replace = Span::new(offset - current_trimmed.len(), offset);
    Some(Completions {
        replace,
        items: lint_rules(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{Files, at_cursor};
    use super::*;
    use expect_test::{Expect, expect};

    fn check(input: &str, expect: Expect) {
        let (analysis, offset) = at_cursor(input, &Files(&[]));
        let shown = match completion(&analysis, offset) {
            Some(completions) => format!(
                "replace `{}`: {}",
                &analysis.text()[completions.replace.start..completions.replace.end],
                completions
                    .items
                    .iter()
                    .map(|c| c.label.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            None => "nothing".to_string(),
        };
        expect.assert_eq(&shown);
    }

    #[test]
    fn statements_start_with_keywords() {
        check(
            "scrim 1\n\nma$0\n",
            expect![
                "replace `ma`: scrim include preset sensitive require record never redact detect default block mask allow ignore on when lint"
            ],
        );
        check(
            "scrim 1\non page \"/a\" {\n  $0\n}\n",
            expect![
                "replace ``: scrim include preset sensitive require record never redact detect default block mask allow ignore on when lint"
            ],
        );
        check("scrim $0", expect!["replace ``: 1"]);
        check("scrim 1\nnever $0", expect!["replace ``: record"]);
        check("scrim 1\nredact q$0", expect!["replace `q`: query path"]);
    }

    #[test]
    fn rules_take_channels_then_strategies_and_names() {
        check(
            "scrim 1\nallow text \"h1\"\nmask $0",
            expect![
                "replace ``: sealed text value attributes media all attr:alt attr:aria-description attr:aria-label attr:aria-valuetext attr:href attr:placeholder attr:srcdoc attr:title attr:value attr:data-* attr:aria-*"
            ],
        );
        check(
            "scrim 1\nmask attr:data-user-id \".a\"\nallow text, at$0",
            expect![
                "replace `at`: text value attributes media events all attr:alt attr:aria-description attr:aria-label attr:aria-valuetext attr:href attr:placeholder attr:srcdoc attr:title attr:value attr:data-* attr:aria-* attr:data-user-id"
            ],
        );
        check("scrim 1\nignore $0", expect!["replace ``: events"]);
        check(
            "scrim 1\nmask text \".a\" $0",
            expect!["replace ``: with as"],
        );
        check(
            "scrim 1\nmask text \".a\" with $0",
            expect!["replace ``: stars length"],
        );
        check("scrim 1\nblock \".a\" $0", expect!["replace ``: as"]);
        check("scrim 1\nblock \".a$0", expect!["nothing"]);
        check("scrim 1\nmask text \".a\" as $0", expect!["nothing"]);
    }

    #[test]
    fn defaults_take_channels_then_outcomes() {
        check(
            "scrim 1\ndefault text, value $0",
            expect!["replace ``: capture mask"],
        );
        check(
            "scrim 1\ndefault events $0",
            expect!["replace ``: capture ignore"],
        );
    }

    #[test]
    fn presets_detectors_and_attributes_by_name() {
        check(
            "scrim 1\npreset rrweb, $0",
            expect![
                "replace ``: sentry datadog posthog fullstory logrocket hotjar clarity openreplay heap"
            ],
        );
        check(
            "scrim 1\ndetect order-id /ORD-\\d+/\ndetect email, $0",
            expect!["replace ``: card phone national-id order-id"],
        );
        check("scrim 1\ndetect x /a/ $0", expect!["replace ``: examples"]);
        check(
            "scrim 1\nsensitive attributes all except $0",
            expect![
                "replace ``: alt aria-description aria-label aria-valuetext href placeholder srcdoc title value data-* aria-*"
            ],
        );
    }

    #[test]
    fn lint_rule_names_in_statements_and_suppressions() {
        let (analysis, offset) = at_cursor("scrim 1\nlint dup$0", &Files(&[]));
        let found = completion(&analysis, offset).unwrap();
        assert_eq!(found.items.len(), scrim_lint::RULES.len());
        assert!(
            found
                .items
                .iter()
                .all(|c| c.kind == CompletionKind::LintRule)
        );
        check(
            "scrim 1\nlint duplicate-rule $0",
            expect!["replace ``: allow warn deny"],
        );
        let (analysis, offset) = at_cursor(
            "scrim 1\nblock \".a\"  # scrim: allow duplicate-rule, unre$0",
            &Files(&[]),
        );
        let found = completion(&analysis, offset).unwrap();
        assert_eq!(
            &analysis.text()[found.replace.start..found.replace.end],
            "unre"
        );
        assert!(found.items.iter().any(|c| c.label == "unreachable-rule"));
        // Not in the reason after the names, nor in another comment.
        check(
            "scrim 1\n# scrim: allow duplicate-rule because $0",
            expect!["nothing"],
        );
        check("scrim 1\n# a note $0", expect!["nothing"]);
    }

    #[test]
    fn conditions_of_when_blocks() {
        check(
            "scrim 1\nwhen $0",
            expect!["replace ``: consent not region"],
        );
        check("scrim 1\nwhen not $0", expect!["replace ``: consent"]);
        check("scrim 1\nwhen consent ads $0", expect!["replace ``: and"]);
    }
}

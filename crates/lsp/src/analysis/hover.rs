//! Hover: the documentation of what is under the cursor (a keyword, a
//! channel, a preset, a detector, a lint rule), and for an element rule,
//! what it does, on which channels, where, and which preset markup it
//! stands for.

use super::lex::{self, Kind};
use super::{Analysis, contains, docs, items_at, presets};
use scrim_syntax::Span;
use scrim_syntax::ast::{Channel, ConditionKind, ElementRule, Item, ItemKind, Strategy, Verb};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hover {
    /// What the documentation is about.
    pub span: Span,
    pub markdown: String,
}

pub(crate) fn hover(analysis: &Analysis, offset: usize) -> Option<Hover> {
    let text = analysis.text();
    let tree = analysis.tree();
    if let Some(comment) = tree.comments.iter().find(|c| contains(c.span, offset)) {
        let names = scrim_lint::suppressed_rules(&comment.text)?;
        let (start, end) = names
            .into_iter()
            .map(|(s, e)| (comment.span.start + s, comment.span.start + e))
            .find(|&(s, e)| contains(Span::new(s, e), offset))?;
        return Some(Hover {
            span: Span::new(start, end),
            markdown: docs::lint_rule(&text[start..end])?,
        });
    }
    let items = items_at(tree, offset);
    let (item, enclosing) = items.split_last()?;
    let at = |span: Span| contains(span, offset);
    let found =
        |span: Span, markdown: Option<String>| markdown.map(|markdown| Hover { span, markdown });
    match &item.kind {
        ItemKind::Include { path } if at(path.span) => {
            let target = scrim_compiler::join(analysis.root().name(), &path.value);
            let read = analysis.files().any(|name| name == target);
            let status = if read {
                "its statements join this policy's"
            } else {
                "it could not be read (see the diagnostic)"
            };
            return found(path.span, Some(format!("includes `{target}`: {status}")));
        }
        ItemKind::Preset { names } => {
            if let Some(name) = names.iter().find(|n| at(n.span)) {
                return found(name.span, docs::preset(&name.text));
            }
        }
        ItemKind::Detect { names } => {
            if let Some(name) = names.iter().find(|n| at(n.span)) {
                let doc =
                    docs::detector(&name.text).or_else(|| custom_detector(analysis, &name.text));
                return found(name.span, doc);
            }
        }
        ItemKind::DetectPattern { name, .. } if at(name.span) => {
            return found(name.span, custom_detector(analysis, &name.text));
        }
        ItemKind::Lint { rules, .. } => {
            if let Some(rule) = rules.iter().find(|r| at(r.span)) {
                return found(rule.span, docs::lint_rule(&rule.text));
            }
        }
        ItemKind::Default { channels, .. } => {
            if let Some(channel) = channels.iter().find(|c| at(c.span)) {
                let written = &text[channel.span.start..channel.span.end];
                return found(channel.span, docs::channel(written));
            }
        }
        ItemKind::Rule(rule) => {
            if let Some(channel) = rule.channels.iter().find(|c| at(c.span)) {
                let written = &text[channel.span.start..channel.span.end];
                return found(channel.span, docs::channel(written));
            }
            let name = rule.name.as_ref().map(|n| n.span);
            if at(rule.selector.span) || name.is_some_and(at) {
                let span = name.filter(|&n| at(n)).unwrap_or(rule.selector.span);
                return found(span, Some(describe_rule(analysis, item, rule, enclosing)));
            }
        }
        _ => {}
    }
    // A keyword of the statement's head.
    let head = item.kind.block().map_or(item.span, |b| b.header_span);
    let word = lex::tokens(text, head.start, head.end)
        .into_iter()
        .find(|t| t.kind == Kind::Word && at(t.span))?;
    let written = &text[word.span.start..word.span.end];
    let kind = (!matches!(item.kind, ItemKind::Error { .. })).then_some(&item.kind);
    let mut markdown = docs::keyword(written, kind)?;
    if let ItemKind::Rule(rule) = &item.kind
        && word.span.start == item.span.start
    {
        // The verb: the rule first, then what the verb means.
        markdown = format!(
            "{}\n\n---\n\n{markdown}",
            describe_rule(analysis, item, rule, enclosing)
        );
    }
    Some(Hover {
        span: word.span,
        markdown,
    })
}

/// A custom detector of the policy (or of a file it includes).
fn custom_detector(analysis: &Analysis, name: &str) -> Option<String> {
    for (tree, source) in analysis
        .compilation
        .trees
        .iter()
        .zip(&analysis.compilation.sources)
    {
        for (_, item) in tree.walk() {
            if let ItemKind::DetectPattern {
                name: defined,
                pattern,
                examples,
            } = &item.kind
                && defined.text == name
            {
                let text = source.text();
                let mut out = format!(
                    "**`{name}`** custom detector: masks every match of `{}` in text and values that are captured.",
                    &text[pattern.span.start..pattern.span.end]
                );
                if !examples.is_empty() {
                    let shown: Vec<String> = examples
                        .iter()
                        .map(|e| format!("`{}`", &text[e.span.start..e.span.end]))
                        .collect();
                    out.push_str(&format!(
                        "\n\nIt must find something to mask in each of its examples: {}.",
                        shown.join(", ")
                    ));
                }
                let (line, _) = source.line_column(item.span.start);
                out.push_str(&format!("\n\n*Defined at {}:{line}*", source.name()));
                return Some(out);
            }
        }
    }
    None
}

/// What an element rule does, on which channels, where, and the preset
/// markup it stands for.
fn describe_rule(
    analysis: &Analysis,
    item: &Item,
    rule: &ElementRule,
    enclosing: &[&Item],
) -> String {
    let text = analysis.text();
    let root = analysis.root();
    let statement = &text[item.span.start..item.span.end];
    let id = match &rule.name {
        Some(name) => format!("`{}`", name.text),
        None => {
            let file = root.name().rsplit('/').next().unwrap_or(root.name());
            let (line, _) = root.line_column(item.span.start);
            format!("`{file}:{line}`")
        }
    };
    let channels = channel_list(rule);
    let what = match rule.verb {
        Verb::Block => "Blocks the elements it selects: each is recorded as a placeholder that keeps its tag name and size, and nothing inside it is recorded (no attributes, children or events). Nothing can unblock.".to_string(),
        Verb::Mask => {
            let strategy = match rule.strategy.as_ref().map(|s| &s.strategy) {
                None | Some(Strategy::Stars) => "every non-whitespace character becomes `*`".to_string(),
                Some(Strategy::Fixed(fixed)) => format!("each masked string becomes `{}`", fixed.value),
                Some(Strategy::Length(n)) => format!("each masked string becomes {n} stars"),
            };
            let lift = if rule.sealed {
                "Sealed: no `allow` below it can lift the mask."
            } else {
                "An `allow` on an element inside, nearer to it, captures that element again."
            };
            format!("Masks {channels} of the elements it selects and of everything inside them ({strategy}). {lift}")
        }
        Verb::Allow => format!(
            "Captures {channels} in clear on the elements it selects and everything inside them, unless a nearer rule decides. Floors, blocks, sealed masks and detectors still apply."
        ),
        Verb::Ignore => "Drops the input, pointer and scroll events that target the elements it selects and everything inside them, unless a nearer rule decides.".to_string(),
    };
    let mut scopes: Vec<String> = Vec::new();
    for outer in enclosing {
        match &outer.kind {
            ItemKind::OnPage { patterns, .. } => {
                let shown: Vec<String> = patterns
                    .iter()
                    .map(|p| format!("`{}`", &text[p.span.start..p.span.end]))
                    .collect();
                scopes.push(format!("on pages matching {}", shown.join(" or ")));
            }
            ItemKind::When { conditions, .. } => {
                for condition in conditions {
                    scopes.push(match &condition.kind {
                        ConditionKind::Consent(name) => {
                            format!("when consent `{}` is granted", name.text)
                        }
                        ConditionKind::NoConsent(name) => {
                            format!("when consent `{}` is not granted", name.text)
                        }
                        ConditionKind::Region(codes) => {
                            let codes: Vec<String> =
                                codes.iter().map(|c| format!("`{}`", c.text)).collect();
                            format!("in region {}", codes.join(" or "))
                        }
                    });
                }
            }
            _ => {}
        }
    }
    let where_ = if scopes.is_empty() {
        "on every page that is recorded".to_string()
    } else {
        scopes.join(", ")
    };
    let mut out = format!("```scrim\n{statement}\n```\n\nRule {id}, in force {where_}.\n\n{what}");
    let markup = presets::markup_of(&rule.selector.value);
    if !markup.is_empty() {
        let used = |preset: &str| {
            analysis
                .files()
                .any(|name| name.strip_prefix("preset:") == Some(preset))
        };
        out.push_str("\n\nVendor markup:");
        for (selector, preset_rule) in markup {
            let note = if used(preset_rule.preset) {
                "used by this policy"
            } else {
                "not used by this policy"
            };
            out.push_str(&format!(
                "\n- `{selector}` is {}'s markup: `{}` in preset `{}` ({note})",
                preset_rule.preset, preset_rule.statement, preset_rule.preset
            ));
        }
    }
    out
}

/// "`text` and `value`", with `all` spelled out.
fn channel_list(rule: &ElementRule) -> String {
    let mut names: Vec<String> = Vec::new();
    for channel in &rule.channels {
        let shown = match &channel.channel {
            Channel::All => vec![
                "`text`".to_string(),
                "`value`".to_string(),
                "the sensitive `attributes`".to_string(),
                "`media`".to_string(),
            ],
            Channel::Attributes => vec!["the sensitive `attributes`".to_string()],
            Channel::AttrPrefix(prefix) => {
                vec![format!("every attribute whose name starts with `{prefix}`")]
            }
            other => vec![format!("`{other}`")],
        };
        for name in shown {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    match names.split_last() {
        None => "nothing".to_string(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{Files, at_cursor};
    use super::*;
    use expect_test::{Expect, expect};

    fn check(input: &str, expect: Expect) {
        let (analysis, offset) = at_cursor(input, &Files(&[]));
        let shown = match hover(&analysis, offset) {
            Some(hover) => format!(
                "{}\n{}",
                &analysis.text()[hover.span.start..hover.span.end],
                hover.markdown
            ),
            None => "nothing".to_string(),
        };
        expect.assert_eq(&shown);
    }

    #[test]
    fn a_rule_says_what_it_does_where_and_which_markup_it_is() {
        check(
            r#"scrim 1
preset rrweb
when consent marketing {
  mask sealed all "$0.rr-mask, .x" with length 4 as promo
}
"#,
            expect![[r#"
                ".rr-mask, .x"
                ```scrim
                mask sealed all ".rr-mask, .x" with length 4 as promo
                ```

                Rule `promo`, in force when consent `marketing` is granted.

                Masks `text`, `value`, the sensitive `attributes` and `media` of the elements it selects and of everything inside them (each masked string becomes 4 stars). Sealed: no `allow` below it can lift the mask.

                Vendor markup:
                - `.rr-mask` is rrweb's markup: `mask text, value ".rr-mask" as rr-mask` in preset `rrweb` (used by this policy)"#]],
        );
    }

    #[test]
    fn the_verb_shows_the_rule_then_the_keyword() {
        check(
            "scrim 1\n\nbl$0ock \"iframe.pay\"\n",
            expect![[r#"
                block
                ```scrim
                block "iframe.pay"
                ```

                Rule `policy.scrim:3`, in force on every page that is recorded.

                Blocks the elements it selects: each is recorded as a placeholder that keeps its tag name and size, and nothing inside it is recorded (no attributes, children or events). Nothing can unblock.

                ---

                **`block`**

                `block SELECTOR` — the element becomes a placeholder that keeps its tag name and size and nothing else: no attributes, no children, no events. Block is absorbing: nothing inside a blocked element can be unblocked. Exceptions are written in the selector (`".ad:not(.house-ad)"`).

                *Language reference: Element rules*"#]],
        );
    }

    #[test]
    fn channels_detectors_and_presets_come_from_their_docs() {
        check(
            "scrim 1\nallow attr:aria-la$0bel \"h1\"\n",
            expect![[r#"
                attr:aria-label
                **`attr:aria-label`** channel: one attribute, e.g. `attr:data-user-id`, sensitive or not

                `aria-label` is in the built-in sensitive set.

                *Language reference: Channels*"#]],
        );
        check(
            "scrim 1\ndetect email, ca$0rd\n",
            expect![[r#"
                card
                **`card`** detector: masks what `\b\d([ -]?\d){12,18}\b` matches when its 13 to 19 digits pass the Luhn check, in text and values that are captured.

                Finds `4111 1111 1111 1111`, `4222222222222`.

                *Language reference: Detectors*"#]],
        );
        let (analysis, offset) = at_cursor("scrim 1\npreset sentry, $0heap\n", &Files(&[]));
        let markdown = hover(&analysis, offset).unwrap().markdown;
        assert!(
            markdown.starts_with("**`preset heap`**\n\n```text\nPreset: Heap"),
            "{markdown}"
        );
        assert!(markdown.contains("```scrim\nblock"), "{markdown}");
    }

    #[test]
    fn custom_detectors_and_lint_rules_in_statements_and_comments() {
        check(
            "scrim 1\ndetect order /ORD-\\d{6}/ examples \"ORD-123456\"\n\non page \"/a/*\" {\n  detect or$0der\n}\n",
            expect![[r#"
                order
                **`order`** custom detector: masks every match of `/ORD-\d{6}/` in text and values that are captured.

                It must find something to mask in each of its examples: `"ORD-123456"`.

                *Defined at /p/policy.scrim:2*"#]],
        );
        let (analysis, offset) = at_cursor(
            "scrim 1\nblock \".a\"  # scrim: allow dupli$0cate-rule, x\n",
            &Files(&[]),
        );
        let shown = hover(&analysis, offset).unwrap();
        assert_eq!(
            &analysis.text()[shown.span.start..shown.span.end],
            "duplicate-rule"
        );
        assert!(
            shown.markdown.starts_with("# `duplicate-rule`"),
            "{}",
            shown.markdown
        );
    }

    #[test]
    fn keywords_read_in_their_statement_and_never_in_strings() {
        check(
            "scrim 1\nlint duplicate-rule al$0low\n",
            expect![[r#"
                allow
                **`allow`**

                `lint RULE, … allow|warn|deny` — `allow` turns the rules off, `warn` reports their findings as warnings, `deny` as errors. The statement stands at the top level of any file of the policy and applies to the whole policy; a rule's level is set once (`compile::duplicate-lint`). A name that is not a rule is an error with a suggestion (`compile::unknown-lint`).

                *Language reference: Lint levels and suppressions*"#]],
        );
        check(
            "scrim 1\nnever record \"/re$0cord/*\"\n",
            expect!["nothing"],
        );
        // A statement that does not parse still has its keywords.
        check(
            "scrim 1\nredact qu$0ery\n",
            expect![[r#"
                query
                **`query`**

                `redact query NAME, …` — the values of these query parameters become `redacted`.

                *Language reference: URL redaction*"#]],
        );
    }
}

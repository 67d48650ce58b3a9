//! The formatter: one canonical layout for every policy, keeping every
//! comment. Statements keep their order and at most one blank line between
//! them; blocks are indented by two spaces; lists are separated by `, `.
//!
//! [`format_checked`] re-parses its own output and refuses to hand back text
//! whose tree (ignoring positions) or comments differ from the input's: a
//! formatter bug can never change what a policy means.

use crate::ast::*;
use crate::parser::parse;
use crate::source::{SourceFile, Span};
use std::fmt::Write as _;

/// Why a file was not formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatError {
    /// The file has syntax errors; fix them first.
    Syntax,
    /// The formatted text would mean something else (a formatter bug).
    MeaningChanged { formatted: String },
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormatError::Syntax => f.write_str("the policy has syntax errors; fix them before formatting"),
            FormatError::MeaningChanged { .. } => f.write_str(
                "formatting would change the policy's meaning; the file was left as it is (this is a bug in scrim fmt)",
            ),
        }
    }
}

impl std::error::Error for FormatError {}

/// Formats a parsed policy. `text` is the source it was parsed from (for
/// blank lines and comment placement). The tree must have no error items.
pub fn format(policy: &Policy, text: &str) -> String {
    let mut printer = Printer {
        text,
        comments: &policy.comments,
        next_comment: 0,
        out: String::new(),
        last_end: None,
    };
    printer.items(&policy.items, 0);
    printer.comments_before(usize::MAX, 0);
    printer.out
}

/// Parses, formats, re-parses the output and checks it means the same.
pub fn format_checked(name: &str, text: &str) -> Result<String, FormatError> {
    let source = SourceFile::new(name, text);
    let parsed = parse(&source);
    if parsed.has_errors() {
        return Err(FormatError::Syntax);
    }
    let formatted = format(&parsed.policy, text);
    let reparsed = parse(&SourceFile::new(name, formatted.as_str()));
    if reparsed.has_errors() {
        return Err(FormatError::MeaningChanged { formatted });
    }
    let (mut before, mut after) = (parsed.policy, reparsed.policy);
    forget_positions(&mut before);
    forget_positions(&mut after);
    if before != after {
        return Err(FormatError::MeaningChanged { formatted });
    }
    Ok(formatted)
}

/// Clears everything in a tree that says where, not what: spans, the
/// offsets of escapes, whether a comment trails code. Two trees mean the
/// same when they are equal (the derived `PartialEq`) after this; the trees
/// are compared in place, with no copy. A position forgotten here could only
/// make equal meanings compare unequal, never the reverse.
fn forget_positions(policy: &mut Policy) {
    for Comment {
        span,
        text: _,
        trailing,
    } in &mut policy.comments
    {
        *span = Span::default();
        *trailing = false;
    }
    // Blocks nest at most `MAX_BLOCK_DEPTH` deep, but a loop needs no such
    // argument.
    let mut pending: Vec<&mut Vec<Item>> = vec![&mut policy.items];
    while let Some(items) = pending.pop() {
        for Item { span, kind } in items.iter_mut() {
            *span = Span::default();
            match kind {
                ItemKind::Version { version: _ } => {}
                ItemKind::Include { path } => forget_str(path),
                ItemKind::Preset { names }
                | ItemKind::Sensitive(
                    SensitiveAttributes::List { names } | SensitiveAttributes::AllExcept { names },
                )
                | ItemKind::RequireConsent { categories: names }
                | ItemKind::RedactQuery { names }
                | ItemKind::Detect { names } => names.iter_mut().for_each(forget_name),
                ItemKind::RecordOnly { patterns } | ItemKind::NeverRecord { patterns } => {
                    patterns.iter_mut().for_each(forget_str)
                }
                ItemKind::RedactPath { pattern } => forget_str(pattern),
                ItemKind::DetectPattern {
                    name,
                    pattern,
                    examples,
                } => {
                    forget_name(name);
                    forget_str(pattern);
                    examples.iter_mut().for_each(forget_str);
                }
                ItemKind::Lint { rules, level } => {
                    rules.iter_mut().for_each(forget_name);
                    let LintLevelRef { level: _, span } = level;
                    *span = Span::default();
                }
                ItemKind::Default { channels, outcome } => {
                    channels.iter_mut().for_each(forget_channel);
                    let OutcomeRef { outcome: _, span } = outcome;
                    *span = Span::default();
                }
                ItemKind::Rule(ElementRule {
                    verb: _,
                    sealed: _,
                    channels,
                    selector,
                    strategy,
                    name,
                }) => {
                    channels.iter_mut().for_each(forget_channel);
                    forget_str(selector);
                    if let Some(StrategyRef { strategy, span }) = strategy {
                        *span = Span::default();
                        match strategy {
                            Strategy::Fixed(text) => forget_str(text),
                            Strategy::Stars | Strategy::Length(_) => {}
                        }
                    }
                    if let Some(name) = name {
                        forget_name(name);
                    }
                }
                ItemKind::OnPage { patterns, body } => {
                    patterns.iter_mut().for_each(forget_str);
                    pending.push(forget_block(body));
                }
                ItemKind::When { conditions, body } => {
                    for Condition { kind, span } in conditions.iter_mut() {
                        *span = Span::default();
                        match kind {
                            ConditionKind::Consent(name) | ConditionKind::NoConsent(name) => {
                                forget_name(name)
                            }
                            ConditionKind::Region(codes) => codes.iter_mut().for_each(forget_name),
                        }
                    }
                    pending.push(forget_block(body));
                }
                ItemKind::Error { text: _ } => {}
            }
        }
    }
}

fn forget_block(block: &mut Block) -> &mut Vec<Item> {
    let Block {
        header_span,
        items,
        close_span,
    } = block;
    *header_span = Span::default();
    *close_span = close_span.map(|_| Span::default());
    items
}

fn forget_str(literal: &mut Str) {
    let Str {
        value: _,
        span,
        escapes,
    } = literal;
    *span = Span::default();
    escapes.clear();
}

fn forget_name(name: &mut Name) {
    let Name { text: _, span } = name;
    *span = Span::default();
}

fn forget_channel(channel: &mut ChannelRef) {
    let ChannelRef { channel: _, span } = channel;
    *span = Span::default();
}

struct Printer<'a> {
    text: &'a str,
    comments: &'a [Comment],
    next_comment: usize,
    out: String,
    /// Source offset where the last printed thing ended; `None` at the start
    /// of the file or of a block (no blank line goes there).
    last_end: Option<usize>,
}

impl Printer<'_> {
    fn items(&mut self, items: &[Item], depth: usize) {
        for item in items {
            self.comments_before(item.span.start, depth);
            self.blank_line_before(item.span.start);
            match &item.kind {
                ItemKind::OnPage { patterns, body } => {
                    self.line(
                        depth,
                        &format!("on page {} {{", strings(patterns)),
                        body.header_span.end,
                    );
                    self.body(body, depth);
                }
                ItemKind::When { conditions, body } => {
                    let conditions: Vec<String> = conditions.iter().map(condition).collect();
                    self.line(
                        depth,
                        &format!("when {} {{", conditions.join(" and ")),
                        body.header_span.end,
                    );
                    self.body(body, depth);
                }
                kind => self.line(depth, &statement(kind), item.span.end),
            }
        }
    }

    fn body(&mut self, body: &Block, depth: usize) {
        self.last_end = None;
        self.items(&body.items, depth + 1);
        let close = body.close_span.map_or(usize::MAX, |span| span.start);
        self.comments_before(close, depth + 1);
        self.line(
            depth,
            "}",
            body.close_span.map_or(self.text.len(), |span| span.end),
        );
    }

    /// Prints one line of code, with the trailing comment of its source line.
    fn line(&mut self, depth: usize, code: &str, source_end: usize) {
        indent(&mut self.out, depth);
        self.out.push_str(code);
        let line_end = self.text[source_end.min(self.text.len())..]
            .find('\n')
            .map_or(self.text.len(), |p| source_end + p);
        while let Some(comment) = self.comments.get(self.next_comment) {
            if comment.trailing && comment.span.start >= source_end && comment.span.start < line_end
            {
                // Comments of code that stood on this line ahead of a
                // statement the formatter moved to its own line come along.
                let _ = write!(self.out, "  {}", comment.text);
                self.next_comment += 1;
            } else {
                break;
            }
        }
        self.out.push('\n');
        self.last_end = Some(source_end);
    }

    /// Prints the comments that come before `offset`.
    fn comments_before(&mut self, offset: usize, depth: usize) {
        while let Some(comment) = self.comments.get(self.next_comment) {
            if comment.span.start >= offset {
                break;
            }
            self.blank_line_before(comment.span.start);
            indent(&mut self.out, depth);
            self.out.push_str(&comment.text);
            self.out.push('\n');
            self.last_end = Some(comment.span.end);
            self.next_comment += 1;
        }
    }

    /// Keeps one blank line where the source had one or more.
    fn blank_line_before(&mut self, start: usize) {
        if let Some(last_end) = self.last_end
            && last_end <= start
            && self.text[last_end..start].matches('\n').count() >= 2
        {
            self.out.push('\n');
        }
    }
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

/// The canonical text of a statement that is not a block.
fn statement(kind: &ItemKind) -> String {
    match kind {
        ItemKind::Version { version } => format!("scrim {version}"),
        ItemKind::Include { path } => format!("include {}", string(&path.value)),
        ItemKind::Preset { names: list } => format!("preset {}", names(list)),
        ItemKind::Sensitive(SensitiveAttributes::List { names: list }) => {
            format!("sensitive attributes {}", names(list))
        }
        ItemKind::Sensitive(SensitiveAttributes::AllExcept { names: list }) if list.is_empty() => {
            "sensitive attributes all".to_string()
        }
        ItemKind::Sensitive(SensitiveAttributes::AllExcept { names: list }) => {
            format!("sensitive attributes all except {}", names(list))
        }
        ItemKind::RequireConsent { categories } => format!("require consent {}", names(categories)),
        ItemKind::RecordOnly { patterns } => format!("record only {}", strings(patterns)),
        ItemKind::NeverRecord { patterns } => format!("never record {}", strings(patterns)),
        ItemKind::RedactQuery { names: list } => format!("redact query {}", names(list)),
        ItemKind::RedactPath { pattern } => format!("redact path {}", regex(&pattern.value)),
        ItemKind::Detect { names: list } => format!("detect {}", names(list)),
        ItemKind::DetectPattern {
            name,
            pattern,
            examples,
        } if examples.is_empty() => {
            format!("detect {} {}", name.text, regex(&pattern.value))
        }
        ItemKind::DetectPattern {
            name,
            pattern,
            examples,
        } => format!(
            "detect {} {} examples {}",
            name.text,
            regex(&pattern.value),
            strings(examples)
        ),
        ItemKind::Lint { rules, level } => {
            format!("lint {} {}", names(rules), level.level.keyword())
        }
        ItemKind::Default {
            channels: list,
            outcome,
        } => {
            format!("default {} {}", channels(list), outcome.outcome.keyword())
        }
        ItemKind::Rule(rule) => element_rule(rule),
        ItemKind::Error { text } => text.clone(),
        ItemKind::OnPage { .. } | ItemKind::When { .. } => unreachable!("blocks print as headers"),
    }
}

fn element_rule(rule: &ElementRule) -> String {
    let mut out = rule.verb.keyword().to_string();
    if rule.sealed {
        out.push_str(" sealed");
    }
    if !rule.channels.is_empty() {
        out.push(' ');
        out.push_str(&channels(&rule.channels));
    }
    out.push(' ');
    out.push_str(&string(&rule.selector.value));
    if let Some(strategy) = &rule.strategy {
        out.push_str(" with ");
        match &strategy.strategy {
            Strategy::Stars => out.push_str("stars"),
            Strategy::Fixed(text) => out.push_str(&string(&text.value)),
            Strategy::Length(length) => {
                let _ = write!(out, "length {length}");
            }
        }
    }
    if let Some(name) = &rule.name {
        out.push_str(" as ");
        out.push_str(&name.text);
    }
    out
}

fn condition(condition: &Condition) -> String {
    match &condition.kind {
        ConditionKind::Consent(name) => format!("consent {}", name.text),
        ConditionKind::NoConsent(name) => format!("not consent {}", name.text),
        ConditionKind::Region(codes) => format!("region {}", names(codes)),
    }
}

fn names(list: &[Name]) -> String {
    list.iter()
        .map(|n| n.text.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn channels(list: &[ChannelRef]) -> String {
    list.iter()
        .map(|c| c.channel.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn strings(list: &[Str]) -> String {
    list.iter()
        .map(|s| string(&s.value))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A string literal for `value`: `"` is escaped, and so is a backslash that
/// would otherwise read as an escape (before `"` or `\`, or at the end).
fn string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' if matches!(chars.peek(), None | Some('"') | Some('\\')) => out.push_str("\\\\"),
            '\\' => {
                // A backslash pair that is not one of ours was kept as written.
                out.push('\\');
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A regex literal for `value`: `/` is escaped; backslash pairs stay as they
/// are, since they belong to the regular expression.
fn regex(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('/');
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '/' => out.push_str("\\/"),
            '\\' => {
                out.push('\\');
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            c => out.push(c),
        }
    }
    out.push('/');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meaning(text: &str) -> Policy {
        let parsed = parse(&SourceFile::new("p.scrim", text));
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        let mut policy = parsed.policy;
        forget_positions(&mut policy);
        policy
    }

    const POLICY: &str = "scrim 1\n\
        # top\n\
        on page \"/a/*\" {\n\
        \x20 when consent x and region eu {\n\
        \x20   mask text \".a\\\"b\" with \"[x]\" as named  # trailing\n\
        \x20   default text, attr:title mask\n\
        \x20 }\n\
        }\n\
        detect id /ID-\\d+/ examples \"ID-1\"\n\
        lint unreachable-rule warn\n";

    #[test]
    fn layout_does_not_count() {
        let relaid = "scrim 1\n\n\
            # top\n\
            on page   \"/a/*\" {\n\
            when consent x and region eu { mask   text \".a\\\"b\" with \"[x]\" as named\n\
            # trailing\n\
            default text,attr:title mask\n\
            }\n\
            }\n\
            \n\
            detect   id   /ID-\\d+/  examples   \"ID-1\"\n\
            lint   unreachable-rule   warn\n";
        assert_eq!(meaning(POLICY), meaning(relaid));
    }

    #[test]
    fn every_word_counts_at_any_depth() {
        let original = meaning(POLICY);
        for (from, to) in [
            ("\".a\\\"b\"", "\".a\\\"c\""),
            ("\"[x]\"", "\"[y]\""),
            ("as named", "as other"),
            ("region eu", "region us"),
            ("attr:title", "attr:alt"),
            ("text, attr", "value, attr"),
            ("ID-", "ID_"),
            ("# top", "# changed"),
            ("# trailing", "# moved"),
            ("\"/a/*\"", "\"/b/*\""),
            ("\"ID-1\"", "\"ID-2\""),
            ("unreachable-rule", "duplicate-rule"),
            ("rule warn", "rule deny"),
        ] {
            assert!(POLICY.contains(from), "{from}");
            let changed = POLICY.replacen(from, to, 1);
            assert_ne!(meaning(&changed), original, "{from} -> {to}");
        }
    }
}

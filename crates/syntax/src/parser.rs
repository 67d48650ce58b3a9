//! Text to syntax tree. Never fails: each statement is parsed on its own with
//! the pest grammar, a statement that does not parse becomes an error item
//! with a diagnostic, and parsing goes on at the next statement.

use crate::ast::*;
use crate::code::Code;
use crate::diagnostic::{Diagnostic, limit_errors};
use crate::names::{STATEMENT_KEYWORDS, describe_expected};
use crate::source::{Loc, SourceFile, Span};
use crate::split::{PieceKind, split};
use crate::suggest;
use pest::Parser as _;
use pest::iterators::Pair;
use std::sync::Arc;

#[derive(pest_derive::Parser)]
#[grammar = "../../grammar/scrim.pest"]
struct Grammar;

pub(crate) use Rule as GrammarRule;

/// A syntax tree and what is wrong with it.
#[derive(Debug, Clone)]
pub struct Parse {
    pub policy: Policy,
    pub diagnostics: Vec<Diagnostic>,
}

impl Parse {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// The language versions this parser reads.
pub const LANGUAGE_VERSION: u32 = 1;

/// How deep `on page` and `when` blocks may nest. No real policy nests more
/// than a few; the limit keeps every walk over the tree (lowering,
/// formatting, comparing, dropping) within a small stack. A block nested
/// deeper is an error (`syntax::nesting-too-deep`) and is not parsed.
pub const MAX_BLOCK_DEPTH: usize = 32;

/// Parses a policy file. A file with more than [`MAX_ERRORS_PER_FILE`]
/// errors reports that many and one more that counts the rest (see
/// [`limit_errors`]).
pub fn parse(source: &Arc<SourceFile>) -> Parse {
    let mut parsed = parse_every_error(source);
    limit_errors(&mut parsed.diagnostics);
    parsed
}

/// Like [`parse`], but reports every error: for callers that add
/// diagnostics of their own (the compiler) and then apply [`limit_errors`]
/// to the whole.
pub fn parse_every_error(source: &Arc<SourceFile>) -> Parse {
    if let Some(format) = artifact_format(source.text()) {
        // A compiled artifact is JSON: read as a policy it gives an error on
        // nearly every line, none of which says what is wrong.
        let diagnostic = Diagnostic::error(
            Code::SyntaxCompiledArtifact,
            Loc::new(format, source.clone()),
            format!(
                "`{}` looks like a compiled artifact, not a policy",
                source.name()
            ),
        )
        .with_label("the format of compiled artifacts")
        .with_help(
            "pass it to `scrim mask --policy` or check the `.scrim` file it was compiled from",
        );
        return Parse {
            policy: Policy::default(),
            diagnostics: vec![diagnostic],
        };
    }
    let mut parser = StatementParser {
        source: source.clone(),
        diagnostics: Vec::new(),
    };
    let split = split(source.text());

    // Open blocks: the header item (its body filled as we go) and its items.
    struct Frame {
        header: Option<Item>,
        items: Vec<Item>,
    }
    let mut stack = vec![Frame {
        header: None,
        items: Vec::new(),
    }];
    // A block nested deeper than allowed is skipped whole, up to its `}`:
    // its header and how many blocks are open inside it (itself included).
    let mut too_deep: Option<(Span, usize)> = None;

    for piece in split.pieces {
        if let Some((header, open)) = &mut too_deep {
            match piece.kind {
                PieceKind::Header => *open += 1,
                PieceKind::Close => {
                    *open -= 1;
                    if *open == 0 {
                        let item = skipped_block(source, *header, Some(piece.span));
                        too_deep = None;
                        stack
                            .last_mut()
                            .expect("the root frame is never popped")
                            .items
                            .push(item);
                    }
                }
                PieceKind::Statement => {}
            }
            continue;
        }
        match piece.kind {
            PieceKind::Header if stack.len() > MAX_BLOCK_DEPTH => {
                parser.diagnostics.push(
                    Diagnostic::error(
                        Code::SyntaxNestingTooDeep,
                        parser.loc(piece.span),
                        format!("blocks are nested more than {MAX_BLOCK_DEPTH} levels deep"),
                    )
                    .with_label(format!("block {} levels deep", stack.len()))
                    .with_help(
                        "join the conditions of nested `when` blocks with `and` in one block, \
                         or list the URL patterns of nested `on page` blocks in one",
                    ),
                );
                too_deep = Some((piece.span, 1));
            }
            PieceKind::Statement | PieceKind::Header => {
                let item = parser.statement(piece.span, piece.kind == PieceKind::Header);
                if piece.kind == PieceKind::Header {
                    stack.push(Frame {
                        header: Some(item),
                        items: Vec::new(),
                    });
                } else {
                    stack
                        .last_mut()
                        .expect("the root frame is never popped")
                        .items
                        .push(item);
                }
            }
            PieceKind::Close => {
                if stack.len() == 1 {
                    parser.diagnostics.push(
                        Diagnostic::error(
                            Code::SyntaxUnmatchedBrace,
                            parser.loc(piece.span),
                            "unexpected `}`",
                        )
                        .with_label("no block is open here")
                        .with_help(
                            "remove this `}`, or open a block with `on page …{` or `when …{`",
                        ),
                    );
                    continue;
                }
                let frame = stack.pop().expect("checked above");
                let item = close_block(frame.header, frame.items, Some(piece.span));
                stack
                    .last_mut()
                    .expect("the root frame is never popped")
                    .items
                    .push(item);
            }
        }
    }
    if let Some((header, _)) = too_deep {
        // Never closed: the blocks around it say so.
        let item = skipped_block(source, header, None);
        stack
            .last_mut()
            .expect("the root frame is never popped")
            .items
            .push(item);
    }
    while stack.len() > 1 {
        let frame = stack.pop().expect("checked by the loop");
        let header = frame.header.expect("only the root frame has no header");
        parser.diagnostics.push(
            Diagnostic::error(
                Code::SyntaxUnclosedBlock,
                parser.loc(header_span(&header)),
                "this block is never closed",
            )
            .with_label("opened here")
            .with_help("add a line with `}` where the block ends"),
        );
        let item = close_block(Some(header), frame.items, None);
        stack
            .last_mut()
            .expect("the root frame is never popped")
            .items
            .push(item);
    }
    let items = stack.pop().expect("the root frame").items;
    let policy = Policy {
        items,
        comments: split.comments,
    };
    crate::structure::check(&policy, source, &mut parser.diagnostics);
    parser
        .diagnostics
        .sort_by_key(|d| (d.loc.span.start, d.loc.span.end));
    Parse {
        policy,
        diagnostics: parser.diagnostics,
    }
}

/// The span of the `"scrim-policy"` value when `text` starts the way
/// `scrim compile` writes artifacts: `{`, then the `format` field first.
fn artifact_format(text: &str) -> Option<Span> {
    let start = text.len()
        - text
            .trim_start_matches([' ', '\t', '\r', '\n', '\u{feff}'])
            .len();
    let mut rest = text[start..].strip_prefix('{')?;
    for expected in ["\"format\"", ":"] {
        rest = rest.trim_start().strip_prefix(expected)?;
    }
    let value = rest.trim_start();
    let format = "\"scrim-policy\"";
    value.starts_with(format).then(|| {
        let at = text.len() - value.len();
        Span::new(at, at + format.len())
    })
}

/// The error item that stands for a block nested too deep: its header's
/// text, spanning up to its `}` (or the end of the file). Nothing inside is
/// parsed, so the tree never gets deeper than [`MAX_BLOCK_DEPTH`] blocks.
fn skipped_block(source: &SourceFile, header: Span, close: Option<Span>) -> Item {
    let end = close.map_or(source.text().len(), |close| close.end);
    Item {
        span: Span::new(header.start, end),
        kind: ItemKind::Error {
            text: source.text()[header.start..header.end].to_string(),
        },
    }
}

fn header_span(item: &Item) -> Span {
    item.kind
        .block()
        .map_or(item.span, |block| block.header_span)
}

/// Attaches the body to a parsed header. A header that did not parse stays an
/// error item covering the whole block, so the braces still balance.
fn close_block(header: Option<Item>, items: Vec<Item>, close: Option<Span>) -> Item {
    let mut header = header.expect("only the root frame has no header");
    let end = close.map_or_else(
        || {
            items
                .last()
                .map_or(header.span.end, |last| last.span.end.max(header.span.end))
        },
        |close| close.end,
    );
    header.span = Span::new(header.span.start, end);
    match &mut header.kind {
        ItemKind::OnPage { body, .. } | ItemKind::When { body, .. } => {
            body.items = items;
            body.close_span = close;
        }
        ItemKind::Error { .. } => {}
        _ => unreachable!("headers parse only to blocks or errors"),
    }
    header
}

struct StatementParser {
    source: Arc<SourceFile>,
    diagnostics: Vec<Diagnostic>,
}

impl StatementParser {
    fn loc(&self, span: Span) -> Loc {
        Loc::new(span, self.source.clone())
    }

    fn statement(&mut self, span: Span, is_header: bool) -> Item {
        let source = self.source.clone();
        let text = &source.text()[span.start..span.end];
        let error_item = |text: &str| Item {
            span,
            kind: ItemKind::Error {
                text: text.to_string(),
            },
        };

        if let Some(diagnostic) = self.unknown_keyword(text, span.start) {
            self.diagnostics.push(diagnostic);
            return error_item(text);
        }
        let pairs = match Grammar::parse(Rule::statement, text) {
            Ok(pairs) => pairs,
            Err(error) => {
                let diagnostic = self.grammar_error(&error, text, span.start);
                self.diagnostics.push(diagnostic);
                return error_item(text);
            }
        };
        let statement = pairs
            .into_iter()
            .next()
            .expect("`statement` always yields itself");
        let inner = statement
            .into_inner()
            .find(|p| p.as_rule() != Rule::EOI)
            .expect("a statement has one alternative");
        let lower = Lower {
            offset: span.start,
            parser: self,
        };
        let kind = lower.item(inner);
        let kind = match kind {
            Some(kind) => kind,
            None => return error_item(text),
        };
        if kind.block().is_some() != is_header {
            // The grammar only lets `on page`/`when` end in `{`, and the
            // splitter only ends headers at `{`: the two always agree.
            unreachable!("header pieces parse to blocks and only they do");
        }
        Item { span, kind }
    }

    /// A statement that does not start with a statement keyword gets a
    /// "did you mean" at its first word rather than a list of every keyword.
    fn unknown_keyword(&self, text: &str, offset: usize) -> Option<Diagnostic> {
        let word_len = text
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(text.len());
        let word = &text[..word_len];
        if STATEMENT_KEYWORDS.contains(&word) {
            return None;
        }
        // No word: point at the first character, whatever its width.
        let shown = if word.is_empty() {
            &text[..text.chars().next().map_or(0, char::len_utf8)]
        } else {
            word
        };
        let span = Span::new(offset, offset + shown.len());
        let mut diagnostic = Diagnostic::error(
            Code::SyntaxUnknownStatement,
            self.loc(span),
            format!("unknown statement `{shown}`"),
        )
        .with_label("a statement starts with a keyword");
        diagnostic.help = Some(
            match suggest::did_you_mean(word, STATEMENT_KEYWORDS.iter().copied()) {
                Some(close) if !word.is_empty() => format!("did you mean `{close}`?"),
                _ => format!(
                    "a statement starts with one of {}",
                    suggest::one_of(STATEMENT_KEYWORDS)
                ),
            },
        );
        Some(diagnostic)
    }

    fn grammar_error(
        &self,
        error: &pest::error::Error<Rule>,
        text: &str,
        offset: usize,
    ) -> Diagnostic {
        let position = match error.location {
            pest::error::InputLocation::Pos(p) => p,
            pest::error::InputLocation::Span((start, _)) => start,
        };
        let expected = match &error.variant {
            pest::error::ErrorVariant::ParsingError { positives, .. } => {
                describe_expected(positives)
            }
            pest::error::ErrorVariant::CustomError { message } => message.clone(),
        };
        let rest = &text[position..];
        let (found, len) = found_token(rest);
        let span = Span::new(offset + position, offset + position + len);
        let message = match found {
            Some(token) => format!("unexpected `{token}`"),
            None => "unexpected end of statement".to_string(),
        };
        let mut diagnostic = Diagnostic::error(Code::SyntaxUnexpected, self.loc(span), message)
            .with_label(format!("expected {expected}"));
        diagnostic.help = Some(hint_for(text, position, &expected));
        diagnostic
    }
}

/// A help line for a grammar error: the common slips first, the general
/// expectation otherwise.
fn hint_for(text: &str, position: usize, expected: &str) -> String {
    let rest = text[position..].trim_start();
    if rest.starts_with('\'') {
        return "strings are written in double quotes: `\"…\"`".to_string();
    }
    if rest.starts_with('"') && !rest[1..].contains('"') {
        return "close the string with `\"` on the same line".to_string();
    }
    if rest.starts_with('/') && !rest[1..].contains('/') {
        return "close the regular expression with `/` on the same line".to_string();
    }
    if text.trim_start().starts_with("on") && !text.contains('{') {
        return "a block header ends with `{`, and the block with `}` on its own line".to_string();
    }
    if let Some(other) = expected.strip_suffix("the end of the line") {
        let other = other.trim_end_matches(" or ").trim_end_matches(", ");
        return if other.is_empty() {
            "the statement is complete here: remove the rest, or move it to a line of its own"
                .to_string()
        } else {
            format!("write {other} here, or end the statement")
        };
    }
    format!("write {expected} here")
}

/// The token at the start of `rest`, for messages: a word, a literal, or one
/// character; `None` at the end of the statement.
fn found_token(rest: &str) -> (Option<String>, usize) {
    let Some(first) = rest.chars().next() else {
        return (None, 0);
    };
    let len = if first.is_alphanumeric() || first == '_' {
        rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-' || c == ':'))
            .unwrap_or(rest.len())
    } else if first == '"' || first == '/' {
        rest[1..].find(first).map_or(rest.len(), |end| end + 2)
    } else {
        first.len_utf8()
    };
    let shown: String = rest[..len].chars().take(40).collect();
    (Some(shown), len)
}

/// Lowers one statement's pest pairs into tree nodes. Values the grammar
/// accepts but the language does not (an unknown channel, an outcome that
/// does not fit its channel) are reported here, at their own span.
struct Lower<'p> {
    offset: usize,
    parser: &'p mut StatementParser,
}

impl Lower<'_> {
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let span = pair.as_span();
        Span::new(self.offset + span.start(), self.offset + span.end())
    }

    fn error(&mut self, code: Code, span: Span, message: String, label: &str, help: String) {
        let diagnostic = Diagnostic::error(code, self.parser.loc(span), message)
            .with_label(label)
            .with_help(help);
        self.parser.diagnostics.push(diagnostic);
    }

    fn item(mut self, pair: Pair<'_, Rule>) -> Option<ItemKind> {
        let rule = pair.as_rule();
        let span = self.span(&pair);
        let mut parts = pair.into_inner().filter(|p| !is_keyword(p.as_rule()));
        let mut next = || parts.next().expect("the grammar guarantees this part");
        Some(match rule {
            Rule::version => {
                let number = next();
                let version = number.as_str().parse::<u32>().unwrap_or(u32::MAX);
                ItemKind::Version { version }
            }
            Rule::include => ItemKind::Include {
                path: self.string(next()),
            },
            Rule::preset => ItemKind::Preset {
                names: self.names(next()),
            },
            Rule::sensitive => {
                let list = next();
                let set = if list.as_rule() == Rule::all_except {
                    // `all` alone: every attribute, without exception.
                    let names = list.into_inner().find(|p| p.as_rule() == Rule::attr_list);
                    SensitiveAttributes::AllExcept {
                        names: names.map(|n| self.names(n)).unwrap_or_default(),
                    }
                } else {
                    SensitiveAttributes::List {
                        names: self.names(list),
                    }
                };
                let (SensitiveAttributes::List { names }
                | SensitiveAttributes::AllExcept { names }) = &set;
                let mut ok = true;
                for name in names {
                    ok &= self
                        .attribute_pattern(&name.text, name.span.start, PatternUse::Sensitive)
                        .is_some();
                }
                if !ok {
                    return None;
                }
                ItemKind::Sensitive(set)
            }
            Rule::require_consent => ItemKind::RequireConsent {
                categories: self.names(next()),
            },
            Rule::record_only => ItemKind::RecordOnly {
                patterns: self.strings(next()),
            },
            Rule::never_record => ItemKind::NeverRecord {
                patterns: self.strings(next()),
            },
            Rule::redact_query => ItemKind::RedactQuery {
                names: self.names(next()),
            },
            Rule::redact_path => ItemKind::RedactPath {
                pattern: self.regex(next()),
            },
            Rule::detect => ItemKind::Detect {
                names: self.names(next()),
            },
            Rule::detect_pattern => {
                let name = self.name(next());
                let pattern = self.regex(next());
                let examples = parts
                    .next()
                    .and_then(|examples| {
                        examples
                            .into_inner()
                            .find(|p| p.as_rule() == Rule::string_list)
                    })
                    .map(|list| self.strings(list))
                    .unwrap_or_default();
                ItemKind::DetectPattern {
                    name,
                    pattern,
                    examples,
                }
            }
            Rule::lint_level => {
                let rules = self.names(next());
                let level = self.lint_level(next())?;
                ItemKind::Lint { rules, level }
            }
            Rule::default_outcome => {
                let channels = self.channels(next())?;
                let outcome = self.outcome(next(), &channels)?;
                ItemKind::Default { channels, outcome }
            }
            Rule::block_rule | Rule::mask_rule | Rule::allow_rule | Rule::ignore_rule => {
                let verb = match rule {
                    Rule::block_rule => Verb::Block,
                    Rule::mask_rule => Verb::Mask,
                    Rule::allow_rule => Verb::Allow,
                    _ => Verb::Ignore,
                };
                ItemKind::Rule(self.element_rule(verb, span, parts)?)
            }
            Rule::on_page => {
                let patterns = self.strings(next());
                ItemKind::OnPage {
                    patterns,
                    body: empty_block(span),
                }
            }
            Rule::when_block => {
                let mut conditions = Vec::new();
                loop {
                    let part = next();
                    if part.as_rule() == Rule::open_brace {
                        break;
                    }
                    conditions.push(self.condition(part));
                }
                ItemKind::When {
                    conditions,
                    body: empty_block(span),
                }
            }
            other => unreachable!("`statement` has no alternative {other:?}"),
        })
    }

    fn element_rule<'i>(
        &mut self,
        verb: Verb,
        span: Span,
        parts: impl Iterator<Item = Pair<'i, Rule>>,
    ) -> Option<ElementRule> {
        let mut rule = ElementRule {
            verb,
            sealed: false,
            channels: Vec::new(),
            selector: Str {
                value: String::new(),
                span,
                escapes: Vec::new(),
            },
            strategy: None,
            name: None,
        };
        let mut ok = true;
        for part in parts {
            match part.as_rule() {
                Rule::sealed => rule.sealed = true,
                Rule::channel_list => match self.channels(part) {
                    Some(channels) => rule.channels = channels,
                    None => ok = false,
                },
                Rule::selector => {
                    rule.selector = self.string(part);
                }
                Rule::strategy => {
                    let strategy_span = self.span(&part);
                    let form = part
                        .into_inner()
                        .find(|p| !is_keyword(p.as_rule()))
                        .expect("a strategy has a form");
                    let strategy = match form.as_rule() {
                        Rule::stars => Strategy::Stars,
                        Rule::fixed_text => Strategy::Fixed(
                            self.string(form.into_inner().next().expect("a string")),
                        ),
                        Rule::fixed_length => {
                            let number = form
                                .into_inner()
                                .find(|p| p.as_rule() == Rule::number)
                                .expect("a number");
                            match number.as_str().parse::<u32>() {
                                Ok(length) if (1..=1024).contains(&length) => {
                                    Strategy::Length(length)
                                }
                                _ => {
                                    let span = self.span(&number);
                                    self.error(
                                        Code::SyntaxMaskLength,
                                        span,
                                        format!(
                                            "mask length `{}` is out of range",
                                            number.as_str()
                                        ),
                                        "not between 1 and 1024",
                                        "pick a length from 1 to 1024".to_string(),
                                    );
                                    ok = false;
                                    continue;
                                }
                            }
                        }
                        other => unreachable!("no strategy {other:?}"),
                    };
                    rule.strategy = Some(StrategyRef {
                        strategy,
                        span: strategy_span,
                    });
                }
                Rule::rule_name => {
                    let name = part
                        .into_inner()
                        .find(|p| p.as_rule() == Rule::name)
                        .expect("a name");
                    rule.name = Some(self.name(name));
                }
                other => unreachable!("no rule part {other:?}"),
            }
        }
        if ok { self.check_rule(rule) } else { None }
    }

    fn check_rule(&mut self, rule: ElementRule) -> Option<ElementRule> {
        let mut ok = true;
        match rule.verb {
            Verb::Ignore => {
                for channel in &rule.channels {
                    if channel.channel != Channel::Events {
                        self.error(
                            Code::SyntaxIgnoreChannel,
                            channel.span,
                            format!(
                                "`ignore` applies only to `events`, not `{}`",
                                channel.channel
                            ),
                            "not an event channel",
                            format!("to hide this channel write `mask {} …`", channel.channel),
                        );
                        ok = false;
                    }
                }
            }
            Verb::Mask => {
                for channel in &rule.channels {
                    if channel.channel == Channel::Events {
                        self.error(
                            Code::SyntaxMaskEvents,
                            channel.span,
                            "events are not masked but ignored".to_string(),
                            "events are captured or ignored",
                            "write `ignore events …` in a rule of its own".to_string(),
                        );
                        ok = false;
                    }
                }
            }
            Verb::Block | Verb::Allow => {}
        }
        ok.then_some(rule)
    }

    fn condition(&mut self, pair: Pair<'_, Rule>) -> Condition {
        let span = self.span(&pair);
        let inner = pair.into_inner().next().expect("a condition has one form");
        let rule = inner.as_rule();
        let mut parts = inner.into_inner().filter(|p| !is_keyword(p.as_rule()));
        let part = parts.next().expect("a condition names something");
        let kind = match rule {
            Rule::consent => ConditionKind::Consent(self.name(part)),
            Rule::no_consent => ConditionKind::NoConsent(self.name(part)),
            Rule::region => ConditionKind::Region(self.names(part)),
            other => unreachable!("no condition {other:?}"),
        };
        Condition { kind, span }
    }

    fn channels(&mut self, pair: Pair<'_, Rule>) -> Option<Vec<ChannelRef>> {
        let mut channels = Vec::new();
        let mut ok = true;
        for channel in pair.into_inner() {
            let span = self.span(&channel);
            let inner = channel.into_inner().next().expect("a channel has one form");
            let parsed = if inner.as_rule() == Rule::attr_channel {
                let name = inner.as_str().trim_start_matches("attr:");
                let at = span.start + "attr:".len();
                match self.attribute_pattern(name, at, PatternUse::Channel) {
                    Some(AttributePattern::Name) => Some(Channel::Attr(name.to_ascii_lowercase())),
                    Some(AttributePattern::Prefix(prefix)) => {
                        Some(Channel::AttrPrefix(prefix.to_ascii_lowercase()))
                    }
                    None => {
                        ok = false;
                        continue;
                    }
                }
            } else {
                Channel::from_keyword(inner.as_str())
            };
            match parsed {
                Some(channel) => channels.push(ChannelRef { channel, span }),
                None => {
                    let word = inner.as_str().to_string();
                    let help = match suggest::did_you_mean(&word, Channel::KEYWORDS.iter().copied())
                    {
                        Some(close) => format!("did you mean `{close}`?"),
                        None => format!(
                            "channels are {}, `attr:NAME` for one attribute and `attr:PREFIX*` for the attributes whose names start with PREFIX",
                            suggest::one_of(Channel::KEYWORDS)
                        ),
                    };
                    self.error(
                        Code::SyntaxUnknownChannel,
                        span,
                        format!("unknown channel `{word}`"),
                        "not a channel",
                        help,
                    );
                    ok = false;
                }
            }
        }
        ok.then_some(channels)
    }

    /// Reads an attribute name as written after `attr:` or in `sensitive
    /// attributes`, starting at file offset `at`: a name, or a prefix
    /// pattern whose one `*` ends it. Anything else is reported here.
    fn attribute_pattern<'n>(
        &mut self,
        text: &'n str,
        at: usize,
        usage: PatternUse,
    ) -> Option<AttributePattern<'n>> {
        let Some(star) = text.find('*') else {
            return Some(AttributePattern::Name);
        };
        if text == "*" {
            let (shown, help) = match usage {
                PatternUse::Channel => (
                    "attr:*",
                    "write `attributes` for the sensitive attributes, or put a prefix before the `*`, as in `attr:data-*`",
                ),
                PatternUse::Sensitive => (
                    "*",
                    "write `sensitive attributes all` to make every attribute sensitive",
                ),
            };
            self.error(
                Code::SyntaxAttributePattern,
                Span::new(at, at + 1),
                format!("`{shown}` names no prefix"),
                "nothing before the `*`",
                help.to_string(),
            );
            return None;
        }
        if star + 1 == text.len() {
            return Some(AttributePattern::Prefix(&text[..star]));
        }
        let shown = match usage {
            PatternUse::Channel => format!("attr:{text}"),
            PatternUse::Sensitive => text.to_string(),
        };
        self.error(
            Code::SyntaxAttributePattern,
            Span::new(at + star, at + star + 1),
            format!("misplaced `*` in `{shown}`"),
            "`*` can only end a pattern",
            "a pattern such as `data-*` covers every attribute whose name starts with what comes before the `*`; name other attributes one by one".to_string(),
        );
        None
    }

    fn outcome(&mut self, pair: Pair<'_, Rule>, channels: &[ChannelRef]) -> Option<OutcomeRef> {
        let span = self.span(&pair);
        let word = pair.as_str();
        let outcome = match word {
            "capture" => Outcome::Capture,
            "mask" => Outcome::Mask,
            "ignore" => Outcome::Ignore,
            _ => {
                let help = match word {
                    "allow" | "record" | "keep" | "show" => {
                        "write `capture` to record in clear".to_string()
                    }
                    "block" | "hide" => {
                        "write `mask`; blocking is done by `block` rules".to_string()
                    }
                    _ => suggest::help_for(word, Outcome::KEYWORDS),
                };
                self.error(
                    Code::SyntaxUnknownOutcome,
                    span,
                    format!("unknown outcome `{word}`"),
                    "not an outcome",
                    help,
                );
                return None;
            }
        };
        let events = channels.iter().any(|c| c.channel == Channel::Events);
        let others = channels.iter().any(|c| c.channel != Channel::Events);
        match outcome {
            Outcome::Mask if events => {
                self.error(
                    Code::SyntaxDefaultOutcome,
                    span,
                    "events are not masked but ignored".to_string(),
                    "not an outcome for `events`",
                    "write `default events ignore` in a statement of its own".to_string(),
                );
                None
            }
            Outcome::Ignore if others => {
                self.error(
                    Code::SyntaxDefaultOutcome,
                    span,
                    "only `events` can be ignored".to_string(),
                    "not an outcome for these channels",
                    "write `mask` for content channels, and `default events ignore` on its own line"
                        .to_string(),
                );
                None
            }
            _ => Some(OutcomeRef { outcome, span }),
        }
    }

    fn lint_level(&mut self, pair: Pair<'_, Rule>) -> Option<LintLevelRef> {
        let span = self.span(&pair);
        let word = pair.as_str();
        match LintLevel::from_keyword(word) {
            Some(level) => Some(LintLevelRef { level, span }),
            None => {
                let help = match word {
                    "off" | "ignore" | "none" => "write `allow` to turn the rule off".to_string(),
                    "error" | "forbid" => "write `deny` to report the rule as an error".to_string(),
                    "warning" => "did you mean `warn`?".to_string(),
                    _ => suggest::help_for(word, LintLevel::KEYWORDS),
                };
                self.error(
                    Code::SyntaxUnknownLintLevel,
                    span,
                    format!("unknown lint level `{word}`"),
                    "not a level",
                    help,
                );
                None
            }
        }
    }

    fn name(&self, pair: Pair<'_, Rule>) -> Name {
        Name {
            text: pair.as_str().to_string(),
            span: self.span(&pair),
        }
    }

    fn names(&self, pair: Pair<'_, Rule>) -> Vec<Name> {
        pair.into_inner().map(|p| self.name(p)).collect()
    }

    fn strings(&self, pair: Pair<'_, Rule>) -> Vec<Str> {
        pair.into_inner().map(|p| self.string(p)).collect()
    }

    /// A `"…"` literal: `\"` and `\\` are escapes, other backslashes are
    /// kept as written (CSS has escapes of its own).
    fn string(&self, pair: Pair<'_, Rule>) -> Str {
        let span = self.span(&pair);
        let raw = pair.as_str();
        unescape(&raw[1..raw.len() - 1], span, |c| c == '"' || c == '\\')
    }

    /// A `/…/` literal: `\/` is an escape, other backslashes belong to the
    /// regular expression.
    fn regex(&self, pair: Pair<'_, Rule>) -> Str {
        let span = self.span(&pair);
        let raw = pair.as_str();
        unescape(&raw[1..raw.len() - 1], span, |c| c == '/')
    }
}

/// Where an attribute name is written, for messages.
#[derive(Clone, Copy)]
enum PatternUse {
    /// After `attr:` in a channel.
    Channel,
    /// In `sensitive attributes`.
    Sensitive,
}

/// What an attribute name as written stands for.
enum AttributePattern<'n> {
    /// One attribute.
    Name,
    /// Every attribute that starts with this prefix (as written).
    Prefix(&'n str),
}

fn unescape(content: &str, span: Span, is_escape: impl Fn(char) -> bool) -> Str {
    let mut value = String::with_capacity(content.len());
    let mut escapes = Vec::new();
    let mut chars = content.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.peek() {
                Some(&next) if is_escape(next) => {
                    escapes.push(value.len());
                    value.push(next);
                    chars.next();
                }
                Some(&next) => {
                    // Not one of ours: keep the pair as written.
                    value.push('\\');
                    value.push(next);
                    chars.next();
                }
                None => value.push('\\'),
            }
        } else {
            value.push(c);
        }
    }
    Str {
        value,
        span,
        escapes,
    }
}

fn empty_block(header_span: Span) -> Block {
    Block {
        header_span,
        items: Vec::new(),
        close_span: None,
    }
}

fn is_keyword(rule: Rule) -> bool {
    crate::names::keyword(rule).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_map_back_to_the_file() {
        let source = SourceFile::new("p.scrim", "scrim 1\nmask text \"a\\\"b c\"\n");
        let parse = parse(&source);
        assert!(parse.diagnostics.is_empty(), "{:?}", parse.diagnostics);
        let ItemKind::Rule(rule) = &parse.policy.items[1].kind else {
            panic!()
        };
        assert_eq!(rule.selector.value, "a\"b c");
        // `c` is byte 4 of the value and sits after the two-byte escape.
        let at = rule.selector.source_offset(4);
        assert_eq!(&source.text()[at..at + 1], "c");
    }
}

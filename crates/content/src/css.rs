//! Style sheets and `style` attributes: kept for layout, with their content
//! recorded under the page's text outcome (`strings`) and their URLs under
//! the media outcome, through URL redaction.
//!
//! The sheet is read with `cssparser`'s tokenizer (CSS Syntax, as browsers
//! read it) and written back rule by rule, token by token:
//!
//! - **Structure is kept**: selectors (type, class, id, pseudo-class and
//!   attribute names, combinators), at-rule names and conditions
//!   (`@media`, `@supports`, `@container`, `@layer`, …), property names,
//!   and the identifiers, numbers, dimensions and colours of ordinary
//!   property values (keywords, and author names such as animation,
//!   counter and grid-line names, which are structure like class names).
//! - **Content is rewritten**: strings anywhere, custom-property values
//!   (the whole value), font family names (`font-family`, the family part
//!   of `font`, `@font-feature-values`), `local()` names, attribute-selector
//!   values and `@property` initial values are masked or scrubbed under
//!   `strings` and written as strings; `url(…)` values, `@import` and
//!   `@namespace` URLs and the strings of `image-set()`,
//!   `-webkit-image-set()` and `src()` go through [`urls::rewrite`].
//! - **Everything else is dropped**: rules and declarations that the syntax
//!   rejects, selectors and at-rule preludes with tokens they cannot hold,
//!   at-rules not listed in [`at_rule`], comments, and anything nested
//!   deeper than [`MAX_DEPTH`]. Browsers ignore the invalid ones; a
//!   recording keeps only what it can classify.
//!
//! A string cut by a newline (a bad string) was meant to hold what follows
//! it, which CSS reads as tokens: unless strings are captured, it ends the
//! sheet, and the rule that holds it is dropped.
//!
//! Nothing written can close the `<style>` element or break out of a
//! string: strings are written double-quoted and escaped, a `<` that an
//! identifier's escape holds is written as an escape, and a `<` delimiter
//! is never followed by `/` or `!`.
//!
//! Tokens are read flat: after every block opener the tokenizer restarts
//! behind it, so every token, also in blocks that are dropped, is seen by
//! this module. The rewrite recurses over nesting to at most [`MAX_DEPTH`]
//! levels; deeper blocks are skipped with a heap stack. Each token is read
//! at most twice (a declaration that turns out to be a nested rule is read
//! again), so the rewrite is linear in the sheet.

use crate::urls;
use cssparser::{Parser, Token, TokenSerializationType as Ser};
use scrim_matcher::{ChannelOutcome, Page};
use std::borrow::Cow;

/// How deep blocks (rules, functions, brackets) are followed; a deeper one
/// is dropped with the rule or declaration that holds it.
const MAX_DEPTH: usize = 64;

/// Rewrites a style sheet (`<style>` content).
pub fn rewrite(
    css: &str,
    strings: ChannelOutcome<'_>,
    urls: ChannelOutcome<'_>,
    page: &Page<'_>,
) -> String {
    Rewriter::new(css, strings, urls, page).run(Body::Sheet)
}

/// Rewrites a `style` attribute's declarations.
pub fn rewrite_declarations(
    css: &str,
    strings: ChannelOutcome<'_>,
    urls: ChannelOutcome<'_>,
    page: &Page<'_>,
) -> String {
    Rewriter::new(css, strings, urls, page).run(Body::Attribute)
}

/// Generic family keywords and CSS-wide keywords: a family list's single
/// identifiers that name no font of anyone's. `-apple-system` and
/// `BlinkMacSystemFont` are the system font in WebKit and Blink.
const GENERIC_FAMILIES: &[&str] = &[
    "serif",
    "sans-serif",
    "cursive",
    "fantasy",
    "monospace",
    "system-ui",
    "emoji",
    "math",
    "fangsong",
    "ui-serif",
    "ui-sans-serif",
    "ui-monospace",
    "ui-rounded",
    "-apple-system",
    "blinkmacsystemfont",
    "inherit",
    "initial",
    "unset",
    "revert",
    "revert-layer",
];

/// The keywords of the `font` shorthand ahead of its size: style, variant,
/// weight, stretch, system fonts, CSS-wide keywords.
const FONT_KEYWORDS: &[&str] = &[
    "normal",
    "italic",
    "oblique",
    "small-caps",
    "bold",
    "bolder",
    "lighter",
    "ultra-condensed",
    "extra-condensed",
    "condensed",
    "semi-condensed",
    "semi-expanded",
    "expanded",
    "extra-expanded",
    "ultra-expanded",
    "caption",
    "icon",
    "menu",
    "message-box",
    "small-caption",
    "status-bar",
    "inherit",
    "initial",
    "unset",
    "revert",
    "revert-layer",
];

/// The `font` shorthand's size keywords: the family list follows them.
const FONT_SIZE_KEYWORDS: &[&str] = &[
    "xx-small",
    "x-small",
    "small",
    "medium",
    "large",
    "x-large",
    "xx-large",
    "xxx-large",
    "smaller",
    "larger",
    "math",
];

/// Strings that `format()` and `tech()` accept: a closed set of keywords,
/// not content.
const FORMAT_KEYWORDS: &[&str] = &[
    "woff",
    "woff2",
    "truetype",
    "opentype",
    "embedded-opentype",
    "svg",
    "collection",
    "woff-variations",
    "woff2-variations",
    "truetype-variations",
    "opentype-variations",
    "features-opentype",
    "features-aat",
    "features-graphite",
    "color-colrv0",
    "color-colrv1",
    "color-svg",
    "color-sbix",
    "color-cbdt",
    "variations",
    "palettes",
    "incremental",
];

/// The margin boxes of `@page`.
const MARGIN_RULES: &[&str] = &[
    "top-left-corner",
    "top-left",
    "top-center",
    "top-right",
    "top-right-corner",
    "bottom-left-corner",
    "bottom-left",
    "bottom-center",
    "bottom-right",
    "bottom-right-corner",
    "left-top",
    "left-middle",
    "left-bottom",
    "right-top",
    "right-middle",
    "right-bottom",
];

/// The feature blocks of `@font-feature-values`.
const FEATURE_RULES: &[&str] = &[
    "stylistic",
    "historical-forms",
    "styleset",
    "character-variant",
    "swash",
    "ornaments",
    "annotation",
];

fn is_one_of(word: &str, list: &[&str]) -> bool {
    list.iter().any(|k| word.eq_ignore_ascii_case(k))
}

/// A dashed identifier (`--name`): a custom property's name, structure.
fn is_dashed(ident: &str) -> bool {
    ident.starts_with("--")
}

/// What a block holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Body {
    /// The top level of a sheet: rules, with `@import` and `@namespace`.
    Sheet,
    /// A group rule's block outside style rules: rules.
    Rules,
    /// A style rule's block (and a group rule's inside one): declarations
    /// and nested rules.
    Style,
    /// A `style` attribute: declarations.
    Attribute,
    /// `@font-face`, `@property`, `@counter-style`, keyframe and margin
    /// blocks …: declarations.
    Descriptors,
    /// `@page`: declarations and margin rules.
    Page,
    /// `@keyframes`: keyframe rules.
    Keyframes,
    /// `@font-feature-values`: declarations and feature blocks.
    FeatureValues,
}

impl Body {
    /// Whether it holds declarations. Its items are then read as CSS
    /// Syntax reads a block's contents: an identifier starts a declaration,
    /// or a nested rule when it is not one, anything else a nested rule.
    fn declarations(self) -> bool {
        matches!(
            self,
            Body::Style | Body::Attribute | Body::Descriptors | Body::Page | Body::FeatureValues
        )
    }

    /// Whether the style rules (or keyframe rules) read in it are kept.
    fn rules(self) -> bool {
        matches!(
            self,
            Body::Sheet | Body::Rules | Body::Style | Body::Keyframes
        )
    }
}

/// How an at-rule's prelude is read.
#[derive(Debug, Clone, Copy)]
enum Prelude {
    Import,
    Namespace,
    Tokens(Kind),
}

/// What follows an at-rule's prelude.
#[derive(Debug, Clone, Copy)]
enum AtBlock {
    /// A `;`: no block.
    Statement,
    /// A block of the rules around it (`@media`): rules at the top,
    /// declarations and rules inside a style rule.
    Group,
    /// A group block or a `;` (`@layer`).
    GroupOrStatement,
    /// A block of this kind.
    Of(Body),
}

/// The at-rules kept in a block of kind `body`: how their prelude is read
/// and what block they take. Any other is dropped.
fn at_rule(name: &str, body: Body) -> Option<(Prelude, AtBlock)> {
    let top = body == Body::Sheet;
    let rules = matches!(body, Body::Sheet | Body::Rules);
    let group = rules || body == Body::Style;
    let is = |n: &str| name.eq_ignore_ascii_case(n);
    Some(
        if group && (is("media") || is("supports") || is("container")) {
            (Prelude::Tokens(Kind::Condition), AtBlock::Group)
        } else if group && is("layer") {
            (Prelude::Tokens(Kind::Names), AtBlock::GroupOrStatement)
        } else if group && is("starting-style") {
            (Prelude::Tokens(Kind::Empty), AtBlock::Group)
        } else if group && is("scope") {
            (Prelude::Tokens(Kind::Scope), AtBlock::Of(Body::Style))
        } else if top && is("import") {
            (Prelude::Import, AtBlock::Statement)
        } else if top && is("namespace") {
            (Prelude::Namespace, AtBlock::Statement)
        } else if rules && (is("font-face") || is("view-transition")) {
            (Prelude::Tokens(Kind::Empty), AtBlock::Of(Body::Descriptors))
        } else if rules
            && [
                "keyframes",
                "-webkit-keyframes",
                "-moz-keyframes",
                "-o-keyframes",
            ]
            .iter()
            .any(|n| is(n))
        {
            (Prelude::Tokens(Kind::Names), AtBlock::Of(Body::Keyframes))
        } else if rules && is("page") {
            (Prelude::Tokens(Kind::PageSelector), AtBlock::Of(Body::Page))
        } else if rules && is("font-feature-values") {
            (
                Prelude::Tokens(Kind::Family),
                AtBlock::Of(Body::FeatureValues),
            )
        } else if rules
            && [
                "font-palette-values",
                "counter-style",
                "property",
                "position-try",
            ]
            .iter()
            .any(|n| is(n))
        {
            (Prelude::Tokens(Kind::Names), AtBlock::Of(Body::Descriptors))
        } else if (body == Body::Page && is_one_of(name, MARGIN_RULES))
            || (body == Body::FeatureValues && is_one_of(name, FEATURE_RULES))
        {
            (Prelude::Tokens(Kind::Empty), AtBlock::Of(Body::Descriptors))
        } else {
            return None;
        },
    )
}

/// How the tokens of a prelude or value are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// An ordinary property value: identifiers, numbers and colours kept,
    /// strings content, URLs rewritten.
    Ordinary,
    /// A custom property's value (and `@property`'s `initial-value`):
    /// content as a whole.
    Custom,
    /// A font family list (`font-family`, `@font-feature-values`): single
    /// generic keywords kept, every other name content.
    Family,
    /// The `font` shorthand: keywords and sizes, then a family list.
    Font,
    /// `local()`: one font name, content.
    Local,
    /// `url()`, `src()`, `image-set()`: their strings are URLs.
    UrlArgs,
    /// `format()`, `tech()`: their strings are keywords or content.
    FormatArgs,
    /// A style rule's selector list.
    Selector,
    /// A functional pseudo-class's arguments (`:not(…)`, `:nth-child(…)`).
    SelectorArgs,
    /// An attribute selector (`[name=value i]`): its value is content.
    Attribute,
    /// A keyframe rule's selectors (`from`, `50%`).
    Keyframe,
    /// Media, supports and container conditions; a parenthesised
    /// `name: value` in them is a declaration.
    Condition,
    /// Names: `@layer a.b, c`, `@keyframes spin`, `@property --x`.
    Names,
    /// `@page :first`.
    PageSelector,
    /// `@scope (.a) to (.b)`.
    Scope,
    /// A prelude that must be empty (`@font-face`).
    Empty,
}

/// Where a walk over tokens ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    /// A declaration's value: at `;`, `!`, or the end of the block around
    /// it (left for the caller). With `retry`, a `{` ends it too: the
    /// declaration is a nested rule.
    Declaration { outer: Close, retry: bool },
    /// A rule's prelude: at `{`, `;` when `semicolon`, or the end of the
    /// block around it (left for the caller).
    Prelude { outer: Close, semicolon: bool },
    /// A nested block: at its closing token (consumed, not written).
    Block(Close),
}

/// The token that ended a walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Term {
    Eof,
    Semicolon,
    Bang,
    /// A `{`, consumed.
    Curly,
    /// The block's closing token.
    Close,
}

/// A block's closing token; `Eof` for the top level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Close {
    Eof,
    Paren,
    Square,
    Curly,
}

impl Close {
    fn opened_by(token: &Token<'_>) -> Option<Close> {
        match token {
            Token::Function(_) | Token::ParenthesisBlock => Some(Close::Paren),
            Token::SquareBracketBlock => Some(Close::Square),
            Token::CurlyBracketBlock => Some(Close::Curly),
            _ => None,
        }
    }

    fn closed_by(token: &Token<'_>) -> Option<Close> {
        match token {
            Token::CloseParenthesis => Some(Close::Paren),
            Token::CloseSquareBracket => Some(Close::Square),
            Token::CloseCurlyBracket => Some(Close::Curly),
            _ => None,
        }
    }

    fn text(self) -> &'static str {
        match self {
            Close::Eof => "",
            Close::Paren => ")",
            Close::Square => "]",
            Close::Curly => "}",
        }
    }
}

/// A token and its bytes in the sheet.
#[derive(Debug, Clone)]
struct Tok<'i> {
    token: Token<'i>,
    start: usize,
    end: usize,
}

/// cssparser's tokenizer, read flat: every token, including those inside
/// blocks, comments and whitespace, with its position. One token can be
/// put back; any position can be returned to.
struct Lexer<'i> {
    css: &'i str,
    /// Where `parser`'s input starts in `css`.
    base: usize,
    parser: Parser<'i>,
    unread: Option<Tok<'i>>,
}

impl<'i> Lexer<'i> {
    fn new(css: &'i str) -> Self {
        Lexer {
            css,
            base: 0,
            parser: Parser::new(css),
            unread: None,
        }
    }

    fn pos(&self) -> usize {
        match &self.unread {
            Some(t) => t.start,
            None => self.base + self.parser.position().byte_index(),
        }
    }

    fn reset(&mut self, pos: usize) {
        let css: &'i str = self.css;
        self.unread = None;
        self.base = pos;
        self.parser = Parser::new(&css[pos..]);
    }

    fn unread(&mut self, t: Tok<'i>) {
        self.unread = Some(t);
    }

    fn next(&mut self) -> Option<Tok<'i>> {
        if let Some(t) = self.unread.take() {
            return Some(t);
        }
        let start = self.pos();
        let token = self
            .parser
            .next_including_whitespace_and_comments()
            .ok()?
            .clone();
        let end = self.base + self.parser.position().byte_index();
        if Close::opened_by(&token).is_some() {
            // cssparser would skip the block on the next call; restarting
            // behind its opener reads the block's tokens instead.
            self.reset(end);
        }
        Some(Tok { token, start, end })
    }
}

/// A place in the output to return to when what follows is dropped.
#[derive(Debug, Clone, Copy)]
struct Mark {
    len: usize,
    last: Ser,
    last_lt: bool,
    last_end: Option<usize>,
}

/// Consecutive identifiers of a family list: one family name.
#[derive(Debug, Default)]
struct Run {
    count: usize,
    /// The first identifier's bytes, written as it is when it is a
    /// generic keyword on its own.
    first: (usize, usize),
    /// Whitespace follows the last identifier.
    space_after: bool,
}

/// Where the `font` shorthand is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FontPart {
    /// Style, variant, weight and stretch keywords, up to the size.
    Prefix,
    /// Right after the size: a `/` and a line height may follow.
    AfterSize,
    /// After the `/`: the line height.
    LineHeight,
    /// The family list.
    Families,
}

/// Where a selector is, for the checks that tell one from stray tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SelectorAt {
    Any,
    /// After `.`: a class name must follow.
    Dot,
    /// After `:` or `::`: a pseudo-class or pseudo-element must follow.
    Colon,
    TwoColons,
}

/// Where an attribute selector is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AttributeAt {
    /// Before the name (or after a namespace's `|`).
    Start,
    Name,
    Matcher,
    Value,
    Modifier,
}

/// The state of one walk over a prelude or value.
#[derive(Debug)]
struct Walk {
    kind: Kind,
    valid: bool,
    run: Run,
    font: FontPart,
    selector: SelectorAt,
    /// The current selector of the list has nothing yet.
    selector_empty: bool,
    attribute: AttributeAt,
}

impl Walk {
    fn new(kind: Kind) -> Self {
        Walk {
            kind,
            valid: true,
            run: Run::default(),
            font: FontPart::Prefix,
            selector: SelectorAt::Any,
            selector_empty: true,
            attribute: AttributeAt::Start,
        }
    }

    /// Generic family keywords stay keywords (not in `local()`).
    fn generics(&self) -> bool {
        self.kind != Kind::Local
    }
}

/// What became of a declaration.
enum Declared {
    Kept,
    Dropped,
    /// It is a nested rule: read it again as one.
    Rule,
}

struct Rewriter<'i, 'a, 'o, 'p> {
    lex: Lexer<'i>,
    out: String,
    strings: ChannelOutcome<'o>,
    urls: ChannelOutcome<'o>,
    page: &'a Page<'p>,
    /// The last token written, for the separators that keep tokens apart.
    last: Ser,
    /// The last token written is a `<` delimiter.
    last_lt: bool,
    /// Where the last token written ends in the sheet, when it was written
    /// as the sheet has it: a token that starts there needs no separator.
    last_end: Option<usize>,
    /// Whitespace was read and is written before the next token.
    pending_space: bool,
    /// At the start of a value or block: whitespace is not written.
    at_start: bool,
    /// A bad string ended the sheet.
    stopped: bool,
    /// A family name being read (reused).
    name: String,
}

impl<'i, 'a, 'o, 'p> Rewriter<'i, 'a, 'o, 'p> {
    fn new(
        css: &'i str,
        strings: ChannelOutcome<'o>,
        urls: ChannelOutcome<'o>,
        page: &'a Page<'p>,
    ) -> Self {
        Rewriter {
            lex: Lexer::new(css),
            out: String::with_capacity(css.len()),
            strings,
            urls,
            page,
            last: Ser::Nothing,
            last_lt: false,
            last_end: None,
            pending_space: false,
            at_start: true,
            stopped: false,
            name: String::new(),
        }
    }

    fn run(mut self, body: Body) -> String {
        self.items(body, Close::Eof, 0);
        self.out
    }

    /// The next token; none at the end or once a bad string stopped the
    /// sheet.
    fn next(&mut self) -> Option<Tok<'i>> {
        if self.stopped {
            return None;
        }
        let t = self.lex.next()?;
        if matches!(t.token, Token::BadString(_)) && !self.strings.is_capture() {
            self.stopped = true;
            return None;
        }
        Some(t)
    }

    // Output.

    fn mark(&self) -> Mark {
        Mark {
            len: self.out.len(),
            last: self.last,
            last_lt: self.last_lt,
            last_end: self.last_end,
        }
    }

    fn rollback(&mut self, mark: Mark) {
        self.out.truncate(mark.len);
        self.last = mark.last;
        self.last_lt = mark.last_lt;
        self.last_end = mark.last_end;
        self.pending_space = false;
    }

    fn space(&mut self) {
        if !self.at_start {
            self.pending_space = true;
        }
    }

    /// Writes a token's text, with what keeps it apart from the last one:
    /// the whitespace read before it, or an empty comment where the two
    /// would read as one token (or as `</`, `<!`).
    fn emit(&mut self, ty: Ser, text: &str, is_lt: bool) {
        self.emit_at(ty, text, is_lt, None);
    }

    /// [`Rewriter::emit`] for text that the sheet has at `span`: tokens
    /// that were next to each other in the sheet read the same next to each
    /// other here.
    fn emit_at(&mut self, ty: Ser, text: &str, is_lt: bool, span: Option<(usize, usize)>) {
        let adjacent = span.is_some_and(|(start, _)| Some(start) == self.last_end);
        if self.pending_space {
            self.out.push(' ');
            self.last = Ser::WhiteSpace;
            self.last_lt = false;
            self.pending_space = false;
        } else if (!adjacent && self.last.needs_separator_when_before(ty))
            || (self.last_lt && text.starts_with(['/', '!']))
        {
            self.out.push_str("/**/");
        }
        self.out.push_str(text);
        self.last = ty;
        self.last_lt = is_lt;
        self.last_end = span.map(|(_, end)| end);
        self.at_start = false;
    }

    /// Writes a token as the sheet has it.
    fn emit_token(&mut self, t: &Tok<'i>) {
        let is_lt = matches!(t.token, Token::Delim('<'));
        self.emit_source(t.token.serialization_type(), t.start, t.end, is_lt);
    }

    fn emit_source(&mut self, ty: Ser, start: usize, end: usize, is_lt: bool) {
        let css = self.lex.css;
        let text = &css[start..end];
        if !is_lt && text.contains('<') {
            // Only an escape (`\<`) puts a `<` in a token: written as a
            // hex escape, so that it cannot start `</style`.
            self.emit_at(ty, &text.replace('<', "3c "), false, Some((start, end)));
        } else {
            self.emit_at(ty, text, is_lt, Some((start, end)));
        }
    }

    /// Writes `{`, `;` or `:`: whitespace after it is not written.
    fn emit_separator(&mut self, text: &str) {
        self.pending_space = false;
        self.emit(Ser::Other, text, false);
        self.at_start = true;
    }

    /// Writes a closing token: whitespace before it is not written.
    fn emit_close(&mut self, close: Close) {
        self.pending_space = false;
        self.emit(Ser::Other, close.text(), false);
    }

    fn emit_string(&mut self, value: &str) {
        self.emit(Ser::Other, "", false);
        write_string(&mut self.out, value);
    }

    /// Writes content as a string, masked or scrubbed under `strings`.
    fn content(&mut self, text: &str) {
        let page = self.page;
        let rendered = page.render(self.strings, text);
        self.emit_string(&rendered);
    }

    /// Writes a URL as `url("…")`, rewritten under `urls`.
    fn emit_url(&mut self, url: &str) {
        let page = self.page;
        let rewritten = urls::rewrite(url, self.urls, page).unwrap_or_default();
        self.emit(Ser::Function, "url(", false);
        write_string(&mut self.out, &rewritten);
        self.emit_close(Close::Paren);
    }

    /// Writes a string that holds a URL, rewritten under `urls`.
    fn emit_url_string(&mut self, url: &str) {
        let page = self.page;
        let rewritten = urls::rewrite(url, self.urls, page).unwrap_or_default();
        self.emit_string(&rewritten);
    }

    // Skipping.

    /// Skips to the end of a block whose opener was read.
    fn skip_block(&mut self, close: Close) {
        let mut open = vec![close];
        while let Some(t) = self.next() {
            if let Some(c) = Close::closed_by(&t.token) {
                if open.last() == Some(&c) {
                    open.pop();
                    if open.is_empty() {
                        return;
                    }
                }
            } else if let Some(c) = Close::opened_by(&t.token) {
                open.push(c);
            }
        }
    }

    /// Skips the rest of a bad declaration: through the next `;`, up to the
    /// end of the block around it.
    fn skip_remnants(&mut self, outer: Close) {
        while let Some(t) = self.next() {
            if matches!(t.token, Token::Semicolon) {
                return;
            }
            if outer != Close::Eof && Close::closed_by(&t.token) == Some(outer) {
                self.lex.unread(t);
                return;
            }
            if let Some(c) = Close::opened_by(&t.token) {
                self.skip_block(c);
            }
        }
    }

    /// Skips a rule through its block.
    fn skip_rule(&mut self, outer: Close) {
        while let Some(t) = self.next() {
            if outer != Close::Eof && Close::closed_by(&t.token) == Some(outer) {
                self.lex.unread(t);
                return;
            }
            if let Some(c) = Close::opened_by(&t.token) {
                self.skip_block(c);
                if c == Close::Curly {
                    return;
                }
            }
        }
    }

    /// Reads `name :` ahead (whitespace and comments around): the name,
    /// with the colon consumed; otherwise nothing is consumed.
    fn declaration_start(&mut self) -> Option<Tok<'i>> {
        let save = self.lex.pos();
        let found = self.read_declaration_start();
        if found.is_none() {
            self.lex.reset(save);
        }
        found
    }

    fn read_declaration_start(&mut self) -> Option<Tok<'i>> {
        let name = loop {
            let t = self.next()?;
            match t.token {
                Token::WhiteSpace(_) | Token::Comment(_) => {}
                Token::Ident(_) => break t,
                _ => return None,
            }
        };
        loop {
            match self.next()?.token {
                Token::WhiteSpace(_) | Token::Comment(_) => {}
                Token::Colon => return Some(name),
                _ => return None,
            }
        }
    }

    // Rules.

    /// Reads the items of a block (or of the sheet) through its end.
    fn items(&mut self, body: Body, close: Close, depth: usize) {
        let mut after_declaration = false;
        while let Some(t) = self.next() {
            match t.token {
                Token::WhiteSpace(_) | Token::Comment(_) => continue,
                // At the top of a sheet a `;` starts a (bad) rule, as
                // in browsers; in blocks it is skipped.
                Token::Semicolon if body != Body::Sheet => continue,
                Token::CDO | Token::CDC if body == Body::Sheet => continue,
                ref token if close != Close::Eof && Close::closed_by(token) == Some(close) => {
                    return;
                }
                // A stray `}` in a declaration list: skipped, as browsers do.
                Token::CloseCurlyBracket if body == Body::Attribute => continue,
                _ => {}
            }
            let item = self.mark();
            if after_declaration {
                // Kept only with what follows it.
                self.emit_separator(";");
            }
            let inner = self.mark();
            let kept = match t.token {
                Token::AtKeyword(_) => self.at_rule(t, body, close, depth).then_some(false),
                Token::Ident(_) if body.declarations() => {
                    let start = t.start;
                    match self.declaration(t, close, depth) {
                        Declared::Kept => Some(true),
                        Declared::Dropped => None,
                        Declared::Rule => {
                            self.rollback(inner);
                            self.lex.reset(start);
                            self.qualified_rule(body, close, depth).then_some(false)
                        }
                    }
                }
                _ => {
                    self.lex.unread(t);
                    self.qualified_rule(body, close, depth).then_some(false)
                }
            };
            match kept {
                Some(declaration) => after_declaration = declaration,
                None => self.rollback(item),
            }
            if self.stopped && depth == 0 {
                // The item holds the bad string.
                self.rollback(item);
                return;
            }
        }
    }

    /// Reads a style rule (or keyframe rule) whose first token is next.
    fn qualified_rule(&mut self, body: Body, close: Close, depth: usize) -> bool {
        let nested = body.declarations();
        let save = self.lex.pos();
        let custom = self
            .declaration_start()
            .is_some_and(|name| matches!(&name.token, Token::Ident(n) if is_dashed(n)));
        self.lex.reset(save);
        if custom {
            // `--x: …` where a rule is expected: neither, and skipped the
            // way CSS Syntax says.
            if nested {
                self.skip_remnants(close);
            } else {
                self.skip_rule(close);
            }
            return false;
        }
        let kind = if body == Body::Keyframes {
            Kind::Keyframe
        } else {
            Kind::Selector
        };
        let (valid, term) = self.walk(
            kind,
            End::Prelude {
                outer: close,
                semicolon: nested,
            },
            depth,
        );
        if term != Term::Curly {
            return false;
        }
        if !valid || !body.rules() {
            // A rule where rules are not kept (a `style` attribute,
            // `@font-face`) only tells where the next declaration starts.
            self.skip_block(Close::Curly);
            return false;
        }
        let inner = if body == Body::Keyframes {
            Body::Descriptors
        } else {
            Body::Style
        };
        self.block(inner, depth)
    }

    /// Writes a block whose `{` was read.
    fn block(&mut self, body: Body, depth: usize) -> bool {
        if depth + 1 >= MAX_DEPTH {
            self.skip_block(Close::Curly);
            return false;
        }
        self.emit_separator("{");
        self.items(body, Close::Curly, depth + 1);
        self.emit_close(Close::Curly);
        true
    }

    fn at_rule(&mut self, t: Tok<'i>, body: Body, close: Close, depth: usize) -> bool {
        let Token::AtKeyword(name) = &t.token else {
            return false;
        };
        let end = End::Prelude {
            outer: close,
            semicolon: true,
        };
        let Some((prelude, block)) = at_rule(name, body) else {
            // Not one that is kept here: skipped with its block.
            let (_, term) = self.walk(Kind::Empty, end, depth);
            if term == Term::Curly {
                self.skip_block(Close::Curly);
            }
            return false;
        };
        self.emit_token(&t);
        self.pending_space = true;
        let (valid, term) = match prelude {
            Prelude::Import => self.import_prelude(close, depth),
            Prelude::Namespace => self.namespace_prelude(close, depth),
            Prelude::Tokens(kind) => self.walk(kind, end, depth),
        };
        if term == Term::Curly {
            let inner = match block {
                AtBlock::Statement => None,
                AtBlock::Group | AtBlock::GroupOrStatement => Some(if body == Body::Style {
                    Body::Style
                } else {
                    Body::Rules
                }),
                AtBlock::Of(inner) => Some(inner),
            };
            return match inner {
                Some(inner) if valid => self.block(inner, depth),
                _ => {
                    self.skip_block(Close::Curly);
                    false
                }
            };
        }
        if valid && matches!(block, AtBlock::Statement | AtBlock::GroupOrStatement) {
            self.emit_separator(";");
            return true;
        }
        false
    }

    /// Reads the URL an `@import` or `@namespace` names: a string,
    /// `url(x)` or `url("x")`.
    fn prelude_url(&mut self) -> Option<String> {
        loop {
            let t = self.next()?;
            match &t.token {
                Token::WhiteSpace(_) | Token::Comment(_) => {}
                Token::QuotedString(url) | Token::UnquotedUrl(url) => return Some(url.to_string()),
                Token::Function(f) if f.eq_ignore_ascii_case("url") => {
                    let mut url = None;
                    while let Some(t) = self.next() {
                        match &t.token {
                            Token::WhiteSpace(_) | Token::Comment(_) => {}
                            Token::QuotedString(u) if url.is_none() => url = Some(u.to_string()),
                            Token::CloseParenthesis => return url,
                            _ => {
                                self.lex.unread(t);
                                self.skip_block(Close::Paren);
                                return None;
                            }
                        }
                    }
                    return url;
                }
                _ => {
                    self.lex.unread(t);
                    return None;
                }
            }
        }
    }

    fn import_prelude(&mut self, close: Close, depth: usize) -> (bool, Term) {
        let page = self.page;
        let url = self
            .prelude_url()
            .and_then(|url| urls::rewrite(&url, self.urls, page).map(Cow::into_owned));
        // An `@import` of nothing would import the page itself.
        let valid = url.as_ref().is_some_and(|u| !u.is_empty());
        self.emit_string(url.as_deref().unwrap_or_default());
        let end = End::Prelude {
            outer: close,
            semicolon: true,
        };
        let (rest, term) = self.walk(Kind::Condition, end, depth);
        (valid && rest, term)
    }

    fn namespace_prelude(&mut self, close: Close, depth: usize) -> (bool, Term) {
        let save = self.lex.pos();
        let prefix = loop {
            match self.next() {
                Some(t) if matches!(t.token, Token::WhiteSpace(_) | Token::Comment(_)) => {}
                Some(t) if matches!(t.token, Token::Ident(_)) => break Some(t),
                _ => break None,
            }
        };
        match prefix {
            Some(prefix) => {
                self.emit_token(&prefix);
                self.pending_space = true;
            }
            None => self.lex.reset(save),
        }
        let page = self.page;
        let url = self
            .prelude_url()
            .and_then(|url| urls::rewrite(&url, self.urls, page).map(Cow::into_owned));
        self.emit_string(url.as_deref().unwrap_or_default());
        let end = End::Prelude {
            outer: close,
            semicolon: true,
        };
        let (rest, term) = self.walk(Kind::Empty, end, depth);
        (url.is_some() && rest, term)
    }

    /// Reads a declaration whose name was read.
    fn declaration(&mut self, name: Tok<'i>, close: Close, depth: usize) -> Declared {
        loop {
            match self.next() {
                Some(t) if matches!(t.token, Token::WhiteSpace(_) | Token::Comment(_)) => {}
                Some(t) if matches!(t.token, Token::Colon) => break,
                Some(_) => return Declared::Rule,
                None => return Declared::Dropped,
            }
        }
        let Token::Ident(property) = &name.token else {
            return Declared::Dropped;
        };
        let kind = value_kind(property);
        self.emit_token(&name);
        self.emit_separator(":");
        let value = self.mark();
        let end = End::Declaration {
            outer: close,
            retry: true,
        };
        let (mut valid, term) = self.walk(kind, end, depth);
        if term == Term::Curly {
            return Declared::Rule;
        }
        if kind == Kind::Custom {
            self.finish_custom(value);
        }
        if term == Term::Bang {
            valid &= self.important(close);
            self.pending_space = false;
            self.emit(Ser::Other, "!important", false);
        }
        if valid {
            Declared::Kept
        } else {
            Declared::Dropped
        }
    }

    /// Reads `important` after a declaration's `!`, through the end of the
    /// declaration; whether that is all there is.
    fn important(&mut self, close: Close) -> bool {
        let mut seen = false;
        while let Some(t) = self.next() {
            match &t.token {
                Token::WhiteSpace(_) | Token::Comment(_) => {}
                Token::Ident(i) if !seen && i.eq_ignore_ascii_case("important") => seen = true,
                Token::Semicolon => return seen,
                token if close != Close::Eof && Close::closed_by(token) == Some(close) => {
                    self.lex.unread(t);
                    return seen;
                }
                _ => {
                    self.lex.unread(t);
                    self.skip_remnants(close);
                    return false;
                }
            }
        }
        seen
    }

    /// A custom property's value is content as a whole: detectors see all
    /// of it as written (URLs already rewritten), and a masked one is
    /// written as its stars (valid as a custom property's value, and the
    /// same when masked again) or, with a fixed masking text, as a string.
    fn finish_custom(&mut self, value: Mark) {
        if self.out.len() == value.len {
            return;
        }
        let page = self.page;
        let written = &self.out[value.len..];
        let replaced = match self.strings {
            ChannelOutcome::Capture => match page.scrub(written) {
                Cow::Owned(scrubbed) => Some(scrubbed),
                Cow::Borrowed(_) => None,
            },
            outcome => Some(page.render(outcome, written).into_owned()),
        };
        let Some(text) = replaced else {
            return;
        };
        self.rollback(value);
        if !self.strings.is_capture()
            && text
                .bytes()
                .all(|b| matches!(b, b'*' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c'))
        {
            self.emit(Ser::DelimAsterisk, &text, false);
        } else {
            self.emit_string(&text);
        }
    }

    // Tokens.

    /// Reads and writes tokens of `kind` until `end`: whether they are
    /// valid, and what ended them.
    fn walk(&mut self, kind: Kind, end: End, depth: usize) -> (bool, Term) {
        let mut w = Walk::new(kind);
        let term = loop {
            let Some(t) = self.next() else {
                break Term::Eof;
            };
            if let Some(term) = terminator(&t.token, kind, end) {
                if term == Term::Close && !matches!(end, End::Block(_)) {
                    self.lex.unread(t);
                }
                break term;
            }
            if matches!(end, End::Declaration { .. })
                && matches!(t.token, Token::CurlyBracketBlock)
                && kind != Kind::Custom
            {
                // A `{}` block in an ordinary value: not a declaration.
                w.valid = false;
                self.skip_block(Close::Curly);
                continue;
            }
            self.token(&mut w, t, depth);
        };
        self.flush_run(&mut w);
        let complete = match kind {
            Kind::Selector => w.selector == SelectorAt::Any && !w.selector_empty,
            Kind::Attribute => matches!(
                w.attribute,
                AttributeAt::Name | AttributeAt::Value | AttributeAt::Modifier
            ),
            Kind::Font => w.font != FontPart::LineHeight,
            _ => true,
        };
        (w.valid && complete, term)
    }

    fn token(&mut self, w: &mut Walk, t: Tok<'i>, depth: usize) {
        match &t.token {
            Token::WhiteSpace(_) => {
                if w.run.count > 0 {
                    w.run.space_after = true;
                } else if w.kind == Kind::Selector && w.selector != SelectorAt::Any {
                    w.valid = false;
                } else {
                    self.space();
                }
            }
            Token::Comment(_) => {}
            Token::BadString(_)
            | Token::BadUrl(_)
            | Token::CDO
            | Token::CDC
            | Token::Delim('\\')
            | Token::CloseParenthesis
            | Token::CloseSquareBracket
            | Token::CloseCurlyBracket => w.valid = false,
            Token::Function(_)
            | Token::ParenthesisBlock
            | Token::SquareBracketBlock
            | Token::CurlyBracketBlock => self.nested(w, t, depth),
            _ => self.leaf(w, t),
        }
    }

    /// A block or function inside a walk: written with what it holds, or
    /// skipped (and the walk invalid) where it cannot be.
    fn nested(&mut self, w: &mut Walk, t: Tok<'i>, depth: usize) {
        let close = Close::opened_by(&t.token).unwrap_or(Close::Paren);
        let function = match &t.token {
            Token::Function(name) => Some(name.clone()),
            _ => None,
        };
        let is = |n: &str| function.as_ref().is_some_and(|f| f.eq_ignore_ascii_case(n));
        let inner = match w.kind {
            Kind::Ordinary | Kind::Custom | Kind::UrlArgs | Kind::FormatArgs => Some(
                if is("url") || is("src") || is("image-set") || is("-webkit-image-set") {
                    Kind::UrlArgs
                } else if is("local") {
                    Kind::Local
                } else if is("format") || is("tech") {
                    Kind::FormatArgs
                } else {
                    Kind::Ordinary
                },
            ),
            Kind::Family | Kind::Local | Kind::Font => {
                if function.is_none() {
                    None
                } else if is("var") || is("env") {
                    // A fallback is read as the property's value.
                    Some(w.kind)
                } else {
                    Some(Kind::Ordinary)
                }
            }
            Kind::Selector => match (close, w.selector) {
                (Close::Paren, SelectorAt::Colon | SelectorAt::TwoColons) if function.is_some() => {
                    Some(Kind::SelectorArgs)
                }
                (Close::Square, SelectorAt::Any) => Some(Kind::Attribute),
                _ => None,
            },
            Kind::SelectorArgs => match close {
                Close::Paren if function.is_some() => Some(Kind::SelectorArgs),
                Close::Square => Some(Kind::Attribute),
                _ => None,
            },
            Kind::Condition => match close {
                Close::Paren if is("selector") => Some(Kind::SelectorArgs),
                Close::Paren => Some(Kind::Condition),
                _ => None,
            },
            Kind::Scope => (close == Close::Paren && function.is_none()).then_some(Kind::Selector),
            Kind::Attribute | Kind::Keyframe | Kind::Names | Kind::PageSelector | Kind::Empty => {
                None
            }
        };
        let Some(inner) = inner.filter(|_| depth + 1 < MAX_DEPTH) else {
            w.valid = false;
            self.flush_run(w);
            self.skip_block(close);
            return;
        };
        self.flush_run(w);
        match w.kind {
            Kind::Font => {
                w.font = match w.font {
                    FontPart::Prefix if is("var") || is("env") => FontPart::Prefix,
                    FontPart::Prefix => FontPart::AfterSize,
                    _ => FontPart::Families,
                };
            }
            Kind::Selector => {
                w.selector = SelectorAt::Any;
                w.selector_empty = false;
            }
            _ => {}
        }
        if is("url") {
            self.emit(Ser::Function, "url(", false);
        } else {
            self.emit_token(&t);
        }
        self.at_start = true;
        let valid = if inner == Kind::Condition {
            self.condition_block(depth + 1)
        } else {
            self.walk(inner, End::Block(close), depth + 1).0
        };
        w.valid &= valid;
        self.emit_close(close);
    }

    /// A parenthesised condition: `name: value` is a declaration, read as
    /// one (so `(--x: …)` and `(font-family: …)` are content), anything
    /// else a nested condition.
    fn condition_block(&mut self, depth: usize) -> bool {
        let Some(name) = self.declaration_start() else {
            return self
                .walk(Kind::Condition, End::Block(Close::Paren), depth)
                .0;
        };
        let Token::Ident(property) = &name.token else {
            return false;
        };
        let kind = value_kind(property);
        self.emit_token(&name);
        self.emit_separator(":");
        let value = self.mark();
        let (valid, _) = self.walk(kind, End::Block(Close::Paren), depth);
        if kind == Kind::Custom {
            self.finish_custom(value);
        }
        valid
    }

    /// A token that is neither whitespace nor a block.
    fn leaf(&mut self, w: &mut Walk, t: Tok<'i>) {
        match w.kind {
            Kind::Ordinary | Kind::Custom | Kind::UrlArgs | Kind::FormatArgs => match &t.token {
                Token::QuotedString(s) if w.kind == Kind::UrlArgs => self.emit_url_string(s),
                Token::QuotedString(s)
                    if w.kind == Kind::FormatArgs && is_one_of(s, FORMAT_KEYWORDS) =>
                {
                    self.emit_string(s)
                }
                Token::QuotedString(s) => self.content(s),
                Token::UnquotedUrl(url) => self.emit_url(url),
                _ => self.emit_token(&t),
            },
            Kind::Family | Kind::Local => self.family_leaf(w, t),
            Kind::Font => self.font_leaf(w, t),
            Kind::Selector => self.selector_leaf(w, t),
            Kind::SelectorArgs => match &t.token {
                Token::Ident(_)
                | Token::IDHash(_)
                | Token::Colon
                | Token::Comma
                | Token::Number { .. }
                | Token::Dimension { .. }
                | Token::Percentage { .. }
                | Token::Delim('.' | '*' | '&' | '|' | '>' | '+' | '~' | '-') => {
                    self.emit_token(&t)
                }
                Token::QuotedString(s) => self.content(s),
                _ => w.valid = false,
            },
            Kind::Attribute => self.attribute_leaf(w, t),
            Kind::Keyframe => match &t.token {
                Token::Ident(_) | Token::Percentage { .. } | Token::Comma => self.emit_token(&t),
                _ => w.valid = false,
            },
            Kind::Condition => match &t.token {
                Token::Ident(_)
                | Token::Number { .. }
                | Token::Percentage { .. }
                | Token::Dimension { .. }
                | Token::Colon
                | Token::Comma
                | Token::Delim('<' | '>' | '=' | '/') => self.emit_token(&t),
                Token::QuotedString(s) => self.content(s),
                _ => w.valid = false,
            },
            Kind::Names => match &t.token {
                Token::Ident(_) | Token::Delim('.') | Token::Comma => self.emit_token(&t),
                Token::QuotedString(s) => self.content(s),
                _ => w.valid = false,
            },
            Kind::PageSelector => match &t.token {
                Token::Ident(_) | Token::Colon | Token::Comma => self.emit_token(&t),
                _ => w.valid = false,
            },
            Kind::Scope => match &t.token {
                Token::Ident(_) => self.emit_token(&t),
                _ => w.valid = false,
            },
            Kind::Empty => w.valid = false,
        }
    }

    fn family_leaf(&mut self, w: &mut Walk, t: Tok<'i>) {
        match &t.token {
            Token::Ident(name) if !is_dashed(name) => {
                if w.run.count == 0 {
                    w.run.first = (t.start, t.end);
                } else {
                    self.name.push(' ');
                }
                self.name.push_str(name);
                w.run.count += 1;
                w.run.space_after = false;
            }
            Token::Ident(_) => {
                self.flush_run(w);
                self.emit_token(&t);
            }
            Token::QuotedString(s) => {
                self.flush_run(w);
                self.content(s);
            }
            Token::Comma if w.kind != Kind::Local => {
                self.flush_run(w);
                self.emit_token(&t);
            }
            _ => {
                self.flush_run(w);
                w.valid = false;
            }
        }
    }

    /// Writes a family name that was read: a generic keyword as it is,
    /// any other name as content.
    fn flush_run(&mut self, w: &mut Walk) {
        if w.run.count == 0 {
            return;
        }
        if w.generics() && w.run.count == 1 && is_one_of(&self.name, GENERIC_FAMILIES) {
            let (start, end) = w.run.first;
            self.emit_source(Ser::Ident, start, end, false);
        } else {
            let name = std::mem::take(&mut self.name);
            self.content(&name);
            self.name = name;
        }
        self.name.clear();
        if w.run.space_after {
            self.space();
        }
        w.run = Run::default();
    }

    fn font_leaf(&mut self, w: &mut Walk, t: Tok<'i>) {
        if w.font == FontPart::AfterSize {
            if matches!(t.token, Token::Delim('/')) {
                self.emit_token(&t);
                w.font = FontPart::LineHeight;
                return;
            }
            w.font = FontPart::Families;
        }
        match w.font {
            FontPart::Prefix => match &t.token {
                Token::Ident(i) if is_dashed(i) => self.emit_token(&t),
                Token::Ident(i) if is_one_of(i, FONT_SIZE_KEYWORDS) => {
                    self.emit_token(&t);
                    w.font = FontPart::AfterSize;
                }
                Token::Ident(i) if is_one_of(i, FONT_KEYWORDS) => self.emit_token(&t),
                Token::Number { .. } => self.emit_token(&t),
                Token::Dimension { .. } | Token::Percentage { .. } => {
                    self.emit_token(&t);
                    w.font = FontPart::AfterSize;
                }
                _ => {
                    w.font = FontPart::Families;
                    self.family_leaf(w, t);
                }
            },
            FontPart::LineHeight => match &t.token {
                Token::Ident(_)
                | Token::Number { .. }
                | Token::Dimension { .. }
                | Token::Percentage { .. } => {
                    self.emit_token(&t);
                    w.font = FontPart::Families;
                }
                _ => w.valid = false,
            },
            FontPart::AfterSize | FontPart::Families => self.family_leaf(w, t),
        }
    }

    fn selector_leaf(&mut self, w: &mut Walk, t: Tok<'i>) {
        let ok = match (&t.token, w.selector) {
            (Token::Ident(_), _) => {
                w.selector = SelectorAt::Any;
                w.selector_empty = false;
                true
            }
            (Token::Colon, SelectorAt::Any) => {
                w.selector = SelectorAt::Colon;
                true
            }
            (Token::Colon, SelectorAt::Colon) => {
                w.selector = SelectorAt::TwoColons;
                true
            }
            (Token::Delim('.'), SelectorAt::Any) => {
                w.selector = SelectorAt::Dot;
                true
            }
            (
                Token::IDHash(_) | Token::Delim('*' | '&' | '|' | '>' | '+' | '~'),
                SelectorAt::Any,
            ) => {
                w.selector_empty = false;
                true
            }
            (Token::Comma, SelectorAt::Any) if !w.selector_empty => {
                w.selector_empty = true;
                true
            }
            _ => false,
        };
        if ok {
            self.emit_token(&t);
        } else {
            w.valid = false;
        }
    }

    fn attribute_leaf(&mut self, w: &mut Walk, t: Tok<'i>) {
        use AttributeAt::*;
        let next = match (&t.token, w.attribute) {
            (Token::Ident(_), Start) => Name,
            (Token::Delim('*' | '|'), Start) | (Token::Delim('|'), Name) => Start,
            (
                Token::Delim('=')
                | Token::IncludeMatch
                | Token::DashMatch
                | Token::PrefixMatch
                | Token::SuffixMatch
                | Token::SubstringMatch,
                Name,
            ) => Matcher,
            (Token::Ident(value) | Token::QuotedString(value), Matcher) => {
                self.content(value);
                w.attribute = Value;
                return;
            }
            (Token::Ident(m), Value) if is_one_of(m, &["i", "s"]) => Modifier,
            _ => {
                w.valid = false;
                return;
            }
        };
        self.emit_token(&t);
        w.attribute = next;
    }
}

/// Whether `token` ends a walk of `kind` that ends at `end`.
fn terminator(token: &Token<'_>, kind: Kind, end: End) -> Option<Term> {
    match end {
        End::Block(close) => (Close::closed_by(token) == Some(close)).then_some(Term::Close),
        End::Declaration { outer, retry } => match token {
            Token::Semicolon => Some(Term::Semicolon),
            Token::Delim('!') => Some(Term::Bang),
            Token::CurlyBracketBlock if retry && kind != Kind::Custom => Some(Term::Curly),
            _ if outer != Close::Eof && Close::closed_by(token) == Some(outer) => Some(Term::Close),
            _ => None,
        },
        End::Prelude { outer, semicolon } => match token {
            Token::CurlyBracketBlock => Some(Term::Curly),
            Token::Semicolon if semicolon => Some(Term::Semicolon),
            _ if outer != Close::Eof && Close::closed_by(token) == Some(outer) => Some(Term::Close),
            _ => None,
        },
    }
}

/// How a declaration's value is read, from its property's name.
fn value_kind(property: &str) -> Kind {
    if is_dashed(property) || property.eq_ignore_ascii_case("initial-value") {
        Kind::Custom
    } else if property.eq_ignore_ascii_case("font-family") {
        Kind::Family
    } else if property.eq_ignore_ascii_case("font") {
        Kind::Font
    } else {
        Kind::Ordinary
    }
}

/// Writes a double-quoted CSS string that nothing can break out of.
fn write_string(out: &mut String, value: &str) {
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("\\3c "),
            '>' => out.push_str("\\3e "),
            c if c.is_control() => {
                use std::fmt::Write;
                let _ = write!(out, "\\{:x} ", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn policy(text: &str) -> scrim_matcher::Policy {
        let compiled = scrim_compiler::compile("t.scrim", text, &scrim_compiler::NoFiles);
        scrim_matcher::Policy::from_artifact(compiled.artifact.expect("compiles")).expect("loads")
    }

    /// Pieces that put `<` next to `/` or `!` once comments are gone, or
    /// hide them in escapes, among tokens of every kind.
    fn hostile() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("<"),
            Just("/"),
            Just("!"),
            Just("--"),
            Just("/**/"),
            Just("style"),
            Just("STYLE"),
            Just("\\<"),
            Just("\\3c"),
            Just("\\"),
            Just(" "),
            Just("\n"),
            Just("\""),
            Just("'"),
            Just("{"),
            Just("}"),
            Just("("),
            Just(")"),
            Just("["),
            Just("]"),
            Just(";"),
            Just(":"),
            Just(","),
            Just("a"),
            Just("--x"),
            Just("@media"),
            Just("url("),
            Just("f("),
            Just("font-family"),
            Just("="),
            Just("*"),
            Just("1"),
            Just("-->"),
            Just("<!--"),
            Just("#"),
            Just("."),
            Just("</style"),
            Just("<//**/style"),
            Just("<!/**/--"),
            Just("\\</style"),
            Just("a{b:"),
            Just("x:"),
            Just("--y:"),
        ];
        proptest::collection::vec(piece, 0..40).prop_map(|p| p.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Whatever the sheet holds, what is written cannot close a
        /// `<style>` element or open an HTML comment.
        #[test]
        fn nothing_written_closes_the_element(css in hostile(), capture in any::<bool>()) {
            let policy = policy(if capture {
                "scrim 1\ndefault text, media capture\n"
            } else {
                "scrim 1\n"
            });
            let page = policy.page(&scrim_matcher::Context {
                url: "https://example.com/".into(),
                ..Default::default()
            });
            let strings = page.default_outcome(scrim_matcher::ChannelRef::Text);
            let urls = page.default_outcome(scrim_matcher::ChannelRef::Media);
            for out in [
                rewrite(&css, strings, urls, &page),
                rewrite_declarations(&css, strings, urls, &page),
            ] {
                let lower = out.to_ascii_lowercase();
                prop_assert!(!lower.contains("</style") && !lower.contains("<!"), "{:?} => {:?}", css, out);
            }
        }
    }

    #[test]
    fn strings_cannot_be_broken_out_of() {
        let mut s = String::new();
        write_string(&mut s, "</style>\"\\\n");
        assert_eq!(s, "\"\\3c /style\\3e \\\"\\\\\\a \"");
    }

    #[test]
    fn the_lexer_reads_inside_blocks() {
        let mut lex = Lexer::new("a(b{c}) [d]");
        let mut tokens = Vec::new();
        while let Some(t) = lex.next() {
            tokens.push(&"a(b{c}) [d]"[t.start..t.end]);
        }
        assert_eq!(tokens, ["a(", "b", "{", "c", "}", ")", " ", "[", "d", "]"]);
    }
}

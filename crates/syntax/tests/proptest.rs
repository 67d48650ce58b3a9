//! Property tests of the parser and formatter:
//!
//! - the parser never panics, whatever the input (arbitrary text, token
//!   soup, very long lines, mutated example policies), and every diagnostic
//!   points inside the text, on character boundaries;
//! - a policy without errors always formats, and the formatted text means
//!   the same (`format_checked` re-checks it);
//! - on generated valid policies (nested scopes, comments, blank lines, odd
//!   spacing), formatting is idempotent.

use proptest::prelude::*;
use proptest::sample::{Index, select};
use scrim_syntax::{FormatError, Parse, SourceFile, format_checked, parse};

/// The example policies, the seeds of the mutation tests.
const EXAMPLES: &[(&str, &str)] = &[
    ("admin.scrim", include_str!("../../../examples/admin.scrim")),
    ("bank.scrim", include_str!("../../../examples/bank.scrim")),
    (
        "patient-portal.scrim",
        include_str!("../../../examples/patient-portal.scrim"),
    ),
    ("shop.scrim", include_str!("../../../examples/shop.scrim")),
    (
        "baseline.scrim",
        include_str!("../../../examples/shared/baseline.scrim"),
    ),
];

/// Bits of policies and of trouble, for token soup and insertions.
const TOKENS: &[&str] = &[
    "\"",
    "\"",
    "{",
    "}",
    "/",
    "#",
    "\\",
    ",",
    "\n",
    "\n",
    " ",
    "  ",
    "\t",
    "\r",
    "'",
    ":",
    "::",
    "scrim",
    "scrim 1",
    "scrim 2",
    "include",
    "preset",
    "sensitive attributes",
    "all except",
    "all",
    "require consent",
    "record only",
    "never record",
    "redact query",
    "redact path",
    "detect",
    "default",
    "block",
    "mask",
    "allow",
    "ignore",
    "sealed",
    "with",
    "stars",
    "length",
    "as",
    "on page",
    "when",
    "and",
    "not",
    "consent",
    "region",
    "text",
    "value",
    "attributes",
    "attr:",
    "attr:data-x",
    "attr:data-*",
    "attr:*",
    "*",
    "media",
    "events",
    "all",
    "capture",
    "ignore",
    "x",
    "a-b",
    "_c",
    "\".a\"",
    "\"/x/*\"",
    "\"\"",
    "/\\d+/",
    "/a\\/b/",
    "//",
    "0",
    "4",
    "99999999999",
    "é",
    "€",
    "𝕏",
    "\u{feff}",
    "\u{0}",
    "\u{200b}",
    "\"\\\"",
    "\\\"",
];

/// Parses and checks the invariants every parse must hold.
fn check_parse(text: &str) -> Result<Parse, TestCaseError> {
    let source = SourceFile::new("p.scrim", text);
    let parsed = parse(&source);
    for diagnostic in &parsed.diagnostics {
        let span = diagnostic.loc.span;
        prop_assert!(
            span.start <= span.end && span.end <= text.len(),
            "span {span:?} outside the text ({} bytes): {diagnostic:?}",
            text.len()
        );
        prop_assert!(
            text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
            "span {span:?} not on character boundaries: {diagnostic:?}"
        );
        for (loc, _) in &diagnostic.related {
            prop_assert!(
                loc.span.end <= text.len()
                    && text.is_char_boundary(loc.span.start)
                    && text.is_char_boundary(loc.span.end),
                "related span {:?} invalid: {diagnostic:?}",
                loc.span
            );
        }
        prop_assert!(!diagnostic.message.is_empty());
        let json = diagnostic.to_json();
        prop_assert!(json.line >= 1 && json.column >= 1);
        prop_assert!((json.line, json.column) <= (json.end_line, json.end_column));
    }
    // Diagnostics come in the order of the text.
    let starts: Vec<usize> = parsed
        .diagnostics
        .iter()
        .map(|d| d.loc.span.start)
        .collect();
    prop_assert!(starts.windows(2).all(|w| w[0] <= w[1]), "{starts:?}");
    Ok(parsed)
}

/// Whenever a text parses without errors, it formats, the formatted text
/// means the same, and formatting it again changes nothing.
fn check_formats_if_clean(text: &str, parsed: &Parse) -> Result<(), TestCaseError> {
    if parsed.has_errors() {
        prop_assert_eq!(format_checked("p.scrim", text), Err(FormatError::Syntax));
        return Ok(());
    }
    let formatted = match format_checked("p.scrim", text) {
        Ok(formatted) => formatted,
        Err(error) => return Err(TestCaseError::fail(format!("{error:?} for {text:?}"))),
    };
    let again = format_checked("p.scrim", &formatted);
    prop_assert_eq!(again.as_ref(), Ok(&formatted), "not idempotent");
    Ok(())
}

fn check_text(text: &str) -> Result<(), TestCaseError> {
    let parsed = check_parse(text)?;
    check_formats_if_clean(text, &parsed)
}

/// Random sequences of policy tokens and troublesome characters.
fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(select(TOKENS), 0..60).prop_map(|tokens| tokens.concat())
}

/// One very long line (or statement) made of a repeated piece.
fn long_line() -> impl Strategy<Value = String> {
    (
        select(
            &[
                "mask text \"",
                "block \"",
                "detect x /",
                "on page ",
                "when consent a and ",
                "",
            ][..],
        ),
        select(&["a", "é", "\\", "{", ", x", "\"", "/", " ", "#"][..]),
        1_000usize..10_000,
        select(&["", "\"", "/", "{", "\n}"][..]),
    )
        .prop_map(|(head, piece, count, tail)| {
            format!("scrim 1\n{head}{}{tail}\n", piece.repeat(count))
        })
}

/// A char boundary of `text` near `index`.
fn boundary(text: &str, index: &Index) -> usize {
    let mut at = index.index(text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[derive(Debug, Clone)]
enum Mutation {
    /// Deletes up to this many bytes (rounded to characters).
    Delete(Index, usize),
    Insert(Index, &'static str),
    SwapLines(Index, Index),
    DuplicateLine(Index),
    DeleteLine(Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<Index>(), 1usize..12).prop_map(|(at, len)| Mutation::Delete(at, len)),
        4 => (any::<Index>(), select(TOKENS)).prop_map(|(at, token)| Mutation::Insert(at, token)),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        1 => any::<Index>().prop_map(Mutation::DuplicateLine),
        1 => any::<Index>().prop_map(Mutation::DeleteLine),
    ]
}

fn mutate(text: &str, mutation: &Mutation) -> String {
    match mutation {
        Mutation::Delete(at, len) => {
            let start = boundary(text, at);
            let mut end = (start + len).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            format!("{}{}", &text[..start], &text[end..])
        }
        Mutation::Insert(at, token) => {
            let at = boundary(text, at);
            format!("{}{token}{}", &text[..at], &text[at..])
        }
        Mutation::SwapLines(a, b) => {
            let mut lines: Vec<&str> = text.split('\n').collect();
            let (a, b) = (a.index(lines.len()), b.index(lines.len()));
            lines.swap(a, b);
            lines.join("\n")
        }
        Mutation::DuplicateLine(at) => {
            let mut lines: Vec<&str> = text.split('\n').collect();
            let at = at.index(lines.len());
            lines.insert(at, lines[at]);
            lines.join("\n")
        }
        Mutation::DeleteLine(at) => {
            let mut lines: Vec<&str> = text.split('\n').collect();
            lines.remove(at.index(lines.len()));
            lines.join("\n")
        }
    }
}

fn mutated_example() -> impl Strategy<Value = String> {
    (select(EXAMPLES), prop::collection::vec(mutation(), 1..8)).prop_map(
        |((_, text), mutations)| {
            mutations
                .iter()
                .fold(text.to_string(), |text, m| mutate(&text, m))
        },
    )
}

// ---- a generator of valid policies ---------------------------------------

/// Where a statement stands: what it may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    TopLevel,
    /// Inside a `when` block that is not inside an `on page` block.
    When,
    /// Inside an `on page` block, at any depth.
    Page,
}

/// A generated policy, before layout.
#[derive(Debug, Clone)]
enum Node {
    /// A statement as tokens; `,` is a token of its own.
    Statement(Vec<String>),
    Comment(String),
    /// One or more blank lines (with stray whitespace on them).
    Blank(usize),
    Block {
        header: Vec<String>,
        body: Vec<Node>,
        /// Written on one line: `when consent a { allow text ".c" }`.
        inline: bool,
        header_comment: Option<String>,
        close_comment: Option<String>,
    },
}

const NAMES: &[&str] = &[
    "analytics",
    "session-replay",
    "marketing",
    "ads",
    "_x",
    "a1",
];
const SELECTORS: &[&str] = &[
    r#"".customer-name""#,
    r#""h1, h2, .product-title""#,
    r#""input[name='quantity']""#,
    r##""#chat > .msg + .msg""##,
    r#"".ad:not(.house-ad)""#,
    r#""[title=\"x\"]""#,
    r#""a\\b""#,
    r#""a\b .c""#,
    r#""ul li:nth-child(2n+1)""#,
    r#""é.crème""#,
];
const PATTERNS: &[&str] = &[
    r#""https://shop.example.com/*""#,
    r#""/admin/*""#,
    r#""/orders/:id""#,
    r#""*""#,
    r#""/a#b""#,
];
const REGEXES: &[&str] = &[r"/^\d{6,}$/", r"/CUST-\d{8}/", r"/a\/b/", r"/[#{}]/"];
const CONTENT_CHANNELS: &[&str] = &[
    "text",
    "value",
    "attributes",
    "attr:data-user-id",
    "attr:HREF",
    "attr:Aria-*",
    "media",
    "all",
];
const COMMENTS: &[&str] = &[
    "#",
    "# a comment",
    "## heading ##",
    "# café ✓",
    "# { } \" / \\ ,",
    "#no space",
    "# mask text \".x\"",
];

fn tokens(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|p| p.to_string()).collect()
}

/// `a , b , c` as tokens.
fn list(items: Vec<&'static str>) -> Vec<String> {
    let mut out = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(",".to_string());
        }
        out.push(item.to_string());
    }
    out
}

fn some_of(pool: &'static [&'static str]) -> impl Strategy<Value = Vec<&'static str>> {
    prop::collection::vec(select(pool), 1..4)
}

fn join(mut head: Vec<String>, tail: Vec<String>) -> Vec<String> {
    head.extend(tail);
    head
}

fn element_rule() -> BoxedStrategy<Vec<String>> {
    let name = prop::option::of(select(NAMES).prop_map(|n| tokens(&["as", n])));
    let strategy = prop::option::of(prop_oneof![
        Just(tokens(&["with", "stars"])),
        Just(tokens(&["with", r#""[redacted]""#])),
        (1u32..=1024).prop_map(|n| vec!["with".into(), "length".into(), n.to_string()]),
    ]);
    prop_oneof![
        (select(SELECTORS), name.clone())
            .prop_map(|(s, n)| { join(tokens(&["block", s]), n.unwrap_or_default()) }),
        (
            any::<bool>(),
            some_of(CONTENT_CHANNELS),
            select(SELECTORS),
            strategy,
            name.clone()
        )
            .prop_map(|(sealed, channels, s, strategy, n)| {
                let mut out = tokens(&["mask"]);
                if sealed {
                    out.push("sealed".into());
                }
                out.extend(list(channels));
                out.push(s.into());
                out.extend(strategy.unwrap_or_default());
                out.extend(n.unwrap_or_default());
                out
            }),
        (some_of(CONTENT_CHANNELS), select(SELECTORS), name.clone()).prop_map(|(c, s, n)| {
            join(
                join(tokens(&["allow"]), list(c)),
                join(vec![s.into()], n.unwrap_or_default()),
            )
        }),
        (select(SELECTORS), name)
            .prop_map(|(s, n)| { join(tokens(&["ignore", "events", s]), n.unwrap_or_default()) }),
    ]
    .boxed()
}

/// A statement that may stand at `place`.
fn statement(place: Place) -> BoxedStrategy<Vec<String>> {
    let default = prop_oneof![
        (some_of(CONTENT_CHANNELS), select(&["capture", "mask"][..]))
            .prop_map(|(c, o)| join(join(tokens(&["default"]), list(c)), tokens(&[o]))),
        select(&["capture", "ignore"][..]).prop_map(|o| tokens(&["default", "events", o])),
    ];
    let scoped = prop_oneof![
        4 => element_rule(),
        2 => default,
        1 => some_of(&["email", "card", "phone", "national-id"])
            .prop_map(|d| join(tokens(&["detect"]), list(d))),
        1 => (select(NAMES), select(REGEXES)).prop_map(|(n, r)| tokens(&["detect", n, r])),
        1 => some_of(&["token", "email", "session_id", "a.b", "x[]"])
            .prop_map(|q| join(tokens(&["redact", "query"]), list(q))),
        1 => select(REGEXES).prop_map(|r| tokens(&["redact", "path", r])),
    ];
    let page_decision = prop_oneof![
        some_of(NAMES).prop_map(|n| join(tokens(&["require", "consent"]), list(n))),
        some_of(PATTERNS).prop_map(|p| join(tokens(&["record", "only"]), list(p))),
        some_of(PATTERNS).prop_map(|p| join(tokens(&["never", "record"]), list(p))),
    ];
    let top_only = prop_oneof![
        Just(tokens(&["include", r#""shared/base.scrim""#])),
        some_of(&["rrweb", "sentry", "datadog"]).prop_map(|p| join(tokens(&["preset"]), list(p))),
        some_of(&[
            "defaults",
            "data-email",
            "title",
            "aria-label",
            "x:y.z",
            "data-*"
        ])
        .prop_map(|a| join(tokens(&["sensitive", "attributes"]), list(a))),
        some_of(&["class", "id", "href", "aria-*"]).prop_map(|a| {
            join(
                tokens(&["sensitive", "attributes", "all", "except"]),
                list(a),
            )
        }),
    ];
    match place {
        Place::TopLevel => prop_oneof![6 => scoped, 2 => page_decision, 2 => top_only].boxed(),
        Place::When => prop_oneof![6 => scoped, 2 => page_decision].boxed(),
        Place::Page => scoped.boxed(),
    }
}

fn condition() -> impl Strategy<Value = Vec<String>> {
    prop_oneof![
        select(NAMES).prop_map(|n| tokens(&["consent", n])),
        select(NAMES).prop_map(|n| tokens(&["not", "consent", n])),
        some_of(&["EU", "UK", "us", "CA"]).prop_map(|r| join(tokens(&["region"]), list(r))),
    ]
}

fn block_header(place: Place) -> impl Strategy<Value = (Vec<String>, Place)> {
    let inner = if place == Place::Page {
        Place::Page
    } else {
        Place::When
    };
    prop_oneof![
        some_of(PATTERNS).prop_map(|p| (join(tokens(&["on", "page"]), list(p)), Place::Page)),
        prop::collection::vec(condition(), 1..4).prop_map(move |conditions| {
            let mut header = tokens(&["when"]);
            for (i, c) in conditions.into_iter().enumerate() {
                if i > 0 {
                    header.push("and".into());
                }
                header.extend(c);
            }
            (header, inner)
        }),
    ]
}

/// Up to `most` items at `place`, with blocks nested at most `depth` more
/// levels.
fn nodes(place: Place, depth: u32, most: usize) -> BoxedStrategy<Vec<Node>> {
    let leaf = prop_oneof![
        6 => statement(place).prop_map(Node::Statement),
        1 => select(COMMENTS).prop_map(|c| Node::Comment(c.to_string())),
        1 => (1usize..4).prop_map(Node::Blank),
    ];
    let node = if depth == 0 {
        leaf.boxed()
    } else {
        let block = block_header(place)
            .prop_flat_map(move |(header, inner)| {
                (
                    Just(header),
                    nodes(inner, depth - 1, 6),
                    any::<bool>(),
                    prop::option::of(select(COMMENTS)),
                    prop::option::of(select(COMMENTS)),
                )
            })
            .prop_map(|(header, body, inline, header_comment, close_comment)| {
                let inline = inline && body.len() == 1 && matches!(body[0], Node::Statement(_));
                Node::Block {
                    header,
                    body,
                    inline,
                    header_comment: header_comment.map(str::to_string),
                    close_comment: close_comment.map(str::to_string),
                }
            });
        prop_oneof![4 => leaf, 1 => block].boxed()
    };
    prop::collection::vec(node, 0..most).boxed()
}

/// How a generated policy is laid out.
#[derive(Debug, Clone)]
struct Layout {
    /// Gaps between tokens, used in turn; never empty between two words.
    gaps: Vec<&'static str>,
    indents: Vec<&'static str>,
    /// Whether statements get trailing comments, in turn.
    trailing: Vec<Option<&'static str>>,
    crlf: bool,
}

fn layout() -> impl Strategy<Value = Layout> {
    (
        prop::collection::vec(select(&[" ", " ", " ", "  ", "\t", " \t "][..]), 1..16),
        prop::collection::vec(select(&["", "", "  ", "    ", "\t", " "][..]), 1..8),
        prop::collection::vec(prop::option::weighted(0.2, select(COMMENTS)), 1..8),
        prop::bool::weighted(0.1),
    )
        .prop_map(|(gaps, indents, trailing, crlf)| Layout {
            gaps,
            indents,
            trailing,
            crlf,
        })
}

struct Printer<'l> {
    layout: &'l Layout,
    turn: usize,
    out: String,
}

impl Printer<'_> {
    fn next<T: Copy>(&mut self, pool: &[T]) -> T {
        self.turn += 1;
        pool[self.turn % pool.len()]
    }

    fn newline(&mut self) {
        self.out
            .push_str(if self.layout.crlf { "\r\n" } else { "\n" });
    }

    fn tokens(&mut self, tokens: &[String]) {
        for (i, token) in tokens.iter().enumerate() {
            let gap = self.next(&self.layout.gaps);
            if i > 0 {
                // Around a comma the gap may be left out.
                let optional = token == "," || tokens[i - 1] == ",";
                if !(optional && gap == "\t") {
                    self.out.push_str(gap);
                }
            }
            self.out.push_str(token);
        }
    }

    fn trailing(&mut self, comment: Option<&str>) {
        if let Some(comment) = comment {
            let gap = self.next(&self.layout.gaps);
            self.out.push_str(gap);
            self.out.push_str(comment);
        }
    }

    fn nodes(&mut self, nodes: &[Node]) {
        for node in nodes {
            let indent = self.next(&self.layout.indents);
            match node {
                Node::Statement(tokens) => {
                    self.out.push_str(indent);
                    self.tokens(tokens);
                    let comment = self.next(&self.layout.trailing);
                    self.trailing(comment);
                    self.newline();
                }
                Node::Comment(text) => {
                    self.out.push_str(indent);
                    self.out.push_str(text);
                    self.newline();
                }
                Node::Blank(count) => {
                    for _ in 0..*count {
                        self.out.push_str(indent);
                        self.newline();
                    }
                }
                Node::Block {
                    header,
                    body,
                    inline,
                    header_comment,
                    close_comment,
                } => {
                    self.out.push_str(indent);
                    self.tokens(header);
                    self.out.push_str(" {");
                    if *inline {
                        let Node::Statement(tokens) = &body[0] else {
                            unreachable!("inline blocks hold one statement")
                        };
                        self.out.push(' ');
                        self.tokens(tokens);
                        self.out.push_str(" }");
                    } else {
                        self.trailing(header_comment.as_deref());
                        self.newline();
                        self.nodes(body);
                        self.out.push_str(indent);
                        self.out.push('}');
                    }
                    self.trailing(close_comment.as_deref());
                    self.newline();
                }
            }
        }
    }
}

/// A valid policy: comments and blank lines, the version line, then items.
fn valid_policy() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(
            prop_oneof![
                select(COMMENTS).prop_map(|c| Node::Comment(c.to_string())),
                (1usize..3).prop_map(Node::Blank),
            ],
            0..3,
        ),
        nodes(Place::TopLevel, 3, 16),
        layout(),
    )
        .prop_map(|(leading, items, layout)| {
            let mut printer = Printer {
                layout: &layout,
                turn: 0,
                out: String::new(),
            };
            printer.nodes(&leading);
            printer.nodes(&[Node::Statement(tokens(&["scrim", "1"]))]);
            printer.nodes(&items);
            printer.out
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn parser_never_panics_on_arbitrary_text(text in any::<String>()) {
        check_text(&text)?;
    }

    #[test]
    fn parser_never_panics_on_token_soup(text in token_soup()) {
        check_text(&text)?;
    }

    #[test]
    fn parser_never_panics_on_token_soup_after_a_version(text in token_soup()) {
        check_text(&format!("scrim 1\n{text}"))?;
    }

    #[test]
    fn parser_never_panics_on_mutated_examples(text in mutated_example()) {
        check_text(&text)?;
    }

    #[test]
    fn generated_policies_are_valid_and_format_idempotently(text in valid_policy()) {
        let parsed = check_parse(&text)?;
        prop_assert!(
            !parsed.has_errors(),
            "the generator made an invalid policy: {:?}\n{text}",
            parsed.diagnostics
        );
        let formatted = format_checked("p.scrim", &text);
        prop_assert!(formatted.is_ok(), "{formatted:?}\n{text}");
        let formatted = formatted.unwrap();
        prop_assert_eq!(
            format_checked("p.scrim", &formatted),
            Ok(formatted.clone()),
            "formatting is not idempotent"
        );
        // The canonical form has no trailing whitespace, no tabs and no
        // runs of blank lines.
        prop_assert!(!formatted.contains('\t') && !formatted.contains('\r'));
        prop_assert!(formatted.lines().all(|l| l == l.trim_end()), "{formatted}");
        prop_assert!(!formatted.contains("\n\n\n"), "{formatted}");
    }
}

proptest! {
    // Long lines are slow to build and parse in debug builds: fewer cases.
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn parser_never_panics_on_long_lines(text in long_line()) {
        check_text(&text)?;
    }
}

#[test]
fn the_examples_are_formatted_canonically() {
    for (name, text) in EXAMPLES {
        assert_eq!(
            format_checked(name, text).as_deref(),
            Ok(*text),
            "{name} is not in canonical form"
        );
    }
}

#[test]
fn known_troublemakers() {
    // A statement starting with a non-word multi-byte character once got a
    // span that ended inside the character.
    for text in [
        "€",
        "¡x",
        "scrim 1\n€ mask",
        "scrim 1\n\u{feff}scrim 1",
        "\"",
        "/",
        "{",
        "}",
    ] {
        let parsed = check_parse(text);
        assert!(parsed.is_ok(), "{text:?}: {parsed:?}");
    }
}

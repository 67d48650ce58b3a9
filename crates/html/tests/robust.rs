//! Robustness: deep documents, the masking property on random documents,
//! pages that are never recorded, and idempotence.

mod common;

use common::{mask, mask_on};
use proptest::prelude::*;
use scrim_html::Document;
use scrim_matcher::Element;

const DEPTH: usize = 100_000;

/// Runs `f` on a thread with the default 2 MiB stack.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(f)
        .expect("thread starts")
        .join()
        .expect("no stack overflow or panic");
}

fn deep(tag: &str) -> String {
    let mut html = String::with_capacity(DEPTH * 12);
    for i in 0..DEPTH {
        html.push_str(&format!("<{tag} class=\"l{}\">", i % 7));
    }
    html.push_str("Jane Doe");
    html
}

#[test]
fn a_100k_deep_document_does_not_overflow_the_stack() {
    on_small_stack(|| {
        let html = deep("span");
        let policy = common::policy(
            "scrim 1\ndefault text capture\nmask text \".l3 .l5 > .l6\"\nallow text \".l1\"\n",
        );
        let page = policy.page(&scrim_matcher::Context {
            url: common::URL.into(),
            ..Default::default()
        });
        // Over the default depth limit, so parsed with a raised one (the
        // limited path: chunks, depth checks).
        let limits = scrim_html::Limits {
            max_depth: DEPTH + 2,
            ..scrim_html::Limits::DEFAULT
        };
        assert!(Document::parse_limited(&html, &scrim_html::Limits::DEFAULT).is_err());
        let doc = Document::parse_limited(&html, &limits).expect("within the raised limit");
        assert_eq!(doc.elements().count(), DEPTH + 3); // html, head, body
        let deepest = doc.elements().last().expect("elements");
        assert_eq!(deepest.own_text(), "Jane Doe");
        let _ = page.decide(deepest);
        let out = scrim_html::mask_document(&doc, &page);
        // The innermost div has class l6 (99_999 % 7 == 4? no: it is l4),
        // so count divs rather than guess: every div is closed.
        assert_eq!(out.matches("</span>").count(), DEPTH);
        assert!(out.contains("Jane Doe") || out.contains("**** ***"));
        drop(doc);
    });
}

/// `n` nested `<tag>`s.
fn nested(tag: &str, n: usize) -> String {
    format!("<{tag}>").repeat(n)
}

#[test]
fn pages_over_the_limits_are_refused() {
    use scrim_html::{Limits, ReadError};
    let limits = Limits {
        max_bytes: 1000,
        max_depth: 10,
        max_attributes: 5,
    };
    let parse = |html: &str| Document::parse_limited(html, &limits).map(|_| ());
    // `html` and `body` are depths 1 and 2: 8 `<div>`s reach 10.
    assert_eq!(parse(&nested("div", 8)), Ok(()));
    assert_eq!(
        parse(&nested("div", 9)),
        Err(ReadError::TooDeep { limit: 10 })
    );
    // Template contents count their template; an `srcdoc` document its
    // iframe.
    assert_eq!(
        parse(&format!("<template>{}", nested("b", 8))),
        Err(ReadError::TooDeep { limit: 10 })
    );
    assert_eq!(
        parse(&format!(
            "<div><div><iframe srcdoc=\"{}\"></iframe>",
            nested("span", 4)
        )),
        Err(ReadError::TooDeep { limit: 10 })
    );
    assert_eq!(parse(r#"<p a b c d e="5">"#), Ok(()));
    assert_eq!(
        parse(r#"<p a b c d e f>"#),
        Err(ReadError::TooManyAttributes { limit: 5 })
    );
    // Duplicates count: the tokenizer reads each of them.
    assert_eq!(
        parse(r#"<p a a a a a a>"#),
        Err(ReadError::TooManyAttributes { limit: 5 })
    );
    assert_eq!(
        parse(&"x".repeat(1001)),
        Err(ReadError::TooLarge {
            bytes: 1001,
            limit: 1000
        })
    );
    assert_eq!(
        Document::parse_bytes(&[b'x'; 1001], None, &limits).map(|_| ()),
        Err(ReadError::TooLarge {
            bytes: 1001,
            limit: 1000
        })
    );
    // The defaults refuse the pages that make the parser slow.
    let defaults = |html: &str| Document::parse_limited(html, &Limits::default()).map(|_| ());
    assert_eq!(
        defaults(&nested("div", 100_000)),
        Err(ReadError::TooDeep { limit: 1024 })
    );
    let attributes: String = (0..100_000).map(|i| format!(" a{i}")).collect();
    assert_eq!(
        defaults(&format!("<p{attributes}>")),
        Err(ReadError::TooManyAttributes { limit: 1024 })
    );
}

#[test]
fn pages_are_decoded_as_browsers_decode_them() {
    use scrim_html::{EncodingSource, Limits, ReadError};
    // A UTF-16 page: its markup is markup, not one text.
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "<p>Jane</p><script>steal()</script><img onerror=\"x()\">"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    let doc = Document::parse_bytes(&utf16, None, &Limits::default()).expect("UTF-16");
    let names: Vec<String> = doc.elements().map(|e| e.local_name().to_string()).collect();
    assert_eq!(names, ["html", "head", "body", "p", "script", "img"]);
    let policy = common::policy("scrim 1\ndefault text capture\n");
    let page = policy.page(&scrim_matcher::Context {
        url: common::URL.into(),
        ..Default::default()
    });
    let out = scrim_html::mask_document(&doc, &page);
    assert!(out.contains("<p>Jane</p><script></script><img>"), "{out}");
    // Latin-1 declared by the page: the declaration is written as UTF-8,
    // which the output is.
    let latin1 = b"<meta charset=\"iso-8859-1\"><p>Ren\xE9e</p>";
    let doc = Document::parse_bytes(latin1, None, &Limits::default()).expect("latin-1");
    let out = scrim_html::mask_document(&doc, &page);
    assert!(
        out.contains("<meta charset=\"utf-8\">") && out.contains("Ren\u{e9}e"),
        "{out}"
    );
    // Not decodable: refused, whatever chose the encoding.
    assert_eq!(
        Document::parse_bytes(b"<p>Ren\xE9e</p>", None, &Limits::default()).map(|_| ()),
        Err(ReadError::Malformed {
            encoding: "UTF-8",
            source: EncodingSource::Default,
            offset: 6
        })
    );
    assert!(
        Document::parse_bytes(b"<p>Ren\xE9e</p>", Some("windows-1252"), &Limits::default()).is_ok()
    );
}

#[test]
fn deep_shadow_template_and_srcdoc_nesting_is_fine() {
    on_small_stack(|| {
        let mut html = String::new();
        for _ in 0..20_000 {
            html.push_str("<div><template shadowrootmode=\"open\"><span><template><p>");
        }
        html.push_str("Jane");
        let out = mask("scrim 1\n", &html);
        assert!(!out.contains("Jane"));
        // srcdoc inside srcdoc, deeper than the parsing limit.
        let mut inner = String::from("<p>Jane</p>");
        for _ in 0..40 {
            inner = format!(
                "<iframe srcdoc=\"{}\"></iframe>",
                inner.replace('&', "&amp;").replace('"', "&quot;")
            );
        }
        let out = mask(
            "scrim 1\ndefault text capture\nallow attr:srcdoc \"iframe\"\n",
            &inner,
        );
        assert!(!out.contains("Jane"), "deepest srcdoc is dropped");
    });
}

#[test]
fn never_record_yields_nothing_of_the_original() {
    let html = r#"<!DOCTYPE html><html lang="fr"><head><title>Jane</title><style>p{content:"Jane"}</style></head><body class="account"><h1>Jane Doe</h1><input value="s3cret"><img src="https://cdn.example.com/jane.png"></body></html>"#;
    let policy = "scrim 1\nnever record \"/account/*\"\ndefault text, value, attributes capture\n";
    let out = mask_on(policy, "https://example.com/account/settings", &[], html);
    assert_eq!(out, scrim_html::PAGE_OFF);
    for s in [
        "Jane", "s3cret", "fr", "account", "cdn", "content", "h1", "title",
    ] {
        assert!(!out.contains(s), "{s} leaked");
    }
}

#[test]
fn masking_is_idempotent_when_everything_is_captured() {
    let policy = "scrim 1\ndefault text, value, attributes, media capture\n";
    let html = r#"<!DOCTYPE html><html><head><style>a{b:url(x.png)}</style></head><body><pre>
x</pre><textarea>
t</textarea><p title="a&quot;b">1 &lt; 2 &amp; 3&nbsp;</p><svg><text>t</text></svg><template><td>c</td></template><user-x><template shadowrootmode="closed"><b>s</b></template>l</user-x><iframe srcdoc="<p>n</p>"></iframe></body></html>"#;
    let once = mask(policy, html);
    let twice = mask(policy, &once);
    assert_eq!(once, twice);
}

#[test]
fn select_and_paths_for_explain() {
    let doc = Document::parse(
        r#"<main id="m"><ul><li class="a">1</li><li class="a b">2</li></ul><user-card><template shadowrootmode="open"><p class="in">x</p></template></user-card><iframe srcdoc="<p class=framed>y</p>"></iframe></main>"#,
    );
    let found = doc.select("li.a").unwrap();
    assert_eq!(found.len(), 2);
    assert_eq!(
        found[1].path(),
        "html > body > main#m > ul > li.a.b:nth-of-type(2)"
    );
    let shadow = doc.select("user-card p").unwrap();
    assert_eq!(shadow.len(), 1);
    assert_eq!(shadow[0].path(), "html > body > main#m > user-card > p.in");
    let framed = doc.select("iframe .framed").unwrap();
    assert_eq!(framed.len(), 1);
    assert_eq!(framed[0].own_text(), "y");
    assert_eq!(
        framed[0]
            .parent()
            .unwrap()
            .parent()
            .unwrap()
            .parent()
            .unwrap()
            .local_name(),
        "iframe"
    );
    assert!(doc.select("li[").is_err());
    let ids: Vec<usize> = doc.elements().map(|e| e.index()).collect();
    assert_eq!(doc.element(ids[3]).unwrap().index(), ids[3]);
    assert!(doc.element(usize::MAX).is_none());
}

// ---- the masking property on random documents ----------------------------

/// Secret content is written in Greek letters; markup, class names and
/// attribute names are ASCII. Under a policy that masks text, values and
/// attributes, no Greek letter may appear in the output.
fn secret() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            4 => proptest::char::range('α', 'ω').prop_map(String::from),
            1 => Just(" ".to_string()),
            1 => Just("\n".to_string()),
            1 => Just("&amp;".to_string()),
        ],
        0..8,
    )
    .prop_map(|v| v.concat())
}

#[derive(Debug, Clone)]
enum Gen {
    Text(String),
    El {
        tag: &'static str,
        class: &'static str,
        title: String,
        children: Vec<Gen>,
    },
    Input(String),
    Textarea(String),
    Select(Vec<String>),
    Style(String),
    Shadow(Vec<Gen>),
    Srcdoc(Vec<Gen>),
    /// SVG and MathML text (form controls inside SVG are not form
    /// controls, so they are not generated there).
    Foreign(String),
    Comment(String),
}

fn gen_tree() -> impl Strategy<Value = Gen> {
    let leaf = prop_oneof![
        secret().prop_map(Gen::Text),
        secret().prop_map(Gen::Input),
        secret().prop_map(Gen::Textarea),
        proptest::collection::vec(secret(), 1..3).prop_map(Gen::Select),
        secret().prop_map(Gen::Style),
        secret().prop_map(Gen::Comment),
        secret().prop_map(Gen::Foreign),
    ];
    leaf.prop_recursive(4, 40, 4, |inner| {
        prop_oneof![
            (
                prop_oneof![
                    Just("div"),
                    Just("span"),
                    Just("p"),
                    Just("b"),
                    Just("td"),
                    Just("li"),
                    Just("template"),
                    Just("noscript"),
                    Just("a"),
                    Just("button"),
                ],
                prop_oneof![Just(""), Just("ok"), Just("x")],
                secret(),
                proptest::collection::vec(inner.clone(), 0..4),
            )
                .prop_map(|(tag, class, title, children)| Gen::El {
                    tag,
                    class,
                    title,
                    children
                }),
            proptest::collection::vec(inner.clone(), 0..3).prop_map(Gen::Shadow),
            proptest::collection::vec(inner, 0..3).prop_map(Gen::Srcdoc),
        ]
    })
}

fn write(g: &Gen, out: &mut String) {
    match g {
        Gen::Text(t) => out.push_str(t),
        Gen::El {
            tag,
            class,
            title,
            children,
        } => {
            out.push_str(&format!(
                "<{tag} class=\"{class}\" title=\"{title}\" aria-label=\"{title}\">"
            ));
            for c in children {
                write(c, out);
            }
            out.push_str(&format!("</{tag}>"));
        }
        Gen::Input(v) => out.push_str(&format!("<input value=\"{v}\" placeholder=\"{v}\">")),
        Gen::Textarea(v) => out.push_str(&format!("<textarea>{v}</textarea>")),
        Gen::Select(options) => {
            out.push_str("<select>");
            for o in options {
                out.push_str(&format!("<option value=\"{o}\" label=\"{o}\">{o}</option>"));
            }
            out.push_str("</select>");
        }
        Gen::Style(s) => out.push_str(&format!(
            "<style>p::after{{content:\"{s}\"}} q{{quotes:'{s}'}}</style>"
        )),
        Gen::Shadow(children) => {
            out.push_str("<div><template shadowrootmode=\"open\">");
            for c in children {
                write(c, out);
            }
            out.push_str("</template></div>");
        }
        Gen::Srcdoc(children) => {
            let mut inner = String::new();
            for c in children {
                write(c, &mut inner);
            }
            out.push_str(&format!(
                "<iframe srcdoc=\"{}\"></iframe>",
                inner.replace('&', "&amp;").replace('"', "&quot;")
            ));
        }
        Gen::Foreign(t) => out.push_str(&format!(
            "<svg><title>{t}</title><text>{t}</text></svg><math><mi>{t}</mi></math>"
        )),
        Gen::Comment(c) => out.push_str(&format!("<!--{}-->", c.replace('-', ""))),
    }
}

fn has_greek(s: &str) -> bool {
    s.chars().any(|c| ('α'..='ω').contains(&c))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn masked_channels_let_no_original_character_through(
        tree in proptest::collection::vec(gen_tree(), 1..4),
        policy_kind in 0..4usize,
    ) {
        let mut html = String::new();
        for g in &tree {
            write(g, &mut html);
        }
        // Four policies that mask text, values and attributes, by default
        // or by rule, with allows that must not reach the secrets.
        let policy = [
            "scrim 1\n",
            "scrim 1\ndefault text, value, attributes mask\nallow attr:class \"*\"\n",
            "scrim 1\ndefault text, value, attributes capture\nmask sealed all \"html\" with \"[x]\"\nallow text, value \".ok\"\nsensitive attributes all except class\nallow attr:srcdoc \"iframe\"\n",
            "scrim 1\nmask all \"body\" with length 3\nallow attr:srcdoc \"iframe\"\nblock \".x\"\n",
        ][policy_kind];
        let out = mask(policy, &html);
        prop_assert!(!has_greek(&out), "leaked in {}\nfrom {}", out, html);
    }

    #[test]
    fn any_input_parses_and_masks_without_panic(html in "\\PC{0,200}") {
        let _ = mask("scrim 1\ndefault text capture\n", &html);
    }
}

proptest! {
    /// Attribute values that the masker splits (refresh URLs, `srcset`,
    /// `ping`, styles) hold any text.
    #[test]
    fn split_attribute_values_hold_any_text(value in "[0-9 ;,uUrRlL=]{0,4}\\PC{0,30}") {
        let value = value.replace('&', "&amp;").replace('"', "&quot;");
        let html = format!(
            r#"<meta http-equiv="refresh" content="{value}"><img srcset="{value}" src="{value}"><a ping="{value}" href="{value}" style="{value}">x</a>"#
        );
        for policy in ["scrim 1\ndefault text, value, attributes, media capture\n", "scrim 1\n"] {
            let _ = mask(policy, &html);
        }
    }
}

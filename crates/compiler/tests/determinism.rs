//! The compiler is a function of its input: compiling the same policy twice
//! gives byte-identical artifacts and identical diagnostics (no hash-map
//! order, clock or address leaks into the output). And it never panics, even
//! on mangled policies.

use proptest::prelude::*;
use proptest::sample::{Index, select};
use scrim_compiler::{Compilation, Loader, compile};

const EXAMPLES: &[(&str, &str)] = &[
    ("admin.scrim", include_str!("../../../examples/admin.scrim")),
    ("bank.scrim", include_str!("../../../examples/bank.scrim")),
    (
        "patient-portal.scrim",
        include_str!("../../../examples/patient-portal.scrim"),
    ),
    ("shop.scrim", include_str!("../../../examples/shop.scrim")),
];

/// The examples' included files, by the path the compiler asks for.
struct ExampleFiles;

impl Loader for ExampleFiles {
    fn load(&self, path: &str) -> Result<String, String> {
        match path {
            "shared/baseline.scrim" => {
                Ok(include_str!("../../../examples/shared/baseline.scrim").to_string())
            }
            _ => Err("no such file".to_string()),
        }
    }
}

/// Everything a compilation produces, as text.
fn output(compilation: &Compilation) -> String {
    let mut out = compilation
        .artifact
        .as_ref()
        .map_or_else(|| "no artifact\n".to_string(), |a| a.to_json());
    for diagnostic in &compilation.diagnostics {
        let json = serde_json::to_string(&diagnostic.to_json()).expect("diagnostics serialise");
        out.push_str(&json);
        out.push('\n');
        for (loc, label) in &diagnostic.related {
            out.push_str(&format!("  related {loc:?} {label}\n"));
        }
    }
    for source in &compilation.sources {
        out.push_str(&format!("source {}\n", source.name()));
    }
    out
}

fn compile_twice(name: &str, text: &str) -> (Compilation, String, String) {
    let first = compile(name, text, &ExampleFiles);
    let second = compile(name, text, &ExampleFiles);
    let (a, b) = (output(&first), output(&second));
    (first, a, b)
}

#[test]
fn examples_compile_to_identical_artifacts() {
    for (name, text) in EXAMPLES {
        let (compilation, first, second) = compile_twice(name, text);
        assert!(
            compilation.artifact.is_some(),
            "{name} does not compile: {:?}",
            compilation.diagnostics
        );
        assert_eq!(first, second, "{name} compiles differently twice");
    }
}

#[test]
fn diagnostics_are_identical_too() {
    // Suggestions pick among several equally close names: the pick must not
    // depend on hash-map order, which changes from one map to the next.
    let text = "scrim 1\n\
                detect cust-a /A-\\d+/\n\
                detect cust-b /B-\\d+/\n\
                detect cust-c /C-\\d+/\n\
                detect cust-d /D-\\d+/\n\
                detect cust-x\n\
                mask text \".a\" as rule-a\n\
                mask text \".b\" as rule-a\n\
                preset rrweb, rrweb, sentri\n";
    let reference = output(&compile("p.scrim", text, &ExampleFiles));
    assert!(
        reference.contains("compile::unknown-detector"),
        "{reference}"
    );
    for _ in 0..20 {
        assert_eq!(output(&compile("p.scrim", text, &ExampleFiles)), reference);
    }
}

// ---- generated policies -------------------------------------------------

/// A small generator of policies that compile: rule and detector names are
/// made unique by numbering, and nothing is included.
fn statement(id: String, depth: usize) -> BoxedStrategy<String> {
    let selector = select(
        &[
            ".customer-name",
            "h1, h2",
            "input[name='q']",
            "#chat > .msg",
            ".ad:not(.house-ad)",
            "ul li:nth-child(2n+1)",
        ][..],
    );
    let channels = select(
        &[
            "text",
            "value",
            "attributes",
            "attr:data-id",
            "media",
            "all",
            "text, value",
            "media, attr:href",
        ][..],
    );
    let pattern = select(
        &[
            "\"/checkout/*\"",
            "\"https://shop.example.com/*\"",
            "\"/orders/:id\"",
            "\"/*\", \"/a/{b}?\"",
        ][..],
    );
    let leaf = prop_oneof![
        (selector.clone(), any::<bool>(), Just(id.clone())).prop_map(|(s, named, id)| if named {
            format!("block \"{s}\" as rule-{id}")
        } else {
            format!("block \"{s}\"")
        }),
        (
            any::<bool>(),
            channels.clone(),
            selector.clone(),
            select(&["", " with stars", " with \"[x]\"", " with length 4"][..])
        )
            .prop_map(|(sealed, c, s, w)| {
                let sealed = if sealed { "sealed " } else { "" };
                format!("mask {sealed}{c} \"{s}\"{w}")
            }),
        (channels.clone(), selector.clone()).prop_map(|(c, s)| format!("allow {c} \"{s}\"")),
        selector.prop_map(|s| format!("ignore events \"{s}\"")),
        (channels, select(&["capture", "mask"][..])).prop_map(|(c, o)| format!("default {c} {o}")),
        select(&["capture", "ignore"][..]).prop_map(|o| format!("default events {o}")),
        select(&["email", "card, phone", "national-id"][..]).prop_map(|d| format!("detect {d}")),
        (
            select(&[r"/CUST-\d{8}/", r"/[A-Z]{2}-[0-9]+/"][..]),
            Just(id.clone())
        )
            .prop_map(|(r, id)| format!("detect custom-{id} {r}")),
        select(&["token", "email, session_id"][..]).prop_map(|q| format!("redact query {q}")),
        Just(r"redact path /^\d{6,}$/".to_string()),
    ];
    if depth == 0 {
        return leaf.boxed();
    }
    let body = prop::collection::vec(any::<Index>(), 1..4).prop_flat_map(move |picks| {
        picks
            .iter()
            .enumerate()
            .map(|(i, _)| statement(format!("{id}-{i}"), depth - 1))
            .collect::<Vec<_>>()
    });
    prop_oneof![
        4 => leaf,
        1 => (pattern, body.clone()).prop_map(|(p, body)| {
            format!("on page {p} {{\n{}\n}}", body.join("\n"))
        }),
        1 => (
            select(&["consent analytics", "not consent ads", "region EU, UK", "consent a and region US"][..]),
            body
        )
            .prop_map(|(c, body)| format!("when {c} {{\n{}\n}}", body.join("\n"))),
    ]
    .boxed()
}

fn valid_policy() -> impl Strategy<Value = String> {
    (
        prop::sample::subsequence(&["rrweb", "sentry", "datadog", "heap"][..], 0..3),
        select(
            &[
                "",
                "sensitive attributes defaults, data-email",
                "sensitive attributes all except class, id",
            ][..],
        ),
        select(&["", "require consent analytics", "record only \"/app/*\""][..]),
        (1usize..12).prop_flat_map(|count| {
            (0..count)
                .map(|i| statement(i.to_string(), 2))
                .collect::<Vec<_>>()
        }),
    )
        .prop_map(|(presets, sensitive, page, statements)| {
            let mut lines = vec!["scrim 1".to_string()];
            if !presets.is_empty() {
                lines.push(format!("preset {}", presets.join(", ")));
            }
            lines.extend([sensitive.to_string(), page.to_string()]);
            lines.extend(statements);
            lines.join("\n") + "\n"
        })
}

fn boundary(text: &str, index: &Index) -> usize {
    let mut at = index.index(text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// An example policy with a few random edits: deleted ranges, inserted
/// tokens, swapped lines.
fn mutated_example() -> impl Strategy<Value = (String, String)> {
    let edit = (
        any::<Index>(),
        any::<Index>(),
        0usize..8,
        select(
            &[
                "\"",
                "{",
                "}",
                "/",
                "#",
                "\\",
                ",",
                "\n",
                "é",
                "mask ",
                "allow ",
                "as rule-a ",
                "::before",
                ":hover",
                ">",
                "(",
                "*",
                "include \"shared/baseline.scrim\"\n",
                "include \"x.scrim\"\n",
                "preset rrweb\n",
                "detect email /x/\n",
                "on page \"/x\" {\n",
                "[",
                "sealed ",
                "with length 0 ",
                "\\p{L}",
                "(?=x)",
            ][..],
        ),
    );
    (select(EXAMPLES), prop::collection::vec(edit, 1..6)).prop_map(|((name, text), edits)| {
        let mut text = text.to_string();
        for (at, other, delete, insert) in edits {
            let start = boundary(&text, &at);
            let mut end = (start + delete).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            text.replace_range(start..end, insert);
            if delete == 7 {
                // Now and then, swap two lines as well.
                let mut lines: Vec<&str> = text.split('\n').collect();
                let (a, b) = (start % lines.len(), other.index(lines.len()));
                lines.swap(a, b);
                text = lines.join("\n");
            }
        }
        (name.to_string(), text)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn generated_policies_compile_identically_twice(text in valid_policy()) {
        let (compilation, first, second) = compile_twice("p.scrim", &text);
        prop_assert!(
            compilation.artifact.is_some(),
            "the generator made a policy that does not compile: {:?}\n{text}",
            compilation.diagnostics
        );
        prop_assert_eq!(first, second);
    }

    #[test]
    fn mutated_examples_never_panic_and_compile_identically_twice(
        (name, text) in mutated_example()
    ) {
        let (compilation, first, second) = compile_twice(&name, &text);
        prop_assert_eq!(compilation.has_errors(), compilation.artifact.is_none());
        for diagnostic in &compilation.diagnostics {
            let source = diagnostic.loc.source.text();
            let span = diagnostic.loc.span;
            prop_assert!(
                span.end <= source.len()
                    && source.is_char_boundary(span.start)
                    && source.is_char_boundary(span.end),
                "bad span {span:?}: {diagnostic:?}"
            );
        }
        prop_assert_eq!(first, second);
    }
}

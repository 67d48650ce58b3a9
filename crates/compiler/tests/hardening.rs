//! The compiler on hostile or mistaken input: deep nesting, a compiled
//! artifact passed as a policy, files full of errors, URL patterns that
//! trip up the `urlpattern` crate, and regular expressions that are too big
//! or too deep. Every case ends in diagnostics, never in a panic or a stack
//! overflow, and never in an artifact a runtime would refuse.

use proptest::prelude::*;
use scrim_compiler::{Compilation, Loader, NoFiles, compile};
use scrim_syntax::{Code, MAX_BLOCK_DEPTH, MAX_ERRORS_PER_FILE};

/// Rust's default stack for spawned threads, and what many embedders give.
const SMALL_STACK: usize = 2 * 1024 * 1024;

fn on_small_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(SMALL_STACK)
        .spawn(work)
        .expect("a thread starts")
        .join()
        .expect("the work does not panic or overflow")
}

fn codes(compilation: &Compilation) -> Vec<&'static str> {
    compilation
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect()
}

fn compile_text(text: &str) -> Compilation {
    compile("p.scrim", text, &NoFiles)
}

#[test]
fn deeply_nested_blocks_compile_to_one_error_on_a_small_stack() {
    for depth in [7_000, 100_000] {
        let codes = on_small_stack(move || {
            let mut text = String::from("scrim 1\n");
            for i in 0..depth {
                if i % 2 == 0 {
                    text.push_str("when consent analytics {\n");
                } else {
                    text.push_str("on page \"/a/*\" {\n");
                }
            }
            text.push_str("allow text \"h1\"\n");
            text.push_str(&"}\n".repeat(depth));
            let compilation = compile_text(&text);
            assert!(compilation.artifact.is_none());
            codes(&compilation)
        });
        assert_eq!(codes, ["syntax::nesting-too-deep"], "depth {depth}");
    }
}

#[test]
fn nesting_at_the_limit_compiles() {
    let mut text = String::from("scrim 1\n");
    text.push_str(&"when consent analytics {\n".repeat(MAX_BLOCK_DEPTH));
    text.push_str("allow text \"h1\"\n");
    text.push_str(&"}\n".repeat(MAX_BLOCK_DEPTH));
    let compilation = on_small_stack(move || compile_text(&text));
    assert!(
        compilation.diagnostics.is_empty(),
        "{:?}",
        compilation.diagnostics
    );
    let artifact = compilation.artifact.expect("an artifact");
    assert_eq!(artifact.scopes.len(), MAX_BLOCK_DEPTH + 1);
}

/// The examples' included file, by the path the compiler asks for.
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

#[test]
fn a_compiled_artifact_passed_as_a_policy_gets_one_error() {
    let shop = include_str!("../../../examples/shop.scrim");
    let artifact = compile("shop.scrim", shop, &ExampleFiles)
        .artifact
        .expect("the example compiles")
        .to_json();
    let compilation = compile("shop.json", &artifact, &ExampleFiles);
    assert_eq!(codes(&compilation), ["syntax::compiled-artifact"]);
    let diagnostic = &compilation.diagnostics[0];
    assert_eq!(
        diagnostic.message,
        "`shop.json` looks like a compiled artifact, not a policy"
    );
    assert!(
        diagnostic
            .help
            .as_deref()
            .unwrap()
            .contains("scrim mask --policy")
    );
}

#[test]
fn syntax_and_compile_errors_share_one_cap_per_file() {
    // Alternating grammar errors and invalid selectors, then a file of its
    // own with errors: each file is capped on its own.
    let errors = MAX_ERRORS_PER_FILE + 30;
    let mut text = String::from("scrim 1\ninclude \"more.scrim\"\n");
    for i in 0..errors {
        if i % 2 == 0 {
            text.push_str(&format!("msk text \".a{i}\"\n"));
        } else {
            text.push_str(&format!("mask text \".a{i} >\"\n"));
        }
    }
    struct More;
    impl Loader for More {
        fn load(&self, _: &str) -> Result<String, String> {
            Ok(format!(
                "scrim 1\n{}",
                "mask text \"::x\"\n".repeat(MAX_ERRORS_PER_FILE + 2)
            ))
        }
    }
    let compilation = compile("p.scrim", &text, &More);
    let per_file = |name: &str| -> Vec<&scrim_syntax::Diagnostic> {
        compilation
            .diagnostics
            .iter()
            .filter(|d| d.loc.source.name() == name)
            .collect()
    };
    let root = per_file("p.scrim");
    assert_eq!(root.len(), MAX_ERRORS_PER_FILE + 1);
    assert_eq!(root[MAX_ERRORS_PER_FILE].code, Code::SyntaxTooManyErrors);
    assert_eq!(
        root[MAX_ERRORS_PER_FILE].message,
        "30 more errors not shown"
    );
    let included = per_file("more.scrim");
    assert_eq!(included.len(), MAX_ERRORS_PER_FILE + 1);
    assert_eq!(
        included[MAX_ERRORS_PER_FILE].message,
        "2 more errors not shown"
    );
    // The errors shown are the first ones of each file.
    let root_lines: Vec<u32> = root.iter().map(|d| d.to_json().line).collect();
    assert!(root_lines.windows(2).all(|w| w[0] < w[1]), "{root_lines:?}");
    assert_eq!(root_lines[0], 3);
}

#[test]
fn a_url_pattern_with_a_stray_bracket_in_the_host_is_an_error_not_a_panic() {
    for pattern in [
        "https:]",
        "https://]",
        "://]",
        "https://a]b/*",
        "https://[a]]/*",
        "http://user@]/x",
        "https://{[}]",
        "https://[}]{",
        "https://\\]/",
    ] {
        let text = format!(
            "scrim 1\nnever record \"{}\"\n",
            pattern.replace('\\', "\\\\")
        );
        let compilation = compile_text(&text);
        assert_eq!(
            codes(&compilation),
            ["compile::invalid-url-pattern"],
            "{pattern}"
        );
        let diagnostic = &compilation.diagnostics[0];
        assert!(diagnostic.message.contains('`'), "{}", diagnostic.message);
    }
}

#[test]
fn ipv6_hosts_with_brackets_still_compile() {
    for pattern in [
        "http://[\\\\:\\\\:1]/*",
        "http://[\\\\:\\\\:1]:8080/*",
        "https://shop.example.com/search?ids[]=*",
        "https://shop.example.com/*#[top]",
    ] {
        let text = format!("scrim 1\nnever record \"{pattern}\"\n");
        let compilation = compile_text(&text);
        assert!(
            compilation.diagnostics.is_empty(),
            "{pattern}: {:?}",
            compilation.diagnostics
        );
    }
}

/// Characters that mean something to URL patterns, the URL parser or the
/// policy's string syntax, plus plain and non-ASCII text.
const PATTERN_PIECES: &[&str] = &[
    "[", "]", ":", "(", ")", "*", "{", "}", "\\\\", "?", "+", "#", "@", "/", "//", ".", "%", "a",
    "x", "1", "https", "http", "://", ":name", "é", "ü", "€", "𝕏", "-", "_", "$", " ", "(?:",
    "[0-9]", "\\\\:", "\\\\]", "\\\\[", "\\\"",
];

/// Beginnings that put the URL-pattern parser in each of its states (host,
/// user, port, path) before the random part.
const PATTERN_STARTS: &[&str] = &[
    "",
    "https://",
    "http://",
    "https:",
    "://",
    "a:",
    "x://",
    "https://u@",
    "https://u:p@",
    "https://[",
    "https://{",
    "https://a:",
    "/",
];

fn pattern_text() -> impl Strategy<Value = String> {
    (
        prop::sample::select(PATTERN_STARTS),
        prop::collection::vec(prop::sample::select(PATTERN_PIECES), 1..12),
    )
        .prop_map(|(start, pieces)| format!("{start}{}", pieces.concat()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    /// `urlpattern` 0.6 panics on some inputs in builds with overflow checks
    /// (tests are such builds): no pattern may reach that code.
    #[test]
    fn random_url_patterns_never_panic(pattern in pattern_text()) {
        let text = format!("scrim 1\nnever record \"{pattern}\"\non page \"{pattern}\" {{\n  allow text \"h1\"\n}}\n");
        let compilation = compile_text(&text);
        prop_assert!(
            compilation.diagnostics.iter().all(|d| d.code != Code::CompileUrlPatternUnchecked),
            "{pattern}: {:?}",
            compilation.diagnostics
        );
        prop_assert_eq!(compilation.has_errors(), compilation.artifact.is_none());
    }
}

#[test]
fn a_detector_with_a_huge_repetition_is_refused_at_its_pattern() {
    let text = "scrim 1\ndetect big /a{0,65535}b/\n";
    let compilation = compile_text(text);
    assert_eq!(codes(&compilation), ["compile::regex-too-large"]);
    let diagnostic = &compilation.diagnostics[0];
    assert_eq!(diagnostic.loc.snippet(), "/a{0,65535}b/");
    assert!(
        diagnostic.help.as_deref().unwrap().contains("repetition"),
        "{:?}",
        diagnostic.help
    );
    // The same for `redact path` and the groups of URL patterns.
    for text in [
        "scrim 1\nredact path /x{0,65535}/\n",
        "scrim 1\nnever record \"/a/(x{0,65535})\"\n",
    ] {
        let compilation = compile_text(text);
        assert_eq!(
            codes(&compilation),
            [if text.contains("redact") {
                "compile::regex-too-large"
            } else {
                "compile::invalid-url-pattern"
            }],
            "{text}"
        );
    }
}

#[test]
fn regexes_of_ordinary_size_still_compile() {
    let text = "scrim 1\n\
                detect customer-id /CUST-[0-9]{8}/\n\
                detect long-email /[a-z0-9._%+-]{1,64}@[a-z0-9.-]{1,255}/\n\
                detect iban /[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){3,7}/\n\
                redact path /^[0-9]{6,}$/\n\
                never record \"/orders/:id([0-9]{1,20})\"\n";
    let compilation = compile_text(text);
    assert!(
        compilation.diagnostics.is_empty(),
        "{:?}",
        compilation.diagnostics
    );
}

#[test]
fn deeply_nested_regexes_are_errors_on_a_small_stack() {
    for depth in [60, 7_000, 100_000] {
        let codes = on_small_stack(move || {
            let group = format!("{}a{}", "(".repeat(depth), ")".repeat(depth));
            let url_group = format!("{}a{}", "(?:".repeat(depth), ")".repeat(depth));
            let text = format!(
                "scrim 1\ndetect deep /{group}/\nredact path /{group}/\nnever record \"/x/({url_group})\"\n"
            );
            codes(&compile_text(&text))
        });
        // `regex-syntax` refuses nesting past 250 levels with an exact
        // position; the runtime's `regex-lite` past 50.
        let regex = if depth > 250 {
            "compile::invalid-regex"
        } else {
            "compile::unsupported-regex"
        };
        assert_eq!(
            codes,
            [regex, regex, "compile::invalid-url-pattern"],
            "depth {depth}"
        );
    }
}

#[test]
fn stacked_repetitions_compile_or_are_errors_on_a_small_stack() {
    for depth in [60, 7_000, 100_000] {
        let codes = on_small_stack(move || {
            let pattern = format!("a{}", "{1}".repeat(depth));
            codes(&compile_text(&format!(
                "scrim 1\ndetect stacked /{pattern}/\n"
            )))
        });
        // A few stacked repetitions are harmless; past `regex-syntax`'s
        // nesting limit they are an error at the repetition.
        let expected: &[&str] = if depth > 250 {
            &["compile::invalid-regex"]
        } else {
            &[]
        };
        assert_eq!(codes, expected, "depth {depth}");
    }
}

#[test]
fn deeply_nested_selectors_are_errors_on_a_small_stack() {
    for depth in [7_000, 100_000] {
        let codes = on_small_stack(move || {
            let selector = format!("{}a{}", ":is(".repeat(depth), ")".repeat(depth));
            codes(&compile_text(&format!(
                "scrim 1\nmask text \"{selector}\"\n"
            )))
        });
        assert_eq!(codes, ["compile::invalid-selector"], "depth {depth}");
    }
}

/// Pieces of regular expressions, with counted repetitions of every size
/// around the limit.
fn regex_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        prop::sample::select(
            &[
                "a",
                "[0-9]",
                "[a-z0-9._-]",
                ".",
                "(?:ab|c)",
                "\\d",
                "x?",
                "-"
            ][..]
        )
        .prop_map(str::to_string),
        (0u32..3000).prop_map(|n| format!("{{0,{n}}}")),
        (0u32..400, 0u32..400).prop_map(|(a, b)| format!("{{{},{}}}", a.min(b), a.max(b))),
    ];
    prop::collection::vec(piece, 1..6).prop_map(|pieces| format!("a{}", pieces.concat()))
}

/// What a runtime would refuse in an artifact: a regular expression of it
/// that `regex-lite` does not compile in the runtime's form and size limit.
fn runtime_refuses(artifact: &scrim_artifact::Artifact) -> Option<String> {
    use scrim_artifact::{DetectorKind, PageRuleKind, RedactionKind};
    let compiles = |pattern: &str| {
        regex_lite::RegexBuilder::new(pattern)
            .size_limit(scrim_artifact::REGEX_SIZE_LIMIT)
            .build()
            .is_ok()
    };
    let whole = |pattern: &str| compiles(&scrim_artifact::whole_match_regex(pattern));
    for detector in &artifact.detectors {
        if let DetectorKind::Pattern { pattern } = &detector.kind
            && !compiles(pattern)
        {
            return Some(pattern.clone());
        }
    }
    for redaction in &artifact.redactions {
        if let RedactionKind::PathSegment { pattern } = &redaction.kind
            && !whole(pattern)
        {
            return Some(pattern.clone());
        }
    }
    for rule in &artifact.page_rules {
        if let PageRuleKind::NeverRecord { patterns } | PageRuleKind::RecordOnly { patterns } =
            &rule.kind
        {
            for p in patterns {
                for part in [
                    &p.protocol,
                    &p.username,
                    &p.password,
                    &p.hostname,
                    &p.port,
                    &p.pathname,
                    &p.search,
                    &p.hash,
                ] {
                    if !whole(part) {
                        return Some(part.clone());
                    }
                }
            }
        }
    }
    None
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Whatever regular expression the compiler accepts, every runtime
    /// loads: the compiler checks the form and size limit runtimes use.
    #[test]
    fn accepted_regexes_load_in_the_runtime(regex in regex_text()) {
        let text = format!(
            "scrim 1\ndetect custom /{regex}/\nredact path /{regex}/\nnever record \"/x/({regex})\"\n"
        );
        let compilation = compile_text(&text);
        if let Some(artifact) = &compilation.artifact {
            prop_assert_eq!(runtime_refuses(artifact), None);
        } else {
            prop_assert!(
                compilation.diagnostics.iter().all(|d| matches!(
                    d.code,
                    Code::CompileRegexTooLarge | Code::CompileInvalidUrlPattern
                )),
                "{:?}",
                compilation.diagnostics
            );
        }
    }
}

#[test]
fn long_include_chains_are_refused_on_a_small_stack() {
    /// `f0.scrim` includes `f1.scrim`, which includes `f2.scrim`, and so on.
    struct Chain;
    impl Loader for Chain {
        fn load(&self, path: &str) -> Result<String, String> {
            let n: usize = path
                .trim_start_matches('f')
                .trim_end_matches(".scrim")
                .parse()
                .map_err(|_| "no such file".to_string())?;
            Ok(format!("scrim 1\ninclude \"f{}.scrim\"\n", n + 1))
        }
    }
    let (files, codes) = on_small_stack(|| {
        let compilation = compile("f0.scrim", "scrim 1\ninclude \"f1.scrim\"\n", &Chain);
        (compilation.sources.len(), codes(&compilation))
    });
    assert_eq!(codes, ["compile::include-too-deep"]);
    assert_eq!(files, scrim_compiler::MAX_INCLUDE_DEPTH + 1);
}

#[test]
fn a_regex_error_at_a_multibyte_character_covers_the_whole_character() {
    // The parser reports an empty span at `é`; widened by one byte, it
    // ended inside the character.
    let text = "scrim 1\nredact path /^\\d{é8}$/\n";
    let compilation = compile_text(text);
    let diagnostic = &compilation.diagnostics[0];
    assert_eq!(diagnostic.code, Code::CompileInvalidRegex);
    assert_eq!(
        &text[diagnostic.loc.span.start..diagnostic.loc.span.end],
        "é"
    );
}

//! The parser's limits on hostile or mistaken input: blocks nested deeper
//! than [`MAX_BLOCK_DEPTH`], a compiled artifact passed as a policy, and
//! files with more errors than anyone reads. Each must end in a short, clear
//! report, never in a stack overflow or thousands of lines.

use scrim_syntax::{
    Code, Diagnostic, FormatError, MAX_BLOCK_DEPTH, MAX_ERRORS_PER_FILE, SourceFile,
    format_checked, parse,
};

/// The stack a thread gets in many embedders (and Rust's default for
/// spawned threads): deep input must not need more.
const SMALL_STACK: usize = 2 * 1024 * 1024;

fn on_small_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(SMALL_STACK)
        .spawn(work)
        .expect("a thread starts")
        .join()
        .expect("the work does not panic or overflow")
}

/// `depth` nested `when` blocks around one rule, closed or not.
fn nested(depth: usize, closed: bool) -> String {
    let mut text = String::from("scrim 1\n");
    for _ in 0..depth {
        text.push_str("when consent analytics {\n");
    }
    text.push_str("allow text \"h1\"\n");
    if closed {
        for _ in 0..depth {
            text.push_str("}\n");
        }
    }
    text
}

fn codes(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
    diagnostics.iter().map(|d| d.code.as_str()).collect()
}

#[test]
fn blocks_nested_past_the_limit_get_one_error_on_a_small_stack() {
    for depth in [7_000, 100_000] {
        let (codes, line, message, help) = on_small_stack(move || {
            let parsed = parse(&SourceFile::new("deep.scrim", nested(depth, true)));
            let [diagnostic] = parsed.diagnostics.as_slice() else {
                panic!("one diagnostic expected: {:?}", parsed.diagnostics);
            };
            let json = diagnostic.to_json();
            (
                codes(&parsed.diagnostics),
                json.line,
                json.message,
                json.help,
            )
        });
        assert_eq!(codes, ["syntax::nesting-too-deep"], "depth {depth}");
        // Line 1 is the version; the first block too deep opens on the
        // line after the deepest one allowed.
        assert_eq!(line as usize, MAX_BLOCK_DEPTH + 2, "depth {depth}");
        assert_eq!(
            message,
            format!("blocks are nested more than {MAX_BLOCK_DEPTH} levels deep")
        );
        assert!(help.is_some_and(|h| h.contains("and")), "depth {depth}");
    }
}

#[test]
fn formatting_deeply_nested_blocks_reports_a_syntax_error_on_a_small_stack() {
    for depth in [7_000, 100_000] {
        let result = on_small_stack(move || format_checked("deep.scrim", &nested(depth, true)));
        assert_eq!(result, Err(FormatError::Syntax), "depth {depth}");
    }
}

#[test]
fn unclosed_deep_blocks_do_not_overflow_either() {
    let diagnostics = on_small_stack(|| {
        let parsed = parse(&SourceFile::new("deep.scrim", nested(100_000, false)));
        codes(&parsed.diagnostics)
    });
    assert!(diagnostics.contains(&"syntax::nesting-too-deep"));
    assert!(diagnostics.contains(&"syntax::unclosed-block"));
    assert!(
        diagnostics.len() <= MAX_ERRORS_PER_FILE + 1,
        "{diagnostics:?}"
    );
}

#[test]
fn nesting_up_to_the_limit_parses_formats_and_serialises_on_a_small_stack() {
    on_small_stack(|| {
        let text = nested(MAX_BLOCK_DEPTH, true);
        let parsed = parse(&SourceFile::new("p.scrim", text.as_str()));
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        let deepest = parsed.policy.walk().into_iter().map(|(d, _)| d).max();
        assert_eq!(deepest, Some(MAX_BLOCK_DEPTH));
        let json = serde_json::to_string(&parsed.policy).expect("the tree serialises");
        assert!(json.contains("\"h1\""));
        assert_eq!(parsed.policy.clone(), parsed.policy);
        drop(parsed);
        let formatted = format_checked("p.scrim", &text).expect("formats");
        assert_eq!(format_checked("p.scrim", &formatted), Ok(formatted));
    });

    let parsed = parse(&SourceFile::new(
        "p.scrim",
        nested(MAX_BLOCK_DEPTH + 1, true),
    ));
    assert_eq!(codes(&parsed.diagnostics), ["syntax::nesting-too-deep"]);
}

#[test]
fn nesting_counts_on_page_and_when_blocks_alike() {
    let mut text = String::from("scrim 1\n");
    for level in 0..=MAX_BLOCK_DEPTH {
        if level % 2 == 0 {
            text.push_str("on page \"/a/*\" {\n");
        } else {
            text.push_str("when region eu {\n");
        }
    }
    text.push_str("mask text \".x\"\n");
    for _ in 0..=MAX_BLOCK_DEPTH {
        text.push_str("}\n");
    }
    text.push_str("allow text \"h1\"\n");
    let parsed = parse(&SourceFile::new("p.scrim", text));
    assert_eq!(codes(&parsed.diagnostics), ["syntax::nesting-too-deep"]);
    // Parsing goes on after the block that is too deep.
    let last = parsed.policy.items.last().expect("items");
    assert!(matches!(last.kind, scrim_syntax::ast::ItemKind::Rule(_)));
}

/// An artifact as `scrim compile` writes it (pretty JSON, `format` first).
const ARTIFACT: &str = r#"{
  "format": "scrim-policy",
  "version": 1,
  "language": 1,
  "sources": [
    {
      "name": "shop.scrim"
    }
  ],
  "sensitive_attributes": {
    "only": {
      "names": [],
      "builtin": true
    }
  },
  "scopes": [],
  "page_rules": [],
  "rules": [],
  "defaults": [],
  "detectors": [],
  "redactions": []
}
"#;

#[test]
fn a_compiled_artifact_gets_one_error_that_says_so() {
    let parsed = parse(&SourceFile::new("shop.json", ARTIFACT));
    let [diagnostic] = parsed.diagnostics.as_slice() else {
        panic!("one diagnostic expected: {:?}", parsed.diagnostics);
    };
    assert_eq!(diagnostic.code, Code::SyntaxCompiledArtifact);
    assert_eq!(
        diagnostic.message,
        "`shop.json` looks like a compiled artifact, not a policy"
    );
    assert_eq!(
        diagnostic.help.as_deref(),
        Some("pass it to `scrim mask --policy` or check the `.scrim` file it was compiled from")
    );
    assert_eq!(diagnostic.loc.snippet(), "\"scrim-policy\"");
    assert!(parsed.policy.items.is_empty());

    // Other JSON, and policies that merely mention the format, are parsed.
    for text in [
        "{\"format\": \"something-else\"}\n",
        "scrim 1\nmask text \"[data-format='scrim-policy']\"\n",
    ] {
        let parsed = parse(&SourceFile::new("p.scrim", text));
        assert!(
            !codes(&parsed.diagnostics).contains(&"syntax::compiled-artifact"),
            "{text}"
        );
    }
}

#[test]
fn errors_past_the_cap_are_summed_up_in_one_diagnostic() {
    let hidden = 150;
    let mut text = String::from("scrim 1\n");
    for i in 0..MAX_ERRORS_PER_FILE + hidden {
        text.push_str(&format!("msk text \".a{i}\"\n"));
    }
    let parsed = parse(&SourceFile::new("p.scrim", text));
    assert_eq!(parsed.diagnostics.len(), MAX_ERRORS_PER_FILE + 1);
    let (shown, summary) = parsed.diagnostics.split_at(MAX_ERRORS_PER_FILE);
    assert!(shown.iter().all(|d| d.code == Code::SyntaxUnknownStatement));
    let summary = &summary[0];
    assert_eq!(summary.code, Code::SyntaxTooManyErrors);
    assert!(summary.is_error());
    assert_eq!(summary.message, format!("{hidden} more errors not shown"));
    // It points at the first error it hides: line 2 holds the first error.
    assert_eq!(
        summary.to_json().line as usize,
        MAX_ERRORS_PER_FILE + 2,
        "{summary:?}"
    );
    assert!(summary.help.is_some());

    // At the cap exactly, nothing is summed up.
    let mut text = String::from("scrim 1\n");
    for i in 0..MAX_ERRORS_PER_FILE {
        text.push_str(&format!("msk text \".a{i}\"\n"));
    }
    let parsed = parse(&SourceFile::new("p.scrim", text));
    assert_eq!(parsed.diagnostics.len(), MAX_ERRORS_PER_FILE);
    assert!(parsed.has_errors());
}

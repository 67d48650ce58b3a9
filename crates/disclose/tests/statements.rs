//! No statement is left out of a notice. Two checks:
//!
//! - every kind of statement the grammar defines contributes a sentence:
//!   the kinds are read from the grammar's `statement` rule, each must have
//!   a sample below, and the match that names the kind of a parsed
//!   statement has no wildcard, so a new kind of statement (in the grammar
//!   or in the syntax tree) fails here until it is disclosed;
//! - every statement of every example policy and of every policy in the
//!   docs is cited by some sentence of its notice.

mod common;

use common::{compile_repo, compile_text, english, example_policies, root};
use scrim_disclose::{Disclosure, Source};
use scrim_syntax::ast::{ItemKind, Verb};
use scrim_syntax::{SourceFile, parse};
use std::collections::BTreeSet;
use std::sync::Arc;

/// Policies written for the samples to include.
const INCLUDED: &[(&str, &str)] = &[("base.scrim", "scrim 1\n\nblock \".chat\"\n")];

/// Statements of every kind, keyed by the grammar rule that parses them;
/// several forms of a kind where its forms say different things. Each is
/// the second line of a policy (after `scrim 1`) and the first statement
/// there; the lines after it, if any, are its block's body.
const SAMPLES: &[(&str, &str)] = &[
    ("version", "scrim 1"),
    ("include", "include \"base.scrim\""),
    ("lint_level", "lint unreachable-rule, duplicate-rule allow"),
    ("preset", "preset rrweb, sentry"),
    ("preset", "preset datadog"),
    ("sensitive", "sensitive attributes defaults, data-email"),
    ("sensitive", "sensitive attributes title, data-*"),
    ("sensitive", "sensitive attributes all except class, id"),
    ("sensitive", "sensitive attributes all"),
    (
        "require_consent",
        "require consent analytics, session-replay",
    ),
    ("record_only", "record only \"https://shop.example.com/*\""),
    ("never_record", "never record \"/admin/*\", \"*\""),
    ("redact_query", "redact query token, email"),
    ("redact_path", "redact path /^\\d{6,}$/"),
    ("detect", "detect email, card, phone, national-id"),
    ("detect_pattern", "detect customer-id /CUST-\\d{8}/"),
    (
        "default_outcome",
        "default text, value, attributes, media mask",
    ),
    (
        "default_outcome",
        "default text, value, attributes, media capture",
    ),
    ("default_outcome", "default events ignore"),
    ("default_outcome", "default events capture"),
    (
        "default_outcome",
        "default attr:data-id, attr:aria-* capture",
    ),
    ("default_outcome", "default attr:data-id, attr:aria-* mask"),
    ("default_outcome", "default all mask"),
    ("block_rule", "block \"#chat\""),
    ("block_rule", "block \"#chat\" as support-chat"),
    ("mask_rule", "mask text \".name\""),
    ("mask_rule", "mask sealed all \".card\" as card"),
    ("mask_rule", "mask value \"#iban\" with \"[IBAN]\""),
    ("mask_rule", "mask value \".pin\" with length 4"),
    ("mask_rule", "mask text \".price\" with stars"),
    (
        "mask_rule",
        "mask attr:data-user-id, attr:data-*, attributes \".profile\"",
    ),
    ("allow_rule", "allow text, value, media \".public\""),
    ("allow_rule", "allow events \".map\""),
    ("allow_rule", "allow attributes \".help\" as help"),
    ("ignore_rule", "ignore events \".signature\""),
    (
        "on_page",
        "on page \"/checkout/*\" {\n  mask text \".x\"\n}",
    ),
    (
        "when_block",
        "when consent marketing {\n  allow media \"img\"\n}",
    ),
    (
        "when_block",
        "when not consent analytics and region EU, UK {\n  never record \"*\"\n}",
    ),
];

/// The grammar rule that parses a statement of this kind. No wildcard: a
/// kind (or verb) added to the syntax tree does not compile here until it
/// is named, and then needs a sample above.
fn grammar_rule(kind: &ItemKind) -> &'static str {
    match kind {
        ItemKind::Version { .. } => "version",
        ItemKind::Include { .. } => "include",
        ItemKind::Lint { .. } => "lint_level",
        ItemKind::Preset { .. } => "preset",
        ItemKind::Sensitive(_) => "sensitive",
        ItemKind::RequireConsent { .. } => "require_consent",
        ItemKind::RecordOnly { .. } => "record_only",
        ItemKind::NeverRecord { .. } => "never_record",
        ItemKind::RedactQuery { .. } => "redact_query",
        ItemKind::RedactPath { .. } => "redact_path",
        ItemKind::Detect { .. } => "detect",
        ItemKind::DetectPattern { .. } => "detect_pattern",
        ItemKind::Default { .. } => "default_outcome",
        ItemKind::Rule(rule) => match rule.verb {
            Verb::Block => "block_rule",
            Verb::Mask => "mask_rule",
            Verb::Allow => "allow_rule",
            Verb::Ignore => "ignore_rule",
        },
        ItemKind::OnPage { .. } => "on_page",
        ItemKind::When { .. } => "when_block",
        // A statement that does not parse is not a kind of statement: a
        // policy that holds one does not compile, so it has no notice.
        ItemKind::Error { text } => panic!("the sample `{text}` does not parse"),
    }
}

/// The alternatives of the grammar's `statement` rule.
fn grammar_statements() -> BTreeSet<String> {
    let grammar = std::fs::read_to_string(root().join("grammar/scrim.pest")).unwrap();
    let start = grammar.find("statement = {").expect("the statement rule");
    let body = &grammar[start..];
    let open = body.find('(').expect("its alternatives");
    let close = body.find(") ~ EOI").expect("their end");
    let names: BTreeSet<String> = body[open + 1..close]
        .split('|')
        .map(|name| name.trim().to_string())
        .collect();
    assert!(names.len() >= 18, "{names:?}");
    names
}

/// Whether a sentence or item of the notice cites line `line` of `file`.
fn cites(disclosure: &Disclosure, file: &str, line: u32) -> bool {
    disclosure.sources().any(|source| match source {
        Source::Policy(at) => at.file == file && at.line == line,
        Source::BuiltIn | Source::BuiltInDefault => false,
    })
}

#[test]
fn every_statement_kind_of_the_grammar_has_a_sample() {
    let sampled: BTreeSet<String> = SAMPLES.iter().map(|(k, _)| k.to_string()).collect();
    assert_eq!(
        sampled,
        grammar_statements(),
        "every alternative of the grammar's `statement` rule needs a sample in SAMPLES, and nothing else"
    );
}

#[test]
fn every_statement_kind_contributes_a_sentence() {
    for (rule, sample) in SAMPLES {
        let text = if *rule == "version" {
            format!("{sample}\n")
        } else {
            format!("scrim 1\n{sample}\n")
        };
        let line = if *rule == "version" { 1 } else { 2 };
        // The sample is what it says it is.
        let source = SourceFile::new("sample.scrim", text.clone());
        let parsed = parse(&source);
        let statement = parsed
            .policy
            .items
            .iter()
            .find(|item| source.line_column(item.span.start).0 == line)
            .unwrap_or_else(|| panic!("no statement on line {line} of `{text}`"));
        assert_eq!(grammar_rule(&statement.kind), *rule, "{sample}");

        let disclosure = english(&compile_text("sample.scrim", &text, INCLUDED));
        assert!(
            cites(&disclosure, "sample.scrim", line),
            "no sentence cites `{sample}`:\n{disclosure:#?}"
        );
        if *rule == "include" {
            assert!(
                cites(&disclosure, "base.scrim", 3),
                "the included file's statements are disclosed too"
            );
        }
        if let Some(body) = statement.kind.block() {
            for inner in &body.items {
                let inner_line = source.line_column(inner.span.start).0;
                assert!(
                    cites(&disclosure, "sample.scrim", inner_line),
                    "the statement inside `{sample}` is disclosed"
                );
            }
        }
    }
}

/// Every statement of a compiled policy's own files (not presets), with
/// the file it is in and its line.
fn statements(sources: &[Arc<SourceFile>]) -> Vec<(String, u32, String)> {
    let mut found = Vec::new();
    for source in sources {
        if source.name().starts_with("preset:") {
            continue;
        }
        let parsed = parse(source);
        for (_, item) in parsed.policy.walk() {
            // A block with nothing in it says nothing.
            if item.kind.block().is_some_and(|b| b.items.is_empty()) {
                continue;
            }
            let (line, _) = source.line_column(item.span.start);
            let text = source.text()[item.span.start..item.span.end]
                .lines()
                .next()
                .unwrap_or("")
                .to_string();
            found.push((source.name().to_string(), line, text));
        }
    }
    found
}

/// The ```scrim blocks of the docs, each a complete policy.
fn docs_policies() -> Vec<(String, String)> {
    let mut policies = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    for file in files {
        let markdown = std::fs::read_to_string(&file).unwrap();
        let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
        let mut open: Option<Vec<&str>> = None;
        let mut skipping = false;
        for line in markdown.lines() {
            let fence = line.trim_start();
            match &mut open {
                Some(lines) if fence.starts_with("```") => {
                    let text = lines.join("\n") + "\n";
                    let name = format!("docs/{stem}-{}.scrim", policies.len());
                    policies.push((name, text));
                    open = None;
                }
                Some(lines) => lines.push(line),
                None if skipping => skipping = !fence.starts_with("```"),
                None if fence.starts_with("```") => {
                    if fence.trim_start_matches('`').trim() == "scrim" {
                        open = Some(Vec::new());
                    } else {
                        skipping = true;
                    }
                }
                None => {}
            }
        }
    }
    assert!(
        policies.len() > 15,
        "the docs' policies were not found: {}",
        policies.len()
    );
    policies
}

#[test]
fn every_statement_of_every_example_and_docs_policy_is_cited() {
    let mut compilations: Vec<_> = example_policies()
        .iter()
        .map(|path| compile_repo(path))
        .collect();
    for (name, text) in docs_policies() {
        let compilation = scrim_compiler::compile(&name, &text, &common::RepoLoader);
        assert!(!compilation.has_errors(), "{name}");
        compilations.push(compilation);
    }
    for compilation in compilations {
        let disclosure = english(&compilation);
        for (file, line, text) in statements(&compilation.sources) {
            assert!(
                cites(&disclosure, &file, line),
                "`{text}` ({file}:{line}) is not cited by any sentence"
            );
        }
    }
}

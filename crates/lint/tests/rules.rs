//! Every rule against its own documentation: each bad example reports
//! exactly the findings its caret lines mark (rule and span), each good
//! example reports nothing. The examples are read from the rules' `//!`
//! docs, the same text `--explain` prints and `docs/lints.md` holds, so
//! the docs cannot drift from what the rules do. Rules that read pages are
//! run through `scrim lint --pages` by the command's tests
//! (`tests/lint.rs`).

use scrim_compiler::{NoFiles, compile};
use scrim_lint::{ExpectedFinding, RULES};
use scrim_syntax::Diagnostic;

fn found(diagnostics: &[Diagnostic]) -> Vec<ExpectedFinding> {
    let mut out: Vec<ExpectedFinding> = diagnostics
        .iter()
        .map(|d| ExpectedFinding {
            rule: d
                .code
                .lint_rule()
                .map_or_else(|| d.code.as_str().to_string(), str::to_string),
            start: d.loc.span.start,
            end: d.loc.span.end,
        })
        .collect();
    out.sort();
    out
}

fn show(policy: &str, findings: &[ExpectedFinding]) -> String {
    findings
        .iter()
        .map(|f| {
            format!(
                "{} at {}..{} `{}`",
                f.rule,
                f.start,
                f.end,
                &policy[f.start..f.end]
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_rule_reports_its_bad_examples_where_they_say_and_not_its_good_ones() {
    let mut failures = Vec::new();
    for rule in RULES.iter().filter(|r| !r.needs_corpus()) {
        for (n, example) in rule.examples().iter().enumerate() {
            let compilation = compile("example.scrim", &example.policy, &NoFiles);
            let mut expected = example.expected();
            let actual = if rule.is_fixed() {
                // Reported by the compiler, under its own code.
                for e in &mut expected {
                    if e.rule == rule.id {
                        e.rule = rule.code.as_str().to_string();
                    }
                }
                found(&compilation.diagnostics)
            } else {
                if compilation.has_errors() {
                    failures.push(format!(
                        "{} example {n} does not compile: {:?}",
                        rule.id, compilation.diagnostics
                    ));
                    continue;
                }
                found(&scrim_lint::lint(&compilation))
            };
            if actual != expected {
                failures.push(format!(
                    "{} example {n} ({}):\n{}\nexpected:\n{}\nfound:\n{}",
                    rule.id,
                    if example.bad { "bad" } else { "good" },
                    example.policy,
                    show(&example.policy, &expected),
                    show(&example.policy, &actual),
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_rule_is_documented_with_a_bad_and_a_good_example() {
    for rule in RULES {
        let doc = rule.documentation();
        assert!(!rule.summary().is_empty(), "{}: no summary", rule.id);
        assert!(
            doc.contains("## What it catches") && doc.contains("## Why it matters"),
            "{}: the doc says what it catches and why it matters",
            rule.id
        );
        let examples = rule.examples();
        assert!(
            examples.iter().any(|e| e.bad),
            "{}: no bad example",
            rule.id
        );
        assert!(
            examples.iter().any(|e| !e.bad),
            "{}: no good example",
            rule.id
        );
        if rule.needs_corpus() {
            assert!(
                examples.iter().all(|e| e.page.is_some()),
                "{}: every example needs its page",
                rule.id
            );
        } else {
            for example in examples.iter().filter(|e| e.bad) {
                assert!(
                    example.expected().iter().any(|f| f.rule == rule.id),
                    "{}: a bad example marks no finding of the rule",
                    rule.id
                );
            }
        }
    }
}

#[test]
fn ids_codes_and_levels_hold_together() {
    let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
    ids.sort_unstable();
    let count = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), count, "two rules share an id");
    for rule in RULES {
        assert!(
            rule.id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
            "{} is not kebab-case",
            rule.id
        );
        if rule.is_fixed() {
            assert!(
                scrim_compiler::FIXED_LINTS.contains(&(rule.id, rule.code)),
                "{}: the compiler must know it is fixed",
                rule.id
            );
            assert_eq!(rule.default_level, scrim_syntax::ast::LintLevel::Deny);
        } else {
            assert_eq!(rule.code.lint_rule(), Some(rule.id), "{}", rule.id);
        }
        assert_eq!(scrim_lint::rule(rule.id).map(|r| r.id), Some(rule.id));
    }
    // Every `lint::` code is a rule, and the compiler accepts exactly the
    // rules' ids in `lint` statements.
    let mut accepted = scrim_compiler::lint_rule_ids();
    accepted.sort_unstable();
    assert_eq!(accepted, ids);
}

//! The fixes findings carry (what an editor offers as code actions and
//! `--format json` lists): applied to the policy, each one leaves a policy
//! that compiles and no longer has the finding, and the removals change
//! exactly the text they say.

use scrim_compiler::{NoFiles, compile};
use scrim_lint::RULES;
use scrim_syntax::Diagnostic;

fn lint(text: &str) -> Vec<Diagnostic> {
    let compilation = compile("policy.scrim", text, &NoFiles);
    assert!(
        !compilation.has_errors(),
        "{text}\n{:?}",
        compilation.diagnostics
    );
    scrim_lint::lint(&compilation)
}

/// Every fix of every finding of `text`, applied alone: the new text.
fn fixed(text: &str) -> Vec<(String, String, String)> {
    lint(text)
        .iter()
        .flat_map(|d| {
            d.fixes.iter().map(move |fix| {
                let after = fix.apply(text).expect("a fix applies to its own text");
                (d.code.as_str().to_string(), fix.title.clone(), after)
            })
        })
        .collect()
}

#[test]
fn fixes_of_documented_findings_compile_and_resolve_them() {
    // Rules whose first bad example has a mechanical fix.
    let fixable = [
        "duplicate-rule",
        "contradictory-rules",
        "unreachable-rule",
        "attributes-captured-text-masked",
        "values-captured-by-default",
        "unused-suppression",
    ];
    let mut with_fixes = Vec::new();
    for rule in RULES.iter().filter(|r| !r.needs_corpus() && !r.is_fixed()) {
        for example in rule.examples().iter().filter(|e| e.bad) {
            let before = lint(&example.policy);
            let count = |diagnostics: &[Diagnostic]| {
                diagnostics
                    .iter()
                    .filter(|d| d.code.lint_rule() == Some(rule.id))
                    .count()
            };
            for (code, title, after) in fixed(&example.policy) {
                if code != rule.code.as_str() {
                    continue;
                }
                with_fixes.push(rule.id);
                let compilation = compile("policy.scrim", &after, &NoFiles);
                assert!(
                    !compilation.has_errors(),
                    "{}: `{title}` leaves a policy with errors:\n{after}",
                    rule.id
                );
                assert!(
                    count(&scrim_lint::lint(&compilation)) < count(&before),
                    "{}: `{title}` does not resolve the finding:\n{after}",
                    rule.id
                );
            }
        }
    }
    for id in fixable {
        assert!(with_fixes.contains(&id), "{id}: no fix on its bad examples");
    }
}

#[test]
fn a_repeated_rule_or_selector_is_removed_with_its_line_or_comma() {
    let text = "scrim 1\n\ndefault text capture\n\nmask text \".name, .address\"\nmask text \".address\"  # again\nmask text \".phone, .address, .email\"\n";
    let fixes = fixed(text);
    let titles: Vec<&str> = fixes.iter().map(|(_, title, _)| title.as_str()).collect();
    assert_eq!(
        titles,
        ["remove this rule", "remove `.address` from this rule"]
    );
    assert_eq!(
        fixes[0].2,
        "scrim 1\n\ndefault text capture\n\nmask text \".name, .address\"\nmask text \".phone, .address, .email\"\n"
    );
    assert_eq!(
        fixes[1].2,
        "scrim 1\n\ndefault text capture\n\nmask text \".name, .address\"\nmask text \".address\"  # again\nmask text \".phone, .email\"\n"
    );

    // The last selector of a list goes with the comma before it.
    let text = "scrim 1\n\nblock \".ad\"\nallow text \"h1, .ad .title\"\n";
    let fixes = fixed(text);
    assert_eq!(fixes.len(), 1);
    assert_eq!(fixes[0].2, "scrim 1\n\nblock \".ad\"\nallow text \"h1\"\n");
}

#[test]
fn stale_suppressions_are_removed_and_misspelt_ones_corrected() {
    let text = "scrim 1\n\n# scrim: allow unreachable-rule\nallow text \"h1\"\nallow text \"h2\"  # scrim: allow duplicate-rule, unreachable-rul\n";
    let fixes = fixed(text);
    let shown: Vec<(&str, &str)> = fixes
        .iter()
        .map(|(_, title, after)| (title.as_str(), after.as_str()))
        .collect();
    assert_eq!(
        shown,
        [
            (
                "remove the suppression of `unreachable-rule`",
                "scrim 1\n\nallow text \"h1\"\nallow text \"h2\"  # scrim: allow duplicate-rule, unreachable-rul\n"
            ),
            (
                "remove the suppression of `duplicate-rule`",
                "scrim 1\n\n# scrim: allow unreachable-rule\nallow text \"h1\"\nallow text \"h2\"  # scrim: allow unreachable-rul\n"
            ),
            (
                "replace with `unreachable-rule`",
                "scrim 1\n\n# scrim: allow unreachable-rule\nallow text \"h1\"\nallow text \"h2\"  # scrim: allow duplicate-rule, unreachable-rule\n"
            ),
            (
                "remove the suppression of `unreachable-rul`",
                "scrim 1\n\n# scrim: allow unreachable-rule\nallow text \"h1\"\nallow text \"h2\"  # scrim: allow duplicate-rule\n"
            ),
        ]
    );

    // A trailing comment that names one rule goes whole, with the spaces
    // before it.
    let text = "scrim 1\n\nallow text \"h1\"  # scrim: allow duplicate-rule\n";
    assert_eq!(fixed(text)[0].2, "scrim 1\n\nallow text \"h1\"\n");
}

#[test]
fn an_allow_whose_other_channels_still_decide_is_not_removed() {
    // The mask wins on `text`, but the allow still decides `value`.
    let text = "scrim 1\n\nmask text \".total\"\nallow text, value \".total\"\n";
    let found = lint(text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].code.lint_rule(), Some("contradictory-rules"));
    assert!(found[0].fixes.is_empty(), "{:?}", found[0].fixes);
}

//! `scrim lint` and the linter inside `scrim check`, end to end: the
//! example policies lint clean, levels and suppressions work from the
//! policy, `--explain` prints a rule's documentation, and the rules that
//! read pages (`--pages`) report their documented examples.

mod common;

use common::{example_policy_args, scrim, write};
use scrim_lint::{ExpectedFinding, RULES};
use serde_json::Value;
use std::path::Path;

/// The diagnostics of a `--format json` run.
fn json(out: &std::process::Output) -> Vec<Value> {
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        })
        .as_array()
        .expect("an array of diagnostics")
        .clone()
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn example_policies_lint_clean() {
    let files = example_policy_args();
    let args: Vec<&str> = std::iter::once("lint")
        .chain(files.iter().map(String::as_str))
        .collect();
    let out = scrim(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "findings on the examples: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_admin_example_suppresses_the_finding_it_documents() {
    let dir = common::scratch("lint", "admin-suppression");
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/admin.scrim"))
            .unwrap()
            .replace("# scrim: allow values-captured-by-default\n", "");
    std::fs::create_dir_all(dir.join("shared")).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/shared/baseline.scrim"),
        dir.join("shared/baseline.scrim"),
    )
    .unwrap();
    let policy = write(&dir, "admin.scrim", &text);
    let out = scrim(&["lint", "--format", "json", &policy]);
    assert!(out.status.success());
    assert_eq!(
        codes(&json(&out)),
        ["lint::values-captured-by-default"],
        "without its suppression, the finding is back"
    );
}

#[test]
fn levels_come_from_the_policy_and_deny_fails_check_and_lint() {
    let dir = common::scratch("lint", "levels");
    let body = "block \".ad\"\nallow text \".ad .title\"\n";
    let warn = write(&dir, "warn.scrim", &format!("scrim 1\n\n{body}"));
    let deny = write(
        &dir,
        "deny.scrim",
        &format!("scrim 1\n\nlint unreachable-rule deny\n\n{body}"),
    );
    let off = write(
        &dir,
        "off.scrim",
        &format!("scrim 1\n\nlint unreachable-rule allow\n\n{body}"),
    );
    for command in ["check", "lint"] {
        let out = scrim(&[command, "--format", "json", &warn]);
        assert!(out.status.success(), "{command}: a warning does not fail");
        let found = json(&out);
        assert_eq!(codes(&found), ["lint::unreachable-rule"]);
        assert_eq!(found[0]["severity"], "warning");
        assert_eq!(found[0]["line"], 4);

        let out = scrim(&[command, "--format", "json", &deny]);
        assert_eq!(out.status.code(), Some(1), "{command}: deny is an error");
        assert_eq!(json(&out)[0]["severity"], "error");

        let out = scrim(&[command, "--format", "json", &off]);
        assert!(out.status.success());
        assert!(json(&out).is_empty(), "{command}: allow turns the rule off");
    }
}

#[test]
fn a_comment_suppresses_one_rule_on_one_statement() {
    let dir = common::scratch("lint", "suppress");
    let policy = write(
        &dir,
        "policy.scrim",
        "scrim 1\n\nblock \".ad\"\n\n\
         # scrim: allow unreachable-rule the house ads move out of .ad next month\n\
         allow text \".ad .title\"\n\
         allow text \".ad .price\"  # scrim: allow unreachable-rule\n\
         allow text \".ad .badge\"\n\
         # scrim: allow duplicate-rule\n\
         allow text \".ad .note\"\n",
    );
    let out = scrim(&["lint", "--format", "json", &policy]);
    let found = json(&out);
    let lines: Vec<(String, i64)> = found
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("lint::unreachable-rule".to_string(), 8),
            ("lint::unused-suppression".to_string(), 9),
            ("lint::unreachable-rule".to_string(), 10),
        ]
    );
}

#[test]
fn check_reports_findings_beside_errors_and_keeps_its_exit_codes() {
    let dir = common::scratch("lint", "check");
    let clean_but_warned = write(&dir, "warned.scrim", "scrim 1\n\ndefault value capture\n");
    let out = scrim(&["check", &clean_but_warned]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("lint::values-captured-by-default"),
        "{stderr}"
    );
    assert!(stderr.contains("0 error(s), 1 warning(s)"), "{stderr}");

    // A policy with errors is not linted: what it means is not settled.
    let broken = write(
        &dir,
        "broken.scrim",
        "scrim 1\n\ndefault value capture\nmsk text \".a\"\n",
    );
    let out = scrim(&["check", "--format", "json", &broken]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(codes(&json(&out)), ["syntax::unknown-statement"]);
}

#[test]
fn explain_prints_a_rules_documentation() {
    let out = scrim(&["lint", "--explain", "unreachable-rule"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("# `unreachable-rule`\n"), "{text}");
    assert!(text.contains("correctness · warn by default · code `lint::unreachable-rule`"));
    assert!(text.contains("## Why it matters"));
    assert!(text.contains("```scrim bad"));

    let out = scrim(&["lint", "--explain", "floor-allow"]);
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("always an error · code `compile::allow-floor`")
    );

    let out = scrim(&["lint", "--explain", "unreachable-rules"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("unknown lint rule `unreachable-rules`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("did you mean `unreachable-rule`?"),
        "{stderr}"
    );
}

/// The rules that read pages, on their documented examples: each bad
/// example reports the findings its carets mark in the policy (or, for
/// findings about a page, at least one on the page's line of the list);
/// each good example reports nothing at all.
#[test]
fn page_rules_report_their_documented_examples() {
    for rule in RULES.iter().filter(|r| r.needs_corpus()) {
        for (n, example) in rule.examples().iter().enumerate() {
            let dir = common::scratch("lint", &format!("{}-{n}", rule.id));
            let policy = write(&dir, "policy.scrim", &example.policy);
            write(&dir, "page.html", example.page.as_deref().unwrap());
            let list = write(&dir, "pages.txt", "page.html  https://example.com/\n");
            let out = scrim(&["lint", "--format", "json", "--pages", &list, &policy]);
            let found = json(&out);
            let in_policy: Vec<ExpectedFinding> = found
                .iter()
                .filter(|d| d["file"].as_str().unwrap().ends_with("policy.scrim"))
                .map(|d| ExpectedFinding {
                    rule: d["code"]
                        .as_str()
                        .unwrap()
                        .trim_start_matches("lint::")
                        .to_string(),
                    start: d["start"].as_u64().unwrap() as usize,
                    end: d["end"].as_u64().unwrap() as usize,
                })
                .collect();
            let in_list: Vec<String> = found
                .iter()
                .filter(|d| d["file"].as_str().unwrap().ends_with("pages.txt"))
                .map(|d| d["code"].as_str().unwrap().to_string())
                .collect();
            let context = format!("{} example {n}: {found:#?}", rule.id);
            assert_eq!(in_policy, example.expected(), "{context}");
            if example.bad && example.expected().is_empty() {
                assert!(in_list.contains(&format!("lint::{}", rule.id)), "{context}");
            } else {
                assert!(in_list.is_empty(), "{context}");
            }
        }
    }
}

#[test]
fn page_lists_name_what_is_wrong() {
    let dir = common::scratch("lint", "bad-list");
    let policy = write(&dir, "policy.scrim", "scrim 1\n");
    let list = write(&dir, "pages.txt", "# pages\npage.html\n");
    let out = scrim(&["lint", "--pages", &list, &policy]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("line 2: `page.html` has no URL"),
        "{stderr}"
    );

    let list = write(&dir, "missing.txt", "gone.html https://example.com/\n");
    let out = scrim(&["lint", "--pages", &list, &policy]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot read page"), "{stderr}");
}

#[test]
fn the_shop_pages_show_what_the_sample_leaves_out() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = scrim(&[
        "lint",
        "--format",
        "json",
        "--pages",
        &format!("{root}/examples/pages/shop.pages"),
        &format!("{root}/examples/shop.scrim"),
    ]);
    assert!(out.status.success());
    let found = json(&out);
    // The sample pages have the live chat the shop blocks, and no saved
    // address book.
    let unmatched: Vec<&Value> = found
        .iter()
        .filter(|d| d["code"] == "lint::rule-matches-nothing")
        .collect();
    assert!(
        unmatched
            .iter()
            .any(|d| d["file"].as_str().unwrap().ends_with("shop.scrim") && d["line"] == 37),
        "{unmatched:#?}"
    );
    assert!(!unmatched.iter().any(|d| d["line"] == 56), "{unmatched:#?}");
}

#[test]
fn json_findings_carry_their_fixes() {
    let dir = common::scratch("lint", "fixes");
    let text = "scrim 1\n\ndefault text capture\nmask text \".a\"\nmask text \".a\"\n";
    let policy = write(&dir, "policy.scrim", text);
    let out = scrim(&["lint", "--format", "json", &policy]);
    let found = json(&out);
    assert_eq!(codes(&found), ["lint::duplicate-rule"]);
    let fixes = found[0]["fixes"].as_array().expect("a fix");
    assert_eq!(fixes[0]["title"], "remove this rule");
    let edit = &fixes[0]["edits"][0];
    let (start, end) = (
        edit["start"].as_u64().unwrap() as usize,
        edit["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[start..end], "mask text \".a\"\n");
    assert_eq!(edit["replacement"], "");
    assert_eq!(
        (edit["line"].as_u64(), edit["end_line"].as_u64()),
        (Some(5), Some(6))
    );
}

//! `scrim test` through the binary: every example policy's suite passes,
//! every expectation in them can fail, and the runner itself — a wrong
//! expectation fails naming the deciding policy line, `--format json`,
//! exit codes, malformed test files, discovery.

mod common;

use common::{command, example_policies, scratch, scrim, write};

use serde_json::Value;
use std::path::Path;
use std::process::Output;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("UTF-8 output")
}

/// The 1-based line of `file` that contains `needle`, so the tests follow
/// edits to the example policy instead of hard-coding its line numbers.
fn line_of(file: &str, needle: &str) -> usize {
    let text = std::fs::read_to_string(root().join(file)).unwrap();
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` is not in {file}"))
        + 1
}

/// The absolute path of a file of the repository, as a TOML literal string.
fn literal(file: &str) -> String {
    format!("'{}'", root().join(file).display())
}

/// A test file for the shop policy, in a fresh folder; returns its path.
fn shop_test(suite: &str, name: &str, tests: &str) -> String {
    let dir = scratch(suite, name);
    let text = format!("policy = {}\n\n{tests}", literal("examples/shop.scrim"));
    write(&dir, "shop.scrim-test.toml", &text)
}

const CHECKOUT: &str = r#"
url = "https://shop.example.com/checkout/payment"
consent = ["session-replay"]
"#;

fn json_run(args: &[&str]) -> (Output, Value) {
    let mut args = args.to_vec();
    args.extend(["--format", "json"]);
    let out = scrim(&args);
    let value = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(&out)));
    (out, value)
}

// ------------------------------------------------------- the example suites

#[test]
fn every_example_policy_has_a_suite_and_every_suite_passes() {
    let policies = example_policies();
    let mut expected_tests = 0;
    for policy in &policies {
        let suite = policy.with_extension("scrim-test.toml");
        let text = std::fs::read_to_string(&suite)
            .unwrap_or_else(|_| panic!("{} has no test suite beside it", policy.display()));
        expected_tests += text.matches("[[test]]").count();
    }
    let out = scrim(&["test", "examples/"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    assert!(
        text.ends_with(&format!(
            "test result: ok. {expected_tests} passed; 0 failed\n"
        )),
        "{text}"
    );
    assert!(!text.contains("FAILED"), "{text}");
    for policy in &policies {
        let name = policy.file_name().unwrap().to_string_lossy();
        let suite = format!("examples/{}", name.replace(".scrim", ".scrim-test.toml"));
        assert!(
            text.contains(&format!("from {suite}\n")),
            "{suite} did not run:\n{text}"
        );
    }
}

/// Turns every expectation of one kind in the example suites wrong at once
/// and checks that each one so changed is reported: none of them passes
/// whatever the policy does. `kind` names the scratch folder: the callers
/// run in parallel.
fn every_changed_expectation_fails(kind: &str, change: impl Fn(&str) -> Option<String>) {
    for policy in example_policies() {
        let suite = policy.with_extension("scrim-test.toml");
        let text = std::fs::read_to_string(&suite).unwrap();
        let name = suite.file_name().unwrap().to_string_lossy().into_owned();
        let mut changed_lines = Vec::new();
        let mut changed = format!("policy = '{}'\n", policy.display());
        for (i, line) in text.lines().enumerate() {
            let line = line.replace(
                "html_file = \"pages/",
                &format!("html_file = '{}/", root().join("examples/pages").display()),
            );
            let line = line.replace(".html\"", ".html'");
            match change(&line) {
                Some(wrong) => {
                    // One line is prepended.
                    changed_lines.push(i + 2);
                    changed.push_str(&wrong);
                }
                None => changed.push_str(&line),
            }
            changed.push('\n');
        }
        assert!(!changed_lines.is_empty(), "nothing to change in {name}");
        let dir = scratch(&format!("policy-tests-mutated-{kind}"), &name);
        let file = write(&dir, &name, &changed);
        let (out, run) = json_run(&["test", &file]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert_eq!(run["errors"], Value::Array(Vec::new()), "{run}");
        let failed: Vec<u64> = run["tests"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|t| t["failures"].as_array().unwrap())
            .map(|f| f["line"].as_u64().unwrap())
            .collect();
        for line in changed_lines {
            assert!(
                failed.contains(&(line as u64)),
                "{name}: the changed expectation on line {} still passes:\n{}",
                line - 1,
                changed.lines().nth(line - 1).unwrap()
            );
        }
    }
}

#[test]
fn every_outcome_expected_in_the_examples_can_fail() {
    every_changed_expectation_fails("outcome", |line| {
        if line.contains("channel = \"events\"") {
            return line
                .contains("is = \"captured\"")
                .then(|| line.replacen("is = \"captured\"", "is = \"ignored\"", 1));
        }
        let swaps = [
            ("is = \"masked\"", "is = \"captured\""),
            ("is = \"captured\"", "is = \"masked\""),
            ("is = \"ignored\"", "is = \"captured\""),
            ("is = \"blocked\"", "is = \"recorded\""),
            ("is = \"hidden\"", "is = \"recorded\""),
            ("page = \"off\"", "page = \"recorded\""),
            ("page = \"recorded\"", "page = \"off\""),
        ];
        swaps
            .iter()
            .find(|(from, _)| line.contains(from))
            .map(|(from, to)| line.replacen(from, to, 1))
    });
}

#[test]
fn every_deciding_rule_named_in_the_examples_can_fail() {
    every_changed_expectation_fails("deciding-rule", |line| {
        let at = line.find("by = \"")? + "by = \"".len();
        let end = at + line[at..].find('"')?;
        Some(format!("{}no-such-rule{}", &line[..at], &line[end..]))
    });
}

#[test]
fn every_written_output_expected_in_the_examples_can_fail() {
    every_changed_expectation_fails("written", |line| {
        let at = line.find("written = \"")? + "written = \"".len();
        Some(format!("{}x{}", &line[..at], &line[at..]))
    });
}

// ----------------------------------------------------------------- failures

#[test]
fn a_wrong_expectation_fails_naming_the_deciding_policy_line() {
    let rule_line = line_of("examples/shop.scrim", "as customer-name");
    let file = shop_test(
        "policy-tests",
        "wrong",
        &format!(
            "[[test]]\nname = \"the greeting is captured\"\n{CHECKOUT}\
             html = '<p class=\"greeting\">Hi, Jane Cooper</p>'\n\
             expect = [{{ select = \".greeting\", channel = \"text\", is = \"captured\" }}]\n"
        ),
    );
    let out = scrim(&["test", &file]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let expected = format!(
        "
running 1 test from {file}
test the greeting is captured ... FAILED

failures:

---- the greeting is captured ({file}:4) ----
{file}:9: {{ select = \".greeting\", channel = \"text\", is = \"captured\" }}
  html > body > p.greeting
  text: expected captured, got masked by `customer-name` (shop.scrim:{rule_line})
    text  mask     step 5, nearest rule
      ☞ rule `customer-name` decides text
        ╭─[{policy}:{rule_line}:1]
     {rule_line} │ mask text \".greeting, .account-menu\" as customer-name
        · ──────────────────────────┬──────────────────────────
        ·                           ╰── matched this element (p.greeting)
        ╰────

failures:
    the greeting is captured ({file})

test result: FAILED. 0 passed; 1 failed
",
        policy = root().join("examples/shop.scrim").display(),
    );
    assert_eq!(text, expected);
}

#[test]
fn a_wrong_rule_fails_naming_the_rule_that_decided() {
    let file = shop_test(
        "policy-tests",
        "wrong-rule",
        &format!(
            "[[test]]\nname = \"card number\"\n{CHECKOUT}\
             html = '<input autocomplete=\"cc-number\" value=\"4111 1111 1111 1111\">'\n\
             expect = [{{ select = \"input\", channel = \"value\", is = \"masked\", by = \"payment-and-address-fields\" }}]\n"
        ),
    );
    let out = scrim(&["test", &file]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    // The sealed mask matched but lost to the floor: both are shown.
    assert!(
        text.contains(
            "value: expected masked by `payment-and-address-fields`, got masked by the floor"
        ),
        "{text}"
    );
    assert!(text.contains("value  mask     step 3, floor"), "{text}");
    assert!(
        text.contains("lost: rule `payment-and-address-fields`"),
        "{text}"
    );
}

#[test]
fn a_page_expectation_fails_with_the_page_rule() {
    let never = line_of("examples/shop.scrim", "never record \"");
    let file = shop_test(
        "policy-tests",
        "page",
        "[[test]]\nname = \"password page\"\n\
         url = \"https://shop.example.com/account/password\"\n\
         consent = \"session-replay\"\n\
         expect = [{ page = \"recorded\" }]\n",
    );
    let out = scrim(&["test", &file]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(&format!(
            "page: expected recorded, got off by `shop.scrim:{never}`"
        )),
        "{text}"
    );
    assert!(
        text.contains("not recorded: the URL matches a `never record` pattern"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            " {never} │ never record \"https://shop.example.com/account/password*\""
        )),
        "{text}"
    );
}

#[test]
fn written_output_is_compared_and_shown() {
    let file = shop_test(
        "policy-tests",
        "written",
        &format!(
            "[[test]]\nname = \"greeting\"\n{CHECKOUT}\
             html = '<p class=\"greeting\">Hi, Jane</p><h1>Checkout</h1>'\n\
             written_body = '<p class=\"greeting\">Hi, Jane</p><h1>Checkout</h1>'\n\
             expect = [\n\
               {{ select = \".greeting\", channel = \"text\", written = \"Hi, Jane\" }},\n\
               {{ select = \"h1\", channel = \"text\", written = \"  Checkout \" }},\n\
             ]\n"
        ),
    );
    let out = scrim(&["test", &file]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("text: expected written \"Hi, Jane\", written \"*** ****\""),
        "{text}"
    );
    // Whitespace around the text is not part of what a reader sees.
    assert!(!text.contains("> h1"), "{text}");
    assert!(
        text.contains(
            "    -<p class=\"greeting\">Hi, Jane</p><h1>Checkout</h1>\n    +<p class=\"greeting\">*** ****</p><h1>Checkout</h1>\n"
        ),
        "{text}"
    );
}

#[test]
fn a_selector_that_picks_nothing_fails() {
    let file = shop_test(
        "policy-tests",
        "nothing",
        &format!(
            "[[test]]\nname = \"typo\"\n{CHECKOUT}html = '<p class=\"greeting\">Hi</p>'\n\
             expect = [{{ select = \".greting\", channel = \"text\", is = \"masked\" }}]\n"
        ),
    );
    let out = scrim(&["test", &file]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("`.greting` picks no element on this page"),
        "{}",
        stdout(&out)
    );
}

// --------------------------------------------------------------------- JSON

#[test]
fn json_reports_each_failure_with_its_explanation() {
    let file = shop_test(
        "policy-tests",
        "json",
        &format!(
            "[[test]]\nname = \"ok\"\n{CHECKOUT}\
             expect = [{{ page = \"recorded\" }}]\n\n\
             [[test]]\nname = \"greeting\"\n{CHECKOUT}\
             html = '<p class=\"greeting\">Hi</p>'\n\
             expect = [{{ select = \".greeting\", channel = \"text\", is = \"captured\" }}]\n"
        ),
    );
    let (out, run) = json_run(&["test", &file]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(run["passed"], 1);
    assert_eq!(run["failed"], 1);
    let tests = run["tests"].as_array().unwrap();
    assert_eq!(tests[0]["result"], "ok");
    assert_eq!(tests[1]["result"], "failed");
    assert_eq!(tests[1]["name"], "greeting");
    let failure = &tests[1]["failures"][0];
    assert_eq!(failure["line"], 16);
    assert_eq!(failure["channel"], "text");
    assert_eq!(failure["element"]["path"], "html > body > p.greeting");
    let explanation = &failure["explanation"];
    assert_eq!(explanation["outcome"], "mask");
    assert_eq!(explanation["step"], "nearest-rule");
    let rule = &explanation["deciding"][0];
    assert_eq!(rule["id"], "customer-name");
    assert_eq!(
        rule["line"],
        line_of("examples/shop.scrim", "as customer-name")
    );
    assert_eq!(
        rule["source"],
        "mask text \".greeting, .account-menu\" as customer-name"
    );
}

#[test]
fn json_of_a_passing_run_exits_0() {
    let (out, run) = json_run(&["test", "examples/shop.scrim-test.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(run["failed"], 0);
    assert!(run["passed"].as_u64().unwrap() > 10);
    assert!(
        run["tests"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["result"] == "ok" && t["failures"] == Value::Array(Vec::new()))
    );
}

// -------------------------------------------------------- malformed files

fn error_run(name: &str, text: &str) -> (Output, String) {
    let dir = scratch("policy-tests-errors", name);
    let path = write(&dir, "t.scrim-test.toml", text);
    let out = scrim(&["test", &path]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).ends_with("test result: FAILED. 0 passed; 0 failed; 1 error\n"),
        "{}",
        stdout(&out)
    );
    (
        out.clone(),
        stderr(&out).replace(&path, "t.scrim-test.toml"),
    )
}

#[test]
fn a_file_that_is_not_toml_is_an_error_at_its_place() {
    let policy = literal("examples/shop.scrim");
    let (_, err) = error_run(
        "toml",
        &format!("policy = {policy}\n[[test]\nname = \"x\"\n"),
    );
    assert!(
        err.contains("× invalid test file: unclosed array table, expected `]`"),
        "{err}"
    );
    assert!(err.contains("╭─[t.scrim-test.toml:2:8]"), "{err}");
}

#[test]
fn an_unknown_key_is_an_error_listing_the_keys() {
    let policy = literal("examples/shop.scrim");
    let (_, err) = error_run(
        "key",
        &format!(
            "policy = {policy}\n[[test]]\nname = \"x\"\nurl = \"https://shop.example.com/\"\n\
             expect = [{{ selct = \"p\", is = \"blocked\" }}]\n"
        ),
    );
    assert!(
        err.contains("unknown field `selct`, expected one of `page`, `select`, `channel`, `is`"),
        "{err}"
    );
    assert!(err.contains("╭─[t.scrim-test.toml:5:13]"), "{err}");
}

#[test]
fn wrong_channels_outcomes_and_selectors_are_errors_with_help() {
    let policy = literal("examples/shop.scrim");
    let (_, err) = error_run(
        "channel",
        &format!(
            "policy = {policy}\n[[test]]\nname = \"x\"\nurl = \"https://shop.example.com/\"\n\
             expect = [{{ select = \"p\", channel = \"txt\", is = \"masked\" }}]\n"
        ),
    );
    assert!(err.contains("× unknown channel `txt`"), "{err}");
    assert!(err.contains("help: channels are `text`, `value`"), "{err}");

    let (_, err) = error_run(
        "outcome",
        &format!(
            "policy = {policy}\n[[test]]\nname = \"x\"\nurl = \"https://shop.example.com/\"\n\
             expect = [{{ select = \"p\", channel = \"events\", is = \"masked\" }}]\n"
        ),
    );
    assert!(
        err.contains("× `masked` is not an outcome of `events`"),
        "{err}"
    );
    assert!(err.contains("never masked"), "{err}");

    let (_, err) = error_run(
        "selector",
        &format!(
            "policy = {policy}\n[[test]]\nname = \"x\"\nurl = \"https://shop.example.com/\"\n\
             expect = [{{ select = \"p[\", channel = \"text\", is = \"masked\" }}]\n"
        ),
    );
    assert!(err.contains("× invalid selector `p[`"), "{err}");
    assert!(err.contains("╭─[t.scrim-test.toml:5:22]"), "{err}");
}

#[test]
fn consent_that_is_neither_a_list_nor_a_string_is_an_error_saying_both_forms() {
    let policy = literal("examples/shop.scrim");
    let (_, err) = error_run(
        "consent",
        &format!(
            "policy = {policy}\n[[test]]\nname = \"x\"\nurl = \"https://shop.example.com/\"\n\
             consent = 5\nexpect = [{{ page = \"off\" }}]\n"
        ),
    );
    // The message is wrapped (at 100 columns, continued after a `│`).
    let message: String = err
        .split_whitespace()
        .filter(|word| *word != "│")
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        message.contains(
            "invalid type: integer `5`, expected consent categories, as a list \
             (`[\"session-replay\", \"marketing\"]`) or a string (`\"session-replay, marketing\"`)"
        ),
        "{err}"
    );
    assert!(err.contains("╭─[t.scrim-test.toml:5:11]"), "{err}");
}

#[test]
fn a_second_test_of_the_same_name_and_a_second_page_are_errors() {
    let policy = literal("examples/shop.scrim");
    let test = "[[test]]\nname = \"x\"\nurl = \"https://shop.example.com/\"\n\
                expect = [{ page = \"recorded\" }]\n";
    let (_, err) = error_run("twice", &format!("policy = {policy}\n{test}{test}"));
    assert!(err.contains("× two tests are named `x`"), "{err}");
    assert!(err.contains("help: the first is on line 3"), "{err}");

    let (_, err) = error_run(
        "two-pages",
        &format!(
            "policy = {policy}\n[[test]]\nname = \"x\"\nurl = \"https://shop.example.com/\"\n\
             html = '<p>a</p>'\nhtml_file = \"page.html\"\nexpect = [{{ page = \"recorded\" }}]\n"
        ),
    );
    assert!(
        err.contains("× a test has one page: `html` or `html_file`, not both"),
        "{err}"
    );
    assert!(err.contains("╭─[t.scrim-test.toml:6:13]"), "{err}");
}

#[test]
fn a_test_that_checks_nothing_is_an_error() {
    let policy = literal("examples/shop.scrim");
    let (_, err) = error_run(
        "nothing",
        &format!(
            "policy = {policy}\n[[test]]\nname = \"x\"\nurl = \"https://shop.example.com/\"\n"
        ),
    );
    assert!(err.contains("× test `x` expects nothing"), "{err}");
    assert!(err.contains("checks nothing cannot fail"), "{err}");
}

#[test]
fn a_policy_that_does_not_compile_is_an_error_in_both_files() {
    let dir = scratch("policy-tests-errors", "policy");
    write(&dir, "bad.scrim", "scrim 1\nmask txt \".b\"\n");
    let path = write(
        &dir,
        "bad.scrim-test.toml",
        "[[test]]\nname = \"x\"\nurl = \"https://a.example/\"\nexpect = [{ page = \"recorded\" }]\n",
    );
    let out = scrim(&["test", &path]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    // The policy's own diagnostic, at its line …
    assert!(err.contains("× unknown channel `txt`"), "{err}");
    assert!(err.contains("bad.scrim:2:6]"), "{err}");
    // … and the test that could not run.
    assert!(err.contains("does not load"), "{err}");
    assert!(err.contains("bad.scrim-test.toml:1:1]"), "{err}");
}

#[test]
fn a_test_without_a_policy_beside_it_is_an_error() {
    let (_, err) = error_run(
        "sibling",
        "[[test]]\nname = \"x\"\nurl = \"https://a.example/\"\nexpect = [{ page = \"recorded\" }]\n",
    );
    assert!(err.contains("this test names no policy, and"), "{err}");
    assert!(err.contains("sibling/t.scrim`"), "{err}");
}

#[test]
fn a_missing_page_file_is_an_error_at_its_key() {
    let policy = literal("examples/shop.scrim");
    let (_, err) = error_run(
        "page",
        &format!(
            "policy = {policy}\n[[test]]\nname = \"x\"\nurl = \"https://shop.example.com/\"\n\
             html_file = \"missing.html\"\nexpect = [{{ page = \"recorded\" }}]\n"
        ),
    );
    assert!(err.contains("cannot read"), "{err}");
    assert!(err.contains("missing.html`: no such file"), "{err}");
    assert!(err.contains("╭─[t.scrim-test.toml:5:13]"), "{err}");
}

// ---------------------------------------------------- discovery and exit codes

#[test]
fn folders_are_searched_for_test_files_and_the_default_is_the_current_folder() {
    let dir = scratch("policy-tests", "discovery");
    let policy = "scrim 1\ndefault text capture\nmask text \".secret\" as secret\n";
    let test = "[[test]]\nname = \"secret\"\nurl = \"https://a.example/\"\n\
                html = '<p class=\"secret\">s</p>'\n\
                expect = [{ select = \".secret\", channel = \"text\", is = \"masked\", by = \"secret\" }]\n";
    for folder in ["", "nested/deeper", ".hidden", "target"] {
        std::fs::create_dir_all(dir.join(folder)).unwrap();
        write(&dir.join(folder), "p.scrim", policy);
        write(&dir.join(folder), "p.scrim-test.toml", test);
    }
    // A cache folder (as cargo's `target/`) is not searched.
    write(
        &dir.join("target"),
        "CACHEDIR.TAG",
        "Signature: 8a477f597d28d172789f06886806bc55\n",
    );
    // A TOML file that is not a test file is not run.
    write(&dir, "Cargo.toml", "[package]\n");

    let mut in_folder = command(&["test"]);
    in_folder.current_dir(&dir);
    let out = in_folder.output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    assert!(
        text.contains("running 1 test from p.scrim-test.toml\n"),
        "{text}"
    );
    assert!(
        text.contains("running 1 test from nested/deeper/p.scrim-test.toml\n"),
        "{text}"
    );
    assert!(
        text.ends_with("test result: ok. 2 passed; 0 failed\n"),
        "{text}"
    );
}

#[test]
fn a_folder_without_test_files_is_an_error() {
    let dir = scratch("policy-tests", "empty");
    let out = scrim(&["test", &dir.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error: no test files (`*.scrim-test.toml`) in"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_missing_path_is_an_error_and_a_wrong_option_is_a_usage_error() {
    let out = scrim(&["test", "no/such/folder"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error: cannot read `no/such/folder`: no such file"),
        "{}",
        stderr(&out)
    );
    let out = scrim(&["test", "--format", "yaml", "examples/"]);
    assert_eq!(out.status.code(), Some(2));
}

// ------------------------------------------------------------- the docs

/// The code blocks of a Markdown file with the given language, in order.
fn blocks(markdown: &str, language: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut open: Option<(bool, String)> = None;
    for line in markdown.lines() {
        match &mut open {
            None if line.starts_with("```") => {
                open = Some((line.trim_start_matches('`') == language, String::new()));
            }
            None => {}
            Some((wanted, text)) if line.starts_with("```") => {
                if *wanted {
                    found.push(std::mem::take(text));
                }
                open = None;
            }
            Some((_, text)) => {
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    found
}

#[test]
fn the_documented_example_runs_as_documented() {
    let markdown = std::fs::read_to_string(root().join("docs/testing-policies.md")).unwrap();
    let policies = blocks(&markdown, "scrim");
    let tests = blocks(&markdown, "toml");
    let outputs = blocks(&markdown, "text");
    let jsons = blocks(&markdown, "json");
    let dir = scratch("policy-tests-docs", "example");
    write(&dir, "privacy.scrim-test.toml", &tests[0]);
    let run_in_folder = |format: Option<&str>| {
        let mut run = command(&["test"]);
        if let Some(format) = format {
            run.args(["--format", format]);
        }
        run.current_dir(&dir);
        run.output().unwrap()
    };

    // The policy as first written: every test passes.
    write(&dir, "privacy.scrim", &policies[0]);
    let out = run_in_folder(None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let documented = outputs[0].strip_prefix("$ scrim test\n").unwrap();
    assert_eq!(stdout(&out), documented);

    // The policy changed half way: the documented failure, and its JSON.
    write(&dir, "privacy.scrim", &policies[1]);
    let out = run_in_folder(None);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let documented = outputs[1].strip_prefix("$ scrim test\n").unwrap();
    assert_eq!(stdout(&out), documented);
    let out = run_in_folder(Some("json"));
    let mut run: Value = serde_json::from_str(&stdout(&out)).unwrap();
    // The documented JSON is cut after the first test.
    run["tests"].as_array_mut().unwrap().truncate(1);
    let documented: Value = serde_json::from_str(&jsons[0]).unwrap();
    assert_eq!(run, documented);
}

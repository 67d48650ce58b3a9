//! `scrim import` end to end: a vendor's settings in, a policy out that
//! `scrim check` and `scrim fmt --check` pass, notes on standard error.

mod common;

use common::scrim;

#[test]
fn imported_policies_check_and_are_formatted() {
    let dir = common::scratch("import", "examples");
    for vendor in ["rrweb", "sentry", "posthog", "datadog", "clarity"] {
        let policy = dir.join(format!("{vendor}.scrim"));
        let policy = policy.to_str().unwrap();
        let config = format!("examples/import/{vendor}.json");
        let out = scrim(&["import", "--from", vendor, &config, "-o", policy]);
        assert!(
            out.status.success(),
            "{vendor}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stdout.is_empty(), "{vendor}: the policy went to -o");
        let out = scrim(&["fmt", "--check", policy]);
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "{vendor}: scrim fmt --check: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // An import keeps what the vendor recorded, so the linter may
        // rightly warn about it (rrweb records form values unless told
        // not to); it never finds an error.
        let out = scrim(&["check", policy]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{vendor}: scrim check: {stderr}");
        let warned: Vec<&str> = stderr
            .lines()
            .filter_map(|line| line.trim().strip_prefix("lint::"))
            .collect();
        let expected: &[&str] = match vendor {
            "rrweb" => &["values-captured-by-default"],
            _ => &[],
        };
        assert_eq!(warned, expected, "{vendor}: scrim check: {stderr}");
    }
}

#[test]
fn notes_go_to_standard_error_and_the_policy_to_standard_output() {
    let dir = common::scratch("import", "notes");
    let config = common::write(
        &dir,
        "rrweb.json",
        r#"{"maskAllInputs": true, "blokClass": "typo", "collectFonts": true}"#,
    );
    let out = scrim(&["import", "--from", "rrweb", &config]);
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with("scrim 1\n"), "{stdout}");
    assert!(stdout.contains("\ndefault value mask\n"), "{stdout}");
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "note: `collectFonts`: not about what is recorded, not imported\n\
         warning: `blokClass`: unknown setting: not imported; if it hides something, write that as a rule\n"
    );
}

#[test]
fn a_configuration_that_cannot_be_imported_writes_nothing() {
    let dir = common::scratch("import", "refused");
    let config = common::write(&dir, "sentry.json", r#"{"block": ["a:hover"]}"#);
    let output = dir.join("out.scrim");
    let out = scrim(&[
        "import",
        "--from",
        "sentry",
        &config,
        "-o",
        output.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with(&format!(
            "error: cannot import `{config}` as sentry settings: `block`: `a:hover` is not a selector scrim can match"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("\n  help: "), "{stderr}");
    assert!(!output.exists());
}

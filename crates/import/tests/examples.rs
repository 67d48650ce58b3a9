//! The realistic configuration of each vendor in `examples/import/`
//! imports to a policy that compiles, is in the formatter's layout, and is
//! the one `docs/import.md` shows in that vendor's migration guide (so the
//! guide's policy is what `scrim import` writes, and works when pasted).

use scrim_import::{Severity, Vendor, import};
use std::path::Path;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn imported(vendor: Vendor) -> scrim_import::Import {
    let path = root().join(format!("examples/import/{}.json", vendor.name()));
    let json = std::fs::read_to_string(&path).unwrap();
    import(vendor, &json).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_example_imports_to_a_policy_that_checks_and_is_formatted() {
    for vendor in Vendor::ALL {
        let import = imported(vendor);
        let compilation =
            scrim_compiler::compile("imported.scrim", &import.policy, &scrim_compiler::NoFiles);
        assert!(
            compilation.diagnostics.is_empty(),
            "{vendor}: {:#?}",
            compilation.diagnostics
        );
        let formatted = scrim_syntax::format_checked("imported.scrim", &import.policy).unwrap();
        assert_eq!(
            formatted, import.policy,
            "{vendor}: not in the formatter's layout"
        );
        assert!(
            import
                .notes
                .iter()
                .all(|n| !n.message.starts_with("unknown setting")),
            "{vendor}: the example has settings the import does not know: {:?}",
            import.notes
        );
    }
}

#[test]
fn the_migration_guides_show_what_the_import_writes() {
    let docs = std::fs::read_to_string(root().join("docs/import.md")).unwrap();
    for vendor in Vendor::ALL {
        let policy = imported(vendor).policy;
        assert!(
            docs.contains(&format!("```scrim\n{policy}```")),
            "docs/import.md does not show the {vendor} example's policy as imported:\n{policy}"
        );
    }
}

#[test]
fn unknown_settings_and_functions_are_reported_not_dropped() {
    let import = import(
        Vendor::Rrweb,
        r#"{"maskAllInputs": true, "maskTextFn": "x => x", "blokClass": "typo"}"#,
    )
    .unwrap();
    let warnings: Vec<String> = import
        .notes
        .iter()
        .filter(|n| n.severity == Severity::Warning)
        .map(|n| n.to_string())
        .collect();
    assert_eq!(
        warnings,
        [
            "warning: `maskTextFn`: not imported: a function cannot be read from JSON; masked text is written with the rule's strategy (`with stars` by default)",
            "warning: `blokClass`: unknown setting: not imported; if it hides something, write that as a rule",
        ]
    );
}

#[test]
fn selectors_scrim_cannot_match_stop_the_import() {
    let error = import(Vendor::Sentry, r#"{"mask": ["a:hover"]}"#).unwrap_err();
    assert_eq!(
        error.message,
        "`mask`: `a:hover` is not a selector scrim can match: invalid CSS selector: pseudo-class `:hover` depends on interaction state, which a policy cannot use"
    );
    let error = import(Vendor::Rrweb, r#"{"maskAllInputs": "yes"}"#).unwrap_err();
    assert_eq!(
        error.message,
        "`maskAllInputs` must be `true` or `false`, not the string `yes`"
    );
    let error = import(Vendor::Datadog, r#"{"defaultPrivacyLevel": "private"}"#).unwrap_err();
    assert_eq!(
        error.message,
        "`defaultPrivacyLevel`: `private` is not a privacy level"
    );
}

#[test]
fn an_unmask_that_would_reveal_a_password_stays_masked() {
    let import = import(
        Vendor::Sentry,
        r#"{"unmask": [".public", "input[type=password]"]}"#,
    )
    .unwrap();
    assert!(import.policy.contains("allow text, value \".public\"\n"));
    assert!(!import.policy.contains("type=password"));
    assert!(
        import.notes.iter().any(|n| n.setting == "unmask"
            && n.message.starts_with("`input[type=password]` stays masked")),
        "{:?}",
        import.notes
    );
}

#[test]
fn clarity_modes_are_checked_and_unusable_unmasks_stay_masked() {
    let error = import(Vendor::Clarity, r#"{"mode": "private"}"#).unwrap_err();
    assert_eq!(
        error.message,
        "`mode`: `private` is not a Clarity masking mode"
    );
    assert_eq!(
        error.help.as_deref(),
        Some("use one of `strict`, `balanced`, `relaxed`")
    );
    let import = import(
        Vendor::Clarity,
        r#"{"mode": "Relaxed", "unmask": [".public", "!footer", "a:hover"]}"#,
    )
    .unwrap();
    assert!(
        import.policy.contains("\ndefault text capture\n")
            && import.policy.contains("\nallow text, media \".public\"\n"),
        "{}",
        import.policy
    );
    assert!(!import.policy.contains("footer") && !import.policy.contains("hover"));
    let warnings: Vec<String> = import.notes.iter().map(|n| n.to_string()).collect();
    assert_eq!(
        warnings,
        [
            "warning: `unmask`: `!footer` stays masked: an entry with `!` is a Clarity text override, matched against the selectors Clarity writes for the page, not a CSS selector",
            "warning: `unmask`: `a:hover` stays masked: invalid CSS selector: pseudo-class `:hover` depends on interaction state, which a policy cannot use",
        ]
    );
}

//! `docs/lints.md` is generated from the rules' documentation; this test
//! fails when it is out of date. `UPDATE_LINT_DOCS=1 cargo test -p
//! scrim-lint --test docs` writes it.

use std::path::Path;

#[test]
fn lints_md_is_generated_from_the_rules() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/lints.md");
    let generated = scrim_lint::lints_markdown();
    if std::env::var_os("UPDATE_LINT_DOCS").is_some() {
        std::fs::write(&path, &generated).expect("docs/lints.md is writable");
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if current != generated {
        let line = current
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| current.lines().count().min(generated.lines().count()));
        panic!(
            "docs/lints.md is out of date from line {}: run `UPDATE_LINT_DOCS=1 cargo test -p scrim-lint --test docs`",
            line + 1
        );
    }
}

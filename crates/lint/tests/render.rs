//! The findings of every rule's first bad example, as a user sees them
//! (miette, no colour): one insta snapshot, so that a change to any
//! message, label, help or span shows up in review.

use scrim_compiler::{NoFiles, compile};
use scrim_lint::RULES;

#[test]
fn findings_render_as_users_see_them() {
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(100)
            .with_context_lines(1);
    let mut out = String::new();
    for rule in RULES.iter().filter(|r| !r.needs_corpus()) {
        let Some(example) = rule.examples().into_iter().find(|e| e.bad) else {
            continue;
        };
        let name = format!("{}.scrim", rule.id);
        let compilation = compile(&name, &example.policy, &NoFiles);
        let diagnostics = if rule.is_fixed() {
            compilation.diagnostics.clone()
        } else {
            scrim_lint::lint(&compilation)
        };
        out.push_str(&format!("===== {}\n", rule.id));
        for diagnostic in &diagnostics {
            handler
                .render_report(&mut out, diagnostic)
                .expect("rendering into a string cannot fail");
        }
    }
    insta::assert_snapshot!(out);
}

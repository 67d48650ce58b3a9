//! `scrim disclose` end to end: the notice a user gets for a policy, in each
//! format and wording, and nothing written when the policy or the template
//! file is wrong.

mod common;

use common::{file_names, scratch, scrim, write};

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn discloses_the_shop_policy_in_markdown_by_default() {
    let out = scrim(&["disclose", "examples/shop.scrim"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("## Session replay\n"), "{text}");
    assert!(text.contains("We record only pages at `https://shop.example.com/*`."));
    assert!(text.contains("- support chat: The support chat shows conversations"));
    assert!(text.contains("in your browser, before anything is sent to us"));
    assert!(
        !text.contains("From the policy:"),
        "sources only when asked"
    );
}

#[test]
fn with_sources_cites_the_policy_lines() {
    let out = scrim(&["disclose", "examples/shop.scrim", "--with-sources"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains(
        "*From the policy:* `examples/shop.scrim:56` `block \"#live-chat\" as support-chat`"
    ));
}

#[test]
fn writes_html_and_json_to_a_file() {
    let dir = scratch("disclose", "formats");
    let html = dir.join("notice.html").to_string_lossy().into_owned();
    let out = scrim(&[
        "disclose",
        "examples/bank.scrim",
        "--format",
        "html",
        "-o",
        &html,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let written = std::fs::read_to_string(&html).unwrap();
    assert!(written.starts_with("<section class=\"scrim-disclosure\" lang=\"en\">"));
    assert!(written.trim_end().ends_with("</section>"));

    let out = scrim(&["disclose", "examples/bank.scrim", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["language"], "en");
    assert_eq!(json["sections"][1]["id"], "pages");
    assert_eq!(file_names(&dir), ["notice.html"]);
}

#[test]
fn a_policy_with_errors_writes_nothing() {
    let dir = scratch("disclose", "errors");
    let policy = write(&dir, "bad.scrim", "scrim 1\n\nmsk text \".x\"\n");
    let target = dir.join("notice.md").to_string_lossy().into_owned();
    let out = scrim(&["disclose", &policy, "-o", &target]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("unknown statement"),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty());
    assert_eq!(file_names(&dir), ["bad.scrim"]);
}

#[test]
fn a_team_template_file_gives_the_wording() {
    let dir = scratch("disclose", "template");
    let english = include_str!("../crates/disclose/templates/en.toml");
    let german = english
        .replace(
            "title = \"Session replay\"",
            "title = \"Sitzungsaufzeichnung\"",
        )
        .replace("language = \"en\"", "language = \"de\"");
    let template = write(&dir, "de.toml", &german);
    let out = scrim(&["disclose", "examples/shop.scrim", "--template", &template]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("## Sitzungsaufzeichnung\n"));
}

#[test]
fn a_wrong_template_file_is_refused_with_where_and_how_to_fix_it() {
    let dir = scratch("disclose", "bad-template");
    let english = include_str!("../crates/disclose/templates/en.toml");
    let broken = english.replacen("record_only = ", "recrd_only = ", 1);
    let template = write(&dir, "mine.toml", &broken);
    let target = dir.join("notice.md").to_string_lossy().into_owned();
    let out = scrim(&[
        "disclose",
        "examples/shop.scrim",
        "--template",
        &template,
        "-o",
        &target,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let line = broken
        .lines()
        .position(|l| l.starts_with("recrd_only"))
        .unwrap()
        + 1;
    assert_eq!(
        stderr(&out),
        format!(
            "error: unknown template `pages.recrd_only`\n  --> {template}:{line}:1\n  \
             help: did you mean `pages.record_only`?\n\
             error: template `pages.record_only` is missing\n  --> {template}\n  \
             help: add `record_only = \"…\"` under `[pages]`; the English file \
             (crates/disclose/templates/en.toml) has every template\n"
        )
    );
    assert_eq!(file_names(&dir), ["mine.toml"]);

    let out = scrim(&[
        "disclose",
        "examples/shop.scrim",
        "--template",
        "no/such.toml",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: cannot read `no/such.toml`: no such file\n"
    );
}

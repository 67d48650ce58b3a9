//! A team's template file: used as written when it is complete, refused
//! with a message that says where and how to fix it when it is not, so
//! that a translation can neither break a notice nor leave part of it out.

mod common;

use common::{compile_repo, english};
use scrim_disclose::{ENGLISH, Format, Key, TemplateError, Templates, disclose, render};

/// The English file with one line replaced.
fn english_with(line: &str, replacement: &str) -> String {
    assert!(ENGLISH.contains(line), "`{line}` is in the English file");
    ENGLISH.replacen(line, replacement, 1)
}

fn errors(text: &str) -> Vec<TemplateError> {
    Templates::parse(text).expect_err("the file is refused")
}

/// The 1-based line of the first line of the English file that starts
/// with `start`.
fn line_of(text: &str, start: &str) -> usize {
    text.lines().position(|l| l.starts_with(start)).unwrap() + 1
}

#[test]
fn a_translation_is_used_as_written() {
    let text = english_with(
        "record_only = \"We record only pages at {patterns}.\"",
        "record_only = \"Wir zeichnen nur Seiten unter {patterns} auf {{sic}}.\"",
    )
    .replace(
        "title = \"Session replay\"",
        "title = \"Sitzungsaufzeichnung\"",
    )
    .replace("language = \"en\"", "language = \"de\"");
    let templates = Templates::parse(&text).unwrap();
    let compilation = compile_repo("examples/shop.scrim");
    let disclosure = disclose(
        compilation.artifact.as_ref().unwrap(),
        &compilation.sources,
        &templates,
    );
    assert_eq!(disclosure.title, "Sitzungsaufzeichnung");
    let markdown = render(&disclosure, Format::Markdown, false, &templates);
    assert!(
        markdown
            .contains("Wir zeichnen nur Seiten unter `https://shop.example.com/*` auf \\{sic\\}."),
        "{markdown}"
    );
    let html = render(&disclosure, Format::Html, false, &templates);
    assert!(html.starts_with("<section class=\"scrim-disclosure\" lang=\"de\">"));
}

#[test]
fn the_english_notice_is_the_default() {
    let compilation = compile_repo("examples/shop.scrim");
    assert_eq!(
        english(&compilation),
        disclose(
            compilation.artifact.as_ref().unwrap(),
            &compilation.sources,
            &Templates::parse(ENGLISH).unwrap()
        )
    );
}

#[test]
fn an_unknown_template_is_refused_with_the_closest_name() {
    let text = english_with("record_only = ", "recrd_only = ");
    let errors = errors(&text);
    assert_eq!(errors[0].message, "unknown template `pages.recrd_only`");
    assert_eq!(
        errors[0].position,
        Some((line_of(&text, "recrd_only = "), 1))
    );
    assert_eq!(
        errors[0].help.as_deref(),
        Some("did you mean `pages.record_only`?")
    );
    // And the one it was meant to be is missing.
    assert_eq!(errors[1].message, "template `pages.record_only` is missing");
    assert_eq!(errors[1].position, None);
    assert!(
        errors[1]
            .help
            .as_deref()
            .unwrap()
            .contains("under `[pages]`")
    );
    assert_eq!(errors.len(), 2);
}

#[test]
fn every_missing_template_is_named() {
    let text = ENGLISH
        .lines()
        .filter(|line| !line.starts_with("intro = ") && !line.starts_with("floors = "))
        .collect::<Vec<_>>()
        .join("\n");
    let messages: Vec<String> = errors(&text).into_iter().map(|e| e.message).collect();
    assert_eq!(
        messages,
        [
            "template `about.intro` is missing",
            "template `hidden.floors` is missing"
        ]
    );
}

#[test]
fn a_template_that_leaves_out_a_placeholder_is_refused() {
    let text = english_with(
        "never_record = \"We never record pages at {patterns}.\"",
        "never_record = \"We never record some pages.\"",
    );
    let errors = errors(&text);
    assert_eq!(
        errors[0].message,
        "template `pages.never_record` leaves out the placeholder `{patterns}`"
    );
    assert_eq!(
        errors[0].position,
        Some((line_of(&text, "never_record = "), 16))
    );
    assert_eq!(errors.len(), 1);
}

#[test]
fn an_unknown_placeholder_is_refused_with_the_closest_one() {
    let text = english_with(
        "We never record pages at {patterns}.",
        "We never record pages at {pattern}.",
    );
    let errors = errors(&text);
    assert_eq!(
        errors[0].message,
        "template `pages.never_record` uses the unknown placeholder `{pattern}`"
    );
    assert_eq!(
        errors[0].help.as_deref(),
        Some("did you mean `{patterns}`?")
    );
    let text = english_with(
        "title = \"Session replay\"",
        "title = \"Session replay for {site}\"",
    );
    let errors = self::errors(&text);
    assert_eq!(
        errors[0].help.as_deref(),
        Some("it takes no placeholder; write `{{` and `}}` for a brace")
    );
}

#[test]
fn unbalanced_braces_are_refused() {
    let text = english_with("title = \"Session replay\"", "title = \"Session {replay\"");
    assert_eq!(
        errors(&text)[0].message,
        "template `notice.title` has a `{` that is never closed"
    );
    let text = english_with("title = \"Session replay\"", "title = \"Session} replay\"");
    assert_eq!(
        errors(&text)[0].message,
        "template `notice.title` has a `}` that closes nothing"
    );
}

#[test]
fn a_template_must_be_text_in_a_table() {
    let text = english_with("title = \"Session replay\"", "title = 3");
    let errors = errors(&text);
    assert_eq!(errors[0].message, "template `notice.title` is not a string");
    assert_eq!(errors.len(), 1, "not reported as missing as well");

    let text = format!("stray = \"x\"\n{ENGLISH}");
    let errors = self::errors(&text);
    assert_eq!(errors[0].message, "`stray` is not a table of templates");
    assert_eq!(errors[0].position, Some((1, 1)));
}

#[test]
fn a_file_that_is_not_toml_is_refused_with_its_place() {
    let errors = errors("[notice\ntitle = \"x\"\n");
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0]
            .message
            .starts_with("the template file is not valid TOML: "),
        "{}",
        errors[0].message
    );
    assert_eq!(errors[0].position.map(|(line, _)| line), Some(1));
}

#[test]
fn the_language_must_be_a_language_tag() {
    let text = english_with("language = \"en\"", "language = \"en\\\" onload=\\\"x\"");
    assert_eq!(
        errors(&text)[0].message,
        "`en\" onload=\"x` is not a language tag"
    );
}

#[test]
fn every_key_has_its_english_template() {
    let templates = Templates::english();
    let compilation = compile_repo("examples/shop.scrim");
    let disclosure = disclose(
        compilation.artifact.as_ref().unwrap(),
        &compilation.sources,
        &templates,
    );
    // Keys name their table in the file.
    for key in Key::ALL {
        let (table, entry) = key.name().split_once('.').unwrap();
        assert!(ENGLISH.contains(&format!("[{table}]")), "{table}");
        assert!(ENGLISH.contains(&format!("\n{entry} = ")), "{entry}");
    }
    assert!(!disclosure.sections.is_empty());
}

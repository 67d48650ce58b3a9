//! Where hover and completion documentation comes from: the same sources
//! users read, never a second copy.
//!
//! - Keywords, channels and built-in detectors: `docs/language.md`, the
//!   language reference (its bullets, sections and tables), compiled in.
//! - Presets: the header comment of each preset's own policy file
//!   (`crates/compiler/presets/NAME.scrim`), which maps the vendor's markup
//!   to what it becomes, and its rules.
//! - Lint rules: each rule's documentation in `scrim-lint`, as `scrim lint
//!   --explain` prints it.
//!
//! The tests check that every keyword, channel, detector and preset finds
//! its text, so an edit of the reference that loses one fails there.

use scrim_syntax::ast::ItemKind;

const LANGUAGE: &str = include_str!("../../../../docs/language.md");

/// Where the reference documents a keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Topic {
    /// The bullet that starts with this code (`- \`block SELECTOR\` — …`).
    Bullet(&'static str),
    /// The prose of a section, by its heading line.
    Section(&'static str),
    /// The paragraph that starts with this text.
    Paragraph(&'static str),
}

/// The topic of `word` where it stands as a keyword in a statement of
/// `kind` (`None` for a statement that did not parse).
fn keyword_topic(word: &str, kind: Option<&ItemKind>) -> Option<Topic> {
    use ItemKind as K;
    use Topic::*;
    Some(match (word, kind) {
        ("scrim", _) => Section("## The version line"),
        ("include", _) => Section("## Includes"),
        ("preset", _) => Section("## Vendor markup presets"),
        ("sensitive" | "defaults" | "except", _) => Section("## Sensitive attributes"),
        ("attributes" | "all", Some(K::Sensitive(_))) => Section("## Sensitive attributes"),
        ("require", _) | ("consent", Some(K::RequireConsent { .. })) => Bullet("require consent"),
        ("only", _) | ("record", Some(K::RecordOnly { .. })) => Bullet("record only"),
        ("never" | "record", _) => Bullet("never record"),
        ("redact", Some(K::RedactPath { .. })) | ("path", _) => Bullet("redact path"),
        ("redact" | "query", _) => Bullet("redact query"),
        ("detect", _) => Section("## Detectors"),
        ("examples", _) => Paragraph("A custom detector may list examples"),
        ("default" | "capture", _) | ("mask" | "ignore", Some(K::Default { .. })) => {
            Section("## Defaults")
        }
        ("block", _) => Bullet("block SELECTOR"),
        ("sealed", _) => Bullet("mask sealed"),
        ("mask", _) => Bullet("mask CHANNELS"),
        ("allow", Some(K::Lint { .. })) | ("warn" | "deny" | "lint", _) => Bullet("lint RULE"),
        ("allow", _) => Bullet("allow CHANNELS"),
        ("ignore", _) => Bullet("ignore events"),
        ("with", _) => Section("### Masking strategies"),
        ("stars", _) => Bullet("with stars"),
        ("length", _) => Bullet("with length"),
        ("as", _) => Section("### Naming rules"),
        ("on" | "page", _) => Bullet("on page"),
        ("when" | "and" | "not" | "region" | "consent", _) => Bullet("when CONDITION"),
        _ => return None,
    })
}

/// The documentation of keyword `word` in a statement of `kind`: the
/// reference's text, and the section it is in.
pub(crate) fn keyword(word: &str, kind: Option<&ItemKind>) -> Option<String> {
    let topic = keyword_topic(word, kind)?;
    let (text, section) = lookup(topic)?;
    Some(format!(
        "**`{word}`**\n\n{text}\n\n*Language reference: {section}*"
    ))
}

/// The reference's text for a topic, and the title of its section.
fn lookup(topic: Topic) -> Option<(String, String)> {
    let mut section = String::new();
    let mut in_code = false;
    let mut lines = LANGUAGE.lines().peekable();
    while let Some(line) = lines.next() {
        if line.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        if let Some(title) = line.strip_prefix("## ").or(line.strip_prefix("### ")) {
            section = title.to_string();
        }
        match topic {
            Topic::Bullet(code) if line.starts_with(&format!("- `{code}")) => {
                let mut text = line.trim_start_matches("- ").to_string();
                // Its continuation lines: up to the next bullet or a blank.
                while let Some(next) = lines.peek() {
                    if next.trim().is_empty() || next.starts_with("- ") || next.starts_with('#') {
                        break;
                    }
                    text.push(' ');
                    text.push_str(next.trim());
                    lines.next();
                }
                return Some((text, section));
            }
            Topic::Paragraph(start) if line.starts_with(start) => {
                let mut text = line.to_string();
                while let Some(next) = lines.peek() {
                    if next.trim().is_empty() {
                        break;
                    }
                    text.push(' ');
                    text.push_str(next.trim());
                    lines.next();
                }
                return Some((text, section));
            }
            Topic::Section(heading) if line == heading => {
                return Some((section_prose(&mut lines), section));
            }
            _ => {}
        }
    }
    None
}

/// The first two paragraphs of prose after a heading (code blocks left
/// out), up to the next heading.
fn section_prose<'a>(lines: &mut impl Iterator<Item = &'a str>) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut in_code = false;
    for line in lines {
        if line.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        if line.starts_with("## ") || line.starts_with("### ") {
            break;
        }
        if line.trim().is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
                if paragraphs.len() == 2 {
                    break;
                }
            }
            continue;
        }
        if !current.is_empty() {
            current.push(if line.starts_with("- ") { '\n' } else { ' ' });
        }
        current.push_str(line.trim_end());
    }
    if !current.is_empty() && paragraphs.len() < 2 {
        paragraphs.push(current);
    }
    paragraphs.join("\n\n")
}

/// The cells of the rows of the reference's table whose header starts
/// with `header` (`| channel |`), each row's first cell without its
/// backticks.
fn table(header: &str) -> Vec<(String, Vec<String>)> {
    let mut rows = Vec::new();
    let mut lines = LANGUAGE
        .lines()
        .skip_while(|line| !line.starts_with(header));
    lines.next();
    for line in lines.skip(1) {
        let Some(inner) = line.strip_prefix('|').and_then(|l| l.strip_suffix('|')) else {
            break;
        };
        let cells: Vec<String> = inner.split(" | ").map(|c| c.trim().to_string()).collect();
        let key = cells[0].trim_matches('`').to_string();
        rows.push((key, cells[1..].to_vec()));
    }
    rows
}

/// The documentation of a channel as written (`text`, `attr:data-id`,
/// `attr:data-*`).
pub(crate) fn channel(written: &str) -> Option<String> {
    let key = match written.strip_prefix("attr:") {
        Some(name) if name.ends_with('*') => "attr:PREFIX*",
        Some(_) => "attr:NAME",
        None => written,
    };
    let (_, cells) = table("| channel |").into_iter().find(|(k, _)| k == key)?;
    let mut out = format!("**`{written}`** channel: {}", cells.first()?);
    if let Some(name) = written.strip_prefix("attr:").filter(|n| !n.ends_with('*')) {
        let builtin = scrim_artifact::SensitiveAttributes::BUILTIN.contains(&name);
        out.push_str(&format!(
            "\n\n`{name}` is {} the built-in sensitive set.",
            if builtin { "in" } else { "not in" }
        ));
    }
    out.push_str("\n\n*Language reference: Channels*");
    Some(out)
}

/// The documentation of a built-in detector.
pub(crate) fn detector(name: &str) -> Option<String> {
    let (_, cells) = table("| detector |").into_iter().find(|(k, _)| k == name)?;
    let [expression, check, finds] = cells.as_slice() else {
        return None;
    };
    let mut out = format!("**`{name}`** detector: masks what {expression} matches");
    if check != "—" {
        out.push_str(&format!(" when {check}"));
    }
    out.push_str(&format!(
        ", in text and values that are captured.\n\nFinds {finds}.\n\n*Language reference: Detectors*"
    ));
    Some(out)
}

/// The documentation of a preset: its header comment (the vendor's markup
/// and what it becomes) and its rules.
pub(crate) fn preset(name: &str) -> Option<String> {
    let text = scrim_compiler::presets::preset(name)?;
    let mut header = Vec::new();
    let mut rules = Vec::new();
    for line in text.lines() {
        if let Some(comment) = line.strip_prefix('#') {
            if rules.is_empty() {
                header.push(comment.strip_prefix(' ').unwrap_or(comment));
            }
        } else if !line.trim().is_empty() && !line.starts_with("scrim ") {
            rules.push(line);
        }
    }
    Some(format!(
        "**`preset {name}`**\n\n```text\n{}\n```\n\nIts rules, as if written in the policy:\n\n```scrim\n{}\n```",
        header.join("\n").trim(),
        rules.join("\n")
    ))
}

/// The documentation of a lint rule, as `scrim lint --explain` prints it.
pub(crate) fn lint_rule(id: &str) -> Option<String> {
    scrim_lint::rule(id).map(scrim_lint::Rule::explain)
}

#[cfg(test)]
mod tests {
    use super::*;
    use scrim_syntax::ast::Channel;

    /// Every word the grammar reserves.
    const KEYWORDS: &[&str] = &[
        "scrim",
        "include",
        "preset",
        "sensitive",
        "attributes",
        "all",
        "except",
        "defaults",
        "require",
        "consent",
        "record",
        "only",
        "never",
        "redact",
        "query",
        "path",
        "detect",
        "examples",
        "default",
        "capture",
        "block",
        "mask",
        "allow",
        "ignore",
        "sealed",
        "with",
        "stars",
        "length",
        "as",
        "on",
        "page",
        "when",
        "and",
        "not",
        "region",
        "lint",
        "warn",
        "deny",
    ];

    #[test]
    fn every_keyword_finds_its_reference_text() {
        // `all` and `attributes` are channels in rules and defaults, and
        // keywords of `sensitive attributes`.
        let kind =
            ItemKind::Sensitive(scrim_syntax::ast::SensitiveAttributes::List { names: Vec::new() });
        for word in ["all", "attributes"] {
            assert!(keyword(word, Some(&kind)).is_some(), "`{word}`");
        }
        for word in KEYWORDS.iter().filter(|w| !Channel::KEYWORDS.contains(w)) {
            let doc = keyword(word, None).unwrap_or_else(|| panic!("no topic for `{word}`"));
            assert!(doc.len() > 60, "`{word}`: {doc}");
        }
        for word in scrim_syntax::STATEMENT_KEYWORDS {
            assert!(KEYWORDS.contains(word), "`{word}`");
        }
    }

    #[test]
    fn every_channel_detector_preset_and_lint_rule_is_documented() {
        for written in Channel::KEYWORDS
            .iter()
            .copied()
            .chain(["attr:title", "attr:data-*"])
        {
            assert!(channel(written).is_some(), "`{written}`");
        }
        for name in scrim_compiler::BUILTIN_DETECTORS {
            assert!(detector(name).is_some(), "`{name}`");
        }
        for name in scrim_compiler::presets::names() {
            let doc = preset(name).unwrap();
            assert!(doc.contains("Preset:"), "`{name}`: {doc}");
        }
        for rule in scrim_lint::RULES {
            assert!(lint_rule(rule.id).is_some());
        }
    }

    #[test]
    fn a_keyword_is_read_in_its_statement() {
        let lint = ItemKind::Lint {
            rules: Vec::new(),
            level: scrim_syntax::ast::LintLevelRef {
                level: scrim_syntax::ast::LintLevel::Allow,
                span: scrim_syntax::Span::default(),
            },
        };
        assert!(
            keyword("allow", Some(&lint))
                .unwrap()
                .contains("`lint RULE")
        );
        assert!(
            keyword("allow", None)
                .unwrap()
                .contains("capture those channels")
        );
    }
}

//! What a policy says is shown, never run: a notice pasted into a web page
//! must not let a selector, a URL pattern, a masking text or a comment add
//! markup to it. A hostile policy, and a property over any text a policy
//! can carry into a notice.

mod common;

use common::{compile_text, english};
use proptest::prelude::*;
use scrim_disclose::{Format, Templates, render};

const HOSTILE: &str = r#"scrim 1

# <script>alert("note")</script> & </code> `x` *y* [z](javascript:alert(1))
block "a[title='<script>alert(1)</script>']" as evil
mask text "[data-x='</li><img src=x onerror=alert(1)>']" with "</code><script>x</script>"
never record "https://example.com/<svg/onload=alert(1)>"
detect evil /<script>/
redact path /<b>`/
on page "/x/<i>*" {
  allow text "[data-y=\"`<u>`\"]"  # </small><script>
}
"#;

/// The tags a notice is written with, and the attributes they carry.
const TAGS: &[&str] = &[
    "section", "h2", "h3", "p", "ul", "li", "code", "br", "small",
];
const ATTRIBUTES: &[&str] = &["class", "lang", "id"];

/// Every tag of an HTML notice is one the renderer writes: nothing from
/// the policy became markup.
fn assert_only_notice_markup(html: &str) {
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        let tag = &rest[at + 1..];
        let end = tag.find('>').expect("every tag is closed");
        let tag = &tag[..end];
        let tag = tag.strip_prefix('/').unwrap_or(tag);
        let (name, attributes) = tag.split_once(' ').unwrap_or((tag, ""));
        assert!(TAGS.contains(&name), "a tag `<{tag}>` in\n{html}");
        for attribute in attributes.split_terminator("\" ") {
            let (key, value) = attribute
                .split_once("=\"")
                .unwrap_or_else(|| panic!("attribute `{attribute}` in `<{tag}>`"));
            assert!(ATTRIBUTES.contains(&key), "attribute `{key}` in `<{tag}>`");
            let value = value.strip_suffix('"').unwrap_or(value);
            assert!(
                !value.contains(['"', '<', '>']),
                "attribute value `{value}`"
            );
        }
        rest = &rest[at + 1 + end..];
    }
}

/// The Markdown outside code spans, read as CommonMark reads code spans (a
/// run of backticks opens one, closed by the next run of the same length;
/// a backslash escapes the character after it).
fn outside_code_spans(markdown: &str) -> String {
    let chars: Vec<char> = markdown.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' if i + 1 < chars.len() => {
                out.push(chars[i]);
                out.push(chars[i + 1]);
                i += 2;
            }
            '`' => {
                let run = chars[i..].iter().take_while(|c| **c == '`').count();
                let mut j = i + run;
                let mut closed = None;
                while j < chars.len() {
                    if chars[j] == '`' {
                        let other = chars[j..].iter().take_while(|c| **c == '`').count();
                        if other == run {
                            closed = Some(j + other);
                            break;
                        }
                        j += other;
                    } else {
                        j += 1;
                    }
                }
                match closed {
                    Some(after) => {
                        out.push_str("`code`");
                        i = after;
                    }
                    None => {
                        out.extend(&chars[i..i + run]);
                        i += run;
                    }
                }
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// Outside code spans, every character that could start markup is escaped.
fn assert_no_markdown_markup(markdown: &str) {
    let outside = outside_code_spans(markdown);
    let chars: Vec<char> = outside.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if matches!(c, '<' | '>' | '&' | '[' | ']') {
            let escaped = i > 0 && chars[i - 1] == '\\';
            assert!(escaped, "an unescaped `{c}` in\n{outside}");
        }
    }
}

#[test]
fn a_hostile_policy_adds_no_markup_to_html() {
    let disclosure = english(&compile_text("<b>policy</b>.scrim", HOSTILE, &[]));
    for with_sources in [false, true] {
        let html = render(
            &disclosure,
            Format::Html,
            with_sources,
            &Templates::english(),
        );
        assert_only_notice_markup(&html);
        assert!(html.contains("&lt;script&gt;alert(&quot;note&quot;)&lt;/script&gt;"));
        assert!(html.contains("<code>&lt;/code&gt;&lt;script&gt;x&lt;/script&gt;</code>"));
        assert!(html.contains("<code>https://example.com/&lt;svg/onload=alert(1)&gt;</code>"));
    }
    let html = render(&disclosure, Format::Html, true, &Templates::english());
    assert!(html.contains("<code>&lt;b&gt;policy&lt;/b&gt;.scrim:4</code>"));
}

#[test]
fn a_hostile_policy_adds_no_markup_to_markdown() {
    let disclosure = english(&compile_text("<b>policy</b>.scrim", HOSTILE, &[]));
    for with_sources in [false, true] {
        let markdown = render(
            &disclosure,
            Format::Markdown,
            with_sources,
            &Templates::english(),
        );
        assert_no_markdown_markup(&markdown);
        // Code keeps its text, in a fence no backtick inside can close.
        assert!(markdown.contains("``[data-y=\"`<u>`\"]``"), "{markdown}");
        assert!(markdown.contains("`` <b>` ``"), "{markdown}");
    }
}

#[test]
fn a_hostile_policy_is_json_that_reads_back_as_written() {
    let disclosure = english(&compile_text("p.scrim", HOSTILE, &[]));
    let json = render(&disclosure, Format::Json, false, &Templates::english());
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let texts = value.to_string();
    assert!(texts.contains("</code><script>x</script>"));
}

#[test]
fn the_checks_above_catch_markup() {
    // So that they cannot pass by looking at nothing.
    let caught = std::panic::catch_unwind(|| assert_only_notice_markup("<p><img src=x></p>"));
    assert!(caught.is_err());
    let caught = std::panic::catch_unwind(|| assert_no_markdown_markup("a <b> c"));
    assert!(caught.is_err());
    assert_no_markdown_markup("a `<b>` \\<c\\>");
}

/// Text as a policy string literal writes it.
fn string_literal(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Whatever a comment or a masking text holds, the notice shows it as
    /// text: in HTML only the notice's own tags, in Markdown nothing
    /// unescaped outside code, and the text itself kept whole.
    #[test]
    fn any_comment_or_masking_text_is_shown_not_run(
        comment in "[<>&\"'`*_\\[\\]()!#|~\\\\{}a-z =/:;.-]{1,40}",
        fixed in "[<>&\"'`*_\\[\\]()!#|~\\\\{}a-z =/:;.-]{1,40}",
    ) {
        let policy = format!(
            "scrim 1\n\n# {comment}\nmask value \".x\" with {}\n",
            string_literal(&fixed)
        );
        let disclosure = english(&compile_text("p.scrim", &policy, &[]));
        let item = disclosure
            .sections
            .iter()
            .flat_map(|s| &s.sentences)
            .flat_map(|s| &s.items)
            .next()
            .expect("the rule is listed");
        prop_assert!(item.text.contains(&fixed));
        prop_assert!(item.text.contains(comment.trim()));
        for with_sources in [false, true] {
            let html = render(&disclosure, Format::Html, with_sources, &Templates::english());
            assert_only_notice_markup(&html);
            let markdown = render(&disclosure, Format::Markdown, with_sources, &Templates::english());
            assert_no_markdown_markup(&markdown);
        }
    }
}

//! Writing a disclosure as Markdown, HTML or JSON.
//!
//! Everything in a disclosure is text to be shown, never markup: what comes
//! from a policy (selectors, URL patterns, names, comments) may hold any
//! character, and so may a team's templates. Markdown escapes every
//! character that could start markup (HTML included, which Markdown passes
//! through) and writes code in a fence of backticks longer than any run
//! inside it; HTML escapes every character that could end text.

use crate::templates::{Key, Part, Templates};
use crate::{Disclosure, Item, PolicyLine, Sentence, Source};

/// An output format of `scrim disclose`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
    Json,
}

/// The disclosure as text. `with_sources` adds, under each sentence and
/// item, the policy lines it summarises (JSON always has them). The
/// templates give the words that introduce those lines.
pub fn render(
    disclosure: &Disclosure,
    format: Format,
    with_sources: bool,
    templates: &Templates,
) -> String {
    let sources = with_sources.then(|| SourceWords {
        policy: templates.text(Key::SourcesPolicy),
        built_in: templates.text(Key::SourcesBuiltIn),
        built_in_default: templates.text(Key::SourcesBuiltInDefault),
    });
    match format {
        Format::Markdown => markdown(disclosure, sources.as_ref()),
        Format::Html => html(disclosure, sources.as_ref()),
        Format::Json => {
            serde_json::to_string_pretty(disclosure).expect("a disclosure serialises") + "\n"
        }
    }
}

struct SourceWords {
    policy: String,
    built_in: String,
    built_in_default: String,
}

impl SourceWords {
    /// The policy lines, and the words for what is built in, apart: how a
    /// format writes the first (`file:line` and the statement) and the
    /// second (a phrase) differ.
    fn split<'s>(&self, sources: &'s [Source]) -> (Vec<&'s PolicyLine>, Vec<&str>) {
        let mut lines = Vec::new();
        let mut built_in = Vec::new();
        for source in sources {
            match source {
                Source::Policy(line) => lines.push(line),
                Source::BuiltIn => built_in.push(self.built_in.as_str()),
                Source::BuiltInDefault => built_in.push(self.built_in_default.as_str()),
            }
        }
        (lines, built_in)
    }
}

// ---- Markdown ------------------------------------------------------------

fn markdown(disclosure: &Disclosure, sources: Option<&SourceWords>) -> String {
    let mut out = format!("## {}\n", md_text(&disclosure.title));
    for section in &disclosure.sections {
        out.push_str(&format!("\n### {}\n", md_text(&section.heading)));
        for sentence in &section.sentences {
            md_sentence(&mut out, sentence, sources);
        }
    }
    out
}

fn md_sentence(out: &mut String, sentence: &Sentence, sources: Option<&SourceWords>) {
    out.push('\n');
    out.push_str(&md_parts(&sentence.parts));
    if let Some(words) = sources
        && !sentence.sources.is_empty()
    {
        out.push_str("\\\n");
        out.push_str(&md_sources(&sentence.sources, words));
    }
    out.push('\n');
    if !sentence.items.is_empty() {
        out.push('\n');
        for item in &sentence.items {
            md_item(out, item, sources);
        }
    }
}

fn md_item(out: &mut String, item: &Item, sources: Option<&SourceWords>) {
    out.push_str("- ");
    out.push_str(&md_parts(&item.parts));
    if let Some(words) = sources
        && !item.sources.is_empty()
    {
        out.push_str("\\\n  ");
        out.push_str(&md_sources(&item.sources, words));
    }
    out.push('\n');
}

fn md_sources(sources: &[Source], words: &SourceWords) -> String {
    let (lines, built_in) = words.split(sources);
    let mut pieces = Vec::new();
    if !lines.is_empty() {
        let lines: Vec<String> = lines
            .iter()
            .map(|line| {
                format!(
                    "{} {}",
                    md_code(&format!("{}:{}", line.file, line.line)),
                    md_code(&line.text)
                )
            })
            .collect();
        pieces.push(format!("*{}* {}", md_text(&words.policy), lines.join("; ")));
    }
    pieces.extend(built_in.iter().map(|words| format!("*{}*", md_text(words))));
    pieces.join(" ")
}

fn md_parts(parts: &[Part]) -> String {
    parts
        .iter()
        .map(|part| match part {
            Part::Text(text) => md_text(text),
            Part::Code(code) => md_code(code),
        })
        .collect()
}

/// Text with every character that could start Markdown (or HTML, which
/// Markdown passes through) escaped, on one line.
fn md_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in one_line(text).chars() {
        if matches!(
            c,
            '\\' | '`'
                | '*'
                | '_'
                | '['
                | ']'
                | '<'
                | '>'
                | '&'
                | '#'
                | '|'
                | '~'
                | '!'
                | '{'
                | '}'
                | '+'
                | '='
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A code span: fenced by more backticks than any run inside, and padded
/// when it starts or ends with a backtick, so nothing inside can close it.
fn md_code(code: &str) -> String {
    let code = one_line(code);
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if code.starts_with('`') || code.ends_with('`') || code.trim().is_empty() {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{code}{pad}{fence}")
}

/// Text on one line: line breaks and other control characters become
/// spaces (a policy line is one line already; a template might not be).
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

// ---- HTML ----------------------------------------------------------------

fn html(disclosure: &Disclosure, sources: Option<&SourceWords>) -> String {
    let mut out = format!(
        "<section class=\"scrim-disclosure\" lang=\"{}\">\n<h2>{}</h2>\n",
        escape(&disclosure.language),
        escape(&disclosure.title)
    );
    for section in &disclosure.sections {
        out.push_str(&format!(
            "<h3 id=\"scrim-{}\">{}</h3>\n",
            escape(section.id),
            escape(&section.heading)
        ));
        for sentence in &section.sentences {
            out.push_str("<p>");
            out.push_str(&html_parts(&sentence.parts));
            if let Some(words) = sources
                && !sentence.sources.is_empty()
            {
                out.push_str(&html_sources(&sentence.sources, words));
            }
            out.push_str("</p>\n");
            if !sentence.items.is_empty() {
                out.push_str("<ul>\n");
                for item in &sentence.items {
                    out.push_str("<li>");
                    out.push_str(&html_parts(&item.parts));
                    if let Some(words) = sources
                        && !item.sources.is_empty()
                    {
                        out.push_str(&html_sources(&item.sources, words));
                    }
                    out.push_str("</li>\n");
                }
                out.push_str("</ul>\n");
            }
        }
    }
    out.push_str("</section>\n");
    out
}

fn html_parts(parts: &[Part]) -> String {
    parts
        .iter()
        .map(|part| match part {
            Part::Text(text) => escape(text),
            Part::Code(code) => format!("<code>{}</code>", escape(code)),
        })
        .collect()
}

fn html_sources(sources: &[Source], words: &SourceWords) -> String {
    let (lines, built_in) = words.split(sources);
    let mut pieces = Vec::new();
    if !lines.is_empty() {
        let lines: Vec<String> = lines
            .iter()
            .map(|line| {
                format!(
                    "<code>{}:{}</code> <code>{}</code>",
                    escape(&line.file),
                    line.line,
                    escape(&line.text)
                )
            })
            .collect();
        pieces.push(format!("{} {}", escape(&words.policy), lines.join("; ")));
    }
    pieces.extend(built_in.iter().map(|words| escape(words)));
    format!(
        "<br><small class=\"scrim-sources\">{}</small>",
        pieces.join(" ")
    )
}

/// Text for HTML: safe in element content and in quoted attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_are_fenced_longer_than_any_backtick_run_inside() {
        assert_eq!(md_code("a"), "`a`");
        assert_eq!(md_code("a`b"), "``a`b``");
        assert_eq!(md_code("`a``"), "``` `a`` ```");
        assert_eq!(md_code("x\ny"), "`x y`");
    }

    #[test]
    fn markdown_text_escapes_what_could_start_markup() {
        assert_eq!(md_text("<b>*x*</b>"), "\\<b\\>\\*x\\*\\</b\\>");
        assert_eq!(md_text("[a](javascript:x)"), "\\[a\\](javascript:x)");
        assert_eq!(md_text("a\nb"), "a b");
    }

    #[test]
    fn html_escapes_what_could_end_text_or_an_attribute() {
        assert_eq!(
            escape("<a href=\"x\" title='y'>&</a>"),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;"
        );
    }
}

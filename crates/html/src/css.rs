//! Style sheets and `style` attributes: kept for layout, with their strings
//! (`content: "…"`, font names) recorded under one outcome and their
//! `url(…)` values (and `@import` strings) under another, through URL
//! redaction.
//!
//! A small tokenizer in the spirit of CSS Syntax: comments, strings,
//! identifiers (with escapes, so `\75 rl(` is `url(` too) and `url(…)`
//! tokens are recognised; everything else is copied as it is. Comments are
//! never recorded: each becomes `/**/`, which separates tokens as the
//! original did. Rewritten strings and URLs are written double-quoted and
//! escaped so that they can close neither the string nor the `<style>`
//! element.

use crate::urls;
use scrim_matcher::{ChannelOutcome, Page};

/// Rewrites a style sheet (or a `style` attribute's declarations).
pub(crate) fn rewrite(
    css: &str,
    strings: ChannelOutcome<'_>,
    urls: ChannelOutcome<'_>,
    page: &Page<'_>,
) -> String {
    let b = css.as_bytes();
    let mut out = String::with_capacity(css.len());
    let mut i = 0;
    // The next string is an `@import` target (a URL, not text).
    let mut import_pending = false;
    // Open parentheses, and the depth inside which strings are URLs
    // (`image-set("a.png" 1x)`, `src("f.woff")`).
    let mut depth = 0usize;
    let mut url_strings_from: Option<usize> = None;
    while i < b.len() {
        let c = b[i];
        if c == b'/' && b.get(i + 1) == Some(&b'*') {
            let end = css[i + 2..].find("*/").map_or(b.len(), |j| i + 2 + j + 2);
            out.push_str("/**/");
            i = end;
            continue;
        }
        if c == b'"' || c == b'\'' {
            let (value, end) = read_string(css, i);
            let rendered = if import_pending || url_strings_from.is_some() {
                import_pending = false;
                urls::rewrite(&value, urls, page)
                    .map(std::borrow::Cow::into_owned)
                    .unwrap_or_default()
            } else {
                page.render(strings, &value).into_owned()
            };
            write_string(&mut out, &rendered);
            i = end;
            if b.get(end) == Some(&b'\n') && !strings.is_capture() {
                // A bad string (cut by a newline): what follows was meant
                // as its text, though CSS reads it as tokens. The rest of
                // the sheet is masked.
                out.push_str(&page.render(strings, &css[end..]));
                break;
            }
            continue;
        }
        if c == b'@' {
            let (name, end) = read_ident(css, i + 1);
            if end > i + 1 {
                import_pending = name.eq_ignore_ascii_case("import");
                out.push_str(&css[i..end]);
                i = end;
                continue;
            }
        }
        if starts_ident(b, i) {
            let (name, end) = read_ident(css, i);
            if b.get(end) == Some(&b'(') && name.eq_ignore_ascii_case("url") {
                // `url(` then optional whitespace; a quoted argument makes
                // it a function whose string is the URL.
                let mut j = end + 1;
                while j < b.len() && is_ws(b[j]) {
                    j += 1;
                }
                if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
                    let (value, after) = read_string(css, j);
                    out.push_str("url(");
                    write_string(
                        &mut out,
                        &urls::rewrite(&value, urls, page).unwrap_or_default(),
                    );
                    i = after;
                } else {
                    let (value, after) = read_unquoted_url(css, j);
                    out.push_str("url(");
                    write_string(
                        &mut out,
                        &urls::rewrite(&value, urls, page).unwrap_or_default(),
                    );
                    out.push(')');
                    i = after;
                }
                import_pending = false;
                continue;
            }
            if b.get(end) == Some(&b'(')
                && url_strings_from.is_none()
                && ["image-set", "-webkit-image-set", "src"]
                    .iter()
                    .any(|f| name.eq_ignore_ascii_case(f))
            {
                // Its parenthesis is counted below.
                url_strings_from = Some(depth + 1);
            }
            out.push_str(&css[i..end]);
            i = end;
            continue;
        }
        if c == b'\\' {
            // A stray escape outside an identifier: copy it with the
            // character it escapes.
            let len = css[i + 1..].chars().next().map_or(0, char::len_utf8);
            out.push_str(&css[i..i + 1 + len]);
            i += 1 + len;
            continue;
        }
        if c == b';' || c == b'{' || c == b'}' {
            import_pending = false;
        }
        if c == b'(' {
            depth += 1;
        } else if c == b')' {
            if url_strings_from == Some(depth) {
                url_strings_from = None;
            }
            depth = depth.saturating_sub(1);
        } else if c == b'{' || c == b'}' || c == b';' {
            // A block or declaration ends any function left open.
            depth = 0;
            url_strings_from = None;
        }
        let len = css[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&css[i..i + len]);
        i += len;
    }
    out
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_name(b: u8) -> bool {
    is_name_start(b) || b.is_ascii_digit() || b == b'-'
}

fn valid_escape(b: &[u8], i: usize) -> bool {
    b.get(i) == Some(&b'\\') && b.get(i + 1).is_some_and(|&c| c != b'\n')
}

/// Whether an identifier starts at `i` (CSS Syntax §4.3.9).
fn starts_ident(b: &[u8], i: usize) -> bool {
    match b.get(i) {
        Some(b'-') => {
            b.get(i + 1).is_some_and(|&c| is_name_start(c) || c == b'-') || valid_escape(b, i + 1)
        }
        Some(&c) if is_name_start(c) => true,
        Some(b'\\') => valid_escape(b, i),
        _ => false,
    }
}

/// Decodes the escape at `i` (the backslash); returns the character and
/// the index after the escape.
fn read_escape(s: &str, i: usize) -> (char, usize) {
    let b = s.as_bytes();
    let mut j = i + 1;
    let start = j;
    while j < b.len() && j - start < 6 && b[j].is_ascii_hexdigit() {
        j += 1;
    }
    if j > start {
        let code = u32::from_str_radix(&s[start..j], 16).unwrap_or(0xFFFD);
        if j < b.len() && is_ws(b[j]) {
            j += if b[j] == b'\r' && b.get(j + 1) == Some(&b'\n') {
                2
            } else {
                1
            };
        }
        let c = match char::from_u32(code) {
            Some('\0') | None => '\u{FFFD}',
            Some(c) => c,
        };
        return (c, j);
    }
    match s[start..].chars().next() {
        Some(c) => (c, start + c.len_utf8()),
        None => ('\u{FFFD}', start),
    }
}

/// Reads an identifier starting at `i`: its decoded name and end.
fn read_ident(s: &str, mut i: usize) -> (String, usize) {
    let b = s.as_bytes();
    let mut name = String::new();
    while i < b.len() {
        if is_name(b[i]) {
            let c = s[i..].chars().next().unwrap_or('\u{FFFD}');
            name.push(c);
            i += c.len_utf8();
        } else if valid_escape(b, i) {
            let (c, next) = read_escape(s, i);
            name.push(c);
            i = next;
        } else {
            break;
        }
    }
    (name, i)
}

/// Reads a string token whose quote is at `i`: its decoded value and the
/// index after it. A string ends at its quote, at an unescaped newline (a
/// bad string, whose newline is left for the caller) or at the end.
fn read_string(s: &str, i: usize) -> (String, usize) {
    let b = s.as_bytes();
    let quote = b[i];
    let mut j = i + 1;
    let mut value = String::new();
    while j < b.len() {
        let c = b[j];
        if c == quote {
            return (value, j + 1);
        }
        if c == b'\n' {
            return (value, j);
        }
        if c == b'\\' {
            match b.get(j + 1) {
                None => j += 1,
                Some(b'\n') => j += 2,
                Some(_) => {
                    let (ch, next) = read_escape(s, j);
                    value.push(ch);
                    j = next;
                }
            }
            continue;
        }
        let ch = s[j..].chars().next().unwrap_or('\u{FFFD}');
        value.push(ch);
        j += ch.len_utf8();
    }
    (value, j)
}

/// Reads an unquoted `url(` argument starting at `i`: its decoded value
/// and the index after the closing parenthesis.
fn read_unquoted_url(s: &str, mut i: usize) -> (String, usize) {
    let b = s.as_bytes();
    let mut value = String::new();
    while i < b.len() {
        let c = b[i];
        if c == b')' {
            return (value.trim_end().to_string(), i + 1);
        }
        if valid_escape(b, i) {
            let (ch, next) = read_escape(s, i);
            value.push(ch);
            i = next;
            continue;
        }
        let ch = s[i..].chars().next().unwrap_or('\u{FFFD}');
        value.push(ch);
        i += ch.len_utf8();
    }
    (value.trim_end().to_string(), i)
}

/// Writes a double-quoted CSS string that nothing can break out of.
fn write_string(out: &mut String, value: &str) {
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("\\3c "),
            '>' => out.push_str("\\3e "),
            c if c.is_control() => out.push_str(&format!("\\{:x} ", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        assert_eq!(read_ident("\\75 rl(", 0), ("url".to_string(), 6));
        assert_eq!(read_string("'a\\'b' x", 0), ("a'b".to_string(), 6));
        assert_eq!(read_string("\"ab\ncd", 0), ("ab".to_string(), 3));
        assert_eq!(read_unquoted_url(" a.png ) x", 0).0, " a.png");
        let mut s = String::new();
        write_string(&mut s, "</style>\"\\\n");
        assert_eq!(s, "\"\\3c /style\\3e \\\"\\\\\\a \"");
    }
}

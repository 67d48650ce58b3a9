//! Masking: applying a strategy to a string, detectors that find sensitive
//! spans in captured text, and URL redaction.
//!
//! Every function here guarantees the property the design promises: a masked
//! string contains no non-whitespace character of the original (stars keep
//! only whitespace; fixed text and fixed length keep nothing).

use crate::policy::LoadError;
use crate::url::{authority_range, scheme_end};
use regex_lite::Regex;
use scrim_artifact::{DetectorKind, Strategy};
use std::borrow::Cow;
use std::ops::Range;

/// Writes a masked string: stars for every non-whitespace character, a fixed
/// text, or a fixed number of stars.
pub fn mask_with(strategy: &Strategy, original: &str) -> String {
    match strategy {
        Strategy::Stars => stars(original),
        Strategy::Fixed { text } => text.clone(),
        Strategy::Length { length } => "*".repeat(*length as usize),
    }
}

/// Every non-whitespace character becomes `*`; whitespace is kept so that
/// layout survives.
pub fn stars(original: &str) -> String {
    if original.is_ascii() {
        // The common case, byte by byte: ASCII whitespace as
        // `char::is_whitespace` has it (tab, LF, VT, FF, CR, space).
        let mut out = String::with_capacity(original.len());
        for b in original.bytes() {
            out.push(if matches!(b, b'\t'..=b'\r' | b' ') {
                char::from(b)
            } else {
                '*'
            });
        }
        return out;
    }
    original
        .chars()
        .map(|c| if c.is_whitespace() { c } else { '*' })
        .collect()
}

/// Replaces the non-whitespace characters of `spans` with `*`. Spans may
/// overlap and need not be sorted; out-of-range or non-boundary offsets are
/// widened to the enclosing characters.
///
/// One pass over the text whatever the number of spans: the spans are
/// sorted, each is widened to whole characters, and the text between them
/// is copied as it is (a detector can find thousands of spans in one long
/// text node).
pub fn mask_spans<'a>(text: &'a str, spans: &[Range<usize>]) -> Cow<'a, str> {
    let mut spans: Vec<Range<usize>> = spans
        .iter()
        .filter(|r| r.start < r.end && r.start < text.len())
        .cloned()
        .collect();
    if spans.is_empty() {
        return Cow::Borrowed(text);
    }
    spans.sort_unstable_by_key(|r| r.start);
    let mut out = String::with_capacity(text.len());
    // Everything before `done` is written.
    let mut done = 0;
    for span in spans {
        let start = floor_char_boundary(text, span.start).max(done);
        let end = ceil_char_boundary(text, span.end);
        if start < end {
            out.push_str(&text[done..start]);
            out.push_str(&stars(&text[start..end]));
            done = end;
        }
    }
    out.push_str(&text[done..]);
    Cow::Owned(out)
}

/// The start of the character that byte `i` of `text` belongs to.
fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The end of the character that byte `i - 1` of `text` belongs to, at most
/// the end of the text.
fn ceil_char_boundary(text: &str, i: usize) -> usize {
    if i >= text.len() {
        return text.len();
    }
    let mut i = i;
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// A compiled `detect` entry.
#[derive(Debug)]
pub(crate) struct Detector {
    pub(crate) scope: usize,
    kind: CompiledKind,
    /// What a text must contain before the expression is worth running:
    /// most captured strings have no `@` and few digits, and this one pass
    /// over the bytes is far cheaper than the regular expression.
    needs: Needs,
}

#[derive(Debug, Clone, Copy)]
enum Needs {
    Nothing,
    AtSign,
    Digits(usize),
}

impl Needs {
    fn met_by(self, text: &str) -> bool {
        match self {
            Needs::Nothing => true,
            Needs::AtSign => text.as_bytes().contains(&b'@'),
            Needs::Digits(n) => text.bytes().filter(u8::is_ascii_digit).nth(n - 1).is_some(),
        }
    }
}

#[derive(Debug)]
enum CompiledKind {
    /// Candidates, then a check on the digits.
    Digits {
        re: Regex,
        check: fn(&[u8]) -> bool,
    },
    Plain(Regex),
}

const EMAIL: &str = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+";
const CARD: &str = r"\b\d(?:[ \-]?\d){12,18}\b";
const PHONE: &str = r"(?:\+\d{1,3}[ .\-]?)?(?:\(\d{1,4}\)[ .\-]?)?\d{2,4}(?:[ .\-]?\d{2,4}){1,4}";
const NATIONAL_ID: &str =
    r"\b\d{3}-\d{2}-\d{4}\b|\b[A-CEGHJ-PR-TW-Za-ceghj-pr-tw-z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-Da-d]\b";

fn luhn(digits: &[u8]) -> bool {
    if !(13..=19).contains(&digits.len()) {
        return false;
    }
    let mut sum = 0u32;
    for (i, d) in digits.iter().rev().enumerate() {
        let mut v = u32::from(*d);
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum.is_multiple_of(10)
}

fn phone_digits(digits: &[u8]) -> bool {
    (7..=15).contains(&digits.len())
}

pub(crate) fn compile_detector(
    kind: &DetectorKind,
    scope: usize,
    id: &str,
) -> Result<Detector, LoadError> {
    // The compiler refuses expressions past the same size limit, so only
    // an artifact made some other way meets this refusal.
    let re = |p: &str| {
        regex_lite::RegexBuilder::new(p)
            .size_limit(scrim_artifact::REGEX_SIZE_LIMIT)
            .build()
            .map_err(|e| LoadError::Regex {
                what: format!("detector `{id}`"),
                message: e.to_string(),
            })
    };
    let (kind, needs) = match kind {
        DetectorKind::Email => (CompiledKind::Plain(re(EMAIL)?), Needs::AtSign),
        // The shortest card number has 13 digits, a phone number 7 (see
        // `phone_digits`), a national id 6 (UK NI) or 9 (US SSN).
        DetectorKind::Card => (
            CompiledKind::Digits {
                re: re(CARD)?,
                check: luhn,
            },
            Needs::Digits(13),
        ),
        DetectorKind::Phone => (
            CompiledKind::Digits {
                re: re(PHONE)?,
                check: phone_digits,
            },
            Needs::Digits(7),
        ),
        DetectorKind::NationalId => (CompiledKind::Plain(re(NATIONAL_ID)?), Needs::Digits(6)),
        DetectorKind::Pattern { pattern } => (CompiledKind::Plain(re(pattern)?), Needs::Nothing),
    };
    Ok(Detector { scope, kind, needs })
}

impl Detector {
    /// Adds the spans this detector finds in `text` to `out`.
    pub(crate) fn find(&self, text: &str, out: &mut Vec<Range<usize>>) {
        if !self.needs.met_by(text) {
            return;
        }
        match &self.kind {
            CompiledKind::Plain(re) => out.extend(
                re.find_iter(text)
                    .filter(|m| !m.is_empty())
                    .map(|m| m.range()),
            ),
            CompiledKind::Digits { re, check } => {
                let mut digits = Vec::with_capacity(19);
                for m in re.find_iter(text) {
                    digits.clear();
                    digits.extend(
                        m.as_str()
                            .bytes()
                            .filter(u8::is_ascii_digit)
                            .map(|b| b - b'0'),
                    );
                    if check(&digits) {
                        out.push(m.range());
                    }
                }
            }
        }
    }
}

/// What a `redact` statement does to URLs, compiled. Borrows `url` when
/// nothing in it is redacted.
///
/// The URL is read as the URL parser reads it: the C0 controls and spaces
/// around it are not part of it, and tabs and newlines inside are ignored
/// (so they hide no name or segment from a pattern). Path segments start
/// after the authority (after the scheme when there is none) and are
/// separated by `/` and by `\` (which browsers read as `/` in http(s)
/// URLs). The fragment is read as a relative URL of its own
/// (`#/users/1234567?token=…`, `#access_token=…&state=…`), since
/// single-page apps and OAuth carry ids and parameters there. Query names
/// compare ASCII-case-insensitively after decoding.
pub(crate) fn redact_url<'u>(
    url: &'u str,
    query_names: &[&str],
    segment_patterns: &[&Regex],
) -> Cow<'u, str> {
    redact_url_with(url, query_names, !segment_patterns.is_empty(), &mut |seg| {
        segment_patterns.iter().any(|re| re.is_match(seg))
    })
}

/// [`redact_url`] with the segment test given: whether a (non-empty) path
/// segment matches one of the patterns, if `has_patterns`.
pub(crate) fn redact_url_with<'u>(
    url: &'u str,
    query_names: &[&str],
    has_patterns: bool,
    redacted_segment: &mut dyn FnMut(&str) -> bool,
) -> Cow<'u, str> {
    let password = password_range(url);
    if query_names.is_empty() && !has_patterns && password.is_none() {
        return Cow::Borrowed(url);
    }
    // Work on the raw text so that everything not redacted stays byte for
    // byte as recorded: find the ranges to replace, then splice. `body` is
    // the URL without what surrounds it, at `begin` in `url`.
    let begin = url.len() - url.trim_start_matches(|c: char| c <= ' ').len();
    let end = url.trim_end_matches(|c: char| c <= ' ').len().max(begin);
    let body = &url[begin..end];
    let (main, fragment) = match body.find('#') {
        Some(i) => (&body[..i], Some((begin + i + 1, &body[i + 1..]))),
        None => (body, None),
    };
    // (start, end, replacement) of each piece that is replaced.
    let mut cuts: Vec<(usize, usize, &str)> = Vec::new();
    // A password in the URL is a credential whatever the policy says.
    if let Some((start, end)) = password {
        cuts.push((start, end, "redacted"));
    }
    // The path starts after the authority, or after the scheme when there
    // is none (`tel:5550100`), or at the start.
    let path_start = match authority_range(main) {
        Some(authority) => authority.end,
        None => scheme_end(main).unwrap_or(0),
    };
    part_cuts(
        main,
        begin,
        path_start,
        false,
        query_names,
        has_patterns.then_some(&mut *redacted_segment),
        &mut cuts,
    );
    if let Some((at, fragment)) = fragment {
        part_cuts(
            fragment,
            at,
            0,
            true,
            query_names,
            has_patterns.then_some(&mut *redacted_segment),
            &mut cuts,
        );
    }
    if cuts.is_empty() {
        return Cow::Borrowed(url);
    }
    let mut out = String::with_capacity(url.len() + 8 * cuts.len());
    let mut last = 0;
    for (start, end, text) in cuts {
        out.push_str(&url[last..start]);
        out.push_str(text);
        last = end;
    }
    out.push_str(&url[last..]);
    Cow::Owned(out)
}

/// The byte range of the password in `scheme://user:password@host…`,
/// however the authority is written (see [`authority_range`]).
fn password_range(url: &str) -> Option<(usize, usize)> {
    let authority = authority_range(url)?;
    let at = url[authority.clone()].rfind('@')? + authority.start;
    let colon = url[authority.start..at].find(':')? + authority.start;
    (colon + 1 < at).then_some((colon + 1, at))
}

/// The cuts of one part of a URL (before the fragment, or the fragment):
/// path segments from `path_start` to the first `?`, then the query. A
/// fragment without `?` but with `=` is all query.
/// Offsets in `cuts` are `offset` plus offsets in `part`, in order.
fn part_cuts(
    part: &str,
    offset: usize,
    path_start: usize,
    fragment: bool,
    query_names: &[&str],
    redacted_segment: Option<&mut dyn FnMut(&str) -> bool>,
    cuts: &mut Vec<(usize, usize, &'static str)>,
) {
    let (before_query, query) = match part.find('?') {
        Some(i) => (&part[..i], Some((i + 1, &part[i + 1..]))),
        // A fragment of parameters: `#access_token=…&state=…`.
        None if fragment && part.contains('=') => ("", Some((0, part))),
        None => (part, None),
    };
    let path_start = path_start.min(before_query.len());
    if let Some(redacted_segment) = redacted_segment {
        let mut at = path_start;
        for seg in before_query[path_start..].split(['/', '\\']) {
            let read = as_read(seg);
            if !read.is_empty() && redacted_segment(&read) {
                cuts.push((offset + at, offset + at + seg.len(), "redacted"));
            }
            at += seg.len() + 1;
        }
    }
    if let Some((query_start, query)) = query
        && !query_names.is_empty()
    {
        let mut at = query_start;
        for pair in query.split('&') {
            let (name, has_value) = match pair.find('=') {
                Some(i) => (&pair[..i], true),
                None => (pair, false),
            };
            if is_redacted_name(name, query_names) {
                // `name=value` and a bare `name` both become `name=redacted`.
                let value_start = offset + at + name.len();
                let value_end = offset + at + pair.len();
                cuts.push((
                    value_start,
                    if has_value { value_end } else { value_start },
                    "=redacted",
                ));
            }
            at += pair.len() + 1;
        }
    }
}

/// `s` as the URL parser reads it: without tabs and newlines.
fn as_read(s: &str) -> Cow<'_, str> {
    if s.contains(['\t', '\n', '\r']) {
        Cow::Owned(
            s.chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect(),
        )
    } else {
        Cow::Borrowed(s)
    }
}

/// Whether a query parameter name (as written) is one of `query_names`.
fn is_redacted_name(name: &str, query_names: &[&str]) -> bool {
    let decoded = decode_name(&as_read(name)).into_owned();
    query_names.iter().any(|n| n.eq_ignore_ascii_case(&decoded))
}

/// Decodes `+` and `%XX` in a query parameter name so that `e%6Dail`
/// cannot slip past `redact query email`.
fn decode_name(name: &str) -> Cow<'_, str> {
    if !name.contains(['%', '+']) {
        return Cow::Borrowed(name);
    }
    let bytes = name.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strategies() {
        assert_eq!(stars("ab c\td"), "** *\t*");
        assert_eq!(
            mask_with(&Strategy::Fixed { text: "x".into() }, "secret"),
            "x"
        );
        assert_eq!(mask_with(&Strategy::Length { length: 3 }, "secret"), "***");
    }

    #[test]
    #[expect(
        clippy::single_range_in_vec_init,
        reason = "one span is the case under test"
    )]
    fn spans() {
        assert_eq!(
            mask_spans("call 555 1234 now", &[5..13]),
            "call *** **** now"
        );
        assert_eq!(mask_spans("é1", &[1..2]), "*1");
    }

    #[test]
    fn detectors_find_what_they_should() {
        let find = |k: DetectorKind, t: &str| {
            let d = compile_detector(&k, 0, "d").unwrap();
            let mut out = Vec::new();
            d.find(t, &mut out);
            out.iter()
                .map(|r| t[r.clone()].to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            find(DetectorKind::Email, "mail a.b@c.example now"),
            ["a.b@c.example"]
        );
        assert_eq!(
            find(DetectorKind::Card, "card 4111 1111 1111 1111 ok"),
            ["4111 1111 1111 1111"]
        );
        assert!(find(DetectorKind::Card, "card 4111 1111 1111 1112 ok").is_empty());
        assert_eq!(
            find(DetectorKind::Phone, "tel +1 415 555 0100"),
            ["+1 415 555 0100"]
        );
        assert!(find(DetectorKind::Phone, "in 2024").is_empty());
        assert_eq!(
            find(DetectorKind::NationalId, "ssn 123-45-6789."),
            ["123-45-6789"]
        );
        // The shortest of each kind still passes the cheap pre-check.
        assert_eq!(find(DetectorKind::Email, "a@b.co"), ["a@b.co"]);
        assert_eq!(find(DetectorKind::Card, "4222222222222"), ["4222222222222"]);
        assert_eq!(find(DetectorKind::Phone, "555-1234"), ["555-1234"]);
        assert_eq!(
            find(DetectorKind::NationalId, "AB 12 34 56 C"),
            ["AB 12 34 56 C"]
        );
        let custom = DetectorKind::Pattern {
            pattern: "CUST-[A-Z]+".into(),
        };
        assert_eq!(find(custom, "id CUST-ABC"), ["CUST-ABC"]);
    }

    /// What [`mask_spans`] promises, written as literally as possible: a
    /// character any of whose bytes a span covers is starred, unless it is
    /// whitespace.
    fn mask_spans_literally(text: &str, spans: &[Range<usize>]) -> String {
        let covered = |i: usize| spans.iter().any(|r| r.start <= i && i < r.end);
        text.char_indices()
            .map(|(i, c)| {
                let hit = (i..i + c.len_utf8()).any(covered);
                if hit && !c.is_whitespace() { '*' } else { c }
            })
            .collect()
    }

    /// The straightforward redaction the spliced one must equal: the part
    /// before the fragment, then the fragment read as a relative URL.
    fn redact_url_rebuilt(url: &str, query_names: &[&str], segment_patterns: &[&Regex]) -> String {
        // What surrounds the URL is kept as it is.
        let body = url.trim_matches(|c: char| c <= ' ');
        let begin = url.len() - url.trim_start_matches(|c: char| c <= ' ').len();
        let (main, fragment) = match body.find('#') {
            Some(i) => (&body[..i], Some(&body[i + 1..])),
            None => (body, None),
        };
        let path_start = match authority_range(main) {
            Some(a) => a.end,
            None => scheme_end(main).unwrap_or(0),
        };
        let mut out = url[..begin].to_string();
        out.push_str(&rebuild_part(
            main,
            path_start,
            false,
            query_names,
            segment_patterns,
        ));
        // Everything up to the path is kept as it is, the password aside.
        if let Some((start, end)) = password_range(main) {
            out.replace_range(begin + start..begin + end, "redacted");
        }
        if let Some(fragment) = fragment {
            out.push('#');
            out.push_str(&rebuild_part(
                fragment,
                0,
                true,
                query_names,
                segment_patterns,
            ));
        }
        out.push_str(&url[begin + body.len()..]);
        out
    }

    fn rebuild_part(
        part: &str,
        path_start: usize,
        fragment: bool,
        query_names: &[&str],
        segment_patterns: &[&Regex],
    ) -> String {
        let (before_query, query) = match part.find('?') {
            Some(i) => (&part[..i], Some(&part[i + 1..])),
            None if fragment && part.contains('=') => ("", Some(part)),
            None => (part, None),
        };
        let path_start = path_start.min(before_query.len());
        let mut out = String::new();
        out.push_str(&before_query[..path_start]);
        let mut seg = String::new();
        let flush = |seg: &mut String, out: &mut String| {
            let read: String = seg
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect();
            if !read.is_empty() && segment_patterns.iter().any(|re| re.is_match(&read)) {
                out.push_str("redacted");
            } else {
                out.push_str(seg);
            }
            seg.clear();
        };
        for c in before_query[path_start..].chars() {
            if c == '/' || c == '\\' {
                flush(&mut seg, &mut out);
                out.push(c);
            } else {
                seg.push(c);
            }
        }
        flush(&mut seg, &mut out);
        if let Some(query) = query {
            if !(fragment && before_query.is_empty() && !part.contains('?')) {
                out.push('?');
            }
            for (n, pair) in query.split('&').enumerate() {
                if n > 0 {
                    out.push('&');
                }
                let (name, value) = match pair.find('=') {
                    Some(i) => (&pair[..i], Some(&pair[i + 1..])),
                    None => (pair, None),
                };
                let read: String = name
                    .chars()
                    .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                    .collect();
                let decoded = decode_name(&read);
                if query_names.iter().any(|q| q.eq_ignore_ascii_case(&decoded)) {
                    out.push_str(name);
                    out.push_str("=redacted");
                } else {
                    out.push_str(name);
                    if let Some(v) = value {
                        out.push('=');
                        out.push_str(v);
                    }
                }
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn redaction_splices_what_a_rebuild_writes(url in "((https?|sc):[/\\\\\t]{0,3}([a-z]{0,3}(:[a-z]{0,3})?@)?[a-z.]{0,6}|//[a-z:@]{0,6})?[/\\\\a-zA-Z0-9=&?#%+.:@-]{0,30}") {
            let re = Regex::new(r"^\d{2,}$").unwrap();
            for (names, patterns) in [
                (&["a", "tok"][..], &[&re][..]),
                (&["a"][..], &[][..]),
                (&[][..], &[&re][..]),
            ] {
                proptest::prop_assert_eq!(
                    redact_url(&url, names, patterns).into_owned(),
                    redact_url_rebuilt(&url, names, patterns)
                );
            }
        }

        #[test]
        fn no_password_the_url_parser_reads_survives_redaction(
            url in "[ \t]?(https?|wss?|ftp|sc|file):[/\\\\\t]{0,3}([a-z:@\t]{0,6}@)?[a-z.]{1,6}(:[0-9]{1,3})?[/\\\\?#a-z:@]{0,10}"
        ) {
            if let Some(parts) = crate::url::split(&url)
                && !parts.password.is_empty()
            {
                let redacted = redact_url(&url, &[], &[]);
                let after = crate::url::split(&redacted).unwrap();
                proptest::prop_assert_eq!(after.password, "redacted", "{:?}", url);
            }
        }

        #[test]
        fn span_masking_equals_its_literal_definition(
            text in "[ \ta-z0-9\u{a0}\u{2003}é€😀*]{0,24}",
            spans in proptest::collection::vec((0usize..40, 0usize..40), 0..6),
        ) {
            let spans: Vec<Range<usize>> = spans.into_iter().map(|(a, b)| a..b).collect();
            proptest::prop_assert_eq!(
                mask_spans(&text, &spans).into_owned(),
                mask_spans_literally(&text, &spans)
            );
        }

        #[test]
        fn stars_keep_only_whitespace(text in "[ \t\n\x0b\x0c\ra-z0-9\u{a0}\u{2003}é*]{0,20}") {
            let expected: String = text
                .chars()
                .map(|c| if c.is_whitespace() { c } else { '*' })
                .collect();
            proptest::prop_assert_eq!(stars(&text), expected);
        }
    }

    #[test]
    fn credentials_are_redacted_however_the_authority_is_written() {
        for (url, redacted) in [
            (
                "https:\\\\jane:s3cret@h.example/x",
                "https:\\\\jane:redacted@h.example/x",
            ),
            (
                "https:jane:s3cret@h.example",
                "https:jane:redacted@h.example",
            ),
            (
                "https:\t//jane:s3cret@h.example/x",
                "https:\t//jane:redacted@h.example/x",
            ),
            ("h\nttps://jane:s3cret@h", "h\nttps://jane:redacted@h"),
            ("//jane:s3cret@h.example/x", "//jane:redacted@h.example/x"),
            ("\\/jane:s3cret@h.example/x", "\\/jane:redacted@h.example/x"),
            ("sc://h\\jane:s3cret@h/x", "sc://h\\jane:redacted@h/x"),
            // Not an authority: as written.
            ("/a?u=b:c@d", "/a?u=b:c@d"),
            ("/jane:s3cret@h/x", "/jane:s3cret@h/x"),
            ("sc:/jane:s3cret@h/x", "sc:/jane:s3cret@h/x"),
            ("https://h.example\\a:b@c", "https://h.example\\a:b@c"),
        ] {
            assert_eq!(redact_url(url, &[], &[]), redacted, "{url:?}");
        }
    }

    #[test]
    fn redaction_reads_names_and_segments_as_the_url_parser_does() {
        let re = Regex::new(r"^(?:\d{6,})$").unwrap();
        // Spaces and controls around a URL are not part of it.
        assert_eq!(
            redact_url(" /a?token ", &["token"], &[]),
            " /a?token=redacted "
        );
        assert_eq!(redact_url("/u/1234567\n", &[], &[&re]), "/u/redacted\n");
        // Tabs and newlines inside are ignored: they hide nothing.
        assert_eq!(
            redact_url("/a?to\tken=1", &["token"], &[]),
            "/a?to\tken=redacted"
        );
        assert_eq!(redact_url("/u/12\t34567", &[], &[&re]), "/u/redacted");
        // Without an authority, the path starts after the scheme.
        assert_eq!(redact_url("tel:5551234567", &[], &[&re]), "tel:redacted");
    }

    #[test]
    fn redaction() {
        let re = Regex::new(r"^(?:\d{6,})$").unwrap();
        assert_eq!(
            redact_url(
                "https://h.example/u/1234567/x?token=abc&keep=1#f",
                &["token"],
                &[&re]
            ),
            "https://h.example/u/redacted/x?token=redacted&keep=1#f"
        );
        // Credentials never survive, even with no `redact` statement.
        assert_eq!(
            redact_url("https://jane:s3cret@h.example/x?q=1", &[], &[]),
            "https://jane:redacted@h.example/x?q=1"
        );
        assert_eq!(
            redact_url("https://jane@h.example/x", &[], &[]),
            "https://jane@h.example/x"
        );
        assert_eq!(redact_url("/a?u=b:c@d", &[], &[]), "/a?u=b:c@d");
        assert_eq!(
            redact_url("/a/123456?t%6Fken=1", &["token"], &[&re]),
            "/a/redacted?t%6Fken=redacted"
        );
        assert_eq!(
            redact_url(
                "https://h.example\\u\\1234567?TOKEN=1#/u/1234567?token=2&x=3",
                &["token"],
                &[&re]
            ),
            "https://h.example\\u\\redacted?TOKEN=redacted#/u/redacted?token=redacted&x=3"
        );
        assert_eq!(
            redact_url("/cb#token=2&state=1", &["token"], &[]),
            "/cb#token=redacted&state=1"
        );
    }
}

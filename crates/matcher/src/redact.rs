//! URL redaction: what the `redact` statements in force on a page, and
//! the rule that credentials never survive, leave of a recorded URL (page
//! URL, `href`, `src`).

use crate::url::{authority_range, scheme_end};
use regex_lite::Regex;
use scrim_artifact::Redaction;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Mutex;

/// A `redact` statement, compiled.
#[derive(Debug)]
pub(crate) enum CompiledRedaction {
    Query(Vec<String>),
    PathSegment(Regex),
}

/// The `redact` statements in force on one page.
#[derive(Debug)]
pub(crate) struct Redactions<'p> {
    query_names: Vec<&'p str>,
    segment_patterns: Vec<&'p Regex>,
    /// Whether a path segment matches `segment_patterns`, for the segments
    /// already tried: a page's URLs repeat their segments (`p`, `img`,
    /// `orders`), and a lookup costs far less than running the patterns.
    segment_memo: Mutex<HashMap<Box<str>, bool>>,
}

/// The most path segments [`Redactions`] remembers; past that it starts over.
const SEGMENT_MEMO_MAX: usize = 4096;

impl<'p> Redactions<'p> {
    /// The statements of the scopes that apply; `compiled` is `statements`
    /// compiled, in the same order.
    pub(crate) fn new(
        statements: &'p [Redaction],
        compiled: &'p [CompiledRedaction],
        applies: &[bool],
    ) -> Self {
        let mut query_names = Vec::new();
        let mut segment_patterns = Vec::new();
        for (r, compiled) in statements.iter().zip(compiled) {
            if applies[r.scope as usize] {
                match compiled {
                    CompiledRedaction::Query(names) => {
                        query_names.extend(names.iter().map(String::as_str))
                    }
                    CompiledRedaction::PathSegment(re) => segment_patterns.push(re),
                }
            }
        }
        Redactions {
            query_names,
            segment_patterns,
            segment_memo: Mutex::default(),
        }
    }

    /// `url` redacted, without a copy when nothing is redacted.
    pub(crate) fn apply<'u>(&self, url: &'u str) -> Cow<'u, str> {
        if self.segment_patterns.is_empty() {
            return redact_url(url, &self.query_names, &[]);
        }
        let mut memo = self
            .segment_memo
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        redact_url_with(url, &self.query_names, true, &mut |seg| {
            if let Some(&redacted) = memo.get(seg) {
                return redacted;
            }
            let redacted = self.segment_patterns.iter().any(|re| re.is_match(seg));
            if memo.len() >= SEGMENT_MEMO_MAX {
                memo.clear();
            }
            memo.insert(seg.into(), redacted);
            redacted
        })
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
            // An empty password hides nothing: as written.
            ("https://jane:@h.example/x", "https://jane:@h.example/x"),
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
        assert_eq!(redact_url("ab:4567890/x", &[], &[&re]), "ab:redacted/x");
        // No scheme can hold a space: a relative path, whose first segment
        // is all of `a b:4567890`.
        assert_eq!(redact_url("a b:4567890/x", &[], &[&re]), "a b:4567890/x");
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

//! URL redaction, written from `docs/language.md` ("URL redaction"): the
//! password of a URL always, and the query parameters and path segments the
//! `redact` statements in force name, in the URL and in its fragment (read
//! as a relative URL of its own). Everything else of the URL stays as it is
//! written, byte for byte.
//!
//! A URL is read as the URL parser reads it: leading and trailing C0
//! controls and spaces are not part of it, tabs and newlines anywhere are
//! ignored (so they cannot hide a name or a segment from a pattern), the
//! authority follows the scheme (after any slashes and backslashes for a
//! special scheme, after `//` for another) or, for a scheme-relative URL,
//! two slashes.

use crate::detect::ascii_classes;
use scrim_artifact::{Artifact, RedactionKind};

#[derive(Debug)]
pub(crate) struct Redactions {
    query_names: Vec<String>,
    segments: Vec<regex::Regex>,
}

/// A piece of the URL to replace: byte range and replacement.
type Cut = (usize, usize, &'static str);

const SPECIAL: &[&str] = &["http", "https", "ws", "wss", "ftp", "file"];

fn ignored(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r')
}

/// `s` without tabs and newlines: what the URL parser reads.
fn read(s: &str) -> String {
    s.chars().filter(|&c| !ignored(c)).collect()
}

impl Redactions {
    pub(crate) fn new(artifact: &Artifact, applies: &[bool]) -> Result<Redactions, String> {
        let mut query_names = Vec::new();
        let mut segments = Vec::new();
        for r in artifact
            .redactions
            .iter()
            .filter(|r| applies[r.scope as usize])
        {
            match &r.kind {
                RedactionKind::Query { names } => query_names.extend(names.iter().cloned()),
                RedactionKind::PathSegment { pattern } => segments.push(
                    regex::Regex::new(&format!("^(?:{})$", ascii_classes(pattern)))
                        .map_err(|e| format!("`redact path /{pattern}/`: {e}"))?,
                ),
            }
        }
        Ok(Redactions {
            query_names,
            segments,
        })
    }

    pub(crate) fn apply(&self, url: &str) -> String {
        let start = url.len() - url.trim_start_matches(|c: char| c <= ' ').len();
        let end = url.trim_end_matches(|c: char| c <= ' ').len().max(start);
        let text = &url[start..end];
        let mut cuts: Vec<Cut> = Vec::new();
        let (main, fragment) = match text.find('#') {
            Some(i) => (&text[..i], Some((i + 1, &text[i + 1..]))),
            None => (text, None),
        };

        let (path_start, authority) = locate(main);
        if let Some((a, b)) = authority {
            let userinfo_end = main[a..b].rfind('@').map(|i| a + i);
            if let Some(at) = userinfo_end
                && let Some(colon) = main[a..at].find(':').map(|i| a + i)
                && colon + 1 < at
            {
                cuts.push((colon + 1, at, "redacted"));
            }
        }
        self.part(main, 0, path_start, false, &mut cuts);
        if let Some((offset, fragment)) = fragment {
            self.part(fragment, offset, 0, true, &mut cuts);
        }

        cuts.sort();
        let mut out = String::with_capacity(url.len());
        let mut last = 0;
        for (a, b, with) in cuts {
            out.push_str(&url[last..start + a]);
            out.push_str(with);
            last = start + b;
        }
        out.push_str(&url[last..]);
        out
    }

    /// The cuts of the path (from `path_start`) and query of one part (the
    /// URL before its fragment, or the fragment), at `offset` in the URL.
    fn part(
        &self,
        part: &str,
        offset: usize,
        path_start: usize,
        fragment: bool,
        cuts: &mut Vec<Cut>,
    ) {
        let (path_end, query) = match part.find('?') {
            Some(i) => (i, Some(i + 1)),
            // A fragment of parameters (`#access_token=…&state=…`).
            None if fragment && part.contains('=') => (0, Some(0)),
            None => (part.len(), None),
        };
        let mut at = path_start.min(path_end);
        if !self.segments.is_empty() {
            for segment in part[at..path_end].split(['/', '\\']) {
                let seen = read(segment);
                if !seen.is_empty() && self.segments.iter().any(|re| re.is_match(&seen)) {
                    cuts.push((offset + at, offset + at + segment.len(), "redacted"));
                }
                at += segment.len() + 1;
            }
        }
        let Some(query) = query else {
            return;
        };
        let mut at = query;
        for pair in part[query..].split('&') {
            let name = pair.split('=').next().unwrap_or("");
            let decoded = percent_decode(&read(name));
            if self
                .query_names
                .iter()
                .any(|n| n.eq_ignore_ascii_case(&decoded))
            {
                cuts.push((
                    offset + at + name.len(),
                    offset + at + pair.len(),
                    "=redacted",
                ));
            }
            at += pair.len() + 1;
        }
    }
}

/// Where the path of the URL part `main` starts, and the byte range of its
/// authority if it has one.
fn locate(main: &str) -> (usize, Option<(usize, usize)>) {
    // The significant characters with their offsets.
    let chars: Vec<(usize, char)> = main.char_indices().filter(|&(_, c)| !ignored(c)).collect();
    let offset = |k: usize| chars.get(k).map_or(main.len(), |&(i, _)| i);
    let mut k = 0;
    while k < chars.len() && (chars[k].1.is_ascii_alphanumeric() || "+-.".contains(chars[k].1)) {
        k += 1;
    }
    let scheme: String = chars[..k]
        .iter()
        .map(|&(_, c)| c.to_ascii_lowercase())
        .collect();
    let has_scheme = k > 0
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && chars.get(k).is_some_and(|&(_, c)| c == ':');
    let (mut k, special) = if has_scheme {
        (k + 1, SPECIAL.contains(&scheme.as_str()))
    } else {
        // Scheme-relative URLs are read against the page's (special) URL.
        (0, true)
    };
    let after_scheme = offset(k);
    let slash = |k: usize| {
        chars
            .get(k)
            .is_some_and(|&(_, c)| c == '/' || (special && c == '\\'))
    };
    let authority_follows = if has_scheme && special {
        true
    } else if slash(k) && slash(k + 1) {
        k += 2;
        true
    } else {
        false
    };
    if !authority_follows {
        return (after_scheme, None);
    }
    if special {
        while slash(k) {
            k += 1;
        }
    }
    let from = k;
    while k < chars.len() && !slash(k) && !matches!(chars[k].1, '?' | '#') {
        k += 1;
    }
    (offset(k), Some((offset(from), offset(k))))
}

/// `+` as a space and `%XX` as a byte, then UTF-8 (invalid bytes replaced).
fn percent_decode(name: &str) -> String {
    let bytes = name.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |j: usize| bytes.get(j).and_then(|&b| char::from(b).to_digit(16));
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if hex(i + 1).is_some() && hex(i + 2).is_some() => {
                out.push((hex(i + 1).unwrap_or(0) * 16 + hex(i + 2).unwrap_or(0)) as u8);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

//! URLs in attributes and style sheets: which attributes hold URLs, which
//! of those are media, and how a URL is recorded.
//!
//! Script URLs (`javascript:`, `vbscript:`) are never recorded. A captured
//! URL goes through the page's `redact` statements and its detectors; a
//! masked one keeps its scheme and host only (`scrim_matcher::mask_url`),
//! whatever the rule's strategy.

use scrim_matcher::{ChannelOutcome, Page, mask_url};
use std::borrow::Cow;

/// Whether `url` would run script when followed.
pub fn is_script_url(url: &str) -> bool {
    // Every attribute value is asked: most are rejected by their first
    // character, which begins the scheme once leading spaces and controls
    // are trimmed (as `scheme_is` trims them).
    let first = url.bytes().find(|&b| b > b' ');
    matches!(first, Some(b'j' | b'J' | b'v' | b'V'))
        && scrim_matcher::scheme_is(url, &["javascript", "vbscript"])
}

/// Whether `url` is a `data:` URL of a type that runs script when loaded
/// as a document (in an `<iframe>`, `<object>` or `<embed>`): HTML and
/// every XML MIME type (`text/xml`, `application/xml`, `*/*+xml`, SVG and
/// XHTML among them), which can hold XHTML `<script>` elements.
pub fn is_script_document_data_url(url: &str) -> bool {
    let lower: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(200)
        .collect::<String>()
        .to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix("data:") else {
        return false;
    };
    let media_type = rest.split([';', ',']).next().unwrap_or("").trim();
    matches!(media_type, "text/html" | "text/xml" | "application/xml")
        || media_type.ends_with("+xml")
}

/// Whether `value` names a script URL anywhere (`javascript:`,
/// `vbscript:`), with whitespace and control characters removed as the URL
/// parser removes tabs and newlines: for values that hold URLs among other
/// things (a refresh's `content`, an SVG animation's `values`).
pub fn mentions_script_url(value: &str) -> bool {
    let lower: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    lower.contains("javascript:") || lower.contains("vbscript:")
}

/// Whether a `<meta http-equiv="refresh">` `content` would navigate to a
/// script URL.
pub fn is_script_refresh(content: &str) -> bool {
    mentions_script_url(content)
}

/// Splits a refresh's `content` (`5; url=https://…`) into its delay and
/// its URL, as the HTML standard's refresh parser reads it; `None` when it
/// names no URL.
pub fn refresh_url(content: &str) -> Option<(&str, &str)> {
    let s = content.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let delay_end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let delay = &s[..delay_end];
    if delay.is_empty() {
        // Not a refresh the browser follows.
        return None;
    }
    let rest = s[delay_end..].trim_start_matches(|c: char| c.is_ascii_whitespace());
    let rest = rest
        .strip_prefix([';', ','])
        .unwrap_or(rest)
        .trim_start_matches(|c: char| c.is_ascii_whitespace());
    if rest.is_empty() {
        return None;
    }
    let mut url = rest;
    // Compared as bytes: the URL need not start with ASCII.
    if url
        .as_bytes()
        .get(..3)
        .is_some_and(|p| p.eq_ignore_ascii_case(b"url"))
    {
        let after = url[3..].trim_start_matches(|c: char| c.is_ascii_whitespace());
        if let Some(after) = after.strip_prefix('=') {
            url = after.trim_start_matches(|c: char| c.is_ascii_whitespace());
        }
    }
    if let Some(q) = url.chars().next().filter(|c| matches!(c, '"' | '\'')) {
        url = &url[1..];
        url = url.find(q).map_or(url, |i| &url[..i]);
    }
    Some((delay, url))
}

/// What one URL is recorded as, or `None` when it is not recorded at all.
pub fn rewrite<'u>(
    url: &'u str,
    outcome: ChannelOutcome<'_>,
    page: &Page<'_>,
) -> Option<Cow<'u, str>> {
    if is_script_url(url) {
        return None;
    }
    match outcome {
        ChannelOutcome::Off => None,
        ChannelOutcome::Capture => Some(match page.redacted_url(url) {
            Cow::Borrowed(url) => page.scrub(url),
            Cow::Owned(url) => Cow::Owned(page.scrub(&url).into_owned()),
        }),
        ChannelOutcome::Mask(_) => Some(Cow::Owned(mask_url(url))),
    }
}

/// How an attribute's value holds URLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UrlKind {
    /// One URL (`href`, `src` …).
    One,
    /// `srcset`, `imagesrcset`: candidates separated by commas.
    SrcSet,
    /// `ping`: URLs separated by whitespace.
    List,
}

/// Whether attribute `name` of element `local` (HTML when `html`) holds
/// URLs, and whether they are media (images, video, backgrounds).
pub fn url_attribute(html: bool, local: &str, name: &str) -> Option<(UrlKind, bool)> {
    if !html {
        return match name {
            "href" | "xlink:href" => Some((UrlKind::One, local == "image" || local == "feImage")),
            _ => None,
        };
    }
    let media_element = matches!(
        local,
        "img" | "video" | "audio" | "source" | "track" | "picture" | "embed" | "object" | "input"
    );
    Some(match name {
        "href" | "action" | "formaction" | "cite" | "longdesc" | "manifest" | "codebase"
        | "usemap" | "itemtype" | "itemid" => (UrlKind::One, false),
        "src" => (UrlKind::One, media_element),
        "data" if local == "object" => (UrlKind::One, true),
        "poster" | "background" | "lowsrc" | "dynsrc" => (UrlKind::One, true),
        "srcset" | "imagesrcset" => (UrlKind::SrcSet, true),
        "ping" => (UrlKind::List, false),
        _ => return None,
    })
}

/// Rewrites every URL of an attribute value; `None` when nothing is left.
pub fn rewrite_attribute<'v>(
    value: &'v str,
    kind: UrlKind,
    outcome: ChannelOutcome<'_>,
    page: &Page<'_>,
) -> Option<Cow<'v, str>> {
    match kind {
        UrlKind::One => rewrite(value, outcome, page),
        UrlKind::List => {
            let urls: Vec<Cow<'_, str>> = value
                .split_ascii_whitespace()
                .filter_map(|u| rewrite(u, outcome, page))
                .filter(|u| !u.is_empty())
                .collect();
            (!urls.is_empty()).then(|| Cow::Owned(urls.join(" ")))
        }
        UrlKind::SrcSet => {
            let mut out: Vec<String> = Vec::new();
            for (url, descriptor) in srcset(value) {
                let Some(url) = rewrite(url, outcome, page) else {
                    continue;
                };
                if url.is_empty() {
                    continue;
                }
                // Descriptors are `1x`, `300w`: kept only when they look so.
                let descriptor = descriptor.trim();
                let plain = descriptor
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b' ');
                // A URL with a comma or space would change the list's shape.
                let url = url.replace(',', "%2C").replace(' ', "%20");
                if plain && !descriptor.is_empty() {
                    out.push(format!("{url} {descriptor}"));
                } else {
                    out.push(url);
                }
            }
            (!out.is_empty()).then(|| Cow::Owned(out.join(", ")))
        }
    }
}

/// Splits a `srcset` into (URL, descriptors) candidates, as the HTML
/// standard's parser does in outline.
fn srcset(value: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let b = value.as_bytes();
    let mut i = 0;
    let ws = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
    while i < b.len() {
        while i < b.len() && (ws(b[i]) || b[i] == b',') {
            i += 1;
        }
        let start = i;
        while i < b.len() && !ws(b[i]) {
            i += 1;
        }
        if start == i {
            break;
        }
        let mut url = &value[start..i];
        if url.ends_with(',') {
            url = url.trim_end_matches(',');
            out.push((url, ""));
            continue;
        }
        let d_start = i;
        while i < b.len() && b[i] != b',' {
            i += 1;
        }
        out.push((url, &value[d_start..i]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_urls() {
        assert!(is_script_url("javascript:alert(1)"));
        assert!(is_script_url("  JaVa\tScRipt:x"));
        assert!(is_script_url("vbscript:x"));
        assert!(!is_script_url("https://x/javascript:"));
        assert!(!is_script_url("/a"));
        assert!(is_script_document_data_url("data:text/html,<script>"));
        assert!(is_script_document_data_url(
            " DATA:image/svg+xml;base64,PHN2Zz4="
        ));
        assert!(!is_script_document_data_url("data:image/png;base64,iVBOR"));
        assert!(is_script_refresh("0; URL = JavaScript:alert(1)"));
        assert!(!is_script_refresh("5; url=/next"));
        assert!(mentions_script_url("/a;java\tscript:x"));
        assert!(mentions_script_url("javascript\n:x"));
        assert!(is_script_document_data_url("data:application/atom+xml,x"));
        assert!(!is_script_document_data_url("data:,x"));
        assert_eq!(refresh_url("5; URL='/a?b' x"), Some(("5", "/a?b")));
        assert_eq!(refresh_url("0,https://x/"), Some(("0", "https://x/")));
        assert_eq!(refresh_url(" 30 "), None);
        assert_eq!(refresh_url("url=/a"), None);
    }

    #[test]
    fn a_refresh_url_may_start_with_any_character() {
        assert_eq!(refresh_url("0;ab\u{20ac}"), Some(("0", "ab\u{20ac}")));
        assert_eq!(refresh_url("0;\u{e9}rl=x"), Some(("0", "\u{e9}rl=x")));
        assert_eq!(refresh_url("0; URL = '\u{20ac}'"), Some(("0", "\u{20ac}")));
    }

    proptest::proptest! {
        /// The first-character shortcut answers as the scheme does.
        #[test]
        fn script_urls_are_told_by_their_scheme(
            url in proptest::prop_oneof![
                "[ \t\n\r\x01\u{a0}]{0,3}[jJvVa]?[\t\na-zA-Z:]{0,12}\\PC{0,4}",
                "[ \t\x01\u{a0}]{0,2}(java|JaVa|vb|VB)[\t\n]?(script|SCRIPT)[\r]?:?\\PC{0,4}",
            ],
        ) {
            proptest::prop_assert_eq!(
                is_script_url(&url),
                scrim_matcher::scheme_is(&url, &["javascript", "vbscript"])
            );
        }

        /// The refresh and `srcset` splitters take any text: every piece
        /// they return is a piece of their input.
        #[test]
        fn refresh_and_srcset_splitters_take_any_text(
            text in "[0-9 ;,.uUrRlL='\"\t\n]{0,6}\\PC{0,12}",
        ) {
            if let Some((delay, url)) = refresh_url(&text) {
                proptest::prop_assert!(text.contains(delay) && text.contains(url));
            }
            for (url, descriptor) in srcset(&text) {
                proptest::prop_assert!(text.contains(url) && text.contains(descriptor));
            }
        }
    }

    #[test]
    fn srcset_split() {
        assert_eq!(
            srcset("a.png 1x, b.png 2x,c.png"),
            [("a.png", " 1x"), ("b.png", " 2x"), ("c.png", "")]
        );
        assert_eq!(srcset("a.png,, b.png"), [("a.png", ""), ("b.png", "")]);
    }
}

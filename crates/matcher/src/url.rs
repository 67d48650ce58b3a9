//! A small WHATWG URL splitter, so that the runtime can match the
//! artifact's per-component regular expressions without linking the `url`
//! and `urlpattern` crates.
//!
//! It follows the URL standard's basic URL parser for an absolute URL (no
//! base) and gives the components URLPattern matches: protocol (without
//! `:`), username, password, hostname, port (empty for the scheme's
//! default), pathname, search (without `?`) and hash (without `#`), each
//! serialised and percent-encoded as the standard does, so a URL as typed
//! and as the browser reports it split the same way. Where the standard
//! fails, the splitter returns `None`; it also refuses, on purpose, the few
//! URLs whose host needs IDNA (a non-ASCII domain, or a label starting with
//! `xn--`) and `file:` URLs with a path segment that starts like a Windows
//! drive letter (`C:`, `c|`), which would need much more code for pages no
//! one records. An unreadable URL matches no pattern and turns the page
//! off. `tests/wpt_urls.rs` checks all of this against the web-platform-tests
//! URL data and against the `url` crate.

use std::borrow::Cow;
use std::fmt::Write as _;

/// The components of a URL, as URLPattern sees them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UrlParts {
    pub protocol: String,
    pub username: String,
    pub password: String,
    pub hostname: String,
    pub port: String,
    pub pathname: String,
    pub search: String,
    pub hash: String,
    /// Whether the URL has a host, possibly empty (special schemes always
    /// do; other schemes when written `scheme://…`).
    pub has_authority: bool,
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" | "ws" => Some(80),
        "https" | "wss" => Some(443),
        "ftp" => Some(21),
        _ => None,
    }
}

/// The standard's special schemes: the ones with a network host that the
/// parser reads as a domain or an IP address.
fn is_special(scheme: &str) -> bool {
    matches!(scheme, "http" | "https" | "ws" | "wss" | "ftp" | "file")
}

/// Percent-encodes the UTF-8 bytes of `s` into `out`: C0 controls, bytes
/// above `~`, and the ASCII characters `extra` names (the standard's
/// percent-encode sets are these plus a few characters each).
fn encode_into(out: &mut String, s: &str, extra: &[u8]) {
    for &b in s.as_bytes() {
        if !(0x20..=0x7e).contains(&b) || extra.contains(&b) {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b >> 4)]));
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b & 15)]));
        } else {
            out.push(char::from(b));
        }
    }
}

/// The C0 control percent-encode set has nothing beyond controls.
const C0_SET: &[u8] = b"";
const FRAGMENT_SET: &[u8] = b" \"<>`";
const QUERY_SET: &[u8] = b" \"#<>";
const SPECIAL_QUERY_SET: &[u8] = b" \"#<>'";
const PATH_SET: &[u8] = b" \"#<>?^`{}";
const USERINFO_SET: &[u8] = b" \"#<>?^`{}/:;=@[\\]|";

/// Code points no host may contain (tab and newlines are gone by then).
const FORBIDDEN_HOST: &[u8] = b"\0 #/:<>?@[\\]^|";

/// The input as the parser reads it: leading and trailing C0 controls and
/// spaces stripped, tabs and newlines removed.
fn clean(input: &str) -> Cow<'_, str> {
    let trimmed = input.trim_matches(|c: char| c <= ' ');
    if trimmed.contains(['\t', '\n', '\r']) {
        Cow::Owned(
            trimmed
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect(),
        )
    } else {
        Cow::Borrowed(trimmed)
    }
}

/// The scheme (lowercased) and what follows its `:`.
fn scheme_and_rest(s: &str) -> Option<(String, &str)> {
    let colon = s.find(':')?;
    let scheme = &s[..colon];
    let mut chars = scheme.chars();
    if !chars.next()?.is_ascii_alphabetic()
        || !chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return None;
    }
    Some((scheme.to_ascii_lowercase(), &s[colon + 1..]))
}

/// Splits an absolute URL; `None` when the URL standard refuses it or it is
/// one of the URLs this splitter refuses on purpose (see the module docs).
pub fn split(input: &str) -> Option<UrlParts> {
    let cleaned = clean(input);
    let (protocol, rest) = scheme_and_rest(&cleaned)?;
    let special = is_special(&protocol);

    // The first `#` starts the fragment and the first `?` before it the
    // query, whatever precedes them: they end every earlier state.
    let (rest, hash) = match rest.split_once('#') {
        Some((rest, hash)) => (rest, Some(hash)),
        None => (rest, None),
    };
    let (rest, search) = match rest.split_once('?') {
        Some((rest, search)) => (rest, Some(search)),
        None => (rest, None),
    };

    let mut parts = UrlParts {
        protocol,
        ..UrlParts::default()
    };
    let is_slash = |c: char| c == '/' || (special && c == '\\');
    if parts.protocol == "file" {
        parts.has_authority = true;
        let mut chars = rest.chars();
        let path = if chars.next().is_some_and(is_slash) && chars.next().is_some_and(is_slash) {
            let after = &rest[2..];
            let end = after.find(is_slash).unwrap_or(after.len());
            let host = &after[..end];
            // A drive letter in place of the host (`file://C:/`, `file://c|/`)
            // is refused by the host parser: `:` and `|` are forbidden there.
            if !host.is_empty() {
                parts.hostname = parse_host(host, true)?;
                if parts.hostname == "localhost" {
                    parts.hostname.clear();
                }
            }
            &after[end..]
        } else {
            rest
        };
        if path.split(is_slash).any(starts_like_a_drive_letter) {
            return None;
        }
        parts.pathname = parse_path(path, true);
    } else if special || rest.starts_with("//") {
        // Special schemes skip any number of slashes before the authority;
        // other schemes have one only after exactly `//`.
        let after = if special {
            rest.trim_start_matches(is_slash)
        } else {
            &rest[2..]
        };
        let end = after.find(is_slash).unwrap_or(after.len());
        parse_authority(&after[..end], special, &mut parts)?;
        parts.has_authority = true;
        let path = &after[end..];
        if special || !path.is_empty() {
            parts.pathname = parse_path(path, special);
        }
    } else if rest.starts_with('/') {
        parts.pathname = parse_path(rest, false);
    } else {
        // An opaque path (`mailto:…`, `data:…`): controls are encoded, and
        // a space right before the query or fragment, so that it survives.
        let (body, last_space) = match rest.strip_suffix(' ') {
            Some(body) if search.is_some() || hash.is_some() => (body, true),
            _ => (rest, false),
        };
        encode_into(&mut parts.pathname, body, C0_SET);
        if last_space {
            parts.pathname.push_str("%20");
        }
    }
    if let Some(search) = search {
        let set = if special {
            SPECIAL_QUERY_SET
        } else {
            QUERY_SET
        };
        encode_into(&mut parts.search, search, set);
    }
    if let Some(hash) = hash {
        encode_into(&mut parts.hash, hash, FRAGMENT_SET);
    }
    Some(parts)
}

/// `userinfo@host:port`, as the authority and host states read it.
fn parse_authority(authority: &str, special: bool, parts: &mut UrlParts) -> Option<()> {
    let hostport = match authority.rsplit_once('@') {
        Some((userinfo, hostport)) => {
            if hostport.is_empty() {
                return None;
            }
            let (user, pass) = userinfo.split_once(':').unwrap_or((userinfo, ""));
            encode_into(&mut parts.username, user, USERINFO_SET);
            encode_into(&mut parts.password, pass, USERINFO_SET);
            hostport
        }
        None => authority,
    };
    // The host ends at the first `:` outside brackets.
    let mut inside_brackets = false;
    let colon = hostport.char_indices().find_map(|(i, c)| {
        match c {
            '[' => inside_brackets = true,
            ']' => inside_brackets = false,
            ':' if !inside_brackets => return Some(i),
            _ => {}
        }
        None
    });
    let (host, port) = match colon {
        Some(i) => (&hostport[..i], Some(&hostport[i + 1..])),
        None => (hostport, None),
    };
    if host.is_empty() && (special || port.is_some()) {
        return None;
    }
    parts.hostname = parse_host(host, special)?;
    if let Some(port) = port.filter(|p| !p.is_empty()) {
        if !port.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let digits = port.trim_start_matches('0');
        if digits.len() > 5 {
            return None;
        }
        let port: u16 = if digits.is_empty() {
            0
        } else {
            digits.parse().ok()?
        };
        if default_port(&parts.protocol) != Some(port) {
            parts.port = port.to_string();
        }
    }
    Some(())
}

/// The host parser: IPv6 in brackets, an opaque host for other schemes, a
/// domain or an IPv4 address for special ones.
fn parse_host(input: &str, special: bool) -> Option<String> {
    if let Some(inner) = input.strip_prefix('[') {
        let address = parse_ipv6(inner.strip_suffix(']')?)?;
        return Some(format!("[{}]", Ipv6(address)));
    }
    if !special {
        if input.bytes().any(|b| FORBIDDEN_HOST.contains(&b)) {
            return None;
        }
        let mut out = String::with_capacity(input.len());
        encode_into(&mut out, input, C0_SET);
        return Some(out);
    }
    let decoded = percent_decode(input);
    // A non-ASCII domain needs IDNA, and so does an `xn--` label (it must
    // be valid Punycode): refused on purpose, as is invalid UTF-8.
    let domain = std::str::from_utf8(&decoded).ok()?;
    if !domain.is_ascii()
        || domain
            .split('.')
            .any(|label| label.len() >= 4 && label[..4].eq_ignore_ascii_case("xn--"))
    {
        return None;
    }
    let domain = domain.to_ascii_lowercase();
    if domain.is_empty()
        || domain
            .bytes()
            .any(|b| b < 0x20 || b == b'%' || b == 0x7f || FORBIDDEN_HOST.contains(&b))
    {
        return None;
    }
    if ends_in_a_number(&domain) {
        return parse_ipv4(&domain).map(|a| std::net::Ipv4Addr::from(a).to_string());
    }
    Some(domain)
}

fn percent_decode(input: &str) -> Cow<'_, [u8]> {
    if !input.contains('%') {
        return Cow::Borrowed(input.as_bytes());
    }
    let bytes = input.as_bytes();
    let hex = |b: u8| char::from(b).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|&b| hex(b)),
                bytes.get(i + 2).and_then(|&b| hex(b)),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Cow::Owned(out)
}

/// Whether the last label of a domain (a trailing dot aside) is a number,
/// which makes the whole domain an IPv4 address or a failure.
fn ends_in_a_number(domain: &str) -> bool {
    let mut labels: Vec<&str> = domain.split('.').collect();
    if labels.last() == Some(&"") {
        if labels.len() == 1 {
            return false;
        }
        labels.pop();
    }
    let last = labels.last().copied().unwrap_or("");
    (!last.is_empty() && last.bytes().all(|b| b.is_ascii_digit())) || ipv4_number(last).is_some()
}

/// One part of an IPv4 address: decimal, `0x` hexadecimal or `0` octal.
/// Values past `u32` saturate, which every caller treats as too large.
fn ipv4_number(part: &str) -> Option<u64> {
    if part.is_empty() {
        return None;
    }
    let (digits, radix) =
        if let Some(hex) = part.strip_prefix("0x").or_else(|| part.strip_prefix("0X")) {
            (hex, 16)
        } else if part.len() > 1 && part.starts_with('0') {
            (&part[1..], 8)
        } else {
            (part, 10)
        };
    let mut value: u64 = 0;
    for c in digits.chars() {
        let digit = c.to_digit(radix)?;
        value = value
            .saturating_mul(u64::from(radix))
            .saturating_add(u64::from(digit))
            .min(u64::from(u32::MAX) + 1);
    }
    Some(value)
}

fn parse_ipv4(domain: &str) -> Option<u32> {
    let mut parts: Vec<&str> = domain.split('.').collect();
    // A trailing dot ends the last part (`1.2.3.4.`); an empty host has no
    // parts left, and no address.
    if parts.last() == Some(&"") {
        parts.pop();
    }
    if parts.len() > 4 {
        return None;
    }
    let numbers = parts
        .iter()
        .map(|p| ipv4_number(p))
        .collect::<Option<Vec<u64>>>()?;
    let (last, init) = numbers.split_last()?;
    if init.iter().any(|&n| n > 255) || *last >= 256u64.pow(5 - numbers.len() as u32) {
        return None;
    }
    let mut address = *last;
    for (i, &n) in init.iter().enumerate() {
        address += n << (8 * (3 - i));
    }
    u32::try_from(address).ok()
}

/// The standard's IPv6 parser, on what is inside the brackets.
fn parse_ipv6(input: &str) -> Option<[u16; 8]> {
    let input = input.as_bytes();
    let mut address = [0u16; 8];
    let mut piece = 0;
    let mut compress = None;
    let mut at = 0;
    let c = |at: usize| input.get(at).copied();
    if c(0) == Some(b':') {
        if c(1) != Some(b':') {
            return None;
        }
        at = 2;
        piece = 1;
        compress = Some(1);
    }
    while at < input.len() {
        if piece == 8 {
            return None;
        }
        if c(at) == Some(b':') {
            if compress.is_some() {
                return None;
            }
            at += 1;
            piece += 1;
            compress = Some(piece);
            continue;
        }
        let mut value: u16 = 0;
        let mut length = 0;
        while length < 4
            && let Some(digit) = c(at).and_then(|b| char::from(b).to_digit(16))
        {
            value = value * 16 + digit as u16;
            at += 1;
            length += 1;
        }
        match c(at) {
            Some(b'.') => {
                if length == 0 || piece > 6 {
                    return None;
                }
                at -= length;
                let mut numbers_seen = 0;
                while at < input.len() {
                    if numbers_seen > 0 {
                        if c(at) == Some(b'.') && numbers_seen < 4 {
                            at += 1;
                        } else {
                            return None;
                        }
                    }
                    if !c(at).is_some_and(|b| b.is_ascii_digit()) {
                        return None;
                    }
                    let mut number: Option<u16> = None;
                    while let Some(b) = c(at).filter(u8::is_ascii_digit) {
                        let digit = u16::from(b - b'0');
                        number = match number {
                            None => Some(digit),
                            Some(0) => return None,
                            Some(n) => Some(n * 10 + digit),
                        };
                        if number > Some(255) {
                            return None;
                        }
                        at += 1;
                    }
                    address[piece] = address[piece] * 0x100 + number?;
                    numbers_seen += 1;
                    if numbers_seen == 2 || numbers_seen == 4 {
                        piece += 1;
                    }
                }
                if numbers_seen != 4 {
                    return None;
                }
                break;
            }
            Some(b':') => {
                at += 1;
                if at == input.len() {
                    return None;
                }
            }
            Some(_) => return None,
            None => {}
        }
        address[piece] = value;
        piece += 1;
    }
    match compress {
        Some(compress) => {
            let mut swaps = piece - compress;
            piece = 7;
            while piece != 0 && swaps > 0 {
                address.swap(piece, compress + swaps - 1);
                piece -= 1;
                swaps -= 1;
            }
        }
        None if piece != 8 => return None,
        None => {}
    }
    Some(address)
}

/// An IPv6 address serialised as the standard does: lowercase hexadecimal,
/// the first longest run of two or more zero pieces written `::`.
struct Ipv6([u16; 8]);

impl std::fmt::Display for Ipv6 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pieces = &self.0;
        let (mut best, mut best_len) = (None, 1);
        let mut i = 0;
        while i < 8 {
            let run = pieces[i..].iter().take_while(|&&p| p == 0).count();
            if run > best_len {
                (best, best_len) = (Some(i), run);
            }
            i += run.max(1);
        }
        let mut i = 0;
        while i < 8 {
            if Some(i) == best {
                f.write_str(if i == 0 { "::" } else { ":" })?;
                i += best_len;
                continue;
            }
            write!(f, "{:x}", pieces[i])?;
            if i != 7 {
                f.write_char(':')?;
            }
            i += 1;
        }
        Ok(())
    }
}

/// A path segment that starts like a Windows drive letter (`C:`, `c|x`):
/// the `file:` rules around those are intricate and parsers disagree on
/// them, so the splitter refuses such `file:` URLs altogether.
fn starts_like_a_drive_letter(segment: &str) -> bool {
    let b = segment.as_bytes();
    b.len() >= 2 && b[0].is_ascii_alphabetic() && matches!(b[1], b':' | b'|')
}

/// The path state: segments (split at `/`, and at `\` for special schemes)
/// with `.` and `..` resolved, each percent-encoded. `path` is what follows
/// the authority, or the scheme when there is none.
fn parse_path(path: &str, special: bool) -> String {
    let is_slash = |c: char| c == '/' || (special && c == '\\');
    let body = match path.chars().next() {
        Some(c) if is_slash(c) => &path[1..],
        _ => path,
    };
    let mut segments: Vec<&str> = Vec::new();
    let mut pieces = body.split(is_slash).peekable();
    while let Some(segment) = pieces.next() {
        let last = pieces.peek().is_none();
        if is_double_dot(segment) {
            segments.pop();
            if last {
                segments.push("");
            }
        } else if is_single_dot(segment) {
            if last {
                segments.push("");
            }
        } else {
            segments.push(segment);
        }
    }
    let mut out = String::with_capacity(path.len() + 1);
    for segment in segments {
        out.push('/');
        encode_into(&mut out, segment, PATH_SET);
    }
    out
}

fn is_single_dot(segment: &str) -> bool {
    segment == "." || segment.eq_ignore_ascii_case("%2e")
}

fn is_double_dot(segment: &str) -> bool {
    matches!(segment, "..")
        || [".%2e", "%2e.", "%2e%2e"]
            .iter()
            .any(|d| segment.eq_ignore_ascii_case(d))
}

/// Schemes a masked URL keeps without a host: their URLs carry their data
/// in an opaque path (`mailto:jane@…`, `tel:…`, `data:…`), which goes.
const KEPT_OPAQUE_SCHEMES: &[&str] = &[
    "about", "blob", "callto", "data", "facetime", "mailto", "sms", "tel",
];

/// What a masked URL is recorded as: `scheme://host[:port]/` for a special
/// scheme (`http`, `https`, `ws`, `wss`, `ftp`, `file`) written with an
/// authority (`//` right after the scheme and, but for `file:`, not a
/// third slash); the bare scheme (`mailto:`) for the known opaque schemes
/// of [`KEPT_OPAQUE_SCHEMES`]; otherwise nothing.
///
/// The host is kept only where the URL standard reads it as a domain or an
/// IP address and the author wrote it as one: `https:/jane-doe-1234` and
/// `https:\\jane-doe` are parsed with a host, but that host is free text.
/// Other schemes' hosts are opaque (an app's deep link puts whatever it
/// likes there), and an unknown scheme may itself be free text
/// (`Jane-Doe:555-0100`), so neither is kept.
pub fn mask_url(url: &str) -> String {
    let Some(parts) = split(url) else {
        return String::new();
    };
    if is_special(&parts.protocol) && written_with_authority(url, &parts.protocol) {
        let mut out = format!("{}://{}", parts.protocol, parts.hostname);
        if !parts.port.is_empty() {
            out.push(':');
            out.push_str(&parts.port);
        }
        out.push('/');
        out
    } else if KEPT_OPAQUE_SCHEMES.contains(&parts.protocol.as_str()) {
        format!("{}:", parts.protocol)
    } else {
        String::new()
    }
}

/// Whether `url` (whose scheme is `scheme`) is written `scheme://host`.
fn written_with_authority(url: &str, scheme: &str) -> bool {
    let cleaned = clean(url);
    let after = &cleaned[scheme.len() + 1..];
    match after.strip_prefix("//") {
        Some(host) => scheme == "file" || !host.starts_with(['/', '\\']),
        None => false,
    }
}

/// The byte range of the authority (`userinfo@host:port`) of `url` as it is
/// written, read as the URL parser reads it: leading controls and spaces
/// skipped, tabs and newlines ignored, after `scheme:` and any slashes or
/// backslashes for a special scheme, after `scheme://` for another, and
/// after two slashes for a scheme-relative URL (read against a special
/// base, as the URLs of a page are). Offsets are into `url` itself, so
/// that the credentials in it can be cut out and nothing else changed.
pub(crate) fn authority_range(url: &str) -> Option<std::ops::Range<usize>> {
    let significant = || {
        url.char_indices()
            .skip_while(|&(_, c)| c <= ' ')
            .filter(|&(_, c)| !matches!(c, '\t' | '\n' | '\r'))
            .peekable()
    };
    let mut chars = significant();
    let mut scheme = String::new();
    while let Some((_, c)) =
        chars.next_if(|&(_, c)| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        scheme.push(c.to_ascii_lowercase());
    }
    let has_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && chars.next_if(|&(_, c)| c == ':').is_some();
    if !has_scheme {
        chars = significant();
    }
    // A scheme-relative URL is read against a special base.
    let special = !has_scheme || is_special(&scheme);
    let is_slash = |c: char| c == '/' || (special && c == '\\');
    if !has_scheme || !special {
        // Exactly two slashes open the authority.
        for _ in 0..2 {
            chars.next_if(|&(_, c)| is_slash(c))?;
        }
    }
    if special {
        while chars.next_if(|&(_, c)| is_slash(c)).is_some() {}
    }
    let start = chars.peek().map_or(url.len(), |&(i, _)| i);
    let end = chars
        .find(|&(_, c)| is_slash(c) || c == '?' || c == '#')
        .map_or(url.len(), |(i, _)| i);
    Some(start..end)
}

/// The byte offset just past the `:` that ends the scheme of `url`, read
/// as the URL parser reads it (leading C0 controls and spaces skipped, tabs
/// and newlines ignored); `None` when `url` has no scheme.
pub(crate) fn scheme_end(url: &str) -> Option<usize> {
    let mut chars = url
        .char_indices()
        .skip_while(|&(_, c)| c <= ' ')
        .filter(|&(_, c)| !matches!(c, '\t' | '\n' | '\r'));
    if !chars.next()?.1.is_ascii_alphabetic() {
        return None;
    }
    for (i, c) in chars {
        match c {
            ':' => return Some(i + 1),
            c if c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.') => {}
            _ => return None,
        }
    }
    None
}

/// Whether the scheme of `url`, read as the URL parser reads it (leading C0
/// controls and spaces stripped, tabs and newlines ignored anywhere,
/// ASCII-case-insensitive), is one of `schemes` (given in lowercase).
/// Integrations use it for every scheme test, so `java&#9;script:` or
/// `MAILTO:` cannot slip past one check and be caught by another.
pub fn scheme_is(url: &str, schemes: &[&str]) -> bool {
    // The scheme, lowercased, in a fixed buffer: no allocation per URL.
    let mut scheme = [0u8; 16];
    let mut len = 0;
    for c in url.trim_start_matches(|c: char| c <= ' ').chars() {
        match c {
            '\t' | '\n' | '\r' => {}
            ':' => return schemes.iter().any(|s| s.as_bytes() == &scheme[..len]),
            _ if len >= scheme.len() || !c.is_ascii() => return false,
            c => {
                scheme[len] = c.to_ascii_lowercase() as u8;
                len += 1;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masked_urls_keep_a_host_only_where_one_is_written() {
        for (url, masked) in [
            (
                "https://shop.example.com:8443/account?id=1#x",
                "https://shop.example.com:8443/",
            ),
            (
                "HTTPS://Jane:pw@Shop.Example.com/a",
                "https://shop.example.com/",
            ),
            (
                "\t https://cdn.example.com/img.png",
                "https://cdn.example.com/",
            ),
            ("ws://[::1]:80/socket", "ws://[::1]/"),
            ("file:///home/jane/notes.txt", "file:///"),
            ("file://fileserver/jane/notes.txt", "file://fileserver/"),
            // Parsed with a host by the standard, but the host is free text.
            ("https:/jane-doe-1234", ""),
            ("https:\\\\jane-doe-1234\\x", ""),
            ("https:jane-doe-1234", ""),
            ("https:///jane-doe-1234", ""),
            ("https:/\\jane-doe-1234", ""),
            ("file:\\\\jane-doe-1234\\x", ""),
            ("file:/jane-doe-1234", ""),
            // Unknown schemes may be free text too; other schemes' hosts are
            // whatever the app put there.
            ("Jane-Doe:555-0100", ""),
            ("myapp://jane.doe/orders/1", ""),
            ("mailto:jane@example.com", "mailto:"),
            ("TEL:+1-555-0100", "tel:"),
            ("data:text/plain,jane", "data:"),
            ("/relative/jane", ""),
            ("https://", ""),
        ] {
            assert_eq!(mask_url(url), masked, "{url:?}");
        }
    }
}

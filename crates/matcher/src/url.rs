//! A small WHATWG-style URL splitter, so that the runtime can match the
//! artifact's per-component regular expressions without linking the `url`
//! and `urlpattern` crates.
//!
//! It splits an absolute URL into the components URLPattern matches:
//! protocol (without `:`), username, password, hostname (ASCII-lowercased),
//! port (empty for the scheme's default), pathname, search (without `?`) and
//! hash (without `#`), percent-encoding what the URL standard encodes, so a
//! URL as typed and as the browser reports it split the same way. Anything it
//! is not sure about (no scheme, a non-ASCII host that would need IDNA, a bad
//! port) is refused: an unparseable URL matches no pattern.

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
    /// Whether the URL has an authority (`scheme://…`).
    pub has_authority: bool,
}

fn default_port(scheme: &str) -> Option<&'static str> {
    match scheme {
        "http" | "ws" => Some("80"),
        "https" | "wss" => Some("443"),
        "ftp" => Some("21"),
        _ => None,
    }
}

fn is_special(scheme: &str) -> bool {
    matches!(scheme, "http" | "https" | "ws" | "wss" | "ftp" | "file")
}

/// Percent-encodes `s` into `out`: bytes outside printable ASCII, and the
/// ASCII characters `extra` names.
fn encode_into(out: &mut String, s: &str, extra: &[u8]) {
    for &b in s.as_bytes() {
        if b <= 0x20 || b >= 0x7f || extra.contains(&b) {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b >> 4)]));
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b & 15)]));
        } else {
            out.push(char::from(b));
        }
    }
}

const PATH_SET: &[u8] = b"\"#<>?`{}";
const QUERY_SET: &[u8] = b"\"#<>";
const SPECIAL_QUERY_SET: &[u8] = b"\"#<>'";
const FRAGMENT_SET: &[u8] = b"\"<>`";
const USERINFO_SET: &[u8] = b"\"#<>?`{}/:;=@[\\]^|";

/// Splits an absolute URL; `None` when it is not one this splitter trusts.
pub fn split(input: &str) -> Option<UrlParts> {
    // Leading/trailing C0 controls and spaces are stripped, tabs and
    // newlines removed anywhere, as the URL standard does.
    let trimmed = input.trim_matches(|c: char| c <= ' ');
    let cleaned: String;
    let s = if trimmed.contains(['\t', '\n', '\r']) {
        cleaned = trimmed
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect();
        cleaned.as_str()
    } else {
        trimmed
    };

    let colon = s.find(':')?;
    let scheme = &s[..colon];
    let mut chars = scheme.chars();
    if !chars.next()?.is_ascii_alphabetic()
        || !chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return None;
    }
    let protocol = scheme.to_ascii_lowercase();
    let special = is_special(&protocol);
    let rest = &s[colon + 1..];

    // Split off the fragment and the query first: they end nothing else.
    let (rest, hash) = match rest.find('#') {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let (rest, search) = match rest.find('?') {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };

    let mut parts = UrlParts {
        protocol,
        ..UrlParts::default()
    };
    let is_slash = |c: char| c == '/' || (special && c == '\\');
    let path_part;
    if parts.protocol == "file" {
        // file: URLs have a host only in the `file://host/` form.
        match rest
            .strip_prefix("//")
            .or_else(|| rest.strip_prefix("\\\\"))
        {
            Some(after) => {
                let end = after.find(is_slash).unwrap_or(after.len());
                if end > 0 {
                    parts.hostname = parse_host(&after[..end])?;
                }
                path_part = &after[end..];
            }
            None => path_part = rest,
        }
        parts.has_authority = true;
    } else if special || rest.starts_with("//") {
        // Special schemes take any number of slashes before the authority.
        let after = rest.trim_start_matches(is_slash);
        if !special && rest.len() - after.len() != 2 {
            return None;
        }
        {
            let end = after.find(is_slash).unwrap_or(after.len());
            let authority = &after[..end];
            path_part = &after[end..];
            let (userinfo, hostport) = match authority.rfind('@') {
                Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
                None => (None, authority),
            };
            if let Some(userinfo) = userinfo {
                let (user, pass) = match userinfo.find(':') {
                    Some(i) => (&userinfo[..i], &userinfo[i + 1..]),
                    None => (userinfo, ""),
                };
                encode_into(&mut parts.username, user, USERINFO_SET);
                encode_into(&mut parts.password, pass, USERINFO_SET);
            }
            let (host, port) = split_port(hostport)?;
            if host.is_empty() && special {
                return None;
            }
            parts.hostname = parse_host(host)?;
            if let Some(port) = port
                && !port.is_empty()
            {
                if !port.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                let digits = port.trim_start_matches('0');
                if digits.len() > 5 {
                    return None;
                }
                let n: u32 = if digits.is_empty() {
                    0
                } else {
                    digits.parse().ok()?
                };
                if n > 65535 {
                    return None;
                }
                let n = n.to_string();
                if default_port(&parts.protocol) != Some(n.as_str()) {
                    parts.port = n;
                }
            }
            parts.has_authority = true;
        }
    } else {
        path_part = rest;
    }

    if special {
        parts.pathname = normalize_path(path_part);
    } else if parts.has_authority || path_part.starts_with('/') {
        parts.pathname = normalize_path(path_part);
        if path_part.is_empty() {
            parts.pathname.clear();
        }
    } else {
        // An opaque path (`mailto:x`, `data:…`): C0 controls encoded only.
        encode_into(&mut parts.pathname, path_part, &[]);
        parts.pathname = parts.pathname.replace("%20", " ");
    }
    if let Some(q) = search {
        encode_into(
            &mut parts.search,
            q,
            if special {
                SPECIAL_QUERY_SET
            } else {
                QUERY_SET
            },
        );
    }
    if let Some(h) = hash {
        encode_into(&mut parts.hash, h, FRAGMENT_SET);
    }
    Some(parts)
}

/// Splits `host:port`, minding IPv6 brackets.
fn split_port(hostport: &str) -> Option<(&str, Option<&str>)> {
    if hostport.starts_with('[') {
        let close = hostport.find(']')?;
        let after = &hostport[close + 1..];
        return match after.strip_prefix(':') {
            Some(port) => Some((&hostport[..=close], Some(port))),
            None if after.is_empty() => Some((hostport, None)),
            None => None,
        };
    }
    Some(match hostport.rfind(':') {
        Some(i) => (&hostport[..i], Some(&hostport[i + 1..])),
        None => (hostport, None),
    })
}

/// Lowercases an ASCII host; refuses what would need IDNA or is forbidden.
fn parse_host(host: &str) -> Option<String> {
    if host.starts_with('[') {
        let inner = &host[1..host.len() - 1];
        if !inner
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        {
            return None;
        }
        return Some(host.to_ascii_lowercase());
    }
    if !host.is_ascii()
        || host.contains('%')
        || host
            .bytes()
            .any(|b| b <= 0x20 || b"#/:<>?@[\\]^|".contains(&b))
    {
        return None;
    }
    Some(host.to_ascii_lowercase())
}

/// Backslashes to slashes, `.` and `..` segments resolved, encoded.
fn normalize_path(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut segments: Vec<&str> = Vec::new();
    let body = path.strip_prefix('/').unwrap_or(&path);
    let pieces: Vec<&str> = body.split('/').collect();
    let last = pieces.len().saturating_sub(1);
    let mut trailing_slash = false;
    for (i, seg) in pieces.iter().enumerate() {
        let lower = seg.to_ascii_lowercase();
        match lower.as_str() {
            "." | "%2e" => trailing_slash = i == last,
            ".." | ".%2e" | "%2e." | "%2e%2e" => {
                segments.pop();
                trailing_slash = i == last;
            }
            _ => {
                segments.push(seg);
                trailing_slash = false;
            }
        }
    }
    let mut out = String::with_capacity(path.len() + 1);
    for seg in &segments {
        out.push('/');
        encode_into(&mut out, seg, PATH_SET);
    }
    if trailing_slash || out.is_empty() {
        out.push('/');
    }
    out
}

/// Keeps scheme and host of a URL and loses the rest (`https://h/`).
/// A URL that cannot be split keeps nothing.
pub fn mask_url(url: &str) -> String {
    match split(url) {
        Some(p) if p.has_authority => {
            let mut out = format!("{}://{}", p.protocol, p.hostname);
            if !p.port.is_empty() {
                out.push(':');
                out.push_str(&p.port);
            }
            out.push('/');
            out
        }
        Some(p) => format!("{}:", p.protocol),
        None => String::new(),
    }
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

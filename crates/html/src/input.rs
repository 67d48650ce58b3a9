//! Reading a page from outside: its bytes decoded as a browser decodes
//! them, and the limits that bound what a page can cost to parse.
//!
//! Decoding follows the HTML standard's order: a byte order mark, then an
//! encoding the caller names (as a server's `Content-Type` would), then the
//! `<meta charset>` prescan of the first 1,024 bytes, then UTF-8. Unlike a
//! browser, nothing is decoded with replacement characters: a page that is
//! not valid in its encoding is refused, because text that cannot be read
//! cannot be decided either.
//!
//! html5ever's tree builder scans its stack of open elements at many start
//! tags, and its tokenizer compares every new attribute with the ones
//! before it: both are quadratic (a page of 100,000 nested `<div>`s takes
//! about a minute, a tag with 100,000 attributes several seconds). The
//! limits refuse such pages before that work is done: the depth is watched
//! by the tree sink while the page is fed in chunks, and the attributes of
//! every tag are counted by [`TagScanner`] ahead of the tokenizer.

use encoding_rs::Encoding;
use std::borrow::Cow;
use std::fmt;

/// The limits a page is parsed under: [`Limits::default`] is far above
/// any real page, and refuses pages built to make the parser slow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The size of the page, in bytes (before decoding).
    pub max_bytes: usize,
    /// How deep elements nest: an element inside 1,024 others is at depth
    /// 1,025. Template contents count their template; an `<iframe srcdoc>`
    /// document counts from its iframe.
    pub max_depth: usize,
    /// Attributes in one tag, as written (duplicates included).
    pub max_attributes: usize,
}

impl Limits {
    /// The defaults: 64 MiB, 1,024 levels, 1,024 attributes (see
    /// `docs/html.md`, "Limits", for why).
    pub const DEFAULT: Limits = Limits {
        max_bytes: 64 * 1024 * 1024,
        max_depth: 1024,
        max_attributes: 1024,
    };

    /// No limit at all: for trusted input only.
    pub const NONE: Limits = Limits {
        max_bytes: usize::MAX,
        max_depth: usize::MAX,
        max_attributes: usize::MAX,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// Why a page was not read. Nothing of a page that fails is masked or
/// written.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReadError {
    /// The named encoding is not an encoding label browsers know.
    UnknownEncoding { label: String },
    /// The page is not valid in its encoding.
    Malformed {
        /// The encoding's name (`UTF-8`, `Shift_JIS`).
        encoding: &'static str,
        /// What chose it.
        source: EncodingSource,
        /// The offset of the first byte that is not valid.
        offset: usize,
    },
    /// The page is larger than [`Limits::max_bytes`].
    TooLarge { bytes: usize, limit: usize },
    /// An element is nested deeper than [`Limits::max_depth`].
    TooDeep { limit: usize },
    /// A tag has more attributes than [`Limits::max_attributes`].
    TooManyAttributes { limit: usize },
}

/// What chose the encoding a page is decoded with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodingSource {
    /// A byte order mark at the start of the page.
    ByteOrderMark,
    /// The caller (`--encoding`).
    Given,
    /// A `<meta charset>` (or `http-equiv="Content-Type"`) in the first
    /// 1,024 bytes.
    Meta,
    /// Nothing: UTF-8.
    Default,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::UnknownEncoding { label } => write!(f, "unknown encoding `{label}`"),
            ReadError::Malformed {
                encoding,
                source,
                offset,
            } => {
                let why = match source {
                    EncodingSource::ByteOrderMark => " (its byte order mark says so)",
                    EncodingSource::Given => "",
                    EncodingSource::Meta => " (its `<meta charset>` says so)",
                    EncodingSource::Default => " (no encoding is declared)",
                };
                write!(
                    f,
                    "the page is not valid {encoding}{why}: the bytes at offset {offset} cannot be decoded"
                )
            }
            ReadError::TooLarge { bytes, limit } => {
                write!(f, "the page is {bytes} bytes (the limit is {limit})")
            }
            ReadError::TooDeep { limit } => write!(
                f,
                "the page nests elements {} deep (the limit is {limit})",
                limit.saturating_add(1)
            ),
            ReadError::TooManyAttributes { limit } => write!(
                f,
                "a tag has more than {limit} attributes (the limit is {limit})"
            ),
        }
    }
}

impl std::error::Error for ReadError {}

/// A page decoded to text.
#[derive(Debug, Clone)]
pub struct Decoded<'b> {
    pub text: Cow<'b, str>,
    /// The encoding's name (`UTF-8`, `windows-1252`).
    pub encoding: &'static str,
    pub source: EncodingSource,
}

/// Decodes a page as a browser does: its byte order mark, else `label`
/// (an encoding label such as `utf-8`, `latin1`, `shift_jis`), else the
/// `<meta charset>` prescan, else UTF-8. Malformed input is refused rather
/// than replaced.
pub fn decode<'b>(bytes: &'b [u8], label: Option<&str>) -> Result<Decoded<'b>, ReadError> {
    let given = match label {
        Some(label) => Some(Encoding::for_label(label.as_bytes()).ok_or_else(|| {
            ReadError::UnknownEncoding {
                label: label.to_string(),
            }
        })?),
        None => None,
    };
    let (encoding, source, body) = if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        (encoding, EncodingSource::ByteOrderMark, &bytes[bom..])
    } else if let Some(encoding) = given {
        (encoding, EncodingSource::Given, bytes)
    } else if let Some(encoding) = prescan(bytes) {
        (encoding, EncodingSource::Meta, bytes)
    } else {
        (encoding_rs::UTF_8, EncodingSource::Default, bytes)
    };
    let malformed = |offset| ReadError::Malformed {
        encoding: encoding.name(),
        source,
        offset: offset + (bytes.len() - body.len()),
    };
    if encoding == encoding_rs::UTF_8 {
        return match std::str::from_utf8(body) {
            Ok(text) => Ok(Decoded {
                text: Cow::Borrowed(text),
                encoding: encoding.name(),
                source,
            }),
            Err(error) => Err(malformed(error.valid_up_to())),
        };
    }
    if encoding == encoding_rs::REPLACEMENT {
        // Labels of encodings browsers refuse to decode (`iso-2022-kr` …):
        // their whole content is one replacement character.
        return Err(malformed(0));
    }
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(body.len())
        .unwrap_or(body.len());
    let mut text = String::with_capacity(capacity);
    let (result, read) = decoder.decode_to_string_without_replacement(body, &mut text, true);
    match result {
        encoding_rs::DecoderResult::InputEmpty => Ok(Decoded {
            text: Cow::Owned(text),
            encoding: encoding.name(),
            source,
        }),
        encoding_rs::DecoderResult::Malformed(bad, extra) => {
            Err(malformed(read - usize::from(bad) - usize::from(extra)))
        }
        // The buffer was sized for the worst case.
        encoding_rs::DecoderResult::OutputFull => Err(malformed(read)),
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// The HTML standard's prescan of a byte stream for its encoding: the
/// first `<meta>` in the first 1,024 bytes that declares a known one.
fn prescan(bytes: &[u8]) -> Option<&'static Encoding> {
    let b = &bytes[..bytes.len().min(1024)];
    let mut p = 0;
    while p < b.len() {
        let rest = &b[p..];
        if rest.starts_with(b"<!--") {
            // To the `>` of the first `-->` (whose dashes may be the
            // opening ones).
            let from = p + 2;
            p = from + b[from..].windows(3).position(|w| w == b"-->")? + 3;
            continue;
        }
        if rest.len() >= 6
            && rest[..5].eq_ignore_ascii_case(b"<meta")
            && (is_space(rest[5]) || rest[5] == b'/')
        {
            p += 6;
            if let Some(encoding) = meta(b, &mut p)? {
                return Some(encoding);
            }
            continue;
        }
        let tag = (rest.len() >= 2 && rest[0] == b'<' && rest[1].is_ascii_alphabetic())
            || (rest.len() >= 3 && rest.starts_with(b"</") && rest[2].is_ascii_alphabetic());
        if tag {
            p += b[p..]
                .iter()
                .position(|&c| is_space(c) || c == b'>')
                .unwrap_or(b.len() - p);
            while attribute(b, &mut p)?.is_some() {}
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"</") || rest.starts_with(b"<?") {
            p += rest.iter().position(|&c| c == b'>')? + 1;
            continue;
        }
        p += 1;
    }
    None
}

/// The attributes of a `<meta>` (from after its name) and the encoding
/// they declare. `None` at the end of the prescanned bytes;
/// `Some(None)` when this `<meta>` declares nothing usable.
fn meta(b: &[u8], p: &mut usize) -> Option<Option<&'static Encoding>> {
    let mut seen: Vec<Vec<u8>> = Vec::new();
    let mut got_pragma = false;
    let mut need_pragma: Option<bool> = None;
    let mut charset: Option<&'static Encoding> = None;
    while let Some((name, value)) = attribute(b, p)? {
        if seen.contains(&name) {
            continue;
        }
        match name.as_slice() {
            b"http-equiv" => got_pragma |= value == b"content-type",
            b"content" if charset.is_none() => {
                if let Some(encoding) = charset_in_content(&value) {
                    charset = Some(encoding);
                    need_pragma = Some(true);
                }
            }
            b"charset" => {
                charset = Encoding::for_label(&value);
                need_pragma = Some(false);
            }
            _ => {}
        }
        seen.push(name);
    }
    let usable = match need_pragma {
        None => false,
        Some(true) => got_pragma,
        Some(false) => true,
    };
    Some(charset.filter(|_| usable).map(|encoding| {
        if encoding == encoding_rs::UTF_16BE || encoding == encoding_rs::UTF_16LE {
            encoding_rs::UTF_8
        } else if encoding == encoding_rs::X_USER_DEFINED {
            encoding_rs::WINDOWS_1252
        } else {
            encoding
        }
    }))
}

/// The prescan's "get an attribute": `None` at the end of the prescanned
/// bytes, `Some(None)` at the end of the tag. Names and values are
/// lowercased, as the algorithm does.
#[allow(clippy::type_complexity)]
fn attribute(b: &[u8], p: &mut usize) -> Option<Option<(Vec<u8>, Vec<u8>)>> {
    while is_space(*b.get(*p)?) || b[*p] == b'/' {
        *p += 1;
    }
    if b[*p] == b'>' {
        return Some(None);
    }
    let mut name = Vec::new();
    let mut value = Vec::new();
    loop {
        let c = *b.get(*p)?;
        if c == b'=' && !name.is_empty() {
            *p += 1;
            break;
        }
        if is_space(c) {
            while is_space(*b.get(*p)?) {
                *p += 1;
            }
            if b[*p] != b'=' {
                return Some(Some((name, value)));
            }
            *p += 1;
            break;
        }
        if c == b'/' || c == b'>' {
            return Some(Some((name, value)));
        }
        name.push(c.to_ascii_lowercase());
        *p += 1;
    }
    while is_space(*b.get(*p)?) {
        *p += 1;
    }
    let c = *b.get(*p)?;
    if c == b'"' || c == b'\'' {
        loop {
            *p += 1;
            let d = *b.get(*p)?;
            if d == c {
                *p += 1;
                return Some(Some((name, value)));
            }
            value.push(d.to_ascii_lowercase());
        }
    }
    if c == b'>' {
        return Some(Some((name, value)));
    }
    loop {
        let d = *b.get(*p)?;
        if is_space(d) || d == b'>' {
            return Some(Some((name, value)));
        }
        value.push(d.to_ascii_lowercase());
        *p += 1;
    }
}

/// The HTML standard's "extracting a character encoding from a meta
/// element", on a lowercased `content` value.
fn charset_in_content(content: &[u8]) -> Option<&'static Encoding> {
    let mut p = 0;
    loop {
        p += content[p..].windows(7).position(|w| w == b"charset")? + 7;
        let mut q = p;
        while q < content.len() && is_space(content[q]) {
            q += 1;
        }
        if content.get(q) != Some(&b'=') {
            continue;
        }
        q += 1;
        while q < content.len() && is_space(content[q]) {
            q += 1;
        }
        let rest = &content[q..];
        return match rest.first() {
            Some(&quote @ (b'"' | b'\'')) => {
                let end = rest[1..].iter().position(|&c| c == quote)?;
                Encoding::for_label(&rest[1..1 + end])
            }
            _ => {
                let end = rest
                    .iter()
                    .position(|&c| is_space(c) || c == b';')
                    .unwrap_or(rest.len());
                Encoding::for_label(&rest[..end])
            }
        };
    }
}

/// The elements whose start tag switches the tokenizer out of markup (when
/// the tree builder makes them as HTML elements), and the text state each
/// switches it to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RawKind {
    /// `<style>`, `<xmp>`, `<iframe>`, `<noembed>`, `<noframes>`,
    /// `<noscript>`: text up to the matching end tag.
    RawText,
    /// `<title>`, `<textarea>`: the same, with character references.
    Rcdata,
    /// `<script>`: with the escape states of script data.
    Script,
    /// `<plaintext>`: text to the end.
    Plaintext,
}

/// The raw-text element names (all lowercase), and the kind of each.
pub(crate) const RAW_ELEMENTS: &[(&str, RawKind)] = &[
    ("style", RawKind::RawText),
    ("xmp", RawKind::RawText),
    ("iframe", RawKind::RawText),
    ("noembed", RawKind::RawText),
    ("noframes", RawKind::RawText),
    ("noscript", RawKind::RawText),
    ("title", RawKind::Rcdata),
    ("textarea", RawKind::Rcdata),
    ("script", RawKind::Script),
    ("plaintext", RawKind::Plaintext),
];

/// The longest raw-text element name.
const RAW_NAME_MAX: usize = 9;

/// The tokenizer's states inside a tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TagState {
    /// After `<`.
    Open,
    /// After `</`.
    EndOpen,
    Name,
    BeforeAttrName,
    AttrName,
    AfterAttrName,
    BeforeAttrValue,
    DoubleQuoted,
    SingleQuoted,
    Unquoted,
    AfterQuoted,
    SelfClosing,
}

/// One possible tag the tokenizer may be reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Scan {
    state: TagState,
    end_tag: bool,
    /// The tag name's first bytes (lowercase) while they may still name a
    /// raw-text element; `len > RAW_NAME_MAX` when they cannot.
    name: [u8; RAW_NAME_MAX],
    len: u8,
    attributes: usize,
}

impl Scan {
    fn new(at: TagState) -> Scan {
        Scan {
            state: at,
            end_tag: false,
            name: [0; RAW_NAME_MAX],
            len: 0,
            attributes: 0,
        }
    }

    fn push_name(&mut self, c: u8) {
        let len = usize::from(self.len);
        if len < RAW_NAME_MAX {
            self.name[len] = c.to_ascii_lowercase();
        }
        self.len = self.len.saturating_add(1).min(RAW_NAME_MAX as u8 + 1);
    }

    /// Whether two scans behave the same from here on (attribute counts
    /// aside).
    fn same(&self, other: &Scan) -> bool {
        self.state == other.state
            && self.end_tag == other.end_tag
            && self.len == other.len
            && self.name[..usize::from(self.len).min(RAW_NAME_MAX)]
                == other.name[..usize::from(other.len).min(RAW_NAME_MAX)]
    }

    fn names_raw_element(&self) -> bool {
        let len = usize::from(self.len);
        len <= RAW_NAME_MAX
            && RAW_ELEMENTS
                .iter()
                .any(|(n, _)| n.as_bytes() == &self.name[..len])
    }
}

/// Where the tokenizer is, as far as the scanner can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Markup: any `<` followed by a letter may start a tag.
    Markup,
    /// Inside a raw-text element: looking for its end tag.
    Raw {
        element: &'static str,
        kind: RawKind,
        state: RawState,
    },
    /// After `<plaintext>`: no tag any more.
    Done,
}

/// The tokenizer's states in raw text, as far as finding the end tag
/// needs them (`matched` counts the end tag name's bytes read so far).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RawState {
    Text,
    LessThan,
    EndTagOpen,
    EndTagName { matched: u8 },
    // Script data only:
    EscapeStart,
    EscapeStartDash,
    Escaped,
    EscapedDash,
    EscapedDashDash,
    EscapedLessThan,
    EscapedEndTagOpen,
    EscapedEndTagName { matched: u8 },
    DoubleEscapeStart { matched: u8 },
    DoubleEscaped,
    DoubleEscapedDash,
    DoubleEscapedDashDash,
    DoubleEscapedLessThan,
    DoubleEscapeEnd { matched: u8 },
}

/// What [`TagScanner::next_stop`] stopped at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stop {
    /// Feed the parser up to here (a character boundary).
    pub(crate) end: usize,
    /// A start tag that may name a raw-text element ends here: once the
    /// parser has read it, tell the scanner what it made of it
    /// ([`TagScanner::raw_element`]).
    pub(crate) raw_candidate: bool,
}

/// Counts the attributes of every tag ahead of the tokenizer, so that a
/// tag with too many is refused before the tokenizer's quadratic
/// duplicate check runs on it.
///
/// The scanner over-approximates what the tokenizer reads as tags: every
/// `<` followed by a letter starts a possible tag (even inside a comment or
/// an attribute value), and possible tags in the same state are followed
/// once. Only raw text is skipped, and only where the tree builder did
/// switch the tokenizer to it: the caller stops at every start tag that
/// may name a raw-text element, feeds the parser that far and reports
/// which element, if any, the tree builder made.
#[derive(Debug)]
pub(crate) struct TagScanner<'a> {
    bytes: &'a [u8],
    pos: usize,
    max_attributes: usize,
    mode: Mode,
    scans: Vec<Scan>,
}

impl<'a> TagScanner<'a> {
    pub(crate) fn new(bytes: &'a [u8], max_attributes: usize) -> Self {
        TagScanner {
            bytes,
            pos: 0,
            max_attributes,
            mode: Mode::Markup,
            scans: Vec::new(),
        }
    }

    /// Scans on from the last stop, at most `chunk` bytes: to the end of
    /// the input, to a raw-text candidate, or to the next character
    /// boundary past `chunk` bytes.
    pub(crate) fn next_stop(&mut self, chunk: usize) -> Result<Stop, ReadError> {
        let b = self.bytes;
        let limit = self.pos.saturating_add(chunk).min(b.len());
        while self.pos < limit {
            match self.mode {
                Mode::Done => self.pos = limit,
                Mode::Raw { .. } => self.raw_byte(),
                Mode::Markup => {
                    if self.scans.is_empty() {
                        // Nothing to follow: on to the next `<`.
                        match b[self.pos..limit].iter().position(|&c| c == b'<') {
                            Some(i) => self.pos += i,
                            None => {
                                self.pos = limit;
                                break;
                            }
                        }
                    }
                    if self.markup_byte()? {
                        return Ok(Stop {
                            end: self.pos,
                            raw_candidate: true,
                        });
                    }
                }
            }
        }
        while self.pos < b.len() && (b[self.pos] & 0xC0) == 0x80 {
            // Inside a character: bytes that are never markup.
            self.pos += 1;
        }
        Ok(Stop {
            end: self.pos,
            raw_candidate: false,
        })
    }

    /// After a raw-text candidate: the raw-text element the tree builder
    /// made while reading it (its lowercase local name), if any.
    pub(crate) fn raw_element(&mut self, element: Option<&str>) {
        let Some(&(name, kind)) = element.and_then(|e| RAW_ELEMENTS.iter().find(|(n, _)| *n == e))
        else {
            return;
        };
        self.scans.clear();
        self.mode = if kind == RawKind::Plaintext {
            Mode::Done
        } else {
            Mode::Raw {
                element: name,
                kind,
                state: RawState::Text,
            }
        };
    }

    /// One byte of markup; `true` when a raw-text candidate ended with it.
    fn markup_byte(&mut self) -> Result<bool, ReadError> {
        let c = self.bytes[self.pos];
        self.pos += 1;
        let mut candidate = false;
        let mut i = 0;
        while i < self.scans.len() {
            let mut scan = self.scans[i];
            match step(&mut scan, c) {
                Step::Continue => {
                    if scan.attributes > self.max_attributes {
                        return Err(ReadError::TooManyAttributes {
                            limit: self.max_attributes,
                        });
                    }
                    self.scans[i] = scan;
                    i += 1;
                }
                Step::Ended => {
                    candidate |= !scan.end_tag && scan.names_raw_element();
                    self.scans.swap_remove(i);
                }
                Step::Dropped => {
                    self.scans.swap_remove(i);
                }
            }
        }
        if c == b'<' {
            self.scans.push(Scan::new(TagState::Open));
        }
        // Possible tags in the same state go on as one, with the most
        // attributes.
        let mut j = 0;
        while j < self.scans.len() {
            if let Some(k) = (0..j).find(|&k| self.scans[k].same(&self.scans[j])) {
                let more = self.scans[k].attributes.max(self.scans[j].attributes);
                self.scans[k].attributes = more;
                self.scans.swap_remove(j);
            } else {
                j += 1;
            }
        }
        Ok(candidate)
    }

    /// One byte of raw text; at the end tag, back to markup in the middle
    /// of that tag.
    fn raw_byte(&mut self) {
        let Mode::Raw {
            element,
            kind,
            state,
        } = self.mode
        else {
            return;
        };
        let c = self.bytes[self.pos];
        self.pos += 1;
        let name = element.as_bytes();
        let script = kind == RawKind::Script;
        // Reads one more byte of an end tag name: the next state, or
        // `None` when the end tag is complete (`c` ends it).
        let end_tag_name = |matched: u8, escaped: bool| -> Option<RawState> {
            let m = usize::from(matched);
            if c.is_ascii_alphabetic() {
                let next = if m < name.len() && c.to_ascii_lowercase() == name[m] {
                    matched + 1
                } else {
                    u8::MAX
                };
                return Some(if escaped {
                    RawState::EscapedEndTagName { matched: next }
                } else {
                    RawState::EndTagName { matched: next }
                });
            }
            if m == name.len() && (is_space(c) || c == b'/' || c == b'>') {
                return None;
            }
            Some(if escaped {
                RawState::Escaped
            } else {
                RawState::Text
            })
        };
        let script_word = |matched: u8| -> u8 {
            let m = usize::from(matched);
            if m < 6 && c.to_ascii_lowercase() == b"script"[m] {
                matched + 1
            } else {
                u8::MAX
            }
        };
        let next = match state {
            RawState::Text => match c {
                b'<' => RawState::LessThan,
                _ => RawState::Text,
            },
            RawState::LessThan => match c {
                b'/' => RawState::EndTagOpen,
                b'!' if script => RawState::EscapeStart,
                b'<' => RawState::LessThan,
                _ => RawState::Text,
            },
            RawState::EndTagOpen if c.is_ascii_alphabetic() => match end_tag_name(0, false) {
                Some(s) => s,
                None => RawState::Text,
            },
            RawState::EndTagOpen => match c {
                b'<' => RawState::LessThan,
                _ => RawState::Text,
            },
            RawState::EndTagName { matched } => match end_tag_name(matched, false) {
                Some(RawState::Text) if c == b'<' => RawState::LessThan,
                Some(s) => s,
                None => return self.end_of_raw(c),
            },
            RawState::EscapeStart => match c {
                b'-' => RawState::EscapeStartDash,
                b'<' => RawState::LessThan,
                _ => RawState::Text,
            },
            RawState::EscapeStartDash => match c {
                b'-' => RawState::EscapedDashDash,
                b'<' => RawState::LessThan,
                _ => RawState::Text,
            },
            RawState::Escaped => match c {
                b'-' => RawState::EscapedDash,
                b'<' => RawState::EscapedLessThan,
                _ => RawState::Escaped,
            },
            RawState::EscapedDash => match c {
                b'-' => RawState::EscapedDashDash,
                b'<' => RawState::EscapedLessThan,
                _ => RawState::Escaped,
            },
            RawState::EscapedDashDash => match c {
                b'-' => RawState::EscapedDashDash,
                b'<' => RawState::EscapedLessThan,
                b'>' => RawState::Text,
                _ => RawState::Escaped,
            },
            RawState::EscapedLessThan => match c {
                b'/' => RawState::EscapedEndTagOpen,
                _ if c.is_ascii_alphabetic() => RawState::DoubleEscapeStart {
                    matched: script_word(0),
                },
                b'-' => RawState::EscapedDash,
                b'<' => RawState::EscapedLessThan,
                _ => RawState::Escaped,
            },
            RawState::EscapedEndTagOpen if c.is_ascii_alphabetic() => match end_tag_name(0, true) {
                Some(s) => s,
                None => RawState::Escaped,
            },
            RawState::EscapedEndTagOpen => escaped_again(c),
            RawState::EscapedEndTagName { matched } => match end_tag_name(matched, true) {
                Some(RawState::Escaped) => escaped_again(c),
                Some(s) => s,
                None => return self.end_of_raw(c),
            },
            RawState::DoubleEscapeStart { matched } => {
                if is_space(c) || c == b'/' || c == b'>' {
                    if matched == 6 {
                        RawState::DoubleEscaped
                    } else {
                        RawState::Escaped
                    }
                } else if c.is_ascii_alphabetic() {
                    RawState::DoubleEscapeStart {
                        matched: script_word(matched),
                    }
                } else {
                    escaped_again(c)
                }
            }
            RawState::DoubleEscaped => match c {
                b'-' => RawState::DoubleEscapedDash,
                b'<' => RawState::DoubleEscapedLessThan,
                _ => RawState::DoubleEscaped,
            },
            RawState::DoubleEscapedDash => match c {
                b'-' => RawState::DoubleEscapedDashDash,
                b'<' => RawState::DoubleEscapedLessThan,
                _ => RawState::DoubleEscaped,
            },
            RawState::DoubleEscapedDashDash => match c {
                b'-' => RawState::DoubleEscapedDashDash,
                b'<' => RawState::DoubleEscapedLessThan,
                b'>' => RawState::Text,
                _ => RawState::DoubleEscaped,
            },
            RawState::DoubleEscapedLessThan => match c {
                b'/' => RawState::DoubleEscapeEnd { matched: 0 },
                _ => double_escaped_again(c),
            },
            RawState::DoubleEscapeEnd { matched } => {
                if is_space(c) || c == b'/' || c == b'>' {
                    if matched == 6 {
                        RawState::Escaped
                    } else {
                        RawState::DoubleEscaped
                    }
                } else if c.is_ascii_alphabetic() {
                    RawState::DoubleEscapeEnd {
                        matched: script_word(matched),
                    }
                } else {
                    double_escaped_again(c)
                }
            }
        };
        self.mode = Mode::Raw {
            element,
            kind,
            state: next,
        };
    }

    /// The raw text's end tag name is complete, `c` (after it) read: the
    /// tokenizer reads the rest as a tag.
    fn end_of_raw(&mut self, c: u8) {
        self.mode = Mode::Markup;
        let mut scan = Scan::new(TagState::Name);
        scan.end_tag = true;
        scan.len = RAW_NAME_MAX as u8 + 1;
        if step(&mut scan, c) == Step::Continue {
            self.scans.push(scan);
        }
    }
}

/// Script data escaped, reading `c` anew.
fn escaped_again(c: u8) -> RawState {
    match c {
        b'-' => RawState::EscapedDash,
        b'<' => RawState::EscapedLessThan,
        _ => RawState::Escaped,
    }
}

/// Script data double escaped, reading `c` anew.
fn double_escaped_again(c: u8) -> RawState {
    match c {
        b'-' => RawState::DoubleEscapedDash,
        b'<' => RawState::DoubleEscapedLessThan,
        _ => RawState::DoubleEscaped,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Continue,
    /// The tag ended with this byte (`>`).
    Ended,
    /// Not a tag after all (`<` not followed by a letter).
    Dropped,
}

/// The tokenizer's tag states on one byte.
fn step(scan: &mut Scan, c: u8) -> Step {
    loop {
        match scan.state {
            TagState::Open => {
                if c.is_ascii_alphabetic() {
                    scan.state = TagState::Name;
                    scan.push_name(c);
                } else if c == b'/' {
                    scan.state = TagState::EndOpen;
                } else {
                    return Step::Dropped;
                }
                return Step::Continue;
            }
            TagState::EndOpen => {
                if !c.is_ascii_alphabetic() {
                    return Step::Dropped;
                }
                scan.end_tag = true;
                scan.state = TagState::Name;
                scan.push_name(c);
                return Step::Continue;
            }
            TagState::Name => {
                match c {
                    _ if is_space(c) => scan.state = TagState::BeforeAttrName,
                    b'/' => scan.state = TagState::SelfClosing,
                    b'>' => return Step::Ended,
                    _ => {
                        scan.push_name(c);
                        return Step::Continue;
                    }
                }
                if !scan.names_raw_element() {
                    // Any other name: one kind, so that possible tags in
                    // the same state merge.
                    scan.len = RAW_NAME_MAX as u8 + 1;
                }
                return Step::Continue;
            }
            TagState::BeforeAttrName => {
                if is_space(c) {
                    return Step::Continue;
                }
                if c == b'/' || c == b'>' {
                    scan.state = TagState::AfterAttrName;
                    continue;
                }
                scan.attributes += 1;
                scan.state = TagState::AttrName;
                if c == b'=' {
                    return Step::Continue;
                }
                continue;
            }
            TagState::AttrName => {
                if is_space(c) || c == b'/' || c == b'>' {
                    scan.state = TagState::AfterAttrName;
                    continue;
                }
                if c == b'=' {
                    scan.state = TagState::BeforeAttrValue;
                }
                return Step::Continue;
            }
            TagState::AfterAttrName => match c {
                _ if is_space(c) => return Step::Continue,
                b'/' => {
                    scan.state = TagState::SelfClosing;
                    return Step::Continue;
                }
                b'=' => {
                    scan.state = TagState::BeforeAttrValue;
                    return Step::Continue;
                }
                b'>' => return Step::Ended,
                _ => {
                    scan.attributes += 1;
                    scan.state = TagState::AttrName;
                    continue;
                }
            },
            TagState::BeforeAttrValue => {
                match c {
                    _ if is_space(c) => {}
                    b'"' => scan.state = TagState::DoubleQuoted,
                    b'\'' => scan.state = TagState::SingleQuoted,
                    b'>' => return Step::Ended,
                    _ => {
                        scan.state = TagState::Unquoted;
                        continue;
                    }
                }
                return Step::Continue;
            }
            TagState::DoubleQuoted => {
                if c == b'"' {
                    scan.state = TagState::AfterQuoted;
                }
                return Step::Continue;
            }
            TagState::SingleQuoted => {
                if c == b'\'' {
                    scan.state = TagState::AfterQuoted;
                }
                return Step::Continue;
            }
            TagState::Unquoted => {
                match c {
                    _ if is_space(c) => scan.state = TagState::BeforeAttrName,
                    b'>' => return Step::Ended,
                    _ => {}
                }
                return Step::Continue;
            }
            TagState::AfterQuoted => match c {
                _ if is_space(c) => {
                    scan.state = TagState::BeforeAttrName;
                    return Step::Continue;
                }
                b'/' => {
                    scan.state = TagState::SelfClosing;
                    return Step::Continue;
                }
                b'>' => return Step::Ended,
                _ => {
                    scan.state = TagState::BeforeAttrName;
                    continue;
                }
            },
            TagState::SelfClosing => {
                if c == b'>' {
                    return Step::Ended;
                }
                scan.state = TagState::BeforeAttrName;
                continue;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(bytes: &[u8], label: Option<&str>) -> (String, &'static str, EncodingSource) {
        let d = decode(bytes, label).expect("decodes");
        (d.text.into_owned(), d.encoding, d.source)
    }

    #[test]
    fn byte_order_marks_decide_first() {
        let utf16le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("<p>é</p>".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(
            decoded(&utf16le, Some("windows-1252")),
            ("<p>é</p>".into(), "UTF-16LE", EncodingSource::ByteOrderMark)
        );
        let utf16be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("<b>x</b>".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decoded(&utf16be, None).0, "<b>x</b>");
        assert_eq!(
            decoded(b"\xEF\xBB\xBF<p>x", None),
            ("<p>x".into(), "UTF-8", EncodingSource::ByteOrderMark)
        );
    }

    #[test]
    fn a_given_label_then_the_meta_prescan_then_utf8() {
        assert_eq!(
            decoded(b"<p>\xE9", Some("latin1")),
            ("<p>é".into(), "windows-1252", EncodingSource::Given)
        );
        for page in [
            &b"<!DOCTYPE html><meta charset=\"windows-1252\"><p>\xE9"[..],
            b"<!-- <meta charset=utf-8> --><META CHARSET=latin1><p>\xE9",
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset='ISO-8859-1'\"><p>\xE9",
            b"<meta content=\"text/html;charset=windows-1252\" http-equiv=content-type><p>\xE9",
            b"<html><head title=\"<meta charset=utf-8>\"><meta/charset=cp1252><p>\xE9",
        ] {
            assert_eq!(
                decoded(page, None),
                (
                    String::from_utf8_lossy(page).replace('\u{FFFD}', "é"),
                    "windows-1252",
                    EncodingSource::Meta
                ),
                "{}",
                String::from_utf8_lossy(page)
            );
        }
        // A `content` without its `http-equiv` declares nothing; UTF-16
        // declared in markup is read as UTF-8.
        assert_eq!(
            decoded(b"<meta content=\"charset=latin1\"><p>x", None).2,
            EncodingSource::Default
        );
        assert_eq!(
            decoded(b"<meta charset=utf-16le><p>\xC3\xA9", None).1,
            "UTF-8"
        );
        // Past 1,024 bytes, a meta is not looked for.
        let mut late = vec![b' '; 1024];
        late.extend_from_slice(b"<meta charset=latin1>");
        assert_eq!(decoded(&late, None).2, EncodingSource::Default);
    }

    #[test]
    fn malformed_input_and_unknown_labels_are_refused() {
        assert_eq!(
            decode(b"<p>ok \xFF</p>", None).unwrap_err(),
            ReadError::Malformed {
                encoding: "UTF-8",
                source: EncodingSource::Default,
                offset: 6
            }
        );
        assert_eq!(
            decode(b"<meta charset=shift_jis><p>\x82", None).unwrap_err(),
            ReadError::Malformed {
                encoding: "Shift_JIS",
                source: EncodingSource::Meta,
                offset: 27
            }
        );
        assert_eq!(
            decode(b"<p>x", Some("utf-9")).unwrap_err(),
            ReadError::UnknownEncoding {
                label: "utf-9".into()
            }
        );
        assert!(decode(b"<p>x", Some("iso-2022-kr")).is_err());
        // A lone UTF-16 surrogate.
        assert!(decode(b"\xFF\xFE\x00\xD8", None).is_err());
    }

    /// The most attributes the scanner counts in one tag of `html`, fed
    /// in chunks of `chunk` bytes, with the raw-text elements a tree
    /// builder would make from its candidates.
    fn most_attributes(html: &str, limit: usize, chunk: usize) -> Result<(), ReadError> {
        let mut scanner = TagScanner::new(html.as_bytes(), limit);
        loop {
            let stop = scanner.next_stop(chunk)?;
            if stop.raw_candidate {
                let before = &html[..stop.end];
                let open = before.rfind('<').unwrap_or(0);
                let name: String = before[open + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .collect::<String>()
                    .to_ascii_lowercase();
                scanner.raw_element(Some(&name));
            }
            if stop.end >= html.len() {
                return Ok(());
            }
        }
    }

    #[test]
    fn the_scanner_counts_attributes_of_every_possible_tag() {
        let tag = |n: usize| {
            let mut t = String::from("<p");
            for i in 0..n {
                t.push_str(&format!(" a{i}=\"{i}\""));
            }
            t.push('>');
            t
        };
        for chunk in [1, 7, 4096] {
            assert!(most_attributes(&tag(3), 3, chunk).is_ok());
            assert!(most_attributes(&tag(4), 3, chunk).is_err());
            // Inside a comment or a quoted value, a tag-like run still
            // counts: the tokenizer may not be where it seems.
            assert!(most_attributes(&format!("<!-- {} -->", tag(4)), 3, chunk).is_err());
            assert!(most_attributes(&format!("<a title=\"{}\">", tag(4)), 3, chunk).is_err());
            assert!(most_attributes(&format!("<a title=\"x\"{}", &tag(4)[2..]), 3, chunk).is_err());
            // Raw text is skipped where the tree builder made the element,
            // up to its end tag, whose own attributes count.
            assert!(most_attributes(&format!("<script>{}</script>", tag(4)), 3, chunk).is_ok());
            assert!(
                most_attributes(&format!("<style>{}</style a b c d>", tag(4)), 3, chunk).is_err()
            );
            assert!(
                most_attributes(&format!("<title>{}</titlex>{}", tag(2), tag(4)), 3, chunk).is_ok()
            );
            // Script data escapes: `</script>` inside a double-escaped
            // `<script>` does not end the script.
            assert!(
                most_attributes(
                    &format!(
                        "<script><!--<script></script>{}</script>--></script>",
                        tag(4)
                    ),
                    3,
                    chunk
                )
                .is_ok()
            );
            assert!(
                most_attributes(&format!("<script><!--</script>{}", tag(4)), 3, chunk).is_err()
            );
            assert!(most_attributes(&format!("<plaintext>{}", tag(4)), 3, chunk).is_ok());
        }
    }
}

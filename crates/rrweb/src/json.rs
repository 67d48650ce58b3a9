//! JSON without recursion, for events nested as deep as the pages they
//! record.
//!
//! A full snapshot nests `childNodes` two levels per DOM level: Chromium's
//! 512-level cap gives JSON over 1,000 levels deep, and a hostile stream can
//! nest 100,000. A recursive parser, writer or destructor overflows the
//! stack on that; this module has none of the three:
//!
//! - [`Json::parse`] reads a text into an arena: one flat `Vec` of values in
//!   document order, where an array or object records the index just past
//!   its last descendant. Strings without escapes are slices of the input;
//!   strings with escapes are decoded once into a side buffer. Numbers keep
//!   their source text, so they are written back byte for byte.
//! - [`Writer`] writes JSON with one canonical escaping (`"`, `\` and control
//!   characters only, as `JSON.stringify` and serde_json do), and copies any
//!   subtree with a loop.
//! - Dropping an arena drops three `Vec`s.
//!
//! A lone UTF-16 surrogate escape (`"\ud800"`, a string cut in the middle
//! of an emoji) decodes to U+FFFD: Rust strings cannot hold it, and the text
//! is content that is masked or scrubbed anyway.

use std::fmt;

/// The index of a value in a [`Json`] arena.
pub(crate) type Ix = u32;

/// What a value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Null,
    False,
    True,
    Number,
    Str,
    Array,
    Object,
}

/// One value. For strings and numbers `a..a+b` is the text (in the input,
/// or for decoded strings in `Json::decoded`); for arrays and objects `b`
/// is the index just past the last descendant. An object's members are its
/// key (a string) and value, one after the other.
#[derive(Debug, Clone, Copy)]
struct Node {
    kind: Kind,
    /// The string was decoded into `Json::decoded`.
    decoded: bool,
    a: u32,
    b: u32,
}

/// Why a text is not JSON, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// Byte offset in the input.
    pub offset: usize,
    pub message: &'static str,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.message, self.offset)
    }
}

impl std::error::Error for JsonError {}

/// A parsed JSON text.
#[derive(Debug)]
pub(crate) struct Json<'s> {
    src: &'s str,
    nodes: Vec<Node>,
    decoded: String,
}

fn error<T>(offset: usize, message: &'static str) -> Result<T, JsonError> {
    Err(JsonError { offset, message })
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while let Some(c) = b.get(i) {
        if !matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
            break;
        }
        i += 1;
    }
    i
}

impl<'s> Json<'s> {
    /// Parses one JSON text (with optional surrounding whitespace). Texts of
    /// 4 GiB or more are refused: offsets are `u32`.
    pub(crate) fn parse(src: &'s str) -> Result<Json<'s>, JsonError> {
        if src.len() >= u32::MAX as usize {
            return error(0, "the text is too large");
        }
        let mut json = Json {
            src,
            // Real events average well over 8 bytes per value.
            nodes: Vec::with_capacity(src.len() / 8 + 4),
            decoded: String::new(),
        };
        json.run()?;
        Ok(json)
    }

    fn run(&mut self) -> Result<(), JsonError> {
        let b = self.src.as_bytes();
        // The open arrays and objects, innermost last.
        let mut open: Vec<Ix> = Vec::new();
        let mut i = skip_ws(b, 0);
        'value: loop {
            // A value starts at `i`.
            match b.get(i) {
                Some(b'{') => {
                    let at = self.push(Kind::Object, 0, 0);
                    open.push(at);
                    i = skip_ws(b, i + 1);
                    if b.get(i) == Some(&b'}') {
                        self.close(&mut open);
                        i += 1;
                    } else {
                        i = self.key(b, i)?;
                        continue 'value;
                    }
                }
                Some(b'[') => {
                    let at = self.push(Kind::Array, 0, 0);
                    open.push(at);
                    i = skip_ws(b, i + 1);
                    if b.get(i) == Some(&b']') {
                        self.close(&mut open);
                        i += 1;
                    } else {
                        continue 'value;
                    }
                }
                Some(b'"') => i = self.string(b, i)?,
                Some(b't') => i = self.literal(b, i, "true", Kind::True)?,
                Some(b'f') => i = self.literal(b, i, "false", Kind::False)?,
                Some(b'n') => i = self.literal(b, i, "null", Kind::Null)?,
                Some(b'-' | b'0'..=b'9') => i = self.parse_number(b, i)?,
                Some(_) => return error(i, "expected a value"),
                None => return error(i, "unexpected end of text"),
            }
            // After a value: a comma, the end of its container, or the end.
            loop {
                i = skip_ws(b, i);
                let Some(&top) = open.last() else {
                    if i != b.len() {
                        return error(i, "unexpected text after the value");
                    }
                    return Ok(());
                };
                let object = self.nodes[top as usize].kind == Kind::Object;
                match b.get(i) {
                    Some(b',') => {
                        i = skip_ws(b, i + 1);
                        if object {
                            i = self.key(b, i)?;
                        }
                        continue 'value;
                    }
                    Some(b']') if !object => {
                        self.close(&mut open);
                        i += 1;
                    }
                    Some(b'}') if object => {
                        self.close(&mut open);
                        i += 1;
                    }
                    Some(_) => return error(i, "expected `,` or the end of the container"),
                    None => return error(i, "unexpected end of text"),
                }
            }
        }
    }

    fn push(&mut self, kind: Kind, a: u32, b: u32) -> Ix {
        let at = self.nodes.len() as Ix;
        self.nodes.push(Node {
            kind,
            decoded: false,
            a,
            b,
        });
        at
    }

    fn close(&mut self, open: &mut Vec<Ix>) {
        if let Some(top) = open.pop() {
            let end = self.nodes.len() as u32;
            self.nodes[top as usize].b = end;
        }
    }

    /// A member's key and its `:`; returns where the value starts.
    fn key(&mut self, b: &[u8], i: usize) -> Result<usize, JsonError> {
        if b.get(i) != Some(&b'"') {
            return error(i, "expected a string key");
        }
        let i = skip_ws(b, self.string(b, i)?);
        if b.get(i) != Some(&b':') {
            return error(i, "expected `:`");
        }
        Ok(skip_ws(b, i + 1))
    }

    fn literal(
        &mut self,
        b: &[u8],
        i: usize,
        word: &'static str,
        kind: Kind,
    ) -> Result<usize, JsonError> {
        if b.get(i..i + word.len()) != Some(word.as_bytes()) {
            return error(i, "expected a value");
        }
        self.push(kind, 0, 0);
        Ok(i + word.len())
    }

    fn parse_number(&mut self, b: &[u8], start: usize) -> Result<usize, JsonError> {
        let mut i = start;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        let digits = |mut i: usize| {
            let from = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            (i, i - from)
        };
        match b.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => i = digits(i).0,
            _ => return error(i, "expected a digit"),
        }
        if b.get(i) == Some(&b'.') {
            let (end, n) = digits(i + 1);
            if n == 0 {
                return error(end, "expected a digit after `.`");
            }
            i = end;
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            let (end, n) = digits(i);
            if n == 0 {
                return error(end, "expected a digit in the exponent");
            }
            i = end;
        }
        self.push(Kind::Number, start as u32, (i - start) as u32);
        Ok(i)
    }

    /// A string starting at the `"` at `start`; returns the offset after
    /// its closing quote.
    #[inline]
    fn string(&mut self, b: &[u8], start: usize) -> Result<usize, JsonError> {
        let from = start + 1;
        // The common case: no escape, a slice of the input.
        let i = plain_run_end(b, from);
        match b.get(i) {
            Some(b'"') => {
                self.push(Kind::Str, from as u32, (i - from) as u32);
                Ok(i + 1)
            }
            Some(b'\\') => self.escaped_string(b, from, i),
            Some(_) => error(i, "control character in a string"),
            None => error(i, "unterminated string"),
        }
    }

    /// The rest of a string that starts at `from` and has an escape at `i`:
    /// decoded into `decoded`.
    #[cold]
    fn escaped_string(&mut self, b: &[u8], from: usize, mut i: usize) -> Result<usize, JsonError> {
        let out_start = self.decoded.len();
        self.decoded.push_str(&self.src[from..i]);
        loop {
            match b.get(i) {
                Some(b'"') => {
                    let len = self.decoded.len() - out_start;
                    let at = self.push(Kind::Str, out_start as u32, len as u32);
                    self.nodes[at as usize].decoded = true;
                    return Ok(i + 1);
                }
                Some(b'\\') => {
                    let escaped = match b.get(i + 1) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            let (c, next) = unicode_escape(b, i)?;
                            self.decoded.push(c);
                            i = next;
                            continue;
                        }
                        _ => return error(i, "invalid escape"),
                    };
                    self.decoded.push(escaped);
                    i += 2;
                }
                Some(c) if *c < 0x20 => return error(i, "control character in a string"),
                Some(_) => {
                    // Copy the run up to the next quote or escape at once.
                    let run = i;
                    i = plain_run_end(b, i);
                    self.decoded.push_str(&self.src[run..i]);
                }
                None => return error(i, "unterminated string"),
            }
        }
    }

    /// The length of the parsed text.
    pub(crate) fn source_len(&self) -> usize {
        self.src.len()
    }

    /// The root value.
    pub(crate) fn root(&self) -> Ix {
        0
    }

    pub(crate) fn kind(&self, i: Ix) -> Kind {
        self.nodes[i as usize].kind
    }

    /// The index just past the value at `i` and everything in it.
    pub(crate) fn after(&self, i: Ix) -> Ix {
        let n = &self.nodes[i as usize];
        match n.kind {
            Kind::Array | Kind::Object => n.b,
            _ => i + 1,
        }
    }

    /// A string's text.
    pub(crate) fn str(&self, i: Ix) -> Option<&str> {
        let n = self.nodes.get(i as usize)?;
        (n.kind == Kind::Str).then(|| self.text(n))
    }

    /// The text of string node `n`.
    #[inline]
    fn text(&self, n: &Node) -> &str {
        let (a, b) = (n.a as usize, n.a as usize + n.b as usize);
        if n.decoded {
            &self.decoded[a..b]
        } else {
            &self.src[a..b]
        }
    }

    /// A number's source text.
    pub(crate) fn number(&self, i: Ix) -> Option<&str> {
        let n = &self.nodes[i as usize];
        (n.kind == Kind::Number).then(|| &self.src[n.a as usize..(n.a + n.b) as usize])
    }

    /// An integer written without fraction or exponent (node ids, indices).
    pub(crate) fn int(&self, i: Ix) -> Option<i64> {
        let text = self.number(i)?.as_bytes();
        // A JSON number: an optional `-`, then digits, then perhaps a
        // fraction or exponent, which makes it no integer.
        let (negative, digits) = match text.split_first() {
            Some((b'-', rest)) => (true, rest),
            _ => (false, text),
        };
        let mut v: i64 = 0;
        for &d in digits {
            if !d.is_ascii_digit() {
                return None;
            }
            let d = i64::from(d - b'0');
            // Accumulated negatively, so that `i64::MIN` reads too.
            v = v.checked_mul(10)?.checked_sub(d)?;
        }
        if negative { Some(v) } else { v.checked_neg() }
    }

    pub(crate) fn bool(&self, i: Ix) -> Option<bool> {
        match self.kind(i) {
            Kind::True => Some(true),
            Kind::False => Some(false),
            _ => None,
        }
    }

    /// The members of an object, in order (an empty iterator for anything
    /// else).
    pub(crate) fn members(&self, i: Ix) -> Members<'_, 's> {
        let (next, end) = match self.nodes[i as usize].kind {
            Kind::Object => (i + 1, self.nodes[i as usize].b),
            _ => (0, 0),
        };
        Members {
            json: self,
            next,
            end,
        }
    }

    /// The items of an array, in order (an empty iterator for anything
    /// else).
    pub(crate) fn items(&self, i: Ix) -> Items<'_, 's> {
        let (next, end) = match self.nodes[i as usize].kind {
            Kind::Array => (i + 1, self.nodes[i as usize].b),
            _ => (0, 0),
        };
        Items {
            json: self,
            next,
            end,
        }
    }

    /// The members of an object with each key once: where a key repeats,
    /// the last one (as `JSON.parse` reads it), in its place.
    pub(crate) fn unique_members(&self, i: Ix) -> Vec<(&str, Ix)> {
        let members: Vec<(&str, Ix)> = self.members(i).collect();
        if members.len() <= 16 {
            return members
                .iter()
                .enumerate()
                .filter(|(k, (key, _))| !members[k + 1..].iter().any(|(other, _)| other == key))
                .map(|(_, m)| *m)
                .collect();
        }
        let mut last = std::collections::HashMap::with_capacity(members.len());
        for (k, (key, _)) in members.iter().enumerate() {
            last.insert(*key, k);
        }
        members
            .iter()
            .enumerate()
            .filter(|(k, (key, _))| last[key] == *k)
            .map(|(_, m)| *m)
            .collect()
    }

    /// Several members of an object at once, in one pass: for each of
    /// `keys`, what [`Json::get`] gives. Inlined: every caller names its
    /// keys, so that they are compared as constants.
    #[inline(always)]
    pub(crate) fn fields<const N: usize>(&self, i: Ix, keys: [&str; N]) -> [Option<Ix>; N] {
        let mut found = [None; N];
        let object = &self.nodes[i as usize];
        if object.kind != Kind::Object {
            return found;
        }
        let mut at = i + 1;
        while at < object.b {
            let k = &self.nodes[at as usize];
            for (key, slot) in keys.iter().zip(&mut found) {
                if k.b as usize == key.len() && self.text(k) == *key {
                    *slot = Some(at + 1);
                    break;
                }
            }
            at = self.after(at + 1);
        }
        found
    }

    /// A member of an object by key; the last one when the key repeats, as
    /// `JSON.parse` reads it.
    pub(crate) fn get(&self, i: Ix, key: &str) -> Option<Ix> {
        let object = &self.nodes[i as usize];
        if object.kind != Kind::Object {
            return None;
        }
        // The masker asks for a handful of fields of every serialized node:
        // lengths are compared before any text.
        let mut found = None;
        let mut at = i + 1;
        while at < object.b {
            let k = &self.nodes[at as usize];
            if k.b as usize == key.len() && self.text(k) == key {
                found = Some(at + 1);
            }
            at = self.after(at + 1);
        }
        found
    }
}

/// The character of a `\uXXXX` escape at `i` (a surrogate pair when one
/// follows), and the offset after it.
fn unicode_escape(b: &[u8], i: usize) -> Result<(char, usize), JsonError> {
    let hex = |at: usize| -> Option<u32> {
        let s = b.get(at..at + 4)?;
        let mut v = 0;
        for c in s {
            v = v * 16 + (*c as char).to_digit(16)?;
        }
        Some(v)
    };
    let Some(first) = hex(i + 2) else {
        return error(i, "invalid `\\u` escape");
    };
    let next = i + 6;
    if (0xD800..0xDC00).contains(&first)
        && b.get(next..next + 2) == Some(b"\\u")
        && let Some(second) = hex(next + 2)
        && (0xDC00..0xE000).contains(&second)
    {
        let c = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
        return Ok((char::from_u32(c).unwrap_or('\u{fffd}'), next + 6));
    }
    Ok((char::from_u32(first).unwrap_or('\u{fffd}'), next))
}

/// The members of an object: `(key, value)`.
#[derive(Debug)]
pub(crate) struct Members<'j, 's> {
    json: &'j Json<'s>,
    next: Ix,
    end: Ix,
}

impl<'j> Iterator for Members<'j, '_> {
    type Item = (&'j str, Ix);

    fn next(&mut self) -> Option<Self::Item> {
        if self.next >= self.end {
            return None;
        }
        let key = self.json.str(self.next).unwrap_or("");
        let value = self.next + 1;
        self.next = self.json.after(value);
        Some((key, value))
    }
}

/// The items of an array.
#[derive(Debug)]
pub(crate) struct Items<'j, 's> {
    json: &'j Json<'s>,
    next: Ix,
    end: Ix,
}

impl Iterator for Items<'_, '_> {
    type Item = Ix;

    fn next(&mut self) -> Option<Ix> {
        if self.next >= self.end {
            return None;
        }
        let item = self.next;
        self.next = self.json.after(item);
        Some(item)
    }
}

/// Writes JSON text. Callers write the structure (`{`, `,`, keys); the
/// writer escapes strings and copies values.
#[derive(Debug, Default)]
pub(crate) struct Writer {
    pub(crate) out: String,
}

impl Writer {
    pub(crate) fn with_capacity(n: usize) -> Writer {
        Writer {
            out: String::with_capacity(n),
        }
    }

    pub(crate) fn raw(&mut self, text: &str) {
        self.out.push_str(text);
    }

    pub(crate) fn byte(&mut self, c: char) {
        self.out.push(c);
    }

    /// A quoted, escaped string.
    pub(crate) fn str(&mut self, text: &str) {
        write_escaped(&mut self.out, text);
    }

    /// `"key":`, for keys that need no escaping (the writer's own).
    pub(crate) fn key(&mut self, key: &str) {
        self.out.push('"');
        self.out.push_str(key);
        self.out.push_str("\":");
    }

    /// `,"key":` or `"key":` for the first member.
    pub(crate) fn member(&mut self, first: &mut bool, key: &str) {
        if !std::mem::take(first) {
            self.out.push(',');
        }
        self.key(key);
    }

    /// An integer.
    pub(crate) fn int(&mut self, v: i64) {
        // Node ids, written for every node: without `fmt`'s machinery.
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        let mut rest = v.unsigned_abs();
        loop {
            at -= 1;
            digits[at] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        if v < 0 {
            self.out.push('-');
        }
        self.out.extend(digits[at..].iter().map(|&d| char::from(d)));
    }

    /// A copy of the value at `i`, canonical (no whitespace, the one
    /// escaping), without recursion.
    pub(crate) fn copy(&mut self, json: &Json<'_>, i: Ix) {
        // Closers owed, with the index at which each is due.
        let mut closers: Vec<(Ix, char)> = Vec::new();
        let end = json.after(i);
        let mut at = i;
        // Whether a comma is due before the next item of the container
        // currently open.
        let mut comma = false;
        while at < end {
            while let Some(&(due, c)) = closers.last() {
                if due > at {
                    break;
                }
                self.out.push(c);
                closers.pop();
                comma = true;
            }
            if comma {
                self.out.push(',');
            }
            let in_object = closers.last().is_some_and(|&(_, c)| c == '}');
            if in_object {
                self.str(json.str(at).unwrap_or(""));
                self.out.push(':');
                at += 1;
            }
            match json.kind(at) {
                Kind::Null => self.out.push_str("null"),
                Kind::True => self.out.push_str("true"),
                Kind::False => self.out.push_str("false"),
                Kind::Number => self.out.push_str(json.number(at).unwrap_or("0")),
                Kind::Str => self.str(json.str(at).unwrap_or("")),
                Kind::Array | Kind::Object => {
                    let object = json.kind(at) == Kind::Object;
                    self.out.push(if object { '{' } else { '[' });
                    closers.push((json.after(at), if object { '}' } else { ']' }));
                    at += 1;
                    comma = false;
                    continue;
                }
            }
            at += 1;
            comma = true;
        }
        while let Some((_, c)) = closers.pop() {
            self.out.push(c);
        }
    }
}

/// Appends `text` as a JSON string: `"`, `\` and control characters are
/// escaped (`\n`, `\r`, `\t`, `\b`, `\f`, else `\u00XX`); everything else is
/// written as it is.
pub(crate) fn write_escaped(out: &mut String, text: &str) {
    out.push('"');
    let b = text.as_bytes();
    let mut run = 0;
    let mut i = 0;
    loop {
        i = plain_run_end(b, i);
        let Some(&c) = b.get(i) else {
            break;
        };
        let escape = match c {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            _ => "",
        };
        out.push_str(&text[run..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(HEX[usize::from(c >> 4)] as char);
            out.push(HEX[usize::from(c & 15)] as char);
        } else {
            out.push_str(escape);
        }
        i += 1;
        run = i;
    }
    out.push_str(&text[run..]);
    out.push('"');
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of the word `x` that is below `n` (for `n` up
/// to 128). A borrow only runs from lower bytes to higher ones, so the
/// lowest bit set is exact: it marks the first such byte.
fn bytes_below(x: u64, n: u64) -> u64 {
    x.wrapping_sub(ONES * n) & !x & HIGHS
}

/// The high bit of each byte of the word `x` that is `byte`.
fn bytes_equal(x: u64, byte: u8) -> u64 {
    bytes_below(x ^ (ONES * u64::from(byte)), 1)
}

/// The offset of the first byte at or after `i` that a JSON string cannot
/// hold as it is (`"`, `\` or a control character), or `b.len()`. Eight
/// bytes at a time: strings are most of a snapshot's bytes.
fn plain_run_end(b: &[u8], mut i: usize) -> usize {
    while let Some(word) = b.get(i..i + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()) {
        let x = u64::from_le_bytes(word);
        let special = bytes_below(x, 0x20) | bytes_equal(x, b'"') | bytes_equal(x, b'\\');
        if special != 0 {
            return i + (special.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while b
        .get(i)
        .is_some_and(|&c| c != b'"' && c != b'\\' && c >= 0x20)
    {
        i += 1;
    }
    i
}

/// Where `byte` first is in `bytes`, eight bytes at a time: a full
/// snapshot is megabytes on one line.
pub fn find_byte(byte: u8, bytes: &[u8]) -> Option<usize> {
    let mut at = 0;
    while let Some(word) = bytes
        .get(at..at + 8)
        .and_then(|w| <[u8; 8]>::try_from(w).ok())
    {
        let found = bytes_equal(u64::from_le_bytes(word), byte);
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    bytes[at..].iter().position(|&b| b == byte).map(|k| at + k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(text: &str) -> String {
        let json = Json::parse(text).unwrap();
        let mut w = Writer::default();
        w.copy(&json, json.root());
        w.out
    }

    #[test]
    fn values_round_trip_canonically() {
        assert_eq!(
            roundtrip(
                r#" { "a" : [1, -2.5e+3, true, false, null, "x\"\\\n\u00e9\ud83d\ude00\u0001"], "b": {}, "c": [] } "#
            ),
            "{\"a\":[1,-2.5e+3,true,false,null,\"x\\\"\\\\\\né😀\\u0001\"],\"b\":{},\"c\":[]}"
        );
        assert_eq!(
            roundtrip("[[[]],{\"a\":{\"b\":[{}]}}]"),
            "[[[]],{\"a\":{\"b\":[{}]}}]"
        );
        assert_eq!(roundtrip("\"\\ud800x\""), "\"\u{fffd}x\"");
        assert_eq!(roundtrip("\"\\/\""), "\"/\"");
    }

    #[test]
    fn invalid_texts_are_refused() {
        for bad in [
            "",
            "[",
            "[1,]",
            "{\"a\"}",
            "{\"a\":1,}",
            "01",
            "1.",
            "-",
            "\"a",
            "\"\u{1}\"",
            "[1] 2",
            "{1:2}",
            "tru",
            "\"\\x\"",
            "\"\\u12\"",
            "[}",
            "{]",
        ] {
            assert!(Json::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn plain_runs_end_at_the_first_byte_a_string_escapes() {
        for len in 0..24 {
            for at in 0..=len {
                for stop in [b'"', b'\\', 0, 0x1f] {
                    // Bytes a string holds as they are, high ones included.
                    let mut bytes: Vec<u8> = (0..len)
                        .map(|k| [b'a', 0x20, 0x7f, 0x80, 0xff, b'!', b'#', b']'][(k + at) % 8])
                        .collect();
                    if at < len {
                        bytes[at] = stop;
                        // Whatever follows, escapes included.
                        if at + 1 < len {
                            bytes[at + 1] = b'"';
                        }
                    }
                    assert_eq!(plain_run_end(&bytes, 0), at, "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn integers_read_as_rust_parses_them() {
        for text in [
            "0",
            "-0",
            "7",
            "-12",
            "9223372036854775807",
            "-9223372036854775808",
            "9223372036854775808",
            "-9223372036854775809",
            "1.0",
            "1e3",
            "-2.5E-3",
            "123456789012345678901234567890",
        ] {
            let json = Json::parse(text).unwrap();
            assert_eq!(json.int(0), text.parse::<i64>().ok(), "{text}");
        }
        let mut w = Writer::default();
        for v in [0, 7, -12, i64::MAX, i64::MIN, 1_000_000] {
            w.int(v);
            w.byte(' ');
        }
        assert_eq!(
            w.out,
            "0 7 -12 9223372036854775807 -9223372036854775808 1000000 "
        );
    }

    #[test]
    fn members_and_items() {
        let json = Json::parse(r#"{"a":1,"b":[2,{"c":3}],"a":4}"#).unwrap();
        let keys: Vec<&str> = json.members(0).map(|(k, _)| k).collect();
        assert_eq!(keys, ["a", "b", "a"]);
        assert_eq!(json.int(json.get(0, "a").unwrap()), Some(4));
        let b = json.get(0, "b").unwrap();
        assert_eq!(json.items(b).count(), 2);
        assert_eq!(
            json.fields(0, ["c", "a", "b"]),
            [None, json.get(0, "a"), Some(b)]
        );
        assert_eq!(json.fields(b, ["a"]), [None]);
        assert_eq!(json.items(0).count(), 0);
    }

    #[test]
    fn deep_nesting_parses_writes_and_drops_on_a_small_stack() {
        let run = || {
            let depth = 100_000;
            let text = "[{\"a\":".repeat(depth) + "1" + &"}]".repeat(depth);
            let json = Json::parse(&text).unwrap();
            let mut w = Writer::default();
            w.copy(&json, json.root());
            assert_eq!(w.out, text);
        };
        std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(run)
            .unwrap()
            .join()
            .unwrap();
    }

    proptest::proptest! {
        /// Whatever serde_json reads, this parser reads the same way: the
        /// canonical copy parses back to the same value.
        #[test]
        fn agrees_with_serde_json(text in "[\\[\\]{}\":,0-9a-z\\\\ .eE+-]{0,40}") {
            let ours = Json::parse(&text);
            let theirs: Result<serde_json::Value, _> = serde_json::from_str(&text);
            match (ours, theirs) {
                (Ok(json), Ok(value)) => {
                    let mut w = Writer::default();
                    w.copy(&json, json.root());
                    let back: serde_json::Value = serde_json::from_str(&w.out).unwrap();
                    proptest::prop_assert_eq!(back, value);
                }
                (Err(_), Err(_)) => {}
                (ours, theirs) => proptest::prop_assert!(false, "{:?} vs {:?}", ours.is_ok(), theirs.is_ok()),
            }
        }

        #[test]
        fn strings_round_trip(s in "\\PC{0,30}[\u{0}-\u{1f}\"\\\\]?\\PC{0,10}") {
            let mut out = String::new();
            write_escaped(&mut out, &s);
            let json = Json::parse(&out).unwrap();
            proptest::prop_assert_eq!(json.str(0), Some(s.as_str()));
            let theirs: String = serde_json::from_str(&out).unwrap();
            proptest::prop_assert_eq!(theirs, s);
        }
    }

    #[test]
    fn line_breaks_are_found_wherever_they_are_and_only_there() {
        for len in 0..24 {
            for at in 0..=len {
                // Every other byte value around it, none a line break.
                let mut bytes: Vec<u8> = (0..len)
                    .map(|k| match (k * 37 + at) as u8 {
                        b'\n' => b'\x0b',
                        b => b,
                    })
                    .collect();
                if at < len {
                    bytes[at] = b'\n';
                }
                assert_eq!(
                    find_byte(b'\n', &bytes),
                    (at < len).then_some(at),
                    "{bytes:?}"
                );
            }
        }
    }
}

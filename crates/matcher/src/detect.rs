//! Detectors: the `detect` statements, compiled, that find sensitive spans
//! (emails, card numbers, phone numbers, national ids, custom expressions)
//! in text and values that a page captures.

use crate::mask::mask_spans;
use regex_lite::Regex;
use scrim_artifact::DetectorKind;
use std::borrow::Cow;
use std::ops::Range;

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
) -> Result<Detector, regex_lite::Error> {
    // The compiler refuses expressions past the same size limit, so only
    // an artifact made some other way meets this refusal.
    let re = |p: &str| {
        regex_lite::RegexBuilder::new(p)
            .size_limit(scrim_artifact::REGEX_SIZE_LIMIT)
            .build()
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

/// The detectors in force on one page.
#[derive(Debug)]
pub(crate) struct Detectors<'p>(Vec<&'p Detector>);

impl<'p> Detectors<'p> {
    /// The detectors of the scopes that apply.
    pub(crate) fn new(all: &'p [Detector], applies: &[bool]) -> Self {
        Detectors(all.iter().filter(|d| applies[d.scope]).collect())
    }

    /// The spans of `text` the detectors find.
    pub(crate) fn find(&self, text: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        for d in &self.0 {
            d.find(text, &mut out);
        }
        out
    }

    /// `text` with the spans the detectors find masked.
    pub(crate) fn scrub<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if self.0.is_empty() {
            return Cow::Borrowed(text);
        }
        let spans = self.find(text);
        mask_spans(text, &spans)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detectors_find_what_they_should() {
        let find = |k: DetectorKind, t: &str| {
            let d = compile_detector(&k, 0).unwrap();
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
        // Digits doubled past 9 (5 → 10, 9 → 18) count as the sum of their
        // digits: test numbers of Mastercard and Diners Club.
        assert_eq!(
            find(DetectorKind::Card, "5555 5555 5555 4444"),
            ["5555 5555 5555 4444"]
        );
        assert_eq!(
            find(DetectorKind::Card, "30569309025904"),
            ["30569309025904"]
        );
        assert!(find(DetectorKind::Card, "5555 5555 5555 4445").is_empty());
        assert!(find(DetectorKind::Card, "30569309025905").is_empty());
        assert_eq!(
            find(DetectorKind::Phone, "tel +1 415 555 0100"),
            ["+1 415 555 0100"]
        );
        assert!(find(DetectorKind::Phone, "in 2024").is_empty());
        // Enough digits in the text, but each run is too short (or too
        // long) for a phone number.
        assert!(find(DetectorKind::Phone, "room 12 34, year 2024").is_empty());
        assert!(find(DetectorKind::Phone, "ref 1234 5678 9012 3456").is_empty());
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
}

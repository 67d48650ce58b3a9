//! Step 7, detectors: the spans of captured text that the detectors in
//! force find are masked. The built-in detectors are written from their
//! definitions in `docs/language.md` ("Detectors"); custom ones are run
//! with the full `regex` crate, in the ASCII meaning the language gives
//! `\d`, `\w`, `\s` and `\b`.
//!
//! One difference is left: `(?i)` folds case by Unicode's simple case
//! folding in the full engine and by ASCII only in the language (`K`, the
//! Kelvin sign, matches `(?i)k` here and not in a runtime). The property
//! tests' texts hold no such characters.

use scrim_artifact::{Artifact, DetectorKind};

#[derive(Debug)]
pub(crate) struct Detectors(Vec<Detector>);

#[derive(Debug)]
struct Detector {
    /// Candidates, searched left to right without overlap.
    candidates: regex::Regex,
    /// Whether a candidate's ASCII digits make it a finding.
    keep: fn(&[u32]) -> bool,
}

/// ASCII word boundary: the language's `\b`.
const B: &str = r"(?-u:\b)";

fn any(_: &[u32]) -> bool {
    true
}

/// The Luhn check: from the rightmost digit, every second digit doubled
/// (less 9 when over 9); the sum is a multiple of 10.
fn luhn(digits: &[u32]) -> bool {
    let total: u32 = digits
        .iter()
        .rev()
        .zip([false, true].into_iter().cycle())
        .map(|(&d, double)| match (double, d * 2) {
            (false, _) => d,
            (true, twice) if twice > 9 => twice - 9,
            (true, twice) => twice,
        })
        .sum();
    (13..=19).contains(&digits.len()) && total.is_multiple_of(10)
}

fn phone_length(digits: &[u32]) -> bool {
    (7..=15).contains(&digits.len())
}

impl Detectors {
    pub(crate) fn new(artifact: &Artifact, applies: &[bool]) -> Result<Detectors, String> {
        let mut out = Vec::new();
        for d in artifact
            .detectors
            .iter()
            .filter(|d| applies[d.scope as usize])
        {
            let (pattern, keep): (String, fn(&[u32]) -> bool) = match &d.kind {
                DetectorKind::Email => (
                    r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+".into(),
                    any,
                ),
                DetectorKind::Card => (format!(r"{B}[0-9](?:[ \-]?[0-9]){{12,18}}{B}"), luhn),
                DetectorKind::Phone => (
                    r"(?:\+[0-9]{1,3}[ .\-]?)?(?:\([0-9]{1,4}\)[ .\-]?)?[0-9]{2,4}(?:[ .\-]?[0-9]{2,4}){1,4}"
                        .into(),
                    phone_length,
                ),
                DetectorKind::NationalId => (
                    format!(
                        r"{B}[0-9]{{3}}-[0-9]{{2}}-[0-9]{{4}}{B}|{B}[A-CEGHJ-PR-TW-Za-ceghj-pr-tw-z]{{2}} ?[0-9]{{2}} ?[0-9]{{2}} ?[0-9]{{2}} ?[A-Da-d]{B}"
                    ),
                    any,
                ),
                DetectorKind::Pattern { pattern } => (ascii_classes(pattern), any),
            };
            let candidates =
                regex::Regex::new(&pattern).map_err(|e| format!("detector `{}`: {e}", d.id))?;
            out.push(Detector { candidates, keep });
        }
        Ok(Detectors(out))
    }

    pub(crate) fn scrub(&self, text: &str) -> String {
        let mut covered = vec![false; text.len()];
        for d in &self.0 {
            for m in d.candidates.find_iter(text) {
                let digits: Vec<u32> = m.as_str().chars().filter_map(|c| c.to_digit(10)).collect();
                if (d.keep)(&digits) {
                    covered[m.range()].iter_mut().for_each(|c| *c = true);
                }
            }
        }
        text.char_indices()
            .map(|(i, c)| {
                if covered[i] && !c.is_whitespace() {
                    '*'
                } else {
                    c
                }
            })
            .collect()
    }
}

/// A custom expression with `\d`, `\w`, `\s` (and their negations) and
/// word boundaries in their ASCII meaning, which `docs/language.md` gives
/// them and which the full `regex` crate gives them only in non-Unicode
/// mode.
pub(crate) fn ascii_classes(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars().peekable();
    // Depth of `[…]` classes (they nest in Rust's syntax).
    let mut class = 0usize;
    // Right after `[` or `[^`, where `]` is a literal.
    let mut class_start = false;
    while let Some(c) = chars.next() {
        let was_start = std::mem::take(&mut class_start);
        match c {
            '\\' => {
                let Some(e) = chars.next() else {
                    out.push('\\');
                    break;
                };
                let posix = |name: &str, negated: bool| {
                    format!("[:{}{name}:]", if negated { "^" } else { "" })
                };
                match (e, class > 0) {
                    ('d' | 'D' | 'w' | 'W' | 's' | 'S', inside) => {
                        let name = match e.to_ascii_lowercase() {
                            'd' => "digit",
                            'w' => "word",
                            _ => "space",
                        };
                        let item = posix(name, e.is_ascii_uppercase());
                        if inside {
                            out.push_str(&item);
                        } else {
                            out.push('[');
                            out.push_str(&item);
                            out.push(']');
                        }
                    }
                    ('b' | 'B' | '<' | '>', false) => {
                        out.push_str("(?-u:\\");
                        out.push(e);
                        // `\b{start}` and kin keep their braces.
                        if e == 'b' && chars.peek() == Some(&'{') {
                            for x in chars.by_ref() {
                                out.push(x);
                                if x == '}' {
                                    break;
                                }
                            }
                        }
                        out.push(')');
                    }
                    _ => {
                        out.push('\\');
                        out.push(e);
                    }
                }
            }
            '[' => {
                if class > 0 && chars.peek() == Some(&':') {
                    // A POSIX class `[:name:]` inside a class.
                    out.push('[');
                    for x in chars.by_ref() {
                        out.push(x);
                        if x == ']' {
                            break;
                        }
                    }
                    continue;
                }
                class += 1;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    chars.next();
                    out.push('^');
                }
                class_start = true;
            }
            ']' if class > 0 && !was_start => {
                class -= 1;
                out.push(']');
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_become_ascii() {
        assert_eq!(ascii_classes(r"\d+"), "[[:digit:]]+");
        assert_eq!(ascii_classes(r"[\w.]\b"), "[[:word:].](?-u:\\b)");
        assert_eq!(ascii_classes(r"[]\S]"), "[][:^space:]]");
        assert_eq!(ascii_classes(r"\\d"), r"\\d");
        let re = regex::Regex::new(&ascii_classes(r"^\d\w\b\s$")).unwrap();
        assert!(re.is_match("1a "));
        assert!(!re.is_match("١a "));
    }

    #[test]
    fn luhn_by_definition() {
        let digits = |s: &str| s.chars().filter_map(|c| c.to_digit(10)).collect::<Vec<_>>();
        assert!(luhn(&digits("4111111111111111")));
        assert!(!luhn(&digits("4111111111111112")));
        assert!(luhn(&digits("4222222222222")));
        assert!(!luhn(&digits("0000000000")));
    }
}

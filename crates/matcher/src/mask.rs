//! Masking a string: a strategy applied to what a masked channel held
//! (stars, a fixed text, a fixed length), and stars over the spans that
//! detectors find in captured text.
//!
//! Every function here guarantees the property the design promises: a masked
//! string contains no non-whitespace character of the original (stars keep
//! only whitespace; fixed text and fixed length keep nothing).

use scrim_artifact::Strategy;
use std::borrow::Cow;
use std::ops::Range;

/// The strategy of every mask no rule chose: floors and masking defaults.
pub(crate) static STARS: Strategy = Strategy::Stars;

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
        // An empty span covers no byte, even inside a character.
        assert_eq!(mask_spans("é1", &[1..1]), "é1");
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

    proptest::proptest! {
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
}

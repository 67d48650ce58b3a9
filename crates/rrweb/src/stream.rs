//! Recordings as files hold them: one JSON array of events, or one event
//! per line (NDJSON). Splitting finds each event's bytes without parsing
//! it, and without recursion.

use std::ops::Range;

/// How a recording is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `[event, event, …]`.
    Array,
    /// One event per line.
    Lines,
}

/// A recording split into events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stream {
    pub shape: Shape,
    /// Each event's bytes, in order.
    pub events: Vec<Range<usize>>,
    /// The array did not end where it should (a cut file): what follows the
    /// last complete event is one more (malformed) event in `events`.
    pub truncated: bool,
}

/// Splits a recording: a JSON array when its first non-blank byte is `[`,
/// otherwise lines (blank lines skipped). `None` when it is neither (its
/// first non-blank byte is not `[` or `{`).
pub fn split_stream(bytes: &[u8]) -> Option<Stream> {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
    match bytes[start] {
        b'[' => Some(split_array(bytes, start + 1)),
        b'{' => Some(Stream {
            shape: Shape::Lines,
            events: bytes
                .split(|&b| b == b'\n')
                .scan(0, |at, line| {
                    let range = *at..*at + line.len();
                    *at += line.len() + 1;
                    Some(range)
                })
                .filter(|r| bytes[r.clone()].iter().any(|b| !b.is_ascii_whitespace()))
                .collect(),
            truncated: false,
        }),
        _ => None,
    }
}

/// The items of the array whose `[` ends at `from`: split at the commas
/// outside strings and nested brackets.
fn split_array(bytes: &[u8], from: usize) -> Stream {
    let mut events = Vec::new();
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut item = from;
    let mut i = from;
    let push = |events: &mut Vec<Range<usize>>, range: Range<usize>| {
        if bytes[range.clone()]
            .iter()
            .any(|b| !b.is_ascii_whitespace())
        {
            events.push(range);
        }
    };
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else {
            match b {
                b'"' => in_string = true,
                b'[' | b'{' => depth += 1,
                b']' | b'}' if depth > 0 => depth -= 1,
                b']' => {
                    push(&mut events, item..i);
                    let rest_blank = bytes[i + 1..].iter().all(|b| b.is_ascii_whitespace());
                    return Stream {
                        shape: Shape::Array,
                        events,
                        truncated: !rest_blank,
                    };
                }
                b',' if depth == 0 => {
                    push(&mut events, item..i);
                    item = i + 1;
                }
                _ => {}
            }
        }
        i += 1;
    }
    push(&mut events, item..bytes.len());
    Stream {
        shape: Shape::Array,
        events,
        truncated: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> (Shape, Vec<&str>, bool) {
        let s = split_stream(text.as_bytes()).unwrap();
        (
            s.shape,
            s.events.iter().map(|r| text[r.clone()].trim()).collect(),
            s.truncated,
        )
    }

    #[test]
    fn arrays_and_lines() {
        assert_eq!(
            pieces(r#" [ {"a":[1,2]}, {"b":"],\"["} ,{"c":{}} ] "#),
            (
                Shape::Array,
                vec![r#"{"a":[1,2]}"#, r#"{"b":"],\"["}"#, r#"{"c":{}}"#],
                false
            )
        );
        assert_eq!(pieces("[]"), (Shape::Array, vec![], false));
        assert_eq!(
            pieces("{\"a\":1}\n\n{\"b\":2}\n"),
            (Shape::Lines, vec!["{\"a\":1}", "{\"b\":2}"], false)
        );
        assert_eq!(
            pieces(r#"[{"a":1},{"b":"#),
            (Shape::Array, vec![r#"{"a":1}"#, r#"{"b":"#], true)
        );
        assert!(split_stream(b"  x").is_none());
        assert!(split_stream(b"").is_none());
    }
}

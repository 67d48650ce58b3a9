//! Splits a policy into statements before any grammar runs, so that one
//! broken statement never hides the next one. It cannot fail: every byte of
//! the input ends up in a statement, a comment or the whitespace between.

use crate::ast::Comment;
use crate::source::Span;

/// How a piece of the input ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PieceKind {
    /// An ordinary statement, ended by a line break or a `}`.
    Statement,
    /// A block header, ended by its `{` (included in the span).
    Header,
    /// A `}`.
    Close,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Piece {
    pub kind: PieceKind,
    pub span: Span,
}

pub(crate) struct Split {
    pub pieces: Vec<Piece>,
    pub comments: Vec<Comment>,
}

pub(crate) fn split(text: &str) -> Split {
    let bytes = text.as_bytes();
    let mut pieces = Vec::new();
    let mut comments = Vec::new();
    // Start of the statement being read, and the end of its last token.
    let mut current: Option<(usize, usize)> = None;
    let mut line_has_code = false;
    let mut i = 0;

    let finish = |current: &mut Option<(usize, usize)>, pieces: &mut Vec<Piece>| {
        if let Some((start, end)) = current.take() {
            pieces.push(Piece {
                kind: PieceKind::Statement,
                span: Span::new(start, end),
            });
        }
    };

    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                finish(&mut current, &mut pieces);
                line_has_code = false;
                i += 1;
            }
            b' ' | b'\t' | b'\r' => i += 1,
            b'#' => {
                let end = line_end(bytes, i);
                let text_end = trim_end(bytes, i, end);
                comments.push(Comment {
                    span: Span::new(i, text_end),
                    text: text[i..text_end].to_string(),
                    trailing: line_has_code,
                });
                i = end;
            }
            b'{' => {
                let start = current.take().map_or(i, |(start, _)| start);
                pieces.push(Piece {
                    kind: PieceKind::Header,
                    span: Span::new(start, i + 1),
                });
                line_has_code = true;
                i += 1;
            }
            b'}' => {
                finish(&mut current, &mut pieces);
                pieces.push(Piece {
                    kind: PieceKind::Close,
                    span: Span::new(i, i + 1),
                });
                line_has_code = true;
                i += 1;
            }
            delimiter @ (b'"' | b'/') => {
                let end = literal_end(bytes, i, delimiter);
                let start = current.map_or(i, |(start, _)| start);
                current = Some((start, end));
                line_has_code = true;
                i = end;
            }
            _ => {
                let start = current.map_or(i, |(start, _)| start);
                current = Some((start, i + 1));
                line_has_code = true;
                i += 1;
            }
        }
    }
    finish(&mut current, &mut pieces);
    Split { pieces, comments }
}

fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| from + p)
}

fn trim_end(bytes: &[u8], start: usize, mut end: usize) -> usize {
    while end > start && matches!(bytes[end - 1], b' ' | b'\t' | b'\r') {
        end -= 1;
    }
    end
}

/// The end of a string or regex literal that starts at `start`: just past
/// the closing delimiter, or at the line break when it is never closed (the
/// grammar then reports it).
fn literal_end(bytes: &[u8], start: usize, delimiter: u8) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if i + 1 < bytes.len() && bytes[i + 1] != b'\n' => i += 2,
            b'\n' => return trim_end(bytes, start, i),
            b if b == delimiter => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(text: &str) -> String {
        let split = split(text);
        let mut out = String::new();
        for piece in split.pieces {
            out.push_str(&format!(
                "{:?} {:?}\n",
                piece.kind,
                &text[piece.span.start..piece.span.end]
            ));
        }
        for comment in split.comments {
            out.push_str(&format!(
                "comment {:?} trailing={}\n",
                comment.text, comment.trailing
            ));
        }
        out
    }

    #[test]
    fn splits_lines_blocks_and_comments() {
        expect_test::expect![[r##"
            Statement "scrim 1"
            Header "on page \"/a#b\" {"
            Statement "mask text \"a { b }\""
            Close "}"
            Statement "detect x /a\\/#/"
            Header "when consent a {"
            Statement "allow text \"x\""
            Close "}"
            comment "# top" trailing=false
            comment "# trailing" trailing=true
        "##]]
        .assert_eq(&render(
            "# top\nscrim 1\non page \"/a#b\" {  # trailing\n  mask text \"a { b }\"\n}\n\ndetect x /a\\/#/\nwhen consent a { allow text \"x\" }\n",
        ));
    }

    #[test]
    fn unterminated_string_stops_at_the_line_break() {
        expect_test::expect![[r#"
            Statement "mask text \"oops"
            Statement "block \"x\""
        "#]]
        .assert_eq(&render("mask text \"oops\nblock \"x\"\n"));
    }
}

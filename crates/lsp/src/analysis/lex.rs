//! The words of one line of a policy, as an editor sees them while the
//! author types: strings, regular expressions and comments are skipped as
//! whole tokens, so that a keyword is never found inside a selector. It
//! reads broken and unfinished statements alike (the syntax tree has no
//! detail for those), which is what completion needs.

use scrim_syntax::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A keyword, name, number or channel (`attr:data-id`).
    Word,
    /// `"…"`, to its closing quote or the end of the line.
    String,
    /// `/…/`, to its closing slash or the end of the line.
    Regex,
    Comma,
    Open,
    Close,
    /// `#` to the end of the line.
    Comment,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: Kind,
    pub span: Span,
}

/// The tokens of `text[from..to]` (one line, or the start of one).
pub(crate) fn tokens(text: &str, from: usize, to: usize) -> Vec<Token> {
    let bytes = &text.as_bytes()[..to];
    let mut out = Vec::new();
    let mut i = from;
    while i < bytes.len() {
        let start = i;
        let kind = match bytes[i] {
            b' ' | b'\t' | b'\r' | b'\n' => {
                i += 1;
                continue;
            }
            b'#' => {
                i = bytes.len();
                Kind::Comment
            }
            quote @ (b'"' | b'/') => {
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(bytes.len());
                if quote == b'"' {
                    Kind::String
                } else {
                    Kind::Regex
                }
            }
            b',' => {
                i += 1;
                Kind::Comma
            }
            b'{' => {
                i += 1;
                Kind::Open
            }
            b'}' => {
                i += 1;
                Kind::Close
            }
            _ => {
                while i < bytes.len()
                    && !matches!(
                        bytes[i],
                        b' ' | b'\t' | b'\r' | b'\n' | b'"' | b',' | b'{' | b'}' | b'#'
                    )
                {
                    i += 1;
                }
                Kind::Word
            }
        };
        out.push(Token {
            kind,
            span: Span::new(start, i),
        });
    }
    out
}

/// The start and end of the line that holds `offset`, without its break.
pub(crate) fn line_around(text: &str, offset: usize) -> (usize, usize) {
    let start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let end = text[offset..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| offset + i);
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(text: &str) -> Vec<String> {
        tokens(text, 0, text.len())
            .into_iter()
            .map(|t| format!("{:?} {}", t.kind, &text[t.span.start..t.span.end]))
            .collect()
    }

    #[test]
    fn strings_regexes_and_comments_are_whole_tokens() {
        assert_eq!(
            show(r#"mask text, attr:data-id "a \" mask" with length 4  # mask"#),
            [
                "Word mask",
                "Word text",
                "Comma ,",
                "Word attr:data-id",
                r#"String "a \" mask""#,
                "Word with",
                "Word length",
                "Word 4",
                "Comment # mask",
            ]
        );
        assert_eq!(
            show(r"detect id /a\/b c/ examples "),
            ["Word detect", "Word id", r"Regex /a\/b c/", "Word examples"]
        );
        // Unfinished, as while typing.
        assert_eq!(show(r#"block ".a"#), ["Word block", r#"String ".a"#]);
        assert_eq!(
            show(r#"allow text "\"#),
            ["Word allow", "Word text", r#"String "\"#]
        );
    }
}

//! Byte offsets to LSP positions and back: the one converter between the
//! analysis (which works in byte offsets into the text) and the protocol
//! (lines and UTF-16 code units, as LSP requires by default).
//!
//! Lines end at `\n`, `\r\n` or a lone `\r`, as the protocol says. A
//! position past the end of its line means the end of the line; a position
//! inside a character (between the two halves of a UTF-16 surrogate pair)
//! means the start of that character; a line past the last means the end
//! of the text. Offsets inside a UTF-8 sequence mean its character's start.

use lsp_types::Position;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LineIndex {
    /// Byte offset of the start of every line.
    starts: Vec<usize>,
    /// Byte offset of the end of every line's content (before its break).
    ends: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut ends = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => {
                    ends.push(i);
                    starts.push(i + 1);
                }
                b'\r' => {
                    ends.push(i);
                    if bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    starts.push(i + 1);
                }
                _ => {}
            }
            i += 1;
        }
        ends.push(text.len());
        LineIndex { starts, ends }
    }

    /// The position of byte `offset` of `text` (the text this index was
    /// made from).
    pub(crate) fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&start| start <= offset) - 1;
        // An offset inside a line break (between `\r` and `\n`) is the end
        // of the line's content.
        let offset = offset.min(self.ends[line]);
        let character = text[self.starts[line]..offset]
            .chars()
            .map(char::len_utf16)
            .sum::<usize>();
        Position::new(line as u32, character as u32)
    }

    /// The byte offset of `position` in `text`.
    pub(crate) fn offset(&self, text: &str, position: Position) -> usize {
        let line = position.line as usize;
        if line >= self.starts.len() {
            return text.len();
        }
        let (start, end) = (self.starts[line], self.ends[line]);
        let mut units = 0usize;
        for (at, c) in text[start..end].char_indices() {
            units += c.len_utf16();
            if units > position.character as usize {
                return start + at;
            }
        }
        end
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(text: &str, offset: usize) -> (u32, u32) {
        let position = LineIndex::new(text).position(text, offset);
        (position.line, position.character)
    }

    #[test]
    fn columns_count_utf16_code_units() {
        // `é` is 2 bytes and 1 unit, `€` 3 bytes and 1 unit, `𝕏` 4 bytes
        // and 2 units (a surrogate pair).
        let text = "mask text \"é€𝕏\" as x\n";
        let after_astral = text.find('𝕏').unwrap() + '𝕏'.len_utf8();
        assert_eq!(at(text, text.find('é').unwrap()), (0, 11));
        assert_eq!(at(text, text.find('€').unwrap()), (0, 12));
        assert_eq!(at(text, text.find('𝕏').unwrap()), (0, 13));
        assert_eq!(at(text, after_astral), (0, 15));
        let index = LineIndex::new(text);
        assert_eq!(index.offset(text, Position::new(0, 15)), after_astral);
        // Between the two halves of the pair: the character's start.
        assert_eq!(
            index.offset(text, Position::new(0, 14)),
            text.find('𝕏').unwrap()
        );
    }

    #[test]
    fn every_line_break_the_protocol_knows_ends_a_line() {
        let text = "a\r\nb\rc\nd";
        assert_eq!(at(text, 3), (1, 0));
        assert_eq!(at(text, 5), (2, 0));
        assert_eq!(at(text, 7), (3, 0));
        // Inside `\r\n`: the end of the first line.
        assert_eq!(at(text, 2), (0, 1));
        let index = LineIndex::new(text);
        assert_eq!(index.offset(text, Position::new(0, 99)), 1);
        assert_eq!(index.offset(text, Position::new(9, 0)), text.len());
    }

    /// Text with what makes positions hard: multi-byte and astral
    /// characters, every kind of line break.
    fn hard_text() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop::sample::select(vec![
                "a", " ", "\"", "é", "€", "𝕏", "🙂", "\n", "\r\n", "\r", "\t", "漢",
            ]),
            0..40,
        )
        .prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #[test]
        fn positions_round_trip_at_every_character(text in hard_text()) {
            let index = LineIndex::new(&text);
            let mut previous = None;
            for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
                let position = index.position(&text, offset);
                // Independently: the line is the number of breaks before
                // the offset, the column the UTF-16 length since the last.
                let before = &text[..offset];
                let line_start = before
                    .rfind(['\n', '\r'])
                    .map_or(0, |i| i + 1);
                let breaks = before.matches("\r\n").count()
                    + before.matches('\n').count()
                    + before.matches('\r').count()
                    - 2 * before.matches("\r\n").count();
                let inside_crlf = before.ends_with('\r') && text[offset..].starts_with('\n');
                if !inside_crlf {
                    prop_assert_eq!(position.line as usize, breaks);
                    prop_assert_eq!(
                        position.character as usize,
                        text[line_start..offset].encode_utf16().count()
                    );
                    prop_assert_eq!(index.offset(&text, position), offset);
                }
                if let Some(previous) = previous {
                    prop_assert!(position >= previous, "positions go backwards at {}", offset);
                }
                previous = Some(position);
            }
        }

        #[test]
        fn any_position_maps_to_a_character_boundary(
            text in hard_text(),
            line in 0u32..12,
            character in 0u32..50,
        ) {
            let index = LineIndex::new(&text);
            let offset = index.offset(&text, Position::new(line, character));
            prop_assert!(text.is_char_boundary(offset));
            // And back: never past what was asked.
            let back = index.position(&text, offset);
            prop_assert!(back <= Position::new(line, character));
        }
    }
}

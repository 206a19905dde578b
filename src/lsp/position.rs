//! Byte offsets ↔ LSP positions in the negotiated encoding.
//!
//! The core's `text::LineIndex` splits lines at `\n` only (enough for the
//! command line). LSP clients also break lines at a lone `\r`, so the server
//! keeps its own index with the protocol's three line terminators: `\n`,
//! `\r\n` and `\r`.

use crate::text::ColumnUnit;

/// A 0-based LSP position (line, column in the negotiated unit).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

/// Line starts of a text under LSP line-break rules.
#[derive(Clone, Debug)]
pub struct PosIndex {
    /// Byte offset where each line starts.
    starts: Vec<usize>,
    /// Byte offset where each line's content ends (before its terminator).
    ends: Vec<usize>,
}

impl PosIndex {
    pub fn new(text: &str) -> Self {
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
        ends.push(bytes.len());
        PosIndex { starts, ends }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte range of line `line`'s content (without terminator).
    pub fn line_range(&self, line: usize) -> Option<std::ops::Range<usize>> {
        Some(*self.starts.get(line)?..*self.ends.get(line)?)
    }

    /// The line containing byte `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next.saturating_sub(1),
        }
    }

    /// The position of a byte offset. An offset inside a character or a line
    /// terminator is moved back to the character's start or the line's end.
    pub fn pos(&self, text: &str, offset: usize, unit: ColumnUnit) -> Pos {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.starts[line];
        let end = self.ends[line];
        let prefix = &text[start..offset.min(end)];
        Pos {
            line: to_u32(line),
            col: to_u32(measure(prefix, unit)),
        }
    }

    /// The byte offset of a position, leniently (for requests such as hover):
    /// a column past the end of its line is clamped to the line's end (as the
    /// protocol specifies) and a column inside a character is moved to that
    /// character's start. `None` when the line does not exist.
    pub fn offset(&self, text: &str, pos: Pos, unit: ColumnUnit) -> Option<usize> {
        let range = self.line_range(pos.line as usize)?;
        let mut acc = 0usize;
        for (i, c) in text[range.clone()].char_indices() {
            let w = char_width(c, unit);
            if acc + w > pos.col as usize {
                return Some(range.start + i);
            }
            acc += w;
        }
        Some(range.end)
    }
}

/// Length of `s` in `unit`.
pub fn measure(s: &str, unit: ColumnUnit) -> usize {
    match unit {
        ColumnUnit::Utf8 => s.len(),
        ColumnUnit::Char => s.chars().count(),
        ColumnUnit::Utf16 => s.chars().map(char::len_utf16).sum(),
    }
}

/// Width of one character in `unit`.
pub fn char_width(c: char, unit: ColumnUnit) -> usize {
    match unit {
        ColumnUnit::Utf8 => c.len_utf8(),
        ColumnUnit::Char => 1,
        ColumnUnit::Utf16 => c.len_utf16(),
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_cr_and_crlf_are_line_breaks() {
        let text = "ab\rcd\r\nef\ngh";
        let idx = PosIndex::new(text);
        assert_eq!(idx.line_count(), 4);
        let g = text.find('g').unwrap();
        assert_eq!(idx.pos(text, g, ColumnUnit::Utf16), Pos { line: 3, col: 0 });
        let d = text.find('d').unwrap();
        assert_eq!(idx.pos(text, d, ColumnUnit::Utf16), Pos { line: 1, col: 1 });
        // An offset on the `\n` of `\r\n` maps to the end of line 1.
        assert_eq!(
            idx.pos(text, d + 2, ColumnUnit::Utf16),
            Pos { line: 1, col: 2 }
        );
    }

    #[test]
    fn astral_columns_round_trip() {
        let text = "甲\n𠮷结果维护x\n";
        let idx = PosIndex::new(text);
        let x = text.find('x').unwrap();
        for (unit, col) in [
            (ColumnUnit::Utf16, 6),
            (ColumnUnit::Utf8, 16),
            (ColumnUnit::Char, 5),
        ] {
            let p = idx.pos(text, x, unit);
            assert_eq!(p, Pos { line: 1, col });
            assert_eq!(idx.offset(text, p, unit), Some(x));
        }
        // Column 1 in UTF-16 is inside 𠮷: moved to its start.
        let line1 = text.find('𠮷').unwrap();
        assert_eq!(
            idx.offset(text, Pos { line: 1, col: 1 }, ColumnUnit::Utf16),
            Some(line1)
        );
        // Past the end of a line: clamped; past the last line: none.
        assert_eq!(
            idx.offset(text, Pos { line: 0, col: 99 }, ColumnUnit::Utf16),
            Some(3)
        );
        assert_eq!(
            idx.offset(text, Pos { line: 3, col: 0 }, ColumnUnit::Utf16),
            None
        );
    }
}

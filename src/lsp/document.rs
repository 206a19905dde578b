//! An open document: a rope edited incrementally with LSP ranges.

use ropey::Rope;

use super::position::{char_width, Pos};
use crate::text::ColumnUnit;

/// Why an incoming edit was not applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    /// The line does not exist in the document.
    LineOutOfRange { line: u32, lines: usize },
    /// The column falls inside a character (e.g. between the two UTF-16 units of 𠮷).
    InsideCharacter { line: u32, col: u32 },
    /// The range ends before it starts.
    Reversed,
}

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EditError::LineOutOfRange { line, lines } => {
                write!(f, "line {line} is outside the document ({lines} lines)")
            }
            EditError::InsideCharacter { line, col } => {
                write!(f, "position {line}:{col} falls inside a character")
            }
            EditError::Reversed => f.write_str("the range ends before it starts"),
        }
    }
}

/// The text of an open document.
#[derive(Clone, Debug)]
pub struct Document {
    rope: Rope,
}

impl Document {
    pub fn new(text: &str) -> Self {
        Document {
            rope: Rope::from_str(text),
        }
    }

    pub fn text(&self) -> String {
        self.rope.to_string()
    }

    pub fn len_bytes(&self) -> usize {
        self.rope.len_bytes()
    }

    /// Replace the whole text.
    pub fn set_text(&mut self, text: &str) {
        self.rope = Rope::from_str(text);
    }

    /// Replace the text between two positions. Nothing changes on error.
    pub fn replace(
        &mut self,
        start: Pos,
        end: Pos,
        new_text: &str,
        unit: ColumnUnit,
    ) -> Result<(), EditError> {
        let a = self.char_index(start, unit)?;
        let b = self.char_index(end, unit)?;
        if b < a {
            return Err(EditError::Reversed);
        }
        self.rope.remove(a..b);
        self.rope.insert(a, new_text);
        Ok(())
    }

    /// The char index of a position. A column past the end of its line means
    /// the line's end (LSP: "defaults back to the line length"); a line past
    /// the end of the document or a column inside a character is an error.
    fn char_index(&self, pos: Pos, unit: ColumnUnit) -> Result<usize, EditError> {
        let line = pos.line as usize;
        let lines = self.rope.len_lines();
        if line >= lines {
            return Err(EditError::LineOutOfRange {
                line: pos.line,
                lines,
            });
        }
        let start = self.rope.line_to_char(line);
        let slice = self.rope.line(line);
        let want = pos.col as usize;
        let mut acc = 0usize;
        for (i, c) in slice.chars().enumerate() {
            if c == '\n' || c == '\r' {
                return Ok(start + i);
            }
            if acc == want {
                return Ok(start + i);
            }
            acc += char_width(c, unit);
            if acc > want {
                return Err(EditError::InsideCharacter {
                    line: pos.line,
                    col: pos.col,
                });
            }
        }
        Ok(start + slice.len_chars())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(line: u32, col: u32) -> Pos {
        Pos { line, col }
    }

    #[test]
    fn edits_in_both_units() {
        let mut d = Document::new("𠮷结果维护\n第二行");
        // UTF-16: 𠮷 is 2 units, so 结 starts at column 2.
        d.replace(p(0, 4), p(0, 6), "维持", ColumnUnit::Utf16)
            .unwrap();
        assert_eq!(d.text(), "𠮷结果维持\n第二行");
        // UTF-8: 𠮷 is 4 bytes, 结 3 bytes.
        d.replace(p(0, 4), p(0, 7), "成", ColumnUnit::Utf8).unwrap();
        assert_eq!(d.text(), "𠮷成果维持\n第二行");
        // Insert at the very end and across the line break.
        d.replace(p(1, 3), p(1, 3), "。", ColumnUnit::Utf16)
            .unwrap();
        d.replace(p(0, 99), p(1, 0), "", ColumnUnit::Utf16).unwrap();
        assert_eq!(d.text(), "𠮷成果维持第二行。");
    }

    #[test]
    fn bad_ranges_are_rejected_without_change() {
        let mut d = Document::new("𠮷a\r\nb");
        let before = d.text();
        assert!(matches!(
            d.replace(p(5, 0), p(5, 0), "x", ColumnUnit::Utf16),
            Err(EditError::LineOutOfRange { .. })
        ));
        assert!(matches!(
            d.replace(p(0, 1), p(0, 1), "x", ColumnUnit::Utf16),
            Err(EditError::InsideCharacter { .. })
        ));
        assert!(matches!(
            d.replace(p(0, 2), p(0, 0), "x", ColumnUnit::Utf8),
            Err(EditError::InsideCharacter { .. })
        ));
        assert_eq!(
            d.replace(p(1, 0), p(0, 0), "x", ColumnUnit::Utf16),
            Err(EditError::Reversed)
        );
        assert_eq!(d.text(), before);
        // A column past the end of a CRLF line lands before the CR.
        d.replace(p(0, 50), p(0, 50), "!", ColumnUnit::Utf16)
            .unwrap();
        assert_eq!(d.text(), "𠮷a!\r\nb");
    }
}

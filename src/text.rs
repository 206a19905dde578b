//! Byte offsets ↔ line/column conversion. The core stores byte offsets only;
//! the CLI asks for 1-based character columns and the language server for
//! 0-based UTF-8 or UTF-16 columns.

/// The lines of `s`, each with its line break (as `str::split_inclusive('\n')`).
/// The analysis walks every line of a report several times, and most lines
/// of a table are a few bytes long: `memchr` finds their ends quickly.
pub fn lines_inclusive(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = s;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |i| i + 1);
        let (line, tail) = rest.split_at(end);
        rest = tail;
        Some(line)
    })
}

/// `line` without its trailing line break characters (`\n`, `\r`; as
/// `trim_end_matches(['\n', '\r'])`, by bytes).
pub fn without_line_break(line: &str) -> &str {
    let b = line.as_bytes();
    let mut end = b.len();
    while end > 0 && matches!(b[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    &line[..end]
}

/// The unit a column is counted in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnUnit {
    /// Unicode scalar values (the CLI and JSON output).
    Char,
    /// UTF-8 bytes (LSP `positionEncoding: utf-8`).
    Utf8,
    /// UTF-16 code units (LSP default).
    Utf16,
}

/// Line starts of a text, for converting offsets to positions and back.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset of the start of each line; `line_starts[0] == 0`.
    line_starts: Vec<usize>,
    len: usize,
}

/// A 0-based line and a 0-based column in some [`ColumnUnit`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(i + 1);
            }
        }
        LineIndex {
            line_starts,
            len: text.len(),
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte range of line `line` (0-based), without its line terminator.
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.line_starts.get(line).copied().unwrap_or(self.len);
        let mut end = self
            .line_starts
            .get(line + 1)
            .map_or(self.len, |&next| next - 1);
        if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end.max(start)
    }

    /// The 0-based line containing `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Position of a byte offset. Offsets inside a multi-byte character are
    /// moved back to the character's start.
    pub fn line_col(&self, text: &str, offset: usize, unit: ColumnUnit) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let prefix = &text[start..offset];
        let col = match unit {
            ColumnUnit::Utf8 => prefix.len(),
            ColumnUnit::Char => prefix.chars().count(),
            ColumnUnit::Utf16 => prefix.chars().map(char::len_utf16).sum(),
        };
        LineCol {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            col: u32::try_from(col).unwrap_or(u32::MAX),
        }
    }

    /// Byte offset of a position, or `None` if the line does not exist.
    /// A column past the end of its line is clamped to the line end; a column
    /// inside a character (UTF-8/UTF-16) is moved to that character's start.
    pub fn offset(&self, text: &str, pos: LineCol, unit: ColumnUnit) -> Option<usize> {
        let line = pos.line as usize;
        if line >= self.line_starts.len() {
            return None;
        }
        let start = self.line_starts[line];
        let end = self.line_starts.get(line + 1).map_or(self.len, |&n| n - 1);
        let mut acc = 0u32;
        for (i, c) in text[start..end].char_indices() {
            let w = match unit {
                ColumnUnit::Utf8 => c.len_utf8() as u32,
                ColumnUnit::Char => 1,
                ColumnUnit::Utf16 => c.len_utf16() as u32,
            };
            if acc + w > pos.col {
                return Some(start + i);
            }
            acc += w;
        }
        Some(end)
    }
}

/// `offset` moved back to the start of the character it falls in
/// (`str::floor_char_boundary`, not stable at the crate's minimum Rust).
/// `offset` is at most `text.len()`.
pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {

    #[test]
    fn floor_char_boundary_is_the_start_of_the_character() {
        let text = "a𠮷年";
        let starts: Vec<usize> = (0..=text.len())
            .map(|i| floor_char_boundary(text, i))
            .collect();
        assert_eq!(starts, [0, 1, 1, 1, 1, 5, 5, 5, 8]);
    }
    use super::*;

    #[test]
    fn lines_inclusive_agrees_with_split_inclusive() {
        for s in ["", "\n", "a", "a\nb", "a\nb\n", "\n\n𠮷\r\n表三", "一\n\n"] {
            let ours: Vec<&str> = lines_inclusive(s).collect();
            let std: Vec<&str> = s.split_inclusive('\n').collect();
            assert_eq!(ours, std, "{s:?}");
        }
        for s in ["", "a\r\r\n", "\n", "表\r", "a\nb\n"] {
            assert_eq!(
                without_line_break(s),
                s.trim_end_matches(['\n', '\r']),
                "{s:?}"
            );
        }
    }

    #[test]
    fn astral_and_cjk_columns() {
        let text = "甲\n𠮷结果维护x\n";
        let idx = LineIndex::new(text);
        let off = text.find('x').unwrap();
        assert_eq!(
            idx.line_col(text, off, ColumnUnit::Char),
            LineCol { line: 1, col: 5 }
        );
        assert_eq!(
            idx.line_col(text, off, ColumnUnit::Utf16),
            LineCol { line: 1, col: 6 }
        );
        assert_eq!(
            idx.line_col(text, off, ColumnUnit::Utf8),
            LineCol { line: 1, col: 16 }
        );
        for unit in [ColumnUnit::Char, ColumnUnit::Utf16, ColumnUnit::Utf8] {
            let lc = idx.line_col(text, off, unit);
            assert_eq!(idx.offset(text, lc, unit), Some(off));
        }
        assert_eq!(
            idx.offset(text, LineCol { line: 9, col: 0 }, ColumnUnit::Char),
            None
        );
    }

    #[test]
    fn crlf_line_range_excludes_cr() {
        let text = "ab\r\ncd";
        let idx = LineIndex::new(text);
        assert_eq!(&text[idx.line_range(text, 0)], "ab");
        assert_eq!(&text[idx.line_range(text, 1)], "cd");
    }
}

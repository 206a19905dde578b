//! Where each piece of a reader's text came from in the source.
//!
//! A reader builds the document text with a [`TextBuilder`]: text copied from
//! the source is pushed with the source bytes it came from, text the reader
//! adds (line breaks between paragraphs, tabs between cells, Word's
//! generated list numbers) is pushed without. The resulting [`SourceMap`]
//! turns a range of the text back into source ranges: for a finding (always
//! possible, nearest source position) and for an edit (only when every
//! character of the range was copied from the source).

use std::ops::Range;

/// A stretch of text copied from the source. Either a verbatim copy
/// (`text.len() == src.len()`, the bytes are equal) or an atomic piece the
/// source spells differently (`&amp;`, `\r\n`, a run of spaces collapsed
/// into one), which is never cut.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub text: Range<usize>,
    pub src: Range<usize>,
    /// The text bytes equal the source bytes (else the segment is atomic).
    pub verbatim: bool,
}

impl Segment {
    fn verbatim(&self) -> bool {
        self.verbatim
    }

    /// The source offset of text offset `at` (inside or at the ends of the segment).
    fn src_at(&self, at: usize) -> usize {
        if at <= self.text.start {
            self.src.start
        } else if at >= self.text.end {
            self.src.end
        } else if self.verbatim() {
            self.src.start + (at - self.text.start)
        } else {
            self.src.start
        }
    }
}

/// Text → source offsets for one document. Text not covered by a segment
/// was added by the reader.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceMap {
    /// Sorted by `text.start`, not overlapping.
    segments: Vec<Segment>,
}

impl SourceMap {
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// Index of the first segment ending after `at`.
    fn first_ending_after(&self, at: usize) -> usize {
        self.segments.partition_point(|s| s.text.end <= at)
    }

    /// The source position for text offset `at`: inside a copied segment its
    /// exact source offset; in added text the start of the next copied text
    /// (else the end of the last).
    pub fn position(&self, at: usize) -> usize {
        let i = self.first_ending_after(at);
        match self.segments.get(i) {
            Some(s) => s.src_at(at),
            None => self.segments.last().map_or(0, |s| s.src.end),
        }
    }

    /// The source range of a finding at `range` of the text: from the source
    /// of its first copied character to the end of its last; an empty or
    /// added-text range becomes an empty range at the nearest source position.
    pub fn range(&self, range: Range<usize>) -> Range<usize> {
        let start = self.position(range.start);
        if range.is_empty() {
            return start..start;
        }
        // The last segment starting before the end.
        let j = self.segments.partition_point(|s| s.text.start < range.end);
        let end = match j.checked_sub(1).map(|j| &self.segments[j]) {
            Some(s) if s.text.end > range.start => s.src_at(range.end),
            _ => start,
        };
        start..end.max(start)
    }

    /// The source ranges holding exactly the characters of `range`, merged
    /// where they touch in the source; `None` when a character of the range
    /// was added by the reader (it cannot be edited in the source) or the
    /// range cuts a character that the source spells differently.
    pub fn edit_ranges(&self, range: Range<usize>) -> Option<Vec<Range<usize>>> {
        if range.is_empty() {
            // An insertion: only where copied text touches the position.
            let i = self.first_ending_after(range.start);
            let at = match self.segments.get(i) {
                Some(s) if s.text.start <= range.start => s.src_at(range.start),
                _ => {
                    let prev = i.checked_sub(1).map(|i| &self.segments[i])?;
                    if prev.text.end != range.start {
                        return None;
                    }
                    prev.src.end
                }
            };
            #[allow(clippy::single_range_in_vec_init)]
            return Some(vec![at..at]);
        }
        let mut out: Vec<Range<usize>> = Vec::new();
        let mut at = range.start;
        let mut i = self.first_ending_after(range.start);
        while at < range.end {
            let s = self.segments.get(i)?;
            if s.text.start > at {
                return None; // added text inside the range
            }
            let end = s.text.end.min(range.end);
            if !s.verbatim() && (at != s.text.start || end != s.text.end) {
                return None;
            }
            let src = s.src_at(at)..s.src_at(end);
            match out.last_mut() {
                Some(last) if last.end == src.start => last.end = src.end,
                _ => out.push(src),
            }
            at = end;
            i += 1;
        }
        Some(out)
    }
}

/// Builds a text and its [`SourceMap`] together.
#[derive(Debug, Default)]
pub struct TextBuilder {
    text: String,
    segments: Vec<Segment>,
}

impl TextBuilder {
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Append text copied verbatim from the source at `src_start`.
    pub fn push_copy(&mut self, s: &str, src_start: usize) {
        self.push(s, src_start..src_start + s.len(), true);
    }

    /// Append text the source spells differently at `src` (an entity, a
    /// line break written `\r\n`, collapsed spaces): an atomic piece.
    pub fn push_spelled(&mut self, s: &str, src: Range<usize>) {
        self.push(s, src, false);
    }

    fn push(&mut self, s: &str, src: Range<usize>, verbatim: bool) {
        if s.is_empty() {
            return;
        }
        let text = self.text.len()..self.text.len() + s.len();
        self.text.push_str(s);
        let seg = Segment {
            text,
            src,
            verbatim,
        };
        if let Some(last) = self.segments.last_mut() {
            if last.verbatim()
                && seg.verbatim()
                && last.text.end == seg.text.start
                && last.src.end == seg.src.start
            {
                last.text.end = seg.text.end;
                last.src.end = seg.src.end;
                return;
            }
        }
        self.segments.push(seg);
    }

    /// Append text the reader adds (separators, generated numbers).
    pub fn push_gen(&mut self, s: &str) {
        self.text.push_str(s);
    }

    /// Remove trailing characters for which `drop` holds (e.g. spaces before
    /// a line break), with their segments.
    pub fn trim_end_matches(&mut self, drop: impl Fn(char) -> bool) {
        let keep = self.text.trim_end_matches(&drop).len();
        self.truncate(keep);
    }

    pub fn truncate(&mut self, len: usize) {
        self.text.truncate(len);
        while let Some(last) = self.segments.last_mut() {
            if last.text.start >= len {
                self.segments.pop();
            } else {
                if last.text.end > len {
                    // Only verbatim segments can be cut inside.
                    let cut = last.text.end - len;
                    last.text.end = len;
                    last.src.end -= cut;
                }
                break;
            }
        }
    }

    pub fn finish(self) -> (String, SourceMap) {
        (
            self.text,
            SourceMap {
                segments: self.segments,
            },
        )
    }
}

#[cfg(test)]
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::*;

    /// `a&amp;b` read as `a&b`, a tab added, then `𠮷c` verbatim at source 20.
    fn sample() -> (String, SourceMap) {
        let mut b = TextBuilder::default();
        b.push_copy("a", 0);
        b.push_spelled("&", 1..6);
        b.push_copy("b", 6);
        b.push_gen("\t");
        b.push_copy("𠮷c", 20);
        b.finish()
    }

    #[test]
    fn positions_and_ranges() {
        let (text, map) = sample();
        assert_eq!(text, "a&b\t𠮷c");
        assert_eq!(map.position(0), 0);
        assert_eq!(map.position(1), 1);
        assert_eq!(map.position(2), 6);
        // The added tab maps to the next copied character.
        assert_eq!(map.position(3), 20);
        assert_eq!(map.position(8), 24);
        assert_eq!(map.position(text.len()), 25);
        assert_eq!(map.range(0..3), 0..7);
        assert_eq!(map.range(4..9), 20..25);
        assert_eq!(map.range(3..3), 20..20);
        assert_eq!(map.range(2..9), 6..25);
    }

    #[test]
    fn edit_ranges_refuse_added_text() {
        let (_, map) = sample();
        assert_eq!(map.edit_ranges(0..3), Some(vec![0..7]));
        assert_eq!(map.edit_ranges(4..8), Some(vec![20..24]));
        assert_eq!(map.edit_ranges(2..5), None);
        assert_eq!(map.edit_ranges(3..3), Some(vec![7..7]));
        assert_eq!(map.edit_ranges(4..4), Some(vec![20..20]));
        assert_eq!(map.edit_ranges(3..4), None);
    }

    #[test]
    fn edit_ranges_split_where_the_source_is_not_contiguous() {
        let mut b = TextBuilder::default();
        b.push_copy("结果", 10);
        b.push_copy("维护", 40);
        let (_, map) = b.finish();
        assert_eq!(map.edit_ranges(0..12), Some(vec![10..16, 40..46]));
        assert_eq!(map.edit_ranges(3..9), Some(vec![13..16, 40..43]));
    }

    #[test]
    fn truncate_cuts_segments() {
        let mut b = TextBuilder::default();
        b.push_copy("ab  ", 0);
        b.trim_end_matches(|c| c == ' ');
        b.push_gen("\n");
        let (text, map) = b.finish();
        assert_eq!(text, "ab\n");
        assert_eq!(
            map.segments(),
            &[Segment {
                text: 0..2,
                src: 0..2,
                verbatim: true
            }]
        );
    }
}

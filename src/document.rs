//! The document model every reader produces and the core reads: the text,
//! and the tables whose cell structure the source gives.
//!
//! A plain-text or Markdown file is its own text and brings no grids: the
//! core finds pipe and tab grids in the text itself. Readers of formats that
//! carry structure (Word, HTML) put every paragraph and every cell's text
//! into `text` and describe each table as a [`Grid`] over that text, with
//! merged cells as spans, so that nothing after the reader needs to guess
//! where a cell ends.

use std::ops::Range;

/// What the core reads: text plus the tables the source delimits.
#[derive(Clone, Debug, Default)]
pub struct Document {
    /// The text, with paragraphs on their own lines.
    pub text: String,
    /// Tables with cell boundaries given by the source, in document order.
    /// Their cell ranges point into `text`.
    pub grids: Vec<Grid>,
}

impl Document {
    /// A text file: the text is the source and carries no grids.
    pub fn from_text(text: impl Into<String>) -> Self {
        Document {
            text: text.into(),
            grids: Vec::new(),
        }
    }
}

/// A table as rows and columns of cells. A merged cell is one [`GridCell`]
/// with a span; the positions it covers have no cell of their own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Grid {
    /// Byte range of the whole table in the text.
    pub range: Range<usize>,
    pub n_rows: usize,
    pub n_cols: usize,
    /// Cells in reading order (row by row, left to right).
    pub cells: Vec<GridCell>,
    /// `true` when merged cells are explicit (Word `gridSpan`/`vMerge`, HTML
    /// `colspan`/`rowspan`), so a blank cell is really empty. `false` for grids
    /// read from text, where converters leave the positions a merged cell
    /// covers as blank cells (or repeat its text) and only the template can
    /// tell structure from an empty data cell.
    pub explicit_spans: bool,
}

/// One cell of a [`Grid`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GridCell {
    /// 0-based row and column of the cell's top-left corner.
    pub row: usize,
    pub col: usize,
    /// Rows and columns the cell covers (at least 1).
    pub row_span: usize,
    pub col_span: usize,
    /// Byte range of the cell's text in the document text, without
    /// surrounding whitespace; an empty range at the cell's place when blank.
    pub range: Range<usize>,
}

#[cfg(test)]
impl Grid {
    /// Each cell as (row, column, row span, column span, text): what reader
    /// tests compare.
    pub(crate) fn cells_with_text<'t>(
        &self,
        text: &'t str,
    ) -> Vec<(usize, usize, usize, usize, &'t str)> {
        self.cells
            .iter()
            .map(|c| (c.row, c.col, c.row_span, c.col_span, &text[c.range.clone()]))
            .collect()
    }
}

impl Grid {
    /// The cell covering row `r`, column `c`, if any.
    pub fn cell_at(&self, r: usize, c: usize) -> Option<&GridCell> {
        self.cells.iter().find(|cell| {
            (cell.row..cell.row + cell.row_span.max(1)).contains(&r)
                && (cell.col..cell.col + cell.col_span.max(1)).contains(&c)
        })
    }
}

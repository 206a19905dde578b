//! Laying a table out as text: one line per row, cells separated by tabs,
//! an empty field for each position a merged cell covers, and a [`Grid`]
//! describing the cells over that text.

use super::srcmap::TextBuilder;
use crate::document::{Grid, GridCell};

/// Where one cell of a source table sits (0-based, top-left corner).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placed {
    pub row: usize,
    pub col: usize,
    pub row_span: usize,
    pub col_span: usize,
}

/// The cells of a table placed on its grid, in reading order.
#[derive(Clone, Debug, Default)]
pub struct Shape {
    pub n_rows: usize,
    pub n_cols: usize,
    pub cells: Vec<Placed>,
}

impl Shape {
    /// Place the rows of an HTML-style table: each row lists its cells'
    /// `(colspan, rowspan)`; a cell takes the first column not covered by a
    /// cell spanning down from a row above. Spans are clamped to the table.
    pub fn from_spans(rows: &[Vec<(usize, usize)>]) -> Shape {
        let n_rows = rows.len();
        // covered[r] lists, for row r, the columns taken by cells from above.
        let mut covered: Vec<Vec<bool>> = vec![Vec::new(); n_rows];
        let mut cells = Vec::new();
        let mut n_cols = 0;
        for (r, row) in rows.iter().enumerate() {
            let mut c = 0;
            for &(col_span, row_span) in row {
                while covered[r].get(c).copied().unwrap_or(false) {
                    c += 1;
                }
                let col_span = col_span.max(1);
                let row_span = row_span.clamp(1, n_rows - r);
                for taken in covered.iter_mut().skip(r).take(row_span) {
                    if taken.len() < c + col_span {
                        taken.resize(c + col_span, false);
                    }
                    for t in &mut taken[c..c + col_span] {
                        *t = true;
                    }
                }
                cells.push(Placed {
                    row: r,
                    col: c,
                    row_span,
                    col_span,
                });
                c += col_span;
                n_cols = n_cols.max(c);
            }
        }
        for taken in &covered {
            n_cols = n_cols.max(taken.len());
        }
        Shape {
            n_rows,
            n_cols,
            cells,
        }
    }
}

/// Write `shape` into `b`, one line per row, calling `cell(b, i)` to write
/// the text of `shape.cells[i]` (on one line). Returns the grid over the text.
pub fn emit_table(
    b: &mut TextBuilder,
    shape: &Shape,
    mut cell: impl FnMut(&mut TextBuilder, usize),
) -> Grid {
    line_break(b);
    let start = b.len();
    // starts[r][c]: the cell whose top-left corner is (r, c).
    let mut starts = vec![vec![None; shape.n_cols]; shape.n_rows];
    for (i, p) in shape.cells.iter().enumerate() {
        starts[p.row][p.col] = Some(i);
    }
    let mut cells: Vec<GridCell> = Vec::with_capacity(shape.cells.len());
    let mut end = start;
    for row in &starts {
        for (c, at) in row.iter().enumerate() {
            if c > 0 {
                b.push_gen("\t");
            }
            let Some(i) = *at else { continue };
            let from = b.len();
            cell(b, i);
            let text = &b.text()[from..];
            let keep = from + text.trim_end().len();
            b.truncate(keep);
            let text = &b.text()[from..];
            let lead = text.len() - text.trim_start().len();
            let p = shape.cells[i];
            cells.push(GridCell {
                row: p.row,
                col: p.col,
                row_span: p.row_span,
                col_span: p.col_span,
                range: from + lead..b.len(),
            });
        }
        end = b.len();
        b.push_gen("\n");
    }
    cells.sort_by_key(|c| (c.row, c.col));
    Grid {
        range: start..end,
        n_rows: shape.n_rows,
        n_cols: shape.n_cols,
        cells,
        explicit_spans: true,
    }
}

/// End the current line (dropping trailing spaces) unless at a line start.
pub fn line_break(b: &mut TextBuilder) {
    b.trim_end_matches(|c| c == ' ');
    if !b.is_empty() && !b.text().ends_with('\n') {
        b.push_gen("\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_place_cells_like_a_browser() {
        // | A (rowspan 2) | B (colspan 2)  |
        // |               | C      | D      |
        let shape = Shape::from_spans(&[vec![(1, 2), (2, 1)], vec![(1, 1), (1, 1)]]);
        assert_eq!((shape.n_rows, shape.n_cols), (2, 3));
        let at: Vec<_> = shape.cells.iter().map(|p| (p.row, p.col)).collect();
        assert_eq!(at, [(0, 0), (0, 1), (1, 1), (1, 2)]);
        // A rowspan past the table's end is clamped.
        let shape = Shape::from_spans(&[vec![(1, 9)]]);
        assert_eq!(shape.cells[0].row_span, 1);
    }

    #[test]
    fn rows_are_tab_separated_with_empty_covered_positions() {
        let shape = Shape::from_spans(&[vec![(1, 2), (2, 1)], vec![(1, 1), (1, 1)]]);
        let mut b = TextBuilder::default();
        b.push_gen("前文");
        let texts = ["甲", " 乙 ", "丙", ""];
        let grid = emit_table(&mut b, &shape, |b, i| b.push_gen(texts[i]));
        let (text, _) = b.finish();
        assert_eq!(text, "前文\n甲\t 乙\t\n\t丙\t\n");
        let cell_texts: Vec<&str> = grid.cells.iter().map(|c| &text[c.range.clone()]).collect();
        assert_eq!(cell_texts, ["甲", "乙", "丙", ""]);
        assert_eq!(&text[grid.range.clone()], "甲\t 乙\t\n\t丙\t");
        assert!(grid.explicit_spans);
        assert_eq!(grid.cell_at(1, 0).map(|c| c.row), Some(0));
    }
}

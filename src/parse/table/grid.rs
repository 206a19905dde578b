//! Grids: tables whose cell boundaries the source gives (Word, HTML) or the
//! text shows (Markdown pipe rows, tab-separated rows copied from Word).
//!
//! A grid is read as the template lays it out: header rows above the data
//! name the columns (a blank header cell right of or below a label continues
//! that label's span, a repeated label is the same span), label cells left of
//! the data name the row, and the data cells of a row are read by column. A
//! blank cell in a header row or in the label area is structure; a blank cell
//! under a data column is an empty data cell.

use std::cell::RefCell;
use std::ops::Range;

use crate::document::{Grid, GridCell};
use crate::normalize::key;
use crate::template::{self, ColumnKey};

use super::tokens::{
    self, is_blank_marker, is_markdown_rule, is_numeric, is_space, trim_end_space, trim_space,
    trim_start_space,
};

/// What a grid cell holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Content {
    Label,
    /// One number, or several space-separated numbers.
    Number,
    Blank,
}

/// Column spans found for a header block: its first row, the keys of the
/// expected columns, and the spans (`None` when the header does not name them).
type Mapping = (usize, Vec<ColumnKey>, Option<Vec<Range<usize>>>);

/// A grid with its cells classified and every position resolved to a cell.
pub struct Layout<'g> {
    text: &'g str,
    pub grid: &'g Grid,
    /// `matrix[row * n_cols + col]`: index into `grid.cells` of the cell
    /// covering the position (one vector for the whole grid, not one per row).
    matrix: Vec<Option<usize>>,
    pub content: Vec<Content>,
    /// Matching key of every label cell's text (empty for numbers and
    /// blanks: no label's key is a number, and numbers are compared by
    /// their text, [`Layout::number_text`]).
    pub keys: Vec<String>,
    /// Rows holding at least one number.
    data_rows: Vec<bool>,
    /// Column spans found for a header block (its first row) and a list of
    /// expected columns, computed once.
    mappings: RefCell<Vec<Mapping>>,
}

impl<'g> Layout<'g> {
    pub fn new(text: &'g str, grid: &'g Grid) -> Self {
        let n_cols = grid.n_cols;
        let mut matrix = vec![None; grid.n_rows * n_cols];
        for (i, cell) in grid.cells.iter().enumerate() {
            let rows = cell.row..(cell.row + cell.row_span.max(1)).min(grid.n_rows);
            let cols = cell.col..(cell.col + cell.col_span.max(1)).min(n_cols);
            if cols.is_empty() {
                continue;
            }
            for r in rows {
                matrix[r * n_cols + cols.start..r * n_cols + cols.end].fill(Some(i));
            }
        }
        let content: Vec<Content> = grid
            .cells
            .iter()
            .map(|c| classify(&text[c.range.clone()]))
            .collect();
        // Keys of labels only: numbers and blanks are compared by their text.
        let keys = grid
            .cells
            .iter()
            .zip(&content)
            .map(|(c, k)| match *k {
                // Most label cells are a template's text verbatim, whose key is known.
                Content::Label => {
                    let t = &text[c.range.clone()];
                    template::label_key(t).map_or_else(|| key(t), str::to_owned)
                }
                Content::Number | Content::Blank => String::new(),
            })
            .collect();
        let mut layout = Layout {
            text,
            grid,
            matrix,
            content,
            keys,
            data_rows: Vec::new(),
            mappings: RefCell::new(Vec::new()),
        };
        layout.data_rows = (0..grid.n_rows)
            .map(|r| (0..grid.n_cols).any(|c| layout.content_at(r, c) == Content::Number))
            .collect();
        layout
    }

    /// The text of cell `i`, a number, without surrounding whitespace.
    fn number_text(&self, i: usize) -> &str {
        self.text[self.grid.cells[i].range.clone()].trim()
    }

    fn at(&self, r: usize, c: usize) -> Option<usize> {
        let n_cols = self.grid.n_cols;
        if r >= self.grid.n_rows || c >= n_cols {
            return None;
        }
        self.matrix[r * n_cols + c]
    }

    fn content_at(&self, r: usize, c: usize) -> Content {
        self.at(r, c).map_or(Content::Blank, |i| self.content[i])
    }

    /// A row holding at least one number.
    pub fn is_data_row(&self, r: usize) -> bool {
        self.data_rows.get(r).copied().unwrap_or(false)
    }

    /// The cells of row `r` from left to right, each once (a merged cell is
    /// listed at its first column in this row).
    fn row_cells(&self, r: usize) -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize)> = Vec::new();
        for c in 0..self.grid.n_cols {
            if let Some(i) = self.at(r, c) {
                if out.last().is_none_or(|&(_, j)| j != i) {
                    out.push((c, i));
                }
            }
        }
        out
    }

    /// The header rows that name the columns of data row `r`: the non-data
    /// rows directly above it (empty when `r` follows another data row).
    fn header_rows_above(&self, r: usize) -> Range<usize> {
        let mut h = r;
        while h > 0 && !self.is_data_row(h - 1) {
            h -= 1;
        }
        h..r
    }

    /// Per column, the header labels above it from top to bottom (as cell
    /// indices), with the span rules of the module documentation.
    fn header_paths(&self, header_rows: Range<usize>) -> Vec<Vec<usize>> {
        let n = self.grid.n_cols;
        let mut paths: Vec<Vec<usize>> = vec![Vec::new(); n];
        // Segments of columns that share a parent label, refined row by row.
        let mut segments: Vec<Range<usize>> = std::iter::once(0..n).collect();
        for h in header_rows {
            let mut next: Vec<Range<usize>> = Vec::new();
            for seg in &segments {
                // The label currently spanning to the right, with its first column.
                let mut open: Option<(usize, usize)> = None;
                let mut seg_start = seg.start;
                for c in seg.clone() {
                    let cell = self.at(h, c);
                    let label = cell.filter(|&i| self.content[i] == Content::Label);
                    let above = paths[c].last().copied();
                    match label {
                        // The same cell as above (a row span), or the same text (a
                        // label repeated by a converter): a vertical continuation.
                        Some(i)
                            if above.is_some_and(|a| a == i || self.keys[a] == self.keys[i]) =>
                        {
                            if let Some((_, start)) = open.take() {
                                next.push(start..c);
                                seg_start = c;
                            }
                        }
                        Some(i) => {
                            let same_span = open.filter(|&(j, _)| {
                                j == i
                                    || (!self.grid.explicit_spans && self.keys[j] == self.keys[i])
                            });
                            match same_span {
                                // The open label again: the same span.
                                Some((j, _)) => paths[c].push(j),
                                None => {
                                    if let Some((_, start)) = open {
                                        next.push(start..c);
                                    } else if seg_start < c {
                                        next.push(seg_start..c);
                                    }
                                    open = Some((i, c));
                                    paths[c].push(i);
                                }
                            }
                        }
                        None => {
                            // A blank right of a label continues it (text grids only:
                            // explicit grids give spans, so a blank there is empty).
                            match open {
                                Some((j, _)) if !self.grid.explicit_spans => paths[c].push(j),
                                Some((_, start)) => {
                                    next.push(start..c);
                                    open = None;
                                    seg_start = c;
                                }
                                None => {}
                            }
                        }
                    }
                }
                match open {
                    Some((_, start)) => next.push(start..seg.end),
                    None if seg_start < seg.end => next.push(seg_start..seg.end),
                    None => {}
                }
            }
            segments = next;
        }
        paths
    }
}

fn classify(s: &str) -> Content {
    let t = trim_space(s);
    if t.is_empty() {
        return Content::Blank;
    }
    // The commonest number: plain digits (no blank marker; `is_numeric`).
    if t.bytes().all(|b| b.is_ascii_digit()) {
        return Content::Number;
    }
    if is_blank_marker(t) {
        return Content::Blank;
    }
    // A number holds a digit, ASCII or full-width (EF BC 90–99): most labels
    // hold none, and need not be split into words.
    if !t.bytes().any(|b| b.is_ascii_digit() || b == 0xEF) {
        return Content::Label;
    }
    let numeric = |w: &str| is_numeric(w) || tokens::number_with_unit(w).is_some();
    if t.split(is_space).filter(|w| !w.is_empty()).all(numeric) {
        Content::Number
    } else {
        Content::Label
    }
}

/// How the data cells of a row were read from its grid.
pub enum RowCells {
    /// One value per expected column: `Some(cell)` (possibly blank), or `None`
    /// where the row has no cell at all.
    Placed(Vec<Option<usize>>),
    /// Fewer cells than columns, all numbers: glued cells for the solver.
    Glued(Vec<usize>),
    /// Fewer cells than columns, some not numbers: `found` cells.
    Short(usize),
    /// The row's cells do not fit the template (a reason in Chinese).
    Misfit(String),
}

/// Read the data cells of grid row `r` for the expected columns (the keys
/// of template column names, `group·leaf` where the template groups columns).
pub fn row_cells(layout: &Layout, r: usize, expected: &[ColumnKey]) -> RowCells {
    if let Some(placed) = by_header(layout, r, expected) {
        return RowCells::Placed(placed);
    }
    by_position(layout, r, expected.len())
}

/// Columns named by the header rows above `r` (or above the nearest data row
/// above whose header rows name them).
fn by_header(layout: &Layout, r: usize, expected: &[ColumnKey]) -> Option<Vec<Option<usize>>> {
    let mut at = r;
    loop {
        let headers = layout.header_rows_above(at);
        if !headers.is_empty() {
            let first = headers.start;
            let cached = layout
                .mappings
                .borrow()
                .iter()
                .position(|(row, cols, _)| *row == first && cols == expected);
            let at_cache = cached.unwrap_or_else(|| {
                let m = map_columns(layout, headers.clone(), expected);
                let mut mappings = layout.mappings.borrow_mut();
                mappings.push((first, expected.to_vec(), m));
                mappings.len() - 1
            });
            if let Some(spans) = &layout.mappings.borrow()[at_cache].2 {
                return place(layout, r, spans);
            }
        }
        // Look further up: past this header block and the data rows above it.
        let mut top = headers.start;
        while top > 0 && layout.is_data_row(top - 1) {
            top -= 1;
        }
        if top == 0 {
            return None;
        }
        at = top;
    }
}

/// The cells of row `r` under each column span; `None` when a span holds a
/// label (the header does not describe this row) or conflicting numbers.
fn place(layout: &Layout, r: usize, spans: &[Range<usize>]) -> Option<Vec<Option<usize>>> {
    let mut out = Vec::with_capacity(spans.len());
    for span in spans {
        let mut found: Option<usize> = None;
        let mut blank: Option<usize> = None;
        for c in span.clone() {
            let Some(i) = layout.at(r, c) else { continue };
            match layout.content[i] {
                Content::Label => return None,
                Content::Blank => {
                    blank.get_or_insert(i);
                }
                Content::Number => match found {
                    Some(j) if j != i && layout.number_text(j) != layout.number_text(i) => {
                        return None
                    }
                    Some(_) => {}
                    None => found = Some(i),
                },
            }
        }
        out.push(found.or(blank));
    }
    // Every number of the row must stand under a named column, or the header
    // does not describe this row (a row shifted by a missing span cell). The
    // spans are in column order and disjoint (`map_columns`): the columns
    // under none are the gaps between them.
    debug_assert!(spans.windows(2).all(|w| w[0].end <= w[1].start));
    let n = layout.grid.n_cols;
    let number_in = |cols: Range<usize>| {
        cols.into_iter()
            .any(|c| layout.content_at(r, c) == Content::Number)
    };
    let mut from = 0;
    for span in spans {
        if number_in(from..span.start.min(n)) {
            return None;
        }
        from = from.max(span.end);
    }
    (!number_in(from..n)).then_some(out)
}

/// Map the expected columns, in order, to spans of grid columns whose header
/// path ends in the expected label (and contains its group, when the header
/// names one).
fn map_columns(
    layout: &Layout,
    headers: Range<usize>,
    wanted: &[ColumnKey],
) -> Option<Vec<Range<usize>>> {
    let paths = layout.header_paths(headers);
    // Consecutive columns with the same path form one span.
    let mut spans: Vec<(Range<usize>, &Vec<usize>)> = Vec::new();
    for (c, p) in paths.iter().enumerate() {
        match spans.last_mut() {
            Some((range, q)) if *q == p => range.end = c + 1,
            _ => spans.push((c..c + 1, p)),
        }
    }
    // The template's column groups (表四: 行政复议, 未经复议直接起诉, 复议后起诉).
    let groups: Vec<&String> = wanted.iter().filter_map(|w| w.group.as_ref()).collect();
    let mut out = Vec::with_capacity(wanted.len());
    let mut next = 0;
    for ColumnKey { leaf, group } in wanted {
        let found = spans[next..].iter().position(|(_, p)| {
            let Some(&last) = p.last() else { return false };
            layout.keys[last] == *leaf
                && group.as_ref().is_none_or(|g| {
                    // The header names the group, or names no group at all.
                    p.iter().any(|&i| &layout.keys[i] == g)
                        || !p[..p.len() - 1]
                            .iter()
                            .any(|&i| groups.contains(&&layout.keys[i]))
                })
        })?;
        out.push(spans[next + found].0.clone());
        next += found + 1;
    }
    Some(out)
}

/// The cells after the row's last label, trimmed of blank span cells at
/// either end until they fit the expected count.
fn by_position(layout: &Layout, r: usize, n: usize) -> RowCells {
    let cells = layout.row_cells(r);
    let last_label = cells
        .iter()
        .rposition(|&(_, i)| layout.content[i] == Content::Label);
    let mut values: Vec<usize> = cells[last_label.map_or(0, |l| l + 1)..]
        .iter()
        .map(|&(_, i)| i)
        .collect();
    while values.len() > n
        && values
            .first()
            .is_some_and(|&i| layout.content[i] == Content::Blank)
    {
        values.remove(0);
    }
    while values.len() > n
        && values
            .last()
            .is_some_and(|&i| layout.content[i] == Content::Blank)
    {
        values.pop();
    }
    if values.len() == n {
        return RowCells::Placed(values.into_iter().map(Some).collect());
    }
    if values.len() > n {
        return RowCells::Misfit(format!(
            "这一行有 {} 个数据单元格，模板为 {n} 个",
            values.len()
        ));
    }
    if !values.is_empty() && values.iter().all(|&i| layout.content[i] == Content::Number) {
        return RowCells::Glued(values);
    }
    // Which columns the cells stand in is unknown: read none of them.
    RowCells::Short(values.len())
}

/// More cells than a row of any template table has (表四: a label and 15
/// numbers), with room for stray separators.
const MAX_GRID_COLUMNS: usize = 40;
/// Longer than any template label (the longest, 表三's 申请人逾期未按收费通知
/// 要求缴纳费用… row, is under 50 characters), in UTF-8 bytes.
const MAX_GRID_CELL_BYTES: usize = 300;

/// Grids in the text: blocks of Markdown pipe rows or tab-separated rows in
/// which at least two rows have two or more filled cells.
pub fn text_grids(text: &str) -> Vec<Grid> {
    let mut out = Vec::new();
    if memchr::memchr2(b'|', b'\t', text.as_bytes()).is_none() {
        return out;
    }
    let mut block = Block::default();
    let mut pos = 0;
    for line in crate::text::lines_inclusive(text) {
        let start = pos;
        pos += line.len();
        let body = crate::text::without_line_break(line);
        let range = start..start + body.len();
        // One search for either delimiter: most lines have neither. `|` and
        // tab are ASCII, never inside a UTF-8 sequence.
        let b = body.as_bytes();
        let Some(first) = memchr::memchr2(b'|', b'\t', b) else {
            block.flush(text, &mut out);
            continue;
        };
        let bar = b[first] == b'|' || memchr::memchr(b'|', &b[first + 1..]).is_some();
        if bar && !block.rows.is_empty() && is_markdown_rule(body) {
            continue;
        }
        if !block.push_row(text, range, bar) {
            block.flush(text, &mut out);
        }
    }
    block.flush(text, &mut out);
    out
}

/// The rows of a block of pipe or tab rows. Most lines with a tab or a bar
/// belong to no grid, so a row's cells are only listed when its block is one.
#[derive(Default)]
struct Block {
    /// Per row: its line, its separator and the span of its cells.
    rows: Vec<(Range<usize>, u8, Range<usize>)>,
    /// The cells of all rows.
    n_cells: usize,
    /// Rows with two or more filled cells.
    filled_rows: usize,
}

/// The separator of a pipe row (`bar`) or a tab row and the span of its
/// cells (inside the outer bars).
fn row_area(text: &str, line: &Range<usize>, bar: bool) -> (u8, Range<usize>) {
    if !bar {
        return (b'\t', line.clone());
    }
    let s = &text[line.clone()];
    let rest = trim_start_space(s);
    let trimmed = trim_end_space(rest);
    let mut a = line.start + (s.len() - rest.len());
    let mut b = a + trimmed.len();
    if trimmed.starts_with('|') {
        a += 1;
    }
    if trimmed.ends_with('|') && b > a {
        b -= 1;
    }
    (b'|', a..b)
}

/// The cells of a row area, trimmed, in order.
fn area_cells(text: &str, sep: u8, area: Range<usize>) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut cell_start = area.start;
    memchr::memchr_iter(sep, &text.as_bytes()[area.clone()])
        .map(move |i| area.start + i)
        .chain([area.end])
        .map(move |cell_end| {
            let t = &text[cell_start..cell_end];
            let rest = trim_start_space(t);
            let start = cell_start + (t.len() - rest.len());
            cell_start = cell_end + 1;
            start..start + trim_end_space(rest).len()
        })
}

impl Block {
    /// Add `line`, which holds a `|` (`bar`) or a tab, as a row when it is a
    /// pipe or tab row of two or more cells.
    fn push_row(&mut self, text: &str, line: Range<usize>, bar: bool) -> bool {
        let (sep, area) = row_area(text, &line, bar);
        let mut seps = memchr::memchr_iter(sep, &text.as_bytes()[area.clone()]);
        // A row of one cell (`规章 |`, one cell per line) is no row.
        let Some(first) = seps.next() else {
            return false;
        };
        let (mut n, mut filled, mut long) = (0, 0, false);
        // Cells as `area_cells` gives them, without trimming their ends: a
        // cell is filled when anything but whitespace starts it after its
        // leading whitespace, long only when its whole text is.
        let mut cell_start = area.start;
        for cell_end in std::iter::once(first)
            .chain(seps)
            .map(|i| area.start + i)
            .chain([area.end])
        {
            let cell = trim_start_space(&text[cell_start..cell_end]);
            cell_start = cell_end + 1;
            n += 1;
            filled += usize::from(!cell.is_empty());
            long |= cell.len() > MAX_GRID_CELL_BYTES
                && trim_end_space(cell).len() > MAX_GRID_CELL_BYTES;
        }
        // A row of more cells than any template row has, or with a cell
        // longer than any label, is a whole table (or page) flattened onto
        // one line: read cell by cell as text.
        if !(2..=MAX_GRID_COLUMNS).contains(&n) || long {
            return false;
        }
        if filled >= 2 {
            self.filled_rows += 1;
        }
        self.rows.push((line, sep, area));
        self.n_cells += n;
        true
    }

    /// End the block: a grid when two of its rows have two filled cells.
    fn flush(&mut self, text: &str, out: &mut Vec<Grid>) {
        if self.filled_rows >= 2 {
            let mut cells = Vec::with_capacity(self.n_cells);
            let mut n_cols = 0;
            for (r, (_, sep, area)) in self.rows.iter().enumerate() {
                for (c, range) in area_cells(text, *sep, area.clone()).enumerate() {
                    n_cols = n_cols.max(c + 1);
                    cells.push(GridCell {
                        row: r,
                        col: c,
                        row_span: 1,
                        col_span: 1,
                        range,
                    });
                }
            }
            let range = self.rows.first().map_or(0, |(r, ..)| r.start)
                ..self.rows.last().map_or(0, |(r, ..)| r.end);
            out.push(Grid {
                range,
                n_rows: self.rows.len(),
                n_cols,
                cells,
                explicit_spans: false,
            });
        }
        self.rows.clear();
        self.filled_rows = 0;
        self.n_cells = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T3: &str = "\
| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | | 申请人情况 | | | | | | |
|---|---|---|---|---|---|---|---|---|
| | | 自然人 | 法人或其他组织 | | | | | 总计 |
| | | | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | |
| 一、本年新收政府信息公开申请数量 |  | 10 | 2 | 0 | 0 | 1 | 0 | 13 |
| 三、本年度办理结果 | （一）予以公开 | 5 | 1 | 0 | 0 | 0 | 0 | 6 |
|  | （二）部分公开 | 1 |  | 0 | 0 | 0 | 0 | 1 |
";

    const COLUMN_NAMES: [&str; 7] = [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ];

    fn columns() -> Vec<ColumnKey> {
        COLUMN_NAMES.iter().map(|s| ColumnKey::of(s)).collect()
    }

    fn values(text: &str, layout: &Layout, r: usize) -> Vec<String> {
        match row_cells(layout, r, &columns()) {
            RowCells::Placed(p) => p
                .iter()
                .map(|c| {
                    c.map_or("∅".into(), |i| {
                        text[layout.grid.cells[i].range.clone()].to_string()
                    })
                })
                .collect(),
            _ => panic!("not placed"),
        }
    }

    #[test]
    fn markdown_grid_with_blank_span_cells() {
        let grids = text_grids(T3);
        assert_eq!(grids.len(), 1);
        let g = &grids[0];
        assert_eq!((g.n_rows, g.n_cols), (6, 9));
        let layout = Layout::new(T3, g);
        assert!(!layout.is_data_row(1));
        assert_eq!(
            values(T3, &layout, 3),
            ["10", "2", "0", "0", "1", "0", "13"]
        );
        assert_eq!(values(T3, &layout, 4), ["5", "1", "0", "0", "0", "0", "6"]);
        // A blank data cell stays a blank cell in its own column.
        assert_eq!(values(T3, &layout, 5), ["1", "", "0", "0", "0", "0", "1"]);
    }

    #[test]
    fn compact_rows_are_read_by_position() {
        let text = "| 自然人 | 法人或其他组织 | 总计 |\n| 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |\n| 一、本年新收政府信息公开申请数量 | 10 | 2 | 0 | 0 | 1 | 0 | 13 |\n| 三、本年度办理结果 | （一）予以公开 | 5 | 1 | 0 | 0 | 0 | 0 | 6 |\n";
        let grids = text_grids(text);
        let layout = Layout::new(text, &grids[0]);
        assert_eq!(
            values(text, &layout, 2),
            ["10", "2", "0", "0", "1", "0", "13"]
        );
        assert_eq!(
            values(text, &layout, 3),
            ["5", "1", "0", "0", "0", "0", "6"]
        );
    }

    #[test]
    fn merged_value_cell_in_table_two() {
        let text =
            "| 信息内容 | 本年处理决定数量 | | |\n| 行政许可 | 3 | | |\n| 行政处罚 | 4 | 4 | 4 |\n";
        let grids = text_grids(text);
        let layout = Layout::new(text, &grids[0]);
        for (r, want) in [(1, "3"), (2, "4")] {
            match row_cells(&layout, r, &[ColumnKey::of("本年处理决定数量")]) {
                RowCells::Placed(p) => {
                    assert_eq!(&text[layout.grid.cells[p[0].unwrap()].range.clone()], want);
                }
                _ => panic!("not placed"),
            }
        }
    }

    #[test]
    fn different_numbers_under_one_column_are_not_placed() {
        // Numbers are compared by their text: ` 4` and `4 ` are one value
        // repeated over a merged cell, `3` and `5` are two.
        let text =
            "| 信息内容 | 本年处理决定数量 | | |\n| 行政许可 | 3 | 5 | |\n| 行政处罚 | 4 |4 | |\n";
        let grids = text_grids(text);
        let layout = Layout::new(text, &grids[0]);
        let columns = [ColumnKey::of("本年处理决定数量")];
        assert!(matches!(
            row_cells(&layout, 1, &columns),
            RowCells::Misfit(_)
        ));
        assert!(matches!(
            row_cells(&layout, 2, &columns),
            RowCells::Placed(_)
        ));
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)] // lists of one span
    fn stray_numbers_are_found_between_spans() {
        // `place` looks for numbers in the gaps between the spans; the general
        // rule is any number in a column under no span.
        let text = "| 甲 | 1 | 乙 | 2 | 𠮷 | ３ |  |\n| 丙 | 4 | 5 |  | 6 | 丁 | 7 |\n";
        let grids = text_grids(text);
        let layout = Layout::new(text, &grids[0]);
        let n = layout.grid.n_cols;
        let span_lists: [&[Range<usize>]; 6] = [
            &[],
            &[1..2],
            &[1..2, 3..4],
            &[0..3, 5..7],
            &[1..2, 3..5, 6..7],
            &[0..7],
        ];
        for r in 0..layout.grid.n_rows {
            for spans in span_lists {
                let covered = |c: usize| spans.iter().any(|s| s.contains(&c));
                let stray =
                    (0..n).any(|c| !covered(c) && layout.content_at(r, c) == Content::Number);
                let labels = spans
                    .iter()
                    .flat_map(|s| s.clone())
                    .any(|c| layout.content_at(r, c) == Content::Label);
                let placed = place(&layout, r, spans).is_some();
                if !labels {
                    assert_eq!(placed, !stray, "row {r}, spans {spans:?}");
                }
            }
        }
    }

    #[test]
    fn one_cell_per_line_is_not_a_grid() {
        assert!(text_grids("行政复议 |\n行政诉讼 |\n|||\n0 |\n0 |\n").is_empty());
        assert!(text_grids("\t规章\n\t0\n\t0\n").is_empty());
    }
}

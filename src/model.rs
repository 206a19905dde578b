//! The report model: what the parser read, with the byte range of every piece.

use std::ops::Range;

use serde::Serialize;

/// Which national format a report (or a table) follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Format {
    /// 国办公开办函〔2019〕60号, for report years 2019 and 2020.
    #[serde(rename = "2019")]
    F2019,
    /// 国办公开办函〔2021〕30号, for report years 2021 and later.
    #[serde(rename = "2021")]
    F2021,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::F2019 => "2019",
            Format::F2021 => "2021",
        }
    }

    /// The format a report of `year` must use.
    pub fn for_year(year: i32) -> Format {
        if year >= 2021 {
            Format::F2021
        } else {
            Format::F2019
        }
    }
}

/// The whole report as read.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub title: Option<Title>,
    /// Recognised section headings, in document order.
    pub sections: Vec<Section>,
    /// Tables found (at most one per template table).
    pub tables: Vec<Table>,
    pub period: Option<Period>,
    /// 发布日期 / 公开日期 found in page furniture.
    pub published: Option<DateAt>,
    /// Citations of the format notices (〔2019〕60号 / 〔2021〕30号).
    pub citations: Vec<Citation>,
    /// Years the text states as the report's own outside the title (a preface,
    /// the opening of 总体情况).
    pub stated_years: Vec<YearClaim>,
    /// The document is mostly written in traditional characters.
    pub traditional: bool,
}

/// A year the report states as its own.
#[derive(Clone, Debug)]
pub struct YearClaim {
    pub year: i32,
    pub range: Range<usize>,
    pub source: YearSource,
}

/// Where a [`YearClaim`] comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YearSource {
    /// `全文包括2023年总体情况…` before section 一.
    Preface,
    /// The first sentence of 一、总体情况 (`2023年，我局…`).
    Overview,
}

#[derive(Clone, Debug)]
pub struct Title {
    pub range: Range<usize>,
    pub text: String,
    pub year: Option<i32>,
    /// Byte range of the year digits inside the title.
    pub year_range: Option<Range<usize>>,
}

/// How a heading's wording compares with the template.
#[derive(Clone, Debug, PartialEq)]
pub enum Wording {
    /// The canonical heading (after normalisation).
    Canonical,
    /// An accepted statute wording (spec §3.1).
    Acceptable,
    /// Recognised, but off-template.
    OffTemplate,
}

#[derive(Clone, Debug)]
pub struct Section {
    /// The template section (1..=6) this heading was recognised as.
    pub number: u8,
    /// The ordinal written in front of the heading (1..=6), if any.
    pub ordinal: Option<u8>,
    /// Byte range of the ordinal (`一、`) when present.
    pub ordinal_range: Option<Range<usize>>,
    /// Byte range of the whole heading (ordinal and title).
    pub range: Range<usize>,
    /// Byte range of the title text after the ordinal.
    pub title_range: Range<usize>,
    /// The heading's original text.
    pub text: String,
    pub wording: Wording,
    /// The title runs on into the text after it with nothing in between (a
    /// page flattened onto one line), and is not the template's title word
    /// for word: where it ends is a guess, so it is quoted as a beginning
    /// and never rewritten.
    pub run_on: bool,
    /// From the end of the heading to the next heading (or the end of the text).
    pub body: Range<usize>,
}

/// A cell's value as read.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A whole number (possibly negative).
    Int(i64),
    /// A decimal number, e.g. an amount in 万元.
    Decimal(f64),
    /// Blank, `/`, `—` and the like.
    Blank,
    /// Text that is not a number.
    Text(String),
}

impl Value {
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(n) => Some(*n),
            _ => None,
        }
    }
}

/// What a data cell may hold (from the template).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CellKind {
    /// A whole number ≥ 0.
    Count,
    /// A decimal ≥ 0 (e.g. 收费金额, 万元).
    Amount,
    /// A whole number that may be negative (2019's 本年增/减).
    Signed,
}

/// How a cell's value was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CellSource {
    /// A whole cell or a whole token of the text.
    Read,
    /// A piece of glued digits (`5000005`) whose split the table's identities forced.
    Forced,
}

/// One data cell, placed on the template.
#[derive(Clone, Debug)]
pub struct Cell {
    /// Template row key (e.g. `R3.3.1`).
    pub row: &'static str,
    pub row_label: &'static str,
    /// 0-based data column.
    pub col: usize,
    pub col_label: &'static str,
    pub kind: CellKind,
    /// The cell's text; `None` when the row has no cell in this column.
    pub range: Option<Range<usize>>,
    pub value: Value,
    pub source: CellSource,
}

impl Cell {
    /// The cell's column in the template's words: `“自然人”栏`, or
    /// `“行政复议”组“结果维持”栏` where the template groups columns.
    pub fn column(&self) -> String {
        match self.col_label.split_once('·') {
            Some((group, leaf)) => format!("“{group}”组“{leaf}”栏"),
            None => format!("“{}”栏", self.col_label),
        }
    }

    /// The cell's place in the template's words: `“二、上年结转…”行“自然人”栏`,
    /// or for a table without row labels `“行政复议”组“结果维持”栏`.
    pub fn place(&self) -> String {
        let col = self.column();
        if self.row_label.is_empty() {
            col
        } else {
            format!("“{}”行{col}", self.row_label)
        }
    }
}

/// A label of the table as read, matched to the template.
#[derive(Clone, Debug)]
pub struct LabelMatch {
    /// The template label it stands for.
    pub expected: &'static str,
    pub range: Range<usize>,
    /// The original text.
    pub found: String,
    /// `true` when the wording differs from the template (a near miss).
    pub near_miss: bool,
    /// The column group of a header that occurs once per group (表四's
    /// `结果维持` under 行政复议, 未经复议直接起诉 and 复议后起诉).
    pub group: Option<&'static str>,
    /// The part of a table of several parts the label belongs to (表二's blocks).
    pub part: Option<&'static str>,
}

/// A template label that was not found.
#[derive(Clone, Debug)]
pub struct MissingLabel {
    pub expected: &'static str,
    /// Where it should have been (a blank cell, or the table/block start).
    pub at: Range<usize>,
    /// What kind of label: `row`, `column` or `block`.
    pub kind: &'static str,
    /// The part of a table of several parts it belongs to (表二's blocks).
    pub part: Option<&'static str>,
}

impl LabelMatch {
    /// Where the label is, in words: `表四“行政复议”组的` or `表二的`.
    pub fn place(&self, table: &str) -> String {
        match (self.group, self.part) {
            (Some(g), _) => format!("{table}“{g}”组的"),
            (None, Some(p)) => format!("{table}“{p}”栏目的"),
            (None, None) => format!("{table}的"),
        }
    }
}

/// A row whose values could not be read safely (e.g. glued digits with several possible splits).
#[derive(Clone, Debug)]
pub struct UnreadRow {
    pub range: Range<usize>,
    pub row_label: &'static str,
    /// Why, in Chinese.
    pub reason: String,
}

/// A row that clearly has fewer values than the template has columns.
#[derive(Clone, Debug)]
pub struct ShortRow {
    /// The row's label (or its values, for a row without a label).
    pub range: Range<usize>,
    pub row: &'static str,
    pub row_label: &'static str,
    pub expected: usize,
    pub found: usize,
}

/// How well a part of a table was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Every row found was read; its numbers are checked.
    Read,
    /// Some rows could not be read; the others are checked.
    Partial,
    /// The part could not be followed; nothing in it is checked.
    Unreadable,
}

impl Verdict {
    /// In Chinese, for people.
    pub fn describe(self) -> &'static str {
        match self {
            Verdict::Read => "已读取",
            Verdict::Partial => "部分读取",
            Verdict::Unreadable => "无法读取",
        }
    }
}

/// A part of a table (a block of 表二, or the whole of 表三 or 表四) and how
/// well it was read.
#[derive(Clone, Debug)]
pub struct Part {
    /// `第二十条第（一）项`, or the table's name for a table of one part.
    pub name: &'static str,
    /// Template row keys of the part.
    pub rows: Vec<&'static str>,
    pub verdict: Verdict,
    /// Where the part stands in the text.
    pub range: Range<usize>,
    /// Why the part could not be followed (for `Unreadable` parts).
    pub reason: Option<String>,
    /// Rows found but not read (for `Partial` parts).
    pub unread: Vec<UnreadRow>,
    pub cells_read: usize,
    pub cells_expected: usize,
    /// Its labels were checked (near misses, absent rows), its numbers
    /// perhaps not: the structure was followed.
    pub labels_checked: bool,
}

/// One identity of the template, instantiated on this table.
#[derive(Clone, Debug)]
pub struct Identity {
    /// `total` or `balance`.
    pub kind: IdentityKind,
    /// Indices into `Table::cells` of the left-hand side (the total, or 第一项+第二项).
    pub left: Vec<usize>,
    /// Indices of the right-hand side (the parts, or 第三项+第四项).
    pub right: Vec<usize>,
    /// Human description, e.g. `自然人列` (the template's own text).
    pub scope: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdentityKind {
    Total,
    Balance,
}

/// A statistical table of the report.
#[derive(Clone, Debug)]
pub struct Table {
    /// Template table id: `t2`, `t3` or `t4`.
    pub id: &'static str,
    /// Chinese name, e.g. `表二（主动公开政府信息情况）`.
    pub name: &'static str,
    pub format: Format,
    pub range: Range<usize>,
    pub cells: Vec<Cell>,
    pub labels: Vec<LabelMatch>,
    pub missing: Vec<MissingLabel>,
    /// Rows with fewer values than columns.
    pub short_rows: Vec<ShortRow>,
    pub parts: Vec<Part>,
    pub identities: Vec<Identity>,
}

impl Table {
    /// The verdict of the whole table: read when every part was read,
    /// unreadable when no part was, partly read otherwise.
    pub fn verdict(&self) -> Verdict {
        let all = |v: Verdict| self.parts.iter().all(|p| p.verdict == v);
        if all(Verdict::Read) {
            Verdict::Read
        } else if all(Verdict::Unreadable) {
            Verdict::Unreadable
        } else {
            Verdict::Partial
        }
    }

    /// The index in `cells` of the cell whose text contains `offset`.
    pub fn cell_at(&self, offset: usize) -> Option<usize> {
        self.cells.iter().position(|c| {
            c.range
                .as_ref()
                .is_some_and(|r| r.start <= offset && offset < r.end.max(r.start + 1))
        })
    }
}

/// Reading table values for rules that compare them with something else
/// (the text, another year's report). Only cells that were actually read
/// count: a cell with no text, a blank, anything but a whole number, a cell
/// of a part that could not be followed or of a row left unread is `None`,
/// never 0.
impl Table {
    /// The value and byte range of the data cell at template row `row`
    /// (`R1`, `R3.3.1`, `R`) and 0-based data column `col`, when it was read.
    pub fn read(&self, row: &str, col: usize) -> Option<(i64, Range<usize>)> {
        let index = self
            .cells
            .iter()
            .position(|c| c.col == col && c.row == row)?;
        self.read_at(index)
    }

    /// The value and byte range of `cells[index]`, when it was read.
    pub fn read_at(&self, index: usize) -> Option<(i64, Range<usize>)> {
        let cell = self.cells.get(index)?;
        if !self.row_read(cell) {
            return None;
        }
        let range = cell.range.clone()?;
        Some((cell.value.as_i64()?, range))
    }

    /// Whether the cell's row was read: its part could be followed and the
    /// row was not left unread.
    fn row_read(&self, cell: &Cell) -> bool {
        self.parts
            .iter()
            .find(|p| p.rows.contains(&cell.row))
            .is_none_or(|p| {
                p.verdict != Verdict::Unreadable
                    && !p.unread.iter().any(|u| u.row_label == cell.row_label)
            })
    }

    /// The value of the cell at `row`, `col`, when it was read (see [`Table::read`]).
    pub fn value(&self, row: &str, col: usize) -> Option<i64> {
        self.read(row, col).map(|(v, _)| v)
    }

    /// Whether the table agrees with itself: every total and balance whose
    /// cells were all read holds. Rules that compare the table with
    /// something else use it only then: a misread cell (or a typo the table
    /// rules already report) would otherwise be blamed on the text or on
    /// another year's report.
    pub fn consistent(&self) -> bool {
        // Every cell's value once (identities share cells); a table read in
        // full needs no per-row check.
        let all_read = self
            .parts
            .iter()
            .all(|p| p.verdict == Verdict::Read && p.unread.is_empty());
        let values: Vec<Option<i64>> = self
            .cells
            .iter()
            .map(|cell| {
                cell.range.as_ref()?;
                if !all_read && !self.row_read(cell) {
                    return None;
                }
                cell.value.as_i64()
            })
            .collect();
        let side = |idx: &[usize]| -> Option<i64> {
            idx.iter().map(|&i| values.get(i).copied().flatten()).sum()
        };
        self.identities
            .iter()
            .all(|id| match (side(&id.left), side(&id.right)) {
                (Some(l), Some(r)) => l == r,
                _ => true,
            })
    }
}

impl Report {
    /// The table with template id `id` (`t2`, `t3`, `t4`), if it was found.
    pub fn table(&self, id: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.id == id)
    }
}

/// A date as written, with the byte range of each part.
#[derive(Clone, Debug)]
pub struct DateAt {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub range: Range<usize>,
    pub year_range: Range<usize>,
}

/// The statistical-period sentence (统计期限).
#[derive(Clone, Debug)]
pub struct Period {
    pub range: Range<usize>,
    pub start: PeriodDate,
    /// `None` for an open end (至今, 截至目前).
    pub end: Option<PeriodDate>,
    /// Byte range of the end part (or of 至今).
    pub end_range: Range<usize>,
}

#[derive(Clone, Debug)]
pub struct PeriodDate {
    /// `None` when the year is omitted (…至12月31日).
    pub year: Option<i32>,
    pub year_range: Option<Range<usize>>,
    pub month: u32,
    pub day: u32,
    /// Byte range of the month and day (`1月1日`).
    pub md_range: Range<usize>,
}

#[derive(Clone, Debug)]
pub struct Citation {
    pub format: Format,
    pub range: Range<usize>,
}

//! Numbers: place the values of every row on its columns, splitting glued
//! digit runs only where the template's identities force one reading.
//!
//! Each row offers candidate readings: one when its cells are delimited,
//! every well-formed split when digits ran together (`5000005`). The rows
//! are then read together: a reading is accepted only when it is forced,
//! either because exactly one combination of candidates satisfies every
//! identity of the table (row totals, column totals, 表三's balance), or
//! because none does and exactly one combination violates the fewest, while
//! the identities it keeps still leave no other reading (so a real wrong
//! total in a glued table is reported, with the cells it summed). Anything
//! else is unreadable. The search has a budget, so no input makes it slow.

use std::ops::Range;

use crate::model::{CellKind, CellSource, IdentityKind, Value};
use crate::template::{Check, TableTpl};

use super::tokens::ascii_number;

/// Candidates per row beyond which a row is unreadable.
const MAX_SPLITS: usize = 4000;
/// Candidate readings tried per table beyond which the glued rows are unreadable.
const BUDGET: usize = 60_000;
/// Splits beyond which a row that no split fits cannot be a wrong total.
const MAX_WRONG_ROW_SPLITS: usize = 64;
/// Joint readings enumerated to tell which rows every reading agrees on.
const MAX_SOLUTIONS: usize = 24;

/// A cell's text and value.
pub type Piece = (Range<usize>, Value);

/// A value token of a row read from text.
#[derive(Clone, Debug)]
pub struct Tok {
    pub range: Range<usize>,
    /// The number's text (without a unit).
    pub num: Range<usize>,
    /// A whole cell: never split.
    pub delimited: bool,
    pub blank: bool,
}

impl Tok {
    /// At most how many cells the token can give: one if it is a whole cell,
    /// else one per digit (its length in bytes bounds that).
    fn most_cells(&self) -> usize {
        if self.delimited || self.blank {
            1
        } else {
            self.num.len()
        }
    }
}

/// What the reader found for one template row.
#[derive(Clone, Debug)]
pub enum RowInput {
    /// The row's label was not found.
    Absent,
    /// Cells placed by a grid, one per column (`None`: no cell there).
    Placed(Vec<Option<Piece>>),
    /// Value tokens in reading order. `drop_item` offers a second reading
    /// without the last digit, which may be the next row's item number.
    Tokens { toks: Vec<Tok>, drop_item: bool },
    /// The row does not fit the template; the reason, in Chinese, and the row's text.
    Misfit(String, Range<usize>),
    /// Fewer values than columns, each a whole cell.
    Short { found: usize, at: Range<usize> },
}

/// What the row was read as.
#[derive(Clone, Debug)]
pub enum RowOutcome {
    Absent,
    Cells(Vec<Option<Piece>>, CellSource),
    /// Fewer values than columns, each a whole cell: `found` values.
    Short {
        found: usize,
        at: Range<usize>,
    },
    /// `structural`: the row's place in the table is in doubt (no numbers
    /// found, stray numbers, a label out of place), not just its digits.
    Unreadable {
        reason: String,
        at: Range<usize>,
        structural: bool,
    },
}

/// The candidate readings of a row.
#[derive(Clone, Debug, Default)]
enum Readings {
    /// No reading (the row's outcome is known otherwise).
    #[default]
    None,
    /// One reading, as read: the cells of a grid or of whole tokens.
    Read(Vec<Option<Piece>>),
    /// Readings splitting glued digits, stored flat: reading `k` is
    /// `parts[k * width..(k + 1) * width]`. A glued row may have thousands;
    /// one buffer of plain values spares an allocation, a clone and a drop
    /// per reading.
    Split {
        parts: Vec<Part>,
        width: usize,
        count: usize,
    },
}

/// A cell of a split reading.
#[derive(Clone, Copy, Debug)]
struct Part {
    start: usize,
    end: usize,
    value: Num,
}

/// A cell's value, as the identities see it.
#[derive(Clone, Copy, Debug)]
enum Num {
    Int(i64),
    Blank,
    /// Not a whole number: the value of the text from the cell's start to
    /// here (read again only for the reading kept).
    Other(usize),
}

impl Part {
    fn int(&self) -> Option<i64> {
        match self.value {
            Num::Int(n) => Some(n),
            _ => None,
        }
    }

    fn piece(&self, text: &str) -> Piece {
        let value = match self.value {
            Num::Int(n) => Value::Int(n),
            Num::Blank => Value::Blank,
            Num::Other(end) => value_of(&text[self.start..end]),
        };
        (self.start..self.end, value)
    }
}

/// One reading of a row.
#[derive(Clone, Copy)]
enum Reading<'a> {
    Read(&'a [Option<Piece>]),
    Split(&'a [Part]),
}

impl Reading<'_> {
    /// As [`Readings::int`].
    fn int(self, c: usize) -> Option<Option<i64>> {
        match self {
            Reading::Read(cells) => Some(cells.get(c)?.as_ref().and_then(|(_, v)| v.as_i64())),
            Reading::Split(parts) => Some(parts.get(c)?.int()),
        }
    }
}

impl Readings {
    fn len(&self) -> usize {
        match self {
            Readings::None => 0,
            Readings::Read(_) => 1,
            Readings::Split { count, .. } => *count,
        }
    }

    /// Whether the readings split glued digits.
    fn split(&self) -> bool {
        matches!(self, Readings::Split { .. })
    }

    /// The number in column `c` of reading `k`: `None` when the reading has
    /// no such column, `Some(None)` when the cell is not a whole number.
    fn int(&self, k: usize, c: usize) -> Option<Option<i64>> {
        self.reading(k).int(c)
    }

    /// Reading `k`.
    fn reading(&self, k: usize) -> Reading<'_> {
        match self {
            Readings::None => Reading::Read(&[]),
            Readings::Read(cells) => Reading::Read(cells),
            Readings::Split { parts, width, .. } => {
                Reading::Split(&parts[k * width..(k + 1) * width])
            }
        }
    }

    /// Keep reading `k` only.
    fn keep(&mut self, k: usize) {
        if let Readings::Split {
            parts,
            width,
            count,
        } = self
        {
            parts.copy_within(k * *width..(k + 1) * *width, 0);
            parts.truncate(*width);
            *count = 1;
        }
    }

    /// From the start of the first cell of any reading to the end of the last.
    fn span(&self) -> Range<usize> {
        let cover = |a: Option<Range<usize>>, r: Range<usize>| {
            Some(a.map_or(r.clone(), |a| a.start.min(r.start)..a.end.max(r.end)))
        };
        match self {
            Readings::None => None,
            Readings::Read(cells) => cells
                .iter()
                .flatten()
                .map(|p| p.0.clone())
                .fold(None, cover),
            Readings::Split { parts, .. } => parts.iter().map(|p| p.start..p.end).fold(None, cover),
        }
        .unwrap_or(0..0)
    }

    /// The cells of the first reading.
    fn into_first(self, text: &str) -> Vec<Option<Piece>> {
        match self {
            Readings::None => Vec::new(),
            Readings::Read(cells) => cells,
            Readings::Split { parts, width, .. } => {
                parts[..width].iter().map(|p| Some(p.piece(text))).collect()
            }
        }
    }
}

/// Read every row of a table.
pub fn solve(text: &str, tpl: &TableTpl, inputs: Vec<RowInput>) -> Vec<RowOutcome> {
    let rows: Vec<_> = tpl.rows().collect();
    let mut out: Vec<Option<RowOutcome>> = vec![None; inputs.len()];
    let mut cands: Vec<Readings> = vec![Readings::default(); inputs.len()];
    let mut kinds: Vec<CellKind> = Vec::new();
    let mut bufs = SplitBufs::default();
    for (i, input) in inputs.into_iter().enumerate() {
        match input {
            RowInput::Absent => out[i] = Some(RowOutcome::Absent),
            RowInput::Misfit(reason, at) => {
                out[i] = Some(RowOutcome::Unreadable {
                    reason,
                    at,
                    structural: true,
                })
            }
            RowInput::Short { found, at } => out[i] = Some(RowOutcome::Short { found, at }),
            RowInput::Placed(cells) => cands[i] = Readings::Read(cells),
            RowInput::Tokens { toks, drop_item } => {
                kinds.clear();
                kinds.extend((0..tpl.columns_of(rows[i]).len()).map(|c| tpl.kind_of(rows[i], c)));
                match row_candidates(text, &toks, &kinds, drop_item, &mut bufs) {
                    Ok(c) => cands[i] = c,
                    Err(o) => out[i] = Some(o),
                }
            }
        }
    }
    let checks: Vec<&Check> = tpl
        .checks
        .iter()
        .filter(|c| {
            c.left
                .iter()
                .chain(&c.right)
                .all(|&(r, _)| out[r].is_none())
        })
        .collect();
    // Rows the reading depends on: those with a choice to make.
    let open: Vec<usize> = (0..cands.len())
        .filter(|&i| out[i].is_none() && cands[i].len() > 1)
        .collect();
    // A reading that breaks identities is only believed where the table was
    // otherwise followed: where rows were lost, digits may belong elsewhere.
    let followed = !out.iter().any(|o| {
        matches!(
            o,
            Some(RowOutcome::Unreadable {
                structural: true,
                ..
            })
        )
    });
    if !open.is_empty() {
        let chosen = joint(&cands, &checks, followed);
        for i in open {
            match chosen[i] {
                Some(k) => cands[i].keep(k),
                None => {
                    let at = cands[i].span();
                    out[i] = Some(RowOutcome::Unreadable {
                        reason: format!(
                            "数字粘连在一起，有 {} 种拆分方式，合计关系不能确定是哪一种",
                            cands[i].len()
                        ),
                        at,
                        structural: false,
                    });
                }
            }
        }
    }
    distrust_split_rows(&mut out, &cands, &checks, followed);
    out.into_iter()
        .zip(cands)
        .map(|(o, c)| {
            o.unwrap_or_else(|| {
                let source = if c.split() {
                    CellSource::Forced
                } else {
                    CellSource::Read
                };
                RowOutcome::Cells(c.into_first(text), source)
            })
        })
        .collect()
}

/// A split of glued digits that breaks an identity is only believed where
/// the table was otherwise followed and one wrong number explains every
/// identity broken; else (the digits may belong to a row that was lost, or a
/// stray number ran in) the rows split that way become unreadable.
fn distrust_split_rows(
    out: &mut [Option<RowOutcome>],
    cands: &[Readings],
    checks: &[&Check],
    followed: bool,
) {
    // Only rows read by one split are ever made unreadable here.
    let is_split = |r: &Readings| r.len() == 1 && r.split();
    if !cands.iter().any(is_split) {
        return;
    }
    let value = |(r, c): (usize, usize)| -> Option<i64> {
        if out[r].is_some() {
            return None;
        }
        cands[r].int(0, c)?
    };
    let broken: Vec<&Check> = checks
        .iter()
        .copied()
        .filter(|check| {
            let side =
                |cells: &[(usize, usize)]| cells.iter().map(|&c| value(c)).sum::<Option<i64>>();
            matches!((side(&check.left), side(&check.right)), (Some(l), Some(r)) if l != r)
        })
        .collect();
    if broken.is_empty() || (followed && common_cell(&broken).is_some()) {
        return;
    }
    let split_rows: Vec<usize> = broken
        .iter()
        .flat_map(|c| c.left.iter().chain(&c.right).map(|&(row, _)| row))
        .filter(|&row| is_split(&cands[row]))
        .collect();
    // A row's one split that its own total confirms (`3000003`: 3 = 3+0+…+0)
    // is its numbers, not a guess: in a table otherwise followed, what it
    // breaks between rows is broken in the report.
    let confirmed = |row: usize| {
        let own: Vec<&&Check> = checks
            .iter()
            .filter(|c| c.left.iter().chain(&c.right).all(|&(r, _)| r == row))
            .collect();
        !own.is_empty()
            && own
                .iter()
                .all(|c| !broken.iter().any(|b| std::ptr::eq(*b, **c)))
    };
    if followed && split_rows.iter().all(|&r| confirmed(r)) {
        return;
    }
    for row in split_rows {
        if out[row].is_none() {
            out[row] = Some(RowOutcome::Unreadable {
                reason: "数字粘连在一起，按唯一的拆分方式读出的数字不符合合计关系，无法判断是哪个数字有误".into(),
                at: cands[row].span(),
                structural: false,
            });
        }
    }
}

/// The candidate readings of a row's tokens.
fn row_candidates(
    text: &str,
    toks: &[Tok],
    kinds: &[CellKind],
    drop_item: bool,
    bufs: &mut SplitBufs,
) -> Result<Readings, RowOutcome> {
    let n = kinds.len();
    let at = toks.first().map_or(0..0, |f| {
        f.range.start..toks.last().map_or(f.range.end, |l| l.range.end)
    });
    if toks.is_empty() {
        // Text without cell boundaries: whether the row is empty or its numbers
        // were read elsewhere cannot be told.
        return Err(RowOutcome::Unreadable {
            reason: "这一行后面没有找到数字".into(),
            at,
            structural: true,
        });
    }
    if toks.len() == n {
        let cells = toks
            .iter()
            .map(|t| Some(piece(text, t, t.num.clone())))
            .collect();
        return Ok(Readings::Read(cells));
    }
    if toks.len() > n {
        return Err(RowOutcome::Unreadable {
            reason: format!("这一行有 {} 个数字，模板为 {n} 个", toks.len()),
            at,
            structural: true,
        });
    }
    let mut split = Splitter {
        text,
        kinds,
        info: std::mem::take(&mut bufs.info),
        acc: std::mem::take(&mut bufs.acc),
        // Room for one reading: most glued rows have one.
        parts: Vec::with_capacity(n),
        count: 0,
        budget: MAX_SPLITS * 20,
    };
    split.run(toks);
    if drop_item {
        if let Some(last) = toks.last().filter(|t| !t.delimited && t.num.len() > 1) {
            let mut shorter = toks.to_vec();
            let cut = text[last.num.clone()]
                .char_indices()
                .next_back()
                .map_or(0, |(j, _)| j);
            let end = last.num.start + cut;
            if let Some(l) = shorter.last_mut() {
                l.num.end = end;
                l.range.end = end;
            }
            split.run(&shorter);
        }
    }
    let Splitter {
        parts,
        count,
        budget,
        info,
        acc,
        ..
    } = split;
    *bufs = SplitBufs { info, acc };
    if count >= MAX_SPLITS || budget == 0 {
        return Err(RowOutcome::Unreadable {
            reason: "数字粘连在一起，可能的拆分方式太多".into(),
            at,
            structural: false,
        });
    }
    if count == 0 {
        let glued = toks.iter().any(|t| !t.delimited && t.num.len() > 1);
        if !glued {
            return Err(RowOutcome::Short {
                found: toks.len(),
                at,
            });
        }
        // Too few digits for the columns even one digit a cell: blank cells
        // lost in copying, most likely; how many numbers there are is not
        // known (`26 26` is two, or four), so the row is not counted short.
        let most: usize = toks.iter().map(Tok::most_cells).sum();
        let reason = if most < n {
            format!("这一行的数字即使逐位拆开也不够 {n} 栏（可能是空白单元格在复制时消失了）")
        } else {
            "数字粘连在一起，无法拆分成模板的栏数".into()
        };
        return Err(RowOutcome::Unreadable {
            reason,
            at,
            structural: false,
        });
    }
    Ok(Readings::Split {
        parts,
        width: n,
        count,
    })
}

fn piece(text: &str, t: &Tok, num: Range<usize>) -> Piece {
    let value = if t.blank {
        Value::Blank
    } else {
        value_of(&text[num.clone()])
    };
    let range = if num.end == t.num.end {
        num.start..t.range.end
    } else {
        num
    };
    (range, value)
}

/// As [`piece`], as a cell of a split reading.
fn part(text: &str, t: &Tok, num: Range<usize>) -> Part {
    let value = if t.blank {
        Num::Blank
    } else {
        match value_of(&text[num.clone()]) {
            Value::Int(n) => Num::Int(n),
            _ => Num::Other(num.end),
        }
    };
    let end = if num.end == t.num.end {
        t.range.end
    } else {
        num.end
    };
    Part {
        start: num.start,
        end,
        value,
    }
}

/// The value of a number's text.
pub fn value_of(s: &str) -> Value {
    // The common case (every piece of a glued run): plain ASCII digits that
    // fit an i64, read without folding or a general parse.
    if !s.is_empty() && s.len() <= 18 {
        if let Some(n) = s.bytes().try_fold(0_i64, |n, b| {
            b.is_ascii_digit().then(|| n * 10 + i64::from(b - b'0'))
        }) {
            return Value::Int(n);
        }
    }
    let t = ascii_number(s);
    if let Ok(n) = t.parse::<i64>() {
        return Value::Int(n);
    }
    if t.contains('.') && !t.starts_with('.') && !t.ends_with('.') {
        if let Ok(x) = t.parse::<f64>() {
            return Value::Decimal(x);
        }
    }
    Value::Text(s.to_string())
}

/// What the split search keeps of a token.
struct TokInfo {
    /// At most how many cells the tokens after it can give.
    later: usize,
    /// Its number is plain ASCII digits (the common case, read byte by byte).
    plain: bool,
    /// Its cell, when it is a whole cell (delimited or blank).
    whole: Option<Part>,
}

/// The buffers of the split search, kept from row to row.
#[derive(Default)]
struct SplitBufs {
    info: Vec<TokInfo>,
    acc: Vec<Part>,
}

/// The search for every way to read a row's tokens as the cells of `kinds`.
/// The values of the pieces are made as the pieces are taken, so the
/// readings sharing a piece share its parse.
struct Splitter<'a> {
    text: &'a str,
    kinds: &'a [CellKind],
    info: Vec<TokInfo>,
    /// The cells of the reading so far.
    acc: Vec<Part>,
    /// The complete readings, `kinds.len()` cells each.
    parts: Vec<Part>,
    count: usize,
    /// Steps the search may still take.
    budget: usize,
}

impl Splitter<'_> {
    /// Add every reading of `toks`.
    fn run(&mut self, toks: &[Tok]) {
        self.info.clear();
        let mut later = 0;
        for t in toks.iter().rev() {
            self.info.push(TokInfo {
                later,
                plain: !t.delimited
                    && !t.blank
                    && self.text[t.num.clone()].bytes().all(|b| b.is_ascii_digit()),
                whole: (t.delimited || t.blank).then(|| part(self.text, t, t.num.clone())),
            });
            later += t.most_cells();
        }
        self.info.reverse();
        self.rec(toks, 0, None);
    }

    /// The search stops once it has run out of steps or found too many readings.
    fn exhausted(&self) -> bool {
        self.budget == 0 || self.count >= MAX_SPLITS
    }

    /// Every way to read `toks[ti..]` (the current token starting at `from`)
    /// as the remaining cells. Each call is one step of the budget.
    fn rec(&mut self, toks: &[Tok], ti: usize, from: Option<usize>) {
        if self.exhausted() {
            return;
        }
        self.budget -= 1;
        if ti == toks.len() {
            if self.acc.len() == self.kinds.len() {
                self.parts.extend_from_slice(&self.acc);
                self.count += 1;
            }
            return;
        }
        let col = self.acc.len();
        if col >= self.kinds.len() {
            return;
        }
        let t = &toks[ti];
        if let Some(whole) = self.info[ti].whole {
            if t.blank || valid_part(&self.text[t.num.clone()], self.kinds[col]) {
                self.acc.push(whole);
                self.rec(toks, ti + 1, None);
                self.acc.pop();
            }
            return;
        }
        let start = from.unwrap_or(t.num.start);
        let len = t.num.end - start;
        // The remaining tokens each need at least one cell.
        let remaining = toks.len() - ti - 1;
        let need = self.kinds.len() - col;
        if need <= remaining {
            return;
        }
        // At most as many cells as characters are left (every piece has one):
        // a reading that took too many digits early cannot be completed.
        let later = self.info[ti].later;
        if need > len + later {
            return;
        }
        if self.info[ti].plain {
            self.digits(toks, ti, start, need, later);
        } else {
            self.chars(toks, ti, start, need, later);
        }
    }

    /// The pieces of a run of plain digits from `start`, the first of the
    /// `need` cells left: every prefix is a well-formed number unless the run
    /// starts with 0, when only `0` is. The steps [`Self::rec`] would take
    /// on this run are taken here, each counted as a call of it.
    fn digits(&mut self, toks: &[Tok], ti: usize, start: usize, need: usize, later: usize) {
        let text = self.text;
        let t = &toks[ti];
        let run = &text.as_bytes()[start..t.num.end];
        let len = run.len();
        if ti + 1 == toks.len() && need == len {
            self.one_digit_each(run, start, t.range.end);
            return;
        }
        // Take the whole rest as the last piece of this token.
        if len == 1 || (len > 1 && run[0] != b'0') {
            let whole = || Part {
                start,
                end: t.range.end,
                value: if len <= 18 {
                    Num::Int(run.iter().fold(0, |n, &b| n * 10 + i64::from(b - b'0')))
                } else {
                    part(text, t, start..t.num.end).value
                },
            };
            if ti + 1 < toks.len() {
                self.acc.push(whole());
                self.rec(toks, ti + 1, None);
                self.acc.pop();
            } else if !self.exhausted() {
                // The step past the last token: a reading if this was its last cell.
                self.budget -= 1;
                if need == 1 {
                    self.parts.extend_from_slice(&self.acc);
                    self.parts.push(whole());
                    self.count += 1;
                }
            }
        }
        // More pieces of this token: only when the other tokens cannot take
        // all the other cells.
        if need <= toks.len() - ti || len < 2 {
            return;
        }
        // A first piece of `i` digits leaves `len - i` digits and `later`
        // cells for the other `need - 1` cells (`need <= len + later` holds);
        // a proper prefix only.
        let mut last = (len + later + 1 - need).min(len - 1);
        if run[0] == b'0' {
            last = last.min(1);
        }
        let mut n: i64 = 0;
        for i in 1..=last {
            if self.exhausted() {
                break;
            }
            let value = if i <= 18 {
                n = n * 10 + i64::from(run[i - 1] - b'0');
                Num::Int(n)
            } else {
                part(text, t, start..start + i).value
            };
            self.acc.push(Part {
                start,
                end: start + i,
                value,
            });
            // The step for the rest of the run: what `rec` checks there (its
            // column is not the last one, as `need >= 2`).
            self.budget -= 1;
            let rest_need = need - 1;
            if rest_need > toks.len() - ti - 1 && rest_need <= len - i + later {
                self.digits(toks, ti, start + i, rest_need, later);
            }
            self.acc.pop();
        }
    }

    /// The last run of digits, from `start`, when as many cells are left as
    /// it has digits: one digit a cell is its only reading. The steps
    /// [`Self::digits`] would take to find it, one level a digit, are
    /// counted at once: at each level the whole rest, when it does not start
    /// with 0 (at the last digit, the reading), and the first digit.
    fn one_digit_each(&mut self, run: &[u8], start: usize, end: usize) {
        if self.exhausted() {
            return;
        }
        let len = run.len();
        let steps = 2 * len - 1 - run[..len - 1].iter().filter(|&&b| b == b'0').count();
        if self.budget < steps {
            // Out of steps before the reading.
            self.budget = 0;
            return;
        }
        self.budget -= steps;
        self.parts.extend_from_slice(&self.acc);
        self.parts
            .extend(run.iter().enumerate().map(|(j, &b)| Part {
                start: start + j,
                end: if j + 1 == len { end } else { start + j + 1 },
                value: Num::Int(i64::from(b - b'0')),
            }));
        self.count += 1;
    }

    /// As [`Self::digits`], for a number with other characters (full-width
    /// digits, a sign, a decimal point), checked piece by piece.
    fn chars(&mut self, toks: &[Tok], ti: usize, start: usize, need: usize, later: usize) {
        let text = self.text;
        let t = &toks[ti];
        let kind = self.kinds[self.acc.len()];
        let rest = &text[start..t.num.end];
        if valid_part(rest, kind) {
            self.acc.push(part(text, t, start..t.num.end));
            self.rec(toks, ti + 1, None);
            self.acc.pop();
        }
        if need <= toks.len() - ti {
            return;
        }
        let digits = rest.bytes().all(|b| b.is_ascii_digit());
        for (i, _) in rest.char_indices().skip(1) {
            if need - 1 > rest.len() - i + later {
                break;
            }
            let valid = if digits {
                i == 1 || !rest.starts_with('0')
            } else {
                valid_part(&rest[..i], kind)
            };
            if !valid {
                continue;
            }
            self.acc.push(part(text, t, start..start + i));
            self.rec(toks, ti, Some(start + i));
            self.acc.pop();
        }
    }
}

/// A well-formed number for a cell of `kind`: no leading zeros, a sign only
/// where allowed, a decimal point only in amounts.
fn valid_part(s: &str, kind: CellKind) -> bool {
    // The common case: plain ASCII digits.
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return !s.is_empty() && (s == "0" || !s.starts_with('0'));
    }
    let s = ascii_number(s);
    let unsigned = match kind {
        CellKind::Signed => s.strip_prefix('-').unwrap_or(&s),
        _ => &s,
    };
    if kind == CellKind::Signed && s.starts_with('-') && unsigned == "0" {
        return false;
    }
    let (int, frac) = match (kind, unsigned.split_once('.')) {
        (CellKind::Amount, Some((i, f))) => (i, Some(f)),
        (_, Some(_)) => return false,
        (_, None) => (unsigned, None),
    };
    let int_ok = !int.is_empty()
        && int.chars().all(|c| c.is_ascii_digit())
        && (int == "0" || !int.starts_with('0'));
    let frac_ok = frac.is_none_or(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()));
    int_ok && frac_ok
}

/// The rows of the cells of an identity, with repeats.
fn rows_of(check: &Check) -> impl Iterator<Item = usize> + '_ {
    check.left.iter().chain(&check.right).map(|&(r, _)| r)
}

/// The row all the cells of an identity are in, if they are in one.
fn own_row(check: &Check) -> Option<usize> {
    let mut rows = rows_of(check);
    let first = rows.next()?;
    rows.all(|r| r == first).then_some(first)
}

/// The joint reading: for every row with several candidates, the index of
/// the forced one, or `None` when the identities do not force one.
fn joint(cands: &[Readings], checks: &[&Check], followed: bool) -> Vec<Option<usize>> {
    let n = cands.len();
    let mut idents: Vec<&Check> = checks
        .iter()
        .copied()
        .filter(|c| rows_of(c).all(|r| cands[r].len() > 0))
        .collect();
    let mut s = Search::new(cands, &idents);
    // Each row's readings that keep the row's own identities (its total).
    let viable: Vec<Vec<usize>> = (0..n).map(|r| s.viable(r)).collect();
    // A row no reading of which keeps its own total, split many ways, cannot
    // be the one wrong number of a forced reading: it is left unread.
    let hopeless: Vec<usize> = (0..n)
        .filter(|&r| cands[r].len() > MAX_WRONG_ROW_SPLITS && viable[r].is_empty())
        .collect();
    if !hopeless.is_empty() {
        idents.retain(|c| !rows_of(c).any(|r| hopeless.contains(&r)));
        s = Search::new(cands, &idents);
    }
    let rows: Vec<usize> = (0..n)
        .filter(|&r| cands[r].len() > 0 && !hopeless.contains(&r))
        .collect();
    // The rows that are totals of others.
    let mut is_total = vec![false; n];
    for c in &idents {
        if c.kind == IdentityKind::Total && own_row(c).is_none() && rows_of(c).next().is_some() {
            for &(r, _) in &c.left {
                is_total[r] = true;
            }
        }
    }
    let order = |choices: &[Vec<usize>]| -> Vec<usize> {
        // Fixed rows first, then the rows that are totals of others, then the
        // rest (the row itself ends the key: no two keys are equal).
        let mut order = rows.clone();
        order.sort_unstable_by_key(|&r| (choices[r].len() > 1, !is_total[r], choices[r].len(), r));
        order
    };
    s.choices = viable;
    // 1. Every identity holds: only readings that keep their row's own identities.
    if rows.iter().all(|&r| !s.choices[r].is_empty()) {
        s.order = order(&s.choices);
        let mut sols: Vec<Vec<Option<usize>>> = Vec::new();
        s.satisfy(0, None, &mut sols);
        if s.budget == 0 {
            return vec![None; n];
        }
        if !sols.is_empty() {
            return agree(n, &sols, sols.len() < MAX_SOLUTIONS);
        }
    }
    if !followed {
        return vec![None; n];
    }
    // 2. None holds: the unique reading violating the fewest identities, where
    // one wrong number explains every identity it breaks (so a real wrong total
    // in a glued table is reported, with the cells it summed), and which the
    // identities it keeps still force.
    for (choices, readings) in s.choices.iter_mut().zip(cands) {
        if choices.is_empty() {
            *choices = (0..readings.len()).collect();
        }
    }
    s.order = order(&s.choices);
    let mut best: (usize, Vec<Vec<Option<usize>>>) = (usize::MAX, Vec::new());
    s.minimise(0, 0, &mut best);
    if s.budget == 0 || best.1.len() != 1 {
        return vec![None; n];
    }
    let reading = best.1.remove(0);
    let broken: Vec<&Check> = idents
        .iter()
        .copied()
        .filter(|c| s.holds(c, &reading) == Some(false))
        .collect();
    if common_cell(&broken).is_none() {
        return vec![None; n];
    }
    let kept: Vec<usize> = (0..idents.len())
        .filter(|&i| s.holds(idents[i], &reading) != Some(false))
        .collect();
    let mut sols = Vec::new();
    // (The searches above leave every row unassigned.)
    s.choices = (0..n).map(|r| (0..cands[r].len()).collect()).collect();
    s.satisfy(0, Some(&kept), &mut sols);
    if s.budget == 0 || sols.len() != 1 {
        return vec![None; n];
    }
    reading
}

/// Whether `check` holds: `Some(true)` / `Some(false)` once decidable,
/// `None` before (or when a cell is not a whole number, which no identity
/// can judge). `value` gives a cell's number: `None` while it is not known,
/// `Some(None)` when it is not a whole number.
fn judge(check: &Check, value: impl Fn((usize, usize)) -> Option<Option<i64>>) -> Option<bool> {
    // The sum of the known cells of a side and whether all are known; `None`
    // when a cell is not a whole number.
    let side = |cells: &[(usize, usize)]| -> Option<(i64, bool)> {
        let mut sum = 0;
        let mut complete = true;
        for &cell in cells {
            match value(cell) {
                None => complete = false,
                Some(None) => return None,
                Some(Some(v)) => sum += v,
            }
        }
        Some((sum, complete))
    };
    let (l, lc) = side(&check.left)?;
    let (r, rc) = side(&check.right)?;
    if lc && rc {
        return Some(l == r);
    }
    // Parts are counts (≥ 0): known parts already above a known total fail early.
    if check.kind == IdentityKind::Total && lc && r > l {
        return Some(false);
    }
    None
}

/// A cell that every one of `checks` involves: the one wrong number that
/// would explain them all.
fn common_cell(checks: &[&Check]) -> Option<(usize, usize)> {
    let first = checks.first()?;
    first.left.iter().chain(&first.right).copied().find(|cell| {
        checks
            .iter()
            .all(|c| c.left.iter().chain(&c.right).any(|x| x == cell))
    })
}

/// Per row, the candidate every solution agrees on (when the enumeration was complete).
fn agree(n: usize, sols: &[Vec<Option<usize>>], complete: bool) -> Vec<Option<usize>> {
    (0..n)
        .map(|r| {
            let first = sols[0][r]?;
            (complete && sols.iter().all(|s| s[r] == Some(first))).then_some(first)
        })
        .collect()
}

/// A list per row, stored flat: row `r`'s items are `items[at[r]..at[r + 1]]`.
struct PerRow<T> {
    at: Vec<usize>,
    items: Vec<T>,
}

impl<T: Copy + Default> PerRow<T> {
    /// Room for the lists of `counts.len() - 1` rows, `counts[r]` items in
    /// row `r` (the last count is 0); [`PerRow::put`] the items then.
    fn with_counts(mut at: Vec<usize>) -> Self {
        // Each row's end: rows fill from their end.
        let mut end = 0;
        for a in &mut at {
            end += *a;
            *a = end;
        }
        PerRow {
            at,
            items: vec![T::default(); end],
        }
    }

    /// Add an item to row `r` (each row's items come out in reverse).
    fn put(&mut self, r: usize, item: T) {
        self.at[r] -= 1;
        self.items[self.at[r]] = item;
    }

    fn of(&self, r: usize) -> &[T] {
        &self.items[self.at[r]..self.at[r + 1]]
    }
}

struct Search<'a> {
    cands: &'a [Readings],
    idents: &'a [&'a Check],
    /// Per row, the identities that involve it.
    touching: PerRow<usize>,
    /// Per row, its cells in the identities: (identity, side, column), one
    /// entry per occurrence.
    cells: PerRow<(usize, usize, usize)>,
    /// Per identity, its sides under the current assignment.
    tally: Vec<Tally>,
    /// Per row, the candidates the search may choose.
    choices: Vec<Vec<usize>>,
    order: Vec<usize>,
    /// The current assignment: change it with [`Search::set`] only, which
    /// keeps `tally` up to date.
    assign: Vec<Option<usize>>,
    /// Candidate readings the search may still try.
    budget: usize,
}

/// The sides of an identity under an assignment, kept up to date as rows
/// are assigned, so a check costs no more than the cells of the row just
/// assigned.
#[derive(Clone)]
struct Tally {
    /// Per side (left, right), the sum of the known cells (wrapping, as an
    /// unchecked `+` in a release build: sums are compared, never shown).
    sum: [i64; 2],
    /// Per side, the cells not known yet.
    unknown: [usize; 2],
    /// Known cells that are not whole numbers.
    bad: usize,
}

impl<'a> Search<'a> {
    fn new(cands: &'a [Readings], idents: &'a [&'a Check]) -> Self {
        let n = cands.len();
        // How many cells each row has in the identities, and in how many
        // identities it is: `seen[r]` is the last identity counted in row `r`.
        let mut seen = vec![usize::MAX; n];
        let mut cells_in = vec![0; n + 1];
        let mut touching_in = vec![0; n + 1];
        for (i, check) in idents.iter().enumerate() {
            for r in rows_of(check) {
                cells_in[r] += 1;
                if seen[r] != i {
                    seen[r] = i;
                    touching_in[r] += 1;
                }
            }
        }
        let mut cells = PerRow::with_counts(cells_in);
        let mut touching = PerRow::with_counts(touching_in);
        seen.fill(usize::MAX);
        for (i, check) in idents.iter().enumerate() {
            for (side, list) in [&check.left, &check.right].into_iter().enumerate() {
                for &(r, c) in list {
                    cells.put(r, (i, side, c));
                    if seen[r] != i {
                        seen[r] = i;
                        touching.put(r, i);
                    }
                }
            }
        }
        let tally = idents
            .iter()
            .map(|check| Tally {
                sum: [0, 0],
                unknown: [check.left.len(), check.right.len()],
                bad: 0,
            })
            .collect();
        Search {
            cands,
            idents,
            touching,
            cells,
            tally,
            // Set before each search.
            choices: Vec::new(),
            order: Vec::new(),
            assign: vec![None; n],
            budget: BUDGET,
        }
    }

    /// Assign reading `k` to row `r` (or unassign it).
    fn set(&mut self, r: usize, k: Option<usize>) {
        if let Some(old) = self.assign[r] {
            self.count(r, old, false);
        }
        if let Some(k) = k {
            self.count(r, k, true);
        }
        self.assign[r] = k;
    }

    /// Add the cells of reading `k` of row `r` to the tallies (or take them off).
    fn count(&mut self, r: usize, k: usize, add: bool) {
        let reading = self.cands[r].reading(k);
        for &(i, side, c) in self.cells.of(r) {
            let t = &mut self.tally[i];
            match reading.int(c) {
                // No such column: never known.
                None => {}
                Some(None) if add => t.bad += 1,
                Some(None) => t.bad -= 1,
                Some(Some(v)) if add => {
                    t.sum[side] = t.sum[side].wrapping_add(v);
                    t.unknown[side] -= 1;
                }
                Some(Some(v)) => {
                    t.sum[side] = t.sum[side].wrapping_sub(v);
                    t.unknown[side] += 1;
                }
            }
        }
    }

    /// Whether identity `i` fails under the current assignment: as
    /// [`Search::holds`] giving `Some(false)`.
    fn fails(&self, i: usize) -> bool {
        let t = &self.tally[i];
        if t.bad > 0 {
            return false;
        }
        let (lc, rc) = (t.unknown[0] == 0, t.unknown[1] == 0);
        if lc && rc {
            return t.sum[0] != t.sum[1];
        }
        self.idents[i].kind == IdentityKind::Total && lc && t.sum[1] > t.sum[0]
    }

    /// The readings of row `r` that keep the identities of that row alone.
    fn viable(&self, r: usize) -> Vec<usize> {
        let readings = &self.cands[r];
        let mut out: Vec<usize> = (0..readings.len()).collect();
        for &i in self.touching.of(r) {
            let check = self.idents[i];
            if own_row(check) == Some(r) {
                out.retain(|&k| {
                    let reading = readings.reading(k);
                    judge(check, |(_, c)| reading.int(c)) != Some(false)
                });
            }
        }
        out
    }

    /// `Some(true)` / `Some(false)` once decidable, `None` before (or when a
    /// cell is not a whole number, which no identity can judge).
    fn holds(&self, check: &Check, assign: &[Option<usize>]) -> Option<bool> {
        judge(check, |(r, c)| self.cands[r].int(assign[r]?, c))
    }

    /// The identities touching row `r` (among `ids`, a sorted list, or all
    /// when `None`) that the current assignment breaks.
    fn broken_at<'s>(
        &'s self,
        r: usize,
        ids: Option<&'s [usize]>,
    ) -> impl Iterator<Item = usize> + 's {
        self.touching
            .of(r)
            .iter()
            .copied()
            .filter(move |i| ids.is_none_or(|ids| ids.binary_search(i).is_ok()))
            .filter(|&i| self.fails(i))
    }

    /// Enumerate readings satisfying identities `ids` (sorted; all when
    /// `None`), up to `MAX_SOLUTIONS`.
    fn satisfy(&mut self, depth: usize, ids: Option<&[usize]>, sols: &mut Vec<Vec<Option<usize>>>) {
        if self.budget == 0 || sols.len() >= MAX_SOLUTIONS {
            return;
        }
        let Some(&r) = self.order.get(depth) else {
            sols.push(self.assign.clone());
            return;
        };
        for ki in 0..self.choices[r].len() {
            if self.budget == 0 {
                break;
            }
            self.budget -= 1;
            self.set(r, Some(self.choices[r][ki]));
            if self.broken_at(r, ids).next().is_none() {
                self.satisfy(depth + 1, ids, sols);
            }
            if sols.len() >= MAX_SOLUTIONS {
                break;
            }
        }
        self.set(r, None);
    }

    /// Branch and bound on the number of violated identities; keeps up to two
    /// readings reaching the minimum.
    fn minimise(
        &mut self,
        depth: usize,
        violated: usize,
        best: &mut (usize, Vec<Vec<Option<usize>>>),
    ) {
        if self.budget == 0 || violated > best.0 || (violated == best.0 && best.1.len() >= 2) {
            return;
        }
        let Some(&r) = self.order.get(depth) else {
            if violated < best.0 {
                *best = (violated, vec![self.assign.clone()]);
            } else {
                best.1.push(self.assign.clone());
            }
            return;
        };
        let before = self.broken_at(r, None).count();
        // Readings that keep this row's identities first, for an early bound.
        let mut ks: Vec<(usize, usize)> = Vec::with_capacity(self.choices[r].len());
        for ki in 0..self.choices[r].len() {
            if self.budget == 0 {
                break;
            }
            self.budget -= 1;
            let k = self.choices[r][ki];
            self.set(r, Some(k));
            ks.push((self.broken_at(r, None).count().saturating_sub(before), k));
        }
        ks.sort_unstable();
        for (added, k) in ks {
            self.set(r, Some(k));
            self.minimise(depth + 1, violated + added, best);
            if self.budget == 0 {
                break;
            }
        }
        self.set(r, None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_parts() {
        assert!(valid_part("0", CellKind::Count));
        assert!(!valid_part("02", CellKind::Count));
        assert!(valid_part("-8", CellKind::Signed));
        assert!(!valid_part("-0", CellKind::Signed));
        assert!(valid_part("5283.86", CellKind::Amount));
        assert!(!valid_part("1.5", CellKind::Count));
    }
}

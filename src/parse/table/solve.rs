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

/// One reading of a row: per column, its piece (or none), and whether the
/// row's own identities hold.
#[derive(Clone, Debug)]
struct Cand {
    cells: Vec<Option<Piece>>,
    split: bool,
}

/// Read every row of a table.
pub fn solve(text: &str, tpl: &TableTpl, inputs: Vec<RowInput>) -> Vec<RowOutcome> {
    let rows: Vec<_> = tpl.rows().collect();
    let mut out: Vec<Option<RowOutcome>> = vec![None; inputs.len()];
    let mut cands: Vec<Vec<Cand>> = vec![Vec::new(); inputs.len()];
    for (i, input) in inputs.into_iter().enumerate() {
        let kinds: Vec<CellKind> = (0..tpl.columns_of(rows[i]).len())
            .map(|c| tpl.kind_of(rows[i], c))
            .collect();
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
            RowInput::Placed(cells) => cands[i].push(Cand {
                cells,
                split: false,
            }),
            RowInput::Tokens { toks, drop_item } => {
                match row_candidates(text, &toks, &kinds, drop_item) {
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
                Some(k) => {
                    let c = cands[i].swap_remove(k);
                    cands[i] = vec![c];
                }
                None => {
                    let at = span_of(&cands[i]);
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
                let cand = c.into_iter().next().unwrap_or(Cand {
                    cells: Vec::new(),
                    split: false,
                });
                let source = if cand.split {
                    CellSource::Forced
                } else {
                    CellSource::Read
                };
                RowOutcome::Cells(cand.cells, source)
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
    cands: &[Vec<Cand>],
    checks: &[&Check],
    followed: bool,
) {
    let value = |(r, c): (usize, usize)| -> Option<i64> {
        if out[r].is_some() {
            return None;
        }
        cands[r].first()?.cells.get(c)?.as_ref()?.1.as_i64()
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
        .filter(|&row| cands[row].len() == 1 && cands[row][0].split)
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
                at: span_of(&cands[row]),
                structural: false,
            });
        }
    }
}

fn span_of(cands: &[Cand]) -> Range<usize> {
    let mut ranges = cands
        .iter()
        .flat_map(|c| c.cells.iter().flatten().map(|p| p.0.clone()));
    let first = ranges.next().unwrap_or(0..0);
    ranges.fold(first, |a, r| a.start.min(r.start)..a.end.max(r.end))
}

/// The candidate readings of a row's tokens.
fn row_candidates(
    text: &str,
    toks: &[Tok],
    kinds: &[CellKind],
    drop_item: bool,
) -> Result<Vec<Cand>, RowOutcome> {
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
        return Ok(vec![Cand {
            cells,
            split: false,
        }]);
    }
    if toks.len() > n {
        return Err(RowOutcome::Unreadable {
            reason: format!("这一行有 {} 个数字，模板为 {n} 个", toks.len()),
            at,
            structural: true,
        });
    }
    let mut out = Vec::new();
    let mut budget = MAX_SPLITS * 20;
    let mut acc: Vec<(Range<usize>, usize)> = Vec::new();
    split_rec(text, toks, 0, None, kinds, &mut acc, &mut out, &mut budget);
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
            split_rec(
                text,
                &shorter,
                0,
                None,
                kinds,
                &mut acc,
                &mut out,
                &mut budget,
            );
        }
    }
    if out.len() >= MAX_SPLITS || budget == 0 {
        return Err(RowOutcome::Unreadable {
            reason: "数字粘连在一起，可能的拆分方式太多".into(),
            at,
            structural: false,
        });
    }
    if out.is_empty() {
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
    Ok(out)
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

/// The value of a number's text.
pub fn value_of(s: &str) -> Value {
    // The common case (every piece of a glued run): plain ASCII digits that
    // fit an i64, read without folding or a general parse.
    if !s.is_empty() && s.len() <= 18 && s.bytes().all(|b| b.is_ascii_digit()) {
        let n = s.bytes().fold(0_i64, |n, b| n * 10 + i64::from(b - b'0'));
        return Value::Int(n);
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

/// Every way to read `toks[ti..]` (the current token starting at `from`) as
/// the remaining cells of `kinds`. `acc` holds the pieces so far (the number
/// ranges and their tokens); values are made only for complete readings.
#[allow(clippy::too_many_arguments)]
fn split_rec(
    text: &str,
    toks: &[Tok],
    ti: usize,
    from: Option<usize>,
    kinds: &[CellKind],
    acc: &mut Vec<(Range<usize>, usize)>,
    out: &mut Vec<Cand>,
    budget: &mut usize,
) {
    if *budget == 0 || out.len() >= MAX_SPLITS {
        return;
    }
    *budget -= 1;
    if ti == toks.len() {
        if acc.len() == kinds.len() {
            let cells = acc
                .iter()
                .map(|(r, t)| Some(piece(text, &toks[*t], r.clone())))
                .collect();
            out.push(Cand { cells, split: true });
        }
        return;
    }
    let col = acc.len();
    if col >= kinds.len() {
        return;
    }
    let t = &toks[ti];
    if t.delimited || t.blank {
        if t.blank || valid_part(&text[t.num.clone()], kinds[col]) {
            acc.push((t.num.clone(), ti));
            split_rec(text, toks, ti + 1, None, kinds, acc, out, budget);
            acc.pop();
        }
        return;
    }
    let start = from.unwrap_or(t.num.start);
    let rest = &text[start..t.num.end];
    // The remaining tokens each need at least one cell.
    let remaining = toks.len() - ti - 1;
    let need = kinds.len() - col;
    if need <= remaining {
        return;
    }
    // At most as many cells as characters are left (every piece has one):
    // a reading that took too many digits early cannot be completed.
    let later: usize = toks[ti + 1..].iter().map(Tok::most_cells).sum();
    if need > rest.len() + later {
        return;
    }
    // Take the whole rest as the last piece of this token.
    if valid_part(rest, kinds[col]) {
        acc.push((start..t.num.end, ti));
        split_rec(text, toks, ti + 1, None, kinds, acc, out, budget);
        acc.pop();
    }
    if need <= remaining + 1 {
        return;
    }
    // Plain digits (the common case): every prefix is a valid piece unless
    // the run starts with 0, when only `0` is.
    let digits = rest.bytes().all(|b| b.is_ascii_digit());
    for (i, _) in rest.char_indices().skip(1) {
        if need - 1 > rest.len() - i + later {
            break;
        }
        let valid = if digits {
            i == 1 || !rest.starts_with('0')
        } else {
            valid_part(&rest[..i], kinds[col])
        };
        if !valid {
            continue;
        }
        acc.push((start..start + i, ti));
        split_rec(text, toks, ti, Some(start + i), kinds, acc, out, budget);
        acc.pop();
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

/// An identity on candidate indices: cells as (row, column).
struct Ident<'c> {
    check: &'c Check,
    /// Rows it involves, and the position of its last row in the search order.
    rows: Vec<usize>,
}

/// The joint reading: for every row with several candidates, the index of
/// the forced one, or `None` when the identities do not force one.
fn joint(cands: &[Vec<Cand>], checks: &[&Check], followed: bool) -> Vec<Option<usize>> {
    let n = cands.len();
    let mut idents: Vec<Ident> = checks
        .iter()
        .map(|c| {
            let mut rows: Vec<usize> = c.left.iter().chain(&c.right).map(|&(r, _)| r).collect();
            rows.sort_unstable();
            rows.dedup();
            Ident { check: c, rows }
        })
        .filter(|id| id.rows.iter().all(|&r| !cands[r].is_empty()))
        .collect();
    let mut s = Search::new(cands, &idents);
    // Each row's readings that keep the row's own identities (its total).
    let viable: Vec<Vec<usize>> = (0..n)
        .map(|r| (0..cands[r].len()).filter(|&k| s.local_ok(r, k)).collect())
        .collect();
    // A row no reading of which keeps its own total, split many ways, cannot
    // be the one wrong number of a forced reading: it is left unread.
    let hopeless: Vec<usize> = (0..n)
        .filter(|&r| cands[r].len() > MAX_WRONG_ROW_SPLITS && viable[r].is_empty())
        .collect();
    if !hopeless.is_empty() {
        idents.retain(|id| !id.rows.iter().any(|r| hopeless.contains(r)));
        s = Search::new(cands, &idents);
    }
    let rows: Vec<usize> = (0..n)
        .filter(|&r| !cands[r].is_empty() && !hopeless.contains(&r))
        .collect();
    let is_total = |r: usize| {
        idents.iter().any(|id| {
            id.check.kind == IdentityKind::Total
                && id.check.left.iter().any(|&(lr, _)| lr == r)
                && id.rows.len() > 1
        })
    };
    let order = |choices: &[Vec<usize>]| -> Vec<usize> {
        // Fixed rows first, then the rows that are totals of others, then the rest.
        let mut order = rows.clone();
        order.sort_by_key(|&r| (choices[r].len() > 1, !is_total(r), choices[r].len(), r));
        order
    };
    let all: Vec<usize> = (0..idents.len()).collect();
    // 1. Every identity holds: only readings that keep their row's own identities.
    if rows.iter().all(|&r| !viable[r].is_empty()) {
        s.choices = viable.clone();
        s.order = order(&s.choices);
        let mut sols: Vec<Vec<Option<usize>>> = Vec::new();
        s.satisfy(0, &all, &mut sols);
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
    s.choices = (0..n)
        .map(|r| {
            if viable[r].is_empty() {
                (0..cands[r].len()).collect()
            } else {
                viable[r].clone()
            }
        })
        .collect();
    s.order = order(&s.choices);
    let mut best: (usize, Vec<Vec<Option<usize>>>) = (usize::MAX, Vec::new());
    s.minimise(0, 0, &mut best);
    if s.budget == 0 || best.1.len() != 1 {
        return vec![None; n];
    }
    let reading = best.1.remove(0);
    let broken: Vec<&Check> = idents
        .iter()
        .filter(|id| s.holds(id, &reading) == Some(false))
        .map(|id| id.check)
        .collect();
    if common_cell(&broken).is_none() {
        return vec![None; n];
    }
    let kept: Vec<usize> = (0..idents.len())
        .filter(|&i| s.holds(&idents[i], &reading) != Some(false))
        .collect();
    let mut sols = Vec::new();
    s.assign = vec![None; n];
    s.choices = (0..n).map(|r| (0..cands[r].len()).collect()).collect();
    s.satisfy(0, &kept, &mut sols);
    if s.budget == 0 || sols.len() != 1 {
        return vec![None; n];
    }
    reading
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

struct Search<'a> {
    cands: &'a [Vec<Cand>],
    idents: &'a [Ident<'a>],
    /// Per row, the identities that involve it.
    touching: Vec<Vec<usize>>,
    /// Per row, the candidates the search may choose.
    choices: Vec<Vec<usize>>,
    order: Vec<usize>,
    assign: Vec<Option<usize>>,
    /// Candidate readings the search may still try.
    budget: usize,
}

impl<'a> Search<'a> {
    fn new(cands: &'a [Vec<Cand>], idents: &'a [Ident<'a>]) -> Self {
        let n = cands.len();
        let touching = (0..n)
            .map(|r| {
                (0..idents.len())
                    .filter(|&i| idents[i].rows.contains(&r))
                    .collect()
            })
            .collect();
        Search {
            cands,
            idents,
            touching,
            choices: (0..n).map(|r| (0..cands[r].len()).collect()).collect(),
            order: Vec::new(),
            assign: vec![None; n],
            budget: BUDGET,
        }
    }

    /// Whether reading `k` of row `r` keeps the identities of that row alone.
    fn local_ok(&self, r: usize, k: usize) -> bool {
        let mut assign = vec![None; self.cands.len()];
        assign[r] = Some(k);
        self.touching[r]
            .iter()
            .filter(|&&i| self.idents[i].rows == [r])
            .all(|&i| self.holds(&self.idents[i], &assign) != Some(false))
    }

    fn value(&self, assign: &[Option<usize>], (r, c): (usize, usize)) -> Option<Option<i64>> {
        let k = assign[r]?;
        let v = self.cands[r][k]
            .cells
            .get(c)?
            .as_ref()
            .and_then(|(_, v)| v.as_i64());
        Some(v)
    }

    /// `Some(true)` / `Some(false)` once decidable, `None` before (or when a
    /// cell is not a whole number, which no identity can judge).
    fn holds(&self, id: &Ident, assign: &[Option<usize>]) -> Option<bool> {
        let side = |cells: &[(usize, usize)]| -> (i64, bool, bool) {
            // (sum of known, all assigned, any non-number)
            let mut sum = 0;
            let mut complete = true;
            let mut bad = false;
            for &cell in cells {
                match self.value(assign, cell) {
                    None => complete = false,
                    Some(None) => bad = true,
                    Some(Some(v)) => sum += v,
                }
            }
            (sum, complete, bad)
        };
        let (l, lc, lb) = side(&id.check.left);
        let (r, rc, rb) = side(&id.check.right);
        if lb || rb {
            return None;
        }
        if lc && rc {
            return Some(l == r);
        }
        // Parts are counts (≥ 0): known parts already above a known total fail early.
        if id.check.kind == IdentityKind::Total && lc && r > l {
            return Some(false);
        }
        None
    }

    /// How many of the identities touching row `r` (among `ids`, a sorted
    /// list, or all when `None`) the current assignment breaks.
    fn broken_at(&self, r: usize, ids: Option<&[usize]>) -> usize {
        self.touching[r]
            .iter()
            .filter(|i| ids.is_none_or(|ids| ids.binary_search(i).is_ok()))
            .filter(|&&i| self.holds(&self.idents[i], &self.assign) == Some(false))
            .count()
    }

    /// Enumerate readings satisfying identities `ids` (sorted), up to `MAX_SOLUTIONS`.
    fn satisfy(&mut self, depth: usize, ids: &[usize], sols: &mut Vec<Vec<Option<usize>>>) {
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
            self.assign[r] = Some(self.choices[r][ki]);
            if self.broken_at(r, Some(ids)) == 0 {
                self.satisfy(depth + 1, ids, sols);
            }
            if sols.len() >= MAX_SOLUTIONS {
                break;
            }
        }
        self.assign[r] = None;
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
        let before = self.broken_at(r, None);
        // Readings that keep this row's identities first, for an early bound.
        let mut ks: Vec<(usize, usize)> = Vec::with_capacity(self.choices[r].len());
        for ki in 0..self.choices[r].len() {
            if self.budget == 0 {
                break;
            }
            self.budget -= 1;
            let k = self.choices[r][ki];
            self.assign[r] = Some(k);
            ks.push((self.broken_at(r, None).saturating_sub(before), k));
        }
        ks.sort_unstable();
        for (added, k) in ks {
            self.assign[r] = Some(k);
            self.minimise(depth + 1, violated + added, best);
            if self.budget == 0 {
                break;
            }
        }
        self.assign[r] = None;
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

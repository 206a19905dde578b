//! The verdict: how well each part of a table was read, and what of it the
//! rules may check.
//!
//! A part whose labels were mostly found and whose rows were read is `Read`:
//! its cells, missing labels and short rows go to the rules. A part with some
//! rows that could not be read is `Partial`: the rows read are checked, the
//! others are listed once. A part the reader could not follow is
//! `Unreadable`: it gives one finding and nothing else, so one garbled table
//! never becomes thirty findings.

use std::ops::Range;

use crate::model::{
    Cell, Format, Identity, LabelMatch, MissingLabel, Part, ShortRow, Table, UnreadRow, Value,
    Verdict,
};
use crate::template::{RowTpl, TableTpl};

use super::align::{Aligned, Stream};
use super::solve::RowOutcome;

/// Assemble the table from its labels and row outcomes.
pub fn build(
    tpl: &'static TableTpl,
    format: Format,
    stream: &Stream,
    aligned: Aligned,
    outcomes: Vec<RowOutcome>,
) -> Table {
    let rows: Vec<&'static RowTpl> = tpl.rows().collect();
    // The parts and each row's part, from the template.
    let parts_tpl = &tpl.part_rows;
    // At most every cell of every row is read.
    let n_cells = rows.iter().map(|r| tpl.columns_of(r).len()).sum();
    let mut table = Table {
        id: &tpl.id,
        name: &tpl.name,
        format,
        range: stream.region.clone(),
        cells: Vec::with_capacity(n_cells),
        labels: Vec::new(),
        missing: Vec::new(),
        short_rows: Vec::new(),
        parts: Vec::new(),
        identities: Vec::new(),
    };
    let part_of = |i: usize| {
        let i = i.min(rows.len().saturating_sub(1));
        tpl.row_part.get(i).copied().flatten()
    };
    // Per part: whether its structure was followed, so that its labels (near
    // misses, missing ones) can be trusted; where it was not, a near miss or
    // an absent label may just be text the reader lost.
    let mut followed = Vec::with_capacity(parts_tpl.len());
    for (p, (name, idx)) in parts_tpl.iter().enumerate() {
        let judged = judge(
            stream,
            &rows,
            &aligned,
            &outcomes,
            name,
            idx,
            parts_tpl.len(),
        );
        let verdict = judged.verdict;
        // A part none of whose numbers were read is trusted for its labels
        // only when at most one is missing: one absent row is a finding, many
        // are a table the reader lost.
        let lost = verdict == Verdict::Unreadable
            && aligned
                .missing
                .iter()
                .filter(|(_, i)| part_of(*i) == Some(p))
                .count()
                > 1;
        followed.push(judged.followed && !lost);
        let cells_expected = idx.iter().map(|&i| tpl.columns_of(rows[i]).len()).sum();
        let mut cells_read = 0;
        if verdict != Verdict::Unreadable {
            for &i in idx {
                match &outcomes[i] {
                    RowOutcome::Cells(pieces, source) => {
                        let columns = tpl.columns_of(rows[i]);
                        for (c, col_label) in columns.iter().enumerate() {
                            let piece = pieces.get(c).cloned().flatten();
                            cells_read += usize::from(piece.is_some());
                            let (range, value) = match piece {
                                Some((r, v)) => (Some(r), v),
                                None => (None, Value::Blank),
                            };
                            table.cells.push(Cell {
                                row: &rows[i].row,
                                row_label: row_display(rows[i]),
                                col: c,
                                col_label,
                                kind: tpl.kind_of(rows[i], c),
                                range,
                                value,
                                source: *source,
                            });
                        }
                    }
                    RowOutcome::Short { found, at } if judged.followed => {
                        table.short_rows.push(ShortRow {
                            range: label_at(&aligned, i, at),
                            row: &rows[i].row,
                            row_label: row_display(rows[i]),
                            expected: tpl.columns_of(rows[i]).len(),
                            found: *found,
                        });
                    }
                    _ => {}
                }
            }
        }
        table.parts.push(Part {
            name,
            rows: idx.iter().map(|&i| rows[i].row.as_str()).collect(),
            verdict,
            range: judged.range,
            reason: judged.reason,
            unread: judged.unread,
            cells_read,
            cells_expected,
            labels_checked: followed[p],
        });
    }
    let trusted = |i: usize| part_of(i).is_none_or(|p| followed[p]);
    // In a table of several parts, a label is named by its part.
    let part_name = |i: usize| {
        (parts_tpl.len() > 1)
            .then(|| part_of(i).map(|p| parts_tpl[p].0.as_str()))
            .flatten()
    };
    table.labels = aligned
        .labels
        .into_iter()
        .filter(|(l, i)| !l.near_miss || trusted(*i))
        .map(|(l, i)| LabelMatch {
            part: part_name(i),
            ..l
        })
        .collect();
    table.missing = aligned
        .missing
        .into_iter()
        .filter(|(_, i)| trusted(*i))
        .map(|(m, i)| MissingLabel {
            part: part_name(i),
            ..m
        })
        .collect();
    table.identities = identities(tpl, &table.cells);
    table
}

/// Where row `i`'s label is, else `at`.
fn label_at(aligned: &Aligned, i: usize, at: &Range<usize>) -> Range<usize> {
    aligned.anchors[i]
        .as_ref()
        .map_or(at.clone(), |a| a.src.clone())
}

/// The judgement on one part.
struct Judged {
    verdict: Verdict,
    reason: Option<String>,
    unread: Vec<UnreadRow>,
    range: Range<usize>,
    /// The part's rows were found in place and each has its numbers (read,
    /// or ambiguous only in how glued digits split).
    followed: bool,
}

fn judge(
    stream: &Stream,
    rows: &[&'static RowTpl],
    aligned: &Aligned,
    outcomes: &[RowOutcome],
    name: &str,
    idx: &[usize],
    n_parts: usize,
) -> Judged {
    let located: Vec<usize> = idx
        .iter()
        .copied()
        .filter(|&i| !matches!(outcomes[i], RowOutcome::Absent))
        .collect();
    let mut structural = false;
    let mut unread: Vec<UnreadRow> = Vec::new();
    for &i in idx {
        if let RowOutcome::Unreadable {
            reason,
            at,
            structural: s,
        } = &outcomes[i]
        {
            structural |= *s;
            unread.push(UnreadRow {
                range: if at.is_empty() {
                    label_at(aligned, i, at)
                } else {
                    at.clone()
                },
                row_label: row_display(rows[i]),
                reason: reason.clone(),
            });
        }
    }
    let range = located
        .iter()
        .filter_map(|&i| aligned.anchors[i].as_ref().map(|a| a.src.clone()))
        .chain(unread.iter().map(|u| u.range.clone()))
        .reduce(|a, b| a.start.min(b.start)..a.end.max(b.end))
        .unwrap_or(stream.region.start..stream.region.start);
    let n = idx.len();
    let unreadable = |reason: String| Judged {
        verdict: Verdict::Unreadable,
        reason: Some(reason),
        unread: Vec::new(),
        range: range.clone(),
        followed: false,
    };
    let read = |unread: Vec<UnreadRow>| Judged {
        verdict: Verdict::Read,
        reason: None,
        unread,
        range: range.clone(),
        followed: true,
    };
    if located.is_empty() {
        // Nothing of the part: missing (its rows are reported as such) when its
        // title is nowhere, unreadable when the title is there.
        if n_parts > 1 && stream_mentions(stream, name) {
            return unreadable("找到了这一栏的标题，但没有找到它的行和数字".into());
        }
        return read(unread);
    }
    if 2 * located.len() < n {
        return unreadable(format!(
            "只认出了 {} 行中的 {} 行，表格的行与数字对不上",
            n,
            located.len()
        ));
    }
    if unread.len() == located.len() {
        // Every row found is unreadable: point at what could not be read.
        let reason = unread
            .first()
            .map_or_else(String::new, |u| u.reason.clone());
        let at = unread
            .iter()
            .map(|u| u.range.clone())
            .reduce(|a, b| a.start.min(b.start)..a.end.max(b.end));
        // Rows found in place whose glued digits only split several ways:
        // the numbers are not known, the labels are (a near miss, a row not
        // there are findings of the text).
        return Judged {
            range: at.unwrap_or(range.clone()),
            followed: !structural,
            ..unreadable(reason)
        };
    }
    if unread.is_empty() {
        return read(unread);
    }
    if structural {
        // Where rows were lost, a row with too few numbers is as likely a reading
        // problem as a defect of the text: it is listed, not reported.
        for &i in idx {
            if let RowOutcome::Short { found, at } = &outcomes[i] {
                unread.push(UnreadRow {
                    range: label_at(aligned, i, at),
                    row_label: row_display(rows[i]),
                    reason: format!("只读到 {found} 个数字"),
                });
            }
        }
        unread.sort_by_key(|u| u.range.start);
    }
    Judged {
        verdict: Verdict::Partial,
        reason: None,
        unread,
        range,
        followed: !structural,
    }
}

/// Whether the part's name (a block title) appears in the region at all.
fn stream_mentions(stream: &Stream, name: &str) -> bool {
    let k = crate::normalize::key(name);
    stream.find(&k, 0, stream.len(), &[]).is_some()
}

/// The row's label; empty for the one row of a table without row labels (表四).
pub fn row_display(row: &'static RowTpl) -> &'static str {
    &row.label
}

/// Instantiate the template's checks on the cells that were read. A check
/// with a cell that is absent is left out.
fn identities(tpl: &'static TableTpl, cells: &[Cell]) -> Vec<Identity> {
    let rows: Vec<&RowTpl> = tpl.rows().collect();
    let mut grid: Vec<Vec<Option<usize>>> = vec![Vec::new(); rows.len()];
    // Cells come row by row: look for a cell's row from the previous one on.
    let mut r = 0;
    for (i, c) in cells.iter().enumerate() {
        // Cells point at the template's own row keys.
        let is_row = |row: &&RowTpl| std::ptr::eq(row.row.as_str(), c.row);
        if !rows.get(r).is_some_and(is_row) {
            let Some(found) = rows.iter().position(is_row) else {
                continue;
            };
            r = found;
        }
        if grid[r].len() <= c.col {
            grid[r].resize(c.col + 1, None);
        }
        grid[r][c.col] = c.range.is_some().then_some(i);
    }
    let at = |&(r, c): &(usize, usize)| grid.get(r)?.get(c).copied().flatten();
    // The cells of one side, or `None` when one of them was not read.
    let side = |coords: &[(usize, usize)]| {
        let mut out = Vec::with_capacity(coords.len());
        for rc in coords {
            out.push(at(rc)?);
        }
        Some(out)
    };
    tpl.checks
        .iter()
        .filter_map(|check| {
            Some(Identity {
                kind: check.kind,
                left: side(&check.left)?,
                right: side(&check.right)?,
                scope: &check.scope,
            })
        })
        .collect()
}

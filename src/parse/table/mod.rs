//! Statistical tables: find each template table and place every label and
//! number on the template, or say which part could not be read.
//!
//! The flow, one file per step:
//! 1. [`locate`]: the region where a table is looked for;
//! 2. cells: [`grid`] (cell boundaries from the source or from pipe/tab rows)
//!    or [`tokens`] (text without boundaries: labels, numbers, prose);
//! 3. [`align`]: labels placed on the template (exact, then near misses);
//! 4. [`solve`]: numbers placed on columns, glued digits split only where
//!    the template's identities force it;
//! 5. [`verdict`]: per part, read, partly read or unreadable.
//!
//! Only the template knows which sum is which.

mod align;
mod grid;
mod locate;
mod solve;
pub(super) mod tokens;
mod verdict;

use std::ops::Range;

use crate::document::Grid;
use crate::model::{Section, Table};
use crate::template::{self, TableTpl};

use align::Stream;
use grid::Layout;
use tokens::{CellPos, Token};

/// Find the tables of the report. `given` are the grids a reader took from
/// the source (Word, HTML); pipe and tab grids are found in the text.
pub fn find(text: &str, sections: &[Section], given: &[Grid]) -> Vec<Table> {
    let mut grids: Vec<Grid> = given.to_vec();
    for g in grid::text_grids(text) {
        if !given.iter().any(|h| overlap(&h.range, &g.range)) {
            grids.push(g);
        }
    }
    grids.sort_by_key(|g| g.range.start);
    let layouts: Vec<Layout> = grids.iter().map(|g| Layout::new(text, g)).collect();
    let keys = locate::DocKeys::new(text);
    let mut out = Vec::new();
    for newest in &template::all()[0].tables {
        let region = locate::region(&keys, sections, newest);
        let local: Vec<(usize, &Grid)> = grids
            .iter()
            .enumerate()
            .filter(|(_, g)| overlap(&g.range, &region))
            .collect();
        let stream = Stream::new(text, region.clone(), tokens_of(text, &region, &local));
        // Try the newest format first; a perfect match needs no second opinion.
        let mut best: Option<(align::Aligned, &'static TableTpl, crate::model::Format)> = None;
        for tpl in template::all() {
            let Some(tt) = tpl.tables.iter().find(|t| t.id == newest.id) else {
                continue;
            };
            let Some(cand) = align::align(&stream, tt) else {
                continue;
            };
            let perfect = cand.missing.is_empty() && cand.labels.iter().all(|l| !l.0.near_miss);
            // On a tie the newer format (listed first) wins.
            if best.as_ref().is_none_or(|b| cand.score > b.0.score) {
                best = Some((cand, tt, tpl.format));
            }
            if perfect {
                break;
            }
        }
        if let Some((aligned, tpl, format)) = best {
            let inputs = align::row_inputs(&stream, &layouts, tpl, &aligned);
            let outcomes = solve::solve(text, tpl, inputs);
            out.push(verdict::build(tpl, format, &stream, aligned, outcomes));
        }
    }
    out
}

fn overlap(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// The tokens of a region: grid cells (tagged with their grid row) and the
/// text between grids, in reading order.
fn tokens_of(text: &str, region: &Range<usize>, grids: &[(usize, &Grid)]) -> Vec<Token> {
    let skip: Vec<Range<usize>> = grids.iter().map(|(_, g)| g.range.clone()).collect();
    let mut out = tokens::tokenize(text, region.clone(), &skip);
    let text_tokens = out.len();
    for &(gi, g) in grids {
        for cell in &g.cells {
            if cell.range.is_empty() || !overlap(&cell.range, region) {
                continue;
            }
            let first = out.len();
            tokens::cell_tokens(text, cell.range.clone(), &mut out);
            for t in &mut out[first..] {
                t.cell = Some(CellPos {
                    grid: gi,
                    row: cell.row,
                });
            }
        }
    }
    // The text's tokens come in reading order; grid cells were appended.
    if out.len() > text_tokens {
        out.sort_by_key(|t| t.range.start);
    }
    out
}

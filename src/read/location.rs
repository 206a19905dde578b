//! Where a finding is, in the words a reader of the file uses: 第 3 部分
//! 表三 第 6 行 第 2 列, 第 12 段, 第 2 页. Computed from the document text
//! (the reader's grids, paragraphs and pages) and the report as read.

use std::ops::Range;

use serde::Serialize;

use crate::document::Document;
use crate::model::Report;

/// A finding's place. Every field is optional: a text file has sections
/// and tables, a Word file also rows, columns and paragraphs, a PDF pages.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The template section (1–6) the finding lies in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<u8>,
    /// The table: its template name (`表三`), else its place (`第 2 个表格`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// 1-based row and column of the table as the file shows it (header rows count).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// 1-based paragraph (Word: non-empty paragraphs outside tables).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<usize>,
    /// 1-based page (PDF).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<usize>,
    /// The text of the cell, paragraph or line the finding lies in (cut at 60 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl Location {
    /// `第 3 部分 表三 第 6 行 第 2 列`, `第 12 段`, `第 2 页`.
    pub fn words(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(p) = self.page {
            parts.push(format!("第 {p} 页"));
        }
        if let Some(s) = self.section {
            parts.push(format!("第 {s} 部分"));
        }
        if let Some(t) = &self.table {
            parts.push(t.clone());
        }
        if let Some(r) = self.row {
            parts.push(format!("第 {r} 行"));
        }
        if let Some(c) = self.column {
            parts.push(format!("第 {c} 列"));
        }
        if let Some(p) = self.paragraph {
            parts.push(format!("第 {p} 段"));
        }
        parts.join(" ")
    }
}

/// What a reader knows about places besides the grids.
#[derive(Clone, Copy, Debug, Default)]
pub struct Places<'a> {
    /// Paragraph lines, numbered from 1 (Word).
    pub paragraphs: &'a [Range<usize>],
    /// Page spans of the text, numbered from 1 (PDF).
    pub pages: &'a [Range<usize>],
}

fn containing(ranges: &[Range<usize>], at: usize) -> Option<usize> {
    let i = ranges.partition_point(|r| r.end < at);
    ranges
        .get(i)
        .filter(|r| r.start <= at && at <= r.end)
        .map(|_| i)
}

fn cut(s: &str) -> String {
    const MAX: usize = 60;
    let s = s.trim();
    match s.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

/// The place of `range` (document text offsets).
pub fn locate(doc: &Document, report: &Report, places: Places, range: &Range<usize>) -> Location {
    let at = range.start;
    let mut loc = Location {
        section: report
            .sections
            .iter()
            .rev()
            .find(|s| s.range.start <= at)
            .map(|s| s.number),
        ..Location::default()
    };
    let template = report
        .tables
        .iter()
        .find(|t| t.range.start <= at && at < t.range.end.max(t.range.start + 1))
        .map(|t| t.name.split('（').next().unwrap_or(t.name).to_owned());
    let grid = doc
        .grids
        .iter()
        .position(|g| g.range.start <= at && at <= g.range.end);
    if let Some(gi) = grid {
        let g = &doc.grids[gi];
        let name = template.clone().or_else(|| {
            report
                .tables
                .iter()
                .find(|t| t.range.start < g.range.end && g.range.start < t.range.end)
                .map(|t| t.name.split('（').next().unwrap_or(t.name).to_owned())
        });
        loc.table = Some(name.unwrap_or_else(|| format!("第 {} 个表格", gi + 1)));
        // The cell holding the offset; a blank cell's empty range holds its own place.
        let cell = g
            .cells
            .iter()
            .find(|c| c.range.start <= at && at < c.range.end)
            .or_else(|| g.cells.iter().find(|c| c.range.start == at))
            .or_else(|| {
                // Between cells (a separator): the cell that ends there.
                g.cells.iter().rev().find(|c| c.range.end <= at)
            });
        if let Some(c) = cell {
            loc.row = Some(c.row + 1);
            loc.column = Some(c.col + 1);
            loc.text = Some(cut(&doc.text[c.range.clone()]));
        }
        return loc;
    }
    loc.table = template;
    if let Some(i) = containing(places.paragraphs, at) {
        loc.paragraph = Some(i + 1);
        loc.text = Some(cut(&doc.text[places.paragraphs[i].clone()]));
    }
    if let Some(i) = containing(places.pages, at) {
        loc.page = Some(i + 1);
    }
    if loc.text.is_none() && at <= doc.text.len() {
        let start = doc.text[..at].rfind('\n').map_or(0, |i| i + 1);
        let end = doc.text[at..].find('\n').map_or(doc.text.len(), |i| at + i);
        if start < end {
            loc.text = Some(cut(&doc.text[start..end]));
        }
    }
    loc
}

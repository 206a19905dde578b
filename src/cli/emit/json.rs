//! `--format json`: one JSON document, the stable contract documented in the README.

use std::io::{self, Write};

use serde::Serialize;

use super::{Position, Positions};
use crate::cli::check::{FileResult, Summary};
use crate::diagnostic::{Safety, Severity};
use crate::model::Verdict;

#[derive(Serialize)]
struct Document<'a> {
    files: Vec<File<'a>>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct File<'a> {
    path: &'a str,
    report: Report<'a>,
    diagnostics: Vec<Diagnostic<'a>>,
}

#[derive(Serialize)]
struct Report<'a> {
    year: Option<i32>,
    format: Option<&'static str>,
    title: Option<&'a str>,
    /// How well each statistical table was read.
    tables: Vec<TableRead<'a>>,
}

#[derive(Serialize)]
struct TableRead<'a> {
    id: &'static str,
    name: &'static str,
    format: &'static str,
    verdict: Verdict,
    cells_read: usize,
    cells_expected: usize,
    parts: Vec<PartRead<'a>>,
}

#[derive(Serialize)]
struct PartRead<'a> {
    name: &'static str,
    verdict: Verdict,
    cells_read: usize,
    cells_expected: usize,
    reason: Option<&'a str>,
    /// Rows found but not read, by label.
    unread_rows: Vec<&'static str>,
}

#[derive(Serialize)]
struct Range {
    start: Position,
    end: Position,
}

#[derive(Serialize)]
struct Diagnostic<'a> {
    rule: &'static str,
    severity: Severity,
    message: &'a str,
    range: Range,
    fix: Option<Fix<'a>>,
    /// Not in the minimal contract; consumers ignore fields they do not know.
    related: Vec<Related<'a>>,
}

#[derive(Serialize)]
struct Fix<'a> {
    title: &'a str,
    safety: Safety,
    edits: Vec<Edit<'a>>,
}

#[derive(Serialize)]
struct Edit<'a> {
    range: Range,
    new_text: &'a str,
}

#[derive(Serialize)]
struct Related<'a> {
    range: Range,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

fn range(p: &Positions, r: &std::ops::Range<usize>) -> Range {
    Range {
        start: p.get(r.start),
        end: p.get(r.end),
    }
}

fn file(result: &FileResult) -> File<'_> {
    let p = Positions::for_result(result);
    let info = &result.analysis.info;
    File {
        path: &result.path,
        report: Report {
            year: info.year,
            format: info.format.map(|f| f.as_str()),
            title: info.title.as_deref(),
            tables: result
                .analysis
                .report
                .tables
                .iter()
                .map(|t| TableRead {
                    id: t.id,
                    name: t.name,
                    format: t.format.as_str(),
                    verdict: t.verdict(),
                    cells_read: t.parts.iter().map(|p| p.cells_read).sum(),
                    cells_expected: t.parts.iter().map(|p| p.cells_expected).sum(),
                    parts: t
                        .parts
                        .iter()
                        .map(|p| PartRead {
                            name: p.name,
                            verdict: p.verdict,
                            cells_read: p.cells_read,
                            cells_expected: p.cells_expected,
                            reason: p.reason.as_deref(),
                            unread_rows: p.unread.iter().map(|u| u.row_label).collect(),
                        })
                        .collect(),
                })
                .collect(),
        },
        diagnostics: result
            .analysis
            .diagnostics
            .iter()
            .map(|d| Diagnostic {
                rule: d.rule,
                severity: d.severity,
                message: &d.message,
                range: range(&p, &d.range),
                fix: d.fix.as_ref().map(|f| Fix {
                    title: &f.title,
                    safety: f.safety,
                    edits: f
                        .edits
                        .iter()
                        .map(|e| Edit {
                            range: range(&p, &e.range),
                            new_text: &e.new_text,
                        })
                        .collect(),
                }),
                related: d
                    .related
                    .iter()
                    .map(|r| Related {
                        range: range(&p, &r.range),
                        message: &r.message,
                    })
                    .collect(),
            })
            .collect(),
    }
}

pub fn emit(out: &mut dyn Write, results: &[&FileResult], summary: &Summary) -> io::Result<()> {
    let doc = Document {
        files: results.iter().map(|r| file(r)).collect(),
        summary: JsonSummary {
            files: summary.files,
            errors: summary.errors,
            warnings: summary.warnings,
            infos: summary.infos,
        },
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

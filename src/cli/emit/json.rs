//! `--format json`: one JSON document, the stable contract documented in the README.

use std::io::{self, Write};

use serde::Serialize;

use super::{related_at, Position, Positions};
use crate::cli::check::{BodySummary, FileResult, Summary};
use crate::diagnostic::{Safety, Severity};
use crate::model::Verdict;
use crate::read::{Location, Place};

#[derive(Serialize)]
struct Document<'a> {
    files: Vec<File<'a>>,
    summary: JsonSummary,
    /// Bodies with reports of several years in the run (an extension of the contract).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    bodies: Vec<Body<'a>>,
}

#[derive(Serialize)]
struct Body<'a> {
    agency: &'a str,
    years: &'a [i32],
    duplicate_years: &'a [i32],
    cross_year_findings: usize,
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
    /// `null` for files without lines (Word, PDF): see `location`.
    range: Option<Range>,
    /// The place in words' terms (section, table, row, column, paragraph, page, text).
    location: &'a Location,
    fix: Option<Fix<'a>>,
    /// Not in the minimal contract; consumers ignore fields they do not know.
    related: Vec<Related<'a>>,
}

#[derive(Serialize)]
struct Fix<'a> {
    title: &'a str,
    safety: Safety,
    edits: Vec<Edit<'a>>,
    /// Why `--fix` cannot apply this fix to this file (Word, PDF).
    #[serde(skip_serializing_if = "Option::is_none")]
    manual: Option<&'a str>,
}

#[derive(Serialize)]
struct Edit<'a> {
    range: Option<Range>,
    new_text: &'a str,
}

#[derive(Serialize)]
struct Related<'a> {
    /// Another file of the run (a cross-year finding's earlier report); absent for this file.
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    range: Option<Range>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<Location>,
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

static NOWHERE: Place = Place {
    location: Location {
        section: None,
        table: None,
        row: None,
        column: None,
        paragraph: None,
        page: None,
        text: None,
    },
    related: Vec::new(),
    manual: None,
};

fn file<'a>(results: &[&'a FileResult], result: &'a FileResult) -> File<'a> {
    let p = Positions::for_result(result);
    let lines = result.has_lines();
    let range = |r: &std::ops::Range<usize>| lines.then(|| range(&p, r));
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
            .enumerate()
            .map(|(i, d)| {
                let place = result.places.get(i).unwrap_or(&NOWHERE);
                Diagnostic {
                    rule: d.rule,
                    severity: d.severity,
                    message: &d.message,
                    range: range(&d.range),
                    location: &place.location,
                    fix: d.fix.as_ref().map(|f| Fix {
                        title: &f.title,
                        safety: f.safety,
                        edits: f
                            .edits
                            .iter()
                            .map(|e| Edit {
                                range: range(&e.range),
                                new_text: &e.new_text,
                            })
                            .collect(),
                        manual: place.manual.as_deref(),
                    }),
                    related: d
                        .related
                        .iter()
                        .enumerate()
                        .map(|(k, r)| {
                            // In this file, or in another one (last year's report).
                            let at = related_at(results, result, &p, Some(place), k, r);
                            Related {
                                path: r.path.is_some().then_some(at.path),
                                range: at.span.map(|(start, end)| Range { start, end }),
                                location: at.location,
                                message: &r.message,
                            }
                        })
                        .collect(),
                }
            })
            .collect(),
    }
}

pub fn emit(
    out: &mut dyn Write,
    results: &[&FileResult],
    summary: &Summary,
    bodies: &[BodySummary],
) -> io::Result<()> {
    let doc = Document {
        files: results.iter().map(|r| file(results, r)).collect(),
        bodies: bodies
            .iter()
            .map(|b| Body {
                agency: &b.agency,
                years: &b.years,
                duplicate_years: &b.duplicate_years,
                cross_year_findings: b.findings,
            })
            .collect(),
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

//! `--format json`: one JSON document, the stable contract documented in the README.

use std::io::{self, Write};

use serde::Serialize;

use super::{related_at, Position, Positions};
use crate::cli::check::{BodySummary, FileResult, Summary};
use crate::diagnostic::{Safety, Severity};

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
    /// Another file of the run (a cross-year finding's earlier report); absent for this file.
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
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

fn file<'a>(results: &[&'a FileResult], result: &'a FileResult) -> File<'a> {
    let p = Positions::for_result(result);
    let info = &result.analysis.info;
    File {
        path: &result.path,
        report: Report {
            year: info.year,
            format: info.format.map(|f| f.as_str()),
            title: info.title.as_deref(),
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
                    .map(|r| {
                        let at = related_at(results, result, &p, r);
                        Related {
                            path: r.path.is_some().then_some(at.path),
                            range: Range {
                                start: at.start,
                                end: at.end,
                            },
                            message: &r.message,
                        }
                    })
                    .collect(),
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

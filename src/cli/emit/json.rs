//! `--format json`: one JSON document, the stable contract documented in the README.

use std::io::{self, Write};

use serde::Serialize;

use super::{Position, Positions};
use crate::cli::check::{FileResult, Summary};
use crate::diagnostic::{Safety, Severity};

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

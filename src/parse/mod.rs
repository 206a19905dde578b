//! Parsing never fails: any text yields the best [`Report`] the parser can
//! read, and what it could not read is recorded in the model for rules to report.

pub(crate) mod fuzzy;
mod meta;
mod sections;
mod table;

use crate::document::Document;
use crate::model::{Format, Report, YearSource};

/// Read a report from plain text.
pub fn parse(text: &str) -> Report {
    parse_document(&Document::from_text(text))
}

/// Read a report from a document as a reader produced it.
pub fn parse_document(doc: &Document) -> Report {
    let text = doc.text.as_str();
    let mut report = Report {
        traditional: crate::normalize::is_traditional(text),
        ..Report::default()
    };
    report.sections = sections::find(text);
    report.title = meta::title(text, &report.sections);
    let anchors = meta::Anchors::find(text);
    report.period = meta::period(text, &anchors);
    report.published = meta::published(text, &anchors);
    report.citations = meta::citations(text, &anchors);
    report.stated_years = meta::stated_years(text, &report.sections);
    report.tables = table::find(text, &report.sections, &doc.grids);
    report
}

/// The report year: from the title; else a year the report states as its own
/// (a preface, the opening of 总体情况), so that a statistical period copied
/// from last year is still noticed; else the statistical period; else the
/// publication date minus one. A report citing the 2021 format
/// (〔2021〕30号) is not of 2019 or 2020.
pub fn infer_year(report: &Report) -> Option<i32> {
    if let Some(y) = report.title.as_ref().and_then(|t| t.year) {
        return Some(y);
    }
    let cites_2021 = report.citations.iter().any(|c| c.format == Format::F2021);
    let plausible = |y: &i32| !cites_2021 || *y >= 2021;
    let stated = |src: YearSource| {
        report
            .stated_years
            .iter()
            .filter(move |c| c.source == src)
            .map(|c| c.year)
    };
    let period = report
        .period
        .iter()
        .flat_map(|p| [p.start.year, p.end.as_ref().and_then(|e| e.year)])
        .flatten();
    stated(YearSource::Preface)
        .chain(stated(YearSource::Overview))
        .chain(period)
        .chain(report.published.iter().map(|d| d.year - 1))
        .find(plausible)
}

/// The format of the report: as its tables were read (table 二 decides, then
/// 三, then 四), else the format notice it cites.
pub fn table_format(report: &Report) -> Option<Format> {
    // A table that could not be followed says nothing about the format.
    ["t2", "t3", "t4"]
        .iter()
        .find_map(|id| {
            report
                .tables
                .iter()
                .find(|t| t.id == *id && t.verdict() != crate::model::Verdict::Unreadable)
        })
        .map(|t| t.format)
        .or_else(|| report.citations.first().map(|c| c.format))
}

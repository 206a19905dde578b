//! Parsing never fails: any text yields the best [`Report`] the parser can
//! read, and what it could not read is recorded in the model for rules to report.

pub(crate) mod fuzzy;
mod meta;
mod sections;
mod table;

use crate::document::Document;
use crate::model::{Format, Report};

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
    report.period = meta::period(text);
    report.published = meta::published(text);
    report.citations = meta::citations(text);
    report.tables = table::find(text, &report.sections, &doc.grids);
    report
}

/// The report year: from the title, else the statistical period, else the
/// publication date minus one.
pub fn infer_year(report: &Report) -> Option<i32> {
    report
        .title
        .as_ref()
        .and_then(|t| t.year)
        .or_else(|| {
            report
                .period
                .as_ref()
                .and_then(|p| p.start.year.or_else(|| p.end.as_ref().and_then(|e| e.year)))
        })
        .or_else(|| report.published.as_ref().map(|d| d.year - 1))
}

/// The format of the report: as its tables were read (table 二 decides, then
/// 三, then 四), else the format notice it cites.
pub fn table_format(report: &Report) -> Option<Format> {
    ["t2", "t3", "t4"]
        .iter()
        .find_map(|id| report.tables.iter().find(|t| t.id == *id))
        .map(|t| t.format)
        .or_else(|| report.citations.first().map(|c| c.format))
}

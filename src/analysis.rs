//! The pure pipeline: text → model → rules → diagnostics.

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::model::{Format, Report, Wording};
use crate::parse;
use crate::rules::{self, Context};
use crate::settings::Settings;

/// What the tool inferred about a report.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ReportInfo {
    /// The report year (统计年度): the override, else inferred; `None` if unknown.
    pub year: Option<i32>,
    /// The format the tables follow; `None` if no table could be read.
    pub format: Option<Format>,
    pub title: Option<String>,
}

/// The result of analysing one text.
#[derive(Clone, Debug)]
pub struct Analysis {
    pub info: ReportInfo,
    pub report: Report,
    /// Findings, sorted by position, with configured severities applied
    /// (rules set to `off` produce nothing).
    pub diagnostics: Vec<Diagnostic>,
    /// For each `[[ignore]]` entry of the settings, how many findings it
    /// silenced in this text (an entry silencing nothing anywhere is unused).
    pub ignore_hits: Vec<usize>,
}

impl Analysis {
    /// A document is treated as an annual report when it has a report title
    /// or at least two canonical section headings.
    pub fn looks_like_report(&self) -> bool {
        self.report.title.is_some()
            || self
                .report
                .sections
                .iter()
                .filter(|s| s.wording != Wording::OffTemplate)
                .count()
                >= 2
    }
}

/// Analyse one report text (a `.txt` or `.md` file, or an editor buffer).
pub fn analyze(text: &str, settings: &Settings) -> Analysis {
    analyze_document(&Document::from_text(text), settings)
}

/// Analyse a document as a reader produced it. Diagnostic ranges are byte
/// offsets into `doc.text`.
pub fn analyze_document(doc: &Document, settings: &Settings) -> Analysis {
    let text = doc.text.as_str();
    // Comments are invisible in rendered Markdown: the parser does not see them.
    // Masking keeps every byte offset, so the grids still point at their cells.
    let masked = Document {
        text: crate::suppress::mask_comments(text).into_owned(),
        grids: doc.grids.clone(),
    };
    let report = parse::parse_document(&masked);
    let year = settings.year.or_else(|| parse::infer_year(&report));
    let format = parse::table_format(&report);
    let ctx = Context {
        text,
        report: &report,
        year,
        format,
        settings,
        prose: std::cell::OnceCell::new(),
    };
    let mut diagnostics = Vec::new();
    for rule in rules::ALL {
        if severity_of(rule, settings).is_none() {
            continue;
        }
        let start = diagnostics.len();
        (rule.check)(&ctx, &mut diagnostics);
        set_severities(rule, settings, &mut diagnostics[start..]);
    }
    // Suppressions need every other rule's findings, so they run last.
    let outcome = crate::suppress::apply(text, &mut diagnostics, settings);
    if let Some(severity) = severity_of(&rules::unused_suppression::RULE, settings) {
        let unused = rules::unused_suppression::unused(&ctx, &outcome.directives, &outcome.unused);
        diagnostics.extend(unused.into_iter().map(|d| Diagnostic { severity, ..d }));
    }
    sort_diagnostics(&mut diagnostics);
    let info = ReportInfo {
        year,
        format,
        title: report.title.as_ref().map(|t| t.text.clone()),
    };
    Analysis {
        info,
        report,
        diagnostics,
        ignore_hits: outcome.ignore_hits,
    }
}

/// Findings in position order, without duplicates.
pub(crate) fn sort_diagnostics(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (a.range.start, a.range.end, a.rule).cmp(&(b.range.start, b.range.end, b.rule))
    });
    diagnostics.dedup();
}

/// A rule's configured severity, else its default; `None` when it is off.
pub(crate) fn severity_of(rule: &rules::Rule, settings: &Settings) -> Option<Severity> {
    match settings.severities.get(rule.id) {
        Some(level) => level.severity(),
        None => Some(rule.default_severity),
    }
}

/// Give a rule's findings their severity: the configured level when the
/// rule has one, else the rule's default, or the level the rule raised a
/// finding to when that is higher.
pub(crate) fn set_severities(rule: &rules::Rule, settings: &Settings, found: &mut [Diagnostic]) {
    let configured = settings
        .severities
        .get(rule.id)
        .and_then(|level| level.severity());
    for d in found {
        d.severity = configured.unwrap_or_else(|| rule.default_severity.max(d.severity));
    }
}

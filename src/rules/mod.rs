//! The rule registry. One rule, one file: its documentation, detection and fix
//! live together; this module lists them all once.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Format, Report};
use crate::settings::Settings;

mod balance_mismatch;
mod blank_cell;
pub(crate) mod cross_year_mismatch;
mod fee_statement;
mod invalid_number;
mod missing_accountability;
mod missing_period;
mod missing_row;
mod missing_section;
mod missing_table;
mod narrative_mismatch;
mod obsolete_format;
mod period_mismatch;
mod personal_data;
mod section_order;
mod section_title;
mod stale_year;
mod table_label;
mod total_mismatch;
mod unreadable_table;
pub(crate) mod unused_suppression;

/// Whether a rule offers a fix, and how safe it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixKind {
    None,
    Safe,
    Unsafe,
}

impl FixKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FixKind::None => "—",
            FixKind::Safe => "safe",
            FixKind::Unsafe => "unsafe",
        }
    }
}

/// What a rule sees.
pub struct Context<'a> {
    pub text: &'a str,
    pub report: &'a Report,
    /// The report year (override, else inferred).
    pub year: Option<i32>,
    /// The format the tables were read as.
    pub format: Option<Format>,
    pub settings: &'a Settings,
    /// The prose as a compact stream, built on first use (see [`Context::prose`]).
    pub prose: std::cell::OnceCell<crate::narrative::Stream>,
}

impl Context<'_> {
    /// The whole text outside the tables as one compact stream, shared by
    /// the rules that read sentences (built once per analysis).
    pub fn prose(&self) -> &crate::narrative::Stream {
        self.prose.get_or_init(|| {
            let tables: Vec<std::ops::Range<usize>> =
                self.report.tables.iter().map(|t| t.range.clone()).collect();
            crate::narrative::Stream::new(self.text, 0..self.text.len(), &tables)
        })
    }
}

/// A rule: its id, default severity, documentation and check function.
pub struct Rule {
    /// Stable kebab-case id, named after the problem.
    pub id: &'static str,
    pub default_severity: Severity,
    /// One-line Chinese summary (the README table, SARIF short description).
    pub summary: &'static str,
    /// Chinese Markdown documentation with the headings
    /// `## 检查内容`, `## 原因`, `## 示例`, `## 修复`.
    pub docs: &'static str,
    pub fix: FixKind,
    pub check: fn(&Context, &mut Vec<Diagnostic>),
}

/// Every rule, in documentation order.
pub static ALL: &[&Rule] = &[
    &missing_section::RULE,
    &section_order::RULE,
    &section_title::RULE,
    &missing_table::RULE,
    &table_label::RULE,
    &missing_row::RULE,
    &invalid_number::RULE,
    &blank_cell::RULE,
    &total_mismatch::RULE,
    &balance_mismatch::RULE,
    &period_mismatch::RULE,
    &missing_period::RULE,
    &obsolete_format::RULE,
    &unreadable_table::RULE,
    &missing_accountability::RULE,
    &narrative_mismatch::RULE,
    &cross_year_mismatch::RULE,
    &fee_statement::RULE,
    &stale_year::RULE,
    &personal_data::RULE,
    &unused_suppression::RULE,
];

/// Rules whose findings need other reports (see [`crate::series`]): one
/// text alone cannot tell whether a suppression of them is unused.
pub const CROSS_FILE: &[&str] = &["cross-year-mismatch"];

/// The rule with this id.
pub fn get(id: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.id == id)
}

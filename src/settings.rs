//! Resolved settings for one analysis. Pure data: where they come from
//! (command line, `gov-report.toml`, LSP configuration) is decided at the edges.

use std::collections::BTreeMap;

use crate::diagnostic::Severity;

/// A rule's configured level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Off,
    Info,
    Warning,
    Error,
}

impl Level {
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Info => Some(Severity::Info),
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "off" => Some(Level::Off),
            "info" => Some(Level::Info),
            "warning" => Some(Level::Warning),
            "error" => Some(Level::Error),
            _ => None,
        }
    }
}

/// What kind of body wrote the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AgencyKind {
    /// A 县级以上人民政府部门 (the default).
    Department,
    /// A 人民政府's own report, which must also cover 工作考核、社会评议、责任追究.
    Government,
}

/// A configured suppression for plain-text files: a rule and the exact text it may not flag.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct IgnoreEntry {
    pub rule: String,
    pub text: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Settings {
    /// Per-rule level overrides, keyed by rule id.
    pub severities: BTreeMap<String, Level>,
    /// Report year override (otherwise inferred from the text).
    pub year: Option<i32>,
    /// The body that wrote the report (`agency` in `gov-report.toml`), when
    /// set: reports of the same body are compared year with year.
    pub agency: Option<String>,
    pub agency_kind: Option<AgencyKind>,
    /// Provincial rows a region adds to the template: accepted, not flagged.
    pub extra_labels: Vec<String>,
    /// `[[ignore]]` entries from `gov-report.toml`.
    pub ignore: Vec<IgnoreEntry>,
}

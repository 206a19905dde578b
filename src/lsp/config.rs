//! Editor configuration: `initializationOptions` and
//! `workspace/didChangeConfiguration` settings.
//!
//! Accepted shape (flat, or nested under `"govReport"` where `rules` is an
//! alias of `severities`, as the VS Code extension's settings are named):
//!
//! ```json
//! { "severities": { "table-label": "off" }, "year": 2023, "lint": "auto",
//!   "include": ["**/*年度报告*"], "exclude": ["**/README*"] }
//! ```
//!
//! Unknown keys are ignored; wrong values are reported as warnings (the
//! rest of the configuration still applies).

use std::collections::BTreeMap;
use std::path::Path;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde_json::Value;

use crate::rules;
use crate::settings::{AgencyKind, Level, Settings};

/// Which documents are linted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LintMode {
    /// Documents that look like an annual report (`Analysis::looks_like_report`).
    #[default]
    Auto,
    Always,
    Never,
}

/// The editor's settings for the server.
#[derive(Clone, Debug, Default)]
pub struct EditorConfig {
    pub severities: BTreeMap<String, Level>,
    pub year: Option<i32>,
    pub agency_kind: Option<AgencyKind>,
    pub extra_labels: Vec<String>,
    pub lint: LintMode,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    include_set: Option<GlobSet>,
    exclude_set: Option<GlobSet>,
}

/// A file's verdict from `include`/`exclude`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GlobVerdict {
    Included,
    Excluded,
    Unmatched,
}

impl EditorConfig {
    /// Read the settings from a JSON value; returns the configuration and
    /// warnings about values that were ignored.
    pub fn from_json(value: &Value) -> (EditorConfig, Vec<String>) {
        let mut cfg = EditorConfig::default();
        let mut warnings = Vec::new();
        let Some(obj) = value.as_object() else {
            if !value.is_null() {
                warnings.push(format!("配置应为 JSON 对象，收到 {value}，已忽略。"));
            }
            return (cfg, warnings);
        };
        // `{"govReport": {...}}` (VS Code section) or the flat shape.
        let (obj, nested) = match obj.get("govReport").and_then(Value::as_object) {
            Some(inner) => (inner, true),
            None => (obj, false),
        };
        let sev = obj
            .get("severities")
            .or_else(|| if nested { obj.get("rules") } else { None });
        if let Some(sev) = sev.filter(|v| !v.is_null()) {
            match sev.as_object() {
                Some(map) => {
                    for (id, level) in map {
                        if rules::get(id).is_none() {
                            warnings.push(format!(
                                "未知的规则“{id}”，已忽略。可用的规则：{}。",
                                rule_ids()
                            ));
                            continue;
                        }
                        match level.as_str().and_then(Level::parse) {
                            Some(l) => {
                                cfg.severities.insert(id.clone(), l);
                            }
                            None => warnings.push(format!(
                                "规则“{id}”的级别 {level} 无效，已忽略。可用的级别：off、info、warning、error。"
                            )),
                        }
                    }
                }
                None => warnings.push(format!(
                    "severities 应为对象（规则 → 级别），收到 {sev}，已忽略。"
                )),
            }
        }
        match obj.get("year") {
            None | Some(Value::Null) => {}
            Some(v) => match v.as_i64().and_then(|y| i32::try_from(y).ok()) {
                Some(y) if (2008..=2100).contains(&y) => cfg.year = Some(y),
                _ => warnings.push(format!(
                    "year 应为 2008 年以后的年份（如 2023）或 null，收到 {v}，已忽略。"
                )),
            },
        }
        match obj.get("lint") {
            None | Some(Value::Null) => {}
            Some(v) => match v.as_str() {
                Some("auto") => cfg.lint = LintMode::Auto,
                Some("always") => cfg.lint = LintMode::Always,
                Some("never") => cfg.lint = LintMode::Never,
                _ => warnings.push(format!(
                    "lint 应为 \"auto\"、\"always\" 或 \"never\"，收到 {v}，已按 \"auto\" 处理。"
                )),
            },
        }
        let agency = obj.get("agencyKind").or_else(|| obj.get("agency-kind"));
        match agency {
            None | Some(Value::Null) => {}
            Some(v) => match v.as_str() {
                Some("department") => cfg.agency_kind = Some(AgencyKind::Department),
                Some("government") => cfg.agency_kind = Some(AgencyKind::Government),
                _ => warnings.push(format!(
                    "agencyKind 应为 \"department\" 或 \"government\"，收到 {v}，已忽略。"
                )),
            },
        }
        let extra = obj.get("extraLabels").or_else(|| obj.get("extra-labels"));
        cfg.extra_labels = string_list(extra, "extraLabels", &mut warnings);
        cfg.include = string_list(obj.get("include"), "include", &mut warnings);
        cfg.exclude = string_list(obj.get("exclude"), "exclude", &mut warnings);
        cfg.include_set = build_globs(&cfg.include, "include", &mut warnings);
        cfg.exclude_set = build_globs(&cfg.exclude, "exclude", &mut warnings);
        (cfg, warnings)
    }

    /// The core settings these editor settings stand for, on top of `base`
    /// (e.g. a `gov-report.toml`): editor values win where they are set.
    pub fn settings_over(&self, base: &Settings) -> Settings {
        let mut s = base.clone();
        for (id, level) in &self.severities {
            s.severities.insert(id.clone(), *level);
        }
        if self.year.is_some() {
            s.year = self.year;
        }
        if self.agency_kind.is_some() {
            s.agency_kind = self.agency_kind;
        }
        for label in &self.extra_labels {
            if !s.extra_labels.contains(label) {
                s.extra_labels.push(label.clone());
            }
        }
        s
    }

    /// Match a file against `include`/`exclude`. `candidates` are the paths to
    /// try: the absolute path and the path relative to each workspace folder.
    pub fn glob_verdict(&self, candidates: &[&Path]) -> GlobVerdict {
        let hit = |set: &Option<GlobSet>| {
            set.as_ref()
                .is_some_and(|set| candidates.iter().any(|p| set.is_match(p)))
        };
        if hit(&self.exclude_set) {
            GlobVerdict::Excluded
        } else if hit(&self.include_set) {
            GlobVerdict::Included
        } else {
            GlobVerdict::Unmatched
        }
    }
}

fn rule_ids() -> String {
    rules::ALL
        .iter()
        .map(|r| r.id)
        .collect::<Vec<_>>()
        .join("、")
}

fn string_list(v: Option<&Value>, key: &str, warnings: &mut Vec<String>) -> Vec<String> {
    match v {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|item| match item.as_str() {
                Some(s) => Some(s.to_string()),
                None => {
                    warnings.push(format!("{key} 的元素应为字符串，收到 {item}，已忽略。"));
                    None
                }
            })
            .collect(),
        Some(other) => {
            warnings.push(format!("{key} 应为字符串数组，收到 {other}，已忽略。"));
            Vec::new()
        }
    }
}

/// A pattern without `/` matches a file name at any depth (`**/name`), as in
/// `gov-report.toml`.
fn build_globs(patterns: &[String], key: &str, warnings: &mut Vec<String>) -> Option<GlobSet> {
    if patterns.is_empty() {
        return None;
    }
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        let full = if p.contains('/') {
            p.clone()
        } else {
            format!("**/{p}")
        };
        match Glob::new(&full) {
            Ok(g) => {
                b.add(g);
            }
            Err(e) => warnings.push(format!("{key} 中的模式“{p}”无效（{e}），已忽略。")),
        }
    }
    b.build().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn flat_and_nested_shapes() {
        let (flat, w) = EditorConfig::from_json(&json!({
            "severities": {"table-label": "off"}, "year": 2023, "lint": "always"
        }));
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(flat.severities.get("table-label"), Some(&Level::Off));
        assert_eq!(flat.year, Some(2023));
        assert_eq!(flat.lint, LintMode::Always);

        let (nested, w) = EditorConfig::from_json(&json!({
            "govReport": {"rules": {"section-title": "error"}, "lint": "never"}
        }));
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(nested.severities.get("section-title"), Some(&Level::Error));
        assert_eq!(nested.lint, LintMode::Never);
    }

    #[test]
    fn bad_values_warn_and_are_ignored() {
        let (cfg, w) = EditorConfig::from_json(&json!({
            "severities": {"table-label": "loud", "no-such-rule": "off"},
            "year": "last", "lint": 3, "include": "x", "exclude": ["[bad"]
        }));
        assert_eq!(w.len(), 6, "{w:?}");
        assert!(cfg.severities.is_empty());
        assert_eq!(cfg.year, None);
        assert_eq!(cfg.lint, LintMode::Auto);
        assert!(w[0].contains("loud") || w[1].contains("loud"));
    }

    #[test]
    fn globs_match_names_at_any_depth() {
        let (cfg, _) = EditorConfig::from_json(&json!({
            "include": ["*年度报告*"], "exclude": ["README*", "archive/**"]
        }));
        let v = |p: &str| cfg.glob_verdict(&[Path::new(p)]);
        assert_eq!(v("/w/2023年度报告.txt"), GlobVerdict::Included);
        assert_eq!(v("/w/README.md"), GlobVerdict::Excluded);
        assert_eq!(v("archive/2019年度报告.txt"), GlobVerdict::Excluded);
        assert_eq!(v("/w/notes.txt"), GlobVerdict::Unmatched);
    }
}

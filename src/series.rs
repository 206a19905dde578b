//! Reports of one body across years: what the cross-year comparison needs
//! from each analysed report ([`Facts`]), which reports are the same body's,
//! and the comparison over all reports checked together ([`check`]).
//!
//! Pure: the callers (the command line over the files of one run, the
//! language server over the files of a workspace) read the files and pass
//! their analyses with the path each is known by; findings come back per
//! report, to be merged into its analysis with [`merge`].

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use crate::analysis::{self, Analysis};
use crate::diagnostic::Diagnostic;
use crate::model::{Format, Report};
use crate::normalize;
use crate::rules::cross_year_mismatch;
use crate::settings::Settings;

/// A table cell that was read: its value and where it is in its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    pub value: i64,
    pub range: Range<usize>,
}

impl Cell {
    fn of(read: Option<(i64, Range<usize>)>) -> Option<Cell> {
        read.map(|(value, range)| Cell { value, range })
    }
}

/// What one report contributes to the comparison across years.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// The path the report is known by (related locations carry it).
    pub path: String,
    /// How messages name the report (the path, unless the caller shortens it).
    pub label: String,
    pub year: Option<i32>,
    /// The body that wrote it: `agency` from `gov-report.toml`, else the
    /// name before the year in the title.
    pub agency: Option<String>,
    /// 表三 二、上年结转, per column (自然人 … 总计), when read.
    pub carried_in: Vec<Option<Cell>>,
    /// 表三 四、结转下年度继续办理, per column.
    pub carried_out: Vec<Option<Cell>>,
    /// 表三's column labels.
    pub column_labels: Vec<String>,
    /// 表二 规章 and 行政规范性文件 (2021 format): 本年制发, 本年废止, 现行有效.
    pub documents: [Option<[Option<Cell>; 3]>; 2],
}

impl Facts {
    /// The facts of an analysed report. Only tables that agree with
    /// themselves are used (see [`crate::model::Table::consistent`]).
    pub fn of(
        path: impl Into<String>,
        analysis: &Analysis,
        text: &str,
        settings: &Settings,
    ) -> Facts {
        let report = &analysis.report;
        let path = path.into();
        let mut facts = Facts {
            label: path.clone(),
            path,
            year: analysis.info.year,
            agency: settings
                .agency
                .clone()
                .or_else(|| agency_from_title(text, report)),
            ..Facts::default()
        };
        if let Some(t3) = report.table("t3").filter(|t| t.consistent()) {
            let n_cols = t3.cells.iter().map(|c| c.col + 1).max().unwrap_or(0);
            facts.column_labels = (0..n_cols)
                .map(|col| {
                    t3.cells
                        .iter()
                        .find(|c| c.col == col)
                        .map_or_else(String::new, |c| c.col_label.to_string())
                })
                .collect();
            facts.carried_in = (0..n_cols).map(|c| Cell::of(t3.read("R2", c))).collect();
            facts.carried_out = (0..n_cols).map(|c| Cell::of(t3.read("R4", c))).collect();
        }
        if let Some(t2) = report
            .table("t2")
            .filter(|t| t.format == Format::F2021 && t.consistent())
        {
            for (i, row) in ["R1.1", "R1.2"].into_iter().enumerate() {
                let cells = [0, 1, 2].map(|col| Cell::of(t2.read(row, col)));
                if cells.iter().any(Option::is_some) {
                    facts.documents[i] = Some(cells);
                }
            }
        }
        facts
    }

    /// Apply `f` to every cell (e.g. to move the ranges into the text a
    /// file's locations are given in).
    pub fn map_cells(&mut self, mut f: impl FnMut(&mut Cell)) {
        let docs = self.documents.iter_mut().flatten().flatten();
        for cell in self
            .carried_in
            .iter_mut()
            .chain(self.carried_out.iter_mut())
            .chain(docs)
            .flatten()
        {
            f(cell);
        }
    }

    /// Whether the facts hold anything to compare.
    pub fn comparable(&self) -> bool {
        self.year.is_some()
            && self.agency.is_some()
            && (self
                .carried_in
                .iter()
                .chain(&self.carried_out)
                .any(Option::is_some)
                || self.documents.iter().any(Option::is_some))
    }
}

/// The body's name in the title: the name written before the year
/// (`平潭综合实验区2024年度…`), else right after it (`2025 年上海市人民政府
/// 办公厅政府信息公开工作年度报告`), else the line above a title that starts
/// with the year (`淮安市洪泽区人民政府` / `2024 年政府信息公开工作年度报告`).
/// Only what ends like a body's name counts (`…人民政府`, `…局`, `…委员会`),
/// so page furniture such as `正文` is never taken for one.
pub fn agency_from_title(text: &str, report: &Report) -> Option<String> {
    let title = report.title.as_ref()?;
    let year = title.year_range.clone()?;
    let line_start = text[..year.start].rfind('\n').map_or(0, |i| i + 1);
    let before: Vec<char> = text[line_start..year.start]
        .trim_end()
        .chars()
        .rev()
        .take_while(|&c| is_name_char(c))
        .collect();
    let name: String = before.into_iter().rev().collect();
    if let Some(name) = clean_name(&name) {
        return Some(name);
    }
    // After the year: `年`, `度`, blanks, then the name up to 政府信息公开.
    let after =
        text[year.end..].trim_start_matches(|c: char| c.is_whitespace() || c == '年' || c == '度');
    let name: String = after
        .chars()
        .take_while(|&c| is_name_char(c) || c == ' ')
        .filter(|c| !c.is_whitespace())
        .collect();
    let name = ["政府信息公开", "政务公开", "信息公开"]
        .iter()
        .find_map(|w| name.find(w).map(|i| &name[..i]))
        .unwrap_or("");
    if let Some(name) = clean_name(name) {
        return Some(name);
    }
    // The title starts with the year: the name may stand on the line above.
    let above = text[..line_start].trim_end();
    let prev_start = above.rfind('\n').map_or(0, |i| i + 1);
    let prev = above[prev_start..].trim();
    if prev.chars().count() <= 40 && prev.chars().all(|c| is_name_char(c) || c.is_whitespace()) {
        return clean_name(
            &prev
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>(),
        );
    }
    None
}

fn is_name_char(c: char) -> bool {
    normalize::is_cjk(c) || matches!(c, '（' | '）' | '(' | ')')
}

/// How the name of a body ends.
const AGENCY_ENDINGS: [&str; 24] = [
    "政府",
    "办公厅",
    "办公室",
    "委员会",
    "管委会",
    "局",
    "委",
    "厅",
    "办",
    "院",
    "署",
    "中心",
    "所",
    "站",
    "处",
    "部",
    "会",
    "区",
    "县",
    "市",
    "州",
    "盟",
    "旗",
    "街道",
];

/// A name with at least two CJK characters that ends like a body's name,
/// without a trailing `关于`.
fn clean_name(name: &str) -> Option<String> {
    let name = name.trim_end_matches("关于").trim();
    let cjk = name.chars().filter(|&c| normalize::is_cjk(c)).count();
    let ends = AGENCY_ENDINGS.iter().any(|e| name.ends_with(e)) || name.ends_with(['镇', '乡']);
    (cjk >= 2 && ends).then(|| name.to_string())
}

/// Characters that mark a place name (a body named only by its kind, such
/// as `财政局`, is too vague to match a longer name by its ending).
const PLACE: [char; 9] = ['省', '市', '县', '区', '州', '盟', '旗', '镇', '乡'];

/// Whether two matching keys name the same body: equal, or one ends the
/// other and holds a place name (`洪泽区人民政府`, `淮安市洪泽区人民政府`).
pub fn same_body(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (short, long) = if a.chars().count() < b.chars().count() {
        (a, b)
    } else {
        (b, a)
    };
    long.ends_with(short)
        && short.chars().count() >= 5
        && short.chars().skip(2).any(|c| PLACE.contains(&c))
}

/// One body's reports among those checked together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Body {
    /// The longest name it goes by.
    pub agency: String,
    /// The report years found, ascending (a year with several reports once).
    pub years: Vec<i32>,
    /// Years with more than one report (not compared: which one counts is unknown).
    pub duplicate_years: Vec<i32>,
    /// Indices of its reports in the input.
    pub members: Vec<usize>,
}

/// The result of comparing reports across years.
#[derive(Clone, Debug, Default)]
pub struct CrossYear {
    /// Findings per input report (same order as the input).
    pub findings: Vec<Vec<Diagnostic>>,
    /// Bodies with reports of at least two years, in name order.
    pub bodies: Vec<Body>,
}

/// Compare every report with the same body's report of the year before.
pub fn check(all: &[Facts]) -> CrossYear {
    let mut findings = vec![Vec::new(); all.len()];
    let keys: Vec<Option<String>> = all
        .iter()
        .map(|f| {
            f.agency
                .as_deref()
                .map(normalize::key)
                .filter(|k| k.chars().count() >= 2 && f.year.is_some())
        })
        .collect();
    let groups = group(&keys);
    let mut bodies = Vec::new();
    for members in groups {
        let mut by_year: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
        for &i in &members {
            if let Some(y) = all[i].year {
                by_year.entry(y).or_default().push(i);
            }
        }
        if by_year.len() < 2 {
            continue;
        }
        for (&y, later) in &by_year {
            let (Some(prev), [later]) = (by_year.get(&(y - 1)), later.as_slice()) else {
                continue;
            };
            let [earlier] = prev.as_slice() else { continue };
            findings[*later] = cross_year_mismatch::compare(&all[*later], &all[*earlier]);
        }
        let agency = members
            .iter()
            .filter_map(|&i| all[i].agency.clone())
            .max_by_key(|a| a.chars().count())
            .unwrap_or_default();
        bodies.push(Body {
            agency,
            years: by_year.keys().copied().collect(),
            duplicate_years: by_year
                .iter()
                .filter(|(_, v)| v.len() > 1)
                .map(|(y, _)| *y)
                .collect(),
            members,
        });
    }
    bodies.sort_by(|a, b| a.agency.cmp(&b.agency));
    CrossYear { findings, bodies }
}

/// Indices grouped by body (groups of one left out). Names are compared
/// only within buckets of the same last five characters, so a folder of a
/// thousand reports is grouped in well under a millisecond.
fn group(keys: &[Option<String>]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..keys.len()).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut buckets: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, key) in keys.iter().enumerate() {
        if let Some(k) = key {
            let tail: String = {
                let n = k.chars().count();
                k.chars().skip(n.saturating_sub(5)).collect()
            };
            buckets.entry(tail).or_default().push(i);
        }
    }
    for members in buckets.values() {
        for (a_pos, &a) in members.iter().enumerate() {
            for &b in &members[a_pos + 1..] {
                let (Some(ka), Some(kb)) = (&keys[a], &keys[b]) else {
                    continue;
                };
                if same_body(ka, kb) {
                    let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
                    parent[ra.max(rb)] = ra.min(rb);
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, key) in keys.iter().enumerate() {
        if key.is_some() {
            let root = find(&mut parent, i);
            groups.entry(root).or_default().push(i);
        }
    }
    groups.into_values().filter(|g| g.len() > 1).collect()
}

/// Cross-year findings of one report as they are shown: the configured
/// level (none when the rule is off), without those its suppression
/// comments and `[[ignore]]` entries silence (counted in the analysis'
/// `ignore_hits`). `text` is the document text the findings' ranges are in.
pub fn prepare(
    analysis: &mut Analysis,
    text: &str,
    settings: &Settings,
    mut found: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let rule = &cross_year_mismatch::RULE;
    if found.is_empty() || analysis::severity_of(rule, settings).is_none() {
        return Vec::new();
    }
    analysis::set_severities(rule, settings, &mut found);
    let outcome = crate::suppress::apply(text, &mut found, settings);
    for (hits, more) in analysis.ignore_hits.iter_mut().zip(outcome.ignore_hits) {
        *hits += more;
    }
    found
}

/// Add cross-year findings to the analysis of a text (findings placed in
/// the text itself), in position order.
pub fn merge(analysis: &mut Analysis, text: &str, settings: &Settings, found: Vec<Diagnostic>) {
    let found = prepare(analysis, text, settings, found);
    analysis.diagnostics.extend(found);
    analysis::sort_diagnostics(&mut analysis.diagnostics);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_body_by_name_or_ending_with_a_place() {
        assert!(same_body("洪泽区人民政府", "淮安市洪泽区人民政府"));
        assert!(same_body("平潭综合实验区", "平潭综合实验区"));
        assert!(!same_body("淮安市人民政府", "淮安市洪泽区人民政府"));
        // A body named by its kind alone does not match by its ending.
        assert!(!same_body("财政局", "平潭综合实验区财政局"));
        assert!(!same_body("区人民政府", "淮安市洪泽区人民政府"));
    }

    #[test]
    fn names_from_titles() {
        let cases = [
            (
                "标题: 平潭综合实验区2024年度政府信息公开工作年度报告\n",
                Some("平潭综合实验区"),
            ),
            (
                "      淮安市洪泽区人民政府\n    2024 年政府信息公开工作年度报告\n",
                Some("淮安市洪泽区人民政府"),
            ),
            (
                "# 沐阳县人民政府 2025 年 政府信息公开工作年度报告\n",
                Some("沐阳县人民政府"),
            ),
            ("2023年政府信息公开工作年度报告\n", None),
            // The agency after the year, and page furniture above the title.
            (
                "正文\n2025 年上海市人民政府办公厅政府信息公开工作年度报告\n",
                Some("上海市人民政府办公厅"),
            ),
            ("正文\n2024年政府信息公开工作年度报告\n", None),
        ];
        for (text, want) in cases {
            let report = crate::parse::parse(text);
            assert_eq!(agency_from_title(text, &report).as_deref(), want, "{text}");
        }
    }
}

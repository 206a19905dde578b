//! Trust: what the reader reports is in the text, and what is wrong in the
//! text is reported.
//!
//! - Published pages flattened onto one line, verified error-free, give no error.
//! - No table that was not read gives more than one finding per template row,
//!   and no sum is checked with a number that is not the cell's text.
//! - Errors injected into real reports (near-miss labels at table positions,
//!   changed totals, shifted periods) are found: recall is printed and must
//!   reach 97 %.
#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;
use std::ops::Range;

use gov_report_lsp::model::{IdentityKind, Value, Verdict};
use gov_report_lsp::template;
use gov_report_lsp::{analyze, Analysis, Settings, Severity};

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).expect("file exists")
}

/// A text file's content, or `None` when it is not UTF-8 (a GB18030 fixture).
fn read_text(path: &str) -> Option<String> {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).ok()
}

fn run(text: &str) -> Analysis {
    analyze(text, &Settings::default())
}

/// Text files under `dir` (recursively), sorted.
fn files(dir: &str) -> Vec<String> {
    fn walk(root: &std::path::Path, dir: &std::path::Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(root, &p, out);
            } else if p.extension().is_some_and(|x| x == "txt" || x == "md") {
                out.push(p.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    walk(root, &root.join(dir), &mut out);
    out.sort();
    out
}

fn seeds_and_corpus() -> Vec<String> {
    let mut v = files("tests/examples");
    v.extend(files("tests/corpus"));
    v
}

#[test]
fn published_one_line_pages_give_no_error() {
    let mut lines = Vec::new();
    for n in 16..=21 {
        let path = format!("tests/corpus/0{n}.txt");
        let a = run(&read(&path));
        let errors: Vec<_> = a
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| format!("{}: {}", d.rule, d.message))
            .collect();
        assert_eq!(errors, Vec::<String>::new(), "{path}");
        let ids: Vec<&str> = a.report.tables.iter().map(|t| t.id).collect();
        assert_eq!(ids, ["t2", "t3", "t4"], "{path}");
        let parts: Vec<_> = a.report.tables.iter().flat_map(|t| &t.parts).collect();
        let read = |v: Verdict| parts.iter().filter(|p| p.verdict == v).count();
        let full = a
            .report
            .tables
            .iter()
            .filter(|t| t.verdict() == Verdict::Read)
            .count();
        lines.push(format!(
            "{path}: {full}/3 tables read fully; parts: {} read, {} partly read, {} unreadable",
            read(Verdict::Read),
            read(Verdict::Partial),
            read(Verdict::Unreadable)
        ));
    }
    println!("{}", lines.join("\n"));
}

/// Every text the tests hold: seeds, corpus and rule fixtures.
fn all_texts() -> Vec<String> {
    let mut v = seeds_and_corpus();
    v.extend(files("tests/fixtures/rules"));
    v.extend(files("tests/fixtures/fix"));
    v
}

#[test]
fn unread_tables_never_cascade_and_sums_use_only_read_numbers() {
    for path in all_texts() {
        let Some(text) = read_text(&path) else {
            continue;
        };
        let a = run(&text);
        for t in &a.report.tables {
            // At most one missing-row / invalid-number / blank-cell per template row of a
            // table that was not read.
            if t.verdict() != Verdict::Read {
                let tpl = template::get(t.format)
                    .tables
                    .iter()
                    .find(|x| x.id == t.id)
                    .unwrap();
                let mut per_row: BTreeMap<&str, usize> = BTreeMap::new();
                for d in a
                    .diagnostics
                    .iter()
                    .filter(|d| matches!(d.rule, "missing-row" | "invalid-number" | "blank-cell"))
                    .filter(|d| d.message.starts_with(t.name))
                {
                    let row = tpl
                        .rows()
                        .map(|r| r.label.as_str())
                        .filter(|l| !l.is_empty())
                        .find(|l| d.message.contains(&format!("“{l}”")))
                        .unwrap_or("");
                    *per_row.entry(row).or_default() += 1;
                }
                for (row, n) in per_row {
                    assert!(n <= 1, "{path}: {} {row}: {n} findings", t.id);
                }
            }
            // Every number a sum is checked with is the text of its cell.
            for id in &t.identities {
                for &i in id.left.iter().chain(&id.right) {
                    let c = &t.cells[i];
                    let r = c
                        .range
                        .clone()
                        .expect("identities use cells that are there");
                    if let Value::Int(v) = c.value {
                        let digits: String = text[r.clone()]
                            .chars()
                            .filter(|ch| ch.is_ascii_digit() || *ch == '-')
                            .collect();
                        assert_eq!(
                            digits.parse::<i64>().ok(),
                            Some(v),
                            "{path}: {:?}",
                            &text[r]
                        );
                    }
                }
            }
        }
        for d in a
            .diagnostics
            .iter()
            .filter(|d| matches!(d.rule, "total-mismatch" | "balance-mismatch"))
        {
            let t = a
                .report
                .tables
                .iter()
                .find(|t| d.message.starts_with(t.name))
                .unwrap();
            assert!(
                t.cells.iter().any(|c| c.range.as_ref() == Some(&d.range)),
                "{path}: {} points at a read cell",
                d.rule
            );
        }
    }
}

/// A character of a label replaced by another: a near miss at a table position.
fn near_miss_of(label: &str) -> Option<(usize, String)> {
    let cjk: Vec<(usize, char)> = label
        .char_indices()
        .filter(|(_, c)| {
            ('\u{4e00}'..='\u{9fff}').contains(c) && !"一二三四五六七八九十".contains(*c)
        })
        .collect();
    if cjk.len() < 4 {
        return None;
    }
    let (at, c) = cjk[cjk.len() / 2];
    let with = if c == '某' { '甲' } else { '某' };
    Some((at, format!("{with}")))
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Replace `range` of `text` and report whether `found` holds on the result.
fn mutate(
    text: &str,
    range: Range<usize>,
    with: &str,
    found: impl Fn(&str, &Analysis, &Range<usize>) -> bool,
) -> bool {
    let mut t = text.to_string();
    t.replace_range(range.clone(), with);
    let new = range.start..range.start + with.len();
    let a = run(&t);
    found(&t, &a, &new)
}

#[test]
fn injected_errors_are_found() {
    let (mut tried, mut found) = (
        BTreeMap::<&str, usize>::new(),
        BTreeMap::<&str, usize>::new(),
    );
    let mut missed = Vec::new();
    for path in seeds_and_corpus() {
        let text = read(&path);
        let a = run(&text);
        for t in &a.report.tables {
            let read_part = |r: &Range<usize>| {
                t.parts
                    .iter()
                    .filter(|p| p.verdict == Verdict::Read)
                    .any(|p| overlaps(&p.range, r) || p.range.is_empty())
            };
            // 1. Near-miss labels at table positions: row labels, and the
            // headers as written in the table.
            let tpl = template::get(t.format)
                .tables
                .iter()
                .find(|x| x.id == t.id)
                .unwrap();
            let mut labels: Vec<Range<usize>> = t
                .labels
                .iter()
                .filter(|l| !l.near_miss && read_part(&l.range))
                .map(|l| l.range.clone())
                .collect();
            // Headers of a table read as a whole (a header's part is not known here).
            let whole = t.verdict() == Verdict::Read;
            for item in tpl.items.iter().filter(|_| whole) {
                if let template::Item::Header(h) = item {
                    if let Some(at) = text[t.range.clone()].find(h.header.as_str()) {
                        let r = t.range.start + at..t.range.start + at + h.header.len();
                        if !labels.iter().any(|l| overlaps(l, &r)) {
                            labels.push(r);
                        }
                    }
                }
            }
            for r in labels {
                let Some((at, with)) = near_miss_of(&text[r.clone()]) else {
                    continue;
                };
                let c = text[r.start + at..].chars().next().unwrap();
                let cell = r.start + at..r.start + at + c.len_utf8();
                *tried.entry("label").or_default() += 1;
                let ok = mutate(&text, cell, &with, |_, a, new| {
                    a.diagnostics
                        .iter()
                        .any(|d| d.rule == "table-label" && overlaps(&d.range, new))
                });
                if ok {
                    *found.entry("label").or_default() += 1;
                } else {
                    missed.push(format!("{path}: label {}", &text[r]));
                }
            }
            // 2. Totals changed.
            let mut totals: Vec<Range<usize>> = Vec::new();
            for id in t
                .identities
                .iter()
                .filter(|i| i.kind == IdentityKind::Total)
            {
                if let Some(r) = t.cells[id.left[0]].range.clone() {
                    if !totals.contains(&r) {
                        totals.push(r);
                    }
                }
            }
            for r in totals {
                let old = &text[r.clone()];
                let Ok(v) = old.parse::<i64>() else { continue };
                let new = if old.ends_with('9') { v - 1 } else { v + 1 };
                *tried.entry("total").or_default() += 1;
                let ok = mutate(&text, r.clone(), &new.to_string(), |_, a, new| {
                    a.diagnostics.iter().any(|d| {
                        matches!(d.rule, "total-mismatch" | "balance-mismatch")
                            && (overlaps(&d.range, new)
                                || d.related.iter().any(|x| overlaps(&x.range, new)))
                    })
                });
                if ok {
                    *found.entry("total").or_default() += 1;
                } else {
                    missed.push(format!("{path}: total {old} at {}", r.start));
                }
            }
        }
        // 3. Periods shifted back a year.
        if let (Some(p), Some(year)) = (&a.report.period, a.info.year) {
            if let Some(r) = p.start.year_range.clone() {
                *tried.entry("period").or_default() += 1;
                let ok = mutate(&text, r, &(year - 1).to_string(), |_, a, _| {
                    a.diagnostics.iter().any(|d| d.rule == "period-mismatch")
                });
                if ok {
                    *found.entry("period").or_default() += 1;
                } else {
                    missed.push(format!("{path}: period"));
                }
            }
        }
    }
    let total: usize = tried.values().sum();
    let hit: usize = found.values().sum();
    #[allow(clippy::cast_precision_loss)]
    let recall = hit as f64 / total as f64;
    println!(
        "mutation recall: {hit}/{total} = {:.1}% (labels {}/{}, totals {}/{}, periods {}/{})",
        recall * 100.0,
        found.get("label").unwrap_or(&0),
        tried.get("label").unwrap_or(&0),
        found.get("total").unwrap_or(&0),
        tried.get("total").unwrap_or(&0),
        found.get("period").unwrap_or(&0),
        tried.get("period").unwrap_or(&0),
    );
    if !missed.is_empty() {
        println!("missed:\n{}", missed.join("\n"));
    }
    assert!(
        recall >= 0.97,
        "mutation recall {:.1}% is below 97%",
        recall * 100.0
    );
}

//! Flattened layouts: every seed and every text report of the corpus,
//! rewritten the way published pages are saved as text, must give the
//! original's findings, or one `unreadable-table` per part it cannot read;
//! never an error or warning the original does not have.
//!
//! The three rewrites:
//! - (a) one line, single spaces between cells;
//! - (b) one line, cells of a row run together (rows still apart);
//! - (c) (b) with rows run together too, so an item number (`2.`) glues to
//!   the previous row's last digits;
//! - (d) (c) hard-wrapped every 37 characters, as a crawler or converter
//!   with a fixed line width saves it: headings, labels and numbers are cut
//!   by line breaks anywhere;
//! - (e) one line, every cell and row apart by a tab (a page's innerText
//!   with its line breaks collapsed), under a line of page furniture that
//!   has tabs too: one "row" of hundreds of cells, not a grid.
#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;

use gov_report_lsp::{analyze, Analysis, Settings, Severity};

/// Rules whose findings come from a table: when such a finding of the
/// original is absent from a rewrite, the rewrite must say that table (or a
/// part of it) could not be read.
const TABLE_RULES: &[&str] = &[
    "table-label",
    "missing-row",
    "invalid-number",
    "blank-cell",
    "total-mismatch",
    "balance-mismatch",
    "obsolete-format",
    "missing-table",
];

fn files() -> Vec<String> {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut out = Vec::new();
    for dir in ["tests/examples", "tests/corpus"] {
        let mut names: Vec<_> = std::fs::read_dir(format!("{root}/{dir}"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt" || x == "md"))
            .collect();
        names.sort();
        out.extend(names.into_iter().map(|p| p.display().to_string()));
    }
    out
}

/// The cells of a line: split at `|`, tabs and runs of two or more spaces
/// (pdftotext's columns); a Markdown rule line has none.
fn line_cells(line: &str) -> Vec<String> {
    let t = line.trim();
    if t.contains('-') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t')) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for piece in t.split(['|', '\t']) {
        for cell in piece.split("  ") {
            let cell = cell.split_whitespace().collect::<Vec<_>>().join(" ");
            if !cell.is_empty() {
                out.push(cell);
            }
        }
    }
    out
}

#[derive(Clone, Copy, Debug)]
enum Variant {
    Spaced,
    Glued,
    GluedRows,
    Wrapped,
    Tabbed,
}

fn rewrite(text: &str, v: Variant) -> String {
    let rows: Vec<String> = text
        .lines()
        .map(line_cells)
        .filter(|c| !c.is_empty())
        .map(|cells| match v {
            Variant::Spaced => cells.join(" "),
            Variant::Tabbed => cells.join("\t"),
            Variant::Glued | Variant::GluedRows | Variant::Wrapped => cells
                .concat()
                .split_whitespace()
                .collect::<Vec<_>>()
                .concat(),
        })
        .collect();
    match v {
        Variant::Spaced | Variant::Glued => rows.join(" "),
        Variant::Tabbed => format!("首页\t政务公开\t打印\n{}", rows.join("\t")),
        Variant::GluedRows => rows.concat(),
        Variant::Wrapped => {
            let chars: Vec<char> = rows.concat().chars().collect();
            chars
                .chunks(37)
                .map(|c| c.iter().collect::<String>())
                .collect::<Vec<_>>()
                .join("\n")
        }
    }
}

/// Findings at warning or above, as rule → messages (a multiset).
fn findings(a: &Analysis) -> BTreeMap<&'static str, Vec<String>> {
    let mut out: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    for d in a
        .diagnostics
        .iter()
        .filter(|d| d.severity >= Severity::Warning)
    {
        // A message quotes the text, which the wrapped rewrite cuts with line
        // breaks (`本年度\n處理`): compare without them.
        let mut message: String = d.message.chars().filter(|c| *c != '\n').collect();
        // A heading run on into its text is quoted as a beginning: the same
        // finding, told with the doubt a flattened page leaves.
        if let Some((head, rest)) = message.split_once("（以“") {
            if let Some((title, tail)) = rest.split_once("”开头）") {
                let tail = tail.split("标题与正文连在一起").next().unwrap_or(tail);
                message = format!("{head}“{title}”{tail}");
            }
        }
        out.entry(d.rule).or_default().push(message);
    }
    for v in out.values_mut() {
        v.sort();
    }
    out
}

/// Whether `a` says that table `name` (or a part of it) could not be read.
fn unreadable(a: &Analysis, name: &str) -> bool {
    a.diagnostics
        .iter()
        .any(|d| d.rule == "unreadable-table" && d.message.starts_with(name))
}

#[test]
fn flattened_rewrites_never_add_a_finding() {
    let mut report = Vec::new();
    let mut failures = Vec::new();
    for path in files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let original = analyze(&text, &Settings::default());
        let want = findings(&original);
        for v in [
            Variant::Spaced,
            Variant::Glued,
            Variant::GluedRows,
            Variant::Wrapped,
            Variant::Tabbed,
        ] {
            let flat = rewrite(&text, v);
            let a = analyze(&flat, &Settings::default());
            let got = findings(&a);
            let what = format!("{path} {v:?}");
            // Nothing the original does not have.
            for (rule, msgs) in &got {
                for m in msgs {
                    if !want.get(rule).is_some_and(|w| w.contains(m)) {
                        failures.push(format!("{what}: new finding {rule}: {m}"));
                    }
                }
            }
            // The original's findings, unless their table is reported unreadable.
            let mut lost = 0;
            for (rule, msgs) in &want {
                for m in msgs {
                    if got.get(rule).is_some_and(|g| g.contains(m)) {
                        continue;
                    }
                    let table = original
                        .report
                        .tables
                        .iter()
                        .map(|t| t.name)
                        .find(|n| m.starts_with(n));
                    let excused =
                        TABLE_RULES.contains(rule) && table.is_some_and(|n| unreadable(&a, n));
                    if !excused {
                        failures.push(format!("{what}: lost {rule}: {m}"));
                    }
                    lost += 1;
                }
            }
            let unread = a
                .diagnostics
                .iter()
                .filter(|d| d.rule == "unreadable-table")
                .count();
            report.push(format!(
                "{what}: {lost} findings lost to {unread} unreadable parts"
            ));
        }
    }
    println!("{}", report.join("\n"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `text` hard-wrapped every `width` characters.
fn hard_wrap(text: &str, width: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    chars
        .chunks(width)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A hard-wrapped file is read as the text before wrapping: the file reader
/// leaves the wrapping's line breaks out, so the wrapped page gives the
/// one-line page's findings (every one, not only those of read tables), each
/// on the same text in the file.
#[test]
fn hard_wrapped_files_read_as_before_wrapping() {
    let mut failures = Vec::new();
    for path in files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let line = rewrite(&text, Variant::GluedRows);
        let want = analyze(&line, &Settings::default());
        for width in [23, 37, 61] {
            let wrapped = hard_wrap(&line, width);
            let read = gov_report_lsp::read::read("报告.txt", wrapped.as_bytes()).unwrap();
            let got = gov_report_lsp::read::analyze(&read, &Settings::default()).analysis;
            let what = format!("{path} at {width}");
            if findings(&got) != findings(&want) {
                failures.push(format!(
                    "{what}: {:#?}\n!=\n{:#?}",
                    findings(&got),
                    findings(&want)
                ));
                continue;
            }
            let mut got_at: Vec<(&str, String)> = got
                .diagnostics
                .iter()
                .map(|d| (d.rule, wrapped[d.range.clone()].replace('\n', "")))
                .collect();
            let mut want_at: Vec<(&str, String)> = want
                .diagnostics
                .iter()
                .map(|d| (d.rule, line[d.range.clone()].to_string()))
                .collect();
            got_at.sort();
            want_at.sort();
            if got_at != want_at {
                failures.push(format!("{what}: places {got_at:?}\n!=\n{want_at:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

//! The ways published pages saved as text used to be misread, each on a real
//! page flattened onto one line (`tests/corpus/016.txt`, verified error-free),
//! changed only where a case needs it.

use gov_report_lsp::model::{CellSource, Table, Verdict};
use gov_report_lsp::{analyze, Analysis, Settings, Severity};

fn page() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/016.txt"))
        .expect("corpus page")
}

fn run(text: &str) -> Analysis {
    analyze(text, &Settings::default())
}

fn table<'a>(a: &'a Analysis, id: &str) -> &'a Table {
    a.report.tables.iter().find(|t| t.id == id).expect("table")
}

fn row(t: &Table, key: &str) -> Vec<i64> {
    t.cells
        .iter()
        .filter(|c| c.row == key)
        .filter_map(|c| c.value.as_i64())
        .collect()
}

fn errors(a: &Analysis) -> Vec<String> {
    a.diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{}: {}", d.rule, d.message))
        .collect()
}

/// Cause 1: a space-free run holding labels and numbers is cut at every
/// letter/digit boundary, not judged one long label.
#[test]
fn labels_and_numbers_in_one_run_are_read() {
    let a = run(&page());
    let t2 = table(&a, "t2");
    assert_eq!(row(t2, "R1.1"), [0, 0, 0], "规章000");
    assert_eq!(row(t2, "R5.1"), [4529], "行政许可4529");
    assert!(!a.diagnostics.iter().any(|d| d.rule == "missing-table"));
}

/// Cause 2: a row's last cells stuck to the next label, and an item number
/// glued to the previous row's digits.
#[test]
fn last_cells_and_item_numbers_glued_to_the_next_label() {
    let text = page().replacen(
        "（一）予以公开710000071（二）",
        "（一）予以公开71 0 0 0 0 071（二）",
        1,
    );
    let a = run(&text);
    let t3 = table(&a, "t3");
    assert_eq!(row(t3, "R3.1"), [71, 0, 0, 0, 0, 0, 71]);
    // `1.属于国家秘密40000042.其他法律…`: the 2 is the next row's item number.
    assert_eq!(row(t3, "R3.3.1"), [4, 0, 0, 0, 0, 0, 4]);
    let label = t3
        .labels
        .iter()
        .find(|l| l.expected == "2.其他法律行政法规禁止公开")
        .unwrap();
    assert_eq!(label.found, "2.其他法律行政法规禁止公开");
    assert!(!label.near_miss);
    assert_eq!(errors(&a), Vec::<String>::new());
}

/// Cause 3: a glued run is never placed as one number; it is split only as
/// the identities force (here the row total), or not at all.
#[test]
fn a_glued_run_is_never_one_guessed_number() {
    let a = run(&page().replacen("（一）予以公开710000071", "（一）予以公开71 0 00 0 071", 1));
    let r = row(table(&a, "t3"), "R3.1");
    assert_eq!(r, [71, 0, 0, 0, 0, 0, 71]);
    assert!(table(&a, "t3")
        .cells
        .iter()
        .filter(|c| c.row == "R3.1")
        .any(|c| c.source == CellSource::Forced));
    // Digits no identity can place (表二 has no sums) are not read: the row
    // is reported unreadable, and nothing is checked with a guess.
    let a = run(&page());
    let part = &table(&a, "t2").parts[0];
    assert_eq!(part.verdict, Verdict::Partial);
    assert_eq!(part.unread[0].row_label, "行政规范性文件");
    assert_eq!(errors(&a), Vec::<String>::new());
}

/// Cause 4: a table the reader cannot follow is one finding, not one per row.
#[test]
fn an_unreadable_table_is_one_finding() {
    // Two rows of 表三 as text, the rest of the table an image the page
    // saved as text could not keep.
    let mut text = page();
    let t3 = text.find("（本列数据的勾稽关系为").unwrap();
    let t4 = text.find("四、政府信息公开行政复议").unwrap();
    text.replace_range(
        t3..t4,
        "一、本年新收政府信息公开申请数量 5 0 0 0 0 0 5 二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0 （其余部分为图片）",
    );
    let a = run(&text);
    let t = table(&a, "t3");
    assert_eq!(t.verdict(), Verdict::Unreadable, "{:?}", t.parts);
    let findings: Vec<_> = a
        .diagnostics
        .iter()
        .filter(|d| d.message.starts_with(t.name))
        .collect();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].rule, "unreadable-table");
    assert!(findings[0].message.contains("请在数字之间加空格或使用表格"));
}

/// Cause 5: a heading inside a flattened line, worded off the template, is
/// that heading; the table before it keeps its region.
#[test]
fn an_off_template_heading_inside_a_line_is_found() {
    let text = page().replacen(
        "四、政府信息公开行政复议、行政诉讼情况",
        "四、政府信息公开行政复议与行政诉讼情况",
        1,
    );
    let a = run(&text);
    assert!(!a.diagnostics.iter().any(|d| d.rule == "missing-section"));
    let title = a
        .diagnostics
        .iter()
        .find(|d| d.rule == "section-title")
        .expect("section-title");
    assert_eq!(
        &text[title.range.clone()],
        "政府信息公开行政复议与行政诉讼情况"
    );
    assert_eq!(title.severity, Severity::Warning);
    assert_eq!(table(&a, "t3").verdict(), Verdict::Read);
    assert_eq!(errors(&a), Vec::<String>::new());
}

/// Cause 6: numbers written with units are values.
#[test]
fn numbers_with_units_are_values() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/020.txt"))
            .unwrap()
            .replacen("政府集中采购00", "政府集中采购 2笔 30000元", 1);
    let a = run(&text);
    let t2 = table(&a, "t2");
    assert_eq!(row(t2, "R9.1"), [2, 30000]);
    assert_eq!(errors(&a), Vec::<String>::new());
}

/// Near misses inside a longer run, and a tie broken by the place still
/// unfilled.
#[test]
fn near_misses_inside_runs_and_ties() {
    let text = page().replacen("（一）予以公开", "（一）予与公开", 1);
    let a = run(&text);
    let d = a
        .diagnostics
        .iter()
        .find(|d| d.rule == "table-label")
        .expect("near miss in a run");
    assert_eq!(&text[d.range.clone()], "（一）予与公开");
    assert_eq!(d.fix.as_ref().unwrap().edits[0].new_text, "（一）予以公开");

    // 本年撤销件数 is as close to 本年废止件数 as to 本年制发件数, but only
    // 本年废止件数 is missing at that place.
    let text = page().replacen("本年废止件数", "本年撤销件数", 1);
    let a = run(&text);
    let d = a
        .diagnostics
        .iter()
        .find(|d| d.rule == "table-label")
        .expect("a tie resolved by position");
    assert_eq!(&text[d.range.clone()], "本年撤销件数");
    assert!(d.message.contains("应为“本年废止件数”"), "{}", d.message);
    assert!(!a.diagnostics.iter().any(|d| d.rule == "missing-row"));
}

//! Core behaviour on real reports: the seeds' exact findings, the corpus,
//! injected errors for every rule, and fixes that converge.

use gov_report_lsp::fix::{apply_fixes, FixMode};
use gov_report_lsp::model::Format;
use gov_report_lsp::rules;
use gov_report_lsp::text::{ColumnUnit, LineIndex};
use gov_report_lsp::{analyze, Analysis, Settings, Severity};

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR")))
        .expect("fixture exists")
}

fn run(text: &str) -> Analysis {
    analyze(text, &Settings::default())
}

/// `(rule, 1-based line)` of every finding at or above `min`.
fn findings(text: &str, min: Severity) -> Vec<(String, u32)> {
    let a = run(text);
    let idx = LineIndex::new(text);
    a.diagnostics
        .iter()
        .filter(|d| d.severity >= min)
        .map(|d| {
            (
                d.rule.to_string(),
                idx.line_col(text, d.range.start, ColumnUnit::Char).line + 1,
            )
        })
        .collect()
}

fn pairs(v: &[(&str, u32)]) -> Vec<(String, u32)> {
    v.iter().map(|(r, l)| (r.to_string(), *l)).collect()
}

fn without(v: Vec<(String, u32)>, rule: &str) -> Vec<(String, u32)> {
    v.into_iter().filter(|(r, _)| r != rule).collect()
}

#[test]
fn seed_000_result_maintained_typo() {
    let text = read("tests/examples/000_4ae5941108e95401.txt");
    let a = run(&text);
    assert_eq!(a.info.year, Some(2021));
    assert_eq!(a.info.format, Some(Format::F2021));
    assert_eq!(
        findings(&text, Severity::Warning),
        pairs(&[
            ("table-label", 55),
            ("table-label", 63),
            ("table-label", 68),
            // 六 says only "无。": no 信息处理费 statement (spec §9.2 SIX-001).
            ("fee-statement", 94)
        ])
    );
    let d = &a.diagnostics[0];
    assert_eq!(&text[d.range.clone()], "结果维护");
    assert_eq!(d.fix.as_ref().unwrap().edits[0].new_text, "结果维持");
}

#[test]
fn seed_001_traditional_labels_blank_header_and_heading() {
    let text = read("tests/examples/001_0a6a0bb11ecbd3e0.txt");
    let a = run(&text);
    assert_eq!(a.info.format, Some(Format::F2021));
    // No title and no period sentence: the year cannot be inferred, so the
    // only warning beyond the listed ones is the missing period.
    assert_eq!(
        without(findings(&text, Severity::Warning), "missing-period"),
        pairs(&[
            ("table-label", 9),
            ("table-label", 22),
            ("table-label", 27),
            ("missing-row", 34),
            ("section-title", 288),
            // 六 says only "無。" (year unknown; the tables use the 2021 format).
            ("fee-statement", 291)
        ])
    );
    // Fixes stay in the document's script.
    let fixes: Vec<&str> = a
        .diagnostics
        .iter()
        .filter(|d| d.rule == "table-label")
        .map(|d| d.fix.as_ref().unwrap().edits[0].new_text.as_str())
        .collect();
    assert_eq!(
        fixes,
        ["本年制發件數", "本年處理決定數量", "本年處理決定數量"]
    );
    let heading = a
        .diagnostics
        .iter()
        .find(|d| d.rule == "section-title")
        .unwrap();
    assert_eq!(heading.severity, Severity::Warning);
    assert_eq!(
        heading.fix.as_ref().unwrap().edits[0].new_text,
        "存在的主要問題及改進情況"
    );
}

#[test]
fn seed_002_is_clean() {
    let text = read("tests/examples/002_d644ac36b4bce1f5.txt");
    let a = run(&text);
    assert_eq!(
        (a.info.year, a.info.format),
        (Some(2021), Some(Format::F2021))
    );
    assert_eq!(findings(&text, Severity::Error), vec![]);
    assert_eq!(a.report.tables.len(), 3);
}

#[test]
fn seed_003_heading_warning_only() {
    let text = read("tests/examples/003_45b37724e5fb3c0a.txt");
    let a = run(&text);
    assert_eq!(
        (a.info.year, a.info.format),
        (Some(2023), Some(Format::F2021))
    );
    assert_eq!(
        findings(&text, Severity::Warning),
        pairs(&[("section-title", 90)])
    );
    assert!(a.report.period.is_some());
}

#[test]
fn seed_004_glued_digits_2019_format() {
    let text = read("tests/examples/004_f7c59bf050b26a62.txt");
    let a = run(&text);
    assert_eq!(
        (a.info.year, a.info.format),
        (Some(2020), Some(Format::F2019))
    );
    assert_eq!(findings(&text, Severity::Error), vec![]);
    // 政府集中采购36705283.86 has several splits: reported, never guessed.
    let info: Vec<_> = a
        .diagnostics
        .iter()
        .filter(|d| d.rule == "unreadable-table")
        .collect();
    assert_eq!(info.len(), 1);
    assert_eq!(&text[info[0].range.clone()], "36705283.86");
    // 5000005 is split uniquely by the row sum: 5,0,0,0,0,0,5.
    let t3 = a.report.tables.iter().find(|t| t.id == "t3").unwrap();
    let r1: Vec<i64> = t3
        .cells
        .iter()
        .filter(|c| c.row == "R1")
        .filter_map(|c| c.value.as_i64())
        .collect();
    assert_eq!(r1, [5, 0, 0, 0, 0, 0, 5]);
    let t2 = a.report.tables.iter().find(|t| t.id == "t2").unwrap();
    let punish: Vec<i64> = t2
        .cells
        .iter()
        .filter(|c| c.row == "R6.1")
        .filter_map(|c| c.value.as_i64())
        .collect();
    assert_eq!(punish, [11, -8, 3]);
}

/// Every real report of the corpus parses with its three tables, and every
/// error reported is a real error of that text (checked by hand, see SOURCES.tsv).
#[test]
fn corpus_reports_parse_and_report_only_real_errors() {
    let expected: &[(&str, &[(&str, u32)])] = &[
        ("002.txt", &[]),
        ("012.md", &[]),
        (
            "013.txt",
            &[
                ("obsolete-format", 96),
                ("table-label", 108),
                ("total-mismatch", 149),
                ("total-mismatch", 149),
            ],
        ),
        ("014.txt", &[("obsolete-format", 95), ("table-label", 107)]),
    ];
    for (file, want) in expected {
        let text = read(&format!("tests/corpus/{file}"));
        let a = run(&text);
        let ids: Vec<&str> = a.report.tables.iter().map(|t| t.id).collect();
        assert_eq!(ids, ["t2", "t3", "t4"], "{file}: all three tables");
        assert_eq!(findings(&text, Severity::Error), pairs(want), "{file}");
    }
    // The two PDF→Markdown conversions are structurally broken (custom section
    // numbering, missing headings, garbled tables); they must still parse with
    // all three tables found.
    for file in ["010.md", "011.md"] {
        let text = read(&format!("tests/corpus/{file}"));
        let a = run(&text);
        let ids: Vec<&str> = a.report.tables.iter().map(|t| t.id).collect();
        assert_eq!(ids, ["t2", "t3", "t4"], "{file}");
        assert!(
            a.diagnostics.iter().any(|d| d.rule == "missing-section"),
            "{file} lacks 五"
        );
    }
}

/// Apply fixes until none applies; the fixed findings must be gone and a
/// second pass must change nothing.
fn fix_to_convergence(text: &str, mode: FixMode) -> String {
    let mut current = text.to_string();
    for _ in 0..10 {
        let a = run(&current);
        let (next, n) = apply_fixes(&current, &a.diagnostics, mode);
        if n == 0 {
            return current;
        }
        current = next;
    }
    panic!("fixes did not converge");
}

fn assert_fix_removes(text: &str, rule: &str, mode: FixMode) -> String {
    assert!(
        run(text).diagnostics.iter().any(|d| d.rule == rule),
        "{rule} fires before fixing"
    );
    let fixed = fix_to_convergence(text, mode);
    assert!(
        !run(&fixed).diagnostics.iter().any(|d| d.rule == rule),
        "{rule} gone after fixing:\n{fixed}"
    );
    let (again, n) = apply_fixes(&fixed, &run(&fixed).diagnostics, mode);
    assert_eq!(
        (n, again.as_str()),
        (0, fixed.as_str()),
        "second pass changes nothing"
    );
    fixed
}

#[test]
fn label_typo_is_fixed_and_converges() {
    let text = read("tests/examples/000_4ae5941108e95401.txt");
    let fixed = assert_fix_removes(&text, "table-label", FixMode::Safe);
    assert_eq!(fixed.matches("结果维持").count(), 3);
    // What remains has no fix: 六 lacks the 信息处理费 statement.
    assert_eq!(
        findings(&fixed, Severity::Warning),
        pairs(&[("fee-statement", 94)])
    );
}

#[test]
fn traditional_fixes_converge() {
    let text = read("tests/examples/001_0a6a0bb11ecbd3e0.txt");
    let fixed = assert_fix_removes(&text, "table-label", FixMode::Safe);
    assert!(fixed.contains("本年制發件數"));
    assert!(!run(&fixed)
        .diagnostics
        .iter()
        .any(|d| d.rule == "section-title"));
}

fn seed3() -> String {
    read("tests/examples/003_45b37724e5fb3c0a.txt")
}

#[test]
fn changed_number_breaks_totals_and_balance() {
    // 行政处罚 3 is fine in 表二; change 表三's 予以公开 natural-person count to 2:
    // its row total (0) and the column total (0) no longer add up, and the balance fails.
    let text = seed3().replacen("(一) 予以公开\t0", "(一) 予以公开\t2", 1);
    let f = findings(&text, Severity::Error);
    assert!(f.contains(&("total-mismatch".into(), 59)), "{f:?}");
    assert!(
        f.iter().any(|(r, _)| r == "total-mismatch" && f.len() >= 2),
        "{f:?}"
    );
    let a = run(&text);
    let row_total = a
        .diagnostics
        .iter()
        .find(|d| d.rule == "total-mismatch")
        .unwrap();
    assert!(
        row_total.message.contains("应为 2"),
        "{}",
        row_total.message
    );
    assert!(
        !row_total.related.is_empty(),
        "total lists the cells it summed"
    );
    // Fixing totals (unsafe) makes every sum consistent again except the balance,
    // which has no fix: the changed cell is the real error.
    let fixed = fix_to_convergence(&text, FixMode::All);
    let after = findings(&fixed, Severity::Error);
    assert!(
        after.iter().all(|(r, _)| r == "balance-mismatch"),
        "{after:?}"
    );
    assert!(!after.is_empty());
}

#[test]
fn balance_mismatch_per_column() {
    // 上年结转 natural person 0 → 1 with its row total 0 → 1: rows add up, the balance does not.
    let text = seed3().replacen(
        "二、上年结转政府信息公开申请数量\t\t0\t0\t0\t0\t0\t0\t0",
        "二、上年结转政府信息公开申请数量\t\t1\t0\t0\t0\t0\t0\t1",
        1,
    );
    let f = findings(&text, Severity::Error);
    assert_eq!(
        f.iter().filter(|(r, _)| r == "balance-mismatch").count(),
        2,
        "自然人 and 总计 columns: {f:?}"
    );
    assert!(f.iter().all(|(r, _)| r == "balance-mismatch"), "{f:?}");
}

#[test]
fn table_four_total() {
    let text = seed3().replacen(
        "0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0",
        "1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0",
        1,
    );
    let f = findings(&text, Severity::Error);
    assert_eq!(f, pairs(&[("total-mismatch", 88)]));
    assert_fix_removes(&text, "total-mismatch", FixMode::All);
}

#[test]
fn deleted_heading_is_missing_section_and_fix_inserts_it() {
    let text = seed3().replacen("五、存在的主要问题及改进措施\n", "", 1);
    let f = findings(&text, Severity::Error);
    assert_eq!(f, pairs(&[("missing-section", 97)]));
    let fixed = assert_fix_removes(&text, "missing-section", FixMode::All);
    assert!(fixed.contains("五、存在的主要问题及改进情况\n"));
}

/// Seed 003 as Markdown: every section heading becomes `## heading`.
fn seed3_markdown() -> String {
    let text = seed3();
    let mut starts: Vec<usize> = run(&text)
        .report
        .sections
        .iter()
        .map(|s| s.range.start)
        .collect();
    starts.sort_unstable();
    let mut out = text.clone();
    for start in starts.into_iter().rev() {
        out.insert_str(start, "## ");
    }
    out
}

#[test]
fn inserted_heading_takes_the_level_of_its_neighbours() {
    let text = seed3_markdown().replacen("## 五、存在的主要问题及改进措施\n", "", 1);
    assert_eq!(
        run(&text).report.sections.len(),
        5,
        "five headings before fixing"
    );
    let fixed = assert_fix_removes(&text, "missing-section", FixMode::All);
    assert!(
        fixed.contains("## 五、存在的主要问题及改进情况\n## 六、其他需要报告的事项"),
        "{fixed}"
    );
    // Re-parsed, every heading still starts its own `## ` line.
    let report = run(&fixed).report;
    let numbers: Vec<u8> = report.sections.iter().map(|s| s.number).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5, 6]);
    for s in &report.sections {
        let line_start = fixed[..s.range.start].rfind('\n').map_or(0, |i| i + 1);
        assert_eq!(&fixed[line_start..s.range.start], "## ", "{}", s.text);
    }
    // The last heading missing: inserted at the end, at the same level.
    let text = seed3_markdown();
    let cut = text.find("## 六、").unwrap();
    let fixed = assert_fix_removes(&text[..cut], "missing-section", FixMode::All);
    assert!(fixed.ends_with("\n## 六、其他需要报告的事项\n"), "{fixed}");
}

#[test]
fn tables_are_checked_even_without_their_heading() {
    // Heading 三 deleted and a number changed: both are reported.
    let text = seed3()
        .replacen("三、收到和处理政府信息公开申请情况\n", "", 1)
        .replacen("(一) 予以公开\t0", "(一) 予以公开\t2", 1);
    let f = findings(&text, Severity::Error);
    assert!(f.iter().any(|(r, _)| r == "missing-section"), "{f:?}");
    assert!(f.iter().any(|(r, _)| r == "total-mismatch"), "{f:?}");
    assert!(!f.iter().any(|(r, _)| r == "missing-table"), "{f:?}");
}

#[test]
fn last_year_period_is_reported_and_fixed() {
    let text = seed3().replacen("2023年1月1日至12月31日", "2022年1月1日至12月31日", 1);
    let f = findings(&text, Severity::Error);
    assert_eq!(f, pairs(&[("period-mismatch", 5)]));
    let a = run(&text);
    let d = a
        .diagnostics
        .iter()
        .find(|d| d.rule == "period-mismatch")
        .unwrap();
    assert_eq!(&text[d.range.clone()], "2022");
    assert!(d.message.contains("2023"));
    let fixed = assert_fix_removes(&text, "period-mismatch", FixMode::All);
    assert!(fixed.contains("2023年1月1日至12月31日"));
}

#[test]
fn a_period_cut_by_line_breaks_inside_its_numbers_is_read_whole() {
    // Text hard-wrapped at a fixed width cuts numbers anywhere.
    for cut in ["2023年1月1日至12月3\n1日", "202\n3年1月1日至1\n2月31日"] {
        let text = seed3().replacen("2023年1月1日至12月31日", cut, 1);
        let a = run(&text);
        let p = a.report.period.as_ref().expect("period read");
        let end = p.end.as_ref().unwrap();
        assert_eq!(
            (p.start.year, end.month, end.day),
            (Some(2023), 12, 31),
            "{cut}"
        );
        assert!(
            !a.diagnostics.iter().any(|d| d.rule == "period-mismatch"),
            "{cut}: {:?}",
            a.diagnostics
        );
    }
}

#[test]
fn open_ended_and_impossible_periods() {
    let open = seed3().replacen("2023年1月1日至12月31日", "2023年1月1日至今", 1);
    let a = run(&open);
    let d = a
        .diagnostics
        .iter()
        .find(|d| d.rule == "period-mismatch")
        .expect("open end reported");
    assert_eq!(&open[d.range.clone()], "今");
    let impossible = seed3().replacen("2023年1月1日至12月31日", "2023年1月1日至2月30日", 1);
    let a = run(&impossible);
    assert!(a
        .diagnostics
        .iter()
        .any(|d| d.rule == "period-mismatch" && d.message.contains("不存在")));
}

#[test]
fn label_typo_injected_in_table_three() {
    let text = seed3().replacen("4.保护第三方合法权益", "4.保护第三方合法利益", 1);
    let f = findings(&text, Severity::Error);
    assert_eq!(f, pairs(&[("table-label", 64)]));
    assert_fix_removes(&text, "table-label", FixMode::Safe);
}

#[test]
fn similar_labels_are_never_confused() {
    // 结果纠正 is a template label of its own: never a near miss of 结果维持.
    let text = read("tests/examples/000_4ae5941108e95401.txt");
    let a = run(&text);
    assert!(a
        .diagnostics
        .iter()
        .all(|d| !text[d.range.clone()].contains("纠正")));
}

#[test]
fn blank_and_non_numeric_cells() {
    let text = seed3().replacen("行政处罚\t3", "行政处罚\t/", 1).replacen(
        "行政许可\t0",
        "行政许可\t2.5",
        1,
    );
    // A fraction is an error; a blank is a warning of its own rule.
    let f = findings(&text, Severity::Error);
    assert_eq!(f, pairs(&[("invalid-number", 43)]));
    let w = findings(&text, Severity::Warning);
    assert!(w.contains(&("blank-cell".to_string(), 46)), "{w:?}");
}

#[test]
fn missing_row_and_missing_table() {
    let no_row = seed3().replacen("\t\t8.属于行政查询事项\t0\t0\t0\t0\t0\t0\t0\n", "\n", 1);
    assert!(findings(&no_row, Severity::Error)
        .iter()
        .any(|(r, _)| r == "missing-row"));
    let start = seed3().find("第二十条第（一）项").unwrap();
    let end = seed3().find("三、收到和处理").unwrap();
    let mut no_table = seed3();
    no_table.replace_range(start..end, "本年度无相关数据。\n\n");
    assert_eq!(
        findings(&no_table, Severity::Error),
        pairs(&[("missing-table", 35)])
    );
}

#[test]
fn section_order_and_shifted_ordinals() {
    let text = seed3().replacen("二、主动公开政府信息情况", "一、主动公开政府信息情况", 1);
    assert_eq!(
        findings(&text, Severity::Error),
        pairs(&[("section-order", 35)])
    );
    let swapped = {
        let s = seed3();
        let five = s.find("五、存在").unwrap();
        let six = s.find("六、其他").unwrap();
        format!("{}{}\n{}", &s[..five], &s[six..], &s[five..six])
    };
    assert!(findings(&swapped, Severity::Error)
        .iter()
        .any(|(r, _)| r == "section-order"));
}

#[test]
fn obsolete_format_for_year() {
    // A 2020 report (2019 format) relabelled as 2022 must use the 2021 format.
    let text = read("tests/examples/004_f7c59bf050b26a62.txt").replace(
        "2020年政府信息公开工作年度报告",
        "2022年政府信息公开工作年度报告",
    );
    let f = findings(&text, Severity::Error);
    assert!(
        f.iter().filter(|(r, _)| r == "obsolete-format").count() >= 2,
        "{f:?}"
    );
    // And the override flag decides the year.
    let settings = Settings {
        year: Some(2020),
        ..Settings::default()
    };
    let a = analyze(&text, &settings);
    assert!(!a.diagnostics.iter().any(|d| d.rule == "obsolete-format"));
}

#[test]
fn flattened_single_line_page() {
    // A whole web page saved onto one line: headings and table rows inline.
    let flat = read("tests/examples/000_4ae5941108e95401.txt").replace('\n', " ");
    let a = run(&flat);
    assert_eq!(a.report.sections.len(), 6);
    let labels = a
        .diagnostics
        .iter()
        .filter(|d| d.rule == "table-label")
        .count();
    assert_eq!(
        labels,
        3,
        "{:?}",
        a.diagnostics
            .iter()
            .map(|d| (d.rule, &d.message))
            .collect::<Vec<_>>()
    );
}

#[test]
fn severity_override_and_off() {
    let text = read("tests/examples/000_4ae5941108e95401.txt");
    let mut settings = Settings::default();
    for rule in ["table-label", "fee-statement"] {
        settings
            .severities
            .insert(rule.into(), gov_report_lsp::settings::Level::Off);
    }
    assert!(analyze(&text, &settings).diagnostics.is_empty());
    settings
        .severities
        .insert("table-label".into(), gov_report_lsp::settings::Level::Info);
    assert!(analyze(&text, &settings)
        .diagnostics
        .iter()
        .all(|d| d.severity == Severity::Info));
}

#[test]
fn every_rule_is_documented() {
    for rule in rules::ALL {
        for heading in ["## 检查内容", "## 原因", "## 示例", "## 修复"] {
            assert!(rule.docs.contains(heading), "{} lacks {heading}", rule.id);
        }
        assert!(rule.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
        assert!(!rule.summary.is_empty());
    }
}

#[test]
fn templates_are_consistent() {
    use gov_report_lsp::template::{self, Each, Item};
    for tpl in template::all() {
        for t in &tpl.tables {
            let rows: Vec<_> = t.rows().collect();
            let mut keys: Vec<&str> = rows.iter().map(|r| r.row.as_str()).collect();
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(
                keys.len(),
                rows.len(),
                "{} {}: row keys unique",
                tpl.format.as_str(),
                t.id
            );
            for r in &rows {
                assert!(
                    !t.columns_of(r).is_empty(),
                    "{}: {} has columns",
                    t.id,
                    r.row
                );
                assert!(r.kinds.is_empty() || r.kinds.len() == t.columns_of(r).len());
            }
            for sum in &t.sums {
                let refs: Vec<&String> = sum
                    .total
                    .iter()
                    .chain(&sum.parts)
                    .chain(&sum.left)
                    .chain(&sum.right)
                    .collect();
                assert!(!refs.is_empty());
                for r in refs {
                    match sum.each {
                        Some(Each::Row) => assert!(r.parse::<usize>().unwrap() < t.columns.len()),
                        Some(Each::Column) => assert!(keys.contains(&r.as_str()), "{r}"),
                        None => {
                            let (row, col) = r.split_once(':').unwrap();
                            let row = rows.iter().find(|x| x.row == row).unwrap();
                            assert!(col.parse::<usize>().unwrap() < t.columns_of(row).len());
                        }
                    }
                }
            }
            assert!(t.items.iter().any(|i| matches!(i, Item::Header(_))));
        }
    }
    assert_eq!(template::sections().len(), 6);
}

#[test]
fn nothing_panics_on_odd_input() {
    for text in ["", "\n\n", "一、", "|||", "𠮷", "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 99999999999999999999999"] {
        let a = run(text);
        for d in &a.diagnostics {
            assert!(text.is_char_boundary(d.range.start) && text.is_char_boundary(d.range.end));
        }
    }
}

#[test]
fn heading_followed_by_text_on_the_same_line() {
    let text = seed3().replacen("一、总体情况\n\n", "一、总体情况 ", 1);
    let a = run(&text);
    let one = a
        .report
        .sections
        .iter()
        .find(|s| s.number == 1)
        .expect("heading found");
    assert_eq!(one.text, "一、总体情况");
    assert_eq!(findings(&text, Severity::Error), vec![]);
}

#[test]
fn thousands_separators_and_full_width_digits() {
    let text = seed3()
        .replacen("行政处罚\t3", "行政处罚\t3,985,758", 1)
        .replacen("规章\t0\t0\t0", "规章\t０\t０\t０", 1);
    let a = run(&text);
    let t2 = a.report.tables.iter().find(|t| t.id == "t2").unwrap();
    let punish = t2.cells.iter().find(|c| c.row == "R6.1").unwrap();
    assert_eq!(punish.value.as_i64(), Some(3_985_758));
    assert_eq!(findings(&text, Severity::Error), vec![]);
}

#[test]
fn format_from_citation_when_no_table_is_readable() {
    let text = "某局2020年政府信息公开工作年度报告\n依据国办公开办函〔2019〕60号编制。\n一、总体情况\n略。\n";
    assert_eq!(run(text).info.format, Some(Format::F2019));
    assert_eq!(run(text).info.year, Some(2020));
}

#[test]
fn template_checks_are_expanded_from_the_sums() {
    use gov_report_lsp::template;
    let t3 = template::get(Format::F2021)
        .tables
        .iter()
        .find(|t| t.id == "t3")
        .unwrap();
    // 25 row totals + 7 column totals + 7 balances.
    assert_eq!(t3.checks.len(), 25 + 7 + 7);
    let t3_2019 = template::get(Format::F2019)
        .tables
        .iter()
        .find(|t| t.id == "t3")
        .unwrap();
    assert_eq!(t3_2019.checks.len(), 23 + 7 + 7);
    let t4 = template::get(Format::F2021)
        .tables
        .iter()
        .find(|t| t.id == "t4")
        .unwrap();
    assert_eq!(t4.checks.len(), 3);
}

#[test]
fn the_title_is_given_without_markdown_markup() {
    let body = seed3();
    for (line, expected) in [
        (
            "# 某某局2023年政府信息公开工作年度报告",
            "某某局2023年政府信息公开工作年度报告",
        ),
        (
            "## 某某局2023年政府信息公开工作年度报告 ##",
            "某某局2023年政府信息公开工作年度报告",
        ),
        (
            "**某某局2023年政府信息公开工作年度报告**",
            "某某局2023年政府信息公开工作年度报告",
        ),
        (
            "# **𠮷局2023年度政府信息公开工作年度报告**",
            "𠮷局2023年度政府信息公开工作年度报告",
        ),
        (
            "> # 某某局2023年政府信息公开工作年度报告",
            "某某局2023年政府信息公开工作年度报告",
        ),
        (
            "　某某局2023年政府信息公开工作年度报告　",
            "某某局2023年政府信息公开工作年度报告",
        ),
        (
            "#2023年政府信息公开工作年度报告",
            "#2023年政府信息公开工作年度报告",
        ),
    ] {
        let text = format!("{line}\n\n{body}");
        let title = run(&text).report.title.expect("title");
        assert_eq!(title.text, expected, "{line}");
        assert_eq!(&text[title.range.clone()], expected, "{line}");
    }
}

/// The report year comes from wherever the report states it; a statistical
/// period copied from last year is then noticed even without a title.
#[test]
fn report_year_from_every_place_the_report_states_it() {
    let base = seed3();
    let title = "原州区医疗保障局 2023 年政府信息公开工作年度报告";
    for other in [
        "2023年原州区医疗保障局政府信息公开工作年度报告",
        "原州区医疗保障局2023年政府信息公开工作报告",
    ] {
        let text = base.replacen(title, other, 1);
        assert_eq!(run(&text).info.year, Some(2023), "{other}");
    }
    let untitled = base.replacen(title, "", 1).replacen(
        "现发布《原州区医疗保障局2023年政府信息公开工作年度报告》，",
        "",
        1,
    );
    let copied = untitled.replacen("从2023年1月1日", "从2022年1月1日", 1);
    // From the opening of 总体情况 (`2023年原州区医疗保障局坚持…`).
    let a = run(&copied);
    assert_eq!(a.info.year, Some(2023));
    assert!(a.diagnostics.iter().any(|d| d.rule == "period-mismatch"));
    // From a preface naming the year's 总体情况.
    let preface = copied
        .replacen("2023年原州区医疗保障局坚持", "原州区医疗保障局坚持", 1)
        .replacen(
            "要求，",
            "要求，本报告包括2023年总体情况、主动公开政府信息情况等六部分。",
            1,
        );
    let a = run(&preface);
    assert_eq!(a.info.year, Some(2023));
    assert!(a.diagnostics.iter().any(|d| d.rule == "period-mismatch"));
    // A report citing 〔2021〕30号 is not of 2020, whatever its period says.
    let old = preface
        .replacen("包括2023年总体情况", "包括总体情况", 1)
        .replacen("从2022年1月1日", "从2020年1月1日", 1);
    assert_ne!(run(&old).info.year, Some(2020));
}

/// The 2019 format cited by its title (it alone says 试行) in a later report.
#[test]
fn obsolete_format_cited_by_title() {
    let text = seed3().replacen(
        "〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）",
        "〈中华人民共和国政府信息公开工作年度报告格式（试行）〉的通知》",
        1,
    );
    let a = run(&text);
    let d = a
        .diagnostics
        .iter()
        .find(|d| d.rule == "obsolete-format")
        .expect("obsolete-format");
    assert!(text[d.range.clone()].contains("试行"));
    assert!(d.message.contains("2019 年的报告格式"), "{}", d.message);
}

/// Messages say where they are: the three 表四 groups are named, and no two
/// findings of one report read the same (the Problems panel shows no position
/// next to the message).
#[test]
fn messages_are_unambiguous_without_their_position() {
    let a = run(&read("tests/examples/000_4ae5941108e95401.txt"));
    let labels: Vec<&str> = a
        .diagnostics
        .iter()
        .filter(|d| d.rule == "table-label")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(labels.len(), 3);
    for group in ["“行政复议”组", "“未经复议直接起诉”组", "“复议后起诉”组"]
    {
        assert_eq!(
            labels.iter().filter(|m| m.contains(group)).count(),
            1,
            "{group}: {labels:?}"
        );
    }
    // A blank in 表四's data row names its group and column.
    let text = seed3().replacen("0\t0\t0\t0\t0\n\n五、", "0\t0\t0\t0\t/\n\n五、", 1);
    let a = run(&text);
    let blank = a
        .diagnostics
        .iter()
        .find(|d| d.rule == "blank-cell")
        .expect("blank cell");
    assert!(
        blank.message.contains("“复议后起诉”组“总计”栏"),
        "{}",
        blank.message
    );
    // Over every report the tests hold, no two findings of one file read alike.
    let mut paths: Vec<_> = ["tests/examples", "tests/corpus"]
        .iter()
        .flat_map(|d| std::fs::read_dir(format!("{}/{d}", env!("CARGO_MANIFEST_DIR"))).unwrap())
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt" || x == "md"))
        .collect();
    paths.sort();
    for p in paths {
        let text = std::fs::read_to_string(&p).unwrap();
        let a = run(&text);
        let mut seen = std::collections::HashSet::new();
        for d in &a.diagnostics {
            assert!(
                seen.insert((d.rule, d.message.as_str())),
                "{}: twice: {}",
                p.display(),
                d.message
            );
        }
    }
}

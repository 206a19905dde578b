//! Suppression end to end through `analyze`: Markdown comments in every form,
//! `[[ignore]]` entries for plain text, and `unused-suppression` with its fix.
//! Also `missing-accountability` (the `agency-kind = "government"` rule).

use gov_report_lsp::config::Config;
use gov_report_lsp::fix::{apply_fixes, FixMode};
use gov_report_lsp::settings::{AgencyKind, Level};
use gov_report_lsp::text::{ColumnUnit, LineIndex};
use gov_report_lsp::{analyze, Diagnostic, Settings, Severity};

/// Seed 003 has one `section-title` warning (line 90) and no error.
const SEED: &str = include_str!("examples/003_45b37724e5fb3c0a.txt");
const HEADING_LINE: usize = 90;

fn line_of(text: &str, d: &Diagnostic) -> usize {
    LineIndex::new(text)
        .line_col(text, d.range.start, ColumnUnit::Char)
        .line as usize
        + 1
}

/// The rules these tests are about: the table parser's findings (which
/// depend on the lead's parser) are left out, so that the tests check
/// suppression only.
const WATCHED: [&str; 3] = [
    "section-title",
    "unused-suppression",
    "missing-accountability",
];

fn watched(text: &str, settings: &Settings) -> Vec<Diagnostic> {
    let mut a = analyze(text, settings);
    a.diagnostics.retain(|d| WATCHED.contains(&d.rule));
    a.diagnostics
}

fn found(text: &str, settings: &Settings) -> Vec<(&'static str, usize, Severity)> {
    watched(text, settings)
        .iter()
        .map(|d| (d.rule, line_of(text, d), d.severity))
        .collect()
}

/// The seed with `lines` inserted before 1-based line `at`.
fn insert_before(at: usize, lines: &[&str]) -> String {
    let mut out: Vec<&str> = SEED.split_inclusive('\n').collect();
    let extra: Vec<String> = lines.iter().map(|l| format!("{l}\n")).collect();
    for (i, l) in extra.iter().enumerate() {
        out.insert(at - 1 + i, l);
    }
    out.concat()
}

/// The seed with `lines` appended at the end.
fn append(lines: &[&str]) -> String {
    let mut s = SEED.to_string();
    if !s.ends_with('\n') {
        s.push('\n');
    }
    for l in lines {
        s.push_str(l);
        s.push('\n');
    }
    s
}

#[test]
fn the_seed_has_the_finding_we_suppress() {
    assert_eq!(
        found(SEED, &Settings::default()),
        [("section-title", HEADING_LINE, Severity::Warning)]
    );
}

#[test]
fn disable_next_line_with_and_without_rule() {
    for comment in [
        "<!-- gov-report-disable-next-line section-title -->",
        "<!-- gov-report-disable-next-line -->",
        "<!--gov-report-disable-next-line missing-row,section-title-->",
    ] {
        let text = insert_before(HEADING_LINE - 1, &[comment]);
        let got = found(&text, &Settings::default());
        let expected: Vec<(&str, usize, Severity)> = if comment.contains("missing-row") {
            // missing-row suppressed nothing: reported, the rest is silent.
            vec![("unused-suppression", HEADING_LINE - 1, Severity::Warning)]
        } else {
            vec![]
        };
        assert_eq!(got, expected, "{comment}");
    }
}

#[test]
fn disable_enable_region() {
    let text = insert_before(HEADING_LINE, &["<!-- gov-report-disable section-title -->"]);
    assert_eq!(found(&text, &Settings::default()), []);
    // The region ends at the enable: a heading after it is still flagged.
    let text = insert_before(
        HEADING_LINE,
        &[
            "<!-- gov-report-disable section-title -->",
            "<!-- gov-report-enable -->",
        ],
    );
    assert_eq!(
        found(&text, &Settings::default()),
        [
            ("unused-suppression", HEADING_LINE, Severity::Warning),
            ("section-title", HEADING_LINE + 2, Severity::Warning),
        ]
    );
}

#[test]
fn disable_file_anywhere() {
    for comment in [
        "<!-- gov-report-disable-file -->",
        "<!-- gov-report-disable-file section-title -->",
    ] {
        let text = append(&[comment]);
        assert_eq!(found(&text, &Settings::default()), [], "{comment}");
    }
    let text = append(&["<!-- gov-report-disable-file table-label -->"]);
    let last = text.lines().count();
    assert_eq!(
        found(&text, &Settings::default()),
        [
            ("section-title", HEADING_LINE, Severity::Warning),
            ("unused-suppression", last, Severity::Warning),
        ]
    );
}

#[test]
fn unused_suppression_fix_removes_the_line_and_converges() {
    let comment = "<!-- gov-report-disable-next-line table-label -->";
    let text = insert_before(HEADING_LINE, &[comment]);
    let ds = watched(&text, &Settings::default());
    let unused: Vec<&Diagnostic> = ds
        .iter()
        .filter(|d| d.rule == "unused-suppression")
        .collect();
    assert_eq!(unused.len(), 1);
    assert_eq!(&text[unused[0].range.clone()], comment);
    assert!(
        unused[0].message.contains("table-label"),
        "{}",
        unused[0].message
    );
    // --fix applies safe fixes: removes the comment and fixes the heading.
    let (fixed, n) = apply_fixes(&text, &ds, FixMode::Safe);
    assert_eq!(n, 2);
    assert!(!fixed.contains("gov-report-"));
    assert_eq!(fixed.lines().count(), SEED.lines().count());
    assert_eq!(found(&fixed, &Settings::default()), []);
    let (again, n) = apply_fixes(
        &fixed,
        &watched(&fixed, &Settings::default()),
        FixMode::Safe,
    );
    assert_eq!((again.as_str(), n), (fixed.as_str(), 0));
}

#[test]
fn partly_used_directive_keeps_the_used_rule() {
    let text = insert_before(
        HEADING_LINE,
        &["<!-- gov-report-disable-next-line table-label, section-title -->"],
    );
    let ds = watched(&text, &Settings::default());
    assert_eq!(ds.len(), 1, "{ds:?}");
    let (fixed, _) = apply_fixes(&text, &ds, FixMode::Safe);
    assert!(fixed.contains("<!-- gov-report-disable-next-line section-title -->\n"));
    assert_eq!(found(&fixed, &Settings::default()), []);
}

#[test]
fn unknown_rule_and_unknown_directive_are_reported_without_fix() {
    let text = insert_before(
        HEADING_LINE,
        &["<!-- gov-report-disable-next-line section-titel -->"],
    );
    let a = analyze(&text, &Settings::default());
    let u: Vec<&Diagnostic> = a
        .diagnostics
        .iter()
        .filter(|d| d.rule == "unused-suppression")
        .collect();
    assert_eq!(u.len(), 1);
    assert_eq!(&text[u[0].range.clone()], "section-titel");
    assert!(
        u[0].message.contains("是否想写 `section-title`"),
        "{}",
        u[0].message
    );
    assert!(u[0].fix.is_none());
    assert!(a.diagnostics.iter().any(|d| d.rule == "section-title"));

    let text = insert_before(
        HEADING_LINE,
        &["<!-- gov-report-disable-line section-title -->"],
    );
    let a = analyze(&text, &Settings::default());
    let u: Vec<&Diagnostic> = a
        .diagnostics
        .iter()
        .filter(|d| d.rule == "unused-suppression")
        .collect();
    assert_eq!(u.len(), 1);
    assert!(
        u[0].message.contains("gov-report-disable-line"),
        "{}",
        u[0].message
    );
    assert!(
        u[0].message.contains("gov-report-disable-next-line"),
        "{}",
        u[0].message
    );
}

#[test]
fn suppressing_a_rule_that_is_off_says_so() {
    let text = insert_before(
        HEADING_LINE,
        &["<!-- gov-report-disable-next-line section-title -->"],
    );
    let mut settings = Settings::default();
    settings
        .severities
        .insert("section-title".into(), Level::Off);
    let ds = watched(&text, &settings);
    assert_eq!(ds.len(), 1);
    assert!(
        ds[0].message.contains("已在配置中关闭"),
        "{}",
        ds[0].message
    );
    // And unused-suppression itself can be turned off or down.
    settings
        .severities
        .insert("unused-suppression".into(), Level::Info);
    assert_eq!(
        found(&text, &settings),
        [("unused-suppression", HEADING_LINE, Severity::Info)]
    );
    settings
        .severities
        .insert("unused-suppression".into(), Level::Off);
    assert_eq!(found(&text, &settings), []);
}

#[test]
fn plain_text_ignore_entries_from_the_config_file() {
    let config = Config::parse(
        std::path::Path::new("gov-report.toml"),
        "[[ignore]]\nrule = \"section-title\"\ntext = \"五、存在的主要问题及改进措施\"\n",
    )
    .unwrap();
    assert_eq!(found(SEED, &config.settings()), []);
    // Same text, another rule: not silenced.
    let config = Config::parse(
        std::path::Path::new("gov-report.toml"),
        "[[ignore]]\nrule = \"table-label\"\ntext = \"五、存在的主要问题及改进措施\"\n",
    )
    .unwrap();
    assert_eq!(found(SEED, &config.settings()).len(), 1);
}

#[test]
fn severities_from_the_config_file_apply() {
    let config = Config::parse(
        std::path::Path::new("gov-report.toml"),
        "[rules]\nsection-title = \"error\"\n",
    )
    .unwrap();
    assert_eq!(
        found(SEED, &config.settings()),
        [("section-title", HEADING_LINE, Severity::Error)]
    );
}

fn government() -> Settings {
    Settings {
        agency_kind: Some(AgencyKind::Government),
        ..Settings::default()
    }
}

#[test]
fn missing_accountability_only_for_governments() {
    // Seed 003 covers 考核, 评议 and 责任追究 in its 监督保障 paragraph.
    assert!(!found(SEED, &government())
        .iter()
        .any(|f| f.0 == "missing-accountability"));
    // Remove 评议: the government report is now missing 社会评议.
    let text = SEED.replace("评议", "调查");
    let a = analyze(&text, &government());
    let d: Vec<&Diagnostic> = a
        .diagnostics
        .iter()
        .filter(|d| d.rule == "missing-accountability")
        .collect();
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].severity, Severity::Error);
    assert_eq!(&text[d[0].range.clone()], "一、总体情况");
    assert!(
        d[0].message
            .ends_with("未找到：社会评议。请在“一、总体情况”的监督保障部分补充。"),
        "{}",
        d[0].message
    );
    // A department's report has no such duty.
    let department = Settings {
        agency_kind: Some(AgencyKind::Department),
        ..Settings::default()
    };
    assert!(!found(&text, &department)
        .iter()
        .any(|f| f.0 == "missing-accountability"));
    assert!(!found(&text, &Settings::default())
        .iter()
        .any(|f| f.0 == "missing-accountability"));
}

#[test]
fn missing_accountability_lists_every_missing_topic_and_reads_traditional() {
    let seed000 = include_str!("examples/000_4ae5941108e95401.txt");
    let a = analyze(seed000, &government());
    let d: Vec<&Diagnostic> = a
        .diagnostics
        .iter()
        .filter(|d| d.rule == "missing-accountability")
        .collect();
    assert_eq!(d.len(), 1);
    assert!(
        d[0].message
            .contains("未找到：工作考核、社会评议、责任追究。"),
        "{}",
        d[0].message
    );
    // Seed 001 is traditional: 考核 is found, the other two are not.
    let seed001 = include_str!("examples/001_0a6a0bb11ecbd3e0.txt");
    let a = analyze(seed001, &government());
    let d: Vec<&Diagnostic> = a
        .diagnostics
        .iter()
        .filter(|d| d.rule == "missing-accountability")
        .collect();
    assert_eq!(d.len(), 1);
    assert!(
        d[0].message.contains("未找到：社会评议、责任追究。"),
        "{}",
        d[0].message
    );
    // Words broken across lines (PDF text) still count.
    let text = SEED.replace("社会评议", "社会评\n议");
    assert!(!found(&text, &government())
        .iter()
        .any(|f| f.0 == "missing-accountability"));
}

#[test]
fn a_comment_inside_a_table_silences_one_label_and_changes_nothing_else() {
    let seed = include_str!("examples/000_4ae5941108e95401.txt");
    let all = |text: &str| -> Vec<(&'static str, usize)> {
        analyze(text, &Settings::default())
            .diagnostics
            .iter()
            .map(|d| (d.rule, line_of(text, d)))
            .collect()
    };
    let before = all(seed);
    assert!(before.contains(&("table-label", 55)), "{before:?}");
    for comment in [
        "<!-- gov-report-disable-next-line table-label -->",
        "<!-- 注释掉的旧文字：结果维护 -->",
    ] {
        let mut lines: Vec<&str> = seed.split_inclusive('\n').collect();
        let with_newline = format!("{comment}\n");
        lines.insert(54, &with_newline);
        let text = lines.concat();
        // Lines after the comment move down by one.
        let expected: Vec<(&str, usize)> = before
            .iter()
            .filter(|&&f| !(comment.contains("disable") && f == ("table-label", 55)))
            .map(|&(rule, line)| (rule, if line >= 55 { line + 1 } else { line }))
            .collect();
        assert_eq!(all(&text), expected, "{comment}");
    }
}

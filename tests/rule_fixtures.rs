//! Fixture-driven snapshot tests: `tests/fixtures/rules/<rule>/invalid-*.txt`
//! must trigger `<rule>`, `valid*.txt` must not, and every fixture's findings
//! are pinned as an insta snapshot. Every fix is applied and must converge.

use std::fmt::Write as _;
use std::path::Path;

use gov_report_lsp::fix::{apply_fixes, FixMode};
use gov_report_lsp::text::{ColumnUnit, LineIndex};
use gov_report_lsp::{analyze, rules, Analysis, Settings};

fn render(text: &str, a: &Analysis) -> String {
    let idx = LineIndex::new(text);
    let mut out = format!(
        "year: {:?}, format: {:?}\n",
        a.info.year,
        a.info.format.map(|f| f.as_str())
    );
    for d in &a.diagnostics {
        let start = idx.line_col(text, d.range.start, ColumnUnit::Char);
        let end = idx.line_col(text, d.range.end, ColumnUnit::Char);
        let _ = writeln!(
            out,
            "{}:{}-{}:{} {}[{}] {}\n    at: {:?}",
            start.line + 1,
            start.col + 1,
            end.line + 1,
            end.col + 1,
            d.severity,
            d.rule,
            d.message,
            &text[d.range.clone()]
        );
        for r in &d.related {
            let at = idx.line_col(text, r.range.start, ColumnUnit::Char);
            let _ = writeln!(
                out,
                "    related {}:{} {}",
                at.line + 1,
                at.col + 1,
                r.message
            );
        }
        if let Some(fix) = &d.fix {
            let edits: Vec<String> = fix
                .edits
                .iter()
                .map(|e| format!("{:?} → {:?}", &text[e.range.clone()], e.new_text))
                .collect();
            let _ = writeln!(
                out,
                "    fix ({:?}): {} [{}]",
                fix.safety,
                fix.title,
                edits.join(", ")
            );
        }
    }
    out
}

fn converge(text: &str) -> String {
    let mut current = text.to_string();
    for _ in 0..10 {
        let a = analyze(&current, &Settings::default());
        let (next, n) = apply_fixes(&current, &a.diagnostics, FixMode::All);
        if n == 0 {
            return current;
        }
        current = next;
    }
    panic!("fixes did not converge");
}

#[test]
fn rule_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    let mut n_checked = 0;
    for rule in rules::ALL {
        let dir = root.join(rule.id);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        files.sort();
        for path in files
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        {
            let name = path.file_stem().unwrap().to_string_lossy().to_string();
            let text = std::fs::read_to_string(path).unwrap();
            let a = analyze(&text, &Settings::default());
            let fires = a.diagnostics.iter().any(|d| d.rule == rule.id);
            if name.starts_with("invalid") {
                assert!(fires, "{}/{name} must trigger {}", rule.id, rule.id);
            } else {
                assert!(!fires, "{}/{name} must not trigger {}", rule.id, rule.id);
            }
            insta::assert_snapshot!(format!("{}__{name}", rule.id), render(&text, &a));
            // Fixes: applied to convergence, the rule's fixable findings are gone.
            let fixed = converge(&text);
            let after = analyze(&fixed, &Settings::default());
            let fixable_left = after
                .diagnostics
                .iter()
                .filter(|d| d.rule == rule.id && d.fix.is_some())
                .count();
            assert_eq!(
                fixable_left, 0,
                "{}/{name}: fixable findings remain after fixing",
                rule.id
            );
            n_checked += 1;
        }
    }
    assert!(n_checked >= 30, "only {n_checked} fixtures found");
}

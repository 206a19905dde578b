//! `--statistics`: how many findings each rule produced (like ruff), instead
//! of the findings themselves. Human table, or JSON with `--format json`.

use std::io::{self, Write};

use serde::Serialize;

use crate::cli::check::FileResult;
use crate::diagnostic::{Safety, Severity};
use crate::rules;

/// One rule's count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleCount {
    pub rule: &'static str,
    pub count: usize,
    /// How many of them `--fix` would fix (with `--unsafe-fixes`: unsafe ones too).
    pub fixable: usize,
    /// The most serious severity among them.
    pub severity: Severity,
    pub summary: &'static str,
}

/// Counts per rule, most frequent first (ties by rule id).
pub fn counts(results: &[&FileResult], unsafe_fixes: bool) -> Vec<RuleCount> {
    let mut out: Vec<RuleCount> = Vec::new();
    for d in results.iter().flat_map(|r| &r.analysis.diagnostics) {
        let fixable = d
            .fix
            .as_ref()
            .is_some_and(|f| f.safety == Safety::Safe || unsafe_fixes);
        match out.iter_mut().find(|c| c.rule == d.rule) {
            Some(c) => {
                c.count += 1;
                c.fixable += usize::from(fixable);
                c.severity = c.severity.max(d.severity);
            }
            None => out.push(RuleCount {
                rule: d.rule,
                count: 1,
                fixable: usize::from(fixable),
                severity: d.severity,
                summary: rules::get(d.rule).map_or("", |r| r.summary),
            }),
        }
    }
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.rule.cmp(b.rule)));
    out
}

pub fn emit(
    out: &mut dyn Write,
    results: &[&FileResult],
    json: bool,
    unsafe_fixes: bool,
) -> io::Result<()> {
    let counts = counts(results, unsafe_fixes);
    if json {
        serde_json::to_writer_pretty(&mut *out, &counts)?;
        return writeln!(out);
    }
    let width = counts
        .iter()
        .map(|c| c.count.to_string().len())
        .max()
        .unwrap_or(1);
    let id_width = counts.iter().map(|c| c.rule.len()).max().unwrap_or(0);
    for c in &counts {
        let mark = if c.fixable > 0 { "[*]" } else { "   " };
        writeln!(
            out,
            "{:>width$}\t{:<id_width$}\t{}\t{mark} {}",
            c.count, c.rule, c.severity, c.summary
        )?;
    }
    let total: usize = counts.iter().map(|c| c.count).sum();
    let fixable: usize = counts.iter().map(|c| c.fixable).sum();
    if total == 0 {
        writeln!(out, "没有发现问题。")?;
    } else if fixable > 0 {
        let how = if unsafe_fixes {
            "--fix --unsafe-fixes"
        } else {
            "--fix"
        };
        writeln!(
            out,
            "共 {total} 个问题，其中 {fixable} 个（标 [*]）可用 {how} 自动修复。"
        )?;
    } else {
        writeln!(out, "共 {total} 个问题。")?;
    }
    Ok(())
}

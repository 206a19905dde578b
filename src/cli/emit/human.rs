//! Human-readable output in the style of rustc and ruff:
//!
//! ```text
//! a.txt:55:1: error[table-label] 表四的标签“结果维护”与统一格式不一致，应为“结果维持”。
//!    |
//! 55 | 结果维护 | 结果纠正 | 其他结果
//!    | ^^^^^^^^
//!    = 建议：改为“结果维持”
//! ```
//!
//! The caret line is measured in terminal columns (`unicode-width`), so it
//! stays aligned under double-width CJK characters.

use std::io::{self, Write};
use std::ops::Range;

use unicode_width::UnicodeWidthChar;

use super::{related_at, terminal_safe, Positions, Style};
use crate::cli::check::{BodySummary, FileResult, Summary};
use crate::diagnostic::{Diagnostic, Safety, Severity};
use crate::text::LineIndex;

/// The widest source excerpt shown, in terminal columns.
const MAX_WIDTH: usize = 100;
/// How much context is kept before a finding when the line has to be cut.
const CONTEXT_BEFORE: usize = 30;
/// Tabs are shown as this many spaces, so the carets can be counted.
const TAB: &str = "    ";

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, codes: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{codes}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }

    fn severity_codes(severity: Severity) -> &'static str {
        match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        }
    }
}

pub fn emit(
    out: &mut dyn Write,
    results: &[&FileResult],
    summary: &Summary,
    bodies: &[BodySummary],
    style: Style,
) -> io::Result<()> {
    let paint = Paint { on: style.color };
    for result in results {
        if result.analysis.diagnostics.is_empty() {
            continue;
        }
        let positions = Positions::for_result(result);
        let index = LineIndex::new(result.text());
        // Personal data is never echoed: quoted lines show it masked.
        let shown = crate::diagnostic::conceal(result.text(), &result.analysis.diagnostics);
        let at = Located {
            results,
            result,
            text: &shown,
            index: &index,
            positions: &positions,
        };
        for (i, d) in result.analysis.diagnostics.iter().enumerate() {
            diagnostic(out, &paint, &at, d, result.places.get(i))?;
            writeln!(out)?;
        }
    }
    bodies_table(out, bodies)?;
    writeln!(out, "{}", summary_line(summary))
}

/// A finding's file and how to find positions in it (and in the run's other files).
struct Located<'a> {
    results: &'a [&'a FileResult],
    result: &'a FileResult,
    /// The file's text as it may be shown (personal data masked).
    text: &'a str,
    index: &'a LineIndex,
    positions: &'a Positions,
}

/// Bodies with reports of several years: which years, and how many
/// cross-year findings, aligned in terminal columns.
fn bodies_table(out: &mut dyn Write, bodies: &[BodySummary]) -> io::Result<()> {
    if bodies.is_empty() {
        return Ok(());
    }
    let years = |b: &BodySummary| {
        let mut s = b
            .years
            .iter()
            .map(i32::to_string)
            .collect::<Vec<_>>()
            .join("、");
        if !b.duplicate_years.is_empty() {
            let dup = b
                .duplicate_years
                .iter()
                .map(i32::to_string)
                .collect::<Vec<_>>()
                .join("、");
            s.push_str(&format!("（{dup} 年有多份报告，未比较）"));
        }
        s
    };
    let rows: Vec<[String; 3]> = std::iter::once([
        "机关".to_string(),
        "年度".to_string(),
        "跨年度问题".to_string(),
    ])
    .chain(
        bodies
            .iter()
            .map(|b| [b.agency.clone(), years(b), b.findings.to_string()]),
    )
    .collect();
    let w = |s: &str| s.chars().map(width).sum::<usize>();
    let widths: Vec<usize> = (0..2)
        .map(|c| rows.iter().map(|r| w(&r[c])).max().unwrap_or(0))
        .collect();
    writeln!(
        out,
        "同一机关多个年度的报告（上年结转、现行有效件数已逐年核对）："
    )?;
    for r in &rows {
        writeln!(
            out,
            "  {}{}  {}{}  {}",
            r[0],
            " ".repeat(widths[0] - w(&r[0])),
            r[1],
            " ".repeat(widths[1] - w(&r[1])),
            r[2]
        )?;
    }
    writeln!(out)
}

fn diagnostic(
    out: &mut dyn Write,
    paint: &Paint,
    at: &Located,
    d: &Diagnostic,
    place: Option<&crate::read::Place>,
) -> io::Result<()> {
    let (result, text, index, positions) = (at.result, at.text, at.index, at.positions);
    let start = positions.get(d.range.start);
    let codes = Paint::severity_codes(d.severity);
    // Word and PDF files have no lines to go to: the place in words instead.
    let path = terminal_safe(&result.path);
    let words = |loc: Option<&crate::read::Location>| {
        let w = loc.map(crate::read::Location::words).unwrap_or_default();
        if w.is_empty() {
            path.to_string()
        } else {
            format!("{path}: {w}")
        }
    };
    let head = if result.has_lines() {
        format!("{path}:{}:{}", start.line, start.column)
    } else {
        words(place.map(|p| &p.location))
    };
    writeln!(
        out,
        "{}: {} {}",
        paint.wrap("1", &head),
        paint.wrap(codes, &format!("{}[{}]", d.severity, d.rule)),
        one_line(&d.message)
    )?;
    // The source line is numbered only where the file has lines.
    let line_no = if result.has_lines() {
        start.line.to_string()
    } else {
        String::new()
    };
    let pad = " ".repeat(line_no.len());
    let bar = paint.wrap("1;34", "|");
    let line = index.line_range(text, start.line - 1);
    let snippet = Snippet::new(text, line, d.range.clone());
    writeln!(out, "{pad} {bar}")?;
    writeln!(
        out,
        "{} {bar} {}",
        paint.wrap("1;34", &line_no),
        snippet.source
    )?;
    writeln!(
        out,
        "{pad} {bar} {}{}",
        " ".repeat(snippet.caret_start),
        paint.wrap(codes, &"^".repeat(snippet.caret_len))
    )?;
    let eq = paint.wrap("1;34", "=");
    if let Some(fix) = &d.fix {
        let label = match fix.safety {
            Safety::Safe => "建议",
            Safety::Unsafe => "建议（需人工核对）",
        };
        writeln!(
            out,
            "{pad} {eq} {}：{}",
            paint.wrap("1;32", label),
            one_line(&fix.title)
        )?;
    }
    if let Some(manual) = place.and_then(|p| p.manual.as_ref()) {
        writeln!(out, "{pad} {eq} {manual}")?;
    }
    for (k, r) in d.related.iter().enumerate() {
        // In this file, or in another one (last year's report).
        let place = related_at(at.results, result, positions, place, k, r);
        writeln!(
            out,
            "{pad} {eq} 相关：{}: {}",
            terminal_safe(&place.shown()),
            one_line(&r.message)
        )?;
    }
    Ok(())
}

/// A message quoting text that spans lines (a label broken across lines)
/// stays on its header line: line breaks are shown as `⏎`.
fn one_line(message: &str) -> std::borrow::Cow<'_, str> {
    if message.contains(['\n', '\r']) {
        message
            .replace("\r\n", "⏎")
            .replace(['\n', '\r'], "⏎")
            .into()
    } else {
        message.into()
    }
}

/// One source line prepared for display, cut to [`MAX_WIDTH`] columns around
/// the finding, with the caret position measured in terminal columns.
#[derive(Debug, PartialEq, Eq)]
struct Snippet {
    source: String,
    caret_start: usize,
    caret_len: usize,
}

fn display(c: char) -> (std::borrow::Cow<'static, str>, usize) {
    if c == '\t' {
        (TAB.into(), TAB.len())
    } else if c.is_control() {
        ("\u{FFFD}".into(), 1)
    } else {
        (c.to_string().into(), c.width().unwrap_or(0))
    }
}

fn width(c: char) -> usize {
    display(c).1
}

impl Snippet {
    /// `line` is the byte range of the finding's first line (without its
    /// terminator), `range` the finding; a finding spanning several lines is
    /// underlined to the end of its first line.
    fn new(text: &str, line: Range<usize>, range: Range<usize>) -> Snippet {
        let floor = |mut i: usize| {
            i = i.clamp(line.start, line.end);
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let start = floor(range.start);
        let end = floor(range.end.max(range.start));
        // Window: the whole line when it fits, else from a little before the finding.
        let whole_fits = line.len() <= MAX_WIDTH * 4
            && text[line.clone()].chars().map(width).sum::<usize>() <= MAX_WIDTH;
        let from = if whole_fits {
            line.start
        } else {
            let mut from = start;
            let mut w = 0;
            for (i, c) in text[line.start..start].char_indices().rev() {
                w += width(c);
                if w > CONTEXT_BEFORE {
                    break;
                }
                from = line.start + i;
            }
            from
        };
        let mut source = String::new();
        let mut col = 0;
        if from > line.start {
            source.push_str("...");
            col += 3;
        }
        let (mut caret_start, mut caret_end) = (None, None);
        let mut to = from;
        for (i, c) in text[from..line.end].char_indices() {
            let at = from + i;
            let (shown, w) = display(c);
            if !whole_fits && col + w > MAX_WIDTH && at > start {
                break;
            }
            if at == start {
                caret_start = Some(col);
            }
            if at == end {
                caret_end = Some(col);
            }
            source.push_str(&shown);
            col += w;
            to = at + c.len_utf8();
        }
        let caret_start = caret_start.unwrap_or(col);
        let caret_end = caret_end.unwrap_or(col);
        if to < line.end {
            source.push_str("...");
        }
        Snippet {
            source,
            caret_start,
            caret_len: caret_end.saturating_sub(caret_start).max(1),
        }
    }
}

/// `共检查 5 个文件：错误 3 个，警告 1 个，提示 0 个。`
pub fn summary_line(s: &Summary) -> String {
    let mut line = format!(
        "共检查 {} 个文件：错误 {} 个，警告 {} 个，提示 {} 个。",
        s.files, s.errors, s.warnings, s.infos
    );
    if s.skipped > 0 {
        line.push_str(&format!("另有 {} 个文件不像年度报告，已跳过。", s.skipped));
    }
    if s.failed > 0 {
        line.push_str(&format!("{} 个路径无法读取（见上方错误）。", s.failed));
    }
    if s.unwritten > 0 {
        line.push_str(&format!(
            "{} 个文件的修复无法写入（见上方错误）。",
            s.unwritten
        ));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snippet(text: &str, needle: &str) -> Snippet {
        let start = text.find(needle).unwrap();
        let idx = LineIndex::new(text);
        let line = idx.line_range(text, idx.line_of(start));
        Snippet::new(text, line, start..start + needle.len())
    }

    #[test]
    fn carets_under_wide_and_astral_characters() {
        let s = snippet("𠮷甲a\t结果维护|", "结果维护");
        // 𠮷 (2) 甲 (2) a (1) tab (4) = 9 columns before the finding.
        assert_eq!(s.source, "𠮷甲a    结果维护|");
        assert_eq!((s.caret_start, s.caret_len), (9, 8));
    }

    #[test]
    fn messages_stay_on_one_line() {
        assert_eq!(one_line("标签“需要另\r\n行制作”"), "标签“需要另⏎行制作”");
        assert_eq!(one_line("甲\n乙\r丙"), "甲⏎乙⏎丙");
        assert_eq!(one_line("总计应为 12"), "总计应为 12");
    }

    #[test]
    fn empty_range_gets_one_caret_at_line_end() {
        let text = "标题\n";
        let s = Snippet::new(text, 0..6, 6..6);
        assert_eq!((s.caret_start, s.caret_len), (4, 1));
    }

    #[test]
    fn long_lines_are_cut_around_the_finding() {
        let text = format!("{}结果维护{}", "甲".repeat(5000), "乙".repeat(5000));
        let s = snippet(&text, "结果维护");
        assert!(s.source.starts_with("...") && s.source.ends_with("..."));
        let w: usize = s.source.chars().map(width).sum();
        assert!(w <= MAX_WIDTH + 3, "{w}");
        // 3 for "..." and 15 CJK characters of context (30 columns).
        assert_eq!((s.caret_start, s.caret_len), (33, 8));
        assert!(s.source[..].contains("结果维护"));
    }
}

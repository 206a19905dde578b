//! Output formats. Each format has one `emit` function taking the checked
//! files (in their stable order) and the run's summary.

pub mod github;
mod human;
mod json;
pub mod sarif;
pub mod statistics;

use std::collections::HashMap;
use std::io::{self, Write};

use super::check::{BodySummary, FileResult, Summary};
use crate::diagnostic::Related;

/// The output format (`--format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Readable findings with the source line and a caret underline.
    #[value(help = "便于阅读：问题、原文和下划线标记")]
    Human,
    /// One JSON document (the stable contract in the README).
    #[value(help = "一个 JSON 文档（格式见 README，保持稳定）")]
    Json,
    /// GitHub Actions workflow commands (annotations on pull requests).
    #[value(help = "GitHub Actions 注释（在拉取请求中标出问题）")]
    Github,
    /// SARIF 2.1.0 (GitHub code scanning and other SARIF viewers).
    #[value(help = "SARIF 2.1.0（GitHub 代码扫描等工具）")]
    Sarif,
}

/// Options that affect how findings are printed.
#[derive(Clone, Copy, Debug, Default)]
pub struct Style {
    /// ANSI colours (only on a terminal, and not when `NO_COLOR` is set).
    pub color: bool,
}

/// Write the findings of `results` in `format`.
pub fn emit(
    format: Format,
    out: &mut dyn Write,
    results: &[&FileResult],
    summary: &Summary,
    bodies: &[BodySummary],
    style: Style,
) -> io::Result<()> {
    match format {
        Format::Human => human::emit(out, results, summary, bodies, style),
        Format::Json => json::emit(out, results, summary, bodies),
        Format::Github => github::emit(out, results),
        Format::Sarif => sarif::emit(out, results),
    }
}

/// A text from outside (a file name, a message quoting one) made safe to
/// print on a terminal: control characters (an ESC that would recolour the
/// terminal, a line break that would split `path:line:col`) and the
/// bidirectional overrides that reorder what is shown are written as
/// escapes (`\x1b`, `\n`, `\u{202e}`). Other text is unchanged.
pub fn terminal_safe(s: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        c.is_control()
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !s.contains(unsafe_char) {
        return s.into();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if unsafe_char(c) && (c as u32) < 0x80 => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if unsafe_char(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.into()
}

/// A 1-based line and a 1-based column counted in Unicode characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Byte offset → [`Position`] for a set of offsets, computed in one pass over
/// the text (so a file with many findings on one 5 MB line stays linear).
pub struct Positions {
    map: HashMap<usize, Position>,
}

impl Positions {
    /// Every offset a file's diagnostics mention: ranges, related locations, fix edits.
    pub fn for_result(result: &FileResult) -> Positions {
        let mut offsets = Vec::new();
        for d in &result.analysis.diagnostics {
            offsets.extend([d.range.start, d.range.end]);
            offsets.extend(
                d.related
                    .iter()
                    .filter(|r| r.path.is_none())
                    .flat_map(|r| [r.range.start, r.range.end]),
            );
            if let Some(fix) = &d.fix {
                offsets.extend(fix.edits.iter().flat_map(|e| [e.range.start, e.range.end]));
            }
        }
        Positions::new(result.text(), offsets)
    }

    pub fn new(text: &str, mut offsets: Vec<usize>) -> Positions {
        offsets.sort_unstable();
        offsets.dedup();
        let bytes = text.as_bytes();
        let mut map = HashMap::with_capacity(offsets.len());
        let (mut at, mut line, mut column) = (0usize, 1usize, 1usize);
        for &offset in &offsets {
            // Offsets inside a character count as that character's start.
            let mut target = offset.min(text.len());
            while !text.is_char_boundary(target) {
                target -= 1;
            }
            for &b in &bytes[at..target] {
                if b == b'\n' {
                    line += 1;
                    column = 1;
                } else if b & 0xC0 != 0x80 {
                    column += 1;
                }
            }
            at = target;
            map.insert(offset, Position { line, column });
        }
        Positions { map }
    }

    /// The position of an offset passed to [`Positions::new`].
    pub fn get(&self, offset: usize) -> Position {
        self.map
            .get(&offset)
            .copied()
            .unwrap_or(Position { line: 1, column: 1 })
    }
}

/// Where a related location is: in its own file, or in another file of the
/// run (a cross-year finding points into last year's report).
pub struct RelatedAt<'a> {
    /// The path as shown of the file the location is in.
    pub path: &'a str,
    /// Line and column, when that file has lines (text, Markdown, HTML).
    pub span: Option<(Position, Position)>,
    /// The place in words (Word, PDF; given for another file of any format).
    pub location: Option<crate::read::Location>,
}

impl RelatedAt<'_> {
    /// `path:line:column`, or `path: 第 N 页…` for a file without lines.
    pub fn shown(&self) -> String {
        match (&self.span, &self.location) {
            (Some((start, _)), _) => format!("{}:{}:{}", self.path, start.line, start.column),
            (None, Some(loc)) if !loc.words().is_empty() => {
                format!("{}: {}", self.path, loc.words())
            }
            _ => self.path.to_string(),
        }
    }
}

/// Resolve the `k`-th related location of a finding of `result` (`place`:
/// the finding's place in words).
pub fn related_at<'a>(
    results: &[&'a FileResult],
    result: &'a FileResult,
    positions: &Positions,
    place: Option<&crate::read::Place>,
    k: usize,
    r: &'a Related,
) -> RelatedAt<'a> {
    let Some(path) = r.path.as_deref() else {
        return RelatedAt {
            path: &result.path,
            span: result
                .has_lines()
                .then(|| (positions.get(r.range.start), positions.get(r.range.end))),
            location: place.and_then(|p| p.related.get(k)).cloned(),
        };
    };
    match results.iter().find(|o| o.path == path) {
        // The range is in the other file's document text (the core's).
        Some(other) => {
            let shown = crate::read::shown_range(&other.read, r.range.clone());
            let span = other.has_lines().then(|| {
                let p = Positions::new(other.text(), vec![shown.start, shown.end]);
                (p.get(shown.start), p.get(shown.end))
            });
            RelatedAt {
                path: &other.path,
                span,
                location: Some(crate::read::locate_range(
                    &other.read,
                    &other.analysis.report,
                    &r.range,
                )),
            }
        }
        None => RelatedAt {
            path,
            span: None,
            location: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_safe_escapes_controls_and_bidi_overrides() {
        assert_eq!(terminal_safe("报告\x1b[31m.txt"), "报告\\x1b[31m.txt");
        assert_eq!(terminal_safe("a\nb:1:1.txt"), "a\\nb:1:1.txt");
        assert_eq!(terminal_safe("\u{202e}txt.exe"), "\\u{202e}txt.exe");
        assert_eq!(terminal_safe("\u{9b}x"), "\\u{9b}x");
        assert!(matches!(
            terminal_safe("𠮷 报告.txt"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn positions_count_chars_and_lines() {
        let text = "甲\r\n𠮷结果维护x\n";
        let x = text.find('x').unwrap();
        let p = Positions::new(text, vec![x, 0, text.len(), x - 1]);
        assert_eq!(p.get(0), Position { line: 1, column: 1 });
        assert_eq!(p.get(x), Position { line: 2, column: 6 });
        // Inside the last CJK character: that character's start.
        assert_eq!(p.get(x - 1), Position { line: 2, column: 5 });
        assert_eq!(p.get(text.len()), Position { line: 3, column: 1 });
    }
}

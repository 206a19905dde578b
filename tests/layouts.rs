//! Drafting layouts: a complete, correct report of each format, written the
//! way the national template lays its tables out (`tests/fixtures/layouts/`,
//! Markdown with span markers), rendered into every layout people draft in.
//! Each layout must read cleanly, and each injected error must be caught by
//! the right rule at the right cell.

use gov_report_lsp::model::Verdict;
use gov_report_lsp::{analyze, Analysis, Settings, Severity};

/// Rules about the tables: none may fire on a correct report.
const TABLE_RULES: &[&str] = &[
    "missing-table",
    "table-label",
    "missing-row",
    "invalid-number",
    "blank-cell",
    "total-mismatch",
    "balance-mismatch",
    "obsolete-format",
    "unreadable-table",
];

#[derive(Clone, Copy, Debug)]
enum Layout {
    /// Markdown grid with the cells a merged cell covers left blank.
    Grid,
    /// Markdown grid with a merged cell's text repeated in every cell it covers.
    Repeated,
    /// Markdown rows with the covered cells left out.
    Compact,
    /// Tab-separated rows as copied from a Word table (blank cells between tabs).
    Tabs,
    /// One cell per line with a trailing ` |`.
    CellPerLine,
    /// A converter's Markdown of a published page (`pandoc -t gfm`): text in
    /// styled `<span>`s, tables as raw HTML with `rowspan`/`colspan`.
    RawHtml,
    /// Pandoc's own Markdown of a published page (`pandoc -t markdown`): text
    /// and cells in bracketed spans (`[三、收到和处理]{style="…"}[]{…}`), the
    /// body in fenced divs (`::: {style="…"}`), tables as pipe rows.
    Pandoc,
}

const LAYOUTS: [Layout; 7] = [
    Layout::Grid,
    Layout::Repeated,
    Layout::Compact,
    Layout::Tabs,
    Layout::CellPerLine,
    Layout::RawHtml,
    Layout::Pandoc,
];

/// A pandoc bracketed span around `text`, then an empty one, as pandoc
/// writes a page's styled `<span>`s (attributes wrapped over two lines).
fn pandoc_span(text: &str) -> String {
    format!("[{text}]{{style=\"font-family:\n微软雅黑;\"}}[]{{.underline}}")
}

const SPAN: &str = "<span style=\"font-family: 微软雅黑;\">";

fn fixture(format: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/layouts/{format}.md",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture exists")
}

/// A span marker: `<` continues the cell to the left, `^` the cell above.
fn is_marker(cell: &str) -> bool {
    cell == "<" || cell == "^"
}

fn cells(line: &str) -> Vec<String> {
    let t = line.trim();
    t.trim_start_matches('|')
        .trim_end_matches('|')
        .split('|')
        .map(|c| c.trim().to_string())
        .collect()
}

/// Render one table (its rows of cells, markers included) in `layout`.
fn render_table(rows: &[Vec<String>], layout: Layout) -> String {
    // The text of the merged cell each position belongs to.
    let mut owner: Vec<Vec<String>> = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let mut line: Vec<String> = Vec::new();
        for (c, cell) in row.iter().enumerate() {
            let o = match cell.as_str() {
                "<" => line[c - 1].clone(),
                "^" => owner[r - 1][c].clone(),
                _ => cell.clone(),
            };
            line.push(o);
        }
        owner.push(line);
    }
    if let Layout::RawHtml = layout {
        return raw_html_table(rows);
    }
    let mut out = String::new();
    for (r, row) in rows.iter().enumerate() {
        let shown: Vec<String> = match layout {
            Layout::Grid | Layout::Tabs | Layout::Pandoc => row
                .iter()
                .map(|c| {
                    if is_marker(c) {
                        String::new()
                    } else {
                        c.clone()
                    }
                })
                .collect(),
            Layout::Repeated => owner[r].clone(),
            Layout::Compact | Layout::CellPerLine | Layout::RawHtml => {
                row.iter().filter(|c| !is_marker(c)).cloned().collect()
            }
        };
        match layout {
            Layout::Pandoc => {
                let spans: Vec<String> = shown
                    .iter()
                    .map(|c| {
                        if c.is_empty() {
                            String::new()
                        } else {
                            pandoc_span(c)
                        }
                    })
                    .collect();
                out.push_str(&format!("| {} |\n", spans.join(" | ")));
                if r == 0 {
                    out.push_str(&format!("|{}\n", "---|".repeat(shown.len())));
                }
            }
            Layout::Grid | Layout::Repeated | Layout::Compact => {
                out.push_str(&format!("| {} |\n", shown.join(" | ")));
                if r == 0 {
                    out.push_str(&format!("|{}\n", "---|".repeat(shown.len())));
                }
            }
            Layout::Tabs => out.push_str(&format!("{}\n", shown.join("\t"))),
            Layout::RawHtml => unreachable!("rendered above"),
            Layout::CellPerLine => {
                for c in shown {
                    if c.is_empty() {
                        out.push_str("|\n");
                    } else {
                        out.push_str(&format!("{c} |\n"));
                    }
                }
            }
        }
    }
    out
}

/// A table as raw HTML: a merged cell once, with its spans; one tag a line.
fn raw_html_table(rows: &[Vec<String>]) -> String {
    let mut out = String::from("<table>\n<tbody>\n");
    for (r, row) in rows.iter().enumerate() {
        out.push_str("<tr>\n");
        for (c, cell) in row.iter().enumerate() {
            if is_marker(cell) {
                continue;
            }
            let colspan = 1 + row[c + 1..].iter().take_while(|x| *x == "<").count();
            let rowspan = 1 + rows[r + 1..]
                .iter()
                .take_while(|next| next.get(c).is_some_and(|x| x == "^"))
                .count();
            out.push_str("<td");
            if colspan > 1 {
                out.push_str(&format!(" colspan=\"{colspan}\""));
            }
            if rowspan > 1 {
                out.push_str(&format!(" rowspan=\"{rowspan}\""));
            }
            out.push_str(&format!(
                "><p>{SPAN}{cell}</span><span\nstyle=\"x\"></span></p></td>\n"
            ));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// The whole report in `layout`.
fn render(src: &str, layout: Layout) -> String {
    let mut out = String::new();
    let mut table: Vec<Vec<String>> = Vec::new();
    for line in src.lines() {
        if line.starts_with('|') {
            if !line.contains("---") {
                table.push(cells(line));
            }
            continue;
        }
        if !table.is_empty() {
            out.push_str(&render_table(&table, layout));
            table.clear();
        }
        match layout {
            // Prose in styled spans, a heading's words cut over two.
            Layout::RawHtml if !line.is_empty() => {
                let cut = line.char_indices().nth(4).map_or(line.len(), |(i, _)| i);
                let (level, rest) = match line.split_once(' ') {
                    Some((hashes, rest)) if hashes.starts_with('#') => (format!("{hashes} "), rest),
                    _ => (String::new(), line),
                };
                let cut = cut.saturating_sub(level.len()).min(rest.len());
                let cut = (0..=cut)
                    .rev()
                    .find(|&i| rest.is_char_boundary(i))
                    .unwrap_or(0);
                out.push_str(&format!(
                    "{level}{SPAN}{}</span><span\nstyle=\"x\">{}</span>\n",
                    &rest[..cut],
                    &rest[cut..]
                ));
            }
            // Prose and headings in spans, a heading's words cut over two;
            // each paragraph in a fenced div.
            Layout::Pandoc if !line.is_empty() => {
                let (level, rest) = match line.split_once(' ') {
                    Some((hashes, rest)) if hashes.starts_with('#') => (format!("{hashes} "), rest),
                    _ => (String::new(), line),
                };
                let cut = rest.char_indices().nth(4).map_or(rest.len(), |(i, _)| i);
                let body = format!("{}{}", pandoc_span(&rest[..cut]), pandoc_span(&rest[cut..]));
                if level.is_empty() {
                    out.push_str(&format!(
                        "::: {{style=\"text-indent: 2em;\" align=\"\"}}\n{body}\n:::\n"
                    ));
                } else {
                    out.push_str(&format!("{level}{body}\n"));
                }
            }
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    if !table.is_empty() {
        out.push_str(&render_table(&table, layout));
    }
    out
}

/// The analysis of a layout, as a `.md` file is read (raw HTML as shown);
/// findings are placed in the file's text.
fn run(text: &str) -> Analysis {
    let read = gov_report_lsp::read::read("报告.md", text.as_bytes()).expect("reads");
    let a = gov_report_lsp::read::analyze(&read, &Settings::default()).analysis;
    if !text.contains("<span") && !text.contains("]{") {
        assert_eq!(
            a.diagnostics,
            analyze(text, &Settings::default()).diagnostics
        );
    }
    a
}

fn table_findings(a: &Analysis) -> Vec<String> {
    a.diagnostics
        .iter()
        .filter(|d| TABLE_RULES.contains(&d.rule))
        .map(|d| format!("{}: {}", d.rule, d.message))
        .collect()
}

#[test]
fn correct_reports_read_cleanly_in_every_layout() {
    for (format, year) in [("2021", 2023), ("2019", 2020)] {
        let src = fixture(format);
        for layout in LAYOUTS {
            let text = render(&src, layout);
            let a = run(&text);
            let what = format!("{format} {layout:?}");
            assert_eq!(a.info.year, Some(year), "{what}");
            assert_eq!(a.info.format.map(|f| f.as_str()), Some(format), "{what}");
            assert_eq!(table_findings(&a), Vec::<String>::new(), "{what}:\n{text}");
            assert!(
                a.diagnostics.iter().all(|d| d.severity < Severity::Warning),
                "{what}: {:?}",
                a.diagnostics
            );
            let ids: Vec<&str> = a.report.tables.iter().map(|t| t.id).collect();
            assert_eq!(ids, ["t2", "t3", "t4"], "{what}");
            for t in &a.report.tables {
                assert_eq!(t.verdict(), Verdict::Read, "{what} {}", t.id);
                for p in &t.parts {
                    assert_eq!(p.cells_read, p.cells_expected, "{what} {} {}", t.id, p.name);
                }
            }
        }
    }
}

/// One injected error: replace `from` by `to` in the fixture; expect `rule`
/// at a cell whose text is `at`, and no table finding outside `allowed`.
struct Injection {
    from: &'static str,
    to: &'static str,
    rule: &'static str,
    at: &'static str,
    allowed: &'static [&'static str],
}

const INJECTIONS: &[Injection] = &[
    Injection {
        from: "（一）予以公开",
        to: "（一）予与公开",
        rule: "table-label",
        at: "（一）予与公开",
        allowed: &["table-label"],
    },
    Injection {
        from: "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经",
        to: "| 结果维护 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经",
        rule: "table-label",
        at: "结果维护",
        allowed: &["table-label"],
    },
    Injection {
        // （七）总计 of the 总计 column: 12 → 987.
        from: "| 1 | 0 | 12 |",
        to: "| 1 | 0 | 987 |",
        rule: "total-mismatch",
        at: "987",
        allowed: &["total-mismatch", "balance-mismatch"],
    },
    Injection {
        // 结转下年度 of 自然人 and 总计: 2 → 777 (the row still adds up; 勾稽 does not).
        from: "四、结转下年度继续办理 | < | < | 2 | 0 | 0 | 0 | 0 | 0 | 2 |",
        to: "四、结转下年度继续办理 | < | < | 777 | 0 | 0 | 0 | 0 | 0 | 777 |",
        rule: "balance-mismatch",
        at: "777",
        allowed: &["balance-mismatch"],
    },
    Injection {
        // 复议后起诉 总计: 1 → 555.
        from: "| 1 | 0 | 0 | 0 | 1 |\n",
        to: "| 1 | 0 | 0 | 0 | 555 |\n",
        rule: "total-mismatch",
        at: "555",
        allowed: &["total-mismatch"],
    },
];

#[test]
fn injected_errors_are_caught_at_their_cell_in_every_layout() {
    for format in ["2021", "2019"] {
        let src = fixture(format);
        for inj in INJECTIONS {
            assert_eq!(src.matches(inj.from).count(), 1, "{format}: {}", inj.from);
            let broken = src.replacen(inj.from, inj.to, 1);
            for layout in LAYOUTS {
                let text = render(&broken, layout);
                let a = run(&text);
                let what = format!("{format} {layout:?} {} → {}", inj.from, inj.to);
                let hit = a
                    .diagnostics
                    .iter()
                    .find(|d| d.rule == inj.rule && &text[d.range.clone()] == inj.at);
                assert!(hit.is_some(), "{what}: {:#?}", table_findings(&a));
                for d in a
                    .diagnostics
                    .iter()
                    .filter(|d| TABLE_RULES.contains(&d.rule))
                {
                    assert!(inj.allowed.contains(&d.rule), "{what}: unexpected {d:?}");
                }
                if inj.rule == "total-mismatch" && inj.at == "555" {
                    assert!(hit.unwrap().message.contains("复议后起诉"), "{what}");
                }
            }
        }
    }
}

//! Writes a report into a Word package and a web page the way the national
//! template lays its tables out (国办公开办函〔2021〕30号 / 〔2019〕60号; see
//! the template specification §4–§7): block titles and headers in merged
//! cells (`gridSpan`/`vMerge` in Word, `colspan`/`rowspan` in HTML), the
//! labels and numbers a text version of the report holds (typos included),
//! and the text version's narrative as paragraphs.

#![allow(dead_code)]

use std::collections::{BTreeSet, HashMap};
use std::io::Write;

use gov_report_lsp::model::{Format, Report};
use gov_report_lsp::Analysis;

/// What a cell of the national layout holds.
#[derive(Clone, Copy, Debug)]
enum Slot {
    /// A header or row label of the template (filled with the text's wording).
    Label(&'static str),
    /// A data cell: template row key and data column.
    Value(&'static str, usize),
}

#[derive(Clone, Copy, Debug)]
struct Spec {
    slot: Slot,
    cols: usize,
    rows: usize,
}

fn l(label: &'static str) -> Spec {
    Spec {
        slot: Slot::Label(label),
        cols: 1,
        rows: 1,
    }
}

fn lc(label: &'static str, cols: usize) -> Spec {
    Spec { cols, ..l(label) }
}

fn lr(label: &'static str, rows: usize) -> Spec {
    Spec { rows, ..l(label) }
}

fn v(row: &'static str, col: usize) -> Spec {
    Spec {
        slot: Slot::Value(row, col),
        cols: 1,
        rows: 1,
    }
}

fn vc(row: &'static str, col: usize, cols: usize) -> Spec {
    Spec {
        cols,
        ..v(row, col)
    }
}

fn values(row: &'static str, n: usize) -> Vec<Spec> {
    (0..n).map(|c| v(row, c)).collect()
}

fn with(mut first: Vec<Spec>, rest: Vec<Spec>) -> Vec<Spec> {
    first.extend(rest);
    first
}

fn table2(format: Format) -> Vec<Vec<Spec>> {
    match format {
        Format::F2021 => vec![
            vec![lc("第二十条第（一）项", 4)],
            vec![
                l("信息内容"),
                l("本年制发件数"),
                l("本年废止件数"),
                l("现行有效件数"),
            ],
            with(vec![l("规章")], values("R1.1", 3)),
            with(vec![l("行政规范性文件")], values("R1.2", 3)),
            vec![lc("第二十条第（五）项", 4)],
            vec![l("信息内容"), lc("本年处理决定数量", 3)],
            vec![l("行政许可"), vc("R5.1", 0, 3)],
            vec![lc("第二十条第（六）项", 4)],
            vec![l("信息内容"), lc("本年处理决定数量", 3)],
            vec![l("行政处罚"), vc("R6.1", 0, 3)],
            vec![l("行政强制"), vc("R6.2", 0, 3)],
            vec![lc("第二十条第（八）项", 4)],
            vec![l("信息内容"), lc("本年收费金额（单位：万元）", 3)],
            vec![l("行政事业性收费"), vc("R8.1", 0, 3)],
        ],
        Format::F2019 => vec![
            vec![lc("第二十条第（一）项", 4)],
            vec![
                l("信息内容"),
                l("本年新制作数量"),
                l("本年新公开数量"),
                l("对外公开总数量"),
            ],
            with(vec![l("规章")], values("R1.1", 3)),
            with(vec![l("规范性文件")], values("R1.2", 3)),
            vec![lc("第二十条第（五）项", 4)],
            vec![
                l("信息内容"),
                l("上一年项目数量"),
                l("本年增/减"),
                l("处理决定数量"),
            ],
            with(vec![l("行政许可")], values("R5.1", 3)),
            with(vec![l("其他对外管理服务事项")], values("R5.2", 3)),
            vec![lc("第二十条第（六）项", 4)],
            vec![
                l("信息内容"),
                l("上一年项目数量"),
                l("本年增/减"),
                l("处理决定数量"),
            ],
            with(vec![l("行政处罚")], values("R6.1", 3)),
            with(vec![l("行政强制")], values("R6.2", 3)),
            vec![lc("第二十条第（八）项", 4)],
            vec![l("信息内容"), l("上一年项目数量"), lc("本年增/减", 2)],
            vec![l("行政事业性收费"), v("R8.1", 0), vc("R8.1", 1, 2)],
            vec![lc("第二十条第（九）项", 4)],
            vec![l("信息内容"), l("采购项目数量"), lc("采购总金额", 2)],
            vec![l("政府集中采购"), v("R9.1", 0), vc("R9.1", 1, 2)],
        ],
    }
}

fn table3(format: Format) -> Vec<Vec<Spec>> {
    let row = |label: &'static str, key: &'static str| with(vec![l(label)], values(key, 7));
    let wide = |label: &'static str, key: &'static str, cols: usize| {
        with(vec![lc(label, cols)], values(key, 7))
    };
    let results_rows = match format {
        Format::F2021 => 22,
        Format::F2019 => 20,
    };
    let mut rows = vec![
        vec![
            Spec {
                rows: 3,
                ..lc(
                    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                    3,
                )
            },
            lc("申请人情况", 7),
        ],
        vec![lr("自然人", 2), lc("法人或其他组织", 5), lr("总计", 2)],
        vec![
            l("商业企业"),
            l("科研机构"),
            l("社会公益组织"),
            l("法律服务机构"),
            l("其他"),
        ],
        wide("一、本年新收政府信息公开申请数量", "R1", 3),
        wide("二、上年结转政府信息公开申请数量", "R2", 3),
        with(
            vec![lr("三、本年度办理结果", results_rows)],
            wide("（一）予以公开", "R3.1", 2),
        ),
        wide(
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            "R3.2",
            2,
        ),
        with(
            vec![lr("（三）不予公开", 8)],
            row("1.属于国家秘密", "R3.3.1"),
        ),
        row("2.其他法律行政法规禁止公开", "R3.3.2"),
        row("3.危及“三安全一稳定”", "R3.3.3"),
        row("4.保护第三方合法权益", "R3.3.4"),
        row("5.属于三类内部事务信息", "R3.3.5"),
        row("6.属于四类过程性信息", "R3.3.6"),
        row("7.属于行政执法案卷", "R3.3.7"),
        row("8.属于行政查询事项", "R3.3.8"),
        with(
            vec![lr("（四）无法提供", 3)],
            row("1.本机关不掌握相关政府信息", "R3.4.1"),
        ),
        row("2.没有现成信息需要另行制作", "R3.4.2"),
        row("3.补正后申请内容仍不明确", "R3.4.3"),
        with(
            vec![lr("（五）不予处理", 5)],
            row("1.信访举报投诉类申请", "R3.5.1"),
        ),
        row("2.重复申请", "R3.5.2"),
        row("3.要求提供公开出版物", "R3.5.3"),
        row("4.无正当理由大量反复申请", "R3.5.4"),
        row("5.要求行政机关确认或重新出具已获取信息", "R3.5.5"),
    ];
    match format {
        Format::F2021 => {
            rows.push(with(
                vec![lr("（六）其他处理", 3)],
                row(
                    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                    "R3.6.1",
                ),
            ));
            rows.push(row(
                "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                "R3.6.2",
            ));
            rows.push(row("3.其他", "R3.6.3"));
        }
        Format::F2019 => rows.push(wide("（六）其他处理", "R3.6", 2)),
    }
    rows.push(wide("（七）总计", "R3.7", 2));
    rows.push(wide("四、结转下年度继续办理", "R4", 3));
    rows
}

fn table4() -> Vec<Vec<Spec>> {
    let five = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];
    let mut second: Vec<Spec> = five.iter().map(|&x| lr(x, 2)).collect();
    second.push(lc("未经复议直接起诉", 5));
    second.push(lc("复议后起诉", 5));
    vec![
        vec![lc("行政复议", 5), lc("行政诉讼", 10)],
        second,
        five.iter().chain(five.iter()).map(|&x| l(x)).collect(),
        values("R", 15),
    ]
}

/// A table cell as written: its text and spans.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub cols: usize,
    pub rows: usize,
}

/// A paragraph or a table, in document order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Para(String),
    Table(Vec<Vec<Cell>>),
}

/// Fill a layout with the wording and numbers the text version holds.
/// Fill a layout with the wording and numbers the text version holds; the
/// template labels of rows with a number the text did not give are added
/// to `blank_rows` (their cells are written blank).
fn fill(
    layout: Vec<Vec<Spec>>,
    table: &gov_report_lsp::model::Table,
    text: &str,
    blank_rows: &mut BTreeSet<&'static str>,
) -> Vec<Vec<Cell>> {
    // Each template label in the order the text has it (a label may repeat: 信息内容, 结果维持).
    let mut labels: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut found: Vec<_> = table.labels.iter().collect();
    found.sort_by_key(|m| m.range.start);
    for m in found.into_iter().rev() {
        labels.entry(m.expected).or_default().push(m.found.as_str());
    }
    // Labels the text lacks are blank cells; the others the text read as the template has them.
    let mut missing: HashMap<&str, usize> = HashMap::new();
    for m in &table.missing {
        *missing.entry(m.expected).or_default() += 1;
    }
    let value = |row: &str, col: usize| {
        table
            .cells
            .iter()
            .find(|c| c.row == row && c.col == col)
            .and_then(|c| c.range.clone())
            .map(|r| text[r].trim().to_owned())
    };
    layout
        .into_iter()
        .map(|row| {
            // The row's own label: the last label before its numbers.
            let row_label = row
                .iter()
                .rev()
                .find_map(|s| match s.slot {
                    Slot::Label(l) => Some(l),
                    Slot::Value(..) => None,
                })
                .unwrap_or("");
            row.into_iter()
                .map(|s| Cell {
                    text: match s.slot {
                        // A label missing from the text is a blank header cell.
                        Slot::Label(label) => match labels.get_mut(label).and_then(Vec::pop) {
                            Some(t) => label_text(t),
                            None => match missing.get_mut(label) {
                                Some(n) if *n > 0 => {
                                    *n -= 1;
                                    String::new()
                                }
                                _ => label.to_owned(),
                            },
                        },
                        Slot::Value(row, col) => value(row, col).unwrap_or_else(|| {
                            blank_rows.insert(row_label);
                            String::new()
                        }),
                    },
                    cols: s.cols,
                    rows: s.rows,
                })
                .collect()
        })
        .collect()
}

/// A label as a cell holds it: without line breaks, and without numbers a
/// text layout interleaved into it (`…政府信673001071息公开申请`), which
/// belong to other cells; a leading item number (`1.`, `5、`) stays.
fn label_text(found: &str) -> String {
    let joined: String = found.split_whitespace().collect();
    let lead = joined.chars().take_while(char::is_ascii_digit).count();
    let (head, rest) = joined.split_at(lead);
    let mut out = head.to_owned();
    out.extend(rest.chars().filter(|c| !c.is_ascii_digit()));
    out
}

fn lines(text: &str, out: &mut Vec<Block>) {
    for line in text.lines() {
        let line = line.trim();
        if !line.is_empty() {
            out.push(Block::Para(line.to_owned()));
        }
    }
}

/// The report as paragraphs and national-layout tables: the text version's
/// lines outside its tables, and each table it read in the national layout.
pub fn blocks(text: &str, analysis: &Analysis) -> Vec<Block> {
    blocks_and_blank_rows(text, analysis).0
}

/// [`blocks`], and the rows whose numbers the text did not give (written
/// blank): by the label of the row (table 四's single row has none: `""`).
pub fn blocks_and_blank_rows(
    text: &str,
    analysis: &Analysis,
) -> (Vec<Block>, BTreeSet<&'static str>) {
    let mut blank_rows = BTreeSet::new();
    let report: &Report = &analysis.report;
    let mut tables: Vec<_> = report.tables.iter().collect();
    tables.sort_by_key(|t| t.range.start);
    let mut out = Vec::new();
    let mut at = 0;
    for t in tables {
        if t.range.start < at {
            continue;
        }
        lines(&text[at..t.range.start], &mut out);
        let layout = match t.id {
            "t2" => table2(t.format),
            "t3" => table3(t.format),
            _ => table4(),
        };
        out.push(Block::Table(fill(layout, t, text, &mut blank_rows)));
        at = t.range.end;
    }
    lines(&text[at..], &mut out);
    (out, blank_rows)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Labels of four characters or more are split in two runs or spans, as
/// Word splits words after an edit.
fn halves(s: &str) -> (String, String) {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() < 4 || chars.iter().all(|c| c.is_ascii_digit()) {
        return (s.to_owned(), String::new());
    }
    let mid = chars.len() / 2;
    (chars[..mid].iter().collect(), chars[mid..].iter().collect())
}

/// A web page as a CMS publishes it: `<p>` paragraphs and tables with
/// `rowspan`/`colspan`, cell text in spans.
pub fn to_html(blocks: &[Block]) -> String {
    let mut out = String::from("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>年度报告</title></head>\n<body>\n");
    for b in blocks {
        match b {
            Block::Para(p) => out.push_str(&format!("<p>{}</p>\n", escape(p))),
            Block::Table(rows) => {
                out.push_str("<table border=\"1\">\n");
                for row in rows {
                    out.push_str("<tr>");
                    for c in row {
                        let mut attrs = String::new();
                        if c.cols > 1 {
                            attrs.push_str(&format!(" colspan=\"{}\"", c.cols));
                        }
                        if c.rows > 1 {
                            attrs.push_str(&format!(" rowspan=\"{}\"", c.rows));
                        }
                        let (a, b) = halves(&c.text);
                        let spans = if b.is_empty() {
                            escape(&a)
                        } else {
                            format!("<span>{}</span><span>{}</span>", escape(&a), escape(&b))
                        };
                        out.push_str(&format!("<td{attrs}><p>{spans}</p></td>"));
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</table>\n");
            }
        }
    }
    out.push_str("</body></html>\n");
    out
}

fn runs(text: &str) -> String {
    let (a, b) = halves(text);
    let run = |t: &str| {
        if t.is_empty() {
            String::new()
        } else {
            format!("<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r>", escape(t))
        }
    };
    format!("{}{}", run(&a), run(&b))
}

/// A table's cells placed on its grid: for each position, the cell whose
/// corner it is, or the cell spanning down into it.
fn word_table(rows: &[Vec<Cell>]) -> String {
    let n_rows = rows.len();
    // origin[r][c]: (row, index in row) of the cell covering the position.
    let mut origin: Vec<Vec<Option<(usize, usize)>>> = vec![Vec::new(); n_rows];
    let mut n_cols = 0;
    for (r, row) in rows.iter().enumerate() {
        let mut c = 0;
        for (i, cell) in row.iter().enumerate() {
            while origin[r].get(c).copied().flatten().is_some() {
                c += 1;
            }
            for covered in origin.iter_mut().skip(r).take(cell.rows) {
                if covered.len() < c + cell.cols {
                    covered.resize(c + cell.cols, None);
                }
                for slot in &mut covered[c..c + cell.cols] {
                    *slot = Some((r, i));
                }
            }
            c += cell.cols;
            n_cols = n_cols.max(c);
        }
    }
    let mut out = String::from("<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr><w:tblGrid>");
    for _ in 0..n_cols {
        out.push_str("<w:gridCol w:w=\"600\"/>");
    }
    out.push_str("</w:tblGrid>");
    for (r, row_origin) in origin.iter().enumerate() {
        out.push_str("<w:tr>");
        let mut c = 0;
        while c < n_cols {
            let Some((or, i)) = row_origin.get(c).copied().flatten() else {
                out.push_str("<w:tc><w:p/></w:tc>");
                c += 1;
                continue;
            };
            let cell = &rows[or][i];
            let mut pr = String::new();
            if cell.cols > 1 {
                pr.push_str(&format!("<w:gridSpan w:val=\"{}\"/>", cell.cols));
            }
            if cell.rows > 1 {
                pr.push_str(if or == r {
                    "<w:vMerge w:val=\"restart\"/>"
                } else {
                    "<w:vMerge/>"
                });
            }
            let content = if or == r {
                runs(&cell.text)
            } else {
                String::new()
            };
            out.push_str(&format!(
                "<w:tc><w:tcPr>{pr}</w:tcPr><w:p>{content}</w:p></w:tc>"
            ));
            c += cell.cols;
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    out
}

/// `word/document.xml` for the blocks.
pub fn document_xml(blocks: &[Block]) -> String {
    let mut body = String::new();
    for b in blocks {
        match b {
            Block::Para(p) => body.push_str(&format!("<w:p>{}</w:p>", runs(p))),
            Block::Table(rows) => {
                body.push_str(&word_table(rows));
                // Word ends a cell-adjacent table with a paragraph.
                body.push_str("<w:p/>");
            }
        }
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}<w:sectPr/></w:body></w:document>"
    )
}

/// A Word package holding `document_xml` (and whatever extra parts are given).
pub fn package(document_xml: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let parts: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", RELS.as_bytes()),
        ("word/document.xml", document_xml.as_bytes()),
    ];
    for (name, bytes) in parts.iter().chain(extra) {
        zip.start_file(*name, opts).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// The report as a `.docx`.
pub fn to_docx(blocks: &[Block]) -> Vec<u8> {
    package(&document_xml(blocks), &[])
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

//! `.docx` (Word 2007+, WPS): the package is a zip; `word/document.xml` is
//! read as a stream of XML events. Paragraphs become lines, tables become
//! grids (`w:gridSpan`, `w:vMerge`), Word's generated list numbers are
//! written in front of their paragraphs, and every copied character keeps
//! the bytes of `document.xml` it came from, so that `--fix` can rewrite
//! exactly the text of the runs that hold a label.
//!
//! Read: runs split anywhere, `w:proofErr`, bookmarks, comments' anchors,
//! content controls (`w:sdt`), hyperlinks, simple and complex fields (the
//! result, not the code), tracked changes (`w:ins` read, `w:del` not),
//! tabs and breaks, soft hyphens (dropped). Not read: footnotes, endnotes,
//! comments, headers, footers, text boxes and drawings.

use std::io::{Cursor, Read};
use std::ops::Range;

use quick_xml::events::{BytesStart, Event};

use super::layout::{self, Placed, Shape};
use super::numbering::{Numbering, ParaProps};
use super::srcmap::{SourceMap, TextBuilder};
use crate::document::Document;

/// The largest part read from a package once inflated. A 50-page report's
/// `document.xml` is a few MB; more than this is a zip bomb or not a report.
pub const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;

const DOCUMENT: &str = "word/document.xml";

/// One `w:t` element of `document.xml`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextElem {
    /// The start tag (`<w:t xml:space="preserve">`).
    pub start_tag: Range<usize>,
    /// The text between the tags (escaped).
    pub content: Range<usize>,
    /// The run's properties (`<w:rPr>…</w:rPr>`), empty when it has none.
    pub rpr: Range<usize>,
    /// Inside a tracked insertion (`w:ins`, `w:moveTo`).
    pub tracked: bool,
}

/// A paragraph outside data tables, as a line of the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    pub range: Range<usize>,
    /// Outline level (0 = top heading) from the paragraph or its style.
    pub outline: Option<u8>,
}

/// A Word document as read.
#[derive(Clone, Debug)]
pub struct Docx {
    pub doc: Document,
    /// Text → `document.xml` bytes.
    pub map: SourceMap,
    /// `word/document.xml` as stored.
    pub xml: Vec<u8>,
    pub texts: Vec<TextElem>,
    /// Non-empty paragraphs outside data tables, in order (Word's 第 N 段).
    pub paragraphs: Vec<Paragraph>,
    /// The package as read (empty when only `document.xml` was given).
    pub package: Vec<u8>,
    /// `word/numbering.xml` and `word/styles.xml`, to read the document again after edits.
    pub numbering: Option<Vec<u8>>,
    pub styles: Option<Vec<u8>>,
}

/// Why a package could not be read (a Chinese reason for the user).
pub type Error = String;

fn corrupt(what: &str) -> Error {
    format!("文件已损坏或不完整（{what}），无法作为 Word 文档读取；请在 Word 中打开并另存为 .docx 后重试")
}

/// Refuse what is not a readable Word 2007+ package, with the reason.
fn open(bytes: &[u8]) -> Result<zip::ZipArchive<Cursor<&[u8]>>, Error> {
    const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    if bytes.starts_with(OLE) {
        // Password-protected .docx files are OLE containers with an EncryptedPackage stream.
        let marker: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        if bytes.windows(marker.len()).any(|w| w == marker) {
            return Err("文件设有打开密码（已加密），无法读取；请在 Word 中取消密码（文件 → 信息 → 保护文档）后另存再检查".into());
        }
        return Err("这是旧版 Word 97-2003 文档（.doc），不是 .docx；请在 Word 或 WPS 中另存为 .docx 后再检查".into());
    }
    if !bytes.starts_with(b"PK") {
        return Err(corrupt("不是 zip 格式的 .docx 包"));
    }
    zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| match e {
        zip::result::ZipError::InvalidArchive(_) => {
            corrupt("找不到 zip 目录，可能下载或复制不完整")
        }
        other => corrupt(&other.to_string()),
    })
}

/// Inflate one part, refusing more than [`MAX_PART_BYTES`].
fn part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Option<Vec<u8>>, Error> {
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(zip::result::ZipError::UnsupportedArchive(m)) if m.contains("assword") => {
            return Err("文件内容已加密，无法读取；请在 Word 中取消密码后另存再检查".into())
        }
        Err(e) => return Err(corrupt(&format!("{name}：{e}"))),
    };
    if file.encrypted() {
        return Err("文件内容已加密，无法读取；请在 Word 中取消密码后另存再检查".into());
    }
    let mut out = Vec::with_capacity(file.size().min(MAX_PART_BYTES) as usize);
    let mut limited = file.take(MAX_PART_BYTES + 1);
    limited
        .read_to_end(&mut out)
        .map_err(|e| corrupt(&format!("{name} 无法解压：{e}")))?;
    if out.len() as u64 > MAX_PART_BYTES {
        return Err(format!(
            "{name} 解压后超过 {} MB 的上限（压缩包内的内容异常膨胀，可能是恶意的“压缩炸弹”），已拒绝读取",
            MAX_PART_BYTES / (1024 * 1024)
        ));
    }
    Ok(Some(out))
}

/// Read a `.docx` package.
pub fn read(bytes: &[u8]) -> Result<Docx, Error> {
    let mut zip = open(bytes)?;
    let Some(xml) = part(&mut zip, DOCUMENT)? else {
        return Err("不是 Word 文档：包中没有 word/document.xml（可能是其他 Office 文件，如 .xlsx 或 .pptx 改了扩展名）".into());
    };
    // Numbering and styles only add list numbers: a broken one is ignored.
    let numbering = part(&mut zip, "word/numbering.xml")?;
    let styles = part(&mut zip, "word/styles.xml")?;
    let mut d = read_xml(xml, numbering.as_deref(), styles.as_deref())?;
    d.package = bytes.to_vec();
    d.numbering = numbering;
    d.styles = styles;
    Ok(d)
}

// ---------------------------------------------------------------------------
// Parsing document.xml into blocks

#[derive(Clone, Debug)]
enum Inline {
    /// Text copied from `document.xml` at this offset.
    Copy(String, usize),
    /// A character written as a reference (`&amp;`, `&#x4E00;`).
    Spelled(String, Range<usize>),
    Tab,
    Break,
    /// Text Word shows but the XML does not hold as text (`w:noBreakHyphen`).
    Gen(&'static str),
}

#[derive(Clone, Debug, Default)]
struct Para {
    props: ParaProps,
    inlines: Vec<Inline>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum VMerge {
    None,
    Restart,
    Continue,
}

#[derive(Clone, Debug)]
struct Cell {
    span: usize,
    vmerge: VMerge,
    /// Legacy horizontal merge continuation (`w:hMerge`).
    hmerge_continue: bool,
    blocks: Vec<Block>,
}

#[derive(Clone, Debug, Default)]
struct Row {
    before: usize,
    cells: Vec<Cell>,
}

#[derive(Clone, Debug, Default)]
struct Table {
    grid_cols: usize,
    rows: Vec<Row>,
}

#[derive(Clone, Debug)]
enum Block {
    Para(Para),
    Table(Table),
}

enum Frame {
    Body(Vec<Block>),
    Table(Table),
    Row(Row),
    Cell(Cell),
    Para(Para),
}

/// Elements whose content is not part of the document's text.
fn skipped(local: &[u8]) -> bool {
    matches!(
        local,
        b"del"
            | b"moveFrom"
            | b"delText"
            | b"instrText"
            | b"AlternateContent"
            | b"drawing"
            | b"pict"
            | b"object"
            | b"sdtPr"
            | b"sdtEndPr"
            | b"rPrChange"
            | b"pPrChange"
            | b"tblPrChange"
            | b"trPrChange"
            | b"tcPrChange"
            | b"sectPrChange"
            | b"fldData"
            | b"txbxContent"
    )
}

fn attr(e: &BytesStart, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

fn number(e: &BytesStart) -> Option<usize> {
    attr(e, b"val").and_then(|v| v.trim().parse().ok())
}

struct Parser {
    stack: Vec<Frame>,
    texts: Vec<TextElem>,
    skip: usize,
    in_run: bool,
    rpr_start: Option<usize>,
    rpr: Range<usize>,
    /// The `w:t` being read.
    in_t: Option<usize>,
    tracked: usize,
    /// Complex fields: `true` while in the field code (before `separate`).
    fields: Vec<bool>,
}

impl Parser {
    fn para(&mut self) -> Option<&mut Para> {
        self.stack.iter_mut().rev().find_map(|f| match f {
            Frame::Para(p) => Some(p),
            _ => None,
        })
    }

    fn table(&mut self) -> Option<&mut Table> {
        match self.stack.last_mut() {
            Some(Frame::Table(t)) => Some(t),
            _ => None,
        }
    }

    fn cell(&mut self) -> Option<&mut Cell> {
        match self.stack.last_mut() {
            Some(Frame::Cell(c)) => Some(c),
            _ => None,
        }
    }

    fn row(&mut self) -> Option<&mut Row> {
        match self.stack.last_mut() {
            Some(Frame::Row(r)) => Some(r),
            _ => None,
        }
    }

    fn in_code(&self) -> bool {
        self.fields.last().copied().unwrap_or(false)
    }

    fn inline(&mut self, i: Inline) {
        if self.in_code() {
            return;
        }
        if let Some(p) = self.para() {
            p.inlines.push(i);
        }
    }

    fn attach(&mut self, b: Block) {
        match self.stack.last_mut() {
            Some(Frame::Body(blocks)) => blocks.push(b),
            Some(Frame::Cell(c)) => c.blocks.push(b),
            // A paragraph or table where none belongs (broken nesting): keep its text.
            Some(_) | None => {
                if let Some(Frame::Body(blocks)) = self.stack.first_mut() {
                    blocks.push(b);
                }
            }
        }
    }

    fn start(&mut self, e: &BytesStart, at: Range<usize>, empty: bool) {
        let name = e.local_name();
        let local = name.as_ref();
        if self.skip > 0 {
            if !empty {
                self.skip += 1;
            }
            return;
        }
        if skipped(local) {
            if !empty {
                self.skip = 1;
            }
            return;
        }
        match local {
            b"p" if !empty => self.stack.push(Frame::Para(Para::default())),
            b"tbl" if !empty => self.stack.push(Frame::Table(Table::default())),
            b"tr" if !empty => self.stack.push(Frame::Row(Row::default())),
            b"tc" if !empty => self.stack.push(Frame::Cell(Cell {
                span: 1,
                vmerge: VMerge::None,
                hmerge_continue: false,
                blocks: Vec::new(),
            })),
            b"gridCol" => {
                if let Some(t) = self.table() {
                    t.grid_cols += 1;
                }
            }
            b"gridBefore" => {
                let n = number(e).unwrap_or(0);
                if let Some(r) = self.row() {
                    r.before = n;
                }
            }
            b"gridSpan" => {
                let n = number(e).unwrap_or(1).clamp(1, 64);
                if let Some(c) = self.cell() {
                    c.span = n;
                }
            }
            b"vMerge" => {
                let restart = attr(e, b"val").is_some_and(|v| v == "restart");
                if let Some(c) = self.cell() {
                    c.vmerge = if restart {
                        VMerge::Restart
                    } else {
                        VMerge::Continue
                    };
                }
            }
            b"hMerge" => {
                let cont = attr(e, b"val").is_none_or(|v| v != "restart");
                if let Some(c) = self.cell() {
                    c.hmerge_continue = cont;
                }
            }
            b"pStyle" => {
                let v = attr(e, b"val");
                if let Some(Frame::Para(p)) = self.stack.last_mut() {
                    p.props.style = v;
                }
            }
            b"numId" => {
                let v = attr(e, b"val");
                if let Some(Frame::Para(p)) = self.stack.last_mut() {
                    p.props.num_id = v;
                }
            }
            b"ilvl" => {
                let v = number(e).and_then(|n| u8::try_from(n).ok());
                if let Some(Frame::Para(p)) = self.stack.last_mut() {
                    p.props.ilvl = v;
                }
            }
            b"outlineLvl" => {
                let v = number(e).and_then(|n| u8::try_from(n).ok());
                if let Some(Frame::Para(p)) = self.stack.last_mut() {
                    p.props.outline = v;
                }
            }
            b"r" if !empty => {
                self.in_run = true;
                self.rpr = at.start..at.start;
            }
            b"rPr" if self.in_run && self.in_t.is_none() => {
                if empty {
                    self.rpr = at;
                } else {
                    self.rpr_start = Some(at.start);
                }
            }
            b"t" if self.in_run && !empty && !self.in_code() => {
                self.texts.push(TextElem {
                    start_tag: at.clone(),
                    content: at.end..at.end,
                    rpr: self.rpr.clone(),
                    tracked: self.tracked > 0,
                });
                self.in_t = Some(self.texts.len() - 1);
            }
            b"tab" if self.in_run => self.inline(Inline::Tab),
            b"br" | b"cr" if self.in_run => self.inline(Inline::Break),
            b"noBreakHyphen" if self.in_run => self.inline(Inline::Gen("-")),
            b"ins" | b"moveTo" if !empty => self.tracked += 1,
            b"fldChar" => match attr(e, b"fldCharType").as_deref() {
                Some("begin") => self.fields.push(true),
                Some("separate") => {
                    if let Some(f) = self.fields.last_mut() {
                        *f = false;
                    }
                }
                Some("end") => {
                    self.fields.pop();
                }
                _ => {}
            },
            _ => {}
        }
    }

    fn end(&mut self, local: &[u8], at: Range<usize>) {
        if self.skip > 0 {
            self.skip -= 1;
            return;
        }
        match local {
            b"p" => {
                if let Some(Frame::Para(p)) = self.stack.last() {
                    let p = p.clone();
                    self.stack.pop();
                    self.attach(Block::Para(p));
                }
            }
            b"tbl" => {
                if let Some(Frame::Table(_)) = self.stack.last() {
                    if let Some(Frame::Table(t)) = self.stack.pop() {
                        self.attach(Block::Table(t));
                    }
                }
            }
            b"tr" => {
                if let Some(Frame::Row(_)) = self.stack.last() {
                    if let Some(Frame::Row(r)) = self.stack.pop() {
                        if let Some(t) = self.table() {
                            t.rows.push(r);
                        }
                    }
                }
            }
            b"tc" => {
                if let Some(Frame::Cell(_)) = self.stack.last() {
                    if let Some(Frame::Cell(c)) = self.stack.pop() {
                        if let Some(r) = self.row() {
                            r.cells.push(c);
                        }
                    }
                }
            }
            b"r" => {
                self.in_run = false;
                self.in_t = None;
            }
            b"rPr" => {
                if let Some(s) = self.rpr_start.take() {
                    self.rpr = s..at.end;
                }
            }
            b"t" => {
                if let Some(i) = self.in_t.take() {
                    self.texts[i].content.end = at.start;
                }
            }
            b"ins" | b"moveTo" => self.tracked = self.tracked.saturating_sub(1),
            _ => {}
        }
    }

    fn text(&mut self, s: &str, at: usize) {
        if self.skip > 0 || self.in_t.is_none() {
            return;
        }
        // Soft hyphens (U+00AD) are invisible: leave them out of the text.
        let mut from = 0;
        for (i, c) in s.char_indices() {
            if c == '\u{AD}' {
                if i > from {
                    self.inline(Inline::Copy(s[from..i].to_owned(), at + from));
                }
                from = i + c.len_utf8();
            }
        }
        if from < s.len() {
            self.inline(Inline::Copy(s[from..].to_owned(), at + from));
        }
    }
}

fn xml_error(xml: &[u8], at: u64, e: impl std::fmt::Display) -> Error {
    let _ = xml;
    corrupt(&format!("{DOCUMENT} 在第 {at} 字节处不是有效的 XML：{e}"))
}

fn parse(xml: &[u8]) -> Result<(Vec<Block>, Vec<TextElem>), Error> {
    if std::str::from_utf8(xml).is_err() {
        return Err(corrupt(&format!("{DOCUMENT} 不是 UTF-8 编码")));
    }
    let mut r = quick_xml::Reader::from_reader(xml);
    let mut p = Parser {
        stack: vec![Frame::Body(Vec::new())],
        texts: Vec::new(),
        skip: 0,
        in_run: false,
        rpr_start: None,
        rpr: 0..0,
        in_t: None,
        tracked: 0,
        fields: Vec::new(),
    };
    let mut depth = 0usize;
    loop {
        let pos = r.buffer_position() as usize;
        let ev = r
            .read_event()
            .map_err(|e| xml_error(xml, r.error_position(), e))?;
        let end = r.buffer_position() as usize;
        match ev {
            Event::Start(e) => {
                depth += 1;
                p.start(&e, pos..end, false);
            }
            Event::Empty(e) => p.start(&e, pos..end, true),
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                p.end(e.local_name().as_ref(), pos..end);
            }
            Event::Text(t) => {
                let s = t.decode().map_err(|e| xml_error(xml, pos as u64, e))?;
                p.text(&s, pos);
            }
            Event::GeneralRef(g) if p.skip == 0 && p.in_t.is_some() => {
                let c = match g.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    Ok(None) => match &*g {
                        b"amp" => Some('&'),
                        b"lt" => Some('<'),
                        b"gt" => Some('>'),
                        b"quot" => Some('"'),
                        b"apos" => Some('\''),
                        _ => None,
                    },
                    Err(_) => None,
                };
                if let Some(c) = c.filter(|&c| c != '\u{AD}') {
                    p.inline(Inline::Spelled(c.to_string(), pos..end));
                }
            }
            Event::Eof if depth > 0 => {
                return Err(xml_error(
                    xml,
                    end as u64,
                    "元素没有结束，内容在结尾处被截断",
                ));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let Some(Frame::Body(blocks)) = p.stack.into_iter().next() else {
        return Err(corrupt(DOCUMENT));
    };
    Ok((blocks, p.texts))
}

// ---------------------------------------------------------------------------
// Laying the blocks out as text

struct Writer {
    out: TextBuilder,
    numbering: Numbering,
    grids: Vec<crate::document::Grid>,
    paragraphs: Vec<Paragraph>,
}

impl Writer {
    /// A paragraph's content (its generated number first).
    fn inline(&mut self, p: &Para, in_cell: bool) {
        if let Some(n) = self.numbering.next(&p.props) {
            self.out.push_gen(&n);
        }
        for i in &p.inlines {
            match i {
                Inline::Copy(s, at) => self.out.push_copy(s, *at),
                Inline::Spelled(s, at) => self.out.push_spelled(s, at.clone()),
                Inline::Tab => self.out.push_gen(if in_cell { " " } else { "\t" }),
                Inline::Break => self.out.push_gen(if in_cell { " " } else { "\n" }),
                Inline::Gen(s) => self.out.push_gen(s),
            }
        }
    }

    fn blocks(&mut self, blocks: &[Block]) {
        for b in blocks {
            match b {
                Block::Para(p) => {
                    layout::line_break(&mut self.out);
                    let start = self.out.len();
                    self.inline(p, false);
                    self.out.trim_end_matches(char::is_whitespace);
                    let text = &self.out.text()[start..];
                    if text.trim().is_empty() {
                        self.out.truncate(start);
                    } else {
                        let outline = self.numbering.outline(&p.props);
                        self.paragraphs.push(Paragraph {
                            range: start..self.out.len(),
                            outline,
                        });
                        self.out.push_gen("\n");
                    }
                }
                Block::Table(t) => self.table(t),
            }
        }
    }

    fn table(&mut self, t: &Table) {
        let cells: Vec<&Cell> = t.rows.iter().flat_map(|r| &r.cells).collect();
        let nested = cells
            .iter()
            .any(|c| c.blocks.iter().any(|b| matches!(b, Block::Table(_))));
        if cells.len() <= 1 || nested {
            // A table used for layout: its cells are read as body text.
            for c in cells {
                self.blocks(&c.blocks);
            }
            return;
        }
        let (shape, order) = shape(t);
        let grid = {
            let mut out = std::mem::take(&mut self.out);
            let grid = layout::emit_table(&mut out, &shape, |b, i| {
                std::mem::swap(&mut self.out, b);
                let mut first = true;
                for block in &order[i].blocks {
                    if let Block::Para(p) = block {
                        if !first {
                            self.out.push_gen(" ");
                        }
                        first = false;
                        self.inline(p, true);
                    }
                }
                std::mem::swap(&mut self.out, b);
            });
            self.out = out;
            grid
        };
        self.grids.push(grid);
    }
}

/// Place a Word table's cells: `gridBefore` skips columns, `gridSpan`
/// widens a cell, `vMerge` continuations lengthen the cell above.
fn shape(t: &Table) -> (Shape, Vec<&Cell>) {
    let mut placed: Vec<Placed> = Vec::new();
    let mut order: Vec<&Cell> = Vec::new();
    let mut n_cols = t.grid_cols;
    for (r, row) in t.rows.iter().enumerate() {
        let mut col = row.before;
        for cell in &row.cells {
            let span = cell.span;
            if cell.hmerge_continue {
                if let Some(prev) = placed
                    .iter_mut()
                    .rev()
                    .find(|p| p.row == r && p.col + p.col_span == col)
                {
                    prev.col_span += span;
                    col += span;
                    n_cols = n_cols.max(col);
                    continue;
                }
            }
            if cell.vmerge == VMerge::Continue {
                if let Some(above) = placed
                    .iter_mut()
                    .find(|p| p.col == col && p.row + p.row_span == r && p.col_span == span)
                {
                    above.row_span += 1;
                    col += span;
                    continue;
                }
            }
            placed.push(Placed {
                row: r,
                col,
                row_span: 1,
                col_span: span,
            });
            order.push(cell);
            col += span;
            n_cols = n_cols.max(col);
        }
    }
    (
        Shape {
            n_rows: t.rows.len(),
            n_cols,
            cells: placed,
        },
        order,
    )
}

/// Read `document.xml` (with the package's numbering and styles, if any).
pub fn read_xml(
    xml: Vec<u8>,
    numbering: Option<&[u8]>,
    styles: Option<&[u8]>,
) -> Result<Docx, Error> {
    let (blocks, texts) = parse(&xml)?;
    let mut w = Writer {
        out: TextBuilder::default(),
        numbering: Numbering::new(numbering, styles),
        grids: Vec::new(),
        paragraphs: Vec::new(),
    };
    w.blocks(&blocks);
    layout::line_break(&mut w.out);
    let (text, map) = w.out.finish();
    Ok(Docx {
        doc: Document {
            text,
            grids: w.grids,
        },
        map,
        xml,
        texts,
        paragraphs: w.paragraphs,
        package: Vec::new(),
        numbering: None,
        styles: None,
    })
}

// ---------------------------------------------------------------------------
// Fixing: edits of the text become edits of the runs that hold it

/// Why a fix cannot be applied to the Word file (the user edits it in Word).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Manual {
    /// Part of the text is not typed text (a generated list number, a tab, a line break).
    NotText,
    /// The text lies in runs with different formatting.
    Formatting,
    /// The text lies in a tracked change.
    Tracked,
}

impl Manual {
    pub fn reason(self) -> &'static str {
        match self {
            Manual::NotText => "这段文字含有自动编号、制表符或换行，不是可直接改写的文字",
            Manual::Formatting => "这段文字分在几段格式不同的文字中",
            Manual::Tracked => "这段文字在修订（跟踪更改）中",
        }
    }
}

impl Docx {
    /// The `w:t` whose content holds `src`.
    fn elem_of(&self, src: &Range<usize>) -> Option<usize> {
        let i = self.texts.partition_point(|t| t.content.end < src.end);
        (i < self.texts.len()
            && self.texts[i].content.start <= src.start
            && src.end <= self.texts[i].content.end)
            .then_some(i)
    }

    /// The `document.xml` edits for one fix: the new text goes into the
    /// first run holding the old text, the other runs lose their part of it;
    /// nothing else changes. Refused when the runs differ in formatting,
    /// lie in a tracked change, or the text includes generated text.
    pub fn xml_edits(
        &self,
        fix: &crate::diagnostic::Fix,
    ) -> Result<Vec<(Range<usize>, String)>, Manual> {
        let mut out: Vec<(Range<usize>, String)> = Vec::new();
        for edit in &fix.edits {
            let edit = &super::narrow(&self.doc.text, edit);
            let ranges = self
                .map
                .edit_ranges(edit.range.clone())
                .ok_or(Manual::NotText)?;
            let mut elems = Vec::with_capacity(ranges.len());
            for r in &ranges {
                // A range may cover several adjacent w:t only through markup, which
                // edit_ranges never merges across; so each lies in one element.
                elems.push(self.elem_of(r).ok_or(Manual::NotText)?);
            }
            let first = *elems.first().ok_or(Manual::NotText)?;
            let rpr = |i: usize| &self.xml[self.texts[i].rpr.clone()];
            for &i in &elems {
                if self.texts[i].tracked {
                    return Err(Manual::Tracked);
                }
                if rpr(i) != rpr(first) {
                    return Err(Manual::Formatting);
                }
            }
            for (k, (r, &i)) in ranges.iter().zip(&elems).enumerate() {
                let new = if k == 0 {
                    super::html::escape(&edit.new_text)
                } else {
                    String::new()
                };
                // Leading or trailing spaces need xml:space="preserve" to survive.
                let t = &self.texts[i];
                let before = String::from_utf8_lossy(&self.xml[t.content.start..r.start]);
                let after = String::from_utf8_lossy(&self.xml[r.end..t.content.end]);
                let whole = format!("{before}{new}{after}");
                let tag = String::from_utf8_lossy(&self.xml[t.start_tag.clone()]);
                if whole.trim() != whole && !tag.contains("xml:space") {
                    let close = t.start_tag.end - 1;
                    out.push((close..close, " xml:space=\"preserve\"".to_owned()));
                }
                out.push((r.clone(), new));
            }
        }
        Ok(out)
    }
}

/// Apply non-overlapping byte edits.
pub fn apply_edits(xml: &[u8], edits: &mut [(Range<usize>, String)]) -> Vec<u8> {
    edits.sort_by_key(|(r, _)| (r.start, r.end));
    let mut out = Vec::with_capacity(xml.len() + 64);
    let mut last = 0;
    for (r, new) in edits.iter() {
        out.extend_from_slice(&xml[last..r.start]);
        out.extend_from_slice(new.as_bytes());
        last = r.end;
    }
    out.extend_from_slice(&xml[last..]);
    out
}

/// The package with `word/document.xml` replaced: every other entry is
/// copied as stored (same compressed bytes), the document keeps its name,
/// compression method and timestamp.
pub fn repackage(original: &[u8], document_xml: &[u8]) -> Result<Vec<u8>, Error> {
    use std::io::Write;
    let mut zip = open(original)?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(original.len() + 1024)));
    let fail = |e: &dyn std::fmt::Display| format!("无法写出修复后的 Word 文件（{e}）");
    for i in 0..zip.len() {
        let file = zip.by_index_raw(i).map_err(|e| fail(&e))?;
        if file.name() == DOCUMENT {
            let mut options = zip::write::SimpleFileOptions::default()
                .compression_method(file.compression())
                .large_file(document_xml.len() as u64 >= u64::from(u32::MAX));
            if let Some(t) = file.last_modified() {
                options = options.last_modified_time(t);
            }
            if let Some(mode) = file.unix_mode() {
                options = options.unix_permissions(mode);
            }
            drop(file);
            out.start_file(DOCUMENT, options).map_err(|e| fail(&e))?;
            out.write_all(document_xml).map_err(|e| fail(&e))?;
        } else {
            out.raw_copy_file(file).map_err(|e| fail(&e))?;
        }
    }
    let comment = zip.comment().to_vec();
    out.set_raw_comment(comment.into());
    Ok(out.finish().map_err(|e| fail(&e))?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Edit, Fix, Safety};

    const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#;

    fn read_body(body: &str) -> Docx {
        read_numbered(body, None)
    }

    fn read_numbered(body: &str, numbering: Option<&str>) -> Docx {
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>{body}<w:sectPr/></w:body></w:document>"#
        );
        read_xml(xml.into_bytes(), numbering.map(str::as_bytes), None).unwrap()
    }

    fn p(runs: &str) -> String {
        format!("<w:p>{runs}</w:p>")
    }

    fn r(text: &str) -> String {
        format!("<w:r><w:t>{text}</w:t></w:r>")
    }

    /// Apply a replacement of `old` by `new` through the runs; the new document.xml.
    fn fix(d: &Docx, old: &str, new: &str) -> Result<String, Manual> {
        let at = d.doc.text.find(old).expect("text present");
        let fix = Fix {
            title: String::new(),
            safety: Safety::Safe,
            edits: vec![Edit {
                range: at..at + old.len(),
                new_text: new.to_owned(),
            }],
        };
        let mut edits = d.xml_edits(&fix)?;
        Ok(String::from_utf8(apply_edits(&d.xml, &mut edits)).unwrap())
    }

    #[test]
    fn a_word_split_over_runs_reads_whole_and_fixes_in_the_first_run() {
        let d = read_body(&p(&format!("{}{}", r("结果"), r("维护"))));
        assert_eq!(d.doc.text, "结果维护\n");
        // Only the changed character is rewritten: 护, in the second run.
        let xml = fix(&d, "结果维护", "结果维持").unwrap();
        assert!(
            xml.contains("<w:t>结果</w:t></w:r><w:r><w:t>维持</w:t>"),
            "{xml}"
        );
        assert_eq!(
            read_xml(xml.into_bytes(), None, None).unwrap().doc.text,
            "结果维持\n"
        );
        // A change across both runs: the first run takes the new text, the second gives up its part.
        let xml = fix(&d, "结果维护", "维持结果").unwrap();
        assert!(
            xml.contains("<w:t>维持结果</w:t></w:r><w:r><w:t></w:t>"),
            "{xml}"
        );
    }

    #[test]
    fn runs_with_different_formatting_are_left_to_word() {
        let body =
            p(r#"<w:r><w:t>结果</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>维护</w:t></w:r>"#);
        let d = read_body(&body);
        assert_eq!(d.doc.text, "结果维护\n");
        assert_eq!(fix(&d, "结果维护", "维持结果"), Err(Manual::Formatting));
        // A change within the bold run alone is fine, and the bold is kept.
        let xml = fix(&d, "结果维护", "结果维持").unwrap();
        assert!(
            xml.contains("<w:rPr><w:b/></w:rPr><w:t>维持</w:t>"),
            "{xml}"
        );
    }

    #[test]
    fn proof_errors_bookmarks_and_comment_anchors_are_transparent() {
        let body = p(&format!(
            r#"<w:proofErr w:type="spellStart"/>{}<w:bookmarkStart w:id="0" w:name="_Toc1"/><w:commentRangeStart w:id="3"/>{}<w:proofErr w:type="spellEnd"/><w:bookmarkEnd w:id="0"/><w:commentRangeEnd w:id="3"/><w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference w:id="3"/></w:r>"#,
            r("结果"),
            r("维护")
        ));
        assert_eq!(read_body(&body).doc.text, "结果维护\n");
    }

    #[test]
    fn content_controls_read_their_content_not_their_properties() {
        let body = format!(
            r#"<w:sdt><w:sdtPr><w:alias w:val="标题"/><w:placeholder><w:docPart w:val="X"/></w:placeholder><w:rPr><w:b/></w:rPr></w:sdtPr><w:sdtContent>{}</w:sdtContent></w:sdt>{}"#,
            p(&r("一、总体情况")),
            p(&format!(
                r#"<w:r><w:t>表</w:t></w:r><w:sdt><w:sdtPr><w:text/></w:sdtPr><w:sdtContent>{}</w:sdtContent></w:sdt>"#,
                r("三")
            ))
        );
        assert_eq!(read_body(&body).doc.text, "一、总体情况\n表三\n");
    }

    #[test]
    fn fields_read_their_result_not_their_code() {
        let body = p(&format!(
            r#"{}<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> DOCPROPERTY Year </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>{}<w:r><w:fldChar w:fldCharType="end"/></w:r>{}<w:fldSimple w:instr=" PAGE ">{}</w:fldSimple>"#,
            r("统计期限自"),
            r("2023"),
            r("年1月1日起，第"),
            r("3")
        ));
        assert_eq!(read_body(&body).doc.text, "统计期限自2023年1月1日起，第3\n");
    }

    #[test]
    fn soft_hyphens_are_invisible_and_edits_skip_them() {
        let body = p(&format!(
            "{}<w:r><w:softHyphen/></w:r>{}",
            r("结果\u{AD}维"),
            r("护")
        ));
        let d = read_body(&body);
        assert_eq!(d.doc.text, "结果维护\n");
        // The soft hyphen sits between copied text: an edit across it keeps it out.
        let xml = fix(&d, "果维护", "果纬护").unwrap();
        assert!(xml.contains("<w:t>结果\u{AD}纬</w:t>"), "{xml}");
    }

    #[test]
    fn tabs_and_breaks_end_fields_in_paragraphs_but_not_in_cells() {
        let para = p(&format!(
            "{}<w:r><w:tab/></w:r>{}<w:r><w:br/></w:r>{}",
            r("一、"),
            r("总体情况"),
            r("第二行")
        ));
        let cell = |content: &str| format!("<w:tc><w:tcPr/>{content}</w:tc>");
        let table = format!(
            "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid><w:tr>{}{}</w:tr></w:tbl>",
            cell(&p(&format!(
                "{}<w:r><w:tab/><w:t>一稳定</w:t><w:br/><w:t>”</w:t></w:r>",
                r("3.危及“三安全")
            ))),
            cell(&p(&r("0")))
        );
        let d = read_body(&format!("{para}{table}"));
        assert_eq!(
            d.doc.text,
            "一、\t总体情况\n第二行\n3.危及“三安全 一稳定 ”\t0\n"
        );
        assert_eq!(d.doc.grids[0].cells.len(), 2);
    }

    #[test]
    fn tracked_changes_read_as_accepted() {
        // A label corrected with track changes on: 维护 deleted, 维持 inserted.
        let body = p(&format!(
            r#"{}<w:del w:id="1" w:author="a"><w:r><w:delText>维护</w:delText></w:r></w:del><w:ins w:id="2" w:author="a">{}</w:ins>"#,
            r("结果"),
            r("维持")
        ));
        let d = read_body(&body);
        assert_eq!(d.doc.text, "结果维持\n");
        // Text in a tracked insertion is not rewritten behind Word's back.
        assert_eq!(fix(&d, "维持", "维护"), Err(Manual::Tracked));
        // A moved paragraph counts once, where it was moved to.
        let body = format!(
            r#"<w:p><w:moveFrom w:id="3">{}</w:moveFrom></w:p><w:p><w:moveTo w:id="4">{}</w:moveTo></w:p>"#,
            r("结果纠正"),
            r("结果纠正")
        );
        assert_eq!(read_body(&body).doc.text, "结果纠正\n");
    }

    #[test]
    fn footnotes_and_text_boxes_are_not_read() {
        let body = p(&format!(
            r#"{}<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="1"/></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent>{}</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict>{}</w:pict></mc:Fallback></mc:AlternateContent></w:r>"#,
            r("总体情况"),
            p(&r("文本框")),
            p(&r("文本框"))
        ));
        assert_eq!(read_body(&body).doc.text, "总体情况\n");
    }

    #[test]
    fn generated_list_numbers_are_written_but_not_editable() {
        let numbering = r#"<w:numbering xmlns:w="w"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#;
        let heading = |t: &str| {
            format!(
                r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>{}</w:p>"#,
                r(t)
            )
        };
        let body = format!(
            "{}{}{}",
            heading("总体情况"),
            p(&r("正文")),
            heading("主动公开政府信息情况")
        );
        let d = read_numbered(&body, Some(numbering));
        assert_eq!(d.doc.text, "一、总体情况\n正文\n二、主动公开政府信息情况\n");
        assert_eq!(fix(&d, "一、总体", "二、总体"), Err(Manual::NotText));
        assert!(fix(&d, "一、总体", "一、概况").is_ok());
        assert_eq!(d.paragraphs.len(), 3);
    }

    #[test]
    fn merged_cells_become_spans() {
        // | 行政复议 (gridSpan 2) | 行政诉讼 (vMerge restart) |
        // | 结果维持 | 结果纠正     | (vMerge continue)          |
        let tc = |pr: &str, t: &str| format!("<w:tc><w:tcPr>{pr}</w:tcPr>{}</w:tc>", p(&r(t)));
        let table = format!(
            "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid><w:tr>{}{}</w:tr><w:tr>{}{}{}</w:tr></w:tbl>",
            tc(r#"<w:gridSpan w:val="2"/>"#, "行政复议"),
            tc(r#"<w:vMerge w:val="restart"/>"#, "行政诉讼"),
            tc("", "结果维持"),
            tc("", "结果纠正"),
            "<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>"
        );
        let d = read_body(&table);
        assert_eq!(d.doc.text, "行政复议\t\t行政诉讼\n结果维持\t结果纠正\t\n");
        let g = &d.doc.grids[0];
        assert!(g.explicit_spans);
        let cells = g.cells_with_text(&d.doc.text);
        assert_eq!(
            cells,
            [
                (0, 0, 1, 2, "行政复议"),
                (0, 2, 2, 1, "行政诉讼"),
                (1, 0, 1, 1, "结果维持"),
                (1, 1, 1, 1, "结果纠正"),
            ]
        );
    }

    #[test]
    fn nested_tables_read_as_tables_inside_layout() {
        let cell = |content: &str| format!("<w:tc>{content}</w:tc>");
        let inner = format!(
            "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
            cell(&p(&r("结果维持"))),
            cell(&p(&r("结果纠正"))),
            cell(&p(&r("1"))),
            cell(&p(&r("0")))
        );
        // A one-cell wrapper around the report.
        let wrapped = format!(
            "<w:tbl><w:tr>{}</w:tr></w:tbl>",
            cell(&format!(
                "{}{inner}{}",
                p(&r("四、复议诉讼")),
                p(&r("五、问题"))
            ))
        );
        let d = read_body(&wrapped);
        assert_eq!(
            d.doc.text,
            "四、复议诉讼\n结果维持\t结果纠正\n1\t0\n五、问题\n"
        );
        assert_eq!(d.doc.grids.len(), 1);
        assert_eq!(d.paragraphs.len(), 2);
        // A data table nested in a two-column layout table.
        let layout = format!(
            "<w:tbl><w:tr>{}{}</w:tr></w:tbl>",
            cell(&p(&r("左栏"))),
            cell(&inner)
        );
        let d = read_body(&layout);
        assert_eq!(d.doc.text, "左栏\n结果维持\t结果纠正\n1\t0\n");
    }

    #[test]
    fn entities_map_to_their_bytes() {
        let d = read_body(&p(&r("A&amp;B&#x7ED3;果")));
        assert_eq!(d.doc.text, "A&B结果\n");
        let xml = fix(&d, "B结", "B洁").unwrap();
        assert!(xml.contains("<w:t>A&amp;B洁果</w:t>"), "{xml}");
        let xml = fix(&d, "&", "与").unwrap();
        assert!(xml.contains("<w:t>A与B&#x7ED3;果</w:t>"), "{xml}");
    }

    #[test]
    fn spaces_at_the_edge_of_a_run_are_preserved() {
        let d = read_body(&p(&format!("{}{}", r("结果"), r("维护 "))));
        let xml = fix(&d, "结果维护", "结果").unwrap();
        assert!(
            xml.contains(r#"<w:t xml:space="preserve"> </w:t>"#),
            "{xml}"
        );
    }

    #[test]
    fn broken_xml_is_a_clear_error() {
        let err = read_xml(b"<w:document><w:body><w:p></w:body>".to_vec(), None, None).unwrap_err();
        assert!(err.contains("不是有效的 XML"), "{err}");
        let err = read(b"PK\x03\x04 truncated").unwrap_err();
        assert!(err.contains("不完整"), "{err}");
        let err = read(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 old doc").unwrap_err();
        assert!(err.contains(".doc"), "{err}");
    }
}

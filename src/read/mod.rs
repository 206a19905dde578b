//! Readers: a file's bytes → the [`Document`] the core reads, plus where
//! each piece of its text came from, so that findings and fixes can be
//! placed in the file as its user sees it. Pure: no IO.
//!
//! | format | document text | findings are placed | `--fix` edits |
//! |---|---|---|---|
//! | `.txt`, `.md` | the file's text | line:column in the file | the text |
//! | `.html`, `.htm` | the page as rendered | line:column in the page source | the page source |
//! | `.docx` | paragraphs and table rows | 第 N 部分 表三 第 R 行 第 C 列 / 第 N 段 | the runs in `word/document.xml` |
//! | `.pdf` | the text layer, page by page | 第 N 页 | — |

pub mod docx;
pub mod html;
pub mod layout;
pub mod location;
pub mod markup;
pub mod numbering;
pub mod pdf;
pub mod srcmap;
pub mod text;
pub mod wrap;

use std::ops::Range;

use crate::analysis::{analyze_document, Analysis};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::document::Document;
use crate::fix::FixMode;
use crate::settings::Settings;
pub use location::Location;
use srcmap::SourceMap;
use text::{Decoded, Encoding, LineEnding};

/// The kinds of file the checker reads, by extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
    Docx,
    Pdf,
}

impl Read {
    /// The file's bytes as read (for writing back unchanged).
    pub fn bytes(&self) -> Vec<u8> {
        match &self.origin {
            Origin::Docx(d) if !d.package.is_empty() => d.package.clone(),
            _ => self.decoded.encode(&self.decoded.text),
        }
    }
}

impl Format {
    /// The format of a file name (unknown extensions read as text).
    pub fn of(name: &str) -> Format {
        let ext = std::path::Path::new(name)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("md" | "markdown") => Format::Markdown,
            Some("html" | "htm" | "xhtml" | "shtml") => Format::Html,
            Some("docx" | "docm") => Format::Docx,
            Some("pdf") => Format::Pdf,
            _ => Format::Text,
        }
    }

    /// Extensions found in folders (`--check DIR`).
    pub const EXTENSIONS: &'static [&'static str] = &["txt", "md", "docx", "html", "htm", "pdf"];

    /// Findings are placed by line and column in a text the user edits
    /// (text, Markdown, HTML source), else by location in words.
    pub fn has_lines(self) -> bool {
        matches!(self, Format::Text | Format::Markdown | Format::Html)
    }
}

/// Where the document's text came from.
#[derive(Clone, Debug)]
pub enum Origin {
    /// The document text is the file's text.
    Text,
    /// Markup (a web page, or Markdown with raw HTML): document text →
    /// the file's text.
    Html(SourceMap),
    /// A Word package (kept whole for `--fix`).
    Docx(Box<docx::Docx>),
    /// A PDF: the document text of each page.
    Pdf(Vec<Range<usize>>),
}

/// A file as read.
#[derive(Clone, Debug)]
pub struct Read {
    pub format: Format,
    /// What the core reads.
    pub doc: Document,
    /// The text findings are placed in: the file's text (text, Markdown),
    /// the page source (HTML), the document text (Word, PDF); and how the
    /// file was stored, for writing it back.
    pub decoded: Decoded,
    pub origin: Origin,
    /// Something the user should know about how the file was read.
    pub note: Option<String>,
    /// Encoding the text again gives the file's bytes back (`--fix` writes
    /// only such files).
    pub lossless: bool,
}

fn shown(text: String) -> Decoded {
    Decoded {
        text,
        encoding: Encoding::Utf8,
        bom: false,
        line_ending: LineEnding::Lf,
    }
}

/// Read a file's bytes as its name says (`name` only chooses the format).
/// The error is a Chinese reason naming what is wrong.
pub fn read(name: &str, bytes: &[u8]) -> Result<Read, String> {
    let format = Format::of(name);
    let file_name = name.rsplit(['/', '\\']).next().unwrap_or(name);
    if file_name.starts_with("~$") && format == Format::Docx {
        return Err("这是 Word 打开文档时生成的临时锁定文件（以 ~$ 开头），不是报告；请检查不带 ~$ 的原文件".into());
    }
    match format {
        Format::Text | Format::Markdown if looks_like_html(bytes) => {
            let mut read = read_html(bytes);
            read.note = Some(match read.note {
                Some(n) => format!("内容是网页源代码，已按网页读取；{n}"),
                None => "内容是网页源代码，已按网页读取".to_string(),
            });
            Ok(read)
        }
        Format::Text | Format::Markdown => {
            let decoded = text::decode(bytes).map_err(|e| e.to_string())?;
            let note = (decoded.encoding != Encoding::Utf8).then(|| {
                format!(
                    "不是 UTF-8 编码，已按 {} 编码读取",
                    decoded.encoding.as_str()
                )
            });
            let (doc, origin) = text_doc(format, &decoded.text);
            Ok(Read {
                format,
                doc,
                decoded,
                origin,
                note,
                lossless: true,
            })
        }
        Format::Html => Ok(read_html(bytes)),
        Format::Docx => {
            let d = docx::read(bytes)?;
            Ok(Read {
                format,
                doc: d.doc.clone(),
                decoded: shown(d.doc.text.clone()),
                origin: Origin::Docx(Box::new(d)),
                note: None,
                lossless: true,
            })
        }
        Format::Pdf => {
            let p = pdf::read(bytes)?;
            Ok(Read {
                format,
                decoded: shown(p.doc.text.clone()),
                doc: p.doc,
                origin: Origin::Pdf(p.pages),
                note: None,
                lossless: true,
            })
        }
    }
}

/// The document of a text or Markdown file. Markdown shows raw HTML's
/// text, not its tags, and a hard-wrapped text is read without the breaks
/// its wrapping added: such a file is read like a page, mapped to its text.
fn text_doc(format: Format, text: &str) -> (Document, Origin) {
    match shown_text(format == Format::Markdown, text) {
        Some((shown, map)) => (Document::from_text(shown), Origin::Html(map)),
        None => (Document::from_text(text), Origin::Text),
    }
}

/// The text a text or Markdown file shows when it is not its own bytes
/// ([`markup`], [`wrap`]), mapped to the file.
fn shown_text(markdown: bool, text: &str) -> Option<(String, srcmap::SourceMap)> {
    markdown
        .then(|| markup::read(text))
        .flatten()
        .or_else(|| wrap::unwrap(text))
}

/// The findings of an editor buffer, placed in the buffer, and whether they
/// were mapped from a text the buffer shows rather than the buffer itself
/// (a web page; Markdown with raw HTML or pandoc spans; a hard-wrapped
/// text): then the report's own ranges are in that shown text.
pub fn analyze_editor(
    source: &str,
    page: bool,
    markdown: bool,
    settings: &Settings,
) -> (Analysis, bool) {
    if page {
        return (analyze_page(source, settings), true);
    }
    match shown_text(markdown, source) {
        Some((shown, map)) => {
            let format = if markdown {
                Format::Markdown
            } else {
                Format::Text
            };
            let read = buffer(
                format,
                source,
                Document::from_text(shown),
                Origin::Html(map),
            );
            (analyze(&read, settings).analysis, true)
        }
        None => (crate::analyze(source, settings), false),
    }
}

fn read_html(bytes: &[u8]) -> Read {
    let (decoded, note) = html::decode(bytes);
    let (doc, map) = html::read(&decoded.text);
    let lossless = decoded.encode(&decoded.text) == bytes;
    Read {
        format: Format::Html,
        doc,
        decoded,
        origin: Origin::Html(map),
        note,
        lossless,
    }
}

/// A page's source saved under a text name (`报告.txt` holding
/// `<!DOCTYPE html>…`, as "save page" or a crawler may leave it): the
/// first thing in the file, after a byte-order mark, blank space and
/// comments, is a doctype or an `<html>`/`<head>`/`<body>` tag.
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let mut rest = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    loop {
        rest = rest.trim_ascii_start();
        match rest.strip_prefix(b"<!--") {
            Some(after) => match after.windows(3).position(|w| w == b"-->") {
                Some(end) => rest = &after[end + 3..],
                None => return false,
            },
            None => break,
        }
    }
    let head = &rest[..rest.len().min(16)];
    let starts = |tag: &[u8]| {
        head.len() > tag.len()
            && head[..tag.len()].eq_ignore_ascii_case(tag)
            && matches!(head[tag.len()], b'>' | b' ' | b'\t' | b'\r' | b'\n')
    };
    starts(b"<!doctype") || starts(b"<html") || starts(b"<head") || starts(b"<body")
}

/// A text already decoded (an editor buffer, a test's text) as a text file.
pub fn text(text: &str) -> Read {
    buffer(Format::Text, text, Document::from_text(text), Origin::Text)
}

/// A web page's source text (an editor buffer) as read.
pub fn page(source: &str) -> Read {
    let (doc, map) = html::read(source);
    buffer(Format::Html, source, doc, Origin::Html(map))
}

/// An editor buffer (text already decoded) as read into `doc`.
fn buffer(format: Format, source: &str, doc: Document, origin: Origin) -> Read {
    Read {
        format,
        doc,
        decoded: shown(source.to_owned()),
        origin,
        note: None,
        lossless: true,
    }
}

/// The findings of a web page's source text, placed in the source (the
/// language server's analysis of an open `.html` file).
pub fn analyze_page(source: &str, settings: &Settings) -> Analysis {
    analyze(&page(source), settings).analysis
}

/// A read file's analysis, placed in the file.
#[derive(Clone, Debug)]
pub struct Placed {
    /// Findings with ranges in [`Read::decoded`]'s text (the page source
    /// for HTML). `analysis.report` keeps document-text ranges.
    pub analysis: Analysis,
    /// For each finding, its place in words.
    pub places: Vec<Place>,
}

/// One finding's place, and whether `--fix` can apply its fix to this file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Place {
    pub location: Location,
    /// Locations of the finding's related items (e.g. the cells a total sums).
    pub related: Vec<Location>,
    /// Why the fix must be made by hand in this file (Word, PDF); `None`
    /// when `--fix` can apply it or there is no fix.
    pub manual: Option<String>,
}

/// Analyse a read file and place the findings in it.
pub fn analyze(read: &Read, settings: &Settings) -> Placed {
    place(read, analyze_document(&read.doc, settings))
}

fn place(read: &Read, mut analysis: Analysis) -> Placed {
    let places = place_findings(read, &analysis.report, &mut analysis.diagnostics);
    Placed { analysis, places }
}

/// The places of findings whose ranges are in the document text (the
/// core's), which are moved onto the page source for HTML. Related
/// locations in another file (`Related::path`) are left for the caller to
/// place in that file.
fn place_findings(
    read: &Read,
    report: &crate::model::Report,
    found: &mut [Diagnostic],
) -> Vec<Place> {
    let (paragraphs, pages): (Vec<Range<usize>>, &[Range<usize>]) = match &read.origin {
        Origin::Docx(d) => (d.paragraphs.iter().map(|p| p.range.clone()).collect(), &[]),
        Origin::Pdf(pages) => (Vec::new(), pages),
        _ => (Vec::new(), &[]),
    };
    let places_of = location::Places {
        paragraphs: &paragraphs,
        pages,
    };
    // Quoted text never shows personal data (masking keeps every offset).
    let masked;
    let doc = if found.iter().any(|d| d.conceal) {
        masked = Document {
            text: crate::diagnostic::conceal(&read.doc.text, found).into_owned(),
            grids: read.doc.grids.clone(),
        };
        &masked
    } else {
        &read.doc
    };
    let locate = |r: &Range<usize>| location::locate(doc, report, places_of, r);
    let places: Vec<Place> = found
        .iter()
        .map(|d| Place {
            location: locate(&d.range),
            related: d
                .related
                .iter()
                .map(|r| match r.path {
                    None => locate(&r.range),
                    Some(_) => Location::default(),
                })
                .collect(),
            manual: match (&read.origin, &d.fix) {
                (Origin::Docx(x), Some(f)) => manual_in_word(x, f),
                (Origin::Pdf(_), Some(_)) => {
                    Some("PDF 文件不能自动修复，请在原稿中修改后重新导出".to_owned())
                }
                _ => None,
            },
        })
        .collect();
    if let Origin::Html(map) = &read.origin {
        for d in found.iter_mut() {
            to_page(&read.doc.text, map, d);
        }
    }
    places
}

/// Place findings made after the analysis, from its report (cross-year
/// findings, with document-text ranges like the core's): moved onto the
/// page source for HTML, located in words for Word and PDF.
pub fn place_more(
    read: &Read,
    report: &crate::model::Report,
    found: &mut [Diagnostic],
) -> Vec<Place> {
    place_findings(read, report, found)
}

/// A range of the document text in the text findings are placed in (the
/// page source for HTML; the same range otherwise).
pub fn shown_range(read: &Read, range: Range<usize>) -> Range<usize> {
    match &read.origin {
        Origin::Html(map) => map.range(range),
        _ => range,
    }
}

/// The place in words of a range of the document text.
pub fn locate_range(read: &Read, report: &crate::model::Report, range: &Range<usize>) -> Location {
    place_findings(read, report, &mut [Diagnostic::new("", range.clone(), "")])
        .remove(0)
        .location
}

fn manual_in_word(d: &docx::Docx, f: &Fix) -> Option<String> {
    let reason = if f.edits.iter().any(|e| e.new_text.contains('\n')) {
        Some("修复需要插入新的段落")
    } else {
        d.xml_edits(f).err().map(docx::Manual::reason)
    };
    reason.map(|r| format!("请在 Word 中手动修改（{r}）"))
}

/// The part of an edit that changes anything: the common beginning and end
/// of the old and new text are left alone (结果维护 → 结果维持 only
/// rewrites 护), so unchanged runs, spans and entities stay as they are.
pub fn narrow(text: &str, e: &Edit) -> Edit {
    let Some(old) = text.get(e.range.clone()) else {
        return e.clone();
    };
    let new = e.new_text.as_str();
    let prefix: usize = old
        .chars()
        .zip(new.chars())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum();
    let suffix: usize = old[prefix..]
        .chars()
        .rev()
        .zip(new[prefix..].chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum();
    Edit {
        range: e.range.start + prefix..e.range.end - suffix,
        new_text: new[prefix..new.len() - suffix].to_owned(),
    }
}

/// Move a finding of the rendered page onto the page source. A fix whose
/// text cannot be edited in the source (it spans generated line breaks, or
/// inserts new lines) is dropped.
fn to_page(text: &str, map: &SourceMap, d: &mut Diagnostic) {
    d.range = map.range(d.range.clone());
    for r in d.related.iter_mut().filter(|r| r.path.is_none()) {
        r.range = map.range(r.range.clone());
    }
    if let Some(fix) = d.fix.take() {
        let mut edits = Vec::new();
        let mut ok = true;
        for e in &fix.edits {
            let e = &narrow(text, e);
            match map.edit_ranges(e.range.clone()) {
                Some(ranges) if !e.new_text.contains('\n') => {
                    for (k, r) in ranges.into_iter().enumerate() {
                        edits.push(Edit {
                            range: r,
                            new_text: if k == 0 {
                                html::escape(&e.new_text)
                            } else {
                                String::new()
                            },
                        });
                    }
                }
                _ => ok = false,
            }
        }
        if ok {
            d.fix = Some(Fix { edits, ..fix });
        }
    }
}

/// A file after `--fix`.
#[derive(Debug)]
pub struct Fixed {
    /// The new file bytes.
    pub bytes: Vec<u8>,
    /// The file read again from those bytes.
    pub read: Read,
    pub placed: Placed,
    /// Fixes applied over all passes.
    pub applied: usize,
}

/// Apply fixes until none applies, in the file's own format: the text
/// (text, Markdown, HTML source, written back in its encoding) or the runs
/// of a Word package. `Ok(None)`: nothing to fix.
pub fn fix(
    read: &Read,
    first: &Analysis,
    settings: &Settings,
    mode: FixMode,
) -> Result<Option<Fixed>, String> {
    match &read.origin {
        Origin::Text | Origin::Html(_) => {
            let reread = |text: &str| -> (Read, Placed) {
                let again = reread_text(read, text);
                let placed = analyze(&again, settings);
                (again, placed)
            };
            let fixed =
                crate::fix::fix_converge(&read.decoded.text, first, mode, |t| reread(t).1.analysis);
            let Some(fixed) = fixed else { return Ok(None) };
            // A page decoded with substitutions would not come back as it was.
            if !read.lossless {
                return Err("文件含有无法按其编码还原的字节，为避免损坏文件，没有写入修复；请在编辑器中修改".into());
            }
            let bytes = read.decoded.encode(&fixed.text);
            let (again, placed) = reread(&fixed.text);
            Ok(Some(Fixed {
                bytes,
                read: again,
                placed,
                applied: fixed.applied,
            }))
        }
        Origin::Docx(_) => docx_fix(read, first, settings, mode),
        Origin::Pdf(_) => Ok(None),
    }
}

/// The same file with a new text (after fixes).
fn reread_text(read: &Read, text: &str) -> Read {
    let decoded = Decoded {
        text: text.to_owned(),
        ..read.decoded.clone()
    };
    match read.format {
        Format::Html => {
            let (doc, map) = html::read(text);
            Read {
                doc,
                decoded,
                origin: Origin::Html(map),
                ..read.clone()
            }
        }
        _ => {
            let (doc, origin) = text_doc(read.format, text);
            Read {
                doc,
                decoded,
                origin,
                ..read.clone()
            }
        }
    }
}

fn docx_fix(
    read: &Read,
    first: &Analysis,
    settings: &Settings,
    mode: FixMode,
) -> Result<Option<Fixed>, String> {
    let Origin::Docx(original) = &read.origin else {
        return Ok(None);
    };
    const MAX_PASSES: usize = 10;
    let mut current: Option<(Read, Placed)> = None;
    let mut applied = 0;
    for _ in 0..MAX_PASSES {
        let (now, diagnostics) = match &current {
            Some((r, p)) => (r, &p.analysis.diagnostics),
            None => (read, &first.diagnostics),
        };
        let Origin::Docx(d) = &now.origin else { break };
        let mut accepted: Vec<(Range<usize>, String)> = Vec::new();
        let mut n = 0;
        for diag in diagnostics {
            let Some(f) = &diag.fix else { continue };
            if f.safety == crate::diagnostic::Safety::Unsafe && mode == FixMode::Safe {
                continue;
            }
            if f.edits.iter().any(|e| e.new_text.contains('\n')) {
                continue;
            }
            let Ok(edits) = d.xml_edits(f) else { continue };
            let overlaps = edits.iter().any(|(e, _)| {
                accepted
                    .iter()
                    .any(|(a, _)| e.start < a.end && a.start < e.end || e == a)
            });
            if overlaps {
                continue;
            }
            accepted.extend(edits);
            n += 1;
        }
        if n == 0 {
            break;
        }
        applied += n;
        let xml = docx::apply_edits(&d.xml, &mut accepted);
        let mut next = docx::read_xml(
            xml,
            original.numbering.as_deref(),
            original.styles.as_deref(),
        )?;
        next.package.clone_from(&original.package);
        next.numbering.clone_from(&original.numbering);
        next.styles.clone_from(&original.styles);
        let again = Read {
            doc: next.doc.clone(),
            decoded: shown(next.doc.text.clone()),
            origin: Origin::Docx(Box::new(next)),
            ..read.clone()
        };
        let placed = analyze(&again, settings);
        current = Some((again, placed));
    }
    let Some((again, placed)) = current else {
        return Ok(None);
    };
    let Origin::Docx(d) = &again.origin else {
        return Ok(None);
    };
    let bytes = docx::repackage(&original.package, &d.xml)?;
    Ok(Some(Fixed {
        bytes,
        read: again,
        placed,
        applied,
    }))
}

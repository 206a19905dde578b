//! `.pdf`: the text layer, page by page, in the order `pdf-extract` lays it
//! out (lines by position, as `pdftotext` does), for the core's stream
//! reader. A PDF has no cells to go by and cannot be fixed: findings name
//! their page.

use std::cell::Cell;
use std::ops::Range;
use std::sync::Once;

use crate::document::Document;

/// A PDF's text and the span of each page in it.
#[derive(Clone, Debug)]
pub struct Pdf {
    pub doc: Document,
    pub pages: Vec<Range<usize>>,
}

/// Fewer visible characters per page than this: no text layer (a scan).
const MIN_CHARS_PER_PAGE: usize = 10;

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// A panic inside the PDF library is turned into an error for the user;
/// its message is not printed (the default hook runs for every other panic).
fn quiet_panics_while_reading() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                default(info);
            }
        }));
    });
}

fn damaged(detail: &str) -> String {
    format!("PDF 文件已损坏或格式不受支持（{detail}），无法读取其中的文字；请用 PDF 阅读器打开确认，或检查同一报告的 .docx、.html 版本")
}

/// Read a PDF's text layer.
pub fn read(bytes: &[u8]) -> Result<Pdf, String> {
    if !bytes.starts_with(b"%PDF") {
        return Err(damaged("文件开头不是 %PDF"));
    }
    quiet_panics_while_reading();
    QUIET.with(|q| q.set(true));
    let result = std::panic::catch_unwind(|| pages(bytes));
    QUIET.with(|q| q.set(false));
    let pages = result.unwrap_or_else(|_| Err(damaged("PDF 组件无法解析该文件")))?;
    let mut text = String::new();
    let mut ranges = Vec::with_capacity(pages.len());
    let mut visible = 0;
    for page in &pages {
        let start = text.len();
        // Page texts end with a line break of their own; each page starts a line.
        text.push_str(page.trim_end_matches(['\n', '\r', ' ']));
        ranges.push(start..text.len());
        text.push('\n');
        visible += page.chars().filter(|c| !c.is_whitespace()).count();
    }
    if pages.is_empty() {
        return Err(damaged("没有页面"));
    }
    if visible < MIN_CHARS_PER_PAGE * pages.len() {
        return Err(format!(
            "这个 PDF 没有文字层（共 {} 页，只读到 {visible} 个字），可能是扫描件或图片；需要先用文字识别（OCR）转成文字，或检查同一报告的 .docx、.html 版本",
            pages.len()
        ));
    }
    Ok(Pdf {
        doc: Document::from_text(text),
        pages: ranges,
    })
}

fn pages(bytes: &[u8]) -> Result<Vec<String>, String> {
    use pdf_extract::{Document as PdfDoc, OutputError, PlainTextOutput};
    let mut doc = PdfDoc::load_mem(bytes).map_err(|e| damaged(&e.to_string()))?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err("PDF 设有打开密码（已加密），无法读取；请取消密码后再检查".into());
    }
    let numbers: Vec<u32> = doc.get_pages().keys().copied().collect();
    let mut out = Vec::with_capacity(numbers.len());
    for n in numbers {
        let mut s = String::new();
        let mut sink = PlainTextOutput::new(&mut s);
        pdf_extract::output_doc_page(&doc, &mut sink, n)
            .map_err(|e: OutputError| damaged(&format!("第 {n} 页：{e}")))?;
        out.push(s);
    }
    Ok(out)
}

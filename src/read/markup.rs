//! Raw HTML inside Markdown, as converters write it (`pandoc -t gfm` of a
//! published page: `<span style="…">三、收到和处理</span><span …>政府信息公开
//! 申请情况</span>`, whole `<table>`s where cells span rows). Markdown shows
//! the text, not the tags; the checker reads it the same way.
//!
//! The document text is the file's text without its tags, with a
//! [`SourceMap`] back to the file: a tag that breaks a line (`<br>`, `<p>`,
//! `<div>`, `<tr>`) gives a line break, and inside a `<table>` a cell
//! (`<td>`, `<th>`) starts with a tab while the file's own line breaks are
//! spaces, so each table row is one tab-separated line. Comments stay (they
//! carry suppressions). Pure.

use super::srcmap::{SourceMap, TextBuilder};

/// Inline tags that are HTML; with the page reader's block elements
/// ([`super::html::block`]) they are the tags. A `<…>` with another name is
/// text, such as `<政府信息公开信息处理费管理办法>` or `<5`.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "big", "br", "code", "col", "colgroup", "em", "font", "head", "i", "img",
    "o:p", "s", "small", "span", "strike", "strong", "sub", "sup", "u",
];

/// A tag longer than this is not one (an unclosed `<` in prose).
const MAX_TAG: usize = 4096;

/// The text of a Markdown file with raw HTML, without its tags, mapped to
/// the file; `None` when it has no tags.
pub fn read(text: &str) -> Option<(String, SourceMap)> {
    let bytes = text.as_bytes();
    let mut b = TextBuilder::default();
    let mut any = false;
    let mut in_table = 0_usize;
    let mut at = 0;
    while let Some(i) = bytes[at..].iter().position(|&c| c == b'<') {
        let start = at + i;
        let Some((end, tag, closing)) = tag_at(bytes, start) else {
            copy(&mut b, text, at..start + 1, in_table > 0);
            at = start + 1;
            continue;
        };
        any = true;
        copy(&mut b, text, at..start, in_table > 0);
        let name = tag.as_str();
        // Inside a table a cell starts a column; elsewhere a block element
        // (or `<br>`) starts a line, as does the end of a table.
        if !closing && matches!(name, "td" | "th") && in_table > 0 {
            b.push_gen("\t");
        } else if !closing && (name == "br" || super::html::block(name))
            || closing && name == "table"
        {
            b.push_gen("\n");
        }
        match (name, closing) {
            ("table", false) => in_table += 1,
            ("table", true) => in_table = in_table.saturating_sub(1),
            _ => {}
        }
        at = end;
    }
    if !any {
        return None;
    }
    copy(&mut b, text, at..text.len(), in_table > 0);
    Some(b.finish())
}

/// Copy `text[range]`; inside a table its line breaks are layout (spaces).
fn copy(b: &mut TextBuilder, text: &str, range: std::ops::Range<usize>, in_table: bool) {
    if !in_table {
        b.push_copy(&text[range.clone()], range.start);
        return;
    }
    let mut at = range.start;
    for (i, c) in text[range.clone()].match_indices(['\n', '\r']) {
        let nl = range.start + i;
        b.push_copy(&text[at..nl], at);
        b.push_spelled(" ", nl..nl + c.len());
        at = nl + c.len();
    }
    b.push_copy(&text[at..range.end], at);
}

/// The tag starting at `start` (a `<`): its end (after `>`), its lowercase
/// name and whether it closes.
fn tag_at(bytes: &[u8], start: usize) -> Option<(usize, String, bool)> {
    let rest = &bytes[start + 1..];
    let closing = rest.first() == Some(&b'/');
    let name_start = usize::from(closing);
    let name_len = rest[name_start..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b':')
        .count();
    let name = std::str::from_utf8(&rest[name_start..name_start + name_len]).ok()?;
    let name = name.to_ascii_lowercase();
    if !INLINE.contains(&name.as_str()) && !super::html::block(&name) {
        return None;
    }
    let after = rest.get(name_start + name_len)?;
    if !matches!(after, b'>' | b'/' | b' ' | b'\t' | b'\r' | b'\n') {
        return None;
    }
    // The closing `>`, outside quoted attribute values.
    let mut quote: Option<u8> = None;
    for (j, &b) in rest.iter().enumerate().take(MAX_TAG) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return Some((start + 1 + j + 1, name, closing)),
            (None, b'<') => return None,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::read;

    fn shown(text: &str) -> String {
        read(text).expect("has tags").0
    }

    #[test]
    fn tags_go_and_the_text_maps_back() {
        let md = "<span style=\"font-family: 微软雅黑;\">三、收到和处理</span><span\nstyle=\"x\">政府信息公开申请情况</span>\n统计时限为20</span><span>23年";
        let (text, map) = read(md).unwrap();
        assert_eq!(text, "三、收到和处理政府信息公开申请情况\n统计时限为2023年");
        // Every character maps back to itself in the file.
        let at = text.find("政府").unwrap();
        let src = map.range(at..at + "政府".len());
        assert_eq!(&md[src], "政府");
        let at = text.find("2023").unwrap();
        assert_eq!(
            map.edit_ranges(at..at + 4).unwrap().len(),
            2,
            "2023 spans a tag"
        );
    }

    #[test]
    fn a_table_becomes_tab_separated_rows() {
        let md = "<table>\n<tr>\n<td rowspan=\"2\">行政许可</td>\n<td>0</td>\n</tr>\n<tr><td>𠮷</td><td>1</td></tr>\n</table>\n正文";
        let rows: Vec<Vec<String>> = shown(md)
            .lines()
            .map(|l| {
                l.split('\t')
                    .map(|c| c.trim().to_string())
                    .filter(|c| !c.is_empty())
                    .collect()
            })
            .filter(|r: &Vec<String>| !r.is_empty())
            .collect();
        assert_eq!(rows, [vec!["行政许可", "0"], vec!["𠮷", "1"], vec!["正文"]]);
    }

    #[test]
    fn angle_brackets_that_are_not_tags_and_comments_stay() {
        assert!(read("《国务院办公厅关于印发<政府信息公开信息处理费管理办法>的通知》").is_none());
        assert!(read("a <5 and b> 3").is_none());
        assert!(read("<spanner>x</spanner>").is_none());
        assert!(read("<!-- gov-report: ignore table-label -->").is_none());
        assert_eq!(shown("x<!-- 注 -->y<br/>z"), "x<!-- 注 -->y\nz");
    }
}

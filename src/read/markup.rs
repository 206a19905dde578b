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
//! carry suppressions).
//!
//! Pandoc's own Markdown (`pandoc -t markdown`, its default) marks styled
//! text with attributes instead of tags: bracketed spans
//! (`[三、收到和处理]{style="…"}[]{style="…"}`) show their text, and fenced
//! div lines (`::: {style="…"}`, `:::`) show nothing. Pure.

use std::ops::Range;

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
    let hidden = pandoc_attributes(text);
    let mut b = Builder {
        b: TextBuilder::default(),
        hidden: &hidden,
        next: 0,
    };
    let mut any = !hidden.is_empty();
    let mut in_table = 0_usize;
    let mut at = 0;
    while let Some(i) = bytes[at..].iter().position(|&c| c == b'<') {
        let start = at + i;
        let Some((end, tag, closing)) = tag_at(bytes, start).filter(|_| !b.is_hidden(start)) else {
            b.copy(text, at..start + 1, in_table > 0);
            at = start + 1;
            continue;
        };
        any = true;
        b.copy(text, at..start, in_table > 0);
        let name = tag.as_str();
        // Inside a table a cell starts a column; elsewhere a block element
        // (or `<br>`) starts a line, as does the end of a table.
        if !closing && matches!(name, "td" | "th") && in_table > 0 {
            b.b.push_gen("\t");
        } else if !closing && (name == "br" || super::html::block(name))
            || closing && name == "table"
        {
            b.b.push_gen("\n");
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
    b.copy(text, at..text.len(), in_table > 0);
    Some(b.b.finish())
}

/// The shown text under construction, leaving out the `hidden` ranges
/// (sorted, disjoint) of the file.
struct Builder<'h> {
    b: TextBuilder,
    hidden: &'h [Range<usize>],
    /// The first hidden range not yet passed.
    next: usize,
}

impl Builder<'_> {
    fn is_hidden(&self, at: usize) -> bool {
        let i = self.hidden.partition_point(|h| h.end <= at);
        self.hidden.get(i).is_some_and(|h| h.start <= at)
    }

    /// Copy `text[range]` but its hidden parts; inside a table line breaks
    /// are layout (spaces).
    fn copy(&mut self, text: &str, range: Range<usize>, in_table: bool) {
        let mut at = range.start;
        while at < range.end {
            while self.hidden.get(self.next).is_some_and(|h| h.end <= at) {
                self.next += 1;
            }
            let (upto, skip_to) = match self.hidden.get(self.next) {
                Some(h) if h.start < range.end => (h.start.max(at), h.end),
                _ => (range.end, range.end),
            };
            self.shown(text, at..upto, in_table);
            at = skip_to.max(upto);
        }
    }

    fn shown(&mut self, text: &str, range: Range<usize>, in_table: bool) {
        if !in_table {
            self.b.push_copy(&text[range.clone()], range.start);
            return;
        }
        let mut at = range.start;
        for (i, c) in text[range.clone()].match_indices(['\n', '\r']) {
            let nl = range.start + i;
            self.b.push_copy(&text[at..nl], at);
            self.b.push_spelled(" ", nl..nl + c.len());
            at = nl + c.len();
        }
        self.b.push_copy(&text[at..range.end], at);
    }
}

/// The byte ranges of pandoc's attribute syntax, sorted: the `[` and the
/// `]{…}` of each bracketed span, and each fenced div line (`::: {…}`,
/// `:::`) without its line break. A `[` that no `]{` closes is text
/// (`[2021]`, a link's brackets are not spans).
fn pandoc_attributes(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        if body.trim_start().starts_with(":::") {
            out.push(line_start..line_start + body.len());
        }
        line_start += line.len();
    }
    // Open `[` positions, innermost last.
    let mut open: Vec<usize> = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'[' => open.push(at),
            b']' => {
                if let Some(start) = open.pop() {
                    if let Some(end) = attributes_end(bytes, at + 1) {
                        out.push(start..start + 1);
                        out.push(at..end);
                        at = end;
                        continue;
                    }
                }
            }
            // A blank line ends every open bracket.
            b'\n' if bytes.get(at + 1) == Some(&b'\n') => open.clear(),
            _ => {}
        }
        at += 1;
    }
    out.sort_by_key(|r| r.start);
    out
}

/// The end (after `}`) of an attribute block `{…}` starting at `at`: an
/// id, classes or key=value pairs, quoted values may hold anything.
fn attributes_end(bytes: &[u8], at: usize) -> Option<usize> {
    if bytes.get(at) != Some(&b'{') {
        return None;
    }
    let first = *bytes.get(at + 1)?;
    if !(first == b'.' || first == b'#' || first.is_ascii_alphabetic()) {
        return None;
    }
    let mut quote: Option<u8> = None;
    for (j, &b) in bytes[at + 1..].iter().enumerate().take(MAX_TAG) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'}') => return Some(at + 1 + j + 1),
            (None, b'{' | b'[' | b']') => return None,
            _ => {}
        }
    }
    None
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
    fn pandoc_spans_and_divs_show_their_text() {
        let md = "::: {style=\"text-indent: 2em;\" align=\"\"}\n[三、收到和处理]{style=\"font-family: 微软雅黑;\"}[政府信息公开申请情况]{style=\"font-family:\n微软雅黑;\"}[]{.underline}\n  [规章]{#a}   [𠮷0]{style=\"x\"}\n:::\n见[2021]30号与[链接](http://x)";
        let (text, map) = read(md).unwrap();
        assert_eq!(
            text,
            "\n三、收到和处理政府信息公开申请情况\n  规章   𠮷0\n\n见[2021]30号与[链接](http://x)"
        );
        let at = text.find("𠮷0").unwrap();
        assert_eq!(&md[map.range(at..at + "𠮷0".len())], "𠮷0");
        assert!(read("见[2021]30号，[注]{不是属性}").is_none());
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

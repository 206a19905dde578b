//! Hard-wrapped text: a page or a report broken into lines of one fixed
//! width (a crawler's or a mail program's line length, `fold -w`), so that
//! line breaks fall anywhere: inside a number (`…政府集中采购176586650.1` /
//! `0元`), between an item number and its dot (`…0 0 03` / `.其他`), inside a
//! heading. Such a text is read as the text it was before wrapping: a line
//! break after a line of the wrapping width is left out, mapped back to the
//! file like a page's text. Pure.
//!
//! A text counts as hard-wrapped when most of its long lines (20 characters
//! or more, not table rows) have one length, the width, give or take one
//! character. A break is kept before a line that starts a block anyway: a
//! section heading (`二、`), Markdown (`#`, `|`, `>`, `- ` list items), an
//! indented or empty line.

use super::srcmap::{SourceMap, TextBuilder};

/// Lines shorter than this (in characters) are never taken for wrapped ones.
const MIN_WIDTH: usize = 20;
/// At least this many lines of the width make a wrapped text.
const MIN_FULL_LINES: usize = 5;

/// The text without the line breaks its wrapping added, mapped to the file;
/// `None` when the text is not hard-wrapped.
pub fn unwrap(text: &str) -> Option<(String, SourceMap)> {
    let lines = lines(text);
    let width = width(&lines)?;
    let mut b = TextBuilder::default();
    for (i, l) in lines.iter().enumerate() {
        b.push_copy(&text[l.start..l.end], l.start);
        let soft = is_full(l, width)
            && lines
                .get(i + 1)
                .is_some_and(|next| continues(&text[next.start..next.end]));
        if !soft {
            b.push_copy(&text[l.end..l.end + l.newline], l.end);
        }
    }
    Some(b.finish())
}

struct Line {
    start: usize,
    /// End of the content (before `\n` / `\r\n`).
    end: usize,
    /// Byte length of the line break (0 on the last line).
    newline: usize,
    chars: usize,
    /// The line ends a sentence (`。`, `！`, `？`).
    sentence_end: bool,
    /// A table row (tabs or pipes): its length says nothing about wrapping.
    row: bool,
}

fn lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut at = 0;
    for raw in text.split_inclusive('\n') {
        let body = raw.trim_end_matches(['\n', '\r']);
        out.push(Line {
            start: at,
            end: at + body.len(),
            newline: raw.len() - body.len(),
            chars: body.chars().count(),
            sentence_end: body.trim_end().ends_with(['。', '！', '？']),
            row: body.contains(['\t', '|']),
        });
        at += raw.len();
    }
    out
}

/// The wrapping width: the most common length of the long lines, when at
/// least `MIN_FULL_LINES` and most of them have it (±1).
fn width(lines: &[Line]) -> Option<usize> {
    let long: Vec<&Line> = lines
        .iter()
        .filter(|l| !l.row && l.chars >= MIN_WIDTH)
        .collect();
    if long.len() < MIN_FULL_LINES {
        return None;
    }
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for n in long.iter().map(|l| l.chars) {
        match counts.iter_mut().find(|(w, _)| *w == n) {
            Some(c) => c.1 += 1,
            None => counts.push((n, 1)),
        }
    }
    // The most common length; on a tie the longer (a wrap never exceeds it).
    let (w, _) = counts.iter().max_by_key(|(w, c)| (*c, *w))?;
    let full: Vec<&&Line> = long
        .iter()
        .filter(|l| l.chars + 1 >= *w && l.chars <= *w)
        .collect();
    // Wrapping cuts lines anywhere: lines of one length that mostly end
    // sentences are paragraphs that happen to be alike (a repeated line).
    let sentences = full.iter().filter(|l| l.sentence_end).count();
    (full.len() >= MIN_FULL_LINES
        && full.len() * 10 >= long.len() * 6
        && sentences * 2 < full.len())
    .then_some(*w)
}

fn is_full(l: &Line, width: usize) -> bool {
    !l.row && l.newline > 0 && l.chars + 1 >= width && l.chars <= width
}

/// Whether `next` (a line after a full one) continues it, rather than
/// starting a block of its own.
fn continues(next: &str) -> bool {
    let Some(first) = next.chars().next() else {
        return false;
    };
    if first.is_whitespace() || matches!(first, '#' | '|' | '>') {
        return false;
    }
    // A list item (`- `, `* `, `+ `), not a date or a number cut (`-01`).
    if matches!(first, '-' | '*' | '+') && next[1..].starts_with(' ') {
        return false;
    }
    // A section heading `二、…` (not an item number such as `（二）`).
    let rest = next.trim_start_matches(|c| "一二三四五六七八九十".contains(c));
    !(rest.len() < next.len() && rest.starts_with(['、', '.', '．']))
}

#[cfg(test)]
mod tests {
    use super::unwrap;

    /// `text` wrapped every `width` characters.
    fn wrap(text: &str, width: usize) -> String {
        let chars: Vec<char> = text.chars().collect();
        chars
            .chunks(width)
            .map(|c| c.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    }

    const PAGE: &str = "𠮷平潭综合实验区2023年政府信息公开工作年度报告。本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。第二十条第（九）项信息内容采购项目数量采购总金额政府集中采购176586650.10元三、收到和处理政府信息公开申请情况 1.属于国家秘密 0 0 0 0 0 0 02.其他法律行政法规禁止公开 0 0 0 0 0 0 0";

    #[test]
    fn a_wrapped_page_is_read_as_it_was() {
        let page = PAGE.repeat(3);
        for width in [23, 37, 61] {
            let wrapped = wrap(&page, width);
            let (text, map) = unwrap(&wrapped).expect("wrapped");
            // Every break is left out but those before a section heading.
            assert_eq!(text.replace('\n', ""), page, "{width}");
            let at = text.find("176586650.10").unwrap();
            let src = map.range(at..at + "176586650.10".len());
            assert_eq!(wrapped[src].replace('\n', ""), "176586650.10", "{width}");
            // An edit inside one line stays one range.
            let at = text.find("𠮷").unwrap();
            assert_eq!(map.edit_ranges(at..at + 4).unwrap().len(), 1);
        }
    }

    #[test]
    fn headings_blocks_and_unwrapped_texts_keep_their_breaks() {
        let heading = PAGE.repeat(3).replace("三、", "\n三、");
        // Short lines, cells one per line, a table: not wrapped.
        assert!(unwrap("一、总体情况\n0\n0\n结果维持\n").is_none());
        assert!(unwrap("| 规章 | 0 | 0 | 0 |\n| 规章 | 0 | 0 | 0 |\n| 规章 | 0 | 0 | 0 |\n| 规章 | 0 | 0 | 0 |\n| 规章 | 0 | 0 | 0 |\n").is_none());
        assert!(unwrap(&heading).is_none());
        // Paragraphs of one length, each a sentence: not wrapped.
        assert!(unwrap(
            &"本机关持续推进政府信息公开工作，依法依规做好信息发布和解读回应工作。\n".repeat(9)
        )
        .is_none());
        let mut md = wrap(&PAGE.repeat(3), 37);
        md.push_str("\n## 四、政府信息公开行政复议、行政诉讼情况\n");
        let (text, _) = unwrap(&md).unwrap();
        assert!(text.contains("\n## 四、"), "{text}");
        // A full line before a heading: the break stays.
        let body: String = PAGE.repeat(3).chars().take(23 * 6).collect();
        let cut = format!("{}\n二、主动公开政府信息情况\n", wrap(&body, 23));
        let (text, _) = unwrap(&cut).unwrap();
        assert!(text.ends_with("\n二、主动公开政府信息情况\n"), "{text}");
        assert_eq!(text.lines().count(), 2, "{text}");
    }
}

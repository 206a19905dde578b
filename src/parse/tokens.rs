//! Table tokens: layout-independent pieces of a table region.
//!
//! Real drafts lay tables out as Markdown pipe rows, tab grids, one cell per
//! line, whole tables flattened onto one line, or PDF text with labels broken
//! across lines and digits glued together. All of these reduce to the same
//! stream of labels, numbers and blank cells in reading order.

use std::ops::Range;

/// Character-level similarity ratio in `0.0..=1.0` (works on CJK without segmentation).
pub fn similarity(a: &str, b: &str) -> f32 {
    similar::TextDiff::from_chars(a, b).ratio()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Label text (a row label, a header, or a fragment of one).
    Label,
    /// Digits, possibly with a sign, a decimal point, or several cells glued together.
    Number,
    /// An explicitly empty cell (`| |`, a lone `|` line) or a blank marker (`/`, `—`).
    Blank,
}

#[derive(Clone, Debug)]
pub struct Token {
    pub kind: Kind,
    pub range: Range<usize>,
    /// The token was a whole cell delimited by `|` or a tab, so it is never split.
    pub delimited: bool,
}

/// Prose is not part of a table: a chunk with a sentence end, or longer than any label.
const MAX_LABEL_CHARS: usize = 48;

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}'
}

fn is_blank_marker(s: &str) -> bool {
    matches!(
        s,
        "/" | "／" | "-" | "—" | "——" | "－" | "－－" | "\\" | "无" | "無" | "空" | "…"
    )
}

/// A number as ASCII: full-width digits and signs folded, thousands separators
/// (`3,985,758`) removed. Other text is returned as it is.
pub fn ascii_number(s: &str) -> std::borrow::Cow<'_, str> {
    if s.is_ascii() && !s.contains(',') {
        return s.into();
    }
    let folded: String = s
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '．' => '.',
            '－' | '—' if s.len() > c.len_utf8() => '-',
            '，' => ',',
            _ => c,
        })
        .collect();
    // Thousands separators: every comma followed by exactly three digits.
    let groups: Vec<&str> = folded.split(',').collect();
    let thousands = groups.len() > 1
        && groups[0].trim_start_matches('-').len() <= 3
        && !groups[0].trim_start_matches('-').is_empty()
        && groups[1..].iter().enumerate().all(|(i, g)| {
            let int = if i + 2 == groups.len() {
                g.split('.').next().unwrap_or(g)
            } else {
                g
            };
            int.len() == 3 && int.chars().all(|c| c.is_ascii_digit())
        });
    if thousands {
        folded.replace(',', "").into()
    } else {
        folded.into()
    }
}

/// Digits with optional sign, decimal points and inner dashes (glued cells such as `11-83`).
fn is_numeric(s: &str) -> bool {
    let first = s.trim_start_matches(['-', '－']).chars().next();
    if !first.is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(&c)) {
        return false;
    }
    let s = ascii_number(s);
    let s = s.strip_prefix('-').unwrap_or(&s);
    !s.is_empty()
        && s.chars().next().is_some_and(|c| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
}

/// Page furniture inside tables: `-3-`, `- 3 -`, `第3页`, `3/6`.
fn is_page_footer(line: &str) -> bool {
    let line = line.trim_matches(is_space);
    if line.is_empty() || line.len() > 24 {
        return false;
    }
    let t: String = line.chars().filter(|c| !is_space(*c)).collect();
    let inner = t.trim_matches(|c| matches!(c, '-' | '—' | '－'));
    let dashed =
        inner.len() < t.len() && t.starts_with(['-', '—', '－']) && t.ends_with(['-', '—', '－']);
    (dashed && !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit()))
        || (t.starts_with('第')
            && t.ends_with('页')
            && t.chars().filter(char::is_ascii_digit).count() > 0
            && t.chars().count() <= 8)
}

fn is_markdown_rule(line: &str) -> bool {
    let t = line.trim();
    t.contains('-') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

/// Split `text[region]` into table tokens, in reading order.
pub fn tokenize(text: &str, region: Range<usize>) -> Vec<Token> {
    let mut out = Vec::new();
    let mut pos = region.start;
    for line in text[region.clone()].split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let end = start + body.len();
        if body.trim_matches(is_space).is_empty() || is_page_footer(body) || is_markdown_rule(body)
        {
            continue;
        }
        let trimmed = body.trim_matches(is_space);
        if trimmed != "|" && trimmed.chars().all(|c| c == '|' || is_space(c)) {
            // `|||` rows are separators left by HTML-to-text conversion.
            continue;
        }
        if trimmed == "|" {
            // One cell per line with a trailing ` |`: a lone bar is an empty cell.
            let at = start + body.find('|').unwrap_or(0);
            out.push(Token {
                kind: Kind::Blank,
                range: at..at + 1,
                delimited: true,
            });
            continue;
        }
        if body.contains(['|', '\t']) {
            cells(text, start, end, trimmed.starts_with('|'), &mut out);
        } else {
            words(text, start, end, &mut out);
        }
    }
    out
}

/// A line with `|` or tab delimiters: each cell is atomic.
fn cells(text: &str, start: usize, end: usize, markdown_row: bool, out: &mut Vec<Token>) {
    let line = &text[start..end];
    let mut pieces: Vec<Range<usize>> = Vec::new();
    let mut cell_start = 0;
    for (i, c) in line.char_indices() {
        if c == '|' || c == '\t' {
            pieces.push(start + cell_start..start + i);
            cell_start = i + 1;
        }
    }
    pieces.push(start + cell_start..end);
    let n = pieces.len();
    for (i, r) in pieces.into_iter().enumerate() {
        let raw = &text[r.clone()];
        let t = raw.trim_matches(is_space);
        if t.is_empty() {
            // Inner empty cells of a Markdown row are blank cells; elsewhere (tab grids,
            // `|||` row separators) empty cells are spans and carry no meaning.
            if markdown_row && i > 0 && i + 1 < n {
                let at = r.start;
                out.push(Token {
                    kind: Kind::Blank,
                    range: at..at,
                    delimited: true,
                });
            }
            continue;
        }
        let lead = raw.len() - raw.trim_start_matches(is_space).len();
        let range = r.start + lead..r.start + lead + t.len();
        if t.chars().any(is_space)
            && !is_numeric(&t.replace(is_space, ""))
            && t.split(is_space)
                .all(|w| is_numeric(w) || is_blank_marker(w))
        {
            // A tab cell holding several space-separated numbers.
            words(text, range.start, range.end, out);
            continue;
        }
        push_chunk(text, range, true, out);
    }
}

/// A line without delimiters: split on spaces, and split trailing digits off labels.
fn words(text: &str, start: usize, end: usize, out: &mut Vec<Token>) {
    let line = &text[start..end];
    let mut word_start: Option<usize> = None;
    for (i, c) in line.char_indices().chain([(line.len(), ' ')]) {
        if is_space(c) {
            if let Some(ws) = word_start.take() {
                split_glued(text, start + ws..start + i, out);
            }
        } else if word_start.is_none() {
            word_start = Some(i);
        }
    }
}

/// `规范性文件337` → label `规范性文件` + number `337`.
fn split_glued(text: &str, range: Range<usize>, out: &mut Vec<Token>) {
    let w = &text[range.clone()];
    if is_numeric(w) || is_blank_marker(w) {
        push_chunk(text, range, false, out);
        return;
    }
    let digits_start = w
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit() || *c == '.' || *c == '-')
        .last()
        .map(|(i, _)| i);
    match digits_start {
        Some(i)
            if i > 0
                && w[i..].starts_with(|c: char| c.is_ascii_digit() || c == '-')
                && is_numeric(&w[i..]) =>
        {
            let before = w[..i].chars().next_back();
            // `1.` / `2、` item numbers and the like stay in the label.
            if before.is_some_and(|c| !c.is_ascii_punctuation() && !c.is_ascii_alphanumeric()) {
                push_chunk(text, range.start..range.start + i, false, out);
                push_chunk(text, range.start + i..range.end, false, out);
                return;
            }
            push_chunk(text, range, false, out);
        }
        _ => push_chunk(text, range, false, out),
    }
}

fn push_chunk(text: &str, range: Range<usize>, delimited: bool, out: &mut Vec<Token>) {
    let t = &text[range.clone()];
    let kind = if is_numeric(t) {
        Kind::Number
    } else if is_blank_marker(t) {
        Kind::Blank
    } else if t.contains(['。', '；', '！', '？']) || t.chars().count() > MAX_LABEL_CHARS {
        return;
    } else {
        Kind::Label
    };
    out.push(Token {
        kind,
        range,
        delimited,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, &str)> {
        tokenize(text, 0..text.len())
            .into_iter()
            .map(|t| (t.kind, &text[t.range]))
            .collect()
    }

    #[test]
    fn layouts_reduce_to_the_same_tokens() {
        use Kind::*;
        assert_eq!(
            kinds("| 规章 | 0 | 1 |\n|---|---|---|"),
            vec![(Label, "规章"), (Number, "0"), (Number, "1")]
        );
        assert_eq!(
            kinds("规章\t0\t1\t"),
            vec![(Label, "规章"), (Number, "0"), (Number, "1")]
        );
        assert_eq!(
            kinds("规章 |\n0 |\n|\n"),
            vec![(Label, "规章"), (Number, "0"), (Blank, "|")]
        );
        assert_eq!(
            kinds("规范性文件337"),
            vec![(Label, "规范性文件"), (Number, "337")]
        );
        assert_eq!(
            kinds("1.属于国家秘密0000000"),
            vec![(Label, "1.属于国家秘密"), (Number, "0000000")]
        );
        assert_eq!(
            kinds("    -3-\n规章 0"),
            vec![(Label, "规章"), (Number, "0")]
        );
        assert_eq!(
            kinds("| 行政许可 |  | 3 |"),
            vec![(Label, "行政许可"), (Blank, ""), (Number, "3")]
        );
    }
}
#[cfg(test)]
mod number_tests {
    use super::*;
    #[test]
    fn thousands() {
        let text = "行政处罚\t3,985,758\t\t";
        let t = tokenize(text, 0..text.len());
        let v: Vec<_> = t.iter().map(|t| (t.kind, &text[t.range.clone()])).collect();
        assert_eq!(
            v,
            vec![(Kind::Label, "行政处罚"), (Kind::Number, "3,985,758")]
        );
        assert_eq!(ascii_number("3,985,758"), "3985758");
    }
}

//! Table tokens: the pieces of a table region in reading order.
//!
//! Text outside grids (one cell per line, flattened rows, pages saved onto
//! one line, PDF text) is cut into labels, numbers, blank cells and prose.
//! Every space-free run is split where letters meet digits, so a row's last
//! digits glued to the next label (`…0 02（二）部分公开`) and labels glued to
//! numbers (`规章000行政规范性文件105`) come apart; an item number directly
//! before a label (`40000042.其他法律…`: the `2`) belongs to that label; a
//! number written with a unit (`2笔`, `30000元`) is one value.

use std::borrow::Cow;
use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Label text (a row label, a header, or a fragment of one).
    Label,
    /// Digits, possibly with a sign, a decimal point, or several cells glued together.
    Number,
    /// An explicitly empty cell (a lone `|` line) or a blank marker (`/`, `—`).
    Blank,
    /// A sentence: not part of any table, and a barrier between a row and stray numbers.
    Prose,
}

/// Where a token sits in a grid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CellPos {
    /// Index into the region's grids.
    pub grid: usize,
    pub row: usize,
}

#[derive(Clone, Debug)]
pub struct Token {
    pub kind: Kind,
    /// The token's text, a unit included (`2笔`).
    pub range: Range<usize>,
    /// The token is a whole cell (delimited by `|`, a tab, a unit or a grid), so it is never split.
    pub delimited: bool,
    /// Byte length of a unit after a number.
    pub unit: usize,
    /// The grid cell the token comes from.
    pub cell: Option<CellPos>,
}

impl Token {
    fn new(kind: Kind, range: Range<usize>, delimited: bool) -> Self {
        Token {
            kind,
            range,
            delimited,
            unit: 0,
            cell: None,
        }
    }
}

pub fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// Byte length of the whitespace character (Unicode `White_Space`, as
/// [`char::is_whitespace`]) starting at byte `i` of `b`, or 0: read from the
/// UTF-8 bytes, without decoding, because every table line is trimmed and
/// split into words several times.
#[inline(always)]
pub fn space_len(b: &[u8], i: usize) -> usize {
    let at = |k: usize| b.get(i + k).copied().unwrap_or(0);
    let first = at(0);
    // The common case: a printable ASCII character or a CJK lead byte.
    if first > b' ' && !(0xC2..=0xE3).contains(&first) {
        return 0;
    }
    match first {
        b'\t'..=b'\r' | b' ' => 1,
        // U+0085, U+00A0
        0xC2 if matches!(at(1), 0x85 | 0xA0) => 2,
        // U+1680
        0xE1 if at(1) == 0x9A && at(2) == 0x80 => 3,
        // U+2000–200A, U+2028, U+2029, U+202F; U+205F
        0xE2 if at(1) == 0x80 && matches!(at(2), 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF) => 3,
        0xE2 if at(1) == 0x81 && at(2) == 0x9F => 3,
        // U+3000, the ideographic space
        0xE3 if at(1) == 0x80 && at(2) == 0x80 => 3,
        _ => 0,
    }
}

/// The byte length of the UTF-8 sequence that `lead` starts.
#[inline(always)]
fn utf8_len(lead: u8) -> usize {
    match lead {
        0..=0xBF => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

/// `s` without leading whitespace.
#[inline]
pub fn trim_start_space(s: &str) -> &str {
    let b = s.as_bytes();
    let mut i = 0;
    loop {
        match space_len(b, i) {
            0 => return &s[i..],
            n => i += n,
        }
    }
}

/// `s` without trailing whitespace.
#[inline]
pub fn trim_end_space(s: &str) -> &str {
    let b = s.as_bytes();
    let mut end = b.len();
    while end > 0 {
        // The last character is ASCII, or a sequence of 2 or 3 bytes (every
        // non-ASCII space is one of those).
        let n = if b[end - 1] < 0x80 {
            space_len(b, end - 1)
        } else if end >= 2 && space_len(b, end - 2) == 2 {
            2
        } else if end >= 3 && space_len(b, end - 3) == 3 {
            3
        } else {
            0
        };
        if n == 0 {
            break;
        }
        end -= n;
    }
    &s[..end]
}

/// `s` without leading and trailing whitespace (as `str::trim`, by bytes).
#[inline]
pub fn trim_space(s: &str) -> &str {
    trim_end_space(trim_start_space(s))
}

pub fn is_blank_marker(s: &str) -> bool {
    matches!(
        s,
        "/" | "／" | "-" | "—" | "——" | "－" | "－－" | "\\" | "无" | "無" | "空" | "…" | "……"
    )
}

/// Units a number may be written with in a table cell.
const UNITS: [&str; 12] = [
    "万元", "人次", "元", "笔", "件", "项", "个", "条", "次", "宗", "份", "%",
];

/// A number as ASCII: full-width digits and signs folded, thousands separators
/// (`3,985,758`) removed. Other text is returned as it is.
/// Digits that no single number is: two or more, the first a zero
/// (`000001`, `05`), so several numbers run together.
pub fn zero_led_run(s: &str) -> bool {
    s.len() > 1 && s.starts_with('0') && s.bytes().all(|b| b.is_ascii_digit())
}

pub fn ascii_number(s: &str) -> Cow<'_, str> {
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

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// Digits with optional sign, decimal points and inner dashes (glued cells such as `11-83`).
pub fn is_numeric(s: &str) -> bool {
    // The common case: plain ASCII digits.
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    let first = s.trim_start_matches(['-', '－']).chars().next();
    if !first.is_some_and(is_digit) {
        return false;
    }
    // Any other character (`1.属于国家秘密`): no number, without folding.
    if !s
        .chars()
        .all(|c| is_digit(c) || matches!(c, '.' | '．' | ',' | '，' | '-' | '－' | '—'))
    {
        return false;
    }
    let s = ascii_number(s);
    let s = s.strip_prefix('-').unwrap_or(&s);
    // `2.` is an item number, not a number.
    !s.is_empty()
        && s.chars().next().is_some_and(|c| c.is_ascii_digit())
        && s.chars().next_back().is_some_and(|c| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
}

/// The byte length of a unit at the start of `s`, if any.
fn unit_at(s: &str) -> usize {
    UNITS
        .iter()
        .find(|u| s.starts_with(*u))
        .map_or(0, |u| u.len())
}

/// `s` is a number followed by a unit (`2笔`, `30000元`): the byte length of the unit.
pub fn number_with_unit(s: &str) -> Option<usize> {
    let unit = UNITS.iter().find(|u| s.ends_with(*u))?;
    is_numeric(&s[..s.len() - unit.len()]).then_some(unit.len())
}

/// Page furniture inside tables: `-3-`, `- 3 -`, `第3页`, `3/6`, given the
/// line without surrounding whitespace.
fn is_page_footer(line: &str) -> bool {
    if line.is_empty() || line.len() > 24 || !line.starts_with(['-', '—', '－', '第']) {
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

/// Whether `s` holds an ASCII or a full-width digit (`０`–`９`: EF BC 90–99
/// in UTF-8), read byte by byte.
#[cfg(test)]
fn has_digit(s: &str) -> bool {
    scan(s, false)
}

/// Whether `s` holds a digit (ASCII or full-width) or a sentence end (`。`
/// `；` `！` `？` `;`): one pass over the bytes, for the common label word.
#[cfg(test)]
fn has_digit_or_sentence_end(s: &str) -> bool {
    scan(s, true)
}

/// A digit, or with `sentence_ends` a sentence end too, in one pass over the bytes.
#[cfg(test)]
fn scan(s: &str, sentence_ends: bool) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().any(|(i, &c)| match c {
        b'0'..=b'9' => true,
        b';' => sentence_ends,
        // `。` E3 80 82
        0xE3 => sentence_ends && b.get(i + 1) == Some(&0x80) && b.get(i + 2) == Some(&0x82),
        // `０`–`９` EF BC 90–99; `；` EF BC 9B, `！` EF BC 81, `？` EF BC 9F
        0xEF => {
            b.get(i + 1) == Some(&0xBC)
                && b.get(i + 2).is_some_and(|&d| {
                    (0x90..=0x99).contains(&d) || (sentence_ends && matches!(d, 0x9B | 0x81 | 0x9F))
                })
        }
        _ => false,
    })
}

/// What one pass over the bytes of a table line (without surrounding
/// whitespace) finds: every per-line test of [`tokenize`] reads it, instead
/// of walking the line once per test. The pass stops early once the line is
/// known to hold several words or cells and a digit: then only `digit`,
/// `delimiter`, `filled` (2) or `word_break`, `rule` and `bars_only` (both
/// false) are told, which is all such a line is asked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct LineScan {
    /// An ASCII or a full-width digit ([`has_digit`]).
    digit: bool,
    /// A sentence end (`。` `；` `！` `？` `;`).
    sentence_end: bool,
    /// Byte offset of the last `。`.
    last_period: Option<usize>,
    /// A `|` or a tab.
    delimiter: bool,
    /// Cells (text between delimiters) holding more than whitespace; 2 for
    /// two or more.
    filled: u8,
    /// Whitespace between two words of one cell.
    word_break: bool,
    /// From the first to the last character that is neither whitespace nor
    /// a delimiter.
    content: Range<usize>,
    /// A Markdown table rule ([`is_markdown_rule`]).
    rule: bool,
    /// Only `|` and ASCII whitespace.
    bars_only: bool,
}

/// [`LineScan`]'s byte classes, one bit each.
const DIGIT: u8 = 1;
const SENTENCE_END: u8 = 2;
const DASH: u8 = 4;
const DELIMITER: u8 = 8;
const SPACE: u8 = 16;
/// A byte a Markdown rule may hold.
const RULE: u8 = 32;
/// `|` or ASCII whitespace.
const BAR_OR_SPACE: u8 = 64;
/// The first byte of a character that may be a sentence end, a full-width
/// digit or whitespace: read further.
const LEAD: u8 = 128;

/// The class bits of every byte (continuation bytes are never looked up).
const CLASS: [u8; 256] = {
    let mut t = [0; 256];
    let mut c = b'0';
    while c <= b'9' {
        t[c as usize] = DIGIT;
        c += 1;
    }
    t[b';' as usize] = SENTENCE_END;
    t[b'-' as usize] = DASH | RULE;
    t[b':' as usize] = RULE;
    t[b'|' as usize] = DELIMITER | RULE | BAR_OR_SPACE;
    t[b'\t' as usize] = DELIMITER | RULE | BAR_OR_SPACE;
    t[b' ' as usize] = SPACE | RULE | BAR_OR_SPACE;
    t[b'\n' as usize] = SPACE | BAR_OR_SPACE;
    t[0x0B] = SPACE;
    t[0x0C] = SPACE | BAR_OR_SPACE;
    t[b'\r' as usize] = SPACE | BAR_OR_SPACE;
    // `。` and U+3000 (E3), full-width digits and `；！？` (EF), the other
    // non-ASCII whitespace (C2, E1, E2).
    t[0xC2] = LEAD;
    t[0xE1] = LEAD;
    t[0xE2] = LEAD;
    t[0xE3] = LEAD;
    t[0xEF] = LEAD;
    t
};

/// The class bits of the character starting at byte `i` of `b`.
#[inline(always)]
fn class_at(b: &[u8], i: usize) -> u8 {
    let class = CLASS[b[i] as usize];
    if class & LEAD == 0 {
        return class;
    }
    // A character to read further: text of some kind, or whitespace.
    let at = |k: usize| b.get(i + k).copied().unwrap_or(0);
    match b[i] {
        // `。` E3 80 82
        0xE3 if at(1) == 0x80 && at(2) == 0x82 => SENTENCE_END,
        // `０`–`９` EF BC 90–99; `；` EF BC 9B, `！` EF BC 81, `？` EF BC 9F
        0xEF if at(1) == 0xBC => match at(2) {
            0x90..=0x99 => DIGIT,
            0x9B | 0x81 | 0x9F => SENTENCE_END,
            _ => 0,
        },
        _ if space_len(b, i) > 0 => SPACE,
        _ => 0,
    }
}

impl LineScan {
    fn of(s: &str) -> Self {
        let b = s.as_bytes();
        let mut scan = LineScan::default();
        // Class bits seen in any byte, and in every byte.
        let (mut any, mut every) = (0u8, !0u8);
        // Outside any cell's text (`Out`), in a word (`Word`), or after
        // whitespace following a word in the same cell (`Gap`).
        #[derive(Clone, Copy, PartialEq, Eq)]
        enum At {
            Out,
            Word,
            Gap,
        }
        let mut at = At::Out;
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            let mut class = CLASS[c as usize];
            if class == 0 && at == At::Word {
                // The common case: more of a word.
                every = 0;
                i += utf8_len(c);
                continue;
            }
            if class & LEAD != 0 {
                class = class_at(b, i);
                if c == 0xE3 && class == SENTENCE_END {
                    scan.last_period = Some(i);
                }
            }
            any |= class;
            every &= class;
            if class & (DELIMITER | SPACE) != 0 {
                if at == At::Word {
                    scan.content.end = i;
                }
                at = match at {
                    _ if class & DELIMITER != 0 => At::Out,
                    At::Out => At::Out,
                    At::Word | At::Gap => At::Gap,
                };
            } else if at != At::Word {
                // A word starts.
                if (scan.filled == 2 || scan.word_break) && any & DIGIT != 0 && every & RULE == 0 {
                    // The line has several words and a digit: nothing
                    // more read here matters but its delimiters.
                    scan.digit = true;
                    scan.delimiter =
                        any & DELIMITER != 0 || memchr::memchr2(b'|', b'\t', &b[i..]).is_some();
                    return scan;
                }
                if at == At::Gap {
                    scan.word_break = true;
                } else {
                    if scan.filled == 0 {
                        scan.content.start = i;
                    }
                    scan.filled = (scan.filled + 1).min(2);
                }
                at = At::Word;
            }
            i += utf8_len(c);
        }
        if at == At::Word {
            scan.content.end = b.len();
        }
        scan.digit = any & DIGIT != 0;
        scan.sentence_end = any & SENTENCE_END != 0;
        scan.delimiter = any & DELIMITER != 0;
        scan.rule =
            every & RULE != 0 && any & DASH != 0 && matches!(b.first(), Some(b'|' | b'-' | b':'));
        scan.bars_only = every & BAR_OR_SPACE != 0;
        scan
    }
}

pub fn is_markdown_rule(line: &str) -> bool {
    let t = trim_space(line);
    matches!(t.as_bytes().first(), Some(b'|' | b'-' | b':'))
        && t.contains('-')
        && t.bytes()
            .all(|c| matches!(c, b'|' | b'-' | b':' | b' ' | b'\t'))
}

/// Byte offset of `part`, a slice of `whole`, in `whole`.
fn offset_in(whole: &str, part: &str) -> usize {
    part.as_ptr() as usize - whole.as_ptr() as usize
}

/// Split `text[region]` into table tokens, in reading order, leaving out the
/// byte ranges in `skip` (grids, which bring their own cells).
pub fn tokenize(text: &str, region: Range<usize>, skip: &[Range<usize>]) -> Vec<Token> {
    // A token every few bytes of a table.
    let mut out = Vec::with_capacity(region.len() / 8);
    let mut pos = region.start;
    for line in crate::text::lines_inclusive(&text[region.clone()]) {
        let start = pos;
        pos += line.len();
        if skip.iter().any(|s| s.start <= start && start < s.end) {
            continue;
        }
        let body = crate::text::without_line_break(line);
        let end = start + body.len();
        let trimmed = trim_space(body);
        if trimmed.is_empty() {
            continue;
        }
        let mut scan = LineScan::of(trimmed);
        if scan.rule || is_page_footer(trimmed) {
            continue;
        }
        // Prose without a single number holds no cell of a table; what
        // follows its last sentence may (`…予以答复。申请人情况自然人…`, a line a
        // converter broke away from its numbers).
        let lead = offset_in(body, trimmed);
        let (start, body, trimmed) = match scan.last_period.filter(|_| !scan.digit) {
            Some(i) => {
                let cut = lead + i + '。'.len_utf8();
                let body = &body[cut..];
                let trimmed = trim_space(body);
                if trimmed.is_empty() {
                    continue;
                }
                scan = LineScan::of(trimmed);
                (start + cut, body, trimmed)
            }
            None => (start, body, trimmed),
        };
        if trimmed != "|" && scan.bars_only {
            // `|||` rows are separators left by HTML-to-text conversion.
            continue;
        }
        if trimmed == "|" {
            // One cell per line with a trailing ` |`: a lone bar is an empty cell.
            let at = start + body.find('|').unwrap_or(0);
            out.push(Token::new(Kind::Blank, at..at + 1, true));
            continue;
        }
        // `|` is no whitespace: outside the trimmed text only a tab may stand.
        let lead = offset_in(body, trimmed);
        let edges = [&body[..lead], &body[lead + trimmed.len()..]];
        let delimited = scan.delimiter || edges.iter().any(|e| e.bytes().any(|b| b == b'\t'));
        let markdown_row = trimmed.starts_with('|');
        if scan.filled == 1 && !scan.word_break && !markdown_row {
            // The common case: one word, in one cell of its own when a
            // delimiter stands beside it (`\t0`, `规章 |`).
            let from = start + lead;
            let word = from + scan.content.start..from + scan.content.end;
            let mixed = scan.digit || scan.sentence_end;
            runs_of(text, word, delimited, mixed, &mut out);
        } else if delimited {
            cells(text, start, end, markdown_row, &mut out);
        } else {
            // Several words (one would have been read above).
            split_words(text, start, end, false, &mut out);
        }
    }
    out
}

/// A line with `|` or tab delimiters that is not part of a grid (one cell per
/// line, or a stray row): each cell is read on its own.
fn cells(text: &str, start: usize, end: usize, markdown_row: bool, out: &mut Vec<Token>) {
    let line = &text.as_bytes()[start..end];
    // Bytes, not characters: `|` and tab are ASCII, never inside a UTF-8 sequence.
    let mut cell_start = start;
    let mut ends = memchr::memchr2_iter(b'|', b'\t', line)
        .map(|i| start + i)
        .chain([end])
        .peekable();
    let mut first = true;
    while let Some(cell_end) = ends.next() {
        let r = cell_start..cell_end;
        cell_start = cell_end + 1;
        let raw = &text[r.clone()];
        let rest = trim_start_space(raw);
        let t = trim_end_space(rest);
        let inner = !first && ends.peek().is_some();
        first = false;
        if t.is_empty() {
            // Inner empty cells of a Markdown row are blank cells; elsewhere (tab
            // lines, `|||` separators) empty cells are spans and carry no meaning.
            if markdown_row && inner {
                out.push(Token::new(Kind::Blank, r.start..r.start, true));
            }
            continue;
        }
        let lead = raw.len() - rest.len();
        let range = r.start + lead..r.start + lead + t.len();
        words(text, range.start, range.end, true, out);
    }
}

/// The tokens of one grid cell, appended to `out`.
pub fn cell_tokens(text: &str, range: Range<usize>, out: &mut Vec<Token>) {
    words(text, range.start, range.end, true, out);
}

/// Space-separated words; a word that is one whole cell is delimited.
fn words(text: &str, start: usize, end: usize, cell: bool, out: &mut Vec<Token>) {
    // The common case: one word (no `|` or tab in it, which a grid cell may
    // hold: those are word characters here).
    let scan = LineScan::of(&text[start..end]);
    if scan.filled == 1 && !scan.word_break && !scan.delimiter {
        let word = start + scan.content.start..start + scan.content.end;
        runs_of(text, word, cell, scan.digit || scan.sentence_end, out);
        return;
    }
    split_words(text, start, end, cell, out);
}

/// [`words`], for text that may hold several words: one pass finds each
/// word and whether it holds a digit or a sentence end.
fn split_words(text: &str, start: usize, end: usize, cell: bool, out: &mut Vec<Token>) {
    let b = &text.as_bytes()[start..end];
    // Whitespace as `space_len` reads it: tab too, a delimiter elsewhere.
    let space = |i: usize| b[i] == b'\t' || class_at(b, i) & SPACE != 0;
    // The word at or after byte `i`, and whether it is `mixed`.
    let word_from = |mut i: usize| -> Option<(Range<usize>, bool)> {
        while i < b.len() && space(i) {
            i += utf8_len(b[i]);
        }
        if i >= b.len() {
            return None;
        }
        let (from, mut mixed) = (i, false);
        while i < b.len() && !space(i) {
            mixed |= class_at(b, i) & (DIGIT | SENTENCE_END) != 0;
            i += utf8_len(b[i]);
        }
        Some((from..i, mixed))
    };
    let Some(first) = word_from(0) else { return };
    let mut next = word_from(first.0.end);
    // A delimited cell holding a single word is atomic; a cell holding several
    // space-separated words is read word by word (`0 0 0` in one tab cell).
    let whole_cell = cell && next.is_none();
    runs_of(
        text,
        start + first.0.start..start + first.0.end,
        whole_cell,
        first.1,
        out,
    );
    while let Some((w, mixed)) = next {
        runs_of(text, start + w.start..start + w.end, whole_cell, mixed, out);
        next = word_from(w.end);
    }
}

/// The byte ranges of the whitespace-separated words of `s` (the oracle
/// [`split_words`] is tested against).
#[cfg(test)]
fn space_separated(s: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let b = s.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        loop {
            match space_len(b, i) {
                0 => break,
                n => i += n,
            }
        }
        if i >= b.len() {
            return None;
        }
        let from = i;
        while i < b.len() && space_len(b, i) == 0 {
            // `s` is UTF-8: a lead byte's length ends on a boundary.
            i += utf8_len(b[i]);
        }
        Some(from..i)
    })
}

/// Split one space-free word into prose, label and number runs (the oracle
/// [`split_words`] is tested against).
#[cfg(test)]
fn runs(text: &str, word: Range<usize>, whole_cell: bool, out: &mut Vec<Token>) {
    let mixed = has_digit_or_sentence_end(&text[word.clone()]);
    runs_of(text, word, whole_cell, mixed, out);
}

/// Split one space-free word into prose, label and number runs, told
/// whether it holds a digit or a sentence end (`mixed`).
fn runs_of(text: &str, word: Range<usize>, whole_cell: bool, mixed: bool, out: &mut Vec<Token>) {
    let w = &text[word.clone()];
    // The commonest value: plain digits (no blank marker; `is_numeric`).
    if mixed && w.bytes().all(|b| b.is_ascii_digit()) {
        out.push(Token::new(Kind::Number, word, whole_cell));
        return;
    }
    if is_blank_marker(w) {
        out.push(Token::new(Kind::Blank, word, true));
        return;
    }
    // A number (with or without a unit) has a digit; most words of a table are labels.
    if mixed && is_numeric(w) {
        out.push(Token::new(Kind::Number, word, whole_cell));
        return;
    }
    if let Some(unit) = mixed.then(|| number_with_unit(w)).flatten() {
        // The unit ends the value; digits before it may still be several cells.
        let mut t = Token::new(Kind::Number, word, whole_cell);
        t.unit = unit;
        out.push(t);
        return;
    }
    if !mixed {
        // The common case: no number and no sentence end, so one label (or
        // nothing to match, like a lone bracket).
        if w.chars().any(|c| crate::normalize::key_char(c).is_some()) {
            out.push(Token::new(Kind::Label, word, false));
        }
        return;
    }
    let from = word.start;
    let bytes = text.as_bytes();
    let mut label_start: Option<usize> = None;
    let mut i = from;
    let flush_label = |label_start: &mut Option<usize>, to: usize, out: &mut Vec<Token>| {
        if let Some(ls) = label_start.take() {
            if ls < to
                && text[ls..to]
                    .chars()
                    .any(|c| crate::normalize::key_char(c).is_some())
            {
                out.push(Token::new(Kind::Label, ls..to, false));
            }
        }
    };
    while i < word.end {
        let rest = &text[i..word.end];
        let c = rest.chars().next().unwrap_or(' ');
        // A page number run into the text (`…9487-2-行政处罚`): not a value.
        // (Every page number starts with a dash: `-` 2D, `－` EF BC 8D, `—` E2 80 94.)
        let dash = matches!(rest.as_bytes()[0], b'-' | 0xE2 | 0xEF);
        if let Some(len) = dash.then(|| inline_footer(rest)).flatten() {
            flush_label(&mut label_start, i, out);
            i += len;
            continue;
        }
        let signed = matches!(c, '-' | '－')
            && label_start.is_none()
            && rest[c.len_utf8()..].starts_with(is_digit);
        if !(is_digit(c) || signed) {
            let ls = *label_start.get_or_insert(i);
            i += c.len_utf8();
            if matches!(c, '。' | '；' | '！' | '？' | ';') {
                // A sentence end: the text before it (in this word) is prose.
                out.push(Token::new(Kind::Prose, ls..i, true));
                label_start = None;
            } else {
                // More of the label: on to the next byte that may start
                // something else (always a character's first byte).
                i += bytes[i..word.end]
                    .iter()
                    .position(|&b| may_end_label(b))
                    .unwrap_or(word.end - i);
            }
            continue;
        }
        // A number run: digits with inner `.`, `,`, `-` between digits.
        let num_len = number_len(rest);
        let num_end = i + num_len;
        let after = &text[num_end..word.end];
        let next = after.chars().next();
        let before = text[..i].chars().next_back();
        // `(1)`, `（2）`: a parenthesised number is part of the label.
        let parenthesised = matches!(before, Some('(' | '（')) && matches!(next, Some(')' | '）'));
        // `2.其他…`, `40000042.其他…`: the last digit is the next label's item number.
        let item = matches!(next, Some('.' | '、' | '．'))
            && after[next.map_or(0, char::len_utf8)..]
                .chars()
                .next()
                .is_none_or(|c| !is_digit(c));
        if parenthesised {
            label_start.get_or_insert(i);
            i = num_end;
            continue;
        }
        if item {
            let last_digit = text[i..num_end]
                .char_indices()
                .next_back()
                .map_or(i, |(j, _)| i + j);
            if last_digit > i && !signed {
                flush_label(&mut label_start, i, out);
                out.push(Token::new(Kind::Number, i..last_digit, false));
            }
            flush_label(&mut label_start, last_digit, out);
            label_start = Some(last_digit);
            i = num_end;
            continue;
        }
        flush_label(&mut label_start, i, out);
        let unit = unit_at(after);
        // A run standing alone between cell boundaries (and not glued to a
        // label on either side) is one cell; glued runs may be several cells.
        let whole = whole_cell && i == word.start && num_end == word.end;
        let mut t = Token::new(Kind::Number, i..num_end + unit, whole);
        t.unit = unit;
        out.push(t);
        i = num_end + unit;
    }
    flush_label(&mut label_start, word.end, out);
}

/// Whether a byte may start something other than more label text in
/// [`runs_of`]: a digit, a dash (a sign or a page number), a sentence end.
/// Every such character starts with one of these bytes: ASCII, `—` E2,
/// `。` E3, and `－` `０`–`９` `；` `！` `？` EF.
fn may_end_label(b: u8) -> bool {
    matches!(b, b'0'..=b'9' | b'-' | b';' | 0xE2 | 0xE3 | 0xEF)
}

/// Byte length of a page number such as `-2-` or `－12－` at the start of
/// `s`, when no digit follows it (a signed value does not end in a dash).
fn inline_footer(s: &str) -> Option<usize> {
    let dash = |c: char| matches!(c, '-' | '－' | '—');
    let mut chars = s.char_indices();
    let (_, open) = chars.next()?;
    if !dash(open) {
        return None;
    }
    let mut digits = 0;
    for (i, c) in chars {
        if c.is_ascii_digit() {
            digits += 1;
            continue;
        }
        let end = i + c.len_utf8();
        let next_is_digit = s[end..].chars().next().is_some_and(is_digit);
        return (dash(c) && (1..=3).contains(&digits) && !next_is_digit).then_some(end);
    }
    None
}

/// Byte length of the number run at the start of `s`: digits, with `.`, `,`
/// or `-` only between digits (a leading sign allowed).
fn number_len(s: &str) -> usize {
    let mut len = 0;
    let mut prev_digit = false;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next_digit = chars.peek().is_some_and(|&(_, n)| is_digit(n));
        let ok = if is_digit(c) {
            true
        } else if matches!(c, '-' | '－') && inline_footer(&s[i..]).is_some() {
            false
        } else if matches!(c, '.' | '．' | ',' | '-' | '－') {
            (prev_digit || (i == 0 && matches!(c, '-' | '－'))) && next_digit
        } else {
            false
        };
        if !ok {
            break;
        }
        prev_digit = is_digit(c);
        len = i + c.len_utf8();
    }
    len
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_whitespace_agrees_with_unicode() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let mut buf = [0; 4];
            let enc = c.encode_utf8(&mut buf);
            let want = if c.is_whitespace() { enc.len() } else { 0 };
            assert_eq!(space_len(enc.as_bytes(), 0), want, "U+{:04X}", c as u32);
        }
        // Every string of up to three characters from a mix of spaces, ASCII,
        // 2-, 3- and 4-byte characters trims as `str::trim` does.
        let pieces = [
            " ", "\t", "\u{85}", "\u{a0}", "\u{2029}", "\u{3000}", "a", "é", "中", "㐀", "𠮷",
            "\u{2030}", "\u{3001}",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let s = format!("{a}{b}{c}");
                    assert_eq!(trim_space(&s), s.trim(), "{s:?}");
                    assert_eq!(trim_start_space(&s), s.trim_start(), "{s:?}");
                    assert_eq!(trim_end_space(&s), s.trim_end(), "{s:?}");
                    let words: Vec<&str> = space_separated(&s).map(|r| &s[r]).collect();
                    let std: Vec<&str> = s.split_whitespace().collect();
                    assert_eq!(words, std, "{s:?}");
                }
            }
        }
    }

    #[test]
    fn digits_ascii_and_full_width() {
        assert!(has_digit("共3件"));
        assert!(has_digit("共３件"));
        assert!(has_digit("０"));
        assert!(!has_digit("予以公开"));
        // `（` (EF BC 88) and `：` (EF BC 9A) share the digits' first two bytes.
        assert!(!has_digit("（：）"));
        assert!(!has_digit(""));
        for w in ["共3件", "０", "答复。", "如下；", "好！", "吗？", "a;b"] {
            assert!(has_digit_or_sentence_end(w), "{w}");
        }
        for w in ["予以公开", "（：）", "、，", "", "〇"] {
            assert!(!has_digit_or_sentence_end(w), "{w}");
        }
    }

    /// [`LineScan`] as separate, straightforward passes over the characters.
    fn line_scan_by_chars(t: &str) -> LineScan {
        let delimiter = |c: char| matches!(c, '|' | '\t');
        let cells: Vec<&str> = t.split(delimiter).map(str::trim).collect();
        let filled = cells.iter().filter(|c| !c.is_empty()).count();
        let content = match (
            t.find(|c: char| !c.is_whitespace() && !delimiter(c)),
            t.char_indices()
                .rev()
                .find(|&(_, c)| !c.is_whitespace() && !delimiter(c)),
        ) {
            (Some(a), Some((b, c))) => a..b + c.len_utf8(),
            _ => 0..0,
        };
        LineScan {
            digit: has_digit(t),
            sentence_end: t.contains(['。', '；', '！', '？', ';']),
            last_period: t.rfind('。'),
            delimiter: t.contains(delimiter),
            filled: filled.min(2) as u8,
            word_break: cells.iter().any(|c| c.split_whitespace().count() > 1),
            content,
            rule: is_markdown_rule(t),
            bars_only: t.bytes().all(|b| b == b'|' || b.is_ascii_whitespace()),
        }
    }

    #[test]
    fn line_scan_agrees_with_separate_passes() {
        let pieces = [
            "0", "12", "０", "a", "中", "𠮷", "。", "；", "？", ";", "|", "\t", " ", "\u{3000}",
            "\u{a0}", "\u{2029}", "-", "—", "－", ":", "（", "：", "\u{3001}", "\u{1}",
        ];
        let mut n = 0;
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    for d in ["", "0", "中", " ", "|", "-"] {
                        let s = format!("{a}{b}{c}{d}");
                        let t = trim_space(&s);
                        if t.is_empty() {
                            continue;
                        }
                        let want = line_scan_by_chars(t);
                        let got = LineScan::of(t);
                        n += 1;
                        if got.digit && (got.filled == 2 || got.word_break) {
                            // Stopped early: only what such a line is asked.
                            assert_eq!(
                                (got.digit, got.delimiter, got.rule, got.bars_only),
                                (want.digit, want.delimiter, want.rule, want.bars_only),
                                "{t:?}"
                            );
                            assert!(want.filled == 2 || want.word_break, "{t:?}");
                        } else {
                            assert_eq!(got, want, "{t:?}");
                        }
                    }
                }
            }
        }
        assert!(n > 50_000);
    }

    #[test]
    fn split_words_agrees_with_words_then_runs() {
        let facts = |t: &[Token]| -> Vec<(Kind, Range<usize>, bool, usize)> {
            t.iter()
                .map(|t| (t.kind, t.range.clone(), t.delimited, t.unit))
                .collect()
        };
        let pieces = [
            "0", "12", "０", "规章", "𠮷", "。", "；", ";", "|", "\t", " ", "\u{3000}", "\u{a0}",
            "\u{2029}", "-", "－", "2笔", "（", "\u{1}",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let s = format!("{a}{b}{c}");
                    for cell in [false, true] {
                        let mut got = Vec::new();
                        split_words(&s, 0, s.len(), cell, &mut got);
                        let ws: Vec<Range<usize>> = space_separated(&s).collect();
                        let whole_cell = cell && ws.len() == 1;
                        let mut want = Vec::new();
                        for w in ws {
                            runs(&s, w, whole_cell, &mut want);
                        }
                        assert_eq!(facts(&got), facts(&want), "{s:?} {cell}");
                        // One word takes the same way through `words`.
                        let mut one = Vec::new();
                        words(&s, 0, s.len(), cell, &mut one);
                        assert_eq!(facts(&one), facts(&want), "{s:?} {cell}");
                    }
                }
            }
        }
    }

    #[test]
    fn label_runs_skip_to_the_bytes_that_may_end_them() {
        // Every character that is a digit, a dash or a sentence end starts
        // with a byte `may_end_label` names; no other character's bytes do
        // anything in a label but continue it.
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let special =
                is_digit(c) || matches!(c, '-' | '－' | '—' | '。' | '；' | '！' | '？' | ';');
            let mut buf = [0; 4];
            let first = c.encode_utf8(&mut buf).as_bytes()[0];
            if special {
                assert!(may_end_label(first), "U+{:04X}", c as u32);
            }
        }
        assert_eq!(
            kinds("第二十条第（五）项—-3-公开。𠮷其他２件；共3"),
            vec![
                (Kind::Label, "第二十条第（五）项—"),
                (Kind::Prose, "公开。"),
                (Kind::Label, "𠮷其他"),
                (Kind::Number, "２件"),
                (Kind::Prose, "；"),
                (Kind::Label, "共"),
                (Kind::Number, "3"),
            ]
        );
    }

    fn kinds(text: &str) -> Vec<(Kind, &str)> {
        tokenize(text, 0..text.len(), &[])
            .into_iter()
            .map(|t| (t.kind, &text[t.range]))
            .collect()
    }

    #[test]
    fn layouts_reduce_to_the_same_tokens() {
        use Kind::*;
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
    }

    #[test]
    fn glued_runs_come_apart() {
        use Kind::*;
        assert_eq!(
            kinds("信息内容现行有效件数规章000行政规范性文件105第二十条第（五）项"),
            vec![
                (Label, "信息内容现行有效件数规章"),
                (Number, "000"),
                (Label, "行政规范性文件"),
                (Number, "105"),
                (Label, "第二十条第（五）项")
            ]
        );
        assert_eq!(
            kinds("（一）予以公开2 0 0 0 0 02（二）部分公开"),
            vec![
                (Label, "（一）予以公开"),
                (Number, "2"),
                (Number, "0"),
                (Number, "0"),
                (Number, "0"),
                (Number, "0"),
                (Number, "02"),
                (Label, "（二）部分公开")
            ]
        );
        assert_eq!(
            kinds("1.属于国家秘密40000042.其他法律行政法规禁止公开"),
            vec![
                (Label, "1.属于国家秘密"),
                (Number, "4000004"),
                (Label, "2.其他法律行政法规禁止公开")
            ]
        );
        assert_eq!(
            kinds("行政处罚11-83行政强制0"),
            vec![
                (Label, "行政处罚"),
                (Number, "11-83"),
                (Label, "行政强制"),
                (Number, "0")
            ]
        );
    }

    #[test]
    fn units_prose_and_decimals() {
        use Kind::*;
        let t = tokenize("政府集中采购 2笔 30000元", 0..32, &[]);
        assert_eq!(t.len(), 3);
        assert_eq!((t[1].unit, t[2].unit), (3, 3));
        assert_eq!(
            kinds("行政事业性收费18651.06三、收到"),
            vec![
                (Label, "行政事业性收费"),
                (Number, "18651.06"),
                (Label, "三、收到")
            ]
        );
        assert_eq!(
            kinds("工作取得进展。二、主动公开0"),
            vec![
                (Prose, "工作取得进展。"),
                (Label, "二、主动公开"),
                (Number, "0")
            ]
        );
        // A line of prose without a number holds no cell; labels after its
        // last sentence are kept (a line broken away from its numbers).
        assert_eq!(kinds("工作取得进展。进一步推进。"), vec![]);
        assert_eq!(
            kinds("工作取得进展。二、主动公开"),
            vec![(Label, "二、主动公开")]
        );
        assert_eq!(
            kinds("收费5949.09(二)类别2023年，在公开的107条；其他"),
            vec![
                (Label, "收费"),
                (Number, "5949.09"),
                (Label, "(二)类别"),
                (Number, "2023"),
                (Label, "年，在公开的"),
                (Number, "107条"),
                (Prose, "；"),
                (Label, "其他")
            ]
        );
        assert_eq!(
            kinds("采购2笔30000元"),
            vec![(Label, "采购"), (Number, "2笔"), (Number, "30000元")]
        );
    }

    #[test]
    fn page_numbers_run_into_a_table_are_not_values() {
        use Kind::*;
        assert_eq!(
            kinds("行政许可9487-2-行政处罚11-83"),
            vec![
                (Label, "行政许可"),
                (Number, "9487"),
                (Label, "行政处罚"),
                (Number, "11-83")
            ]
        );
    }

    #[test]
    fn thousands() {
        let text = "行政处罚 3,985,758";
        let t = tokenize(text, 0..text.len(), &[]);
        assert_eq!(t.len(), 2);
        assert_eq!(&text[t[1].range.clone()], "3,985,758");
        assert_eq!(ascii_number("3,985,758"), "3985758");
    }
}

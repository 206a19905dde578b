//! Section headings: `一、总体情况` … `六、其他需要报告的事项`, at line starts
//! (with numbering, Markdown and width variants), or inline in a page saved
//! flattened onto one line.

use crate::text::floor_char_boundary;
use std::ops::Range;
use std::sync::OnceLock;

use crate::model::{Section, Wording};
use regex::Regex;

use crate::normalize::{key, key_chars, KeyChar};
use crate::template;

use super::fuzzy::{plausible, similar_enough, title_prefix};

const ORDINALS: [char; 10] = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
/// Lines at least this long are searched for inline headings too.
const FLATTENED_LINE: usize = 300;
/// Minimum similarity of an off-template heading to its section's wording. It keeps
/// `五、存在问题及改进措施` (0.67) and rejects `四、政府信息公开申请情况` (0.62), which
/// is not section 四 at all.
const OFF_TEMPLATE: f32 = 0.65;
/// Minimum similarity of a heading that stands in sequence (after the
/// section before it) to its section's wording: `六、需要说明的其他事项与附表`
/// (0.56) for 其他需要报告的事项.
const IN_SEQUENCE: f32 = 0.5;
/// A heading title longer than this (in characters) is prose, not a heading.
const MAX_TITLE_CHARS: usize = 40;

/// Find the section headings of `text`, in document order, with their bodies.
pub fn find(text: &str) -> Vec<Section> {
    let table_keys = table_label_keys();
    let mut found: Vec<Section> = Vec::new();
    let mut long_lines = Vec::new();
    for range in lines(text) {
        if let Some(s) = heading_at_line(text, range.clone(), table_keys) {
            found.push(s);
        }
        if range.len() >= FLATTENED_LINE {
            long_lines.push(range);
        }
    }
    // Inline headings are for pages saved flattened onto long lines: searched
    // for the sections not found at line starts, in lines that hold an
    // ordinal written as a heading (`四、`).
    for range in long_lines {
        let missing: Vec<u8> = (1..=6)
            .filter(|n| !found.iter().any(|f| f.number == *n))
            .collect();
        if missing.is_empty() {
            break;
        }
        let seps = ordinal_seps(text, range.clone());
        // `四、` as written: the separator right after the ordinal, in the line.
        let has_ordinal = seps.iter().any(|m| m.adjacent && m.end <= range.end);
        if !has_ordinal {
            continue;
        }
        let mut marks = heading_marks(text, range, &seps, |_| true);
        for s in inline_headings(text, &mut marks) {
            if missing.contains(&s.number) && !found.iter().any(|f| f.number == s.number) {
                found.push(s);
            }
        }
    }
    // A page flattened and then hard-wrapped (a crawler's or a converter's
    // fixed line width) has its headings mid-line, some cut by a line break,
    // in lines too short to count as flattened. When most headings are not
    // at line starts, the whole text is searched as one stream (the key
    // ignores line breaks). A draft missing one or two headings is not: its
    // preface or prose may name the missing part.
    let distinct = (1..=6)
        .filter(|n| found.iter().any(|f| f.number == *n))
        .count();
    if distinct <= 3 && text.contains('\n') {
        let seps = ordinal_seps(text, 0..text.len());
        let mut marks = heading_marks(text, 0..text.len(), &seps, |_| true);
        for s in inline_headings(text, &mut marks) {
            if !found.iter().any(|f| f.number == s.number) {
                found.push(s);
            }
        }
    }
    for n in 1..=6 {
        if !found.iter().any(|f| f.number == n) {
            if let Some(s) = in_sequence(text, &found, n) {
                found.push(s);
            }
        }
    }
    found.sort_by_key(|s| s.range.start);
    let starts: Vec<usize> = found
        .iter()
        .map(|s| s.range.start)
        .skip(1)
        .chain([text.len()])
        .collect();
    for (s, next) in found.iter_mut().zip(starts) {
        s.body = s.range.end..next.max(s.range.end);
    }
    found
}

/// The byte range of each line of `text`, without its line break (`\n`,
/// `\r\n`, or more `\r`s): the lines of `split_inclusive('\n')`.
fn lines(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let bytes = text.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let next = find_newline(&bytes[start..]).map_or(bytes.len(), |i| start + i + 1);
        let mut end = next;
        while end > start && matches!(bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        let line = start..end;
        start = next;
        Some(line)
    })
}

/// The offset of the first `\n` in `bytes`: eight bytes at a time at
/// first, since most lines are short, too short for `memchr`'s setup to pay
/// off; past [`SHORT_LINE`] bytes, by `memchr` (a page flattened onto a few
/// long lines).
fn find_newline(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let head = &bytes[..bytes.len().min(SHORT_LINE)];
    let mut chunks = head.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        // Bytes equal to `\n` become zero; `(x - ONES) & !x & HIGH` flags
        // zero bytes. A borrow can flag a byte above a zero byte too, but
        // never one below the first, so the lowest flag is the first `\n`.
        let x = word ^ (ONES * u64::from(b'\n'));
        let zeros = x.wrapping_sub(ONES) & !x & HIGH;
        if zeros != 0 {
            return Some(offset + (zeros.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    memchr::memchr(b'\n', &bytes[offset..]).map(|i| offset + i)
}

/// Bytes searched eight at a time for a line break (a multiple of eight).
const SHORT_LINE: usize = 128;

/// Keys of every table label of both templates: lines that are table rows
/// (`四、结转下年度继续办理`) are not headings.
fn table_label_keys() -> &'static [String] {
    static KEYS: OnceLock<Vec<String>> = OnceLock::new();
    KEYS.get_or_init(|| {
        template::all()
            .iter()
            .flat_map(|t| &t.tables)
            .flat_map(|t| &t.items)
            .map(|i| match i {
                template::Item::Row(r) => key(&r.label),
                template::Item::Header(h) => key(&h.header),
            })
            .filter(|k| k.chars().count() >= 4)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect()
    })
}

/// Whether `key` starts with a table label's key (`table_keys`). The first
/// byte is compared before the rest: most labels differ there.
fn starts_with_table_label(key: &str, table_keys: &[String]) -> bool {
    let first = key.as_bytes().first();
    table_keys
        .iter()
        .any(|k| k.as_bytes().first() == first && key.starts_with(k.as_str()))
}

/// Per section: its number, the key of its title, and the keys of its
/// acceptable wordings; and all of them as characters, the title first.
struct SectionKeys {
    number: u8,
    title: String,
    acceptable: Vec<String>,
    wordings: Vec<(Vec<char>, Wording)>,
}

impl SectionKeys {
    /// The keys of the title and of each acceptable wording, the title first.
    fn wording_keys(&self) -> impl Iterator<Item = &String> {
        std::iter::once(&self.title).chain(&self.acceptable)
    }
}

fn section_keys() -> &'static [SectionKeys] {
    static KEYS: OnceLock<Vec<SectionKeys>> = OnceLock::new();
    KEYS.get_or_init(|| {
        template::sections()
            .iter()
            .map(|s| {
                let title = key(&s.title);
                let acceptable: Vec<String> = s.acceptable.iter().map(|a| key(a)).collect();
                let wordings = std::iter::once((title.chars().collect(), Wording::Canonical))
                    .chain(
                        acceptable
                            .iter()
                            .map(|a| (a.chars().collect(), Wording::Acceptable)),
                    )
                    .collect();
                SectionKeys {
                    number: s.number,
                    title,
                    acceptable,
                    wordings,
                }
            })
            .collect()
    })
}

fn heading_at_line(text: &str, line: Range<usize>, table_keys: &[String]) -> Option<Section> {
    let s = &text[line.clone()];
    // Skip indentation and Markdown decoration.
    let lead = s
        .char_indices()
        .find(|&(_, c)| !(c.is_whitespace() || matches!(c, '#' | '*' | '>' | '_')))
        .map_or(s.len(), |(i, _)| i);
    let content = &s[lead..];
    // Most lines (table cells, prose) are rejected here, before trimming
    // and parsing: a line not starting with an ordinal has none, and then
    // its first key character must be able to start a title. (The decoration
    // trimmed at the end has no key characters, so the test reads the same
    // first key character as the one below.)
    let first = content.chars().next()?;
    // (An ASCII letter or digit is its own key, and no title starts with one.)
    if first.is_ascii_alphanumeric() || !ORDINALS.contains(&first) && !could_start_title(content) {
        return None;
    }
    let content_start = line.start + lead;
    let content_trimmed =
        content.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '#' | '_'));
    let content_end = content_start + content_trimmed.len();
    if content_trimmed.is_empty() {
        return None;
    }
    let (ordinal, title_start) = parse_ordinal(text, content_start, content_end);
    // Without an ordinal a line is a heading only when it is a wording
    // exactly (`classify`; `prefix_heading` needs an ordinal): most lines
    // stop at this cheap test.
    if ordinal.is_none() && !could_start_title(&text[title_start..content_end]) {
        return None;
    }
    if more_chars_than(content_trimmed, MAX_TITLE_CHARS + 4) {
        // A heading followed by text on the same line.
        return prefix_heading(text, content_start, title_start, content_end, ordinal);
    }
    let title_text =
        text[title_start..content_end].trim_end_matches([':', '：', '。', ' ', '\u{3000}']);
    if ordinal.is_none() && !could_end_title(title_text) {
        return None;
    }
    let title_end = title_start + title_text.len();
    let title_key = key(title_text);
    if title_key.is_empty() {
        return None;
    }
    let Some((number, wording)) = classify(&title_key, ordinal.as_ref().map(|o| o.0)) else {
        return prefix_heading(text, content_start, title_start, content_end, ordinal);
    };
    if wording == Wording::OffTemplate {
        // The title word for word with text run on (`六、其他需要报告的事项无。`
        // when a line break was lost) is that title, not an off-template wording.
        if let Some(s) = prefix_heading(
            text,
            content_start,
            title_start,
            content_end,
            ordinal.clone(),
        ) {
            return Some(s);
        }
    }
    // The key of the whole content is the ordinal's key followed by the
    // title's: the separator and white space between have no key, and
    // cannot open a pinyin residue; and the trimmed end has no key and closes none.
    let content_key = match &ordinal {
        Some(_) => {
            let mut content_key = String::with_capacity(title_key.len() + 4);
            let ordinal_key = text[content_start..]
                .chars()
                .next()
                .and_then(crate::normalize::key_char);
            content_key.extend(ordinal_key);
            content_key.push_str(&title_key);
            content_key
        }
        None => title_key.clone(),
    };
    if starts_with_table_label(&title_key, table_keys)
        || starts_with_table_label(&content_key, table_keys)
    {
        return None;
    }
    Some(Section {
        number,
        ordinal: ordinal.as_ref().map(|o| o.0),
        ordinal_range: ordinal.map(|o| o.1),
        range: content_start..content_end,
        title_range: title_start..title_end,
        text: text[content_start..content_end].to_string(),
        wording,
        run_on: false,
        body: content_end..content_end,
    })
}

/// `s.chars().count() > n`, without counting when the byte length decides
/// (a character takes one to four bytes).
fn more_chars_than(s: &str, n: usize) -> bool {
    if s.len() <= n {
        false
    } else if s.len() > 4 * n {
        true
    } else {
        s.chars().count() > n
    }
}

/// Cheap filter for headings written without an ordinal: the first character
/// must be able to start some section title (after traditional → simplified).
fn could_start_title(s: &str) -> bool {
    static FIRST: OnceLock<Vec<char>> = OnceLock::new();
    let first = FIRST.get_or_init(|| wording_chars(|t| t.chars().next()));
    s.chars()
        .find_map(crate::normalize::key_char)
        .is_some_and(|c| first.contains(&c))
}

/// Cheap filter for a title without an ordinal, which must be a wording
/// exactly: its last character's key must end some wording. A closing
/// parenthesis may end a pinyin residue the key skips, and a character
/// without a key is skipped too: then the filter cannot tell and passes.
fn could_end_title(title: &str) -> bool {
    static LAST: OnceLock<Vec<char>> = OnceLock::new();
    let last = LAST.get_or_init(|| wording_chars(|t| t.chars().next_back()));
    match title.chars().next_back() {
        Some(')' | '）') | None => true,
        Some(c) => crate::normalize::key_char(c).is_none_or(|k| last.contains(&k)),
    }
}

/// The distinct characters `pick` takes from each wording of each section.
fn wording_chars(pick: impl Fn(&str) -> Option<char>) -> Vec<char> {
    let mut chars: Vec<char> = section_keys()
        .iter()
        .flat_map(|k| k.wording_keys())
        .filter_map(|t| pick(t))
        .collect();
    chars.sort_unstable();
    chars.dedup();
    chars
}

/// A numbered line that starts with a section title word for word and goes on
/// with other text (`一、总体情况 2023年，本局…`): the heading is the title part.
fn prefix_heading(
    text: &str,
    content_start: usize,
    title_start: usize,
    line_end: usize,
    ordinal: Option<(u8, Range<usize>)>,
) -> Option<Section> {
    let (n, ordinal_range) = ordinal?;
    let window_end =
        floor_char_boundary(text, line_end.min(title_start + 3 * (MAX_TITLE_CHARS + 4)));
    // The key must start as a wording starts (its first key character is
    // the one `could_start_title` reads: a pinyin residue is skipped only
    // after a CJK character, itself a key character).
    if !could_start_title(&text[title_start..window_end]) {
        return None;
    }
    let chars = key_chars(text, title_start..window_end);
    let head: String = chars.iter().map(|k| k.c).collect();
    let (sec, matched, wording) = section_keys()
        .iter()
        .flat_map(|s| {
            std::iter::once((s, &s.title, Wording::Canonical)).chain(
                s.acceptable
                    .iter()
                    .map(move |a| (s, a, Wording::Acceptable)),
            )
        })
        .filter(|(_, k, _)| head.starts_with(k.as_str()))
        .max_by_key(|(_, k, _)| k.len())?;
    let end = chars.get(matched.chars().count().checked_sub(1)?)?.src.end;
    Some(Section {
        number: sec.number,
        ordinal: Some(n),
        ordinal_range: Some(ordinal_range),
        range: content_start..end,
        title_range: title_start..end,
        text: text[content_start..end].to_string(),
        wording,
        run_on: false,
        body: end..end,
    })
}

/// `一、` / `一.` / `一．` / `一 ` at `start`: the ordinal (1..=10), its range, and where the title starts.
fn parse_ordinal(text: &str, start: usize, end: usize) -> (Option<(u8, Range<usize>)>, usize) {
    let s = &text[start..end];
    let mut chars = s.char_indices();
    let Some((_, c)) = chars.next() else {
        return (None, start);
    };
    let Some(pos) = ORDINALS.iter().position(|&o| o == c) else {
        return (None, start);
    };
    let after = c.len_utf8();
    let rest = &s[after..];
    let sep = rest
        .chars()
        .next()
        .filter(|&d| matches!(d, '、' | '.' | '．' | '，' | ',' | ' ' | '\u{3000}' | '\t'));
    let Some(sep) = sep else {
        return (None, start);
    };
    let mut title = after + sep.len_utf8();
    title += s[title..].len() - s[title..].trim_start().len();
    let n = u8::try_from(pos + 1).unwrap_or(0);
    (
        Some((n, start..start + after + sep.len_utf8())),
        start + title,
    )
}

/// Which section a title is, and how well it is worded.
fn classify(title_key: &str, ordinal: Option<u8>) -> Option<(u8, Wording)> {
    for sec in section_keys() {
        if sec.title == title_key {
            return Some((sec.number, Wording::Canonical));
        }
        if sec.acceptable.iter().any(|a| a == title_key) {
            return Some((sec.number, Wording::Acceptable));
        }
    }
    // Off-template wording: only when the written ordinal agrees with the content.
    let n = ordinal.filter(|n| (1..=6).contains(n))?;
    let sec = section_keys().iter().find(|s| s.number == n)?;
    if more_chars_than(title_key, MAX_TITLE_CHARS) {
        return None;
    }
    // Only whether the best wording reaches the threshold matters: any one does.
    sec.wording_keys()
        .any(|t| plausible(t, title_key) && similar_enough(t, title_key, OFF_TEMPLATE))
        .then_some((n, Wording::OffTemplate))
}

/// At most this many key characters (the ordinal first) are compared
/// with the table labels after a heading ordinal.
const TABLE_ROW_KEYS: usize = 48;

/// How many key characters a heading ordinal needs (the ordinal first):
/// as many as the table-label comparison can use (the longest label, at
/// most [`TABLE_ROW_KEYS`]), and the longest section wording with the six
/// keys of slack [`title_prefix`] reads after it.
fn mark_keys() -> usize {
    static N: OnceLock<usize> = OnceLock::new();
    *N.get_or_init(|| {
        let label = table_label_keys()
            .iter()
            .map(|k| k.chars().count())
            .max()
            .unwrap_or(0)
            .min(TABLE_ROW_KEYS);
        let wording = section_keys()
            .iter()
            .flat_map(|s| s.wording_keys())
            .map(|w| 1 + w.chars().count() + 6)
            .max()
            .unwrap_or(0);
        label.max(wording)
    })
}

/// An ordinal written as a heading (`四、`, not `（四）`, `四是`, `第四`, nor
/// the `四、结转下年度继续办理` of a table): the section number it writes, and
/// the key characters from it on as the searched range's own key
/// characters give them. They are read as comparisons need them: most
/// comparisons fail within the first few.
struct Mark {
    number: u8,
    /// From the ordinal to the end of the searched range.
    src: Range<usize>,
    chars: Vec<KeyChar>,
    keys: Vec<char>,
    /// Every key character up to `src.end` is read.
    exhausted: bool,
}

/// Key characters read for a mark at first.
const MARK_FIRST_KEYS: usize = 8;

impl Mark {
    fn new(text: &str, number: u8, src: Range<usize>) -> Self {
        let mut mark = Mark {
            number,
            src,
            chars: Vec::new(),
            keys: Vec::new(),
            exhausted: false,
        };
        mark.read(text, MARK_FIRST_KEYS);
        mark
    }

    /// Reads key characters until `n` are known, or all there are.
    fn read(&mut self, text: &str, n: usize) {
        if self.chars.len() >= n || self.exhausted {
            return;
        }
        // Go on from the last key character read: every one read is exact
        // (see `key_window`), and from a key character's own position on a
        // window continues the range's key characters (it is no parenthesis
        // and lies in no pinyin residue).
        let from = self.chars.pop().map_or(self.src.start, |k| k.src.start);
        self.keys.truncate(self.chars.len());
        let want = n - self.chars.len();
        let more = key_window(text, from..self.src.end, want);
        self.exhausted = more.len() < want;
        self.keys.extend(more.iter().map(|k| k.c));
        self.chars.extend(more);
    }

    /// Whether the key characters from the `at`-th on start with `w`,
    /// reading more only while those read agree with it.
    fn keys_start_with(&mut self, text: &str, at: usize, w: &[char]) -> bool {
        let known = self.keys.get(at..).unwrap_or_default();
        if !known.iter().zip(w).all(|(k, c)| k == c) {
            return false;
        }
        self.read(text, at + w.len());
        self.keys.get(at..at + w.len()) == Some(w)
    }

    /// The key characters from the ordinal on, as many as [`mark_keys`].
    fn all_keys(&mut self, text: &str) -> &[char] {
        self.read(text, mark_keys());
        &self.keys
    }
}

/// The ordinals `一`…`六`: a literal set, which the regex crate finds by its
/// prefilter alone.
fn ordinal_char() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new("[一二三四五六]").expect("built-in regex is valid"))
}

/// An ordinal `一`…`六` in `text[range]` followed, after any white space
/// (even past the range), by `、`, `.` or `．`.
struct OrdinalSep {
    /// Byte offset of the ordinal.
    at: usize,
    /// Byte offset just past the separator.
    end: usize,
    /// The separator right after the ordinal (`四、`, not `四 、`).
    adjacent: bool,
}

fn ordinal_seps(text: &str, range: Range<usize>) -> Vec<OrdinalSep> {
    ordinal_char()
        .find_iter(&text[range.clone()])
        .filter_map(|m| {
            let after = range.start + m.end();
            let rest = &text[after..];
            let trimmed = rest.trim_start();
            let sep = trimmed
                .chars()
                .next()
                .filter(|c| matches!(c, '、' | '.' | '．'))?;
            Some(OrdinalSep {
                at: range.start + m.start(),
                end: text.len() - trimmed.len() + sep.len_utf8(),
                adjacent: trimmed.len() == rest.len(),
            })
        })
        .collect()
}

/// The ordinals of `seps` (from [`ordinal_seps`] over `range`) written as
/// headings, of the section numbers `wanted` accepts.
fn heading_marks(
    text: &str,
    range: Range<usize>,
    seps: &[OrdinalSep],
    wanted: impl Fn(u8) -> bool,
) -> Vec<Mark> {
    // A table row starts with a label's key, compared over at most
    // `TABLE_ROW_KEYS` key characters (a longer label never matches); a
    // mark's keys start with its ordinal, so only labels starting with it can.
    static ROW_LABELS: OnceLock<Vec<Vec<char>>> = OnceLock::new();
    let row_labels = ROW_LABELS.get_or_init(|| {
        table_label_keys()
            .iter()
            .map(|k| k.chars().collect::<Vec<char>>())
            .filter(|k| {
                k.len() <= TABLE_ROW_KEYS && k.first().is_some_and(|c| ORDINALS[..6].contains(c))
            })
            .collect()
    });
    seps.iter()
        .filter_map(|m| {
            let ordinal = text[m.at..].chars().next()?;
            let n = ORDINALS[..6].iter().position(|&o| o == ordinal)?;
            let number = u8::try_from(n + 1).unwrap_or(0);
            let before = text[..m.at].chars().next_back();
            if !wanted(number) || matches!(before, Some('（' | '(' | '第')) {
                return None;
            }
            let mut mark = Mark::new(text, number, m.at..range.end);
            let table_row = row_labels
                .iter()
                .any(|k| k.first() == Some(&ordinal) && mark.keys_start_with(text, 0, k));
            (!table_row).then_some(mark)
        })
        .collect()
}

/// How many bytes after a character its key depends on: a pinyin residue
/// it opens (`（` + at most seven two-byte letters + one more character) is
/// at most 21 bytes.
const KEY_LOOKAHEAD: usize = 24;

/// The first `want` key characters of `text[range]` (fewer when the range
/// ends first), normalising only about as much text as they take.
///
/// Exact: cut at `end`, the key characters starting at least
/// [`KEY_LOOKAHEAD`] bytes before `end` are those of the whole range, since
/// every decision up to them read only text before `end`. And at an
/// ordinal (never part of a pinyin residue, never an opening parenthesis)
/// the key characters from it on are those of any range that holds it, so a
/// window starting at a heading ordinal continues a line's key characters.
fn key_window(text: &str, range: Range<usize>, want: usize) -> Vec<KeyChar> {
    // Four bytes a key character (three of a CJK character, and some
    // punctuation) is enough for most text the first time.
    let mut bytes = want * 4 + KEY_LOOKAHEAD;
    loop {
        let end = floor_char_boundary(text, range.end.min(range.start + bytes));
        let mut chars = key_chars(text, range.start..end);
        let settled = end == range.end
            || want
                .checked_sub(1)
                .and_then(|last| chars.get(last))
                .is_some_and(|k| k.src.start + KEY_LOOKAHEAD <= end);
        if settled {
            chars.truncate(want);
            return chars;
        }
        bytes *= 2;
    }
}

/// A section still missing whose ordinal stands where it belongs, written
/// as a heading: after the headings of the sections before it and before
/// those after it, with the template's title anywhere in a line
/// (`…163.com。一、总体情况`, a line a converter broke elsewhere), or with a
/// title too unlike the template's
/// for [`classify`] alone to accept (`六、需要说明的其他事项与附表`). Its place
/// in the sequence vouches for it; a section before it found makes a looser
/// match enough.
fn in_sequence(text: &str, found: &[Section], n: u8) -> Option<Section> {
    let prev_end = found
        .iter()
        .filter(|s| s.number < n)
        .map(|s| s.range.end)
        .max();
    let from = prev_end.unwrap_or(0);
    let to = found
        .iter()
        .filter(|s| s.number > n && s.range.start >= from)
        .map(|s| s.range.start)
        .min()
        .unwrap_or(text.len());
    let threshold = if prev_end.is_some() {
        IN_SEQUENCE
    } else {
        OFF_TEMPLATE
    };
    let sec = section_keys().iter().find(|s| s.number == n)?;
    let seps = ordinal_seps(text, from..to);
    heading_marks(text, from..to, &seps, |m| m == n)
        .into_iter()
        .find_map(|mut m| {
            let (len, sim, _) = closest_wording(&m.all_keys(text)[1..], sec)?;
            if sim < threshold {
                return None;
            }
            let chars = &m.chars;
            // The template's title (or a statute wording) word for word: its
            // end is known.
            let matched: String = m.keys[1..=len].iter().collect();
            if let Some((m, wording)) =
                classify(&matched, Some(n)).filter(|(m, w)| *m == n && *w != Wording::OffTemplate)
            {
                return Some(heading(text, chars, 0, len, m, n, wording, false));
            }
            // Alone on its line: the line is the title.
            let start = chars[0].src.start;
            let title_start = chars[1].src.start;
            let line_end = text[start..].find('\n').map_or(text.len(), |e| start + e);
            let at_line_start = text[..start]
                .rsplit('\n')
                .next()
                .is_some_and(|b| b.trim().is_empty());
            let line = text[title_start..line_end]
                .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '：' | '。'));
            if at_line_start && line.chars().count() <= MAX_TITLE_CHARS {
                let end = title_start + line.len();
                return Some(Section {
                    title_range: title_start..end,
                    range: start..end,
                    text: text[start..end].to_string(),
                    body: end..end,
                    ..heading(text, chars, 0, len, n, n, Wording::OffTemplate, false)
                });
            }
            // Run on into text, a title this unlike the template's ends where
            // the match ends only by guess, even ending as the template does.
            Some(heading(
                text,
                chars,
                0,
                len,
                n,
                n,
                Wording::OffTemplate,
                true,
            ))
        })
}

/// The wording of section `sec` closest to the start of `hay`: how many
/// keys it takes, how similar they are, and whether they end as the wording
/// ends (`…行政法复议、行政诉讼情况`: the title's end is known, not a guess).
fn closest_wording(hay: &[char], sec: &SectionKeys) -> Option<(usize, f32, bool)> {
    sec.wording_keys()
        .filter_map(|w| {
            let (len, sim) = title_prefix(hay, w)?;
            let ends_as = len > 0 && hay.get(len - 1) == w.chars().last().as_ref();
            (len > 0).then_some((len, sim, ends_as))
        })
        .fold(None, |best: Option<(usize, f32, bool)>, c| {
            if best.is_none_or(|b| c.1 > b.1) {
                Some(c)
            } else {
                best
            }
        })
}

/// The heading of section `number` whose ordinal (written `ordinal`) is key
/// `i` of `chars` and whose title is the `len` keys after it.
#[allow(clippy::too_many_arguments)]
fn heading(
    text: &str,
    chars: &[KeyChar],
    i: usize,
    len: usize,
    number: u8,
    ordinal: u8,
    wording: Wording,
    run_on: bool,
) -> Section {
    let start = chars[i].src.start;
    let title_start = chars[i + 1].src.start;
    let end = chars[i + len].src.end;
    Section {
        number,
        ordinal: Some(ordinal),
        ordinal_range: Some(start..title_start),
        range: start..end,
        title_range: title_start..end,
        text: text[start..end].to_string(),
        wording,
        run_on,
        body: end..end,
    }
}

/// Headings written inline inside a long (flattened) line, from its heading
/// ordinals (`marks`, in text order): an ordinal with `、` followed by a
/// section's exact title (under any ordinal, for `section-order`), else by
/// wording close to the title of the section that ordinal numbers
/// (off-template, for `section-title`).
fn inline_headings(text: &str, marks: &mut [Mark]) -> Vec<Section> {
    let mut out = Vec::new();
    for sec in section_keys() {
        // (mark index, title length, wording, end a guess)
        let exact = marks.iter_mut().enumerate().find_map(|(at, m)| {
            sec.wordings.iter().find_map(|(w, wording)| {
                m.keys_start_with(text, 1, w)
                    .then(|| (at, w.len(), wording.clone(), false))
            })
        });
        let fuzzy = || {
            let mut best: Option<(f32, usize, usize, bool)> = None;
            for (at, m) in marks.iter_mut().enumerate() {
                if m.number != sec.number {
                    continue;
                }
                let Some((len, sim, ends_as)) = closest_wording(&m.all_keys(text)[1..], sec) else {
                    continue;
                };
                if sim >= OFF_TEMPLATE && best.is_none_or(|b| sim > b.0) {
                    best = Some((sim, at, len, ends_as));
                }
            }
            best.map(|(_, at, len, ends_as)| (at, len, Wording::OffTemplate, !ends_as))
        };
        let Some((at, len, wording, run_on)) = exact.or_else(fuzzy) else {
            continue;
        };
        let m = &marks[at];
        out.push(heading(
            text, &m.chars, 0, len, sec.number, m.number, wording, run_on,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_keep_enough_keys_for_every_wording() {
        // A mark holds the ordinal, then a wording and the six keys of slack
        // `title_prefix` reads after it, and the whole of every table label.
        for sec in section_keys() {
            for w in sec.wording_keys() {
                assert!(1 + w.chars().count() + 6 <= mark_keys(), "{w}");
            }
        }
        for k in table_label_keys() {
            assert!(k.chars().count() <= mark_keys(), "{k}");
        }
    }

    #[test]
    fn lines_are_those_of_split_inclusive() {
        // Lines longer than `SHORT_LINE`, up to it, and just past it.
        let long = format!(
            "{}\n{}\r\n{}\n{}",
            "一".repeat(100),
            "x".repeat(SHORT_LINE - 1),
            "y".repeat(SHORT_LINE),
            "z".repeat(SHORT_LINE + 3)
        );
        for text in [
            "",
            "a",
            "\n",
            "一、总体情况\r\n2023年\n\n\r\r\nend",
            "0123456789abcdef\n0123456\n01234567\n012345678\nx\n",
            &long,
        ] {
            let mut start = 0;
            let expected: Vec<Range<usize>> = text
                .split_inclusive('\n')
                .map(|l| {
                    let r = start..start + l.trim_end_matches(['\n', '\r']).len();
                    start += l.len();
                    r
                })
                .collect();
            assert_eq!(lines(text).collect::<Vec<_>>(), expected, "{text:?}");
        }
    }

    #[test]
    fn marks_read_on_as_the_whole_key() {
        let text =
            "四、政府信息公开行政(xíng)复议、行政诉讼情况 （zhèng）一二三（ 四  ) 五六七八九十"
                .repeat(4);
        let whole = key_chars(&text, 0..text.len());
        let mut mark = Mark::new(&text, 4, 0..text.len());
        for n in [3, 9, 10, 17, 40, 41, 90, 500] {
            mark.read(&text, n);
            assert!(mark.chars.len() >= n.min(whole.len()), "{n}");
            assert_eq!(mark.exhausted, mark.chars.len() == whole.len(), "{n}");
            let expected = &whole[..mark.chars.len()];
            assert_eq!(mark.chars, expected, "{n}");
            assert!(mark.keys.iter().copied().eq(expected.iter().map(|k| k.c)));
        }
    }

    #[test]
    fn key_window_is_the_start_of_the_whole_key() {
        let text =
            "四、政府信息公开行政(xíng)复议、行政诉讼情况 （zhèng）一二三四五六七八九十".repeat(6);
        let whole = key_chars(&text, 0..text.len());
        for want in [1, 5, 20, 48, 200] {
            let window = key_window(&text, 0..text.len(), want);
            assert_eq!(window, whole[..want.min(whole.len())]);
        }
    }
}

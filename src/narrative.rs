//! Reading the report's prose: the sentences of the narrative sections, and
//! the statements of quantities a table also holds (`收到政府信息公开申请 25 件`).
//!
//! The prose is read as a compact stream: whitespace and line breaks are
//! dropped (PDF text breaks sentences anywhere, `答\n复 3050 件`), page
//! footers (`- 3 -`) are skipped, traditional characters are simplified,
//! full-width digits and ASCII punctuation are folded, and pinyin residue
//! (`開(kāi)`) is removed. Every character remembers the bytes it came from,
//! so findings point at the original text.
//!
//! A [`Claim`] is only read where the sentence unambiguously states the
//! quantity for the report year: the phrasings understood are listed in the
//! `narrative-mismatch` rule's documentation and, with real examples, in
//! `tests/fixtures/narrative/phrasings.txt`. A figure about another year, a
//! cumulative (`累计`) or rounded (`约`, `余`, `多`) figure, or a
//! sub-category (`其中自然人…`, `因本机关不掌握…无法提供`) gives no claim.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use crate::normalize;

/// Prose as a compact character stream with the source bytes of every character.
#[derive(Clone, Debug, Default)]
pub struct Stream {
    /// The normalised text.
    pub s: String,
    /// Where the characters of `s` come from, as segments in order: most
    /// characters are copied unchanged from a contiguous stretch of the
    /// source, so one segment maps many of them (the stream is built for
    /// every analysis; a map per character cost more than the folding).
    segments: Vec<Segment>,
    /// Offsets in `s` of the first character of each source line.
    line_starts: Vec<usize>,
}

/// A stretch of `s` from byte `stream` up to the next segment's `stream`
/// (or the end of `s`), coming from the source from byte `src`.
///
/// A plain segment (`src_len == 0`) has every character at the same
/// distance from `stream` as its source from `src`, and as long: copied
/// characters, and simplified ones of the same UTF-8 length. A folded
/// segment is one character from `src_len` source bytes of another length
/// (full-width `，` → `,`).
#[derive(Clone, Copy, Debug)]
struct Segment {
    stream: u32,
    src: u32,
    src_len: u8,
}

/// Characters that end a sentence in the stream (`；` folds to `;`).
const SENTENCE_END: [char; 6] = ['。', ';', '!', '?', '！', '？'];
/// Characters that end a clause.
const CLAUSE_END: [char; 9] = ['。', ';', '!', '?', ',', ':', '！', '？', '、'];

impl Stream {
    /// The stream of `text[range]`, without the `skip` ranges (tables).
    pub fn new(text: &str, range: Range<usize>, skip: &[Range<usize>]) -> Stream {
        let mut out = Builder {
            text,
            stream: Stream {
                s: String::with_capacity(range.len()),
                segments: Vec::with_capacity(range.len() / 16),
                line_starts: Vec::new(),
            },
            next_src: usize::MAX,
            stops: normalize::ideograph_stops(),
        };
        let mut crossing: Vec<Range<usize>> = Vec::new();
        let mut line_start = range.start;
        while line_start < range.end {
            // The lines of a skipped range (a table) holding the line start
            // give nothing: jump past its last line break at once.
            let table_lines = skip
                .iter()
                .find(|r| r.start <= line_start && line_start < r.end)
                .and_then(|r| text.get(line_start..r.end.min(range.end))?.rfind('\n'));
            if let Some(i) = table_lines {
                line_start += i + 1;
                continue;
            }
            let line_end = text[line_start..range.end]
                .find('\n')
                .map_or(range.end, |i| line_start + i);
            let line = &text[line_start..line_end];
            let inside = skip
                .iter()
                .any(|r| r.start <= line_start && line_end <= r.end);
            if !inside && !is_page_footer(line) {
                // Only lines that cross a skipped range check every character.
                crossing.clear();
                crossing.extend(
                    skip.iter()
                        .filter(|r| r.start < line_end && line_start < r.end)
                        .cloned(),
                );
                let before = out.stream.s.len();
                out.push_line(line_start..line_end, &crossing);
                if out.stream.s.len() > before {
                    out.stream.line_starts.push(before);
                }
            }
            line_start = line_end + 1;
        }
        out.stream
    }

    /// Source bytes of `s[range]` (a range of the stream on char boundaries).
    pub fn source(&self, range: Range<usize>) -> Range<usize> {
        if self.s.is_empty() {
            return 0..0;
        }
        let first = self.char_source(range.start);
        let last = self.char_source(range.end.max(range.start + 1) - 1);
        first.start..last.end
    }

    /// Source bytes of the character of `s` containing byte `at` (the last
    /// character when `at` is past the end); `s` is not empty.
    fn char_source(&self, at: usize) -> Range<usize> {
        let at = crate::text::floor_char_boundary(&self.s, at.min(self.s.len() - 1));
        // The first segment starts at 0, so there is one at or before `at`.
        let i = self.segments.partition_point(|g| g.stream as usize <= at) - 1;
        let g = self.segments[i];
        if g.src_len > 0 {
            return g.src as usize..g.src as usize + usize::from(g.src_len);
        }
        let start = g.src as usize + (at - g.stream as usize);
        start..start + self.s[at..].chars().next().map_or(1, char::len_utf8)
    }

    /// Offset in `s` of the first character that comes from `offset` or
    /// later in the source (`s.len()` when there is none).
    pub fn at_source(&self, offset: usize) -> usize {
        // The segments before `k` start before `offset` in the source.
        let k = self.segments.partition_point(|g| (g.src as usize) < offset);
        let Some(k) = k.checked_sub(1) else {
            return self
                .segments
                .first()
                .map_or(self.s.len(), |g| g.stream as usize);
        };
        let g = self.segments[k];
        let stream_end = self
            .segments
            .get(k + 1)
            .map_or(self.s.len(), |n| n.stream as usize);
        if g.src_len > 0 {
            // One character, starting before `offset`: the answer is the next one.
            return stream_end;
        }
        let src_end = g.src as usize + (stream_end - g.stream as usize);
        if offset >= src_end {
            return stream_end;
        }
        // Inside the plain segment: the first character starting at or after `offset`.
        let mut at = g.stream as usize + (offset - g.src as usize);
        while !self.s.is_char_boundary(at) {
            at += 1;
        }
        at
    }

    /// The stream range of the source range `range`.
    pub fn range_of(&self, range: Range<usize>) -> Range<usize> {
        self.at_source(range.start)..self.at_source(range.end)
    }

    /// Byte offset in `s` where the source line holding `at` starts.
    pub fn line_start(&self, at: usize) -> usize {
        match self.line_starts.binary_search(&at) {
            Ok(i) => self.line_starts[i],
            Err(0) => 0,
            Err(i) => self.line_starts[i - 1],
        }
    }

    /// Byte offset in `s` where the sentence holding `at` starts.
    pub fn sentence_start(&self, at: usize) -> usize {
        self.s[..at].rfind(SENTENCE_END).map_or(0, |i| {
            i + self.s[i..].chars().next().map_or(1, char::len_utf8)
        })
    }

    /// Byte offset in `s` where the clause holding `at` starts.
    pub fn clause_start(&self, at: usize) -> usize {
        self.s[..at].rfind(CLAUSE_END).map_or(0, |i| {
            i + self.s[i..].chars().next().map_or(1, char::len_utf8)
        })
    }
}

/// A [`Stream`] being built: the folded text and its segments.
struct Builder<'t> {
    text: &'t str,
    stream: Stream,
    /// The source offset where the last plain segment ends, so text copied
    /// from there extends it (`usize::MAX` after a folded segment).
    next_src: usize,
    /// [`normalize::ideograph_stops`], looked up once.
    stops: &'static [u64; 384],
}

impl Builder<'_> {
    fn push_line(&mut self, line: Range<usize>, skip: &[Range<usize>]) {
        let mut prev_cjk = false;
        let mut at = line.start;
        while at < line.end {
            // Past the skipped ranges holding `at`, then up to the next one.
            if let Some(end) = skip.iter().filter(|r| r.contains(&at)).map(|r| r.end).max() {
                at = end;
                while at < line.end && !self.text.is_char_boundary(at) {
                    at += 1;
                }
                continue;
            }
            let stop = skip
                .iter()
                .filter(|r| r.start > at)
                .map(|r| r.start)
                .min()
                .map_or(line.end, |s| s.min(line.end));
            at = self.push_run(at, stop, line.end, &mut prev_cjk);
        }
    }

    /// Fold the characters from `at` up to `stop` (a pinyin residue may run
    /// on to `line_end`); the offset reached.
    fn push_run(
        &mut self,
        mut at: usize,
        stop: usize,
        line_end: usize,
        prev_cjk: &mut bool,
    ) -> usize {
        let text = self.text;
        let bytes = text.as_bytes();
        // Characters that stay as they are pile up from `kept` on and are
        // copied in one go when a character that changes (or the end) comes.
        let mut kept = at;
        let mut after_cjk = *prev_cjk;
        loop {
            at = skip_kept(bytes, at, stop, self.stops, &mut after_cjk);
            if at >= stop {
                break;
            }
            let b = bytes[at];
            if b < 0x80 {
                if b == b'(' && after_cjk {
                    if let Some(n) = normalize::pinyin_residue_len(&text[at..line_end]) {
                        self.copy(kept..at);
                        at += n;
                        kept = at;
                        continue;
                    }
                }
                after_cjk = false;
                // The ASCII case of `fold`: only whitespace changes (it is dropped).
                if b.is_ascii_whitespace() {
                    self.copy(kept..at);
                    kept = at + 1;
                }
                at += 1;
                continue;
            }
            let c = text[at..].chars().next().expect("on a char boundary");
            let len = c.len_utf8();
            // Pinyin residue (`開(kāi)`) follows a CJK character and opens a parenthesis.
            if after_cjk && c == '（' {
                if let Some(n) = normalize::pinyin_residue_len(&text[at..line_end]) {
                    self.copy(kept..at);
                    at += n;
                    kept = at;
                    continue;
                }
            }
            let cjk = len >= 3 && normalize::is_cjk(c);
            after_cjk = cjk;
            let folded = if cjk {
                Some(normalize::simplified(c))
            } else {
                fold(c)
            };
            if folded != Some(c) {
                self.copy(kept..at);
                if let Some(folded) = folded {
                    self.push_folded(folded, at..at + len);
                }
                kept = at + len;
            }
            at += len;
        }
        self.copy(kept..at);
        *prev_cjk = after_cjk;
        at
    }

    /// Append the source bytes `src` unchanged.
    #[inline]
    fn copy(&mut self, src: Range<usize>) {
        if src.is_empty() {
            return;
        }
        self.map(src.clone(), src.len());
        self.stream.s.push_str(&self.text[src]);
    }

    /// Append `c`, folded from the source character at `src`.
    fn push_folded(&mut self, c: char, src: Range<usize>) {
        self.map(src, c.len_utf8());
        self.stream.s.push(c);
    }

    /// Record that the next `len` bytes of the stream come from `src`.
    fn map(&mut self, src: Range<usize>, len: usize) {
        let plain = len == src.len();
        if !plain || src.start != self.next_src {
            #[allow(clippy::cast_possible_truncation)] // texts are capped far below 4 GB
            self.stream.segments.push(Segment {
                stream: self.stream.s.len() as u32,
                src: src.start as u32,
                // A folded segment is one character: at most 4 bytes.
                src_len: if plain { 0 } else { src.len() as u8 },
            });
        }
        self.next_src = if plain { src.end } else { usize::MAX };
    }
}

/// The offset of the first character from `at` (before `stop`) that the
/// stream does not simply keep, or `stop`: this skips ASCII other than
/// whitespace and `(`, ideographs of the block that simplification leaves
/// alone, and the common punctuation that stays as it is: characters
/// [`Builder::push_run`] would copy unchanged after looking at each.
/// `after_cjk` becomes whether the last character skipped is CJK (left as
/// is when none is).
fn skip_kept(
    bytes: &[u8],
    mut at: usize,
    stop: usize,
    stops: &[u64; 384],
    after_cjk: &mut bool,
) -> usize {
    // `stop` is a character boundary: a character starting before it ends
    // by it, so the bytes up to it hold every character looked at.
    let bytes = &bytes[..stop.min(bytes.len())];
    let mut cjk = *after_cjk;
    loop {
        // A run of ideographs, the bulk of a report, in a loop of its own.
        // (A character not kept, or one of another length, ends the run;
        // whatever it is, it is looked at below.) Two characters a turn
        // while six bytes are left, then one.
        while let Some(&[l0, a0, b0, l1, a1, b1, ..]) = bytes.get(at..) {
            if !normalize::kept_ideograph(stops, l0, a0, b0) {
                break;
            }
            cjk = true;
            if !normalize::kept_ideograph(stops, l1, a1, b1) {
                at += 3;
                break;
            }
            at += 6;
        }
        while let Some(&[lead, b1, b2, ..]) = bytes.get(at..) {
            if !normalize::kept_ideograph(stops, lead, b1, b2) {
                break;
            }
            cjk = true;
            at += 3;
        }
        match bytes.get(at..).unwrap_or_default() {
            &[b, ..] if b < 0x80 && !b.is_ascii_whitespace() && b != b'(' => {
                cjk = false;
                at += 1;
            }
            // The punctuation of Chinese prose that stays as it is (and is
            // not CJK): `、。《》〔〕“”`.
            [0xE3, 0x80, 0x81 | 0x82 | 0x8A | 0x8B | 0x94 | 0x95, ..]
            | [0xE2, 0x80, 0x9C | 0x9D, ..] => {
                cjk = false;
                at += 3;
            }
            _ => {
                *after_cjk = cjk;
                return at;
            }
        }
    }
}

/// Whitespace is dropped; full-width ASCII is folded; other characters are
/// simplified (traditional → simplified) and kept, punctuation included.
fn fold(c: char) -> Option<char> {
    if c.is_ascii() {
        return (!c.is_ascii_whitespace()).then_some(c);
    }
    if c.is_whitespace() || c == '\u{200B}' || c == '\u{FEFF}' {
        return None;
    }
    let c = match c {
        // Full-width ASCII, `（），；：％` included.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    Some(normalize::simplified(c))
}

/// A line that is only a page number (`-1-`, `— 2 —`, `- 3 -`).
fn is_page_footer(line: &str) -> bool {
    let t = line.trim();
    // Short, so a paragraph line is rejected without a scan.
    !t.is_empty()
        && t.len() <= 32
        && t.chars().any(|c| c.is_ascii_digit())
        && t.chars().all(|c| {
            c.is_ascii_digit()
                || c.is_whitespace()
                || matches!(c, '-' | '—' | '－' | '–' | '第' | '页')
        })
}

/// What a sentence states a number of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Quantity {
    /// 本年新收政府信息公开申请 (收到 / 接收 / 新收 … 申请 N 件).
    Received,
    /// 受理 … 申请 N 件: the new applications, or (as some reports count)
    /// the new ones plus those carried over from last year.
    Accepted,
    /// 办结 / 办理 / 答复 N 件: the total of the year's outcomes.
    Handled,
    /// 上年结转 N 件.
    CarriedIn,
    /// 结转下年度 N 件.
    CarriedOut,
    /// One outcome, or several named together (予以公开及部分公开 N 件).
    Outcomes(Vec<Outcome>),
    /// 行政复议 N 件.
    Review,
    /// 行政诉讼 N 件.
    Lawsuit,
    /// 行政复议和行政诉讼 N 件.
    ReviewAndLawsuit,
    /// 制发 / 废止 / 现行有效 规章 or 行政规范性文件 N 件.
    Documents { kind: DocKind, column: DocColumn },
}

/// The outcome groups of 表三 三、本年度办理结果.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Disclosed,
    PartlyDisclosed,
    Withheld,
    Unavailable,
    NotProcessed,
    OtherwiseProcessed,
}

impl Outcome {
    /// The outcome's name as the template writes it.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Disclosed => "予以公开",
            Outcome::PartlyDisclosed => "部分公开",
            Outcome::Withheld => "不予公开",
            Outcome::Unavailable => "无法提供",
            Outcome::NotProcessed => "不予处理",
            Outcome::OtherwiseProcessed => "其他处理",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocKind {
    /// 规章 (表二 row R1.1).
    Rules,
    /// 行政规范性文件 (表二 row R1.2).
    Normative,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocColumn {
    Issued,
    Repealed,
    InForce,
}

impl DocKind {
    /// The row's name in 表二.
    pub fn name(self) -> &'static str {
        match self {
            DocKind::Rules => "规章",
            DocKind::Normative => "行政规范性文件",
        }
    }
}

impl DocColumn {
    /// The verb a sentence uses for the column.
    pub fn verb(self) -> &'static str {
        match self {
            DocColumn::Issued => "制发",
            DocColumn::Repealed => "废止",
            DocColumn::InForce => "现行有效",
        }
    }
}

/// A percentage written right after a count (`208 件（17.46%）`, `占 33.9%`).
#[derive(Clone, Debug, PartialEq)]
pub struct Percent {
    pub value: f64,
    /// Digits after the decimal point.
    pub decimals: u32,
    /// Source bytes of the number and `%`.
    pub range: Range<usize>,
}

/// A number the prose states for a quantity a table holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Claim {
    pub quantity: Quantity,
    pub value: i64,
    /// Source bytes of the number.
    pub range: Range<usize>,
    /// Source bytes of the phrase, from its keyword to `件`.
    pub phrase: Range<usize>,
    pub percent: Option<Percent>,
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("built-in regex is valid"))
}

/// The object of an application statement: 政府信息公开申请, 依申请公开, 申请…
const OBJ: &str = r"(?:各类)?(?:政府信息(?:公开)?|信息公开)?(?:依申请(?:信息)?公开|申请)";
/// Words allowed between the quantity and its number: 申请数量共计为 25 件.
const FILL: &str = r"(?:数量|总数|数)?(?:共计|合计|总计|共|计)?(?:为|达|是)?";
/// An outcome keyword.
const OUTCOME: &str = r"(?:予以公开|同意公开|部分公开|不予公开|无法提供|不予处理|其他处理)";

/// Every phrasing understood, in priority order for phrases starting at the
/// same place, then the number and `件`. Each branch starts with its own
/// words, which [`quantity_of`] reads back: no capture groups, so a match
/// is found by the regex's DFA alone (capturing ran a backtracker over the
/// large automaton for every claim).
fn phrasings() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let pattern = format!(
            r"(?x)
            (?:
              (?:收到|接收|新收|受理)(?:了)?{OBJ}{FILL}          # received; accepted (受理)
            | (?:办结|办理|答复)(?:了)?(?:{OBJ})?{FILL}           # handled
            | 上(?:一)?年(?:度)?结转(?:的)?(?:{OBJ})?{FILL}       # carried in
            | 结转(?:至|到)?下(?:一)?年(?:度)?(?:继续办理)?(?:的)?(?:{OBJ})?{FILL} # carried out
            | {OUTCOME}(?:(?:以及|及|和|与|、|或)?{OUTCOME})*(?:的)?(?:答复|决定|申请)?{FILL} # outcomes
            | (?:被申请)?行政复议(?:和|及|与|、|以及)(?:被提起)?行政诉讼(?:案件)?{FILL} # both
            | (?:被申请)?行政复议(?:案件)?{FILL}                  # review
            | (?:被提起)?行政诉讼(?:案件)?{FILL}                  # lawsuit
            | (?:制发|废止|现行有效(?:的)?)(?:了)?(?:(?:行政)?规范性文件|规章){FILL} # documents
            )
            [0-9]+件"
        );
        Regex::new(&pattern).expect("built-in regex is valid")
    })
}

/// Words that make the figure something else than the report year's total.
const CUMULATIVE: [&str; 6] = ["累计", "累积", "截至", "截止", "以来", "至今"];
const ROUNDED_BEFORE: [&str; 6] = ["大约", "约", "将近", "接近", "超过", "逾"];
const ROUNDED_AFTER: [&str; 5] = ["左右", "以上", "上下", "之多", "次"];
const OTHER_YEAR: [&str; 7] = ["上年", "去年", "上一年", "前年", "往年", "历年", "同期"];
/// A qualifier that makes the figure a sub-category (unless followed by 等).
const APPLICANT: [&str; 6] = ["自然人", "法人", "企业", "机构", "社会组织", "公民"];
const CHANNEL: [&str; 11] = [
    "网上", "网络", "在线", "线上", "线下", "当面", "现场", "信函", "邮寄", "传真", "邮件",
];
const CASE_RESULT: [&str; 9] = [
    "维持",
    "纠正",
    "纠错",
    "败诉",
    "胜诉",
    "撤销",
    "审结",
    "直接起诉",
    "复议后",
];
const NEGATION: [&str; 9] = [
    "未", "不", "无", "没有", "暂无", "尚未", "拒绝", "正在", "待",
];
const TIMING: [&str; 9] = [
    "按时", "按期", "当场", "当日", "即时", "限期", "逾期", "超期", "延期",
];

/// The claims stated in `stream[range]` (a range of the stream, e.g. one
/// section's body; sentences are not read across its start). `year` is the
/// report year: a sentence naming another year gives nothing (and nothing is
/// read when the report year is unknown and a year is named).
pub fn claims(stream: &Stream, range: Range<usize>, year: Option<i32>) -> Vec<Claim> {
    let mut out: Vec<Claim> = Vec::new();
    let s = &stream.s[..range.end];
    let floor = range.start;
    let mut from = range.start;
    // Every phrase ends in `N件`: the phrasings are looked for only in a
    // window before each `件` after a digit (longer than any phrase), not
    // in the whole text. Those are found by a regex for its vectorised
    // literal search; the digit may be just before `range`.
    static UNIT: OnceLock<Regex> = OnceLock::new();
    let digit_before = range.start > 0 && s.as_bytes()[range.start - 1].is_ascii_digit();
    let search = if digit_before {
        range.start - 1
    } else {
        range.start
    };
    for unit in re(&UNIT, "[0-9]件").find_iter(&s[search..]) {
        let end = search + unit.end();
        let k = end - '件'.len_utf8();
        if k < from {
            continue;
        }
        let mut start = k.saturating_sub(PHRASE_WINDOW).max(from);
        while !s.is_char_boundary(start) {
            start += 1;
        }
        while let Some(whole) = phrasings().find_at(&s[..end], start) {
            // A phrase is read once: a rejected reading does not leave its tail
            // (`继续办理 5 件` of `结转下年度继续办理 5 件`) to be read as something else.
            from = whole.end();
            start = whole.end();
            if let Some(claim) = claim_of(stream, floor, whole, year) {
                out.push(claim);
            }
            if whole.end() == end {
                break;
            }
        }
    }
    out
}

/// More bytes than the longest phrase before its number (keyword, object
/// and filler words: about 35 characters).
const PHRASE_WINDOW: usize = 180;

fn claim_of(
    stream: &Stream,
    floor: usize,
    whole: regex::Match<'_>,
    year: Option<i32>,
) -> Option<Claim> {
    // The match is a phrase without digits, the number, then `件`.
    let before_unit = &whole.as_str()[..whole.len() - '件'.len_utf8()];
    let phrase = before_unit.trim_end_matches(|c: char| c.is_ascii_digit());
    let n = whole.start() + phrase.len()..whole.start() + before_unit.len();
    let quantity = quantity_of(phrase)?;
    if !context_allows(stream, floor, whole.start(), n.end, &quantity, year) {
        return None;
    }
    let value = stream.s[n.clone()].parse::<i64>().ok()?;
    Some(Claim {
        quantity,
        value,
        range: stream.source(n),
        phrase: stream.source(whole.range()),
        percent: percent_after(stream, whole.end()),
    })
}

/// What a phrase matched by [`phrasings`] (without its number) states.
/// The branches start with different words, so the first words tell which
/// one matched; only the three about cases share one (`(被申请)行政复议`),
/// and the one naming both is the only one with both words.
fn quantity_of(phrase: &str) -> Option<Quantity> {
    let starts = |words: &[&str]| words.iter().any(|w| phrase.starts_with(w));
    if starts(&["收到", "接收", "新收"]) {
        return Some(Quantity::Received);
    }
    if phrase.starts_with("受理") {
        return Some(Quantity::Accepted);
    }
    if starts(&["办结", "办理", "答复"]) {
        return Some(Quantity::Handled);
    }
    if phrase.starts_with('上') {
        return Some(Quantity::CarriedIn);
    }
    if phrase.starts_with("结转") {
        return Some(Quantity::CarriedOut);
    }
    if let Some(column) = [
        ("制发", DocColumn::Issued),
        ("废止", DocColumn::Repealed),
        ("现行有效", DocColumn::InForce),
    ]
    .into_iter()
    .find_map(|(verb, column)| phrase.starts_with(verb).then_some(column))
    {
        // The document is 规章 or (行政)规范性文件; no other word holds 规章.
        let kind = if phrase.contains("规章") {
            DocKind::Rules
        } else {
            DocKind::Normative
        };
        return Some(Quantity::Documents { kind, column });
    }
    match (phrase.contains("行政复议"), phrase.contains("行政诉讼")) {
        (true, true) => return Some(Quantity::ReviewAndLawsuit),
        (true, false) => return Some(Quantity::Review),
        (false, true) => return Some(Quantity::Lawsuit),
        (false, false) => {}
    }
    outcomes_in(phrase).map(Quantity::Outcomes)
}

/// The outcomes named in an outcome phrase, in order, each once (`None`
/// when the phrase does not start with one).
fn outcomes_in(phrase: &str) -> Option<Vec<Outcome>> {
    let words = [
        ("予以公开", Outcome::Disclosed),
        ("同意公开", Outcome::Disclosed),
        ("部分公开", Outcome::PartlyDisclosed),
        ("不予公开", Outcome::Withheld),
        ("无法提供", Outcome::Unavailable),
        ("不予处理", Outcome::NotProcessed),
        ("其他处理", Outcome::OtherwiseProcessed),
    ];
    if !words.iter().any(|(w, _)| phrase.starts_with(w)) {
        return None;
    }
    let mut found: Vec<Outcome> = Vec::new();
    let mut rest = phrase;
    'outer: while !rest.is_empty() {
        for (w, o) in words {
            if let Some(r) = rest.strip_prefix(w) {
                if !found.contains(&o) {
                    found.push(o);
                }
                rest = r;
                continue 'outer;
            }
        }
        rest = &rest[rest.chars().next().map_or(1, char::len_utf8)..];
    }
    Some(found)
}

/// The part of the sentence before `at` that qualifies it: from the
/// sentence start (not before `floor`), without parenthetical asides closed
/// before `at`.
pub fn lead_in(stream: &Stream, floor: usize, at: usize) -> String {
    let s = &stream.s[stream.sentence_start(at).max(floor)..at];
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    // Text outside asides is copied a stretch at a time: from `kept` to the
    // next aside. `aside` is where the last aside's text starts.
    let mut kept = 0;
    let mut aside = 0;
    for (i, c) in s.char_indices() {
        match c {
            '(' | '〔' | '[' => {
                depth += 1;
                if depth == 1 {
                    out.push_str(&s[kept..i]);
                    aside = i + c.len_utf8();
                }
            }
            ')' | '〕' | ']' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    kept = i + c.len_utf8();
                }
            }
            _ => {}
        }
    }
    if depth == 0 {
        out.push_str(&s[kept..]);
    } else {
        // An aside still open at `at` is the claim's own context (`（含上年结转 189 件`):
        // all of it, nested brackets included.
        out.push_str(&s[aside..]);
    }
    out
}

/// Four-digit years written before `年` in `s`, as successive matches of
/// `(?:^|[^0-9])((?:19|20)[0-9]{2})年` find them: a year stands at the
/// start or after a character that is no digit and not the `年` of the year
/// before (`2020年2021年` holds one).
pub fn years_in(s: &str) -> Vec<i32> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    // Where the last year found ends: the character before a year is part
    // of its match, so it cannot be part of the last one.
    let mut free_from = 0;
    for (k, _) in s.match_indices('年') {
        let Some(y) = k.checked_sub(4) else { continue };
        let digits = &b[y..k];
        let plausible = digits.iter().all(u8::is_ascii_digit)
            && (digits.starts_with(b"19") || digits.starts_with(b"20"));
        // (The last byte of a character that is no ASCII digit is none.)
        let stands = y == 0 || (y > free_from && !b[y - 1].is_ascii_digit());
        if plausible && stands {
            out.extend(s[y..k].parse::<i32>().ok());
            free_from = k + '年'.len_utf8();
        }
    }
    out
}

/// A short text and the characters in it, to tell at once that a word is
/// absent. A word occurs only where its first character does, and every
/// character of the text sets its bit (its code point modulo 256), so a
/// word whose first character's bit is clear cannot occur; a set bit may
/// be another character's, and such a word is looked for in the text.
/// Most words looked for are absent: this saves a substring search each.
struct Words<'a> {
    s: &'a str,
    bits: [u64; 4],
}

impl<'a> Words<'a> {
    fn new(s: &'a str) -> Words<'a> {
        let mut bits = [0; 4];
        for c in s.chars() {
            let b = c as usize % 256;
            bits[b / 64] |= 1 << (b % 64);
        }
        Words { s, bits }
    }

    fn may_hold(&self, w: &str) -> bool {
        w.chars().next().is_none_or(|c| {
            let b = c as usize % 256;
            self.bits[b / 64] >> (b % 64) & 1 == 1
        })
    }

    fn find(&self, w: &str) -> Option<usize> {
        if self.may_hold(w) {
            self.s.find(w)
        } else {
            None
        }
    }

    fn contains(&self, w: &str) -> bool {
        self.may_hold(w) && self.s.contains(w)
    }

    fn contains_any(&self, words: &[&str]) -> bool {
        words.iter().any(|w| self.contains(w))
    }
}

/// Whether none of `words` occurs in `s`, or the first one found is
/// followed by `等` (a list that covers everything: `属信访、重复申请等`,
/// `因本机关不掌握等原因`).
fn qualifier_absent_or_general(s: &Words<'_>, words: &[&str]) -> bool {
    let first = words
        .iter()
        .filter_map(|w| s.find(w).map(|i| i + w.len()))
        .min();
    match first {
        None => true,
        Some(end) => s.s[end..].contains('等'),
    }
}

fn context_allows(
    stream: &Stream,
    floor: usize,
    start: usize,
    number_end: usize,
    quantity: &Quantity,
    year: Option<i32>,
) -> bool {
    let s = stream.s.as_str();
    let lead_text = lead_in(stream, floor, start);
    let lead = Words::new(&lead_text);
    let clause = Words::new(&s[stream.clause_start(start).max(floor)..start]);
    // Another year, or a year when the report year is unknown.
    let years = years_in(&lead_text);
    if years.iter().any(|&y| Some(y) != year) {
        return false;
    }
    let relative_ok = matches!(quantity, Quantity::CarriedIn);
    if !relative_ok && lead.contains_any(&OTHER_YEAR) {
        return false;
    }
    if lead.contains_any(&CUMULATIVE) {
        return false;
    }
    if clause.contains_any(&ROUNDED_BEFORE) {
        return false;
    }
    let after = s[number_end..]
        .strip_prefix('件')
        .unwrap_or(&s[number_end..]);
    if ROUNDED_AFTER.iter().any(|w| after.starts_with(w)) {
        return false;
    }
    // A negation or timing word right before the keyword (`未予以公开`, `按时办结`).
    let before = &s[s[..start].char_indices().rev().nth(2).map_or(0, |(i, _)| i)..start];
    if NEGATION.iter().chain(&TIMING).any(|w| before.ends_with(w)) {
        return false;
    }
    let is_outcome = matches!(quantity, Quantity::Outcomes(_));
    let is_case = matches!(
        quantity,
        Quantity::Review | Quantity::Lawsuit | Quantity::ReviewAndLawsuit
    );
    // A sub-category of something said before: `……，其中自然人申请 741 件`.
    if !is_outcome && lead.contains("其中") {
        return false;
    }
    if !qualifier_absent_or_general(&lead, &APPLICANT)
        || !qualifier_absent_or_general(&lead, &CHANNEL)
    {
        return false;
    }
    if is_outcome && !qualifier_absent_or_general(&clause, &["因", "属于", "属", "由于"]) {
        return false;
    }
    if is_case
        && (!qualifier_absent_or_general(&lead, &CASE_RESULT)
            || clause.contains_any(&["新增", "新收", "新发生"]))
    {
        return false;
    }
    true
}

/// A percentage right after the phrase: `（17.46%）`, `，占 33.9%`, `，占比为 5%`.
fn percent_after(stream: &Stream, at: usize) -> Option<Percent> {
    static PCT: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &PCT,
        r"^(?:\(|,?占(?:比)?(?:为)?)(?P<p>[0-9]{1,3}(?:\.(?P<d>[0-9]{1,3}))?)%",
    );
    let caps = r.captures(&stream.s[at..])?;
    let p = caps.name("p")?;
    let value: f64 = p.as_str().parse().ok()?;
    let decimals = caps.name("d").map_or(0, |d| d.as_str().len() as u32);
    let range = stream.source(at + p.start()..at + p.end() + 1);
    Some(Percent {
        value,
        decimals,
        range,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, year: i32) -> Vec<(Quantity, i64)> {
        let stream = Stream::new(text, 0..text.len(), &[]);
        claims(&stream, 0..stream.s.len(), Some(year))
            .into_iter()
            .map(|c| (c.quantity, c.value))
            .collect()
    }

    #[test]
    fn stream_maps_back_across_line_breaks_and_footers() {
        let text = "全市共受理政府信息公开申请 3119 件，答\n   - 3 -\n复 3050 件";
        let stream = Stream::new(text, 0..text.len(), &[]);
        assert_eq!(stream.s, "全市共受理政府信息公开申请3119件,答复3050件");
        let c = claims(&stream, 0..stream.s.len(), Some(2024));
        assert_eq!(c.len(), 2);
        assert_eq!(&text[c[0].range.clone()], "3119");
        assert_eq!(&text[c[1].range.clone()], "3050");
        assert_eq!(&text[c[1].phrase.clone()], "答\n   - 3 -\n复 3050 件");
    }

    #[test]
    fn traditional_and_full_width() {
        assert_eq!(
            read("本年度收到政府信息公開申請２５件。", 2023),
            [(Quantity::Received, 25)]
        );
    }

    #[test]
    fn other_year_cumulative_rounded_and_subcategory_give_nothing() {
        assert_eq!(read("2022年，我局收到政府信息公开申请25件。", 2023), []);
        assert_eq!(read("累计收到政府信息公开申请25件。", 2023), []);
        assert_eq!(read("收到政府信息公开申请约25件。", 2023), []);
        assert_eq!(read("收到政府信息公开申请25余件。", 2023), []);
        assert_eq!(read("收到政府信息公开申请25件左右。", 2023), []);
        assert_eq!(
            read("收到申请 30 件，其中网上收到申请 25 件。", 2023),
            [(Quantity::Received, 30)]
        );
        assert_eq!(read("因本机关不掌握相关政府信息无法提供 3 件。", 2023), []);
        assert_eq!(read("未予以公开 3 件。", 2023), []);
    }

    /// The stream folded one character at a time, and the source of every
    /// character as the segments must tell it: `(offset in s, source start,
    /// source length)`.
    fn char_by_char(text: &str, skip: &[Range<usize>]) -> (String, Vec<(usize, usize, usize)>) {
        let mut out = Vec::new();
        let mut s = String::new();
        let mut line_start = 0;
        while line_start < text.len() {
            let line_end = text[line_start..]
                .find('\n')
                .map_or(text.len(), |i| line_start + i);
            let inside = skip
                .iter()
                .any(|r| r.start <= line_start && line_end <= r.end);
            if !inside && !is_page_footer(&text[line_start..line_end]) {
                let mut prev_cjk = false;
                let mut at = line_start;
                while at < line_end {
                    if let Some(r) = skip.iter().find(|r| r.contains(&at)) {
                        at = r.end;
                        while !text.is_char_boundary(at) {
                            at += 1;
                        }
                        continue;
                    }
                    let c = text[at..].chars().next().unwrap();
                    if prev_cjk && (c == '(' || c == '（') {
                        if let Some(n) = normalize::pinyin_residue_len(&text[at..line_end]) {
                            at += n;
                            continue;
                        }
                    }
                    let cjk = normalize::is_cjk(c);
                    prev_cjk = cjk;
                    let folded = if cjk {
                        Some(normalize::simplified(c))
                    } else {
                        fold(c)
                    };
                    if let Some(f) = folded {
                        out.push((s.len(), at, c.len_utf8()));
                        s.push(f);
                    }
                    at += c.len_utf8();
                }
            }
            line_start = line_end + 1;
        }
        (s, out)
    }

    #[test]
    fn years_in_reads_as_the_regex() {
        let regex = Regex::new(r"(?:^|[^0-9])((?:19|20)[0-9]{2})年").unwrap();
        for s in [
            "",
            "年",
            "2023年",
            "12023年",
            "x2023年2024年",
            "2020年,2021年与1999年",
            "20２3年 2023年度",
            "𠮷2023年３2022年1899年2100年",
            "年2023年年2024年",
            "203年 2023 年 \n2023年",
        ] {
            let want: Vec<i32> = regex
                .captures_iter(s)
                .map(|c| c[1].parse().unwrap())
                .collect();
            assert_eq!(years_in(s), want, "{s}");
        }
    }

    #[test]
    fn lead_in_drops_closed_asides_and_keeps_an_open_one() {
        let lead = |text: &str| {
            let stream = Stream::new(text, 0..text.len(), &[]);
            lead_in(&stream, 0, stream.s.len())
        };
        assert_eq!(lead("上句。A(B)C〔D(E)F〕G[H"), "ACGH");
        assert_eq!(lead("A)B(C(D)E"), "A)BC(D)E");
        assert_eq!(lead("共（含上年结转 189 件"), "共含上年结转189件");
    }

    #[test]
    fn segments_map_like_a_map_per_character() {
        let text = "全市 共受理（含上年）䶵䷀“一”、《政府》〔信息〕公開申請。 3119 件，答\n   - 3 -\n復 3050 件；\u{200B}𠮷２５件開(kāi)展 A\tB\r\n表格 1 2 3\n尾句（kāi）。";
        let table = text.find("表格").unwrap();
        let second_line = text.find('\n').unwrap() + 1;
        let lines = second_line..text.find("展 A").unwrap();
        for skip in [
            None,
            Some(table..table + "表格 1 2".len()),
            Some(3..9),
            Some(lines.clone()),
            Some(lines.start..lines.end + 1),
            Some(lines.start - 1..text.len()),
        ] {
            let skip: Vec<Range<usize>> = skip.into_iter().collect();
            let stream = Stream::new(text, 0..text.len(), &skip);
            let (folded, chars) = char_by_char(text, &skip);
            assert_eq!(stream.s, folded);
            let n = stream.s.len();
            let index = |at: usize| match chars.binary_search_by_key(&at, |c| c.0) {
                Ok(i) => i,
                Err(i) => i.saturating_sub(1),
            };
            for a in 0..=n + 1 {
                for b in a..=n + 1 {
                    let (first, last) = (chars[index(a)], chars[index(b.max(a + 1) - 1)]);
                    assert_eq!(stream.source(a..b), first.1..last.1 + last.2, "{a}..{b}");
                }
            }
            for offset in 0..=text.len() + 1 {
                let i = chars.partition_point(|c| c.1 < offset);
                let want = chars.get(i).map_or(n, |c| c.0);
                assert_eq!(stream.at_source(offset), want, "at_source({offset})");
            }
        }
        assert_eq!(Stream::new("", 0..0, &[]).source(0..1), 0..0);
        assert_eq!(Stream::new(" \n", 0..2, &[]).at_source(0), 0);
    }
}

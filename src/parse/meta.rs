//! Title, statistical period, publication date and format citations.

use crate::text::floor_char_boundary;
use std::sync::OnceLock;

use regex::Regex;

use crate::model::{
    Citation, DateAt, Format, Period, PeriodDate, Section, Title, YearClaim, YearSource,
};

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("built-in regex is valid"))
}

/// Where the literals that the period, publication-date and citation
/// patterns cannot match without stand in the text. One literal scan finds
/// them all; each pattern then starts at the first place a match could
/// begin, and not at all in a text without its literals. (The patterns'
/// own scans stop at every `政` or `公` their prefixes start with, which
/// these texts are full of.)
pub struct Anchors {
    /// First `日期`, `时间` or `時間`: a publication date's label ends with one.
    date_label: Option<usize>,
    /// First `统计` or `所列数据`: a period sentence starts with one, or with
    /// `数据` right before `统计`.
    period: Option<usize>,
    /// Where a citation may start: before each `办函` (`国办公开办函`) and
    /// `报告格式` (`政府信息公开工作年度报告格式`), in text order.
    citations: Vec<usize>,
}

/// The literals of [`Anchors`]. No two can overlap (none ends with a
/// character another starts with), so a scan finds every occurrence.
const ANCHOR_LITERALS: &str = "日期|时间|時間|统计|所列数据|办函|报告格式";

impl Anchors {
    pub fn find(text: &str) -> Self {
        static ANCHORS: OnceLock<Regex> = OnceLock::new();
        let r = re(&ANCHORS, ANCHOR_LITERALS);
        let mut anchors = Anchors {
            date_label: None,
            period: None,
            citations: Vec::new(),
        };
        for m in r.find_iter(text) {
            let at = m.start();
            match m.as_str() {
                "日期" | "时间" | "時間" => {
                    anchors.date_label.get_or_insert(at);
                }
                "统计" | "所列数据" => {
                    anchors.period.get_or_insert(at);
                }
                "办函" => anchors.citations.extend(before(text, at, "国办公开")),
                _ => anchors
                    .citations
                    .extend(before(text, at, "政府信息公开工作年度")),
            }
        }
        // `报告格式` comes 30 bytes into its citation, `办函` 12: a later
        // `报告格式` may start a citation before an earlier `办函`.
        anchors.citations.sort_unstable();
        anchors
    }
}

/// The start of `prefix` when it stands right before byte `at` of `text`.
fn before(text: &str, at: usize, prefix: &str) -> Option<usize> {
    let start = at.checked_sub(prefix.len())?;
    (text.get(start..at) == Some(prefix)).then_some(start)
}

/// `at` less `back` bytes, moved down to a character boundary (a search
/// may start anywhere before the first possible match).
fn back_off(text: &str, at: usize, back: usize) -> usize {
    floor_char_boundary(text, at.saturating_sub(back))
}

/// How far into the text a title may stand when no section heading bounds it.
const TITLE_SEARCH_BYTES: usize = 4096;

/// The report title: the first `…{Y}年(度)…政府信息公开…年度报告` before section 一.
pub fn title(text: &str, sections: &[Section]) -> Option<Title> {
    static TITLE: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &TITLE,
        // The agency may stand between the year and 政府信息公开
        // (`2022年某市政府信息公开工作年度报告`); 年度 may be left out (`…工作报告`).
        r"([12][0-9]{3})\s*年\s*度?\s*[^。，,\n0-9]{0,20}?(?:政府信息公开|政务公开|信息公开)[^。\n]{0,12}?(?:年度报告|年报|工作报告)",
    );
    let limit = sections
        .iter()
        .find(|s| s.number == 1)
        .map_or(TITLE_SEARCH_BYTES.min(text.len()), |s| s.range.start);
    let limit = floor_char_boundary(text, limit);
    let head = &text[..limit];
    let caps = r.captures(head)?;
    let m = caps.get(0)?;
    let y = caps.get(1)?;
    // The whole line when it is short (an agency name often precedes the year), else the match.
    let line_start = head[..m.start()].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[m.end()..]
        .find('\n')
        .map_or(text.len(), |i| m.end() + i);
    let line = &text[line_start..line_end];
    let (start, end) = if line.chars().count() <= 80 {
        let (s, e) = without_markup(line);
        (line_start + s, line_start + e)
    } else {
        (m.start(), m.end())
    };
    Some(Title {
        range: start..end,
        text: text[start..end].to_string(),
        year: y.as_str().parse().ok(),
        year_range: Some(y.range()),
    })
}

/// The part of a title line that is the title: without surrounding
/// whitespace and Markdown markup (`# `, closing `#`s, `> `, `**…**`,
/// `*…*`, `__…__`). Returns byte offsets into `line`.
fn without_markup(line: &str) -> (usize, usize) {
    const SPACE: [char; 3] = [' ', '\t', '\u{3000}'];
    let mut t = line.trim_matches(|c: char| c.is_whitespace());
    loop {
        let before = t;
        t = t.trim_start_matches('>').trim_start_matches(SPACE);
        let hashes = t.len() - t.trim_start_matches('#').len();
        if (1..=6).contains(&hashes) && t[hashes..].starts_with(SPACE) {
            t = t[hashes..].trim_start_matches(SPACE);
            // A closing sequence is `#`s after a space.
            let body = t.trim_end_matches('#');
            if body.len() < t.len() && body.ends_with(SPACE) {
                t = body.trim_end_matches(SPACE);
            }
        }
        for mark in ["**", "__", "*", "_"] {
            if t.len() > 2 * mark.len() && t.starts_with(mark) && t.ends_with(mark) {
                t = &t[mark.len()..t.len() - mark.len()];
                break;
            }
        }
        t = t.trim_matches(SPACE);
        if t == before {
            break;
        }
    }
    let start = t.as_ptr() as usize - line.as_ptr() as usize;
    (start, start + t.len())
}

/// The statistical-period sentence (统计期限).
pub fn period(text: &str, anchors: &Anchors) -> Option<Period> {
    static PERIOD: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &PERIOD,
        r"(?x)
        (?:统计(?:期限|时限|时间段|时段|区间|期间|周期|范围)|统计数据|所列数据|数据统计)
        # A line break may fall inside the sentence (text extracted from PDF).
        [^。]{0,24}?
        # A number may be cut by a line break too (`12月3` / `1日`).
        (?P<sy>[12](?:\r?\n?[0-9]){3})\s*年?\s*(?P<sm>[0-9](?:\r?\n?[0-9])?)\s*月?\s*(?P<sd>[0-9](?:\r?\n?[0-9])?)\s*日?\s*起?\s*
        (?:至|到|—|－|-|~|～)\s*
        (?:
          (?:(?P<ey>[12](?:\r?\n?[0-9]){3})\s*年?\s*)?(?P<em>[0-9](?:\r?\n?[0-9])?)\s*月\s*(?P<ed>[0-9](?:\r?\n?[0-9])?)\s*日?
          |
          (?P<open>今|目前|现在|发稿|截至目前)
        )",
    );
    // A match starts at `统计` or `所列数据`, or at `数据` (6 bytes) before `统计`.
    let caps = r.captures_at(text, back_off(text, anchors.period?, "数据".len()))?;
    // The digits of a number, a line break inside it dropped.
    let digits =
        |m: regex::Match| -> String { m.as_str().chars().filter(char::is_ascii_digit).collect() };
    let num = |name: &str| caps.name(name).and_then(|m| digits(m).parse::<u32>().ok());
    let start_md =
        caps.name("sm")?.start()..caps.name("sd")?.end() + day_suffix(text, caps.name("sd")?.end());
    let sy = caps.name("sy")?;
    let start = PeriodDate {
        year: digits(sy).parse().ok(),
        year_range: Some(sy.range()),
        month: num("sm")?,
        day: num("sd")?,
        md_range: start_md,
    };
    let (end, end_range) = if let Some(open) = caps.name("open") {
        (None, open.range())
    } else {
        let em = caps.name("em")?;
        let ed = caps.name("ed")?;
        let ey = caps.name("ey");
        let md_range = em.start()..ed.end() + day_suffix(text, ed.end());
        let whole = ey.map_or(em.start(), |y| y.start())..md_range.end;
        (
            Some(PeriodDate {
                year: ey.and_then(|y| digits(y).parse().ok()),
                year_range: ey.map(|y| y.range()),
                month: num("em")?,
                day: num("ed")?,
                md_range,
            }),
            whole,
        )
    };
    let whole = caps.get(0)?;
    Some(Period {
        range: whole.start()..end_range.end.max(whole.end()),
        start,
        end,
        end_range,
    })
}

/// Length of a `日` right after a day number, so that ranges cover `1月1日`.
fn day_suffix(text: &str, at: usize) -> usize {
    if text[at..].starts_with('日') {
        '日'.len_utf8()
    } else {
        0
    }
}

/// The publication date in page furniture (发布日期, 公开日期, 成文日期).
pub fn published(text: &str, anchors: &Anchors) -> Option<DateAt> {
    static PUBLISHED: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &PUBLISHED,
        r"(?:发布|公开|成文|印发|發布|公開)(?:日期|时间|時間)\s*[:：]?\s*([12][0-9]{3})\s*[-年/.]\s*([0-9]{1,2})\s*[-月/.]\s*([0-9]{1,2})",
    );
    // A match starts with a two-character word (6 bytes) before its date label.
    let caps = r.captures_at(text, back_off(text, anchors.date_label?, "发布".len()))?;
    let y = caps.get(1)?;
    Some(DateAt {
        year: y.as_str().parse().ok()?,
        month: caps.get(2)?.as_str().parse().ok()?,
        day: caps.get(3)?.as_str().parse().ok()?,
        range: caps.get(0)?.range(),
        year_range: y.range(),
    })
}

/// Citations of the format notices: by number (国办公开办函〔2021〕30号), or
/// the 2019 format by its title, which alone says 试行.
pub fn citations(text: &str, anchors: &Anchors) -> Vec<Citation> {
    static CITE: OnceLock<Regex> = OnceLock::new();
    // Anchored: tried only where a citation can start (`anchors`). Every
    // match starts at one of those places, so trying them in order, each
    // after the last match's end, finds what an unanchored search for
    // successive matches finds.
    let r = re(
        &CITE,
        r"^(?:国办公开办函\s*[〔\[（(【]?\s*(2019|2021)\s*[〕\]）)】]?\s*(60|30)\s*号|政府信息公开工作年度报告格式\s*[（(]\s*试行\s*[）)])",
    );
    let mut out = Vec::new();
    let mut searched_to = 0;
    for &start in &anchors.citations {
        if start < searched_to {
            continue;
        }
        let Some(c) = r.captures(&text[start..]) else {
            continue;
        };
        let Some(whole) = c.get(0) else {
            continue;
        };
        searched_to = start + whole.end();
        let format = match (c.get(1).map(|m| m.as_str()), c.get(2).map(|m| m.as_str())) {
            (Some("2019"), Some("60")) | (None, None) => Format::F2019,
            (Some("2021"), Some("30")) => Format::F2021,
            _ => continue,
        };
        out.push(Citation {
            format,
            range: start..searched_to,
        });
    }
    out
}

/// Years the report states as its own outside the title: a preface naming
/// the year's 总体情况 (`全文包括2023年总体情况…`), and the first sentence of
/// 一、总体情况 when it opens with a year (`2023年，我局…`).
pub fn stated_years(text: &str, sections: &[Section]) -> Vec<YearClaim> {
    static PREFACE: OnceLock<Regex> = OnceLock::new();
    static OPENING: OnceLock<Regex> = OnceLock::new();
    let preface = re(
        &PREFACE,
        r"([12][0-9]{3})\s*年\s*度?\s*(?:的\s*)?(?:政府信息公开|政务公开)?(?:工作)?\s*总体情况",
    );
    // The year, then anything but 以来 (`2019年以来` looks back, it is no claim).
    let opening = re(
        &OPENING,
        r"^[\s　]*(?:[（(][一二三四五六七八九十][）)][^。\n]{0,24}\n[\s　]*)?([12][0-9]{3})\s*年\s*度?\s*[，,、\s]?[^以来]",
    );
    // `编制了 2024 年度政务公开工作报告` (a line break may fall inside).
    static COMPILED: OnceLock<Regex> = OnceLock::new();
    let compiled = re(
        &COMPILED,
        r"编[制写]了?[^。]{0,24}?([12][0-9]{3})\s*年\s*度?[^。0-9]{0,24}?(?:政府信息公开|政务公开)[^。]{0,10}?报\s*告",
    );
    let mut out = Vec::new();
    let first = sections.iter().find(|s| s.number == 1);
    let head_end = first.map_or(0, |s| s.range.start);
    let preface_match = preface
        .captures(&text[..head_end])
        .or_else(|| compiled.captures(&text[..head_end]));
    if let Some(c) = preface_match {
        if let Some(y) = c.get(1) {
            out.push(YearClaim {
                year: y.as_str().parse().unwrap_or(0),
                range: y.range(),
                source: YearSource::Preface,
            });
        }
    }
    if let Some(s) = first {
        let end = floor_char_boundary(text, (s.body.start + 240).min(s.body.end));
        if let Some(y) = opening
            .captures(&text[s.body.start..end])
            .and_then(|c| c.get(1))
        {
            out.push(YearClaim {
                year: y.as_str().parse().unwrap_or(0),
                range: s.body.start + y.start()..s.body.start + y.end(),
                source: YearSource::Overview,
            });
        }
    }
    out
}

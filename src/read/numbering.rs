//! Word's generated list numbers: `numbering.xml` (abstract lists and their
//! instances) and the numbering paragraph styles carry, so that a heading
//! typed as `总体情况` in a list numbered `一、` reads as `一、总体情况`.

use std::collections::HashMap;

use quick_xml::events::{BytesStart, Event};

/// One level of a list: how its number is written.
#[derive(Clone, Debug, Default)]
struct Level {
    start: i64,
    format: String,
    /// `%1、`, `（%2）`, `%1.%2`.
    text: String,
    /// `tab` (default), `space` or `nothing` after the number.
    suffix: String,
    legal: bool,
}

#[derive(Clone, Debug, Default)]
struct Instance {
    abstract_id: String,
    /// Level → start override.
    starts: HashMap<u8, i64>,
}

/// A paragraph style: what it inherits and what it sets.
#[derive(Clone, Debug, Default)]
struct Style {
    name: String,
    based_on: Option<String>,
    num_id: Option<String>,
    ilvl: Option<u8>,
    outline: Option<u8>,
}

/// The numbering definitions and styles of a package, and the running counters.
#[derive(Debug, Default)]
pub struct Numbering {
    abstracts: HashMap<String, HashMap<u8, Level>>,
    instances: HashMap<String, Instance>,
    styles: HashMap<String, Style>,
    counters: HashMap<String, [Option<i64>; 9]>,
}

fn val(e: &BytesStart, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

fn level_no(e: &BytesStart) -> Option<u8> {
    val(e, b"ilvl")
        .or_else(|| val(e, b"val"))
        .and_then(|v| v.parse::<u8>().ok())
        .filter(|l| *l < 9)
}

/// What a paragraph says about its numbering and outline level.
#[derive(Clone, Debug, Default)]
pub struct ParaProps {
    pub style: Option<String>,
    pub num_id: Option<String>,
    pub ilvl: Option<u8>,
    pub outline: Option<u8>,
}

impl Numbering {
    /// Read `numbering.xml` and `styles.xml` (either may be absent or broken:
    /// numbering is then simply not generated).
    pub fn new(numbering: Option<&[u8]>, styles: Option<&[u8]>) -> Numbering {
        let mut n = Numbering::default();
        if let Some(xml) = numbering {
            n.read_numbering(xml);
        }
        if let Some(xml) = styles {
            n.read_styles(xml);
        }
        n
    }

    fn read_numbering(&mut self, xml: &[u8]) {
        let mut r = quick_xml::Reader::from_reader(xml);
        let mut abs: Option<String> = None;
        let mut level: Option<(u8, Level)> = None;
        let mut num: Option<(String, Instance)> = None;
        let mut override_level: Option<u8> = None;
        loop {
            let (e, empty) = match r.read_event() {
                Ok(Event::Start(e)) => (e, false),
                Ok(Event::Empty(e)) => (e, true),
                Ok(Event::End(e)) => {
                    match e.local_name().as_ref() {
                        b"lvl" => {
                            if let (Some(a), Some((i, l))) = (&abs, level.take()) {
                                self.abstracts.entry(a.clone()).or_default().insert(i, l);
                            }
                        }
                        b"abstractNum" => abs = None,
                        b"num" => {
                            if let Some((id, inst)) = num.take() {
                                self.instances.insert(id, inst);
                            }
                        }
                        b"lvlOverride" => override_level = None,
                        _ => {}
                    }
                    continue;
                }
                Ok(Event::Eof) | Err(_) => break,
                Ok(_) => continue,
            };
            match e.local_name().as_ref() {
                b"abstractNum" => abs = val(&e, b"abstractNumId"),
                b"lvl" if abs.is_some() && !empty => {
                    level = level_no(&e).map(|i| {
                        (
                            i,
                            Level {
                                start: 1,
                                format: "decimal".into(),
                                suffix: "tab".into(),
                                ..Level::default()
                            },
                        )
                    });
                }
                b"start" => {
                    if let (Some((_, l)), Some(v)) = (&mut level, val(&e, b"val")) {
                        l.start = v.parse().unwrap_or(1);
                    }
                }
                b"numFmt" => {
                    if let (Some((_, l)), Some(v)) = (&mut level, val(&e, b"val")) {
                        l.format = v;
                    }
                }
                b"lvlText" => {
                    if let (Some((_, l)), Some(v)) = (&mut level, val(&e, b"val")) {
                        l.text = v;
                    }
                }
                b"suff" => {
                    if let (Some((_, l)), Some(v)) = (&mut level, val(&e, b"val")) {
                        l.suffix = v;
                    }
                }
                b"isLgl" => {
                    if let Some((_, l)) = &mut level {
                        l.legal = val(&e, b"val").is_none_or(|v| v != "0" && v != "false");
                    }
                }
                b"num" if !empty => {
                    num = val(&e, b"numId").map(|id| (id, Instance::default()));
                }
                b"abstractNumId" => {
                    if let (Some((_, inst)), Some(v)) = (&mut num, val(&e, b"val")) {
                        inst.abstract_id = v;
                    }
                }
                b"lvlOverride" => override_level = level_no(&e),
                b"startOverride" => {
                    if let (Some((_, inst)), Some(i), Some(v)) =
                        (&mut num, override_level, val(&e, b"val"))
                    {
                        inst.starts.insert(i, v.parse().unwrap_or(1));
                    }
                }
                _ => {}
            }
        }
    }

    fn read_styles(&mut self, xml: &[u8]) {
        let mut r = quick_xml::Reader::from_reader(xml);
        let mut style: Option<(String, Style)> = None;
        loop {
            let e = match r.read_event() {
                Ok(Event::Start(e) | Event::Empty(e)) => e,
                Ok(Event::End(e)) => {
                    if e.local_name().as_ref() == b"style" {
                        if let Some((id, s)) = style.take() {
                            self.styles.insert(id, s);
                        }
                    }
                    continue;
                }
                Ok(Event::Eof) | Err(_) => break,
                Ok(_) => continue,
            };
            let Some((_, s)) = &mut style else {
                if e.local_name().as_ref() == b"style" {
                    style = val(&e, b"styleId").map(|id| (id, Style::default()));
                }
                continue;
            };
            match e.local_name().as_ref() {
                b"name" => s.name = val(&e, b"val").unwrap_or_default(),
                b"basedOn" => s.based_on = val(&e, b"val"),
                b"numId" => s.num_id = val(&e, b"val"),
                b"ilvl" => s.ilvl = val(&e, b"val").and_then(|v| v.parse().ok()),
                b"outlineLvl" => s.outline = val(&e, b"val").and_then(|v| v.parse().ok()),
                _ => {}
            }
        }
    }

    /// A style property, looked up through `basedOn` (at most 16 steps).
    fn style_prop<T>(&self, id: &str, get: impl Fn(&Style) -> Option<T>) -> Option<T> {
        let mut at = self.styles.get(id);
        for _ in 0..16 {
            let s = at?;
            if let Some(v) = get(s) {
                return Some(v);
            }
            at = s.based_on.as_ref().and_then(|b| self.styles.get(b));
        }
        None
    }

    /// The outline level of a paragraph (0 = top heading), from its own
    /// properties, its style, or a heading style's name.
    pub fn outline(&self, p: &ParaProps) -> Option<u8> {
        p.outline.filter(|l| *l < 9).or_else(|| {
            let id = p.style.as_deref()?;
            self.style_prop(id, |s| {
                s.outline.or_else(|| {
                    let lower = s.name.to_ascii_lowercase();
                    let n = lower
                        .strip_prefix("heading ")
                        .or_else(|| s.name.strip_prefix("标题 "))?;
                    n.trim().parse::<u8>().ok().map(|n| n.saturating_sub(1))
                })
            })
        })
    }

    /// The number Word shows in front of this paragraph, advancing the
    /// list's counters; `None` when the paragraph is not numbered (or
    /// numbered with bullets).
    pub fn next(&mut self, p: &ParaProps) -> Option<String> {
        let style = p.style.as_deref();
        let num_id = p
            .num_id
            .clone()
            .or_else(|| style.and_then(|s| self.style_prop(s, |st| st.num_id.clone())))?;
        if num_id == "0" {
            return None;
        }
        let ilvl = p
            .ilvl
            .or_else(|| style.and_then(|s| self.style_prop(s, |st| st.ilvl)))
            .unwrap_or(0)
            .min(8);
        let inst = self.instances.get(&num_id)?;
        let levels = self.abstracts.get(&inst.abstract_id)?;
        let key = if inst.starts.is_empty() {
            format!("a{}", inst.abstract_id)
        } else {
            format!("n{num_id}")
        };
        let start_of = |i: u8| {
            inst.starts
                .get(&i)
                .copied()
                .or_else(|| levels.get(&i).map(|l| l.start))
                .unwrap_or(1)
        };
        let counters = self.counters.entry(key).or_insert([None; 9]);
        let i = usize::from(ilvl);
        counters[i] = Some(counters[i].map_or(start_of(ilvl), |n| n + 1));
        for deeper in counters.iter_mut().skip(i + 1) {
            *deeper = None;
        }
        let level = levels.get(&ilvl)?;
        if matches!(level.format.as_str(), "bullet" | "none") || level.text.is_empty() {
            return None;
        }
        let mut out = String::new();
        let mut chars = level.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%' {
                if let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                    chars.next();
                    let l = (d as u8).saturating_sub(1).min(8);
                    let n = counters[usize::from(l)].unwrap_or_else(|| start_of(l));
                    let fmt = levels.get(&l).map_or("decimal", |lv| lv.format.as_str());
                    let fmt = if level.legal { "decimal" } else { fmt };
                    out.push_str(&format_number(n, fmt));
                    continue;
                }
            }
            out.push(c);
        }
        if level.suffix == "space" {
            out.push(' ');
        }
        Some(out)
    }
}

const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五.
fn chinese(n: i64) -> String {
    if !(0..10000).contains(&n) {
        return n.to_string();
    }
    if n < 10 {
        return DIGITS[n as usize].to_string();
    }
    let units = [(1000, '千'), (100, '百'), (10, '十')];
    let mut out = String::new();
    let mut rest = n;
    let mut zero = false;
    for (u, name) in units {
        let d = rest / u;
        rest %= u;
        if d > 0 {
            if zero {
                out.push('零');
                zero = false;
            }
            // 十二, not 一十二, when ten is the leading unit.
            if !(u == 10 && d == 1 && out.is_empty()) {
                out.push(DIGITS[d as usize]);
            }
            out.push(name);
        } else if !out.is_empty() {
            zero = true;
        }
    }
    if rest > 0 {
        if zero {
            out.push('零');
        }
        out.push(DIGITS[rest as usize]);
    }
    out
}

fn letters(n: i64, base: u8) -> String {
    if n < 1 {
        return n.to_string();
    }
    // Word repeats the letter: a … z, aa … zz.
    let k = ((n - 1) / 26 + 1) as usize;
    let c = (base + ((n - 1) % 26) as u8) as char;
    std::iter::repeat_n(c, k).collect()
}

fn roman(n: i64) -> String {
    if !(1..4000).contains(&n) {
        return n.to_string();
    }
    let table = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    let mut rest = n;
    for (v, s) in table {
        while rest >= v {
            out.push_str(s);
            rest -= v;
        }
    }
    out
}

/// A number in one of Word's `numFmt` formats (unknown formats: decimal).
pub fn format_number(n: i64, format: &str) -> String {
    match format {
        "chineseCounting"
        | "chineseCountingThousand"
        | "japaneseCounting"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "koreanCounting" => chinese(n),
        "ideographDigital" | "taiwaneseDigital" | "japaneseDigitalTenThousand" => n
            .to_string()
            .chars()
            .map(|d| d.to_digit(10).map_or(d, |d| DIGITS[d as usize]))
            .collect(),
        "chineseLegalSimplified" => {
            const LEGAL: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
            chinese(n)
                .chars()
                .map(|c| match DIGITS.iter().position(|&d| d == c) {
                    Some(i) => LEGAL[i],
                    None => match c {
                        '十' => '拾',
                        '百' => '佰',
                        '千' => '仟',
                        c => c,
                    },
                })
                .collect()
        }
        "ideographTraditional" => {
            const STEMS: [char; 10] = ['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'];
            usize::try_from(n - 1)
                .ok()
                .and_then(|i| STEMS.get(i))
                .map_or_else(|| n.to_string(), char::to_string)
        }
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => match n {
            1..=20 => char::from_u32(0x2460 + (n as u32) - 1)
                .map_or_else(|| n.to_string(), |c| c.to_string()),
            _ => n.to_string(),
        },
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|d| char::from_u32(d as u32 - '0' as u32 + 0xFF10).unwrap_or(d))
            .collect(),
        "decimalZero" => format!("{n:02}"),
        "lowerLetter" => letters(n, b'a'),
        "upperLetter" => letters(n, b'A'),
        "lowerRoman" => roman(n).to_ascii_lowercase(),
        "upperRoman" => roman(n),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats() {
        let cases = [
            (1, "chineseCounting", "一"),
            (10, "chineseCounting", "十"),
            (12, "chineseCounting", "十二"),
            (20, "chineseCountingThousand", "二十"),
            (105, "chineseCountingThousand", "一百零五"),
            (3, "ideographTraditional", "丙"),
            (2, "decimalEnclosedCircleChinese", "②"),
            (12, "decimalFullWidth", "１２"),
            (28, "lowerLetter", "bb"),
            (14, "upperRoman", "XIV"),
            (7, "decimal", "7"),
            (3, "chineseLegalSimplified", "叁"),
        ];
        for (n, fmt, want) in cases {
            assert_eq!(format_number(n, fmt), want, "{n} {fmt}");
        }
    }

    const NUMBERING: &str = r#"<w:numbering xmlns:w="w">
      <w:abstractNum w:abstractNumId="0">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
      </w:abstractNum>
      <w:abstractNum w:abstractNumId="1">
        <w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
      <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
      <w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
    </w:numbering>"#;

    const STYLES: &str = r#"<w:styles xmlns:w="w">
      <w:style w:type="paragraph" w:styleId="H1"><w:name w:val="heading 1"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
      <w:style w:type="paragraph" w:styleId="Mine"><w:name w:val="mine"/><w:basedOn w:val="H1"/></w:style>
    </w:styles>"#;

    fn props(style: Option<&str>, num: Option<&str>, ilvl: Option<u8>) -> ParaProps {
        ParaProps {
            style: style.map(str::to_owned),
            num_id: num.map(str::to_owned),
            ilvl,
            outline: None,
        }
    }

    #[test]
    fn lists_count_per_level_and_restart_deeper_levels() {
        let mut n = Numbering::new(Some(NUMBERING.as_bytes()), Some(STYLES.as_bytes()));
        let seq = [
            n.next(&props(None, Some("1"), Some(0))),
            n.next(&props(None, Some("1"), Some(1))),
            n.next(&props(None, Some("1"), Some(1))),
            // Through the style (and a style based on it).
            n.next(&props(Some("Mine"), None, None)),
            n.next(&props(None, Some("1"), Some(1))),
            n.next(&props(None, Some("2"), None)),
            n.next(&props(None, Some("3"), Some(0))),
            n.next(&props(Some("H1"), Some("0"), None)),
        ];
        let seq: Vec<Option<&str>> = seq.iter().map(|s| s.as_deref()).collect();
        assert_eq!(
            seq,
            [
                Some("一、"),
                Some("（一）"),
                Some("（二）"),
                Some("二、"),
                Some("（一）"),
                None,
                Some("五、"),
                None
            ]
        );
        assert_eq!(n.outline(&props(Some("Mine"), None, None)), Some(0));
    }
}

//! Normalisation for matching: traditional → simplified, full-width → half-width,
//! no whitespace, no punctuation, no pinyin residue (`規(guī)`). Every key
//! character remembers the byte range of the original text it came from, so
//! findings point at the original.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

/// A normalised character and the source bytes it stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyChar {
    pub c: char,
    pub src: Range<usize>,
}

/// The number of characters of `s`: a plain count of UTF-8 lead bytes,
/// cheaper than `chars().count()` for the short keys counted in every search.
#[inline]
pub fn char_len(s: &str) -> usize {
    s.bytes().filter(|&b| b & 0xC0 != 0x80).count()
}

/// The matching key of one character, or `None` when matching ignores it.
pub fn key_char(c: char) -> Option<char> {
    fold(c)
}

/// Normalise one character for matching (traditional → simplified, full-width →
/// half-width, lower case), or drop it (whitespace, punctuation).
#[inline]
fn fold(c: char) -> Option<char> {
    // Most frequent first: CJK, then ASCII, then full-width ASCII (`Ａ`, `１`).
    match c {
        '\u{3400}'..='\u{9FFF}' => Some(simplified(c)),
        'a'..='z' | '0'..='9' => Some(c),
        'A'..='Z' => Some(c.to_ascii_lowercase()),
        _ if c.is_ascii() => None,
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).and_then(fold),
        // General and CJK punctuation (`“”…—`, `、。《》【】`), without the
        // Unicode table lookup; the few letters and numerals there (`々`, `〇`) kept.
        '\u{2000}'..='\u{206F}' => None,
        '\u{3000}'..='\u{303F}' => matches!(
            c,
            '\u{3005}'..='\u{3007}'
                | '\u{3021}'..='\u{3029}'
                | '\u{3031}'..='\u{3035}'
                | '\u{3038}'..='\u{303C}'
        )
        .then_some(c),
        _ if c.is_alphanumeric() => Some(simplified(c)),
        _ => None,
    }
}

/// First and last code point of the direct traditional → simplified table.
const T2S_FIRST: u32 = 0x3400;
const T2S_LAST: u32 = 0xFAFF;

/// Traditional → simplified for one character, through a direct table built
/// once from `fast2s` (context-dependent special cases are irrelevant to labels).
#[inline]
pub(crate) fn simplified(c: char) -> char {
    simplified_in(t2s_table(), c)
}

/// The table of [`simplified`]: the simplified form of every code point
/// from [`T2S_FIRST`] to [`T2S_LAST`].
fn t2s_table() -> &'static [char] {
    static TABLE: OnceLock<Vec<char>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let all: String = (T2S_FIRST..=T2S_LAST)
            .map(|u| char::from_u32(u).unwrap_or(' '))
            .collect();
        fast2s::convert(&all).chars().collect()
    })
}

/// [`simplified`] with its table (`t2s_table()`) looked up by the caller,
/// once for a loop.
#[inline]
fn simplified_in(table: &[char], c: char) -> char {
    let u = c as u32;
    if (T2S_FIRST..=T2S_LAST).contains(&u) {
        table.get((u - T2S_FIRST) as usize).copied().unwrap_or(c)
    } else {
        c
    }
}

/// The CJK Unified Ideographs block (U+4E00–U+9FFF): nearly every
/// character of a report, all of them CJK for [`is_cjk`].
const URO_FIRST: u32 = 0x4E00;

/// One bit per code point of U+4000–U+9FFF — the three-byte characters
/// with lead bytes E4–E9 —, set unless it is an ideograph of the block
/// that [`simplified`] leaves alone. Row `(lead - E4) * 64 + (second byte
/// & 3F)`, bit `third byte & 3F`: the UTF-8 bytes index it without
/// decoding (see [`kept_ideograph`]). Built once, so the common case of a
/// report — an ideograph that stays — costs one bit test.
pub(crate) fn ideograph_stops() -> &'static [u64; 384] {
    static TABLE: OnceLock<[u64; 384]> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = [0; 384];
        for u in 0x4000..=0x9FFF_u32 {
            let c = char::from_u32(u).expect("U+4000–U+9FFF are chars");
            if u < URO_FIRST || simplified(c) != c {
                let i = (u - 0x4000) as usize;
                table[i / 64] |= 1 << (i % 64);
            }
        }
        table
    })
}

/// Whether the bytes `lead b1 b2` of valid UTF-8 start with an ideograph
/// of U+4E00–U+9FFF that [`simplified`] leaves alone; `stops` is
/// [`ideograph_stops`]. (A lead byte E4–E9 is followed by two continuation
/// bytes; any other lead byte is another character.)
#[inline]
pub(crate) fn kept_ideograph(stops: &[u64; 384], lead: u8, b1: u8, b2: u8) -> bool {
    let row = usize::from(lead.wrapping_sub(0xE4)) * 64 + usize::from(b1 & 0x3F);
    // Lead bytes below E4 wrap to a row past the table.
    stops
        .get(row)
        .is_some_and(|bits| bits >> (b2 & 0x3F) & 1 == 0)
}

fn is_pinyin_letter(c: char) -> bool {
    c.is_ascii_lowercase() || "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü".contains(c)
}

#[inline]
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// Byte length of a pinyin residue (`(shù)`) at the start of `s` that follows
/// a CJK character (`prev`), else 0: matching ignores it, so a label's text
/// ends after it.
pub fn residue_after(prev: char, s: &str) -> usize {
    if is_cjk(prev) {
        pinyin_residue_len(s).unwrap_or(0)
    } else {
        0
    }
}

/// Byte length of a pinyin residue `(guī)` / `（guī）` starting at `s`, if any.
pub(crate) fn pinyin_residue_len(s: &str) -> Option<usize> {
    let mut chars = s.char_indices();
    let (_, open) = chars.next()?;
    if open != '(' && open != '（' {
        return None;
    }
    for (n_letters, (i, c)) in chars.enumerate() {
        if (c == ')' || c == '）') && n_letters > 0 {
            return Some(i + c.len_utf8());
        }
        if !is_pinyin_letter(c) || n_letters > 6 {
            return None;
        }
    }
    None
}

/// The key characters of `text[range]`, in order.
pub fn key_chars(text: &str, range: Range<usize>) -> Vec<KeyChar> {
    let mut out = Vec::with_capacity(range.len() / 3);
    push_key_chars(text, range, &mut out);
    out
}

/// [`key_chars`], appended to `out`.
pub fn push_key_chars(text: &str, range: Range<usize>, out: &mut Vec<KeyChar>) {
    let slice = &text[range.clone()];
    each_key_char(slice, |i, c, len| {
        let start = range.start + i;
        out.push(KeyChar {
            c,
            src: start..start + len,
        });
    });
}

/// The matching key of a string.
pub fn key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    each_key_char(s, |_, c, _| out.push(c));
    out
}

/// Calls `f(offset, key character, source length)` for each key character
/// of `s`: pinyin residue after a CJK character is skipped, other characters
/// are folded or dropped (see [`fold`]).
#[inline]
fn each_key_char(s: &str, mut f: impl FnMut(usize, char, usize)) {
    let bytes = s.as_bytes();
    let stops = ideograph_stops();
    let mut prev_cjk = false;
    let mut i = 0;
    while let Some(&lead) = bytes.get(i) {
        // The characters of nearly every label and line, without decoding
        // through `chars`: an ideograph simplification keeps is its own key
        // (and CJK); ASCII other than `(` folds on its own (and is not CJK).
        if let [lead, b1, b2, ..] = bytes[i..] {
            if kept_ideograph(stops, lead, b1, b2) {
                let u =
                    u32::from(lead & 0x0F) << 12 | u32::from(b1 & 0x3F) << 6 | u32::from(b2 & 0x3F);
                f(i, char::from_u32(u).unwrap_or_default(), 3);
                prev_cjk = true;
                i += 3;
                continue;
            }
        }
        if lead < 0x80 && lead != b'(' {
            if let Some(k) = fold(char::from(lead)) {
                f(i, k, 1);
            }
            prev_cjk = false;
            i += 1;
            continue;
        }
        let c = s[i..].chars().next().unwrap_or_default();
        if prev_cjk && (c == '(' || c == '（') {
            if let Some(n) = pinyin_residue_len(&s[i..]) {
                i += n;
                continue;
            }
        }
        prev_cjk = is_cjk(c);
        if let Some(k) = fold(c) {
            f(i, k, c.len_utf8());
        }
        i += c.len_utf8();
    }
}

/// The key of a label without its leading numbering (`（一）`, `1.`, `一、`).
pub fn key_without_ordinal(s: &str) -> String {
    let k = key(s);
    let stripped = k.trim_start_matches(|c: char| c.is_ascii_digit());
    if stripped.len() != k.len() {
        return stripped.to_string();
    }
    let trimmed = s.trim_start();
    let numbered = [
        "（", "(", "一、", "二、", "三、", "四、", "五、", "六、", "七、",
    ]
    .iter()
    .any(|p| trimmed.starts_with(p));
    if numbered {
        let mut chars = k.chars();
        chars.next();
        return chars.as_str().to_string();
    }
    k
}

/// Whether `text` is mostly traditional: more characters change under t2s than a stray few.
pub fn is_traditional(text: &str) -> bool {
    // A sample of the first CJK characters is enough to tell the script.
    const SAMPLE: usize = 600;
    let table = t2s_table();
    let bytes = text.as_bytes();
    let (mut cjk, mut changed) = (0_usize, 0_usize);
    // Every text is read here, from its start: ASCII bytes are skipped one
    // by one, and an ideograph that simplification keeps (nearly every
    // character of a report) is told by its bytes alone; the rest is decoded.
    let stops = ideograph_stops();
    let mut at = 0;
    while at < bytes.len() && cjk < SAMPLE {
        let c = match bytes[at..] {
            [b, ..] if b < 0x80 => {
                at += 1;
                continue;
            }
            [lead, b1, b2, ..] if kept_ideograph(stops, lead, b1, b2) => {
                at += 3;
                cjk += 1;
                continue;
            }
            _ => text[at..].chars().next().unwrap_or_default(),
        };
        at += c.len_utf8();
        if is_cjk(c) {
            cjk += 1;
            if simplified_in(table, c) != c {
                changed += 1;
            }
        }
    }
    cjk > 0 && changed * 20 > cjk
}

fn s2t() -> &'static HashMap<char, char> {
    static MAP: OnceLock<HashMap<char, char>> = OnceLock::new();
    MAP.get_or_init(|| {
        #[derive(serde::Deserialize)]
        struct File {
            chars: HashMap<String, String>,
        }
        let file: File =
            toml::from_str(include_str!("template/s2t.toml")).expect("s2t.toml is valid");
        file.chars
            .into_iter()
            .filter_map(|(k, v)| Some((k.chars().next()?, v.chars().next()?)))
            .collect()
    })
}

/// `s` written in the document's script: unchanged for simplified documents,
/// converted character by character for traditional ones.
pub fn in_script(s: &str, traditional: bool) -> String {
    if !traditional {
        return s.to_string();
    }
    let map = s2t();
    s.chars()
        .map(|c| map.get(&c).copied().unwrap_or(c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_len_counts_characters() {
        for s in ["", "a", "表三", "𠮷x", "（一）予以公开"] {
            assert_eq!(char_len(s), s.chars().count(), "{s}");
        }
    }

    #[test]
    fn punctuation_fast_path_agrees_with_unicode() {
        for u in (0x2000..=0x206F).chain(0x3000..=0x303F) {
            let Some(c) = char::from_u32(u) else { continue };
            assert_eq!(fold(c).is_some(), c.is_alphanumeric(), "U+{u:04X}");
        }
    }

    #[test]
    fn keys_ignore_script_width_space_punctuation_and_pinyin() {
        assert_eq!(key("本年度發(fā)件數(shù)"), key("本年度发件数"));
        assert_eq!(key("（一）予以公开"), key("(一) 予以公开"));
        assert_eq!(key("商业\n企业"), "商业企业");
        assert_eq!(key("3.危及“三安全一稳定”"), key("3、危及\"三安全一稳定\""));
    }

    #[test]
    fn key_chars_point_at_original_bytes() {
        let text = "規(guī)章";
        let k = key_chars(text, 0..text.len());
        assert_eq!(k.len(), 2);
        assert_eq!(&text[k[0].src.clone()], "規");
        assert_eq!(&text[k[1].src.clone()], "章");
    }

    /// [`each_key_char`] as it reads without its fast paths: every
    /// character through `char_indices`.
    fn key_chars_one_by_one(s: &str) -> Vec<(usize, char, usize)> {
        let mut out = Vec::new();
        let mut prev_cjk = false;
        let mut skip_until = 0;
        for (i, c) in s.char_indices() {
            if i < skip_until {
                continue;
            }
            if prev_cjk && (c == '(' || c == '（') {
                if let Some(n) = pinyin_residue_len(&s[i..]) {
                    skip_until = i + n;
                    continue;
                }
            }
            prev_cjk = is_cjk(c);
            if let Some(k) = fold(c) {
                out.push((i, k, c.len_utf8()));
            }
        }
        out
    }

    #[test]
    fn key_chars_fast_paths_agree_with_one_by_one() {
        for s in [
            "",
            "a",
            "(",
            "規(guī)章(gui)规(guī)章（zhāng）A(b)",
            "本年度發(fā)件數(shù) １２３ＡＢ，“公开”、𠮷(jí)㐀(a)䶵（x）",
            "(一) 予以公开\t\r\n3.危及\"三安全一稳定\"",
            "开(kāi",
            "豈更車〇々ー\u{3000}\u{200B}",
        ] {
            let mut fast = Vec::new();
            each_key_char(s, |i, c, len| fast.push((i, c, len)));
            assert_eq!(fast, key_chars_one_by_one(s), "{s}");
        }
    }

    #[test]
    fn kept_ideographs_are_told_by_their_bytes() {
        let stops = ideograph_stops();
        for u in 0x3000..=0xFFFF_u32 {
            let Some(c) = char::from_u32(u) else { continue };
            let mut buf = [0; 4];
            let b = c.encode_utf8(&mut buf).as_bytes();
            let kept = (0x4E00..=0x9FFF).contains(&u) && simplified(c) == c;
            let told = kept_ideograph(stops, b[0], b[1], b[2]);
            assert_eq!(told, kept, "U+{u:04X}");
        }
    }

    #[test]
    fn is_traditional_reads_as_the_characters() {
        // The general version: the first 600 CJK characters, by `chars`.
        let general = |text: &str| {
            let sample: Vec<char> = text.chars().filter(|&c| is_cjk(c)).take(600).collect();
            let changed = sample.iter().filter(|&&c| simplified(c) != c).count();
            !sample.is_empty() && changed * 20 > sample.len()
        };
        let cases = [
            String::new(),
            "abc 123".to_string(),
            "本年度處理決定數量".to_string(),
            "本年度处理决定数量".to_string(),
            "𠮷𠮷𠮷處".to_string(),
            "１２３ＡＢ處理，㐀䶵決".to_string(),
            // Past the sample: the traditional characters come too late.
            format!("{}{}", "处".repeat(600), "處".repeat(100)),
            format!("{}{}", "處".repeat(29), "处".repeat(571)),
            format!("{}{}", "處".repeat(31), "处".repeat(569)),
            format!("{}{}", "𠮷 a".repeat(599), "處"),
            "豈更車〇々ー".to_string(),
        ];
        for text in &cases {
            assert_eq!(is_traditional(text), general(text), "{text}");
        }
    }

    #[test]
    fn traditional_round_trip() {
        assert_eq!(in_script("本年制发件数", true), "本年制發件數");
        assert_eq!(in_script("结果维持", false), "结果维持");
        assert!(is_traditional("本年度處理決定數量，行政復議"));
        assert!(!is_traditional("本年度处理决定数量"));
    }
}

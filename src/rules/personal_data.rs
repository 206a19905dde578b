use std::ops::Range;

use super::{Context, FixKind, Rule};
use crate::diagnostic::{self, Diagnostic, Severity};

pub static RULE: Rule = Rule {
    id: "personal-data",
    default_severity: Severity::Error,
    summary: "正文中有身份证号、手机号或银行卡号等个人信息",
    docs: r#"## 检查内容

报告中不得公布的个人信息：

- 18 位居民身份证号码：地址码、出生日期有效，且第 18 位校验码符合 GB 11643 的计算结果；
- 11 位手机号码：1 开头、第二位为 3—9，可写作 `139 0000 1111`、`139-0000-1111`，可带 `+86`；
- 16—19 位银行卡号：末位符合 Luhn 校验，且前面写有“卡号、银行卡、账号、账户、开户”等字样，或按四位一组书写。

带区号的办公电话（如 `0591-2312312`）、服务热线、邮政编码、文号（如 `〔2021〕30号`）不是个人信息，不会提示；统计表中的数字不检查。数字前后紧接其他数字、字母或小数点时（如网址、表格中粘连的数字 `13575394432.52`）也不算。

所有输出（命令行、JSON、SARIF、GitHub 注释、编辑器）都只显示遮盖后的号码，例如 `1101**********4514`、`139****1111`；命令行引用原文时同样遮盖。

## 原因

《中华人民共和国政府信息公开条例》第十五条：涉及个人隐私的政府信息不得公开。草稿中留下的联系人手机号、身份证号，一经发布就无法收回。

## 示例

```text
如对本报告有疑问，请联系张三（手机：13900001111）。
```

## 修复

没有自动修复：发布前删除这个号码，或改为单位的办公电话。"#,
    fix: FixKind::None,
    check,
};

fn check(ctx: &Context, acc: &mut Vec<Diagnostic>) {
    let text = ctx.text;
    // Table cells are statistics, not personal data: only the text between
    // the tables is scanned.
    let mut tables: Vec<Range<usize>> = ctx.report.tables.iter().map(|t| t.range.clone()).collect();
    tables.sort_by_key(|t| t.start);
    let mut prose = Vec::with_capacity(tables.len() + 1);
    let mut from = 0;
    for t in &tables {
        if from < t.start {
            prose.push(from..t.start);
        }
        from = from.max(t.end);
    }
    prose.push(from..text.len());
    for run in prose.into_iter().flat_map(|r| runs(text, r)) {
        if !standalone(text, &run.range) {
            continue;
        }
        let (what, why) = if is_id(&run) {
            (
                "居民身份证号码",
                "身份证号码属于个人信息，不得公开，发布前必须删除。",
            )
        } else if is_mobile(&run.digits, &run.groups) {
            (
                "手机号码",
                "个人手机号码属于个人信息，不得公开，发布前必须删除；需要留联系方式的，请改为单位的办公电话。",
            )
        } else if is_card(&run) && (run.groups.len() > 1 || card_context(text, run.range.start)) {
            (
                "银行卡号",
                "银行卡号属于个人信息，不得公开，发布前必须删除。",
            )
        } else {
            continue;
        };
        let shown = diagnostic::mask(&text[run.range.clone()]);
        acc.push(
            Diagnostic::new(RULE.id, run.range, format!("发现{what} {shown}。{why}")).concealed(),
        );
    }
}

/// A number of at least 11 digits: digits (ASCII or full-width) in groups
/// separated by one space or hyphen (`138 1234 5678`), possibly ending in
/// the `X` of an ID number.
#[derive(Debug)]
struct Run {
    range: Range<usize>,
    /// The digits in ASCII (`X` upper case).
    digits: String,
    /// How many digits each group has.
    groups: Vec<usize>,
}

/// The digit at byte `i` (ASCII or full-width) and its length in bytes.
fn digit_at(text: &str, i: usize) -> Option<(char, usize)> {
    let b = text.as_bytes();
    match b.get(i)? {
        c @ b'0'..=b'9' => Some((char::from(*c), 1)),
        // U+FF10..U+FF19 (０-９) are EF BC 90..99.
        0xEF if b.get(i + 1) == Some(&0xBC) => match b.get(i + 2)? {
            c @ 0x90..=0x99 => Some((char::from(b'0' + (c - 0x90)), 3)),
            _ => None,
        },
        _ => None,
    }
}

/// The fewest digits a run has: an 11-digit mobile number.
const MIN_DIGITS: usize = 11;

/// Whether byte `b` can be part of a run: an ASCII digit, a separator, or
/// a byte of a full-width digit (EF BC 90..99).
fn in_run(b: u8) -> bool {
    b.is_ascii_digit() || matches!(b, b' ' | b'-' | 0xEF | 0xBC | 0x90..=0x99)
}

/// Every run of at least 11 digits starting in `text[within]`.
///
/// Such a run is at least 11 bytes long (every digit is at least one byte),
/// all of them bytes [`in_run`] accepts, up to the end of `within` (where
/// the run may go on in the text). So only every 11th byte is looked at,
/// and the last one: a run holds at least one of them. Where one is such a byte, the stretch
/// of such bytes around it is read digit by digit, from its start — where
/// no run goes on from before, since the byte before is none of them.
fn runs(text: &str, within: Range<usize>) -> Vec<Run> {
    let b = &text.as_bytes()[..within.end];
    let mut out = Vec::new();
    // Everything before `i` is read.
    let mut i = within.start;
    let mut probe = i;
    while probe < b.len() {
        if !in_run(b[probe]) {
            // The last byte is looked at too: a run there may go on past `within`.
            probe = if probe + 1 == b.len() {
                b.len()
            } else {
                (probe + MIN_DIGITS).min(b.len() - 1)
            };
            continue;
        }
        let mut start = probe;
        while start > i && in_run(b[start - 1]) {
            start -= 1;
        }
        let end = b[probe..]
            .iter()
            .position(|&c| !in_run(c))
            .map_or(b.len(), |n| probe + n);
        // Shorter stretches hold no run, unless it goes on past `within`.
        if end - start >= MIN_DIGITS || end == b.len() {
            i = read_runs(text, b, start..end, &mut out);
        }
        i = i.max(end);
        probe = i;
    }
    out
}

/// Read the runs starting in `stretch` into `out`, as one pass over the
/// bytes `b` (the text up to the end of the range read) would: a run may
/// go on past the stretch. The offset reached.
fn read_runs(text: &str, b: &[u8], stretch: Range<usize>, out: &mut Vec<Run>) -> usize {
    let mut i = stretch.start;
    while i < stretch.end {
        // Only ASCII digits and the lead byte of full-width ones (EF) can
        // start a number; no other character's bytes look like either.
        match b[i..stretch.end]
            .iter()
            .position(|&c| c.is_ascii_digit() || c == 0xEF)
        {
            Some(n) => i += n,
            None => return stretch.end,
        }
        if digit_at(text, i).is_none() {
            i += 1;
            continue;
        }
        let run = read_run(text, b, i);
        i = run.range.end;
        if run.digits.len() >= MIN_DIGITS {
            out.push(run);
        }
    }
    i
}

/// The digit run starting with the digit at `start`: digits with single
/// spaces or dashes between groups, and an ID card's final `X`. `b` is the
/// text up to the end of the range read: digits may go on past it, a
/// separator or the `X` may not.
fn read_run(text: &str, b: &[u8], start: usize) -> Run {
    let mut i = start;
    let mut digits = String::new();
    let mut groups = vec![0usize];
    loop {
        if let Some((d, len)) = digit_at(text, i) {
            digits.push(d);
            *groups.last_mut().expect("one group") += 1;
            i += len;
        } else if matches!(b.get(i), Some(b' ' | b'-')) && digit_at(text, i + 1).is_some() {
            groups.push(0);
            i += 1;
        } else {
            if digits.len() == 17 && groups.len() == 1 && matches!(b.get(i), Some(b'X' | b'x')) {
                digits.push('X');
                groups[0] += 1;
                i += 1;
            }
            break;
        }
    }
    Run {
        range: start..i,
        digits,
        groups,
    }
}

fn is_id(run: &Run) -> bool {
    run.groups.len() == 1 && valid_id(&run.digits)
}

/// 11 digits `1[3-9]…`, written whole or as 3-4-4, with or without `86` before.
fn is_mobile(digits: &str, groups: &[usize]) -> bool {
    let bare =
        |d: &str| d.len() == 11 && d.starts_with('1') && matches!(d.as_bytes()[1], b'3'..=b'9');
    match groups {
        [11] | [3, 4, 4] => bare(digits),
        [13] | [2, 11] | [2, 3, 4, 4] => digits.starts_with("86") && bare(&digits[2..]),
        _ => false,
    }
}

/// 16–19 digits, whole or in groups of four, with a valid Luhn digit.
fn is_card(run: &Run) -> bool {
    let n = run.digits.len();
    let grouped_by_four = match run.groups.split_last() {
        Some((last, rest)) => rest.iter().all(|&g| g == 4) && (1..=4).contains(last),
        None => false,
    };
    (16..=19).contains(&n)
        && !run.digits.contains('X')
        && (run.groups.len() == 1 || grouped_by_four)
        && luhn(&run.digits)
}

/// The number is not part of something longer: a longer digit run, a word,
/// a URL or file name, a decimal number.
fn standalone(text: &str, r: &Range<usize>) -> bool {
    let glued = |c: char| {
        c.is_ascii_alphanumeric() || ('０'..='９').contains(&c) || "_/\\=&%#.-".contains(c)
    };
    let before = text[..r.start].chars().next_back();
    let after = text[r.end..].chars().next();
    !before.is_some_and(glued) && !after.is_some_and(glued)
}

/// GB 11643: address code of a real province, a real birth date, and the check digit.
fn valid_id(id: &str) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let b = id.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let num = |range: Range<usize>| id[range].parse::<u32>().unwrap_or(0);
    let province = num(0..2);
    let provinces = [
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51,
        52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
    ];
    let (year, month, day) = (num(6..10), num(10..12), num(12..14));
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    };
    if !provinces.contains(&province) || !(1900..=2099).contains(&year) || day == 0 || day > days {
        return false;
    }
    let sum: u32 = b[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK[(sum % 11) as usize] == b[17]
}

/// The Luhn check digit (ISO/IEC 7812) of a card number.
fn luhn(number: &str) -> bool {
    let mut sum = 0;
    for (i, d) in number.bytes().rev().enumerate() {
        if !d.is_ascii_digit() {
            return false;
        }
        let mut v = u32::from(d - b'0');
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum % 10 == 0
}

/// A bank-card word shortly before `at`.
fn card_context(text: &str, at: usize) -> bool {
    const WORDS: [&str; 11] = [
        "卡号",
        "银行卡",
        "账号",
        "帐号",
        "账户",
        "帐户",
        "开户",
        "信用卡",
        "借记卡",
        "储蓄卡",
        "收款",
    ];
    let before: String = text[..at]
        .chars()
        .rev()
        .take(12)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    WORDS.iter().any(|w| before.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_check_digit() {
        // GB 11643 example number.
        assert!(valid_id("11010519491231002X"));
        assert!(!valid_id("110105194912310021"));
        assert!(!valid_id("110105194913310028"), "month 13");
        assert!(!valid_id("000105194912310021"), "no such province");
    }

    #[test]
    fn luhn_digit() {
        assert!(luhn("4111111111111111"));
        assert!(!luhn("4111111111111112"));
    }

    #[test]
    fn runs_and_their_kinds() {
        let text = "手机：+86 138 1234 5678，１３９００００１１１１；电话0591-2312312；证号11010519491231002X；卡 6222 0212 3456 7890 128；表 1 0 0 0 0 0 1";
        let found: Vec<(String, Vec<usize>)> = runs(text, 0..text.len())
            .into_iter()
            .map(|r| (r.digits, r.groups))
            .collect();
        assert_eq!(
            found,
            [
                ("8613812345678".to_string(), vec![2, 3, 4, 4]),
                ("13900001111".to_string(), vec![11]),
                ("05912312312".to_string(), vec![4, 7]),
                ("11010519491231002X".to_string(), vec![18]),
                ("6222021234567890128".to_string(), vec![4, 4, 4, 4, 3]),
            ]
        );
        assert!(is_mobile("8613812345678", &[2, 3, 4, 4]));
        assert!(is_mobile("13900001111", &[11]));
        assert!(!is_mobile("05912312312", &[4, 7]), "an office number");
        assert!(
            !is_mobile("13812345678", &[4, 7]),
            "not grouped like a phone number"
        );
    }

    /// The runs as one plain pass over every byte finds them.
    fn runs_byte_by_byte(
        text: &str,
        within: Range<usize>,
    ) -> Vec<(Range<usize>, String, Vec<usize>)> {
        let b = &text.as_bytes()[..within.end];
        let mut out = Vec::new();
        let mut i = within.start;
        while i < b.len() {
            let Some((_, _)) = digit_at(text, i).filter(|_| b[i].is_ascii_digit() || b[i] == 0xEF)
            else {
                i += 1;
                continue;
            };
            let run = read_run(text, b, i);
            i = run.range.end;
            if run.digits.len() >= MIN_DIGITS {
                out.push((run.range, run.digits, run.groups));
            }
        }
        out
    }

    #[test]
    fn every_11th_byte_finds_every_run() {
        // Pieces whose bytes look like digits' (０ = EF BC 90, ， = EF BC 8C,
        // 政 = E6 94 BF), separators, and runs cut at the range's end.
        let pieces = [
            "1",
            "2",
            "0",
            "9",
            " ",
            "-",
            "X",
            "x",
            "０",
            "９",
            "，",
            "政",
            "件",
            "的",
            "a",
            ".",
            "\n",
            "13900001111",
            "11010519491231002",
            "6222 0212 3456 7890 128",
            "１３９００００１１１１",
        ];
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..3000 {
            let text: String = (0..next(40)).map(|_| pieces[next(pieces.len())]).collect();
            let bounds: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            let a = bounds[next(bounds.len())];
            let z = bounds[next(bounds.len())];
            let within = a.min(z)..a.max(z);
            let found: Vec<_> = runs(&text, within.clone())
                .into_iter()
                .map(|r| (r.range, r.digits, r.groups))
                .collect();
            assert_eq!(
                found,
                runs_byte_by_byte(&text, within.clone()),
                "{text:?} {within:?}"
            );
        }
    }

    #[test]
    fn standalone_numbers_only() {
        let t = "采购13575394432.52元，电话13812345678。网址/t13812345678.htm";
        let at = |s: &str| {
            let i = t.find(s).unwrap();
            i..i + s.len()
        };
        assert!(!standalone(t, &at("13575394432")));
        assert!(standalone(
            t,
            &(t.find("13812345678").unwrap()..t.find("13812345678").unwrap() + 11)
        ));
        let url = t.rfind("13812345678").unwrap();
        assert!(!standalone(t, &(url..url + 11)));
    }
}

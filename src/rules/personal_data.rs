use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

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

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("built-in regex is valid"))
}

/// A digit, ASCII or full-width.
const D: &str = "[0-9０-９]";

fn check(ctx: &Context, acc: &mut Vec<Diagnostic>) {
    let text = ctx.text;
    // Quick reject: every number looked for has at least 11 digits.
    let full_width = |c: char| ('０'..='９').contains(&c);
    if text.bytes().filter(u8::is_ascii_digit).count() < 11 && !text.contains(full_width) {
        return;
    }
    let tables: Vec<Range<usize>> = ctx.report.tables.iter().map(|t| t.range.clone()).collect();
    let in_table = |r: &Range<usize>| tables.iter().any(|t| t.start <= r.start && r.end <= t.end);
    // (range, what it is, how the message says why it must go)
    let mut found: Vec<(Range<usize>, &'static str, &'static str)> = Vec::new();
    let taken = |r: &Range<usize>, found: &[(Range<usize>, &str, &str)]| {
        found
            .iter()
            .any(|(f, _, _)| f.start < r.end && r.start < f.end)
    };

    static ID: OnceLock<Regex> = OnceLock::new();
    let id = re(&ID, &format!("{D}{{17}}[0-9０-９Xx]"));
    for m in id.find_iter(text) {
        let r = m.range();
        if in_table(&r) || !standalone(text, &r) || !valid_id(&digits(m.as_str())) {
            continue;
        }
        found.push((
            r,
            "居民身份证号码",
            "身份证号码属于个人信息，不得公开，发布前必须删除。",
        ));
    }

    static MOBILE: OnceLock<Regex> = OnceLock::new();
    let mobile = re(
        &MOBILE,
        &format!(r"(?:\+?86[- ]?)?1[3-9３-９]{D}[- ]?{D}{{4}}[- ]?{D}{{4}}"),
    );
    for m in mobile.find_iter(text) {
        let r = m.range();
        if in_table(&r) || !standalone(text, &r) || taken(&r, &found) {
            continue;
        }
        // The 11 digits without the country code.
        let all = digits(m.as_str());
        if all.len() != 11 && !(all.len() == 13 && all.starts_with("86")) {
            continue;
        }
        found.push((
            r,
            "手机号码",
            "个人手机号码属于个人信息，不得公开，发布前必须删除；需要留联系方式的，请改为单位的办公电话。",
        ));
    }

    static CARD: OnceLock<Regex> = OnceLock::new();
    let card = re(
        &CARD,
        &format!(r"{D}{{4}}(?:[- ]?{D}{{4}}){{3}}(?:[- ]?{D}{{1,3}})?"),
    );
    for m in card.find_iter(text) {
        let r = m.range();
        if in_table(&r) || !standalone(text, &r) || taken(&r, &found) {
            continue;
        }
        let all = digits(m.as_str());
        let grouped = m.as_str().contains([' ', '-']);
        if !(16..=19).contains(&all.len())
            || !luhn(&all)
            || !(grouped || card_context(text, r.start))
        {
            continue;
        }
        found.push((
            r,
            "银行卡号",
            "银行卡号属于个人信息，不得公开，发布前必须删除。",
        ));
    }

    found.sort_by_key(|(r, _, _)| r.start);
    for (r, what, why) in found {
        let shown = diagnostic::mask(&text[r.clone()]);
        acc.push(Diagnostic::new(RULE.id, r, format!("发现{what} {shown}。{why}")).concealed());
    }
}

/// The digits of `s` as ASCII (full-width folded, separators and `+` dropped; `X` kept).
fn digits(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '0'..='9' | 'X' => Some(c),
            'x' => Some('X'),
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            _ => None,
        })
        .collect()
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

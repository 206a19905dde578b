use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use super::{Context, FixKind, Rule};
use crate::diagnostic::{Diagnostic, Edit, Fix, Safety, Severity};
use crate::narrative::{self, Stream};

pub static RULE: Rule = Rule {
    id: "stale-year",
    default_severity: Severity::Warning,
    summary: "正文把往年当作本年度报告工作，或把本年度以前的年份写成今后的计划",
    docs: r#"## 检查内容

照抄上一年报告时最容易漏改的两处年份：

- “一、总体情况”中，以报告年度之前的年份开头、报告这一年工作的句子，例如 2023 年度报告中的“2022年，我局……”“2022年全区受理……”。只看句首（可带“（一）”“一是”等序号）紧跟“，我、本、全、共”的年份；同一句中也提到报告年度，或有“较、同比、以来、相比”等比较说法时不提示。
- “五、存在的主要问题及改进情况”中，把报告年度或更早的年份写成今后的计划，例如 2023 年度报告中的“2023年，我局将……”“将于2022年……”。改进计划应针对报告年度的下一年。

报告年度无法确定时不检查。

## 原因

年度报告逐年编写，常在上一年的报告上修改。漏改的年份说明这段内容可能也没有更新；读者会以为报告的是另一年的情况。

## 示例

```text
2023年政府信息公开工作年度报告
一、总体情况
2022年，我局坚持以习近平新时代中国特色社会主义思想为指导……
五、存在的主要问题及改进情况
……2023年，我局将进一步加强政策解读……
```

## 修复

第一部分没有自动修复：请核对这句话报告的是否为本年度的情况，并改写。第五部分提供需人工核对的修复：把计划的年份改为报告年度的下一年。"#,
    fix: FixKind::Unsafe,
    check,
};

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("built-in regex is valid"))
}

fn check(ctx: &Context, acc: &mut Vec<Diagnostic>) {
    let Some(year) = ctx.year else { return };
    for section in &ctx.report.sections {
        if !matches!(section.number, 1 | 5) {
            continue;
        }
        let prose = ctx.prose();
        let range = prose.range_of(section.body.clone());
        if section.number == 1 {
            overview(prose, range, year, acc);
        } else {
            plans(prose, range, year, acc);
        }
    }
}

/// An ordinal that may stand before a sentence: `(一)`, `1.`, `一是`.
fn is_ordinal(prefix: &str) -> bool {
    static ORD: OnceLock<Regex> = OnceLock::new();
    prefix.is_empty()
        || re(
            &ORD,
            r"^(?:\(?[一二三四五六七八九十0-9]{1,3}[)、.]|[一二三四五六七八九十]是[,:]?)$",
        )
        .is_match(prefix)
}

/// Where the sentence holding `at` starts, counting a line start as one.
fn start_of_sentence(stream: &Stream, floor: usize, at: usize) -> usize {
    stream
        .sentence_start(at)
        .max(stream.line_start(at))
        .max(floor)
}

fn overview(stream: &Stream, section: Range<usize>, year: i32, acc: &mut Vec<Diagnostic>) {
    static YEAR_START: OnceLock<Regex> = OnceLock::new();
    // No capture group: a match is found by the regex's DFA alone, and the
    // year is its first four bytes.
    let r = re(&YEAR_START, r"(?:19|20)[0-9]{2}年(?:度)?(?:,|我|本|全|共)");
    let s = &stream.s[..section.end];
    let mut from = section.start;
    while let Some(m) = r.find_at(s, from) {
        from = m.end();
        let y = m.start()..m.start() + 4;
        let Ok(found) = s[y.clone()].parse::<i32>() else {
            continue;
        };
        if !(year - 10..year).contains(&found) {
            continue;
        }
        let start = start_of_sentence(stream, section.start, y.start);
        if !is_ordinal(&s[start..y.start]) {
            continue;
        }
        let end = s[y.end..]
            .find(['。', ';', '!', '?'])
            .map_or(s.len(), |i| y.end + i);
        let sentence = &s[y.end..end];
        let compares = ["较", "同比", "以来", "相比", "比上年"]
            .iter()
            .any(|w| sentence.contains(w));
        if compares || narrative::years_in(sentence).contains(&year) {
            continue;
        }
        acc.push(Diagnostic::new(
            RULE.id,
            stream.source(y),
            format!(
                "“一、总体情况”中这句话以“{found}年”开头报告工作，但这是 {year} 年度的报告（是否沿用了往年的报告？）。请核对这句话是否为 {year} 年的情况，并改正年份或内容。"
            ),
        ));
    }
}

fn plans(stream: &Stream, section: Range<usize>, year: i32, acc: &mut Vec<Diagnostic>) {
    static PLAN: OnceLock<Regex> = OnceLock::new();
    // No capture group (a match is found by the DFA alone): the year is
    // the first four bytes of the first branch's match, and comes right
    // after `将于` / `将在` in the second's.
    let r = re(
        &PLAN,
        r"(?x)
        (?:19|20)[0-9]{2}年(?:度)?,?
            (?:我局|我们|我区|我县|我市|我委|我办|我中心|本机关|本单位|本部门|全区|全市|全县)?(?:将|拟)
      | 将(?:于|在)(?:19|20)[0-9]{2}年",
    );
    let s = &stream.s[..section.end];
    let mut from = section.start;
    while let Some(m) = r.find_at(s, from) {
        from = m.end();
        let at = if s[m.start()..].starts_with('将') {
            m.start() + "将于".len()
        } else {
            m.start()
        };
        let y = at..at + 4;
        let Ok(found) = s[y.clone()].parse::<i32>() else {
            continue;
        };
        if !(year - 10..=year).contains(&found) {
            continue;
        }
        let range = stream.source(y);
        let next = year + 1;
        acc.push(
            Diagnostic::new(
                RULE.id,
                range.clone(),
                format!(
                    "“五、存在的主要问题及改进情况”把 {found} 年写成今后的计划，但这是 {year} 年度的报告，改进计划应针对 {next} 年（是否沿用了往年的报告？）。"
                ),
            )
            .with_fix(Fix {
                title: format!("将 {found} 改为 {next}"),
                safety: Safety::Unsafe,
                edits: vec![Edit {
                    range,
                    new_text: next.to_string(),
                }],
            }),
        );
    }
}

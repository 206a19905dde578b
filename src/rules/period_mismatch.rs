use super::{Context, FixKind, Rule};
use crate::diagnostic::{Diagnostic, Edit, Fix, Safety, Severity};
use crate::model::PeriodDate;

pub static RULE: Rule = Rule {
    id: "period-mismatch",
    default_severity: Severity::Error,
    summary: "统计期限与报告年度不符、不是1月1日至12月31日，或日期不存在",
    docs: r"## 检查内容

统计期限句（如“本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止”）必须覆盖报告年度的全年：起止年份等于报告年度，起于 1月1日，止于 12月31日。本规则报告：年份与报告年度不符（常见于照抄上一年的报告）、起止日期不是 1月1日 / 12月31日、以“至今”“截至目前”结尾、以及不存在的日期（如 2月30日、13月）。

## 原因

《政府信息公开条例》第四十九条要求报告“上一年度”的情况；统计期限错误会让全部数据的口径出错。

## 示例

2023 年度报告写“统计期限自2022年1月1日起至2022年12月31日止”。

## 修复

把年份或日期改为报告年度的 1月1日 / 12月31日（不安全修复：请确认报告年度无误）。",
    fix: FixKind::Unsafe,
    check,
};

fn check(ctx: &Context, acc: &mut Vec<Diagnostic>) {
    let Some(period) = &ctx.report.period else {
        return;
    };
    let year = ctx.year;
    // The start.
    check_date(ctx, &period.start, year, (1, 1), "起始", acc);
    match &period.end {
        None => {
            let y = year.or(period.start.year);
            let mut d = Diagnostic::new(
                RULE.id,
                period.end_range.clone(),
                format!(
                    "统计期限没有明确的截止日期（“至{}”）。统计期限应截至报告年度的 12月31日。",
                    &ctx.text[period.end_range.clone()]
                ),
            );
            if let Some(y) = y {
                d = d.with_fix(Fix {
                    title: format!("改为“{y}年12月31日”"),
                    safety: Safety::Unsafe,
                    edits: vec![Edit {
                        range: period.end_range.clone(),
                        new_text: format!("{y}年12月31日"),
                    }],
                });
            }
            acc.push(d);
        }
        Some(end) => {
            check_date(ctx, end, year.or(period.start.year), (12, 31), "截止", acc);
            if let (Some(sy), Some(ey)) = (period.start.year, end.year) {
                if year.is_none() && sy != ey {
                    if let Some(r) = end.year_range.clone() {
                        acc.push(Diagnostic::new(
                            RULE.id,
                            r,
                            format!("统计期限跨年：起于 {sy} 年，止于 {ey} 年。统计期限应为同一年度的 1月1日至12月31日。"),
                        ));
                    }
                }
            }
        }
    }
}

fn check_date(
    ctx: &Context,
    date: &PeriodDate,
    year: Option<i32>,
    (want_m, want_d): (u32, u32),
    which: &str,
    acc: &mut Vec<Diagnostic>,
) {
    if let (Some(y), Some(found), Some(range)) = (year, date.year, date.year_range.clone()) {
        if y != found {
            acc.push(
                Diagnostic::new(
                    RULE.id,
                    range.clone(),
                    format!(
                        "统计期限的{which}年份为 {found} 年，与报告年度 {y} 年不符（是否沿用了往年的报告？）。应为 {y} 年。"
                    ),
                )
                .with_fix(Fix {
                    title: format!("将 {found} 改为 {y}"),
                    safety: Safety::Unsafe,
                    edits: vec![Edit {
                        range,
                        new_text: y.to_string(),
                    }],
                }),
            );
        }
    }
    let y = date.year.or(year).unwrap_or(2000);
    let exists =
        (1..=12).contains(&date.month) && date.day >= 1 && date.day <= days_in_month(y, date.month);
    let found = &ctx.text[date.md_range.clone()];
    if !exists {
        acc.push(Diagnostic::new(
            RULE.id,
            date.md_range.clone(),
            format!("统计期限的{which}日期“{found}”不存在。应为 {want_m}月{want_d}日。"),
        ));
    } else if (date.month, date.day) != (want_m, want_d) {
        acc.push(
            Diagnostic::new(
                RULE.id,
                date.md_range.clone(),
                format!("统计期限的{which}日期为“{found}”，应为 {want_m}月{want_d}日（统计期限为报告年度全年）。"),
            )
            .with_fix(Fix {
                title: format!("改为“{want_m}月{want_d}日”"),
                safety: Safety::Unsafe,
                edits: vec![Edit {
                    range: date.md_range.clone(),
                    new_text: format!("{want_m}月{want_d}日"),
                }],
            }),
        );
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

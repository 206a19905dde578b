use super::{Context, FixKind, Rule};
use crate::diagnostic::{Diagnostic, Related, Severity};
use crate::model::Format;

pub static RULE: Rule = Rule {
    id: "fee-statement",
    default_severity: Severity::Warning,
    summary: "第六部分没有说明信息处理费的收取情况",
    docs: r#"## 检查内容

2021 年及以后的报告（报告年度无法确定时，按表格使用 2021 年格式判断）：“六、其他需要报告的事项”应说明本年度信息处理费的收取情况，即使没有收取，也要写明。第六部分提到“处理费”“收费”“费用”或“缴费”即视为已说明；繁体字同样识别。

- 没有说明：警告。
- 表三“（六）其他处理”中“2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请”的总计大于 0，说明本年度发出过收费通知，这时仍没有说明：错误（在配置中为本规则设置了级别时，按配置的级别）。

表二“第二十条第（八）项 行政事业性收费”是本机关日常的行政事业性收费，与信息处理费无关，不会触发本规则。没有第六部分时由 `missing-section` 报告，本规则不再重复。

## 原因

《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）规定了信息处理费的收取，2021 年格式要求在“其他需要报告的事项”中报告收取情况。评估中，第六部分只写“无。”是常见问题。

## 示例

```text
六、其他需要报告的事项
无。
```

## 修复

没有自动修复：在第六部分写明本年度信息处理费的情况，例如“本年度未收取信息处理费。”；发出过收费通知的，写明收费通知的件数、金额和实际收取的金额。"#,
    fix: FixKind::None,
    check,
};

/// Words that count as reporting on fees (in the normalised text).
const MENTIONS: [&str; 4] = ["处理费", "收费", "费用", "缴费"];

fn check(ctx: &Context, acc: &mut Vec<Diagnostic>) {
    let t3 = ctx.report.table("t3");
    let required = match ctx.year {
        Some(y) => y >= 2021,
        None => ctx.format == Some(Format::F2021),
    };
    if !required {
        return;
    }
    let sixes: Vec<_> = ctx
        .report
        .sections
        .iter()
        .filter(|s| s.number == 6)
        .collect();
    let Some(first) = sixes.first() else {
        return;
    };
    // The prose stream is simplified and has no line breaks (PDF text breaks words).
    let prose = ctx.prose();
    let mentioned = sixes.iter().any(|s| {
        let body = &prose.s[prose.range_of(s.body.clone())];
        MENTIONS.iter().any(|w| body.contains(w))
    });
    if mentioned {
        return;
    }
    // Fee notices were issued when 表三 （六）2. (2021 format) has cases.
    let notices = t3
        .filter(|t| t.format == Format::F2021 && t.consistent())
        .and_then(|t| {
            let label = t
                .cells
                .iter()
                .find(|c| c.row == "R3.6.2")
                .map(|c| c.row_label)?;
            t.read("R3.6.2", 6).map(|(n, range)| (n, range, label))
        })
        .filter(|(n, _, _)| *n > 0);
    let d = match notices {
        Some((n, range, label)) => Diagnostic::new(
            RULE.id,
            first.range.clone(),
            format!(
                "表三“{label}”的总计为 {n} 件，说明本年度发出过信息处理费收费通知，但“六、其他需要报告的事项”没有说明信息处理费的情况。请写明收费通知的件数、金额和实际收取的金额。"
            ),
        )
        .raised_to(Severity::Error)
        .with_related(vec![Related::new(range, format!("表三“{label}”·总计：{n}"))]),
        None => Diagnostic::new(
            RULE.id,
            first.range.clone(),
            "“六、其他需要报告的事项”没有说明信息处理费的收取情况。2021 年起的报告应在这里写明本年度是否收取信息处理费；没有收取的，也写明“本年度未收取信息处理费”。",
        ),
    };
    acc.push(d);
}

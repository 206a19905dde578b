use super::{Context, FixKind, Rule};
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    id: "missing-period",
    default_severity: Severity::Warning,
    summary: "没有统计期限说明",
    docs: r"## 检查内容

报告中找不到统计期限句，例如“本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止”。

## 原因

统计期限说明数据的口径；多数规范（如 DB51/T 2660—2019）要求写明。统一格式本身未逐字规定这句话，所以这只是警告。

## 示例

报告正文直接从“一、总体情况”开始，没有任何“统计期限”的说明。

## 修复

没有自动修复：建议在报告开头的说明段落加上统计期限句。",
    fix: FixKind::None,
    check,
};

fn check(ctx: &Context, acc: &mut Vec<Diagnostic>) {
    if ctx.report.period.is_some() {
        return;
    }
    // Point at the title if there is one, else at the first section heading.
    let at = match (&ctx.report.title, ctx.report.sections.first()) {
        (Some(t), _) => t.range.clone(),
        (None, Some(s)) => s.range.clone(),
        (None, None) => return,
    };
    let example = ctx.year.map_or_else(
        || "本报告中所列数据的统计期限自X年1月1日起至X年12月31日止".to_string(),
        |y| format!("本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止"),
    );
    acc.push(Diagnostic::new(
        RULE.id,
        at,
        format!("没有找到统计期限说明。建议在报告开头写明，例如“{example}”。"),
    ));
}

use super::{Context, FixKind, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::template::{self, ordinal_zh};

pub static RULE: Rule = Rule {
    id: "missing-table",
    default_severity: Severity::Error,
    summary: "第二、三、四部分没有可识别的统计表",
    docs: r"## 检查内容

第二部分（主动公开政府信息情况）、第三部分（收到和处理政府信息公开申请情况）和第四部分（政府信息公开行政复议、行政诉讼情况）各自必须有统一格式的统计表。本规则在某部分存在、但其中找不到对应表格的任何行标签时报告。

## 原因

统一格式以表格报告这三部分的数据；只写文字叙述、或把表格作为图片插入，审阅者和汇总系统都无法读取。

## 示例

“三、收到和处理政府信息公开申请情况”下只有一段文字“本年度未收到申请”，没有表格。

## 修复

没有自动修复：请按统一格式补上表格（没有数据的栏目填 0）。",
    fix: FixKind::None,
    check,
};

fn check(ctx: &Context, acc: &mut Vec<Diagnostic>) {
    // The first heading of each section (a duplicate is section-order's business).
    let firsts = ctx
        .report
        .sections
        .iter()
        .enumerate()
        .filter(|(i, s)| {
            !ctx.report.sections[..*i]
                .iter()
                .any(|p| p.number == s.number)
        })
        .map(|(_, s)| s);
    for section in firsts {
        let Some(table_id) = template::table_of_section(section.number) else {
            continue;
        };
        if ctx.report.tables.iter().any(|t| t.id == table_id) {
            continue;
        }
        acc.push(Diagnostic::new(
            RULE.id,
            section.range.clone(),
            format!(
                "第{}部分“{}”下没有找到{}。请按统一格式填写该表（没有数据的栏目填 0）。",
                ordinal_zh(section.number),
                template::section_title(section.number),
                template::table_name(table_id)
            ),
        ));
    }
}

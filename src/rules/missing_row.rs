use super::{Context, FixKind, Rule};
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    id: "missing-row",
    default_severity: Severity::Error,
    summary: "表格缺少模板中的行、列标题或栏目，或该标题为空",
    docs: r"## 检查内容

在已找到的统计表中，逐项核对统一格式规定的每一行、每个列标题和每个栏目（如 `第二十条第（八）项`）。缺少、或标题单元格为空时报告。

表格用的是另一年的格式（`obsolete-format`）时，只报告本年度格式也有的行和栏目，例如 2021 年度报告沿用 2019 年格式的表二，不会再要求补上 2019 年格式才有的“第二十条第（九）项”。

只在表格（表二按栏目分别计）已被完整读取时报告：一张没能读懂的表格只由 `unreadable-table` 报告一次，不会变成几十条缺行；标签在文中、只是位置错乱时，也不算缺少。

## 原因

统一格式要求表格“不能遗漏”：即使没有数据，也要保留该行并填 0。缺行会使汇总数据错位。

## 示例

表二第（八）项的列标题单元格为空（应为 `本年收费金额（单位：万元）`）；表三缺少 `8.属于行政查询事项` 一行。

## 修复

没有自动修复：请按统一格式补上缺少的行或标题。",
    fix: FixKind::None,
    check,
};

fn check(ctx: &Context, acc: &mut Vec<Diagnostic>) {
    for table in &ctx.report.tables {
        // A table in last format's layout (`obsolete-format`) is not asked
        // for what only that format had (2019's 第二十条第（九）项).
        let wanted = |label: &str| {
            super::obsolete_format::obsolete(ctx, table)
                .is_none_or(|f| crate::template::has_label(f, table.id, label))
        };
        for m in &table.missing {
            if !wanted(m.expected) || m.part.is_some_and(|p| !wanted(p)) {
                continue;
            }
            let what = match m.kind {
                "column" => "列标题",
                "block" => "栏目",
                _ => "行",
            };
            // A block title names itself; any other label is named with its block.
            let place = match m.part {
                Some(p) if m.kind != "block" => format!("{}“{p}”栏目", table.name),
                _ => table.name.to_string(),
            };
            acc.push(Diagnostic::new(
                RULE.id,
                m.at.clone(),
                format!(
                    "{place}缺少{}“{}”，或该单元格为空。请按统一格式补上。",
                    what, m.expected
                ),
            ));
        }
    }
}

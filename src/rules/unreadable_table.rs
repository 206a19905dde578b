use super::{Context, FixKind, Rule};
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    id: "unreadable-table",
    default_severity: Severity::Info,
    summary: "表格的一部分无法可靠读取（例如数字粘连，有多种拆分方式）",
    docs: r"## 检查内容

从 PDF 复制的表格常把一行的数字粘在一起（如 `5000005` 表示七个单元格 5、0、0、0、0、0、5）。只有当模板中的合计关系使拆分方式唯一时，才会拆分；否则本规则报告该处无法读取，并且不对其做任何数字检查，绝不猜测数字。

## 原因

猜错一个数字会产生错误的合计报告；不如明确告诉读者哪里没有检查。

## 示例

`政府集中采购36705283.86`：可以读作 3 项、6705283.86，也可以读作 36 项、705283.86。

## 修复

没有自动修复：请在单元格之间加上分隔（空格、制表符或 `|`），使每个数字独立。",
    fix: FixKind::None,
    check,
};

fn check(ctx: &Context, acc: &mut Vec<Diagnostic>) {
    for table in &ctx.report.tables {
        for u in &table.unreadable {
            acc.push(Diagnostic::new(
                RULE.id,
                u.range.clone(),
                format!(
                    "{}中“{}”一行无法可靠读取：{}。该行未做数字检查；请用空格或制表符分隔各单元格。",
                    table.name, u.row_label, u.reason
                ),
            ));
        }
    }
}

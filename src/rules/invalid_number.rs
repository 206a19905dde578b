use super::{Context, FixKind, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{CellKind, Value};

pub static RULE: Rule = Rule {
    id: "invalid-number",
    default_severity: Severity::Error,
    summary: "数据单元格不是数字、为负数或不应有小数",
    docs: r"## 检查内容

统计表中填写了内容的数据单元格必须是数字：件数、数量是不小于 0 的整数；`本年收费金额（单位：万元）`、`采购总金额` 可以有小数；2019 年格式的 `本年增/减` 可以是负数。写成文字（如 `若干`）、负数或不应有的小数都会报告。

没有填写的单元格（空白、`/`、`—`）以及数字少于栏数的行由 `blank-cell`（警告）报告。

## 原因

文字、负数或小数件数不是统一格式所要求的数，也无法参与合计核对。

## 示例

`行政许可 | 若干 |`；`予以公开 | 2.5 |`；`本年新收 | -1 |`。

## 修复

没有自动修复：请填写实际数字。",
    fix: FixKind::None,
    check,
};

fn check(ctx: &Context, acc: &mut Vec<Diagnostic>) {
    for table in &ctx.report.tables {
        for cell in &table.cells {
            let Some(range) = cell.range.clone() else {
                continue;
            };
            // Blank cells and short rows are `blank-cell`'s.
            let problem = match (&cell.value, cell.kind) {
                (Value::Text(t), _) => format!("“{t}”不是数字。请填写数字"),
                (Value::Int(n), CellKind::Count | CellKind::Amount) if *n < 0 => {
                    format!("为负数 {n}，该栏只能填不小于 0 的数")
                }
                (Value::Decimal(x), CellKind::Amount) if *x < 0.0 => {
                    format!("为负数 {x}，该栏只能填不小于 0 的数")
                }
                (Value::Decimal(x), CellKind::Count | CellKind::Signed) => {
                    format!("为小数 {x}，该栏应填整数（件数、项数）")
                }
                _ => continue,
            };
            acc.push(Diagnostic::new(
                RULE.id,
                range,
                format!("{}{}{problem}。", table.name, cell.place()),
            ));
        }
    }
}

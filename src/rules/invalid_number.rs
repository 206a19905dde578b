use super::{Context, FixKind, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{CellKind, Value};

pub static RULE: Rule = Rule {
    id: "invalid-number",
    default_severity: Severity::Error,
    summary: "数据单元格为空、不是数字、为负数或不应有小数",
    docs: r"## 检查内容

统计表的每个数据单元格都必须填写数字：件数、数量是不小于 0 的整数；`本年收费金额（单位：万元）`、`采购总金额` 可以有小数；2019 年格式的 `本年增/减` 可以是负数。空白、`/`、`—`、`无` 等都不是数字。

## 原因

统一格式要求没有数据的栏目填 0；空白或斜杠无法区分“没有发生”和“漏填”，也无法参与合计核对。

## 示例

`行政许可 | / |`；`予以公开 | 2.5 |`；`本年新收 | -1 |`。

## 修复

没有自动修复：请填写实际数字，没有发生的填 0。",
    fix: FixKind::None,
    check,
};

fn check(ctx: &Context, acc: &mut Vec<Diagnostic>) {
    for table in &ctx.report.tables {
        for cell in &table.cells {
            let Some(range) = cell.range.clone() else {
                continue;
            };
            let problem = match (&cell.value, cell.kind) {
                (Value::Blank, _) => Some("未填写（为空或为“/”“—”）。没有数据请填 0".to_string()),
                (Value::Text(t), _) => Some(format!("“{t}”不是数字。请填写数字")),
                (Value::Int(n), CellKind::Count | CellKind::Amount) if *n < 0 => {
                    Some(format!("为负数 {n}，该栏只能填不小于 0 的数"))
                }
                (Value::Decimal(x), CellKind::Amount) if *x < 0.0 => {
                    Some(format!("为负数 {x}，该栏只能填不小于 0 的数"))
                }
                (Value::Decimal(x), CellKind::Count | CellKind::Signed) => {
                    Some(format!("为小数 {x}，该栏应填整数（件数、项数）"))
                }
                _ => None,
            };
            if let Some(problem) = problem {
                let place = format!("{}{}", table.name, cell.place());
                acc.push(Diagnostic::new(
                    RULE.id,
                    range,
                    format!("{place}{problem}。"),
                ));
            }
        }
        // Cells that were not there at all (a row shorter than its header).
        let mut reported_rows: Vec<&str> = Vec::new();
        for cell in table.cells.iter().filter(|c| c.range.is_none()) {
            if reported_rows.contains(&cell.row) {
                continue;
            }
            reported_rows.push(cell.row);
            let n_missing = table
                .cells
                .iter()
                .filter(|c| c.row == cell.row && c.range.is_none())
                .count();
            let n_cols = table.cells.iter().filter(|c| c.row == cell.row).count();
            let at = table
                .labels
                .iter()
                .find(|l| l.expected == cell.row_label)
                .map_or(table.range.start..table.range.start, |l| l.range.clone());
            acc.push(Diagnostic::new(
                RULE.id,
                at,
                format!(
                    "{}{}应有 {} 个数字，缺少 {} 个（空白单元格）。没有数据请填 0。",
                    table.name,
                    row_words(cell.row_label),
                    n_cols,
                    n_missing
                ),
            ));
        }
        // Rows with fewer values than columns, where it is unknown which column is empty.
        for short in &table.short_rows {
            let found = if short.found == 0 {
                "没有数字".to_string()
            } else {
                format!("只有 {} 个数字", short.found)
            };
            acc.push(Diagnostic::new(
                RULE.id,
                short.range.clone(),
                format!(
                    "{}{}应有 {} 个数字，{}。请补全该行（没有数据的栏目填 0）。",
                    table.name,
                    row_words(short.row_label),
                    short.expected,
                    found
                ),
            ));
        }
    }
}

/// `“一、本年新收…”行`; the data row of a table without row labels (表四) is `的数据行`.
fn row_words(label: &str) -> String {
    if label.is_empty() {
        "的数据行".to_string()
    } else {
        format!("“{label}”行")
    }
}

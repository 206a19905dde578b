use super::{Context, FixKind, Rule};
use crate::diagnostic::{Diagnostic, Related, Severity};
use crate::model::{Cell, Table, Value};

pub static RULE: Rule = Rule {
    id: "blank-cell",
    default_severity: Severity::Warning,
    summary: "数据单元格未填写（空白、“/”“—”），或一行的数字少于栏数",
    docs: r"## 检查内容

统计表中没有填写数字的数据单元格：空白、`/`、`—`、`-`、`无`，以及一行的数字少于表头栏数（多见于从网页或 PDF 复制的文字，空白单元格在复制时消失了）。

同一栏中多行未填写（例如“法人或其他组织”各栏整栏留空）只报告一次，位置在第一处，每个未填写的单元格都列为相关位置。

## 原因

统一格式要求没有数据的栏目填 0。空白无法区分“没有发生”和“漏填”，也无法参与合计核对。统一格式本身没有写明空白是否允许，不少已发布的报告也这样填写，所以这是警告，不是错误；需要时可在设置中改为错误（`govReport.rules` 或 `gov-report.toml`）。

填写了但不是合格数字的单元格（文字、负数、不应有的小数）由 `invalid-number` 报告。

## 示例

`行政处罚 | / |`；表三“商业企业”整栏留空；`（一）予以公开 5 1 6`（应有 7 个数字）。

## 修复

没有自动修复：请填写实际数字，没有发生的填 0。",
    fix: FixKind::None,
    check,
};

const BLANK: &str = "未填写（为空或为“/”“—”）";

fn check(ctx: &Context, acc: &mut Vec<Diagnostic>) {
    for table in &ctx.report.tables {
        blank_cells(table, acc);
        missing_cells(table, acc);
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

/// Blank cells, one finding per column (and 表二 block): a column left
/// blank on purpose is one habit, not one mistake per row.
fn blank_cells(table: &Table, acc: &mut Vec<Diagnostic>) {
    let blank: Vec<&Cell> = table
        .cells
        .iter()
        .filter(|c| c.range.is_some() && c.value == Value::Blank)
        .collect();
    let part_of = |c: &Cell| table.parts.iter().position(|p| p.rows.contains(&c.row));
    let mut done = vec![false; blank.len()];
    for i in 0..blank.len() {
        if done[i] {
            continue;
        }
        let first = blank[i];
        let same: Vec<usize> = (i..blank.len())
            .filter(|&j| {
                blank[j].col_label == first.col_label && part_of(blank[j]) == part_of(first)
            })
            .collect();
        for &j in &same {
            done[j] = true;
        }
        let range = first.range.clone().unwrap_or_default();
        let message = if same.len() == 1 {
            format!("{}{}{BLANK}。没有数据请填 0。", table.name, first.place())
        } else {
            format!(
                "{}{}有 {} 行{BLANK}，第一处是{}。没有数据请填 0。",
                table.name,
                first.column(),
                same.len(),
                row_words(first.row_label)
            )
        };
        let mut d = Diagnostic::new(RULE.id, range, message);
        // Every cell of a group, the first included: the list is the finding.
        if same.len() > 1 {
            d.related = same
                .iter()
                .filter_map(|&j| {
                    let c = blank[j];
                    Some(Related::new(
                        c.range.clone()?,
                        format!("{}{BLANK}", c.place()),
                    ))
                })
                .collect();
        }
        acc.push(d);
    }
}

/// Cells that were not there at all (a row shorter than its header): one
/// finding per row.
fn missing_cells(table: &Table, acc: &mut Vec<Diagnostic>) {
    let mut reported_rows: Vec<&str> = Vec::new();
    for cell in table.cells.iter().filter(|c| c.range.is_none()) {
        if reported_rows.contains(&cell.row) {
            continue;
        }
        reported_rows.push(cell.row);
        let in_row = |c: &&Cell| c.row == cell.row;
        let n_missing = table
            .cells
            .iter()
            .filter(in_row)
            .filter(|c| c.range.is_none())
            .count();
        let n_cols = table.cells.iter().filter(in_row).count();
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
}

/// `“一、本年新收…”行`; the data row of a table without row labels (表四) is `的数据行`.
fn row_words(label: &str) -> String {
    if label.is_empty() {
        "的数据行".to_string()
    } else {
        format!("“{label}”行")
    }
}

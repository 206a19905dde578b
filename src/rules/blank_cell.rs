use super::{Context, FixKind, Rule};
use crate::diagnostic::{Diagnostic, Related, Severity};
use crate::model::{Cell, Table, Value};

pub static RULE: Rule = Rule {
    id: "blank-cell",
    default_severity: Severity::Warning,
    summary: "数据单元格未填写（空白、“/”“—”），或一行的数字少于栏数",
    docs: r"## 检查内容

统计表中没有填写数字的数据单元格：空白、`/`、`—`、`-`、`无`，以及一行的数字少于表头栏数（多见于从网页或 PDF 复制的文字，空白单元格在复制时消失了）。

同一栏中多行未填写（例如“法人或其他组织”各栏整栏留空）只报告一次，位置在第一处，每个未填写的单元格都列为相关位置。同一张表中有多行数字少于栏数时，也只报告一次，并列出每一行。

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
        short_rows(table, acc);
    }
}

/// Rows with fewer numbers than columns: one finding per table. Text copied
/// from a web page or PDF loses its blank cells, so every row with a blank
/// column comes out short; that is one cause, not one mistake per row.
fn short_rows(table: &Table, acc: &mut Vec<Diagnostic>) {
    let found = |n: usize| {
        if n == 0 {
            "没有数字".to_string()
        } else {
            format!("只有 {n} 个数字")
        }
    };
    let rows: Vec<Short> = table
        .short_rows
        .iter()
        .map(|s| Short {
            range: s.range.clone(),
            words: row_words(s.row_label),
            detail: format!("应有 {} 个数字，{}", s.expected, found(s.found)),
        })
        .collect();
    grouped(
        table,
        &rows,
        "请补全该行（没有数据的栏目填 0）",
        "请补全这些行（没有数据的栏目填 0）；从网页或 PDF 复制的表格常在复制时丢掉空白单元格，请对照原表",
        acc,
    );
}

/// A row of a table with too few numbers, as a finding would name it.
struct Short {
    range: std::ops::Range<usize>,
    words: String,
    detail: String,
}

/// One finding for a single row; one finding listing every row (as related
/// locations) for several.
fn grouped(table: &Table, rows: &[Short], one: &str, many: &str, acc: &mut Vec<Diagnostic>) {
    let Some(first) = rows.first() else {
        return;
    };
    if rows.len() == 1 {
        acc.push(Diagnostic::new(
            RULE.id,
            first.range.clone(),
            format!("{}{}{}。{one}。", table.name, first.words, first.detail),
        ));
        return;
    }
    let mut d = Diagnostic::new(
        RULE.id,
        first.range.clone(),
        format!(
            "{}有 {} 行的数字少于栏数，第一处是{}（{}）。{many}。",
            table.name,
            rows.len(),
            first.words,
            first.detail
        ),
    );
    d.related = rows
        .iter()
        .map(|r| Related::new(r.range.clone(), format!("{}{}", r.words, r.detail)))
        .collect();
    acc.push(d);
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
/// finding per table, like short rows.
fn missing_cells(table: &Table, acc: &mut Vec<Diagnostic>) {
    let mut rows: Vec<Short> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for cell in table.cells.iter().filter(|c| c.range.is_none()) {
        if seen.contains(&cell.row) {
            continue;
        }
        seen.push(cell.row);
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
        rows.push(Short {
            range: at,
            words: row_words(cell.row_label),
            detail: format!("应有 {n_cols} 个数字，缺少 {n_missing} 个（空白单元格）"),
        });
    }
    grouped(table, &rows, "没有数据请填 0", "没有数据请填 0", acc);
}

/// `“一、本年新收…”行`; the data row of a table without row labels (表四) is `的数据行`.
fn row_words(label: &str) -> String {
    if label.is_empty() {
        "的数据行".to_string()
    } else {
        format!("“{label}”行")
    }
}

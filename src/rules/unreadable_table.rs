use super::{Context, FixKind, Rule};
use crate::diagnostic::{Diagnostic, Related, Severity};
use crate::model::{Part, Table, Verdict};

pub static RULE: Rule = Rule {
    id: "unreadable-table",
    default_severity: Severity::Info,
    summary: "表格的一部分无法可靠读取，该部分未做检查（例如数字粘连，有多种拆分方式）",
    docs: r"## 检查内容

每张统计表（表二的四个栏目分别计）读取后都有一个结论：已读取、部分读取或无法读取。从网页或 PDF 复制的表格常把一行的数字粘在一起（如 `5000005` 表示七个单元格 5、0、0、0、0、0、5），或把表格压成一行、打乱行与数字的对应。只有当模板中的合计关系（各行总计、各列总计、表三勾稽关系、表四各组总计）使读法唯一时，才会拆分粘连的数字；否则本规则报告该部分无法可靠读取。

每个无法读取的部分只报告一次，说明是哪一部分、原因是什么、怎样改才能读取；该部分不会再报告空白单元格、合计或勾稽错误。若各行都在原位、只是粘连数字的拆分方式不唯一（且最多缺一个标题），行和栏目名称照常检查（`missing-row`、`table-label`），提示中会写明“行和栏目名称已检查”；否则也不报告缺行。部分读取时，已读取的行照常检查，未读取的行在这里列出。

## 原因

猜错一个数字会产生错误的合计报告；一张没读懂的表格也不应变成几十条错误。不如明确告诉读者哪里没有检查。

## 示例

`政府集中采购36705283.86`：可以读作 3 项、6705283.86，也可以读作 36 项、705283.86。

## 修复

没有自动修复：请在单元格之间加上分隔（空格、制表符或 `|`），或把表格做成 Word、Markdown 表格，使每个数字独立成格。",
    fix: FixKind::None,
    check,
};

fn check(ctx: &Context, acc: &mut Vec<Diagnostic>) {
    for table in &ctx.report.tables {
        for part in &table.parts {
            if let Some(d) = finding(table, part) {
                acc.push(d);
            }
        }
    }
}

fn finding(table: &Table, part: &Part) -> Option<Diagnostic> {
    let place = if part.name == table.name {
        table.name.to_string()
    } else {
        format!("{}“{}”栏目", table.name, part.name)
    };
    match part.verdict {
        Verdict::Read => None,
        Verdict::Unreadable => Some(Diagnostic::new(
            RULE.id,
            part.range.clone(),
            format!(
                "{place}无法可靠读取：{}。{}；请在数字之间加空格或使用表格，使每个数字独立成格。",
                part.reason.as_deref().unwrap_or("行与数字对不上"),
                if part.labels_checked {
                    "这一部分的数字没有做检查（行和栏目名称已检查）"
                } else {
                    "这一部分没有做任何检查"
                }
            ),
        )),
        Verdict::Partial => {
            let rows: Vec<String> = part.unread.iter().map(|u| row_words(u.row_label)).collect();
            let first = part.unread.first()?;
            let related = part
                .unread
                .iter()
                .map(|u| {
                    Related::new(
                        u.range.clone(),
                        format!("{}：{}", row_words(u.row_label), u.reason),
                    )
                })
                .collect();
            Some(
                Diagnostic::new(
                    RULE.id,
                    first.range.clone(),
                    format!(
                        "{place}有 {} 行无法可靠读取（{}）：{}。这些行没有做数字检查，其余各行已检查；请在数字之间加空格或使用表格，使每个数字独立成格。",
                        rows.len(),
                        rows.join("、"),
                        first.reason
                    ),
                )
                .with_related(related),
            )
        }
    }
}

/// A row named in a message: its label, or `数据行` for the one row of 表四.
fn row_words(label: &str) -> String {
    if label.is_empty() {
        "数据行".to_string()
    } else {
        format!("“{label}”")
    }
}

use super::{Context, FixKind, Rule};
use crate::diagnostic::{Diagnostic, Edit, Fix, Related, Safety, Severity};
use crate::model::{IdentityKind, Table};

pub static RULE: Rule = Rule {
    id: "total-mismatch",
    default_severity: Severity::Error,
    summary: "总计不等于各项之和",
    docs: r"## 检查内容

统计表中的每个“总计”都必须等于它所汇总的各项之和：

- 表三每一行的“总计”列 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他；
- 表三每一列的“（七）总计” = （一）至（六）各项办理结果之和；
- 表四行政复议、未经复议直接起诉、复议后起诉三组各自的“总计” = 结果维持 + 结果纠正 + 其他结果 + 尚未审结。

合计关系来自模板数据文件，不是写在代码里的。

## 原因

合计错误（勾稽关系错误）是年度报告最常见的数据失准问题，也是上级审阅和第三方评估的重点。

## 示例

表四复议一组 `10 1 0 0 0`：总计应为 11，实际为 0。

## 修复

把总计改为各项之和（不安全修复：也可能是某一项填错了，请核对原始台账）。",
    fix: FixKind::Unsafe,
    check,
};

fn check(ctx: &Context, acc: &mut Vec<Diagnostic>) {
    for table in &ctx.report.tables {
        check_table(table, acc);
    }
}

fn check_table(table: &Table, acc: &mut Vec<Diagnostic>) {
    for id in table
        .identities
        .iter()
        .filter(|i| i.kind == IdentityKind::Total)
    {
        let [total_idx] = id.left[..] else { continue };
        let total = &table.cells[total_idx];
        let (Some(actual), Some(range)) = (total.value.as_i64(), total.range.clone()) else {
            continue;
        };
        let part = |&i: &usize| table.cells[i].value.as_i64();
        // Summed without collecting the parts: nearly every total holds, and
        // then they are not needed (a vector per identity cost more than the check).
        let Some(expected) = id.right.iter().map(part).sum::<Option<i64>>() else {
            continue;
        };
        if expected == actual {
            continue;
        }
        let parts: Vec<i64> = id.right.iter().filter_map(part).collect();
        let related = id
            .right
            .iter()
            .filter_map(|&i| {
                let c = &table.cells[i];
                c.range.clone().map(|r| {
                    Related::new(
                        r,
                        format!("{}：{}", c.place(), c.value.as_i64().unwrap_or(0)),
                    )
                })
            })
            .collect();
        let terms = if parts.len() <= 8 {
            let joined = parts
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join("+");
            format!("：{joined}")
        } else {
            String::new()
        };
        acc.push(
            Diagnostic::new(
                RULE.id,
                range.clone(),
                format!(
                    "{}{}的总计应为 {}（{}之和{}），实际为 {}。请核对总计和各项数字。",
                    table.name,
                    id.scope,
                    expected,
                    describe_parts(table, &id.right),
                    terms,
                    actual
                ),
            )
            .with_related(related)
            .with_fix(Fix {
                title: format!("将总计改为 {expected}"),
                safety: Safety::Unsafe,
                edits: vec![Edit {
                    range,
                    new_text: expected.to_string(),
                }],
            }),
        );
    }
}

/// A short description of the summed cells: their common row or column.
fn describe_parts(table: &Table, parts: &[usize]) -> String {
    let cells: Vec<_> = parts.iter().map(|&i| &table.cells[i]).collect();
    let Some(first) = cells.first() else {
        return String::new();
    };
    if cells.iter().all(|c| c.row == first.row) {
        format!("本行 {} 栏", cells.len())
    } else if cells.iter().all(|c| c.col == first.col) {
        format!("本列 {} 项", cells.len())
    } else {
        format!("{} 项", cells.len())
    }
}

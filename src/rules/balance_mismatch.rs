use super::{Context, FixKind, Rule};
use crate::diagnostic::{Diagnostic, Related, Severity};
use crate::model::IdentityKind;

pub static RULE: Rule = Rule {
    id: "balance-mismatch",
    default_severity: Severity::Error,
    summary: "表三勾稽关系不平：第一项加第二项之和不等于第三项加第四项之和",
    docs: r"## 检查内容

表三表头注明“本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和”。对每一列（自然人、各类法人或其他组织、总计）核对：

一、本年新收 + 二、上年结转 = 三、本年度办理结果的（七）总计 + 四、结转下年度继续办理。

## 原因

这是统一格式明文规定的勾稽关系：收到的申请要么办结、要么结转，不能凭空多出或少掉。

## 示例

自然人列：新收 5 + 结转 1 = 6，但办结总计 5 + 结转下年度 0 = 5。

## 修复

没有自动修复：不平说明某个数字填错了，需要对照台账核实。",
    fix: FixKind::None,
    check,
};

fn check(ctx: &Context, acc: &mut Vec<Diagnostic>) {
    for table in &ctx.report.tables {
        for id in table
            .identities
            .iter()
            .filter(|i| i.kind == IdentityKind::Balance)
        {
            let side = |idx: &[usize]| -> Option<i64> {
                idx.iter().map(|&i| table.cells[i].value.as_i64()).sum()
            };
            let (Some(left), Some(right)) = (side(&id.left), side(&id.right)) else {
                continue;
            };
            if left == right {
                continue;
            }
            // Point at the carried-forward cell (the last term), the usual place of the slip.
            let Some(anchor) = id
                .left
                .iter()
                .chain(&id.right)
                .rev()
                .find_map(|&i| table.cells[i].range.clone())
            else {
                continue;
            };
            let related = id
                .left
                .iter()
                .chain(&id.right)
                .filter_map(|&i| {
                    let c = &table.cells[i];
                    c.range.clone().map(|r| {
                        Related::new(
                            r,
                            format!("{}：{}", c.row_label, c.value.as_i64().unwrap_or(0)),
                        )
                    })
                })
                .collect();
            let terms = |idx: &[usize]| {
                idx.iter()
                    .map(|&i| table.cells[i].value.as_i64().unwrap_or(0).to_string())
                    .collect::<Vec<_>>()
                    .join(" + ")
            };
            acc.push(
                Diagnostic::new(
                    RULE.id,
                    anchor,
                    format!(
                        "{}{}勾稽关系不平：第一项加第二项之和为 {}（{}），第三项加第四项之和为 {}（{}），两者应相等。请核对这一列的数字。",
                        table.name,
                        id.scope,
                        left,
                        terms(&id.left),
                        right,
                        terms(&id.right)
                    ),
                )
                .with_related(related),
            );
        }
    }
}

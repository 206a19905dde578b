use super::{Context, FixKind, Rule};
use crate::diagnostic::{Diagnostic, Edit, Fix, Safety, Severity};
use crate::normalize::in_script;

pub static RULE: Rule = Rule {
    id: "table-label",
    default_severity: Severity::Error,
    summary: "表格的行、列或栏目标签写错（与模板标签相近但不同）",
    docs: r"## 检查内容

统计表的行标签、列标题和栏目标题必须与统一格式一字不差。本规则找出与同一表格、同一位置的模板标签相近但不相同的文字，例如 `结果维护`（应为 `结果维持`）、`本年度发件数`（应为 `本年制发件数`）。比较前会统一繁简体、全角半角、空格和序号写法（`（一）`、`(一)`、`1.`、`1、`），这些差异不会报告。只与同一表格同一位置、尚未找到的标签比较，所以 `结果维持` 和 `结果纠正` 不会被混淆；`本年撤销件数` 与 `本年制发件数`、`本年废止件数` 同样相近，但只有 `本年废止件数` 在此处缺少，就按它报告。网页压成一行、标签和数字连在一起时（如 `（一）予与公开7000007`），也在连写的文字中查找。只报告笔误大小的差异（几个字被改、多出或漏掉）；转换时把别的标签混进来的文字不算笔误。表四的三组表头同名，消息会写明是哪一组（如 `“复议后起诉”组`），表二则写明是哪个栏目。

## 原因

标签写错会让读者和汇总系统无法确定数字的含义；`结果维护` 这样的笔误在人工审阅中很容易漏掉。

## 示例

表四中 `结果维护 | 结果纠正 | 其他结果 | 尚未审结 | 总计`：第一列应为 `结果维持`。

## 修复

替换为模板标签（安全修复；繁体文档替换为对应的繁体写法）。Word 文档（.docx）中只改写标签里改动的字，
格式不变；标签分在格式不同的几段文字中或处于修订状态时，提示“请在 Word 中手动修改”。网页（.html）改写网页源代码。
PDF 不能自动修复。",
    fix: FixKind::Safe,
    check,
};

fn check(ctx: &Context, acc: &mut Vec<Diagnostic>) {
    for table in &ctx.report.tables {
        for label in table.labels.iter().filter(|l| l.near_miss) {
            if ctx
                .settings
                .extra_labels
                .iter()
                .any(|x| crate::normalize::key(x) == crate::normalize::key(&label.found))
            {
                continue;
            }
            let replacement = in_script(label.expected, ctx.report.traditional);
            acc.push(
                Diagnostic::new(
                    RULE.id,
                    label.range.clone(),
                    format!(
                        "{}标签“{}”与统一格式不一致，应为“{}”。",
                        label.place(table.name),
                        label.found.trim(),
                        label.expected
                    ),
                )
                .with_fix(Fix {
                    title: format!("改为“{replacement}”"),
                    safety: Safety::Safe,
                    edits: vec![Edit {
                        range: label.range.clone(),
                        new_text: replacement,
                    }],
                }),
            );
        }
    }
}

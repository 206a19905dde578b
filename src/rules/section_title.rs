use super::{Context, FixKind, Rule};
use crate::diagnostic::{Diagnostic, Edit, Fix, Safety, Severity};
use crate::model::Wording;
use crate::normalize::in_script;
use crate::template::{self, ordinal_zh};

pub static RULE: Rule = Rule {
    id: "section-title",
    default_severity: Severity::Warning,
    summary: "部分标题措辞与统一格式不一致",
    docs: r"## 检查内容

识别出了某一部分的标题，但措辞与统一格式不同，例如 `五、存在问题及改进措施`（统一格式为 `五、存在的主要问题及改进情况`）。条例原文的等价措辞（如 `四、政府信息公开行政复议和行政诉讼情况`、`五、政府信息公开工作存在的主要问题及改进情况`）不会报告。繁体字、全角半角括号和空格差异也不会报告。

## 原因

“改进措施”是2019年以前的旧提法；统一格式要求报告“改进情况”。标题统一便于审阅和汇总。

## 示例

`五、存在問題及改進措施` → `五、存在的主要問題及改進情況`

## 修复

替换为统一格式的标题（安全修复；繁体文档保持繁体）。从网页保存、各部分连成一行的文本中，标题后紧接正文，无法确定标题在哪里结束：这时只报告标题的开头，不提供自动修复。Word 文档中只改写标题里改动的字；
标题的序号若由 Word 自动编号生成（不是输入的文字），提示“请在 Word 中手动修改”。",
    fix: FixKind::Safe,
    check,
};

fn check(ctx: &Context, acc: &mut Vec<Diagnostic>) {
    for s in &ctx.report.sections {
        if s.wording != Wording::OffTemplate {
            continue;
        }
        let canonical = template::section_title(s.number);
        let replacement = in_script(canonical, ctx.report.traditional);
        let found = ctx.text[s.title_range.clone()].trim();
        if s.run_on {
            // The title runs on into the text: its end is a guess, so it is
            // quoted as a beginning and not rewritten.
            acc.push(Diagnostic::new(
                RULE.id,
                s.title_range.clone(),
                format!(
                    "第{}部分标题（以“{found}”开头）与统一格式不一致，应为“{canonical}”。标题与正文连在一起，无法确定标题在哪里结束，请手动改为统一格式的标题。",
                    ordinal_zh(s.number),
                ),
            ));
            continue;
        }
        acc.push(
            Diagnostic::new(
                RULE.id,
                s.title_range.clone(),
                format!(
                    "第{}部分标题“{}”与统一格式不一致，应为“{}”。",
                    ordinal_zh(s.number),
                    found,
                    canonical
                ),
            )
            .with_fix(Fix {
                title: format!("将标题改为“{replacement}”"),
                safety: Safety::Safe,
                edits: vec![Edit {
                    range: s.title_range.clone(),
                    new_text: replacement,
                }],
            }),
        );
    }
}

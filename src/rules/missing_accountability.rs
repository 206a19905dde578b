use super::{Context, FixKind, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::normalize;
use crate::settings::AgencyKind;

pub static RULE: Rule = Rule {
    id: "missing-accountability",
    default_severity: Severity::Error,
    summary: "人民政府的报告没有说明工作考核、社会评议和责任追究结果情况",
    docs: r#"## 检查内容

仅当 `gov-report.toml` 中写明 `agency-kind = "government"`（报告由人民政府本级发布，而不是政府部门）时检查：报告是否说明了工作考核、社会评议和责任追究结果情况。全文出现“考核”、“评议”、“责任追究”（或“追责”、“问责”）即视为已说明；繁体字同样识别。

## 原因

《中华人民共和国政府信息公开条例》第五十条第（四）项规定：“各级人民政府的政府信息公开工作年度报告还应当包括工作考核、社会评议和责任追究结果情况”。统一格式要求写在“一、总体情况”的“监督保障”部分。政府部门的报告没有这项要求，所以默认不检查。

## 示例

某县人民政府的报告在“（五）监督保障”中只写了“开展政务公开培训2次”，没有写考核、评议和责任追究的结果。

## 修复

没有自动修复：请在“一、总体情况”的监督保障部分补充工作考核、社会评议和责任追究结果情况，例如“将政务公开工作纳入年度绩效考核；开展社会评议1次；本年度未发生责任追究情况”。"#,
    fix: FixKind::None,
    check,
};

/// The three required topics and the words that count as mentioning them.
const TOPICS: [(&str, &[&str]); 3] = [
    ("工作考核", &["考核"]),
    ("社会评议", &["评议"]),
    ("责任追究", &["责任追究", "追责", "问责"]),
];

fn check(ctx: &Context, acc: &mut Vec<Diagnostic>) {
    if ctx.settings.agency_kind != Some(AgencyKind::Government) {
        return;
    }
    // Point at section 一's heading, else the title; a text with neither is
    // not read as a report.
    let at = match (
        ctx.report.sections.iter().find(|s| s.number == 1),
        &ctx.report.title,
    ) {
        (Some(s), _) => s.range.clone(),
        (None, Some(t)) => t.range.clone(),
        (None, None) => return,
    };
    // Simplified, without blanks or punctuation: PDF text breaks words across lines.
    let key = normalize::key(ctx.text);
    let missing: Vec<&str> = TOPICS
        .iter()
        .filter(|(_, words)| !words.iter().any(|w| key.contains(w)))
        .map(|(name, _)| *name)
        .collect();
    if missing.is_empty() {
        return;
    }
    acc.push(Diagnostic::new(
        RULE.id,
        at,
        format!(
            "人民政府的年度报告应说明工作考核、社会评议和责任追究结果情况（条例第五十条第四项），未找到：{}。请在“一、总体情况”的监督保障部分补充。",
            missing.join("、")
        ),
    ));
}

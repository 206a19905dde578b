use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Related, Severity};
use crate::template::{self, ordinal_zh};

use super::FixKind;

pub static RULE: Rule = Rule {
    id: "section-order",
    default_severity: Severity::Error,
    summary: "部分顺序错误、重复，或序号与内容不符",
    docs: r"## 检查内容

六个部分必须按“一”到“六”的顺序各出现一次，且每个标题前的序号要与其内容对应。本规则报告：顺序颠倒的部分、重复出现的部分，以及序号错位的标题（例如把“主动公开政府信息情况”编为“一、”）。

## 原因

统一格式规定了固定的六部分结构。序号错位常见于删掉“总体情况”后其余部分整体前移，审阅者和汇总系统会因此读错内容。

## 示例

`一、主动公开政府信息情况`（应为“二、”）；或“三、收到和处理政府信息公开申请情况”出现在“二、”之前。

## 修复

没有自动修复：请按统一格式调整部分顺序和序号。",
    fix: FixKind::None,
    check,
};

fn check(ctx: &Context, acc: &mut Vec<Diagnostic>) {
    let sections = &ctx.report.sections;
    let mut highest: u8 = 0;
    for (i, s) in sections.iter().enumerate() {
        let heading = template::section_heading(s.number);
        if let Some(first) = sections[..i].iter().find(|p| p.number == s.number) {
            acc.push(
                Diagnostic::new(
                    RULE.id,
                    s.range.clone(),
                    format!(
                        "第{}部分“{}”重复出现。每个部分只应出现一次，请合并或删除重复的部分。",
                        ordinal_zh(s.number),
                        heading
                    ),
                )
                .with_related(vec![Related::new(first.range.clone(), "第一次出现的位置")]),
            );
            continue;
        }
        if let (Some(ordinal), Some(range)) = (s.ordinal, s.ordinal_range.clone()) {
            if ordinal != s.number {
                acc.push(Diagnostic::new(
                    RULE.id,
                    range,
                    format!(
                        "序号与内容不符：“{}”应是第{}部分，实际编为“{}”。请改为“{}、”。",
                        heading,
                        ordinal_zh(s.number),
                        ordinal_zh(ordinal),
                        ordinal_zh(s.number)
                    ),
                ));
                highest = highest.max(s.number);
                continue;
            }
        }
        if s.number < highest {
            acc.push(Diagnostic::new(
                RULE.id,
                s.range.clone(),
                format!(
                    "部分顺序错误：第{}部分“{}”出现在第{}部分之后。请按一至六的顺序排列。",
                    ordinal_zh(s.number),
                    heading,
                    ordinal_zh(highest)
                ),
            ));
        }
        highest = highest.max(s.number);
    }
}

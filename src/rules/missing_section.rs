use super::{Context, FixKind, Rule};
use crate::diagnostic::{Diagnostic, Edit, Fix, Safety, Severity};
use crate::template::{self, ordinal_zh};

pub static RULE: Rule = Rule {
    id: "missing-section",
    default_severity: Severity::Error,
    summary: "缺少六个部分之一",
    docs: r"## 检查内容

年度报告必须依次包含六个部分：一、总体情况；二、主动公开政府信息情况；三、收到和处理政府信息公开申请情况；四、政府信息公开行政复议、行政诉讼情况；五、存在的主要问题及改进情况；六、其他需要报告的事项。本规则在找不到其中某一部分的标题时报告。

## 原因

《中华人民共和国政府信息公开条例》第五十条规定了年度报告的内容，国办公开办函〔2021〕30号（2019、2020年度为〔2019〕60号）据此规定了统一格式，要求“不能遗漏”。

## 示例

报告在“四、政府信息公开行政复议、行政诉讼情况”之后直接写“六、其他需要报告的事项”，缺少第五部分。

## 修复

在应有的位置插入标准标题（不安全修复：插入后还需补写该部分的内容）。",
    fix: FixKind::Unsafe,
    check,
};

fn check(ctx: &Context, acc: &mut Vec<Diagnostic>) {
    let sections = &ctx.report.sections;
    if sections.is_empty() && ctx.report.tables.is_empty() {
        // Not recognisable as a report at all; one finding instead of six.
        acc.push(Diagnostic::new(
            RULE.id,
            0..first_line_end(ctx.text),
            "未找到年度报告的任何部分标题（一、总体情况 … 六、其他需要报告的事项）。请按统一格式编写六个部分。",
        ));
        return;
    }
    for number in 1..=6u8 {
        if sections.iter().any(|s| s.number == number) {
            continue;
        }
        let heading = template::section_heading(number);
        // Insert before the first section that should come after this one,
        // at the start of its line and with its Markdown marker (`## `), so
        // the new heading has the level of its neighbours and the next one
        // keeps its own; else at the end, with the last heading's marker.
        let next = sections.iter().find(|s| s.number > number);
        let (at, anchor, marker) = match next {
            Some(next) => {
                let (line_start, marker) = heading_marker(ctx.text, next.range.start);
                let at = if marker.is_some() {
                    line_start
                } else {
                    next.range.start
                };
                (at, next.range.clone(), marker)
            }
            None => {
                let end = ctx.text.len();
                let start = ctx.text[..end].trim_end().len();
                let line_start = ctx.text[..start].rfind('\n').map_or(0, |i| i + 1);
                let marker = sections
                    .iter()
                    .rev()
                    .find_map(|s| heading_marker(ctx.text, s.range.start).1);
                (end, line_start..start, marker)
            }
        };
        let mut insert = String::new();
        if at == ctx.text.len() && !ctx.text.is_empty() && !ctx.text.ends_with('\n') {
            insert.push('\n');
        }
        insert.push_str(marker.unwrap_or_default());
        insert.push_str(&crate::normalize::in_script(
            &heading,
            ctx.report.traditional,
        ));
        insert.push('\n');
        let message = format!(
            "缺少第{}部分“{}”。年度报告应依次包含六个部分，请在此处补上该部分的标题和内容。",
            ordinal_zh(number),
            heading
        );
        acc.push(Diagnostic::new(RULE.id, anchor, message).with_fix(Fix {
            title: format!("插入标题“{heading}”"),
            safety: Safety::Unsafe,
            edits: vec![Edit {
                range: at..at,
                new_text: insert,
            }],
        }));
    }
}

/// The start of the line a heading at `start` is on, and the text before
/// the heading on that line when it is only a Markdown heading marker and
/// spaces (`## `, `  `); `None` when other text precedes the heading (a
/// heading run into the previous paragraph) or nothing does.
fn heading_marker(text: &str, start: usize) -> (usize, Option<&str>) {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..start];
    let only_marker = !before.is_empty()
        && before
            .trim_start_matches([' ', '\t', '\u{3000}'])
            .trim_start_matches('#')
            .trim_matches([' ', '\t', '\u{3000}'])
            .is_empty();
    (line_start, only_marker.then_some(before))
}

fn first_line_end(text: &str) -> usize {
    text.find('\n').unwrap_or(text.len())
}

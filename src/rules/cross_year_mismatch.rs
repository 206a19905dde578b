//! A cross-file rule: it needs last year's report of the same body, so it
//! runs in [`crate::series`] over every report checked together, not over
//! one text. Its `check` finds nothing in a single report.

use super::{Context, FixKind, Rule};
use crate::diagnostic::{Diagnostic, Related, Severity};
use crate::series::{Cell, Facts};

pub static RULE: Rule = Rule {
    id: "cross-year-mismatch",
    default_severity: Severity::Warning,
    summary: "与同一机关上一年度的报告衔接不上（上年结转、现行有效件数）",
    docs: r#"## 检查内容

同一机关相邻两个年度的报告一起检查时（命令行中同一次检查的文件，包括同一文件夹中的文件；编辑器中同一工作区的文件，上一年度的报告不必打开），核对两份报告的衔接：

- 表三“二、上年结转政府信息公开申请数量”（本年度）应等于上一年度报告的“四、结转下年度继续办理”，每一列（自然人、各类法人或其他组织、总计）分别核对；
- 表二“规章”“行政规范性文件”的“现行有效件数”（本年度）应等于上一年度报告的“现行有效件数”加本年制发件数、减本年废止件数（两个年度都使用 2021 年格式时核对）。

问题标在本年度报告的单元格上，并指出上一年度报告中对应的单元格（另一个文件中的位置）。表格没有读出、或表格自身的合计关系不成立时不核对。

同一机关的识别：报告标题中年份前面的机关名称，或紧接年份后面的机关名称（如“2025 年上海市人民政府办公厅政府信息公开工作年度报告”），标题以年份开头时也看上一行（如“淮安市洪泽区人民政府 / 2024 年政府信息公开工作年度报告”）；只认以“人民政府、局、委员会、办公室、区、县”等结尾的名称；两个名称相同，或一个是另一个的结尾且含有地名（如“洪泽区人民政府”与“淮安市洪泽区人民政府”），视为同一机关。名称识别不准时，在 `gov-report.toml` 中写 `agency = "机关名称"`。同一机关同一年度有多份报告（如多个草稿）时无法确定比较哪一份，不核对这一年。

检查文件夹时，如果一个机关有多个年度的报告，结果最后列出各机关的年度和跨年度问题数。

## 原因

上一年度结转到下一年度继续办理的申请，就是下一年度的“上年结转”；现行有效的文件数逐年累计。两份报告对不上，说明其中一份的数字有误。规范性文件因有效期届满而失效、没有计入废止件数时，也会对不上：失效的文件应计入当年的废止件数，或在报告中说明。

## 示例

2022 年度报告：`四、结转下年度继续办理 | 2 | 0 | 0 | 0 | 0 | 0 | 2`

2023 年度报告：`二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0`

## 修复

没有自动修复：核对两个年度的台账，改正错误的那份报告。在 Markdown 中可以用 `<!-- gov-report-disable-next-line cross-year-mismatch -->` 抑制（须写出规则名）。"#,
    fix: FixKind::None,
    check,
};

/// Nothing to do in one report: see [`compare`].
fn check(_: &Context, _: &mut Vec<Diagnostic>) {}

/// The findings in `later` (a report of year Y) against `earlier` (year Y−1
/// of the same body). Ranges are in `later`'s text; related locations in
/// `earlier` carry its path.
pub fn compare(later: &Facts, earlier: &Facts) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let (Some(y), Some(prev)) = (later.year, earlier.year) else {
        return out;
    };
    let other = |cell: &Cell, what: &str| {
        Related::in_file(
            earlier.path.clone(),
            cell.range.clone(),
            format!("{prev} 年度报告{what}：{}", cell.value),
        )
    };
    for (col, (now, before)) in later
        .carried_in
        .iter()
        .zip(&earlier.carried_out)
        .enumerate()
    {
        let (Some(now), Some(before)) = (now, before) else {
            continue;
        };
        if now.value == before.value {
            continue;
        }
        let column = later.column_labels.get(col).map_or("", String::as_str);
        out.push(
            Diagnostic::new(
                RULE.id,
                now.range.clone(),
                format!(
                    "表三“二、上年结转政府信息公开申请数量”的“{column}”为 {} 件，但 {prev} 年度报告（{}）“四、结转下年度继续办理”的“{column}”为 {} 件，两者应相等。请核对 {y} 年或 {prev} 年的报告。",
                    now.value, earlier.label, before.value
                ),
            )
            .with_related(vec![other(before, &format!("“四、结转下年度继续办理”·{column}"))]),
        );
    }
    for (row, name) in [(0, "规章"), (1, "行政规范性文件")] {
        let (Some(now), Some(before)) = (&later.documents[row], &earlier.documents[row]) else {
            continue;
        };
        let [Some(issued), Some(repealed), Some(in_force)] = now else {
            continue;
        };
        let Some(before_in_force) = &before[2] else {
            continue;
        };
        let expected = before_in_force.value + issued.value - repealed.value;
        if in_force.value == expected {
            continue;
        }
        out.push(
            Diagnostic::new(
                RULE.id,
                in_force.range.clone(),
                format!(
                    "表二“{name}”的现行有效件数为 {} 件，但按 {prev} 年度报告（{}）的现行有效件数 {} 件，加本年制发 {} 件、减本年废止 {} 件，应为 {expected} 件。请核对（因有效期届满失效的文件应计入废止件数）。",
                    in_force.value, earlier.label, before_in_force.value, issued.value, repealed.value
                ),
            )
            .with_related(vec![
                other(before_in_force, &format!("表二“{name}”·现行有效件数")),
                Related::new(
                    issued.range.clone(),
                    format!("表二“{name}”·本年制发件数：{}", issued.value),
                ),
                Related::new(
                    repealed.range.clone(),
                    format!("表二“{name}”·本年废止件数：{}", repealed.value),
                ),
            ]),
        );
    }
    out
}

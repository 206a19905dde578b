use super::{Context, FixKind, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Format, Table, Verdict};

pub static RULE: Rule = Rule {
    id: "obsolete-format",
    default_severity: Severity::Error,
    summary: "表格格式与报告年度不符（2021年及以后须用〔2021〕30号格式）",
    docs: r"## 检查内容

2021 年度及以后的报告必须使用国办公开办函〔2021〕30号印发的格式；2019、2020 年度的报告使用〔2019〕60号印发的试行格式。本规则在以下情况报告：2021 年及以后的报告使用了 2019 年格式的表格（如 `本年新制作数量`、`第二十条第（九）项`、`政府集中采购`）或依据〔2019〕60号（按文号或按格式名称中的“试行”引用）；2019、2020 年度的报告使用了 2021 年格式的表格。

## 原因

两种格式的表二栏目完全不同，表三“（六）其他处理”的细分也不同；用错格式的数据无法与同年度其他报告汇总比较。

## 示例

2022 年度报告的表二仍是“本年新制作数量 / 本年新公开数量 / 对外公开总数量”。

## 修复

没有自动修复：请按报告年度对应的格式重新填写表格。",
    fix: FixKind::None,
    check,
};

/// The format `table` should have been in, when it is in the other one
/// (and was followed well enough to tell).
pub(super) fn obsolete(ctx: &Context, table: &Table) -> Option<Format> {
    let expected = Format::for_year(ctx.year?);
    // The format of a table that could not be followed is not known.
    (table.format != expected
        && crate::template::formats_differ(table.id)
        && table.verdict() != Verdict::Unreadable)
        .then_some(expected)
}

fn check(ctx: &Context, acc: &mut Vec<Diagnostic>) {
    let Some(year) = ctx.year else { return };
    let expected = Format::for_year(year);
    for table in &ctx.report.tables {
        if obsolete(ctx, table).is_none() {
            continue;
        }
        let at = table
            .labels
            .first()
            .map_or(table.range.clone(), |l| l.range.clone());
        acc.push(Diagnostic::new(
            RULE.id,
            at,
            format!(
                "{}使用的是 {} 年格式（{}），但这是 {} 年度的报告，应使用 {} 年格式（{}）。",
                table.name,
                table.format.as_str(),
                notice(table.format),
                year,
                expected.as_str(),
                notice(expected)
            ),
        ));
    }
    for c in &ctx.report.citations {
        if c.format != expected && expected == Format::F2021 {
            acc.push(Diagnostic::new(
                RULE.id,
                c.range.clone(),
                format!(
                    "这里依据的是 {} 年的报告格式（{}），但 {} 年度的报告应依据{}。",
                    c.format.as_str(),
                    notice(c.format),
                    year,
                    notice(expected)
                ),
            ));
        }
    }
}

fn notice(format: Format) -> &'static str {
    match format {
        Format::F2019 => "国办公开办函〔2019〕60号",
        Format::F2021 => "国办公开办函〔2021〕30号",
    }
}

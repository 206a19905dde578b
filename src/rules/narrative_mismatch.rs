use super::{Context, FixKind, Rule};
use crate::diagnostic::{Diagnostic, Related, Severity};
use crate::model::{Format, Table};
use crate::narrative::{self, Claim, DocColumn, DocKind, Outcome, Quantity};

pub static RULE: Rule = Rule {
    id: "narrative-mismatch",
    default_severity: Severity::Warning,
    summary: "正文中的数字与统计表不一致",
    docs: r#"## 检查内容

“一、总体情况”至“四、政府信息公开行政复议、行政诉讼情况”的正文中，明确说明本年度某项数量的句子，与统计表中的同一数字比较；不一致时在正文的数字处提示，并指出表格中对应的单元格。能识别的说法（空格、换行、繁体、全角数字都不影响识别）：

| 正文的说法 | 对应的表格数字 |
|---|---|
| 收到 / 接收 / 新收（政府信息公开）申请 N 件，收到依申请公开 N 件 | 表三“一、本年新收政府信息公开申请数量”的总计；有的报告把上年结转一并说成“收到”，所以等于“本年新收 + 上年结转”也不提示 |
| 受理（政府信息公开）申请 N 件 | 同上：本年新收的总计，或本年新收 + 上年结转 |
| 办结 / 办理 / 答复（政府信息公开申请）N 件 | 表三“（七）总计”的总计 |
| 上年（度）结转（申请）N 件 | 表三“二、上年结转政府信息公开申请数量”的总计 |
| 结转下年度 / 结转下一年（继续办理）N 件 | 表三“四、结转下年度继续办理”的总计 |
| 予以公开（同意公开）/ 部分公开 / 不予公开 / 无法提供 / 不予处理 / 其他处理 N 件 | 该项的总计；有分项的（不予公开、无法提供、不予处理、其他处理）为各分项总计之和 |
| 予以公开及部分公开 N 件（几项连写，用“及、和、与、、”连接） | 这几项之和 |
| 行政复议（案件）N 件 | 表四行政复议的“总计” |
| 行政诉讼（案件）N 件 | 表四“未经复议直接起诉”与“复议后起诉”的“总计”之和 |
| 行政复议和行政诉讼 N 件 | 以上三个总计之和 |
| 制发 / 废止 / 现行有效（行政）规范性文件、规章 N 件 | 表二第二十条第（一）项的对应单元格（仅 2021 年格式） |

办理结果后面带的百分比（如“不予公开 20 件（1.68%）”“占 33.9%”）按正文中的件数和办理总数核算，算不上时也会提示。

为避免误报，以下情况不比较：句子提到另一个年份（或报告年度无法确定时提到任何年份），或写“上年、去年、同期”；“累计、截至、以来”等累计数；“约、近、超过、余、多、左右、以上”等约数；“其中……”之后的分类数（办理结果各项除外）；按申请人（自然人、法人……）、渠道（网上、信函……）、原因（“因本机关不掌握……无法提供”，写了“等”的除外）或复议诉讼结果分出的数；“未、不、正在、按时”等修饰的数；表格没有读出、或表格自身的合计关系不成立（另有 total-mismatch 等规则报告）时。

## 原因

正文和统计表是同一份报告的两个部分，数字必须一致。正文和表格不一致是评估中常见的“数据失准”问题，读者无从判断哪个数字是对的。

## 示例

```text
一、总体情况
……本年共收到政府信息公开申请25件……
三、收到和处理政府信息公开申请情况
一、本年新收政府信息公开申请数量 | 23 | 0 | 0 | 0 | 0 | 0 | 23
```

正文写 25 件，表三本年新收总计为 23 件。

## 修复

没有自动修复：核实台账后，改正文或表格中错误的那个数字。"#,
    fix: FixKind::None,
    check,
};

/// Where a claim's number is in the tables.
struct Source {
    value: i64,
    /// Chinese description of the place (`表三“（七）总计”的总计`).
    place: String,
    related: Vec<Related>,
}

/// The tables a claim is compared with, each used only when its sums hold
/// (see [`Table::consistent`]). That is checked on first use: most claims
/// need one table, and many reports state none.
struct Tables<'a> {
    report: &'a crate::model::Report,
    consistent: [std::cell::OnceCell<Option<&'a Table>>; 3],
}

impl<'a> Tables<'a> {
    const IDS: [&'static str; 3] = ["t2", "t3", "t4"];

    fn get(&self, i: usize) -> Option<&'a Table> {
        let report = self.report;
        *self.consistent[i].get_or_init(|| report.table(Self::IDS[i]).filter(|t| t.consistent()))
    }

    fn t2(&self) -> Option<&'a Table> {
        self.get(0)
    }

    fn t3(&self) -> Option<&'a Table> {
        self.get(1)
    }

    fn t4(&self) -> Option<&'a Table> {
        self.get(2)
    }
}

fn check(ctx: &Context, acc: &mut Vec<Diagnostic>) {
    let report = ctx.report;
    if Tables::IDS.iter().all(|id| report.table(id).is_none()) {
        return;
    }
    let tables = Tables {
        report,
        consistent: Default::default(),
    };
    let prose = ctx.prose();
    for section in report
        .sections
        .iter()
        .filter(|s| (1..=4).contains(&s.number))
    {
        let mut handled_said: Option<i64> = None;
        let mut received_said: Option<i64> = None;
        let range = prose.range_of(section.body.clone());
        for claim in narrative::claims(prose, range, ctx.year) {
            match claim.quantity {
                Quantity::Handled => handled_said = Some(claim.value),
                Quantity::Received | Quantity::Accepted => received_said = Some(claim.value),
                _ => {}
            }
            compare(&claim, &tables, acc);
            if let (Some(pct), Quantity::Outcomes(_)) = (&claim.percent, &claim.quantity) {
                if let Some(t3) = tables.t3() {
                    check_percent(&claim, pct, t3, handled_said, received_said, acc);
                }
            }
        }
    }
}

fn compare(claim: &Claim, tables: &Tables<'_>, acc: &mut Vec<Diagnostic>) {
    let what = said(&claim.quantity);
    let found = match &claim.quantity {
        // Some reports count last year's carried-over applications in what
        // they "received" or "accepted" this year.
        Quantity::Received | Quantity::Accepted => {
            let Some(t3) = tables.t3() else { return };
            let (Some(new), Some(carried)) = (total(t3, "R1"), total(t3, "R2")) else {
                return;
            };
            let with_carried = new.value + carried.value;
            if claim.value == new.value || claim.value == with_carried {
                return;
            }
            let message = if carried.value == 0 {
                format!(
                    "正文写{what} {} 件，与{}（{} 件）不一致。请核对正文或表格中的数字。",
                    claim.value, new.place, new.value
                )
            } else {
                format!(
                    "正文写{what} {} 件，与表三不一致：本年新收申请的总计为 {} 件，加上年结转为 {} 件。请核对正文或表格中的数字。",
                    claim.value, new.value, with_carried
                )
            };
            let related = new.related.into_iter().chain(carried.related).collect();
            acc.push(Diagnostic::new(RULE.id, claim.range.clone(), message).with_related(related));
            return;
        }
        Quantity::Handled => tables.t3().and_then(|t| total(t, "R3.7")),
        Quantity::CarriedIn => tables.t3().and_then(|t| total(t, "R2")),
        Quantity::CarriedOut => tables.t3().and_then(|t| total(t, "R4")),
        Quantity::Outcomes(outcomes) => tables.t3().and_then(|t| outcomes_total(t, outcomes)),
        Quantity::Review => tables.t4().and_then(|t| cases(t, &[4])),
        Quantity::Lawsuit => tables.t4().and_then(|t| cases(t, &[9, 14])),
        Quantity::ReviewAndLawsuit => tables.t4().and_then(|t| cases(t, &[4, 9, 14])),
        Quantity::Documents { kind, column } => {
            tables.t2().and_then(|t| documents(t, *kind, *column))
        }
    };
    let Some(source) = found else { return };
    if source.value == claim.value {
        return;
    }
    acc.push(
        Diagnostic::new(
            RULE.id,
            claim.range.clone(),
            format!(
                "正文写{what} {} 件，与{}（{} 件）不一致。请核对正文或表格中的数字。",
                claim.value, source.place, source.value
            ),
        )
        .with_related(source.related),
    );
}

/// How the message names what the sentence states.
fn said(q: &Quantity) -> String {
    match q {
        Quantity::Received => "收到政府信息公开申请".into(),
        Quantity::Accepted => "受理政府信息公开申请".into(),
        Quantity::Handled => "办结（答复）政府信息公开申请".into(),
        Quantity::CarriedIn => "上年结转申请".into(),
        Quantity::CarriedOut => "结转下年度继续办理".into(),
        Quantity::Outcomes(o) => o.iter().map(|o| o.name()).collect::<Vec<_>>().join("及"),
        Quantity::Review => "政府信息公开行政复议".into(),
        Quantity::Lawsuit => "政府信息公开行政诉讼".into(),
        Quantity::ReviewAndLawsuit => "政府信息公开行政复议和行政诉讼".into(),
        Quantity::Documents { kind, column } => format!("{}{}", column.verb(), kind.name()),
    }
}

/// The rows of 表三 that make up an outcome group.
fn outcome_rows(table: &Table, o: Outcome) -> &'static [&'static str] {
    match o {
        Outcome::Disclosed => &["R3.1"],
        Outcome::PartlyDisclosed => &["R3.2"],
        Outcome::Withheld => &[
            "R3.3.1", "R3.3.2", "R3.3.3", "R3.3.4", "R3.3.5", "R3.3.6", "R3.3.7", "R3.3.8",
        ],
        Outcome::Unavailable => &["R3.4.1", "R3.4.2", "R3.4.3"],
        Outcome::NotProcessed => &["R3.5.1", "R3.5.2", "R3.5.3", "R3.5.4", "R3.5.5"],
        Outcome::OtherwiseProcessed => match table.format {
            Format::F2019 => &["R3.6"],
            Format::F2021 => &["R3.6.1", "R3.6.2", "R3.6.3"],
        },
    }
}

/// The 总计 column of 表三.
const T3_TOTAL: usize = 6;

fn row_label(table: &Table, row: &str) -> &'static str {
    table
        .cells
        .iter()
        .find(|c| c.row == row)
        .map_or("", |c| c.row_label)
}

/// The 总计 of one row of 表三.
fn total(t3: &Table, row: &str) -> Option<Source> {
    let (value, range) = t3.read(row, T3_TOTAL)?;
    let label = row_label(t3, row);
    Some(Source {
        value,
        place: format!("表三“{label}”的总计"),
        related: vec![Related::new(range, format!("表三“{label}”·总计：{value}"))],
    })
}

/// The sum of the 总计 of every row of the named outcomes (all must be read).
fn outcomes_total(t3: &Table, outcomes: &[Outcome]) -> Option<Source> {
    let mut value = 0;
    let mut related = Vec::new();
    let mut names = Vec::new();
    for &o in outcomes {
        for row in outcome_rows(t3, o) {
            let (v, range) = t3.read(row, T3_TOTAL)?;
            value += v;
            related.push(Related::new(
                range,
                format!("表三“{}”·总计：{v}", row_label(t3, row)),
            ));
        }
        names.push(o.name());
    }
    let single_row = outcomes.len() == 1 && outcome_rows(t3, outcomes[0]).len() == 1;
    let place = if single_row {
        format!(
            "表三“{}”的总计",
            row_label(t3, outcome_rows(t3, outcomes[0])[0])
        )
    } else {
        format!("表三“{}”各项总计之和", names.join("”“"))
    };
    Some(Source {
        value,
        place,
        related,
    })
}

/// The sum of 表四 columns (4: 行政复议总计; 9, 14: 行政诉讼的两个总计).
fn cases(t4: &Table, cols: &[usize]) -> Option<Source> {
    let mut value = 0;
    let mut related = Vec::new();
    for &col in cols {
        let (v, range) = t4.read("R", col)?;
        value += v;
        let label = t4
            .cells
            .iter()
            .find(|c| c.col == col)
            .map_or("", |c| c.col_label);
        related.push(Related::new(range, format!("表四“{label}”：{v}")));
    }
    let place = match cols {
        [4] => "表四行政复议的总计".to_string(),
        [9, 14] => "表四行政诉讼（未经复议直接起诉、复议后起诉）的总计之和".to_string(),
        _ => "表四行政复议、行政诉讼的总计之和".to_string(),
    };
    Some(Source {
        value,
        place,
        related,
    })
}

/// 表二 第二十条第（一）项 (2021 format: 本年制发件数, 本年废止件数, 现行有效件数).
fn documents(t2: &Table, kind: DocKind, column: DocColumn) -> Option<Source> {
    if t2.format != Format::F2021 {
        return None;
    }
    let row = match kind {
        DocKind::Rules => "R1.1",
        DocKind::Normative => "R1.2",
    };
    let col = match column {
        DocColumn::Issued => 0,
        DocColumn::Repealed => 1,
        DocColumn::InForce => 2,
    };
    let (value, range) = t2.read(row, col)?;
    let col_label = t2
        .cells
        .iter()
        .find(|c| c.row == row && c.col == col)
        .map_or("", |c| c.col_label);
    let name = kind.name();
    Some(Source {
        value,
        place: format!("表二“{name}”的“{col_label}”"),
        related: vec![Related::new(
            range,
            format!("表二“{name}”·{col_label}：{value}"),
        )],
    })
}

/// A percentage written with an outcome count: it must be that count over
/// the year's outcomes. The base is the 办结 number stated before it, else
/// 表三 （七）总计; the stated 收到/受理 number, 本年新收 and 新收 + 上年结转
/// are accepted too, since reports differ in what they divide by.
fn check_percent(
    claim: &Claim,
    pct: &narrative::Percent,
    t3: &Table,
    handled_said: Option<i64>,
    received_said: Option<i64>,
    acc: &mut Vec<Diagnostic>,
) {
    let handled_table = t3.value("R3.7", T3_TOTAL);
    let new = t3.value("R1", T3_TOTAL);
    let carried = t3.value("R2", T3_TOTAL);
    let with_carried = new.zip(carried).map(|(a, b)| a + b);
    let bases: Vec<(i64, &str)> = [
        (handled_said, "正文所述办结数"),
        (handled_table, "表三办理结果总计"),
        (received_said, "正文所述收到申请数"),
        (new, "表三本年新收总计"),
        (with_carried, "表三本年新收与上年结转之和"),
    ]
    .into_iter()
    .filter_map(|(b, name)| b.filter(|&b| b > 0).map(|b| (b, name)))
    .collect();
    let Some(&(base, base_name)) = bases.first() else {
        return;
    };
    let unit = 10f64.powi(-i32::try_from(pct.decimals).unwrap_or(0));
    #[allow(clippy::cast_precision_loss)]
    let share = |b: i64| claim.value as f64 * 100.0 / b as f64;
    if bases
        .iter()
        .any(|&(b, _)| (share(b) - pct.value).abs() < unit - 1e-9)
    {
        return;
    }
    let decimals = pct.decimals.max(1) as usize;
    acc.push(Diagnostic::new(
        RULE.id,
        pct.range.clone(),
        format!(
            "正文写{} {} 件占 {}%，但 {} ÷ {base_name} {base} = {:.decimals$}%。请核对百分比或件数。",
            said(&claim.quantity),
            claim.value,
            trim_float(pct.value, pct.decimals),
            claim.value,
            share(base),
        ),
    ));
}

fn trim_float(v: f64, decimals: u32) -> String {
    format!("{v:.0$}", decimals as usize)
}

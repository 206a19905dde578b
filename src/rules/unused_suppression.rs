use super::{Context, FixKind, Rule};
use crate::diagnostic::{Diagnostic, Edit, Fix, Safety, Severity};
use crate::suppress::{self, Directive, DirectiveKind, Unused};

pub static RULE: Rule = Rule {
    id: "unused-suppression",
    default_severity: Severity::Warning,
    summary: "抑制注释没有起作用（未抑制任何问题、规则名不存在或指令无法识别）",
    docs: r"## 检查内容

Markdown 报告中的抑制注释没有起作用：

- `<!-- gov-report-disable-next-line 规则 -->`、`<!-- gov-report-disable 规则 -->`、`<!-- gov-report-disable-file -->` 的作用范围内没有这条规则的问题；
- `<!-- gov-report-enable -->` 前面没有对应的 `gov-report-disable`；
- 注释里写的规则名不存在（例如把 `table-label` 写成 `tabel-label`）；
- `gov-report-` 后面的指令无法识别（例如 `gov-report-disable-line`）。

纯文本报告没有注释，请在 `gov-report.toml` 中用 `[[ignore]]` 条目抑制。

## 原因

问题改正后，原来的抑制注释就多余了；留着它，以后同一位置再出现真正的问题时会被悄悄放过。写错的规则名或指令则根本不会抑制任何问题。

## 示例

```markdown
<!-- gov-report-disable-next-line table-label -->
| 结果维持 | 1 | 0 |
```

这一行已经改为“结果维持”，没有 `table-label` 问题，注释多余。

## 修复

删除多余的注释，或从注释中去掉没有用到的规则名（安全修复）。写错的规则名和指令没有自动修复：请按提示改正。",
    fix: FixKind::Safe,
    check,
};

const DIRECTIVES: [&str; 4] = [
    "gov-report-disable-next-line",
    "gov-report-disable",
    "gov-report-enable",
    "gov-report-disable-file",
];

/// Malformed directives and unknown rule ids. Directives that silenced
/// nothing are found after all other rules ran (they need their findings):
/// see [`unused`], called by the analysis.
fn check(ctx: &Context, acc: &mut Vec<Diagnostic>) {
    if !ctx.text.contains("<!--") {
        return;
    }
    let ids: Vec<&str> = super::ALL.iter().map(|r| r.id).collect();
    for d in suppress::directives(ctx.text) {
        let Some(kind) = d.kind else {
            let written = format!("gov-report-{}", d.word);
            let mut message = format!("无法识别的抑制指令 `{written}`，这条注释不起作用。");
            if let Some(best) =
                similar::get_close_matches(written.as_str(), &DIRECTIVES, 1, 0.6).first()
            {
                message.push_str(&format!("是否想写 `{best}`？"));
            }
            message.push_str(&format!("可用的指令：{}。", DIRECTIVES.join("、")));
            acc.push(Diagnostic::new(RULE.id, d.range.clone(), message));
            continue;
        };
        for r in &d.rules {
            if super::get(&r.id).is_some() {
                continue;
            }
            let mut message = format!(
                "`{}` 中的规则 `{}` 不存在，不会抑制任何问题。",
                kind.name(),
                r.id
            );
            if let Some(best) = similar::get_close_matches(r.id.as_str(), &ids, 1, 0.6).first() {
                message.push_str(&format!("是否想写 `{best}`？"));
            }
            message.push_str("可用 `gov-report-lsp --explain 规则名` 查看规则说明。");
            acc.push(Diagnostic::new(RULE.id, r.range.clone(), message));
        }
    }
}

/// Findings for the directives that silenced nothing, with their fixes.
pub(crate) fn unused(
    ctx: &Context,
    directives: &[Directive],
    unused: &[Unused],
) -> Vec<Diagnostic> {
    let text = ctx.text;
    unused
        .iter()
        .map(|u| {
            let d = &directives[u.directive];
            let comment = &text[d.range.clone()];
            let kind = d.kind.unwrap_or(DirectiveKind::Disable);
            let off: Vec<&str> = u
                .rules
                .iter()
                .filter(|id| {
                    ctx.settings
                        .severities
                        .get(id.as_str())
                        .is_some_and(|l| l.severity().is_none())
                })
                .map(String::as_str)
                .collect();
            let mut message = if kind == DirectiveKind::Enable {
                format!(
                    "`{comment}` 前面没有对应的 `gov-report-disable`，这条注释不起作用，可以删除。"
                )
            } else if u.rules.is_empty() {
                format!("抑制注释 `{comment}` 的作用范围内没有任何问题，可以删除。")
            } else {
                let list = u
                    .rules
                    .iter()
                    .map(|r| format!("`{r}`"))
                    .collect::<Vec<_>>()
                    .join("、");
                let remedy = if u.used.is_empty() {
                    "可以删除这条注释"
                } else {
                    "可以从注释中删除这些规则名"
                };
                format!("抑制注释 `{comment}` 的作用范围内没有 {list} 的问题，{remedy}。")
            };
            if !off.is_empty() {
                message.push_str(&format!("（{} 已在配置中关闭。）", off.join("、")));
            }
            let fix = if u.used.is_empty() {
                Fix {
                    title: "删除这条抑制注释".to_string(),
                    safety: Safety::Safe,
                    edits: vec![Edit {
                        range: suppress::removal_range(text, &d.range),
                        new_text: String::new(),
                    }],
                }
            } else {
                Fix {
                    title: format!("从注释中删除 {}", u.rules.join("、")),
                    safety: Safety::Safe,
                    edits: vec![Edit {
                        range: d.range.clone(),
                        new_text: format!("<!-- {} {} -->", kind.name(), u.used.join(", ")),
                    }],
                }
            };
            Diagnostic::new(RULE.id, d.range.clone(), message).with_fix(fix)
        })
        .collect()
}

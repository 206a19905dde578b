//! What the server computes for a document: code actions, hovers, the
//! outline and completions. Works on core types and byte offsets only;
//! `convert` turns the results into protocol values.

use std::ops::Range;

use super::position::PosIndex;
use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Edit, Safety};
use crate::fix::{fix_text, FixMode};
use crate::model::{IdentityKind, Table, Value};
use crate::settings::Settings;
use crate::template;

/// The code action kind of "fix all safe problems".
pub const FIX_ALL_KIND: &str = "source.fixAll.gov-report";

/// An analysed version of an open document.
#[derive(Debug)]
pub struct Snapshot {
    /// The open document this belongs to (unique per `didOpen`).
    pub doc_id: u64,
    /// Server-side revision (unique across documents; bumps on every change).
    pub rev: u64,
    /// The client's version of the document.
    pub version: i32,
    pub text: String,
    pub index: PosIndex,
    pub settings: Settings,
    pub analysis: Analysis,
    /// Whether findings are shown (it looks like a report, or configuration says so).
    pub linted: bool,
    /// Completions are offered unless configuration turned linting off for it.
    pub offer_completions: bool,
    /// Markdown (comments available for suppressions) rather than plain text.
    pub markdown: bool,
    /// A web page (its source), not a text or Markdown buffer.
    pub page: bool,
    /// Findings were mapped from a text the buffer shows (a web page,
    /// Markdown with raw HTML, a hard-wrapped text): findings and fixes are
    /// in the buffer; the report's own ranges (cell hovers, outline) are in
    /// the shown text, so those are not offered.
    pub mapped: bool,
    /// Other files that related locations point into (last year's report
    /// for a cross-year finding), by the path the finding names.
    pub others: std::collections::HashMap<String, std::sync::Arc<super::workspace::OtherText>>,
}

impl Snapshot {
    /// The findings shown to the user (none when the document is not linted).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        if self.linted {
            &self.analysis.diagnostics
        } else {
            &[]
        }
    }
}

/// What a code action does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionKind {
    QuickFix,
    FixAll,
    Suppress,
}

/// Edits to one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// The document the action was asked for.
    ThisDocument,
    /// Another file (e.g. `gov-report.toml`), with its current text; `None`
    /// text means the file does not exist yet and is created.
    File {
        path: std::path::PathBuf,
        text: Option<String>,
    },
}

/// A code action, before conversion.
#[derive(Clone, Debug)]
pub struct Action {
    pub title: String,
    pub kind: ActionKind,
    /// Index into `Snapshot::diagnostics()` of the finding it addresses.
    pub diagnostic: Option<usize>,
    pub target: Target,
    pub edits: Vec<Edit>,
    pub preferred: bool,
    /// What the client is told after applying it (a file it did not see change).
    pub written: Option<Written>,
}

/// A suppression written to a configuration file: the client runs
/// [`SUPPRESSION_WRITTEN`] with it after applying the edit, so the change is
/// announced (and, in VS Code, can be undone) instead of happening silently.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    pub path: std::path::PathBuf,
    /// The file did not exist and was created.
    pub created: bool,
    /// The text appended to it.
    pub inserted: String,
    pub rule: &'static str,
    pub text: String,
}

/// The command attached to a configuration suppression (see [`Written`]).
pub const SUPPRESSION_WRITTEN: &str = "gov-report.suppressionWritten";

/// Findings whose range touches `range`.
pub fn diagnostics_at(snap: &Snapshot, range: &Range<usize>) -> Vec<usize> {
    snap.diagnostics()
        .iter()
        .enumerate()
        .filter(|(_, d)| d.range.start <= range.end && range.start <= d.range.end)
        .map(|(i, _)| i)
        .collect()
}

/// Quick fixes for the findings at `range`.
pub fn quick_fixes(snap: &Snapshot, range: &Range<usize>) -> Vec<Action> {
    diagnostics_at(snap, range)
        .into_iter()
        .filter_map(|i| {
            let d = &snap.diagnostics()[i];
            let fix = d.fix.as_ref()?;
            Some(Action {
                title: fix.title.clone(),
                kind: ActionKind::QuickFix,
                diagnostic: Some(i),
                target: Target::ThisDocument,
                edits: fix.edits.clone(),
                preferred: fix.safety == Safety::Safe,
                written: None,
            })
        })
        .collect()
}

/// "Suppress this rule on this line" for Markdown: a comment line above the
/// finding. Inside a pipe table a comment line would end the table, so the
/// whole table is wrapped in a disable/enable pair instead.
pub fn suppress_in_markdown(snap: &Snapshot, i: usize) -> Action {
    let d = &snap.diagnostics()[i];
    let line = snap.index.line_of(d.range.start);
    let line_range = snap.index.line_range(line).unwrap_or(0..0);
    let eol = line_ending(&snap.text, line_range.end);
    let is_row = |l: usize| {
        snap.index
            .line_range(l)
            .is_some_and(|r| snap.text[r].trim_start().starts_with('|'))
    };
    if !is_row(line) {
        return Action {
            title: format!("不再提示此行的 {} 问题（插入注释）", d.rule),
            kind: ActionKind::Suppress,
            diagnostic: Some(i),
            target: Target::ThisDocument,
            edits: vec![Edit {
                range: line_range.start..line_range.start,
                new_text: format!("<!-- gov-report-disable-next-line {} -->{eol}", d.rule),
            }],
            preferred: false,
            written: None,
        };
    }
    let mut first = line;
    while first > 0 && is_row(first - 1) {
        first -= 1;
    }
    let mut last = line;
    while last + 1 < snap.index.line_count() && is_row(last + 1) {
        last += 1;
    }
    let start = snap.index.line_range(first).map_or(0, |r| r.start);
    let end_of_last = snap.index.line_range(last).map_or(0, |r| r.end);
    // After the last row's line break (or at the end of the text).
    let after = if last + 1 < snap.index.line_count() {
        snap.index
            .line_range(last + 1)
            .map_or(end_of_last, |r| r.start)
    } else {
        end_of_last
    };
    let enable = if after == end_of_last {
        format!("{eol}<!-- gov-report-enable {} -->", d.rule)
    } else {
        format!("<!-- gov-report-enable {} -->{eol}", d.rule)
    };
    Action {
        title: format!("不再提示此表格中的 {} 问题（插入注释）", d.rule),
        kind: ActionKind::Suppress,
        diagnostic: Some(i),
        target: Target::ThisDocument,
        edits: vec![
            Edit {
                range: start..start,
                new_text: format!("<!-- gov-report-disable {} -->{eol}", d.rule),
            },
            Edit {
                range: after..after,
                new_text: enable,
            },
        ],
        preferred: false,
        written: None,
    }
}

/// "Suppress this rule here" for plain text (which has no comments): an
/// `[[ignore]]` entry with the rule and the flagged text, appended to the
/// configuration file `path` (`current`: its text, `None` if it does not exist).
pub fn suppress_in_config(
    snap: &Snapshot,
    i: usize,
    path: std::path::PathBuf,
    current: Option<String>,
) -> Action {
    let d = &snap.diagnostics()[i];
    let flagged = snap.text.get(d.range.clone()).unwrap_or("");
    let entry = format!(
        "[[ignore]]\nrule = {}\ntext = {}\n",
        toml_string(d.rule),
        toml_string(flagged)
    );
    let (at, new_text) = match &current {
        None => (0, entry),
        Some(t) if t.is_empty() => (0, entry),
        Some(t) if t.ends_with('\n') => (t.len(), format!("\n{entry}")),
        Some(t) => (t.len(), format!("\n\n{entry}")),
    };
    let name = path
        .file_name()
        .map_or_else(|| "gov-report.toml".into(), |n| n.to_string_lossy());
    Action {
        title: format!(
            "不再提示 {} 对“{}”的检查（写入 {name}）",
            d.rule,
            short(flagged)
        ),
        kind: ActionKind::Suppress,
        diagnostic: Some(i),
        written: Some(Written {
            path: path.clone(),
            created: current.is_none(),
            inserted: new_text.clone(),
            rule: d.rule,
            text: flagged.to_string(),
        }),
        target: Target::File {
            path,
            text: current,
        },
        edits: vec![Edit {
            range: at..at,
            new_text,
        }],
        preferred: false,
    }
}

/// A TOML basic string (quoted and escaped).
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn short(s: &str) -> String {
    let mut out: String = s.chars().take(20).collect();
    if s.chars().count() > 20 {
        out.push('…');
    }
    out
}

/// The line terminator after `line_end` (`\n` when the line has none).
fn line_ending(text: &str, line_end: usize) -> &'static str {
    let rest = &text.as_bytes()[line_end.min(text.len())..];
    if rest.starts_with(b"\r\n") {
        "\r\n"
    } else if rest.starts_with(b"\r") {
        "\r"
    } else {
        "\n"
    }
}

/// Apply every safe fix, re-analysing until nothing changes, and return the
/// result as one edit (the smallest range covering every change).
pub fn fix_all(snap: &Snapshot) -> Option<(Edit, usize)> {
    if !snap.linted {
        return None;
    }
    let fixed = if snap.mapped {
        crate::fix::fix_converge(&snap.text, &snap.analysis, FixMode::Safe, |t| {
            crate::read::analyze_editor(t, snap.page, snap.markdown, &snap.settings).0
        })?
    } else {
        fix_text(&snap.text, &snap.analysis, &snap.settings, FixMode::Safe)?
    };
    let (text, total) = (fixed.text, fixed.applied);
    if total == 0 || text == snap.text {
        return None;
    }
    Some((minimal_edit(&snap.text, &text), total))
}

/// The single edit turning `old` into `new`: common prefix and suffix left alone.
pub fn minimal_edit(old: &str, new: &str) -> Edit {
    let mut prefix = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = old.len().min(new.len()) - prefix;
    let mut suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    Edit {
        range: prefix..old.len() - suffix,
        new_text: new[prefix..new.len() - suffix].to_string(),
    }
}

/// How a hover points at a rule's full documentation (`--explain` text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleLink {
    /// A client-side command that shows the explanation in the editor,
    /// called with the rule id (the VS Code extension's `govReport.explainRule`).
    Command(String),
    /// A documentation page; the rule id is its anchor.
    Page(String),
    /// No link: name the command line that prints it.
    Cli,
}

impl RuleLink {
    /// The Markdown of the “规则说明” link for `rule`.
    pub fn markdown(&self, rule: &str) -> String {
        match self {
            RuleLink::Command(command) => {
                // A command URI's query is the URL-encoded JSON argument list.
                let args: String = format!("[\"{rule}\"]")
                    .bytes()
                    .map(|b| match b {
                        b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                            (b as char).to_string()
                        }
                        _ => format!("%{b:02X}"),
                    })
                    .collect();
                format!("[规则说明](command:{command}?{args} \"在编辑器中查看 {rule} 的说明\")（`{rule}`）")
            }
            RuleLink::Page(page) => format!("[规则说明]({page}#{rule})（`{rule}`）"),
            RuleLink::Cli => format!("规则说明：`gov-report-lsp --explain {rule}`"),
        }
    }
}

/// Markdown hover text for the byte `offset`, and the range it describes.
/// On a finding: its message (what is wrong, what was expected), the fix,
/// and one link to the rule's explanation; the full text stays in
/// `--explain` and the docs, so the hover stays short.
pub fn hover(snap: &Snapshot, offset: usize, link: &RuleLink) -> Option<(String, Range<usize>)> {
    if !snap.linted {
        return None;
    }
    let mut parts = Vec::new();
    let mut range = None;
    // A web page's report ranges are in its rendered text, not its source.
    let tables: &[crate::model::Table] = if snap.mapped {
        &[]
    } else {
        &snap.analysis.report.tables
    };
    for table in tables {
        if let Some(idx) = table.cell_at(offset) {
            parts.push(cell_hover(table, idx));
            range = table.cells[idx].range.clone();
            break;
        }
    }
    if let Some((id, r)) = rule_id_at(&snap.text, offset) {
        if let Some(rule) = crate::rules::get(id) {
            parts.push(rule_docs(rule));
            range.get_or_insert(r);
        }
    } else {
        for d in snap.diagnostics() {
            if d.range.start <= offset && offset < d.range.end.max(d.range.start + 1) {
                parts.push(finding_hover(d, link));
                range.get_or_insert(d.range.clone());
            }
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some((parts.join("\n\n---\n\n"), range.unwrap_or(offset..offset)))
}

/// One finding in a hover: message, fix, link.
fn finding_hover(d: &Diagnostic, link: &RuleLink) -> String {
    let mut out = d.message.clone();
    if let Some(fix) = &d.fix {
        let label = match fix.safety {
            Safety::Safe => "建议",
            Safety::Unsafe => "建议（需人工核对）",
        };
        out.push_str(&format!("\n\n{label}：{}", fix.title));
    }
    out.push_str("\n\n");
    out.push_str(&link.markdown(d.rule));
    out
}

/// A rule's documentation as hover text (on a rule id written in the text).
pub fn rule_docs(rule: &crate::rules::Rule) -> String {
    format!("**{}**：{}\n\n{}", rule.id, rule.summary, rule.docs)
}

/// A rule id written in the text around `offset` (e.g. in a suppression comment).
fn rule_id_at(text: &str, offset: usize) -> Option<(&'static str, Range<usize>)> {
    let is_id = |b: u8| b.is_ascii_lowercase() || b == b'-';
    let bytes = text.as_bytes();
    if offset > bytes.len() {
        return None;
    }
    let mut start = offset;
    while start > 0 && is_id(bytes[start - 1]) {
        start -= 1;
    }
    let mut end = offset;
    while end < bytes.len() && is_id(bytes[end]) {
        end += 1;
    }
    let word = &text[start..end];
    crate::rules::get(word).map(|r| (r.id, start..end))
}

fn cell_hover(table: &Table, idx: usize) -> String {
    let cell = &table.cells[idx];
    let part = table
        .parts
        .iter()
        .find(|p| p.rows.contains(&cell.row))
        .filter(|p| p.name != table.name)
        .map(|p| format!("“{}”栏目，", p.name))
        .unwrap_or_default();
    let mut out = format!(
        "**{}**（{}版格式，{part}{}）\n\n{}：{}",
        table.name,
        table.format.as_str(),
        table.verdict().describe(),
        cell.place(),
        show_value(&cell.value)
    );
    for identity in &table.identities {
        let sum = |cells: &[usize]| -> Option<i64> {
            cells
                .iter()
                .map(|&i| table.cells[i].value.as_i64())
                .sum::<Option<i64>>()
        };
        let terms = |cells: &[usize]| -> String {
            cells
                .iter()
                .map(|&i| show_value(&table.cells[i].value))
                .collect::<Vec<_>>()
                .join(" + ")
        };
        match identity.kind {
            IdentityKind::Total if identity.left == [idx] => {
                let verdict = match (sum(&identity.right), cell.value.as_i64()) {
                    (Some(expected), Some(actual)) if expected == actual => {
                        format!("应为 {} = {expected}，与表中一致。", terms(&identity.right))
                    }
                    (Some(expected), Some(actual)) => format!(
                        "应为 {} = **{expected}**，表中为 {actual}，不一致。",
                        terms(&identity.right)
                    ),
                    (Some(expected), None) => {
                        format!("应为 {} = **{expected}**。", terms(&identity.right))
                    }
                    (None, _) => format!(
                        "各项（{}）中有非整数或未填写的值，无法计算。",
                        terms(&identity.right)
                    ),
                };
                out.push_str(&format!("\n\n**总计**（{}）：{verdict}", identity.scope));
            }
            IdentityKind::Total if identity.right.contains(&idx) => {
                if let Some(&t) = identity.left.first() {
                    let total = &table.cells[t];
                    out.push_str(&format!(
                        "\n\n计入总计（{}，{}）。",
                        total.place(),
                        identity.scope
                    ));
                }
            }
            IdentityKind::Balance
                if identity.left.contains(&idx) || identity.right.contains(&idx) =>
            {
                let verdict = match (sum(&identity.left), sum(&identity.right)) {
                    (Some(l), Some(r)) if l == r => format!("两边均为 {l}，平衡。"),
                    (Some(l), Some(r)) => format!("左边 {l}，右边 {r}，**不平衡**。"),
                    _ => "有非整数或未填写的值，无法计算。".to_string(),
                };
                out.push_str(&format!(
                    "\n\n**平衡关系**（{}）：{} = {}；{verdict}",
                    identity.scope,
                    terms(&identity.left),
                    terms(&identity.right)
                ));
            }
            _ => {}
        }
    }
    out
}

fn show_value(v: &Value) -> String {
    match v {
        Value::Int(n) => n.to_string(),
        Value::Decimal(x) => x.to_string(),
        Value::Blank => "（空）".to_string(),
        Value::Text(t) => format!("“{t}”（不是数字）"),
    }
}

/// What an outline entry stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutlineKind {
    Section,
    MissingSection,
    Table,
}

/// One outline entry.
#[derive(Clone, Debug)]
pub struct OutlineItem {
    pub name: String,
    pub detail: Option<String>,
    pub kind: OutlineKind,
    /// The template section (1..=6) of a section entry.
    pub section: Option<u8>,
    pub range: Range<usize>,
    pub selection: Range<usize>,
    pub children: Vec<OutlineItem>,
}

/// The six sections (missing ones marked, where they would go) with the
/// tables nested in the section they belong to.
pub fn outline(snap: &Snapshot) -> Vec<OutlineItem> {
    if !snap.linted || snap.mapped {
        return Vec::new();
    }
    let report = &snap.analysis.report;
    let end = snap.text.len();
    let mut items: Vec<(usize, u8, OutlineItem)> = Vec::new();
    for s in &report.sections {
        let range = s.range.start..s.body.end.max(s.range.end);
        items.push((
            range.start,
            s.number,
            OutlineItem {
                name: s.text.trim().to_string(),
                detail: Some(format!("第{}部分", template::ordinal_zh(s.number))),
                kind: OutlineKind::Section,
                section: Some(s.number),
                range,
                selection: s.range.clone(),
                children: Vec::new(),
            },
        ));
    }
    for n in 1..=6u8 {
        if report.sections.iter().any(|s| s.number == n) {
            continue;
        }
        // Where it would go: before the first later section, else at the end.
        let at = report
            .sections
            .iter()
            .filter(|s| s.number > n)
            .map(|s| s.range.start)
            .min()
            .unwrap_or(end);
        items.push((
            at,
            n,
            OutlineItem {
                name: format!("{}（缺失）", template::section_heading(n)),
                detail: Some("缺少这一部分".to_string()),
                kind: OutlineKind::MissingSection,
                section: Some(n),
                range: at..at,
                selection: at..at,
                children: Vec::new(),
            },
        ));
    }
    items.sort_by_key(|(at, n, _)| (*at, *n));
    let mut items: Vec<OutlineItem> = items.into_iter().map(|(_, _, item)| item).collect();
    for table in &report.tables {
        // How well it was read, and which parts were not.
        let unread: Vec<String> = table
            .parts
            .iter()
            .filter(|p| p.verdict != crate::model::Verdict::Read && p.name != table.name)
            .map(|p| format!("{}{}", p.name, p.verdict.describe()))
            .collect();
        let verdict = if unread.is_empty() {
            table.verdict().describe().to_string()
        } else {
            format!("{}：{}", table.verdict().describe(), unread.join("，"))
        };
        let child = OutlineItem {
            name: table.name.to_string(),
            detail: Some(format!("{}版格式 · {verdict}", table.format.as_str())),
            kind: OutlineKind::Table,
            section: None,
            range: table.range.clone(),
            selection: table.range.start..table.range.start,
            children: Vec::new(),
        };
        let section = template::get(table.format)
            .tables
            .iter()
            .find(|t| t.id == table.id)
            .map(|t| t.section);
        let parent = items.iter_mut().find(|i| {
            i.kind == OutlineKind::Section
                && i.section == section
                && i.range.start <= table.range.start
                && table.range.end <= i.range.end
        });
        match parent {
            Some(p) => p.children.push(child),
            None => items.push(child),
        }
    }
    items.sort_by_key(|i| (i.range.start, i.kind == OutlineKind::Table));
    items
}

/// What a completion stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    Heading,
    Label,
}

/// One completion candidate, replacing `replace` (from the start of the
/// typed word to the cursor).
#[derive(Clone, Debug)]
pub struct Candidate {
    pub label: String,
    pub detail: String,
    pub kind: CompletionKind,
    pub replace: Range<usize>,
}

/// Canonical section headings and table labels, to replace what is typed
/// between the start of the cell or line and the cursor.
pub fn completions(text: &str, index: &PosIndex, offset: usize) -> Vec<Candidate> {
    let line = index.line_of(offset);
    let line_start = index.line_range(line).map_or(0, |r| r.start);
    let offset = offset.clamp(line_start, text.len());
    let before = &text[line_start..offset];
    // The typed word starts after the last cell separator, Markdown heading
    // marks and leading blanks.
    let mut start = before.rfind(['|', '\t']).map_or(0, |i| i + 1);
    let rest = &before[start..];
    let trimmed = rest.trim_start_matches([' ', '\u{3000}', '#']);
    start += rest.len() - trimmed.len();
    let replace = line_start + start..offset;
    let mut out = Vec::new();
    for s in template::sections() {
        out.push(Candidate {
            label: template::section_heading(s.number),
            detail: format!("第{}部分标题（统一格式）", template::ordinal_zh(s.number)),
            kind: CompletionKind::Heading,
            replace: replace.clone(),
        });
    }
    let mut seen = std::collections::BTreeSet::new();
    for tpl in template::all() {
        for table in &tpl.tables {
            for item in &table.items {
                let label = match item {
                    template::Item::Row(r) => &r.label,
                    template::Item::Header(h) => &h.header,
                };
                if label.trim().is_empty() || !seen.insert(label.clone()) {
                    continue;
                }
                out.push(Candidate {
                    label: label.clone(),
                    detail: format!("{}（{}版格式）", table.name, tpl.format.as_str()),
                    kind: CompletionKind::Label,
                    replace: replace.clone(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Diagnostic;

    #[test]
    fn minimal_edit_keeps_common_ends_on_char_boundaries() {
        let e = minimal_edit("甲结果维护乙", "甲结果维持乙");
        assert_eq!(e.new_text, "持");
        assert_eq!(&"甲结果维护乙"[e.range.clone()], "护");
        // Same first byte in different characters must not split them.
        let e = minimal_edit("维护", "维持");
        assert_eq!(e.new_text, "持");
        let e = minimal_edit("ab", "ab");
        assert_eq!(e.range, 2..2);
    }

    #[test]
    fn completion_replaces_typed_word_after_cell_separator() {
        let text = "| 结果维\n## 五、存";
        let idx = PosIndex::new(text);
        let c = completions(text, &idx, text.find('\n').unwrap());
        assert_eq!(&text[c[0].replace.clone()], "结果维");
        assert!(c.iter().any(|c| c.label == "结果维持"));
        let c = completions(text, &idx, text.len());
        assert_eq!(&text[c[0].replace.clone()], "五、存");
        assert!(c.iter().any(|c| c.label == "五、存在的主要问题及改进情况"));
    }

    fn snapshot_with(text: &str, flagged: &str, markdown: bool) -> Snapshot {
        let at = text.find(flagged).expect("flagged text");
        let mut analysis = crate::analyze("", &Settings::default());
        analysis.diagnostics = vec![Diagnostic::new("table-label", at..at + flagged.len(), "x")];
        Snapshot {
            doc_id: 1,
            rev: 1,
            version: 1,
            text: text.to_string(),
            index: PosIndex::new(text),
            settings: Settings::default(),
            analysis,
            linted: true,
            offer_completions: true,
            markdown,
            page: false,
            mapped: false,
            others: std::collections::HashMap::new(),
        }
    }

    fn apply(text: &str, edits: &[Edit]) -> String {
        let mut out = text.to_string();
        let mut edits = edits.to_vec();
        edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
        for e in edits {
            out.replace_range(e.range.clone(), &e.new_text);
        }
        out
    }

    #[test]
    fn markdown_suppression_above_a_line_or_around_a_table() {
        let text = "正文 结果维护\r\n下一行\r\n";
        let snap = snapshot_with(text, "结果维护", true);
        let a = suppress_in_markdown(&snap, 0);
        assert_eq!(
            apply(text, &a.edits),
            "<!-- gov-report-disable-next-line table-label -->\r\n正文 结果维护\r\n下一行\r\n"
        );
        let text = "表四\n| 行政复议 | |\n| 结果维护 | 结果纠正 |\n| 0 | 0 |\n说明";
        let snap = snapshot_with(text, "结果维护", true);
        let a = suppress_in_markdown(&snap, 0);
        assert_eq!(
            apply(text, &a.edits),
            "表四\n<!-- gov-report-disable table-label -->\n| 行政复议 | |\n| 结果维护 | 结果纠正 |\n| 0 | 0 |\n<!-- gov-report-enable table-label -->\n说明"
        );
        // A table at the very end of the text.
        let text = "| 结果维护 |";
        let snap = snapshot_with(text, "结果维护", true);
        let a = suppress_in_markdown(&snap, 0);
        assert_eq!(
            apply(text, &a.edits),
            "<!-- gov-report-disable table-label -->\n| 结果维护 |\n<!-- gov-report-enable table-label -->"
        );
    }

    #[test]
    fn config_suppression_appends_a_quoted_entry() {
        let snap = snapshot_with("甲 \"结果\\维护\" 乙", "\"结果\\维护\"", false);
        let a = suppress_in_config(
            &snap,
            0,
            "/w/gov-report.toml".into(),
            Some("year = 2023".into()),
        );
        assert_eq!(
            apply("year = 2023", &a.edits),
            "year = 2023\n\n[[ignore]]\nrule = \"table-label\"\ntext = '\"结果\\维护\"'\n"
        );
    }

    #[test]
    fn rule_ids_found_in_comments() {
        let text = "<!-- gov-report-disable-next-line table-label -->";
        let at = text.find("label").unwrap();
        let (id, r) = rule_id_at(text, at).unwrap();
        assert_eq!(id, "table-label");
        assert_eq!(&text[r], "table-label");
        assert!(rule_id_at(text, 2).is_none());
    }
}

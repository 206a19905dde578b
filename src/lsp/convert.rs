//! The only place that builds protocol values from core types. Every
//! position goes through [`Conv`], in the encoding negotiated at `initialize`.

use std::collections::HashMap;
use std::ops::Range;

use serde_json::{json, Value};
use tower_lsp::lsp_types as lsp;
use tower_lsp::lsp_types::Url;

use super::features::{
    Action, ActionKind, Candidate, CompletionKind, OutlineItem, OutlineKind, Snapshot, Target,
    Written, FIX_ALL_KIND, SUPPRESSION_WRITTEN,
};
use super::position::{Pos, PosIndex};
use crate::diagnostic::{Diagnostic, Edit, Severity};
use crate::text::ColumnUnit;

/// Diagnostic `source`, the same for pushed and pulled diagnostics.
pub const SOURCE: &str = "gov-report";

/// Where the rule documentation lives in the repository (anchors are the rule ids).
const RULES_DOC: &str = "/blob/main/docs/rules.md";

/// The rule documentation page, derived from the package's `repository`
/// (Cargo.toml). None when no repository is configured: no link is guessed,
/// since a guessed address may not open on an office intranet; clients then
/// show `--explain` text instead (see `features::RuleLink`).
pub fn rules_page() -> Option<String> {
    rules_page_of(env!("CARGO_PKG_REPOSITORY"))
}

fn rules_page_of(repository: &str) -> Option<String> {
    let repo = repository.trim().trim_end_matches('/');
    let page = format!("{repo}{RULES_DOC}");
    (!repo.is_empty() && Url::parse(&page).is_ok()).then_some(page)
}

/// The documentation URL of a rule (`docs/rules.md#<rule-id>`), if a
/// repository is configured.
pub fn rule_href(rule: &str) -> Option<Url> {
    Url::parse(&format!("{}#{rule}", rules_page()?)).ok()
}

pub fn encoding_kind(unit: ColumnUnit) -> lsp::PositionEncodingKind {
    match unit {
        ColumnUnit::Utf8 => lsp::PositionEncodingKind::UTF8,
        ColumnUnit::Utf16 => lsp::PositionEncodingKind::UTF16,
        ColumnUnit::Char => lsp::PositionEncodingKind::UTF32,
    }
}

pub fn pos(p: lsp::Position) -> Pos {
    Pos {
        line: p.line,
        col: p.character,
    }
}

/// Converts byte offsets of one text to protocol positions.
pub struct Conv<'a> {
    pub text: &'a str,
    pub index: &'a PosIndex,
    pub unit: ColumnUnit,
}

impl<'a> Conv<'a> {
    pub fn of(snap: &'a Snapshot, unit: ColumnUnit) -> Self {
        Conv {
            text: &snap.text,
            index: &snap.index,
            unit,
        }
    }

    pub fn position(&self, offset: usize) -> lsp::Position {
        let p = self.index.pos(self.text, offset, self.unit);
        lsp::Position::new(p.line, p.col)
    }

    pub fn range(&self, r: &Range<usize>) -> lsp::Range {
        lsp::Range::new(self.position(r.start), self.position(r.end))
    }

    /// Byte offset of a client position (clamped as the protocol says).
    pub fn offset(&self, p: lsp::Position) -> Option<usize> {
        self.index.offset(self.text, pos(p), self.unit)
    }

    pub fn offsets(&self, r: lsp::Range) -> Option<Range<usize>> {
        let a = self.offset(r.start)?;
        let b = self.offset(r.end)?;
        Some(a.min(b)..a.max(b))
    }

    pub fn text_edit(&self, e: &Edit) -> lsp::TextEdit {
        lsp::TextEdit::new(self.range(&e.range), e.new_text.clone())
    }
}

pub fn severity(s: Severity) -> lsp::DiagnosticSeverity {
    match s {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
    }
}

/// Other files' texts, by the path a related location names.
pub type Others = HashMap<String, std::sync::Arc<super::workspace::OtherText>>;

pub fn diagnostic(conv: &Conv, uri: &Url, others: &Others, d: &Diagnostic) -> lsp::Diagnostic {
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|r| {
            let (location, message) = match &r.path {
                None => (
                    lsp::Location::new(uri.clone(), conv.range(&r.range)),
                    r.message.clone(),
                ),
                // Last year's report: a location in that file (a Word
                // document or PDF has no lines: its start, and the place in words).
                Some(path) => {
                    let other = others.get(path)?;
                    let uri = Url::from_file_path(path).ok()?;
                    match other.words.get(&(r.range.start, r.range.end)) {
                        Some(words) => (
                            lsp::Location::new(uri, lsp::Range::default()),
                            format!("{words}：{}", r.message),
                        ),
                        None => {
                            let there = Conv {
                                text: &other.text,
                                index: &other.index,
                                unit: conv.unit,
                            };
                            (
                                lsp::Location::new(uri, there.range(&r.range)),
                                r.message.clone(),
                            )
                        }
                    }
                }
            };
            Some(lsp::DiagnosticRelatedInformation { location, message })
        })
        .collect();
    lsp::Diagnostic {
        range: conv.range(&d.range),
        severity: Some(severity(d.severity)),
        code: Some(lsp::NumberOrString::String(d.rule.to_string())),
        code_description: rule_href(d.rule).map(|href| lsp::CodeDescription { href }),
        source: Some(SOURCE.to_string()),
        message: d.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

/// The protocol diagnostics of a snapshot.
pub fn diagnostics(snap: &Snapshot, uri: &Url, unit: ColumnUnit) -> Vec<lsp::Diagnostic> {
    let conv = Conv::of(snap, unit);
    snap.diagnostics()
        .iter()
        .map(|d| diagnostic(&conv, uri, &snap.others, d))
        .collect()
}

/// A code action. `document_changes`: the client accepts versioned
/// `documentChanges` (and file creation) rather than a plain `changes` map.
pub fn code_action(
    snap: &Snapshot,
    uri: &Url,
    unit: ColumnUnit,
    action: &Action,
    document_changes: bool,
) -> lsp::CodeActionOrCommand {
    let conv = Conv::of(snap, unit);
    let kind = match action.kind {
        ActionKind::QuickFix | ActionKind::Suppress => lsp::CodeActionKind::QUICKFIX,
        ActionKind::FixAll => lsp::CodeActionKind::from(FIX_ALL_KIND.to_string()),
    };
    let diagnostics = action
        .diagnostic
        .and_then(|i| snap.diagnostics().get(i))
        .map(|d| vec![diagnostic(&conv, uri, &snap.others, d)]);
    let edit = match &action.target {
        Target::ThisDocument => {
            let edits: Vec<lsp::TextEdit> =
                action.edits.iter().map(|e| conv.text_edit(e)).collect();
            document_edit(uri.clone(), Some(snap.version), edits, document_changes)
        }
        Target::File { path, text } => {
            file_edit(path, text.as_deref(), &action.edits, unit, document_changes)
        }
    };
    lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
        title: action.title.clone(),
        kind: Some(kind),
        diagnostics,
        edit: Some(edit),
        command: action.written.as_ref().map(written_command),
        is_preferred: action.preferred.then_some(true),
        disabled: None,
        data: None,
    })
}

/// The command run after a configuration suppression was applied.
fn written_command(w: &Written) -> lsp::Command {
    let uri = Url::from_file_path(&w.path)
        .map(|u| u.to_string())
        .unwrap_or_default();
    lsp::Command {
        title: "显示写入的设置".to_string(),
        command: SUPPRESSION_WRITTEN.to_string(),
        arguments: Some(vec![json!({
            "uri": uri,
            "path": w.path.display().to_string(),
            "created": w.created,
            "inserted": w.inserted,
            "rule": w.rule,
            "text": w.text,
        })]),
    }
}

fn document_edit(
    uri: Url,
    version: Option<i32>,
    edits: Vec<lsp::TextEdit>,
    document_changes: bool,
) -> lsp::WorkspaceEdit {
    if document_changes {
        lsp::WorkspaceEdit {
            changes: None,
            document_changes: Some(lsp::DocumentChanges::Edits(vec![lsp::TextDocumentEdit {
                text_document: lsp::OptionalVersionedTextDocumentIdentifier { uri, version },
                edits: edits.into_iter().map(lsp::OneOf::Left).collect(),
            }])),
            change_annotations: None,
        }
    } else {
        lsp::WorkspaceEdit {
            changes: Some(HashMap::from([(uri, edits)])),
            document_changes: None,
            change_annotations: None,
        }
    }
}

/// Edits to a file that may not be open (or may not exist: then it is
/// created first, which needs `documentChanges` with resource operations).
fn file_edit(
    path: &std::path::Path,
    text: Option<&str>,
    edits: &[Edit],
    unit: ColumnUnit,
    document_changes: bool,
) -> lsp::WorkspaceEdit {
    let Ok(uri) = Url::from_file_path(path) else {
        return lsp::WorkspaceEdit::default();
    };
    let current = text.unwrap_or("");
    let index = PosIndex::new(current);
    let conv = Conv {
        text: current,
        index: &index,
        unit,
    };
    if text.is_some() && !document_changes {
        let plain = edits.iter().map(|e| conv.text_edit(e)).collect();
        return document_edit(uri, None, plain, false);
    }
    let text_edits: Vec<lsp::OneOf<lsp::TextEdit, lsp::AnnotatedTextEdit>> = edits
        .iter()
        .map(|e| lsp::OneOf::Left(conv.text_edit(e)))
        .collect();
    let mut ops = Vec::new();
    if text.is_none() {
        ops.push(lsp::DocumentChangeOperation::Op(lsp::ResourceOp::Create(
            lsp::CreateFile {
                uri: uri.clone(),
                options: Some(lsp::CreateFileOptions {
                    overwrite: Some(false),
                    ignore_if_exists: Some(true),
                }),
                annotation_id: None,
            },
        )));
    }
    ops.push(lsp::DocumentChangeOperation::Edit(lsp::TextDocumentEdit {
        text_document: lsp::OptionalVersionedTextDocumentIdentifier { uri, version: None },
        edits: text_edits,
    }));
    lsp::WorkspaceEdit {
        changes: None,
        document_changes: Some(lsp::DocumentChanges::Operations(ops)),
        change_annotations: None,
    }
}

pub fn hover(
    snap: &Snapshot,
    unit: ColumnUnit,
    markdown: String,
    range: &Range<usize>,
) -> lsp::Hover {
    lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: markdown,
        }),
        range: Some(Conv::of(snap, unit).range(range)),
    }
}

fn symbol_kind(k: OutlineKind) -> lsp::SymbolKind {
    match k {
        OutlineKind::Section | OutlineKind::MissingSection => lsp::SymbolKind::NAMESPACE,
        OutlineKind::Table => lsp::SymbolKind::STRUCT,
    }
}

/// The outline, nested when the client supports it, else flat.
pub fn document_symbols(
    snap: &Snapshot,
    uri: &Url,
    unit: ColumnUnit,
    items: &[OutlineItem],
    hierarchical: bool,
) -> lsp::DocumentSymbolResponse {
    let conv = Conv::of(snap, unit);
    if hierarchical {
        lsp::DocumentSymbolResponse::Nested(items.iter().map(|i| nested(&conv, i)).collect())
    } else {
        let mut flat = Vec::new();
        for item in items {
            flatten(&conv, uri, item, None, &mut flat);
        }
        lsp::DocumentSymbolResponse::Flat(flat)
    }
}

#[allow(deprecated)] // `deprecated` is a required field of the struct.
fn nested(conv: &Conv, item: &OutlineItem) -> lsp::DocumentSymbol {
    lsp::DocumentSymbol {
        name: item.name.clone(),
        detail: item.detail.clone(),
        kind: symbol_kind(item.kind),
        tags: None,
        deprecated: None,
        range: conv.range(&item.range),
        selection_range: conv.range(&item.selection),
        children: (!item.children.is_empty())
            .then(|| item.children.iter().map(|c| nested(conv, c)).collect()),
    }
}

#[allow(deprecated)] // `deprecated` is a required field of the struct.
fn flatten(
    conv: &Conv,
    uri: &Url,
    item: &OutlineItem,
    container: Option<&str>,
    out: &mut Vec<lsp::SymbolInformation>,
) {
    out.push(lsp::SymbolInformation {
        name: item.name.clone(),
        kind: symbol_kind(item.kind),
        tags: None,
        deprecated: None,
        location: lsp::Location::new(uri.clone(), conv.range(&item.range)),
        container_name: container.map(str::to_string),
    });
    for c in &item.children {
        flatten(conv, uri, c, Some(&item.name), out);
    }
}

pub fn completion_items(conv: &Conv, candidates: Vec<Candidate>) -> Vec<lsp::CompletionItem> {
    candidates
        .into_iter()
        .enumerate()
        .map(|(i, c)| lsp::CompletionItem {
            label: c.label.clone(),
            kind: Some(match c.kind {
                CompletionKind::Heading => lsp::CompletionItemKind::MODULE,
                CompletionKind::Label => lsp::CompletionItemKind::VALUE,
            }),
            detail: Some(c.detail),
            // Headings first, then labels in template order.
            sort_text: Some(format!("{i:04}")),
            filter_text: Some(c.label.clone()),
            text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit::new(
                conv.range(&c.replace),
                c.label,
            ))),
            ..lsp::CompletionItem::default()
        })
        .collect()
}

/// The `govReport/reportInfo` notification's parameters (for the VS Code
/// status bar); `snap` is `None` after the document was closed.
pub fn report_info(uri: &Url, version: Option<i32>, snap: Option<&Snapshot>) -> Value {
    let count = |s: Severity| {
        snap.map_or(0, |snap| {
            snap.diagnostics()
                .iter()
                .filter(|d| d.severity == s)
                .count()
        })
    };
    let info = snap.map(|s| &s.analysis.info);
    json!({
        "uri": uri,
        "version": version,
        "isReport": snap.is_some_and(|s| s.linted),
        "year": info.and_then(|i| i.year),
        "format": info.and_then(|i| i.format).map(|f| f.as_str()),
        "title": info.and_then(|i| i.title.clone()),
        "errors": count(Severity::Error),
        "warnings": count(Severity::Warning),
        "infos": count(Severity::Info),
    })
}

/// A full pull-diagnostics report.
pub fn pull_report(
    items: Vec<lsp::Diagnostic>,
    result_id: Option<String>,
) -> lsp::DocumentDiagnosticReportResult {
    lsp::DocumentDiagnosticReportResult::Report(lsp::DocumentDiagnosticReport::Full(
        lsp::RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: lsp::FullDocumentDiagnosticReport { result_id, items },
        },
    ))
}

/// "Nothing changed since `result_id`".
pub fn pull_unchanged(result_id: String) -> lsp::DocumentDiagnosticReportResult {
    lsp::DocumentDiagnosticReportResult::Report(lsp::DocumentDiagnosticReport::Unchanged(
        lsp::RelatedUnchangedDocumentDiagnosticReport {
            related_documents: None,
            unchanged_document_diagnostic_report: lsp::UnchangedDocumentDiagnosticReport {
                result_id,
            },
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_page_only_from_a_configured_repository() {
        assert_eq!(rules_page_of(""), None);
        assert_eq!(rules_page_of("  "), None);
        assert_eq!(rules_page_of("not a url"), None);
        assert_eq!(
            rules_page_of("https://git.example.org/gov-report-lsp/"),
            Some("https://git.example.org/gov-report-lsp/blob/main/docs/rules.md".to_string())
        );
    }
}

//! `govReport/checkFiles`: findings of files that are not open in the
//! editor and cannot be (Word documents, PDFs), read from disk. A client
//! lists them (e.g. in VS Code's Problems panel) with the place in words,
//! since such a file has no lines to underline.
//!
//! Request: `{"uris": ["file:///…/报告.docx", …]}`. Response: one entry per
//! uri, `{"uri", "diagnostics": [Diagnostic], "skipped": bool, "error": string|null}`.
//! Each diagnostic has the range 0:0–0:0 and the message
//! `第 4 部分 表四 第 2 行 第 1 列：…`, `data.location` the place as in
//! `--format json`. `skipped`: the file does not look like a report (and
//! linting is `auto`) or is excluded; `error`: why it could not be read.

use serde::{Deserialize, Serialize};
use tower_lsp::lsp_types as lsp;
use tower_lsp::lsp_types::Url;

use super::convert;
use crate::read;
use crate::settings::Settings;

/// The largest file read (as `--check`).
const MAX_BYTES: u64 = crate::cli::check::MAX_FILE_BYTES;

#[derive(Clone, Debug, Deserialize)]
pub struct Params {
    pub uris: Vec<Url>,
}

#[derive(Clone, Debug, Serialize)]
pub struct FileReport {
    pub uri: Url,
    pub diagnostics: Vec<lsp::Diagnostic>,
    pub skipped: bool,
    pub error: Option<String>,
}

/// What to check one file with.
pub struct Job {
    pub uri: Url,
    pub settings: Settings,
    /// Never shown (excluded, or linting off).
    pub never: bool,
}

fn read_file(uri: &Url) -> Result<Vec<u8>, String> {
    let path = uri
        .to_file_path()
        .map_err(|()| "不是本地文件，无法读取".to_owned())?;
    let meta = std::fs::metadata(&path).map_err(|e| crate::cli::input::io_reason(&e))?;
    if meta.len() > MAX_BYTES {
        return Err(crate::cli::check::too_large(Some(meta.len())));
    }
    std::fs::read(&path).map_err(|e| crate::cli::input::io_reason(&e))
}

/// Check one file from disk.
pub fn check(job: Job) -> FileReport {
    let mut report = FileReport {
        uri: job.uri.clone(),
        diagnostics: Vec::new(),
        skipped: job.never,
        error: None,
    };
    if job.never {
        return report;
    }
    let name = job
        .uri
        .to_file_path()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let read = match read_file(&job.uri).and_then(|bytes| read::read(&name, &bytes)) {
        Ok(r) => r,
        Err(e) => {
            report.error = Some(e);
            return report;
        }
    };
    let placed = read::analyze(&read, &job.settings);
    if !placed.analysis.looks_like_report() {
        report.skipped = true;
        return report;
    }
    let at = lsp::Range::default();
    report.diagnostics = placed
        .analysis
        .diagnostics
        .iter()
        .zip(&placed.places)
        .map(|(d, place)| {
            let words = place.location.words();
            let mut message = if words.is_empty() {
                d.message.clone()
            } else {
                format!("{words}：{}", d.message)
            };
            if let Some(fix) = &d.fix {
                message.push_str(&format!("（建议：{}", fix.title));
                if let Some(manual) = &place.manual {
                    message.push_str(&format!("；{manual}"));
                }
                message.push('）');
            }
            lsp::Diagnostic {
                range: at,
                severity: Some(convert::severity(d.severity)),
                code: Some(lsp::NumberOrString::String(d.rule.to_owned())),
                code_description: convert::rule_href(d.rule)
                    .map(|href| lsp::CodeDescription { href }),
                source: Some(convert::SOURCE.to_owned()),
                message,
                related_information: None,
                tags: None,
                data: serde_json::to_value(&place.location)
                    .ok()
                    .map(|l| serde_json::json!({ "location": l })),
            }
        })
        .collect();
    report
}

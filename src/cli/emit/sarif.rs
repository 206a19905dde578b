//! `--format sarif`: a SARIF 2.1.0 log (for GitHub code scanning and other
//! SARIF viewers). One `rule` per registered rule, with the Chinese summary
//! as short description and the rule's documentation as help; one `result`
//! per finding, with its region, related locations and fixes.
//!
//! Columns count Unicode characters (`columnKind: unicodeCodePoints`), like
//! `--format json`; an end column is the column just after the last character.

use std::io::{self, Write};
use std::ops::Range;

use serde_json::{json, Value};

use super::{related_at, Positions};
use crate::cli::check::FileResult;
use crate::diagnostic::{Safety, Severity};
use crate::rules::{self, FixKind};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A path as a URI reference: `/` separators, percent-encoded bytes outside
/// the unreserved set (CJK file names are common), `file://` when absolute.
pub fn uri(path: &str) -> String {
    let slashed = path.replace('\\', "/");
    let slashed = slashed.strip_prefix("./").unwrap_or(&slashed);
    let mut out = String::with_capacity(slashed.len());
    for b in slashed.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if slashed.starts_with('/') {
        format!("file://{out}")
    } else {
        out
    }
}

fn region(p: &Positions, r: &Range<usize>) -> Value {
    let start = p.get(r.start);
    let end = p.get(r.end);
    json!({
        "startLine": start.line,
        "startColumn": start.column,
        "endLine": end.line,
        "endColumn": end.column,
    })
}

fn rule_descriptors() -> Vec<Value> {
    rules::ALL
        .iter()
        .map(|r| {
            let fix = match r.fix {
                FixKind::None => "none",
                FixKind::Safe => "safe",
                FixKind::Unsafe => "unsafe",
            };
            json!({
                "id": r.id,
                "name": r.id,
                "shortDescription": { "text": r.summary },
                "help": { "text": r.docs, "markdown": r.docs },
                "defaultConfiguration": { "level": level(r.default_severity) },
                "properties": { "fix": fix },
            })
        })
        .collect()
}

fn results(all: &[&FileResult], result: &FileResult) -> Vec<Value> {
    let p = Positions::for_result(result);
    let uri = uri(&result.path);
    let lines = result.has_lines();
    let location = |r: &Range<usize>| {
        if lines {
            json!({
                "physicalLocation": {
                    "artifactLocation": { "uri": uri },
                    "region": region(&p, r),
                }
            })
        } else {
            // Word and PDF: the file, with the place in words in the message.
            json!({ "physicalLocation": { "artifactLocation": { "uri": uri } } })
        }
    };
    // A related location may be in another file of the run.
    let related_location = |i: usize, k: usize, r: &crate::diagnostic::Related| {
        let at = related_at(all, result, &p, result.places.get(i), k, r);
        let mut l = json!({
            "physicalLocation": { "artifactLocation": { "uri": self::uri(at.path) } }
        });
        match (&at.span, &at.location) {
            (Some((start, end)), _) => {
                l["physicalLocation"]["region"] = json!({
                    "startLine": start.line,
                    "startColumn": start.column,
                    "endLine": end.line,
                    "endColumn": end.column,
                });
            }
            // Word and PDF: the place in words with the message.
            (None, Some(loc)) if !loc.words().is_empty() => {
                l["message"] = json!({ "text": format!("{}：{}", loc.words(), r.message) });
            }
            _ => {}
        }
        l
    };
    result
        .analysis
        .diagnostics
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let text = match result.places.get(i).map(|p| p.location.words()) {
                Some(w) if !lines && !w.is_empty() => format!("{w}：{}", d.message),
                _ => d.message.clone(),
            };
            let mut v = json!({
                "ruleId": d.rule,
                "level": level(d.severity),
                "message": { "text": text },
                "locations": [location(&d.range)],
            });
            if let Some(index) = rules::ALL.iter().position(|r| r.id == d.rule) {
                v["ruleIndex"] = json!(index);
            }
            if !d.related.is_empty() {
                v["relatedLocations"] = d
                    .related
                    .iter()
                    .enumerate()
                    .map(|(k, r)| {
                        let mut l = related_location(i, k, r);
                        l["id"] = json!(k);
                        if l.get("message").is_none() {
                            l["message"] = json!({ "text": r.message });
                        }
                        l
                    })
                    .collect();
            }
            if let Some(fix) = d.fix.as_ref().filter(|_| lines) {
                let safety = match fix.safety {
                    Safety::Safe => "safe",
                    Safety::Unsafe => "unsafe",
                };
                v["fixes"] = json!([{
                    "description": { "text": fix.title },
                    "artifactChanges": [{
                        "artifactLocation": { "uri": uri },
                        "replacements": fix.edits.iter().map(|e| json!({
                            "deletedRegion": region(&p, &e.range),
                            "insertedContent": { "text": e.new_text },
                        })).collect::<Vec<_>>(),
                    }],
                    "properties": { "safety": safety },
                }]);
            }
            v
        })
        .collect()
}

/// The SARIF log for these results.
pub fn log(files: &[&FileResult]) -> Value {
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "gov-report-lsp",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rule_descriptors(),
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": files.iter().flat_map(|r| results(files, r)).collect::<Vec<_>>(),
        }]
    })
}

pub fn emit(out: &mut dyn Write, results: &[&FileResult]) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(results))?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(
            uri("drafts/2023年 报告.txt"),
            "drafts/2023%E5%B9%B4%20%E6%8A%A5%E5%91%8A.txt"
        );
        assert_eq!(uri("a\\b.md"), "a/b.md");
        assert_eq!(uri("./a.md"), "a.md");
        assert_eq!(uri("/abs/x.txt"), "file:///abs/x.txt");
    }
}

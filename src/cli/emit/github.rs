//! `--format github`: one GitHub Actions workflow command per finding, so
//! findings show up as annotations on the pull request's changed lines.
//!
//! `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`
//! (`::warning` for warnings, `::notice` for infos). Lines and columns are
//! 1-based, columns count characters, like `--format json`.

use std::io::{self, Write};

use super::{related_at, Positions};
use crate::cli::check::FileResult;
use crate::diagnostic::Severity;

pub fn emit(out: &mut dyn Write, results: &[&FileResult]) -> io::Result<()> {
    for result in results {
        let p = Positions::for_result(result);
        for (i, d) in result.analysis.diagnostics.iter().enumerate() {
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let start = p.get(d.range.start);
            let end = p.get(d.range.end);
            let mut message = d.message.clone();
            if let Some(fix) = &d.fix {
                message.push_str(&format!("\n建议修复：{}", fix.title));
            }
            // Annotations have no related locations: one in another file
            // (last year's report) is named in the message.
            for (k, r) in d
                .related
                .iter()
                .enumerate()
                .filter(|(_, r)| r.path.is_some())
            {
                let at = related_at(results, result, &p, result.places.get(i), k, r);
                message.push_str(&format!("\n相关：{}: {}", at.shown(), r.message));
            }
            let file = property(result.path.strip_prefix("./").unwrap_or(&result.path));
            let title = property(&format!("gov-report-lsp ({})", d.rule));
            if !result.has_lines() {
                // Word and PDF: a file annotation, the place in words.
                let words = result
                    .places
                    .get(i)
                    .map(|p| p.location.words())
                    .unwrap_or_default();
                writeln!(
                    out,
                    "::{command} file={file},title={title}::{}",
                    data(&format!("{words}：{message}"))
                )?;
                continue;
            }
            writeln!(
                out,
                "::{command} file={file},line={},col={},endLine={},endColumn={},title={title}::{}",
                start.line,
                start.column,
                end.line,
                end.column,
                data(&message),
            )?;
        }
    }
    Ok(())
}

/// A file that could not be checked (missing, binary, undecodable, not
/// written by `--fix`): an error annotation on the file.
pub fn failure(out: &mut dyn Write, path: &str, reason: &str) -> io::Result<()> {
    writeln!(
        out,
        "::error file={},title={}::{}",
        property(path.strip_prefix("./").unwrap_or(path)),
        property("gov-report-lsp"),
        data(reason)
    )
}

/// Escape a workflow command's message (`%`, CR, LF).
pub fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a workflow command's property value (`%`, CR, LF, `:`, `,`).
pub fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(data("100% ok\r\nnext: a,b"), "100%25 ok%0D%0Anext: a,b");
        assert_eq!(property("C:\\a,b%\n"), "C%3A\\a%2Cb%25%0A");
    }
}

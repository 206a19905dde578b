//! Checking files: read, decode, analyse, on all cores, in a stable order.

use std::io::Read as _;
use std::path::PathBuf;

use rayon::prelude::*;

use super::input::{self, FileError, Input, Source};
use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Severity};
use crate::read::{self, Place, Placed, Read};
use crate::series::{self, Facts};
use crate::settings::Settings;

/// The largest file checked. Real annual reports are well under 1 MB; a file
/// this large is almost certainly not a report (a log, a database dump), and
/// refusing it keeps a mistaken `--check` from tying up the machine.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// The reason given for a file over [`MAX_FILE_BYTES`].
/// `len` is `None` when the size is unknown (standard input is read only up to the limit).
pub fn too_large(len: Option<u64>) -> String {
    let size = len.map_or(String::new(), |len| {
        #[allow(clippy::cast_precision_loss)]
        let mb = len as f64 / (1024.0 * 1024.0);
        format!("（{mb:.1} MB）")
    });
    format!(
        "文件过大{size}，超过 {} MB 的上限；年度报告通常不到 1 MB，请确认是否选错了文件",
        MAX_FILE_BYTES / (1024 * 1024)
    )
}

/// Read a file, at most [`MAX_FILE_BYTES`]: a larger regular file is refused
/// without reading it, and anything else (a device such as `/dev/zero`, a
/// FIFO) is read only up to one byte over the limit.
fn read_limited(path: &std::path::Path) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| input::io_reason(&e))?;
    let meta = file.metadata().map_err(|e| input::io_reason(&e))?;
    if meta.is_dir() {
        return Err("这是文件夹，不是文件".to_owned());
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(Some(meta.len())));
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| input::io_reason(&e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(None));
    }
    Ok(bytes)
}

/// The result of checking one file: everything an output format or `--fix` needs.
#[derive(Debug)]
pub struct FileResult {
    /// The path as shown to the user.
    pub path: String,
    /// The file on disk (`None` for standard input).
    pub file: Option<PathBuf>,
    /// The file as read: its format, the document the core read, and the
    /// text findings are placed in (`read.decoded`: the file's text, the
    /// page source of a web page, the document text of a Word file).
    pub read: Read,
    /// What the file held when it was read (`--fix` does not overwrite a file changed since).
    pub stamp: super::write::Stamp,
    /// Findings with ranges in [`FileResult::text`].
    pub analysis: Analysis,
    /// For each finding, its place in words (and whether its fix must be made by hand).
    pub places: Vec<Place>,
}

impl FileResult {
    /// Check a file's bytes (`path` is shown and chooses the format).
    pub fn new(
        path: String,
        file: Option<PathBuf>,
        bytes: &[u8],
        settings: &Settings,
    ) -> Result<FileResult, String> {
        let read = read::read(&path, bytes)?;
        Ok(FileResult::of(
            path,
            file,
            read,
            super::write::Stamp::of(bytes),
            settings,
        ))
    }

    /// Check a file already read.
    pub fn of(
        path: String,
        file: Option<PathBuf>,
        read: Read,
        stamp: super::write::Stamp,
        settings: &Settings,
    ) -> FileResult {
        let Placed { analysis, places } = read::analyze(&read, settings);
        FileResult {
            path,
            file,
            read,
            stamp,
            analysis,
            places,
        }
    }

    /// The text findings are placed in.
    pub fn text(&self) -> &str {
        &self.read.decoded.text
    }

    /// Findings are shown by line and column (text, Markdown, HTML), not
    /// by location in words (Word, PDF).
    pub fn has_lines(&self) -> bool {
        self.read.format.has_lines()
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.analysis
            .diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// What became of one input.
#[derive(Debug)]
pub enum Outcome {
    Checked(Box<FileResult>),
    /// Found in a folder but does not look like an annual report.
    Skipped(String),
    Failed(FileError),
}

/// Check every input in parallel; the outcomes come back in input order.
/// `stdin` holds the bytes of standard input when an input is `-`.
/// `settings[i]` applies to `inputs[i]` (each file has its own `gov-report.toml`).
pub fn check_all(inputs: &[Input], stdin: Option<&[u8]>, settings: &[Settings]) -> Vec<Outcome> {
    inputs
        .par_iter()
        .zip(settings)
        .map(|(input, settings)| check_one(input, stdin, settings))
        .collect()
}

fn check_one(input: &Input, stdin: Option<&[u8]>, settings: &Settings) -> Outcome {
    let fail = |reason: String| {
        Outcome::Failed(FileError {
            path: input.display.clone(),
            reason,
        })
    };
    let owned;
    let (bytes, file): (&[u8], Option<PathBuf>) = match &input.source {
        Source::Stdin => (stdin.unwrap_or_default(), None),
        Source::File(path) => match read_limited(path) {
            Ok(b) => {
                owned = b;
                (&owned, Some(path.clone()))
            }
            Err(reason) => return fail(reason),
        },
    };
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return fail(too_large(None));
    }
    let result = match FileResult::new(input.display.clone(), file, bytes, settings) {
        Ok(r) => r,
        Err(reason) => return fail(reason),
    };
    if !input.explicit && !result.analysis.looks_like_report() {
        return Outcome::Skipped(input.display.clone());
    }
    Outcome::Checked(Box::new(result))
}

/// Totals over a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Files found in folders that do not look like annual reports.
    pub skipped: usize,
    /// Paths that could not be read.
    pub failed: usize,
    /// Files whose fixes could not be written (`--fix`).
    pub unwritten: usize,
}

impl Summary {
    pub fn of(outcomes: &[Outcome]) -> Summary {
        let mut s = Summary::default();
        for o in outcomes {
            match o {
                Outcome::Checked(r) => {
                    s.files += 1;
                    s.errors += r.count(Severity::Error);
                    s.warnings += r.count(Severity::Warning);
                    s.infos += r.count(Severity::Info);
                }
                Outcome::Skipped(_) => s.skipped += 1,
                Outcome::Failed(_) => s.failed += 1,
            }
        }
        s
    }
}

/// One body with reports of several years among the files checked, for the
/// summary at the end of the output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BodySummary {
    pub agency: String,
    pub years: Vec<i32>,
    /// Years with several reports (not compared).
    pub duplicate_years: Vec<i32>,
    /// `cross-year-mismatch` findings in its reports.
    pub findings: usize,
}

/// Compare the checked reports of one run across years (`cross-year-mismatch`):
/// the findings are added to the later reports' analyses. Returns the bodies
/// with reports of at least two years.
pub fn cross_year(outcomes: &mut [Outcome], settings: &[Settings]) -> Vec<BodySummary> {
    let rule = &crate::rules::cross_year_mismatch::RULE;
    if settings
        .iter()
        .all(|s| crate::analysis::severity_of(rule, s).is_none())
    {
        return Vec::new();
    }
    let checked: Vec<usize> = outcomes
        .iter()
        .enumerate()
        .filter_map(|(i, o)| matches!(o, Outcome::Checked(_)).then_some(i))
        .collect();
    // The core's coordinates: the document text and its report.
    let facts: Vec<Facts> = checked
        .iter()
        .filter_map(|&i| match &outcomes[i] {
            Outcome::Checked(r) => Some(Facts::of(
                r.path.clone(),
                &r.analysis,
                &r.read.doc.text,
                &settings[i],
            )),
            _ => None,
        })
        .collect();
    let result = series::check(&facts);
    for (k, found) in result.findings.into_iter().enumerate() {
        let i = checked[k];
        if let Outcome::Checked(r) = &mut outcomes[i] {
            add_findings(r, &settings[i], found);
        }
    }
    result
        .bodies
        .into_iter()
        .map(|b| BodySummary {
            findings: b
                .members
                .iter()
                .filter_map(|&k| match &outcomes[checked[k]] {
                    Outcome::Checked(r) => Some(
                        r.analysis
                            .diagnostics
                            .iter()
                            .filter(|d| d.rule == "cross-year-mismatch")
                            .count(),
                    ),
                    _ => None,
                })
                .sum(),
            agency: b.agency,
            years: b.years,
            duplicate_years: b.duplicate_years,
        })
        .collect()
}

/// Add findings made after the analysis (document-text ranges) to a checked
/// file: shown at their level, placed in the file like the core's findings,
/// in position order with their places.
fn add_findings(r: &mut FileResult, settings: &Settings, found: Vec<Diagnostic>) {
    let mut found = series::prepare(&mut r.analysis, &r.read.doc.text, settings, found);
    if found.is_empty() {
        return;
    }
    let places = read::place_more(&r.read, &r.analysis.report, &mut found);
    let mut all: Vec<(Diagnostic, Place)> = std::mem::take(&mut r.analysis.diagnostics)
        .into_iter()
        .zip(
            std::mem::take(&mut r.places)
                .into_iter()
                .chain(std::iter::repeat(Place::default())),
        )
        .chain(found.into_iter().zip(places))
        .collect();
    all.sort_by(|(a, _), (b, _)| {
        (a.range.start, a.range.end, a.rule).cmp(&(b.range.start, b.range.end, b.rule))
    });
    (r.analysis.diagnostics, r.places) = all.into_iter().unzip();
}

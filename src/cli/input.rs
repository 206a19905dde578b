//! Finding the files to check. Decoding their bytes is the readers' job
//! (`crate::read`); the text types are re-exported here for the CLI.

use std::fmt;
use std::io;

pub use crate::read::text::{decode, DecodeError, Decoded, Encoding, LineEnding};
use std::path::{Path, PathBuf};

/// Where a file to check comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    File(PathBuf),
    /// Standard input, already read (only one of these per run).
    Stdin,
}

/// A file to check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    /// The path as shown to the user (for stdin, `--stdin-filename` or `<stdin>`).
    pub display: String,
    pub source: Source,
    /// Named on the command line (always checked) rather than found in a
    /// folder (skipped when it does not look like an annual report).
    pub explicit: bool,
}

/// A problem with one path: a missing file, an unreadable folder, bad bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileError {
    pub path: String,
    pub reason: String,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.reason)
    }
}

/// A Chinese reason for an I/O error.
pub fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "文件或文件夹不存在".to_owned(),
        io::ErrorKind::PermissionDenied => "没有读取权限".to_owned(),
        io::ErrorKind::IsADirectory => "这是文件夹，不是文件".to_owned(),
        io::ErrorKind::InvalidData => "内容不是有效的文本".to_owned(),
        _ => format!("无法读取（{e}）"),
    }
}

/// Whether a path found in a folder is a draft to check (`*.txt`, `*.md`,
/// `*.docx`, `*.html`, `*.htm`, `*.pdf`). Word's lock files (`~$报告.docx`,
/// left beside a document while it is open) are not.
fn is_draft(path: &Path) -> bool {
    let lock = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("~$"));
    !lock
        && path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
            crate::read::Format::EXTENSIONS
                .iter()
                .any(|x| e.eq_ignore_ascii_case(x))
        })
}

fn is_hidden(entry: &walkdir::DirEntry) -> bool {
    entry.depth() > 0
        && entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with('.'))
}

/// Expand the command-line paths: files are taken as they are, folders are
/// walked recursively for the formats the checker reads (hidden files and
/// folders and Word's `~$` lock files are skipped), `-` is standard input. The result is sorted by displayed path
/// and free of duplicates, so output does not depend on argument order.
pub fn collect(paths: &[PathBuf], stdin_name: Option<&str>) -> (Vec<Input>, Vec<FileError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input {
                display: stdin_name.unwrap_or("<stdin>").to_owned(),
                source: Source::Stdin,
                explicit: true,
            });
            continue;
        }
        let display = path.display().to_string();
        match std::fs::metadata(path) {
            Err(e) => errors.push(FileError {
                path: display,
                reason: io_reason(&e),
            }),
            Ok(meta) if meta.is_dir() => walk(path, &mut inputs, &mut errors),
            Ok(_) => inputs.push(Input {
                display,
                source: Source::File(path.clone()),
                explicit: true,
            }),
        }
    }
    inputs.sort_by(|a, b| a.display.cmp(&b.display).then(b.explicit.cmp(&a.explicit)));
    inputs.dedup_by(|later, earlier| later.display == earlier.display);
    (inputs, errors)
}

fn walk(root: &Path, inputs: &mut Vec<Input>, errors: &mut Vec<FileError>) {
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !is_hidden(e));
    for entry in walker {
        match entry {
            Ok(entry) => {
                if entry.file_type().is_file() && is_draft(entry.path()) {
                    inputs.push(Input {
                        display: entry.path().display().to_string(),
                        source: Source::File(entry.path().to_path_buf()),
                        explicit: false,
                    });
                }
            }
            Err(e) => {
                let path = e.path().unwrap_or(root).display().to_string();
                let reason = if e.loop_ancestor().is_some() {
                    "符号链接形成循环，已跳过".to_owned()
                } else {
                    e.io_error().map_or_else(|| e.to_string(), io_reason)
                };
                errors.push(FileError { path, reason });
            }
        }
    }
}

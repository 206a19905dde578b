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
    /// For a file found in a folder walk: the folder named on the command
    /// line, canonical. `--fix` never writes a file whose real path leaves it.
    pub folder: Option<PathBuf>,
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

/// A Chinese reason for an I/O error while reading.
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

/// The files to check, what could not be found, and notes for stderr.
#[derive(Debug, Default)]
pub struct Collected {
    pub inputs: Vec<Input>,
    pub errors: Vec<FileError>,
    pub notes: Vec<String>,
}

/// Expand the command-line paths: files are taken as they are, folders are
/// walked recursively for the formats the checker reads (hidden files and
/// folders and Word's `~$` lock files are skipped, symbolic links are
/// followed only within the folder), `-` is
/// standard input. The result is sorted by displayed path and names each file
/// once (a file named twice, through a link or a hard link, is checked under
/// its first name), so output does not depend on argument order.
pub fn collect(paths: &[PathBuf], stdin_name: Option<&str>) -> Collected {
    let mut acc = Collected::default();
    for path in paths {
        if path.as_os_str() == "-" {
            acc.inputs.push(Input {
                display: stdin_name.unwrap_or("<stdin>").to_owned(),
                source: Source::Stdin,
                explicit: true,
                folder: None,
            });
            continue;
        }
        let display = path.display().to_string();
        match std::fs::metadata(path) {
            Err(e) => acc.errors.push(FileError {
                path: display,
                reason: io_reason(&e),
            }),
            Ok(meta) if meta.is_dir() => walk(path, &mut acc),
            Ok(_) => acc.inputs.push(Input {
                display,
                source: Source::File(path.clone()),
                explicit: true,
                folder: None,
            }),
        }
    }
    acc.inputs
        .sort_by(|a, b| a.display.cmp(&b.display).then(b.explicit.cmp(&a.explicit)));
    dedup_same_files(&mut acc);
    acc
}

/// Keep one input per file: the same file named twice (`a.txt ./a.txt`, a
/// link and its target, two hard links) would otherwise be checked, and
/// fixed, twice.
fn dedup_same_files(acc: &mut Collected) {
    let mut seen: std::collections::HashMap<FileId, usize> = std::collections::HashMap::new();
    let mut kept: Vec<Input> = Vec::with_capacity(acc.inputs.len());
    for input in acc.inputs.drain(..) {
        let id = match &input.source {
            Source::File(path) => file_id(path),
            Source::Stdin => None,
        };
        let Some(id) = id else {
            kept.push(input);
            continue;
        };
        match seen.get(&id) {
            Some(&first) => {
                let first = &mut kept[first];
                if first.display != input.display {
                    acc.notes.push(format!(
                        "{} 与 {} 是同一个文件，只检查一次",
                        input.display, first.display
                    ));
                }
                // Named on the command line wins over found in a folder.
                first.explicit |= input.explicit;
                if input.folder.is_none() {
                    first.folder = None;
                }
            }
            None => {
                seen.insert(id, kept.len());
                kept.push(input);
            }
        }
    }
    acc.inputs = kept;
}

/// What identifies a file whatever its name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum FileId {
    #[cfg(unix)]
    Inode(u64, u64),
    #[cfg_attr(unix, allow(dead_code))]
    Path(PathBuf),
}

#[cfg(unix)]
fn file_id(path: &Path) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).ok()?;
    Some(FileId::Inode(meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_id(path: &Path) -> Option<FileId> {
    std::fs::canonicalize(path).ok().map(FileId::Path)
}

/// What a non-regular file is, for the message refusing it.
fn special_kind(file_type: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "命名管道（FIFO）";
        }
        if file_type.is_socket() {
            return "套接字";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "设备文件";
        }
    }
    let _ = file_type;
    "特殊文件"
}

/// The reason given for a device, FIFO or socket met in a folder walk.
pub fn not_regular(kind: &str) -> String {
    format!("这是{kind}，不是普通文件，未读取")
}

fn walk(root: &Path, acc: &mut Collected) {
    let Ok(real_root) = std::fs::canonicalize(root) else {
        acc.errors.push(FileError {
            path: root.display().to_string(),
            reason: "无法确定文件夹的实际位置".to_owned(),
        });
        return;
    };
    // Links are looked at one by one: followed only when they stay inside.
    let walker = walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !is_hidden(e));
    let mut outside: Vec<String> = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().unwrap_or(root).display().to_string();
                let reason = e.io_error().map_or_else(|| e.to_string(), io_reason);
                acc.errors.push(FileError { path, reason });
                continue;
            }
        };
        let path = entry.path();
        let file_type = if entry.path_is_symlink() && entry.depth() > 0 {
            let target = match std::fs::canonicalize(path) {
                Ok(t) => t,
                // A dangling link: nothing to check, say so only for drafts.
                Err(e) => {
                    if is_draft(path) {
                        acc.errors.push(FileError {
                            path: path.display().to_string(),
                            reason: format!("符号链接无法打开（{}）", io_reason(&e)),
                        });
                    }
                    continue;
                }
            };
            if !target.starts_with(&real_root) {
                if outside.len() < 3 {
                    outside.push(format!("{} → {}", path.display(), target.display()));
                } else {
                    outside.push(String::new());
                }
                continue;
            }
            match std::fs::metadata(&target) {
                // A folder inside is walked under its own name already.
                Ok(m) if m.is_dir() => continue,
                Ok(m) => m.file_type(),
                Err(_) => continue,
            }
        } else {
            entry.file_type()
        };
        if file_type.is_dir() || !is_draft(path) {
            continue;
        }
        if !file_type.is_file() {
            acc.errors.push(FileError {
                path: path.display().to_string(),
                reason: not_regular(special_kind(file_type)),
            });
            continue;
        }
        acc.inputs.push(Input {
            display: path.display().to_string(),
            source: Source::File(path.to_path_buf()),
            explicit: false,
            folder: Some(real_root.clone()),
        });
    }
    if !outside.is_empty() {
        let examples: Vec<&str> = outside
            .iter()
            .filter(|s| !s.is_empty())
            .map(String::as_str)
            .collect();
        acc.notes.push(format!(
            "{} 中有 {} 个符号链接指向该文件夹之外，未跟随（{}）",
            root.display(),
            outside.len(),
            examples.join("；")
        ));
    }
}

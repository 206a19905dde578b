//! Writing a fixed file back without losing anything the user had.
//!
//! [`write_checked`] takes the new bytes of a file (any format: text, or a
//! rewritten package) and the [`Stamp`] of what was checked, and writes them
//! **in place**, so the file keeps everything that belongs to it rather than
//! to its contents: its inode and so every hard link, its owner and group,
//! its mode, extended attributes, ACLs and security labels. A fix never does
//! what the user could not do by hand: a read-only file is refused.
//!
//! Crash safety: before the file is touched, its original bytes are written
//! to a safety copy in the same folder (`.NAME.XXXXXX.gov-report-backup`)
//! and flushed to disk. The new bytes are then written over the file through
//! the handle that was checked, flushed, and read back. The copy is removed
//! only when the file holds exactly the new bytes; if the machine stops
//! between, the original is in the copy, which the error message or a
//! directory listing names.
//!
//! Concurrent edits: the content is compared with the stamp twice, the second
//! time through the open handle immediately before writing. After writing,
//! the path must still lead to the same file and hold exactly the new bytes;
//! if an editor saved by renaming a new file over the path meanwhile, that
//! file (the user's) stands and the fix is reported as not written; if
//! something else wrote into the file meanwhile, the original is kept in the
//! safety copy and the error names it. What remains is the moment between
//! the last comparison and the write itself (one system call): a program that
//! writes into the file in place during it loses that write. Linux and macOS
//! have no mandatory locks that editors honour, so this cannot be closed.

use std::ffi::OsString;
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::hash::{DefaultHasher, Hasher};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// What a file held when it was checked: its length and a hash of its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    hash: u64,
}

impl Stamp {
    pub fn of(bytes: &[u8]) -> Stamp {
        let mut h = DefaultHasher::new();
        h.write(bytes);
        Stamp {
            len: bytes.len() as u64,
            hash: h.finish(),
        }
    }
}

/// Why a fixed file was not written. Every variant means the file on disk
/// holds what it held before (or what someone else wrote), never a mix.
#[derive(Debug)]
pub enum WriteError {
    /// The file may not be written (no write permission bit, or the user
    /// may not open it for writing).
    ReadOnly,
    /// Not a regular file (a device, a FIFO, a folder).
    NotRegular,
    /// Reached through a symbolic link that leads out of the folder that was checked.
    OutsideFolder { folder: PathBuf },
    /// The file no longer holds what was checked.
    Changed,
    /// Another file was renamed over the path while the fix was written
    /// (an editor saving): that file stands, the fix was not written to it.
    Replaced,
    /// Something wrote into the file while the fix was written; the original
    /// bytes are kept in `backup`.
    Concurrent { backup: PathBuf },
    /// The file could not be opened or read again before writing.
    Open(io::Error),
    /// The safety copy could not be written in the file's folder.
    Backup { folder: PathBuf, error: io::Error },
    /// Writing the new bytes failed. `backup` is `None` when the original
    /// bytes were written back, else where they are kept.
    Write {
        error: io::Error,
        backup: Option<PathBuf>,
    },
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::ReadOnly => f.write_str("文件为只读，未修改"),
            WriteError::NotRegular => f.write_str("不是普通文件（设备、管道或文件夹），未修改"),
            WriteError::OutsideFolder { folder } => write!(
                f,
                "这是指向所检查文件夹 {} 之外的符号链接，为安全起见未修改",
                folder.display()
            ),
            WriteError::Changed => f.write_str(
                "文件在检查期间被修改，为避免覆盖他人的改动，没有写入修复；请重新运行 --fix",
            ),
            WriteError::Replaced => f.write_str(
                "写入修复时文件被其他程序另存替换，已保留对方保存的版本，没有写入修复；请重新运行 --fix",
            ),
            WriteError::Concurrent { backup } => write!(
                f,
                "写入修复时其他程序也在修改这个文件，文件现在的内容可能不完整；修复前的原文件已保存在 {}，请核对后恢复",
                backup.display()
            ),
            WriteError::Open(e) => write!(f, "无法写入修复：无法打开文件（{}）", write_reason(e)),
            WriteError::Backup { folder, error } => write!(
                f,
                "无法写入修复：写入前需要在文件夹 {} 中保存原文件的安全副本，但{}；文件未修改",
                folder.display(),
                write_reason(error)
            ),
            WriteError::Write {
                error,
                backup: None,
            } => write!(
                f,
                "无法写入修复：{}；已恢复原内容，文件未修改",
                write_reason(error)
            ),
            WriteError::Write {
                error,
                backup: Some(backup),
            } => write!(
                f,
                "无法写入修复：{}，且未能恢复原内容；原文件已保存在 {}，请用它恢复",
                write_reason(error),
                backup.display()
            ),
        }
    }
}

/// A Chinese reason for an error while writing.
pub fn write_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::StorageFull => "磁盘空间已满".to_owned(),
        io::ErrorKind::QuotaExceeded => "超出磁盘配额".to_owned(),
        io::ErrorKind::PermissionDenied => "没有写入权限".to_owned(),
        io::ErrorKind::ReadOnlyFilesystem => "所在磁盘为只读".to_owned(),
        io::ErrorKind::NotFound => "文件或文件夹不存在".to_owned(),
        io::ErrorKind::FileTooLarge => "文件超过磁盘允许的大小".to_owned(),
        _ => format!("写入出错（{e}）"),
    }
}

/// A point in [`write_checked_with`] where tests act as a concurrent editor.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// The safety copy is on disk; the file has not been compared a second time.
    BeforeLastLook,
    /// The file was compared a second time; the new bytes are about to be written.
    BeforeWrite,
    /// The new bytes are written and flushed; nothing has been verified yet.
    AfterWrite,
}

/// Write `bytes` over the file at `path` if it still holds what was checked
/// (`expected`), in place and with a safety copy (see the module docs).
/// A symbolic link is followed; with `folder` (the canonical folder a walk
/// started from), a file whose real path lies outside it is refused.
pub fn write_checked(
    path: &Path,
    bytes: &[u8],
    expected: Stamp,
    folder: Option<&Path>,
) -> Result<(), WriteError> {
    write_checked_with(path, bytes, expected, folder, &mut |_| {})
}

/// [`write_checked`], calling `at` at each [`Stage`] (for tests).
#[doc(hidden)]
pub fn write_checked_with(
    path: &Path,
    bytes: &[u8],
    expected: Stamp,
    folder: Option<&Path>,
    at: &mut dyn FnMut(Stage),
) -> Result<(), WriteError> {
    let target = fs::canonicalize(path).map_err(WriteError::Open)?;
    if let Some(folder) = folder {
        if !target.starts_with(folder) {
            return Err(WriteError::OutsideFolder {
                folder: folder.to_path_buf(),
            });
        }
    }
    let meta = fs::metadata(&target).map_err(WriteError::Open)?;
    if !meta.is_file() {
        return Err(WriteError::NotRegular);
    }
    // No write permission bit at all: read-only by intent, even for root.
    if meta.permissions().readonly() {
        return Err(WriteError::ReadOnly);
    }
    let mut file = match OpenOptions::new().read(true).write(true).open(&target) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => return Err(WriteError::ReadOnly),
        Err(e) => return Err(WriteError::Open(e)),
    };
    // The handle must be the file that was resolved (no link swapped in between).
    if !same_file(&file, &target) {
        return Err(WriteError::Changed);
    }
    let cap = expected.len + 1;
    let original = read_all(&mut file, cap).map_err(WriteError::Open)?;
    if Stamp::of(&original) != expected {
        return Err(WriteError::Changed);
    }
    let folder_of_file = target.parent().unwrap_or(Path::new(".")).to_path_buf();
    let backup =
        safety_copy(&target, &folder_of_file, &original).map_err(|error| WriteError::Backup {
            folder: folder_of_file.clone(),
            error,
        })?;
    at(Stage::BeforeLastLook);
    // Last look, through the handle that will be written.
    if Stamp::of(&read_all(&mut file, cap).map_err(WriteError::Open)?) != expected {
        return Err(WriteError::Changed);
    }
    at(Stage::BeforeWrite);
    if let Err(error) = overwrite(&mut file, bytes) {
        // Put the original back; keep the copy if even that fails.
        return Err(match overwrite(&mut file, &original) {
            Ok(()) => WriteError::Write {
                error,
                backup: None,
            },
            Err(_) => WriteError::Write {
                error,
                backup: Some(keep(backup)),
            },
        });
    }
    at(Stage::AfterWrite);
    if !same_file(&file, &target) {
        // An editor renamed its save over the path: the fix went into the
        // old file, which is no longer anyone's; the user's save stands.
        return Err(WriteError::Replaced);
    }
    match read_all(&mut file, bytes.len() as u64 + 1) {
        Ok(now) if now == bytes => Ok(()),
        _ => Err(WriteError::Concurrent {
            backup: keep(backup),
        }),
    }
}

/// Read a file from its start, at most `cap` bytes (one more than expected
/// is enough to tell a longer file).
fn read_all(file: &mut File, cap: u64) -> io::Result<Vec<u8>> {
    file.seek(SeekFrom::Start(0))?;
    let mut buf = Vec::new();
    file.take(cap).read_to_end(&mut buf)?;
    Ok(buf)
}

/// Replace the content of an open file with `bytes`: write from the start,
/// then cut what is left of a longer old content, then flush to disk. The
/// file is never empty in between.
fn overwrite(file: &mut File, bytes: &[u8]) -> io::Result<()> {
    file.seek(SeekFrom::Start(0))?;
    file.write_all(bytes)?;
    file.set_len(bytes.len() as u64)?;
    file.sync_all()
}

/// Write `original` to a new file beside `target`, flushed to disk with its
/// folder entry. Removed when dropped, unless [`keep`] is called.
fn safety_copy(
    target: &Path,
    folder: &Path,
    original: &[u8],
) -> io::Result<tempfile::NamedTempFile> {
    let mut prefix = OsString::from(".");
    prefix.push(target.file_name().unwrap_or_default());
    prefix.push(".");
    let mut copy = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".gov-report-backup")
        .tempfile_in(folder)?;
    copy.write_all(original)?;
    copy.as_file().sync_all()?;
    sync_folder(folder);
    Ok(copy)
}

/// Keep a safety copy on disk and return its path.
fn keep(copy: tempfile::NamedTempFile) -> PathBuf {
    let path = copy.path().to_path_buf();
    match copy.keep() {
        Ok((_, path)) => path,
        Err(_) => path,
    }
}

/// Flush a folder's entries, so a new file's name survives a crash. Folders
/// cannot be opened on every platform; there, the file's own flush is all.
fn sync_folder(folder: &Path) {
    if let Ok(dir) = File::open(folder) {
        let _ = dir.sync_all();
    }
}

/// Whether an open file is the one a path leads to now.
#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Without a stable file identity in std, assume it is.
#[cfg(not(unix))]
fn same_file(_file: &File, _path: &Path) -> bool {
    true
}

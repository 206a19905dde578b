//! `--fix`, `--unsafe-fixes` and `--diff`: apply fixes until the text
//! converges, then write the file back the way it was stored (encoding, BOM,
//! line endings), atomically, and only if nobody changed it meanwhile.

use std::fmt;
use std::hash::{DefaultHasher, Hasher};
use std::io::{self, Write};
use std::path::Path;

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

/// `--diff`: a unified diff from `old` to `new`, headed with the path.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(path, path)
        .to_string()
}

/// Why a fixed file was not written.
#[derive(Debug)]
pub enum WriteError {
    /// The file on disk no longer holds what was checked.
    Changed,
    Io(io::Error),
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Changed => f.write_str(
                "文件在检查期间被修改，为避免覆盖他人的改动，没有写入修复；请重新运行 --fix",
            ),
            WriteError::Io(e) => write!(f, "无法写入修复（{}）", crate::cli::input::io_reason(e)),
        }
    }
}

impl From<io::Error> for WriteError {
    fn from(e: io::Error) -> Self {
        WriteError::Io(e)
    }
}

/// Replace the file at `path` with `bytes`, atomically: write a temporary
/// file in the same folder (same permissions), then check that the file
/// still holds what was checked (`expected`), then rename over it. A
/// symbolic link is followed: its target is replaced, the link stays.
pub fn write_atomic(path: &Path, bytes: &[u8], expected: Stamp) -> Result<(), WriteError> {
    let target = std::fs::canonicalize(path)?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let permissions = std::fs::metadata(&target)?.permissions();
    let mut tmp = tempfile::Builder::new()
        .prefix(".gov-report-fix-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    std::fs::set_permissions(tmp.path(), permissions)?;
    // Last look before replacing: the temporary file is removed on error.
    if Stamp::of(&std::fs::read(&target)?) != expected {
        return Err(WriteError::Changed);
    }
    tmp.persist(&target).map_err(|e| WriteError::Io(e.error))?;
    Ok(())
}

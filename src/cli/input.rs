//! Finding the files to check and decoding their bytes.
//!
//! A decoded file remembers how it was stored (encoding, BOM, line endings)
//! so that `--fix` can write it back byte-exactly with [`Decoded::encode`].

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// The encoding a file was read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// GB18030 (a superset of GBK and GB2312), common from Windows offices.
    Gb18030,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Gb18030 => "GB18030",
        }
    }
}

/// The line terminators found in a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineEnding {
    /// No line terminator at all (empty or single-line file).
    None,
    Lf,
    CrLf,
    /// Both `\n` and `\r\n` occur.
    Mixed,
}

/// A file's text and how it was stored. The text keeps its line terminators
/// as they are (`\r\n` stays in the text); only the BOM is removed.
#[derive(Clone, Debug)]
pub struct Decoded {
    pub text: String,
    pub encoding: Encoding,
    /// The file started with a UTF-8 byte-order mark (removed from `text`).
    pub bom: bool,
    pub line_ending: LineEnding,
}

/// Why a file's bytes could not be read as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// A NUL byte: the file is binary (or UTF-16, which reports are not written in).
    Binary { offset: usize },
    /// Neither UTF-8 nor GB18030. `offset` is the file offset of the first
    /// byte that is not valid UTF-8.
    Invalid { offset: usize, bom: bool },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Binary { offset } => write!(
                f,
                "这是二进制文件，不是文本（第 {offset} 字节是 NUL 字节），请提供 .txt 或 .md 文本"
            ),
            DecodeError::Invalid { offset, bom: true } => write!(
                f,
                "文件声明为 UTF-8（有 BOM），但第 {offset} 字节起不是有效的 UTF-8 编码"
            ),
            DecodeError::Invalid { offset, bom: false } => write!(
                f,
                "第 {offset} 字节起不是有效的 UTF-8 编码，也不能按 GB18030 编码读取；请将文件另存为 UTF-8"
            ),
        }
    }
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Decode a file's bytes: UTF-8 (with or without BOM), else GB18030 if the
/// bytes are valid GB18030, else an error naming the first invalid byte.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(DecodeError::Binary { offset });
    }
    let bom = bytes.starts_with(UTF8_BOM);
    let body = if bom { &bytes[UTF8_BOM.len()..] } else { bytes };
    let (text, encoding) = match std::str::from_utf8(body) {
        Ok(text) => (text.to_owned(), Encoding::Utf8),
        Err(e) => {
            let offset = e.valid_up_to() + if bom { UTF8_BOM.len() } else { 0 };
            if bom {
                return Err(DecodeError::Invalid { offset, bom });
            }
            match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(body) {
                Some(text) => (text.into_owned(), Encoding::Gb18030),
                None => return Err(DecodeError::Invalid { offset, bom }),
            }
        }
    };
    let line_ending = line_ending(&text);
    Ok(Decoded {
        text,
        encoding,
        bom,
        line_ending,
    })
}

fn line_ending(text: &str) -> LineEnding {
    let bytes = text.as_bytes();
    let (mut lf, mut crlf) = (false, false);
    for i in memchr_newlines(bytes) {
        if i > 0 && bytes[i - 1] == b'\r' {
            crlf = true;
        } else {
            lf = true;
        }
        if lf && crlf {
            return LineEnding::Mixed;
        }
    }
    match (lf, crlf) {
        (false, false) => LineEnding::None,
        (true, false) => LineEnding::Lf,
        (false, true) => LineEnding::CrLf,
        (true, true) => LineEnding::Mixed,
    }
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'\n')
        .map(|(i, _)| i)
}

impl Decoded {
    /// Encode `text` (typically this file's text after fixes) the way this
    /// file was stored: same encoding, same BOM, and, for a CRLF file, bare
    /// `\n` inserted by edits turned into `\r\n`.
    pub fn encode(&self, text: &str) -> Vec<u8> {
        let text = if self.line_ending == LineEnding::CrLf {
            std::borrow::Cow::Owned(to_crlf(text))
        } else {
            std::borrow::Cow::Borrowed(text)
        };
        let mut out = Vec::with_capacity(text.len() + 3);
        if self.bom {
            out.extend_from_slice(UTF8_BOM);
        }
        match self.encoding {
            Encoding::Utf8 => out.extend_from_slice(text.as_bytes()),
            Encoding::Gb18030 => {
                // GB18030 covers all of Unicode, so encoding never substitutes.
                let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
                out.extend_from_slice(&bytes);
            }
        }
        out
    }
}

fn to_crlf(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 32);
    let mut prev = '\0';
    for c in text.chars() {
        if c == '\n' && prev != '\r' {
            out.push('\r');
        }
        out.push(c);
        prev = c;
    }
    out
}

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

/// Whether a path found in a folder is a draft to check (`*.txt`, `*.md`).
fn is_draft(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("txt") || e.eq_ignore_ascii_case("md"))
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
/// walked recursively for `*.txt` and `*.md` (hidden files and folders are
/// skipped, symbolic links are followed only within the folder), `-` is
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let d = decode("甲\r\n乙\r\n".as_bytes()).unwrap();
        assert_eq!(
            (d.encoding, d.bom, d.line_ending),
            (Encoding::Utf8, false, LineEnding::CrLf)
        );
        let d = decode(b"\xEF\xBB\xBFab\ncd").unwrap();
        assert_eq!(d.text, "ab\ncd");
        assert_eq!((d.bom, d.line_ending), (true, LineEnding::Lf));
        assert_eq!(d.encode(&d.text), b"\xEF\xBB\xBFab\ncd");
    }

    #[test]
    fn gb18030_round_trip() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("结果维持\r\n本年新收\r\n");
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, Encoding::Gb18030);
        assert_eq!(d.text, "结果维持\r\n本年新收\r\n");
        assert_eq!(d.line_ending, LineEnding::CrLf);
        assert_eq!(d.encode(&d.text), bytes.as_ref());
        // An edit inserting a bare newline keeps the file CRLF.
        let (expected, _, _) = encoding_rs::GB18030.encode("结果维持\r\n新行\r\n本年新收\r\n");
        assert_eq!(
            d.encode("结果维持\r\n新行\n本年新收\r\n"),
            expected.as_ref()
        );
    }

    #[test]
    fn invalid_and_binary() {
        assert_eq!(
            decode(b"ab\xFF\xFFcd").unwrap_err(),
            DecodeError::Invalid {
                offset: 2,
                bom: false
            }
        );
        assert_eq!(
            decode(b"\xEF\xBB\xBFab\xC4\xE3").unwrap_err(),
            DecodeError::Invalid {
                offset: 5,
                bom: true
            }
        );
        assert_eq!(
            decode(b"PK\x03\x04\x00").unwrap_err(),
            DecodeError::Binary { offset: 4 }
        );
        let d = decode(b"").unwrap();
        assert_eq!((d.text.as_str(), d.line_ending), ("", LineEnding::None));
    }

    #[test]
    fn mixed_line_endings() {
        assert_eq!(decode(b"a\r\nb\nc").unwrap().line_ending, LineEnding::Mixed);
    }
}

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

/// Expand the command-line paths: files are taken as they are, folders are
/// walked recursively for `*.txt` and `*.md` (hidden files and folders are
/// skipped), `-` is standard input. The result is sorted by displayed path
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

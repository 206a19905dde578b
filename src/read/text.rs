//! Plain text and Markdown: the bytes decoded (UTF-8 with or without BOM,
//! else GB18030). A decoded file remembers how it was stored (encoding, BOM,
//! line endings) so that `--fix` can write it back byte-exactly with
//! [`Decoded::encode`].

use std::fmt;

/// The encoding a file was read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// GB18030 (a superset of GBK and GB2312), common from Windows offices.
    Gb18030,
    /// The charset a web page declares (e.g. GBK, GB2312, Big5). Encoding
    /// back writes characters the charset lacks as HTML numeric references.
    Declared(&'static encoding_rs::Encoding),
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Gb18030 => "GB18030",
            Encoding::Declared(e) => e.name(),
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
                "这是二进制文件，不是文本（第 {offset} 字节是 NUL 字节）；可检查的文件为 .txt、.md、.docx、.html/.htm 和 .pdf"
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

pub(crate) fn line_ending(text: &str) -> LineEnding {
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
            Encoding::Declared(e) => {
                let (bytes, _, _) = e.encode(&text);
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

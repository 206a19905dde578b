//! The stdio transport in front of tower-lsp.
//!
//! tower-lsp stops reading its input after the first undecodable message
//! (tokio-util's framed reader ends the stream on a decode error), so one bad
//! message from a client would end the session. Incoming frames are therefore
//! read and checked here first: well-formed JSON-RPC goes on to tower-lsp,
//! anything else is answered with a JSON-RPC error (`-32700` parse error,
//! `-32600` invalid request) and the session goes on.

use serde_json::{json, Value};
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// Largest message accepted (a 1 MB report is a few MB of JSON).
const MAX_MESSAGE: usize = 256 << 20;
/// Longest header line kept (real ones are under 100 bytes). A longer line is
/// rejected and skipped without being stored.
const MAX_HEADER_LINE: usize = 8 << 10;
/// The header that starts a frame, searched for when resynchronising.
const CONTENT_LENGTH: &[u8] = b"content-length:";

/// One frame read from the client.
#[derive(Debug, PartialEq)]
pub enum Frame {
    /// A well-formed JSON-RPC message, ready for tower-lsp.
    Message(Vec<u8>),
    /// Something that is not; the error response to send back.
    Rejected(Value),
}

/// Reads frames, resynchronising on the next `Content-Length` header after
/// a broken header block.
pub struct FrameReader<R> {
    inner: R,
    resync: bool,
    /// Check each body as JSON-RPC (client input); off for tower-lsp's own output.
    check: bool,
}

impl<R: AsyncBufRead + Unpin> FrameReader<R> {
    /// A reader that checks every message (for what the client sends).
    pub fn new(inner: R) -> Self {
        FrameReader {
            inner,
            resync: false,
            check: true,
        }
    }

    /// A reader that only splits frames (for tower-lsp's well-formed output).
    pub fn trusted(inner: R) -> Self {
        FrameReader {
            inner,
            resync: false,
            check: false,
        }
    }

    /// The next frame; `None` at the end of the input.
    pub async fn next(&mut self) -> std::io::Result<Option<Frame>> {
        let mut content_length: Option<usize> = None;
        let mut problem: Option<String> = None;
        let mut saw_header = false;
        let mut raw = Vec::new();
        loop {
            let Some(complete) = self.read_line(&mut raw).await? else {
                return Ok(None);
            };
            if !complete {
                // Too long to be a header: skip the rest of it unread.
                self.resync = true;
                let reason = format!("header line longer than {MAX_HEADER_LINE} bytes");
                return Ok(Some(Frame::Rejected(error(Value::Null, -32700, &reason))));
            }
            let line = String::from_utf8_lossy(&raw);
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                if saw_header {
                    break;
                }
                continue;
            }
            saw_header = true;
            match line.split_once(':') {
                Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                    match value.trim().parse::<usize>() {
                        Ok(n) if n <= MAX_MESSAGE => content_length = Some(n),
                        Ok(n) => problem = Some(format!("message of {n} bytes is too large")),
                        Err(_) => problem = Some(format!("invalid Content-Length {value:?}")),
                    }
                }
                Some(_) => {}
                None => {
                    self.resync = true;
                    let reason = format!("not a header line: {:?}", truncate(line));
                    return Ok(Some(Frame::Rejected(error(Value::Null, -32700, &reason))));
                }
            }
        }
        let length = match (problem, content_length) {
            (None, Some(n)) => n,
            (problem, _) => {
                self.resync = true;
                let reason = problem.unwrap_or_else(|| "missing Content-Length header".into());
                return Ok(Some(Frame::Rejected(error(Value::Null, -32700, &reason))));
            }
        };
        let mut body = vec![0; length];
        self.inner.read_exact(&mut body).await?;
        if !self.check {
            return Ok(Some(Frame::Message(body)));
        }
        let frame = check(body);
        if matches!(&frame, Frame::Rejected(v) if v["error"]["code"] == -32700) {
            // A body that is not JSON: most likely the Content-Length was too
            // small, and the rest of the body is still ahead of the next
            // frame. Find that frame by its header.
            self.resync = true;
        }
        Ok(Some(frame))
    }

    /// Read one line into `raw` (cleared first), at most [`MAX_HEADER_LINE`]
    /// bytes. `Some(false)` when the line goes on beyond that (the rest is
    /// left unread); `None` at the end of the input. While resynchronising,
    /// input up to the next `Content-Length:` is skipped first, a bounded
    /// piece at a time, and the line returned starts with it.
    async fn read_line(&mut self, raw: &mut Vec<u8>) -> std::io::Result<Option<bool>> {
        let limit = MAX_HEADER_LINE as u64;
        while self.resync {
            let buf = self.inner.fill_buf().await?;
            if buf.is_empty() {
                return Ok(None);
            }
            match find_ignore_case(buf, CONTENT_LENGTH) {
                Some(at) => {
                    self.inner.consume(at);
                    self.resync = false;
                }
                None => {
                    // Keep a tail that may be the start of a header cut in two.
                    let keep = CONTENT_LENGTH.len() - 1;
                    if buf.len() > keep {
                        let n = buf.len() - keep;
                        self.inner.consume(n);
                    } else {
                        // Too little buffered to decide: take one more line.
                        raw.clear();
                        let n = (&mut self.inner).take(limit).read_until(b'\n', raw).await?;
                        if n == 0 {
                            return Ok(None);
                        }
                        if let Some(at) = find_ignore_case(raw, CONTENT_LENGTH) {
                            raw.drain(..at);
                            self.resync = false;
                            return Ok(Some(raw.ends_with(b"\n") || raw.len() < MAX_HEADER_LINE));
                        }
                    }
                }
            }
        }
        raw.clear();
        let n = (&mut self.inner).take(limit).read_until(b'\n', raw).await?;
        if n == 0 {
            return Ok(None);
        }
        // A line cut at the limit goes on; one cut by the end of input does not.
        Ok(Some(raw.ends_with(b"\n") || n < MAX_HEADER_LINE))
    }
}

/// Check one message body; strip `"params": null` (some clients send it for
/// `shutdown` and `exit`, which tower-lsp would refuse).
pub fn check(body: Vec<u8>) -> Frame {
    let mut value: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return Frame::Rejected(error(Value::Null, -32700, &format!("parse error: {e}"))),
    };
    let Some(obj) = value.as_object_mut() else {
        return Frame::Rejected(error(
            Value::Null,
            -32600,
            "a message must be a JSON object (batches are not part of LSP)",
        ));
    };
    let id = obj.get("id").cloned();
    let id_ok = id
        .as_ref()
        .is_none_or(|id| id.is_number() || id.is_string() || id.is_null());
    let reply_id = id.clone().filter(|_| id_ok).unwrap_or(Value::Null);
    if obj.get("jsonrpc") != Some(&json!("2.0")) {
        return Frame::Rejected(error(reply_id, -32600, "\"jsonrpc\" must be \"2.0\""));
    }
    if !id_ok {
        return Frame::Rejected(error(Value::Null, -32600, "invalid \"id\""));
    }
    let is_request = obj.contains_key("method");
    let is_response = id.is_some() && (obj.contains_key("result") || obj.contains_key("error"));
    if is_request {
        if !obj["method"].is_string() {
            return Frame::Rejected(error(reply_id, -32600, "\"method\" must be a string"));
        }
        if obj["method"] == "initialize" && spec_diagnostics_capability(obj) {
            return Frame::Message(serde_json::to_vec(&value).unwrap_or(body));
        }
        match obj.get("params") {
            None | Some(Value::Object(_) | Value::Array(_)) => Frame::Message(body),
            Some(Value::Null) => {
                obj.remove("params");
                Frame::Message(serde_json::to_vec(&value).unwrap_or(body))
            }
            Some(_) => Frame::Rejected(error(
                reply_id,
                -32600,
                "\"params\" must be an object or an array",
            )),
        }
    } else if is_response {
        Frame::Message(body)
    } else {
        Frame::Rejected(error(
            reply_id,
            -32600,
            "neither a request, a notification nor a response",
        ))
    }
}

/// The protocol names the client's workspace diagnostic capability
/// `workspace.diagnostics`; lsp-types 0.94 reads `workspace.diagnostic`.
/// Copy it across so `refreshSupport` is seen. Returns whether it changed.
fn spec_diagnostics_capability(msg: &mut serde_json::Map<String, Value>) -> bool {
    let Some(ws) = msg
        .get_mut("params")
        .and_then(|p| p.get_mut("capabilities"))
        .and_then(|c| c.get_mut("workspace"))
        .and_then(Value::as_object_mut)
    else {
        return false;
    };
    match ws.get("diagnostics").cloned() {
        Some(caps) if !ws.contains_key("diagnostic") => {
            ws.insert("diagnostic".to_string(), caps);
            true
        }
        _ => false,
    }
}

fn error(id: Value, code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

/// Byte position of an ASCII `needle` in `h`, ignoring ASCII case.
fn find_ignore_case(h: &[u8], n: &[u8]) -> Option<usize> {
    (0..=h.len().checked_sub(n.len())?).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

fn truncate(s: &str) -> String {
    s.chars().take(60).collect()
}

/// Write one framed message.
pub async fn write_frame<W: AsyncWrite + Unpin>(w: &mut W, body: &[u8]) -> std::io::Result<()> {
    let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    frame.extend_from_slice(body);
    w.write_all(&frame).await?;
    w.flush().await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> Vec<Frame> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        rt.block_on(async {
            let mut r = FrameReader::new(input);
            let mut out = Vec::new();
            while let Some(f) = r.next().await.expect("read") {
                out.push(f);
            }
            out
        })
    }

    fn code(f: &Frame) -> i64 {
        match f {
            Frame::Rejected(v) => v["error"]["code"].as_i64().unwrap_or(0),
            Frame::Message(_) => 0,
        }
    }

    #[test]
    fn good_bad_and_resynchronised_frames() {
        let ok = br#"{"jsonrpc":"2.0","id":1,"method":"shutdown","params":null}"#;
        let mut input = format!("Content-Length: {}\r\n\r\n", ok.len()).into_bytes();
        input.extend_from_slice(ok);
        input.extend_from_slice(b"Content-Length: 9\r\n\r\n{not json");
        input.extend_from_slice(b"garbage line\r\nmore garbage {\"x\":1}\r\n");
        let note = br#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        input.extend_from_slice(format!("Content-Length: {}\r\n\r\n", note.len()).as_bytes());
        input.extend_from_slice(note);
        input.extend_from_slice(b"Content-Length: 2\r\n\r\n[]");
        // A bad length, its body, then a good frame glued to the body.
        input.extend_from_slice(b"Content-Length: abc\r\n\r\n{}");
        input.extend_from_slice(format!("Content-Length: {}\r\n\r\n", note.len()).as_bytes());
        input.extend_from_slice(note);
        let f = frames(&input);
        assert_eq!(f.len(), 6, "{f:?}");
        match &f[0] {
            Frame::Message(m) => {
                let v: Value = serde_json::from_slice(m).unwrap();
                assert!(v.get("params").is_none(), "null params stripped");
            }
            other => panic!("{other:?}"),
        }
        // The body that is not JSON; the garbage after it is skipped up to
        // the next Content-Length header.
        assert_eq!(code(&f[1]), -32700);
        assert!(matches!(f[2], Frame::Message(_)), "resynchronised");
        assert_eq!(code(&f[3]), -32600);
        assert_eq!(code(&f[4]), -32700, "bad header block");
        assert!(matches!(f[5], Frame::Message(_)));
    }

    fn framed(body: &[u8]) -> Vec<u8> {
        let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        out.extend_from_slice(body);
        out
    }

    const REQUEST: &[u8] = br#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#;

    #[test]
    fn header_lines_are_capped_and_skipped_unstored() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        // 4 MB without a line break, then a good frame.
        let mut input = vec![b'a'; 4 << 20];
        input.extend_from_slice(&framed(REQUEST));
        rt.block_on(async {
            let mut r = FrameReader::new(&input[..]);
            let first = r.next().await.expect("read").expect("frame");
            assert_eq!(code(&first), -32700);
            let Frame::Rejected(v) = &first else {
                unreachable!()
            };
            assert!(v["error"]["message"]
                .as_str()
                .unwrap()
                .contains("header line longer than 8192 bytes"));
            // Rejected after reading one capped line, not the whole 4 MB.
            let consumed = input.len() - r.inner.len();
            assert!(consumed <= MAX_HEADER_LINE, "read {consumed} bytes");
            let second = r.next().await.expect("read").expect("frame");
            assert_eq!(second, Frame::Message(REQUEST.to_vec()));
            assert!(r.next().await.expect("read").is_none());
        });
        // Long lines between frames and a header cut at any point are found.
        for garbage in [0, 1, 13, 14, 15, 8191, 8192, 8193, 20_000] {
            let mut input = framed(b"{not json");
            input.extend(std::iter::repeat_n(b'x', garbage));
            input.extend_from_slice(&framed(REQUEST));
            let f = frames(&input);
            assert_eq!(f.len(), 2, "{garbage}: {f:?}");
            assert_eq!(f[1], Frame::Message(REQUEST.to_vec()), "{garbage}");
        }
    }

    #[test]
    fn a_too_small_content_length_does_not_swallow_the_next_request() {
        let whole = br#"{"jsonrpc":"2.0","id":1,"method":"textDocument/hover","params":{}}"#;
        for short in [1, 10, 30, whole.len() - 1] {
            let mut input = format!("Content-Length: {short}\r\n\r\n").into_bytes();
            input.extend_from_slice(whole);
            input.extend_from_slice(&framed(REQUEST));
            let f = frames(&input);
            assert_eq!(f.len(), 2, "length {short}: {f:?}");
            assert_eq!(code(&f[0]), -32700, "length {short}");
            assert_eq!(f[1], Frame::Message(REQUEST.to_vec()), "length {short}");
        }
    }

    #[test]
    fn workspace_diagnostics_capability_is_seen() {
        let msg = br#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{"workspace":{"diagnostics":{"refreshSupport":true}}}}}"#;
        let Frame::Message(out) = check(msg.to_vec()) else {
            panic!("rejected")
        };
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            v["params"]["capabilities"]["workspace"]["diagnostic"]["refreshSupport"],
            true
        );
    }

    #[test]
    fn invalid_requests_keep_their_id() {
        let f = check(br#"{"jsonrpc":"2.0","id":7,"method":3}"#.to_vec());
        assert_eq!(code(&f), -32600);
        let Frame::Rejected(v) = f else {
            unreachable!()
        };
        assert_eq!(v["id"], 7);
        assert_eq!(code(&check(br#"{"id":1,"method":"x"}"#.to_vec())), -32600);
        assert_eq!(
            code(&check(
                br#"{"jsonrpc":"2.0","id":{},"method":"x"}"#.to_vec()
            )),
            -32600
        );
        assert!(matches!(
            check(br#"{"jsonrpc":"2.0","id":3,"result":null}"#.to_vec()),
            Frame::Message(_)
        ));
    }
}

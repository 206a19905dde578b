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
        loop {
            let mut raw = Vec::new();
            if self.inner.read_until(b'\n', &mut raw).await? == 0 {
                return Ok(None);
            }
            let line = String::from_utf8_lossy(&raw);
            let mut line = line.trim_end_matches(['\r', '\n']);
            if self.resync {
                // A body without a line break may run into the next header.
                match find_ignore_case(line, "content-length") {
                    Some(at) => line = &line[at..],
                    None => continue,
                }
                self.resync = false;
            }
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
        Ok(Some(if self.check {
            check(body)
        } else {
            Frame::Message(body)
        }))
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

/// Byte position of an ASCII `needle` in `s`, ignoring ASCII case.
fn find_ignore_case(s: &str, needle: &str) -> Option<usize> {
    let (h, n) = (s.as_bytes(), needle.as_bytes());
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
        assert_eq!(f.len(), 7, "{f:?}");
        assert_eq!(code(&f[5]), -32700);
        assert!(matches!(f[6], Frame::Message(_)));
        match &f[0] {
            Frame::Message(m) => {
                let v: Value = serde_json::from_slice(m).unwrap();
                assert!(v.get("params").is_none(), "null params stripped");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(code(&f[1]), -32700);
        assert_eq!(code(&f[2]), -32700, "bad header block");
        assert!(matches!(f[3], Frame::Message(_)), "resynchronised");
        assert_eq!(code(&f[4]), -32600);
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

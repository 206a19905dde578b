//! A small LSP test client: starts the real server binary and speaks framed
//! JSON-RPC over its stdio. Position arithmetic here is written independently
//! of the server's, so the tests check the server's conversions.

#![allow(dead_code)] // Each test file uses a different part of the client.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// Generous: debug builds on a shared 2-core machine.
pub const TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Enc {
    Utf8,
    Utf16,
}

impl Enc {
    pub fn name(self) -> &'static str {
        match self {
            Enc::Utf8 => "utf-8",
            Enc::Utf16 => "utf-16",
        }
    }
    fn width(self, c: char) -> usize {
        match self {
            Enc::Utf8 => c.len_utf8(),
            Enc::Utf16 => c.len_utf16(),
        }
    }
}

/// Byte offset → LSP position (lines split at `\n`; the test texts have no lone `\r`).
pub fn position(text: &str, offset: usize, enc: Enc) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col: usize = text[line_start..offset].chars().map(|c| enc.width(c)).sum();
    json!({"line": line, "character": col})
}

pub fn range(text: &str, r: std::ops::Range<usize>, enc: Enc) -> Value {
    json!({"start": position(text, r.start, enc), "end": position(text, r.end, enc)})
}

/// LSP position → byte offset (panics on a position the server should not produce).
pub fn offset(text: &str, pos: &Value, enc: Enc) -> usize {
    let line = pos["line"].as_u64().expect("line") as usize;
    let col = pos["character"].as_u64().expect("character") as usize;
    let mut start = 0;
    for _ in 0..line {
        start += text[start..].find('\n').expect("line exists") + 1;
    }
    let mut acc = 0;
    for (i, c) in text[start..].char_indices() {
        if acc == col {
            return start + i;
        }
        assert!(c != '\n', "column {col} past the end of line {line}");
        acc += enc.width(c);
        assert!(
            acc <= col,
            "column {col} falls inside a character on line {line}"
        );
    }
    assert_eq!(acc, col, "column past the end of the text");
    text.len()
}

/// Apply LSP text edits (non-overlapping) to `text`.
pub fn apply_edits(text: &str, edits: &[Value], enc: Enc) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(text, &e["range"]["start"], enc),
                offset(text, &e["range"]["end"], enc),
                e["newText"].as_str().expect("newText").to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| (s.0, s.1));
    let mut out = String::new();
    let mut last = 0;
    for (a, b, t) in spans {
        assert!(a >= last, "overlapping edits");
        out.push_str(&text[last..a]);
        out.push_str(&t);
        last = b;
    }
    out.push_str(&text[last..]);
    out
}

/// The text edits for `uri` in a WorkspaceEdit (either form).
pub fn workspace_edits(edit: &Value, uri: &str) -> Vec<Value> {
    if let Some(changes) = edit["changes"].as_object() {
        return changes
            .get(uri)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
    }
    let mut out = Vec::new();
    for dc in edit["documentChanges"].as_array().into_iter().flatten() {
        if dc["textDocument"]["uri"] == uri {
            out.extend(dc["edits"].as_array().cloned().unwrap_or_default());
        }
    }
    out
}

pub fn file_uri(name: &str) -> String {
    format!("file:///tmp/gov-report-lsp-tests/{name}")
}

pub fn seed(name_prefix: &str) -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/examples");
    let entry = std::fs::read_dir(dir)
        .expect("tests/examples")
        .map(|e| e.expect("entry").path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(name_prefix))
        })
        .expect("seed exists");
    std::fs::read_to_string(entry).expect("seed is UTF-8")
}

pub struct LspClient {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    next_id: i64,
    /// Messages read but not yet consumed (notifications, server requests).
    pub backlog: VecDeque<Value>,
    pub stderr: Arc<Mutex<String>>,
    /// Answer for `workspace/configuration` requests from the server.
    pub configuration: Value,
    /// The workspace folder sent in `initialize`.
    pub root_uri: String,
    /// `capabilities.experimental` sent in `initialize` (omitted when null).
    pub experimental: Value,
}

impl LspClient {
    pub fn start() -> Self {
        Self::start_with_args(&[])
    }

    pub fn start_with_args(args: &[&str]) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_gov-report-lsp"));
        command.args(args);
        Self::start_command(command)
    }

    /// Any command that runs a server on its stdio (e.g. a cross-built
    /// binary under wine or qemu).
    pub fn start_command(mut command: Command) -> Self {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the server");
        let stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || read_frames(stdout, &tx));
        let log = Arc::new(Mutex::new(String::new()));
        let log2 = log.clone();
        std::thread::spawn(move || {
            let mut s = String::new();
            let mut r = BufReader::new(stderr);
            while r.read_line(&mut s).unwrap_or(0) > 0 {
                log2.lock().unwrap().push_str(&s);
                s.clear();
            }
        });
        LspClient {
            stdin: child.stdin.take(),
            child,
            rx,
            next_id: 1,
            backlog: VecDeque::new(),
            stderr: log,
            configuration: Value::Null,
            root_uri: "file:///tmp/gov-report-lsp-tests".to_string(),
            experimental: Value::Null,
        }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("write to server");
        stdin.flush().expect("flush");
    }

    pub fn send(&mut self, msg: &Value) {
        let body = serde_json::to_vec(msg).expect("json");
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend(body);
        self.send_raw(&frame);
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        let mut msg = json!({"jsonrpc": "2.0", "method": method});
        if !params.is_null() {
            msg["params"] = params;
        }
        self.send(&msg);
    }

    /// Send a request and return the whole response message.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let mut msg = json!({"jsonrpc": "2.0", "id": id, "method": method});
        if !params.is_null() {
            msg["params"] = params;
        }
        self.send(&msg);
        self.wait_response(&json!(id))
    }

    /// The response with this id (other messages go to the backlog).
    pub fn wait_response(&mut self, id: &Value) -> Value {
        if let Some(i) = self
            .backlog
            .iter()
            .position(|m| m.get("method").is_none() && m["id"] == *id)
        {
            return self.backlog.remove(i).expect("in the backlog");
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let msg = self.read(deadline).unwrap_or_else(|| {
                panic!(
                    "no response to request {id}; server log:\n{}",
                    self.stderr.lock().unwrap()
                )
            });
            if msg.get("method").is_none() && msg["id"] == *id {
                return msg;
            }
            self.backlog.push_back(msg);
        }
    }

    /// The next response to arrive, whatever its id (notifications and
    /// server requests go to the backlog).
    pub fn next_response(&mut self) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let msg = self.read(deadline).unwrap_or_else(|| {
                panic!(
                    "no response arrived; server log:\n{}",
                    self.stderr.lock().unwrap()
                )
            });
            if msg.get("method").is_none() {
                return msg;
            }
            self.backlog.push_back(msg);
        }
    }

    /// Read one message (answering server requests on the way).
    fn read(&mut self, deadline: Instant) -> Option<Value> {
        let left = deadline.saturating_duration_since(Instant::now());
        let msg = self.rx.recv_timeout(left).ok()?;
        if let (Some(method), Some(id)) = (msg["method"].as_str(), msg.get("id")) {
            // A request from the server: answer it, and keep it for inspection.
            let result = match method {
                "workspace/configuration" => json!([self.configuration.clone()]),
                _ => Value::Null,
            };
            let id = id.clone();
            self.send(&json!({"jsonrpc": "2.0", "id": id, "result": result}));
        }
        Some(msg)
    }

    /// The first notification (or server request) with `method` that satisfies `pred`.
    pub fn wait_for(&mut self, method: &str, pred: impl Fn(&Value) -> bool) -> Value {
        self.try_wait_for(method, TIMEOUT, pred).unwrap_or_else(|| {
            panic!(
                "no {method} arrived; backlog: {:?}\nserver log:\n{}",
                self.backlog,
                self.stderr.lock().unwrap()
            )
        })
    }

    pub fn try_wait_for(
        &mut self,
        method: &str,
        timeout: Duration,
        pred: impl Fn(&Value) -> bool,
    ) -> Option<Value> {
        if let Some(i) = self
            .backlog
            .iter()
            .position(|m| m["method"] == method && pred(&m["params"]))
        {
            return self.backlog.remove(i);
        }
        let deadline = Instant::now() + timeout;
        loop {
            let msg = self.read(deadline)?;
            if msg["method"] == method && pred(&msg["params"]) {
                return Some(msg);
            }
            self.backlog.push_back(msg);
        }
    }

    /// The diagnostics published for `uri` at `version`.
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let msg = self.wait_for("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri && p["version"] == version
        });
        msg["params"]["diagnostics"]
            .as_array()
            .cloned()
            .expect("diagnostics array")
    }

    /// `initialize` + `initialized`. `encodings`: what the client offers
    /// (`None`: the field is absent, like Neovim 0.7). Returns the result.
    pub fn initialize(&mut self, encodings: Option<&[&str]>, pull: bool, options: Value) -> Value {
        let mut caps = json!({
            "textDocument": {
                "publishDiagnostics": {"relatedInformation": true, "versionSupport": true},
                "documentSymbol": {"hierarchicalDocumentSymbolSupport": true},
                "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "source.fixAll"]}}}
            },
            "workspace": {
                "configuration": true,
                "workspaceEdit": {"documentChanges": true, "resourceOperations": ["create"]},
                "didChangeWatchedFiles": {"dynamicRegistration": true}
            }
        });
        if !self.experimental.is_null() {
            caps["experimental"] = self.experimental.clone();
        }
        if let Some(encs) = encodings {
            caps["general"] = json!({"positionEncodings": encs});
        }
        if pull {
            caps["textDocument"]["diagnostic"] = json!({"dynamicRegistration": false});
            // The protocol's name (VS Code sends this one; lsp-types reads `diagnostic`).
            caps["workspace"]["diagnostics"] = json!({"refreshSupport": true});
        }
        let resp = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": self.root_uri,
                "capabilities": caps,
                "initializationOptions": options,
            }),
        );
        assert!(resp.get("error").is_none(), "initialize failed: {resp}");
        self.notify("initialized", json!({}));
        resp["result"].clone()
    }

    pub fn open(&mut self, uri: &str, language_id: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language_id, "version": version, "text": text}}),
        );
    }

    /// One incremental edit replacing `old[r]` by `new_text`.
    pub fn change(
        &mut self,
        uri: &str,
        version: i64,
        old: &str,
        r: std::ops::Range<usize>,
        new_text: &str,
        enc: Enc,
    ) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": range(old, r, enc), "text": new_text}]
            }),
        );
    }

    /// Close stdin and wait for the process to end.
    pub fn close_stdin_and_wait(&mut self) -> ExitStatus {
        self.stdin.take();
        self.wait_exit()
    }

    pub fn wait_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            assert!(Instant::now() < deadline, "server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn shutdown_and_exit(&mut self) -> ExitStatus {
        let resp = self.request("shutdown", Value::Null);
        assert!(resp.get("error").is_none(), "shutdown failed: {resp}");
        self.notify("exit", Value::Null);
        self.wait_exit()
    }
}

impl Drop for LspClient {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Read `Content-Length` frames from the server's stdout. Anything that is
/// not a well-formed frame of JSON fails the test: stdout is protocol only.
fn read_frames(stdout: impl Read, tx: &mpsc::Sender<Value>) {
    let mut r = BufReader::new(stdout);
    loop {
        let mut len = None;
        loop {
            let mut line = String::new();
            if r.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                break;
            }
            let (name, value) = line
                .split_once(':')
                .unwrap_or_else(|| panic!("stdout is not an LSP header: {line:?}"));
            if name.eq_ignore_ascii_case("content-length") {
                len = Some(value.trim().parse::<usize>().expect("length"));
            }
        }
        let mut body = vec![0; len.expect("Content-Length header")];
        r.read_exact(&mut body).expect("body");
        let v: Value = serde_json::from_slice(&body).expect("stdout frame is JSON");
        if tx.send(v).is_err() {
            return;
        }
    }
}

//! The language server honours `gov-report.toml` (nearest up the folders)
//! and offers plain-text suppressions as `[[ignore]]` entries in it.

mod lsp_client;

use std::path::{Path, PathBuf};

use lsp_client::{apply_edits, seed, Enc, LspClient};
use serde_json::{json, Value};

/// A fresh folder under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir = std::env::temp_dir().join(format!(
            "gov-report-lsp-{name}-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn uri_of(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn start_in(root: &Path) -> LspClient {
    let mut c = LspClient::start();
    c.root_uri = uri_of(root);
    c.initialize(None, false, Value::Null);
    // The server asks to watch configuration files.
    let reg = c.wait_for("client/registerCapability", |_| true);
    let watchers = &reg["params"]["registrations"][0]["registerOptions"]["watchers"];
    assert_eq!(watchers[0]["globPattern"], "**/gov-report.toml");
    c
}

fn labels(diags: &[Value]) -> Vec<&Value> {
    diags
        .iter()
        .filter(|d| d["code"] == "table-label")
        .collect()
}

#[test]
fn nearest_config_file_applies_and_changes_are_picked_up() {
    let tmp = TempDir::new("cfg");
    let nested = tmp.0.join("drafts/2021");
    std::fs::create_dir_all(&nested).unwrap();
    let config = tmp.0.join("gov-report.toml");
    std::fs::write(&config, "[rules]\ntable-label = \"warning\"\n").unwrap();
    let doc = nested.join("report.txt");
    let mut c = start_in(&tmp.0);
    c.open(&uri_of(&doc), "plaintext", 1, &seed("000_"));
    let diags = c.diagnostics(&uri_of(&doc), 1);
    assert_eq!(labels(&diags).len(), 3);
    assert!(
        labels(&diags).iter().all(|d| d["severity"] == 2),
        "warning from the file"
    );

    // Editor settings override the file.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"severities": {"table-label": "info"}}}),
    );
    let diags = c.diagnostics(&uri_of(&doc), 1);
    assert!(
        labels(&diags).iter().all(|d| d["severity"] == 3),
        "info from the editor"
    );
    c.notify("workspace/didChangeConfiguration", json!({"settings": {}}));
    c.diagnostics(&uri_of(&doc), 1);

    // The file changes on disk: the watcher notification re-publishes.
    std::fs::write(&config, "exclude = [\"drafts/**\"]\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri_of(&config), "type": 2}]}),
    );
    assert!(
        c.diagnostics(&uri_of(&doc), 1).is_empty(),
        "excluded by the file"
    );

    // An invalid file: an error naming it, and the defaults apply.
    std::fs::write(&config, "[rules]\ntable-label = \"loud\"\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri_of(&config), "type": 2}]}),
    );
    let shown = c.wait_for("window/showMessage", |p| p["type"] == 1);
    let message = shown["params"]["message"].as_str().unwrap();
    assert!(
        message.contains("gov-report.toml") && message.contains("table-label"),
        "{message}"
    );
    let diags = c.diagnostics(&uri_of(&doc), 1);
    assert!(
        labels(&diags).iter().all(|d| d["severity"] == 1),
        "defaults"
    );
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn plain_text_suppression_adds_an_ignore_entry() {
    let tmp = TempDir::new("ignore");
    let doc = tmp.0.join("report.txt");
    let text = seed("000_");
    let mut c = start_in(&tmp.0);
    let uri = uri_of(&doc);
    c.open(&uri, "plaintext", 1, &text);
    let diags = c.diagnostics(&uri, 1);
    let first = labels(&diags)[0].clone();
    let config = tmp.0.join("gov-report.toml");
    let config_uri = uri_of(&config);

    // No configuration file yet: the action creates one in the workspace folder.
    let resp = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": first["range"], "context": {"diagnostics": [first]}}),
    );
    let actions = resp["result"].as_array().unwrap().clone();
    // The fix first; switching the check off last, worded as what it does,
    // never preferred.
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "改为“结果维持”",
            "修复全部可安全修复的问题（3 处）",
            "不再提示 table-label 对“结果维护”的检查（写入 gov-report.toml）"
        ]
    );
    let suppress = actions.last().unwrap();
    assert_eq!(suppress["kind"], "quickfix");
    assert!(suppress.get("isPreferred").is_none(), "{suppress}");
    // After the edit, the client runs a command that makes the new file
    // visible: VS Code shows a notification with an undo button; other
    // editors send it to the server, which says what was written.
    let command = &suppress["command"];
    assert_eq!(command["command"], "gov-report.suppressionWritten");
    let arg = &command["arguments"][0];
    assert_eq!(arg["uri"], config_uri);
    assert_eq!(arg["created"], true);
    assert_eq!(arg["rule"], "table-label");
    assert_eq!(arg["text"], "结果维护");
    let ops = suppress["edit"]["documentChanges"].as_array().unwrap();
    assert_eq!(ops[0]["kind"], "create");
    assert_eq!(ops[0]["uri"], config_uri);
    assert_eq!(ops[1]["textDocument"]["uri"], config_uri);
    let created = apply_edits("", ops[1]["edits"].as_array().unwrap(), Enc::Utf16);
    assert_eq!(
        created,
        "[[ignore]]\nrule = \"table-label\"\ntext = \"结果维护\"\n"
    );
    assert_eq!(arg["inserted"], created);
    let resp = c.request(
        "workspace/executeCommand",
        json!({"command": command["command"], "arguments": command["arguments"]}),
    );
    assert!(resp.get("error").is_none(), "{resp}");
    let shown = c.wait_for("window/showMessage", |p| p["type"] == 3);
    let message = shown["params"]["message"].as_str().unwrap();
    assert_eq!(
        message,
        format!(
            "已创建 {}：不再提示 table-label 对“结果维护”的检查。要恢复提示，删除该文件中的这条 [[ignore]]。",
            config.display()
        )
    );
    // The editor applies it and saves; the server hears of the new file.
    std::fs::write(&config, &created).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": config_uri, "type": 1}]}),
    );
    let diags = c.diagnostics(&uri, 1);
    assert!(labels(&diags).is_empty(), "{diags:?}");

    // With a file present, the entry is appended to it.
    let other = text.replacen("二、主动公开政府信息情况", "二、主动公开情况", 1);
    c.change(&uri, 2, &text, 0..text.len(), &other, Enc::Utf16);
    let diags = c.diagnostics(&uri, 2);
    let st = diags
        .iter()
        .find(|d| d["code"] == "section-title")
        .unwrap_or_else(|| panic!("{diags:?}"))
        .clone();
    let resp = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": st["range"], "context": {"diagnostics": [st]}}),
    );
    let actions = resp["result"].as_array().unwrap().clone();
    let suppress = actions.last().unwrap();
    assert_eq!(
        suppress["title"],
        "不再提示 section-title 对“主动公开情况”的检查（写入 gov-report.toml）"
    );
    assert_eq!(suppress["command"]["arguments"][0]["created"], false);
    let ops = suppress["edit"]["documentChanges"].as_array().unwrap();
    assert_eq!(ops.len(), 1, "no create for an existing file");
    let appended = apply_edits(&created, ops[0]["edits"].as_array().unwrap(), Enc::Utf16);
    assert_eq!(
        appended,
        format!("{created}\n[[ignore]]\nrule = \"section-title\"\ntext = \"主动公开情况\"\n")
    );
    std::fs::write(&config, &appended).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": config_uri, "type": 2}]}),
    );
    let diags = c.diagnostics(&uri, 2);
    assert!(
        !diags.iter().any(|d| d["code"] == "section-title"),
        "{diags:?}"
    );
    assert!(c.shutdown_and_exit().success());
}

//! The language server with the rules of issue 10 that need more than the
//! text's own lines: `cross-year-mismatch` (this year's report open, last
//! year's only on disk in the same workspace: the finding appears with a
//! related location in the other file, and goes away when last year's
//! report is corrected on disk, reported by the client's file watcher or
//! noticed at the next analysis without one), and `personal-data`, whose
//! numbers never appear in anything the server sends.

mod lsp_client;

use std::path::Path;
use std::time::Duration;

use lsp_client::{Enc, LspClient};
use serde_json::Value;

/// A fresh folder under the system temp dir, removed when dropped.
fn temp_dir(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("gov-report-lsp-{name}-"))
        .tempdir()
        .expect("temp dir")
}

fn uri_of(path: &Path) -> String {
    url_path(&format!("file://{}", path.display()))
}

/// Percent-encode what a file URI needs (the CJK in the fixture names).
fn url_path(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/cross-year/mismatching")
            .join(name),
    )
    .expect("fixture")
}

/// The 2023 report made to agree with 2024: two applications more received
/// (and carried forward), two more documents in force. Its own table still
/// balances. A trailing line changes its length, so its stamp changes.
fn corrected_2023() -> String {
    let text = fixture("洪泽区2023.txt");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // Replace the first and the last number of the line starting with `prefix`.
    let mut set = |prefix: &str, first: &str, last: &str| {
        let l = lines
            .iter_mut()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("{prefix}"));
        let digits = |from: usize, l: &str| {
            let s = from + l[from..].find(|c: char| c.is_ascii_digit()).unwrap();
            let e = s + l[s..]
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(l.len() - s);
            s..e
        };
        let head = digits(0, l);
        let mut tail = head.clone();
        while let Some(i) = l[tail.end..].find(|c: char| c.is_ascii_digit()) {
            tail = digits(tail.end + i, l);
        }
        l.replace_range(tail, last);
        l.replace_range(head, first);
    };
    set("一、本年新收政府信息公开申请数量", "23", "23");
    set("四、结转下年度继续办理", "2", "2");
    set("行政规范性文件", "0", "7");
    lines.join("\n") + "\n\n"
}

fn cross_year(diags: &Value) -> Vec<Value> {
    diags["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "cross-year-mismatch")
        .cloned()
        .collect()
}

fn wait_diagnostics(c: &mut LspClient, uri: &str, pred: impl Fn(&Value) -> bool) -> Value {
    c.try_wait_for(
        "textDocument/publishDiagnostics",
        Duration::from_secs(30),
        |p| p["uri"] == uri && pred(p),
    )
    .unwrap_or_else(|| {
        panic!(
            "no diagnostics as expected for {uri}; backlog: {:?}\nserver log:\n{}",
            c.backlog,
            c.stderr.lock().unwrap()
        )
    })["params"]
        .clone()
}

/// Drop the diagnostics received so far: the next ones waited for follow an action.
fn forget_published(c: &mut LspClient) {
    c.backlog
        .retain(|m| m["method"] != "textDocument/publishDiagnostics");
}

#[test]
fn last_years_report_on_disk_is_compared_and_watched() {
    let tmp = temp_dir("xyear");
    let earlier = tmp.path().join("洪泽区2023.txt");
    let later = tmp.path().join("洪泽区2024.txt");
    std::fs::write(&earlier, fixture("洪泽区2023.txt")).unwrap();
    let later_text = fixture("洪泽区2024.txt");
    std::fs::write(&later, &later_text).unwrap();

    let mut c = LspClient::start();
    c.root_uri = uri_of(tmp.path());
    c.initialize(Some(&["utf-16"]), false, Value::Null);
    // The reports themselves are watched, not only gov-report.toml.
    let reg = c.wait_for("client/registerCapability", |_| true);
    let globs: Vec<&str> = reg["params"]["registrations"][0]["registerOptions"]["watchers"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w["globPattern"].as_str())
        .collect();
    assert!(
        globs.contains(&"**/*.txt") && globs.contains(&"**/*.md"),
        "{globs:?}"
    );

    let uri = uri_of(&later);
    c.open(&uri, "plaintext", 1, &later_text);
    // Published once the workspace scan has found last year's report.
    let params = wait_diagnostics(&mut c, &uri, |p| !cross_year(p).is_empty());
    let found = cross_year(&params);
    assert_eq!(found.len(), 3, "{found:?}");
    let natural = found
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("“自然人”"))
        .unwrap();
    assert_eq!(natural["severity"], 2, "warning");
    assert!(natural["message"]
        .as_str()
        .unwrap()
        .contains("洪泽区2023.txt"));
    // The cell in this file (line 96, the 自然人 column)…
    let at = later_text.match_indices('\n').nth(94).unwrap().0 + 1;
    let cell = at + later_text[at..].find('2').unwrap();
    assert_eq!(
        natural["range"],
        lsp_client::range(&later_text, cell..cell + 1, Enc::Utf16)
    );
    // …and last year's cell in the other file.
    let related = &natural["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], uri_of(&earlier));
    assert_eq!(related["location"]["range"]["start"]["line"], 131);
    assert_eq!(related["location"]["range"]["start"]["character"], 39);
    assert!(related["message"]
        .as_str()
        .unwrap()
        .contains("2023 年度报告"));

    // Last year's report corrected on disk; the watcher says so.
    forget_published(&mut c);
    std::fs::write(&earlier, corrected_2023()).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        serde_json::json!({"changes": [{"uri": uri_of(&earlier), "type": 2}]}),
    );
    wait_diagnostics(&mut c, &uri, |p| cross_year(p).is_empty());

    // Wrong again on disk, with no watcher event: the next analysis of the
    // open report notices the changed file.
    forget_published(&mut c);
    std::fs::write(&earlier, fixture("洪泽区2023.txt")).unwrap();
    c.change(&uri, 2, &later_text, 0..0, "", Enc::Utf16);
    let params = wait_diagnostics(&mut c, &uri, |p| p["version"] == 2);
    assert_eq!(
        cross_year(&params).len(),
        3,
        "{params}\n{}",
        c.stderr.lock().unwrap()
    );
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn the_rule_off_or_another_body_gives_nothing() {
    let tmp = temp_dir("xyear-off");
    let earlier = tmp.path().join("a2023.txt");
    let later = tmp.path().join("b2024.txt");
    // Another body wrote the earlier report: nothing to compare.
    std::fs::write(
        &earlier,
        fixture("洪泽区2023.txt").replacen("洪泽区人民政府\n", "盱眙县人民政府\n", 1),
    )
    .unwrap();
    let later_text = fixture("洪泽区2024.txt");
    std::fs::write(&later, &later_text).unwrap();
    let mut c = LspClient::start();
    c.root_uri = uri_of(tmp.path());
    c.initialize(None, false, Value::Null);
    let uri = uri_of(&later);
    c.open(&uri, "plaintext", 1, &later_text);
    // Both the first analysis and the one after the scan have no such finding.
    let first = wait_diagnostics(&mut c, &uri, |_| true);
    assert!(cross_year(&first).is_empty());
    assert!(c
        .try_wait_for(
            "textDocument/publishDiagnostics",
            Duration::from_secs(2),
            |p| { !cross_year(p).is_empty() }
        )
        .is_none());
    // Same body, rule off: nothing either.
    std::fs::write(&earlier, fixture("洪泽区2023.txt")).unwrap();
    std::fs::write(
        tmp.path().join("gov-report.toml"),
        "[rules]\ncross-year-mismatch = \"off\"\n",
    )
    .unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        serde_json::json!({"changes": [
            {"uri": uri_of(&earlier), "type": 2},
            {"uri": uri_of(&tmp.path().join("gov-report.toml")), "type": 1}
        ]}),
    );
    assert!(c
        .try_wait_for(
            "textDocument/publishDiagnostics",
            Duration::from_secs(3),
            |p| { !cross_year(p).is_empty() }
        )
        .is_none());
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn personal_data_never_leaves_the_server_in_full() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/rules/personal-data/invalid-phone-id-and-card.txt"),
    )
    .unwrap();
    let tmp = temp_dir("personal");
    let doc = tmp.path().join("报告.txt");
    let uri = uri_of(&doc);
    let mut c = LspClient::start();
    c.root_uri = uri_of(tmp.path());
    c.initialize(None, false, Value::Null);
    c.open(&uri, "plaintext", 1, &text);
    let params = wait_diagnostics(&mut c, &uri, |p| {
        p["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "personal-data")
    });
    let found: Vec<&Value> = params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "personal-data")
        .collect();
    assert_eq!(found.len(), 3);
    assert_eq!(found[0]["severity"], 1, "error");
    let full = [
        "13812345678",
        "138 1234 5678",
        "320102198506151236",
        "6222021234567890128",
    ];
    // Everything the server says about the finding: diagnostics, code
    // actions (no [[ignore]] entry copying the number), hover.
    let line = text[..text.find("138 1234").unwrap()].matches('\n').count();
    let actions = c.request(
        "textDocument/codeAction",
        serde_json::json!({
            "textDocument": {"uri": uri},
            "range": {"start": {"line": line, "character": 0}, "end": {"line": line + 1, "character": 0}},
            "context": {"diagnostics": []}
        }),
    );
    let hover = c.request(
        "textDocument/hover",
        serde_json::json!({
            "textDocument": {"uri": uri},
            "position": found[0]["range"]["start"].clone()
        }),
    );
    let said = format!("{params}{actions}{hover}");
    for number in full {
        assert!(!said.contains(number), "the server sent {number}: {said}");
    }
    assert!(said.contains("138 **** 5678"), "{said}");
    // The hover shows the finding (masked), so it was looked at.
    assert!(
        hover.to_string().contains("发现手机号码 138 **** 5678"),
        "{hover}"
    );
    assert!(c.shutdown_and_exit().success());
}

//! The language server end to end: the real binary as a child process,
//! framed JSON-RPC over its stdio.

mod lsp_client;

use std::time::Duration;

use lsp_client::{apply_edits, file_uri, range, seed, workspace_edits, Enc, LspClient};
use serde_json::{json, Value};

const FIFTH_TITLE: &str = "存在的主要问题及改进情况";
const PERIOD: &str = "自2021年1月1日起至2021年12月31日止";

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

fn find_code<'a>(diags: &'a [Value], code: &str) -> &'a Value {
    diags
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} among {:?}", codes(diags)))
}

fn code_actions(c: &mut LspClient, uri: &str, range: Value, only: Option<&[&str]>) -> Vec<Value> {
    let mut context = json!({"diagnostics": []});
    if let Some(only) = only {
        context["only"] = json!(only);
    }
    let resp = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range, "context": context}),
    );
    assert!(resp.get("error").is_none(), "{resp}");
    resp["result"].as_array().cloned().unwrap_or_default()
}

#[test]
fn initialize_negotiates_the_position_encoding() {
    for (offered, expected) in [
        (Some(&["utf-8", "utf-16"][..]), "utf-8"),
        (Some(&["utf-16"][..]), "utf-16"),
        (Some(&["utf-32", "utf-16"][..]), "utf-16"),
        (None, "utf-16"),
    ] {
        let mut c = LspClient::start();
        let result = c.initialize(offered, false, Value::Null);
        let caps = &result["capabilities"];
        assert_eq!(caps["positionEncoding"], expected, "offered {offered:?}");
        // Only what is implemented is advertised.
        assert_eq!(caps["textDocumentSync"]["change"], 2);
        assert_eq!(caps["hoverProvider"], true);
        assert_eq!(caps["documentSymbolProvider"]["label"], "年度报告结构");
        assert!(caps["completionProvider"].is_object());
        let kinds = &caps["codeActionProvider"]["codeActionKinds"];
        assert_eq!(kinds, &json!(["quickfix", "source.fixAll.gov-report"]));
        // Without pull support, diagnostics are pushed and pull is not advertised.
        assert!(caps.get("diagnosticProvider").is_none());
        for absent in ["definitionProvider", "referencesProvider", "renameProvider"] {
            assert!(caps.get(absent).is_none(), "{absent} advertised");
        }
        assert_eq!(result["serverInfo"]["name"], "gov-report-lsp");
        assert!(c.shutdown_and_exit().success());
    }
}

#[test]
fn seed_diagnostics_incremental_edits_quick_fix_and_fix_all() {
    let mut c = LspClient::start();
    c.initialize(None, false, Value::Null);
    let uri = file_uri("000.txt");
    let original = seed("000_");
    c.open(&uri, "plaintext", 1, &original);

    // The seed's table four says 结果维护 three times (the template: 结果维持).
    let diags = c.diagnostics(&uri, 1);
    let labels: Vec<&Value> = diags
        .iter()
        .filter(|d| d["code"] == "table-label")
        .collect();
    let found: Vec<usize> = original.match_indices("结果维护").map(|(i, _)| i).collect();
    assert_eq!(labels.len(), found.len(), "{:?}", codes(&diags));
    for (d, at) in labels.iter().zip(&found) {
        assert_eq!(
            d["range"],
            range(&original, *at..at + "结果维护".len(), Enc::Utf16)
        );
        assert_eq!(d["severity"], 1, "error");
        assert_eq!(d["source"], "gov-report");
        assert!(d["message"].as_str().unwrap().contains("结果维持"), "{d}");
        // The rule link derives from Cargo.toml's `repository`; none is
        // configured, so none is guessed (it might not open on an intranet).
        match env!("CARGO_PKG_REPOSITORY") {
            "" => assert!(d.get("codeDescription").is_none(), "{d}"),
            repo => assert_eq!(
                d["codeDescription"]["href"],
                format!(
                    "{}/blob/main/docs/rules.md#table-label",
                    repo.trim_end_matches('/')
                )
            ),
        }
    }

    // Edit 2 introduces an off-template heading (an incremental edit in the middle)…
    let at = original.find(FIFTH_TITLE).expect("fifth heading");
    let title = at..at + FIFTH_TITLE.len();
    let mut text = original.clone();
    text.replace_range(title.clone(), "存在问题及改进措施");
    c.change(
        &uri,
        2,
        &original,
        title.clone(),
        "存在问题及改进措施",
        Enc::Utf16,
    );
    let diags = c.diagnostics(&uri, 2);
    let st = find_code(&diags, "section-title").clone();
    assert_eq!(st["severity"], 2, "warning");
    assert_eq!(
        st["range"],
        range(&text, at..at + "存在问题及改进措施".len(), Enc::Utf16)
    );
    assert!(st["message"].as_str().unwrap().contains(FIFTH_TITLE));
    // …and edit 3 removes it again.
    c.change(
        &uri,
        3,
        &text,
        at..at + "存在问题及改进措施".len(),
        FIFTH_TITLE,
        Enc::Utf16,
    );
    let diags = c.diagnostics(&uri, 3);
    assert!(!codes(&diags).contains(&"section-title".to_string()));
    assert_eq!(
        codes(&diags).iter().filter(|c| *c == "table-label").count(),
        3
    );

    // The quick fix for the first 结果维护, applied as the editor would.
    let first = labels[0]["range"].clone();
    let actions = code_actions(&mut c, &uri, first, None);
    let fix = actions
        .iter()
        .find(|a| a["kind"] == "quickfix" && a["diagnostics"][0]["code"] == "table-label")
        .unwrap_or_else(|| panic!("no quick fix in {actions:?}"));
    assert_eq!(fix["title"], "改为“结果维持”");
    assert_eq!(fix["isPreferred"], true, "safe fixes are preferred");
    assert_eq!(
        fix["edit"]["documentChanges"][0]["textDocument"]["version"],
        3
    );
    let edits = workspace_edits(&fix["edit"], &uri);
    let fixed = apply_edits(&original, &edits, Enc::Utf16);
    assert!(
        fixed == original.replacen("结果维护", "结果维持", 1),
        "quick fix result"
    );
    // Plain text has no comments: no Markdown suppression is offered.
    assert!(!actions.iter().any(|a| a["edit"]
        .to_string()
        .contains("gov-report-disable-next-line")));
    for e in &edits {
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 4},
                   "contentChanges": [{"range": e["range"], "text": e["newText"]}]}),
        );
    }
    let diags = c.diagnostics(&uri, 4);
    assert_eq!(
        codes(&diags).iter().filter(|c| *c == "table-label").count(),
        2
    );

    // Fix-all, as VS Code asks on save: one action, one edit, every safe fix.
    let whole = range(&fixed, 0..0, Enc::Utf16);
    let actions = code_actions(&mut c, &uri, whole, Some(&["source.fixAll.gov-report"]));
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.gov-report");
    let edits = workspace_edits(&actions[0]["edit"], &uri);
    assert_eq!(edits.len(), 1, "fix-all returns one edit");
    let all_fixed = apply_edits(&fixed, &edits, Enc::Utf16);
    assert!(
        all_fixed == original.replace("结果维护", "结果维持"),
        "fix-all result"
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 5},
               "contentChanges": [{"range": edits[0]["range"], "text": edits[0]["newText"]}]}),
    );
    let diags = c.diagnostics(&uri, 5);
    assert!(
        !codes(&diags).contains(&"table-label".to_string()),
        "{diags:?}"
    );
    // Asking for quick fixes only never returns the source action.
    let quick = code_actions(
        &mut c,
        &uri,
        range(&all_fixed, 0..0, Enc::Utf16),
        Some(&["quickfix"]),
    );
    assert!(quick.iter().all(|a| a["kind"] == "quickfix"));

    // Closing clears the diagnostics.
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    let cleared = c.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri && p["diagnostics"].as_array().is_some_and(Vec::is_empty)
    });
    assert!(cleared["params"].get("version").is_none_or(Value::is_null));
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn hover_on_a_total_shows_the_sum_it_should_be() {
    let mut c = LspClient::start();
    c.initialize(Some(&["utf-8"]), false, Value::Null);
    let uri = file_uri("total.txt");
    let original = seed("000_");
    c.open(&uri, "plaintext", 1, &original);
    c.diagnostics(&uri, 1);
    // Table three, first row: six applicant columns, then the row total.
    let row = "一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1";
    let total = original.find(row).expect("row") + row.len() - 1;
    let hover = |c: &mut LspClient, text: &str| {
        let resp = c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": lsp_client::position(text, total, Enc::Utf8)}),
        );
        resp["result"]["contents"]["value"]
            .as_str()
            .unwrap_or_else(|| panic!("no hover: {resp}"))
            .to_string()
    };
    let md = hover(&mut c, &original);
    assert!(md.contains("表三"), "{md}");
    assert!(md.contains("一、本年新收政府信息公开申请数量"), "{md}");
    assert!(md.contains("总计"), "{md}");
    assert!(md.contains("1 + 0 + 0 + 0 + 0 + 0 = 1"), "{md}");
    // The template's row and column names, the table's verdict; no internal codes.
    assert!(
        md.contains("“一、本年新收政府信息公开申请数量”行“总计”栏"),
        "{md}"
    );
    assert!(md.contains("已读取"), "{md}");
    assert!(!md.contains("R1") && !md.contains("数据（"), "{md}");

    // Make the total wrong: a total-mismatch with the summed cells as related
    // information, and the hover says what it should be.
    c.change(&uri, 2, &original, total..total + 1, "5", Enc::Utf8);
    let mut text = original.clone();
    text.replace_range(total..total + 1, "5");
    let diags = c.diagnostics(&uri, 2);
    let tm = find_code(&diags, "total-mismatch");
    assert_eq!(tm["range"], range(&text, total..total + 1, Enc::Utf8));
    let related = tm["relatedInformation"].as_array().expect("related cells");
    assert_eq!(related.len(), 6, "{related:?}");
    assert_eq!(related[0]["location"]["uri"], uri);
    let md = hover(&mut c, &text);
    assert!(md.contains("**1**") && md.contains("表中为 5"), "{md}");
    // The finding, short: its message, the fix and one pointer to the
    // rule's explanation; not the rule's whole documentation.
    assert!(md.contains(tm["message"].as_str().unwrap()), "{md}");
    assert!(md.contains("建议（需人工核对）："), "{md}");
    assert!(
        md.contains("规则说明：`gov-report-lsp --explain total-mismatch`"),
        "{md}"
    );
    assert!(!md.contains("## 检查内容"), "{md}");
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn astral_character_before_a_finding_in_both_encodings() {
    let original = seed("000_");
    // 𠮷 (two UTF-16 units, four UTF-8 bytes) at the start of the line that
    // holds the statistical period, whose end year is then wrong.
    let text = original.replacen("本报告依据", "𠮷本报告依据", 1).replacen(
        PERIOD,
        "自2021年1月1日起至2022年12月31日止",
        1,
    );
    let year = text.find("2022年12月31日").expect("end year");
    for enc in [Enc::Utf8, Enc::Utf16] {
        let mut c = LspClient::start();
        let result = c.initialize(Some(&[enc.name()]), false, Value::Null);
        assert_eq!(result["capabilities"]["positionEncoding"], enc.name());
        let uri = file_uri(&format!("astral-{}.txt", enc.name()));
        c.open(&uri, "plaintext", 1, &text);
        let diags = c.diagnostics(&uri, 1);
        let d = find_code(&diags, "period-mismatch");
        assert_eq!(
            d["range"],
            range(&text, year..year + 4, enc),
            "{}",
            enc.name()
        );
        // The expected column, spelled out: the line's text before 2022.
        let line_start = text[..year].rfind('\n').map_or(0, |i| i + 1);
        let prefix = &text[line_start..year];
        let expected_col = match enc {
            Enc::Utf8 => prefix.len(),
            Enc::Utf16 => prefix.encode_utf16().count(),
        };
        assert_eq!(d["range"]["start"]["character"], expected_col);
        assert!(prefix.starts_with('𠮷'), "the finding is on the 𠮷 line");
        // An edit in the same encoding on that line, after 𠮷: fix the year by hand.
        c.change(&uri, 2, &text, year..year + 4, "2021", enc);
        let diags = c.diagnostics(&uri, 2);
        assert!(
            !codes(&diags).contains(&"period-mismatch".to_string()),
            "{}: {diags:?}",
            enc.name()
        );
        // Put it back and apply the server's quick fix instead.
        let fixed_by_hand = text.replacen("2022年12月31日", "2021年12月31日", 1);
        c.change(&uri, 3, &fixed_by_hand, year..year + 4, "2022", enc);
        let diags = c.diagnostics(&uri, 3);
        let d = find_code(&diags, "period-mismatch").clone();
        let actions = code_actions(&mut c, &uri, d["range"].clone(), Some(&["quickfix"]));
        let fix = actions
            .iter()
            .find(|a| a["diagnostics"][0]["code"] == "period-mismatch")
            .expect("quick fix");
        let edits = workspace_edits(&fix["edit"], &uri);
        assert_eq!(
            apply_edits(&text, &edits, enc),
            fixed_by_hand,
            "{}",
            enc.name()
        );
        assert!(c.shutdown_and_exit().success());
    }
}

#[test]
fn hover_on_a_finding_is_short_and_links_the_explanation() {
    let mut c = LspClient::start();
    // The VS Code extension declares the command that shows `--explain` text.
    c.experimental = json!({"govReport": {"explainRuleCommand": "govReport.explainRule"}});
    c.initialize(Some(&["utf-16"]), false, Value::Null);
    let uri = file_uri("hover.md");
    let text = seed("000_").replacen(FIFTH_TITLE, "存在问题及改进措施", 1);
    let text = format!("<!-- gov-report-disable-next-line missing-row -->\n{text}");
    c.open(&uri, "markdown", 1, &text);
    let diags = c.diagnostics(&uri, 1);
    let st = find_code(&diags, "section-title");
    let resp = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": st["range"]["start"]}),
    );
    let md = resp["result"]["contents"]["value"]
        .as_str()
        .expect("markdown hover");
    assert_eq!(resp["result"]["contents"]["kind"], "markdown");
    // Message (with the expected wording), the fix, one link: nothing else.
    let message = st["message"].as_str().unwrap();
    assert!(message.contains(FIFTH_TITLE), "{message}");
    let fix = format!("建议：将标题改为“{FIFTH_TITLE}”");
    let link = "[规则说明](command:govReport.explainRule?%5B%22section-title%22%5D \"在编辑器中查看 section-title 的说明\")（`section-title`）";
    assert_eq!(md, format!("{message}\n\n{fix}\n\n{link}"));
    // The rule id written in a suppression comment: its whole documentation.
    let at = text.find("missing-row").unwrap() + 3;
    let resp = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": lsp_client::position(&text, at, Enc::Utf16)}),
    );
    let md = resp["result"]["contents"]["value"]
        .as_str()
        .expect("hover on rule id");
    assert!(
        md.starts_with("**missing-row**") && md.contains("## 检查内容"),
        "{md}"
    );
    // Plain prose: nothing to say.
    let at = text.find("天镇县医疗保障局坚持").unwrap();
    let resp = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": lsp_client::position(&text, at, Enc::Utf16)}),
    );
    assert!(resp["result"].is_null(), "{resp}");

    // Markdown: the suppression inserts a comment above the line; it is
    // offered last, worded as what it does, and never preferred.
    let actions = code_actions(&mut c, &uri, st["range"].clone(), None);
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles.last().copied(),
        Some("不再提示此行的 section-title 问题（插入注释）"),
        "{titles:?}"
    );
    assert_eq!(
        titles[0],
        format!("将标题改为“{FIFTH_TITLE}”"),
        "{titles:?}"
    );
    let suppress = actions.last().unwrap();
    assert!(suppress.get("isPreferred").is_none(), "{suppress}");
    let suppressed = apply_edits(&text, &workspace_edits(&suppress["edit"], &uri), Enc::Utf16);
    assert!(suppressed
        .contains("<!-- gov-report-disable-next-line section-title -->\n五、存在问题及改进措施"));
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn untitled_tabs_of_any_language_are_checked_when_they_look_like_a_report() {
    // VS Code guesses the language of a pasted, unsaved report (e.g. "ini").
    let mut c = LspClient::start();
    c.initialize(None, false, json!({"lint": "always"}));
    let report = "untitled:Untitled-1";
    c.open(report, "ini", 1, &seed("000_"));
    let diags = c.diagnostics(report, 1);
    assert_eq!(
        codes(&diags).iter().filter(|c| *c == "table-label").count(),
        3,
        "{:?}",
        codes(&diags)
    );
    // `lint: always` means every plain-text and Markdown file, not every
    // scratch tab: a guessed language is checked only when it is a report.
    let note = "untitled:Untitled-2";
    c.open(note, "ini", 1, "[section]\nkey = 结果维护\n");
    assert!(c.diagnostics(note, 1).is_empty());
    let plain = "untitled:Untitled-3";
    c.open(plain, "plaintext", 1, "结果维护\n");
    assert!(
        !c.diagnostics(plain, 1).is_empty(),
        "plain text is always checked"
    );
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn outline_lists_six_sections_and_marks_missing_ones() {
    let mut c = LspClient::start();
    c.initialize(None, false, Value::Null);
    let uri = file_uri("outline.txt");
    let original = seed("000_");
    c.open(&uri, "plaintext", 1, &original);
    c.diagnostics(&uri, 1);
    let resp = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let symbols = resp["result"].as_array().expect("symbols").clone();
    let names: Vec<&str> = symbols
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 6, "{names:?}");
    assert!(names[0].starts_with("一、总体情况"));
    assert!(names[4].starts_with("五、存在的主要问题及改进情况"));
    for s in &symbols {
        // The heading is the selection, inside the section's range.
        assert!(s["range"]["start"] == s["selectionRange"]["start"]);
    }
    // The three tables, nested in their sections.
    for (section, table) in [(1, "表二"), (2, "表三"), (3, "表四")] {
        let children = symbols[section]["children"].as_array().expect("children");
        assert_eq!(children.len(), 1, "{children:?}");
        assert!(children[0]["name"].as_str().unwrap().starts_with(table));
        assert_eq!(children[0]["kind"], 23, "struct");
        // The detail says how well the table was read.
        let detail = children[0]["detail"].as_str().unwrap();
        assert!(detail.ends_with("已读取"), "{detail}");
    }
    assert!(symbols[0].get("children").is_none());

    // Remove the fifth heading line: it is listed as missing, where it would go.
    let at = original.find("五、存在的主要问题及改进情况\n").unwrap();
    let len = "五、存在的主要问题及改进情况\n".len();
    c.change(&uri, 2, &original, at..at + len, "", Enc::Utf16);
    let mut text = original.clone();
    text.replace_range(at..at + len, "");
    c.diagnostics(&uri, 2);
    let resp = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let symbols = resp["result"].as_array().expect("symbols").clone();
    let missing = symbols
        .iter()
        .position(|s| s["name"] == "五、存在的主要问题及改进情况（缺失）")
        .unwrap_or_else(|| panic!("{symbols:?}"));
    let sixth = text.find("六、其他需要报告的事项").unwrap();
    assert_eq!(
        symbols[missing]["range"],
        range(&text, sixth..sixth, Enc::Utf16)
    );
    assert!(symbols[missing + 1]["name"]
        .as_str()
        .unwrap()
        .starts_with("六、"));

    // A page flattened onto one line, with one row of 表二 glued ambiguously:
    // the outline says which block was only partly read.
    let flat_uri = file_uri("flat.txt");
    let flat =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/016.txt"))
            .unwrap();
    c.open(&flat_uri, "plaintext", 1, &flat);
    c.diagnostics(&flat_uri, 1);
    let resp = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": flat_uri}}),
    );
    let details: Vec<String> = resp["result"]
        .as_array()
        .expect("symbols")
        .iter()
        .flat_map(|s| s["children"].as_array().cloned().unwrap_or_default())
        .map(|t| t["detail"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(
        details.contains(&"2021版格式 · 部分读取：第二十条第（一）项部分读取".to_string()),
        "{details:?}"
    );
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn completion_offers_canonical_headings_and_labels() {
    let mut c = LspClient::start();
    c.initialize(Some(&["utf-8", "utf-16"]), false, Value::Null);
    let uri = file_uri("complete.txt");
    let text = format!("{}\n五、存", seed("000_"));
    c.open(&uri, "plaintext", 1, &text);
    c.diagnostics(&uri, 1);
    let end = lsp_client::position(&text, text.len(), Enc::Utf8);
    let resp = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": end}),
    );
    let items = resp["result"].as_array().expect("items").clone();
    let item = items
        .iter()
        .find(|i| i["label"] == "五、存在的主要问题及改进情况")
        .expect("fifth heading offered");
    let typed = text.len() - "五、存".len();
    assert_eq!(
        item["textEdit"]["range"],
        range(&text, typed..text.len(), Enc::Utf8)
    );
    assert!(
        items.iter().any(|i| i["label"] == "结果维持"),
        "table labels offered"
    );
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn configuration_changes_republish_open_documents() {
    let mut c = LspClient::start();
    c.initialize(
        None,
        false,
        json!({"severities": {"table-label": "off"}, "lint": "auto"}),
    );
    let report = file_uri("report.txt");
    let notes = file_uri("README.txt");
    c.open(&report, "plaintext", 1, &seed("000_"));
    c.open(
        &notes,
        "plaintext",
        1,
        "会议记录\n今天讨论了结果维护的问题。\n",
    );
    let diags = c.diagnostics(&report, 1);
    assert!(
        !codes(&diags).contains(&"table-label".to_string()),
        "{diags:?}"
    );
    // Not a report: no findings at all.
    assert!(c.diagnostics(&notes, 1).is_empty());

    // A change (nested under "govReport", as VS Code sends it) re-publishes both.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"govReport": {"rules": {"table-label": "warning"}, "lint": "always"}}}),
    );
    let diags = c.diagnostics(&report, 1);
    let mt = find_code(&diags, "table-label");
    assert_eq!(mt["severity"], 2, "table-label now a warning");
    let notes_diags = c.diagnostics(&notes, 1);
    assert!(!notes_diags.is_empty(), "lint=always lints the notes too");

    // Flat shape, exclude glob, invalid value → warning logged, rest applies.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"exclude": ["README*"], "severities": {"table-label": "loud"}}}),
    );
    let log = c.wait_for("window/logMessage", |p| {
        p["message"].as_str().is_some_and(|m| m.contains("loud"))
    });
    assert_eq!(log["params"]["type"], 2);
    let diags = c.diagnostics(&report, 1);
    assert_eq!(find_code(&diags, "table-label")["severity"], 1);
    assert!(c.diagnostics(&notes, 1).is_empty(), "excluded");

    // Settings absent from the notification: the server asks for them.
    c.configuration = json!({"lint": "never"});
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    c.wait_for("workspace/configuration", |p| {
        p["items"][0]["section"] == "govReport"
    });
    assert!(c.diagnostics(&report, 1).is_empty(), "lint=never");
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn pull_diagnostics_for_clients_that_prefer_them() {
    let text = seed("000_").replacen(FIFTH_TITLE, "存在问题及改进措施", 1);
    // Reference: what the server pushes.
    let mut push = LspClient::start();
    push.initialize(None, false, Value::Null);
    let uri = file_uri("pull.txt");
    push.open(&uri, "plaintext", 1, &text);
    let pushed = push.diagnostics(&uri, 1);
    assert!(push.shutdown_and_exit().success());

    let mut c = LspClient::start();
    let result = c.initialize(None, true, Value::Null);
    let provider = &result["capabilities"]["diagnosticProvider"];
    assert_eq!(provider["interFileDependencies"], false);
    assert_eq!(provider["identifier"], "gov-report");
    c.open(&uri, "plaintext", 1, &text);
    let resp = c.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    );
    let report = &resp["result"];
    assert_eq!(report["kind"], "full");
    assert_eq!(report["items"], json!(pushed), "pull and push agree");
    let result_id = report["resultId"].as_str().expect("resultId").to_string();
    let resp = c.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}, "previousResultId": result_id}),
    );
    assert_eq!(resp["result"]["kind"], "unchanged");
    // The status-bar notification arrives; no publishDiagnostics was sent before it.
    c.wait_for("govReport/reportInfo", |p| p["uri"] == uri);
    assert!(!c
        .backlog
        .iter()
        .any(|m| m["method"] == "textDocument/publishDiagnostics"));
    // A configuration change asks the client to pull again.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"severities": {"section-title": "off"}}}),
    );
    c.wait_for("workspace/diagnostic/refresh", |_| true);
    let resp = c.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}, "previousResultId": result_id}),
    );
    assert_eq!(resp["result"]["kind"], "full");
    assert!(
        !codes(resp["result"]["items"].as_array().unwrap()).contains(&"section-title".to_string())
    );
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn report_info_notification_for_the_status_bar() {
    let mut c = LspClient::start();
    c.initialize(None, false, Value::Null);
    let uri = file_uri("info.txt");
    c.open(&uri, "plaintext", 7, &seed("000_"));
    let diags = c.diagnostics(&uri, 7);
    let info = c.wait_for("govReport/reportInfo", |p| p["uri"] == uri);
    let p = &info["params"];
    assert_eq!(p["version"], 7);
    assert_eq!(p["isReport"], true);
    assert_eq!(p["year"], 2021);
    let errors = diags.iter().filter(|d| d["severity"] == 1).count();
    assert_eq!(p["errors"], errors);
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn malformed_messages_unknown_methods_and_bad_edits_do_not_crash() {
    let mut c = LspClient::start();
    c.initialize(None, false, Value::Null);
    // Not JSON.
    c.send_raw(b"Content-Length: 9\r\n\r\n{not json");
    let err = c.wait_response(&Value::Null);
    assert_eq!(err["error"]["code"], -32700, "{err}");
    // JSON, but not a JSON-RPC message.
    c.send(&json!({"hello": "world"}));
    let err = c.wait_response(&Value::Null);
    assert_eq!(err["error"]["code"], -32600, "{err}");
    // Unknown request and notification.
    let resp = c.request("gov/unknown", json!({}));
    assert_eq!(resp["error"]["code"], -32601, "{resp}");
    c.notify("gov/unknownNotification", json!({}));
    // Wrong params for a known request.
    let resp = c.request("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(resp["error"]["code"], -32602, "{resp}");

    // An edit outside the document is rejected with a logged error.
    let uri = file_uri("bad-edit.txt");
    let text = seed("000_");
    c.open(&uri, "plaintext", 1, &text);
    let before = c.diagnostics(&uri, 1);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": {"start": {"line": 9999, "character": 0}, "end": {"line": 9999, "character": 1}}, "text": "x"}]}),
    );
    let log = c.wait_for("window/logMessage", |p| p["type"] == 1);
    assert!(log["params"]["message"]
        .as_str()
        .unwrap()
        .contains("outside the document"));
    assert_eq!(c.diagnostics(&uri, 2), before, "text unchanged");
    // Changes to a document that is not open, hovers on unknown documents.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": file_uri("never-opened.txt"), "version": 2}, "contentChanges": [{"text": "x"}]}),
    );
    let resp = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": file_uri("never-opened.txt")}, "position": {"line": 0, "character": 0}}),
    );
    assert!(resp["result"].is_null());
    // Still alive and answering.
    let resp = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(resp["result"].as_array().is_some_and(|a| a.len() == 6));
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn process_ends_on_exit_and_when_stdin_closes() {
    // exit after shutdown: code 0, even though stdin stays open.
    let mut c = LspClient::start();
    c.initialize(None, false, Value::Null);
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
    // exit without shutdown: code 1.
    let mut c = LspClient::start();
    c.initialize(None, false, Value::Null);
    c.notify("exit", Value::Null);
    assert_eq!(c.wait_exit().code(), Some(1));
    // stdin closed (the editor went away), with a document open.
    let mut c = LspClient::start_with_args(&["--stdio"]);
    c.initialize(None, false, Value::Null);
    c.open(&file_uri("eof.txt"), "plaintext", 1, &seed("000_"));
    c.diagnostics(&file_uri("eof.txt"), 1);
    assert!(c.close_stdin_and_wait().success());
    // Requests after shutdown are refused, not crashed on.
    let mut c = LspClient::start();
    c.initialize(None, false, Value::Null);
    let resp = c.request("shutdown", Value::Null);
    assert!(resp.get("error").is_none());
    let resp = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///x"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(resp["error"]["code"], -32600, "{resp}");
    assert!(c
        .try_wait_for(
            "textDocument/publishDiagnostics",
            Duration::from_millis(10),
            |_| true
        )
        .is_none());
    c.notify("exit", Value::Null);
    assert_eq!(c.wait_exit().code(), Some(0));
}

#[test]
fn error_replies_and_responses_at_the_same_moment_are_all_delivered() {
    // Each malformed message is answered by the transport while tower-lsp
    // answers the request glued behind it: both are ready at once, many
    // times over. Neither may be lost or cut.
    let mut c = LspClient::start();
    c.initialize(None, false, Value::Null);
    let mut bytes = Vec::new();
    // Responses of a few KB each: frames that straddle the transport's buffers.
    let seed = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/examples/001_0a6a0bb11ecbd3e0.txt");
    let uri = tower_lsp::lsp_types::Url::from_file_path(&seed)
        .expect("absolute path")
        .to_string();
    for id in 1000..1300 {
        bytes.extend_from_slice(b"Content-Length: 7\r\n\r\n{broken");
        let body = json!({"jsonrpc": "2.0", "id": id, "method": "govReport/checkFiles",
            "params": {"uris": [uri]}})
        .to_string();
        bytes.extend_from_slice(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }
    c.send_raw(&bytes);
    // Requests are answered concurrently, but never before the reply to a
    // malformed message the client sent ahead of them.
    let (mut replies, mut answered) = (0, std::collections::BTreeSet::new());
    while replies < 300 || answered.len() < 300 {
        let msg = c.next_response();
        if msg["id"].is_null() {
            assert_eq!(msg["error"]["code"], -32700, "{msg}");
            replies += 1;
            continue;
        }
        let id = msg["id"].as_i64().unwrap_or_else(|| panic!("{msg}"));
        assert!(
            replies > id - 1000,
            "response {id} before the reply to the message ahead of it"
        );
        let diagnostics = msg["result"][0]["diagnostics"].as_array();
        assert!(diagnostics.is_some_and(|d| !d.is_empty()), "{id}: {msg}");
        assert!(answered.insert(id), "{id} answered twice");
    }
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn a_short_content_length_or_an_endless_header_line_does_not_lose_the_next_request() {
    let mut c = LspClient::start();
    c.initialize(None, false, Value::Null);
    let request = |id: i64| {
        let body =
            json!({"jsonrpc": "2.0", "id": id, "method": "gov/unknown", "params": {}}).to_string();
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    };
    // A Content-Length 20 bytes short, the next request glued to the body.
    let mut bytes = b"Content-Length: 20\r\n\r\n".to_vec();
    bytes.extend_from_slice(br#"{"jsonrpc":"2.0","id":900,"method":"gov/unknown","params":{}}"#);
    bytes.extend_from_slice(&request(901));
    c.send_raw(&bytes);
    assert_eq!(c.wait_response(&Value::Null)["error"]["code"], -32700);
    assert_eq!(c.wait_response(&json!(901))["error"]["code"], -32601);
    // 16 MB without a line break, then a request.
    let mut bytes = vec![b'x'; 16 << 20];
    bytes.extend_from_slice(&request(902));
    c.send_raw(&bytes);
    let err = c.wait_response(&Value::Null);
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("header line longer than"),
        "{err}"
    );
    assert_eq!(c.wait_response(&json!(902))["error"]["code"], -32601);
    assert!(c.shutdown_and_exit().success());
}

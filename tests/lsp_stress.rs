//! Thousands of random incremental edits (CJK, 𠮷, CRLF, table rows, headings)
//! in both position encodings; at checkpoints and at the end the server's
//! diagnostics must equal a fresh analysis of the text the client holds.

mod lsp_client;

use gov_report_lsp::{analyze, Settings};
use lsp_client::{file_uri, range, seed, Enc, LspClient};
use serde_json::{json, Value};

/// SplitMix64: deterministic and dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SNIPPETS: &[&str] = &[
    "",
    "结果维护",
    "结果维持",
    "𠮷",
    "𠮷结果维护 |",
    "五、存在问题及改进措施\n",
    "五、存在的主要问题及改进情况\n",
    "\n",
    "\r\n",
    "0 |\n",
    "12",
    "总计",
    "自2021年1月1日起至2022年12月31日止。",
    "政府信息公开",
    "，",
    "|",
    " ",
    "第二十条第（一）项",
];

/// `at` moved back to a char boundary that does not split a `\r\n` pair.
fn snap(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at)
        || (at > 0 && text[..at].ends_with('\r') && text[at..].starts_with('\n'))
    {
        at -= 1;
    }
    at
}

/// The diagnostics a fresh analysis gives, as the server would send them.
fn expected(text: &str, enc: Enc) -> Vec<Value> {
    analyze(text, &Settings::default())
        .diagnostics
        .iter()
        .map(|d| json!({"code": d.rule, "range": range(text, d.range.clone(), enc), "message": d.message}))
        .collect()
}

fn got(diags: &[Value]) -> Vec<Value> {
    diags
        .iter()
        .map(|d| json!({"code": d["code"], "range": d["range"], "message": d["message"]}))
        .collect()
}

fn run(enc: Enc, seed_value: u64, edits: usize) {
    let mut rng = Rng(seed_value);
    let mut c = LspClient::start();
    // Random edits soon stop looking like a report; lint regardless.
    c.initialize(Some(&[enc.name()]), false, json!({"lint": "always"}));
    let uri = file_uri(&format!("stress-{}.txt", enc.name()));
    let mut text = seed("000_");
    c.open(&uri, "plaintext", 0, &text);
    let mut findings_seen = 0;
    for version in 1..=edits as i64 {
        let a = snap(&text, rng.below(text.len() + 1));
        // Mostly short ranges, sometimes long ones.
        let span = if rng.below(50) == 0 { 400 } else { 12 };
        let len = rng.below(span);
        let b = snap(&text, (a + len).min(text.len())).max(a);
        let new_text = SNIPPETS[rng.below(SNIPPETS.len())];
        c.change(&uri, version, &text, a..b, new_text, enc);
        text.replace_range(a..b, new_text);
        if version % 500 == 0 || version == edits as i64 {
            let diags = c.diagnostics(&uri, version);
            findings_seen += diags.len();
            assert_eq!(
                got(&diags),
                expected(&text, enc),
                "{} after {version} edits (seed {seed_value})",
                enc.name()
            );
        }
    }
    assert!(findings_seen > 20, "the edits produced findings to compare");
    assert!(
        text.contains('𠮷') && text.contains("\r\n"),
        "the edits covered 𠮷 and CRLF"
    );
    let resp = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(resp.get("error").is_none(), "{resp}");
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn random_incremental_edits_utf16() {
    run(Enc::Utf16, 0x5EED_0001, 2000);
}

#[test]
fn random_incremental_edits_utf8() {
    run(Enc::Utf8, 0x5EED_0002, 2000);
}

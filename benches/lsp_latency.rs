//! Language-server latency and memory.
//!
//! `cargo bench --bench lsp_latency` (optimised build): time from sending
//! `didChange` to receiving the `publishDiagnostics` of that version, for a
//! seed-sized report and for a 1 MB document (median and p99), and resident
//! memory with 50 reports open. Under `cargo test` (no `--bench` argument) it
//! runs a few iterations only, as a smoke test.

#[path = "../tests/lsp_client/mod.rs"]
mod lsp_client;

use std::time::{Duration, Instant};

use lsp_client::{file_uri, seed, Enc, LspClient};
use serde_json::Value;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// Alternately break and repair the first table label; time each round trip.
fn latencies(
    c: &mut LspClient,
    uri: &str,
    text: &str,
    initial: &[Value],
    edits: usize,
) -> Vec<Duration> {
    let labels = |d: &[Value]| d.iter().filter(|d| d["code"] == "table-label").count();
    let baseline = labels(initial);
    let at = text
        .find("结果维持")
        .or_else(|| text.find("结果维护"))
        .expect("a label to edit");
    // The last character of the label: 持 ↔ 护.
    let ch = at + "结果维".len();
    let mut current = text.to_string();
    let mut out = Vec::with_capacity(edits);
    for i in 0..edits {
        let version = i as i64 + 2;
        let replacement = if current[ch..].starts_with('持') {
            "护"
        } else {
            "持"
        };
        let start = Instant::now();
        c.change(uri, version, &current, ch..ch + 3, replacement, Enc::Utf16);
        let diags = c.diagnostics(uri, version);
        out.push(start.elapsed());
        current.replace_range(ch..ch + 3, replacement);
        // Breaking the label adds one finding; repairing it removes one.
        let expected = match (
            text[ch..].starts_with('护'),
            current[ch..].starts_with('护'),
        ) {
            (false, true) => baseline + 1,
            (true, false) => baseline - 1,
            _ => baseline,
        };
        assert_eq!(labels(&diags), expected, "diagnostics follow the edit");
    }
    out.sort();
    out
}

fn report(name: &str, bytes: usize, lat: &[Duration]) {
    let line = format!(
        "{name:<22} {:>9} bytes  edits {:>4}  median {:>9}  p99 {:>9}  max {:>9}",
        bytes,
        lat.len(),
        ms(percentile(lat, 0.5)),
        ms(percentile(lat, 0.99)),
        ms(*lat.last().expect("measurements"))
    );
    std::io::Write::write_all(&mut std::io::stdout(), format!("{line}\n").as_bytes()).ok();
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// A 1 MB report: the seed with its first section's prose repeated.
fn big_report(target: usize) -> String {
    let base = seed("000_").replace("结果维护", "结果维持");
    let start = base.find("一、总体情况\n").expect("section one") + "一、总体情况\n".len();
    let end = base.find("二、主动公开政府信息情况").expect("section two");
    let prose = &base[start..end];
    let mut body = String::new();
    while base.len() + body.len() < target {
        body.push_str(prose);
    }
    format!("{}{}{}", &base[..start], body, &base[start..])
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (small_edits, big_edits, open_docs) = if full { (1000, 200, 50) } else { (10, 3, 5) };

    let mut c = LspClient::start();
    c.initialize(None, false, Value::Null);

    let text = seed("000_");
    let uri = file_uri("bench-seed.txt");
    c.open(&uri, "plaintext", 1, &text);
    let initial = c.diagnostics(&uri, 1);
    let lat = latencies(&mut c, &uri, &text, &initial, small_edits);
    report("seed report", text.len(), &lat);

    let big = big_report(1 << 20);
    let uri = file_uri("bench-1mb.txt");
    c.open(&uri, "plaintext", 1, &big);
    let initial = c.diagnostics(&uri, 1);
    let lat = latencies(&mut c, &uri, &big, &initial, big_edits);
    report("1 MB document", big.len(), &lat);
    // The other extreme: 1 MB of whole reports back to back (tables everywhere).
    let seed_text = seed("000_");
    let mut many = String::new();
    while many.len() < 1 << 20 {
        many.push_str(&seed_text);
        many.push('\n');
    }
    let uri = file_uri("bench-1mb-tables.txt");
    c.open(&uri, "plaintext", 1, &many);
    let initial = c.diagnostics(&uri, 1);
    let lat = latencies(&mut c, &uri, &many, &initial, big_edits);
    report("1 MB, seed repeated", many.len(), &lat);
    if full {
        let t = Instant::now();
        let a = gov_report_lsp::analyze(&many, &gov_report_lsp::Settings::default());
        let line = format!(
            "  (core analyze alone: {} for {} findings)\n",
            ms(t.elapsed()),
            a.diagnostics.len()
        );
        std::io::Write::write_all(&mut std::io::stdout(), line.as_bytes()).ok();
    }
    assert!(c.shutdown_and_exit().success());

    // Memory: a fresh server with 50 reports (the five seeds, ten times each).
    let mut c = LspClient::start();
    c.initialize(None, false, Value::Null);
    let idle = rss_kib(c.pid());
    let seeds: Vec<String> = ["000_", "001_", "002_", "003_", "004_"]
        .iter()
        .map(|p| seed(p))
        .collect();
    let mut bytes = 0;
    for i in 0..open_docs {
        let uri = file_uri(&format!("bench-open-{i}.txt"));
        let text = &seeds[i % seeds.len()];
        bytes += text.len();
        c.open(&uri, "plaintext", 1, text);
        c.diagnostics(&uri, 1);
    }
    let rss = rss_kib(c.pid());
    let line = format!(
        "RSS with {open_docs} reports open ({bytes} bytes): {:.1} MiB (idle server: {:.1} MiB)\n",
        rss as f64 / 1024.0,
        idle as f64 / 1024.0
    );
    std::io::Write::write_all(&mut std::io::stdout(), line.as_bytes()).ok();
    assert!(rss > 0, "RSS readable from /proc");
    assert!(c.shutdown_and_exit().success());
}

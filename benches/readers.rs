//! Reader throughput: reading and checking Word documents, web pages and
//! PDFs (bytes → document → findings), single thread. `cargo bench --bench
//! readers` prints the median of several runs; under `cargo test` it runs
//! once as a smoke test. The 50-page Word document is seed 000 in the
//! national layout with its narrative repeated to 50 pages of text (about
//! 800 characters a page), every run carrying the font properties Word
//! writes.
#![allow(clippy::print_stdout)] // a bench binary reports on stdout

#[path = "../tests/support/national.rs"]
mod national;
#[path = "support/timing.rs"]
mod timing;

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use gov_report_lsp::{analyze, read, Settings};

/// The binary's allocator (src/main.rs), so that the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Seconds to read, and to read and check, `bytes` as `name` (medians of `runs` runs).
fn measure(name: &str, bytes: &[u8], runs: usize, min_time: Duration) -> (f64, f64) {
    let settings = Settings::default();
    let read_only = timing::median(runs, min_time, || {
        black_box(read::read(name, black_box(bytes)).unwrap());
    });
    let checked = timing::median(runs, min_time, || {
        let r = read::read(name, black_box(bytes)).unwrap();
        black_box(read::analyze(&r, &settings));
    });
    (read_only, checked)
}

#[allow(clippy::cast_precision_loss)]
fn report(name: &str, bytes: &[u8], (read_s, check_s): (f64, f64)) {
    println!(
        "{name:<34} {:>8.1} KB  read {:>8.2} ms  read+check {:>8.2} ms {:>7.2} MB/s",
        bytes.len() as f64 / 1e3,
        read_s * 1e3,
        check_s * 1e3,
        bytes.len() as f64 / 1e6 / check_s
    );
}

const RUN_PROPERTIES: &str = "<w:rPr><w:rFonts w:ascii=\"仿宋_GB2312\" w:hAnsi=\"仿宋_GB2312\" w:eastAsia=\"仿宋_GB2312\" w:cs=\"仿宋_GB2312\"/><w:color w:val=\"000000\"/><w:kern w:val=\"0\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/><w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:rPr>";

/// Seed 000 in the national layout, its narrative repeated to `pages` pages.
fn long_docx(pages: usize) -> (Vec<u8>, usize) {
    let text =
        std::fs::read_to_string(root().join("tests/examples/000_4ae5941108e95401.txt")).unwrap();
    let analysis = analyze(&text, &Settings::default());
    let mut blocks = national::blocks(&text, &analysis);
    let narrative: Vec<national::Block> = blocks
        .iter()
        .filter(|b| matches!(b, national::Block::Para(p) if p.chars().count() > 40))
        .cloned()
        .collect();
    let chars = |bs: &[national::Block]| -> usize {
        bs.iter()
            .map(|b| match b {
                national::Block::Para(p) => p.chars().count(),
                national::Block::Table(_) => 0,
            })
            .sum()
    };
    // Insert the repeats after section 一's heading, before the tables.
    let at = blocks
        .iter()
        .position(|b| matches!(b, national::Block::Para(p) if p.starts_with("二、")))
        .unwrap_or(1);
    let mut extra = Vec::new();
    while chars(&blocks) + chars(&extra) < pages * 800 {
        extra.extend(narrative.iter().cloned());
    }
    blocks.splice(at..at, extra);
    let xml = national::document_xml(&blocks).replace("<w:r>", &format!("<w:r>{RUN_PROPERTIES}"));
    let total = chars(&blocks);
    (national::package(&xml, &[]), total)
}

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let (runs, min_time, pages) = if bench {
        (7, Duration::from_millis(500), 50)
    } else {
        (1, Duration::ZERO, 2)
    };
    println!("readers, single thread, median of {runs} run(s): read, then read and check");
    let (docx, chars) = long_docx(pages);
    let label = format!("{pages}-page .docx ({} k characters)", chars / 1000);
    report(&label, &docx, measure("long.docx", &docx, runs, min_time));
    let lo = std::fs::read(root().join("tests/fixtures/docx/seed000-lo.docx")).unwrap();
    report(
        "seed000-lo.docx (LibreOffice)",
        &lo,
        measure("x.docx", &lo, runs, min_time),
    );
    let page = std::fs::read(root().join("tests/corpus/015.html")).unwrap();
    report(
        "015.html (published page)",
        &page,
        measure("x.html", &page, runs, min_time),
    );
    for pdf in ["hzq2023.pdf", "hzq2024.pdf", "huaian2024.pdf"] {
        let bytes = std::fs::read(root().join("tests/corpus/pdf").join(pdf)).unwrap();
        report(pdf, &bytes, measure(pdf, &bytes, runs, min_time));
    }
    // The long document is read whole: its three tables and its findings.
    let r = read::read("long.docx", &docx).unwrap();
    assert_eq!(r.doc.grids.len(), 3);
    // The three 结果维护 of seed 000, found in its Word version too.
    let labels = read::analyze(&r, &Settings::default())
        .analysis
        .diagnostics
        .iter()
        .filter(|d| d.rule == "table-label")
        .count();
    assert_eq!(labels, 3);
}

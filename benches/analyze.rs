//! Single-threaded `analyze` throughput: each example report, the published
//! pages flattened onto one line with glued digits (`tests/corpus/016–021`),
//! a 1 MB concatenation, and the worst inputs for the glued-digit search (every
//! row of 表三 a long run of digits that no split or only many splits fit).
//! `cargo bench --bench analyze` prints the median of several runs in MB/s and
//! ms; under `cargo test` it runs once on small inputs.
#![allow(clippy::print_stdout)] // a bench binary reports on stdout

#[path = "support/timing.rs"]
mod timing;

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use gov_report_lsp::{analyze, Settings};

/// The binary's allocator (src/main.rs), so that the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Seconds per analysis of `text`: median of `runs` runs, each repeating the
/// analysis for at least `min_time`.
fn measure(text: &str, runs: usize, min_time: Duration) -> f64 {
    let settings = Settings::default();
    timing::median(runs, min_time, || {
        black_box(analyze(black_box(text), &settings));
    })
}

#[allow(clippy::cast_precision_loss)]
fn report(name: &str, text: &str, secs: f64) {
    let mb = text.len() as f64 / 1e6;
    println!(
        "{name:<32} {:>9.1} KB {:>10.3} ms {:>9.2} MB/s",
        text.len() as f64 / 1e3,
        secs * 1e3,
        mb / secs
    );
}

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let (runs, min_time, concat_len) = if bench {
        (7, Duration::from_millis(500), 1_000_000)
    } else {
        (1, Duration::ZERO, 64_000)
    };
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/examples");
    let mut seeds: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    seeds.sort();
    assert!(!seeds.is_empty(), "no example reports in {}", dir.display());
    println!("analyze, single thread, median of {runs} run(s)");
    for (name, text) in &seeds {
        report(name, text, measure(text, runs, min_time));
    }
    println!("published pages flattened onto one line, glued digits");
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    for n in 16..=21 {
        let name = format!("0{n}.txt");
        let text = std::fs::read_to_string(corpus.join(&name)).unwrap();
        report(&name, &text, measure(&text, runs, min_time));
    }
    println!("worst cases for the glued-digit search");
    let page = std::fs::read_to_string(corpus.join("016.txt")).unwrap();
    for (name, text) in worst_cases(&page) {
        let secs = measure(&text, runs, min_time);
        report(&name, &text, secs);
        // Bounded: the search gives up (the table is unreadable) long before.
        assert!(secs < 0.5, "{name}: {secs} s");
    }
    let mut concat = String::new();
    while concat.len() < concat_len {
        for (_, text) in &seeds {
            concat.push_str(text);
            concat.push('\n');
        }
    }
    let label = format!("concatenation ({} KB)", concat.len() / 1000);
    let secs = measure(&concat, runs.min(3), Duration::ZERO);
    report(&label, &concat, secs);
    // The concatenation is six sections repeated: the analysis must see them.
    let a = analyze(&concat, &Settings::default());
    assert!(a.looks_like_report() && !a.diagnostics.is_empty());
}

/// 表三 of a one-line page with every run of row digits replaced: by ones
/// (no split fits any total), by a repeating digit run (many splits fit), and
/// by digits that fit only after a deep search.
fn worst_cases(page: &str) -> Vec<(String, String)> {
    let start = page.find("一、本年新收").unwrap();
    let end = page.find("四、政府信息公开行政复议").unwrap();
    let table = &page[start..end];
    let fill = |digits: &str| -> String {
        let mut out = String::new();
        let mut in_run = false;
        for c in table.chars() {
            if c.is_ascii_digit() {
                if !in_run {
                    out.push_str(digits);
                    in_run = true;
                }
            } else {
                in_run = false;
                out.push(c);
            }
        }
        format!("{}{out}{}", &page[..start], &page[end..])
    };
    vec![
        (
            "表三 all ones (13 digits a row)".into(),
            fill("1111111111111"),
        ),
        (
            "表三 repeating (16 digits a row)".into(),
            fill("1201120112011201"),
        ),
        ("表三 mixed (12 digits a row)".into(), fill("210110032102")),
    ]
}

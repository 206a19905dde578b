//! Single-threaded `analyze` throughput: each example report, and a 1 MB
//! concatenation of them. `cargo bench --bench analyze` prints the median of
//! several runs in MB/s; under `cargo test` it runs once on small inputs.
#![allow(clippy::print_stdout)] // a bench binary reports on stdout

#[path = "support/timing.rs"]
mod timing;

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use gov_report_lsp::{analyze, Settings};

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

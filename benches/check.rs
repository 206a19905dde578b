//! `gov-report-lsp --check DIR` over 1,000 report files on all cores (the
//! binary built by this profile: release under `cargo bench --bench check`).
//! Prints the median wall time of several runs; under `cargo test` it checks
//! 20 files once.
//!
//! A second folder holds 1,000 reports of 100 bodies × 10 consecutive years,
//! so the cross-year comparison (`cross-year-mismatch`) pairs every report
//! with its predecessor. Its cost is measured twice: in process (facts of
//! 1,000 analysed reports, grouping and comparison: what the pass adds), and
//! end to end (`--check` with the rule on, minus with it off).
#![allow(clippy::print_stdout)] // a bench binary reports on stdout

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use gov_report_lsp::series::{self, Facts};
use gov_report_lsp::{analyze, Settings};

/// The binary's allocator (src/main.rs), so that the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const BIN: &str = env!("CARGO_BIN_EXE_gov-report-lsp");

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// `--check dir`: wall time in seconds, after checking the run succeeded.
fn check(dir: &Path, n_files: usize, config: Option<&Path>) -> f64 {
    let mut cmd = Command::new(BIN);
    cmd.arg("--check").arg(dir);
    if let Some(c) = config {
        cmd.arg("--config").arg(c);
    }
    let start = Instant::now();
    let out = cmd.output().expect("run gov-report-lsp");
    let secs = start.elapsed().as_secs_f64();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = stdout.lines().last().unwrap_or_default();
    assert!(
        summary.starts_with(&format!("共检查 {n_files} 个文件")),
        "{summary}"
    );
    secs
}

fn seeds() -> Vec<String> {
    let examples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/examples");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&examples)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let (n_files, runs) = if bench { (1000, 5) } else { (20, 1) };
    let seeds = seeds();
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));

    let dir = tmp.join("bench-check");
    let _ = std::fs::remove_dir_all(&dir);
    let mut bytes = 0;
    for i in 0..n_files {
        // Ten folders of reports, so the walk and the sort are part of the measure.
        let sub = dir.join(format!("{:02}", i % 10));
        std::fs::create_dir_all(&sub).unwrap();
        let text = &seeds[i % seeds.len()];
        bytes += text.len();
        std::fs::write(sub.join(format!("report-{i:04}.txt")), text).unwrap();
    }
    let times: Vec<f64> = (0..runs).map(|_| check(&dir, n_files, None)).collect();
    let secs = median(times);
    #[allow(clippy::cast_precision_loss)]
    let (files, mb) = (n_files as f64, bytes as f64 / 1e6);
    println!(
        "--check over {n_files} files ({mb:.1} MB), {} cores, median of {runs} run(s): {:.3} s ({:.0} files/s, {:.1} MB/s)",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        secs,
        files / secs,
        mb / secs
    );
    cross_year(tmp, &seeds[3], n_files, runs);
}

/// Seed 003 (原州区医疗保障局, 2023) as the report of body `b` for `year`.
fn report_of(seed: &str, b: usize, year: i32) -> String {
    const NAMES: [char; 10] = ['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'];
    let body = format!("{}{}县医疗保障局", NAMES[b / 10 % 10], NAMES[b % 10]);
    seed.replace("原州区医疗保障局", &body)
        .replace("2023", &year.to_string())
}

fn cross_year(tmp: &Path, seed: &str, n_files: usize, runs: usize) {
    let years = 10;
    let dir = tmp.join("bench-cross-year");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let texts: Vec<(String, String)> = (0..n_files)
        .map(|i| {
            let (b, y) = (i / years, 2021 + i32::try_from(i % years).unwrap());
            (format!("{b:03}-{y}.txt"), report_of(seed, b, y))
        })
        .collect();
    for (name, text) in &texts {
        std::fs::write(dir.join(name), text).unwrap();
    }

    // In process: what the pass adds to a run whose files are analysed.
    let settings = Settings::default();
    let analyses: Vec<_> = texts.iter().map(|(_, t)| analyze(t, &settings)).collect();
    let mut found = 0;
    let pass: Vec<f64> = (0..runs.max(3) * 4)
        .map(|_| {
            let start = Instant::now();
            let facts: Vec<Facts> = texts
                .iter()
                .zip(&analyses)
                .map(|((name, text), a)| Facts::of(name.clone(), a, text, &settings))
                .collect();
            let result = series::check(&facts);
            found = result.bodies.len();
            start.elapsed().as_secs_f64()
        })
        .collect();
    assert_eq!(found, n_files / years, "every body is found with its years");
    println!(
        "cross-year pass over {n_files} reports ({} bodies × {years} years), in process, median: {:.2} ms",
        n_files / years,
        median(pass) * 1e3
    );

    // End to end: the rule on, minus the rule off (alternating runs).
    let off = tmp.join("bench-cross-year-off.toml");
    std::fs::write(&off, "[rules]\ncross-year-mismatch = \"off\"\n").unwrap();
    let (mut on_times, mut off_times) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        on_times.push(check(&dir, n_files, None));
        off_times.push(check(&dir, n_files, Some(&off)));
    }
    let (on, off) = (median(on_times), median(off_times));
    println!(
        "--check over the same {n_files} reports, median of {runs} run(s): {on:.3} s with cross-year-mismatch, {off:.3} s without ({:+.3} s)",
        on - off
    );
}

//! `gov-report-lsp --check DIR` over 1,000 report files on all cores (the
//! binary built by this profile: release under `cargo bench --bench check`).
//! Prints the median wall time of several runs; under `cargo test` it checks
//! 20 files once.
#![allow(clippy::print_stdout)] // a bench binary reports on stdout

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const BIN: &str = env!("CARGO_BIN_EXE_gov-report-lsp");

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let (n_files, runs) = if bench { (1000, 5) } else { (20, 1) };
    let examples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/examples");
    let mut seeds: Vec<PathBuf> = std::fs::read_dir(&examples)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    seeds.sort();
    let seeds: Vec<String> = seeds
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();

    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-check");
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

    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let out = Command::new(BIN)
                .arg("--check")
                .arg(&dir)
                .output()
                .expect("run gov-report-lsp");
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
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    #[allow(clippy::cast_precision_loss)]
    let (files, mb) = (n_files as f64, bytes as f64 / 1e6);
    println!(
        "--check over {n_files} files ({mb:.1} MB), {} cores, median of {runs} run(s): {:.3} s ({:.0} files/s, {:.1} MB/s)",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        median,
        files / median,
        mb / median
    );
}

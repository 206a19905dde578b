//! A stable-toolchain stand-in for the cargo-fuzz target (`fuzz/`): analyse
//! many deterministic pseudo-random mutations of the example reports and
//! assert that nothing panics and every range is inside the text on character
//! boundaries — in the analysis, the fixes, and both CLI output formats.
//!
//! `MUTATIONS=N cargo test --test mutations` runs N mutations per seed
//! (default 12 whole-report and 40 excerpt mutations per seed).

use std::ops::Range;

use gov_report_lsp::cli::check::{FileResult, Summary};
use gov_report_lsp::cli::emit::{emit, Format, Style};
use gov_report_lsp::fix::{apply_fixes, FixMode};
use gov_report_lsp::{analyze, Settings};

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Tokens that matter to the parser: separators, numbering, labels, numbers,
/// dates, odd whitespace and characters outside the BMP.
const PALETTE: &[&str] = &[
    "|",
    "\t",
    "\n",
    "\r\n",
    "\r",
    " ",
    "\u{3000}",
    "\u{a0}",
    "（",
    "）",
    "(",
    "一、",
    "二、",
    "四、",
    "（七）",
    "（一）",
    "1.",
    "总计",
    "结果维持",
    "结果维护",
    "结果纠正",
    "本年新收",
    "本年制发件数",
    "0",
    "5000005",
    "-1",
    "3.5",
    "１２",
    "2023年",
    "2019年",
    "1月1日",
    "12月31日",
    "至今",
    "2月30日",
    "𠮷",
    "e\u{301}",
    "\u{feff}",
    "\u{200b}",
    "規(guī)",
    "## ",
    "| --- |",
    "||",
    "〔2019〕60号",
    "国办公开办函〔2021〕30号",
    "政府信息公开工作年度报告",
    "统计期限",
    "第一项加第二项之和",
    "",
    "\u{0}",
];

fn floor(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn span(rng: &mut Rng, s: &str, max: usize) -> Range<usize> {
    let a = floor(s, rng.below(s.len() + 1));
    let b = floor(s, a + rng.below(max + 1));
    a..b.max(a)
}

fn mutate(rng: &mut Rng, mut s: String) -> String {
    for _ in 0..=rng.below(6) {
        match rng.below(9) {
            0 => {
                let r = span(rng, &s, 64);
                s.replace_range(r, "");
            }
            1 => {
                let r = span(rng, &s, 256);
                let piece = s[r].to_owned();
                let at = floor(&s, rng.below(s.len() + 1));
                s.insert_str(at, &piece);
            }
            2 | 3 => {
                let at = floor(&s, rng.below(s.len() + 1));
                s.insert_str(at, PALETTE[rng.below(PALETTE.len())]);
            }
            4 => {
                // Change a digit (totals and balances stop adding up).
                let digits: Vec<usize> = s
                    .char_indices()
                    .filter(|(_, c)| c.is_ascii_digit())
                    .map(|(i, _)| i)
                    .collect();
                if !digits.is_empty() {
                    let i = digits[rng.below(digits.len())];
                    let d = char::from(b'0' + (rng.below(10) as u8));
                    s.replace_range(i..=i, &d.to_string());
                }
            }
            5 => {
                // Byte-level: flip bits of one byte, then decode lossily.
                let mut bytes = std::mem::take(&mut s).into_bytes();
                if !bytes.is_empty() {
                    let i = rng.below(bytes.len());
                    bytes[i] ^= (rng.next() as u8) | 1;
                }
                s = String::from_utf8_lossy(&bytes).into_owned();
            }
            6 => {
                // Swap two lines.
                let mut lines: Vec<&str> = s.split('\n').collect();
                let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
                lines.swap(a, b);
                s = lines.join("\n");
            }
            7 => {
                // Join two lines, or flatten everything onto one line.
                if rng.below(8) == 0 {
                    s = s.replace(['\n', '\r'], " ");
                } else {
                    let newlines: Vec<usize> = s.match_indices('\n').map(|(i, _)| i).collect();
                    if !newlines.is_empty() {
                        let p = newlines[rng.below(newlines.len())];
                        s.replace_range(p..=p, "");
                    }
                }
            }
            _ => {
                let at = floor(&s, rng.below(s.len() + 1));
                s.truncate(at);
            }
        }
    }
    s
}

fn check_range(text: &str, r: &Range<usize>, what: &str) {
    assert!(
        r.start <= r.end && r.end <= text.len(),
        "{what} {r:?} outside 0..{}",
        text.len()
    );
    assert!(
        text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
        "{what} {r:?} not on char boundaries"
    );
}

fn exercise(text: &str) {
    let analysis = analyze(text, &Settings::default());
    for d in &analysis.diagnostics {
        check_range(text, &d.range, d.rule);
        for r in &d.related {
            check_range(text, &r.range, "related");
        }
        if let Some(fix) = &d.fix {
            for e in &fix.edits {
                check_range(text, &e.range, "fix edit");
            }
        }
    }
    let (fixed, _) = apply_fixes(text, &analysis.diagnostics, FixMode::All);
    let _ = analyze(&fixed, &Settings::default());
    // Built from the text (a mutant may hold NUL bytes, which reading the file refuses).
    let result = FileResult::of(
        "mutant.txt".to_owned(),
        None,
        gov_report_lsp::read::text(text),
        gov_report_lsp::cli::write::Stamp::of(text.as_bytes()),
        &Settings::default(),
    );
    for format in [Format::Human, Format::Json, Format::Github, Format::Sarif] {
        let mut out = Vec::new();
        emit(
            format,
            &mut out,
            &[&result],
            &Summary::default(),
            &[],
            Style { color: true },
        )
        .unwrap();
        let out = String::from_utf8(out).unwrap();
        if format == Format::Json {
            serde_json::from_str::<serde_json::Value>(&out).unwrap();
        }
    }
}

#[test]
fn mutated_reports_never_panic() {
    let per_seed: usize = std::env::var("MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(12);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/examples");
    let mut seeds: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    seeds.sort();
    let seeds: Vec<String> = seeds
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    assert!(seeds.len() >= 5);

    std::thread::scope(|scope| {
        for (n, seed) in seeds.iter().enumerate() {
            scope.spawn(move || {
                let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (n as u64 + 1));
                exercise(seed);
                for i in 0..per_seed {
                    let mutant = mutate(&mut rng, seed.clone());
                    let caught = std::panic::catch_unwind(|| exercise(&mutant));
                    if caught.is_err() {
                        let path = std::env::temp_dir().join(format!("mutant-{n}-{i}.txt"));
                        std::fs::write(&path, &mutant).unwrap();
                        panic!(
                            "seed {n}, mutation {i} panicked; input saved to {}",
                            path.display()
                        );
                    }
                }
                // Excerpts: a table alone, half a heading, a row cut mid-cell.
                for i in 0..per_seed * 3 {
                    let r = span(&mut rng, seed, 3000);
                    let mutant = mutate(&mut rng, seed[r].to_owned());
                    let caught = std::panic::catch_unwind(|| exercise(&mutant));
                    if caught.is_err() {
                        let path = std::env::temp_dir().join(format!("excerpt-{n}-{i}.txt"));
                        std::fs::write(&path, &mutant).unwrap();
                        panic!(
                            "seed {n}, excerpt {i} panicked; input saved to {}",
                            path.display()
                        );
                    }
                }
            });
        }
    });
}

#[test]
fn mutations_are_deterministic_and_valid_utf8() {
    let seed = "一、总体情况\n| 结果维持 | 𠮷 | 12 |\n".to_owned();
    let a: Vec<String> = {
        let mut rng = Rng(7);
        (0..50).map(|_| mutate(&mut rng, seed.clone())).collect()
    };
    let mut rng = Rng(7);
    let b: Vec<String> = (0..50).map(|_| mutate(&mut rng, seed.clone())).collect();
    assert_eq!(a, b);
    assert!(a.iter().any(|m| m != &seed), "mutations change the text");
}

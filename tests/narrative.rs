//! Every phrasing `narrative-mismatch` claims to understand, read from real
//! report sentences (and synthetic variants) in
//! `tests/fixtures/narrative/phrasings.txt`: what is read from each, and
//! that sentences about another year, a cumulative or rounded figure or a
//! sub-category give nothing.

use std::fmt::Write as _;

use gov_report_lsp::narrative::{claims, Claim, Quantity, Stream};

fn render(c: &Claim) -> String {
    let kind = match &c.quantity {
        Quantity::Received => "received".to_string(),
        Quantity::Accepted => "accepted".to_string(),
        Quantity::Handled => "handled".to_string(),
        Quantity::CarriedIn => "carried-in".to_string(),
        Quantity::CarriedOut => "carried-out".to_string(),
        Quantity::Outcomes(o) => format!(
            "outcomes({})",
            o.iter().map(|o| o.name()).collect::<Vec<_>>().join("+")
        ),
        Quantity::Review => "review".to_string(),
        Quantity::Lawsuit => "lawsuit".to_string(),
        Quantity::ReviewAndLawsuit => "review+lawsuit".to_string(),
        // 表二's rows: 规章, (行政)规范性文件.
        Quantity::Documents { kind, column } => format!(
            "documents({}/{})",
            kind.name().trim_start_matches("行政"),
            column.verb()
        ),
    };
    let mut out = format!("{kind} {}", c.value);
    if let Some(p) = &c.percent {
        let _ = write!(
            out,
            " {}%",
            format_args!("{:.*}", p.decimals as usize, p.value)
        );
    }
    out
}

struct Case {
    line: usize,
    source: String,
    year: i32,
    text: String,
    expected: String,
}

fn cases() -> Vec<Case> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/narrative/phrasings.txt"
    );
    let fixture = std::fs::read_to_string(path).expect("fixture exists");
    let mut out: Vec<Case> = Vec::new();
    for (i, line) in fixture.lines().enumerate() {
        if let Some(rest) = line.strip_prefix("@ ") {
            let (source, year) = rest.rsplit_once(' ').expect("`@ SOURCE YEAR`");
            out.push(Case {
                line: i + 1,
                source: source.to_string(),
                year: year.parse().expect("year"),
                text: String::new(),
                expected: String::new(),
            });
        } else if let Some(rest) = line.strip_prefix("> ") {
            let case = out.last_mut().expect("`>` after `@`");
            if !case.text.is_empty() {
                case.text.push('\n');
            }
            case.text.push_str(rest);
        } else if let Some(rest) = line.strip_prefix("= ") {
            out.last_mut().expect("`=` after `@`").expected = rest.to_string();
        }
    }
    out
}

#[test]
fn every_collected_phrasing_reads_as_documented() {
    let cases = cases();
    assert!(cases.len() >= 45, "only {} cases", cases.len());
    let mut failures = String::new();
    for case in &cases {
        let stream = Stream::new(&case.text, 0..case.text.len(), &[]);
        let found: Vec<String> = claims(&stream, 0..stream.s.len(), Some(case.year))
            .iter()
            .map(render)
            .collect();
        let got = if found.is_empty() {
            "nothing".to_string()
        } else {
            found.join("; ")
        };
        if got != case.expected {
            let _ = writeln!(
                failures,
                "line {} ({}):\n  expected: {}\n  read:     {}",
                case.line, case.source, case.expected, got
            );
        }
    }
    assert!(failures.is_empty(), "{failures}");
}

/// Every real report sentence is covered: each seed and corpus source is named.
#[test]
fn phrasings_cover_every_seed_and_corpus_source() {
    let sources: Vec<String> = cases().into_iter().map(|c| c.source).collect();
    for s in [
        "seeds/002",
        "seeds/004",
        "corpus/002",
        "corpus/010",
        "corpus/011",
        "corpus/012",
        "corpus/013",
        "corpus/014",
        "corpus/015",
        "corpus/016",
        "corpus/017",
        "corpus/018",
        "corpus/019",
        "corpus/020",
        "corpus/021",
    ] {
        assert!(sources.iter().any(|x| x == s), "no sentence from {s}");
    }
}

/// The number's range is the digits in the original text, even across a
/// line break and in traditional script.
#[test]
fn claims_point_at_the_digits() {
    let text = "政府信息公开行政复议 351\n件；本年度收到政府信息公開申請 𠮷２５件。";
    let stream = Stream::new(text, 0..text.len(), &[]);
    let found = claims(&stream, 0..stream.s.len(), Some(2024));
    assert_eq!(
        found.len(),
        1,
        "𠮷 between keyword and number breaks the phrase"
    );
    assert_eq!(&text[found[0].range.clone()], "351");
    let text = "本年度收到政府信息公開申請２５件。";
    let stream = Stream::new(text, 0..text.len(), &[]);
    let found = claims(&stream, 0..stream.s.len(), Some(2024));
    assert_eq!(&text[found[0].range.clone()], "２５");
}

//! Analyse arbitrary UTF-8: never panic, and every range the analysis
//! reports lies inside the text on character boundaries.
#![no_main]

use gov_report_lsp::fix::{apply_fixes, FixMode};
use gov_report_lsp::{analyze, Settings};
use libfuzzer_sys::fuzz_target;

fn check_range(text: &str, r: &std::ops::Range<usize>, what: &str) {
    assert!(r.start <= r.end && r.end <= text.len(), "{what} {r:?} outside 0..{}", text.len());
    assert!(
        text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
        "{what} {r:?} not on char boundaries"
    );
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let analysis = analyze(text, &Settings::default());
    let _ = analysis.looks_like_report();
    for d in &analysis.diagnostics {
        check_range(text, &d.range, d.rule);
        for r in &d.related {
            check_range(text, &r.range, "related");
        }
        if let Some(fix) = &d.fix {
            for e in &fix.edits {
                check_range(text, &e.range, "edit");
            }
        }
    }
    let (fixed, _) = apply_fixes(text, &analysis.diagnostics, FixMode::All);
    let _ = analyze(&fixed, &Settings::default());
});

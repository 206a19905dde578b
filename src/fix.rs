//! Applying fixes to a text. Pure: returns the new text.

use crate::analysis::{analyze, Analysis};
use crate::diagnostic::{Diagnostic, Edit, Safety};
use crate::settings::Settings;

/// Bound on fix passes: fixes do not create new fixable findings in practice;
/// the bound only guards against a rule whose fix keeps producing new ones.
const MAX_PASSES: usize = 10;

/// Which fixes to apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixMode {
    /// Only safe fixes.
    Safe,
    /// Safe and unsafe fixes.
    All,
}

/// Apply the fixes of `diagnostics` to `text`. A fix whose edits overlap an
/// already accepted edit is skipped whole (it will be offered again on the next pass).
/// Returns the new text and the number of fixes applied.
pub fn apply_fixes(text: &str, diagnostics: &[Diagnostic], mode: FixMode) -> (String, usize) {
    let mut accepted: Vec<&Edit> = Vec::new();
    let mut n_fixes = 0;
    for d in diagnostics {
        let Some(fix) = &d.fix else { continue };
        if fix.safety == Safety::Unsafe && mode == FixMode::Safe {
            continue;
        }
        let valid = fix.edits.iter().all(|e| {
            e.range.start <= e.range.end
                && e.range.end <= text.len()
                && text.is_char_boundary(e.range.start)
                && text.is_char_boundary(e.range.end)
        });
        let overlaps = fix.edits.iter().any(|e| {
            accepted.iter().any(|a| {
                e.range.start < a.range.end && a.range.start < e.range.end || e.range == a.range
            })
        });
        if !valid || overlaps {
            continue;
        }
        accepted.extend(fix.edits.iter());
        n_fixes += 1;
    }
    accepted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for e in accepted {
        out.push_str(&text[last..e.range.start]);
        out.push_str(&e.new_text);
        last = e.range.end;
    }
    out.push_str(&text[last..]);
    (out, n_fixes)
}

/// The text after fixing, and what is left.
#[derive(Debug)]
pub struct Fixed {
    pub text: String,
    /// Fixes applied over all passes.
    pub applied: usize,
    /// The analysis of the fixed text: what remains.
    pub analysis: Analysis,
}

/// Apply fixes to `text` (whose analysis is `first`) until none applies.
/// `None` when no fix applies at all.
pub fn fix_text(text: &str, first: &Analysis, settings: &Settings, mode: FixMode) -> Option<Fixed> {
    fix_converge(text, first, mode, |t| analyze(t, settings))
}

/// [`fix_text`] for any text whose findings `reanalyze` gives (e.g. a web
/// page's source, analysed through the HTML reader).
pub fn fix_converge(
    text: &str,
    first: &Analysis,
    mode: FixMode,
    reanalyze: impl Fn(&str) -> Analysis,
) -> Option<Fixed> {
    let mut current: Option<(String, Analysis)> = None;
    let mut applied = 0;
    for _ in 0..MAX_PASSES {
        let (now, diagnostics) = match &current {
            Some((t, a)) => (t.as_str(), &a.diagnostics),
            None => (text, &first.diagnostics),
        };
        let (next, n) = apply_fixes(now, diagnostics, mode);
        if n == 0 {
            break;
        }
        applied += n;
        let analysis = reanalyze(&next);
        current = Some((next, analysis));
    }
    current.map(|(text, analysis)| Fixed {
        text,
        applied,
        analysis,
    })
}

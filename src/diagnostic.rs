//! Findings, fixes and edits. All ranges are UTF-8 byte offsets into the analysed text.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use serde::Serialize;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a fix can be applied without a human looking at it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Safety {
    /// Corrects wording to the template; the meaning of the report does not change.
    Safe,
    /// Changes a number, a date or the structure; the author must review it.
    Unsafe,
}

/// One replacement of `range` (byte offsets) by `new_text`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edit {
    pub range: Range<usize>,
    pub new_text: String,
}

/// A suggested correction: one or more non-overlapping edits.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fix {
    /// Imperative Chinese title, e.g. `将“结果维护”改为“结果维持”`.
    pub title: String,
    pub safety: Safety,
    pub edits: Vec<Edit>,
}

/// A secondary location, e.g. one of the cells a total sums, or the cell of
/// last year's report that this year's should agree with.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Related {
    /// Byte offsets into the text of `path` (this file's text when `None`).
    pub range: Range<usize>,
    pub message: String,
    /// Another file, as the caller of the cross-file check named it (a path
    /// as given on the command line, or a file path in the editor).
    pub path: Option<String>,
}

impl Related {
    /// A location in the same text.
    pub fn new(range: Range<usize>, message: impl Into<String>) -> Self {
        Related {
            range,
            message: message.into(),
            path: None,
        }
    }

    /// A location in another file.
    pub fn in_file(
        path: impl Into<String>,
        range: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Related {
            range,
            message: message.into(),
            path: Some(path.into()),
        }
    }
}

/// One finding of one rule.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// Stable rule id, e.g. `table-label`.
    pub rule: &'static str,
    pub severity: Severity,
    /// Chinese message: what was found, what was expected.
    pub message: String,
    /// The exact text at fault (byte offsets).
    pub range: Range<usize>,
    pub related: Vec<Related>,
    pub fix: Option<Fix>,
    /// The text at `range` is personal data (an ID or phone number): every
    /// output that shows source text masks it, and messages never quote it.
    pub conceal: bool,
}

impl Diagnostic {
    /// A diagnostic at the rule's severity: the registry sets the rule's
    /// default (or the configured level) when the rule runs.
    pub fn new(rule: &'static str, range: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            // The lowest level: the registry raises it to the rule's default.
            severity: Severity::Info,
            message: message.into(),
            range,
            related: Vec::new(),
            fix: None,
            conceal: false,
        }
    }

    /// Raise this finding above the rule's default severity (e.g. a missing
    /// fee statement when fee notices were issued). A level configured for
    /// the rule still applies to every finding of it.
    #[must_use]
    pub fn raised_to(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Mark the text at `range` as personal data (see [`Diagnostic::conceal`]).
    #[must_use]
    pub fn concealed(mut self) -> Self {
        self.conceal = true;
        self
    }

    #[must_use]
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    #[must_use]
    pub fn with_related(mut self, related: Vec<Related>) -> Self {
        self.related = related;
        self
    }
}

/// Personal data as it may be shown: every digit but the first few and the
/// last four becomes `*` (`＊` for a full-width digit), so the text keeps its
/// length in bytes and its width: `1101**********4514`, `138****5678`.
pub fn mask(s: &str) -> String {
    let is_digit =
        |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c) || c == 'X' || c == 'x';
    let n = s.chars().filter(|&c| is_digit(c)).count();
    let head = match n {
        11 => 3,
        13 => 5,
        _ => 4,
    };
    let mut i = 0;
    s.chars()
        .map(|c| {
            if !is_digit(c) {
                return c;
            }
            i += 1;
            if i <= head || i > n.saturating_sub(4) {
                c
            } else if c.is_ascii() {
                '*'
            } else {
                '＊'
            }
        })
        .collect()
}

/// `text` with the range of every concealed finding masked (see [`mask`]);
/// byte offsets are unchanged. Borrowed when nothing is concealed.
pub fn conceal<'a>(text: &'a str, diagnostics: &[Diagnostic]) -> Cow<'a, str> {
    let ranges: Vec<&Range<usize>> = diagnostics
        .iter()
        .filter(|d| d.conceal)
        .map(|d| &d.range)
        .filter(|r| text.get((*r).clone()).is_some())
        .collect();
    if ranges.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = text.to_string();
    for r in ranges {
        let masked = mask(&text[r.clone()]);
        out.replace_range(r.clone(), &masked);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_length_and_ends() {
        assert_eq!(mask("110101199003074514"), "1101**********4514");
        assert_eq!(mask("13812345678"), "138****5678");
        assert_eq!(mask("138 1234 5678"), "138 **** 5678");
        assert_eq!(mask("１３８１２３４５６７８"), "１３８＊＊＊＊５６７８");
        assert_eq!(
            mask("１３８１２３４５６７８").len(),
            "１３８１２３４５６７８".len()
        );
        assert_eq!(mask("6222 0202 0011 2233 445"), "6222 **** **** ***3 445");
    }
}

//! Suppressions: Markdown comments that silence findings, and `[[ignore]]`
//! entries from `gov-report.toml` for plain text (which has no comments).
//!
//! ```markdown
//! <!-- gov-report-disable-next-line table-label -->
//! <!-- gov-report-disable table-label, missing-row -->
//! …
//! <!-- gov-report-enable -->
//! <!-- gov-report-disable-file -->
//! ```
//!
//! A directive without rule ids applies to every rule. `disable-next-line`
//! covers the next non-blank line. A `disable` region ends at the first
//! `gov-report-enable` that names its rule or names none, else at the end of
//! the text. Pure: works on the text and the diagnostics only.

use std::borrow::Cow;
use std::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::settings::Settings;

const PREFIX: &str = "gov-report-";

/// What a directive does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirectiveKind {
    DisableNextLine,
    Disable,
    Enable,
    DisableFile,
}

impl DirectiveKind {
    /// The directive's name as written after `gov-report-`; longest first so
    /// that `disable-next-line` is not read as `disable`.
    const NAMES: [(&'static str, DirectiveKind); 4] = [
        ("disable-next-line", DirectiveKind::DisableNextLine),
        ("disable-file", DirectiveKind::DisableFile),
        ("disable", DirectiveKind::Disable),
        ("enable", DirectiveKind::Enable),
    ];

    pub fn name(self) -> &'static str {
        match self {
            DirectiveKind::DisableNextLine => "gov-report-disable-next-line",
            DirectiveKind::Disable => "gov-report-disable",
            DirectiveKind::Enable => "gov-report-enable",
            DirectiveKind::DisableFile => "gov-report-disable-file",
        }
    }
}

/// A rule id written in a directive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleRef {
    pub id: String,
    /// Byte range of the id in the text.
    pub range: Range<usize>,
}

/// One `<!-- gov-report-… -->` comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// `None` when the comment starts with `gov-report-` but names no known directive.
    pub kind: Option<DirectiveKind>,
    /// What follows `gov-report-` up to the first space (for messages).
    pub word: String,
    /// Byte range of the whole comment, `<!--` to `-->`.
    pub range: Range<usize>,
    /// The listed rules; empty means every rule.
    pub rules: Vec<RuleRef>,
}

/// Byte ranges of fenced code blocks (```` ``` ```` or `~~~`, up to three
/// spaces of indentation), where `<!-- … -->` is literal text, not a comment.
/// An unclosed fence runs to the end of the text.
pub fn code_fences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut open: Option<(usize, u8, usize)> = None; // (start, fence char, fence length)
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        let fence = trimmed
            .as_bytes()
            .first()
            .copied()
            .filter(|c| *c == b'`' || *c == b'~');
        if let (true, Some(c)) = (indent <= 3, fence) {
            let len = trimmed.bytes().take_while(|&b| b == c).count();
            match open {
                None if len >= 3 => open = Some((at, c, len)),
                Some((start, oc, olen))
                    if oc == c && len >= olen && trimmed[len..].trim().is_empty() =>
                {
                    out.push(start..at + line.len());
                    open = None;
                }
                _ => {}
            }
        }
        at += line.len();
    }
    if let Some((start, _, _)) = open {
        out.push(start..text.len());
    }
    out
}

/// Every `<!-- gov-report-… -->` comment of the text, in order (not those
/// shown as code inside fenced code blocks).
pub fn directives(text: &str) -> Vec<Directive> {
    let fences = code_fences(text);
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("<!--") {
        let start = from + i;
        if let Some(f) = fences.iter().find(|f| f.contains(&start)) {
            from = f.end;
            continue;
        }
        // Inside an inline code span (`` `<!-- … -->` ``): literal text.
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        if text[line_start..start].matches('`').count() % 2 == 1 {
            from = start + 4;
            continue;
        }
        let body_start = start + 4;
        let Some(j) = text[body_start..].find("-->") else {
            break;
        };
        let body_end = body_start + j;
        let end = body_end + 3;
        from = end;
        let body = &text[body_start..body_end];
        let lead = body.len() - body.trim_start().len();
        let Some(rest) = body.trim_start().strip_prefix(PREFIX) else {
            continue;
        };
        let word_len = rest
            .find(|c: char| c.is_whitespace() || c == ',')
            .unwrap_or(rest.len());
        let word = &rest[..word_len];
        let kind = DirectiveKind::NAMES
            .iter()
            .find(|(name, _)| *name == word)
            .map(|&(_, k)| k);
        let list_start = body_start + lead + PREFIX.len() + word_len;
        let mut rules = Vec::new();
        let mut pos = list_start;
        for part in
            text[list_start..body_end].split(|c: char| c == ',' || c == '，' || c.is_whitespace())
        {
            if !part.is_empty() {
                rules.push(RuleRef {
                    id: part.to_string(),
                    range: pos..pos + part.len(),
                });
            }
            pos += part.len();
            // Skip the separator character that ended this part.
            if let Some(c) = text[pos..body_end].chars().next() {
                pos += c.len_utf8();
            }
        }
        out.push(Directive {
            kind,
            word: word.to_string(),
            range: start..end,
            rules,
        });
    }
    out
}

/// The text with every HTML comment (`<!-- … -->`) blanked out: each byte
/// becomes a space, line breaks stay. Byte offsets and lines are unchanged,
/// so the parser reads the report as rendered (a suppression comment inside
/// a table does not become part of a label) and its ranges still index the
/// original text. Borrowed when there is no comment.
pub fn mask_comments(text: &str) -> Cow<'_, str> {
    if !text.contains("<!--") {
        return Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    let mut from = 0;
    while let Some(i) = text[from..].find("<!--") {
        let start = from + i;
        let Some(j) = text[start + 4..].find("-->") else {
            break;
        };
        let end = start + 4 + j + 3;
        for b in &mut bytes[start..end] {
            if *b != b'\n' && *b != b'\r' {
                *b = b' ';
            }
        }
        from = end;
    }
    // Only whole UTF-8 sequences inside comments were replaced, by ASCII.
    Cow::Owned(String::from_utf8(bytes).expect("comments blanked on char boundaries"))
}

/// A directive (or one of its rules) that silenced nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unused {
    /// Index into the directives of the text.
    pub directive: usize,
    /// The unused rule ids of that directive; empty when the directive names
    /// no rule (it silenced nothing at all) or is a stray `enable`.
    pub rules: Vec<String>,
    /// The ids that were used (kept when the fix rewrites the comment).
    pub used: Vec<String>,
}

/// What suppression did to one text.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    pub directives: Vec<Directive>,
    pub unused: Vec<Unused>,
    /// How many findings were silenced.
    pub suppressed: usize,
    /// For each `[[ignore]]` entry of the settings, how many findings it silenced.
    pub ignore_hits: Vec<usize>,
}

/// A span of text in which some rule (or every rule) is silenced.
struct Scope {
    directive: usize,
    /// Index into the directive's rules; `None` for "every rule".
    rule: Option<usize>,
    region: Range<usize>,
    used: bool,
}

/// Remove the findings silenced by directives in `text` or by the
/// `[[ignore]]` entries of `settings`; return which directives silenced
/// nothing. Directives naming unknown rules or malformed ones are left to
/// the `unused-suppression` rule's own check; they are not reported here.
pub fn apply(text: &str, diagnostics: &mut Vec<Diagnostic>, settings: &Settings) -> Outcome {
    let directives = if text.contains("<!--") {
        directives(text)
    } else {
        Vec::new()
    };
    let mut scopes = Vec::new();
    let mut enable_used = vec![false; directives.len()];
    for (di, d) in directives.iter().enumerate() {
        let Some(kind) = d.kind else { continue };
        let rule_slots: Vec<Option<usize>> = if d.rules.is_empty() {
            vec![None]
        } else {
            (0..d.rules.len())
                .filter(|&ri| crate::rules::get(&d.rules[ri].id).is_some())
                .map(Some)
                .collect()
        };
        for rule in rule_slots {
            let region = match kind {
                DirectiveKind::Enable => continue,
                DirectiveKind::DisableFile => 0..text.len(),
                DirectiveKind::DisableNextLine => next_line(text, d.range.end),
                DirectiveKind::Disable => {
                    let id = rule.map(|ri| d.rules[ri].id.as_str());
                    let closing = directives[di + 1..].iter().position(|e| {
                        e.kind == Some(DirectiveKind::Enable)
                            && (e.rules.is_empty()
                                || id.is_some_and(|id| e.rules.iter().any(|r| r.id == id)))
                    });
                    match closing {
                        Some(k) => {
                            enable_used[di + 1 + k] = true;
                            d.range.end..directives[di + 1 + k].range.start
                        }
                        None => d.range.end..text.len(),
                    }
                }
            };
            scopes.push(Scope {
                directive: di,
                rule,
                region,
                used: false,
            });
        }
    }

    let occurrences: Vec<Vec<Range<usize>>> = settings
        .ignore
        .iter()
        .map(|e| {
            text.match_indices(e.text.as_str())
                .map(|(i, m)| i..i + m.len())
                .collect()
        })
        .collect();

    let mut ignore_counts = vec![0; settings.ignore.len()];
    let before = diagnostics.len();
    diagnostics.retain(|diag| {
        let mut silenced = false;
        for scope in &mut scopes {
            let d = &directives[scope.directive];
            let rule_matches = scope.rule.is_none_or(|ri| d.rules[ri].id == diag.rule);
            if rule_matches && scope.region.contains(&diag.range.start) {
                scope.used = true;
                silenced = true;
            }
        }
        for ((entry, hits), count) in settings
            .ignore
            .iter()
            .zip(&occurrences)
            .zip(&mut ignore_counts)
        {
            if entry.rule != diag.rule {
                continue;
            }
            let found = text.get(diag.range.clone()).unwrap_or("");
            let inside = hits
                .iter()
                .any(|h| h.start <= diag.range.start && diag.range.end <= h.end);
            if inside || found.contains(entry.text.as_str()) {
                *count += 1;
                silenced = true;
            }
        }
        !silenced
    });
    let suppressed = before - diagnostics.len();

    let mut unused = Vec::new();
    for (di, d) in directives.iter().enumerate() {
        match d.kind {
            None => {}
            Some(DirectiveKind::Enable) if !enable_used[di] => unused.push(Unused {
                directive: di,
                rules: Vec::new(),
                used: Vec::new(),
            }),
            Some(DirectiveKind::Enable) => {}
            Some(_) => {
                let mine: Vec<&Scope> = scopes.iter().filter(|s| s.directive == di).collect();
                if d.rules.is_empty() {
                    if !mine.iter().any(|s| s.used) {
                        unused.push(Unused {
                            directive: di,
                            rules: Vec::new(),
                            used: Vec::new(),
                        });
                    }
                    continue;
                }
                // A cross-file rule's findings come from comparing reports:
                // from this text alone its suppression is never unused.
                let (used, idle): (Vec<&&Scope>, Vec<&&Scope>) = mine.iter().partition(|s| {
                    s.used
                        || s.rule.is_some_and(|ri| {
                            crate::rules::CROSS_FILE.contains(&d.rules[ri].id.as_str())
                        })
                });
                if !idle.is_empty() {
                    let ids = |v: &[&&Scope]| -> Vec<String> {
                        v.iter()
                            .filter_map(|s| s.rule.map(|ri| d.rules[ri].id.clone()))
                            .collect()
                    };
                    unused.push(Unused {
                        directive: di,
                        rules: ids(&idle),
                        used: ids(&used),
                    });
                }
            }
        }
    }
    Outcome {
        directives,
        unused,
        suppressed,
        ignore_hits: ignore_counts,
    }
}

/// The byte range of the first non-blank line after `offset` (from the end
/// of the comment's line), or an empty range at the end of the text.
fn next_line(text: &str, offset: usize) -> Range<usize> {
    let mut start = match text[offset..].find('\n') {
        Some(i) => offset + i + 1,
        None => return text.len()..text.len(),
    };
    while start < text.len() {
        let end = text[start..]
            .find('\n')
            .map_or(text.len(), |i| start + i + 1);
        if !text[start..end].trim().is_empty() {
            return start..end;
        }
        start = end;
    }
    text.len()..text.len()
}

/// The range to delete to remove a comment: its whole line (with the line
/// break) when the comment stands alone on it, else the comment and the
/// blanks before it.
pub fn removal_range(text: &str, comment: &Range<usize>) -> Range<usize> {
    let line_start = text[..comment.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[comment.end..]
        .find('\n')
        .map_or(text.len(), |i| comment.end + i + 1);
    let before = &text[line_start..comment.start];
    let after = &text[comment.end..line_end];
    if before.trim().is_empty() && after.trim().is_empty() {
        return line_start..line_end;
    }
    let blanks = before.len() - before.trim_end().len();
    comment.start - blanks..comment.end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::IgnoreEntry;

    fn diag(rule: &'static str, range: Range<usize>) -> Diagnostic {
        Diagnostic::new(rule, range, "m")
    }

    #[test]
    fn parses_directives_with_rule_lists() {
        let text = "a\n<!-- gov-report-disable-next-line table-label, missing-row -->\n<!--gov-report-disable-file-->\n<!-- gov-report-disable-line x -->";
        let ds = directives(text);
        assert_eq!(ds.len(), 3);
        assert_eq!(ds[0].kind, Some(DirectiveKind::DisableNextLine));
        let ids: Vec<&str> = ds[0].rules.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["table-label", "missing-row"]);
        for r in &ds[0].rules {
            assert_eq!(&text[r.range.clone()], r.id);
        }
        assert_eq!(ds[1].kind, Some(DirectiveKind::DisableFile));
        assert!(ds[1].rules.is_empty());
        assert_eq!(ds[2].kind, None);
        assert_eq!(ds[2].word, "disable-line");
    }

    #[test]
    fn next_line_skips_blank_lines_and_covers_one_line() {
        let text = "<!-- gov-report-disable-next-line table-label -->\n\nbad one\nbad two\n";
        let one = text.find("bad one").unwrap();
        let two = text.find("bad two").unwrap();
        let mut ds = vec![
            diag("table-label", one..one + 3),
            diag("table-label", two..two + 3),
        ];
        let out = apply(text, &mut ds, &Settings::default());
        assert_eq!(ds.len(), 1);
        assert_eq!(ds[0].range.start, two);
        assert!(out.unused.is_empty());
        assert_eq!(out.suppressed, 1);
    }

    #[test]
    fn region_ends_at_enable_and_other_rules_pass() {
        let text = "<!-- gov-report-disable table-label -->\nx1\n<!-- gov-report-enable -->\nx2\n";
        let x1 = text.find("x1").unwrap();
        let x2 = text.find("x2").unwrap();
        let mut ds = vec![
            diag("table-label", x1..x1 + 2),
            diag("missing-row", x1..x1 + 2),
            diag("table-label", x2..x2 + 2),
        ];
        let out = apply(text, &mut ds, &Settings::default());
        let left: Vec<(&str, usize)> = ds.iter().map(|d| (d.rule, d.range.start)).collect();
        assert_eq!(left, [("missing-row", x1), ("table-label", x2)]);
        assert!(out.unused.is_empty());
    }

    #[test]
    fn unused_rules_and_stray_enable_are_reported() {
        let text = "<!-- gov-report-disable-next-line table-label, missing-row -->\nx\n<!-- gov-report-enable -->\n";
        let x = text.find("x\n").unwrap();
        let mut ds = vec![diag("table-label", x..x + 1)];
        let out = apply(text, &mut ds, &Settings::default());
        assert!(ds.is_empty());
        assert_eq!(
            out.unused,
            [
                Unused {
                    directive: 0,
                    rules: vec!["missing-row".into()],
                    used: vec!["table-label".into()],
                },
                Unused {
                    directive: 1,
                    rules: vec![],
                    used: vec![],
                }
            ]
        );
    }

    #[test]
    fn ignore_entries_match_the_flagged_text_either_way() {
        let text = "五、存在问题及改进措施\n结果维护\n结果维护\n";
        let title = text.find("存在").unwrap();
        let label = text.find("结果维护").unwrap();
        let mut ds = vec![
            diag("section-title", title..title + "存在问题及改进措施".len()),
            diag("table-label", label..label + "结果维护".len()),
            diag("missing-row", label..label + "结果维护".len()),
        ];
        let settings = Settings {
            ignore: vec![
                IgnoreEntry {
                    rule: "section-title".into(),
                    text: "五、存在问题及改进措施".into(),
                },
                IgnoreEntry {
                    rule: "table-label".into(),
                    text: "维护".into(),
                },
            ],
            ..Settings::default()
        };
        apply(text, &mut ds, &settings);
        let left: Vec<&str> = ds.iter().map(|d| d.rule).collect();
        assert_eq!(left, ["missing-row"]);
    }

    #[test]
    fn comments_in_code_fences_are_not_directives() {
        let text = "```markdown\n<!-- gov-report-disable-file -->\n```\n  ~~~~\n<!-- gov-report-enable -->\n~~~\n~~~~\n<!-- gov-report-disable table-label -->\n";
        let ds = directives(text);
        assert_eq!(ds.len(), 1);
        assert_eq!(ds[0].kind, Some(DirectiveKind::Disable));
        assert_eq!(code_fences("```\nopen to the end").len(), 1);
        let inline = "写 `<!-- gov-report-disable-file -->` 即可\n<!-- gov-report-enable -->";
        let ds = directives(inline);
        assert_eq!(ds.len(), 1);
        assert_eq!(ds[0].kind, Some(DirectiveKind::Enable));
    }

    #[test]
    fn masking_keeps_offsets_and_line_breaks() {
        let text = "表<!-- 注释\r\n第二行 -->尾\n<!-- 未闭合";
        let masked = mask_comments(text);
        assert_eq!(masked.len(), text.len());
        assert_eq!(masked.find('尾'), text.find('尾'));
        assert_eq!(masked.matches('\n').count(), 2);
        assert!(masked.contains("\r\n"));
        assert!(!masked.contains("注释"));
        assert!(
            masked.ends_with("<!-- 未闭合"),
            "unterminated comments stay"
        );
        assert!(matches!(mask_comments("无注释"), Cow::Borrowed(_)));
    }

    #[test]
    fn removal_takes_the_whole_line_only_when_alone() {
        let text = "a\r\n  <!-- gov-report-disable-file -->\r\nb <!-- gov-report-enable -->\n";
        let ds = directives(text);
        let r0 = removal_range(text, &ds[0].range);
        assert_eq!(&text[r0], "  <!-- gov-report-disable-file -->\r\n");
        let r1 = removal_range(text, &ds[1].range);
        assert_eq!(&text[r1], " <!-- gov-report-enable -->");
    }
}

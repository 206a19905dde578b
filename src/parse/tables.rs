//! Statistical tables: find each template table in its section and place
//! every label and number on the template.
//!
//! The table region is reduced to tokens (labels, numbers, blank cells) in
//! reading order. Label text is concatenated into one normalised key stream,
//! so labels broken across lines or cells (`商业\n企业`) read as one. Row labels
//! are anchors, found in template order; the numbers that follow an anchor
//! (up to the next one) are that row's cells. Header groups are searched
//! between the rows around them, in any order. What matches no template label
//! exactly is compared, by similarity, with the labels still missing from the
//! same place of the same table, never with other tables.

use std::ops::Range;

use crate::model::{
    Cell, CellKind, Format, Identity, LabelMatch, MissingLabel, Section, Table, Unreadable, Value,
};
use crate::normalize::{key_chars, KeyChar};
use crate::template::{self, Each, Item, Role, RowTpl, TableTpl};

use super::tokens::{similarity, tokenize, Kind, Token};

/// How far (in key characters) past the previous anchor a row label is looked for.
const ANCHOR_WINDOW: usize = 1200;
/// A table is only taken to be present when this many of its labels match exactly
/// (a single 行政许可 in prose is not a table).
const MIN_ANCHORS: usize = 2;
/// Minimum similarity for a near-miss label.
const NEAR_MISS: f32 = 0.6;
/// Give up enumerating splits of glued digits beyond this many candidates.
const MAX_SPLITS: usize = 2000;

/// Find the tables of the report.
pub fn find(text: &str, sections: &[Section]) -> Vec<Table> {
    let mut out = Vec::new();
    for id in ["t2", "t3", "t4"] {
        let Some(number) = template::all()[0]
            .tables
            .iter()
            .find(|t| t.id == id)
            .map(|t| t.section)
        else {
            continue;
        };
        let stream = Stream::new(text, region(text, sections, number));
        // Try the newest format first; a perfect match needs no second opinion.
        let mut best: Option<((Table, isize), &TableTpl)> = None;
        for tpl in template::all() {
            let Some(tt) = tpl.tables.iter().find(|t| t.id == id) else {
                continue;
            };
            let cand = align(&stream, tpl.format, tt);
            if cand.1 == isize::MIN {
                continue;
            }
            let perfect = cand.0.missing.is_empty() && cand.0.labels.iter().all(|l| !l.near_miss);
            // On a tie the newer format (listed first) wins.
            if best.as_ref().is_none_or(|b| cand.1 > b.0 .1) {
                best = Some((cand, tt));
            }
            if perfect {
                break;
            }
        }
        if let Some(((mut table, _), tpl)) = best {
            table.identities = identities(tpl, &table.cells);
            out.push(table);
        }
    }
    out
}

/// Where the table of section `number` is looked for: the section's body, or,
/// when its heading is missing, everything between the neighbouring headings
/// (a deleted heading should not hide the table's own errors).
fn region(text: &str, sections: &[Section], number: u8) -> Range<usize> {
    if let Some(s) = sections.iter().find(|s| s.number == number) {
        return s.body.clone();
    }
    let start = sections
        .iter()
        .filter(|s| s.number < number)
        .map(|s| s.range.end)
        .max()
        .unwrap_or(0);
    let end = sections
        .iter()
        .filter(|s| s.number > number && s.range.start >= start)
        .map(|s| s.range.start)
        .min()
        .unwrap_or(text.len());
    start..end.max(start)
}

/// The tokens of a region and their normalised label stream.
struct Stream<'a> {
    text: &'a str,
    region: Range<usize>,
    tokens: Vec<Token>,
    /// Key characters of all label tokens, concatenated.
    keys: Vec<KeyChar>,
    /// The same as a string, for fast substring search.
    lstr: String,
    /// Byte offset in `lstr` of each key character (plus the end).
    lbyte: Vec<usize>,
    /// Per token: its span in `keys` (empty, at its position, for numbers and blanks).
    lspan: Vec<Range<usize>>,
    /// Per key character: the token it came from.
    ktok: Vec<usize>,
}

impl<'a> Stream<'a> {
    fn new(text: &'a str, region: Range<usize>) -> Self {
        let tokens = tokenize(text, region.clone());
        let mut keys = Vec::new();
        let mut ktok = Vec::new();
        let mut lspan = Vec::with_capacity(tokens.len());
        for (i, t) in tokens.iter().enumerate() {
            let start = keys.len();
            if t.kind == Kind::Label {
                keys.extend(key_chars(text, t.range.clone()));
                ktok.resize(keys.len(), i);
            }
            lspan.push(start..keys.len());
        }
        let mut lstr = String::with_capacity(keys.len() * 3);
        let mut lbyte = Vec::with_capacity(keys.len() + 1);
        for k in &keys {
            lbyte.push(lstr.len());
            lstr.push(k.c);
        }
        lbyte.push(lstr.len());
        Stream {
            text,
            region,
            tokens,
            keys,
            lstr,
            lbyte,
            lspan,
            ktok,
        }
    }

    /// Source range of key characters `span`.
    fn src(&self, span: &Range<usize>) -> Range<usize> {
        match (
            self.keys.get(span.start),
            span.end.checked_sub(1).and_then(|e| self.keys.get(e)),
        ) {
            (Some(a), Some(b)) if span.start < span.end => a.src.start..b.src.end,
            _ => self.region.start..self.region.start,
        }
    }

    /// First occurrence of `needle` in key characters `from..to`, not overlapping `used`.
    fn find(
        &self,
        needle: &str,
        from: usize,
        to: usize,
        used: &[Range<usize>],
    ) -> Option<Range<usize>> {
        if needle.is_empty() || from >= to {
            return None;
        }
        let n = needle.chars().count();
        let mut at = from;
        while at < to {
            let hay = &self.lstr[self.lbyte[at]..self.lbyte[to.min(self.keys.len())]];
            let pos = hay.find(needle)?;
            let start = self.lbyte.partition_point(|&b| b < self.lbyte[at] + pos);
            let span = start..start + n;
            if !overlaps(used, &span) {
                return Some(span);
            }
            at = start + 1;
        }
        None
    }

    /// Whether the characters of `needle` appear in order, close together, in `from..to`
    /// (labels that PDF extraction scattered between rows).
    fn find_loose(&self, needle: &str, from: usize, to: usize) -> bool {
        let n = needle.chars().count();
        let first = needle.chars().next();
        let limit = n * 8 + 16;
        for start in from..to.min(self.keys.len()) {
            if Some(self.keys[start].c) != first {
                continue;
            }
            let mut it = needle.chars().peekable();
            for k in &self.keys[start..to.min(self.keys.len()).min(start + limit)] {
                if it.peek() == Some(&k.c) {
                    it.next();
                }
            }
            if it.peek().is_none() {
                return true;
            }
        }
        false
    }

    /// Like [`Stream::find_loose`] within `from..to`, skipping characters in `used`;
    /// returns the characters it took. Characters may only be skipped between
    /// tokens, never inside one: `本年度处理决定数量` is not `本年处理决定数量`.
    fn take_loose(
        &self,
        needle: &str,
        from: usize,
        to: usize,
        used: &[Range<usize>],
    ) -> Option<Vec<Range<usize>>> {
        let to = to.min(self.keys.len());
        let n = needle.chars().count();
        let limit = n * 10 + 20;
        let free = |i: usize| !used.iter().any(|u| u.start <= i && i < u.end);
        let wanted: Vec<char> = needle.chars().collect();
        for start in from..to {
            if self.keys[start].c != wanted[0] || !free(start) {
                continue;
            }
            #[allow(clippy::single_range_in_vec_init)]
            let mut took = vec![start..start + 1];
            let mut w = 1;
            for i in start + 1..to.min(start + limit) {
                if w == wanted.len() {
                    break;
                }
                let prev = took[took.len() - 1].start;
                let joins = i == prev + 1
                    || (self.ktok[prev] != self.ktok[i]
                        && self.token_end(prev)
                        && self.token_start(i));
                if self.keys[i].c == wanted[w] && free(i) && joins {
                    took.push(i..i + 1);
                    w += 1;
                } else if self.ktok[i] == self.ktok[prev] && i > prev {
                    // Skipping a character inside the token we are reading: not this way.
                    if self.token_end(prev) {
                        continue;
                    }
                    break;
                }
            }
            if w == wanted.len() {
                return Some(took);
            }
        }
        None
    }

    fn token_end(&self, k: usize) -> bool {
        self.lspan[self.ktok[k]].end == k + 1
    }

    fn token_start(&self, k: usize) -> bool {
        self.lspan[self.ktok[k]].start == k
    }

    /// An exact anchor at `span`, marked as used.
    fn exact(&self, span: Range<usize>, used: &mut Vec<Range<usize>>) -> Anchor {
        used.push(span.clone());
        Anchor {
            src: self.src(&span),
            span,
            near_miss: false,
        }
    }

    /// Key position of token `i` (where a number sits in the label stream).
    fn lpos(&self, i: usize) -> usize {
        self.lspan[i].start
    }

    /// Candidate near-miss labels in key characters `from..to`: runs of 1–3
    /// consecutive label tokens, not overlapping `used`.
    fn candidates(
        &self,
        from: usize,
        to: usize,
        used: &[Range<usize>],
    ) -> Vec<(Range<usize>, Range<usize>, String)> {
        let mut out = Vec::new();
        let first = self.lspan.partition_point(|s| s.end <= from);
        for i in first..self.tokens.len() {
            if self.tokens[i].kind != Kind::Label || self.lspan[i].start >= to {
                if self.lspan[i].start >= to {
                    break;
                }
                continue;
            }
            let mut span = self.lspan[i].clone();
            for j in i..(i + 3).min(self.tokens.len()) {
                if self.tokens[j].kind != Kind::Label || self.lspan[j].end > to {
                    break;
                }
                span.end = self.lspan[j].end;
                if span.start < from || overlaps(used, &span) {
                    break;
                }
                let k: String = self.keys[span.clone()].iter().map(|k| k.c).collect();
                let src = self.tokens[i].range.start..self.tokens[j].range.end;
                out.push((span.clone(), src, k));
            }
        }
        out
    }
}

/// Whether `span` overlaps any of `used`.
fn overlaps(used: &[Range<usize>], span: &Range<usize>) -> bool {
    used.iter()
        .any(|u| u.start < span.end && span.start < u.end)
}

/// A row label found in the stream.
#[derive(Clone, Debug)]
struct Anchor {
    span: Range<usize>,
    src: Range<usize>,
    near_miss: bool,
}

/// Place the stream on one template table. Returns the table and a score:
/// labels matched exactly count twice, near misses and missing labels count
/// against; `isize::MIN` when no row label matched at all (no table here).
fn align(s: &Stream, format: Format, tpl: &'static TableTpl) -> (Table, isize) {
    let rows: Vec<&'static RowTpl> = tpl.rows().collect();
    let all_keys: Vec<&str> = tpl
        .items
        .iter()
        .map(|i| match i {
            Item::Row(r) => r.keys.first().map_or("", String::as_str),
            Item::Header(h) => h.key.as_str(),
        })
        .filter(|k| !k.is_empty())
        .collect();
    let mut table = Table {
        id: tpl_id(tpl),
        name: &tpl.name,
        format,
        range: s.region.clone(),
        cells: Vec::new(),
        labels: Vec::new(),
        missing: Vec::new(),
        unreadable: Vec::new(),
        identities: Vec::new(),
    };
    let mut score = 0;
    let mut used: Vec<Range<usize>> = Vec::new();

    // 1. Row anchors, exact, in template order.
    let mut anchors: Vec<Option<Anchor>> = vec![None; rows.len()];
    let mut cursor = 0;
    for (i, row) in rows.iter().enumerate() {
        if row.label.is_empty() {
            continue;
        }
        let to = (cursor + ANCHOR_WINDOW).min(s.keys.len());
        let found = row.keys.iter().find_map(|k| s.find(k, cursor, to, &used));
        if let Some(span) = found {
            cursor = span.end;
            anchors[i] = Some(s.exact(span, &mut used));
            score += 1;
        }
    }
    // 1b. Rows out of template order (a converter that moved a block): a label
    // standing as a whole cell anywhere in the region.
    for (i, row) in rows.iter().enumerate() {
        if anchors[i].is_some() || row.label.is_empty() {
            continue;
        }
        let whole_cell = row.keys.iter().find_map(|k| {
            let n = k.chars().count();
            (0..s.tokens.len()).find(|&t| {
                let span = &s.lspan[t];
                s.tokens[t].kind == Kind::Label
                    && span.len() == n
                    && s.lstr[s.lbyte[span.start]..s.lbyte[span.end]] == **k
                    && !overlaps(&used, span)
            })
        });
        if let Some(t) = whole_cell {
            anchors[i] = Some(s.exact(s.lspan[t].clone(), &mut used));
            score += 1;
        }
    }

    let has_labelled_rows = rows.iter().any(|r| !r.label.is_empty());
    if has_labelled_rows && score < MIN_ANCHORS.min(rows.len()) {
        return (table, isize::MIN);
    }

    // 2. Near misses for the rows not found, between their found neighbours.
    for i in 0..rows.len() {
        if anchors[i].is_some() || rows[i].label.is_empty() {
            continue;
        }
        let lo = anchors[..i]
            .iter()
            .rev()
            .flatten()
            .next()
            .map_or(0, |a| a.span.end);
        // Up to the next label found after it in the document.
        let hi = anchors
            .iter()
            .flatten()
            .map(|a| a.span.start)
            .filter(|&st| st >= lo)
            .min()
            .unwrap_or(s.keys.len());
        let hi = hi.min(lo + ANCHOR_WINDOW / 2);
        let target = rows[i].keys.first().map_or("", String::as_str);
        if let Some(took) = s.take_loose(target, lo, hi, &used) {
            // A label broken up by a scattered group label (PDF text): all there, in order.
            let span = took[0].start..took[took.len() - 1].end;
            used.extend(took);
            anchors[i] = Some(Anchor {
                src: s.src(&span),
                span,
                near_miss: false,
            });
            continue;
        }
        if let Some((span, src)) = near_miss(s, target, lo, hi, &used, &all_keys) {
            used.push(span.clone());
            anchors[i] = Some(Anchor {
                span,
                src,
                near_miss: true,
            });
        }
    }

    // 3. Header groups, between the rows around them.
    let mut row_idx = 0;
    let mut group: Vec<&'static template::HeaderTpl> = Vec::new();
    let mut first_header: Option<usize> = None;
    let items: Vec<&Item> = tpl.items.iter().collect();
    for (n, item) in items.iter().enumerate() {
        match item {
            Item::Header(h) => group.push(h),
            Item::Row(_) => row_idx += 1,
        }
        let group_ends =
            matches!(item, Item::Header(_)) && !matches!(items.get(n + 1), Some(Item::Header(_)));
        if !group_ends {
            continue;
        }
        // The group stands just before its first row in the document, after
        // whatever row precedes that in the document (blocks may be reordered).
        let hi = anchors[row_idx..]
            .iter()
            .flatten()
            .next()
            .map_or(s.keys.len(), |a| a.span.start);
        let lo = anchors
            .iter()
            .flatten()
            .map(|a| a.span.end)
            .filter(|&e| e <= hi)
            .max()
            .unwrap_or(0);
        let (found, first) = match_headers(
            s,
            &group,
            lo,
            hi,
            &mut used,
            &all_keys,
            &mut table,
            &anchors[row_idx..],
        );
        score += found;
        if first_header.is_none() {
            first_header = first;
        }
        group.clear();
    }

    if !has_labelled_rows && score < MIN_ANCHORS {
        // A table without row labels (表四) is only there if its headers are.
        return (table, isize::MIN);
    }

    // 4. Missing rows.
    for (i, row) in rows.iter().enumerate() {
        if anchors[i].is_none() && !row.label.is_empty() {
            let at = anchors[i + 1..]
                .iter()
                .flatten()
                .next()
                .or_else(|| anchors[..i].iter().rev().flatten().next())
                .map_or(s.region.start..s.region.start, |a| a.src.clone());
            table.missing.push(MissingLabel {
                expected: &row.label,
                at,
                kind: "row",
            });
        }
    }
    for (i, a) in anchors.iter().enumerate() {
        if let Some(a) = a {
            table.labels.push(LabelMatch {
                expected: &rows[i].label,
                range: a.src.clone(),
                found: s.text[a.src.clone()].to_string(),
                near_miss: a.near_miss,
            });
        }
    }
    table.labels.sort_by_key(|l| l.range.start);

    // 5. Cells.
    let mut starts: Vec<(usize, usize)> = anchors
        .iter()
        .enumerate()
        .filter_map(|(i, a)| a.as_ref().map(|a| (a.span.start, i)))
        .collect();
    for (i, row) in rows.iter().enumerate() {
        if row.label.is_empty() {
            starts.push((first_header.unwrap_or(0), i));
        }
    }
    starts.sort_unstable();
    for (n, &(start, i)) in starts.iter().enumerate() {
        let end = starts.get(n + 1).map_or(usize::MAX, |&(e, _)| e);
        let toks: Vec<&Token> = s
            .tokens
            .iter()
            .enumerate()
            .filter(|(j, t)| t.kind != Kind::Label && s.lpos(*j) > start && s.lpos(*j) <= end)
            .map(|(_, t)| t)
            .collect();
        fill_row(s.text, tpl, rows[i], &toks, &mut table);
    }
    let penalty = table.missing.len() + table.labels.iter().filter(|l| l.near_miss).count();
    let score =
        isize::try_from(2 * score).unwrap_or(isize::MAX) - isize::try_from(penalty).unwrap_or(0);
    (table, score)
}

fn tpl_id(tpl: &'static TableTpl) -> &'static str {
    &tpl.id
}

/// The best near miss of `target` in `from..to`: similar enough, and closer to
/// `target` than to any other label of the same table.
fn near_miss(
    s: &Stream,
    target: &str,
    from: usize,
    to: usize,
    used: &[Range<usize>],
    all_keys: &[&str],
) -> Option<(Range<usize>, Range<usize>)> {
    let mut best: Option<(f32, Range<usize>, Range<usize>)> = None;
    for (span, src, k) in s.candidates(from, to, used) {
        if all_keys.contains(&k.as_str()) || !plausible(target, &k) {
            continue;
        }
        let score = similarity(target, &k);
        if score < NEAR_MISS {
            continue;
        }
        let rival = all_keys
            .iter()
            .filter(|a| **a != target && plausible(a, &k))
            .map(|a| similarity(a, &k))
            .fold(0.0_f32, f32::max);
        if rival >= score {
            continue;
        }
        if best.as_ref().is_none_or(|(b, _, _)| score > *b) {
            best = Some((score, span, src));
        }
    }
    best.map(|(_, span, src)| (span, src))
}

/// A cheap filter before the diff: lengths within a factor of two and at
/// least half of the shorter string's characters in common.
pub(super) fn plausible(a: &str, b: &str) -> bool {
    let (na, nb) = (a.chars().count(), b.chars().count());
    if na == 0 || nb == 0 || na > 2 * nb + 2 || nb > 2 * na + 2 {
        return false;
    }
    let common = b.chars().filter(|c| a.contains(*c)).count();
    2 * common >= na.min(nb)
}

/// Match one group of headers in `lo..hi`. Returns how many matched exactly
/// and the key position of the first match.
#[allow(clippy::too_many_arguments)]
fn match_headers(
    s: &Stream,
    group: &[&'static template::HeaderTpl],
    lo: usize,
    hi: usize,
    used: &mut Vec<Range<usize>>,
    all_keys: &[&str],
    table: &mut Table,
    later_rows: &[Option<Anchor>],
) -> (usize, Option<usize>) {
    let mut order: Vec<&&template::HeaderTpl> = group.iter().collect();
    order.sort_by_key(|h| std::cmp::Reverse(h.key.chars().count()));
    let mut found = 0;
    let mut first: Option<usize> = None;
    let mut unfound: Vec<&'static template::HeaderTpl> = Vec::new();
    for h in order {
        let k = h.key.as_str();
        let span = match h.role {
            // The note is often cut short; its opening words are enough.
            Role::Note => s.find(&k.chars().take(8).collect::<String>(), lo, hi, used),
            _ => s.find(k, lo, hi, used),
        };
        match span {
            Some(span) => {
                found += 1;
                first = Some(first.map_or(span.start, |f: usize| f.min(span.start)));
                used.push(span);
            }
            None => unfound.push(h),
        }
    }
    for h in unfound {
        let k = h.key.as_str();
        match h.role {
            Role::Note => {}
            Role::Group => {
                if !s.find_loose(k, 0, s.keys.len()) && !h.optional {
                    table.missing.push(MissingLabel {
                        expected: &h.header,
                        at: missing_at(s, lo, hi, used, later_rows),
                        kind: "row",
                    });
                }
            }
            Role::Block | Role::Column => {
                if let Some(took) = s.take_loose(k, lo, hi, used) {
                    // Broken across lines or cells by PDF extraction, but all there.
                    used.extend(took);
                } else if let Some((span, src)) = near_miss(s, k, lo, hi, used, all_keys) {
                    let found: String = s.keys[span.clone()].iter().map(|c| c.c).collect();
                    used.push(span);
                    if k.contains(&found) {
                        // A fragment of the label (the rest was cut off by a line or
                        // page break in extraction), not a different word.
                        continue;
                    }
                    table.labels.push(LabelMatch {
                        expected: &h.header,
                        found: s.text[src.clone()].to_string(),
                        range: src,
                        near_miss: true,
                    });
                } else if !h.optional
                    && (has_blank(s, lo, hi) || !s.find_loose(k, lo, hi))
                    && (h.role != Role::Block || s.find(k, 0, s.keys.len(), &[]).is_none())
                {
                    // Not reported when an explicit blank cell is absent and every
                    // character of the label is there in order: a header that PDF
                    // extraction cut into pieces glued to its neighbours.
                    table.missing.push(MissingLabel {
                        expected: &h.header,
                        at: missing_at(s, lo, hi, used, later_rows),
                        kind: if h.role == Role::Block {
                            "block"
                        } else {
                            "column"
                        },
                    });
                }
            }
        }
    }
    (found, first)
}

/// Whether an explicitly empty cell stands in key positions `lo..=hi`.
fn has_blank(s: &Stream, lo: usize, hi: usize) -> bool {
    s.tokens.iter().enumerate().any(|(j, t)| {
        t.kind == Kind::Blank && !t.range.is_empty() && (lo..=hi).contains(&s.lpos(j))
    })
}

/// Where a missing label should have been: an unused blank cell in the
/// window, else the next row label, else the table start.
fn missing_at(
    s: &Stream,
    lo: usize,
    hi: usize,
    used: &mut Vec<Range<usize>>,
    later_rows: &[Option<Anchor>],
) -> Range<usize> {
    for (j, t) in s.tokens.iter().enumerate() {
        let p = s.lpos(j);
        if t.kind == Kind::Blank && p >= lo && p <= hi && !t.range.is_empty() {
            let marker = p..p;
            if !used.contains(&marker) {
                used.push(marker);
                return t.range.clone();
            }
        }
    }
    later_rows
        .iter()
        .flatten()
        .next()
        .map_or(s.region.start..s.region.start, |a| a.src.clone())
}

/// Place the value tokens of one row on its columns, splitting glued digits
/// only when the template's row sums make the split unique.
fn fill_row(
    text: &str,
    tpl: &'static TableTpl,
    row: &'static RowTpl,
    toks: &[&Token],
    table: &mut Table,
) {
    let columns = tpl.columns_of(row);
    let n = columns.len();
    let kinds: Vec<CellKind> = (0..n).map(|c| tpl.kind_of(row, c)).collect();
    let mut placed: Vec<Option<(Range<usize>, Value)>> = vec![None; n];
    if toks.len() >= n {
        for (c, t) in toks.iter().take(n).enumerate() {
            placed[c] = Some((t.range.clone(), value_of(t.kind, &text[t.range.clone()])));
        }
    } else {
        let row_sums = row_local_sums(tpl, row);
        let splits = splits(text, toks, &kinds, &row_sums);
        match splits.len() {
            1 => {
                for (c, (r, v)) in splits
                    .into_iter()
                    .next()
                    .unwrap_or_default()
                    .into_iter()
                    .enumerate()
                {
                    placed[c] = Some((r, v));
                }
            }
            0 => {
                for (c, t) in toks.iter().enumerate() {
                    placed[c] = Some((t.range.clone(), value_of(t.kind, &text[t.range.clone()])));
                }
            }
            many => {
                let range = toks.first().map_or(0..0, |t| {
                    t.range.start..toks.last().map_or(t.range.end, |l| l.range.end)
                });
                let reason = if many >= MAX_SPLITS {
                    "数字粘连在一起，可能的拆分方式太多".to_string()
                } else {
                    format!("数字粘连在一起，有 {many} 种符合合计关系的拆分方式")
                };
                table.unreadable.push(Unreadable {
                    range,
                    row_label: row_display(row),
                    reason,
                });
                return;
            }
        }
    }
    for (c, p) in placed.into_iter().enumerate() {
        let (range, value) = match p {
            Some((r, v)) => (Some(r), v),
            None => (None, Value::Blank),
        };
        table.cells.push(Cell {
            row: &row.row,
            row_label: row_display(row),
            col: c,
            col_label: &columns[c],
            kind: kinds[c],
            range,
            value,
        });
    }
}

fn row_display(row: &'static RowTpl) -> &'static str {
    if row.label.is_empty() {
        "数据"
    } else {
        &row.label
    }
}

fn value_of(kind: Kind, s: &str) -> Value {
    if kind == Kind::Blank {
        return Value::Blank;
    }
    let t = super::tokens::ascii_number(s);
    if let Ok(n) = t.parse::<i64>() {
        return Value::Int(n);
    }
    if t.contains('.') && !t.starts_with('.') && !t.ends_with('.') {
        if let Ok(x) = t.parse::<f64>() {
            return Value::Decimal(x);
        }
    }
    Value::Text(s.to_string())
}

/// Sums that involve only cells of `row`: (total column, part columns).
fn row_local_sums(tpl: &TableTpl, row: &RowTpl) -> Vec<(usize, Vec<usize>)> {
    let mut out = Vec::new();
    for sum in &tpl.sums {
        match sum.each {
            Some(Each::Row) => {
                let total = sum.total.as_deref().and_then(|t| t.parse().ok());
                let parts: Option<Vec<usize>> = sum.parts.iter().map(|p| p.parse().ok()).collect();
                if let (Some(t), Some(p)) = (total, parts) {
                    out.push((t, p));
                }
            }
            Some(Each::Column) => {}
            None => {
                let cell = |r: &str| -> Option<usize> {
                    let (rk, c) = r.split_once(':')?;
                    (rk == row.row).then(|| c.parse().ok())?
                };
                let total = sum.total.as_deref().and_then(cell);
                let parts: Option<Vec<usize>> = sum.parts.iter().map(|p| cell(p)).collect();
                if let (Some(t), Some(p)) = (total, parts) {
                    out.push((t, p));
                }
            }
        }
    }
    out
}

type Split = Vec<(Range<usize>, Value)>;

/// Every way to read `toks` as exactly `kinds.len()` cells, splitting glued
/// digit runs, that satisfies the row's sums.
fn splits(
    text: &str,
    toks: &[&Token],
    kinds: &[CellKind],
    row_sums: &[(usize, Vec<usize>)],
) -> Vec<Split> {
    if toks.is_empty() || toks.iter().any(|t| t.kind != Kind::Number) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut acc: Split = Vec::new();
    let mut budget = MAX_SPLITS * 50;
    split_rec(text, toks, 0, kinds, &mut acc, &mut out, &mut budget);
    out.retain(|cells| {
        row_sums.iter().all(|(t, parts)| {
            let v = |c: usize| cells.get(c).and_then(|(_, v)| v.as_i64());
            match (v(*t), parts.iter().map(|&p| v(p)).sum::<Option<i64>>()) {
                (Some(total), Some(sum)) => total == sum,
                _ => true,
            }
        })
    });
    if budget == 0 {
        // Too many to enumerate: treat as ambiguous.
        out.resize_with(MAX_SPLITS.max(out.len()), Vec::new);
    }
    out
}

fn split_rec(
    text: &str,
    toks: &[&Token],
    ti: usize,
    kinds: &[CellKind],
    acc: &mut Split,
    out: &mut Vec<Split>,
    budget: &mut usize,
) {
    if *budget == 0 || out.len() >= MAX_SPLITS {
        return;
    }
    *budget -= 1;
    if ti == toks.len() {
        if acc.len() == kinds.len() {
            out.push(acc.clone());
        }
        return;
    }
    let t = toks[ti];
    let s = &text[t.range.clone()];
    let remaining_toks = toks.len() - ti - 1;
    let col = acc.len();
    if col >= kinds.len() {
        return;
    }
    let max_parts = kinds.len() - col - remaining_toks;
    if t.delimited {
        if valid_part(s, kinds[col]) {
            acc.push((t.range.clone(), value_of(Kind::Number, s)));
            split_rec(text, toks, ti + 1, kinds, acc, out, budget);
            acc.pop();
        }
        return;
    }
    // Split `s` into k parts for k in 1..=max_parts.
    parts_rec(
        text,
        toks,
        ti,
        t.range.start,
        s,
        max_parts,
        kinds,
        acc,
        out,
        budget,
    );
}

#[allow(clippy::too_many_arguments)]
fn parts_rec(
    text: &str,
    toks: &[&Token],
    ti: usize,
    base: usize,
    rest: &str,
    max_parts: usize,
    kinds: &[CellKind],
    acc: &mut Split,
    out: &mut Vec<Split>,
    budget: &mut usize,
) {
    if *budget == 0 || max_parts == 0 || acc.len() >= kinds.len() {
        return;
    }
    *budget -= 1;
    let col = acc.len();
    // Take the whole rest as the last part of this token.
    if valid_part(rest, kinds[col]) {
        acc.push((base..base + rest.len(), value_of(Kind::Number, rest)));
        split_rec(text, toks, ti + 1, kinds, acc, out, budget);
        acc.pop();
    }
    if max_parts == 1 {
        return;
    }
    for (i, _) in rest.char_indices().skip(1) {
        let head = &rest[..i];
        if !valid_part(head, kinds[col]) {
            continue;
        }
        acc.push((base..base + i, value_of(Kind::Number, head)));
        parts_rec(
            text,
            toks,
            ti,
            base + i,
            &rest[i..],
            max_parts - 1,
            kinds,
            acc,
            out,
            budget,
        );
        acc.pop();
    }
}

/// A well-formed number for a cell of `kind`: no leading zeros, sign only where allowed.
fn valid_part(s: &str, kind: CellKind) -> bool {
    let unsigned = match kind {
        CellKind::Signed => s.strip_prefix('-').unwrap_or(s),
        _ => s,
    };
    if kind == CellKind::Signed && s.starts_with('-') && unsigned == "0" {
        return false;
    }
    let (int, frac) = match (kind, unsigned.split_once('.')) {
        (CellKind::Amount, Some((i, f))) => (i, Some(f)),
        (_, Some(_)) => return false,
        (_, None) => (unsigned, None),
    };
    let int_ok = !int.is_empty()
        && int.chars().all(|c| c.is_ascii_digit())
        && (int == "0" || !int.starts_with('0'));
    let frac_ok = frac.is_none_or(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()));
    int_ok && frac_ok
}

/// Instantiate the template's checks on the cells that were read. A check
/// with a cell that is absent is left out.
fn identities(tpl: &'static TableTpl, cells: &[Cell]) -> Vec<Identity> {
    let rows: Vec<&RowTpl> = tpl.rows().collect();
    let mut grid: Vec<Vec<Option<usize>>> = vec![Vec::new(); rows.len()];
    for (i, c) in cells.iter().enumerate() {
        // Cells point at the template's own row keys.
        let Some(r) = rows
            .iter()
            .position(|row| std::ptr::eq(row.row.as_str(), c.row))
        else {
            continue;
        };
        if grid[r].len() <= c.col {
            grid[r].resize(c.col + 1, None);
        }
        grid[r][c.col] = c.range.is_some().then_some(i);
    }
    let at = |&(r, c): &(usize, usize)| grid.get(r)?.get(c).copied().flatten();
    tpl.checks
        .iter()
        .filter_map(|check| {
            Some(Identity {
                kind: check.kind,
                left: check.left.iter().map(at).collect::<Option<_>>()?,
                right: check.right.iter().map(at).collect::<Option<_>>()?,
                scope: check.scope.clone(),
            })
        })
        .collect()
}

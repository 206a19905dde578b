//! Labels: place the row labels and headers of a table region on one
//! template table.
//!
//! Label tokens are concatenated into one normalised key stream, so labels
//! broken across lines or cells (`商业\n企业`) read as one. Row labels are
//! anchors, found exactly in template order (then out of order, as whole
//! cells). A label that matches nothing exactly is searched approximately
//! in the stream between its found neighbours, inside longer runs too
//! (`（一）予与公开7000007`), and compared with the labels of the same table
//! that are still missing there, never with other tables. Header groups are
//! matched in any order just before their first row.

use std::ops::Range;

use crate::model::{LabelMatch, MissingLabel};
use crate::normalize::{char_len, push_key_chars, KeyChar};
use crate::template::{self, ColumnKey, Item, Role, RowTpl, TableTpl};

use super::grid::{self, Layout, RowCells};
use super::solve::{self, RowInput, Tok};
use super::tokens::{CellPos, Kind, Token};
use crate::parse::fuzzy::{plausible, similarity, similarity_bound};

/// How far (in key characters) past the previous anchor a row label is looked for.
const ANCHOR_WINDOW: usize = 1200;
/// A table is only taken to be present when this many of its labels match exactly
/// (a single 行政许可 in prose is not a table).
const MIN_ANCHORS: usize = 2;
/// Minimum similarity for a near-miss label.
const NEAR_MISS: f32 = 0.6;

/// The tokens of a region and their normalised label stream.
pub struct Stream<'a> {
    pub text: &'a str,
    pub region: Range<usize>,
    pub tokens: Vec<Token>,
    /// Key characters of all label tokens, concatenated.
    keys: Vec<KeyChar>,
    /// The same as a string, for fast substring search.
    lstr: String,
    /// Byte offset in `lstr` of each key character (plus the end).
    lbyte: Vec<usize>,
    /// Per token: its span in `keys` (empty, at its position, for other tokens).
    lspan: Vec<Range<usize>>,
    /// Per key character: the token it came from.
    ktok: Vec<usize>,
    /// Every key character with its position ([`char_at`]), sorted: where a
    /// needle's first character stands, without scanning the stream.
    by_char: Vec<u64>,
}

impl<'a> Stream<'a> {
    pub fn new(text: &'a str, region: Range<usize>, tokens: Vec<Token>) -> Self {
        // Label text is mostly CJK, three bytes a key character.
        let label_bytes: usize = tokens
            .iter()
            .filter(|t| t.kind == Kind::Label)
            .map(|t| t.range.len())
            .sum();
        let mut keys = Vec::with_capacity(label_bytes / 3 + 1);
        let mut ktok = Vec::with_capacity(label_bytes / 3 + 1);
        let mut lspan = Vec::with_capacity(tokens.len());
        for (i, t) in tokens.iter().enumerate() {
            let start = keys.len();
            if t.kind == Kind::Label {
                push_key_chars(text, t.range.clone(), &mut keys);
                ktok.resize(keys.len(), i);
            }
            lspan.push(start..keys.len());
        }
        let mut lstr = String::with_capacity(label_bytes);
        let mut lbyte = Vec::with_capacity(keys.len() + 1);
        let mut by_char: Vec<u64> = Vec::with_capacity(keys.len());
        for (i, k) in keys.iter().enumerate() {
            lbyte.push(lstr.len());
            lstr.push(k.c);
            by_char.push(char_at(k.c, i));
        }
        lbyte.push(lstr.len());
        by_char.sort_unstable();
        Stream {
            text,
            region,
            tokens,
            keys,
            lstr,
            lbyte,
            lspan,
            ktok,
            by_char,
        }
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Source range of key characters `span`. A span that starts (ends) where
    /// its token's key characters start (end) takes the token's brackets and
    /// punctuation there too (`（一）予与公开`, not `一）予与公开`).
    pub fn src(&self, span: &Range<usize>) -> Range<usize> {
        let (Some(a), Some(b)) = (
            self.keys.get(span.start),
            span.end.checked_sub(1).and_then(|e| self.keys.get(e)),
        ) else {
            return self.region.start..self.region.start;
        };
        if span.start >= span.end {
            return self.region.start..self.region.start;
        }
        let first = self.ktok[span.start];
        let last = self.ktok[span.end - 1];
        let start = if self.lspan[first].start == span.start {
            self.tokens[first].range.start
        } else {
            a.src.start
        };
        let end = if self.lspan[last].end == span.end {
            self.tokens[last].range.end
        } else {
            let prev = self.text[..b.src.end].chars().next_back().unwrap_or(' ');
            b.src.end + crate::normalize::residue_after(prev, &self.text[b.src.end..])
        };
        start..end
    }

    fn key_str(&self, span: &Range<usize>) -> &str {
        &self.lstr[self.lbyte[span.start]..self.lbyte[span.end]]
    }

    /// First occurrence of `needle` in key characters `from..to`, not overlapping `used`.
    pub fn find(
        &self,
        needle: &str,
        from: usize,
        to: usize,
        used: &[Range<usize>],
    ) -> Option<Range<usize>> {
        let first = needle.chars().next()?;
        let to = to.min(self.keys.len());
        if from >= to {
            return None;
        }
        let mut n = None;
        for p in self.positions_of(first, from, to) {
            if !self.lstr[self.lbyte[p]..].starts_with(needle) {
                continue;
            }
            // Positions only grow: a match running past `to` ends the search.
            let n = *n.get_or_insert_with(|| char_len(needle));
            if p + n > to {
                break;
            }
            let span = p..p + n;
            if !overlaps(used, &span) {
                return Some(span);
            }
        }
        None
    }

    /// Every occurrence of `needle`, left to right, not overlapping (each
    /// found after the last: one pass over the positions of its first character).
    fn find_all(&self, needle: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let Some(first) = needle.chars().next() else {
            return out;
        };
        let n = char_len(needle);
        let mut at = 0;
        for p in self.positions_of(first, 0, self.keys.len()) {
            if p >= at && self.lstr[self.lbyte[p]..].starts_with(needle) {
                at = p + n;
                out.push(p..at);
            }
        }
        out
    }

    /// Where a row label stands in `from..to`: of its occurrences (under any of
    /// its keys, the fuller key first), the first directly followed by a
    /// number, else the first. A label repeated as a heading above its table
    /// is not the row; the one with the numbers is. Returns the key's index too.
    fn best_occurrence(
        &self,
        keys: &[String],
        from: usize,
        to: usize,
        used: &[Range<usize>],
    ) -> Option<(usize, Range<usize>)> {
        let followed = |span: &Range<usize>| {
            let last = self.ktok[span.end - 1];
            self.lspan[last].end == span.end
                && self
                    .tokens
                    .get(last + 1)
                    .is_some_and(|t| matches!(t.kind, Kind::Number | Kind::Blank))
        };
        let first = |v: &mut dyn Iterator<Item = &(usize, Range<usize>)>| {
            v.min_by_key(|(n, s)| (s.start, *n)).cloned()
        };
        // The common case: the first occurrence is the row, numbers after it.
        let firsts: Vec<(usize, Range<usize>)> = keys
            .iter()
            .enumerate()
            .filter_map(|(n, k)| self.find(k, from, to, used).map(|span| (n, span)))
            .collect();
        let earliest = first(&mut firsts.iter())?;
        if followed(&earliest.1) {
            return Some(earliest);
        }
        let mut all = firsts;
        for (n, k) in keys.iter().enumerate() {
            let mut at = all.iter().find(|(m, _)| *m == n).map_or(to, |(_, s)| s.end);
            while all.len() < 16 {
                let Some(span) = self.find(k, at, to, used) else {
                    break;
                };
                at = span.end;
                if !all
                    .iter()
                    .any(|(_, s)| s.start < span.end && span.start < s.end)
                {
                    all.push((n, span));
                }
            }
        }
        first(&mut all.iter().filter(|(_, s)| followed(s))).or(Some(earliest))
    }

    /// The first stretch holding the characters of `needle` in order, close
    /// together (as [`Stream::find_loose`]).
    fn loose_span(&self, needle: &str) -> Option<Range<usize>> {
        self.loose_in(needle, 0, self.keys.len())
    }

    /// Whether the characters of `needle` appear in order, close together, in `from..to`
    /// (labels that PDF extraction scattered between rows).
    fn find_loose(&self, needle: &str, from: usize, to: usize) -> bool {
        self.loose_in(needle, from, to).is_some()
    }

    /// The first stretch of `from..to` starting with the first character of
    /// `needle` and holding all of its characters in order, within a few
    /// characters per character of the needle.
    fn loose_in(&self, needle: &str, from: usize, to: usize) -> Option<Range<usize>> {
        let limit = char_len(needle) * 8 + 16;
        let first = needle.chars().next()?;
        let to = to.min(self.keys.len());
        self.positions_of(first, from, to).find_map(|start| {
            in_order_end(needle, &self.keys[start..to.min(start + limit)])
                .map(|end| start..start + end)
        })
    }

    /// The label token whose key characters are exactly `key`, not
    /// overlapping `used`: the first in reading order. Only the positions
    /// of the key's first character are looked at.
    fn whole_cell(&self, key: &str, used: &[Range<usize>]) -> Option<Range<usize>> {
        let first = key.chars().next()?;
        let len = char_len(key);
        self.positions_of(first, 0, self.keys.len()).find_map(|p| {
            let span = &self.lspan[self.ktok[p]];
            (span.start == p
                && span.len() == len
                && self.key_str(span) == key
                && !overlaps(used, span))
            .then(|| span.clone())
        })
    }

    /// Whether the characters of `needle` appear in order anywhere in the stream.
    fn chars_in_order(&self, needle: &str) -> bool {
        self.in_order(needle, 0, self.keys.len())
    }

    /// Whether the characters of `needle` appear in order in key characters `from..to`.
    fn in_order(&self, needle: &str, from: usize, to: usize) -> bool {
        let mut it = self.keys[from.min(self.keys.len())..to.min(self.keys.len())].iter();
        needle.chars().all(|c| it.any(|k| k.c == c))
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
        let n = char_len(needle);
        let limit = n * 10 + 20;
        let free = |i: usize| !used.iter().any(|u| u.start <= i && i < u.end);
        let mut wanted: Vec<char> = Vec::with_capacity(n);
        wanted.extend(needle.chars());
        let first = *wanted.first()?;
        // One buffer for every start tried; returned when one succeeds.
        let mut took: Vec<Range<usize>> = Vec::with_capacity(n);
        for start in self.positions_of(first, from, to) {
            if !free(start) {
                continue;
            }
            took.clear();
            took.push(start..start + 1);
            let mut w = 1;
            let end = to.min(start + limit);
            let mut i = start + 1;
            while i < end {
                if w == wanted.len() {
                    break;
                }
                let prev = took[took.len() - 1].start;
                if i != prev + 1 && !self.token_start(i) {
                    // Past the token read, only a token's first character can
                    // join: the rest of this one is skipped whole.
                    i = self.lspan[self.ktok[i]].end;
                    continue;
                }
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
                        i += 1;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            if w == wanted.len() {
                return Some(took);
            }
        }
        None
    }

    /// The positions of key character `c` in `from..to`, in order.
    fn positions_of(&self, c: char, from: usize, to: usize) -> impl Iterator<Item = usize> + '_ {
        let lo = self.by_char.partition_point(|&e| e < char_at(c, from));
        self.by_char[lo..]
            .iter()
            .map(|&e| char_and_position(e))
            .take_while(move |&(k, p)| k == c && p < to)
            .map(|(_, p)| p)
    }

    fn token_end(&self, k: usize) -> bool {
        self.lspan[self.ktok[k]].end == k + 1
    }

    fn token_start(&self, k: usize) -> bool {
        self.lspan[self.ktok[k]].start == k
    }

    /// Key position of token `i` (where a number sits in the label stream).
    fn lpos(&self, i: usize) -> usize {
        self.lspan[i].start
    }

    /// Index of the first token at key position `p` or later (positions
    /// never decrease along the tokens), so a window is read without
    /// scanning the tokens before it.
    fn first_at(&self, p: usize) -> usize {
        self.lspan.partition_point(|r| r.start < p)
    }

    /// Whether key characters `k` and `k + 1` are separated by something other
    /// than label text (a number, a blank cell, prose).
    fn broken_after(&self, k: usize) -> bool {
        let (a, b) = (self.ktok[k], self.ktok[k + 1]);
        b > a + 1 || (b == a + 1 && self.tokens[a].cell != self.tokens[b].cell)
    }

    /// Candidate near-miss spans in key characters `from..to`: runs of one to
    /// three adjacent pieces, where a piece is a stretch of one token not taken
    /// by another label (so a typo inside a run of glued labels, bounded by
    /// the labels found around it, is a candidate, and so is a whole cell).
    fn candidates(&self, from: usize, to: usize, used: &[Range<usize>]) -> Vec<Range<usize>> {
        let to = to.min(self.keys.len());
        // Pieces, and whether each joins the next one.
        let mut pieces: Vec<(Range<usize>, bool)> = Vec::new();
        let mut start: Option<usize> = None;
        // Which positions of the window other labels took: one pass over
        // `used`, not one per position.
        let mut taken = vec![false; to.saturating_sub(from)];
        for u in used {
            for k in u.start.max(from)..u.end.min(to) {
                taken[k - from] = true;
            }
        }
        for k in from..to {
            let free = !taken[k - from];
            if free {
                start.get_or_insert(k);
            }
            let last = k + 1 == to;
            let token_ends = last || self.ktok[k + 1] != self.ktok[k];
            if !free || token_ends {
                if let Some(s) = start.take() {
                    let end = if free { k + 1 } else { k };
                    // Pieces join when nothing stands between them (a label
                    // wrapped onto the next line joins; fragments of other
                    // labels mixed in are told apart by `typo_like`).
                    let joins = free && !last && !self.broken_after(k) && !taken[k + 1 - from];
                    pieces.push((s..end, joins));
                }
            }
        }
        let mut out = Vec::new();
        for i in 0..pieces.len() {
            let mut span = pieces[i].0.clone();
            out.push(span.clone());
            for j in i + 1..(i + 3).min(pieces.len()) {
                if !pieces[j - 1].1 || pieces[j].0.start != pieces[j - 1].0.end {
                    break;
                }
                span.end = pieces[j].0.end;
                out.push(span.clone());
            }
        }
        out
    }
}

/// Where the characters of `needle`, each taken at its first chance, end
/// in `window` (an index into it); `None` when they are not all there.
fn in_order_end(needle: &str, window: &[KeyChar]) -> Option<usize> {
    let mut rest = needle.chars();
    let mut want = rest.next()?;
    for (i, k) in window.iter().enumerate() {
        if k.c == want {
            match rest.next() {
                Some(c) => want = c,
                None => return Some(i + 1),
            }
        }
    }
    None
}

/// A key character and its position, as one sortable number: ordered by
/// character, then by position.
#[allow(clippy::cast_possible_truncation)] // texts are capped far below 4 GB
fn char_at(c: char, position: usize) -> u64 {
    (u64::from(c) << 32) | u64::from(position as u32)
}

/// The character and position of a [`char_at`] number.
#[allow(clippy::cast_possible_truncation)] // the parts were put in as char and u32
fn char_and_position(e: u64) -> (char, usize) {
    let c = char::from_u32((e >> 32) as u32).unwrap_or('\0');
    (c, (e & 0xFFFF_FFFF) as usize)
}

/// Whether `span` overlaps any of `used`.
fn overlaps(used: &[Range<usize>], span: &Range<usize>) -> bool {
    used.iter()
        .any(|u| u.start < span.end && span.start < u.end)
}

/// A row label found in the stream.
#[derive(Clone, Debug)]
pub struct Anchor {
    pub span: Range<usize>,
    pub src: Range<usize>,
    pub near_miss: bool,
    /// Found without its item number (`2.`), which may have run into the
    /// previous row's digits.
    pub lacks_item: bool,
}

/// How a region was placed on a template table.
pub struct Aligned {
    /// Per template row.
    pub anchors: Vec<Option<Anchor>>,
    /// Labels found, with the index of the template row they label or stand before.
    pub labels: Vec<(LabelMatch, usize)>,
    /// Labels not found, with the index of the template row they stand before.
    pub missing: Vec<(MissingLabel, usize)>,
    /// Exact labels count twice, near misses and missing labels against.
    pub score: isize,
    /// Key position of the first header found.
    pub first_header: Option<usize>,
    /// Key spans taken by headers: a labelled row's values end at the next one.
    pub header_spans: Vec<Range<usize>>,
    /// Rows whose label is in the region but not where the table has room
    /// for it (out of order, or scattered), with where it is.
    pub misplaced: Vec<(usize, Range<usize>)>,
}

/// Place the stream on one template table; `None` when too few of its labels
/// are there for it to be this table.
pub fn align(s: &Stream, tpl: &'static TableTpl) -> Option<Aligned> {
    let rows: Vec<&'static RowTpl> = tpl.rows().collect();
    let mut score = 0;
    // Sized for the usual case (every label found, a few taken in pieces),
    // so that they are not regrown label by label.
    let mut used: Vec<Range<usize>> = Vec::with_capacity(2 * tpl.items.len());
    let mut labels = Vec::with_capacity(tpl.items.len());
    let mut missing = Vec::new();

    // 1. Row anchors, exact, in template order.
    let mut anchors: Vec<Option<Anchor>> = vec![None; rows.len()];
    let mut cursor = 0;
    for (i, row) in rows.iter().enumerate() {
        if row.label.is_empty() {
            continue;
        }
        let to = (cursor + ANCHOR_WINDOW).min(s.len());
        let found = s.best_occurrence(&row.keys, cursor, to, &used);
        if let Some((n, span)) = found {
            cursor = span.end;
            anchors[i] = Some(exact(s, row, n, span, &mut used));
            score += 1;
        }
    }
    // 1b. Rows out of template order (a converter that moved a block): a label
    // standing as a whole cell anywhere in the region.
    for (i, row) in rows.iter().enumerate() {
        if anchors[i].is_some() || row.label.is_empty() {
            continue;
        }
        let whole_cell = row
            .keys
            .iter()
            .enumerate()
            .find_map(|(n, k)| s.whole_cell(k, &used).map(|span| (n, span)));
        if let Some((n, span)) = whole_cell {
            anchors[i] = Some(exact(s, row, n, span, &mut used));
            score += 1;
        }
    }

    let has_labelled_rows = rows.iter().any(|r| !r.label.is_empty());
    if has_labelled_rows && score < MIN_ANCHORS.min(rows.len()) {
        return None;
    }

    // 2. Near misses for the rows not found, between their found neighbours.
    // Headers written exactly bound the candidates too (a row label glued to
    // the header run before it, in a page flattened onto one line).
    // Found on first use: when every row was found, no near miss is looked for.
    let header_marks: std::cell::OnceCell<Vec<Range<usize>>> = std::cell::OnceCell::new();
    let header_marks = || {
        header_marks.get_or_init(|| {
            tpl.items
                .iter()
                .filter_map(|i| match i {
                    // Short ones (`其他`, `总计`) also occur inside row labels.
                    Item::Header(h) if char_len(&h.key) >= 4 => Some(h.key.as_str()),
                    _ => None,
                })
                .flat_map(|k| s.find_all(k))
                .collect()
        })
    };
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
            .unwrap_or(s.len());
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
                lacks_item: false,
            });
            continue;
        }
        let rivals = unfound_keys(tpl, &anchors, i);
        let bounds: Vec<Range<usize>> = used.iter().chain(header_marks()).cloned().collect();
        let (span, near_miss) = match near_miss(s, target, lo, hi, &bounds, &rivals) {
            Some(Near::Typo(span)) => (span, true),
            Some(Near::Fragment(span)) => (span, false),
            None => continue,
        };
        used.push(span.clone());
        anchors[i] = Some(Anchor {
            src: s.src(&span),
            span,
            near_miss,
            lacks_item: false,
        });
    }

    // 3. Header groups, between the rows around them.
    let rows_used = used.len();
    let mut header_found: Vec<(&'static str, Range<usize>)> = Vec::with_capacity(tpl.items.len());
    let mut row_idx = 0;
    let mut group: Vec<&'static template::HeaderTpl> = Vec::new();
    let mut first_header: Option<usize> = None;
    let items: Vec<&Item> = tpl.items.iter().collect();
    let rows_unfound: Vec<&str> = rows
        .iter()
        .enumerate()
        .filter(|(i, r)| anchors[*i].is_none() && !r.label.is_empty())
        .filter_map(|(_, r)| r.keys.first().map(String::as_str))
        .collect();
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
            .map_or(s.len(), |a| a.span.start);
        let lo = anchors
            .iter()
            .flatten()
            .map(|a| a.span.end)
            .filter(|&e| e <= hi)
            .max()
            .unwrap_or(0);
        let mut ctx = HeaderCtx {
            s,
            lo,
            hi,
            used: &mut used,
            rows_unfound: &rows_unfound,
            labels: &mut labels,
            missing: &mut missing,
            later_rows: &anchors[row_idx..],
            row_idx,
            found: &mut header_found,
        };
        let (found, first) = ctx.match_group(&group);
        score += found;
        if first_header.is_none() {
            first_header = first;
        }
        group.clear();
    }

    if !has_labelled_rows && score < MIN_ANCHORS {
        // A table without row labels (表四) is only there if its headers are.
        return None;
    }

    let header_spans = used[rows_used..].to_vec();
    name_column_groups(s, tpl, &header_found, &mut labels);

    // 4. Missing rows: those whose label is nowhere in the region. A label that
    // is there, but out of place, is not missing; its row cannot be read.
    let mut misplaced = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if anchors[i].is_some() || row.label.is_empty() {
            continue;
        }
        let elsewhere = row.keys.iter().find_map(|k| {
            s.find(k, 0, s.len(), &[])
                .or_else(|| {
                    s.take_loose(k, 0, s.len(), &[])
                        .map(|took| took[0].start..took[took.len() - 1].end)
                })
                .or_else(|| {
                    // All its characters in order, close together: a label that
                    // extraction mixed with another (only for labels long enough
                    // not to be spelled out by chance).
                    (char_len(k) >= 6).then(|| s.loose_span(k)).flatten()
                })
        });
        if let Some(span) = elsewhere {
            misplaced.push((i, s.src(&span)));
        }
    }
    for (i, row) in rows.iter().enumerate() {
        if anchors[i].is_none() && !row.label.is_empty() && !misplaced.iter().any(|(m, _)| *m == i)
        {
            let at = anchors[i + 1..]
                .iter()
                .flatten()
                .next()
                .or_else(|| anchors[..i].iter().rev().flatten().next())
                .map_or(s.region.start..s.region.start, |a| a.src.clone());
            missing.push((
                MissingLabel {
                    expected: &row.label,
                    at,
                    kind: "row",
                    part: None,
                },
                i,
            ));
        }
    }
    for (i, a) in anchors.iter().enumerate() {
        if let Some(a) = a {
            labels.push((
                LabelMatch {
                    expected: &rows[i].label,
                    range: a.src.clone(),
                    found: s.text[a.src.clone()].to_string(),
                    near_miss: a.near_miss,
                    group: None,
                    part: None,
                },
                i,
            ));
        }
    }
    labels.sort_by_key(|l| l.0.range.start);
    let penalty = missing.len() + labels.iter().filter(|l| l.0.near_miss).count();
    let score =
        isize::try_from(2 * score).unwrap_or(isize::MAX) - isize::try_from(penalty).unwrap_or(0);
    Some(Aligned {
        anchors,
        labels,
        missing,
        score,
        first_header,
        header_spans,
        misplaced,
    })
}

/// An exact anchor at `span` (found with the row's key number `n`), marked as
/// used. A label found by a short form (`（二）部分公开`) that goes on in the
/// text with the rest of the full label takes it in, as written: exactly, or
/// as a near miss when the rest has a typo.
fn exact(
    s: &Stream,
    row: &RowTpl,
    n: usize,
    span: Range<usize>,
    used: &mut Vec<Range<usize>>,
) -> Anchor {
    let (span, near_miss) = extend_short_form(s, row, n, span, used);
    used.push(span.clone());
    // Key 1 is the label without its numbering: was an item number (`2.`) left out?
    let lacks_item = n == 1 && row.label.starts_with(|c: char| c.is_ascii_digit());
    Anchor {
        src: s.src(&span),
        span,
        near_miss,
        lacks_item,
    }
}

fn extend_short_form(
    s: &Stream,
    row: &RowTpl,
    n: usize,
    span: Range<usize>,
    used: &[Range<usize>],
) -> (Range<usize>, bool) {
    match row.keys.first() {
        Some(full) if n > 0 => extend_prefix(s, full, span, used),
        _ => (span, false),
    }
}

/// `span` holds the start of `full`: take in as much of the rest of `full` as
/// the text goes on with (up to a break). Returns the span and whether what
/// was taken in differs from `full` like a typo.
fn extend_prefix(
    s: &Stream,
    full: &str,
    span: Range<usize>,
    used: &[Range<usize>],
) -> (Range<usize>, bool) {
    let short_len = span.len();
    let rest = full
        .char_indices()
        .nth(short_len)
        .map_or("", |(i, _)| &full[i..]);
    let rest_len = char_len(rest);
    if rest_len < 3 || !full.starts_with(s.key_str(&span)) {
        return (span, false);
    }
    // The key characters after the match, up to a break (a number, a cell boundary).
    let mut end = span.end;
    while end < s.len()
        && end < span.end + rest_len + 3
        && !s.broken_after(end - 1)
        && !used.iter().any(|u| u.start <= end && end < u.end)
    {
        end += 1;
    }
    // The common case, the rest written out exactly, is what `title_prefix`
    // finds (all of `rest`, similarity 1.0), without its table.
    let after = &s.keys[span.end..end];
    if after.len() >= rest_len && rest.chars().zip(after).all(|(c, k)| k.c == c) {
        return (span.start..span.end + rest_len, false);
    }
    let hay: Vec<char> = after.iter().map(|k| k.c).collect();
    let Some((len, sim)) = crate::parse::fuzzy::title_prefix(&hay, rest) else {
        return (span, false);
    };
    let extended = span.start..span.end + len;
    if sim >= 1.0 {
        return (extended, false);
    }
    if sim >= 0.8 && typo_like(full, s.key_str(&extended)) {
        return (extended, true);
    }
    (span, false)
}

/// A header that occurs once per column group (表四's `结果维持`) is named by
/// its group: the k-th one in reading order belongs to the k-th group that
/// has it, as the template lists its columns (`行政复议·结果维持`, …).
fn name_column_groups(
    s: &Stream,
    tpl: &'static TableTpl,
    found: &[(&'static str, Range<usize>)],
    labels: &mut [(LabelMatch, usize)],
) {
    for (label, _) in labels.iter_mut().filter(|(l, _)| l.near_miss) {
        let groups: Vec<&'static str> = tpl
            .columns
            .iter()
            .filter_map(|c| c.split_once('·'))
            .filter(|(_, leaf)| *leaf == label.expected)
            .map(|(g, _)| g)
            .collect();
        if groups.len() < 2 {
            continue;
        }
        let mut same: Vec<Range<usize>> = found
            .iter()
            .filter(|(h, _)| *h == label.expected)
            .map(|(_, span)| s.src(span))
            .collect();
        same.sort_by_key(|r| r.start);
        if same.len() == groups.len() {
            if let Some(k) = same.iter().position(|r| *r == label.range) {
                label.group = Some(groups[k]);
            }
        }
    }
}

/// Keys of the row labels other than row `except` that are still unfound.
fn unfound_keys<'t>(tpl: &'t TableTpl, anchors: &[Option<Anchor>], except: usize) -> Vec<&'t str> {
    tpl.rows()
        .enumerate()
        .filter(|(i, r)| *i != except && anchors[*i].is_none() && !r.label.is_empty())
        .filter_map(|(_, r)| r.keys.first().map(String::as_str))
        .collect()
}

/// What an approximate search found.
enum Near {
    /// A different wording: a typo or a variant.
    Typo(Range<usize>),
    /// Part of the label, the rest cut off by a line or page break.
    Fragment(Range<usize>),
}

/// The best near miss of `target` in key characters `from..to`: similar
/// enough, and closer to `target` than to any rival (the labels of the same
/// table still unfound there). Ties with a rival give nothing. All of the
/// label with other text run into it is a layout artefact and gives nothing.
fn near_miss(
    s: &Stream,
    target: &str,
    from: usize,
    to: usize,
    used: &[Range<usize>],
    rivals: &[&str],
) -> Option<Near> {
    let n = char_len(target);
    let mut best: Option<(f32, Range<usize>)> = None;
    for span in s.candidates(from, to, used) {
        // A span's length in key characters is its length as a string.
        if typo_length_out(n, span.len()) {
            continue;
        }
        let k = s.key_str(&span);
        // The cheap tests first; `similarity_bound` is never below the
        // similarity, so a bound under the threshold rules the diff out.
        if k == target
            || !plausible(target, k)
            || similarity_bound(target, k) < NEAR_MISS
            || !typo_like(target, k)
        {
            continue;
        }
        let score = similarity(target, k);
        if score < NEAR_MISS {
            continue;
        }
        // Some rival as close as the target takes the candidate away (the
        // bound skips the diff of a rival that cannot be).
        let rival_as_close = rivals.iter().any(|a| {
            *a != target
                && plausible(a, k)
                && similarity_bound(a, k) >= score
                && similarity(a, k) >= score
        });
        if rival_as_close {
            continue;
        }
        let better = match &best {
            None => true,
            Some((b, bs)) => {
                score > *b || (score == *b && span.len().abs_diff(n) < bs.len().abs_diff(n))
            }
        };
        if better {
            best = Some((score, span));
        }
    }
    let (_, span) = best?;
    let k = s.key_str(&span);
    // A piece of the label whose other piece stands close by (a line break in
    // PDF text) is the label itself; a piece alone (`规范性文件` for
    // `行政规范性文件`) is a different wording.
    if let Some(at) = target.find(k) {
        let (head, tail) = (&target[..at], &target[at + k.len()..]);
        let near =
            |piece: &str, lo: usize, hi: usize| piece.is_empty() || s.in_order(piece, lo, hi);
        let window = 3 * n;
        if near(head, span.start.saturating_sub(window), span.start)
            && near(tail, span.end, span.end + window)
        {
            return Some(Near::Fragment(span));
        }
    }
    Some(Near::Typo(span))
}

/// Whether `found` differs from `label` the way a typo does: a few
/// characters changed, added or left out, in at most two places (a changed
/// stretch costs its longer side: `撤销` for `废止` is two). Text of a
/// neighbouring cell run into the label, or a label cut and mixed with
/// another, differs by more.
fn typo_like(label: &str, found: &str) -> bool {
    let (n, m) = (char_len(label), char_len(found));
    if typo_length_out(n, m) {
        return false;
    }
    let (a, b): (Vec<char>, Vec<char>) = (label.chars().collect(), found.chars().collect());
    // One flat table: lcs[i * w + j] is the LCS of a[i..] and b[j..].
    let w = m + 1;
    let mut lcs = vec![0u32; (n + 1) * w];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i * w + j] = if a[i] == b[j] {
                lcs[(i + 1) * w + j + 1] + 1
            } else {
                lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
            };
        }
    }
    let lcs = |i: usize, j: usize| lcs[i * w + j];
    // Walk one alignment; each place where the two differ costs its longer side.
    let (mut i, mut j) = (0, 0);
    let (mut gaps, mut cost) = (0, 0);
    let (mut del, mut ins) = (0, 0);
    let close = |del: &mut usize, ins: &mut usize, gaps: &mut usize, cost: &mut usize| {
        if *del + *ins > 0 {
            *gaps += 1;
            *cost += (*del).max(*ins);
            *del = 0;
            *ins = 0;
        }
    };
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            close(&mut del, &mut ins, &mut gaps, &mut cost);
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs(i, j + 1) >= lcs(i + 1, j)) {
            ins += 1;
            j += 1;
        } else {
            del += 1;
            i += 1;
        }
    }
    close(&mut del, &mut ins, &mut gaps, &mut cost);
    gaps <= 2 && cost * 3 <= (2 * 3).max(n)
}

/// Whether a label of `n` characters and a text of `m` differ in length by
/// more than [`typo_like`] allows: each place where they differ costs at
/// least the difference of its two sides, and those differences add up to
/// the difference of the lengths, so this rules the pair out without the table.
fn typo_length_out(n: usize, m: usize) -> bool {
    n.abs_diff(m) * 3 > (2 * 3).max(n)
}

/// What header matching needs to know about its surroundings.
struct HeaderCtx<'s, 'a> {
    s: &'s Stream<'a>,
    lo: usize,
    hi: usize,
    used: &'s mut Vec<Range<usize>>,
    /// Keys of the row labels not found.
    rows_unfound: &'s [&'s str],
    labels: &'s mut Vec<(LabelMatch, usize)>,
    missing: &'s mut Vec<(MissingLabel, usize)>,
    later_rows: &'s [Option<Anchor>],
    row_idx: usize,
    /// Every header found (its template text and key span), for column groups.
    found: &'s mut Vec<(&'static str, Range<usize>)>,
}

impl HeaderCtx<'_, '_> {
    /// Report the header `expected` as written differently, at key span `span`.
    fn near_miss(&mut self, expected: &'static str, span: &Range<usize>) {
        let src = self.s.src(span);
        self.labels.push((
            LabelMatch {
                expected,
                found: self.s.text[src.clone()].to_string(),
                range: src,
                near_miss: true,
                group: None,
                part: None,
            },
            self.row_idx,
        ));
    }

    /// Match one group of headers in `lo..hi`. Returns how many matched exactly
    /// and the key position of the first match.
    fn match_group(&mut self, group: &[&'static template::HeaderTpl]) -> (usize, Option<usize>) {
        let s = self.s;
        let (lo, hi) = (self.lo, self.hi);
        let mut order: Vec<&&template::HeaderTpl> = group.iter().collect();
        // Longest first, the note last: other headers written into the note's
        // lines (PDF text) must be taken before the note is read to its end.
        // (A stable sort; the key is counted once per header, not per comparison.)
        order.sort_by_cached_key(|h| (h.role == Role::Note, std::cmp::Reverse(char_len(&h.key))));
        let mut found = 0;
        let mut first: Option<usize> = None;
        let mut unfound: Vec<&'static template::HeaderTpl> = Vec::new();
        for h in order {
            let k = h.key.as_str();
            let span = match h.role {
                // The note is often cut short; its opening words are enough.
                Role::Note => s.find(char_prefix(k, 8), lo, hi, self.used),
                _ => s.find(k, lo, hi, self.used),
            };
            match span {
                Some(span) if h.role == Role::Note => {
                    // As much of the note as is written: exactly, or with a typo.
                    let (span, typo) = extend_prefix(s, k, span, self.used);
                    found += 1;
                    first = Some(first.map_or(span.start, |f: usize| f.min(span.start)));
                    self.used.push(span.clone());
                    if typo {
                        self.near_miss(&h.header, &span);
                    }
                }
                Some(span) => {
                    found += 1;
                    first = Some(first.map_or(span.start, |f: usize| f.min(span.start)));
                    self.found.push((&h.header, span.clone()));
                    self.used.push(span);
                }
                None => unfound.push(h),
            }
        }
        // Rivals of a near miss: the labels still unfound around here (the other
        // headers of this group, the rows not found), so that a word as close to
        // a found label as to a missing one goes to the missing one.
        let unfound_keys: Vec<&str> = unfound
            .iter()
            .map(|h| h.key.as_str())
            .chain(self.rows_unfound.iter().copied())
            .collect();
        for h in unfound {
            let k = h.key.as_str();
            let rivals: Vec<&str> = unfound_keys.iter().copied().filter(|r| *r != k).collect();
            match h.role {
                Role::Note => {}
                Role::Group => {
                    if s.take_loose(k, lo, hi, self.used).is_some() {
                        continue;
                    }
                    // A group label written differently, where it stands, or (PDF
                    // text centres it among its rows) anywhere in the table.
                    let mut near = near_miss(s, k, lo, hi, self.used, &rivals);
                    if near.is_none() {
                        if s.take_loose(k, 0, s.len(), self.used).is_some() {
                            continue;
                        }
                        near = near_miss(s, k, 0, s.len(), self.used, &rivals);
                    }
                    match near {
                        // A group label cut short (`（六）其他`) is that label: it
                        // spans rows, and converters clip it.
                        Some(Near::Typo(span)) if k.contains(s.key_str(&span)) => {
                            self.used.push(span);
                            continue;
                        }
                        Some(Near::Typo(span)) => {
                            self.used.push(span.clone());
                            self.near_miss(&h.header, &span);
                            continue;
                        }
                        Some(Near::Fragment(span)) => {
                            self.used.push(span);
                            continue;
                        }
                        None => {}
                    }
                    // A group label spans many rows; PDF text scatters it widely.
                    if !s.chars_in_order(k) && !h.optional {
                        let at = self.missing_at();
                        self.missing.push((
                            MissingLabel {
                                expected: &h.header,
                                at,
                                kind: "row",
                                part: None,
                            },
                            self.row_idx,
                        ));
                    }
                }
                Role::Block | Role::Column => {
                    if let Some(took) = s.take_loose(k, lo, hi, self.used) {
                        // Broken across lines or cells by PDF extraction, but all there.
                        self.found
                            .push((&h.header, took[0].start..took[took.len() - 1].end));
                        self.used.extend(took);
                    } else if let Some(near) = near_miss(s, k, lo, hi, self.used, &rivals) {
                        let span = match near {
                            Near::Typo(span) => span,
                            Near::Fragment(span) => {
                                self.found.push((&h.header, span.clone()));
                                self.used.push(span);
                                continue;
                            }
                        };
                        self.found.push((&h.header, span.clone()));
                        self.used.push(span.clone());
                        let found = s.key_str(&span);
                        if k.contains(found) {
                            // A piece of a header: extraction cuts headers into pieces
                            // glued to their neighbours (`商业企` + `业`), not a different word.
                            continue;
                        }
                        self.near_miss(&h.header, &span);
                    } else if !h.optional
                        && (has_blank(s, lo, hi) || !s.find_loose(k, lo, hi))
                        && (h.role != Role::Block || s.find(k, 0, s.len(), &[]).is_none())
                    {
                        // Not reported when an explicit blank cell is absent and every
                        // character of the label is there in order: a header that PDF
                        // extraction cut into pieces glued to its neighbours.
                        let at = self.missing_at();
                        self.missing.push((
                            MissingLabel {
                                expected: &h.header,
                                at,
                                kind: if h.role == Role::Block {
                                    "block"
                                } else {
                                    "column"
                                },
                                part: None,
                            },
                            self.row_idx,
                        ));
                    }
                }
            }
        }
        (found, first)
    }

    /// Where a missing label should have been: an unused blank cell in the
    /// window, else the next row label, else the table start.
    fn missing_at(&mut self) -> Range<usize> {
        let s = self.s;
        for (j, t) in s.tokens.iter().enumerate().skip(s.first_at(self.lo)) {
            let p = s.lpos(j);
            if p > self.hi {
                break;
            }
            if t.kind == Kind::Blank && !t.range.is_empty() {
                let marker = p..p;
                if !self.used.contains(&marker) {
                    self.used.push(marker);
                    return t.range.clone();
                }
            }
        }
        self.later_rows
            .iter()
            .flatten()
            .next()
            .map_or(s.region.start..s.region.start, |a| a.src.clone())
    }
}

/// The first `n` characters of `s` (all of it when shorter).
fn char_prefix(s: &str, n: usize) -> &str {
    &s[..s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)]
}

/// Whether an explicitly empty cell stands in key positions `lo..=hi`.
fn has_blank(s: &Stream, lo: usize, hi: usize) -> bool {
    s.tokens
        .iter()
        .enumerate()
        .skip(s.first_at(lo))
        .take_while(|(j, _)| s.lpos(*j) <= hi)
        .any(|(_, t)| t.kind == Kind::Blank && !t.range.is_empty())
}

/// The values of every template row: from its grid row when its label is a
/// grid cell, else the number tokens between its label and the next row's.
pub fn row_inputs(
    s: &Stream,
    layouts: &[Layout],
    tpl: &TableTpl,
    aligned: &Aligned,
) -> Vec<RowInput> {
    let rows: Vec<&RowTpl> = tpl.rows().collect();
    let mut starts: Vec<(usize, usize)> = aligned
        .anchors
        .iter()
        .enumerate()
        .filter_map(|(i, a)| a.as_ref().map(|a| (a.span.start, i)))
        .collect();
    for (i, row) in rows.iter().enumerate() {
        if row.label.is_empty() {
            starts.push((aligned.first_header.unwrap_or(0), i));
        }
    }
    starts.sort_unstable();
    let mut out = vec![RowInput::Absent; rows.len()];
    for (n, &(start, i)) in starts.iter().enumerate() {
        let end = starts.get(n + 1).map_or(usize::MAX, |&(e, _)| e);
        let columns = tpl.column_keys_of(rows[i]);
        let anchor = aligned.anchors[i].as_ref();
        // The grid row of the label, or (for a table without row labels) of its first number.
        let cell = match anchor {
            Some(a) => s
                .ktok
                .get(a.span.end.saturating_sub(1))
                .and_then(|&t| s.tokens[t].cell),
            None => s
                .tokens
                .iter()
                .skip(s.first_at(start))
                .find(|t| t.kind == Kind::Number)
                .and_then(|t| t.cell),
        };
        if let Some(pos) = cell {
            let input = grid_input(s, &layouts[pos.grid], pos.row, columns);
            // A table without row labels may spread its numbers over several grids.
            let complete = matches!(&input, RowInput::Placed(c) if c.len() == columns.len());
            if anchor.is_some() || complete {
                out[i] = input;
                continue;
            }
        }
        let Some(anchor) = anchor else {
            // A table without row labels: its numbers after its headers, grid cells included.
            let toks = value_toks(s, aligned, start, end, None, true);
            out[i] = if toks.is_empty() {
                RowInput::Absent
            } else if let Some(at) = interleaved(s, &toks) {
                RowInput::Misfit(
                    "这张表的数字和栏目名称交错排列（常见于从 PDF 复制的文字），无法确定每个数字属于哪一栏".into(),
                    at,
                )
            } else {
                RowInput::Tokens {
                    toks,
                    drop_item: false,
                }
            };
            continue;
        };
        let toks = value_toks(s, aligned, start, end, Some(anchor.span.end), false);
        if toks.is_empty() {
            // The label stands outside the grid that holds the row (a heading above a
            // one-row table): read the grid row that repeats the label.
            if let Some(pos) = grid_row_with_label(s, layouts, rows[i], start, end) {
                out[i] = grid_input(s, &layouts[pos.grid], pos.row, columns);
                continue;
            }
        }
        let next_lacks_item = starts
            .get(n + 1)
            .and_then(|&(_, k)| aligned.anchors[k].as_ref())
            .is_some_and(|a| a.lacks_item);
        out[i] = RowInput::Tokens {
            toks,
            drop_item: next_lacks_item,
        };
    }
    for (i, at) in &aligned.misplaced {
        out[*i] = RowInput::Misfit(
            "这一行的标签不在表格中应有的位置，无法确定它的数字".into(),
            at.clone(),
        );
    }
    out
}

/// Where the numbers of a table without row labels, read from text, have
/// header text between them (`72 64 178 37 结果 其他 … 12 1 1 6 总计 351`, a
/// PDF's text layer in the order it was drawn): the numbers are not in
/// column order, so none can be placed. Grid cells are not judged (a table
/// split over several grids repeats its headers).
fn interleaved(s: &Stream, toks: &[Tok]) -> Option<Range<usize>> {
    let from_text = |t: &&Tok| {
        let i = s.tokens.partition_point(|x| x.range.start < t.range.start);
        s.tokens.get(i).is_some_and(|x| x.cell.is_none())
    };
    let (first, last) = (toks.iter().find(from_text)?, toks.iter().rfind(from_text)?);
    let from = s
        .tokens
        .partition_point(|x| x.range.start < first.range.end);
    let label = s.tokens[from..]
        .iter()
        .take_while(|x| x.range.start < last.range.start)
        .any(|x| x.kind == Kind::Label && x.cell.is_none());
    label.then_some(first.range.start..last.range.end)
}

/// The values of grid row `row`.
fn grid_input(s: &Stream, layout: &Layout, row: usize, columns: &[ColumnKey]) -> RowInput {
    match grid::row_cells(layout, row, columns) {
        RowCells::Placed(cells) => RowInput::Placed(
            cells
                .into_iter()
                .map(|c| {
                    c.map(|ci| {
                        let range = layout.grid.cells[ci].range.clone();
                        let value = grid_value(s.text, &range);
                        (range, value)
                    })
                })
                .collect(),
        ),
        RowCells::Glued(cells) => RowInput::Tokens {
            toks: cells
                .into_iter()
                .flat_map(|ci| glued_toks(s.text, &layout.grid.cells[ci].range))
                .collect(),
            drop_item: false,
        },
        RowCells::Misfit(reason) => RowInput::Misfit(reason, grid_row_range(layout, row)),
        RowCells::Short(found) => RowInput::Short {
            found,
            at: grid_row_range(layout, row),
        },
    }
}

/// The value tokens between key positions `start` and `end`. A labelled row
/// (its label ending at `label_end`) stops at the next part's headers, at
/// prose, and at a longer label that is no part of the table once it has
/// values: the numbers after that belong to the text. `with_grids` also
/// takes grid cells (for a table without row labels).
fn value_toks(
    s: &Stream,
    aligned: &Aligned,
    start: usize,
    end: usize,
    label_end: Option<usize>,
    with_grids: bool,
) -> Vec<Tok> {
    let first = s.first_at(start + 1);
    // Room for the tokens of the window (a row's few values, the last row's
    // window running on through the text): not regrown value by value.
    let window = s.first_at(end.saturating_add(1)).saturating_sub(first);
    let mut toks = Vec::with_capacity(window.min(32));
    for (j, t) in s.tokens.iter().enumerate().skip(first) {
        let p = s.lpos(j);
        if p > end {
            break;
        }
        if t.cell.is_some() && !with_grids {
            continue;
        }
        if let Some(label_end) = label_end {
            if t.kind == Kind::Label && p >= label_end {
                let span = &s.lspan[j];
                if aligned
                    .header_spans
                    .iter()
                    .any(|h| h.start < span.end && span.start < h.end)
                {
                    break;
                }
                let in_anchor = aligned
                    .anchors
                    .iter()
                    .flatten()
                    .any(|a| a.span.start < span.end && span.start < a.span.end);
                if !toks.is_empty() && !in_anchor && span.len() >= 4 {
                    break;
                }
            }
        }
        match t.kind {
            Kind::Number => {
                let num = t.range.start..t.range.end - t.unit;
                // A cell of digits no one number is (`000001`) holds several
                // run together: split like glued digits.
                let several = super::tokens::zero_led_run(&s.text[num.clone()]);
                toks.push(Tok {
                    range: t.range.clone(),
                    num,
                    delimited: (t.delimited || t.cell.is_some()) && !several,
                    blank: false,
                });
            }
            Kind::Blank if !t.range.is_empty() || t.delimited => toks.push(Tok {
                range: t.range.clone(),
                num: t.range.clone(),
                delimited: true,
                blank: true,
            }),
            // Prose ends a row: numbers after it belong to the text, not the table.
            Kind::Prose if !toks.is_empty() => break,
            _ => {}
        }
    }
    toks
}

/// A grid row between key positions `start` and `end` one of whose cells is
/// `row`'s label.
fn grid_row_with_label(
    s: &Stream,
    layouts: &[Layout],
    row: &RowTpl,
    start: usize,
    end: usize,
) -> Option<CellPos> {
    let from = s.keys.get(start)?.src.start;
    let to = s.keys.get(end).map_or(s.region.end, |k| k.src.start);
    let stripped = crate::normalize::key_without_ordinal(&row.label);
    layouts.iter().enumerate().find_map(|(gi, layout)| {
        layout.grid.cells.iter().enumerate().find_map(|(ci, cell)| {
            let k = layout.keys[ci].as_str();
            let inside = cell.range.start >= from && cell.range.end <= to;
            let matches = !k.is_empty() && (row.keys.iter().any(|rk| rk == k) || stripped == k);
            (inside && matches).then_some(CellPos {
                grid: gi,
                row: cell.row,
            })
        })
    })
}

/// The text range of a grid row.
fn grid_row_range(layout: &Layout, row: usize) -> Range<usize> {
    layout
        .grid
        .cells
        .iter()
        .filter(|c| c.row == row)
        .map(|c| c.range.clone())
        .reduce(|a, b| a.start.min(b.start)..a.end.max(b.end))
        .unwrap_or(0..0)
}

/// The value of a grid cell: its number, blank, or its text.
fn grid_value(text: &str, range: &Range<usize>) -> crate::model::Value {
    let t = text[range.clone()].trim();
    if t.is_empty() || super::tokens::is_blank_marker(t) {
        return crate::model::Value::Blank;
    }
    let unit = super::tokens::number_with_unit(t).unwrap_or(0);
    solve::value_of(&t[..t.len() - unit])
}

/// The numbers of a grid cell that holds fewer cells than its row needs.
fn glued_toks(text: &str, range: &Range<usize>) -> Vec<Tok> {
    super::tokens::tokenize(text, range.clone(), &[])
        .into_iter()
        .filter(|t| t.kind == Kind::Number)
        .map(|t| Tok {
            num: t.range.start..t.range.end - t.unit,
            range: t.range,
            delimited: t.unit > 0,
            blank: false,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `typo_like` as first written: nested tables, no early exit.
    fn typo_like_reference(label: &str, found: &str) -> bool {
        let (a, b): (Vec<char>, Vec<char>) = (label.chars().collect(), found.chars().collect());
        let (n, m) = (a.len(), b.len());
        let mut lcs = vec![vec![0usize; m + 1]; n + 1];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i][j] = if a[i] == b[j] {
                    lcs[i + 1][j + 1] + 1
                } else {
                    lcs[i + 1][j].max(lcs[i][j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        let (mut gaps, mut cost, mut del, mut ins) = (0, 0, 0, 0);
        let mut close = |del: &mut usize, ins: &mut usize| {
            if *del + *ins > 0 {
                gaps += 1;
                cost += (*del).max(*ins);
                *del = 0;
                *ins = 0;
            }
        };
        while i < n || j < m {
            if i < n && j < m && a[i] == b[j] {
                close(&mut del, &mut ins);
                i += 1;
                j += 1;
            } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
                ins += 1;
                j += 1;
            } else {
                del += 1;
                i += 1;
            }
        }
        close(&mut del, &mut ins);
        gaps <= 2 && cost * 3 <= (2 * 3).max(n)
    }

    #[test]
    fn typo_like_agrees_with_its_reference() {
        let words = [
            "",
            "废止",
            "撤销",
            "结果维持",
            "结果维护",
            "本年度处理决定数量",
            "本年处理决定数量",
            "本年度处理决定数量其他",
            "行政规范性文件",
            "规范性文件",
            "𠮷𠮷行政",
            "行政𠮷",
            "１２３４５６７",
            "1234567",
            "（一）予以公开",
            "予与公开",
        ];
        for a in words {
            for b in words {
                assert_eq!(typo_like(a, b), typo_like_reference(a, b), "{a} {b}");
            }
        }
    }

    /// `Stream::take_loose` as first written: every position read, none skipped.
    fn take_loose_reference(
        s: &Stream,
        needle: &str,
        from: usize,
        to: usize,
        used: &[Range<usize>],
    ) -> Option<Vec<Range<usize>>> {
        let to = to.min(s.keys.len());
        let limit = char_len(needle) * 10 + 20;
        let free = |i: usize| !used.iter().any(|u| u.start <= i && i < u.end);
        let wanted: Vec<char> = needle.chars().collect();
        let first = *wanted.first()?;
        for start in s.positions_of(first, from, to) {
            if !free(start) {
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
                    || (s.ktok[prev] != s.ktok[i] && s.token_end(prev) && s.token_start(i));
                if s.keys[i].c == wanted[w] && free(i) && joins {
                    took.push(i..i + 1);
                    w += 1;
                } else if s.ktok[i] == s.ktok[prev] && i > prev {
                    if s.token_end(prev) {
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

    #[test]
    fn take_loose_agrees_with_its_reference() {
        let mut found = 0;
        for &text in TEXTS {
            let tokens = super::super::tokens::tokenize(text, 0..text.len(), &[]);
            let s = Stream::new(text, 0..text.len(), tokens);
            let len = s.len();
            for &needle in NEEDLES {
                for used in [&[][..], &[0..2, 4..4], &[3..3, 5..9]] {
                    for (from, to) in [(0, len), (2, len), (0, len / 2)] {
                        let took = s.take_loose(needle, from, to, used);
                        found += usize::from(took.as_ref().is_some_and(|t| t.len() > 2));
                        assert_eq!(
                            took,
                            take_loose_reference(&s, needle, from, to, used),
                            "{text} {needle} {used:?} {from} {to}"
                        );
                    }
                }
            }
        }
        // Labels taken across tokens were among them.
        assert!(found > 10, "{found}");
    }

    /// Streams and needles for comparing the indexed searches with plain scans.
    const TEXTS: &[&str] = &[
        "商业\n企业 科研机构 本年度处理 决定数量 12 本年处理决定数量",
        "本年度 处理 决定 数量 其他 𠮷 行政 复议 １２ 行政复议",
        "（一）予以 公开 ３ 予以公开 𠮷𠮷 公开 公开公开",
        "",
    ];
    const NEEDLES: &[&str] = &[
        "商业企业",
        "本年度处理决定数量",
        "本年处理决定数量",
        "行政复议",
        "𠮷行政",
        "予以公开",
        "一予以公开",
        "公开",
        "公开公开",
        "",
    ];

    fn streams() -> Vec<Stream<'static>> {
        TEXTS
            .iter()
            .map(|text| {
                let tokens = super::super::tokens::tokenize(text, 0..text.len(), &[]);
                Stream::new(text, 0..text.len(), tokens)
            })
            .collect()
    }

    #[test]
    fn indexed_searches_agree_with_plain_scans() {
        for s in streams() {
            let len = s.len();
            let chars: Vec<char> = s.keys.iter().map(|k| k.c).collect();
            for &needle in NEEDLES {
                let n = char_len(needle);
                let first = needle.chars().next();
                // loose_span and find_loose: every start, the whole window read.
                let loose = |start: usize, end: usize| {
                    let mut it = needle.chars().peekable();
                    let mut last = start;
                    for (i, c) in chars[start..end].iter().enumerate() {
                        if it.peek() == Some(c) {
                            it.next();
                            last = start + i + 1;
                        }
                    }
                    it.peek().is_none().then_some(start..last)
                };
                let starts = (0..len).filter(|&p| Some(chars[p]) == first);
                let span = starts
                    .clone()
                    .find_map(|p| loose(p, len.min(p + n * 8 + 16)));
                assert_eq!(s.loose_span(needle), span, "{needle}");
                for (from, to) in [(0, len), (2, len), (0, len / 2)] {
                    let found = starts
                        .clone()
                        .filter(|&p| p >= from && p < to)
                        .any(|p| loose(p, to.min(p + n * 8 + 16)).is_some());
                    assert_eq!(s.find_loose(needle, from, to), found, "{needle}");
                }
                // whole_cell: every token.
                for used in [&[][..], &[0..2, 4..4], &[3..3, 5..9]] {
                    let cell = (0..s.tokens.len())
                        .find(|&t| {
                            let span = &s.lspan[t];
                            s.tokens[t].kind == Kind::Label
                                && !needle.is_empty()
                                && span.len() == n
                                && s.key_str(span) == needle
                                && !overlaps(used, span)
                        })
                        .map(|t| s.lspan[t].clone());
                    assert_eq!(s.whole_cell(needle, used), cell, "{needle} {used:?}");
                }
                // find_all: one find after another.
                let mut all = Vec::new();
                let mut at = 0;
                while let Some(span) = s.find(needle, at, len, &[]) {
                    at = span.end;
                    all.push(span);
                }
                assert_eq!(s.find_all(needle), all, "{needle}");
            }
        }
    }

    #[test]
    fn char_prefix_counts_characters() {
        assert_eq!(char_prefix("", 8), "");
        assert_eq!(char_prefix("𠮷a１２", 2), "𠮷a");
        assert_eq!(char_prefix("𠮷a１２", 8), "𠮷a１２");
        assert_eq!(char_prefix("注：本表中收到申请数", 8), "注：本表中收到申");
        assert_eq!(char_prefix("abc", 0), "");
    }
}

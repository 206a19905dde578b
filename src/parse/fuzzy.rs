//! Approximate matching of normalised keys (CJK works character by character,
//! without segmentation).

/// Character-level similarity ratio in `0.0..=1.0`.
pub fn similarity(a: &str, b: &str) -> f32 {
    similar::TextDiff::from_chars(a, b).ratio()
}

/// A cheap filter before the diff: lengths within a factor of two and at
/// least half of the shorter string's characters in common.
pub fn plausible(a: &str, b: &str) -> bool {
    let (na, nb) = (a.chars().count(), b.chars().count());
    if na == 0 || nb == 0 || na > 2 * nb + 2 || nb > 2 * na + 2 {
        return false;
    }
    let need = na.min(nb);
    let mut buf = ['\0'; SHORT];
    let Some(a_chars) = short_chars(a, na, &mut buf) else {
        let common = b.chars().filter(|c| a.contains(*c)).count();
        return 2 * common >= need;
    };
    // `a.contains(c)` is `c` among the characters of `a` (UTF-8 matches only
    // at character boundaries); the count stops once it decides.
    let mut common = 0;
    for (seen, c) in b.chars().enumerate() {
        if a_chars.contains(&c) {
            common += 1;
            if 2 * common >= need {
                return true;
            }
        } else if 2 * (common + nb - seen - 1) < need {
            return false;
        }
    }
    2 * common >= need
}

/// Strings up to this many characters are compared from a buffer on the stack.
const SHORT: usize = 64;

/// The `n` characters of `s` in `buf`, when they fit.
fn short_chars<'b>(s: &str, n: usize, buf: &'b mut [char; SHORT]) -> Option<&'b [char]> {
    if n > SHORT {
        return None;
    }
    for (slot, c) in buf.iter_mut().zip(s.chars()) {
        *slot = c;
    }
    Some(&buf[..n])
}

/// `similarity(a, b) >= threshold`, without the diff when it cannot be
/// (see [`similarity_bound`]).
pub fn similar_enough(a: &str, b: &str, threshold: f32) -> bool {
    similarity_bound(a, b) >= threshold && similarity(a, b) >= threshold
}

/// A cheap upper bound of `similarity(a, b)`: the diff's matched characters
/// are a common subsequence, so at most the characters the two strings have
/// in common counted with multiplicity. The ratio computed from that bound
/// the way the diff computes its own (in `f32`, exact for these small
/// integers, and division by the same positive length is monotone) is at
/// least the diff's ratio, so `similarity_bound(a, b) < t` proves
/// `similarity(a, b) < t`. A long `a` gets the trivial bound 1.0.
pub fn similarity_bound(a: &str, b: &str) -> f32 {
    let (na, nb) = (a.chars().count(), b.chars().count());
    let mut buf = ['\0'; SHORT];
    let Some(a_chars) = short_chars(a, na, &mut buf) else {
        return 1.0;
    };
    let len = na + nb;
    if len == 0 {
        return 1.0;
    }
    #[allow(clippy::cast_precision_loss)]
    let bound = 2.0 * common_chars(a_chars, b) as f32 / len as f32;
    bound
}

/// How many characters of `b` pair with distinct characters of `a` (the
/// size of their multiset intersection). `a` is used up as it pairs.
fn common_chars(a: &[char], b: &str) -> usize {
    let mut free = [true; SHORT];
    b.chars()
        .filter(|c| {
            let hit = a.iter().zip(free.iter_mut()).find(|(x, f)| **f && *x == c);
            hit.map(|(_, f)| *f = false).is_some()
        })
        .count()
}

/// How a title heads a run of text (`hay`, key characters): the length of
/// the prefix of `hay` that is the title as written, and its similarity to
/// `title`. The prefix ends where the most of the title's characters are
/// matched, extended over the title's unmatched last characters when letters
/// stand there in their place (`…改进措施` for `…改进情况`); it never takes
/// an ordinal that starts the next item.
pub fn title_prefix(hay: &[char], title: &str) -> Option<(usize, f32)> {
    let n = title.chars().count();
    let h = &hay[..hay.len().min(n + 6)];
    if n == 0 || h.is_empty() {
        return None;
    }
    // One flat table, row by row: lcs[i * w + j] is the LCS of the title's
    // first i characters and h[..j]. Row i reads only the title's i-th
    // character, so the title is walked once, not collected.
    let w = h.len() + 1;
    let mut lcs = vec![0u32; (n + 1) * w];
    for (i, tc) in title.chars().enumerate() {
        let (prev, row) = lcs[i * w..(i + 2) * w].split_at_mut(w);
        for j in 1..w {
            row[j] = if tc == h[j - 1] {
                prev[j - 1] + 1
            } else {
                prev[j].max(row[j - 1])
            };
        }
    }
    let at = |i: usize, j: usize| lcs[i * w + j];
    let best = at(n, h.len());
    if best == 0 {
        return None;
    }
    let len = (1..=h.len()).find(|&j| at(n, j) == best)?;
    // The title characters after the last one matched within `h[..len]`.
    let last_matched = (1..=n).find(|&i| at(i, len) == best).unwrap_or(n);
    let trailing = n - last_matched;
    let ordinal = |c: char| "一二三四五六七八九十".contains(c) || c.is_ascii_digit();
    let extra = h[len..]
        .iter()
        .take(trailing)
        .take_while(|&&c| !ordinal(c))
        .count();
    let len = len + extra;
    #[allow(clippy::cast_precision_loss)]
    let sim = 2.0 * best as f32 / (n + len) as f32;
    Some((len, sim))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_of_a_run_finds_the_heading_end() {
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        let hay = chars("政府信息公开行政复议与行政诉讼情况行政复议行政诉讼");
        let (len, s) = title_prefix(&hay, "政府信息公开行政复议行政诉讼情况").unwrap();
        assert_eq!(len, 17);
        assert!(s > 0.9);
        // A substituted ending is part of the title; the next item's ordinal is not.
        let hay = chars("存在的主要问题及改进措施一主要问题");
        let (len, _) = title_prefix(&hay, "存在的主要问题及改进情况").unwrap();
        assert_eq!(len, 12);
        let hay = chars("存在的主要问题及改进一是加强");
        let (len, _) = title_prefix(&hay, "存在的主要问题及改进情况").unwrap();
        assert_eq!(len, 10);
        let hay = chars("存在的主要问题及改进情况2023年");
        assert_eq!(
            title_prefix(&hay, "存在的主要问题及改进情况").unwrap(),
            (12, 1.0)
        );
    }

    /// Tricky pairs: CJK, an astral character, full-width digits, empty strings.
    const PAIRS: &[(&str, &str)] = &[
        ("", ""),
        ("", "结果维持"),
        ("结果维持", ""),
        ("结果维持", "结果维护"),
        ("𠮷𠮷a", "a𠮷"),
        ("１２３", "123"),
        ("１２３４", "２１３"),
        ("政府信息公开行政复议", "行政复议政府信息公开"),
        ("本年新收政府信息公开申请数量", "总计"),
        ("aab", "abb"),
    ];

    #[test]
    fn similarity_bound_is_never_below_similarity() {
        for &(a, b) in PAIRS {
            for (x, y) in [(a, b), (b, a)] {
                assert!(similarity_bound(x, y) >= similarity(x, y), "{x} {y}");
                for t in [0.0, 0.5, 0.6, 0.8, 1.0] {
                    assert_eq!(
                        similar_enough(x, y, t),
                        similarity(x, y) >= t,
                        "{x} {y} {t}"
                    );
                }
            }
        }
    }

    #[test]
    fn prefix_written_exactly_is_the_whole_title() {
        // `extend_prefix` (table alignment) skips the table in this case.
        for title in ["存在的主要问题及改进情况", "𠮷a１２", "x"] {
            for tail in ["", "一是", "2023年", "情况"] {
                let hay: Vec<char> = title.chars().chain(tail.chars()).collect();
                let n = title.chars().count();
                assert_eq!(title_prefix(&hay, title), Some((n, 1.0)), "{title}{tail}");
            }
        }
    }

    #[test]
    fn plausible_rejects_unrelated_lengths() {
        assert!(!plausible("总计", "本年新收政府信息公开申请数量"));
        assert!(plausible("结果维持", "结果维护"));
    }
}

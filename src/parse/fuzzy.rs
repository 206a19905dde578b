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
    let common = b.chars().filter(|c| a.contains(*c)).count();
    2 * common >= na.min(nb)
}

/// How a title heads a run of text (`hay`, key characters): the length of
/// the prefix of `hay` that is the title as written, and its similarity to
/// `title`. The prefix ends where the most of the title's characters are
/// matched, extended over the title's unmatched last characters when letters
/// stand there in their place (`…改进措施` for `…改进情况`); it never takes
/// an ordinal that starts the next item.
pub fn title_prefix(hay: &[char], title: &str) -> Option<(usize, f32)> {
    let t: Vec<char> = title.chars().collect();
    let n = t.len();
    let h = &hay[..hay.len().min(n + 6)];
    if n == 0 || h.is_empty() {
        return None;
    }
    // lcs[i][j]: LCS of t[..i] and h[..j].
    let mut lcs = vec![vec![0usize; h.len() + 1]; n + 1];
    for i in 1..=n {
        for j in 1..=h.len() {
            lcs[i][j] = if t[i - 1] == h[j - 1] {
                lcs[i - 1][j - 1] + 1
            } else {
                lcs[i - 1][j].max(lcs[i][j - 1])
            };
        }
    }
    let best = lcs[n][h.len()];
    if best == 0 {
        return None;
    }
    let len = (1..=h.len()).find(|&j| lcs[n][j] == best)?;
    // The title characters after the last one matched within `h[..len]`.
    let last_matched = (1..=n).find(|&i| lcs[i][len] == best).unwrap_or(n);
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

    #[test]
    fn plausible_rejects_unrelated_lengths() {
        assert!(!plausible("总计", "本年新收政府信息公开申请数量"));
        assert!(plausible("结果维持", "结果维护"));
    }
}

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

/// The best prefix of `hay` (a sequence of key characters) as a match for
/// `needle`: its length in characters and its similarity. Prefix lengths
/// within three characters of the needle's are tried; on a tie the length
/// closest to the needle's wins.
pub fn best_prefix(hay: &[char], needle: &str) -> Option<(usize, f32)> {
    let n = needle.chars().count();
    let mut best: Option<(usize, f32)> = None;
    for len in n.saturating_sub(3).max(1)..=(n + 3).min(hay.len()) {
        let cand: String = hay[..len].iter().collect();
        if !plausible(needle, &cand) {
            continue;
        }
        let s = similarity(needle, &cand);
        let better = match best {
            None => true,
            Some((bl, bs)) => s > bs || (s == bs && len.abs_diff(n) < bl.abs_diff(n)),
        };
        if better {
            best = Some((len, s));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_of_a_run_finds_the_heading_end() {
        let hay: Vec<char> = "政府信息公开行政复议与行政诉讼情况行政复议行政诉讼"
            .chars()
            .collect();
        let (len, s) = best_prefix(&hay, "政府信息公开行政复议行政诉讼情况").unwrap();
        assert_eq!(len, 17);
        assert!(s > 0.9);
    }

    #[test]
    fn plausible_rejects_unrelated_lengths() {
        assert!(!plausible("总计", "本年新收政府信息公开申请数量"));
        assert!(plausible("结果维持", "结果维护"));
    }
}

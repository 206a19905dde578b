//! Small shared helpers for matching.

/// Character-level similarity ratio in `0.0..=1.0` (works on CJK without segmentation).
pub fn similarity(a: &str, b: &str) -> f32 {
    similar::TextDiff::from_chars(a, b).ratio()
}

//! `--fix`, `--unsafe-fixes` and `--diff`: the diff shown for `--diff`. The
//! fixes themselves are applied by `crate::fix::fix_text`; writing them back
//! is [`super::write::write_checked`].

/// `--diff`: a unified diff from `old` to `new`, headed with the path.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(path, path)
        .to_string()
}

//! Shared by the bench binaries: the median time of a closure.

use std::time::{Duration, Instant};

/// Seconds per call of `f`: the median of `runs` runs, each calling it
/// repeatedly for at least `min_time` (once when `min_time` is zero).
pub fn median(runs: usize, min_time: Duration, f: impl Fn()) -> f64 {
    let mut per_call: Vec<f64> = (0..runs.max(1))
        .map(|_| {
            let start = Instant::now();
            let mut n = 0u32;
            loop {
                f();
                n += 1;
                if start.elapsed() >= min_time {
                    break;
                }
            }
            start.elapsed().as_secs_f64() / f64::from(n)
        })
        .collect();
    per_call.sort_by(f64::total_cmp);
    per_call[per_call.len() / 2]
}

//! Latency percentiles: every sample kept, sorted once, read by nearest
//! rank. A run holds at most a few hundred thousand samples, so a sorted
//! `Vec` is exact and cheaper than a histogram dependency.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Latency samples of one scenario.
#[derive(Debug, Default, Clone)]
pub struct Samples(Vec<Duration>);

impl Samples {
    pub fn with_capacity(n: usize) -> Self {
        Samples(Vec::with_capacity(n))
    }

    pub fn push(&mut self, d: Duration) {
        self.0.push(d);
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// p50, p99 and max; `None` without samples.
    pub fn summary(mut self) -> Option<Latency> {
        if self.0.is_empty() {
            return None;
        }
        self.0.sort_unstable();
        Some(Latency {
            p50_us: micros(rank(&self.0, 50.0)),
            p99_us: micros(rank(&self.0, 99.0)),
            max_us: micros(self.0[self.0.len() - 1]),
        })
    }
}

impl Extend<Duration> for Samples {
    fn extend<T: IntoIterator<Item = Duration>>(&mut self, iter: T) {
        self.0.extend(iter);
    }
}

/// Latency percentiles in microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Latency {
    pub p50_us: f64,
    pub p99_us: f64,
    pub max_us: f64,
}

/// The nearest-rank percentile of sorted, non-empty `sorted`.
fn rank(sorted: &[Duration], pct: f64) -> Duration {
    let n = sorted.len();
    let idx = ((pct / 100.0) * n as f64).ceil() as usize;
    sorted[idx.clamp(1, n) - 1]
}

/// Microseconds to a tenth.
fn micros(d: Duration) -> f64 {
    (d.as_nanos() / 100) as f64 / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let mut s = Samples::default();
        s.extend((1..=100).rev().map(Duration::from_micros));
        let l = s.summary().expect("samples");
        assert_eq!(l.p50_us, 50.0);
        assert_eq!(l.p99_us, 99.0);
        assert_eq!(l.max_us, 100.0);
    }

    #[test]
    fn one_sample_is_every_percentile() {
        let mut s = Samples::default();
        s.push(Duration::from_micros(7));
        let l = s.summary().expect("a sample");
        assert_eq!((l.p50_us, l.p99_us, l.max_us), (7.0, 7.0, 7.0));
        assert!(Samples::default().summary().is_none());
    }
}

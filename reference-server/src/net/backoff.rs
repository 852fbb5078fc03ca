//! Pacing the accept loop while accepting fails or connections are over
//! the limit: [`Backoff`] and [`Paced`].
//!
//! At the open-file limit (EMFILE) every `accept` fails at once while the
//! connection waits in the listen backlog; retrying on a fixed 50 ms made
//! 20 log lines a second for as long as it lasted. Now the wait doubles
//! from [`FIRST`] up to [`LONGEST`], the first failure is logged, the rest
//! are counted and reported at most every [`REPORT_EVERY`], and the
//! recovery is logged with the count. Connections refused over
//! `--max-connections` are reported the same paced way.

use std::time::Duration;

use tokio::time::Instant;

/// The wait after the first failure.
pub(crate) const FIRST: Duration = Duration::from_millis(10);
/// The longest wait between two attempts.
pub(crate) const LONGEST: Duration = Duration::from_secs(1);
/// The least time between two reports of one repeated event.
pub(crate) const REPORT_EVERY: Duration = Duration::from_secs(10);

/// One repeated event, logged the first time and then at most every
/// [`REPORT_EVERY`] with how many happened since.
#[derive(Debug, Default)]
pub(crate) struct Paced {
    unreported: u64,
    reported_at: Option<Instant>,
}

impl Paced {
    /// The event happened at `now`: `Some(n)` when it is to be logged,
    /// `n` counting it and those since the last report.
    pub fn tick(&mut self, now: Instant) -> Option<u64> {
        self.unreported += 1;
        let due = self
            .reported_at
            .is_none_or(|at| now.saturating_duration_since(at) >= REPORT_EVERY);
        if !due {
            return None;
        }
        self.reported_at = Some(now);
        Some(std::mem::take(&mut self.unreported))
    }
}

/// Failed accepts since the last success, and the wait before the next.
#[derive(Debug, Default)]
pub(crate) struct Backoff {
    failures: u64,
    wait: Duration,
    reports: Paced,
}

impl Backoff {
    /// One failed accept at `now`: how long to wait before the next, and
    /// whether to log it (`Some(failures since the last log)`).
    pub fn failed(&mut self, now: Instant) -> (Duration, Option<u64>) {
        self.failures += 1;
        self.wait = if self.failures == 1 {
            FIRST
        } else {
            (self.wait * 2).min(LONGEST)
        };
        (self.wait, self.reports.tick(now))
    }

    /// An accept succeeded: the failures it ends, if there were any.
    pub fn succeeded(&mut self) -> Option<u64> {
        let failures = self.failures;
        *self = Backoff::default();
        (failures > 0).then_some(failures)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_up_to_a_second_and_reports_are_paced() {
        let t0 = Instant::now();
        let mut b = Backoff::default();
        assert_eq!(b.failed(t0), (FIRST, Some(1)));
        assert_eq!(b.failed(t0), (FIRST * 2, None));
        let mut wait = FIRST * 2;
        for _ in 0..20 {
            let (w, r) = b.failed(t0 + Duration::from_secs(1));
            assert!(w >= wait && w <= LONGEST);
            assert_eq!(r, None);
            wait = w;
        }
        assert_eq!(wait, LONGEST);
        assert_eq!(b.failed(t0 + REPORT_EVERY), (LONGEST, Some(22)));
        assert_eq!(b.succeeded(), Some(23));
        assert_eq!(b.succeeded(), None);
        assert_eq!(b.failed(t0 + REPORT_EVERY), (FIRST, Some(1)));
    }
}

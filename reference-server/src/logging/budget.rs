//! [`Budget`]: the warnings about one connection that are written.
//!
//! A peer decides how many invalid or ignored frames it sends, so one log
//! line per frame lets any client fill the disk (zap §10.2, lrv §9.2: a
//! spoofed 05 cost 5 bytes of log per byte sent, an `X` line 140). The
//! first few warnings about a connection are written in full; the rest are
//! counted and summarised, at most once per [`SUMMARY_EVERY`] and once more
//! when the connection closes — so what one connection can make the server
//! log is bounded, whatever it sends.

use std::time::{Duration, Instant};

/// Warnings about one connection written in full.
pub(crate) const IN_FULL: u32 = 8;

/// The least time between two summaries of one connection.
pub(crate) const SUMMARY_EVERY: Duration = Duration::from_secs(10);

/// What to do with one warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Admit {
    /// Write it.
    Write,
    /// Count it, write nothing.
    Hold,
    /// Write one line summarising this warning and the `held` before it
    /// (`held` counts this one).
    Summarise { held: u64 },
}

/// One connection's warnings so far.
#[derive(Debug, Default)]
pub(crate) struct Budget {
    written: u32,
    held: u64,
    /// When the first warning held since the last summary came.
    since: Option<Instant>,
}

impl Budget {
    pub fn admit(&mut self, now: Instant) -> Admit {
        if self.written < IN_FULL {
            self.written += 1;
            return Admit::Write;
        }
        self.held += 1;
        let since = *self.since.get_or_insert(now);
        if now.saturating_duration_since(since) >= SUMMARY_EVERY {
            self.since = Some(now);
            return Admit::Summarise {
                held: std::mem::take(&mut self.held),
            };
        }
        Admit::Hold
    }

    /// Warnings held and not yet summarised: what the closing summary
    /// reports.
    pub fn held(&self) -> u64 {
        self.held
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_warnings_are_written_then_held_and_summarised() {
        let t0 = Instant::now();
        let mut b = Budget::default();
        for _ in 0..IN_FULL {
            assert_eq!(b.admit(t0), Admit::Write);
        }
        for _ in 0..1000 {
            assert_eq!(b.admit(t0), Admit::Hold);
        }
        assert_eq!(b.held(), 1000);
        let later = t0 + SUMMARY_EVERY;
        assert_eq!(b.admit(later), Admit::Summarise { held: 1001 });
        assert_eq!(b.held(), 0);
        assert_eq!(b.admit(later), Admit::Hold);
        assert_eq!(b.admit(later + SUMMARY_EVERY / 2), Admit::Hold);
        assert_eq!(b.held(), 2);
        assert_eq!(b.admit(later + SUMMARY_EVERY), Admit::Summarise { held: 3 });
    }
}

//! [`Bucket`]: a rate limit with a burst, for what one connection may ask
//! of the server faster than it should (zap §11.2: registrations). Its time
//! is the driver's ([`Now::mono`](super::Now::mono)): a core keeps buckets
//! without a clock of its own.
//!
//! The generic cell rate algorithm: a theoretical arrival time moves one
//! interval forward per request admitted; a request is admitted while that
//! time is at most `burst - 1` intervals ahead of now.

use std::time::Duration;

use std::time::Instant;

#[derive(Debug, Clone, Copy)]
pub struct Bucket {
    burst: u32,
    every: Duration,
    /// When the next request would be admitted with no burst left.
    tat: Option<Instant>,
}

impl Bucket {
    /// `burst` requests at once, then one per `every`.
    pub fn new(burst: u32, every: Duration) -> Bucket {
        Bucket {
            burst: burst.max(1),
            every,
            tat: None,
        }
    }

    /// Admits one request at `now`, or says when it would be admitted.
    pub fn take(&mut self, now: Instant) -> Result<(), Instant> {
        let tat = self.tat.map_or(now, |t| t.max(now));
        let ahead = self.every * (self.burst - 1);
        if tat > now + ahead {
            return Err(tat - ahead);
        }
        self.tat = Some(tat + self.every);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_one_per_interval() {
        let t0 = Instant::now();
        let every = Duration::from_millis(100);
        let mut b = Bucket::new(3, every);
        for _ in 0..3 {
            assert_eq!(b.take(t0), Ok(()));
        }
        assert_eq!(b.take(t0), Err(t0 + every));
        assert_eq!(b.take(t0 + every / 2), Err(t0 + every));
        assert_eq!(b.take(t0 + every), Ok(()));
        assert_eq!(b.take(t0 + every), Err(t0 + every * 2));
        // Unused time refills the burst, up to its size.
        let later = t0 + every * 100;
        for _ in 0..3 {
            assert_eq!(b.take(later), Ok(()));
        }
        assert!(b.take(later).is_err());
    }
}

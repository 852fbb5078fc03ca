//! Where the draw's randomness comes from (lrv §8.4): the driver's source
//! — the operating system's in a server — behind [`Entropy`], so the core
//! stays free of I/O and a test can seed it.

use std::fmt;

/// A source of uniformly random 64-bit words.
pub trait Entropy: Send + fmt::Debug {
    fn next_u64(&mut self) -> u64;
}

/// SplitMix64 from a seed: deterministic, for tests only (`--draw-seed`).
/// Not what lrv §8.4 asks of a real draw.
#[derive(Debug, Clone)]
pub struct Seeded(u64);

impl Seeded {
    pub fn new(seed: u64) -> Self {
        Seeded(seed)
    }
}

impl Entropy for Seeded {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// A value from 1 to `n`, every one equally likely (lrv §8.4): words from
/// the top, incomplete stretch of the 64-bit range are rejected, so the
/// remainder does not favour small values.
pub(crate) fn uniform(e: &mut dyn Entropy, n: u32) -> u32 {
    let n = u64::from(n.max(1));
    let reject = (u64::MAX % n + 1) % n;
    loop {
        let x = e.next_u64();
        if x <= u64::MAX - reject {
            // x % n < n ≤ u32::MAX.
            return u32::try_from(x % n).unwrap_or(0) + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_stays_in_range_and_reaches_every_value() {
        let mut e = Seeded::new(7);
        let mut seen = [false; 10];
        for _ in 0..1000 {
            let v = uniform(&mut e, 10);
            assert!((1..=10).contains(&v));
            seen[v as usize - 1] = true;
        }
        assert!(seen.iter().all(|&s| s));
        assert_eq!(uniform(&mut e, 1), 1);
    }

    #[test]
    fn a_seed_is_a_sequence() {
        let (mut a, mut b) = (Seeded::new(42), Seeded::new(42));
        assert_eq!(
            (0..5).map(|_| a.next_u64()).collect::<Vec<_>>(),
            (0..5).map(|_| b.next_u64()).collect::<Vec<_>>()
        );
        assert_ne!(Seeded::new(1).next_u64(), Seeded::new(2).next_u64());
    }
}

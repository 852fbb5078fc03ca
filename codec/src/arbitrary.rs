//! What every protocol's `Arbitrary` messages (feature `arbitrary`) share:
//! generated values go through the validating constructors, and a refusal
//! is a generator bug reported as `IncorrectFormat`, never a message that
//! is not valid.

/// A constructor refused a generated value.
pub(crate) fn refused<E>(_: E) -> ::arbitrary::Error {
    ::arbitrary::Error::IncorrectFormat
}

/// Deterministic bytes for the `Arbitrary` tests: a 64-bit LCG (Knuth's
/// MMIX constants), the top byte of each state. The same bytes every run,
/// so a failing message reproduces.
#[cfg(test)]
pub(crate) struct Lcg(u64);

#[cfg(test)]
impl Lcg {
    pub(crate) fn new() -> Self {
        Lcg(0x2545_f491_4f6c_dd1d)
    }

    pub(crate) fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len)
            .map(|_| {
                self.0 = self
                    .0
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                (self.0 >> 56) as u8
            })
            .collect()
    }
}

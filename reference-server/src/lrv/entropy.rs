//! The operating system's random source for the draw (lrv §8.4: "from a
//! cryptographically secure or operating-system source").

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

use super::core::Entropy;

/// `getrandom`: the kernel's CSPRNG.
#[derive(Debug)]
pub(super) struct Os {
    /// Used only if the kernel stops answering after a first success:
    /// SipHash under std's per-process random keys, over a counter.
    fallback: (RandomState, u64),
}

impl Os {
    /// # Errors
    ///
    /// The operating system has no random source: the server cannot draw
    /// fairly, so it does not start.
    pub fn new() -> Result<Os, getrandom::Error> {
        getrandom::u64()?;
        Ok(Os {
            fallback: (RandomState::new(), 0),
        })
    }
}

impl Entropy for Os {
    fn next_u64(&mut self) -> u64 {
        getrandom::u64().unwrap_or_else(|e| {
            tracing::warn!(error = %e, "getrandom failed; drawing from the per-process keyed hash");
            let (keys, counter) = &mut self.fallback;
            *counter += 1;
            let mut h = keys.build_hasher();
            h.write_u64(*counter);
            h.finish()
        })
    }
}

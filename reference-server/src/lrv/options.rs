//! [`LrvOptions`]: what only an LRV server is told at start — the raffle's
//! size (lrv §4.2, §10.2) and, for tests, the draw's seed — with their
//! command-line group (feature `runtime`) and [`Config`] builders.

#[cfg(feature = "runtime")]
use gabarito_codec::lrv::MAX_NUMBER;
use gabarito_codec::lrv::Number;

use crate::config::Config;

/// The raffle size when none is given (lrv §10.2).
pub const DEFAULT_RAFFLE_SIZE: u32 = 100;

/// LRV's own options.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "runtime", derive(clap::Args))]
#[cfg_attr(feature = "runtime", command(next_help_heading = "lrv options"))]
pub struct LrvOptions {
    /// lrv: the raffle's numbers, 1 to N (at most 10000). Fixed when the
    /// store is created: a store of another size is refused (lrv §10.1).
    #[cfg_attr(
        feature = "runtime",
        arg(long, default_value_t = default_size(), value_parser = parse_size, value_name = "N")
    )]
    pub raffle_size: Number,

    /// lrv, for tests only: draw from a generator seeded with N instead of
    /// the operating system's, so the winner is predictable (lrv §8.4
    /// requires an unpredictable draw).
    #[cfg_attr(feature = "runtime", arg(long, value_name = "N", hide = true))]
    pub draw_seed: Option<u64>,
}

impl Default for LrvOptions {
    fn default() -> Self {
        LrvOptions {
            raffle_size: default_size(),
            draw_seed: None,
        }
    }
}

fn default_size() -> Number {
    Number::new(DEFAULT_RAFFLE_SIZE).unwrap_or(Number::MAX)
}

#[cfg(feature = "runtime")]
fn parse_size(s: &str) -> Result<Number, String> {
    s.parse::<u32>()
        .ok()
        .and_then(|n| Number::new(n).ok())
        .ok_or_else(|| format!("must be a whole number from 1 to {MAX_NUMBER} (lrv §4.2)"))
}

impl Config {
    /// lrv: the raffle's size N.
    pub fn with_raffle_size(mut self, size: Number) -> Self {
        self.options.lrv.raffle_size = size;
        self
    }

    /// lrv, tests only: a deterministic draw (see [`LrvOptions::draw_seed`]).
    pub fn with_draw_seed(mut self, seed: u64) -> Self {
        self.options.lrv.draw_seed = Some(seed);
        self
    }
}
